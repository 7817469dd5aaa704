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
 * so adding +0.0 changes nothing). The baseline build and the IMPACT_HOT
 * (AVX2) clones give the same bits. The kernels compute several columns or
 * products in one pass over the rows (more independent sums at a time,
 * fewer loads), which changes nothing in the order of any sum. The columns
 * of the work blocks are padded with zero columns to a multiple of 4
 * (results not used). Answers that are small integers make the item sums,
 * counts and the products of two answers exact whatever the order; the
 * person-score column and the deviations from the block means are not, so
 * these orders (and the blocks, below) fix the last bits of the results. */

/* The helpers of a hot kernel are inlined into it, so that they are built
 * for each of its clones (a helper left out of line would be baseline code). */
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

/* The update below (merge_pairs) for four pairs (i .. i + 3, j) below the
 * diagonal at once, whose counts are all non-zero (else FALSE, nothing
 * done): the entries ij of a column are contiguous, those ji (the other
 * variable of each pair) strided by kk. The same operations lane by lane. */
KERNEL_HELPER gboolean
merge4(ScaleAcc *a, const double *nb, const double *mb, const double *m2b, const double *cb,
       gsize ij, gsize ji, gsize kk, const double *fw, const double *gw)
{
    const q4 zero = q_set(0), n1 = q_load(a->n + ij), n2 = q_load(nb + ij);
    if (!q_all(q_and(q_ne(n1, zero), q_ne(n2, zero)))) {
        return FALSE;
    }
    const gsize j0 = ji, j1 = ji + kk, j2 = ji + 2 * kk, j3 = ji + 3 * kk;
#define GATHER(p) q_make((p)[j0], (p)[j1], (p)[j2], (p)[j3])
#define SCATTER(p, v)                                                                              \
    do {                                                                                           \
        const q4 t_ = (v);                                                                         \
        (p)[j0] = q_lane(t_, 0);                                                                   \
        (p)[j1] = q_lane(t_, 1);                                                                   \
        (p)[j2] = q_lane(t_, 2);                                                                   \
        (p)[j3] = q_lane(t_, 3);                                                                   \
    } while (0)
    const q4 n = q_add(n1, n2), f = q_load(fw), g = q_load(gw);
    const q4 ai = q_load(a->mean + ij), aj = GATHER(a->mean);
    const q4 di = q_sub(q_load(mb + ij), ai), dj = q_sub(GATHER(mb), aj);
    /* c += cb + di·dj·f; m2 += m2b + d·d·f; mean += d·g */
    const q4 c = q_add(q_load(a->c + ij), q_add(q_load(cb + ij), q_mul(q_mul(di, dj), f)));
    q_store(a->c + ij, c);
    SCATTER(a->c, c);
    q_store(a->m2 + ij,
            q_add(q_load(a->m2 + ij), q_add(q_load(m2b + ij), q_mul(q_mul(di, di), f))));
    q_store(a->mean + ij, q_add(ai, q_mul(di, g)));
    SCATTER(a->m2, q_add(GATHER(a->m2), q_add(GATHER(m2b), q_mul(q_mul(dj, dj), f))));
    SCATTER(a->mean, q_add(aj, q_mul(dj, g)));
    q_store(a->n + ij, n);
    SCATTER(a->n, n);
#undef GATHER
#undef SCATTER
    return TRUE;
}

/* Chan et al. merge of the pair statistics (nb, mb, m2b, cb) into @a. The
 * weights n1·n2/n and n2/n of a column's pairs are computed first, four at
 * a time (vector divisions: the same quotients, fewer of them in flight). */
#define MERGE_CHUNK 32

