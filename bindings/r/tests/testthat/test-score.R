# Scale scores and item descriptives: the C library's numbers, compared with
# base R, psych and the impact CLI on the same data.

keyed_items <- function(d, cb) {
  cbd <- as.data.frame(cb)
  x <- as.matrix(d[cbd$item])
  for (j in which(cbd$reverse)) x[, j] <- cbd$min[j] + cbd$max[j] - x[, j]
  x
}

test_that("mean scores are the mean of the keyed answered items (hand rule)", {
  cb <- read_codebook(bfi_codebook_path())
  d <- read.csv(bfi_path())
  s <- score_scales(d, cb, id = "id")
  expect_identical(names(s), c("id", "agreeableness", "conscientiousness", "extraversion",
                               "neuroticism", "openness"))
  expect_identical(s$id, as.character(d$id))
  x <- keyed_items(d, cb)
  # default rule: at least ceil(0.5 * 5) = 3 of the 5 items answered
  for (sc in unique(as.data.frame(cb)$scale)) {
    cols <- as.data.frame(cb)$scale == sc
    answered <- rowSums(!is.na(x[, cols]))
    want <- ifelse(answered >= 3, rowMeans(x[, cols], na.rm = TRUE), NA_real_)
    expect_equal(s[[sc]], want, tolerance = 1e-14)
  }
})

test_that("scores equal psych::scoreItems(impute = 'none')", {
  skip_if_not_installed("psych")
  cb <- read_codebook(bfi_codebook_path())
  d <- read.csv(bfi_path())
  # psych 2.2.9: scoreItems(keys, items, impute = "none", min = 1, max = 6)
  # scores each person on the mean of the items answered (any number), with
  # reverse keys scored as min + max - x.
  keys <- split(bfi_keys, as.data.frame(cb)$scale)
  ps <- psych::scoreItems(keys, d[as.data.frame(cb)$item], impute = "none", min = 1, max = 6)
  s <- score_scales(d, cb, min_answered = 1)
  for (sc in names(keys)) {
    expect_equal(s[[sc]], unname(ps$scores[, sc]), tolerance = 1e-12)
  }
})

test_that("sum and POMP scores follow their definitions", {
  cb <- read_codebook(bfi_codebook_path())
  d <- read.csv(bfi_path())
  m <- score_scales(d, cb)
  su <- score_scales(d, cb, kind = "sum")
  po <- score_scales(d, cb, kind = "pomp")
  # prorated sum = mean * number of items (all weights 1); POMP = 100 (m - 1) / 5
  expect_equal(su$agreeableness, m$agreeableness * 5, tolerance = 1e-14)
  expect_equal(po$openness, 100 * (m$openness - 1) / 5, tolerance = 1e-14)
})

test_that("scores are those of the CLI, bit for bit", {
  skip_if_not_installed("jsonlite")
  path <- full_bfi_path()
  cbp <- file.path(Sys.getenv("IMPACT_TOP_SRCDIR"), "tests", "data", "bfi-codebook.csv")
  js <- jsonlite::fromJSON(run_cli(c("score", "--codebook", cbp, "--data", path, "--id", "id",
                                     "--format", "json")))
  s <- score_scales(read_responses(path, read_codebook(cbp)), read_codebook(cbp), id = "id")
  expect_identical(s$id, js$id)
  for (sc in names(s)[-1]) expect_identical(s[[sc]], js[[sc]])
})

test_that("describe_items equals base R and the CLI", {
  cb <- read_codebook(bfi_codebook_path())
  d <- read.csv(bfi_path())
  di <- describe_items(d, cb)
  expect_identical(di$item, as.data.frame(cb)$item)
  for (i in seq_len(nrow(di))) {
    x <- d[[di$item[i]]]
    expect_identical(di$n[i], as.double(sum(!is.na(x))))
    expect_identical(di$missing[i], as.double(sum(is.na(x))))
    expect_equal(di$mean[i], mean(x, na.rm = TRUE), tolerance = 1e-14)
    expect_equal(di$sd[i], sd(x, na.rm = TRUE), tolerance = 1e-13)
    tab <- table(factor(x, levels = 1:6))
    expect_identical(unname(unlist(di[i, paste0("freq_", 1:6)])), as.double(tab))
  }
})

test_that("describe_items is the CLI's describe, bit for bit", {
  skip_if_not_installed("jsonlite")
  path <- full_bfi_path()
  cbp <- file.path(Sys.getenv("IMPACT_TOP_SRCDIR"), "tests", "data", "bfi-codebook.csv")
  js <- jsonlite::fromJSON(run_cli(c("describe", "--codebook", cbp, "--data", path,
                                     "--format", "json")))$items
  di <- describe_items(read.csv(path), read_codebook(cbp))
  for (col in c("item", "scale", "domain", "reverse", "n", "missing", "mean", "sd", "min", "max")) {
    expect_identical(di[[col]], if (is.integer(js[[col]])) as.double(js[[col]]) else js[[col]],
                     label = col)
  }
})

test_that("the minimum-answered rule and its errors", {
  cb <- impact_codebook(data.frame(item = c("a", "b", "c", "d"), scale = "s", domain = "team",
                                   min = 1, max = 5))
  d <- data.frame(a = c(1, NA, NA), b = c(2, 3, NA), c = c(3, NA, NA), d = c(NA, NA, NA))
  expect_identical(score_scales(d, cb)$s, c(2, NA, NA))
  expect_identical(score_scales(d, cb, min_answered = 1)$s, c(2, 3, NA))
  expect_error(score_scales(d, cb, min_answered = -1), class = "impact_invalid_error")
  expect_error(score_scales(d, cb, id = "nope"), class = "impact_data_error")
})
