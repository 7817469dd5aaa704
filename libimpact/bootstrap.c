/* bootstrap.c — seeded random streams (splitmix64 → xoshiro256**) and the
 * stratified cluster bootstrap engine with percentile and BCa intervals.
 *
 * Determinism: replicate r draws only from stream (seed, r) and writes only
 * its own slots, and the jackknife is deterministic, so whatever the number
 * of threads and however the jobs are shared out, every number is the same.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <Rmath.h>
#include "impact-private.h"

/* ---- random streams ------------------------------------------------------ */

#define GOLDEN G_GUINT64_CONSTANT(0x9E3779B97F4A7C15)

static inline guint64
splitmix_mix(guint64 z)
{
    z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static inline guint64
splitmix_next(guint64 *x)
{
    *x += GOLDEN;
    return splitmix_mix(*x);
}

static inline guint64
rotl(guint64 x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void
impact_rng_init(ImpactRng *rng, guint64 seed, guint64 stream)
{
    guint64 x = splitmix_mix(seed) ^ splitmix_mix(stream + GOLDEN);
    for (int i = 0; i < 4; i++) {
        rng->s[i] = splitmix_next(&x);
    }
    if ((rng->s[0] | rng->s[1] | rng->s[2] | rng->s[3]) == 0) {
        rng->s[0] = GOLDEN; /* the one forbidden state; cannot happen in practice */
    }
}

guint64
impact_rng_next(ImpactRng *rng)
{
    guint64 *s = rng->s;
    guint64 result = rotl(s[1] * 5, 7) * 9;
    guint64 t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double
impact_rng_uniform(ImpactRng *rng)
{
    return (double) (impact_rng_next(rng) >> 11) * 0x1.0p-53;
}

guint64
impact_rng_below(ImpactRng *rng, guint64 n)
{
    if (n == 0) {
        return 0;
    }
    unsigned __int128 m = (unsigned __int128) impact_rng_next(rng) * n;
    guint64 low = (guint64) m;
    if (low < n) {
        guint64 threshold = (0 - n) % n;
        while (low < threshold) {
            m = (unsigned __int128) impact_rng_next(rng) * n;
            low = (guint64) m;
        }
    }
    return (guint64) (m >> 64);
}

double
impact_rng_normal(ImpactRng *rng)
{
    double u;
    do {
        u = impact_rng_uniform(rng);
    } while (u == 0.0);
    return qnorm(u, 0.0, 1.0, TRUE, FALSE);
}

/* ---- quantiles ----------------------------------------------------------- */

double
impact_quantile_sorted(const double *sorted, gsize n, double p)
{
    if (n == 0 || !(p >= 0.0 && p <= 1.0)) {
        return NAN;
    }
    double h = (double) (n - 1) * p;
    double fl = floor(h);
    gsize j = (gsize) fl;
    if (j + 1 >= n) {
        return sorted[n - 1];
    }
    double f = h - fl;
    return f == 0.0 ? sorted[j] : sorted[j] + f * (sorted[j + 1] - sorted[j]);
}

/* ---- the bootstrap ------------------------------------------------------- */

struct _ImpactBootstrap {
    gsize n_stats;
    guint B;
    double level;
    double *estimate;  /* n_stats */
    double *reps;      /* n_stats × B, statistic-major, replicate order */
    double *sorted;    /* n_stats × B: the valid replicates sorted, then NaN */
    gsize *n_valid;    /* n_stats */
    double *accel;     /* n_stats */
};

typedef struct {
    /* input */
    gsize n_clusters;
    gsize n_strata;
    gsize *members;       /* cluster indices grouped by stratum */
    gsize *stratum_start; /* n_strata + 1 offsets into members */
    ImpactStatisticFunc statistic;
    gpointer user_data;
    gsize n_stats;
    guint B;
    guint64 seed;
    gsize n_jack;         /* jackknife values: n_clusters, or IMPACT_I_JACK_MAX groups */
    gsize n_jobs;         /* B + n_jack */
    /* output */
    double *reps;         /* n_stats × B */
    double *jack;         /* n_stats × n_jack */
    /* shared state */
    atomic_size_t next;
    atomic_size_t done;
    atomic_int cancelled;
    gsize progress_step;
    ImpactProgressFunc progress;
    gpointer progress_data;
    GMutex progress_lock;
    double last_fraction;
} Run;

static void
report_progress(Run *run, gsize done)
{
    if (run->progress == NULL || (done % run->progress_step != 0 && done != run->n_jobs)) {
        return;
    }
    g_mutex_lock(&run->progress_lock);
    if (!atomic_load(&run->cancelled)) {
        double fraction = (double) atomic_load(&run->done) / (double) run->n_jobs;
        if (fraction > run->last_fraction) {
            run->last_fraction = fraction;
            if (!run->progress(fraction, run->progress_data)) {
                atomic_store(&run->cancelled, 1);
            }
        }
    }
    g_mutex_unlock(&run->progress_lock);
}

/* Above this many clusters the BCa acceleration comes from a grouped
 * jackknife (this many blocks of consecutive clusters), so its cost stays
 * O(IMPACT_I_JACK_MAX · statistic) instead of O(n_clusters · statistic). */
#define IMPACT_I_JACK_MAX 2000

static inline gsize
jack_start(gsize g, gsize n, gsize n_jack)
{
    return (gsize) (((unsigned __int128) g * n) / n_jack);
}

static gpointer
worker(gpointer data)
{
    Run *run = data;
    gsize n = run->n_clusters, k = run->n_stats;
    double *w = g_new(double, n);
    double *ones = g_new(double, n);
    double *out = g_new(double, k);
    for (gsize c = 0; c < n; c++) {
        ones[c] = 1.0;
    }
    for (;;) {
        if (atomic_load(&run->cancelled)) {
            break;
        }
        gsize job = atomic_fetch_add(&run->next, 1);
        if (job >= run->n_jobs) {
            break;
        }
        gboolean ok;
        double *dest;
        gsize stride;
        if (job < run->B) {
            ImpactRng rng;
            impact_rng_init(&rng, run->seed, job);
            memset(w, 0, n * sizeof *w);
            for (gsize s = 0; s < run->n_strata; s++) {
                gsize start = run->stratum_start[s];
                gsize m = run->stratum_start[s + 1] - start;
                for (gsize d = 0; d < m; d++) {
                    w[run->members[start + impact_rng_below(&rng, m)]] += 1.0;
                }
            }
            ok = run->statistic(out, w, run->user_data);
            dest = run->reps + job;
            stride = run->B;
        } else {
            /* leave out group g: clusters [g·n/n_jack, (g+1)·n/n_jack) — one
             * cluster each when n_jack = n */
            gsize g = job - run->B;
            gsize from = jack_start(g, n, run->n_jack), to = jack_start(g + 1, n, run->n_jack);
            for (gsize c = from; c < to; c++) {
                ones[c] = 0.0;
            }
            ok = run->statistic(out, ones, run->user_data);
            for (gsize c = from; c < to; c++) {
                ones[c] = 1.0;
            }
            dest = run->jack + g;
            stride = run->n_jack;
        }
        for (gsize s = 0; s < k; s++) {
            dest[s * stride] = ok ? out[s] : NAN;
        }
        gsize done = atomic_fetch_add(&run->done, 1) + 1;
        report_progress(run, done);
    }
    g_free(w);
    g_free(ones);
    g_free(out);
    return NULL;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

/* Groups the clusters by stratum, strata in order of first appearance and
 * clusters in index order within each. */
static void
group_strata(Run *run, const guint32 *strata)
{
    gsize n = run->n_clusters;
    run->members = g_new(gsize, n);
    if (strata == NULL) {
        run->n_strata = 1;
        run->stratum_start = g_new(gsize, 2);
        run->stratum_start[0] = 0;
        run->stratum_start[1] = n;
        for (gsize c = 0; c < n; c++) {
            run->members[c] = c;
        }
        return;
    }
    g_autoptr(GHashTable) ids = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_autofree gsize *sid = g_new(gsize, n);
    g_autoptr(GArray) counts = g_array_new(FALSE, TRUE, sizeof(gsize));
    for (gsize c = 0; c < n; c++) {
        gpointer key = GUINT_TO_POINTER(strata[c]); /* a NULL key is fine with _extended */
        gpointer v;
        gsize id;
        if (g_hash_table_lookup_extended(ids, key, NULL, &v)) {
            id = GPOINTER_TO_SIZE(v);
        } else {
            id = counts->len;
            g_hash_table_insert(ids, key, GSIZE_TO_POINTER(id));
            gsize zero = 0;
            g_array_append_val(counts, zero);
        }
        sid[c] = id;
        g_array_index(counts, gsize, id)++;
    }
    run->n_strata = counts->len;
    run->stratum_start = g_new(gsize, run->n_strata + 1);
    run->stratum_start[0] = 0;
    for (gsize s = 0; s < run->n_strata; s++) {
        run->stratum_start[s + 1] = run->stratum_start[s] + g_array_index(counts, gsize, s);
    }
    g_autofree gsize *fill = g_memdup2(run->stratum_start, run->n_strata * sizeof(gsize));
    for (gsize c = 0; c < n; c++) {
        run->members[fill[sid[c]]++] = c;
    }
}

static double
jackknife_acceleration(const double *jack, gsize n)
{
    double sum = 0.0;
    gsize k = 0;
    for (gsize i = 0; i < n; i++) {
        if (!isnan(jack[i])) {
            sum += jack[i];
            k++;
        }
    }
    if (k < 2) {
        return NAN;
    }
    double mean = sum / (double) k, s2 = 0.0, s3 = 0.0;
    for (gsize i = 0; i < n; i++) {
        if (!isnan(jack[i])) {
            double u = mean - jack[i];
            s2 += u * u;
            s3 += u * u * u;
        }
    }
    if (!isfinite(s2) || !isfinite(s3)) {
        return NAN;
    }
    return s2 == 0.0 ? 0.0 : s3 / (6.0 * pow(s2, 1.5));
}

void
impact_bootstrap_free(ImpactBootstrap *b)
{
    if (b == NULL) {
        return;
    }
    g_free(b->estimate);
    g_free(b->reps);
    g_free(b->sorted);
    g_free(b->n_valid);
    g_free(b->accel);
    g_free(b);
}

gboolean
impact_bootstrap_run(ImpactBootstrap **out, gsize n_clusters, const guint32 *strata,
                     ImpactStatisticFunc statistic, gpointer user_data, gsize n_stats,
                     const ImpactBootstrapOptions *options, GError **error)
{
    const ImpactBootstrapOptions defaults = IMPACT_BOOTSTRAP_OPTIONS_INIT;
    if (options == NULL) {
        options = &defaults;
    }
    if (options->version != 1) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "bootstrap: unknown options version %u (expected 1)", options->version);
        return FALSE;
    }
    if (statistic == NULL || n_stats == 0) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "bootstrap: a statistic function computing at least one statistic is required");
        return FALSE;
    }
    if (!(options->level > 0.0 && options->level < 1.0)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "bootstrap: confidence level %g is not between 0 and 1", options->level);
        return FALSE;
    }
    if (n_clusters == 0) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INSUFFICIENT,
                    "bootstrap: there are no clusters to resample");
        return FALSE;
    }

    g_autoptr(ImpactBootstrap) b = g_new0(ImpactBootstrap, 1);
    b->n_stats = n_stats;
    b->B = options->replicates;
    b->level = options->level;
    b->estimate = g_new(double, n_stats);
    {
        g_autofree double *ones = g_new(double, n_clusters);
        for (gsize c = 0; c < n_clusters; c++) {
            ones[c] = 1.0;
        }
        if (!statistic(b->estimate, ones, user_data)) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INSUFFICIENT,
                        "bootstrap: the statistic is undefined on the full sample of %" G_GSIZE_FORMAT
                        " clusters",
                        n_clusters);
            return FALSE;
        }
    }
    b->n_valid = g_new0(gsize, n_stats);
    b->accel = g_new(double, n_stats);
    for (gsize s = 0; s < n_stats; s++) {
        b->accel[s] = NAN;
    }
    if (b->B == 0) {
        *out = g_steal_pointer(&b);
        return TRUE;
    }

    Run run = { 0 };
    run.n_clusters = n_clusters;
    run.statistic = statistic;
    run.user_data = user_data;
    run.n_stats = n_stats;
    run.B = b->B;
    run.seed = options->seed;
    run.n_jack = MIN(n_clusters, (gsize) IMPACT_I_JACK_MAX);
    run.n_jobs = (gsize) b->B + run.n_jack;
    run.reps = g_new(double, n_stats * (gsize) b->B);
    run.jack = g_new(double, n_stats * run.n_jack);
    atomic_init(&run.next, 0);
    atomic_init(&run.done, 0);
    atomic_init(&run.cancelled, 0);
    run.progress = options->progress;
    run.progress_data = options->progress_data;
    run.progress_step = MAX(run.n_jobs / 200, 1);
    g_mutex_init(&run.progress_lock);
    group_strata(&run, strata);

    guint threads = options->threads ? options->threads : g_get_num_processors();
    threads = (guint) MIN((gsize) MAX(threads, 1u), run.n_jobs);
    g_autoptr(GPtrArray) workers = g_ptr_array_new();
    for (guint t = 1; t < threads; t++) {
        GThread *th = g_thread_try_new("impact-boot", worker, &run, NULL);
        if (th == NULL) {
            break; /* fewer threads: same numbers, only slower */
        }
        g_ptr_array_add(workers, th);
    }
    worker(&run);
    for (guint t = 0; t < workers->len; t++) {
        g_thread_join(g_ptr_array_index(workers, t));
    }
    g_mutex_clear(&run.progress_lock);
    g_free(run.members);
    g_free(run.stratum_start);

    if (atomic_load(&run.cancelled)) {
        g_free(run.reps);
        g_free(run.jack);
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_CANCELLED, "bootstrap: cancelled");
        return FALSE;
    }

    b->reps = run.reps;
    b->sorted = g_new(double, n_stats * (gsize) b->B);
    for (gsize s = 0; s < n_stats; s++) {
        const double *r = b->reps + s * b->B;
        double *d = b->sorted + s * b->B;
        gsize k = 0;
        for (guint i = 0; i < b->B; i++) {
            if (!isnan(r[i])) {
                d[k++] = r[i];
            }
        }
        b->n_valid[s] = k;
        qsort(d, k, sizeof *d, cmp_double);
        for (gsize i = k; i < b->B; i++) {
            d[i] = NAN;
        }
        b->accel[s] = jackknife_acceleration(run.jack + s * run.n_jack, run.n_jack);
    }
    g_free(run.jack);
    *out = g_steal_pointer(&b);
    return TRUE;
}

