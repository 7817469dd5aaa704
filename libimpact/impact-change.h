/* impact-change.h — change between waves per unit of analysis: paired
 * effects per arm, comparisons with a control arm, reliable change, and the
 * cluster bootstrap of every effect.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#if !defined(IMPACT_INSIDE) && !defined(IMPACT_COMPILATION)
#error "Only <libimpact/impact.h> can be included directly."
#endif

#ifndef IMPACT_CHANGE_H
#define IMPACT_CHANGE_H

#include <math.h> /* NAN in IMPACT_CHANGE_OPTIONS_INIT */
#include <glib.h>
#include <libimpact/impact-macros.h>
#include <libimpact/impact-stats.h>
#include <libimpact/impact-codebook.h>
#include <libimpact/impact-table.h>
#include <libimpact/impact-result.h>

G_BEGIN_DECLS

/** Which pre–post correlation ρ enters the variance of Morris's d_ppc2. */
typedef enum {
    /** MDMA's convention: cor(pre, post) over the pooled paired units of
        both arms (raw rows, arm means not removed) */
    IMPACT_RHO_POOLED_ROWS = 0,
    /** pooled within-arm r: Σ_arm S_xy / √(Σ_arm S_xx · Σ_arm S_yy) with the
        sums of squares and cross-products about each arm's own means */
    IMPACT_RHO_WITHIN_ARM = 1
} ImpactRhoMethod;

/** Options of impact_change(); initialise with IMPACT_CHANGE_OPTIONS_INIT. */
typedef struct {
    guint version;            /**< 1 */
    const char *unit;         /**< unit-of-analysis column (participant/team/organisation), required */
    const char *wave;         /**< wave column, required */
    const char *pre;          /**< baseline label, required */
    const char *post;         /**< follow-up label; NULL = every other wave label (in order
                                   of first appearance), each against the baseline */
    const char *arm;          /**< arm column, or NULL for one arm called "all" */
    const char *control;      /**< comparison arm label (needs @arm); every other arm is
                                   compared with it */
    const char *cluster;      /**< cluster column for the bootstrap (learning set, team...);
                                   NULL = the units are the clusters */
    guint bootstrap;          /**< bootstrap replicates; 0 = none */
    guint64 seed;             /**< bootstrap seed (default 1) */
    guint threads;            /**< bootstrap threads; 0 = all cores */
    double level;             /**< confidence level, default 0.95 */
    ImpactRhoMethod rho;      /**< ρ for d_ppc2's variance */
    double reliability;       /**< r_xx for the RCI in [0, 1); NaN = raw alpha of the
                                   scale on the baseline rows */
    const char *const *scales;/**< NULL-terminated scale names to analyse; NULL = all */
    ImpactProgressFunc progress; /**< bootstrap progress/cancel, may be NULL */
    gpointer progress_data;
} ImpactChangeOptions;

#define IMPACT_CHANGE_OPTIONS_INIT                                                              \
    { 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 1, 0, 0.95, IMPACT_RHO_POOLED_ROWS, NAN,  \
      NULL, NULL, NULL }

