/* impact-icc.h — rater reliability: the six Shrout–Fleiss / McGraw–Wong
 * intraclass correlations of a complete targets × raters matrix.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#if !defined(IMPACT_INSIDE) && !defined(IMPACT_COMPILATION)
#error "Only <libimpact/impact.h> can be included directly."
#endif

#ifndef IMPACT_ICC_H
#define IMPACT_ICC_H

#include <glib.h>
#include <libimpact/impact-macros.h>

G_BEGIN_DECLS

/** Index of each form in the arrays of ImpactIcc (psych::ICC's row order). */
typedef enum {
    IMPACT_ICC1 = 0,  /**< single rater, absolute agreement, one-way (raters nested in targets) */
    IMPACT_ICC2 = 1,  /**< single random rater, absolute agreement, two-way random */
    IMPACT_ICC3 = 2,  /**< single fixed rater, consistency, two-way mixed */
    IMPACT_ICC1K = 3, /**< mean of k raters, one-way */
    IMPACT_ICC2K = 4, /**< mean of k random raters */
    IMPACT_ICC3K = 5  /**< mean of k fixed raters */
} ImpactIccForm;

/** Number of forms in ImpactIcc. */
#define IMPACT_ICC_N_FORMS 6

/**
 * The six intraclass correlations with their F tests and confidence
 * intervals, indexed by ImpactIccForm (ICC1, ICC2, ICC3, ICC1k, ICC2k,
 * ICC3k), plus the ANOVA mean squares they come from.
 */
typedef struct {
    double icc[6];   /**< the coefficient */
    double f[6];     /**< F statistic: MSB/MSW (ICC1, ICC1k) or MSB/MSE (others) */
    double df1[6];   /**< numerator df: n − 1 */
    double df2[6];   /**< denominator df: n(k − 1) (one-way) or (n − 1)(k − 1) */
    double p[6];     /**< upper-tail p of F */
    double lower[6]; /**< lower confidence bound */
    double upper[6]; /**< upper confidence bound */
    double msb;      /**< between-targets mean square, df n − 1 */
    double msw;      /**< within-targets mean square (raters + residual), df n(k − 1) */
    double msj;      /**< between-raters (judges) mean square, df k − 1 */
    double mse;      /**< residual mean square, df (n − 1)(k − 1) */
} ImpactIcc;

/** "ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k" (static), or NULL. */
IMPACT_API const char *impact_icc_form_name(ImpactIccForm form);

/**
 * Shrout & Fleiss (1979) / McGraw & Wong (1996) intraclass correlations of
 * @n targets rated by the same @k raters, as psych::ICC (psych 2.2.9)
 * computes them on complete data (its ANOVA route, lmer = FALSE; the default
 * lmer = TRUE gives the same mean squares on complete balanced data up to
 * lme4's optimiser, and differs where REML truncates a negative variance
 * component at zero).
 *
 * Two-way ANOVA without replication: with grand mean m, target means r_i,
 * rater means c_j,
 *   MSB = k Σ(r_i − m)²/(n − 1), MSJ = n Σ(c_j − m)²/(k − 1),
 *   MSE = Σ(x_ij − r_i − c_j + m)²/((n − 1)(k − 1)),
 *   MSW = (SSJ + SSE)/(n(k − 1)).
 *   ICC1 = (MSB − MSW)/(MSB + (k − 1)MSW)      ICC1k = (MSB − MSW)/MSB
 *   ICC2 = (MSB − MSE)/(MSB + (k − 1)MSE + k(MSJ − MSE)/n)
 *   ICC2k = (MSB − MSE)/(MSB + (MSJ − MSE)/n)
 *   ICC3 = (MSB − MSE)/(MSB + (k − 1)MSE)      ICC3k = (MSB − MSE)/MSB
 * F = MSB/MSW on (n − 1, n(k − 1)) df for ICC1/ICC1k, MSB/MSE on
 * (n − 1, (n − 1)(k − 1)) for the others; p = P(F' > F).
 * Confidence intervals with a = 1 − level split over both tails:
 *   FL = F / F⁻¹(1 − a/2; df1, df2), FU = F · F⁻¹(1 − a/2; df2, df1);
 *   single forms 1 and 3: [(FL − 1)/(FL + k − 1), (FU − 1)/(FU + k − 1)];
 *   average forms 1k and 3k: [1 − 1/FL, 1 − 1/FU];
 *   ICC2 uses McGraw & Wong's Satterthwaite df
 *   v = (k−1)(n−1)(kρFj + n(1 + (k−1)ρ) − kρ)² / ((n−1)k²ρ²Fj² + (n(1 + (k−1)ρ) − kρ)²)
 *   with ρ = ICC2, Fj = MSJ/MSE, F* = F⁻¹(1 − a/2; n − 1, v), F** = F⁻¹(1 − a/2; v, n − 1):
 *   L = n(MSB − F*·MSE)/(F*(k·MSJ + (kn − k − n)MSE) + n·MSB),
 *   U = n(F**·MSB − MSE)/(k·MSJ + (kn − k − n)MSE + n·F**·MSB);
 *   ICC2k bounds are the Spearman–Brown steps up of ICC2's: kL/(1 + (k − 1)L).
 * Quantiles and probabilities are R's own (libRmath qf/pf).
 *
 * References: Shrout, P. E. & Fleiss, J. L. (1979). Intraclass correlations:
 * uses in assessing rater reliability. Psychological Bulletin 86, 420–428,
 * doi:10.1037/0033-2909.86.2.420. McGraw, K. O. & Wong, S. P. (1996).
 * Forming inferences about some intraclass correlation coefficients.
 * Psychological Methods 1, 30–46, doi:10.1037/1082-989X.1.1.30.
 *
 * In 360° feedback the raters of a leader are different people for each
 * leader (raters nested in targets): ICC1 / ICC1k are the forms that fit;
 * ICC2/3 need the same raters crossed with every target.
 *
 * @param out   on success the six forms; untouched on error
 * @param x     the n × k matrix, column-major like R (x[i + j·n] is target
 *              i's rating by rater j); complete
 * @param n     number of targets (>= 2)
 * @param k     number of raters (>= 2)
 * @param level confidence level in (0, 1), e.g. 0.95 (psych's alpha = 1 − level)
 *
 * Degenerate data: where a formula divides zero by zero (no variance at
 * all, or MSB = MSW = 0) the value is NaN; other degenerate mean squares
 * give what the formulas give in IEEE arithmetic (MSE = 0 with MSB > 0:
 * F = +Inf, p = 0, ICC3 = 1; MSB = 0: ICC1k = −Inf). When Satterthwaite's
 * v is below 1e-10 (only when MSB ≈ 0 drives ICC2 far below −1/(k − 1))
 * the ICC2 and ICC2k bounds are NaN: there psych returns NaN or a
 * meaningless bound with qbeta's "not accurate" warning.
 *
 * Errors: IMPACT_ERROR_INSUFFICIENT if n < 2 or k < 2; IMPACT_ERROR_DATA
 * naming target and rater (1-based) for a missing or non-finite value;
 * IMPACT_ERROR_INVALID for a level outside (0, 1).
 *
 * Complexity: O(n·k) time, O(n + k) memory.
 */
IMPACT_API gboolean impact_icc_shrout_fleiss(ImpactIcc *out, const double *x, gsize n, gsize k,
                                             double level, GError **error);

G_END_DECLS

#endif /* IMPACT_ICC_H */
