/* effect.c — effect-size kernels (see impact-effect.h for formulas and
 * references). Distribution functions come from libRmath.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <float.h>
#include <math.h>
#include <Rmath.h>
#include "impact-private.h"

/* ---- root finding -------------------------------------------------------- */

typedef double (*RootFunc)(double x, const void *data);

/* Brent's (1973) method on [a, b] with f(a), f(b) of opposite signs: inverse
 * quadratic interpolation or secant steps, bisection when they stall.
 * Absolute tolerance 2·(4ε|b| + tol/2) around the root. */
static double
brent(RootFunc f, const void *data, double a, double b, double fa, double fb, double tol)
{
    double c = a, fc = fa, d = b - a, e = d;
    for (int iter = 0; iter < 300; iter++) {
        if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
            c = a;
            fc = fa;
            d = e = b - a;
        }
        if (fabs(fc) < fabs(fb)) {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        double tol1 = 4.0 * DBL_EPSILON * fabs(b) + 0.5 * tol;
        double xm = 0.5 * (c - b);
        if (fabs(xm) <= tol1 || fb == 0.0) {
            return b;
        }
        if (fabs(e) >= tol1 && fabs(fa) > fabs(fb)) {
            double s = fb / fa, p, q;
            if (a == c) {
                p = 2.0 * xm * s;
                q = 1.0 - s;
            } else {
                double qq = fa / fc, r = fb / fc;
                p = s * (2.0 * xm * qq * (qq - r) - (b - a) * (r - 1.0));
                q = (qq - 1.0) * (r - 1.0) * (s - 1.0);
            }
            if (p > 0) {
                q = -q;
            }
            p = fabs(p);
            double min1 = 3.0 * xm * q - fabs(tol1 * q), min2 = fabs(e * q);
            if (2.0 * p < (min1 < min2 ? min1 : min2)) {
                e = d;
                d = p / q;
            } else {
                d = xm;
                e = d;
            }
        } else {
            d = xm;
            e = d;
        }
        a = b;
        fa = fb;
        b += fabs(d) > tol1 ? d : (xm > 0 ? tol1 : -tol1);
        fb = f(b, data);
    }
    return b;
}

typedef struct {
    double t, df, target;
} NcpProblem;

/* decreasing in ncp */
static double
ncp_eq(double ncp, const void *data)
{
    const NcpProblem *p = data;
    return pnt(p->t, p->df, ncp, TRUE, FALSE) - p->target;
}

/* Root of pt(t, df, ncp) = target. */
static double
ncp_root(double t, double df, double target)
{
    NcpProblem p = { t, df, target };
    double a = t, fa = ncp_eq(a, &p);
    if (isnan(fa)) {
        return NAN;
    }
    if (fa == 0.0) {
        return a;
    }
    /* f decreases in ncp: f(a) > 0 → the root is above a */
    double dir = fa > 0 ? 1.0 : -1.0, step = 1.0, b = a, fb = fa;
    for (int k = 0; k < 60; k++) {
        b = a + dir * step;
        fb = ncp_eq(b, &p);
        if (isnan(fb)) {
            return NAN;
        }
        if ((fb > 0) != (fa > 0) || fb == 0.0) {
            break;
        }
        a = b;
        fa = fb;
        step *= 2.0;
    }
    if (fb == 0.0) {
        return b;
    }
    if ((fb > 0) == (fa > 0)) {
        return NAN;
    }
    return brent(ncp_eq, &p, a, b, fa, fb, 1e-13);
}

gboolean
impact_effect_ncp_t_ci(double *lo, double *hi, double t, double df, double level)
{
    double l = NAN, h = NAN;
    if (isfinite(t) && df > 0 && level > 0 && level < 1) {
        double alpha = 1.0 - level;
        l = ncp_root(t, df, 1.0 - alpha / 2.0);
        h = ncp_root(t, df, alpha / 2.0);
    }
    gboolean ok = !isnan(l) && !isnan(h);
    *lo = ok ? l : NAN;
    *hi = ok ? h : NAN;
    return ok;
}

