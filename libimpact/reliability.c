/* reliability.c — scale reliability and item analysis (impact-reliability.h).
 *
 * The formulas are ported from their published definitions and from the
 * conventions documented in REFERENCE.md §2.1 and §2.3 (psych 2.2.9); no
 * code is copied.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <float.h>
#include <math.h>
#include <string.h>
#include <Rmath.h>
#include "impact-private.h"
#include "reliability-private.h"
#include "impact-linalg.h"
#include "lanes-private.h"

/* ======================================================================
 * Kernels
 * ====================================================================== */

void
impact_reliability_feldt_ci(double *lo, double *hi, double alpha, double n, gsize k, double level)
{
    *lo = *hi = NAN;
    if (!(n >= 2) || k < 2 || !isfinite(alpha) || !(level > 0 && level < 1)) {
        return;
    }
    double p = 1.0 - level;
    double df1 = n - 1, df2 = (n - 1) * (double) (k - 1);
    *lo = 1.0 - (1.0 - alpha) * qf(1.0 - p / 2.0, df1, df2, 1, 0);
    *hi = 1.0 - (1.0 - alpha) * qf(p / 2.0, df1, df2, 1, 0);
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

/* The alpha statistics of the k×k covariance @c (column-major, valid,
 * k >= 2) with correlation @r; @scratch has room for 3k² doubles. */
static void
alpha_one(ImpactAlphaStats *s, const double *c, const double *r, gsize k, double n,
          double *scratch)
{
    double kk = (double) k;
    double sum_c = 0, tr_c = 0, sum_r = 0;
    for (gsize j = 0; j < k; j++) {
        tr_c += c[j + j * k];
        for (gsize i = 0; i < k; i++) {
            sum_c += c[i + j * k];
            sum_r += r[i + j * k];
        }
    }
    s->alpha = (1.0 - tr_c / sum_c) * (kk / (kk - 1));
    s->alpha_std = (1.0 - kk / sum_r) * (kk / (kk - 1));
    double *smc = scratch;
    double sum_smc = NAN;
    if (impact_i_smc(smc, r, k)) {
        sum_smc = 0;
        for (gsize i = 0; i < k; i++) {
            sum_smc += smc[i];
        }
    }
    s->g6 = 1.0 - (kk - sum_smc) / sum_r;
    s->average_r = (sum_r - kk) / (kk * (kk - 1));
    s->signal_noise = kk * s->average_r / (1.0 - s->average_r);
    /* median of the lower triangle */
    double *off = scratch;
    gsize m = 0;
    for (gsize j = 0; j < k; j++) {
        for (gsize i = j + 1; i < k; i++) {
            off[m++] = r[i + j * k];
        }
    }
    qsort(off, m, sizeof *off, cmp_double);
    s->median_r = m % 2 ? off[m / 2] : (off[m / 2 - 1] + off[m / 2]) / 2.0;
    /* Q: tr(CC) = Σ c_ij² (symmetric); 1'CC1 = Σ_i (Σ_j c_ij)² */
    double tr_cc = 0, sum_cc = 0;
    for (gsize j = 0; j < k; j++) {
        double col = 0;
        for (gsize i = 0; i < k; i++) {
            tr_cc += c[i + j * k] * c[i + j * k];
            col += c[i + j * k];
        }
        sum_cc += col * col;
    }
    double q = (2.0 * kk * kk / ((kk - 1) * (kk - 1) * sum_c * sum_c * sum_c)) *
               (sum_c * (tr_cc + tr_c * tr_c) - 2.0 * tr_c * sum_cc);
    s->ase = n > 0 ? sqrt(q / n) : NAN;
    s->ci_lo = s->ci_hi = NAN;
}

static void
stats_nan(ImpactAlphaStats *s)
{
    s->alpha = s->alpha_std = s->g6 = s->average_r = s->median_r = s->signal_noise = s->ase =
        s->ci_lo = s->ci_hi = NAN;
}

gboolean
impact_reliability_alpha_cov(ImpactAlphaStats *out, ImpactAlphaItem *items, const double *cov,
                             gsize k, double n, double ci_level, GError **error)
{
    if (k < 2) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INSUFFICIENT,
                    "alpha needs at least 2 items, got %" G_GSIZE_FORMAT, k);
        return FALSE;
    }
    if (!(ci_level > 0 && ci_level < 1)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "the CI level must be between 0 and 1, not %g", ci_level);
        return FALSE;
    }
    for (gsize j = 0; j < k; j++) {
        if (!(cov[j + j * k] > 0) || !isfinite(cov[j + j * k])) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                        "variance %g of item %" G_GSIZE_FORMAT " is not positive and finite",
                        cov[j + j * k], j + 1);
            return FALSE;
        }
        for (gsize i = 0; i < k; i++) {
            if (!isfinite(cov[i + j * k])) {
                g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                            "covariance of items %" G_GSIZE_FORMAT " and %" G_GSIZE_FORMAT
                            " is not finite",
                            i + 1, j + 1);
                return FALSE;
            }
        }
    }
    g_autofree double *r = g_new(double, k * k);
    g_autofree double *scratch = g_new(double, 3 * k * k);
    for (gsize j = 0; j < k; j++) {
        for (gsize i = 0; i < k; i++) {
            r[i + j * k] =
                i == j ? 1.0 : cov[i + j * k] / sqrt(cov[i + i * k] * cov[j + j * k]);
        }
    }
    ImpactAlphaStats s;
    alpha_one(&s, cov, r, k, n, scratch);
    impact_reliability_feldt_ci(&s.ci_lo, &s.ci_hi, s.alpha, n, k, ci_level);
    if (items) {
        double sum_r = 0, sum_c = 0;
        g_autofree double *smc = g_new(double, k);
        gboolean smc_ok = impact_i_smc(smc, r, k);
        double sum_rc = 0;
        for (gsize j = 0; j < k; j++) {
            for (gsize i = 0; i < k; i++) {
                sum_r += r[i + j * k];
                sum_c += cov[i + j * k];
                sum_rc += i == j ? (smc_ok ? smc[i] : NAN) : r[i + j * k];
            }
        }
        g_autofree double *cd = g_new(double, (k - 1) * (k - 1));
        g_autofree double *rd = g_new(double, (k - 1) * (k - 1));
        for (gsize d = 0; d < k; d++) {
            ImpactAlphaItem *it = &items[d];
            double col_c = 0, col_r = 0, col_rc = 0;
            for (gsize i = 0; i < k; i++) {
                col_c += cov[i + d * k];
                col_r += r[i + d * k];
                col_rc += i == d ? (smc_ok ? smc[i] : NAN) : r[i + d * k];
            }
            it->std_r = col_r / sqrt(sum_r);
            it->r_cor = col_rc / sqrt(sum_rc);
            /* 1'C₋ᵢ1 = 1'C1 − 2ΣC[,i] + C_ii */
            double v_drop = sum_c - 2.0 * col_c + cov[d + d * k];
            it->r_drop = (col_c - cov[d + d * k]) / sqrt(cov[d + d * k] * v_drop);
            if (k < 3) {
                stats_nan(&it->if_dropped);
                continue;
            }
            gsize jj = 0;
            for (gsize j = 0; j < k; j++) {
                if (j == d) {
                    continue;
                }
                gsize ii = 0;
                for (gsize i = 0; i < k; i++) {
                    if (i == d) {
                        continue;
                    }
                    cd[ii + jj * (k - 1)] = cov[i + j * k];
                    rd[ii + jj * (k - 1)] = r[i + j * k];
                    ii++;
                }
                jj++;
            }
            alpha_one(&it->if_dropped, cd, rd, k - 1, n, scratch);
        }
    }
    *out = s;
    return TRUE;
}