/**
 * Change of every scale between a baseline and each follow-up, per unit of
 * analysis, per arm, and against a control arm.
 *
 * Units and pairing. The rows are scored (impact_score_table(), default
 * options). A unit's wave score is the mean of the scores of its rows in that
 * wave (one row: its own score; several rows: the mean of its members' scores,
 * for team or organisation units); rows without a score (too few items
 * answered) do not count. A unit is paired on a scale when it has a score in
 * both waves; units with a score in one wave only are counted
 * ("n_pre_only", "n_post_only"), never silently dropped. Rows with a missing
 * unit or wave, or a wave not analysed, are ignored. A unit must keep one arm
 * and one cluster in all its analysed rows.
 *
 * Per scale, follow-up and arm (impact_effect_paired(), impact_effect_rci()):
 * n pairs, means and SDs, mean change with its t interval, SD of change,
 * pre–post r, paired t, df, p; d_z with the noncentral-t CI (effectsize
 * 0.8.3 cohens_d(paired = TRUE)); d_rm, d_av, d_b with normal-approximation
 * CIs (effectsize rm_d); Hedges' g of each with the exact J(n − 1) (CI × J);
 * reliable change counts with S_diff = √2·s_pre·√(1 − r_xx), s_pre the SD of
 * the arm's paired baseline scores, an increase counting as improvement, and
 * r_xx = @reliability, or else the raw alpha of the scale on the baseline rows
 * (impact_reliability_scale_alpha(), pairwise, psych::alpha's convention);
 * "reliability_source" says which ("given", "raw alpha at baseline", or
 * "raw alpha at baseline undefined: REASON", e.g. a one-item scale, when the
 * RCI counts are null).
 *
 * With @control, each other arm T against control C
 * (impact_effect_did(), impact_effect_ppc2(), impact_effect_independent()):
 * difference in differences with Welch's interval; Morris's d_ppc2 with
 * c_p = 1 − 3/(4(n_T + n_C − 2) − 1), its variance (eq. 25) and normal CI
 * using ρ chosen by @rho (and "d_ppc2_exact_j", the same with the exact
 * J(n_T + n_C − 2) in place of c_p); Cohen's d and Hedges' g of the follow-up scores
 * (independent groups, noncentral-t CI). All over the paired units, so every
 * effect of a comparison describes the same units.
 *
 * Bootstrap (@bootstrap > 0; impact_bootstrap_run()): clusters (the @cluster
 * column, or the units) that hold at least one pair are resampled with
 * replacement within arm; every effect above (mean change, d and g of each
 * kind, DiD, d_ppc2, d and g at follow-up) is recomputed from the resampled
 * clusters' units and summarised by its bootstrap SE, percentile and BCa
 * intervals. Bit-identical for a seed whatever @threads.
 *
 * Result shape (keys beyond these may be added):
 * {"unit", "wave", "pre", "posts": [...], "arm", "control", "cluster", "level",
 *  "rho_method", "ci_methods": {...}, "bootstrap": {...} | null, "n_units",
 *  "scales": [{"scale", "domain", "pre", "post", "n_units_pre_only",
 *    "n_units_post_only", "reliability", "reliability_source",
 *    "arms": [{"arm", "n_pairs", "n_pre_only", "n_post_only", "mean_pre", "sd_pre",
 *              "mean_post", "sd_post", "mean_change", "mean_change_ci", "sd_change",
 *              "r", "t", "df", "p", "hedges_j", "d_z", "d_z_ci", "g_z", "g_z_ci",
 *              "d_rm", "d_rm_ci", "g_rm", "g_rm_ci", "d_av", "d_av_ci", "g_av",
 *              "g_av_ci", "d_b", "d_b_ci", "g_b", "g_b_ci", "rci_improved",
 *              "rci_unchanged", "rci_deteriorated",
 *              "rci": {"reliability", "s_diff", "n", "improved", "unchanged",
 *                      "deteriorated", "share_improved", "share_unchanged",
 *                      "share_deteriorated"},
 *              "bootstrap": [{"effect", "estimate", "se", "n_valid",
 *                             "percentile_ci", "bca_ci"}]}],
 *    "controlled": [{"treated", "control", "n_treated", "n_control", "did", "did_se",
 *                    "did_df", "did_t", "did_p", "did_ci", "rho", "rho_method",
 *                    "d_ppc2", "d_ppc2_cp", "d_ppc2_exact_j", "d_ppc2_var",
 *                    "d_ppc2_ci", "d_post",
 *                    "d_post_ci", "g_post", "g_post_ci", "bootstrap": [...]}]}]}
 * One "scales" entry per scale and follow-up (scale order, then follow-up
 * order). Without @arm, "arms" has one entry "all" and "controlled" is empty.
 * Undefined statistics are null (see impact-effect.h for when).
 *
 * @param out  on success a new result (caller's); untouched on error
 *
 * Errors: IMPACT_ERROR_INVALID (unknown options version; @unit, @wave or @pre
 * missing; @control without @arm; @post equal to @pre; level outside (0, 1);
 * reliability outside [0, 1); an unknown rho method; a scale name not in the
 * codebook); IMPACT_ERROR_DATA (an unknown column; a wave label or control
 * arm not in the data; a unit with two arms or two clusters, or a missing
 * arm or cluster, naming the unit and the row; a cluster spanning two arms;
 * item columns as impact_score_table()); IMPACT_ERROR_INSUFFICIENT (no
 * follow-up wave in the data, or no row with a unit in the analysed waves);
 * IMPACT_ERROR_CANCELLED (the progress callback). Error messages name rows
 * by their 1-based data row (the header not counted).
 *
 * Implementation: impact_change_acc_new(), impact_change_acc_add() of
 * @responses, impact_change_acc_result() — one code path for one table and
 * for chunks. Errors found while reading rows (a unit's arm or cluster) come
 * before those found at the end (wave labels, control arm, clusters
 * spanning arms).
 *
 * Complexity: O(rows·items) to score, O(units·scales·waves) to pair, plus the
 * bootstrap: (B + G) evaluations of O(Σ clusters per arm and analysis).
 */
IMPACT_API gboolean impact_change(ImpactResult **out, const ImpactTable *responses,
                                  const ImpactCodebook *codebook,
                                  const ImpactChangeOptions *options, GError **error);

