# agreement-make.R — fixtures and reference values for tests/test-agreement.c
# and tests/test-cli-agreement.sh, from data shipped with Debian's
# r-cran-multilevel 2.7 (bh1996, lq2002, cohesion).
#
#   cd tests/data && Rscript agreement-make.R > agreement-reference.txt
#
# Every reference value is computed from the CSV files as written (read back
# with read.csv), so C and R see the same numbers.
suppressMessages(library(multilevel))
stopifnot(packageVersion("multilevel") == "2.7")
options(digits = 17)
w <- function(df, file) {
  # 17 significant digits so every double reads back exactly
  out <- df
  for (j in seq_along(out)) if (is.numeric(out[[j]])) {
    out[[j]] <- ifelse(is.na(out[[j]]), NA, sprintf("%.17g", out[[j]]))
  }
  write.csv(out, file, row.names = FALSE, na = "", quote = FALSE)
}
show <- function(label, x) cat(sprintf("%-60s %s\n", label, paste(sprintf("%.17g", x), collapse = " ")))

## lq2002: 2042 soldiers in 49 companies; items 1..5 (LEAD, TSIG), 0..4 (HOSTIL)
data(lq2002)
lead <- sprintf("LEAD%02d", 1:11); tsig <- sprintf("TSIG%02d", 1:3); host <- sprintf("HOSTIL%02d", 1:5)
w(lq2002[, c("COMPID", lead, tsig, host)], "agreement-lq2002.csv")
cb <- rbind(data.frame(item = lead, scale = "lead", domain = "team", min = 1, max = 5),
            data.frame(item = tsig, scale = "tsig", domain = "team", min = 1, max = 5),
            data.frame(item = host, scale = "hostile", domain = "team", min = 0, max = 4))
write.csv(cb, "agreement-lq2002-codebook.csv", row.names = FALSE, quote = FALSE)
d <- read.csv("agreement-lq2002.csv")
g <- d$COMPID
for (sc in list(list("lead", lead), list("tsig", tsig), list("hostile", host))) {
  x <- d[, sc[[2]]]; nm <- sc[[1]]
  y <- rowMeans(x)
  a <- aov(y ~ as.factor(g))
  show(sprintf("ICC1(aov(rowMeans(%s) ~ as.factor(COMPID)))", nm), ICC1(a))
  show(sprintf("ICC2(aov(rowMeans(%s) ~ as.factor(COMPID)))", nm), ICC2(a))
  r <- rwg.j(x, g, ranvar = 2)
  show(sprintf("mean(rwg.j(%s, COMPID, ranvar=2)$rwg.j)", nm), mean(r$rwg.j))
  show(sprintf("mean(rwg.j(%s, COMPID, ranvar=2)$rwg.j >= 0.70)", nm), mean(r$rwg.j >= 0.70))
  for (id in c("2", "41", "17")) {
    show(sprintf("%s grp %s: rwg.j ranvar=2", nm, id), r$rwg.j[r$grpid == id])
    show(sprintf("%s grp %s: rwg.j ranvar=1.34 (slight skew)", nm, id), rwg.j(x, g, ranvar = 1.34)$rwg.j[r$grpid == id])
    show(sprintf("%s grp %s: rwg.j.lindell ranvar=2", nm, id), rwg.j.lindell(x, g, ranvar = 2)$rwg.lindell[r$grpid == id])
    show(sprintf("%s grp %s: ad.m mean", nm, id), ad.m(x, g, type = "mean")$AD.M[r$grpid == id])
    show(sprintf("%s grp %s: ad.m median", nm, id), ad.m(x, g, type = "median")$AD.M[r$grpid == id])
    lohi <- if (nm == "hostile") c(0, 4) else c(1, 5)
    show(sprintf("%s grp %s: awg range=c(%g,%g)", nm, id, lohi[1], lohi[2]), awg(x, g, range = lohi)$a.wg[r$grpid == id])
    show(sprintf("%s grp %s: n mean sd of rowMeans", nm, id), c(sum(g == id), mean(y[g == id]), sd(y[g == id])))
  }
  n <- as.numeric(table(g)); icc <- ICC1(a)
  show(sprintf("%s: Kish deff 1+(mean(n)-1)*ICC1", nm), 1 + (mean(n) - 1) * icc)
  show(sprintf("%s: unequal deff 1+(sum(n^2)/sum(n)-1)*ICC1", nm), 1 + (sum(n^2) / sum(n) - 1) * icc)
}

