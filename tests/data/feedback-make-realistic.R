# feedback-make-realistic.R — a realistic, seeded 360° data set for
# tests/test-feedback.c, and its reference values (R 4.2.2, psych 2.2.9).
# Run from the source tree's top:  Rscript tests/data/feedback-make-realistic.R
# Writes tests/data/feedback-hlm-codebook.csv, feedback-realistic.csv and
# feedback-realistic-reference.csv.
#
# The nine dimensions of the NHS Healthcare Leadership Model, two behaviour
# items each on a four-step scale (1 essential .. 4 exemplary) and one
# importance item ("_imp", 1..4). 40 leaders, two waves (pre, post), rater
# labels self / lm (line manager) / peer / dr (direct report) / other with
# unequal counts; missing forms (raters who do not return after the
# programme, whole roles missing), blank forms and missing items.
set.seed(20261122)
library(psych)
dims <- c("leading_with_care", "sharing_the_vision", "engaging_the_team",
          "influencing_for_results", "evaluating_information", "inspiring_shared_purpose",
          "connecting_our_service", "developing_capability", "holding_to_account")
short <- c("lwc", "stv", "ett", "ifr", "evi", "isp", "cos", "dev", "hta")
cb <- do.call(rbind, lapply(seq_along(dims), function(j) data.frame(
  item = c(paste0(short[j], 1:2), paste0(short[j], "_imp")), scale = dims[j],
  domain = "individual", min = 1, max = 4, reverse = 0, weight = 1)))
write.csv(cb, "tests/data/feedback-hlm-codebook.csv", row.names = FALSE, quote = FALSE)

n_leaders <- 40
answer <- function(mu) pmin(4, pmax(1, round(mu + rnorm(length(mu), 0, 0.7))))
rows <- list()
for (p in 1:n_leaders) {
  true <- rnorm(9, 2.6, 0.45)               # the leader's behaviour per dimension
  bias <- rnorm(1, 0.25, 0.4)               # self-rating bias (over-raters on average)
  imp <- pmin(4, pmax(1, round(rnorm(9, 3, 0.6))))
  n_role <- c(lm = rbinom(1, 1, 0.9), peer = sample(1:7, 1), dr = sample(0:8, 1),
              other = sample(0:3, 1))
  raters <- unlist(mapply(function(r, k) rep(r, k), names(n_role), n_role))
  for (w in c("pre", "post")) {
    growth <- if (w == "post") 0.3 else 0
    keep <- if (w == "post") runif(length(raters)) > 0.25 else rep(TRUE, length(raters))
    labels <- c("self", sample(raters[keep]))
    for (lab in labels) {
      shift <- if (lab == "self") bias else if (lab == "lm") -0.1 else 0
      x <- numeric(0)
      for (j in 1:9) {
        x <- c(x, answer(rep(true[j] + growth + shift, 2)),
               pmin(4, pmax(1, imp[j] + sample(-1:1, 1, prob = c(.2, .6, .2)))))
      }
      x[runif(length(x)) < 0.08] <- NA       # skipped items
      if (lab != "self" && runif(1) < 0.04) x[] <- NA  # blank returned form
      rows[[length(rows) + 1]] <- c(list(leader = sprintf("L%02d", p), wave = w, rater = lab),
                                    setNames(as.list(x), cb$item))
    }
  }
}
d <- do.call(rbind.data.frame, rows)
for (i in cb$item) d[[i]] <- as.numeric(d[[i]])
write.csv(d, "tests/data/feedback-realistic.csv", row.names = FALSE, na = "")

# Reference: policy merge, k = 3, line manager exempt. A form's dimension
# score is the mean of its answered behaviour items (>= 1 of 2); others of a
# leader-wave = every non-self form with a score, shown when >= 3 of them are
# not the line manager's. Cohort per wave and dimension: mean and sd of the
# shown gaps (self - others). Rater ICC: leaders with others shown (>= 2
# forms) x their first m others' scores in file order, psych::ICC(lmer = FALSE).
d <- read.csv("tests/data/feedback-realistic.csv")
ref <- NULL
for (w in c("pre", "post")) for (j in seq_along(dims)) {
  s <- rowMeans(d[, paste0(short[j], 1:2)], na.rm = TRUE)
  s[is.nan(s)] <- NA
  gaps <- c(); othm <- list()
  for (p in unique(d$leader)) {
    sel <- d$leader == p & d$wave == w
    self <- s[sel & d$rater == "self"]
    o <- sel & d$rater != "self" & !is.na(s)
    if (sum(o & d$rater != "lm") >= 3) {
      othm[[p]] <- s[o]
      if (!is.na(self)) gaps <- c(gaps, self - mean(s[o]))
    }
  }
  m <- min(sapply(othm, length))
  icc <- ICC(t(sapply(othm, function(v) v[1:m])), lmer = FALSE)$results
  ref <- rbind(ref, data.frame(wave = w, scale = dims[j], n = length(gaps),
                               mean_gap = mean(gaps), sd_gap = sd(gaps),
                               n_targets = length(othm), n_raters = m,
                               icc1 = icc$ICC[1], icc1k = icc$ICC[4], icc1_lower = icc[1, 7]))
}
write.csv(format(ref, digits = 17), "tests/data/feedback-realistic-reference.csv",
          row.names = FALSE, quote = FALSE)
print(ref)
cat("forms:", nrow(d), "\n"); print(table(d$wave, d$rater))
