# icc-reference.R — reference values of tests/test-icc.c (R 4.2.2, psych 2.2.9).
# Run: Rscript tests/data/icc-reference.R   (from the source tree's top)
# Prints psych::ICC's results table at full precision for:
#  1. Shrout & Fleiss (1979) Table 2: 6 targets x 4 judges (psychTools::sf,
#     typed in here because psychTools is not installed);
#  2. the wine data of pingouin's icc.csv (8 wines x 4 judges), tests/data/icc-wine.csv;
#  3. a 5 x 3 matrix whose judges variance component is negative (lmer truncates it).
# lmer = FALSE is the ANOVA route: on complete balanced data it equals psych's
# default lmer = TRUE up to lme4's optimiser (and to REML's truncation of a
# negative variance component at zero), so libimpact matches lmer = FALSE.
# The lmer = TRUE digits beyond ~1e-10 differ from run to run (lme4's
# optimiser); the lmer = FALSE values are reproducible.
library(psych)
options(digits = 17, width = 200)
show <- function(name, x) {
  cat("##", name, "\n")
  r <- ICC(x, lmer = FALSE)$results
  print(format(r[, -1], digits = 17))
  r2 <- ICC(x, lmer = FALSE, alpha = 0.10)$results
  cat("alpha = 0.10 bounds\n")
  print(format(r2[, 7:8], digits = 17))
  r3 <- ICC(x)$results
  cat("default lmer = TRUE, ICC column\n")
  print(format(r3[, 2], digits = 17))
}
sf <- matrix(c(9, 2, 5, 8,
               6, 1, 3, 2,
               8, 4, 6, 8,
               7, 1, 2, 6,
               10, 5, 6, 9,
               6, 2, 4, 7), ncol = 4, byrow = TRUE)
show("sf", sf)
w <- read.csv("tests/data/icc-wine.csv")
wine <- reshape(w, idvar = "Wine", timevar = "Judge", direction = "wide")[, -1]
show("wine", as.matrix(wine))
neg <- matrix(c(1, 2, 3,
                2, 3, 1,
                3, 1, 2,
                4, 5, 6,
                6, 4, 5), ncol = 3, byrow = TRUE)
show("neg", neg)
