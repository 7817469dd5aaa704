/* impact-bootstrap.h — seeded random streams and the cluster bootstrap engine.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#if !defined(IMPACT_INSIDE) && !defined(IMPACT_COMPILATION)
#error "Only <libimpact/impact.h> can be included directly."
#endif

#ifndef IMPACT_BOOTSTRAP_H
#define IMPACT_BOOTSTRAP_H

#include <glib.h>
#include <libimpact/impact-macros.h>
#include <libimpact/impact-stats.h>

G_BEGIN_DECLS

/* ---- random streams ------------------------------------------------------ */

/**
 * A random stream: xoshiro256** (Blackman & Vigna 2021,
 * doi:10.1145/3460772) whose 256-bit state is filled by splitmix64 from a
 * (seed, stream) pair. Streams with different (seed, stream) are
 * statistically independent for every practical purpose, so work split over
 * threads by stream index (e.g. one stream per bootstrap replicate or per
 * simulated data set) gives the same numbers whatever the thread count.
 *
 * A plain struct: declare it on the stack and initialise it with
 * impact_rng_init(). Not thread-safe: one stream per thread.
 */
typedef struct {
    guint64 s[4]; /**< the xoshiro256** state (never all zero) */
} ImpactRng;

/**
 * Seeds @rng for stream @stream of seed @seed.
 *
 * The state words are the first four outputs of splitmix64 started at
 * mix(seed) ^ mix(stream + φ) with mix the splitmix64 finaliser and φ =
 * 0x9E3779B97F4A7C15, so (seed, stream) and (stream, seed) differ. O(1).
 */
IMPACT_API void impact_rng_init(ImpactRng *rng, guint64 seed, guint64 stream);

/** Next 64 random bits (xoshiro256**). O(1). */
IMPACT_API guint64 impact_rng_next(ImpactRng *rng);

/** A uniform double in [0, 1) with 53 random bits: (next >> 11)·2⁻⁵³. */
IMPACT_API double impact_rng_uniform(ImpactRng *rng);

/**
 * A uniform integer in [0, @n), without modulo bias (Lemire 2019,
 * doi:10.1145/3230636: multiply-shift with rejection). @n = 0 returns 0.
 */
IMPACT_API guint64 impact_rng_below(ImpactRng *rng, guint64 n);

/**
 * A standard normal deviate by inversion: qnorm(u) with u uniform in (0, 1)
 * (R's qnorm from libRmath, accurate to full double precision), so a stream
 * gives the same deviates on every platform.
 */
IMPACT_API double impact_rng_normal(ImpactRng *rng);

/* ---- cluster bootstrap --------------------------------------------------- */

/**
 * The statistics of one sample.
 *
 * Computes n_stats statistics of the sample in which cluster c appears
 * weights[c] times: 1 for every cluster for the estimate; the bootstrap
 * multiplicities (0, 1, 2, ...; they sum to the number of clusters of each
 * stratum) for a replicate; 0 for the left-out cluster and 1 elsewhere for
 * the jackknife used by BCa.
 *
 * Called concurrently from worker threads: it must be thread-safe (read
 * @user_data only, write only @out).
 *
 * @param out       n_stats values to fill; a statistic that is undefined for
 *                  this sample may be set to NaN individually
 * @param weights   n_clusters multiplicities (borrowed, read-only)
 * @return FALSE when the statistics are undefined for this sample (then every
 *   statistic of the replicate is NaN)
 */
typedef gboolean (*ImpactStatisticFunc)(double *out, const double *weights, gpointer user_data);

/** Options of impact_bootstrap_run(); initialise with IMPACT_BOOTSTRAP_OPTIONS_INIT. */
typedef struct {
    guint version;               /**< 1 */
    guint replicates;            /**< bootstrap replicates B; default 2000; 0 = the
                                      estimate only (no intervals) */
    guint64 seed;                /**< default 1; replicate r uses stream (seed, r) */
    guint threads;               /**< worker threads; 0 = all cores */
    double level;                /**< confidence level in (0, 1); default 0.95 */
    ImpactProgressFunc progress; /**< may be NULL; returning FALSE cancels
                                      (IMPACT_ERROR_CANCELLED) */
    gpointer progress_data;      /**< passed to @progress */
} ImpactBootstrapOptions;

#define IMPACT_BOOTSTRAP_OPTIONS_INIT { 1, 2000, 1, 0, 0.95, NULL, NULL }

/** The result of a bootstrap run (opaque; impact_bootstrap_free()). */
typedef struct _ImpactBootstrap ImpactBootstrap;

