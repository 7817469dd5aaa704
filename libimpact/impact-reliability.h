/* impact-reliability.h — scale reliability and item analysis: Cronbach's
 * alpha (raw and standardised), G6(smc), Duhachek–Iacobucci SE, Feldt CI,
 * item–total and item–rest correlations, alpha if item dropped, and
 * McDonald's omega total from a one-factor minres model; computed from a
 * mergeable accumulator (exact streaming, threads, Dask).
 *
 * Conventions follow R psych 2.2.9 (Debian) `alpha()` and `omega(x, nfactors
 * = 1)`; the differences are listed under impact_reliability().
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#if !defined(IMPACT_INSIDE) && !defined(IMPACT_COMPILATION)
#error "Only <libimpact/impact.h> can be included directly."
#endif

#ifndef IMPACT_RELIABILITY_H
#define IMPACT_RELIABILITY_H

#include <glib.h>
#include <libimpact/impact-macros.h>
#include <libimpact/impact-stats.h>
#include <libimpact/impact-table.h>
#include <libimpact/impact-codebook.h>
#include <libimpact/impact-result.h>

G_BEGIN_DECLS

/** Version of ImpactReliabilityOptions this header describes. */
#define IMPACT_RELIABILITY_OPTIONS_VERSION 1

/** Options of impact_reliability(); initialise with IMPACT_RELIABILITY_OPTIONS_INIT. */
typedef struct {
    guint version;               /**< IMPACT_RELIABILITY_OPTIONS_VERSION = 1 */
    ImpactMissingPolicy missing; /**< default IMPACT_MISSING_PAIRWISE (psych) */
    double ci_level;             /**< Feldt CI level in (0, 1), default 0.95 */
    gboolean omega;              /**< compute omega total, default TRUE */
} ImpactReliabilityOptions;

#define IMPACT_RELIABILITY_OPTIONS_INIT { 1, IMPACT_MISSING_PAIRWISE, 0.95, TRUE }

/**
 * Alpha-family statistics of one set of k items (psych::alpha's "total"
 * line). NaN where undefined.
 */
typedef struct {
    double alpha;        /**< raw: k/(k−1)·(1 − tr(C)/1'C1) */
    double alpha_std;    /**< standardised: k/(k−1)·(1 − k/1'R1), R = cov2cor(C) */
    double g6;           /**< Guttman's lambda 6: 1 − (k − Σ smc(R))/1'R1 */
    double average_r;    /**< (1'R1 − k)/(k(k−1)) */
    double median_r;     /**< median of the off-diagonal r */
    double signal_noise; /**< S/N = k·r̄/(1 − r̄) */
    double ase;          /**< Duhachek & Iacobucci SE sqrt(Q/n) (NaN if n <= 0) */
    double ci_lo;        /**< Feldt lower limit (NaN if n < 2 or for drop lines) */
    double ci_hi;        /**< Feldt upper limit */
} ImpactAlphaStats;

/** Item statistics computed from the covariance matrix (psych's item.stats). */
typedef struct {
    double r_drop;             /**< item–rest r: (ΣC[,i] − C_ii)/sqrt(C_ii·1'C₋ᵢ1) */
    double std_r;              /**< colSums(R)_i / sqrt(1'R1) */
    double r_cor;              /**< as std_r with diag(R) = smc (psych's r.cor) */
    ImpactAlphaStats if_dropped; /**< the statistics of the other k − 1 items;
                                      all NaN when k = 2 (a single item has no alpha) */
} ImpactAlphaItem;