/* F(λ) = Σ_{i<j} (r_ij − λ_iλ_j)² */
static double
minres_f(const double *r, const double *l, gsize k)
{
    double f = 0;
    for (gsize j = 0; j < k; j++) {
        for (gsize i = j + 1; i < k; i++) {
            double e = r[i + j * k] - l[i] * l[j];
            f += e * e;
        }
    }
    return f;
}

gboolean
impact_reliability_omega_cor(double *out_omega, double *loadings, gboolean *out_heywood,
                             const double *cor, gsize k, GError **error)
{
    if (k < 3) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INSUFFICIENT,
                    "a one-factor model needs at least 3 items, got %" G_GSIZE_FORMAT, k);
        return FALSE;
    }
    for (gsize i = 0; i < k * k; i++) {
        if (!isfinite(cor[i])) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                        "the correlation matrix holds a non-finite value");
            return FALSE;
        }
    }
    g_autofree double *a = g_new(double, k * k);
    g_autofree double *vec = g_new(double, k * k);
    g_autofree double *val = g_new(double, k);
    g_autofree double *l = g_new(double, k);
    g_autofree double *g = g_new(double, k);
    g_autofree double *h = g_new(double, k * k);
    g_autofree double *trial = g_new(double, k);
    /* start: principal axis iterations from the SMCs */
    memcpy(a, cor, k * k * sizeof *a);
    if (!impact_i_smc(val, cor, k)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID, "SMCs of the correlation matrix failed");
        return FALSE;
    }
    for (gsize i = 0; i < k; i++) {
        a[i + i * k] = val[i];
    }
    for (int it = 0; it < 20; it++) {
        if (!impact_i_sym_eigen(val, vec, a, k)) {
            break;
        }
        double s = sqrt(MAX(val[0], 0.0));
        for (gsize i = 0; i < k; i++) {
            l[i] = vec[i] * s;
            a[i + i * k] = l[i] * l[i];
        }
    }
    /* Newton with backtracking on F, until the full Newton step is at
     * rounding level (then the gradient is too) */
    double f = minres_f(cor, l, k);
    double gmax = INFINITY;
    for (int step = 0; step < 200; step++) {
        gmax = 0;
        for (gsize i = 0; i < k; i++) {
            double gi = 0, hii = 0;
            for (gsize j = 0; j < k; j++) {
                if (j == i) {
                    continue;
                }
                gi += (cor[i + j * k] - l[i] * l[j]) * l[j];
                hii += l[j] * l[j];
                h[i + j * k] = -2.0 * cor[i + j * k] + 4.0 * l[i] * l[j];
            }
            g[i] = 2.0 * gi; /* −∇F */
            h[i + i * k] = 2.0 * hii;
            gmax = MAX(gmax, fabs(g[i]));
        }
        if (gmax == 0 || !impact_i_solve(h, g, k)) {
            break;
        }
        double smax = 0, lmax = 0;
        for (gsize i = 0; i < k; i++) {
            smax = MAX(smax, fabs(g[i]));
            lmax = MAX(lmax, fabs(l[i]));
        }
        double t = 1.0;
        gboolean moved = FALSE;
        for (int ls = 0; ls < 60; ls++, t /= 2) {
            for (gsize i = 0; i < k; i++) {
                trial[i] = l[i] + t * g[i];
            }
            double ft = minres_f(cor, trial, k);
            /* F is flat to rounding near the minimum: allow for it */
            if (ft <= f + 64 * DBL_EPSILON * f) {
                memcpy(l, trial, k * sizeof *l);
                f = ft;
                moved = TRUE;
                break;
            }
        }
        if (!moved || smax <= 4 * DBL_EPSILON * MAX(lmax, 1.0)) {
            break;
        }
    }
    if (!(gmax <= 1e-10)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_FAILED,
                    "the one-factor minres model did not converge (gradient %g)", gmax);
        return FALSE;
    }
    double sum_l = 0, sum_r = 0, sum_u = 0;
    gboolean heywood = FALSE;
    for (gsize i = 0; i < k; i++) {
        sum_l += l[i];
        sum_u += 1.0 - l[i] * l[i];
        heywood = heywood || l[i] * l[i] > 0.995;
        for (gsize j = 0; j < k; j++) {
            sum_r += cor[i + j * k];
        }
    }
    double sign = sum_l < 0 ? -1.0 : 1.0;
    for (gsize i = 0; i < k; i++) {
        loadings[i] = sign * l[i];
    }
    *out_omega = (sum_r - sum_u) / sum_r;
    if (out_heywood) {
        *out_heywood = heywood;
    }
    return TRUE;
}

