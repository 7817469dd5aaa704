/* impact-agreement.h — team and organisation domains: aggregation of
 * individual answers to groups, within-group agreement (rwg, rwg(j), AD,
 * awg), ICC(1)/ICC(2), design effect, with disclosure control.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#if !defined(IMPACT_INSIDE) && !defined(IMPACT_COMPILATION)
#error "Only <libimpact/impact.h> can be included directly."
#endif

#ifndef IMPACT_AGREEMENT_H
#define IMPACT_AGREEMENT_H

#include <glib.h>
#include <libimpact/impact-macros.h>
#include <libimpact/impact-stats.h>
#include <libimpact/impact-codebook.h>
#include <libimpact/impact-table.h>
#include <libimpact/impact-result.h>

G_BEGIN_DECLS

/**
 * The null ("no agreement") response distribution whose variance σ²_E
 * rwg compares the observed within-group variance with.
 *
 * UNIFORM: σ²_EU = (A² − 1)/12 for A response options (James, Demaree &
 * Wolf 1984). The others are the tabulated variances of LeBreton & Senter
 * (2008), Organizational Research Methods 11(4), 815–852,
 * doi:10.1177/1094428106296642, for A = 5..11 only.
 */
typedef enum {
    IMPACT_NULL_UNIFORM = 0,
    IMPACT_NULL_SLIGHT_SKEW,
    IMPACT_NULL_MODERATE_SKEW,
    IMPACT_NULL_HEAVY_SKEW,
    IMPACT_NULL_TRIANGULAR,
    IMPACT_NULL_NORMAL
} ImpactNullDistribution;

/** "uniform", "slight", "moderate", "heavy", "triangular", "normal" (static). */
IMPACT_API const char *impact_null_distribution_name(ImpactNullDistribution null_distribution);

/**
 * Parses a null distribution name as printed by impact_null_distribution_name()
 * (also "slight_skew", "moderate_skew", "heavy_skew"; case-insensitive).
 * Errors: IMPACT_ERROR_INVALID naming the text.
 */
IMPACT_API gboolean impact_null_distribution_parse(const char *text, ImpactNullDistribution *out,
                                                   GError **error);

/** Options of impact_agreement(); initialise with IMPACT_AGREEMENT_OPTIONS_INIT. */
typedef struct {
    guint version;                  /**< 1 */
    const char *group;              /**< grouping column (team or organisation), required */
    const char *within;             /**< optional parent column (team within organisation), NULL */
    gsize min_group;                /**< anonymity k: default 3 (1 switches suppression off) */
    ImpactMissingPolicy missing;    /**< default IMPACT_MISSING_LISTWISE (multilevel 2.7) */
    ImpactNullDistribution null_distribution; /**< default uniform */
    gboolean lindell;               /**< untruncated Lindell r*wg(j) instead of truncated rwg(j); default FALSE */
    double rwg_threshold;           /**< default 0.70 */
    /** Pooled statistics (ICC, F, mean squares, design effects, mean and
        share of rwg(j)) over all groups, suppressed ones included, exactly
        as multilevel. Default FALSE: over the published groups only, so
        that no pooled number helps to narrow down a suppressed group (with
        all groups, the mean squares, the unequal-cluster design effect and
        the total would let a reader solve for a small group's n and mean).
        Nothing is suppressed with min_group = 1, and then both agree. */
    gboolean pool_all;
} ImpactAgreementOptions;

#define IMPACT_AGREEMENT_OPTIONS_VERSION 1
#define IMPACT_AGREEMENT_OPTIONS_INIT { 1, NULL, NULL, 3, IMPACT_MISSING_LISTWISE, IMPACT_NULL_UNIFORM, FALSE, 0.70, FALSE }

/* ---- kernels ------------------------------------------------------------ */

/**
 * Null variance σ²_E for a response scale from @min to @max in whole steps
 * (A = max − min + 1 options).
 *
 * UNIFORM: (A² − 1)/12 for any A >= 2 (A = 5 gives 2, multilevel's default
 * ranvar). Other nulls: LeBreton & Senter (2008) table, as in REFERENCE.md
 * §2.8 (e.g. A = 5: slight 1.34, moderate 0.90, heavy 0.44, triangular 1.32,
 * normal 1.04).
 *
 * @param out set on success
 * Errors: IMPACT_ERROR_INVALID if max − min is not a whole number >= 1, or a
 * non-uniform null is asked for with A outside 5..11 (not tabulated).
 */
IMPACT_API gboolean impact_agreement_null_variance(double *out, double min, double max,
                                                   ImpactNullDistribution null_distribution,
                                                   GError **error);

