#!/bin/sh
# Renders examples/R/evaluation.Rmd to HTML with rmarkdown + pandoc, using
# the R package installed in the build tree. Skips (77) without pandoc or
# rmarkdown, or when the R package has not been built.
set -eu
: "${RSCRIPT:=Rscript}"
lib=${IMPACT_R_LIBS:-$(pwd)/../bindings/r/impact-lib}
[ -d "$lib/impact" ] || { echo "R package not built in $lib"; exit 77; }
command -v pandoc >/dev/null 2>&1 || { echo "pandoc not found"; exit 77; }
"$RSCRIPT" --vanilla -e 'quit(status = !requireNamespace("rmarkdown", quietly = TRUE))' \
  || { echo "rmarkdown not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$IMPACT_TOP_SRCDIR/examples/R/evaluation.Rmd" "$tmp/"
R_LIBS="$lib${R_LIBS:+:$R_LIBS}" "$RSCRIPT" --vanilla -e '
  out <- rmarkdown::render(file.path(commandArgs(TRUE)[1], "evaluation.Rmd"),
                           output_dir = commandArgs(TRUE)[1], quiet = TRUE)
  html <- readLines(out)
  stopifnot(any(grepl("three domains", html)), any(grepl("<img", html)),
            any(grepl("multilevel::ICC1", html)), !any(grepl("## Error", html)))
  cat("rendered", out, "(", file.size(out), "bytes)\n")
' "$tmp"
