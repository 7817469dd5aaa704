# Codebooks: items -> scale, domain, range, key, weight.

new_codebook <- function(ptr) structure(list(ptr = ptr), class = "impact_codebook")

codebook_ptr <- function(codebook) {
  if (!inherits(codebook, "impact_codebook")) {
    impact_abort("'codebook' must be an impact_codebook (read_codebook() or impact_codebook())")
  }
  codebook$ptr
}

codebook_item_names <- function(codebook) {
  p <- codebook_ptr(codebook)
  n <- impact_codebook_n_items(p)
  vapply(seq_len(n) - 1, function(i) impact_codebook_item_name(p, i), character(1))
}

read_codebook <- function(path) {
  new_codebook(impact_codebook_read_csv(path.expand(path)))
}

parse_reverse <- function(x) {
  if (is.logical(x) || is.numeric(x)) {
    return(!is.na(x) & x != 0)
  }
  t <- tolower(trimws(as.character(x)))
  out <- rep(NA, length(t))
  out[t %in% c("", "0", "no", "false") | is.na(t)] <- FALSE
  out[t %in% c("1", "yes", "true")] <- TRUE
  if (anyNA(out)) {
    impact_abort(sprintf("reverse: '%s' is not 0/1/yes/no/true/false", x[which(is.na(out))[1L]]),
                 "codebook")
  }
  out
}

impact_codebook <- function(items) {
  if (!is.data.frame(items)) {
    impact_abort("'items' must be a data.frame with columns item, scale, domain, min, max")
  }
  need <- c("item", "scale", "domain", "min", "max")
  miss <- setdiff(need, names(items))
  if (length(miss)) {
    impact_abort(sprintf("codebook: missing column '%s'", miss[[1L]]), "codebook")
  }
  n <- nrow(items)
  reverse <- if (is.null(items$reverse)) rep(FALSE, n) else parse_reverse(items$reverse)
  weight <- if (is.null(items$weight)) rep(1, n) else as.double(items$weight)
  label <- if (is.null(items$label)) rep(NA_character_, n) else as.character(items$label)
  cb <- impact_codebook_new()
  for (i in seq_len(n)) {
    dom <- impact_domain_parse(as.character(items$domain[[i]]))
    impact_codebook_add_item(cb, as.character(items$item[[i]]), as.character(items$scale[[i]]),
                             dom, as.double(items$min[[i]]), as.double(items$max[[i]]),
                             reverse[[i]], weight[[i]], label[[i]])
  }
  new_codebook(cb)
}

as.data.frame.impact_codebook <- function(x, row.names = NULL, optional = FALSE, ...) {
  p <- codebook_ptr(x)
  idx <- seq_len(impact_codebook_n_items(p)) - 1
  num <- function(f) vapply(idx, function(i) f(p, i), numeric(1))
  scale_of <- vapply(idx, function(i) impact_codebook_item_scale(p, i), numeric(1))
  label <- lapply(idx, function(i) impact_codebook_item_label(p, i))
  data.frame(
    item = vapply(idx, function(i) impact_codebook_item_name(p, i), character(1)),
    scale = vapply(scale_of, function(s) impact_codebook_scale_name(p, s), character(1)),
    domain = vapply(scale_of, function(s) impact_domain_name(impact_codebook_scale_domain(p, s)),
                    character(1)),
    min = num(impact_codebook_item_min),
    max = num(impact_codebook_item_max),
    reverse = vapply(idx, function(i) impact_codebook_item_reverse(p, i), logical(1)),
    weight = num(impact_codebook_item_weight),
    label = vapply(label, function(l) if (is.null(l)) NA_character_ else l, character(1)),
    stringsAsFactors = FALSE)
}

print.impact_codebook <- function(x, ...) {
  df <- as.data.frame(x)
  cat(sprintf("<impact_codebook: %d items in %d scales>\n", nrow(df),
              length(unique(df$scale))))
  print(df, ...)
  invisible(x)
}

length.impact_codebook <- function(x) as.integer(impact_codebook_n_items(codebook_ptr(x)))
