# Within-group agreement and aggregation (rwg(j), AD, awg, ICC(1), ICC(2)).

null_distributions <- c(uniform = 0L, slight = 1L, moderate = 2L, heavy = 3L,
                        triangular = 4L, normal = 5L)

agreement <- function(data, codebook, group, within = NULL, min_group = 3,
                      missing = c("listwise", "pairwise"),
                      null = c("uniform", "slight", "moderate", "heavy", "triangular", "normal"),
                      lindell = FALSE, rwg_threshold = 0.70) {
  missing <- match.arg(missing)
  null <- match.arg(null)
  p <- codebook_ptr(codebook)
  tab <- as_impact_table(data, codebook)
  res <- impact_r_agreement(tab, p, group, within, as.double(min_group),
                            missing_policies[[missing]], null_distributions[[null]],
                            as.logical(lindell), as.double(rwg_threshold))
  tables <- c(scales = "scales", groups = "scales/*/groups",
              suppressed = "scales/*/suppressed")
  if (!is.null(within)) {
    tables <- c(tables, parents = "scales/*/parents", parent_groups = "scales/*/parents/groups",
                parent_suppressed = "scales/*/parents/suppressed")
  }
  new_impact_result(result_tree(res), tables, "impact_agreement")
}
