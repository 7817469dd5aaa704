#!/bin/sh
# Runs the R package's testthat suite against the copy installed in the
# build tree (R_LIBS, set by Makefile.am). Fails on any failed expectation.
set -eu
: "${RSCRIPT:=Rscript}"
: "${IMPACT_R_TESTS:?run from make check}"
exec "$RSCRIPT" --vanilla -e '
  options(warn = 1)
  res <- testthat::test_dir(Sys.getenv("IMPACT_R_TESTS"), package = "impact",
                            load_package = "installed", reporter = "summary",
                            stop_on_failure = TRUE, stop_on_warning = FALSE)
  df <- as.data.frame(res)
  cat(sprintf("testthat: %d tests, %d failed, %d skipped\n", nrow(df),
              sum(df$failed > 0 | df$error), sum(df$skipped)))
'