/**
 * Mergeable accumulator of impact_change(): per unit (matched by its label)
 * and wave label, the count and sum of its rows' scale scores on every
 * analysed scale (a unit's wave score is their mean); each unit's arm and
 * cluster; and, when options->reliability is NaN, a reliability
 * accumulator (impact_reliability_acc_add_rows()) fed the baseline rows for
 * the RCI's alpha. Chunks may hold any units, waves and arms; a unit's rows
 * may lie in several chunks.
 *
 * Order. Unit, wave, arm and cluster labels are numbered in order of first
 * appearance over the chunks in the order they were added, @other's after
 * @acc's in a merge (within a chunk: a text column's level order, a numeric
 * column's first appearance — exactly the level codes impact_change() uses
 * on one table). So chunks added or merged in their row order (Dask
 * partitions in partition order, merged left to right) give impact_change()
 * of the concatenated table: the analytic values up to rounding in the last
 * bits (a unit's sums and the baseline alpha are added in another order),
 * the order of arms and follow-ups, and the bootstrap (which resamples the
 * clusters in that unit order) identical. Another merge order gives the
 * same analytic values up to rounding; the bootstrap draws then follow the
 * other unit order.
 *
 * The codebook is borrowed and must outlive the accumulator; the option
 * strings are copied. The progress callback of the options is kept (not
 * serialised: a deserialised accumulator has none).
 */
typedef struct _ImpactChangeAcc ImpactChangeAcc;

/**
 * A new empty accumulator for @codebook (borrowed) and @options (NULL for
 * defaults; strings and scale names copied or resolved). Free with
 * impact_change_acc_free().
 * Errors (NULL returned): the IMPACT_ERROR_INVALID option errors of
 * impact_change().
 */
IMPACT_API ImpactChangeAcc *impact_change_acc_new(const ImpactCodebook *codebook,
                                                  const ImpactChangeOptions *options,
                                                  GError **error);

/**
 * Adds the rows of @chunk (scored with impact_score_table()'s defaults).
 * Rows are numbered on from the rows added before, so messages name the row
 * of the concatenated data.
 * Errors (accumulator unchanged): IMPACT_ERROR_DATA for an unknown column,
 * item columns as impact_score_table(), a missing arm or cluster, or a unit
 * with two arms or two clusters (also against earlier chunks), naming the
 * unit and both rows. O(rows·items).
 */
IMPACT_API gboolean impact_change_acc_add(ImpactChangeAcc *acc, const ImpactTable *chunk,
                                          GError **error);

/**
 * Merges @other into @acc: @acc becomes the accumulator of @acc's rows
 * followed by @other's.
 * Errors (acc unchanged): IMPACT_ERROR_INVALID if the two were made with
 * different options or codebooks; IMPACT_ERROR_DATA if a unit has another
 * arm or cluster in @other, naming the unit and its rows (numbered as in the
 * concatenation). O(units·waves·scales).
 */
IMPACT_API gboolean impact_change_acc_merge(ImpactChangeAcc *acc, const ImpactChangeAcc *other,
                                            GError **error);

/**
 * The impact_change() result of the rows accumulated (see the order notes
 * above), by the same code: impact_change() is impact_change_acc_new(),
 * impact_change_acc_add() of the table, then this.
 * @param out  on success a new result (caller's); untouched on error
 * Errors: those impact_change() reports after reading the rows (a wave
 * label or control arm not in the data, a cluster spanning two arms, no
 * follow-up, no unit, a cancelled bootstrap), naming the first chunk's
 * source. Complexity as impact_change() without the scoring.
 */
IMPACT_API gboolean impact_change_acc_result(ImpactResult **out, const ImpactChangeAcc *acc,
                                             GError **error);

/**
 * The accumulator as portable bytes (format version 1: magic "IMPCHG", the
 * codebook fingerprint, the options, the labels, per unit its arm, cluster
 * and first row, per wave the sums and counts, then the reliability
 * accumulator's bytes; integers as little-endian 64-bit, doubles as
 * little-endian IEEE 754). The bytes are the caller's (g_bytes_unref()).
 */
IMPACT_API GBytes *impact_change_acc_serialize(const ImpactChangeAcc *acc);

/**
 * An accumulator from impact_change_acc_serialize() bytes, for @codebook
 * (borrowed; the codebook it was made for).
 * Errors (NULL returned): IMPACT_ERROR_INVALID for bytes that are not such
 * an accumulator, another format version, another codebook, or invalid
 * options or state.
 */
IMPACT_API ImpactChangeAcc *impact_change_acc_deserialize(GBytes *bytes,
                                                          const ImpactCodebook *codebook,
                                                          GError **error);

/** Frees an accumulator; NULL is accepted. */
IMPACT_API void impact_change_acc_free(ImpactChangeAcc *acc);

#ifndef SWIG
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImpactChangeAcc, impact_change_acc_free)
#endif

G_END_DECLS

#endif /* IMPACT_CHANGE_H */