KERNEL_HELPER void
merge_pairs(ScaleAcc *a, const double *nb, const double *mb, const double *m2b, const double *cb)
{
    const gsize kk = a->kk;
    double fw[MERGE_CHUNK], gw[MERGE_CHUNK];
    for (gsize j = 0; j < kk; j++) {
        for (gsize i0 = j; i0 < kk; i0 += MERGE_CHUNK) {
            const gsize m = MIN((gsize) MERGE_CHUNK, kk - i0);
            /* the pairs (i0 + q, j): a->n and nb of a column are contiguous,
             * and the loop below changes no a->n it has still to read */
            const double *n1p = a->n + i0 + j * kk, *n2p = nb + i0 + j * kk;
            gsize q = 0;
            for (; q + 4 <= m; q += 4) {
                const q4 n1 = q_load(n1p + q), n2 = q_load(n2p + q), n = q_add(n1, n2);
                q_store(fw + q, q_div(q_mul(n1, n2), n));
                q_store(gw + q, q_div(n2, n));
            }
            for (; q < m; q++) {
                const double n = n1p[q] + n2p[q];
                fw[q] = n1p[q] * n2p[q] / n;
                gw[q] = n2p[q] / n;
            }
            for (q = 0; q < m; q++) {
                const gsize i = i0 + q, ij = i + j * kk, ji = j + i * kk;
                if (i > j && q + 4 <= m && merge4(a, nb, mb, m2b, cb, ij, ji, kk, fw + q, gw + q)) {
                    q += 3; /* pairs q .. q + 3 merged */
                    continue;
                }
                const double n2 = nb[ij];
                if (n2 == 0) {
                    continue;
                }
                const double n1 = a->n[ij];
                if (n1 == 0) {
                    a->n[ij] = a->n[ji] = n2;
                    a->mean[ij] = mb[ij];
                    a->mean[ji] = mb[ji];
                    a->m2[ij] = m2b[ij];
                    a->m2[ji] = m2b[ji];
                    a->c[ij] = a->c[ji] = cb[ij];
                    continue;
                }
                const double n = n1 + n2, f = fw[q], g = gw[q]; /* n1·n2/n, n2/n */
                const double di = mb[ij] - a->mean[ij], dj = mb[ji] - a->mean[ji];
                a->c[ij] += cb[ij] + di * dj * f;
                a->c[ji] = a->c[ij];
                a->m2[ij] += m2b[ij] + di * di * f;
                a->mean[ij] += di * g;
                if (ji != ij) {
                    a->m2[ji] += m2b[ji] + dj * dj * f;
                    a->mean[ji] += dj * g;
                }
                a->n[ij] = a->n[ji] = n;
            }
        }
    }
}

/* Complete rows: for four columns at a time, the column sums, the shift to
 * the block mean, the deviations and their sums. */
KERNEL_HELPER void
shift_complete(Work *w, gsize kp, gsize rows)
{
    const double nr = (double) rows;
    const gsize r4 = rows & ~(gsize) 3;
    for (gsize j0 = 0; j0 < kp; j0 += 4) {
        double *c[4] = { w->x + j0 * BLOCK, w->x + (j0 + 1) * BLOCK, w->x + (j0 + 2) * BLOCK,
                         w->x + (j0 + 3) * BLOCK };
        q4 a0 = q_set(0), a1 = a0, a2 = a0, a3 = a0;
        for (gsize r = 0; r < r4; r += 4) {
            a0 = q_add(a0, q_load(c[0] + r));
            a1 = q_add(a1, q_load(c[1] + r));
            a2 = q_add(a2, q_load(c[2] + r));
            a3 = q_add(a3, q_load(c[3] + r));
        }
        double m[4] = { q_lanes(a0), q_lanes(a1), q_lanes(a2), q_lanes(a3) };
        for (gsize q = 0; q < 4; q++) {
            for (gsize r = r4; r < rows; r++) {
                m[q] += c[q][r];
            }
            m[q] /= nr;
        }
        const q4 m0 = q_set(m[0]), m1 = q_set(m[1]), m2 = q_set(m[2]), m3 = q_set(m[3]);
        q4 d0 = q_set(0), d1 = d0, d2 = d0, d3 = d0;
        for (gsize r = 0; r < r4; r += 4) {
            const q4 v0 = q_sub(q_load(c[0] + r), m0), v1 = q_sub(q_load(c[1] + r), m1);
            const q4 v2 = q_sub(q_load(c[2] + r), m2), v3 = q_sub(q_load(c[3] + r), m3);
            q_store(c[0] + r, v0);
            q_store(c[1] + r, v1);
            q_store(c[2] + r, v2);
            q_store(c[3] + r, v3);
            d0 = q_add(d0, v0);
            d1 = q_add(d1, v1);
            d2 = q_add(d2, v2);
            d3 = q_add(d3, v3);
        }
        double d[4] = { q_lanes(d0), q_lanes(d1), q_lanes(d2), q_lanes(d3) };
        for (gsize q = 0; q < 4; q++) {
            for (gsize r = r4; r < rows; r++) {
                c[q][r] -= m[q];
                d[q] += c[q][r];
            }
            w->shift[j0 + q] = m[q];
            w->s[j0 + q] = d[q];
        }
    }
}