## lq2002 with k = 11: the three companies of 10 are suppressed (their 30
## people exceed k, so nothing more); pooled statistics over the others
d <- read.csv("agreement-lq2002.csv"); g <- d$COMPID
big <- g %in% names(which(table(g) >= 11))
y <- rowMeans(d[big, lead]); a <- aov(y ~ as.factor(g[big]))
show("lead k=11: ICC1(aov(rowMeans(lead) ~ COMPID, subset n >= 11))", ICC1(a))
show("lead k=11: ICC2(aov(rowMeans(lead) ~ COMPID, subset n >= 11))", ICC2(a))
n <- as.numeric(table(g[big]))
show("lead k=11: unequal deff 1+(sum(n^2)/sum(n)-1)*ICC1", 1 + (sum(n^2) / sum(n) - 1) * ICC1(a))
show("lead k=11: mean(rwg.j(lead[big], ranvar=2)$rwg.j)", mean(rwg.j(d[big, lead], g[big], ranvar = 2)$rwg.j))

## bh1996: 7382 soldiers in 99 companies; one-item "scales", COHES etc. are
## not whole numbers (off the response grid)
data(bh1996)
w(bh1996[, c("GRP", "HRS", "COHES", "WBEING")], "agreement-bh1996.csv")
cb <- data.frame(item = c("HRS", "COHES", "WBEING"), scale = c("hrs", "cohes", "wbeing"),
                 domain = "organisation", min = c(0, 1, 0), max = c(24, 5, 5))
write.csv(cb, "agreement-bh1996-codebook.csv", row.names = FALSE, quote = FALSE)
d <- read.csv("agreement-bh1996.csv")
g <- d$GRP
for (v in c("HRS", "COHES", "WBEING")) {
  a <- aov(d[[v]] ~ as.factor(g))
  show(sprintf("ICC1(aov(%s ~ as.factor(GRP)))", v), ICC1(a))
  show(sprintf("ICC2(aov(%s ~ as.factor(GRP)))", v), ICC2(a))
}
rv <- c(HRS = (25^2 - 1) / 12, COHES = 2, WBEING = (6^2 - 1) / 12)
for (v in c("HRS", "COHES", "WBEING")) {
  r <- rwg(d[[v]], g, ranvar = rv[[v]])
  show(sprintf("mean(rwg(%s, GRP, ranvar=%.6g)$rwg)", v, rv[[v]]), mean(r$rwg))
  for (id in c("1", "50", "99")) {
    show(sprintf("%s grp %s: rwg", v, id), r$rwg[r$grpid == id])
    show(sprintf("%s grp %s: ad.m mean", v, id), ad.m(d[[v]], g, type = "mean")$AD.M[r$grpid == id])
    show(sprintf("%s grp %s: ad.m median", v, id), ad.m(d[[v]], g, type = "median")$AD.M[r$grpid == id])
    lohi <- c(HRS = 0, COHES = 1, WBEING = 0)[[v]]; hi <- c(HRS = 24, COHES = 5, WBEING = 5)[[v]]
    show(sprintf("%s grp %s: awg range=c(%g,%g)", v, id, lohi, hi), awg(d[[v]], g, range = c(lohi, hi))$a.wg[r$grpid == id])
  }
}

## cohesion: 11 soldiers, platoons (1ST, 2ND) within units (1044B, 1044C);
## one missing answer (row 2, COH02)
data(cohesion)
w(cohesion, "agreement-cohesion.csv")
cb <- data.frame(item = sprintf("COH%02d", 1:5), scale = "cohesion", domain = "team", min = 1, max = 5)
write.csv(cb, "agreement-cohesion-codebook.csv", row.names = FALSE, quote = FALSE)
d <- read.csv("agreement-cohesion.csv")
x <- d[, 3:7]; tp <- paste(d$UNIT, d$PLATOON)
r <- rwg.j(x, tp, ranvar = 2)
for (i in seq_len(nrow(r))) show(sprintf("cohesion listwise %s: rwg.j gsize", r$grpid[i]), c(r$rwg.j[i], r$gsize[i]))
ru <- rwg.j(x, d$UNIT, ranvar = 2)
for (i in seq_len(nrow(ru))) show(sprintf("cohesion listwise unit %s: rwg.j gsize", ru$grpid[i]), c(ru$rwg.j[i], ru$gsize[i]))
# pairwise (multilevel 2.8's default, not in 2.7): by hand, J = items with a variance
pw <- function(Q) { v <- apply(Q, 2, var, na.rm = TRUE); v <- v[!is.na(v)]; S <- min(mean(v), 2); J <- length(v); J * (1 - S / 2) / (J * (1 - S / 2) + S / 2) }
for (id in unique(tp)) show(sprintf("cohesion pairwise %s: hand rwg.j", id), pw(x[tp == id, ]))
cc <- complete.cases(x); y <- rowMeans(x[cc, ])
show("cohesion listwise ICC1(aov(rowMeans ~ platoon))", ICC1(aov(y ~ as.factor(tp[cc]))))
show("cohesion listwise ICC1(aov(rowMeans ~ unit))", ICC1(aov(y ~ as.factor(d$UNIT[cc]))))