/**
 * Runs a (stratified) cluster bootstrap of @n_stats statistics.
 *
 * Replicate r (0 ≤ r < B) draws, with the random stream (seed, r), for every
 * stratum of m clusters m clusters with replacement from that stratum (Davison
 * & Hinkley 1997, §3.8, doi:10.1017/CBO9780511802843; Field & Welsh 2007,
 * doi:10.1111/j.1467-9868.2007.00593.x), and calls @statistic with the
 * resulting multiplicities. Replicates are shared out over worker threads and
 * written to their own slots, so the replicates — and every interval — are
 * bit-identical for a seed whatever the thread count. Then, when B > 0, the
 * leave-one-cluster-out jackknife values are computed (also in parallel) for
 * the BCa acceleration; with more than 2,000 clusters, a grouped jackknife
 * leaving out each of 2,000 blocks of consecutive clusters (cluster indices
 * [g·n/2000, (g+1)·n/2000)) keeps this step O(2000) statistic calls
 * (Efron & Tibshirani 1993, §11.5, on the grouped jackknife).
 *
 * @param out        on success a new ImpactBootstrap (caller's); untouched on error
 * @param n_clusters number of clusters (>= 1)
 * @param strata     n_clusters stratum codes (any guint32 values; clusters are
 *                   resampled within each stratum, e.g. within arm), or NULL
 *                   for one stratum
 * @param statistic  the statistics (see ImpactStatisticFunc)
 * @param user_data  passed to @statistic
 * @param n_stats    number of statistics (>= 1)
 * @param options    NULL for IMPACT_BOOTSTRAP_OPTIONS_INIT
 *
 * Errors: IMPACT_ERROR_INVALID (NULL statistic, n_stats = 0, unknown options
 * version, level outside (0, 1)); IMPACT_ERROR_INSUFFICIENT (no clusters, or
 * @statistic returns FALSE on the full sample); IMPACT_ERROR_CANCELLED (the
 * progress callback returned FALSE). @progress receives the share of the
 * B + min(n_clusters, 2000) statistic evaluations done, at most about 200 times, never
 * from two threads at once, with increasing fractions, ending at 1.
 *
 * Complexity: (B + min(n_clusters, 2000) + 1) calls of @statistic, spread
 * over the threads, plus O(B·n_clusters) for the draws and O(n_stats·B log B)
 * to sort. Memory O(n_stats·(B + min(n_clusters, 2000)) + threads·n_clusters).
 */
IMPACT_API gboolean impact_bootstrap_run(ImpactBootstrap **out, gsize n_clusters,
                                         const guint32 *strata, ImpactStatisticFunc statistic,
                                         gpointer user_data, gsize n_stats,
                                         const ImpactBootstrapOptions *options, GError **error);

/** Number of statistics (0 for NULL). */
IMPACT_API gsize impact_bootstrap_n_stats(const ImpactBootstrap *b);

/** Number of replicates B run (0 for NULL). */
IMPACT_API guint impact_bootstrap_n_replicates(const ImpactBootstrap *b);

/** The statistic @stat on the full sample (weights all 1); NaN if undefined or out of range. */
IMPACT_API double impact_bootstrap_estimate(const ImpactBootstrap *b, gsize stat);

/**
 * Percentile interval of statistic @stat (Efron & Tibshirani 1993, §13.3):
 * the (1 − level)/2 and (1 + level)/2 quantiles of the valid (non-NaN)
 * replicates, by linear interpolation between order statistics as R's
 * quantile(type = 7): for p, h = (n − 1)p, θ_(⌊h⌋) + (h − ⌊h⌋)(θ_(⌊h⌋+1) − θ_(⌊h⌋)).
 *
 * @return FALSE (and NaN limits) when fewer than 2 replicates are valid,
 *   B = 0, or @stat is out of range. O(1) (replicates are sorted by the run).
 */
IMPACT_API gboolean impact_bootstrap_percentile_ci(const ImpactBootstrap *b, gsize stat,
                                                   double *lo, double *hi);

/**
 * Bias-corrected and accelerated (BCa) interval of statistic @stat (Efron
 * 1987, doi:10.1080/01621459.1987.10478410; Efron & Tibshirani 1993, §14.3):
 * z0 = Φ⁻¹(#{θ*_b < θ̂}/B_valid); acceleration from the leave-one-cluster-out
 * (above 2,000 clusters: leave-one-block-out) jackknife,
 * a = Σ(θ̄ − θ_(i))³ / (6·(Σ(θ̄ − θ_(i))²)^{3/2}) over the values that are
 * defined (a = 0 when they are all equal);
 * α_j = Φ(z0 + (z0 + z_j)/(1 − a(z0 + z_j))) for z_j = Φ⁻¹((1 ∓ level)/2);
 * the limits are the α_1 and α_2 quantiles of the replicates (type 7, as the
 * percentile interval).
 *
 * @return FALSE (and NaN limits) when the percentile interval is undefined,
 *   the estimate is NaN, every valid replicate lies on one side of it (z0
 *   infinite), fewer than 2 jackknife values are defined, or
 *   1 − a(z0 + z_j) <= 0. O(1).
 */
IMPACT_API gboolean impact_bootstrap_bca_ci(const ImpactBootstrap *b, gsize stat, double *lo,
                                            double *hi);

/**
 * The B replicates of statistic @stat in replicate order (borrowed, valid
 * until impact_bootstrap_free(); NaN where undefined), or NULL if @stat is
 * out of range or B = 0.
 */
IMPACT_API const double *impact_bootstrap_replicates(const ImpactBootstrap *b, gsize stat);

/** Number of replicates of @stat that are not NaN. */
IMPACT_API gsize impact_bootstrap_n_valid(const ImpactBootstrap *b, gsize stat);

/**
 * The BCa acceleration a of statistic @stat (see impact_bootstrap_bca_ci()),
 * NaN when undefined or B = 0.
 */
IMPACT_API double impact_bootstrap_acceleration(const ImpactBootstrap *b, gsize stat);

/** Bootstrap standard error of @stat: SD (n − 1) of the valid replicates; NaN if < 2. */
IMPACT_API double impact_bootstrap_se(const ImpactBootstrap *b, gsize stat);

/** Frees a bootstrap result. NULL is accepted. */
IMPACT_API void impact_bootstrap_free(ImpactBootstrap *b);

/**
 * Kernel: the type-7 quantile of @n sorted values (R's quantile(x, p),
 * default type): h = (n − 1)·p, x_(⌊h⌋) + (h − ⌊h⌋)·(x_(⌊h⌋+1) − x_(⌊h⌋)).
 * NaN if n = 0 or p is outside [0, 1]. O(1).
 */
IMPACT_API double impact_quantile_sorted(const double *sorted, gsize n, double p);

#ifndef SWIG
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImpactBootstrap, impact_bootstrap_free)
#endif

G_END_DECLS

#endif /* IMPACT_BOOTSTRAP_H */