gsize
impact_bootstrap_n_stats(const ImpactBootstrap *b)
{
    return b ? b->n_stats : 0;
}

guint
impact_bootstrap_n_replicates(const ImpactBootstrap *b)
{
    return b ? b->B : 0;
}

double
impact_bootstrap_estimate(const ImpactBootstrap *b, gsize stat)
{
    return b && stat < b->n_stats ? b->estimate[stat] : NAN;
}

const double *
impact_bootstrap_replicates(const ImpactBootstrap *b, gsize stat)
{
    return b && stat < b->n_stats && b->B > 0 ? b->reps + stat * b->B : NULL;
}

gsize
impact_bootstrap_n_valid(const ImpactBootstrap *b, gsize stat)
{
    return b && stat < b->n_stats ? b->n_valid[stat] : 0;
}

double
impact_bootstrap_acceleration(const ImpactBootstrap *b, gsize stat)
{
    return b && stat < b->n_stats ? b->accel[stat] : NAN;
}

double
impact_bootstrap_se(const ImpactBootstrap *b, gsize stat)
{
    if (b == NULL || stat >= b->n_stats || b->n_valid[stat] < 2) {
        return NAN;
    }
    double var;
    impact_stats_mean_var(b->sorted + stat * b->B, b->n_valid[stat], NULL, &var, NULL);
    return sqrt(var);
}

