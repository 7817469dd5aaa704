# agreement-multilevel.R — multilevel 2.7's time for the statistics of
# bench-agreement.c on the same kind of synthetic survey (4 scales of 10
# items on 1..5, 2% missing, team effects), at a size R can handle.
#
#   Rscript bench/agreement-multilevel.R [respondents] [teams]
#
# aov(y ~ as.factor(team)) builds an n x G design matrix: at 200k x 5,000
# it needs ~8 GB per copy (killed at 16 GB on the reference machine), so the
# default size is 20,000 respondents in 500 teams.
suppressMessages(library(multilevel))
args <- commandArgs(TRUE)
n <- if (length(args) >= 1) as.integer(args[1]) else 20000L
teams <- if (length(args) >= 2) as.integer(args[2]) else 500L
set.seed(42)
team <- sprintf("T%05d", sample.int(teams, n, replace = TRUE) - 1L)
eff <- matrix(runif(teams * 4, -0.6, 0.6), teams)
tix <- as.integer(substring(team, 2)) + 1L
scales <- lapply(1:4, function(s) {
  x <- sapply(1:10, function(j) {
    v <- pmin(pmax(round(3 + eff[tix, s] + runif(n, -1.5, 1.5)), 1), 5)
    v[sample.int(n, n %/% 50)] <- NA
    v
  })
  x[, 4] <- 6 - x[, 4] # item 4 reverse keyed, as in the C benchmark
  x
})
t0 <- proc.time()[["elapsed"]]
for (x in scales) {
  ok <- complete.cases(x)
  xs <- x[ok, ]; g <- team[ok]
  xs[, 4] <- 6 - xs[, 4]
  rwg.j(xs, g, ranvar = 2)
  ad.m(xs, g, type = "mean")
  ad.m(xs, g, type = "median")
  awg(xs, g, range = c(1, 5))
  y <- rowMeans(xs)
  a <- aov(y ~ as.factor(g))
  ICC1(a); ICC2(a)
}
el <- proc.time()[["elapsed"]] - t0
cat(sprintf("multilevel %s: %d respondents x 40 items (4 scales) in %d teams: %.2f s elapsed\n",
            packageVersion("multilevel"), n, teams, el))
