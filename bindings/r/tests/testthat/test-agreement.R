# agreement(): rwg(j), AD, awg, ICC(1), ICC(2), compared with multilevel 2.7
# (the functions are called here on the package's own data sets).

test_that("ICC(1), ICC(2) and rwg equal multilevel on bh1996", {
  skip_if_not_installed("multilevel")
  data("bh1996", package = "multilevel", envir = environment())
  cb <- impact_codebook(data.frame(item = "COHES", scale = "cohes", domain = "organisation",
                                   min = 1, max = 5))
  d <- data.frame(GRP = as.character(bh1996$GRP), COHES = bh1996$COHES)
  a <- agreement(d, cb, group = "GRP", min_group = 1)
  s <- a$scales
  # multilevel 2.7: ICC1(aov(COHES ~ as.factor(GRP), bh1996)), ICC2(...)
  fit <- aov(COHES ~ as.factor(GRP), data = bh1996)
  expect_equal(s$icc1, multilevel::ICC1(fit), tolerance = 1e-10)
  expect_equal(s$icc2, multilevel::ICC2(fit), tolerance = 1e-10)
  # rwg(COHES, GRP, ranvar = 2): one item, so rwg(j) = rwg
  rw <- multilevel::rwg(bh1996$COHES, bh1996$GRP, ranvar = 2)
  g <- a$groups
  expect_equal(g$rwg_j[match(as.character(rw$grpid), g$group)], rw$rwg, tolerance = 1e-10)
  expect_identical(g$n[match(as.character(rw$grpid), g$group)], as.double(rw$gsize))
  # awg(COHES, GRP, range = c(1, 5)) and ad.m(COHES, GRP, type = "mean")
  aw <- multilevel::awg(bh1996$COHES, bh1996$GRP, range = c(1, 5))
  expect_equal(g$awg[match(as.character(aw$grpid), g$group)], aw$a.wg, tolerance = 1e-10)
  ad <- multilevel::ad.m(bh1996$COHES, bh1996$GRP, type = "mean")
  expect_equal(g$ad_mean[match(as.character(ad$grpid), g$group)], ad$AD.M, tolerance = 1e-10)
})

test_that("rwg(j) over items equals multilevel::rwg.j on cohesion (nested groups)", {
  skip_if_not_installed("multilevel")
  data("cohesion", package = "multilevel", envir = environment())
  cb <- impact_codebook(data.frame(item = paste0("COH0", 1:5), scale = "cohesion",
                                   domain = "team", min = 1, max = 5))
  a <- agreement(cohesion, cb, group = "PLATOON", within = "UNIT", min_group = 1)
  # multilevel 2.7: rwg.j(cohesion[, 3:7], paste(UNIT, PLATOON), ranvar = 2)
  # (listwise over the items, the 2.7 default)
  ref <- multilevel::rwg.j(cohesion[, 3:7], paste(cohesion$UNIT, cohesion$PLATOON), ranvar = 2)
  g <- a$groups
  key <- paste(g$parent, g$group)
  expect_setequal(key, as.character(ref$grpid))
  expect_equal(g$rwg_j[match(as.character(ref$grpid), key)], ref$rwg.j, tolerance = 1e-10)
  expect_s3_class(a$parents, "data.frame")
})

test_that("small groups are suppressed and listed", {
  skip_if_not_installed("multilevel")
  data("cohesion", package = "multilevel", envir = environment())
  cb <- impact_codebook(data.frame(item = paste0("COH0", 1:5), scale = "cohesion",
                                   domain = "team", min = 1, max = 5))
  a <- agreement(cohesion, cb, group = "PLATOON", within = "UNIT", min_group = 5)
  expect_gt(nrow(a$suppressed), 0)
  expect_false(any(paste(a$groups$parent, a$groups$group) %in%
                   paste(a$suppressed$parent, a$suppressed$group)))
})

test_that("agreement errors", {
  cb <- read_codebook(bfi_codebook_path())
  d <- read.csv(bfi_path())
  expect_error(agreement(d, cb, group = "nope"), class = "impact_data_error")
  expect_error(agreement(d, cb, group = "gender", min_group = -1), class = "impact_invalid_error")
})

test_that("agreement is the CLI's, bit for bit", {
  skip_if_not_installed("jsonlite")
  top <- Sys.getenv("IMPACT_TOP_SRCDIR")
  if (!nzchar(top)) skip("IMPACT_TOP_SRCDIR not set (run by make check)")
  cbp <- file.path(top, "tests", "data", "agreement-cohesion-codebook.csv")
  dp <- file.path(top, "tests", "data", "agreement-cohesion.csv")
  js <- jsonlite::fromJSON(run_cli(c("agreement", "--codebook", cbp, "--data", dp,
                                     "--group", "PLATOON", "--within", "UNIT", "--min-group", "1",
                                     "--format", "json")),
                           simplifyVector = FALSE)
  cb <- read_codebook(cbp)
  a <- agreement(read_responses(dp, cb), cb, group = "PLATOON", within = "UNIT", min_group = 1)
  expect_gt(nrow(a$groups), 2)
  num <- function(x) if (is.null(x)) NA_real_ else x
  expect_identical(a$scales$icc1, num(js$scales[[1]]$icc1))
  expect_identical(a$groups$rwg_j, vapply(js$scales[[1]]$groups, function(g) num(g$rwg_j), 0))
})
