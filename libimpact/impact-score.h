/* impact-score.h — scale scores per response, and item descriptives.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#if !defined(IMPACT_INSIDE) && !defined(IMPACT_COMPILATION)
#error "Only <libimpact/impact.h> can be included directly."
#endif

#ifndef IMPACT_SCORE_H
#define IMPACT_SCORE_H

#include <glib.h>
#include <libimpact/impact-macros.h>
#include <libimpact/impact-codebook.h>
#include <libimpact/impact-table.h>
#include <libimpact/impact-result.h>

G_BEGIN_DECLS

/** What a scale score is. */
typedef enum {
    /** weighted mean of the answered (keyed) items: Σ w_i x_i / Σ w_i */
    IMPACT_SCORE_MEAN = 0,
    /** prorated weighted sum: the MEAN times the sum of all the scale's
        weights, so a missing item does not lower the total */
    IMPACT_SCORE_SUM = 1,
    /** percent of maximum possible: weighted mean over answered items of
        100 (x_i - min_i) / (max_i - min_i), keyed; 0..100 */
    IMPACT_SCORE_POMP = 2
} ImpactScoreKind;

/** Options of scale scoring; initialise with IMPACT_SCORE_OPTIONS_INIT. */
typedef struct {
    guint version;          /**< IMPACT_SCORE_OPTIONS_VERSION */
    ImpactScoreKind kind;   /**< default IMPACT_SCORE_MEAN */
    /** Minimum-answered rule: a response gets a score only if it answered
        at least this many of the scale's k items. A value in (0, 1] is a
        fraction of k (answered >= fraction·k); a value >= 1 is a count
        (capped at k; 1 means "any item"). Default 0.5: at least half. */
    double min_answered;
} ImpactScoreOptions;

#define IMPACT_SCORE_OPTIONS_VERSION 1
#define IMPACT_SCORE_OPTIONS_INIT { IMPACT_SCORE_OPTIONS_VERSION, IMPACT_SCORE_MEAN, 0.5 }

/**
 * The number of items a response must answer to be scored on a scale of
 * @k items under rule @min_answered (see ImpactScoreOptions): ceil(f·k)
 * for a fraction f in (0, 1], min(c, k) for a count c >= 1; at least 1.
 */
IMPACT_API gsize impact_score_required(double min_answered, gsize k);

/**
 * Kernel: scores @n responses on one scale.
 *
 * @param out      n scores (caller's buffer); NaN where fewer than
 *                 @required items were answered
 * @param items    k pointers to item columns of n values each (NaN = missing),
 *                 raw (not yet keyed)
 * @param min, max, reverse, weight  k-vectors from the codebook
 * @param required minimum number of answered items (>= 1)
 *
 * Formula: s = Σ_answered w_i·x'_i / Σ_answered w_i with x' the keyed
 * value (min + max − x for reverse items); see ImpactScoreKind for SUM and
 * POMP. Complexity O(n·k), items outer so each column streams once.
 */
IMPACT_API void impact_score_kernel(double *out, const double *const *items, gsize k, gsize n,
                                    const double *min, const double *max,
                                    const gboolean *reverse, const double *weight,
                                    gsize required, ImpactScoreKind kind);

/**
 * Scores every scale of @codebook for every row of @responses.
 *
 * @param out      on success a new table (caller's): the column @id_column
 *                 (if not NULL) copied, then one NUMERIC column per scale
 *                 named after it, in codebook order; untouched on error
 * @param options  NULL for defaults
 *
 * Errors: IMPACT_ERROR_DATA if an item column is missing or not numeric, or
 * @id_column does not exist; IMPACT_ERROR_INVALID for a bad min_answered.
 */
IMPACT_API gboolean impact_score_table(ImpactTable **out, const ImpactTable *responses,
                                       const ImpactCodebook *codebook,
                                       const char *id_column,
                                       const ImpactScoreOptions *options,
                                       GError **error);

/**
 * Item descriptives, raw (unkeyed) answers: for every codebook item its
 * scale, n (answered), missing, mean, sd (n − 1 denominator), min, max, and
 * the frequency of each whole response value of its range
 * ("frequencies": {"1": c1, ..., "5": c5}; non-integer answers are counted
 * in "other"), plus "recoded" (answers set to missing as out of range).
 *
 * Result shape: {"items": [{"item", "scale", "domain", "n", "missing",
 * "mean", "sd", "min", "max", "frequencies": {...}, "other", "recoded"}]}.
 * Statistics of an item with no answer are null; sd needs n >= 2.
 *
 * @param out a new result (caller's; impact_result_free()); untouched on error
 */
IMPACT_API gboolean impact_describe_items(ImpactResult **out, const ImpactTable *responses,
                                          const ImpactCodebook *codebook, GError **error);

G_END_DECLS

#endif /* IMPACT_SCORE_H */
