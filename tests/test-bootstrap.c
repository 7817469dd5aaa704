/* test-bootstrap.c — random streams, quantiles, the cluster bootstrap engine:
 * errors, degenerate inputs, strata, determinism across thread counts,
 * BCa ingredients, and a seeded coverage simulation. */
#include "config.h"
#include <string.h>
#include <Rmath.h>
#include "testutil.h"

/* ---- random streams ------------------------------------------------------ */

static void
test_rng_reference(void)
{
    /* xoshiro256** from the state {1, 2, 3, 4}: the first outputs of the
     * reference C code by Blackman & Vigna (prng.di.unimi.it/xoshiro256starstar.c),
     * recomputed by hand in Python: 11520, 0, 1509978240, 1215971899390074240. */
    ImpactRng r = { { 1, 2, 3, 4 } };
    CU_ASSERT_EQUAL(impact_rng_next(&r), G_GUINT64_CONSTANT(11520));
    CU_ASSERT_EQUAL(impact_rng_next(&r), G_GUINT64_CONSTANT(0));
    CU_ASSERT_EQUAL(impact_rng_next(&r), G_GUINT64_CONSTANT(1509978240));
    CU_ASSERT_EQUAL(impact_rng_next(&r), G_GUINT64_CONSTANT(1215971899390074240));

    /* Seeding, by an independent Python transcription of the documented
     * recipe (x = mix(seed) ^ mix(stream + φ); four splitmix64 outputs):
     * seed 1, stream 0 -> state 0x346dbc0b5711d830 0x6b182a52253dda4a
     * 0x6e2758640b1bd75b 0x7a4d456004a96fc9; first outputs below. */
    impact_rng_init(&r, 1, 0);
    CU_ASSERT_EQUAL(r.s[0], G_GUINT64_CONSTANT(0x346dbc0b5711d830));
    CU_ASSERT_EQUAL(r.s[3], G_GUINT64_CONSTANT(0x7a4d456004a96fc9));
    CU_ASSERT_EQUAL(impact_rng_next(&r), G_GUINT64_CONSTANT(0x9fb83845efaf8163));
    CU_ASSERT_EQUAL(impact_rng_next(&r), G_GUINT64_CONSTANT(0xc7206727683b6ad3));
    impact_rng_init(&r, 42, 7);
    CU_ASSERT_EQUAL(impact_rng_next(&r), G_GUINT64_CONSTANT(0x2f8a165b6eb84f8d));
    CU_ASSERT_EQUAL(impact_rng_next(&r), G_GUINT64_CONSTANT(0xa8cc1f577bcdfde4));

    /* (seed, stream) and (stream, seed) are different streams */
    ImpactRng a, b;
    impact_rng_init(&a, 3, 5);
    impact_rng_init(&b, 5, 3);
    CU_ASSERT_NOT_EQUAL(impact_rng_next(&a), impact_rng_next(&b));
}

static void
test_rng_distributions(void)
{
    ImpactRng r;
    impact_rng_init(&r, 2026, 0);
    CU_ASSERT_EQUAL(impact_rng_below(&r, 0), 0);
    CU_ASSERT_EQUAL(impact_rng_below(&r, 1), 0);
    /* below(7): every value in range, each near 1/7 of 70,000 draws
     * (binomial SD √(70000·(1/7)(6/7)) = 92.6; 5 SD = 463) */
    gsize counts[7] = { 0 };
    for (int i = 0; i < 70000; i++) {
        guint64 v = impact_rng_below(&r, 7);
        CU_ASSERT_FATAL(v < 7);
        counts[v]++;
    }
    for (int v = 0; v < 7; v++) {
        CU_ASSERT(fabs((double) counts[v] - 10000.0) < 463.0);
    }
    /* huge n: values stay below n */
    guint64 big = G_GUINT64_CONSTANT(0xFFFFFFFFFFFFFFF1);
    for (int i = 0; i < 1000; i++) {
        CU_ASSERT(impact_rng_below(&r, big) < big);
    }
    /* uniform in [0, 1): mean 1/2 (SD of mean √(1/12/1e5) = 0.00091; 5 SD) */
    double s = 0.0, lo = 1.0, hi = 0.0;
    for (int i = 0; i < 100000; i++) {
        double u = impact_rng_uniform(&r);
        s += u;
        lo = MIN(lo, u);
        hi = MAX(hi, u);
    }
    CU_ASSERT(lo >= 0.0 && hi < 1.0);
    CU_ASSERT(fabs(s / 1e5 - 0.5) < 0.0046);
    /* normal: mean 0 (SD of mean 0.0032; 5 SD = 0.016), variance 1
     * (SD of s² ≈ √(2/1e5) = 0.0045; 5 SD = 0.022) */
    double m = 0.0, m2 = 0.0;
    for (int i = 0; i < 100000; i++) {
        double z = impact_rng_normal(&r);
        m += z;
        m2 += z * z;
    }
    m /= 1e5;
    CU_ASSERT(fabs(m) < 0.016);
    CU_ASSERT(fabs(m2 / 1e5 - m * m - 1.0) < 0.022);
}