/* ======================================================================
 * Accumulator
 * ====================================================================== */

/* Rows per block: the statistics of a block's rows (deviations from the
 * block means) are merged into the accumulator (Chan et al.) once the block
 * is full; 256 rows keep a block's columns in L2 and the merges few. */
#define BLOCK 256

typedef struct {
    gsize k;        /* items of the scale */
    gsize kk;       /* k + 1: the items, then the person score */
    gsize *items;   /* codebook item indices */
    double *lo, *hi;
    gboolean *rev;
    /* kk×kk, entry i + j·kk: variable i over the rows where i and j are present */
    double *n, *mean, *m2, *c;
    double rows;     /* rows counted as n (pairwise: all; listwise: complete) */
    double complete; /* rows answering every item */
} ScaleAcc;

struct _ImpactReliabilityAcc {
    const ImpactCodebook *codebook;
    ImpactMissingPolicy missing;
    guint64 fingerprint;
    gsize n_scales;
    ScaleAcc *scales;
};

static guint64
fnv(guint64 h, const void *data, gsize len)
{
    const guchar *p = data;
    for (gsize i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static guint64
codebook_fingerprint(const ImpactCodebook *cb)
{
    guint64 h = 14695981039346656037ULL;
    for (gsize s = 0; s < impact_codebook_n_scales(cb); s++) {
        const char *name = impact_codebook_scale_name(cb, s);
        h = fnv(h, name, strlen(name) + 1);
        for (gsize j = 0; j < impact_codebook_scale_n_items(cb, s); j++) {
            gsize it = impact_codebook_scale_item(cb, s, j);
            const char *iname = impact_codebook_item_name(cb, it);
            h = fnv(h, iname, strlen(iname) + 1);
            double v[3] = { impact_codebook_item_min(cb, it), impact_codebook_item_max(cb, it),
                            impact_codebook_item_reverse(cb, it) ? 1.0 : 0.0 };
            for (int q = 0; q < 3; q++) {
                guint64 bits;
                memcpy(&bits, &v[q], 8);
                bits = GUINT64_TO_LE(bits);
                h = fnv(h, &bits, 8);
            }
        }
    }
    return h;
}

ImpactReliabilityAcc *
impact_reliability_acc_new(const ImpactCodebook *codebook, ImpactMissingPolicy missing)
{
    ImpactReliabilityAcc *acc = g_new0(ImpactReliabilityAcc, 1);
    acc->codebook = codebook;
    acc->missing = missing == IMPACT_MISSING_LISTWISE ? IMPACT_MISSING_LISTWISE
                                                      : IMPACT_MISSING_PAIRWISE;
    acc->fingerprint = codebook_fingerprint(codebook);
    acc->n_scales = impact_codebook_n_scales(codebook);
    acc->scales = g_new0(ScaleAcc, MAX(acc->n_scales, 1));
    for (gsize s = 0; s < acc->n_scales; s++) {
        ScaleAcc *sa = &acc->scales[s];
        sa->k = impact_codebook_scale_n_items(codebook, s);
        sa->kk = sa->k + 1;
        sa->items = g_new(gsize, sa->k);
        sa->lo = g_new(double, sa->k);
        sa->hi = g_new(double, sa->k);
        sa->rev = g_new(gboolean, sa->k);
        for (gsize j = 0; j < sa->k; j++) {
            gsize it = impact_codebook_scale_item(codebook, s, j);
            sa->items[j] = it;
            sa->lo[j] = impact_codebook_item_min(codebook, it);
            sa->hi[j] = impact_codebook_item_max(codebook, it);
            sa->rev[j] = impact_codebook_item_reverse(codebook, it);
        }
        gsize m = sa->kk * sa->kk;
        sa->n = g_new0(double, m);
        sa->mean = g_new0(double, m);
        sa->m2 = g_new0(double, m);
        sa->c = g_new0(double, m);
    }
    return acc;
}

void
impact_reliability_acc_free(ImpactReliabilityAcc *acc)
{
    if (acc == NULL) {
        return;
    }
    for (gsize s = 0; s < acc->n_scales; s++) {
        ScaleAcc *sa = &acc->scales[s];
        g_free(sa->items);
        g_free(sa->lo);
        g_free(sa->hi);
        g_free(sa->rev);
        g_free(sa->n);
        g_free(sa->mean);
        g_free(sa->m2);
        g_free(sa->c);
    }
    g_free(acc->scales);
    g_free(acc);
}

/* ---- the block kernels ---------------------------------------------------
 *
 * Every sum over the rows of a block (dot products Σ x_r y_r, column sums)
 * has one fixed order, which depends only on the number of rows, never on
 * alignment or on the instruction set: four lanes (q4, lanes-private.h),
 * lane l taking the rows r ≡ l (mod 4) in order, combined as
 * (l0 + l2) + (l1 + l3), then the last rows (rows mod 4) added one by one.
 * A missing answer adds +0.0 (a mask, not a branch; the sums start at +0.0,
 * so adding +0.0 changes nothing). The baseline build and the AVX2 build
 * of the kernels (below) give the same bits. The kernels compute several columns or
 * products in one pass over the rows (more independent sums at a time,
 * fewer loads), which changes nothing in the order of any sum. The columns
 * of the work blocks are padded with zero columns to a multiple of 4
 * (results not used). Answers that are small integers make the item sums,
 * counts and the products of two answers exact whatever the order; the
 * person-score column and the deviations from the block means are not, so
 * these orders (and the blocks, below) fix the last bits of the results. */

/* The helpers of a kernel are inlined into it, so that they are built for
 * each of its builds (a helper left out of line would be baseline code). */
#if defined(__GNUC__)
#define KERNEL_HELPER static inline __attribute__((always_inline))
#else
#define KERNEL_HELPER static inline
#endif

/* columns of the work blocks: kk rounded up to a multiple of 4 */
#define PADDED(kk) (((kk) + 3) & ~(gsize) 3)

typedef struct {
    double *x;    /* PADDED(kk) columns of BLOCK values (deviations after the shift) */
    double *mask; /* PADDED(kk) columns of BLOCK 0/1 */
    double *x2;   /* squared deviations */
    double *nb, *mb, *m2b, *cb; /* kk×kk block statistics */
    double *shift, *s;          /* PADDED(kk) */
    double *key_a, *key_f;      /* PADDED(kk): keying of the items (gather_rows) */
} Work;

/* The kernels, built twice (reliability-kernels.h): the baseline build
 * (KERNEL(name) = name_base) and, where LANES_WIDE, an AVX2 build
 * (name_avx2, the four lanes one 32-byte vector) chosen at run time. A
 * 32-byte vector type would make the baseline build slow (GCC keeps it in
 * memory without AVX), two 16-byte vectors the AVX2 build (half the width):
 * hence the two builds of one source. */
#define KERNEL_TOP static
#define KERNEL(name) name##_base
#include "reliability-kernels.h"
#undef KERNEL
#if LANES_WIDE
#include "lanes-wide-begin.h"
#define KERNEL(name) name##_avx2
#include "reliability-kernels.h"
#undef KERNEL
#include "lanes-wide-end.h"
#endif

static void
work_init(Work *w, double *mem, gsize kmax)
{
    const gsize kp = PADDED(kmax);
    w->x = mem;
    w->mask = w->x + kp * BLOCK;
    w->x2 = w->mask + kp * BLOCK;
    w->nb = w->x2 + kp * BLOCK;
    w->mb = w->nb + kmax * kmax;
    w->m2b = w->mb + kmax * kmax;
    w->cb = w->m2b + kmax * kmax;
    w->shift = w->cb + kmax * kmax;
    w->s = w->shift + kp;
    w->key_a = w->s + kp;
    w->key_f = w->key_a + kp;
}

/* Adds the rows of @chunk with keep[r] (all rows if @keep is NULL) to the
 * scales s with scales[s] (all if @scales is NULL). */
static gboolean
acc_add(ImpactReliabilityAcc *acc, const ImpactTable *chunk, const gboolean *scales,
        const gboolean *keep, GError **error)
{
    /* column of every item the scales need (only the scales asked for) */
    g_autofree gsize *cols = g_new0(gsize, MAX(impact_codebook_n_items(acc->codebook), 1));
    for (gsize s = 0; s < acc->n_scales; s++) {
        if (scales && !scales[s]) {
            continue;
        }
        for (gsize j = 0; j < acc->scales[s].k; j++) {
            gsize it = acc->scales[s].items[j];
            const char *name = impact_codebook_item_name(acc->codebook, it);
            gssize c = impact_table_column_index(chunk, name);
            if (c < 0) {
                g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                            "%s: the codebook's item '%s' (scale '%s') has no column in the data",
                            impact_table_source(chunk), name,
                            impact_codebook_scale_name(acc->codebook, s));
                return FALSE;
            }
            if (impact_table_column_type(chunk, (gsize) c) != IMPACT_COLUMN_NUMERIC) {
                g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                            "%s: item column '%s' is not numeric", impact_table_source(chunk),
                            name);
                return FALSE;
            }
            cols[it] = (gsize) c;
        }
    }
    gsize n_rows = impact_table_n_rows(chunk);
    gsize kmax = 0;
    for (gsize s = 0; s < acc->n_scales; s++) {
        kmax = MAX(kmax, acc->scales[s].kk);
    }
    Work w, wm;
    gsize per = 3 * PADDED(kmax) * BLOCK + 4 * kmax * kmax + 4 * PADDED(kmax);
    g_autofree double *mem = g_new(double, 2 * per);
    work_init(&w, mem, kmax);
    work_init(&wm, mem + per, kmax);
    for (gsize s = 0; s < acc->n_scales; s++) {
        if (scales && !scales[s]) {
            continue;
        }
        ScaleAcc *sa = &acc->scales[s];
        g_autofree const double **x = g_new(const double *, MAX(sa->k, 1));
        for (gsize j = 0; j < sa->k; j++) {
            x[j] = impact_table_numeric(chunk, cols[sa->items[j]]);
        }
#if LANES_WIDE
        if (__builtin_cpu_supports("avx2")) {
            add_scale_avx2(sa, acc->missing, x, n_rows, keep, &w, &wm);
        } else
#endif
        {
            add_scale_base(sa, acc->missing, x, n_rows, keep, &w, &wm);
        }
    }
    return TRUE;
}

