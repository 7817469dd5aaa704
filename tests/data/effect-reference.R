# effect-reference.R — reference values for tests/test-effect.c and
# tests/test-change.c. Run with R 4.2.2, effectsize 0.8.3, MASS 7.3-58.2
# (Debian 12): Rscript tests/data/effect-reference.R
# Every number in the tests that comes from R is printed here by the call
# named beside it.
suppressMessages(library(effectsize))
options(digits = 17)
cat("effectsize", format(packageVersion("effectsize")), "MASS", format(packageVersion("MASS")), R.version.string, "\n")
p <- function(label, x) cat(sprintf("%-40s %s\n", label, paste(format(x, digits = 17), collapse = " ")))

## exact noncentral-t limits: uniroot on R's pt() to tolerance 1e-15
ncp_ci <- function(t, df, level = 0.95) {
  a <- 1 - level
  f <- function(target) uniroot(function(ncp) pt(t, df, ncp) - target,
                                c(t - 10, t + 10), tol = 1e-15)$root
  c(f(1 - a / 2), f(a / 2))
}
J <- function(df) exp(lgamma(df / 2) - log(sqrt(df / 2)) - lgamma((df - 1) / 2))

## ---- R's sleep: pre = group 1, post = group 2, paired by ID -------------
pre <- sleep$extra[sleep$group == 1]; post <- sleep$extra[sleep$group == 2]
n <- length(pre)
tt <- t.test(post, pre, paired = TRUE)
p("sleep t", unname(tt$statistic)); p("sleep df", unname(tt$parameter)); p("sleep p", tt$p.value)
p("sleep change CI", tt$conf.int)
p("sleep r", cor(pre, post)); p("sleep sd change", sd(post - pre))
cd <- cohens_d(post, pre, paired = TRUE)
p("sleep cohens_d(paired) d, CI", c(cd$Cohens_d, cd$CI_low, cd$CI_high))
hg <- hedges_g(post, pre, paired = TRUE)
p("sleep hedges_g(paired) g, CI", c(hg$Hedges_g, hg$CI_low, hg$CI_high))
ts <- unname(tt$statistic)
p("sleep exact ncp CI / sqrt(n)", ncp_ci(ts, n - 1) / sqrt(n))
## rm_d formulas (effectsize >= 0.8.7 rm_d; REFERENCE.md 2.9) computed here
m <- mean(post - pre); sD <- sd(post - pre); r <- cor(pre, post); f <- 2 * (1 - r)
z <- qnorm(0.975); j <- J(n - 1)
d_rm <- m / (sD / sqrt(f)); se_rm <- sqrt((1 / n + d_rm^2 / (2 * n)) * f)
s_av <- sqrt((var(pre) + var(post)) / 2); d_av <- m / s_av; se_av <- (sD / sqrt(n)) / s_av
d_b <- m / sd(pre); se_b <- sqrt(f / n + d_b^2 / (2 * n))
p("sleep d_rm, CI", c(d_rm, d_rm + c(-1, 1) * z * se_rm))
p("sleep g_rm, CI", j * c(d_rm, d_rm + c(-1, 1) * z * se_rm))
p("sleep d_av, CI", c(d_av, d_av + c(-1, 1) * z * se_av))
p("sleep g_av, CI", j * c(d_av, d_av + c(-1, 1) * z * se_av))
p("sleep d_b, CI", c(d_b, d_b + c(-1, 1) * z * se_b))
p("sleep g_b, CI", j * c(d_b, d_b + c(-1, 1) * z * se_b))
## RCI (Jacobson & Truax) with r_xx = 0.8 and s_pre = sd(pre)
sdiff <- sqrt(2) * sd(pre) * sqrt(1 - 0.8); rci <- (post - pre) / sdiff
p("sleep S_diff (rxx .8)", sdiff); p("sleep RCI", rci)
p("sleep improved/unchanged/deteriorated", c(sum(rci > 1.96), sum(abs(rci) <= 1.96), sum(rci < -1.96)))
## independent groups (the classic two-sample use of sleep)
ci <- cohens_d(extra ~ group, data = sleep)
p("sleep cohens_d(extra ~ group)", c(ci$Cohens_d, ci$CI_low, ci$CI_high))
gi <- hedges_g(extra ~ group, data = sleep)
p("sleep hedges_g(extra ~ group)", c(gi$Hedges_g, gi$CI_low, gi$CI_high))
t2 <- t.test(extra ~ group, data = sleep, var.equal = TRUE)
p("sleep student t, p", c(unname(t2$statistic), t2$p.value))
p("sleep exact ncp CI * sqrt(2/10)", ncp_ci(unname(t2$statistic), 18) * sqrt(1/10 + 1/10))

