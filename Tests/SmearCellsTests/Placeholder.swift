// Locator tests arrive with issue 4.