/* Complete rows: out[i + j·kk] = Σ x_i x_j for i >= j (and some i < j,
 * which are the same numbers), in tiles of 2 × 2 columns over the lower
 * triangle: four independent sums at a time, as many as the registers hold
 * in the baseline build; the padding columns make every tile whole. */
KERNEL_HELPER void
gram_complete(double *out, const double *x, gsize kk, gsize rows)
{
    const gsize r4 = rows & ~(gsize) 3;
    for (gsize j = 0; j < kk; j += 2) {
        const double *y0 = x + j * BLOCK, *y1 = y0 + BLOCK;
        for (gsize i = j; i < kk; i += 2) {
            const double *x0 = x + i * BLOCK, *x1 = x0 + BLOCK;
            q4 a00 = q_set(0), a10 = a00, a01 = a00, a11 = a00;
            for (gsize r = 0; r < r4; r += 4) {
                const q4 u0 = q_load(x0 + r), u1 = q_load(x1 + r);
                const q4 v0 = q_load(y0 + r), v1 = q_load(y1 + r);
                a00 = q_add(a00, q_mul(u0, v0));
                a10 = q_add(a10, q_mul(u1, v0));
                a01 = q_add(a01, q_mul(u0, v1));
                a11 = q_add(a11, q_mul(u1, v1));
            }
            double s00 = q_lanes(a00), s10 = q_lanes(a10), s01 = q_lanes(a01), s11 = q_lanes(a11);
            for (gsize r = r4; r < rows; r++) {
                s00 += x0[r] * y0[r];
                s10 += x1[r] * y0[r];
                s01 += x0[r] * y1[r];
                s11 += x1[r] * y1[r];
            }
            out[i + j * kk] = s00;
            if (i + 1 < kk) {
                out[i + 1 + j * kk] = s10;
            }
            if (j + 1 < kk) {
                out[i + (j + 1) * kk] = s01;
                if (i + 1 < kk) {
                    out[i + 1 + (j + 1) * kk] = s11;
                }
            }
        }
    }
}

/* Rows with missing answers: for four columns at a time, the mean of the
 * answers (a missing one adding +0.0 to the sum) as the shift, the 0/1
 * mask, the deviations (0 where missing) and their squares. */
KERNEL_HELPER void
shift_masked(Work *w, gsize kp, gsize rows)
{
    const q4 one = q_set(1);
    const gsize r4 = rows & ~(gsize) 3;
    for (gsize j0 = 0; j0 < kp; j0 += 4) {
        const double *c[4] = { w->x + j0 * BLOCK, w->x + (j0 + 1) * BLOCK,
                               w->x + (j0 + 2) * BLOCK, w->x + (j0 + 3) * BLOCK };
        q4 s0 = q_set(0), s1 = s0, s2 = s0, s3 = s0, n0 = s0, n1 = s0, n2 = s0, n3 = s0;
        for (gsize r = 0; r < r4; r += 4) {
            const q4 v0 = q_load(c[0] + r), v1 = q_load(c[1] + r), v2 = q_load(c[2] + r),
                     v3 = q_load(c[3] + r);
            const q4m ok0 = q_answered(v0), ok1 = q_answered(v1), ok2 = q_answered(v2),
                      ok3 = q_answered(v3);
            s0 = q_add(s0, q_select(v0, ok0));
            s1 = q_add(s1, q_select(v1, ok1));
            s2 = q_add(s2, q_select(v2, ok2));
            s3 = q_add(s3, q_select(v3, ok3));
            n0 = q_add(n0, q_select(one, ok0));
            n1 = q_add(n1, q_select(one, ok1));
            n2 = q_add(n2, q_select(one, ok2));
            n3 = q_add(n3, q_select(one, ok3));
        }
        double sum[4] = { q_lanes(s0), q_lanes(s1), q_lanes(s2), q_lanes(s3) };
        double cnt[4] = { q_lanes(n0), q_lanes(n1), q_lanes(n2), q_lanes(n3) }; /* exact */
        for (gsize q = 0; q < 4; q++) {
            for (gsize r = r4; r < rows; r++) {
                if (!isnan(c[q][r])) {
                    sum[q] += c[q][r];
                    cnt[q] += 1;
                }
            }
            const double sh = cnt[q] > 0 ? sum[q] / cnt[q] : 0.0;
            const q4 sh4 = q_set(sh);
            double *x = w->x + (j0 + q) * BLOCK, *m = w->mask + (j0 + q) * BLOCK,
                   *x2 = w->x2 + (j0 + q) * BLOCK;
            w->shift[j0 + q] = sh;
            for (gsize r = 0; r < r4; r += 4) {
                const q4 v = q_load(x + r);
                const q4m ok = q_answered(v);
                const q4 d = q_select(q_sub(v, sh4), ok);
                q_store(m + r, q_select(one, ok));
                q_store(x + r, d);
                q_store(x2 + r, q_mul(d, d));
            }
            for (gsize r = r4; r < rows; r++) {
                const gboolean ok = !isnan(x[r]);
                m[r] = ok ? 1.0 : 0.0;
                x[r] = ok ? x[r] - sh : 0.0;
                x2[r] = x[r] * x[r];
            }
        }
    }
}