gboolean
impact_reliability_acc_add(ImpactReliabilityAcc *acc, const ImpactTable *chunk, GError **error)
{
    return acc_add(acc, chunk, NULL, NULL, error);
}

static gboolean
check_keep(const ImpactTable *chunk, gsize n, GError **error)
{
    if (n != impact_table_n_rows(chunk)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "%s: the row mask has %" G_GSIZE_FORMAT " entries for %" G_GSIZE_FORMAT
                    " rows",
                    impact_table_source(chunk), n, impact_table_n_rows(chunk));
        return FALSE;
    }
    return TRUE;
}

gboolean
impact_reliability_acc_add_rows(ImpactReliabilityAcc *acc, const ImpactTable *chunk,
                                const gboolean *keep, gsize n, GError **error)
{
    return check_keep(chunk, n, error) && acc_add(acc, chunk, NULL, keep, error);
}

gboolean
impact_i_reliability_acc_add_rows(ImpactReliabilityAcc *acc, const ImpactTable *chunk,
                                  const gboolean *scales, const gboolean *keep, gsize n,
                                  GError **error)
{
    return check_keep(chunk, n, error) && acc_add(acc, chunk, scales, keep, error);
}

guint64
impact_i_codebook_fingerprint(const ImpactCodebook *codebook)
{
    return codebook_fingerprint(codebook);
}

