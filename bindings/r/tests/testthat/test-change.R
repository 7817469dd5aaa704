# change(): paired effects compared with t.test and effectsize 0.8.3 on R's
# sleep data; the bootstrap follows set.seed(); the CLI gives the same numbers.

sleep_long <- function() {
  data.frame(id = paste0("p", sleep$ID), wave = ifelse(sleep$group == 1, "pre", "post"),
             extra = sleep$extra)
}
sleep_codebook <- function() {
  impact_codebook(data.frame(item = "extra", scale = "sleep", domain = "individual",
                             min = -10, max = 10))
}

test_that("paired change equals t.test on sleep", {
  ch <- change(sleep_long(), sleep_codebook(), unit = "id", wave = "wave", pre = "pre")
  a <- ch$arms
  expect_s3_class(ch, c("impact_change", "impact_result"))
  tt <- t.test(sleep$extra[sleep$group == 2], sleep$extra[sleep$group == 1], paired = TRUE)
  expect_equal(a$mean_change, unname(tt$estimate), tolerance = 1e-12)
  expect_equal(a$t, unname(tt$statistic), tolerance = 1e-12)
  expect_equal(a$df, unname(tt$parameter))
  expect_equal(a$p, tt$p.value, tolerance = 1e-10)
  expect_equal(c(a$mean_change_ci_lo, a$mean_change_ci_hi), as.vector(tt$conf.int),
               tolerance = 1e-12)
  expect_identical(a$n_pairs, 10)
})

test_that("d_z and g_z equal effectsize::cohens_d / hedges_g (paired)", {
  skip_if_not_installed("effectsize")
  a <- change(sleep_long(), sleep_codebook(), unit = "id", wave = "wave", pre = "pre")$arms
  x <- sleep$extra[sleep$group == 2]
  y <- sleep$extra[sleep$group == 1]
  # effectsize 0.8.3: noncentral-t interval found by optimisation (abstol
  # 1e-9 in effectsize): agreement to ~1e-7, not to the last digit
  d <- effectsize::cohens_d(x, y, paired = TRUE)
  expect_equal(a$d_z, d$Cohens_d, tolerance = 1e-10)
  expect_equal(c(a$d_z_ci_lo, a$d_z_ci_hi), c(d$CI_low, d$CI_high), tolerance = 1e-7)
  g <- effectsize::hedges_g(x, y, paired = TRUE)
  expect_equal(a$g_z, g$Hedges_g, tolerance = 1e-10)
  expect_equal(c(a$g_z_ci_lo, a$g_z_ci_hi), c(g$CI_low, g$CI_high), tolerance = 1e-7)
})

test_that("the bootstrap follows set.seed() when no seed is given", {
  d <- sleep_long()
  set.seed(42)
  c1 <- change(d, sleep_codebook(), unit = "id", wave = "wave", pre = "pre", bootstrap = 200)
  set.seed(42)
  c2 <- change(d, sleep_codebook(), unit = "id", wave = "wave", pre = "pre", bootstrap = 200)
  c3 <- change(d, sleep_codebook(), unit = "id", wave = "wave", pre = "pre", bootstrap = 200)
  expect_identical(c1$bootstrap, c2$bootstrap)
  expect_false(identical(c1$bootstrap$se, c3$bootstrap$se))
  expect_identical(c1$tree$bootstrap$seed, c2$tree$bootstrap$seed)
  # an explicit seed is used as given, and threads do not change the result
  s1 <- change(d, sleep_codebook(), unit = "id", wave = "wave", pre = "pre", bootstrap = 200,
               seed = 7, threads = 1)
  s2 <- change(d, sleep_codebook(), unit = "id", wave = "wave", pre = "pre", bootstrap = 200,
               seed = 7, threads = 2)
  expect_identical(s1$bootstrap, s2$bootstrap)
  expect_identical(s1$tree$bootstrap$seed, 7)
})

test_that("change errors", {
  d <- sleep_long()
  cb <- sleep_codebook()
  expect_error(change(d, cb, unit = "id", wave = "wave", pre = "baseline"),
               class = "impact_error")
  expect_error(change(d, cb, unit = "id", wave = "wave", pre = "pre", bootstrap = -1),
               class = "impact_invalid_error")
  expect_error(change(d, cb, unit = "nope", wave = "wave", pre = "pre"),
               class = "impact_data_error")
})

test_that("change is the CLI's, bit for bit", {
  skip_if_not_installed("jsonlite")
  top <- Sys.getenv("IMPACT_TOP_SRCDIR")
  if (!nzchar(top)) skip("IMPACT_TOP_SRCDIR not set (run by make check)")
  cbp <- file.path(top, "tests", "data", "change-anorexia-codebook.csv")
  dp <- file.path(top, "tests", "data", "change-anorexia.csv")
  hdr <- names(read.csv(dp, nrows = 1))
  skip_if_not(all(c("id", "wave", "arm") %in% hdr), "anorexia fixture has other columns")
  arms <- unique(read.csv(dp)$arm)
  js <- jsonlite::fromJSON(run_cli(c("change", "--codebook", cbp, "--data", dp, "--unit", "id",
                                     "--wave", "wave", "--pre", "pre", "--arm", "arm",
                                     "--control", arms[[1]], "--format", "json")),
                           simplifyVector = FALSE)
  cb <- read_codebook(cbp)
  ch <- change(read_responses(dp, cb), cb, unit = "id", wave = "wave", pre = "pre",
               arm = "arm", control = arms[[1]])
  num <- function(x) if (is.null(x)) NA_real_ else x
  expect_identical(ch$arms$d_rm, vapply(js$scales[[1]]$arms, function(a) num(a$d_rm), 0))
  expect_identical(ch$controlled$d_ppc2,
                   vapply(js$scales[[1]]$controlled, function(a) num(a$d_ppc2), 0))
})