/* The statistics of one block of @rows rows whose keyed values (NaN =
 * missing; column k the person score) are in w->x, merged into @sa: with
 * @any_missing by the masked path, else by the fast path, where item @dead
 * (if >= 0) is missing in every row and all else is answered. */
static IMPACT_HOT void
block_stats(ScaleAcc *sa, Work *w, gsize rows, gboolean any_missing, gssize dead)
{
    const gsize kk = sa->kk, kp = PADDED(kk);
    const double nr = (double) rows;
    if (!any_missing) {
        if (dead >= 0) {
            /* item dead is missing in every row: zeros, and none of its
             * pairs counts a row (the merge skips them) */
            memset(w->x + (gsize) dead * BLOCK, 0, rows * sizeof(double));
        }
        shift_complete(w, kp, rows);
        gram_complete(w->cb, w->x, kk, rows);
        for (gsize j = 0; j < kk; j++) {
            for (gsize i = j; i < kk; i++) {
                double p = w->cb[i + j * kk] - w->s[i] * w->s[j] / nr;
                w->cb[i + j * kk] = w->cb[j + i * kk] = p;
            }
        }
        for (gsize i = 0; i < kk; i++) {
            w->mb[i] = w->shift[i] + w->s[i] / nr; /* once per variable: the same for every j */
            w->m2b[i] = w->cb[i + i * kk];
        }
        for (gsize j = 0; j < kk; j++) {
            for (gsize i = 0; i < kk; i++) {
                w->nb[i + j * kk] = nr;
                w->mb[i + j * kk] = w->mb[i];
                w->m2b[i + j * kk] = w->m2b[i];
            }
        }
        for (gsize i = 0; dead >= 0 && i < kk; i++) {
            w->nb[i + (gsize) dead * kk] = w->nb[(gsize) dead + i * kk] = 0;
        }
    } else {
        shift_masked(w, kp, rows);
        const gsize r4 = rows & ~(gsize) 3;
        for (gsize j = 0; j < kk; j++) {
            const double *xj = w->x + j * BLOCK, *mj = w->mask + j * BLOCK,
                         *qj = w->x2 + j * BLOCK;
            for (gsize i = j; i < kk; i++) {
                const double *xi = w->x + i * BLOCK, *mi = w->mask + i * BLOCK,
                             *qi = w->x2 + i * BLOCK;
                /* six dot products in one pass: n = mi·mj, si = xi·mj,
                 * sj = xj·mi, Qi = x²i·mj, Qj = x²j·mi, p = xi·xj */
                q4 an = q_set(0), asi = an, asj = an, aqi = an, aqj = an, ap = an;
                for (gsize r = 0; r < r4; r += 4) {
                    const q4 vmi = q_load(mi + r), vmj = q_load(mj + r);
                    const q4 vxi = q_load(xi + r), vxj = q_load(xj + r);
                    an = q_add(an, q_mul(vmi, vmj));
                    asi = q_add(asi, q_mul(vxi, vmj));
                    asj = q_add(asj, q_mul(vxj, vmi));
                    aqi = q_add(aqi, q_mul(q_load(qi + r), vmj));
                    aqj = q_add(aqj, q_mul(q_load(qj + r), vmi));
                    ap = q_add(ap, q_mul(vxi, vxj));
                }
                double n = q_lanes(an), si = q_lanes(asi), sj = q_lanes(asj);
                double q_i = q_lanes(aqi), q_j = q_lanes(aqj), p = q_lanes(ap);
                for (gsize r = r4; r < rows; r++) {
                    n += mi[r] * mj[r];
                    si += xi[r] * mj[r];
                    sj += xj[r] * mi[r];
                    q_i += qi[r] * mj[r];
                    q_j += qj[r] * mi[r];
                    p += xi[r] * xj[r];
                }
                gsize ij = i + j * kk, ji = j + i * kk;
                w->nb[ij] = w->nb[ji] = n;
                if (n == 0) {
                    continue;
                }
                w->mb[ij] = w->shift[i] + si / n;
                w->mb[ji] = w->shift[j] + sj / n;
                w->m2b[ij] = q_i - si * si / n;
                w->m2b[ji] = q_j - sj * sj / n;
                w->cb[ij] = w->cb[ji] = p - si * sj / n;
            }
        }
    }
    merge_pairs(sa, w->nb, w->mb, w->m2b, w->cb);
}

