// SmearCells: leukocyte location, crops and focus (issue 4).
