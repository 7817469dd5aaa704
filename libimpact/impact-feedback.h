/* impact-feedback.h — the individual domain: multi-source (360°) ratings of
 * leaders by themselves and by raters in roles, with rater anonymity.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#if !defined(IMPACT_INSIDE) && !defined(IMPACT_COMPILATION)
#error "Only <libimpact/impact.h> can be included directly."
#endif

#ifndef IMPACT_FEEDBACK_H
#define IMPACT_FEEDBACK_H

#include <glib.h>
#include <libimpact/impact-macros.h>
#include <libimpact/impact-codebook.h>
#include <libimpact/impact-table.h>
#include <libimpact/impact-result.h>

G_BEGIN_DECLS

/** What happens to a role group with fewer than k raters. */
typedef enum {
    /** the role is not shown on its own, but its raters still count in
        "others" (all raters but self) */
    IMPACT_ANONYMITY_MERGE = 0,
    /** the role is not shown at all: its raters are left out of "others",
        of rwg(j), of the importance means and of the rater ICC */
    IMPACT_ANONYMITY_SUPPRESS = 1
} ImpactAnonymityPolicy;

/**
 * Options of impact_feedback(); initialise with IMPACT_FEEDBACK_OPTIONS_INIT.
 * Fields after @importance_suffix may be left zero (a zero means the default).
 */
typedef struct {
    guint version;                /**< 1 */
    const char *participant;      /**< column: the leader rated, required */
    const char *rater;            /**< column: the rater's role label, required */
    const char *self_label;       /**< label of self-ratings, default "self" (NULL = "self") */
    const char *const *role_map;  /**< NULL-terminated "label=role" strings (several labels
                                       may map to one role; role order = map order);
                                       NULL: labels are the roles (order of appearance) */
    gsize min_raters;             /**< anonymity k (>= 1), default 3 */
    const char *const *exempt;    /**< NULL-terminated roles exempt from k (e.g. "manager");
                                       NULL = none. A role that does not occur is ignored
                                       (a misspelt exempt role errs towards anonymity) */
    const char *wave;             /**< optional wave column; NULL = one wave */
    ImpactAnonymityPolicy policy; /**< default MERGE */
    /** Importance ratings: a codebook item of scale S whose name ends with
        this suffix (e.g. "_imp") is a rating of how important dimension S
        is to the role, not of performance. It is left out of S's
        performance score and averaged into S's importance score instead.
        NULL = no importance items. Must not be empty. */
    const char *importance_suffix;
    /** number of strengths and of development areas listed per participant
        (0 = default 3) */
    gsize n_highlight;
    /** minimum-answered rule of the form scores, as in ImpactScoreOptions
        (0 = default 0.5: at least half of the scale's items) */
    double min_answered;
    /** a participant over-rates a scale when gap > threshold, under-rates
        when gap < −threshold (default 0: the sign) */
    double gap_threshold;
    /** confidence level of the rater ICC intervals (0 = default 0.95) */
    double level;
    /** FALSE (default): a participant-wave without a self form is an error;
        TRUE: it is reported with self (and gap) null */
    gboolean allow_missing_self;
} ImpactFeedbackOptions;

#define IMPACT_FEEDBACK_OPTIONS_VERSION 1
#define IMPACT_FEEDBACK_OPTIONS_INIT \
    { 1, NULL, NULL, "self", NULL, 3, NULL, NULL, IMPACT_ANONYMITY_MERGE, NULL, 3, 0.5, 0.0, 0.95, FALSE }