/**
 * Single-item agreement rwg = 1 − s²/σ²_E (James, Demaree & Wolf 1984,
 * J. Applied Psychology 69, 85–98, doi:10.1037/0021-9010.69.1.85).
 *
 * @param var      observed within-group variance s² (n − 1 denominator)
 * @param null_var σ²_E (> 0)
 * @param truncate multilevel 2.7's rule: s² > σ²_E is set to σ²_E, so rwg is
 *                 in [0, 1]; FALSE gives the untruncated value (can be < 0)
 * @return NaN if @var is NaN (a group of fewer than 2) or @null_var <= 0.
 * O(1).
 */
IMPACT_API double impact_agreement_rwg(double var, double null_var, gboolean truncate);

/**
 * Multi-item agreement rwg(j) = J(1 − s̄²/σ²_E) / [J(1 − s̄²/σ²_E) + s̄²/σ²_E]
 * (James, Demaree & Wolf 1984), s̄² the mean of the J item variances,
 * truncated as multilevel 2.7 (s̄² > σ²_E → s̄² = σ²_E, giving 0). J = 1
 * gives rwg.
 *
 * With @lindell, the untruncated r*wg(j) = 1 − s̄²/σ²_E of Lindell,
 * Brandt & Whitney (1999), Applied Psychological Measurement 23, 127–135,
 * doi:10.1177/01466219922031257 (range −1..1 for the uniform null; no
 * Spearman–Brown inflation with J).
 *
 * @return NaN if @mean_var is NaN, @n_items is 0 or @null_var <= 0. O(1).
 */
IMPACT_API double impact_agreement_rwg_j(double mean_var, gsize n_items, double null_var,
                                         gboolean lindell);

/**
 * Average deviation AD = Σ|x_i − c|/n about the mean (@median FALSE) or the
 * median (TRUE; R's median: the mean of the two middle values for even n) of
 * the non-missing values of @x (Burke, Finkelstein & Dusig 1999,
 * Organizational Research Methods 2, 49–68, doi:10.1177/109442819921004).
 * The divisor is n, as multilevel::ad.m.
 *
 * @return NaN for fewer than 2 non-missing values (multilevel: a group of
 *   size 1 gives NA). O(n log n) for the median, O(n) for the mean.
 */
IMPACT_API double impact_agreement_ad(const double *x, gsize n, gboolean median);

/**
 * Brown & Hauenstein (2005) a_wg for one item in one group (Organizational
 * Research Methods 8, 165–184, doi:10.1177/1094428105275376):
 * a_wg = 1 − 2s² / {[(H + L)M − M² − H·L] · n/(n − 1)} on a scale from L
 * (@min) to H (@max), M the group mean, s² its variance (n − 1), n the
 * group size.
 *
 * As multilevel 2.7 `awg`: 1 if M equals L or H; NaN if M lies outside
 * [(L(n−1) + H)/n, (H(n−1) + L)/n] (the maximum variance is then
 * undefined); NaN for n < 2. O(1).
 */
IMPACT_API double impact_agreement_awg(double mean, double var, double n, double min, double max);

/** One-way random-effects ANOVA of a score on a grouping, for ICC(1)/ICC(2). */
typedef struct {
    double n;            /**< N: people in groups with n_j >= 1 */
    double n_groups;     /**< G: groups with n_j >= 1 */
    double ss_between;   /**< Σ n_j (ȳ_j − ȳ)² */
    double ss_within;    /**< Σ M2_j */
    double df_between;   /**< G − 1 */
    double df_within;    /**< N − G */
    double ms_between;   /**< MSB = SSB/(G − 1) */
    double ms_within;    /**< MSW = SSW/(N − G) */
    double f;            /**< MSB/MSW */
    double mean_size;    /**< k̄ = N/G (multilevel 2.7's GSIZE) */
    double icc1;         /**< (MSB − MSW)/(MSB + (k̄ − 1)MSW), not truncated */
    double icc2;         /**< (MSB − MSW)/MSB = 1 − 1/F */
    double grand_mean;   /**< ȳ */
} ImpactGroupIcc;