/**
 * Kernel: alpha statistics from a k×k covariance matrix.
 *
 * Formulas (psych 2.2.9 alpha()): with C the covariance matrix, R =
 * cov2cor(C), raw alpha = k/(k−1)·(1 − tr(C)/1'C1); std alpha = k/(k−1)·(1
 * − k/1'R1); G6 = 1 − (k − Σ smc)/1'R1 with smc_i = 1 − 1/[R⁺]_ii (R⁺ the
 * pseudo-inverse, clamped to [0, 1]); ase = sqrt(Q/n) with Q =
 * 2k²/((k−1)²(1'C1)³)·[1'C1·(tr(CC) + tr(C)²) − 2·tr(C)·1'CC1] (Duhachek &
 * Iacobucci 2004, doi:10.1037/0021-9010.89.5.792, with psych's Hattori
 * correction); Feldt CI (Feldt, Woodruff & Salih 1987,
 * doi:10.1177/014662168701100107) at @ci_level: 1 − (1 − α)·F⁻¹(1 − p/2;
 * n − 1, (n − 1)(k − 1)) and 1 − (1 − α)·F⁻¹(p/2; ...), p = 1 − level.
 * Alpha if item i is dropped applies the same formulas to C without row and
 * column i (k ≥ 3); for k = 2 those are NaN (psych reports C12/C22 there,
 * which is not an alpha).
 *
 * @param out       the statistics (caller's struct)
 * @param items     k structs, or NULL to skip the item statistics
 * @param cov       k×k symmetric covariance matrix, column-major
 * @param k         number of items, >= 2
 * @param n         number of respondents (psych: nrow(x)) for ase and CI
 * @param ci_level  in (0, 1)
 *
 * Errors (outputs untouched): IMPACT_ERROR_INSUFFICIENT if k < 2;
 * IMPACT_ERROR_INVALID if @cov holds a non-finite value or a variance <= 0,
 * or @ci_level is outside (0, 1).
 * Complexity O(k⁴) with items (a k³ SMC per dropped item), O(k³) without.
 */
IMPACT_API gboolean impact_reliability_alpha_cov(ImpactAlphaStats *out, ImpactAlphaItem *items,
                                                 const double *cov, gsize k, double n,
                                                 double ci_level, GError **error);

/**
 * Feldt confidence interval of alpha: lo = 1 − (1 − α)·F⁻¹(1 − p/2; n − 1,
 * (n − 1)(k − 1)), hi = 1 − (1 − α)·F⁻¹(p/2; n − 1, (n − 1)(k − 1)), with p
 * = 1 − @level (psych::alpha.ci, finite df2 since psych 2.2.3). Sets NaN
 * when n < 2, k < 2, α is not finite or @level is outside (0, 1).
 */
IMPACT_API void impact_reliability_feldt_ci(double *lo, double *hi, double alpha, double n,
                                            gsize k, double level);

/**
 * Kernel: one-factor minres (unweighted least squares) model of a k×k
 * correlation matrix and McDonald's omega total.
 *
 * The loadings λ minimise F(λ) = Σ_{i<j} (r_ij − λ_i λ_j)², the objective
 * of psych::fa(fm = "minres") with one factor. They are found by principal
 * axis iterations followed by Newton's method on the exact gradient and
 * Hessian until the gradient is at rounding level (|∇F|∞ <= 1e-13), so the
 * answer is the minimiser to machine precision. psych instead optimises the
 * uniquenesses with L-BFGS-B (optim's default factr = 1e7: it stops when F
 * changes by less than 1e7·ε ≈ 2.2e-9), which leaves its loadings up to
 * ~1e-5 from the minimiser along flat directions (measured on psych::bfi:
 * 5.7e-6 for the loadings, 1e-8 for omega). The tests compare with psych's
 * output at 2e-5 and with the Newton-polished optimum in R at 1e-9.
 * psych also bounds each uniqueness 1 − λ² to [0.005, 1]; here a Heywood
 * case (λ² > 0.995) is not bounded but reported by a FALSE @out_heywood.
 *
 * omega_t = (1'R1 − Σ(1 − λ_i²))/1'R1 (McDonald 1999; psych::omega's
 * omega.tot with nfactors = 1). Loadings are signed so that Σλ >= 0.
 *
 * @param out_omega    omega total
 * @param loadings     k loadings (caller's buffer)
 * @param out_heywood  may be NULL; set TRUE if some λ_i² > 0.995
 * @param cor          k×k correlation matrix, column-major
 * @param k            >= 3 (a one-factor model of 2 items is not identified)
 *
 * Errors (outputs untouched): IMPACT_ERROR_INSUFFICIENT if k < 3;
 * IMPACT_ERROR_INVALID for a non-finite entry; IMPACT_ERROR_FAILED if
 * Newton's method does not converge in 200 steps. Complexity O(k³) per step.
 */
IMPACT_API gboolean impact_reliability_omega_cor(double *out_omega, double *loadings,
                                                 gboolean *out_heywood, const double *cor,
                                                 gsize k, GError **error);