static void
test_quantile(void)
{
    /* R 4.2.2: quantile(c(1, 2, 3, 4, 10), c(0, .3, .5, .975, 1)) (type 7)
     * = 1, 2.2, 3, 9.4, 10 */
    const double x[] = { 1, 2, 3, 4, 10 };
    ASSERT_CLOSE(impact_quantile_sorted(x, 5, 0.0), 1.0, 1e-15);
    ASSERT_CLOSE(impact_quantile_sorted(x, 5, 0.3), 2.2, 1e-15);
    ASSERT_CLOSE(impact_quantile_sorted(x, 5, 0.5), 3.0, 1e-15);
    ASSERT_CLOSE(impact_quantile_sorted(x, 5, 0.975), 9.4, 1e-14);
    ASSERT_CLOSE(impact_quantile_sorted(x, 5, 1.0), 10.0, 1e-15);
    ASSERT_CLOSE(impact_quantile_sorted(x, 1, 0.7), 1.0, 1e-15);
    ASSERT_NAN(impact_quantile_sorted(x, 0, 0.5));
    ASSERT_NAN(impact_quantile_sorted(x, 5, 1.5));
    ASSERT_NAN(impact_quantile_sorted(x, 5, NAN));
}

/* ---- statistics used below ----------------------------------------------- */

typedef struct {
    const double *x; /* one value per cluster */
    gsize n;
} Values;

/* stat 0: weighted mean; stat 1: weighted SD (n − 1 with frequency weights),
 * NaN for a single distinct draw */
static gboolean
mean_sd(double *out, const double *w, gpointer data)
{
    const Values *v = data;
    double sw = 0.0, s = 0.0;
    for (gsize i = 0; i < v->n; i++) {
        sw += w[i];
        s += w[i] * v->x[i];
    }
    if (sw == 0.0) {
        return FALSE;
    }
    double m = s / sw, ss = 0.0;
    for (gsize i = 0; i < v->n; i++) {
        ss += w[i] * (v->x[i] - m) * (v->x[i] - m);
    }
    out[0] = m;
    out[1] = sw > 1.0 ? sqrt(ss / (sw - 1.0)) : NAN;
    return TRUE;
}

/* undefined whenever cluster 0 is left out */
static gboolean
needs_first(double *out, const double *w, gpointer data)
{
    out[0] = w[0];
    return w[0] > 0.0;
}

static gboolean
never(double *out, const double *w, gpointer data)
{
    return FALSE;
}

/* strata check: the multiplicities of each stratum add up to its size */
typedef struct {
    const guint32 *strata;
    gsize n;
} StrataCheck;

static gboolean
stratum_sums(double *out, const double *w, gpointer data)
{
    const StrataCheck *sc = data;
    out[0] = out[1] = out[2] = 0.0;
    for (gsize i = 0; i < sc->n; i++) {
        out[sc->strata[i] == 7 ? 0 : sc->strata[i] == 0 ? 1 : 2] += w[i];
    }
    return TRUE;
}

static gboolean
cancel_at_half(double fraction, gpointer data)
{
    double *last = data;
    CU_ASSERT(fraction > *last);
    *last = fraction;
    return fraction < 0.5;
}

static gboolean
record(double fraction, gpointer data)
{
    double *last = data;
    CU_ASSERT(fraction > *last && fraction <= 1.0);
    *last = fraction;
    return TRUE;
}

/* ---- the engine ---------------------------------------------------------- */

