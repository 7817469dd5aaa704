# bench.R — the R stack analysts use for the same statistics, timed per stage:
# data.table::fread; psych::scoreItems (impute = "none"); psych::alpha per
# scale (with its item analysis); multilevel::rwg.j per scale (ranvar = 2,
# A = 5) and ICC1/ICC2 of the scale scores by team (multilevel::ICC1/ICC2 on
# aov() where the model matrix fits in memory, else lme4::lmer REML:
# ICC1 = tau/(tau + sigma^2), ICC2 = kbar ICC1/(1 + (kbar - 1) ICC1), as
# multilevel::mult.icc); the paired pre/post change with t.test and
# d_z = mean(diff)/sd(diff).
#
# Usage: Rscript bench.R CODEBOOK RESPONSES
# Prints one JSON line (seconds per stage, key results). Single-threaded.
suppressPackageStartupMessages({
  library(data.table)
  library(psych)
  library(multilevel)
  library(lme4)
})
args <- commandArgs(trailingOnly = TRUE)
setDTthreads(1)
tm <- list()
res <- list()
el <- function(expr) unname(system.time(expr)["elapsed"])

cb <- read.csv(args[1])
tm$read <- el(df <- as.data.frame(fread(args[2], na.strings = c("", "NA"))))
scales <- unique(cb$scale)
items <- lapply(setNames(scales, scales), function(s) cb$item[cb$scale == s])

tm$score <- el({
  keys <- lapply(scales, function(s) {
    r <- cb[cb$scale == s, ]
    ifelse(r$reverse == 1, paste0("-", r$item), r$item)
  })
  names(keys) <- scales
  km <- make.keys(cb$item, keys)
  sc <- scoreItems(km, df[, cb$item], impute = "none", min = 1, max = 5)
  scores <- as.data.frame(sc$scores)
})

tm$reliability <- el({
  for (s in scales) {
    r <- cb[cb$scale == s, ]
    a <- psych::alpha(df[, r$item], keys = r$item[r$reverse == 1], warnings = FALSE)
    res[[paste0("alpha_", s)]] <- a$total$raw_alpha
    res[[paste0("r_drop_min_", s)]] <- min(a$item.stats$r.drop)
  }
})

# rwg(j) and the ICCs are timed apart: aov() with 5,000 teams builds an
# n x 5000 model matrix and a QR of it (7.5 minutes at 10,000 rows on the
# bench machine), so the ICCs come from lme4 unless BENCH_R_AOV=1.
use_aov <- nzchar(Sys.getenv("BENCH_R_AOV"))
tm$rwg <- el({
  for (s in scales) {
    rw <- rwg.j(df[, items[[s]]], grpid = df$team, ranvar = 2)
    res[[paste0("rwg_j_mean_", s)]] <- mean(rw$rwg.j, na.rm = TRUE)
  }
})
tm$icc <- el({
  for (s in scales) {
    y <- scores[[s]]
    ok <- !is.na(y)
    if (use_aov) {
      m <- aov(y ~ as.factor(team), data = data.frame(y = y, team = df$team))
      res[[paste0("icc1_", s)]] <- ICC1(m)
      res[[paste0("icc2_", s)]] <- ICC2(m)
      res$icc_method <- "aov"
    } else {
      d <- data.frame(y = y[ok], team = df$team[ok])
      m <- lmer(y ~ 1 + (1 | team), data = d, REML = TRUE)
      vc <- as.data.frame(VarCorr(m))
      tau <- vc$vcov[1]; s2 <- vc$vcov[2]
      icc1 <- tau / (tau + s2)
      kbar <- mean(table(df$team))
      res[[paste0("icc1_", s)]] <- icc1
      res[[paste0("icc2_", s)]] <- kbar * icc1 / (1 + (kbar - 1) * icc1)
      res$icc_method <- "lme4"
    }
  }
})
tm$agreement <- tm$rwg + tm$icc

tm$change <- el({
  w <- data.frame(id = df$id, wave = df$wave, scores)
  pre <- w[w$wave == "pre", ]
  post <- w[w$wave == "post", ]
  m <- merge(pre, post, by = "id", suffixes = c(".pre", ".post"))
  for (s in scales) {
    d <- m[[paste0(s, ".post")]] - m[[paste0(s, ".pre")]]
    d <- d[!is.na(d)]
    tt <- t.test(d)
    res[[paste0("d_z_", s)]] <- mean(d) / sd(d)
    res[[paste0("t_", s)]] <- unname(tt$statistic)
  }
})
tm$pipeline <- tm$read + tm$score + tm$reliability + tm$agreement + tm$change

num <- function(x) if (is.numeric(x)) formatC(x, digits = 15, format = "g") else paste0('"', x, '"')
js <- function(l) paste0("{", paste0('"', names(l), '": ', sapply(l, num), collapse = ", "), "}")
cat(sprintf('{"tool": "R", "rows": %d, "seconds": %s, "results": %s}\n',
            nrow(df), js(tm), js(res)))
