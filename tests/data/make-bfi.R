# Makes the bfi fixtures from R psych 2.2.9 (Debian r-cran-psych):
#   bfi.csv           the 2800 x 25 personality items of psych::bfi, with an id
#                     (the row name) and gender, education, age; NA = missing
#   bfi-codebook.csv  five scales, 1-6 range, reverse keys as psych::bfi.keys
# Run: Rscript tests/data/make-bfi.R (from the top of the tree)
library(psych)
data(bfi)
d <- data.frame(id = rownames(bfi), bfi, check.names = FALSE)
write.csv(d, "tests/data/bfi.csv", row.names = FALSE, na = "")
items <- colnames(bfi)[1:25]
scale <- c(A = "agreeableness", C = "conscientiousness", E = "extraversion",
           N = "neuroticism", O = "openness")[substr(items, 1, 1)]
rev <- items %in% c("A1", "C4", "C5", "E1", "E2", "O2", "O5")
cb <- data.frame(item = items, scale = scale, domain = "individual", min = 1, max = 6,
                 reverse = as.integer(rev), weight = 1)
write.csv(cb, "tests/data/bfi-codebook.csv", row.names = FALSE)