static gboolean
set_limits(double *lo, double *hi, double l, double h)
{
    gboolean ok = !isnan(l) && !isnan(h);
    if (lo) {
        *lo = ok ? l : NAN;
    }
    if (hi) {
        *hi = ok ? h : NAN;
    }
    return ok;
}

gboolean
impact_bootstrap_percentile_ci(const ImpactBootstrap *b, gsize stat, double *lo, double *hi)
{
    if (b == NULL || stat >= b->n_stats || b->n_valid[stat] < 2) {
        return set_limits(lo, hi, NAN, NAN);
    }
    const double *d = b->sorted + stat * b->B;
    gsize n = b->n_valid[stat];
    double a = (1.0 - b->level) / 2.0;
    return set_limits(lo, hi, impact_quantile_sorted(d, n, a),
                      impact_quantile_sorted(d, n, 1.0 - a));
}

gboolean
impact_bootstrap_bca_ci(const ImpactBootstrap *b, gsize stat, double *lo, double *hi)
{
    if (b == NULL || stat >= b->n_stats || b->n_valid[stat] < 2 || isnan(b->estimate[stat]) ||
        isnan(b->accel[stat])) {
        return set_limits(lo, hi, NAN, NAN);
    }
    const double *d = b->sorted + stat * b->B;
    gsize n = b->n_valid[stat];
    double t0 = b->estimate[stat];
    gsize below = 0;
    while (below < n && d[below] < t0) {
        below++;
    }
    if (below == 0 || below == n) {
        return set_limits(lo, hi, NAN, NAN);
    }
    double z0 = qnorm((double) below / (double) n, 0.0, 1.0, TRUE, FALSE);
    double a = b->accel[stat];
    double tail = (1.0 - b->level) / 2.0;
    double lim[2];
    for (int j = 0; j < 2; j++) {
        double zj = qnorm(j == 0 ? tail : 1.0 - tail, 0.0, 1.0, TRUE, FALSE);
        double denom = 1.0 - a * (z0 + zj);
        if (!(denom > 0.0)) {
            return set_limits(lo, hi, NAN, NAN);
        }
        double alpha = pnorm(z0 + (z0 + zj) / denom, 0.0, 1.0, TRUE, FALSE);
        lim[j] = impact_quantile_sorted(d, n, alpha);
    }
    return set_limits(lo, hi, lim[0], lim[1]);
}
