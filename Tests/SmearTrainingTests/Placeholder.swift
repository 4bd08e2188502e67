// Training tests arrive with issue 5.
