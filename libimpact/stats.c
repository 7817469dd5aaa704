/* stats.c — running moments (Welford/Chan) and shared small formulas.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <math.h>
#include "impact-private.h"

void
impact_moments_add(ImpactMoments *m, double x)
{
    if (isnan(x)) {
        return;
    }
    m->n += 1.0;
    double d = x - m->mean;
    m->mean += d / m->n;
    m->m2 += d * (x - m->mean);
}

void
impact_moments_merge(ImpactMoments *a, const ImpactMoments *b)
{
    if (b->n == 0) {
        return;
    }
    if (a->n == 0) {
        *a = *b;
        return;
    }
    double n = a->n + b->n;
    double d = b->mean - a->mean;
    a->mean += d * (b->n / n);
    a->m2 += b->m2 + d * d * (a->n * b->n / n);
    a->n = n;
}

double
impact_moments_var(const ImpactMoments *m)
{
    return m->n < 2 ? NAN : m->m2 / (m->n - 1.0);
}

double
impact_moments_sd(const ImpactMoments *m)
{
    return sqrt(impact_moments_var(m));
}

double
impact_moments_mean(const ImpactMoments *m)
{
    return m->n < 1 ? NAN : m->mean;
}

void
impact_stats_mean_var(const double *x, gsize n, double *out_mean, double *out_var, gsize *out_n)
{
    gsize k = 0;
    double s = 0.0;
    for (gsize i = 0; i < n; i++) {
        if (!isnan(x[i])) {
            s += x[i];
            k++;
        }
    }
    double mean = k ? s / (double) k : NAN;
    double ss = 0.0;
    for (gsize i = 0; i < n && k >= 2; i++) {
        if (!isnan(x[i])) {
            double d = x[i] - mean;
            ss += d * d;
        }
    }
    if (out_mean) {
        *out_mean = mean;
    }
    if (out_var) {
        *out_var = k >= 2 ? ss / (double) (k - 1) : NAN;
    }
    if (out_n) {
        *out_n = k;
    }
}

double
impact_stats_hedges_j(double df)
{
    if (!(df > 1.0)) {
        return NAN;
    }
    return exp(lgamma(df / 2.0) - log(sqrt(df / 2.0)) - lgamma((df - 1.0) / 2.0));
}