/**
 * ICC(1) and ICC(2) of Bliese (2000) exactly as multilevel 2.7's
 * ICC1(aov(y ~ as.factor(g))) and ICC2(): from per-group n_j, means ȳ_j
 * and sums of squared deviations M2_j (e.g. ImpactMoments), with k̄ = N/G
 * (not the unbalanced n₀) and no truncation of negative values. Bliese
 * (2000) in Klein & Kozlowski (eds.), Multilevel theory, research, and
 * methods in organizations, 349–381.
 *
 * Groups with n_j = 0 are ignored. Degenerate cases give NaN (never an
 * error): G = 0 for everything but n and n_groups (0); G < 2 (no df
 * between) or N = G (no df within) for the mean squares, F and both ICCs;
 * MSB = 0 for ICC(2); MSW = 0 for F.
 *
 * @param out     set to the ANOVA (always)
 * @param n       n_groups sizes
 * @param mean    n_groups means (ignored where n_j = 0)
 * @param m2      n_groups Σ(y − ȳ_j)²
 * Complexity O(G), two passes (grand mean, then SSB).
 */
IMPACT_API void impact_agreement_icc(ImpactGroupIcc *out, const double *n, const double *mean,
                                     const double *m2, gsize n_groups);

/**
 * Kish design effect Deff = 1 + (m̄ − 1)·ICC for clusters of mean size m̄.
 * @return NaN if either argument is NaN. O(1).
 */
IMPACT_API double impact_agreement_design_effect(double mean_size, double icc);

/**
 * Design effect for unequal cluster sizes (Eldridge, Ashby & Kerry 2006,
 * Int. J. Epidemiology 35, 1292–1300, doi:10.1093/ije/dyl129):
 * Deff = 1 + ((1 + CV²)·m̄ − 1)·ICC, CV = population SD of the sizes over
 * their mean m̄; the same as Kish's m̃ = Σm_j²/Σm_j in place of m̄.
 * Clusters of size 0 are ignored. NaN if there is no cluster or ICC is NaN.
 * O(G).
 */
IMPACT_API double impact_agreement_design_effect_unequal(const double *n, gsize n_groups,
                                                         double icc);

/**
 * Effective sample size N/Deff (Kish 1965). NaN if @deff <= 0 or NaN. O(1).
 */
IMPACT_API double impact_agreement_effective_n(double n, double deff);

/* ---- analysis ----------------------------------------------------------- */

/**
 * Within-group agreement and aggregation statistics of every scale of
 * @codebook, per group of column @options->group (team or organisation),
 * optionally nested in @options->within (then groups are keyed by the pair
 * parent/group, so team "1" of two organisations are two teams, and the
 * parents get their own statistics), with disclosure control.
 *
 * Per scale and group: n (rows used), mean and SD of the scale score (the
 * codebook's keyed weighted mean of the items, as impact_score_kernel()),
 * rwg(j) (rwg for a one-item scale; null distribution from the scale's
 * range; Lindell r*wg(j) with @options->lindell), AD_M(J) about the mean and
 * about the median (mean over items), a_wg(j) (mean over items of the
 * defined item a_wg, as multilevel's awg). Per scale, pooled over the
 * published groups (or all groups with @options->pool_all, echoed as
 * "pool_all"; "n_pooled" and "n_groups_pooled" say how many): ICC(1),
 * ICC(2), F, MSB, MSW (impact_agreement_icc() on the groups' scale-score
 * moments), design effects and effective N, and over the groups with a
 * defined rwg(j) its mean and the share >= @options->rwg_threshold. "n"
 * and "n_groups" count every group (people and groups with n >= 1).
 *
 * Disclosure (impact_disclosure_decide() per scale, over the groups and,
 * with @options->within, the parents; the total N is assumed public):
 * "groups" lists the published groups; "suppressed" the others, with
 * "reason" "primary" (n < k) or "complementary" (hidden so that no
 * published parent or total, minus the published groups, gives the
 * statistics of fewer than k people), and "n" only where showing it cannot
 * reveal a primary group's size. Every number of the output is then a
 * function of the published groups' numbers and the total (unless
 * @options->pool_all), so the rule's proof covers the whole output.
 *
 * Missing data: LISTWISE (multilevel 2.7): a row counts for a scale only if
 * it answers every item of the scale; PAIRWISE (multilevel 2.8's rwg.j):
 * each item uses the group's answers to it, s̄² averages the items with at
 * least 2 answers (J = their number), n and the score use rows answering at
 * least one item. Rows with a missing group are dropped (as R's na.exclude).
 * A group of size 1, or an item with fewer than 2 answers, gives null
 * statistics, never an error.
 *
 * Scales whose items do not share one range get null rwg and awg (their
 * "null_variance" is null).
 *
 * Result shape (keys beyond these may be added):
 * {"group_column", "within_column", "min_group", "missing", "null_distribution",
 *  "lindell", "rwg_threshold", "pool_all", "scales": [{"scale", "domain", "n_items",
 *  "null_variance", "n", "n_groups", "n_pooled",
 *  "n_groups_pooled", "icc1", "icc2", "f", "ms_between",
 *  "ms_within", "df_between", "df_within", "mean_group_size", "design_effect",
 *  "design_effect_unequal", "n_effective", "n_effective_unequal",
 *  "n_groups_rwg_j", "mean_rwg_j", "share_rwg_j_above",
 *  "groups": [{"group", ["parent",] "n", "mean", "sd", "rwg_j", "ad_mean",
 *              "ad_median", "awg"}],
 *  "suppressed": [{"group", ["parent",] "reason", ["n"]}],
 *  ["parents": {"group_column", "n_groups", "icc1", ..., "groups", "suppressed"}]}]}
 *
 * @param out a new result (caller's); untouched on error
 * Errors: IMPACT_ERROR_INVALID (options: version, no group column, k = 0, a
 * skewed null for an untabulated number of options, naming the scale);
 * IMPACT_ERROR_DATA (unknown group/within column, a numeric group column,
 * a missing or non-numeric item column).
 * Complexity O(rows · items + groups · items · options) time, O(groups ·
 * items · options) memory (per-group histograms of the answers).
 */
