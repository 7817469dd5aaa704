# Reading responses, scale scores, item descriptives.

read_responses <- function(path, codebook, missing = character(),
                           out_of_range = c("error", "missing")) {
  out_of_range <- match.arg(out_of_range)
  tab <- impact_r_read_responses(path.expand(path), codebook_ptr(codebook),
                                 as.character(missing),
                                 if (out_of_range == "missing") 1L else 0L)
  table_df(tab)
}

score_kinds <- c(mean = 0L, sum = 1L, pomp = 2L)

score_scales <- function(data, codebook, id = NULL, kind = c("mean", "sum", "pomp"),
                         min_answered = 0.5) {
  kind <- match.arg(kind)
  p <- codebook_ptr(codebook)
  tab <- as_impact_table(data, codebook)
  opts <- ImpactScoreOptions()
  ImpactScoreOptions_kind_set(opts, score_kinds[[kind]])
  ImpactScoreOptions_min_answered_set(opts, as.double(min_answered))
  table_df(impact_score_table(tab, p, id, opts))
}

describe_items <- function(data, codebook) {
  tab <- as_impact_table(data, codebook)
  tree <- result_tree(impact_describe_items(tab, codebook_ptr(codebook)))
  df <- records_df(tree, "items")
  values <- unique(unlist(lapply(tree$items, function(r) names(r$frequencies))))
  for (v in values) {
    df[[paste0("freq_", v)]] <- vapply(tree$items, function(r) {
      f <- r$frequencies[[v]]
      if (is.null(f)) 0 else f
    }, numeric(1))
  }
  df
}