static void
test_errors(void)
{
    const double x[] = { 1, 2, 3 };
    Values v = { x, 3 };
    ImpactBootstrap *b = NULL;
    GError *err = NULL;
    ImpactBootstrapOptions o = IMPACT_BOOTSTRAP_OPTIONS_INIT;
    o.version = 2;
    CU_ASSERT_FALSE(impact_bootstrap_run(&b, 3, NULL, mean_sd, &v, 2, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "version");
    o = (ImpactBootstrapOptions) IMPACT_BOOTSTRAP_OPTIONS_INIT;
    o.level = 1.0;
    CU_ASSERT_FALSE(impact_bootstrap_run(&b, 3, NULL, mean_sd, &v, 2, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "level");
    o.level = NAN;
    CU_ASSERT_FALSE(impact_bootstrap_run(&b, 3, NULL, mean_sd, &v, 2, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "level");
    CU_ASSERT_FALSE(impact_bootstrap_run(&b, 3, NULL, NULL, &v, 2, NULL, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "statistic");
    CU_ASSERT_FALSE(impact_bootstrap_run(&b, 3, NULL, mean_sd, &v, 0, NULL, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "statistic");
    CU_ASSERT_FALSE(impact_bootstrap_run(&b, 0, NULL, mean_sd, &v, 2, NULL, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INSUFFICIENT, "no clusters");
    CU_ASSERT_FALSE(impact_bootstrap_run(&b, 3, NULL, never, NULL, 1, NULL, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INSUFFICIENT, "undefined on the full sample");
    CU_ASSERT_PTR_NULL(b);

    /* cancellation: the callback stops at half way; output untouched */
    double last = 0.0;
    o = (ImpactBootstrapOptions) IMPACT_BOOTSTRAP_OPTIONS_INIT;
    o.threads = 2;
    o.progress = cancel_at_half;
    o.progress_data = &last;
    CU_ASSERT_FALSE(impact_bootstrap_run(&b, 3, NULL, mean_sd, &v, 2, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_CANCELLED, "cancelled");
    CU_ASSERT_PTR_NULL(b);
    CU_ASSERT(last >= 0.5 && last < 1.0);

    /* NULL-safe getters and free */
    impact_bootstrap_free(NULL);
    CU_ASSERT_EQUAL(impact_bootstrap_n_stats(NULL), 0);
    CU_ASSERT_EQUAL(impact_bootstrap_n_replicates(NULL), 0);
    ASSERT_NAN(impact_bootstrap_estimate(NULL, 0));
    CU_ASSERT_PTR_NULL(impact_bootstrap_replicates(NULL, 0));
    double lo = 0, hi = 0;
    CU_ASSERT_FALSE(impact_bootstrap_percentile_ci(NULL, 0, &lo, &hi));
    CU_ASSERT(isnan(lo) && isnan(hi));
    CU_ASSERT_FALSE(impact_bootstrap_bca_ci(NULL, 0, &lo, &hi));
}

static void
test_degenerate(void)
{
    const double x[] = { 4, 1, 7, 2, 6 };
    Values v = { x, 5 };
    ImpactBootstrap *b = NULL;
    GError *err = NULL;
    double lo, hi;
    /* B = 0: the estimate only */
    ImpactBootstrapOptions o = IMPACT_BOOTSTRAP_OPTIONS_INIT;
    o.replicates = 0;
    CU_ASSERT_TRUE_FATAL(impact_bootstrap_run(&b, 5, NULL, mean_sd, &v, 2, &o, &err));
    CU_ASSERT_EQUAL(impact_bootstrap_n_replicates(b), 0);
    CU_ASSERT_EQUAL(impact_bootstrap_n_stats(b), 2);
    ASSERT_CLOSE(impact_bootstrap_estimate(b, 0), 4.0, 1e-15); /* 20/5 */
    /* SD: Σ(x − 4)² = 0 + 9 + 9 + 4 + 4 = 26; √(26/4) */
    ASSERT_CLOSE(impact_bootstrap_estimate(b, 1), sqrt(6.5), 1e-15);
    ASSERT_NAN(impact_bootstrap_estimate(b, 2));
    CU_ASSERT_PTR_NULL(impact_bootstrap_replicates(b, 0));
    CU_ASSERT_FALSE(impact_bootstrap_percentile_ci(b, 0, &lo, &hi));
    CU_ASSERT_FALSE(impact_bootstrap_bca_ci(b, 0, &lo, &hi));
    ASSERT_NAN(impact_bootstrap_se(b, 0));
    impact_bootstrap_free(b);

    /* one cluster: every replicate is the full sample; the SD is NaN
     * everywhere; the percentile interval of the mean is the point; BCa is
     * undefined (no replicate below the estimate; one jackknife value) */
    o = (ImpactBootstrapOptions) IMPACT_BOOTSTRAP_OPTIONS_INIT;
    o.replicates = 50;
    Values one = { x, 1 };
    CU_ASSERT_TRUE_FATAL(impact_bootstrap_run(&b, 1, NULL, mean_sd, &one, 2, &o, &err));
    CU_ASSERT_EQUAL(impact_bootstrap_n_valid(b, 0), 50);
    CU_ASSERT_EQUAL(impact_bootstrap_n_valid(b, 1), 0);
    CU_ASSERT_TRUE(impact_bootstrap_percentile_ci(b, 0, &lo, &hi));
    CU_ASSERT(lo == 4.0 && hi == 4.0);
    CU_ASSERT_FALSE(impact_bootstrap_percentile_ci(b, 1, &lo, &hi));
    CU_ASSERT_FALSE(impact_bootstrap_bca_ci(b, 0, &lo, &hi));
    CU_ASSERT(isnan(lo) && isnan(hi));
    ASSERT_CLOSE(impact_bootstrap_se(b, 0), 0.0, 1e-15);
    impact_bootstrap_free(b);

    /* replicates where the statistic fails are NaN and not counted: cluster
     * 0 of 5 is left out with probability (4/5)^5 = 0.32768 */
    o.replicates = 4000;
    CU_ASSERT_TRUE_FATAL(impact_bootstrap_run(&b, 5, NULL, needs_first, NULL, 1, &o, &err));
    gsize valid = impact_bootstrap_n_valid(b, 0);
    const double *r = impact_bootstrap_replicates(b, 0);
    gsize nan = 0;
    for (gsize i = 0; i < 4000; i++) {
        nan += isnan(r[i]);
    }
    CU_ASSERT_EQUAL(valid + nan, 4000);
    /* binomial SD √(4000·0.32768·0.67232) = 29.7; 5 SD */
    CU_ASSERT(fabs((double) nan - 4000 * 0.32768) < 149);
    /* jackknife: only leaving cluster 0 out fails; the other four values
     * are all 1, so a = 0 */
    ASSERT_CLOSE(impact_bootstrap_acceleration(b, 0), 0.0, 0.0);
    impact_bootstrap_free(b);
}

static void
test_strata(void)
{
    /* 3 strata with codes 7, 0 and G_MAXUINT32 (any guint32 is a code) */
    const guint32 strata[] = { 7, 0, 7, G_MAXUINT32, 0, 7, 0, 0 };
    StrataCheck sc = { strata, 8 };
    ImpactBootstrap *b = NULL;
    GError *err = NULL;
    ImpactBootstrapOptions o = IMPACT_BOOTSTRAP_OPTIONS_INIT;
    o.replicates = 300;
    o.threads = 3;
    CU_ASSERT_TRUE_FATAL(impact_bootstrap_run(&b, 8, strata, stratum_sums, &sc, 3, &o, &err));
    for (int s = 0; s < 3; s++) {
        const double *r = impact_bootstrap_replicates(b, s);
        double expect = s == 0 ? 3 : s == 1 ? 4 : 1;
        gboolean all = TRUE;
        for (int i = 0; i < 300; i++) {
            all = all && r[i] == expect;
        }
        CU_ASSERT_TRUE(all);
    }
    impact_bootstrap_free(b);
}

static void
run_with_threads(ImpactBootstrap **b, Values *v, guint threads, guint64 seed)
{
    GError *err = NULL;
    ImpactBootstrapOptions o = IMPACT_BOOTSTRAP_OPTIONS_INIT;
    o.replicates = 1999;
    o.threads = threads;
    o.seed = seed;
    CU_ASSERT_TRUE_FATAL(impact_bootstrap_run(b, v->n, NULL, mean_sd, v, 2, &o, &err));
}

static void
test_determinism(void)
{
    /* skewed data so that the BCa differs from the percentile interval */
    double x[60];
    ImpactRng r;
    impact_rng_init(&r, 99, 0);
    for (int i = 0; i < 60; i++) {
        x[i] = exp(impact_rng_normal(&r));
    }
    Values v = { x, 60 };
    ImpactBootstrap *b1 = NULL, *b2 = NULL, *b4 = NULL, *other = NULL;
    run_with_threads(&b1, &v, 1, 5);
    run_with_threads(&b2, &v, 2, 5);
    run_with_threads(&b4, &v, 4, 5);
    run_with_threads(&other, &v, 2, 6);
    for (gsize s = 0; s < 2; s++) {
        const double *r1 = impact_bootstrap_replicates(b1, s);
        CU_ASSERT(memcmp(r1, impact_bootstrap_replicates(b2, s), 1999 * sizeof(double)) == 0);
        CU_ASSERT(memcmp(r1, impact_bootstrap_replicates(b4, s), 1999 * sizeof(double)) == 0);
        CU_ASSERT(memcmp(r1, impact_bootstrap_replicates(other, s), 1999 * sizeof(double)) != 0);
        double l1, h1, l4, h4;
        CU_ASSERT_TRUE(impact_bootstrap_bca_ci(b1, s, &l1, &h1));
        CU_ASSERT_TRUE(impact_bootstrap_bca_ci(b4, s, &l4, &h4));
        CU_ASSERT(l1 == l4 && h1 == h4);
        CU_ASSERT(impact_bootstrap_acceleration(b1, s) == impact_bootstrap_acceleration(b4, s));
    }
    impact_bootstrap_free(b1);
    impact_bootstrap_free(b2);
    impact_bootstrap_free(b4);
    impact_bootstrap_free(other);
}

static int
cmp(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

static void
test_intervals(void)
{
    double x[40];
    ImpactRng r;
    impact_rng_init(&r, 7, 0);
    for (int i = 0; i < 40; i++) {
        x[i] = exp(impact_rng_normal(&r));
    }
    Values v = { x, 40 };
    ImpactBootstrap *b = NULL;
    GError *err = NULL;
    double last = 0.0;
    ImpactBootstrapOptions o = IMPACT_BOOTSTRAP_OPTIONS_INIT;
    o.level = 0.9;
    o.progress = record;
    o.progress_data = &last;
    CU_ASSERT_TRUE_FATAL(impact_bootstrap_run(&b, 40, NULL, mean_sd, &v, 2, &o, &err));
    CU_ASSERT_EQUAL(last, 1.0); /* progress ends at 1 */

    /* acceleration of the mean, by hand: the jackknife mean leaving out i is
     * (S − x_i)/(n − 1), so θ̄ − θ_(i) = (x_i − x̄)/(n − 1) and
     * a = Σ(x_i − x̄)³ / (6 (Σ(x_i − x̄)²)^{3/2}) (Efron & Tibshirani 1993, eq. 14.15) */
    double mean = 0, s2 = 0, s3 = 0;
    for (int i = 0; i < 40; i++) {
        mean += x[i] / 40;
    }
    for (int i = 0; i < 40; i++) {
        s2 += (x[i] - mean) * (x[i] - mean);
        s3 += pow(x[i] - mean, 3);
    }
    ASSERT_CLOSE(impact_bootstrap_acceleration(b, 0), s3 / (6 * pow(s2, 1.5)), 1e-12);
    CU_ASSERT(impact_bootstrap_acceleration(b, 0) > 0.0); /* right skew */
    ASSERT_CLOSE(impact_bootstrap_estimate(b, 0), mean, 1e-14);

    /* percentile and BCa limits recomputed from the replicates with the
     * textbook steps (R: quantile(t, c(.05, .95)); z0 = qnorm(mean(t < t0))) */
    double sorted[2000];
    memcpy(sorted, impact_bootstrap_replicates(b, 0), sizeof sorted);
    qsort(sorted, 2000, sizeof(double), cmp);
    double lo, hi;
    CU_ASSERT_TRUE(impact_bootstrap_percentile_ci(b, 0, &lo, &hi));
    /* h = 1999·0.05 = 99.95 */
    ASSERT_CLOSE(lo, sorted[99] + 0.95 * (sorted[100] - sorted[99]), 1e-12);
    ASSERT_CLOSE(hi, sorted[1899] + 0.05 * (sorted[1900] - sorted[1899]), 1e-12);
    int below = 0;
    for (int i = 0; i < 2000; i++) {
        below += sorted[i] < mean;
    }
    double z0 = qnorm(below / 2000.0, 0, 1, 1, 0), a = impact_bootstrap_acceleration(b, 0);
    double zl = qnorm(0.05, 0, 1, 1, 0), zh = -zl;
    double al = pnorm(z0 + (z0 + zl) / (1 - a * (z0 + zl)), 0, 1, 1, 0);
    double ah = pnorm(z0 + (z0 + zh) / (1 - a * (z0 + zh)), 0, 1, 1, 0);
    double bl, bh;
    CU_ASSERT_TRUE(impact_bootstrap_bca_ci(b, 0, &bl, &bh));
    ASSERT_CLOSE(bl, impact_quantile_sorted(sorted, 2000, al), 1e-12);
    ASSERT_CLOSE(bh, impact_quantile_sorted(sorted, 2000, ah), 1e-12);
    /* right skew moves the BCa interval up against the percentile one */
    CU_ASSERT(bl > lo && bh > hi);
    /* bootstrap SE of the mean near s/√n (sample SD with n − 1) */
    ASSERT_CLOSE(impact_bootstrap_se(b, 0), impact_bootstrap_estimate(b, 1) / sqrt(40.0), 0.1);
    impact_bootstrap_free(b);
}

/* counts its calls (atomically: it runs in worker threads) */
typedef struct {
    Values v;
    gint calls;
} Counted;

static gboolean
counted_mean(double *out, const double *w, gpointer data)
{
    Counted *c = data;
    g_atomic_int_inc(&c->calls);
    return mean_sd(out, w, &c->v);
}

static void
test_grouped_jackknife(void)
{
    /* 4,000 clusters: the acceleration comes from 2,000 blocks of two
     * consecutive clusters. For the mean, leaving out block g gives
     * (S − x_2g − x_2g+1)/(n − 2), so θ̄ − θ_(g) ∝ x_2g + x_2g+1 − 2x̄ and
     * a = Σ d_g³ / (6 (Σ d_g²)^{3/2}) with d_g = x_2g + x_2g+1 − 2x̄. */
    enum { N = 4000 };
    static double x[N];
    ImpactRng r;
    impact_rng_init(&r, 11, 0);
    double mean = 0;
    for (int i = 0; i < N; i++) {
        x[i] = exp(impact_rng_normal(&r));
        mean += x[i] / N;
    }
    Counted c = { { x, N }, 0 };
    ImpactBootstrap *b = NULL;
    GError *err = NULL;
    ImpactBootstrapOptions o = IMPACT_BOOTSTRAP_OPTIONS_INIT;
    o.replicates = 200;
    o.threads = 2;
    CU_ASSERT_TRUE_FATAL(impact_bootstrap_run(&b, N, NULL, counted_mean, &c, 2, &o, &err));
    /* estimate + 200 replicates + 2,000 jackknife blocks */
    CU_ASSERT_EQUAL(g_atomic_int_get(&c.calls), 1 + 200 + 2000);
    double s2 = 0, s3 = 0;
    for (int g = 0; g < N / 2; g++) {
        double d = x[2 * g] + x[2 * g + 1] - 2 * mean;
        s2 += d * d;
        s3 += d * d * d;
    }
    ASSERT_CLOSE(impact_bootstrap_acceleration(b, 0), s3 / (6 * pow(s2, 1.5)), 1e-9);
    impact_bootstrap_free(b);
}

/* ---- coverage simulation ------------------------------------------------- */

/* Two arms of G clusters of m units; y = arm·δ + u_cluster + e, u ~ N(0, τ²),
 * e ~ N(0, σ²). The statistic is the difference of the arms' unit means. */
typedef struct {
    gsize n_clusters, m;
    const double *y;   /* n_clusters × m */
    const guint32 *arm;
} Sim;

static gboolean
arm_difference(double *out, const double *w, gpointer data)
{
    const Sim *s = data;
    double sum[2] = { 0, 0 }, n[2] = { 0, 0 };
    for (gsize c = 0; c < s->n_clusters; c++) {
        if (w[c] == 0.0) {
            continue;
        }
        double cs = 0.0;
        for (gsize j = 0; j < s->m; j++) {
            cs += s->y[c * s->m + j];
        }
        sum[s->arm[c]] += w[c] * cs;
        n[s->arm[c]] += w[c] * (double) s->m;
    }
    out[0] = sum[1] / n[1] - sum[0] / n[0];
    return TRUE;
}

static void
test_coverage(void)
{
    /* 400 simulated evaluations (seeded), each with 2 × 60 clusters of 5
     * (ICC τ²/(τ²+σ²) = 0.2, δ = 0.3) and 999 replicates stratified by arm.
     * The share of 95% intervals covering δ has binomial SE
     * √(.95·.05/400) = 0.0109; we accept 0.95 ± 0.033 (3 SE). (With few
     * clusters the percentile interval runs narrow by about √((G−1)/G) in
     * SE: 2 × 25 clusters gave 0.933 over 2,000 evaluations, 2 × 100 gave
     * 0.950 over 1,000, so the design keeps 60 per arm.) Naive unit-level
     * intervals (SE ignoring the clusters; design effect 1 + 4·0.2 = 1.8)
     * must cover visibly less often: about 2Φ(1.96/√1.8) − 1 = 0.86. */
    enum { G = 120, M = 5, SIMS = 400 };
    double y[G * M];
    guint32 arm[G];
    for (int c = 0; c < G; c++) {
        arm[c] = c < G / 2 ? 0 : 1;
    }
    Sim sim = { G, M, y, arm };
    const double delta = 0.3, tau = 0.5, sigma = 1.0;
    int cover_pct = 0, cover_bca = 0, cover_naive = 0;
    ImpactBootstrapOptions o = IMPACT_BOOTSTRAP_OPTIONS_INIT;
    o.replicates = 999;
    for (int k = 0; k < SIMS; k++) {
        ImpactRng r;
        impact_rng_init(&r, 20261122, (guint64) k);
        for (int c = 0; c < G; c++) {
            double u = tau * impact_rng_normal(&r);
            for (int j = 0; j < M; j++) {
                y[c * M + j] = arm[c] * delta + u + sigma * impact_rng_normal(&r);
            }
        }
        ImpactBootstrap *b = NULL;
        GError *err = NULL;
        o.seed = (guint64) k + 1;
        CU_ASSERT_TRUE_FATAL(impact_bootstrap_run(&b, G, arm, arm_difference, &sim, 1, &o, &err));
        double lo, hi;
        CU_ASSERT_TRUE(impact_bootstrap_percentile_ci(b, 0, &lo, &hi));
        cover_pct += lo <= delta && delta <= hi;
        CU_ASSERT_TRUE(impact_bootstrap_bca_ci(b, 0, &lo, &hi));
        cover_bca += lo <= delta && delta <= hi;
        /* naive: unit-level SE √(s0²/n0 + s1²/n1), normal quantile */
        double mv[2], vv[2];
        double ys[2][G / 2 * M];
        for (int a = 0; a < 2; a++) {
            memcpy(ys[a], y + a * (G / 2) * M, sizeof ys[a]);
            impact_stats_mean_var(ys[a], G / 2 * M, &mv[a], &vv[a], NULL);
        }
        double se = sqrt(vv[0] / (G / 2 * M) + vv[1] / (G / 2 * M));
        double est = impact_bootstrap_estimate(b, 0);
        cover_naive += fabs(est - delta) <= 1.959963984540054 * se;
        impact_bootstrap_free(b);
    }
    double p = cover_pct / (double) SIMS, q = cover_bca / (double) SIMS;
    double nv = cover_naive / (double) SIMS;
    printf("\n    coverage of 95%% intervals over %d evaluations: percentile %.3f, "
           "BCa %.3f, naive %.3f\n",
           SIMS, p, q, nv);
    CU_ASSERT(fabs(p - 0.95) <= 0.033);
    CU_ASSERT(fabs(q - 0.95) <= 0.033);
    CU_ASSERT(nv < 0.9);
}

static CU_TestInfo tests[] = {
    { "xoshiro256** and splitmix64 seeding against reference outputs", test_rng_reference },
    { "uniform, bounded and normal draws", test_rng_distributions },
    { "type-7 quantiles as R", test_quantile },
    { "errors and cancellation", test_errors },
    { "degenerate: B = 0, one cluster, failing replicates", test_degenerate },
    { "stratified resampling keeps stratum sizes", test_strata },
    { "bit-identical for a seed with 1, 2 and 4 threads", test_determinism },
    { "percentile and BCa recomputed by hand", test_intervals },
    { "grouped jackknife above 2,000 clusters", test_grouped_jackknife },
    { "seeded coverage simulation of clustered intervals", test_coverage },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "bootstrap", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int
main(void)
{
    return test_run(suites);
}
