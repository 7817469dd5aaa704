# Timing of the R package against psych on a large data frame (not part of
# make check). Run from the build tree:
#   R_LIBS=build/bindings/r/impact-lib Rscript bindings/r/bench.R [ROWS]
# Uses bfi's items (inst/extdata) resampled to ROWS rows (default 200000).
suppressMessages(library(impact))
rows <- as.integer(commandArgs(TRUE)[1])
if (is.na(rows)) rows <- 200000L
cb <- read_codebook(system.file("extdata", "bfi-codebook.csv", package = "impact"))
d0 <- read.csv(system.file("extdata", "bfi.csv", package = "impact"))
set.seed(1)
d <- d0[sample.int(nrow(d0), rows, replace = TRUE), ]
items <- as.data.frame(cb)$item
for (it in items) d[[it]] <- as.double(d[[it]])
t <- function(label, expr) {
  invisible(gc())
  tm <- system.time(expr)[["elapsed"]]
  cat(sprintf("%-55s %8.3f s\n", label, tm))
}
cat(sprintf("bfi items resampled to %d rows x %d items\n", rows, length(items)))
t("data.frame -> ImpactTable (as_impact_table)", impact:::as_impact_table(d, cb))
t("score_scales (5 scales)", score_scales(d, cb))
t("reliability (5 scales, no omega)", reliability(d, cb, omega = FALSE))
t("reliability (5 scales, omega)", reliability(d, cb))
if (requireNamespace("psych", quietly = TRUE)) {
  keys <- split(ifelse(as.data.frame(cb)$reverse, paste0("-", items), items),
                as.data.frame(cb)$scale)
  t("psych::scoreItems(impute = 'none') (5 scales)",
    psych::scoreItems(keys, d[items], impute = "none", min = 1, max = 6))
  t("psych::alpha x 5 scales (keyed items)", for (sc in names(keys)) {
    x <- d[sub("^-", "", keys[[sc]])]
    rev <- startsWith(keys[[sc]], "-")
    x[rev] <- 7 - x[rev]
    suppressWarnings(psych::alpha(x))
  })
}
