# feedback(): 360 feedback of the bundled example's 360 forms, the same as
# the CLI's; self scores are the self form's scale scores.

feedback_data <- function() {
  top <- Sys.getenv("IMPACT_TOP_SRCDIR")
  ex <- file.path(top, "data", "example")
  if (!nzchar(top) || !dir.exists(ex)) skip("IMPACT_TOP_SRCDIR not set (run by make check)")
  cb <- read_codebook(file.path(ex, "codebook.csv"))
  d <- read_responses(file.path(ex, "responses.csv"), cb)
  list(cb = cb, d = d[d$form == "360", ], dir = ex)
}
fb_roles <- c(manager = "line manager", peer = "peers", report = "direct reports")

test_that("feedback returns cohort, scales, roles, ICC and suppression tables", {
  x <- feedback_data()
  f <- feedback(x$d, x$cb, participant = "participant", rater = "rater", wave = "wave",
                roles = fb_roles, exempt = "line manager")
  expect_s3_class(f, c("impact_feedback", "impact_result"))
  for (t in c("cohort", "scales", "roles", "participants", "icc")) {
    expect_gt(nrow(f[[t]]), 0)
  }
  expect_true(all(c("participant", "wave", "scale", "self", "others", "gap") %in% names(f$scales)))
  expect_equal(f$scales$gap, f$scales$self - f$scales$others, tolerance = 1e-12)
  # self = the self form's scale score (mean of its answered items, >= half)
  s <- f$scales[1, ]
  form <- x$d[x$d$participant == s$participant & x$d$wave == s$wave & x$d$rater == "self", ]
  expect_equal(s$self, score_scales(form, x$cb)[[s$scale]], tolerance = 1e-12)
})

test_that("feedback is the CLI's, bit for bit", {
  skip_if_not_installed("jsonlite")
  x <- feedback_data()
  p <- tempfile(fileext = ".csv")
  write.csv(x$d, p, row.names = FALSE, na = "")
  js <- jsonlite::fromJSON(run_cli(c("feedback", "--codebook", file.path(x$dir, "codebook.csv"),
                                     "--data", p, "--participant", "participant", "--rater",
                                     "rater", "--wave", "wave", "--role-map",
                                     "manager=line manager,peer=peers,report=direct reports",
                                     "--exempt", "line manager", "--format", "json")),
                           simplifyVector = FALSE)
  f <- feedback(read_responses(p, x$cb), x$cb, participant = "participant", rater = "rater",
                wave = "wave", roles = fb_roles, exempt = "line manager")
  num <- function(v) if (is.null(v)) NA_real_ else v
  expect_identical(f$cohort$mean_gap, vapply(js$cohort, function(r) num(r$mean_gap), 0))
  others <- unlist(lapply(js$participants, function(pp) vapply(pp$scales, function(s) num(s$others), 0)))
  expect_identical(f$scales$others, others)
  expect_identical(nrow(f$suppressed), length(js$suppressed))
})

test_that("feedback errors", {
  x <- feedback_data()
  expect_error(feedback(x$d, x$cb, participant = "nope", rater = "rater"),
               class = "impact_data_error")
  expect_error(feedback(x$d, x$cb, participant = "participant", rater = "rater",
                        roles = c("line manager")), class = "impact_invalid_error")
  expect_error(feedback(x$d, x$cb, participant = "participant", rater = "rater", wave = "wave",
                        min_raters = -2), class = "impact_invalid_error")
})
