# Shared fixtures of the testthat suite.
#
# bfi: psych 2.2.9's bfi personality items (tests/data/make-bfi.R); the
# package ships the first 400 rows in inst/extdata. Under `make check` the
# whole file and the `impact` CLI of the build tree are used as well.

extdata <- function(f) system.file("extdata", f, package = "impact", mustWork = TRUE)

bfi_codebook_path <- function() extdata("bfi-codebook.csv")
bfi_path <- function() extdata("bfi.csv")

bfi_keys <- c("-A1", "A2", "A3", "A4", "A5", "C1", "C2", "C3", "-C4", "-C5",
              "-E1", "-E2", "E3", "E4", "E5", "N1", "N2", "N3", "N4", "N5",
              "O1", "-O2", "O3", "O4", "-O5")

# The whole bfi file of the source tree, or skip.
full_bfi_path <- function() {
  top <- Sys.getenv("IMPACT_TOP_SRCDIR")
  p <- file.path(top, "tests", "data", "bfi.csv")
  if (!nzchar(top) || !file.exists(p)) skip("IMPACT_TOP_SRCDIR not set (run by make check)")
  p
}

# The impact CLI of the build tree, or skip.
impact_cli <- function() {
  cli <- Sys.getenv("IMPACT")
  if (!nzchar(cli) || !file.exists(cli)) skip("IMPACT (the CLI) not set (run by make check)")
  cli
}

# Runs the CLI and returns its standard output as one string.
run_cli <- function(args) {
  out <- system2(impact_cli(), shQuote(args), stdout = TRUE, stderr = FALSE)
  status <- attr(out, "status")
  if (!is.null(status) && status != 0) stop("impact ", paste(args, collapse = " "), " failed")
  paste(out, collapse = "\n")
}

# Number of C objects R holds, after collecting garbage.
alive <- function() {
  invisible(gc(verbose = FALSE))
  impact:::impact_r_debug_alive()
}

# Writes lines to a temporary file and returns its path.
tmp_csv <- function(lines) {
  p <- tempfile(fileext = ".csv")
  writeLines(lines, p)
  p
}