/* ---- paired -------------------------------------------------------------- */

static void
normal_ci(double *lo, double *hi, double d, double se, double z)
{
    if (isfinite(d) && isfinite(se)) {
        *lo = d - z * se;
        *hi = d + z * se;
    } else {
        *lo = *hi = NAN;
    }
}

/* g = J·d with the CI scaled by J */
static void
hedges(double *g, double *g_lo, double *g_hi, double j, double d, double lo, double hi)
{
    *g = j * d;
    *g_lo = j * lo;
    *g_hi = j * hi;
}

static void
nan_paired(ImpactPairedEffect *out)
{
    double *v = (double *) out;
    for (gsize i = 0; i < sizeof *out / sizeof(double); i++) {
        v[i] = NAN;
    }
}

/* var_d: the variance of the differences (NaN: from the others) */
static void
paired_core(ImpactPairedEffect *out, double n, double mean_pre, double mean_post, double var_pre,
            double var_post, double cov, double var_d, double level)
{
    nan_paired(out);
    out->n = n;
    if (!(n >= 1)) {
        return;
    }
    out->mean_pre = mean_pre;
    out->mean_post = mean_post;
    double m = mean_post - mean_pre;
    out->mean_change = m;
    if (!(n >= 2)) {
        return;
    }
    double alpha = 1.0 - level;
    double z = qnorm(1.0 - alpha / 2.0, 0.0, 1.0, TRUE, FALSE);
    out->sd_pre = sqrt(var_pre);
    out->sd_post = sqrt(var_post);
    if (isnan(var_d)) {
        var_d = var_pre + var_post - 2.0 * cov;
    }
    if (var_d < 0) {
        var_d = 0; /* rounding of an exact zero */
    }
    double s_d = sqrt(var_d);
    out->sd_change = s_d;
    out->r = var_pre > 0 && var_post > 0 ? cov / sqrt(var_pre * var_post) : NAN;
    double df = n - 1.0;
    out->df = df;
    out->j = impact_stats_hedges_j(df);
    double se = s_d / sqrt(n);
    double q = qt(1.0 - alpha / 2.0, df, TRUE, FALSE);
    out->change_lo = m - q * se;
    out->change_hi = m + q * se;
    if (s_d > 0) {
        out->t = m / se;
        out->p = 2.0 * pt(-fabs(out->t), df, TRUE, FALSE);
        out->d_z = m / s_d;
        double l, h;
        if (impact_effect_ncp_t_ci(&l, &h, out->t, df, level)) {
            out->d_z_lo = l / sqrt(n);
            out->d_z_hi = h / sqrt(n);
        }
        hedges(&out->g_z, &out->g_z_lo, &out->g_z_hi, out->j, out->d_z, out->d_z_lo,
               out->d_z_hi);
    }
    double f = 2.0 * (1.0 - out->r);
    if (s_d > 0 && isfinite(f)) {
        double d = m / (s_d / sqrt(f));
        out->d_rm = d;
        normal_ci(&out->d_rm_lo, &out->d_rm_hi, d, sqrt((1.0 / n + d * d / (2.0 * n)) * f), z);
        hedges(&out->g_rm, &out->g_rm_lo, &out->g_rm_hi, out->j, d, out->d_rm_lo, out->d_rm_hi);
    }
    double s_av = sqrt((var_pre + var_post) / 2.0);
    if (s_av > 0) {
        double d = m / s_av;
        out->d_av = d;
        normal_ci(&out->d_av_lo, &out->d_av_hi, d, se / s_av, z);
        hedges(&out->g_av, &out->g_av_lo, &out->g_av_hi, out->j, d, out->d_av_lo, out->d_av_hi);
    }
    if (var_pre > 0) {
        double d = m / sqrt(var_pre);
        out->d_b = d;
        normal_ci(&out->d_b_lo, &out->d_b_hi, d, sqrt(f / n + d * d / (2.0 * n)), z);
        hedges(&out->g_b, &out->g_b_lo, &out->g_b_hi, out->j, d, out->d_b_lo, out->d_b_hi);
    }
}

