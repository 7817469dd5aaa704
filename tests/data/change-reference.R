# change-reference.R — reference values for tests/test-change.c, computed
# from the change-* fixtures as read back from CSV (R 4.2.2, effectsize 0.8.3):
#   Rscript change-reference.R     (run in tests/data)
suppressMessages(library(effectsize))
p <- function(label, x) cat(sprintf("%-44s %s\n", label, paste(format(x, digits = 17), collapse = " ")))
ncp_ci <- function(t, df, level = 0.95) {
  a <- 1 - level
  f <- function(target) uniroot(function(ncp) pt(t, df, ncp) - target,
                                c(t - 10, t + 10), tol = 1e-15)$root
  c(f(1 - a / 2), f(a / 2))
}
J <- function(df) exp(lgamma(df / 2) - log(sqrt(df / 2)) - lgamma((df - 1) / 2))
paired <- function(label, pre, post, rxx = NA) {
  n <- length(pre); tt <- t.test(post, pre, paired = TRUE)
  m <- mean(post - pre); sD <- sd(post - pre); r <- cor(pre, post)
  p(paste(label, "n, mean_pre, mean_post"), c(n, mean(pre), mean(post)))
  p(paste(label, "sd_pre, sd_post, sd_change, r"), c(sd(pre), sd(post), sD, r))
  p(paste(label, "t, df, p"), c(unname(tt$statistic), unname(tt$parameter), tt$p.value))
  p(paste(label, "change CI"), tt$conf.int)
  cd <- cohens_d(post, pre, paired = TRUE)
  p(paste(label, "cohens_d(paired) d, CI"), c(cd$Cohens_d, cd$CI_low, cd$CI_high))
  p(paste(label, "d_z exact ncp CI"), ncp_ci(unname(tt$statistic), n - 1) / sqrt(n))
  s_av <- sqrt((var(pre) + var(post)) / 2)
  p(paste(label, "d_rm, d_av, d_b, g_av"),
    c(m / (sD / sqrt(2 * (1 - r))), m / s_av, m / sd(pre), J(n - 1) * m / s_av))
  if (!is.na(rxx)) {
    rci <- (post - pre) / (sqrt(2) * sd(pre) * sqrt(1 - rxx))
    p(paste(label, "RCI S_diff, improved/unch/det"),
      c(sqrt(2) * sd(pre) * sqrt(1 - rxx), sum(rci > 1.96), sum(abs(rci) <= 1.96), sum(rci < -1.96)))
  }
}

## sleep
s <- read.csv("change-sleep.csv")
pre <- s$extra[s$wave == "pre"]; post <- s$extra[s$wave == "post"]
stopifnot(identical(s$id[s$wave == "pre"], s$id[s$wave == "post"]))
paired("sleep", pre, post, rxx = 0.8)

## anorexia: per arm, then each arm against Cont
a <- read.csv("change-anorexia.csv")
w <- reshape(a, idvar = c("id", "arm"), timevar = "wave", direction = "wide")
for (arm in c("Cont", "FT", "CBT")) {
  x <- w[w$arm == arm, ]
  paired(paste("anorexia", arm), x$weight.pre, x$weight.post, rxx = 0.9)
}
C <- w[w$arm == "Cont", ]
for (arm in c("FT", "CBT")) {
  T <- w[w$arm == arm, ]
  cT <- T$weight.post - T$weight.pre; cC <- C$weight.post - C$weight.pre
  wt <- t.test(cT, cC)
  p(paste("anorexia", arm, "DiD, CI, df"), c(mean(cT) - mean(cC), wt$conf.int, unname(wt$parameter)))
  nT <- nrow(T); nC <- nrow(C); cp <- 1 - 3 / (4 * (nT + nC - 2) - 1)
  sdp <- sqrt(((nT - 1) * var(T$weight.pre) + (nC - 1) * var(C$weight.pre)) / (nT + nC - 2))
  d <- cp * (mean(cT) - mean(cC)) / sdp
  rho <- cor(c(T$weight.pre, C$weight.pre), c(T$weight.post, C$weight.post))
  v <- 2 * cp^2 * (1 - rho) * ((nT + nC) / (nT * nC)) * ((nT + nC - 2) / (nT + nC - 4)) *
       (1 + d^2 / (2 * (1 - rho) * (nT + nC) / (nT * nC))) - d^2
  p(paste("anorexia", arm, "d_ppc2, rho, CI"), c(d, rho, d + c(-1, 1) * qnorm(0.975) * sqrt(v)))
  p(paste("anorexia", arm, "d_ppc2 with exact J"), J(nT + nC - 2) * d / cp)
  di <- cohens_d(T$weight.post, C$weight.post)
  tpost <- t.test(T$weight.post, C$weight.post, var.equal = TRUE)$statistic
  p(paste("anorexia", arm, "d_post, exact CI, g_post"),
    c(di$Cohens_d, ncp_ci(unname(tpost), nT + nC - 2) * sqrt(1/nT + 1/nC), J(nT + nC - 2) * di$Cohens_d))
}

## univbct: soldiers (unit = subnum), times 0 → 1 and 0 → 2
u <- read.csv("change-univbct.csv")
for (post_t in 1:2) {
  a0 <- u[u$time == 0 & !is.na(u$jsat), c("subnum", "jsat")]
  a1 <- u[u$time == post_t & !is.na(u$jsat), c("subnum", "jsat")]
  m <- merge(a0, a1, by = "subnum", suffixes = c(".pre", ".post"))
  p(paste0("univbct jsat 0-", post_t, " pre_only, post_only"),
    c(sum(!a0$subnum %in% a1$subnum), sum(!a1$subnum %in% a0$subnum)))
  paired(paste0("univbct jsat 0-", post_t), m$jsat.pre, m$jsat.post, rxx = 0.7)
}
## teams (unit = team): a team's wave score is the mean of its members' scores
tm <- aggregate(jsat ~ team + time, data = u, FUN = mean)   # na.action = na.omit
t0 <- tm[tm$time == 0, ]; t1 <- tm[tm$time == 1, ]
m <- merge(t0, t1, by = "team", suffixes = c(".pre", ".post"))
p("univbct teams jsat 0-1 n teams", nrow(m))
paired("univbct teams jsat 0-1", m$jsat.pre, m$jsat.post)

## bfi (change-bfi.csv): agreeableness, r_xx = raw alpha on the baseline rows
## (psych 2.2.9 alpha, items keyed with the codebook range: A1 -> 7 - A1)
suppressMessages(library(psych))
b <- read.csv("change-bfi.csv")
items <- paste0("A", 1:5)
x <- b[, items]; x$A1 <- 7 - x$A1
a <- psych::alpha(x[b$wave == "pre", ], warnings = FALSE)$total$raw_alpha
p("bfi agreeableness raw alpha at baseline", a)
answered <- rowSums(!is.na(x)); score <- ifelse(answered >= 3, rowMeans(x, na.rm = TRUE), NA)
pre <- score[b$wave == "pre"]; post <- score[b$wave == "post"]
ok <- !is.na(pre) & !is.na(post)
paired("bfi agreeableness", pre[ok], post[ok], rxx = a)
