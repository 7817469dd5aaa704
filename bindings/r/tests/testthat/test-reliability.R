# reliability(): the C library's alpha, omega and item analysis, compared
# with psych 2.2.9 (alpha(), omega()) and the CLI on the same data.

keyed_scale <- function(d, cb, scale) {
  cbd <- as.data.frame(cb)
  cbd <- cbd[cbd$scale == scale, ]
  x <- d[cbd$item]
  for (j in which(cbd$reverse)) x[[j]] <- cbd$min[j] + cbd$max[j] - x[[j]]
  x
}

test_that("reliability returns a classed list of data.frames", {
  cb <- read_codebook(bfi_codebook_path())
  r <- reliability(read.csv(bfi_path()), cb)
  expect_s3_class(r, c("impact_reliability", "impact_result"))
  expect_s3_class(r$scales, "data.frame")
  expect_identical(r$scales$scale, unique(as.data.frame(cb)$scale))
  expect_identical(r$items$item, as.data.frame(cb)$item)
  expect_identical(r$items$scale, as.data.frame(cb)$scale)   # carried down
  expect_true(all(c("alpha", "alpha_ci_lo", "alpha_ci_hi", "omega_total") %in% names(r$scales)))
  expect_identical(as.data.frame(r), r$scales)
  expect_identical(as.data.frame(r, which = "items"), r$items)
  expect_output(print(r), "impact_reliability")
  expect_output(print(summary(r)), "agreeableness")
  expect_identical(r$info$missing, "pairwise")
})

test_that("alpha and the item analysis equal psych::alpha", {
  skip_if_not_installed("psych")
  cb <- read_codebook(bfi_codebook_path())
  d <- read.csv(bfi_path())
  r <- reliability(d, cb)
  for (sc in r$scales$scale) {
    x <- keyed_scale(d, cb, sc)
    # psych 2.2.9: alpha(x) on the keyed items (observed extremes 1 and 6 are
    # the codebook range, so psych's reversal would give the same values)
    pa <- suppressWarnings(psych::alpha(x))
    s <- r$scales[r$scales$scale == sc, ]
    expect_equal(s$alpha, pa$total$raw_alpha, tolerance = 1e-10)
    expect_equal(s$alpha_std, pa$total$std.alpha, tolerance = 1e-10)
    expect_equal(s$g6_smc, pa$total[["G6(smc)"]], tolerance = 1e-10)
    expect_equal(s$average_r, pa$total$average_r, tolerance = 1e-10)
    expect_equal(s$signal_noise, pa$total[["S/N"]], tolerance = 1e-10)
    expect_equal(s$ase, pa$total$ase, tolerance = 1e-10)
    expect_equal(s$mean, pa$total$mean, tolerance = 1e-10)
    expect_equal(s$sd, pa$total$sd, tolerance = 1e-10)
    expect_equal(s$median_r, pa$total$median_r, tolerance = 1e-10)
    it <- r$items[r$items$scale == sc, ]
    expect_equal(it$raw_r, unname(pa$item.stats$raw.r), tolerance = 1e-10)
    expect_equal(it$std_r, unname(pa$item.stats$std.r), tolerance = 1e-10)
    expect_equal(it$r_cor, unname(pa$item.stats$r.cor), tolerance = 1e-10)
    expect_equal(it$r_drop, unname(pa$item.stats$r.drop), tolerance = 1e-10)
    expect_equal(it$alpha_if_dropped, unname(pa$alpha.drop$raw_alpha), tolerance = 1e-10)
    # Feldt interval, psych::alpha.ci(alpha, n.obs, n.var) (df2 = (n-1)(k-1), 2.2.9)
    ci <- psych::alpha.ci(pa$total$raw_alpha, nrow(x), ncol(x), digits = 20)
    expect_equal(c(s$alpha_ci_lo, s$alpha_ci_hi), unname(unlist(ci[c("lower.ci", "upper.ci")])),
                 tolerance = 1e-10)
  }
})

test_that("omega total equals psych::omega(x, nfactors = 1)", {
  skip_if_not_installed("psych")
  skip_if_not_installed("GPArotation")
  cb <- read_codebook(bfi_codebook_path())
  d <- read.csv(bfi_path())
  r <- reliability(d, cb)
  for (sc in r$scales$scale) {
    om <- suppressMessages(suppressWarnings(
      psych::omega(keyed_scale(d, cb, sc), nfactors = 1, plot = FALSE)))
    # minres is an iterative fit (optim in psych, its own in C): agreement to
    # the optimisers' convergence, not to the last digit
    expect_equal(r$scales$omega_total[r$scales$scale == sc], om$omega.tot, tolerance = 1e-6)
  }
})

test_that("listwise deletion equals psych::alpha on complete cases", {
  skip_if_not_installed("psych")
  cb <- read_codebook(bfi_codebook_path())
  d <- read.csv(bfi_path())
  r <- reliability(d, cb, missing = "listwise", omega = FALSE)
  expect_true(all(is.na(r$scales$omega_total)) || is.null(r$scales$omega_total))
  x <- na.omit(keyed_scale(d, cb, "neuroticism"))
  pa <- psych::alpha(x)
  expect_equal(r$scales$alpha[r$scales$scale == "neuroticism"], pa$total$raw_alpha,
               tolerance = 1e-10)
})

test_that("reliability is the CLI's, bit for bit", {
  skip_if_not_installed("jsonlite")
  path <- full_bfi_path()
  cbp <- file.path(Sys.getenv("IMPACT_TOP_SRCDIR"), "tests", "data", "bfi-codebook.csv")
  js <- jsonlite::fromJSON(run_cli(c("reliability", "--codebook", cbp, "--data", path,
                                     "--format", "json")))
  r <- reliability(read.csv(path), read_codebook(cbp))
  for (col in c("alpha", "alpha_std", "omega_total", "g6_smc", "ase", "mean", "sd")) {
    expect_identical(r$scales[[col]], js$scales[[col]], label = col)
  }
  expect_identical(r$scales$alpha_ci_lo, vapply(js$scales$alpha_ci, `[[`, numeric(1), 1))
  expect_identical(r$items$r_drop, unlist(lapply(js$scales$items, `[[`, "r_drop")))
})

test_that("bad options are impact_invalid_error conditions", {
  cb <- read_codebook(bfi_codebook_path())
  d <- read.csv(bfi_path())
  expect_error(reliability(d, cb, ci_level = 1.5), class = "impact_invalid_error")
  d$A3 <- NULL
  expect_error(reliability(d, cb), "A3", class = "impact_data_error")
})