static gboolean
check_compatible(const ImpactReliabilityAcc *a, const ImpactReliabilityAcc *b, GError **error)
{
    if (a->fingerprint != b->fingerprint || a->n_scales != b->n_scales) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "cannot merge reliability accumulators made for different codebooks");
        return FALSE;
    }
    if (a->missing != b->missing) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "cannot merge a pairwise and a listwise reliability accumulator");
        return FALSE;
    }
    return TRUE;
}

gboolean
impact_reliability_acc_merge(ImpactReliabilityAcc *acc, const ImpactReliabilityAcc *other,
                             GError **error)
{
    if (!check_compatible(acc, other, error)) {
        return FALSE;
    }
    if (acc == other) {
        /* merging with itself: merge a copy (the update reads what it writes) */
        g_autoptr(GBytes) bytes = impact_reliability_acc_serialize(other);
        g_autoptr(ImpactReliabilityAcc) copy =
            impact_reliability_acc_deserialize(bytes, acc->codebook, NULL);
        return copy != NULL && impact_reliability_acc_merge(acc, copy, error);
    }
    for (gsize s = 0; s < acc->n_scales; s++) {
        ScaleAcc *a = &acc->scales[s];
        const ScaleAcc *b = &other->scales[s];
        merge_pairs_base(a, b->n, b->mean, b->m2, b->c);
        a->rows += b->rows;
        a->complete += b->complete;
    }
    return TRUE;
}

/* ---- serialisation ---------------------------------------------------- */

#define SER_MAGIC "IMPREL"
#define SER_VERSION 1u

GBytes *
impact_reliability_acc_serialize(const ImpactReliabilityAcc *acc)
{
    GByteArray *b = g_byte_array_new();
    g_byte_array_append(b, (const guint8 *) SER_MAGIC, 6);
    impact_i_put_u64(b, SER_VERSION);
    impact_i_put_u64(b, acc->fingerprint);
    impact_i_put_u64(b, (guint64) acc->missing);
    impact_i_put_u64(b, (guint64) acc->n_scales);
    for (gsize s = 0; s < acc->n_scales; s++) {
        const ScaleAcc *sa = &acc->scales[s];
        impact_i_put_u64(b, (guint64) sa->k);
        impact_i_put_double(b, sa->rows);
        impact_i_put_double(b, sa->complete);
        gsize m = sa->kk * sa->kk;
        const double *arrs[4] = { sa->n, sa->mean, sa->m2, sa->c };
        for (int q = 0; q < 4; q++) {
            for (gsize i = 0; i < m; i++) {
                impact_i_put_double(b, arrs[q][i]);
            }
        }
    }
    return g_byte_array_free_to_bytes(b);
}

ImpactReliabilityAcc *
impact_reliability_acc_deserialize(GBytes *bytes, const ImpactCodebook *codebook, GError **error)
{
    gsize len = 0;
    const guint8 *data = bytes ? g_bytes_get_data(bytes, &len) : NULL;
    ImpactSerialReader r = { data, data + len };
    guint64 version = 0, fp = 0, missing = 0, n_scales = 0;
    if (data == NULL || len < 6 || memcmp(data, SER_MAGIC, 6) != 0) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "these bytes are not a serialised reliability accumulator");
        return NULL;
    }
    r.p += 6;
    if (!impact_i_get_u64(&r, &version) || version != SER_VERSION) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "reliability accumulator format version %" G_GUINT64_FORMAT
                    " is not supported (this library reads version %u)",
                    version, SER_VERSION);
        return NULL;
    }
    if (!impact_i_get_u64(&r, &fp) || !impact_i_get_u64(&r, &missing) || !impact_i_get_u64(&r, &n_scales)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "truncated reliability accumulator");
        return NULL;
    }
    if (fp != codebook_fingerprint(codebook) || n_scales != impact_codebook_n_scales(codebook) ||
        missing > IMPACT_MISSING_LISTWISE) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "the reliability accumulator was made for a different codebook");
        return NULL;
    }
    g_autoptr(ImpactReliabilityAcc) acc =
        impact_reliability_acc_new(codebook, (ImpactMissingPolicy) missing);
    for (gsize s = 0; s < acc->n_scales; s++) {
        ScaleAcc *sa = &acc->scales[s];
        guint64 k = 0;
        gboolean ok = impact_i_get_u64(&r, &k) && k == sa->k && impact_i_get_double(&r, &sa->rows) &&
                      impact_i_get_double(&r, &sa->complete);
        gsize m = sa->kk * sa->kk;
        double *arrs[4] = { sa->n, sa->mean, sa->m2, sa->c };
        for (int q = 0; q < 4 && ok; q++) {
            for (gsize i = 0; i < m && ok; i++) {
                ok = impact_i_get_double(&r, &arrs[q][i]);
            }
        }
        if (!ok) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                        "truncated or inconsistent reliability accumulator (scale '%s')",
                        impact_codebook_scale_name(codebook, s));
            return NULL;
        }
    }
    if (r.p != r.end) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "%" G_GSIZE_FORMAT " unexpected bytes after the reliability accumulator",
                    (gsize) (r.end - r.p));
        return NULL;
    }
    return g_steal_pointer(&acc);
}

