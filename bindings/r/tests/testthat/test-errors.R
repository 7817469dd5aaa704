# Errors from C are R conditions of class impact_error (with a subclass per
# code), carrying the C message, raised after the C resources are freed.

test_that("C errors are classed conditions with the C message", {
  e <- tryCatch(read_codebook("/nonexistent/cb.csv"), error = identity)
  expect_s3_class(e, c("impact_io_error", "impact_error", "error", "condition"), exact = TRUE)
  expect_match(conditionMessage(e), "/nonexistent/cb.csv", fixed = TRUE)
  expect_identical(e$code, 1L)
  expect_identical(e$code_name, "io")
})

test_that("data errors name the item", {
  cb <- read_codebook(bfi_codebook_path())
  d <- read.csv(bfi_path())
  d$C3 <- NULL
  e <- tryCatch(score_scales(d, cb), impact_error = identity)
  expect_s3_class(e, "impact_data_error")
  expect_match(conditionMessage(e), "'C3'")
  d <- read.csv(bfi_path())
  d$E1 <- as.character(d$E1)
  expect_error(describe_items(d, cb), class = "impact_data_error")
})

test_that("errors do not leak the objects made before them", {
  cb <- read_codebook(bfi_codebook_path())
  d <- read.csv(bfi_path())
  d$C3 <- NULL
  before <- alive()
  for (i in 1:20) try(score_scales(d, cb), silent = TRUE)
  expect_identical(alive(), before)
})

test_that("arguments of the wrong kind are impact_invalid_error conditions", {
  expect_error(score_scales(data.frame(), list()), class = "impact_invalid_error")
  expect_error(score_scales(list(a = 1), read_codebook(bfi_codebook_path())),
               class = "impact_invalid_error")
})