/**
 * Reliability and item analysis of every scale of @codebook.
 *
 * Per scale, items are first keyed with the codebook range (reverse items
 * become min + max − x). Then, from pairwise-complete (or, with
 * IMPACT_MISSING_LISTWISE, complete-row) co-moments:
 *   - n (psych: nrow(x): every row of @responses in pairwise mode; the
 *     complete rows of the scale in listwise mode), n_items, and the
 *     statistics of impact_reliability_alpha_cov() (alpha, alpha_std, g6_smc,
 *     average_r, median_r, signal_noise, ase, alpha_ci at the options' level);
 *   - mean and sd of the person scores (the mean of the keyed items each
 *     person answered; persons with no answer are left out);
 *   - per item: n, mean and sd (keyed), raw_r (Pearson r with the person
 *     score, pairwise), std_r, r_cor, r_drop, alpha_if_dropped and the other
 *     "_if_dropped" statistics, loading, reversed;
 *   - omega_total and the items' loadings from impact_reliability_omega_cor()
 *     on the pairwise correlation matrix (cor(x, use = "pairwise"), with
 *     pair-specific variances, as psych::omega uses); the result says so in
 *     "omega_method".
 *
 * Result shape: {"missing": "pairwise"|"listwise", "ci_level": 0.95,
 * "omega_method": "...", "scales": [{"scale", "domain", "n", "n_items",
 * "n_items_used", "alpha", "alpha_ci": [lo, hi], "alpha_std",
 * "omega_total", "average_r", "mean", "sd", "g6_smc", "ase", "median_r",
 * "signal_noise", "items": [{"item", "reversed", "n", "mean", "sd", "raw_r",
 * "r_drop", "alpha_if_dropped", "alpha_std_if_dropped", "loading", "std_r",
 * "r_cor", "g6_if_dropped", "average_r_if_dropped", "alpha_se_if_dropped"}],
 * "warnings": ["..."]}], "warnings": [{"scale", "warning"}]} (the top-level
 * "warnings" repeats every scale's warnings as records, for tables).
 *
 * Degenerate inputs (never an error; the statistic is null and a warning
 * says why): a scale of one item (k = 1) has no alpha or omega; an item with
 * zero variance, fewer than two answers or no answer at all is left out of
 * the covariance statistics (psych deletes zero-variance items too) but
 * still counts in the person scores; fewer than two usable items leave
 * alpha null; omega needs three usable items; two items never answered
 * together leave alpha null; k = 2 has no alpha if item dropped. Items whose
 * r_drop is negative are warned about (the usual sign of a missed reverse
 * key).
 *
 * Differences from psych 2.2.9: psych reverses keyed items with the
 * observed global min + max of the data frame, libimpact with the codebook
 * range; when the observed extremes equal the range the results are
 * identical, otherwise alpha, r_drop, SDs and the if-dropped statistics are
 * unchanged (a covariance does not depend on the reflection point) but item
 * and scale means differ, and with missing data the person scores (hence
 * sd and raw_r) differ as well. psych deletes zero-variance items and then
 * scores (k_good·mean(good) + Σ first values of the bad items)/k; libimpact
 * scores the mean of all answered items (the same value when nothing is
 * missing). psych's omega() flips items that load negatively; libimpact keeps
 * the codebook's keys and warns through r_drop.
 *
 * @param out      on success a new result (caller's; impact_result_free());
 *                 untouched on error
 * @param options  NULL for defaults
 *
 * Errors: IMPACT_ERROR_DATA if an item column is missing or not numeric;
 * IMPACT_ERROR_INVALID for a bad options version or ci_level.
 * Complexity O(n·Σk²) for the co-moments, plus O(Σk⁴) for the item analysis.
 */
IMPACT_API gboolean impact_reliability(ImpactResult **out, const ImpactTable *responses,
                                       const ImpactCodebook *codebook,
                                       const ImpactReliabilityOptions *options, GError **error);

/**
 * Raw Cronbach's alpha of scale @scale of @codebook (items keyed with the
 * codebook range), from pairwise or listwise co-moments as in
 * impact_reliability(). Used for the reliable change index.
 *
 * Errors (*out_alpha untouched): IMPACT_ERROR_INVALID if @scale is out of
 * range; IMPACT_ERROR_DATA for a missing item column;
 * IMPACT_ERROR_INSUFFICIENT if alpha is undefined (fewer than two items
 * with variance, or two items never answered together).
 */
IMPACT_API gboolean impact_reliability_scale_alpha(double *out_alpha, const ImpactTable *responses,
                                                   const ImpactCodebook *codebook, gsize scale,
                                                   ImpactMissingPolicy missing, GError **error);

