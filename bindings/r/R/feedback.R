# 360 feedback: self against others per scale, roles, gaps, rater anonymity.

feedback <- function(data, codebook, participant, rater, self = "self", roles = NULL,
                     min_raters = 3, exempt = NULL, wave = NULL,
                     policy = c("merge", "suppress"), importance_suffix = NULL,
                     highlight = 3, min_answered = 0.5, gap_threshold = 0, level = 0.95,
                     allow_missing_self = FALSE) {
  policy <- match.arg(policy)
  p <- codebook_ptr(codebook)
  if (!is.null(roles)) {
    if (is.null(names(roles)) || any(!nzchar(names(roles)))) {
      impact_abort("'roles' must be a named character vector: c(label = \"role\", ...)")
    }
    roles <- paste0(names(roles), "=", as.character(roles))
  }
  tab <- as_impact_table(data, codebook)
  res <- impact_r_feedback(tab, p, participant, rater, self, roles, as.double(min_raters),
                           if (is.null(exempt)) NULL else as.character(exempt), wave,
                           if (policy == "suppress") 1L else 0L, importance_suffix,
                           as.double(highlight), as.double(min_answered),
                           as.double(gap_threshold), as.double(level),
                           as.logical(allow_missing_self))
  new_impact_result(
    result_tree(res),
    c(cohort = "cohort", scales = "participants/*/scales",
      roles = "participants/*/scales/*/roles", participants = "participants",
      icc = "icc/*/forms", suppressed = "suppressed"),
    "impact_feedback")
}
