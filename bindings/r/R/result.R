# ImpactResult -> R: the tree (named lists and vectors) and flat records.

# The whole result tree (objects -> named lists, arrays of scalars ->
# vectors, null -> NA). Conversion only; the numbers are the C library's.
result_tree <- function(res) impact_r_result_tree(res)

result_json <- function(res, pretty = FALSE) impact_result_to_json(res, pretty)

is_scalar <- function(v) is.atomic(v) && length(v) == 1L

# The scalar members of a record; a two-number member x becomes x_lo, x_hi
# (as impact_result_format_table()). With flatten, the scalars of nested
# records (objects) come too, prefixed with the member's name
# (reliability -> reliability_alpha).
record_scalars <- function(rec, flatten = FALSE, prefix = "") {
  out <- list()
  for (nm in names(rec)) {
    v <- rec[[nm]]
    key <- paste0(prefix, nm)
    if (is_scalar(v)) {
      out[[key]] <- v
    } else if (is.numeric(v) && length(v) == 2L) {
      out[[paste0(key, "_lo")]] <- v[[1L]]
      out[[paste0(key, "_hi")]] <- v[[2L]]
    } else if (flatten && is.list(v) && !is.null(names(v))) {
      out <- c(out, record_scalars(v, TRUE, paste0(key, "_")))
    }
  }
  out
}

record_strings <- function(rec) {
  if (!is.list(rec)) return(list())
  rec[vapply(rec, function(v) is.character(v) && length(v) == 1L, logical(1))]
}

# Rows of the records at `path` (a character vector; "*" = every element,
# whose string members are carried down, e.g. c("scales", "*", "items")).
# A path ending at an object gives one row.
collect_records <- function(node, path, inherited = list(), flatten = FALSE) {
  if (is.null(node)) {
    return(list())
  }
  if (!length(path)) {
    recs <- if (is.list(node) && !is.null(names(node))) list(node) else node
    return(lapply(recs, function(rec) {
      row <- inherited
      own <- record_scalars(rec, flatten)
      row[names(own)] <- own
      row
    }))
  }
  if (path[[1L]] == "*") {
    rows <- lapply(node, function(el) {
      inh <- inherited
      s <- record_strings(el)
      inh[names(s)] <- s
      collect_records(el, path[-1L], inh, flatten)
    })
    return(unlist(rows, recursive = FALSE))
  }
  collect_records(node[[path[[1L]]]], path[-1L], inherited, flatten)
}

rows_to_df <- function(rows) {
  cols <- unique(unlist(lapply(rows, names)))
  if (!length(rows) || is.null(cols)) {
    return(data.frame())
  }
  df <- lapply(cols, function(col) {
    unlist(lapply(rows, function(r) {
      v <- r[[col]]
      if (is.null(v)) NA else v
    }), use.names = FALSE)
  })
  names(df) <- cols
  as.data.frame(df, stringsAsFactors = FALSE, check.names = FALSE)
}

# The records at `path` of a result tree as a data.frame.
records_df <- function(tree, path, flatten = FALSE) {
  rows_to_df(collect_records(tree, strsplit(path, "/", fixed = TRUE)[[1L]], flatten = flatten))
}