void
impact_effect_paired_summary(ImpactPairedEffect *out, double n, double mean_pre,
                             double mean_post, double var_pre, double var_post, double cov,
                             double level)
{
    paired_core(out, n, mean_pre, mean_post, var_pre, var_post, cov, NAN, level);
}

void
impact_effect_paired(ImpactPairedEffect *out, const double *pre, const double *post, gsize n,
                     double level)
{
    gsize k = 0;
    double sx = 0, sy = 0;
    for (gsize i = 0; i < n; i++) {
        if (!isnan(pre[i]) && !isnan(post[i])) {
            sx += pre[i];
            sy += post[i];
            k++;
        }
    }
    double dn = (double) k;
    double mx = k ? sx / dn : NAN, my = k ? sy / dn : NAN, md = my - mx;
    double sxx = 0, syy = 0, sxy = 0, sdd = 0;
    for (gsize i = 0; i < n && k >= 2; i++) {
        if (!isnan(pre[i]) && !isnan(post[i])) {
            double a = pre[i] - mx, b = post[i] - my, e = (post[i] - pre[i]) - md;
            sxx += a * a;
            syy += b * b;
            sxy += a * b;
            sdd += e * e;
        }
    }
    /* two-pass moments as R's var(), cor() and sd(post - pre) */
    double q = k >= 2 ? dn - 1 : NAN;
    paired_core(out, dn, mx, my, sxx / q, syy / q, sxy / q, sdd / q, level);
}

/* ---- independent groups -------------------------------------------------- */

void
impact_effect_independent_summary(ImpactIndependentEffect *out, double n_x, double mean_x,
                                  double var_x, double n_y, double mean_y, double var_y,
                                  double level)
{
    double *v = (double *) out;
    for (gsize i = 0; i < sizeof *out / sizeof(double); i++) {
        v[i] = NAN;
    }
    out->n_x = n_x;
    out->n_y = n_y;
    out->mean_x = n_x >= 1 ? mean_x : NAN;
    out->mean_y = n_y >= 1 ? mean_y : NAN;
    out->sd_x = n_x >= 2 ? sqrt(var_x) : NAN;
    out->sd_y = n_y >= 2 ? sqrt(var_y) : NAN;
    if (!(n_x >= 1 && n_y >= 1 && n_x + n_y >= 3)) {
        return;
    }
    double df = n_x + n_y - 2.0;
    double ssx = n_x >= 2 ? (n_x - 1) * var_x : 0.0, ssy = n_y >= 2 ? (n_y - 1) * var_y : 0.0;
    double sp = sqrt((ssx + ssy) / df);
    out->sd_pooled = sp;
    out->df = df;
    out->j = impact_stats_hedges_j(df);
    if (!(sp > 0)) {
        return;
    }
    double h = 1.0 / n_x + 1.0 / n_y;
    double d = (mean_x - mean_y) / sp;
    out->d = d;
    out->t = d / sqrt(h);
    out->p = 2.0 * pt(-fabs(out->t), df, TRUE, FALSE);
    double l, u;
    if (impact_effect_ncp_t_ci(&l, &u, out->t, df, level)) {
        out->d_lo = l * sqrt(h);
        out->d_hi = u * sqrt(h);
    }
    hedges(&out->g, &out->g_lo, &out->g_hi, out->j, d, out->d_lo, out->d_hi);
}

void
impact_effect_independent(ImpactIndependentEffect *out, const double *x, gsize n_x,
                          const double *y, gsize n_y, double level)
{
    double mx, vx, my, vy;
    gsize kx, ky;
    impact_stats_mean_var(x, n_x, &mx, &vx, &kx);
    impact_stats_mean_var(y, n_y, &my, &vy, &ky);
    impact_effect_independent_summary(out, (double) kx, mx, vx, (double) ky, my, vy, level);
}