## ---- MASS::anorexia: Prewt/Postwt, Treat CBT, FT vs Cont ----------------
data(anorexia, package = "MASS")
for (tr in c("CBT", "FT")) {
  T <- anorexia[anorexia$Treat == tr, ]; C <- anorexia[anorexia$Treat == "Cont", ]
  cT <- T$Postwt - T$Prewt; cC <- C$Postwt - C$Prewt
  w <- t.test(cT, cC)  # Welch
  p(paste(tr, "DiD, CI"), c(mean(cT) - mean(cC), w$conf.int))
  p(paste(tr, "Welch t, df, p"), c(unname(w$statistic), unname(w$parameter), w$p.value))
  nT <- nrow(T); nC <- nrow(C)
  ## Morris (2008) d_ppc2 as MDMA dPPC2: rho = cor over the pooled rows
  cp <- 1 - 3 / (4 * (nT + nC - 2) - 1)
  sdp <- sqrt(((nT - 1) * var(T$Prewt) + (nC - 1) * var(C$Prewt)) / (nT + nC - 2))
  d <- cp * ((mean(T$Postwt) - mean(T$Prewt)) - (mean(C$Postwt) - mean(C$Prewt))) / sdp
  rho <- cor(rbind(T[, c("Prewt", "Postwt")], C[, c("Prewt", "Postwt")]))[2, 1]
  v <- 2 * cp^2 * (1 - rho) * ((nT + nC) / (nT * nC)) * ((nT + nC - 2) / (nT + nC - 4)) *
       (1 + d^2 / (2 * (1 - rho) * (nT + nC) / (nT * nC))) - d^2
  p(paste(tr, "d_ppc2, rho, var, CI"), c(d, rho, v, d + c(-1, 1) * z * sqrt(v)))
  ## pooled within-arm r
  sxy <- (nT - 1) * cov(T$Prewt, T$Postwt) + (nC - 1) * cov(C$Prewt, C$Postwt)
  sxx <- (nT - 1) * var(T$Prewt) + (nC - 1) * var(C$Prewt)
  syy <- (nT - 1) * var(T$Postwt) + (nC - 1) * var(C$Postwt)
  rw <- sxy / sqrt(sxx * syy)
  vw <- 2 * cp^2 * (1 - rw) * ((nT + nC) / (nT * nC)) * ((nT + nC - 2) / (nT + nC - 4)) *
        (1 + d^2 / (2 * (1 - rw) * (nT + nC) / (nT * nC))) - d^2
  p(paste(tr, "within-arm rho, var"), c(rw, vw))
  ## independent groups at follow-up
  di <- cohens_d(T$Postwt, C$Postwt); gi <- hedges_g(T$Postwt, C$Postwt)
  p(paste(tr, "cohens_d(post T, post C)"), c(di$Cohens_d, di$CI_low, di$CI_high))
  p(paste(tr, "hedges_g(post T, post C)"), c(gi$Hedges_g, gi$CI_low, gi$CI_high))
  tpost <- t.test(T$Postwt, C$Postwt, var.equal = TRUE)$statistic
  p(paste(tr, "exact ncp d CI"), ncp_ci(unname(tpost), nT + nC - 2) * sqrt(1/nT + 1/nC))
}
for (tr in c("CBT", "Cont", "FT")) {
  A <- anorexia[anorexia$Treat == tr, ]
  tt <- t.test(A$Postwt, A$Prewt, paired = TRUE)
  cd <- cohens_d(A$Postwt, A$Prewt, paired = TRUE)
  p(paste(tr, "paired n, m, t, p"), c(nrow(A), mean(A$Postwt - A$Prewt), unname(tt$statistic), tt$p.value))
  p(paste(tr, "cohens_d(paired)"), c(cd$Cohens_d, cd$CI_low, cd$CI_high))
  p(paste(tr, "exact ncp d_z CI"), ncp_ci(unname(tt$statistic), nrow(A) - 1) / sqrt(nrow(A)))
  mm <- mean(A$Postwt - A$Prewt); f <- 2 * (1 - cor(A$Prewt, A$Postwt))
  s_av <- sqrt((var(A$Prewt) + var(A$Postwt)) / 2)
  p(paste(tr, "d_rm d_av d_b"), c(mm / (sd(A$Postwt - A$Prewt) / sqrt(f)), mm / s_av, mm / sd(A$Prewt)))
  p(paste(tr, "g_av"), J(nrow(A) - 1) * mm / s_av)
}