/* Copies the rows @idx (a block; its room is BLOCK entries) of the scale's
 * columns into w->x, keyed, and the person score (the mean of the answered
 * items, summed in item order from +0.0, a missing answer adding +0.0) into
 * column k; four rows at a time, the last group padded with the last row
 * (the padding values lie beyond @rows, where nothing reads them). The keyed
 * value a + (x with its sign flipped by f) is exact: (lo + hi) − x for a
 * reversed item (a = lo + hi, f = the sign bit), x itself otherwise
 * (a = −0.0, f = 0: −0.0 + x == x for every x, ±0 included). */
static IMPACT_HOT void
gather_rows(Work *w, const ScaleAcc *sa, const double *const *cols, gsize *idx, gsize rows)
{
    const gsize k = sa->k, r4 = (rows + 3) & ~(gsize) 3;
    const q4 one = q_set(1), zero = q_set(0), nan4 = q_set(NAN);
    double *key_a = w->key_a, *key_f = w->key_f;
    for (gsize j = 0; j < k; j++) {
        key_a[j] = sa->rev[j] ? sa->lo[j] + sa->hi[j] : -0.0;
        key_f[j] = sa->rev[j] ? -0.0 : 0.0;
    }
    for (gsize t = rows; t < r4; t++) {
        idx[t] = idx[rows - 1];
    }
    for (gsize t = 0; t < r4; t += 4) {
        const gsize i0 = idx[t], i1 = idx[t + 1], i2 = idx[t + 2], i3 = idx[t + 3];
        q4 ps = zero, an = zero;
        for (gsize j = 0; j < k; j++) {
            const double *c = cols[j];
            const q4 v = q_add(q_set(key_a[j]), q_xor(q_make(c[i0], c[i1], c[i2], c[i3]),
                                                      q_set(key_f[j])));
            q_store(w->x + j * BLOCK + t, v);
            const q4m ok = q_answered(v);
            ps = q_add(ps, q_select(v, ok));
            an = q_add(an, q_select(one, ok));
        }
        q_store(w->x + k * BLOCK + t, q_blend(q_div(ps, an), nan4, q_gt(an, zero)));
    }
}

/* rows classified at a time */
#define CHUNK 256

