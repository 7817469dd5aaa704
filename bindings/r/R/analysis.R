# Results of analyses: a classed list of data.frames with print, summary and
# as.data.frame methods. Every number comes from the C result tree.

# tree: the result tree; tables: named paths of record arrays ("*" = every
# element), the first being the main table; cls: the analysis's class.
# Paths in `flat` are flattened (nested records' scalars as prefixed columns).
new_impact_result <- function(tree, tables, cls, flat = character()) {
  out <- lapply(tables, function(path) records_df(tree, path, flatten = path %in% flat))
  names(out) <- names(tables)
  scalars <- tree[vapply(tree, is_scalar, logical(1))]
  structure(c(out, list(info = scalars, tree = tree)),
            class = c(cls, "impact_result"), tables = names(tables))
}

result_tables <- function(x) attr(x, "tables")

print.impact_result <- function(x, digits = 3, ...) {
  cat(sprintf("<%s>\n", class(x)[[1L]]))
  info <- x$info
  if (length(info)) {
    short <- info[vapply(info, function(v) !is.character(v) || nchar(v) <= 60, logical(1))]
    if (length(short)) {
      cat(paste(sprintf("%s: %s", names(short), vapply(short, format, character(1))),
                collapse = "; "), "\n", sep = "")
    }
  }
  for (t in result_tables(x)) {
    cat("\n$", t, "\n", sep = "")
    print(x[[t]], digits = digits, ...)
  }
  invisible(x)
}

summary.impact_result <- function(object, ...) {
  structure(list(main = object[[result_tables(object)[[1L]]]], info = object$info,
                 cls = class(object)[[1L]]),
            class = "summary.impact_result")
}

print.summary.impact_result <- function(x, digits = 3, ...) {
  cat(sprintf("<%s summary>\n", x$cls))
  print(x$main, digits = digits, ...)
  invisible(x)
}

as.data.frame.impact_result <- function(x, row.names = NULL, optional = FALSE,
                                        which = NULL, ...) {
  which <- if (is.null(which)) result_tables(x)[[1L]] else match.arg(which, result_tables(x))
  x[[which]]
}

# An options struct of the SWIG layer with its fields set (NULL = default).
set_options <- function(opts, type, ...) {
  vals <- list(...)
  for (nm in names(vals)) {
    if (!is.null(vals[[nm]])) {
      get(paste0(type, "_", nm, "_set"), mode = "function")(opts, vals[[nm]])
    }
  }
  opts
}

# A seed for the C generator: the one given, or one drawn from R's RNG (so
# set.seed() makes the bootstrap reproducible).
draw_seed <- function(seed) {
  if (!is.null(seed)) {
    return(as.double(seed))
  }
  as.double(sample.int(.Machine$integer.max, 1L))
}
