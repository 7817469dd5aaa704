# Every object C hands over has a finalizer: repeated calls do not grow the
# number of live C objects once R has collected the garbage.

test_that("results, tables and codebooks are freed by the garbage collector", {
  cb <- read_codebook(bfi_codebook_path())
  d <- read.csv(bfi_path())
  before <- alive()
  for (i in 1:30) {
    s <- score_scales(d, cb)
    di <- describe_items(d, cb)
    cb2 <- impact_codebook(as.data.frame(cb))
    r <- read_responses(bfi_path(), cb)
  }
  rm(s, di, cb2, r)
  expect_identical(alive(), before)
})

test_that("a codebook stays alive while R holds it", {
  before <- alive()
  cb <- read_codebook(bfi_codebook_path())
  expect_identical(alive(), before + 1)
  rm(cb)
  expect_identical(alive(), before)
})
