# evaluate(): the whole evaluation of the bundled example, the same as the
# CLI's for the same design, seed and replicates; designs built in R.

example_dir <- function() {
  top <- Sys.getenv("IMPACT_TOP_SRCDIR")
  p <- file.path(top, "data", "example")
  if (!nzchar(top) || !dir.exists(p)) skip("IMPACT_TOP_SRCDIR not set (run by make check)")
  p
}

test_that("evaluate returns the three-domain profile and is the CLI's, bit for bit", {
  skip_if_not_installed("jsonlite")
  ex <- example_dir()
  cb <- read_codebook(file.path(ex, "codebook.csv"))
  d <- read_responses(file.path(ex, "responses.csv"), cb)
  des <- read_design(file.path(ex, "design.ini"))
  ev <- evaluate(d, cb, des, replicates = 100)
  expect_s3_class(ev, c("impact_evaluation", "impact_result"))
  expect_identical(ev$domains$domain, c("individual", "team", "organisation"))
  js <- jsonlite::fromJSON(run_cli(c("evaluate", "--codebook", file.path(ex, "codebook.csv"),
                                     "--data", file.path(ex, "responses.csv"), "--design",
                                     file.path(ex, "design.ini"), "--replicates", "100",
                                     "--format", "json")), simplifyVector = FALSE)
  num <- function(x) if (is.null(x)) NA_real_ else x
  expect_identical(ev$domains$impact_index,
                   vapply(js$domains, function(x) num(x$impact_index), 0))
  expect_identical(ev$domains$impact_index_ci_lo,
                   vapply(js$domains, function(x) num(x$impact_index_ci[[1]]), 0))
  expect_identical(ev$overall$impact_index, num(js$overall$impact_index))
  expect_identical(ev$roi$roi_percent, num(js$roi$roi_percent))
  scales <- unlist(lapply(js$domains, function(x) vapply(x$scales, function(s) num(s$g), 0)))
  expect_identical(ev$scales$g, scales)
  expect_true("reliability_alpha" %in% names(ev$scales))
  # every follow-up against the baseline, the wave carried into the domains
  expect_identical(ev$trajectory$wave, vapply(js$trajectory, `[[`, "", "wave"))
  expect_identical(ev$trajectory_domains$impact_index,
                   unlist(lapply(js$trajectory, function(w)
                     vapply(w$domains, function(x) num(x$impact_index), 0))))
  expect_identical(unique(ev$trajectory_domains$wave), ev$trajectory$wave)
})

test_that("a design's seed is used; without one, set.seed() decides", {
  ex <- example_dir()
  cb <- read_codebook(file.path(ex, "codebook.csv"))
  d <- read_responses(file.path(ex, "responses.csv"), cb)
  des <- read_design(file.path(ex, "design.ini"))
  expect_identical(impact:::impact_r_design_get(des$ptr, "bootstrap", "seed"), "1")
  e1 <- evaluate(d, cb, des, replicates = 50)
  e2 <- evaluate(d, cb, des, replicates = 50)
  expect_identical(e1$domains, e2$domains)
  # the same design without its seed
  text <- sub("seed = 1\n", "", as.character(des), fixed = TRUE)
  p <- tempfile(fileext = ".ini"); writeLines(text, p)
  des2 <- read_design(p)
  expect_null(impact:::impact_r_design_get(des2$ptr, "bootstrap", "seed"))
  set.seed(3); a <- evaluate(d, cb, des2, replicates = 50)
  set.seed(3); b <- evaluate(d, cb, des2, replicates = 50)
  expect_identical(a$domains, b$domains)
  expect_identical(a$tree$design$bootstrap$seed, b$tree$design$bootstrap$seed)
  # a seed given here wins over the design's
  e3 <- evaluate(d, cb, des, replicates = 50, seed = 99)
  expect_identical(e3$tree$design$bootstrap$seed, 99)
})

test_that("designs can be built and changed in R", {
  des <- impact_design(list(columns = list(participant = "participant", wave = "wave"),
                            waves = list(labels = c("pre", "post")),
                            bootstrap = list(replicates = 0)))
  expect_s3_class(des, "impact_design")
  expect_match(as.character(des), "labels\\s*=\\s*pre;post")
  des2 <- impact_design(list(bootstrap = list(seed = 5)), base = des)
  expect_identical(impact:::impact_r_design_get(des2$ptr, "bootstrap", "seed"), "5")
  expect_null(impact:::impact_r_design_get(des$ptr, "bootstrap", "seed"))
  expect_output(print(des), "impact_design")
  expect_error(impact_design(list(waves = list(colour = "red"))), class = "impact_invalid_error")
  expect_error(read_design(tempfile()), class = "impact_io_error")
  expect_error(evaluate(data.frame(), read_codebook(bfi_codebook_path()), list()),
               class = "impact_invalid_error")
})

test_that("designs and evaluations are freed by the garbage collector", {
  ex <- example_dir()
  before <- alive()
  for (i in 1:10) {
    des <- read_design(file.path(ex, "design.ini"))
    des2 <- impact_design(list(bootstrap = list(seed = i)), base = des)
  }
  rm(des, des2)
  expect_identical(alive(), before)
})

test_that("simulate_evaluation is the CLI's simulate, and follows set.seed()", {
  sim <- simulate_evaluation(seed = 5, participants = 30, organisations = 4)
  expect_s3_class(sim$codebook, "impact_codebook")
  expect_s3_class(sim$design, "impact_design")
  expect_gt(nrow(sim$responses), 100)
  expect_identical(sim$truth$seed, 5)
  expect_true(all(c("scale", "true_did") %in% names(sim$truth_scales)))
  # the CLI writes the same data for the same seed and sizes
  cli <- impact_cli()
  dir <- tempfile()
  run_cli(c("simulate", "--dir", dir, "--seed", "5", "--participants", "30",
            "--organisations", "4"))
  ref <- read_responses(file.path(dir, "responses.csv"), read_codebook(file.path(dir, "codebook.csv")))
  expect_identical(sim$responses, ref)
  expect_identical(as.data.frame(sim$codebook),
                   as.data.frame(read_codebook(file.path(dir, "codebook.csv"))))
  set.seed(11); a <- simulate_evaluation(participants = 20, organisations = 3)
  set.seed(11); b <- simulate_evaluation(participants = 20, organisations = 3)
  expect_identical(a$responses, b$responses)
  # the copies outlive the simulation
  invisible(gc())
  expect_gt(nrow(evaluate(sim$responses, sim$codebook, sim$design, replicates = 20)$domains), 0)
  expect_error(simulate_evaluation(seed = 1, waves = -1), class = "impact_invalid_error")
})
