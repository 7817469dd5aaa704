# bench-binding.R — the R binding (package impact) on the benchmark data:
# read_responses() (the C reader, into a data.frame), then score_scales(),
# reliability(), agreement() by team and change() pre/post, each from the
# data.frame (as an R user calls them), timed per stage.
#
# Usage: R_LIBS=.../bindings/r/impact-lib Rscript bench-binding.R CODEBOOK RESPONSES
suppressPackageStartupMessages(library(impact))
args <- commandArgs(trailingOnly = TRUE)
el <- function(expr) unname(system.time(expr)["elapsed"])
tm <- list()
tm$read <- el({
  cb <- read_codebook(args[1])
  df <- read_responses(args[2], cb)
})
tm$score <- el(sc <- score_scales(df, cb, id = "id"))
tm$reliability <- el(rel <- reliability(df, cb))
tm$agreement <- el(agr <- agreement(df, cb, group = "team"))
tm$change <- el(chg <- change(df, cb, unit = "id", wave = "wave", pre = "pre", post = "post"))
tm$pipeline <- sum(unlist(tm))
cat(sprintf('{"tool": "R-binding", "rows": %d, "seconds": {%s}}\n', nrow(df),
            paste0('"', names(tm), '": ', unlist(tm), collapse = ", ")))
