/* impact-stats.h — shared numerical kernels: running moments and co-moments.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#if !defined(IMPACT_INSIDE) && !defined(IMPACT_COMPILATION)
#error "Only <libimpact/impact.h> can be included directly."
#endif

#ifndef IMPACT_STATS_H
#define IMPACT_STATS_H

#include <glib.h>
#include <libimpact/impact-macros.h>

G_BEGIN_DECLS

/** How a statistic treats missing answers. */
typedef enum {
    IMPACT_MISSING_PAIRWISE = 0, /**< use every available pair (psych's default) */
    IMPACT_MISSING_LISTWISE = 1  /**< drop a row missing any item of the scale
                                      (multilevel 2.7's default) */
} ImpactMissingPolicy;

/**
 * Progress callback of long computations (bootstrap, large files).
 *
 * @param fraction  share of the work done, 0..1
 * @param user_data the pointer given with the callback
 * @return TRUE to go on, FALSE to cancel (the computation then fails with
 *   IMPACT_ERROR_CANCELLED and leaves its outputs untouched)
 *
 * It may be called from worker threads, but never from two at once.
 */
typedef gboolean (*ImpactProgressFunc)(double fraction, gpointer user_data);

/**
 * Running count, mean and sum of squared deviations (M2) of a variable.
 *
 * Updated one value at a time with Welford's algorithm and merged with
 * Chan, Golub & LeVeque's (1979) pairwise formula, so any chunking of the
 * data (streams, threads, Dask partitions) gives the same statistics as one
 * pass up to rounding of the last bits. Zero-initialise ({0}) to start.
 */
typedef struct {
    double n;    /**< number of values (double: counts beyond 2^32 and R-safe) */
    double mean; /**< running mean */
    double m2;   /**< Σ (x − mean)² */
} ImpactMoments;

/** Adds @x (NaN is ignored). */
IMPACT_API void impact_moments_add(ImpactMoments *m, double x);

/** Merges @b into @a: a becomes the moments of both samples. */
IMPACT_API void impact_moments_merge(ImpactMoments *a, const ImpactMoments *b);

/** Sample variance M2/(n − 1); NaN if n < 2. */
IMPACT_API double impact_moments_var(const ImpactMoments *m);

/** Sample standard deviation; NaN if n < 2. */
IMPACT_API double impact_moments_sd(const ImpactMoments *m);

/** Mean; NaN if n = 0. */
IMPACT_API double impact_moments_mean(const ImpactMoments *m);

/**
 * Mean and sample variance (n − 1) of the non-missing values of @x.
 * @param out_n number of non-missing values (may be NULL)
 * Results are NaN when there are too few values (mean: 0, var: < 2).
 * Two-pass algorithm (mean, then squared deviations): as exact as R's var().
 */
IMPACT_API void impact_stats_mean_var(const double *x, gsize n, double *out_mean,
                                      double *out_var, gsize *out_n);

/**
 * Exact Hedges small-sample correction
 * J(df) = Γ(df/2) / (√(df/2) · Γ((df − 1)/2)), computed with log-gamma.
 * NaN for df <= 1. Example: J(9) = 0.9138748918, J(18) = 0.9576464270.
 */
IMPACT_API double impact_stats_hedges_j(double df);

G_END_DECLS

#endif /* IMPACT_STATS_H */