/**
 * Mergeable accumulator of the reliability co-moments of every scale of a
 * codebook: per scale, for every pair (i, j) of its items and the person
 * score, the count of rows where both are present, the means and sums of
 * squared deviations of each over those rows, and their co-moment. Rows
 * are processed in blocks (two-pass deviations inside a block) and blocks,
 * chunks and accumulators are combined with Chan, Golub & LeVeque's
 * pairwise update (doi:10.1080/00031305.1983.10483115), so any chunking
 * and any merge order give the statistics of a single pass up to rounding
 * in the last bits.
 *
 * The codebook is borrowed and must outlive the accumulator.
 */
typedef struct _ImpactReliabilityAcc ImpactReliabilityAcc;

/** A new empty accumulator for @codebook (borrowed) under @missing. Free
 *  with impact_reliability_acc_free(). O(Σk²) memory. */
IMPACT_API ImpactReliabilityAcc *impact_reliability_acc_new(const ImpactCodebook *codebook,
                                                            ImpactMissingPolicy missing);

/**
 * Adds the rows of @chunk (any table holding the codebook's item columns).
 * Errors (accumulator unchanged): IMPACT_ERROR_DATA for a missing or
 * non-numeric item column. O(rows·Σk²).
 */
IMPACT_API gboolean impact_reliability_acc_add(ImpactReliabilityAcc *acc, const ImpactTable *chunk,
                                               GError **error);

/**
 * Adds the rows r of @chunk with keep[r] TRUE (a row mask of @n =
 * impact_table_n_rows(@chunk) entries), as impact_reliability_acc_add() of
 * impact_table_filter(@chunk, @keep) would, without copying the table: the
 * same statistics bit for bit. Errors (accumulator unchanged):
 * IMPACT_ERROR_INVALID if @n is not the number of rows; as
 * impact_reliability_acc_add(). O(rows·Σk²).
 */
IMPACT_API gboolean impact_reliability_acc_add_rows(ImpactReliabilityAcc *acc,
                                                    const ImpactTable *chunk,
                                                    const gboolean *keep, gsize n,
                                                    GError **error);

/**
 * Raw Cronbach's alpha of scale @scale from the accumulated co-moments,
 * exactly impact_reliability_scale_alpha() of the rows added (pairwise or
 * listwise as the accumulator's policy).
 * Errors (*out_alpha untouched): IMPACT_ERROR_INVALID if @scale is out of
 * range; IMPACT_ERROR_INSUFFICIENT if alpha is undefined (fewer than two
 * items with variance, or two items never answered together). O(k⁴) at
 * most (the item analysis of one scale).
 */
IMPACT_API gboolean impact_reliability_acc_scale_alpha(double *out_alpha,
                                                       const ImpactReliabilityAcc *acc,
                                                       gsize scale, GError **error);

/**
 * Merges @other into @acc (acc becomes the statistics of both).
 * Errors (acc unchanged): IMPACT_ERROR_INVALID if the two were made for
 * different codebooks (items, scales, ranges, keys) or missing policies.
 */
IMPACT_API gboolean impact_reliability_acc_merge(ImpactReliabilityAcc *acc,
                                                 const ImpactReliabilityAcc *other,
                                                 GError **error);

/**
 * The result of impact_reliability() from the accumulated statistics
 * (options->missing is ignored: the accumulator's policy applies).
 * Errors: IMPACT_ERROR_INVALID for bad options.
 */
IMPACT_API gboolean impact_reliability_acc_result(ImpactResult **out,
                                                  const ImpactReliabilityAcc *acc,
                                                  const ImpactReliabilityOptions *options,
                                                  GError **error);

/**
 * The accumulator as portable bytes (format version 1: magic "IMPREL", a
 * fingerprint of the codebook, the policy, then little-endian IEEE doubles).
 * The bytes are the caller's (g_bytes_unref()).
 */
IMPACT_API GBytes *impact_reliability_acc_serialize(const ImpactReliabilityAcc *acc);

/**
 * An accumulator from impact_reliability_acc_serialize() bytes, for
 * @codebook (borrowed; must be the codebook it was made for).
 * Errors (NULL returned): IMPACT_ERROR_INVALID for bytes that are not such
 * an accumulator, a different format version, or a different codebook.
 */
IMPACT_API ImpactReliabilityAcc *impact_reliability_acc_deserialize(GBytes *bytes,
                                                                    const ImpactCodebook *codebook,
                                                                    GError **error);

/** Frees an accumulator; NULL is accepted. */
IMPACT_API void impact_reliability_acc_free(ImpactReliabilityAcc *acc);

#ifndef SWIG
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImpactReliabilityAcc, impact_reliability_acc_free)
#endif

G_END_DECLS

#endif /* IMPACT_RELIABILITY_H */
