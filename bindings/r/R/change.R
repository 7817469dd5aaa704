# Change per unit between waves: paired effects, control arm, RCI, bootstrap.

rho_methods <- c("pooled-rows" = 0L, "within-arm" = 1L)

change <- function(data, codebook, unit, wave, pre, post = NULL, arm = NULL, control = NULL,
                   cluster = NULL, bootstrap = 0, seed = NULL, threads = 0, level = 0.95,
                   rho = c("pooled-rows", "within-arm"), reliability = NA_real_,
                   scales = NULL) {
  rho <- match.arg(rho)
  p <- codebook_ptr(codebook)
  tab <- as_impact_table(data, codebook)
  seed <- if (as.double(bootstrap) > 0) draw_seed(seed) else if (is.null(seed)) 1 else seed
  res <- impact_r_change(tab, p, unit, wave, pre, post, arm, control, cluster,
                         as.double(bootstrap), as.double(seed), as.double(threads),
                         as.double(level), rho_methods[[rho]], as.double(reliability),
                         if (is.null(scales)) NULL else as.character(scales))
  new_impact_result(
    result_tree(res),
    c(arms = "scales/*/arms", controlled = "scales/*/controlled", scales = "scales",
      bootstrap = "scales/*/arms/*/bootstrap",
      controlled_bootstrap = "scales/*/controlled/*/bootstrap"),
    "impact_change", flat = "scales/*/arms")
}
