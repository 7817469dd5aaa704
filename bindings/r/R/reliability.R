# Reliability of every scale: alpha, omega, item analysis.

missing_policies <- c(pairwise = 0L, listwise = 1L)

reliability <- function(data, codebook, missing = c("pairwise", "listwise"),
                        ci_level = 0.95, omega = TRUE) {
  missing <- match.arg(missing)
  p <- codebook_ptr(codebook)
  tab <- as_impact_table(data, codebook)
  opts <- set_options(ImpactReliabilityOptions(), "ImpactReliabilityOptions",
                      missing = missing_policies[[missing]],
                      ci_level = as.double(ci_level), omega = as.logical(omega))
  res <- impact_reliability(tab, p, opts)
  new_impact_result(result_tree(res), c(scales = "scales", items = "scales/*/items"),
                    "impact_reliability")
}