/**
 * Multi-source (360°) feedback report of every participant, scale and wave,
 * with a hard anonymity guarantee for the raters.
 *
 * Data: long format, one row per rating form: the participant (leader)
 * rated, the rater's role label, optionally a wave, and the codebook's
 * items. Only the codebook's individual-domain scales are used, and only
 * their items need columns. Each form gets a score per scale (weighted mean
 * of the answered keyed items, the minimum-answered rule of
 * ImpactScoreOptions); importance items (see @importance_suffix) give a
 * separate importance score per scale.
 *
 * Per participant and wave, per scale:
 *  - "self": the self form's score; every participant needs exactly one
 *    self form in every wave in which it has forms (unless
 *    allow_missing_self, which makes self null instead);
 *  - "roles": each shown role's "n" (forms with a score) and "mean";
 *  - "others": the mean over all non-self forms with a score (after the
 *    anonymity policy), "n_others", and "gap" = self − others;
 *  - "rank": rank of the scale by others' score within the participant
 *    (1 = highest; ties get the average rank, as R's rank());
 *    the participant's "strengths" and "development" list the scales
 *    ranked highest and lowest, n_highlight of each but at most half of
 *    the scales whose others' score is shown (ties in codebook order);
 *  - "importance" (others' mean importance score), "importance_self",
 *    "n_importance" and "importance_gap" = importance − others (positive:
 *    the dimension matters more than it is seen performed) where
 *    importance items exist;
 *  - "rwg_j": within-group agreement of the others (James, Demaree & Wolf
 *    1984): s̄² = mean of the items' variances (n − 1) over the others who
 *    answered every item of the scale (listwise, as multilevel 2.7's
 *    rwg.j), truncated at σ²_E = (A² − 1)/12, the uniform null for the
 *    A = max − min + 1 options of the codebook range;
 *    rwg(j) = J(1 − s̄²/σ²_E)/(J(1 − s̄²/σ²_E) + s̄²/σ²_E); with "n_rwg".
 *    Null when the scale's items do not share an integer range or fewer
 *    than 2 forms (or fewer than k non-exempt forms) are complete.
 *    doi:10.1037/0021-9010.69.1.85
 *
 * Cohort, per wave and scale ("cohort"): over participants whose gap is
 * shown, "n", "mean_gap", "sd_gap", "mean_self", "mean_others",
 * "over_raters", "under_raters", "in_agreement" (see gap_threshold), and the
 * distribution of the shown others' scores: "others_min", "others_q1",
 * "others_median", "others_q3", "others_max", "others_sd" (quantiles as R's
 * quantile() type 7). Every cohort number is a function of numbers already
 * shown per participant, so it reveals nothing more.
 *
 * Rater ICC, per wave and scale ("icc"): the psych::ICC forms (see
 * impact_icc_shrout_fleiss()) on a balanced complete targets × raters
 * matrix: targets are the participants whose others' mean is shown, and
 * each contributes its first m others' form scores in data order, m being
 * the smallest number of such forms among them ("n_targets", "n_raters");
 * raters are nested in participants, so ICC1 / ICC1k are the forms that
 * fit. Omitted when fewer than 2 targets or m < 2.
 *
 * Anonymity (k = min_raters; exempt roles are named by @exempt):
 *  1. A non-exempt role is "below k" on a participant-wave if on some scale
 *     0 < n < k of its forms have a score. It is never shown (no mean, on
 *     any scale of that participant-wave); it is listed in "suppressed"
 *     with "reason": "below k". MERGE keeps its raters in "others";
 *     SUPPRESS drops them from every number.
 *  2. "others" is shown on a scale only if it holds at least k non-exempt
 *     forms. Exempt raters do not count towards k: otherwise others × n
 *     minus the (shown) exempt roles' sums would be the sum of fewer than k
 *     non-exempt raters.
 *  3. Complementary suppression (MERGE): on every scale where others is
 *     shown, the residual others − (shown roles) must hold 0 or at least k
 *     forms; while it holds 1..k−1, the shown non-exempt role with the
 *     fewest forms on that scale is hidden too ("reason": "complementary").
 *  Guarantee: on one scale, every published mean is the mean of a set of
 *  forms (the shown roles, which are disjoint, and others, their union plus
 *  the residual). Every linear combination of the published sums
 *  (mean × n) is therefore constant on each block of the partition
 *  {shown role 1, ..., shown role m, residual}; restricted to the
 *  non-exempt raters, its support is a union of non-exempt blocks, each of
 *  which holds 0 or ≥ k forms (rule 1 for roles, rule 3 for the residual,
 *  rule 2 when others is hidden and only exempt roles are shown). So no
 *  combination isolates the mean, or any weighted sum, of fewer than k
 *  non-exempt raters, even for an attacker who knows every exempt rater's
 *  own score. Different scales and waves are different variables. The
 *  importance mean is shown only over ≥ k non-exempt forms and is the only
 *  number published about importance besides self's; rwg(j) is published
 *  only over ≥ k non-exempt complete forms. Counts ("n") are published,
 *  never a mean of a hidden role. tests/test-feedback.c attacks the
 *  output by linear algebra on random and realistic data.
 *
 * Row numbers in errors are "lines": 1-based data row + 1, the header being
 * line 1 (the physical line of files without blank lines or multi-line
 * fields); the first five are listed.
 *
 * Result shape:
 *   {"min_raters", "policy", "self", "exempt": [..], "roles": [all roles, in order],
 *    "participants": [{"participant", ["wave"], "n_forms" (non-self forms),
 *       "strengths": [scale..], "development": [scale..],
 *       "scales": [{"scale", "self", "others", "n_others", "gap", "rank",
 *                   ["importance", "n_importance", "importance_self", "importance_gap"],
 *                   "rwg_j", "n_rwg",
 *                   "roles": [{"role", "n", "mean", "exempt"}]}]}],
 *    "suppressed": [{"participant", ["wave"], "role", "n", "reason", "merged"}],
 *    "cohort": [{["wave"], "scale", "n", "mean_gap", ...}],
 *    "icc": [{["wave"], "scale", "n_targets", "n_raters",
 *             "forms": [{"type", "icc", "f", "df1", "df2", "p", "lower", "upper"}]}]}
 * Statistics that are undefined or hidden are null.
 *
 * @param out      on success a new result (caller's; impact_result_free());
 *                 untouched on error
 * @param options  required (participant and rater columns)
 *
 * Errors: IMPACT_ERROR_INVALID (bad options: no participant/rater column,
 * k = 0, malformed role map entry, bad policy, empty suffix);
 * IMPACT_ERROR_CODEBOOK (no individual-domain scale, a scale with only
 * importance items); IMPACT_ERROR_DATA (unknown column, missing item
 * column, a row without participant/rater/wave, a rater label not in the
 * role map, a participant-wave without a self form or with several —
 * naming the lines).
 *
 * Complexity: O(rows × items) to score, then O(rows × scales) plus, per
 * participant-wave, O(roles² × scales) for complementary suppression and
 * O(scales²) for the ranks.
 */
IMPACT_API gboolean impact_feedback(ImpactResult **out, const ImpactTable *responses,
                                    const ImpactCodebook *codebook,
                                    const ImpactFeedbackOptions *options, GError **error);

G_END_DECLS

#endif /* IMPACT_FEEDBACK_H */
