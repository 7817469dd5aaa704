library(testthat)
library(impact)

test_check("impact")
