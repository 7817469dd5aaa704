/* impact-effect.h — effect-size kernels: paired change (d_z, d_rm, d_av, d_b),
 * independent groups (Cohen's d, Hedges' g), noncentral-t intervals,
 * difference in differences, Morris's d_ppc2, the reliable change index.
 *
 * Pure functions over arrays or summary statistics; no allocation that
 * outlives a call. Undefined statistics are NaN (never an abort).
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#if !defined(IMPACT_INSIDE) && !defined(IMPACT_COMPILATION)
#error "Only <libimpact/impact.h> can be included directly."
#endif

#ifndef IMPACT_EFFECT_H
#define IMPACT_EFFECT_H

#include <glib.h>
#include <libimpact/impact-macros.h>

G_BEGIN_DECLS

/**
 * Noncentral-t interval for a noncentrality parameter, as effectsize 0.8.3's
 * cohens_d() (ci method "ncp"): the ncp values δ_lo < δ_hi with
 * pt(t, df, δ_lo) = 1 − α/2 and pt(t, df, δ_hi) = α/2, α = 1 − level
 * (Steiger & Fouladi 1997; Cumming & Finch 2001, doi:10.1177/0013164401614002).
 * pt is R's noncentral t distribution (libRmath pnt). The roots are found
 * by bracketing (expanding steps from t) and Brent's method to an absolute
 * tolerance of 1e-13 + 4ε|δ|; effectsize uses Nelder–Mead with abstol 1e-9
 * on |p − target|, so it agrees to about 1e-8 only.
 *
 * A standardised difference d = t·√h (h = 1/n paired, 1/n₁ + 1/n₂
 * independent) has the interval [δ_lo·√h, δ_hi·√h].
 *
 * @return FALSE (limits NaN) if t is not finite, df <= 0, level not in (0, 1)
 *   or a root cannot be bracketed. O(iterations of pnt).
 */
IMPACT_API gboolean impact_effect_ncp_t_ci(double *lo, double *hi, double t, double df,
                                           double level);

/** Statistics of paired scores (pre = baseline/reference, post = follow-up). */
typedef struct {
    double n;              /**< complete pairs */
    double mean_pre, sd_pre, mean_post, sd_post;
    double mean_change;    /**< m = mean(post − pre) */
    double sd_change;      /**< s_D = sd(post − pre), n − 1 */
    double r;              /**< Pearson r of pre and post */
    double t, df, p;       /**< paired t = m/(s_D/√n), df = n − 1, two-sided p */
    double change_lo, change_hi; /**< m ± t_{1−α/2, df}·s_D/√n */
    double j;              /**< exact Hedges J(n − 1) */
    double d_z, d_z_lo, d_z_hi;  /**< m/s_D; noncentral-t CI (effectsize cohens_d(paired = TRUE)) */
    double g_z, g_z_lo, g_z_hi;  /**< J·d_z, CI × J (effectsize 0.8.3 hedges_g(paired = TRUE)) */
    double d_rm, d_rm_lo, d_rm_hi; /**< m/(s_D/√(2(1 − r))); normal CI */
    double g_rm, g_rm_lo, g_rm_hi;
    double d_av, d_av_lo, d_av_hi; /**< m/√((s_pre² + s_post²)/2); normal CI */
    double g_av, g_av_lo, g_av_hi;
    double d_b, d_b_lo, d_b_hi;    /**< Becker: m/s_pre; normal CI */
    double g_b, g_b_lo, g_b_hi;
} ImpactPairedEffect;

