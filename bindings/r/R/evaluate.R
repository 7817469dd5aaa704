# Designs and whole evaluations.

new_design <- function(ptr) structure(list(ptr = ptr), class = "impact_design")

design_ptr <- function(design) {
  if (!inherits(design, "impact_design")) {
    impact_abort("'design' must be an impact_design (read_design() or impact_design())")
  }
  design$ptr
}

read_design <- function(path) new_design(impact_r_design_read(path.expand(path)))

# settings: a named list of groups, each a named list of keys; vectors are
# joined with ";" (e.g. waves = list(labels = c("pre", "post"))).
design_settings <- function(settings) {
  if (!is.list(settings) || (length(settings) && is.null(names(settings)))) {
    impact_abort("design settings must be a named list of named lists")
  }
  g <- character(); k <- character(); v <- character()
  for (grp in names(settings)) {
    keys <- settings[[grp]]
    if (!is.list(keys) && !is.character(keys) && !is.numeric(keys) || is.null(names(keys))) {
      impact_abort(sprintf("design group [%s] must be a named list of keys", grp))
    }
    for (key in names(keys)) {
      val <- keys[[key]]
      g <- c(g, grp); k <- c(k, key)
      v <- c(v, paste(as_text_values(val), collapse = ";"))
    }
  }
  list(groups = g, keys = k, values = v)
}

impact_design <- function(settings = list(), base = NULL) {
  s <- design_settings(settings)
  b <- if (is.null(base)) NULL else design_ptr(base)
  new_design(impact_r_design_build(b, s$groups, s$keys, s$values))
}

print.impact_design <- function(x, ...) {
  cat("<impact_design>\n", impact_r_design_text(design_ptr(x)), sep = "")
  invisible(x)
}

as.character.impact_design <- function(x, ...) impact_r_design_text(design_ptr(x))

evaluate <- function(data, codebook, design, replicates = NULL, seed = NULL, threads = 0) {
  p <- codebook_ptr(codebook)
  d <- design_ptr(design)
  # The design's seed is used when it names one; otherwise (and when a seed
  # is given here) the design is copied with the seed set, drawn from R's RNG
  # when none is given, so set.seed() makes the bootstrap reproducible.
  if (!is.null(seed) || is.null(impact_r_design_get(d, "bootstrap", "seed"))) {
    d <- impact_r_design_build(d, "bootstrap", "seed", sprintf("%.0f", draw_seed(seed)))
  }
  tab <- as_impact_table(data, codebook)
  res <- impact_r_evaluate(tab, p, d, if (is.null(replicates)) NA_real_ else as.double(replicates),
                           as.double(threads))
  new_impact_result(
    result_tree(res),
    c(domains = "domains", scales = "domains/*/scales", overall = "overall",
      breakdowns = "breakdowns", roi = "roi", benefit_lines = "roi/benefit_lines",
      suppressed = "suppressed", trajectory = "trajectory",
      trajectory_domains = "trajectory/*/domains"),
    "impact_evaluation", flat = c("domains/*/scales", "overall", "roi", "trajectory"))
}

# A seeded, realistic evaluation with known true effects (the C simulator).
simulate_evaluation <- function(seed = NULL, participants = 150, organisations = 10, waves = 3,
                                cohorts = 3, staff = 30, team_size = 6, effect_scale = 1,
                                missing = 0.03) {
  sim <- impact_r_simulate(draw_seed(seed), as.double(participants), as.double(organisations),
                           as.double(waves), as.double(cohorts), as.double(staff),
                           as.double(team_size), as.double(effect_scale), as.double(missing))
  # copies: R owns them independently of the simulation
  out <- list(codebook = new_codebook(impact_r_simulation_codebook(sim)),
              responses = table_df(impact_simulation_responses(sim)),
              design = new_design(impact_r_simulation_design(sim)),
              truth = result_tree(impact_simulation_truth(sim)))
  out$truth_scales <- records_df(out$truth, "scales")
  out
}
