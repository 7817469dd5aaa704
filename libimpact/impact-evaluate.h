/* impact-evaluate.h — the evaluation: a three-domain impact profile from one call.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#if !defined(IMPACT_INSIDE) && !defined(IMPACT_COMPILATION)
#error "Only <libimpact/impact.h> can be included directly."
#endif

#ifndef IMPACT_EVALUATE_H
#define IMPACT_EVALUATE_H

#include <glib.h>
#include <libimpact/impact-macros.h>
#include <libimpact/impact-stats.h>
#include <libimpact/impact-codebook.h>
#include <libimpact/impact-table.h>
#include <libimpact/impact-result.h>
#include <libimpact/impact-design.h>

G_BEGIN_DECLS

/** Options of impact_evaluate(); initialise with IMPACT_EVALUATE_OPTIONS_INIT. */
typedef struct {
    guint version;               /**< 1 */
    guint threads;               /**< bootstrap worker threads; 0 = all cores */
    gint replicates;             /**< bootstrap replicates; -1 = the design's */
    ImpactProgressFunc progress; /**< may be NULL; FALSE cancels (IMPACT_ERROR_CANCELLED) */
    gpointer progress_data;      /**< passed to @progress */
} ImpactEvaluateOptions;

#define IMPACT_EVALUATE_OPTIONS_INIT { 1, 0, -1, NULL, NULL }

/**
 * Evaluates a programme: the impact profile across the three domains.
 *
 * What is computed (baseline = the design's first wave, follow-up = its
 * primary wave, by default the last):
 *
 * - Scale scores per response (impact_score_table(), defaults). The unit of
 *   a domain is the design's participant / team / organisation column; a
 *   unit's wave score on a scale is the mean of its responses' scores (for
 *   individual scales, of the ratings named by [raters] source: others by
 *   default). A team or organisation wave with fewer than k respondents
 *   does not enter the analysis and is listed as suppressed.
 * - Per outcome scale (every scale but the [support] scale): the pairs of
 *   unit scores (units seen in one wave only are counted as "unpaired");
 *   with a comparison arm the difference in differences DiD = (post_T −
 *   pre_T) − (post_C − pre_C) and Morris's (2008) controlled effect
 *   g = d_ppc2 = c_p · DiD / SD_pre,pooled, c_p = 1 − 3/(4(n_T + n_C − 2) − 1)
 *   (doi:10.1177/1094428106291059); without one the programme arm's mean
 *   change and g_av = J(n − 1) · mean change / √((s²_pre + s²_post)/2)
 *   (exact Hedges J; Cumming 2012; effectsize's rm_d "av").
 * - Domain impact index = Σ w_s g_s / Σ w_s over the domain's outcome scales
 *   with a defined g (w_s the codebook's scale weight); overall index = the
 *   [domains]-weighted mean of the domain indices (equal by default).
 * - Joint stratified cluster bootstrap (impact_bootstrap_run(); clusters =
 *   the design's [bootstrap] cluster role, stratified by arm when every
 *   cluster lies in one arm): every g, DiD, index, breakdown and value-for-
 *   money figure of a replicate is computed from the same resampled
 *   clusters; percentile intervals at the design's level.
 * - Breakdowns of the domain indices (individual and team domains, via each
 *   unit's participant): by cohort, clustered (a learning set of >= 2
 *   participants) vs lone participants, and by tertile of the baseline
 *   support score (type-7 quantiles over all participants). A breakdown
 *   restricts the programme arm; the comparison arm stays whole. A group
 *   with fewer than k programme units is suppressed.
 * - Value for money: benefits = Σ over [value] scales of value_s × effect_s
 *   × programme units with pairs; costs = [costs] total or per_participant ×
 *   programme participants; Phillips ROI % = 100 (benefits − costs)/costs;
 *   benefit–cost ratio = benefits/costs; cost per participant; cost per
 *   participant per unit of the overall index (g).
 * - Trajectory: the domain and overall indices (with intervals) of every
 *   follow-up wave against the baseline, in wave order; the primary
 *   follow-up is the one analysed in full. A follow-up without enough pairs
 *   gets null indices and a warning.
 * - Composed module results: reliability of every scale at baseline
 *   (impact_reliability()), agreement of team and organisation scales at
 *   baseline (impact_agreement(), k = the design's; aggregation is flagged
 *   as justified when mean rwg(j) >= 0.70 and ICC(1) >= 0.05, LeBreton &
 *   Senter 2008, doi:10.1177/1094428106296642), change and effect sizes with
 *   RCI counts (impact_change()), the 360 self–others gap at baseline
 *   (impact_feedback(), k and role rules of the design); their suppressed
 *   groups are listed in "suppressed".
 *
 * Result keys (all documented in the README): {"design", "domains":
 * [{"domain", "unit", "n_units", "controlled", "weight", "impact_index",
 * "impact_index_ci", "statement", "scales": [{"scale", "domain", "weight",
 * "controlled", "n_programme", "n_comparison", "unpaired", "effect",
 * "effect_ci", "g", "g_ci", "statement", "reliability", "agreement",
 * "change", "rci", "feedback"}]}], "overall": {"impact_index",
 * "impact_index_ci", "statement"}, "trajectory": [{"wave", "primary",
 * "domains": [{"domain", "impact_index", "impact_index_ci"}], "overall":
 * {"impact_index", "impact_index_ci"}}], "breakdowns": [...], "roi": {...} | null,
 * "suppressed": [...], "statements": [...], "warnings": [...]}.
 *
 * @param out on success a new result (caller's); untouched on error
 *
 * Errors: those of impact_design_check(); IMPACT_ERROR_DATA when a unit
 * lies in two arms or two bootstrap clusters (naming the unit and column);
 * IMPACT_ERROR_INSUFFICIENT when no outcome scale has two paired units;
 * IMPACT_ERROR_CANCELLED from the progress callback; IMPACT_ERROR_INVALID
 * for bad options. Degenerate parts (a domain without scales or pairs, a
 * scale with < 2 pairs in an arm, zero variance) give null statistics and a
 * warning, never an error.
 *
 * Complexity: O(rows × items) to score and aggregate, plus
 * O(B × (clusters + units-cells)) for the bootstrap.
 */
IMPACT_API gboolean impact_evaluate(ImpactResult **out, const ImpactTable *responses,
                                    const ImpactCodebook *codebook, const ImpactDesign *design,
                                    const ImpactEvaluateOptions *options, GError **error);

G_END_DECLS

#endif /* IMPACT_EVALUATE_H */