/**
 * Paired (pre/post) statistics and effect sizes from the complete pairs of
 * @pre and @post (a pair with a NaN in either is skipped).
 *
 * Paired t: t = m/(s_D/√n), df = n − 1, p = 2·pt(−|t|, df), CI m ± qt·s_D/√n
 * (R's t.test(post, pre, paired = TRUE)).
 *
 * Effect sizes, with f = 2(1 − r) and the normal-approximation SEs of
 * effectsize ≥ 0.8.7 rm_d() (Lakens 2013, doi:10.3389/fpsyg.2013.00863;
 * Becker 1988, doi:10.1111/j.2044-8317.1988.tb00901.x):
 *   d_z  = m/s_D                  CI: noncentral t (impact_effect_ncp_t_ci, h = 1/n)
 *   d_rm = m/(s_D/√f)             SE = √((1/n + d²/(2n))·f)
 *   d_av = m/√((s_pre²+s_post²)/2) SE = (s_D/√n)/s_av
 *   d_b  = m/s_pre                SE = √(f/n + d²/(2n))
 * normal CIs d ± z_{1−α/2}·SE. Each g = J·d with the exact
 * J(df) = Γ(df/2)/(√(df/2)·Γ((df − 1)/2)), df = n − 1, and its CI is the d
 * CI times J (effectsize's adjust = TRUE).
 *
 * Edge cases: n < 2 → everything but n and the means NaN; s_D = 0 → t, p,
 * d_z and d_rm NaN (infinite standardised change is not reported); s_pre or
 * s_post = 0 → r NaN (and d_rm, d_b as they need it); n = 2 → J NaN so g's
 * NaN. O(n), two passes.
 */
IMPACT_API void impact_effect_paired(ImpactPairedEffect *out, const double *pre,
                                     const double *post, gsize n, double level);

/**
 * As impact_effect_paired() from summary statistics: @n pairs, the means,
 * the variances (n − 1) of pre and post and their covariance. O(1) plus the
 * noncentral-t root finding.
 */
IMPACT_API void impact_effect_paired_summary(ImpactPairedEffect *out, double n,
                                             double mean_pre, double mean_post, double var_pre,
                                             double var_post, double cov, double level);

/** Standardised difference of two independent groups (x = treated, y = reference). */
typedef struct {
    double n_x, n_y;
    double mean_x, sd_x, mean_y, sd_y;
    double sd_pooled;      /**< √(((n_x−1)s_x² + (n_y−1)s_y²)/(n_x+n_y−2)) */
    double t, df, p;       /**< Student t on df = n_x + n_y − 2, two-sided p */
    double d, d_lo, d_hi;  /**< (x̄ − ȳ)/s_p; noncentral-t CI, h = 1/n_x + 1/n_y */
    double j;              /**< J(n_x + n_y − 2) */
    double g, g_lo, g_hi;  /**< J·d, CI × J */
} ImpactIndependentEffect;

/**
 * Cohen's d and Hedges' g of independent groups with the noncentral-t CI,
 * as effectsize 0.8.3 cohens_d(x, y) / hedges_g(x, y) (pooled SD; Hedges
 * & Olkin 1985). NaN values are skipped. Either group with n < 1, or
 * n_x + n_y < 3, or s_p = 0 gives NaN statistics. From summaries: the same
 * with @var_x, @var_y sample variances. O(n).
 */
IMPACT_API void impact_effect_independent(ImpactIndependentEffect *out, const double *x,
                                          gsize n_x, const double *y, gsize n_y, double level);

/** As impact_effect_independent() from group sizes, means and variances. */
IMPACT_API void impact_effect_independent_summary(ImpactIndependentEffect *out, double n_x,
                                                  double mean_x, double var_x, double n_y,
                                                  double mean_y, double var_y, double level);

/** Difference in differences of two arms' mean changes, Welch interval. */
typedef struct {
    double did;            /**< m_T − m_C (mean changes) */
    double se;             /**< √(s_T²/n_T + s_C²/n_C), s the SDs of change */
    double df;             /**< Welch–Satterthwaite df */
    double t, p;           /**< did/se, two-sided p */
    double lo, hi;         /**< did ± qt(1 − α/2, df)·se (R t.test(cT, cC)) */
} ImpactDid;

