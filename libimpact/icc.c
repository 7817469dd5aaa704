/* icc.c — Shrout–Fleiss / McGraw–Wong intraclass correlations of a complete
 * targets × raters matrix (the formulas psych::ICC reports).
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <math.h>
#include <Rmath.h>
#include "impact-private.h"

const char *
impact_icc_form_name(ImpactIccForm form)
{
    static const char *const names[] = { "ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k" };
    return (guint) form < IMPACT_ICC_N_FORMS ? names[form] : NULL;
}

/* P(F' > f) as -expm1(log P(F' <= f)), like psych */
static double
upper_p(double f, double df1, double df2)
{
    if (isnan(f)) {
        return NAN;
    }
    return -expm1(pf(f, df1, df2, TRUE, TRUE));
}

gboolean
impact_icc_shrout_fleiss(ImpactIcc *out, const double *x, gsize n, gsize k, double level,
                         GError **error)
{
    g_return_val_if_fail(out != NULL, FALSE);
    if (!(level > 0.0 && level < 1.0)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "ICC: confidence level must be in (0, 1), got %g", level);
        return FALSE;
    }
    if (n < 2 || k < 2) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INSUFFICIENT,
                    "ICC needs at least 2 targets and 2 raters, got %" G_GSIZE_FORMAT
                    " targets and %" G_GSIZE_FORMAT " raters",
                    n, k);
        return FALSE;
    }
    g_return_val_if_fail(x != NULL, FALSE);
    for (gsize j = 0; j < k; j++) {
        for (gsize i = 0; i < n; i++) {
            if (!isfinite(x[i + j * n])) {
                g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                            "ICC needs complete data: the rating of target %" G_GSIZE_FORMAT
                            " by rater %" G_GSIZE_FORMAT " is missing or not finite",
                            i + 1, j + 1);
                return FALSE;
            }
        }
    }
    const double dn = (double) n, dk = (double) k;
    g_autofree double *rm = g_new0(double, n);
    g_autofree double *cm = g_new0(double, k);
    double m = 0.0;
    for (gsize j = 0; j < k; j++) {
        for (gsize i = 0; i < n; i++) {
            m += x[i + j * n];
        }
    }
    m /= dn * dk;
    /* two-pass means: deviations from m keep the sums small */
    for (gsize j = 0; j < k; j++) {
        for (gsize i = 0; i < n; i++) {
            double d = x[i + j * n] - m;
            rm[i] += d;
            cm[j] += d;
        }
    }
    double ssb = 0.0, ssj = 0.0, sse = 0.0;
    for (gsize i = 0; i < n; i++) {
        rm[i] /= dk; /* r_i − m */
        ssb += rm[i] * rm[i];
    }
    for (gsize j = 0; j < k; j++) {
        cm[j] /= dn; /* c_j − m */
        ssj += cm[j] * cm[j];
    }
    ssb *= dk;
    ssj *= dn;
    for (gsize j = 0; j < k; j++) {
        for (gsize i = 0; i < n; i++) {
            double e = x[i + j * n] - m - rm[i] - cm[j];
            sse += e * e;
        }
    }
    const double dfb = dn - 1.0, dfj = dk - 1.0, dfe = (dn - 1.0) * (dk - 1.0);
    const double dfw = dn * (dk - 1.0);
    const double msb = ssb / dfb, msj = ssj / dfj, mse = sse / dfe, msw = (ssj + sse) / dfw;

    ImpactIcc r;
    r.msb = msb;
    r.msw = msw;
    r.msj = msj;
    r.mse = mse;
    r.icc[IMPACT_ICC1] = (msb - msw) / (msb + (dk - 1.0) * msw);
    r.icc[IMPACT_ICC2] = (msb - mse) / (msb + (dk - 1.0) * mse + dk * (msj - mse) / dn);
    r.icc[IMPACT_ICC3] = (msb - mse) / (msb + (dk - 1.0) * mse);
    r.icc[IMPACT_ICC1K] = (msb - msw) / msb;
    r.icc[IMPACT_ICC2K] = (msb - mse) / (msb + (msj - mse) / dn);
    r.icc[IMPACT_ICC3K] = (msb - mse) / msb;

    const double f1 = msb / msw, f2 = msb / mse;
    const double p1 = upper_p(f1, dfb, dfw), p2 = upper_p(f2, dfb, dfe);
    for (int t = 0; t < IMPACT_ICC_N_FORMS; t++) {
        gboolean oneway = t == IMPACT_ICC1 || t == IMPACT_ICC1K;
        r.f[t] = oneway ? f1 : f2;
        r.df1[t] = dfb;
        r.df2[t] = oneway ? dfw : dfe;
        r.p[t] = oneway ? p1 : p2;
    }

    const double a2 = (1.0 - level) / 2.0;
    const double f1l = f1 / qf(1.0 - a2, dfb, dfw, TRUE, FALSE);
    const double f1u = f1 * qf(1.0 - a2, dfw, dfb, TRUE, FALSE);
    const double f3l = f2 / qf(1.0 - a2, dfb, dfe, TRUE, FALSE);
    const double f3u = f2 * qf(1.0 - a2, dfe, dfb, TRUE, FALSE);
    r.lower[IMPACT_ICC1] = (f1l - 1.0) / (f1l + dk - 1.0);
    r.upper[IMPACT_ICC1] = (f1u - 1.0) / (f1u + dk - 1.0);
    r.lower[IMPACT_ICC3] = (f3l - 1.0) / (f3l + dk - 1.0);
    r.upper[IMPACT_ICC3] = (f3u - 1.0) / (f3u + dk - 1.0);
    r.lower[IMPACT_ICC1K] = 1.0 - 1.0 / f1l;
    r.upper[IMPACT_ICC1K] = 1.0 - 1.0 / f1u;
    r.lower[IMPACT_ICC3K] = 1.0 - 1.0 / f3l;
    r.upper[IMPACT_ICC3K] = 1.0 - 1.0 / f3u;

    /* McGraw & Wong's Satterthwaite df for ICC(A,1) */
    const double rho = r.icc[IMPACT_ICC2], fj = msj / mse;
    const double base = dn * (1.0 + (dk - 1.0) * rho) - dk * rho;
    const double vn = (dk - 1.0) * (dn - 1.0) * (dk * rho * fj + base) * (dk * rho * fj + base);
    const double vd = (dn - 1.0) * dk * dk * rho * rho * fj * fj + base * base;
    const double v = vn / vd;
    double l2 = NAN, u2 = NAN;
    /* v -> 0 only in degenerate data (MSB ~ 0, ICC2 far below −1/(k − 1)):
     * there R's qbeta cannot reach accuracy (and libRmath would print its
     * warning on stdout), so the bounds are NaN */
    if (isfinite(v) && v > 1e-10) {
        const double fs = qf(1.0 - a2, dfb, v, TRUE, FALSE);
        const double fss = qf(1.0 - a2, v, dfb, TRUE, FALSE);
        const double c = dk * msj + (dk * dn - dk - dn) * mse;
        l2 = dn * (msb - fs * mse) / (fs * c + dn * msb);
        u2 = dn * (fss * msb - mse) / (c + dn * fss * msb);
    }
    r.lower[IMPACT_ICC2] = l2;
    r.upper[IMPACT_ICC2] = u2;
    r.lower[IMPACT_ICC2K] = l2 * dk / (1.0 + l2 * (dk - 1.0));
    r.upper[IMPACT_ICC2K] = u2 * dk / (1.0 + u2 * (dk - 1.0));
    *out = r;
    return TRUE;
}