/* ======================================================================
 * Results
 * ====================================================================== */

static gboolean
check_options(const ImpactReliabilityOptions *o, GError **error)
{
    if (o->version != IMPACT_RELIABILITY_OPTIONS_VERSION) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "ImpactReliabilityOptions version %u is not supported (expected %u)",
                    o->version, IMPACT_RELIABILITY_OPTIONS_VERSION);
        return FALSE;
    }
    if (!(o->ci_level > 0 && o->ci_level < 1)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "the CI level must be between 0 and 1, not %g", o->ci_level);
        return FALSE;
    }
    return TRUE;
}

/* Everything computed for one scale. */
typedef struct {
    gsize k, used_k;
    gsize *used;        /* indices (0..k-1) of the items in the analysis */
    double rows;
    gboolean have_alpha, have_omega, heywood;
    ImpactAlphaStats st;
    ImpactAlphaItem *it; /* used_k */
    double omega;
    double *loading;     /* used_k */
    double *item_n, *item_mean, *item_sd, *raw_r; /* k */
    double t_n, t_mean, t_sd;
    GPtrArray *warnings;
} ScaleOut;

static void
scale_out_clear(ScaleOut *o)
{
    g_free(o->used);
    g_free(o->it);
    g_free(o->loading);
    g_free(o->item_n);
    g_free(o->item_mean);
    g_free(o->item_sd);
    g_free(o->raw_r);
    if (o->warnings) {
        g_ptr_array_unref(o->warnings);
    }
}

static void
analyse_scale(ScaleOut *o, const ImpactReliabilityAcc *acc, gsize s,
              const ImpactReliabilityOptions *opt)
{
    const ImpactCodebook *cb = acc->codebook;
    const ScaleAcc *sa = &acc->scales[s];
    gsize k = sa->k, kk = sa->kk;
    memset(o, 0, sizeof *o);
    o->k = k;
    o->rows = sa->rows;
    o->warnings = g_ptr_array_new_with_free_func(g_free);
    o->used = g_new(gsize, MAX(k, 1));
    o->item_n = g_new(double, MAX(k, 1));
    o->item_mean = g_new(double, MAX(k, 1));
    o->item_sd = g_new(double, MAX(k, 1));
    o->raw_r = g_new(double, MAX(k, 1));
    o->omega = NAN;
    stats_nan(&o->st);
    gsize t = k;
#define AT(a, i, j) ((a)[(i) + (j) * kk])
    o->t_n = AT(sa->n, t, t);
    o->t_mean = o->t_n > 0 ? AT(sa->mean, t, t) : NAN;
    o->t_sd = o->t_n > 1 ? sqrt(AT(sa->m2, t, t) / (o->t_n - 1)) : NAN;
    for (gsize i = 0; i < k; i++) {
        const char *name = impact_codebook_item_name(cb, sa->items[i]);
        double n = AT(sa->n, i, i);
        o->item_n[i] = n;
        o->item_mean[i] = n > 0 ? AT(sa->mean, i, i) : NAN;
        double var = n > 1 ? AT(sa->m2, i, i) / (n - 1) : NAN;
        o->item_sd[i] = sqrt(var);
        double den = AT(sa->m2, t, i) * AT(sa->m2, i, t);
        o->raw_r[i] = AT(sa->n, i, t) > 1 && den > 0 ? AT(sa->c, i, t) / sqrt(den) : NAN;
        if (n == 0) {
            g_ptr_array_add(o->warnings,
                            g_strdup_printf("item '%s' has no answers: left out of alpha, omega "
                                            "and the item statistics",
                                            name));
        } else if (n < 2) {
            g_ptr_array_add(o->warnings,
                            g_strdup_printf("item '%s' has only one answer: left out of alpha, "
                                            "omega and the item statistics (still counted in "
                                            "the person scores)",
                                            name));
        } else if (!(var > 0)) {
            g_ptr_array_add(o->warnings,
                            g_strdup_printf("item '%s' has zero variance (every answer is %g): "
                                            "left out of alpha, omega and the item statistics "
                                            "(still counted in the person scores)",
                                            name, o->item_mean[i]));
        } else {
            o->used[o->used_k++] = i;
        }
    }
    if (k == 1) {
        g_ptr_array_add(o->warnings, g_strdup("the scale has one item: alpha and omega are not "
                                              "defined (they need at least 2 and 3 items)"));
        return;
    }
    gsize u = o->used_k;
    if (u < 2) {
        if (k > 1) {
            g_ptr_array_add(o->warnings,
                            g_strdup_printf("only %" G_GSIZE_FORMAT " item(s) with variance: "
                                            "alpha is not defined",
                                            u));
        }
        return;
    }
    g_autofree double *cov = g_new(double, u * u);
    g_autofree double *cor = g_new(double, u * u);
    gboolean pairs_ok = TRUE;
    for (gsize b = 0; b < u; b++) {
        for (gsize a = 0; a < u; a++) {
            gsize i = o->used[a], j = o->used[b];
            double n = AT(sa->n, i, j);
            cov[a + b * u] = n > 1 ? AT(sa->c, i, j) / (n - 1) : NAN;
            double den = AT(sa->m2, i, j) * AT(sa->m2, j, i);
            cor[a + b * u] = i == j ? 1.0 : n > 1 && den > 0 ? AT(sa->c, i, j) / sqrt(den) : NAN;
            if (a > b && !(n > 1)) {
                pairs_ok = FALSE;
                g_ptr_array_add(
                    o->warnings,
                    g_strdup_printf("items '%s' and '%s' were answered together by fewer than "
                                    "2 respondents: alpha is not defined",
                                    impact_codebook_item_name(cb, sa->items[j]),
                                    impact_codebook_item_name(cb, sa->items[i])));
            }
        }
    }
    if (!pairs_ok) {
        return;
    }
    o->it = g_new(ImpactAlphaItem, u);
    o->have_alpha = impact_reliability_alpha_cov(&o->st, o->it, cov, u, o->rows, opt->ci_level, NULL);
    if (!o->have_alpha) {
        stats_nan(&o->st);
        g_ptr_array_add(o->warnings, g_strdup("the covariance matrix is not usable: no alpha"));
        return;
    }
    if (u == 2) {
        g_ptr_array_add(o->warnings,
                        g_strdup("two items: alpha if item dropped is not defined (one item "
                                 "would remain)"));
    }
    for (gsize a = 0; a < u; a++) {
        if (o->it[a].r_drop < 0) {
            g_ptr_array_add(o->warnings,
                            g_strdup_printf("item '%s' correlates negatively with the rest of "
                                            "the scale (r_drop = %.3f): check its reverse key",
                                            impact_codebook_item_name(cb, sa->items[o->used[a]]),
                                            o->it[a].r_drop));
        }
    }
    if (!opt->omega) {
        return;
    }
    if (u < 3) {
        g_ptr_array_add(o->warnings, g_strdup("omega needs at least 3 items with variance: not "
                                              "computed"));
        return;
    }
    o->loading = g_new(double, u);
    GError *err = NULL;
    o->have_omega =
        impact_reliability_omega_cor(&o->omega, o->loading, &o->heywood, cor, u, &err);
    if (!o->have_omega) {
        o->omega = NAN;
        g_ptr_array_add(o->warnings, g_strdup_printf("omega not computed: %s", err->message));
        g_error_free(err);
    } else if (o->heywood) {
        g_ptr_array_add(o->warnings,
                        g_strdup("Heywood case: a loading's square exceeds 0.995 (psych bounds "
                                 "the uniqueness at 0.005, libimpact does not): interpret omega "
                                 "with care"));
    }
#undef AT
}