/**
 * Difference in differences from each arm's number of pairs, mean change and
 * SD of change, with Welch's t (Welch 1947, doi:10.1093/biomet/34.1-2.28):
 * df = se⁴/((s_T²/n_T)²/(n_T − 1) + (s_C²/n_C)²/(n_C − 1)). Needs n >= 2 in
 * both arms and se > 0, else NaN (did itself needs n >= 1). O(1).
 */
IMPACT_API void impact_effect_did(ImpactDid *out, double n_t, double mean_change_t,
                                  double sd_change_t, double n_c, double mean_change_c,
                                  double sd_change_c, double level);

/** Morris (2008) d_ppc2 of a pretest–posttest–control design. */
typedef struct {
    double d;              /**< c_p·((M_post,T − M_pre,T) − (M_post,C − M_pre,C))/SD_pre,pooled */
    double cp;             /**< 1 − 3/(4(n_T + n_C − 2) − 1) */
    double sd_pre_pooled;  /**< √(((n_T−1)s²_pre,T + (n_C−1)s²_pre,C)/(n_T+n_C−2)) */
    double rho;            /**< the pre–post correlation used in the variance */
    double var;            /**< Morris eq. 25 */
    double lo, hi;         /**< d ± z_{1−α/2}·√var */
} ImpactPpc2;

/**
 * Morris's d_ppc2 (Morris 2008, doi:10.1177/1094428106291059, eqs. 8, 16, 25),
 * as MDMA's dPPC2(): the bias correction is the approximate
 * c_p = 1 − 3/(4(n_T + n_C − 2) − 1), and
 *   σ²(d) = 2c_p²(1 − ρ)·((n_T+n_C)/(n_T n_C))·((n_T+n_C−2)/(n_T+n_C−4))
 *           ·[1 + d²/(2(1 − ρ)(n_T+n_C)/(n_T n_C))] − d².
 * @rho is the pre–post correlation (MDMA: over the pooled rows of both arms;
 * the caller chooses). Needs n_T, n_C >= 2 and SD_pre,pooled > 0 for d;
 * n_T + n_C > 4, ρ < 1 and σ² >= 0 for the variance and CI (else NaN). O(1).
 */
IMPACT_API void impact_effect_ppc2(ImpactPpc2 *out, double n_t, double mean_pre_t,
                                   double mean_post_t, double sd_pre_t, double n_c,
                                   double mean_pre_c, double mean_post_c, double sd_pre_c,
                                   double rho, double level);

/** Reliable change (Jacobson & Truax 1991). */
typedef struct {
    double s_diff;         /**< √2·s_pre·√(1 − r_xx) */
    gsize n;               /**< complete pairs classified */
    gsize improved;        /**< RCI > 1.96 */
    gsize unchanged;       /**< −1.96 <= RCI <= 1.96 */
    gsize deteriorated;    /**< RCI < −1.96 */
} ImpactRci;

/**
 * Reliable change index per pair, RCI_i = (post_i − pre_i)/S_diff with
 * S_diff = √(2·SE_m²), SE_m = s_pre·√(1 − r_xx) (Jacobson & Truax 1991,
 * doi:10.1037/0022-006X.59.1.12), and the counts of pairs reliably improved
 * (RCI > 1.96: an increase is an improvement), unchanged and deteriorated.
 *
 * @param out_rci  n values (caller's buffer, may be NULL): NaN for an
 *                 incomplete pair or when S_diff is not positive
 * @param sd_pre   s_pre, the SD of the baseline scores (the caller's choice:
 *                 libimpact's analysis uses the SD of the paired baseline scores)
 * @param rxx      reliability in [0, 1)
 * @return FALSE when S_diff is not a positive finite number (s_pre <= 0,
 *   r_xx outside [0, 1), NaN): then the counts are 0 and s_diff is NaN. O(n).
 */
IMPACT_API gboolean impact_effect_rci(ImpactRci *out, double *out_rci, const double *pre,
                                      const double *post, gsize n, double sd_pre, double rxx);

G_END_DECLS

#endif /* IMPACT_EFFECT_H */