/* ---- difference in differences ------------------------------------------ */

void
impact_effect_did(ImpactDid *out, double n_t, double mean_change_t, double sd_change_t,
                  double n_c, double mean_change_c, double sd_change_c, double level)
{
    out->did = n_t >= 1 && n_c >= 1 ? mean_change_t - mean_change_c : NAN;
    out->se = out->df = out->t = out->p = out->lo = out->hi = NAN;
    if (!(n_t >= 2 && n_c >= 2)) {
        return;
    }
    double vt = sd_change_t * sd_change_t / n_t, vc = sd_change_c * sd_change_c / n_c;
    double se = sqrt(vt + vc);
    if (!(se > 0)) {
        return;
    }
    out->se = se;
    out->df = (vt + vc) * (vt + vc) / (vt * vt / (n_t - 1) + vc * vc / (n_c - 1));
    out->t = out->did / se;
    out->p = 2.0 * pt(-fabs(out->t), out->df, TRUE, FALSE);
    double q = qt(1.0 - (1.0 - level) / 2.0, out->df, TRUE, FALSE);
    out->lo = out->did - q * se;
    out->hi = out->did + q * se;
}

/* ---- Morris d_ppc2 --------------------------------------------------------- */

void
impact_effect_ppc2(ImpactPpc2 *out, double n_t, double mean_pre_t, double mean_post_t,
                   double sd_pre_t, double n_c, double mean_pre_c, double mean_post_c,
                   double sd_pre_c, double rho, double level)
{
    out->d = out->cp = out->sd_pre_pooled = out->var = out->lo = out->hi = NAN;
    out->rho = rho;
    if (!(n_t >= 2 && n_c >= 2)) {
        return;
    }
    double N = n_t + n_c;
    out->cp = 1.0 - 3.0 / (4.0 * (N - 2.0) - 1.0);
    out->sd_pre_pooled = sqrt(((n_t - 1) * sd_pre_t * sd_pre_t + (n_c - 1) * sd_pre_c * sd_pre_c) /
                              (N - 2.0));
    if (!(out->sd_pre_pooled > 0)) {
        return;
    }
    double d = out->cp * ((mean_post_t - mean_pre_t) - (mean_post_c - mean_pre_c)) /
               out->sd_pre_pooled;
    out->d = d;
    if (!(N > 4 && rho < 1 && rho >= -1)) {
        return;
    }
    double hn = N / (n_t * n_c);
    double var = 2.0 * out->cp * out->cp * (1.0 - rho) * hn * ((N - 2.0) / (N - 4.0)) *
                     (1.0 + d * d / (2.0 * (1.0 - rho) * hn)) -
                 d * d;
    out->var = var;
    if (var >= 0) {
        double z = qnorm(1.0 - (1.0 - level) / 2.0, 0.0, 1.0, TRUE, FALSE);
        out->lo = d - z * sqrt(var);
        out->hi = d + z * sqrt(var);
    }
}

/* ---- reliable change ----------------------------------------------------- */

gboolean
impact_effect_rci(ImpactRci *out, double *out_rci, const double *pre, const double *post, gsize n,
                  double sd_pre, double rxx)
{
    double s_diff = sqrt(2.0) * sd_pre * sqrt(1.0 - rxx);
    gboolean ok = rxx >= 0 && rxx < 1 && isfinite(s_diff) && s_diff > 0;
    out->s_diff = ok ? s_diff : NAN;
    out->n = out->improved = out->unchanged = out->deteriorated = 0;
    for (gsize i = 0; i < n; i++) {
        double v = NAN;
        if (ok && !isnan(pre[i]) && !isnan(post[i])) {
            v = (post[i] - pre[i]) / s_diff;
            out->n++;
            if (v > 1.96) {
                out->improved++;
            } else if (v < -1.96) {
                out->deteriorated++;
            } else {
                out->unchanged++;
            }
        }
        if (out_rci) {
            out_rci[i] = v;
        }
    }
    return ok;
}