static const char *OMEGA_METHOD =
    "omega total from a one-factor minres (unweighted least squares) model of the pairwise "
    "correlation matrix, as psych::omega(x, nfactors = 1)$omega.tot";

static gboolean
acc_result(ImpactResult **out, const ImpactReliabilityAcc *acc,
           const ImpactReliabilityOptions *options, GError **error)
{
    ImpactReliabilityOptions def = IMPACT_RELIABILITY_OPTIONS_INIT;
    const ImpactReliabilityOptions *opt = options ? options : &def;
    if (!check_options(opt, error)) {
        return FALSE;
    }
    const ImpactCodebook *cb = acc->codebook;
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    impact_i_json_string(b, "missing",
                         acc->missing == IMPACT_MISSING_LISTWISE ? "listwise" : "pairwise");
    impact_i_json_double(b, "ci_level", opt->ci_level);
    impact_i_json_string(b, "omega_method", opt->omega ? OMEGA_METHOD : "not computed");
    json_builder_set_member_name(b, "scales");
    json_builder_begin_array(b);
    GPtrArray *all_warn = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *all_scale = g_ptr_array_new();
    for (gsize s = 0; s < acc->n_scales; s++) {
        ScaleOut o;
        analyse_scale(&o, acc, s, opt);
        const ScaleAcc *sa = &acc->scales[s];
        const char *sname = impact_codebook_scale_name(cb, s);
        json_builder_begin_object(b);
        impact_i_json_string(b, "scale", sname);
        impact_i_json_string(b, "domain", impact_domain_name(impact_codebook_scale_domain(cb, s)));
        impact_i_json_int(b, "n", (gint64) o.rows);
        impact_i_json_int(b, "n_items", (gint64) o.k);
        impact_i_json_int(b, "n_items_used", (gint64) o.used_k);
        impact_i_json_double(b, "alpha", o.st.alpha);
        impact_i_json_pair(b, "alpha_ci", o.st.ci_lo, o.st.ci_hi);
        impact_i_json_double(b, "alpha_std", o.st.alpha_std);
        impact_i_json_double(b, "omega_total", o.omega);
        impact_i_json_double(b, "average_r", o.st.average_r);
        impact_i_json_double(b, "mean", o.t_mean);
        impact_i_json_double(b, "sd", o.t_sd);
        impact_i_json_double(b, "g6_smc", o.st.g6);
        impact_i_json_double(b, "ase", o.st.ase);
        impact_i_json_double(b, "median_r", o.st.median_r);
        impact_i_json_double(b, "signal_noise", o.st.signal_noise);
        impact_i_json_int(b, "n_scored", (gint64) o.t_n);
        impact_i_json_int(b, "n_complete", (gint64) sa->complete);
        json_builder_set_member_name(b, "items");
        json_builder_begin_array(b);
        gsize a = 0;
        for (gsize i = 0; i < o.k; i++) {
            gsize item = sa->items[i];
            const ImpactAlphaItem *ai = NULL;
            double ld = NAN;
            if (a < o.used_k && o.used[a] == i) {
                ai = o.have_alpha ? &o.it[a] : NULL;
                ld = o.have_omega ? o.loading[a] : NAN;
                a++;
            }
            json_builder_begin_object(b);
            impact_i_json_string(b, "item", impact_codebook_item_name(cb, item));
            impact_i_json_bool(b, "reversed", impact_codebook_item_reverse(cb, item));
            impact_i_json_int(b, "n", (gint64) o.item_n[i]);
            impact_i_json_double(b, "mean", o.item_mean[i]);
            impact_i_json_double(b, "sd", o.item_sd[i]);
            impact_i_json_double(b, "raw_r", o.raw_r[i]);
            impact_i_json_double(b, "r_drop", ai ? ai->r_drop : NAN);
            impact_i_json_double(b, "alpha_if_dropped", ai ? ai->if_dropped.alpha : NAN);
            impact_i_json_double(b, "alpha_std_if_dropped", ai ? ai->if_dropped.alpha_std : NAN);
            impact_i_json_double(b, "loading", ld);
            impact_i_json_double(b, "std_r", ai ? ai->std_r : NAN);
            impact_i_json_double(b, "r_cor", ai ? ai->r_cor : NAN);
            impact_i_json_double(b, "g6_if_dropped", ai ? ai->if_dropped.g6 : NAN);
            impact_i_json_double(b, "average_r_if_dropped", ai ? ai->if_dropped.average_r : NAN);
            impact_i_json_double(b, "alpha_se_if_dropped", ai ? ai->if_dropped.ase : NAN);
            json_builder_end_object(b);
        }
        json_builder_end_array(b);
        json_builder_set_member_name(b, "warnings");
        json_builder_begin_array(b);
        for (guint w = 0; w < o.warnings->len; w++) {
            const char *msg = g_ptr_array_index(o.warnings, w);
            json_builder_add_string_value(b, msg);
            g_ptr_array_add(all_warn, g_strdup(msg));
            g_ptr_array_add(all_scale, (gpointer) sname);
        }
        json_builder_end_array(b);
        json_builder_end_object(b);
        scale_out_clear(&o);
    }
    json_builder_end_array(b);
    json_builder_set_member_name(b, "warnings");
    json_builder_begin_array(b);
    for (guint w = 0; w < all_warn->len; w++) {
        json_builder_begin_object(b);
        impact_i_json_string(b, "scale", g_ptr_array_index(all_scale, w));
        impact_i_json_string(b, "warning", g_ptr_array_index(all_warn, w));
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    g_ptr_array_unref(all_warn);
    g_ptr_array_unref(all_scale);
    *out = impact_i_result_new(json_builder_get_root(b));
    return TRUE;
}

gboolean
impact_reliability_acc_result(ImpactResult **out, const ImpactReliabilityAcc *acc,
                              const ImpactReliabilityOptions *options, GError **error)
{
    return acc_result(out, acc, options, error);
}

gboolean
impact_reliability(ImpactResult **out, const ImpactTable *responses,
                   const ImpactCodebook *codebook, const ImpactReliabilityOptions *options,
                   GError **error)
{
    ImpactReliabilityOptions def = IMPACT_RELIABILITY_OPTIONS_INIT;
    const ImpactReliabilityOptions *opt = options ? options : &def;
    if (!check_options(opt, error)) {
        return FALSE;
    }
    g_autoptr(ImpactReliabilityAcc) acc = impact_reliability_acc_new(codebook, opt->missing);
    if (!impact_reliability_acc_add(acc, responses, error)) {
        return FALSE;
    }
    return acc_result(out, acc, opt, error);
}

gboolean
impact_reliability_scale_alpha(double *out_alpha, const ImpactTable *responses,
                               const ImpactCodebook *codebook, gsize scale,
                               ImpactMissingPolicy missing, GError **error)
{
    if (scale >= impact_codebook_n_scales(codebook)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "scale %" G_GSIZE_FORMAT " does not exist (the codebook has %" G_GSIZE_FORMAT
                    " scales)",
                    scale, impact_codebook_n_scales(codebook));
        return FALSE;
    }
    g_autoptr(ImpactReliabilityAcc) acc = impact_reliability_acc_new(codebook, missing);
    g_autofree gboolean *only = g_new0(gboolean, impact_codebook_n_scales(codebook));
    only[scale] = TRUE;
    if (!acc_add(acc, responses, only, NULL, error)) {
        return FALSE;
    }
    return impact_reliability_acc_scale_alpha(out_alpha, acc, scale, error);
}

gboolean
impact_reliability_acc_scale_alpha(double *out_alpha, const ImpactReliabilityAcc *acc,
                                   gsize scale, GError **error)
{
    const ImpactCodebook *codebook = acc->codebook;
    if (scale >= acc->n_scales) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "scale %" G_GSIZE_FORMAT " does not exist (the codebook has %" G_GSIZE_FORMAT
                    " scales)",
                    scale, acc->n_scales);
        return FALSE;
    }
    ImpactReliabilityOptions opt = IMPACT_RELIABILITY_OPTIONS_INIT;
    opt.omega = FALSE;
    ScaleOut o;
    analyse_scale(&o, acc, scale, &opt);
    gboolean ok = o.have_alpha;
    if (ok) {
        *out_alpha = o.st.alpha;
    } else {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INSUFFICIENT, "scale '%s': %s",
                    impact_codebook_scale_name(codebook, scale),
                    o.warnings->len ? (const char *) g_ptr_array_index(o.warnings, o.warnings->len - 1)
                                    : "alpha is not defined");
    }
    scale_out_clear(&o);
    return ok;
}