static IMPACT_HOT void
add_scale(ScaleAcc *sa, ImpactMissingPolicy missing, const double *const *cols, gsize n_rows,
          const gboolean *keep, Work *w, Work *wm)
{
    /* Rows go, in row order, to one of k + 2 blocks, each merged when full:
     * complete rows (list 0) and rows missing exactly item d (list 1 + d)
     * to w, the fast path (item d is a column of zeros there, and its pairs
     * count no rows); rows missing two answers or more (list k + 1) to wm,
     * the masked path (pairwise only). Listwise uses complete rows only.
     * The answers of each row, and the index of its missing item, are
     * counted column by column for CHUNK rows, then the rows' indices are
     * appended to their block's list (without a branch); a full block is
     * gathered. */
    const gsize k = sa->k, kp = PADDED(sa->kk), multi = k + 1;
    const gsize pairwise = missing == IMPACT_MISSING_PAIRWISE;
    g_autofree gsize *idx = g_new(gsize, (k + 2) * BLOCK);
    g_autofree gsize *len = g_new0(gsize, k + 2);
    double answered[CHUNK], missed[CHUNK]; /* counts and sums of indices: exact */
    gsize n_complete = 0, n_partial = 0;
    /* the padding columns stay zero (other scales may have used them) */
    for (gsize j = sa->kk; j < kp; j++) {
        Work *ws[2] = { w, wm };
        for (int q = 0; q < 2; q++) {
            memset(ws[q]->x + j * BLOCK, 0, BLOCK * sizeof(double));
        }
    }
    for (gsize r0 = 0; r0 < n_rows; r0 += CHUNK) {
        const gsize nc = MIN((gsize) CHUNK, n_rows - r0);
        memset(answered, 0, sizeof answered);
        memset(missed, 0, sizeof missed);
        /* rows of the next chunk whose answers are asked for now, while this
         * chunk is counted: they arrive from memory while its blocks are
         * computed (the columns are read once; one prefetch a cache line) */
        const gsize ahead = r0 + CHUNK < n_rows ? MIN((gsize) CHUNK, n_rows - r0 - CHUNK) : 0;
        for (gsize j = 0; j < k; j++) {
            const double *c = cols[j] + r0;
#if defined(__GNUC__)
            for (gsize t = 0; t < ahead; t += 8) {
                __builtin_prefetch(c + CHUNK + t);
            }
#endif
            const q4 one = q_set(1), jv = q_set((double) j);
            gsize t = 0;
            for (; t + 4 <= nc; t += 4) {
                const q4m ok = q_answered(q_load(c + t));
                q_store(answered + t, q_add(q_load(answered + t), q_select(one, ok)));
                /* the sum of the missing items' indices */
                q_store(missed + t, q_add(q_load(missed + t), q_select_not(jv, ok)));
            }
            for (; t < nc; t++) {
                const gboolean ok = !isnan(c[t]);
                answered[t] += ok ? 1.0 : 0.0;
                missed[t] += ok ? 0.0 : (double) j;
            }
        }
        /* each row's list (nothing: the row is not used); then the
         * complete rows, most of them, are appended with their count in a
         * register, and the others through a short list of their own */
        gsize lists[CHUNK], other[CHUNK], n_other = 0;
        for (gsize t = 0; t < nc; t++) {
            /* 0: complete; 1 + d: item d missing (and another item left for
             * the person score); else multi (selected without branches) */
            const gsize a = (gsize) answered[t];
            const gsize complete = a == k, single = (a + 1 == k) & (k >= 2);
            const gsize list = (-single & (1 + (gsize) missed[t])) |
                               (-(gsize) (!complete & !single) & multi);
            const gsize use = (gsize) (keep == NULL || keep[r0 + t]) & (complete | pairwise);
            lists[t] = use ? list : G_MAXSIZE;
            other[n_other] = t;
            n_other += use & !complete;
            n_complete += use & complete;
        }
        gsize *idx0 = idx, n0 = len[0];
        for (gsize t = 0; t < nc; t++) {
            idx0[n0] = r0 + t;
            n0 += lists[t] == 0;
            if (n0 == BLOCK) {
                gather_rows(w, sa, cols, idx0, BLOCK);
                block_stats(sa, w, BLOCK, FALSE, -1);
                n0 = 0;
            }
        }
        len[0] = n0;
        n_partial += n_other;
        for (gsize o = 0; o < n_other; o++) {
            const gsize t = other[o], list = lists[t];
            idx[list * BLOCK + len[list]++] = r0 + t;
            if (len[list] == BLOCK) {
                Work *wl = list == multi ? wm : w;
                gather_rows(wl, sa, cols, idx + list * BLOCK, BLOCK);
                block_stats(sa, wl, BLOCK, list == multi, (gssize) list - 1);
                len[list] = 0;
            }
        }
    }
    for (gsize list = 0; list <= multi; list++) {
        if (len[list] > 0) {
            Work *wl = list == multi ? wm : w;
            gather_rows(wl, sa, cols, idx + list * BLOCK, len[list]);
            block_stats(sa, wl, len[list], list == multi, (gssize) list - 1);
        }
    }
    sa->complete += (double) n_complete;
    sa->rows += (double) (n_complete + n_partial);
}

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
        add_scale(sa, acc->missing, x, n_rows, keep, &w, &wm);
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
        merge_pairs(a, b->n, b->mean, b->m2, b->c);
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
