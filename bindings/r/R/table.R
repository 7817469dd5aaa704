# data.frame <-> ImpactTable.

# A data.frame as an ImpactTable (internal). Numeric columns are passed to C
# without copying (integers are converted to double first); factors and
# character columns become TEXT columns through their codes and levels. With
# a codebook, every column that is not an item is TEXT (group ids are text
# even when they look like numbers), as when the CSV reader reads a file.
as_impact_table <- function(data, codebook = NULL) {
  if (!is.data.frame(data)) {
    impact_abort("'data' must be a data.frame")
  }
  items <- if (is.null(codebook)) NULL else codebook_item_names(codebook)
  tab <- impact_table_new()
  nms <- names(data)
  if (anyDuplicated(nms)) {
    impact_abort(sprintf("column '%s' appears twice", nms[anyDuplicated(nms)]))
  }
  for (j in seq_along(data)) {
    x <- data[[j]]
    nm <- nms[[j]]
    as_text <- if (is.null(items)) !is.numeric(x) || is.factor(x) else !(nm %in% items)
    if (!as_text && (is.numeric(x) || (is.logical(x) && all(is.na(x))))) {
      impact_table_add_numeric(tab, nm, if (is.double(x)) x else as.double(x))
      next
    }
    if (!is.factor(x)) {
      x <- as_text_values(x)
      x <- factor(x, levels = unique(x[!is.na(x)]))
    } else {
      x <- droplevels(x)
    }
    impact_table_add_factor(tab, nm, as.integer(x), levels(x))
  }
  tab
}

as_text_values <- function(x) {
  if (is.double(x)) {
    out <- sprintf("%.15g", x)
    out[is.na(x)] <- NA_character_
    out
  } else {
    as.character(x)
  }
}

# An ImpactTable as a data.frame: numeric and character columns.
table_df <- function(tab) {
  cols <- impact_r_table_columns(tab)
  as.data.frame(cols, stringsAsFactors = FALSE, check.names = FALSE)
}