IMPACT_API gboolean impact_agreement(ImpactResult **out, const ImpactTable *responses,
                                     const ImpactCodebook *codebook,
                                     const ImpactAgreementOptions *options, GError **error);

/**
 * Mergeable accumulator of impact_agreement(): per group (keyed by its
 * strings, so chunks with different level codes merge correctly), per
 * scale: the rows counted and the moments (n, mean, M2) of the scale score;
 * per item: the histogram of the answers on the item's whole-number grid
 * (off-grid answers are kept as values). Histograms give exact variances,
 * AD about the mean and the median, and merge exactly, so any chunking
 * gives the same result as one pass (scale-score moments up to rounding).
 * An accumulator is not thread-safe: use one per thread and merge them.
 */
typedef struct _ImpactAgreementAcc ImpactAgreementAcc;

/**
 * A new empty accumulator for @codebook (borrowed: it must outlive the
 * accumulator) and @options (copied; NULL for defaults is not allowed since
 * the group column is required).
 * @return NULL if @codebook or @options is NULL, @options->version is not 1,
 *   @options->group is NULL or min_group is 0 (impact_agreement() reports
 *   these as errors).
 */
IMPACT_API ImpactAgreementAcc *impact_agreement_acc_new(const ImpactCodebook *codebook,
                                                        const ImpactAgreementOptions *options);

/**
 * Adds the rows of @chunk. Errors as impact_agreement() for the columns;
 * the accumulator is unchanged on error. O(rows · items).
 */
IMPACT_API gboolean impact_agreement_acc_add(ImpactAgreementAcc *acc, const ImpactTable *chunk,
                                             GError **error);

/**
 * Merges @other into @acc (groups matched by their strings; new groups are
 * appended in @other's order). Errors: IMPACT_ERROR_INVALID if the two were
 * made with different codebook shapes, group or within columns or
 * missing-data policies, or @other is @acc; the result uses @acc's other
 * options (k, null distribution, Lindell, threshold). O(groups · items).
 */
IMPACT_API gboolean impact_agreement_acc_merge(ImpactAgreementAcc *acc,
                                               const ImpactAgreementAcc *other, GError **error);

/** The result of the rows added so far (shape and errors as impact_agreement()). */
IMPACT_API gboolean impact_agreement_acc_result(ImpactResult **out, const ImpactAgreementAcc *acc,
                                                GError **error);

/**
 * The accumulator as bytes (a GVariant in normal form; caller's), to move
 * it between processes (Dask). Includes the options and group strings.
 */
IMPACT_API GBytes *impact_agreement_acc_serialize(const ImpactAgreementAcc *acc);

/**
 * An accumulator from impact_agreement_acc_serialize() bytes, for
 * @codebook (borrowed; must have the shape it was made with).
 * @return a new accumulator (caller's), or NULL with IMPACT_ERROR_INVALID
 *   for malformed bytes or a different codebook shape.
 */
IMPACT_API ImpactAgreementAcc *impact_agreement_acc_deserialize(GBytes *bytes,
                                                                const ImpactCodebook *codebook,
                                                                GError **error);

/** Frees an accumulator. NULL is accepted. */
IMPACT_API void impact_agreement_acc_free(ImpactAgreementAcc *acc);

#ifndef SWIG
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImpactAgreementAcc, impact_agreement_acc_free)
#endif

G_END_DECLS

#endif /* IMPACT_AGREEMENT_H */
