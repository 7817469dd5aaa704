# feedback-reference.R — reference values of tests/test-feedback.c for the hand
# fixture feedback-hand.csv (R 4.2.2, psych 2.2.9, multilevel 2.7).
# Run from the source tree's top: Rscript tests/data/feedback-reference.R
library(psych); library(multilevel)
options(digits = 17, width = 200)
d <- read.csv("tests/data/feedback-hand.csv")
d$lead <- rowMeans(d[, c("l1", "l2")], na.rm = TRUE)
d$care <- rowMeans(d[, c("c1", "c2")], na.rm = TRUE)
d$care[is.nan(d$care)] <- NA
others <- d[d$who != "self", ]
cat("## P1 merge, k = 3, manager exempt: others = every non-self form\n")
p1 <- others[others$leader == "P1", ]
print(c(lead = mean(p1$lead), care = mean(p1$care), imp = mean(p1$l_imp)))
cat("## P1 suppress: others = manager + peers\n")
p1s <- p1[p1$who != "dr", ]
print(c(lead = mean(p1s$lead), care = mean(p1s$care), peer_lead = mean(p1s$lead[p1s$who == "peer"])))
cat("## rwg.j among others, uniform null for 4 options: (4^2 - 1)/12 = 1.25\n")
print(rwg.j(p1[, c("l1", "l2")], rep(1, nrow(p1)), ranvar = 1.25))
print(rwg.j(p1s[, c("l1", "l2")], rep(1, nrow(p1s)), ranvar = 1.25))
p2 <- others[others$leader == "P2", ]
print(rwg.j(p2[, c("c1", "c2")], rep(1, nrow(p2)), ranvar = 1.25))  # listwise: 7 forms
cat("## P2 roles\n")
print(aggregate(cbind(lead, care) ~ who, data = p2, FUN = mean, na.action = na.pass))
print(aggregate(care ~ who, data = p2, FUN = mean))
print(c(lead = mean(p2$lead), care = mean(p2$care, na.rm = TRUE), imp = mean(p2$l_imp)))
cat("## rater ICC (merge), scale lead: P1, P2 x their first 6 others' forms\n")
m <- rbind(p1$lead[1:6], p2$lead[1:6])
print(ICC(m, lmer = FALSE)$results[, -1])
cat("## scale care: P2 has 7 care scores; m = 6\n")
m <- rbind(p1$care[1:6], p2$care[!is.na(p2$care)][1:6])
print(ICC(m, lmer = FALSE)$results[, -1])
