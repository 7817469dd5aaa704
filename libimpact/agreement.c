/* agreement.c — aggregation to teams and organisations: within-group
 * agreement (rwg, rwg(j), r*wg(j), AD, awg), ICC(1)/ICC(2), design effect,
 * from mergeable per-group accumulators, with disclosure control.
 *
 * Conventions follow multilevel 2.7 (REFERENCE.md §2.7-2.8); formulas are
 * ported from the papers cited in impact-agreement.h.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "impact-private.h"

/* ---- null distributions ------------------------------------------------- */

const char *
impact_null_distribution_name(ImpactNullDistribution null_distribution)
{
    switch (null_distribution) {
    case IMPACT_NULL_UNIFORM:
        return "uniform";
    case IMPACT_NULL_SLIGHT_SKEW:
        return "slight";
    case IMPACT_NULL_MODERATE_SKEW:
        return "moderate";
    case IMPACT_NULL_HEAVY_SKEW:
        return "heavy";
    case IMPACT_NULL_TRIANGULAR:
        return "triangular";
    case IMPACT_NULL_NORMAL:
        return "normal";
    }
    return "unknown";
}

gboolean
impact_null_distribution_parse(const char *text, ImpactNullDistribution *out, GError **error)
{
    static const struct {
        const char *name;
        ImpactNullDistribution d;
    } names[] = {
        { "uniform", IMPACT_NULL_UNIFORM },
        { "slight", IMPACT_NULL_SLIGHT_SKEW },
        { "slight_skew", IMPACT_NULL_SLIGHT_SKEW },
        { "moderate", IMPACT_NULL_MODERATE_SKEW },
        { "moderate_skew", IMPACT_NULL_MODERATE_SKEW },
        { "heavy", IMPACT_NULL_HEAVY_SKEW },
        { "heavy_skew", IMPACT_NULL_HEAVY_SKEW },
        { "triangular", IMPACT_NULL_TRIANGULAR },
        { "normal", IMPACT_NULL_NORMAL },
    };
    g_autofree char *t = g_strstrip(g_strdup(text ? text : ""));
    for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
        if (g_ascii_strcasecmp(t, names[i].name) == 0) {
            *out = names[i].d;
            return TRUE;
        }
    }
    g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                "unknown null distribution '%s' (uniform, slight, moderate, heavy, triangular "
                "or normal)",
                t);
    return FALSE;
}

/* LeBreton & Senter (2008), Table 3 as REFERENCE.md §2.8: rows A = 5..11;
 * columns slight, moderate, heavy skew, triangular, normal. */
static const double lebreton_senter[7][5] = {
    { 1.34, 0.90, 0.44, 1.32, 1.04 }, /* A = 5 */
    { 1.85, 1.26, 0.69, 1.45, 1.25 }, /* A = 6 */
    { 2.90, 2.14, 1.39, 2.10, 1.40 }, /* A = 7 */
    { 3.47, 2.79, 2.35, 2.81, 1.73 }, /* A = 8 */
    { 5.66, 4.73, 3.16, 3.00, 1.58 }, /* A = 9 */
    { 6.30, 5.09, 3.46, 2.89, 1.45 }, /* A = 10 */
    { 7.31, 6.32, 4.02, 3.32, 1.40 }, /* A = 11 */
};

gboolean
impact_agreement_null_variance(double *out, double min, double max,
                               ImpactNullDistribution null_distribution, GError **error)
{
    double w = max - min;
    if (!isfinite(w) || w < 1.0 || w != floor(w)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "a null variance needs a response range of whole steps, not %g to %g", min,
                    max);
        return FALSE;
    }
    double a = w + 1.0;
    if (null_distribution == IMPACT_NULL_UNIFORM) {
        *out = (a * a - 1.0) / 12.0;
        return TRUE;
    }
    if ((int) null_distribution < 0 || null_distribution > IMPACT_NULL_NORMAL) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID, "unknown null distribution %d",
                    (int) null_distribution);
        return FALSE;
    }
    if (a < 5.0 || a > 11.0) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "the %s null distribution is tabulated (LeBreton & Senter 2008) for 5 to 11 "
                    "response options only, not %.0f (range %g to %g); use the uniform null",
                    impact_null_distribution_name(null_distribution), a, min, max);
        return FALSE;
    }
    *out = lebreton_senter[(int) a - 5][null_distribution - 1];
    return TRUE;
}

/* ---- kernels ------------------------------------------------------------ */

double
impact_agreement_rwg(double var, double null_var, gboolean truncate)
{
    if (isnan(var) || isnan(null_var) || null_var <= 0.0) {
        return NAN;
    }
    if (truncate && var > null_var) {
        var = null_var;
    }
    return 1.0 - var / null_var;
}

double
impact_agreement_rwg_j(double mean_var, gsize n_items, double null_var, gboolean lindell)
{
    if (isnan(mean_var) || n_items == 0 || isnan(null_var) || null_var <= 0.0) {
        return NAN;
    }
    if (lindell) {
        return 1.0 - mean_var / null_var;
    }
    double s = mean_var > null_var ? 1.0 : mean_var / null_var;
    double j = (double) n_items;
    return j * (1.0 - s) / (j * (1.0 - s) + s);
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

double
impact_agreement_ad(const double *x, gsize n, gboolean median)
{
    g_autofree double *v = g_new(double, MAX(n, 1));
    gsize m = 0;
    double sum = 0.0;
    for (gsize i = 0; i < n; i++) {
        if (!isnan(x[i])) {
            v[m++] = x[i];
            sum += x[i];
        }
    }
    if (m < 2) {
        return NAN;
    }
    double c;
    if (median) {
        qsort(v, m, sizeof(double), cmp_double);
        c = (v[(m - 1) / 2] + v[m / 2]) / 2.0;
    } else {
        c = sum / (double) m;
    }
    double ad = 0.0;
    for (gsize i = 0; i < m; i++) {
        ad += fabs(v[i] - c);
    }
    return ad / (double) m;
}

double
impact_agreement_awg(double mean, double var, double n, double min, double max)
{
    if (isnan(mean) || isnan(var) || !(n >= 2.0)) {
        return NAN;
    }
    const double h = max, l = min;
    if (mean == h || mean == l) {
        return 1.0;
    }
    if (mean < (l * (n - 1.0) + h) / n || mean > (h * (n - 1.0) + l) / n) {
        return NAN;
    }
    double maxvar = ((h + l) * mean - mean * mean - h * l) * (n / (n - 1.0));
    return 1.0 - 2.0 * var / maxvar;
}

void
impact_agreement_icc(ImpactGroupIcc *out, const double *n, const double *mean, const double *m2,
                     gsize n_groups)
{
    ImpactGroupIcc r;
    memset(&r, 0, sizeof r);
    double sum = 0.0;
    for (gsize j = 0; j < n_groups; j++) {
        if (n[j] > 0) {
            r.n += n[j];
            r.n_groups += 1.0;
            sum += n[j] * mean[j];
        }
    }
    r.grand_mean = r.n > 0 ? sum / r.n : NAN;
    for (gsize j = 0; j < n_groups; j++) {
        if (n[j] > 0) {
            double d = mean[j] - r.grand_mean;
            r.ss_between += n[j] * d * d;
            r.ss_within += m2[j];
        }
    }
    r.df_between = r.n_groups > 0 ? r.n_groups - 1.0 : NAN;
    r.df_within = r.n_groups > 0 ? r.n - r.n_groups : NAN;
    r.mean_size = r.n_groups > 0 ? r.n / r.n_groups : NAN;
    r.ms_between = r.df_between > 0 ? r.ss_between / r.df_between : NAN;
    r.ms_within = r.df_within > 0 ? r.ss_within / r.df_within : NAN;
    if (isnan(r.ms_between) || isnan(r.ms_within)) {
        r.f = r.icc1 = r.icc2 = NAN;
    } else {
        r.f = r.ms_within > 0 ? r.ms_between / r.ms_within : NAN;
        double den1 = r.ms_between + (r.mean_size - 1.0) * r.ms_within;
        r.icc1 = den1 != 0.0 ? (r.ms_between - r.ms_within) / den1 : NAN;
        r.icc2 = r.ms_between != 0.0 ? (r.ms_between - r.ms_within) / r.ms_between : NAN;
    }
    *out = r;
}

double
impact_agreement_design_effect(double mean_size, double icc)
{
    return 1.0 + (mean_size - 1.0) * icc;
}

double
impact_agreement_design_effect_unequal(const double *n, gsize n_groups, double icc)
{
    double s = 0.0, s2 = 0.0;
    for (gsize j = 0; j < n_groups; j++) {
        if (n[j] > 0) {
            s += n[j];
            s2 += n[j] * n[j];
        }
    }
    if (s <= 0.0) {
        return NAN;
    }
    /* (1 + CV²)·m̄ = Σm²/Σm (population CV) */
    return 1.0 + (s2 / s - 1.0) * icc;
}

double
impact_agreement_effective_n(double n, double deff)
{
    if (isnan(deff) || deff <= 0.0) {
        return NAN;
    }
    return n / deff;
}

/* ---- accumulator -------------------------------------------------------- */

#define MAX_BINS 101 /* items with more whole-number options keep raw values */
#define SERIAL_MAGIC "libimpact-agreement-1"
#define SERIAL_TYPE "(ssmstuubdbata(mssad)a(ttad))"

struct _ImpactAgreementAcc {
    ImpactAgreementOptions o; /* strings point to group_name / within_name */
    char *group_name;
    char *within_name;
    const ImpactCodebook *cb;
    gsize n_items, n_scales;
    gsize *bins;     /* per item: whole-number options kept as counts (0: none) */
    double *lo;      /* per item: lowest answer (bin 0) */
    gsize *item_off; /* per item: offset of its counts in a group block */
    gsize block;     /* doubles per group: 3 per scale (n, mean, M2), then counts */
    GArray *data;    /* double: n_groups · block */
    GPtrArray *gname; /* group strings */
    GPtrArray *pname; /* parent strings (NULL: none); only with within */
    GPtrArray *extra; /* per group: NULL or GArray *[n_items] of off-grid values */
    GHashTable *index; /* key -> group index + 1 */
};

static char *
group_key(const char *parent, const char *group, gboolean within)
{
    if (!within) {
        return g_strdup(group);
    }
    if (parent == NULL) {
        return g_strdup_printf("-:%s", group);
    }
    return g_strdup_printf("%zu:%s|%s", strlen(parent), parent, group);
}

static void
extra_free(gpointer p)
{
    GArray **e = p;
    if (e == NULL) {
        return;
    }
    /* the array length is stored just before: see extra_new */
    gsize n = ((gsize *) e)[-1];
    for (gsize i = 0; i < n; i++) {
        if (e[i]) {
            g_array_unref(e[i]);
        }
    }
    g_free((gsize *) e - 1);
}

static GArray **
extra_new(gsize n_items)
{
    gsize *raw = g_malloc0(sizeof(gsize) + n_items * sizeof(GArray *));
    raw[0] = n_items;
    return (GArray **) (raw + 1);
}

ImpactAgreementAcc *
impact_agreement_acc_new(const ImpactCodebook *codebook, const ImpactAgreementOptions *options)
{
    if (codebook == NULL || options == NULL || options->version != IMPACT_AGREEMENT_OPTIONS_VERSION
        || options->group == NULL || options->min_group < 1) {
        return NULL;
    }
    ImpactAgreementAcc *acc = g_new0(ImpactAgreementAcc, 1);
    acc->o = *options;
    acc->group_name = g_strdup(options->group);
    acc->within_name = g_strdup(options->within);
    acc->o.group = acc->group_name;
    acc->o.within = acc->within_name;
    acc->cb = codebook;
    acc->n_items = impact_codebook_n_items(codebook);
    acc->n_scales = impact_codebook_n_scales(codebook);
    acc->bins = g_new0(gsize, MAX(acc->n_items, 1));
    acc->lo = g_new0(double, MAX(acc->n_items, 1));
    acc->item_off = g_new0(gsize, MAX(acc->n_items, 1));
    gsize off = 3 * acc->n_scales;
    for (gsize i = 0; i < acc->n_items; i++) {
        double lo = impact_codebook_item_min(codebook, i);
        double hi = impact_codebook_item_max(codebook, i);
        double w = floor(hi - lo);
        acc->lo[i] = lo;
        acc->bins[i] = (isfinite(w) && w + 1.0 <= MAX_BINS) ? (gsize) w + 1 : 0;
        acc->item_off[i] = off;
        off += acc->bins[i];
    }
    acc->block = off;
    acc->data = g_array_new(FALSE, TRUE, sizeof(double));
    acc->gname = g_ptr_array_new_with_free_func(g_free);
    acc->pname = g_ptr_array_new_with_free_func(g_free);
    acc->extra = g_ptr_array_new_with_free_func(extra_free);
    acc->index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    return acc;
}

void
impact_agreement_acc_free(ImpactAgreementAcc *acc)
{
    if (acc == NULL) {
        return;
    }
    g_free(acc->group_name);
    g_free(acc->within_name);
    g_free(acc->bins);
    g_free(acc->lo);
    g_free(acc->item_off);
    g_array_unref(acc->data);
    g_ptr_array_unref(acc->gname);
    g_ptr_array_unref(acc->pname);
    g_ptr_array_unref(acc->extra);
    g_hash_table_unref(acc->index);
    g_free(acc);
}

static gsize
n_groups_of(const ImpactAgreementAcc *acc)
{
    return acc->gname->len;
}

static double *
block_of(const ImpactAgreementAcc *acc, gsize g)
{
    return &g_array_index(acc->data, double, g * acc->block);
}

/* Index of group (parent, group), created if new. */
static gsize
group_intern(ImpactAgreementAcc *acc, const char *parent, const char *group)
{
    gboolean within = acc->within_name != NULL;
    char *key = group_key(parent, group, within);
    gpointer v = g_hash_table_lookup(acc->index, key);
    if (v) {
        g_free(key);
        return GPOINTER_TO_SIZE(v) - 1;
    }
    gsize g = n_groups_of(acc);
    g_hash_table_insert(acc->index, key, GSIZE_TO_POINTER(g + 1));
    g_ptr_array_add(acc->gname, g_strdup(group));
    g_ptr_array_add(acc->pname, within && parent ? g_strdup(parent) : NULL);
    g_ptr_array_add(acc->extra, NULL);
    g_array_set_size(acc->data, (g + 1) * acc->block);
    return g;
}

static void
extra_append(ImpactAgreementAcc *acc, gsize g, gsize item, const double *v, gsize n)
{
    GArray **e = g_ptr_array_index(acc->extra, g);
    if (e == NULL) {
        e = extra_new(acc->n_items);
        g_ptr_array_index(acc->extra, g) = e;
    }
    if (e[item] == NULL) {
        e[item] = g_array_new(FALSE, FALSE, sizeof(double));
    }
    g_array_append_vals(e[item], v, (guint) n);
}

static gboolean
text_column(gsize *out, const ImpactTable *t, const char *name, const char *what, GError **error)
{
    if (!impact_table_lookup(t, name, out, error)) {
        return FALSE;
    }
    if (impact_table_column_type(t, *out) != IMPACT_COLUMN_TEXT) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                    "%s: the %s column '%s' holds answers to an item; group ids must be a "
                    "text column",
                    impact_table_source(t), what, name);
        return FALSE;
    }
    return TRUE;
}

/* A hint to fetch the cache line of @p (GCC and clang; nothing elsewhere) */
#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void) (p))
#endif

/* Rows per block of impact_agreement_acc_add's main loop: a block of a
 * scale's item columns (10 items: 160 KB) stays in L2 from the score kernel
 * to the histograms, so every column is read from memory once. */
#ifndef ADD_BLOCK
#define ADD_BLOCK 2048
#endif
/* Histogram counters (bytes) at most, but at least those of one item of
 * every local group: what the old code's per-row group array (8 bytes a
 * row) or double histogram of the widest item took, or 1 MB. Scales whose
 * counters need more are counted in batches of items. */
#ifndef HIST_CAP
#define HIST_CAP(nl, max_bins, n) MAX(MAX(8 * (nl) * (max_bins), 8 * (n)), (gsize) 1 << 20)
#endif
/* Rows of a group counted into its 8-bit counters between flushes (<= 255) */
#ifndef HIST_FLUSH_AT
#define HIST_FLUSH_AT 255
#endif
/* Spare moment slots for rows not counted (a power of 2) */
#define DUMMY_SLOTS 8
/* Items per histogram batch at most (their grid codes of a block: 256 KB) */
#define BATCH_ITEMS 32

/* Chunk-local histograms of a batch of one scale's items (items j0..j1-1),
 * group-major: the counter of bin b of item j for local group l is
 * h[l · stride + off[j] + b]; then come a trash counter for missing and
 * off-grid answers (never read; it may wrap) and the rows counted since the
 * group's last flush. One row touches a few adjacent bytes, the counters of
 * 5,000 teams fit in L2, and a row's increments hit different counters, so
 * consecutive rows of a team do not wait on each other's
 * read-modify-write. A row adds at most 1 to a bin, so 8-bit counters are
 * exact when a group's counters are added to the accumulator's double
 * counts (whole numbers, exact below 2^53, as before) every HIST_FLUSH_AT of
 * its rows and at the end. The statistics only ever see the merged counts,
 * so they are bit-identical to counting in doubles, for any data (the test
 * of an answer and its bin are unchanged; off-grid answers still go to the
 * extras, in row order). */
typedef struct {
    guint8 *h;
    gsize j0, j1, stride;
    gsize nl; /* local groups */
    double *data;
    gsize block;
    const gsize *glob; /* local -> accumulator group */
    ImpactAgreementAcc *acc;
    guint32 *code; /* per item of the batch: ADD_BLOCK counter offsets */
    /* per item of the scale */
    const double *const *x;
    const double *lo, *dnb;
    const gsize *nb, *item;
    gsize *off;
} Hist;

/* Items j0.. of the next batch: as many as fit @cap counters (at least one). */
static void
hist_batch(Hist *h, gsize j0, gsize k, gsize cap)
{
    gsize bins = 0, j1 = j0;
    while (j1 < k
           && (j1 == j0 || (j1 - j0 < BATCH_ITEMS && h->nl * (bins + h->nb[j1] + 2) <= cap))) {
        h->off[j1] = bins;
        bins += h->nb[j1];
        j1++;
    }
    h->j0 = j0;
    h->j1 = j1;
    h->stride = bins + 2; /* + the trash and row counters */
}

/* Adds the counters of local group @l into the accumulator and clears them. */
static void
hist_flush_group(Hist *h, gsize l)
{
    double *dst = h->data + h->glob[l] * h->block;
    guint8 *src = h->h + l * h->stride;
    for (gsize j = h->j0; j < h->j1; j++) {
        double *d = dst + h->acc->item_off[h->item[j]];
        const guint8 *c = src + h->off[j];
        for (gsize b = 0; b < h->nb[j]; b++) {
            d[b] += (double) c[b];
        }
    }
    memset(src, 0, h->stride);
}

/* hist_flush_group() for every local group */
static void
hist_flush(Hist *h)
{
    gsize c0 = h->block, c1 = 0; /* the counts of the batch's items in a block */
    for (gsize j = h->j0; j < h->j1; j++) {
        c0 = MIN(c0, h->acc->item_off[h->item[j]]);
        c1 = MAX(c1, h->acc->item_off[h->item[j]] + h->nb[j]);
    }
    for (gsize l = 0; l < h->nl; l++) {
        /* the groups' blocks lie far apart: fetch those of the group after next */
        for (gsize c = c0; l + 2 < h->nl && c < c1; c += 8) {
            PREFETCH(h->data + h->glob[l + 2] * h->block + c);
        }
        hist_flush_group(h, l);
    }
}

typedef double v4d __attribute__((vector_size(32)));
typedef gint64 v4l __attribute__((vector_size(32)));
typedef gint32 v4i __attribute__((vector_size(16)));

/* code[i] = off + d where d = x[i] − lo is on the item's grid: a whole
 * number with 0 <= d < nb (the histogram's definition; NaN fails every
 * comparison), else @trash. Returns whether some answer is neither on the
 * grid nor missing (an extra value). Four answers at a time, in doubles:
 * for 0 <= d < 2^52, (d + 2^52) − 2^52 rounds d to a whole number, so it
 * equals d iff d is whole (the old test (double) (gsize) d == d); the one
 * conversion to an integer sees off + d or trash only, so it is defined
 * for any input. */
static gboolean IMPACT_HOT
grid_codes(guint32 *code, const double *x, gsize n, double lo, double nb, guint32 off,
           guint32 trash)
{
    const double big = 4503599627370496.0; /* 2^52 */
    const double doff = (double) off, dtrash = (double) trash;
    const v4d vlo = { lo, lo, lo, lo }, vnb = { nb, nb, nb, nb }, zero = { 0, 0, 0, 0 };
    const v4d vbig = { big, big, big, big }, voff = { doff, doff, doff, doff };
    const v4d vtrash = { dtrash, dtrash, dtrash, dtrash };
    v4l other = { 0, 0, 0, 0 };
    gsize i = 0;
    for (; i + 4 <= n; i += 4) {
        v4d v;
        memcpy(&v, x + i, sizeof v);
        const v4d d = v - vlo;
        const v4l ok = (d >= zero) & (d < vnb) & ((d + vbig) - vbig == d);
        const v4d c = (v4d) (((v4l) (voff + d) & ok) | ((v4l) vtrash & ~ok));
        const v4i ci = __builtin_convertvector(c, v4i);
        memcpy(code + i, &ci, sizeof ci);
        other |= ~ok & (d == d);
    }
    gboolean any = (other[0] | other[1] | other[2] | other[3]) != 0;
    for (; i < n; i++) {
        const double d = x[i] - lo;
        const gboolean ok = d >= 0.0 && d < nb && (d + big) - big == d;
        code[i] = (guint32) (ok ? doff + d : dtrash);
        any |= !ok && !isnan(d);
    }
    return any;
}

/* Counts the answers of the m rows r0 + ri[t] (local group rl[t]) of the
 * block r0..r1-1 to the batch's items. */
static void
hist_rows(Hist *h, const guint32 *ri, const gint32 *rl, gsize m, gsize r0, gsize r1)
{
    const gsize nj = h->j1 - h->j0, stride = h->stride;
    gboolean other = FALSE;
    for (gsize j = h->j0; j < h->j1; j++) {
        other |= grid_codes(h->code + (j - h->j0) * ADD_BLOCK, h->x[j] + r0, r1 - r0, h->lo[j],
                            h->dnb[j], (guint32) h->off[j], (guint32) (stride - 2));
    }
    for (gsize t = 0; t < m; t++) {
        guint8 *c = h->h + (gsize) rl[t] * stride;
        const guint32 *code = h->code + ri[t];
        for (gsize j = 0; j < nj; j++) {
            c[code[j * ADD_BLOCK]]++;
        }
        if (G_UNLIKELY(++c[stride - 1] >= HIST_FLUSH_AT)) {
            hist_flush_group(h, (gsize) rl[t]);
        }
    }
    if (G_UNLIKELY(other)) {
        /* answers off the grid, item by item in row order */
        for (gsize j = h->j0; j < h->j1; j++) {
            const guint32 *code = h->code + (j - h->j0) * ADD_BLOCK;
            for (gsize t = 0; t < m; t++) {
                const double v = h->x[j][r0 + ri[t]];
                if (code[ri[t]] == stride - 2 && !isnan(v)) {
                    extra_append(h->acc, h->glob[rl[t]], h->item[j], &v, 1);
                }
            }
        }
    }
}

/* The scale-score moments of a local group, in one 32-byte aligned slot
 * (one cache line per row in each pass); n and mean are not adjacent, so
 * the compiler does not merge their stores into one, which the next row's
 * loads of the same group could not forward from. */
typedef struct {
    double mean, m2, n, pad;
} Slot;

/* The moment slot of row @i: its local group @l if it has a score (@sc),
 * else one of the dummy slots after the @nl groups, in turn, so that those
 * rows' additions do not wait on each other. By arithmetic and with the
 * callers' & instead of && (and x == x for not NaN): no branch to
 * mispredict on the rows without a score (a quarter of them with 3 %
 * missing answers). */
static inline gsize
moment_slot(gboolean sc, gint32 l, gsize nl, gsize i)
{
    const gsize b = (gsize) (sc != 0);
    return b * (gsize) l + (1 - b) * (nl + (i & (DUMMY_SLOTS - 1)));
}

/* A new chunk-local group for (parent, group): its accumulator group is
 * appended to @global. */
static gint32
local_new(ImpactAgreementAcc *acc, GArray *global, const char *parent, const char *group)
{
    gsize g = group_intern(acc, parent, group);
    g_array_append_val(global, g);
    return (gint32) (global->len - 1);
}

gboolean
impact_agreement_acc_add(ImpactAgreementAcc *acc, const ImpactTable *chunk, GError **error)
{
    g_return_val_if_fail(acc != NULL && chunk != NULL, FALSE);
    g_autofree gsize *cols = NULL;
    gsize gcol = 0, pcol = 0;
    const gboolean within = acc->within_name != NULL;
    if (!text_column(&gcol, chunk, acc->group_name, "group", error)
        || (within && !text_column(&pcol, chunk, acc->within_name, "within", error))
        || !impact_i_item_columns(&cols, chunk, acc->cb, error)) {
        return FALSE;
    }
    /* no error is possible from here on */
    const gsize n = impact_table_n_rows(chunk);
    const guint32 *gc = impact_table_codes(chunk, gcol);
    const guint32 *pc = within ? impact_table_codes(chunk, pcol) : NULL;
    /* chunk-local dense group ids (in order of first appearance), so the
     * hot loops below work on small arrays (cache-resident) instead of
     * scattered group blocks: rl[i] is row i's, -1 for none; glob maps them
     * to the accumulator's groups. Distinct level codes (or parent and group
     * codes) are distinct strings, so each new code is a new local group. */
    g_autoptr(GArray) global = g_array_new(FALSE, FALSE, sizeof(gsize));
    g_autofree gint32 *rl = g_new(gint32, MAX(n, 1));
    if (!within) {
        gsize ngl = impact_table_n_levels(chunk, gcol);
        g_autofree gint32 *map = g_new(gint32, MAX(ngl, 1));
        for (gsize l = 0; l < ngl; l++) {
            map[l] = -1;
        }
        for (gsize i = 0; i < n; i++) {
            guint32 c = gc[i];
            if (c == IMPACT_TABLE_NA) {
                rl[i] = -1;
                continue;
            }
            if (map[c] < 0) {
                map[c] = local_new(acc, global, NULL, impact_table_level(chunk, gcol, c));
            }
            rl[i] = map[c];
        }
    } else if ((impact_table_n_levels(chunk, pcol) + 1) * MAX(impact_table_n_levels(chunk, gcol), 1)
               <= (gsize) 1 << 22) {
        /* a direct (parent level + 1) × (group level) table; the parent's
         * missing code maps to row 0 */
        gsize ngl = impact_table_n_levels(chunk, gcol);
        gsize cells = (impact_table_n_levels(chunk, pcol) + 1) * MAX(ngl, 1);
        g_autofree gint32 *map = g_new(gint32, cells);
        for (gsize c = 0; c < cells; c++) {
            map[c] = -1;
        }
        for (gsize i = 0; i < n; i++) {
            if (gc[i] == IMPACT_TABLE_NA) {
                rl[i] = -1;
                continue;
            }
            gsize prow = pc[i] == IMPACT_TABLE_NA ? 0 : (gsize) pc[i] + 1;
            gsize cell = prow * ngl + gc[i];
            if (map[cell] < 0) {
                const char *p =
                    pc[i] == IMPACT_TABLE_NA ? NULL : impact_table_level(chunk, pcol, pc[i]);
                map[cell] = local_new(acc, global, p, impact_table_level(chunk, gcol, gc[i]));
            }
            rl[i] = map[cell];
        }
    } else {
        g_autofree guint64 *keys = g_new(guint64, MAX(n, 1));
        g_autoptr(GHashTable) map = g_hash_table_new(g_int64_hash, g_int64_equal);
        for (gsize i = 0; i < n; i++) {
            if (gc[i] == IMPACT_TABLE_NA) {
                rl[i] = -1;
                continue;
            }
            keys[i] = ((guint64) pc[i] << 32) | gc[i];
            gpointer v = g_hash_table_lookup(map, &keys[i]);
            if (v == NULL) {
                const char *p =
                    pc[i] == IMPACT_TABLE_NA ? NULL : impact_table_level(chunk, pcol, pc[i]);
                gint32 l = local_new(acc, global, p, impact_table_level(chunk, gcol, gc[i]));
                v = GSIZE_TO_POINTER((gsize) l + 1);
                g_hash_table_insert(map, &keys[i], v);
            }
            rl[i] = (gint32) GPOINTER_TO_SIZE(v) - 1;
        }
    }
    const gsize nl = global->len;
    const gsize *glob = (const gsize *) (void *) global->data;

    double *data = (double *) (void *) acc->data->data;
    const gboolean listwise = acc->o.missing == IMPACT_MISSING_LISTWISE;
    g_autofree double *score = g_new(double, MAX(n, 1));
    /* per local group, + DUMMY_SLOTS slots for rows without a score or
     * group (so the loops below need no branch; never read) */
    Slot *mo = g_aligned_alloc(nl + DUMMY_SLOTS, sizeof(Slot), sizeof(Slot));
    /* the rows of a block counted for the scale: their index in the block
     * and local group */
    g_autofree guint32 *ri = g_new(guint32, ADD_BLOCK);
    g_autofree gint32 *rg = g_new(gint32, ADD_BLOCK);
    /* histogram counters: those of a scale, or of batches of its items
     * within HIST_CAP (one item at least) */
    gsize max_bins = 0, max_scale_bins = 0;
    for (gsize s = 0; s < acc->n_scales; s++) {
        gsize sb = 0;
        for (gsize j = 0; j < impact_codebook_scale_n_items(acc->cb, s); j++) {
            gsize it = impact_codebook_scale_item(acc->cb, s, j);
            max_bins = MAX(max_bins, acc->bins[it]);
            sb += acc->bins[it];
        }
        max_scale_bins = MAX(max_scale_bins, sb);
    }
    const gsize cap = HIST_CAP(nl, max_bins, n);
    const gsize n_hist = MIN(MAX(cap, nl * (max_bins + 2)), nl * (max_scale_bins + 2));
    g_autofree guint8 *hist = g_new0(guint8, MAX(n_hist, 1));
    /* (a fixed 256 KB: above malloc's mmap threshold, so returned to the
     * system when freed; a smaller heap block was seen to raise the peak
     * RSS of repeated pipelines by 2 MB through fragmentation) */
    g_autofree guint32 *code = g_new(guint32, (gsize) BATCH_ITEMS * ADD_BLOCK);
    Hist h = { .h = hist, .nl = nl, .data = data, .block = acc->block, .glob = glob, .acc = acc,
               .code = code };
    for (gsize s = 0; s < acc->n_scales; s++) {
        gsize k = impact_codebook_scale_n_items(acc->cb, s);
        g_autofree const double **x = g_new(const double *, MAX(k, 1));
        g_autofree const double **xb = g_new(const double *, MAX(k, 1));
        g_autofree double *mn = g_new(double, MAX(k, 1));
        g_autofree double *mx = g_new(double, MAX(k, 1));
        g_autofree double *w = g_new(double, MAX(k, 1));
        g_autofree gboolean *rev = g_new(gboolean, MAX(k, 1));
        g_autofree double *lo = g_new(double, MAX(k, 1));
        g_autofree double *dnb = g_new(double, MAX(k, 1));
        g_autofree gsize *nb = g_new(gsize, MAX(k, 1));
        g_autofree gsize *off = g_new(gsize, MAX(k, 1));
        g_autofree gsize *item = g_new(gsize, MAX(k, 1));
        for (gsize j = 0; j < k; j++) {
            gsize it = impact_codebook_scale_item(acc->cb, s, j);
            x[j] = impact_table_numeric(chunk, cols[it]);
            mn[j] = impact_codebook_item_min(acc->cb, it);
            mx[j] = impact_codebook_item_max(acc->cb, it);
            w[j] = impact_codebook_item_weight(acc->cb, it);
            rev[j] = impact_codebook_item_reverse(acc->cb, it);
            lo[j] = acc->lo[it];
            nb[j] = acc->bins[it];
            dnb[j] = (double) nb[j];
            item[j] = it;
        }
        h.x = x;
        h.lo = lo;
        h.dnb = dnb;
        h.nb = nb;
        h.off = off;
        h.item = item;
        const gsize required = listwise ? k : 1;
        /* the first batch of items whose histograms fit; usually the whole scale */
        hist_batch(&h, 0, k, cap);
        const gboolean one_batch = h.j1 == k;
        /* one pass over row blocks: scale scores, the first pass of their
         * moments per group (sums in row order, as before) and, when the
         * scale's histograms fit at once, the histograms */
        memset(mo, 0, (nl + DUMMY_SLOTS) * sizeof(Slot));
        for (gsize r0 = 0; r0 < n; r0 += ADD_BLOCK) {
            const gsize r1 = MIN(n, r0 + ADD_BLOCK);
            for (gsize j = 0; j < k; j++) {
                xb[j] = x[j] + r0;
            }
            impact_score_kernel(score + r0, (const double *const *) xb, k, r1 - r0, mn, mx, rev,
                                w, MAX(required, 1), IMPACT_SCORE_MEAN);
            gsize m = 0;
            for (gsize i = r0; i < r1; i++) {
                const gint32 l = rl[i];
                const gboolean sc = (l >= 0) & (score[i] == score[i]);
                const gsize slot = moment_slot(sc, l, nl, i);
                mo[slot].n += 1.0;
                mo[slot].mean += score[i]; /* the sum for now */
                /* rows counted for this scale: listwise, those with a score
                 * (every item answered, so no answer below is missing);
                 * pairwise, all */
                ri[m] = (guint32) (i - r0);
                rg[m] = l;
                m += listwise ? sc : l >= 0;
            }
            if (one_batch) {
                hist_rows(&h, ri, rg, m, r0, r1);
            }
        }
        /* second pass: M2 about the group mean (as R's var), then a Chan
         * merge into the accumulator */
        for (gsize l = 0; l < nl + DUMMY_SLOTS; l++) {
            mo[l].mean = mo[l].n > 0 ? mo[l].mean / mo[l].n : 0.0;
        }
        for (gsize i = 0; i < n; i++) {
            const gsize slot = moment_slot((rl[i] >= 0) & (score[i] == score[i]), rl[i], nl, i);
            const double d = score[i] - mo[slot].mean;
            mo[slot].m2 += d * d;
        }
        for (gsize l = 0; l < nl; l++) {
            ImpactMoments m = { mo[l].n, mo[l].mean, mo[l].m2 };
            impact_moments_merge((ImpactMoments *) (void *) (data + glob[l] * acc->block + 3 * s),
                                 &m);
        }
        if (one_batch) {
            hist_flush(&h);
            continue;
        }
        /* many groups: the histograms batch by batch, each over all rows */
        for (gsize j0 = 0; j0 < k; j0 = h.j1) {
            hist_batch(&h, j0, k, cap);
            for (gsize r0 = 0; r0 < n; r0 += ADD_BLOCK) {
                const gsize r1 = MIN(n, r0 + ADD_BLOCK);
                gsize m = 0;
                for (gsize i = r0; i < r1; i++) {
                    const gint32 l = rl[i];
                    ri[m] = (guint32) (i - r0);
                    rg[m] = l;
                    m += l >= 0 && (!listwise || !isnan(score[i]));
                }
                hist_rows(&h, ri, rg, m, r0, r1);
            }
            hist_flush(&h);
        }
    }
    g_aligned_free(mo);
    return TRUE;
}

/* dst += src for one group's block and extras */
static void
block_merge(ImpactAgreementAcc *acc, double *dst, const double *src, gsize n_scales)
{
    for (gsize s = 0; s < n_scales; s++) {
        impact_moments_merge((ImpactMoments *) (void *) (dst + 3 * s),
                             (const ImpactMoments *) (const void *) (src + 3 * s));
    }
    for (gsize b = 3 * n_scales; b < acc->block; b++) {
        dst[b] += src[b];
    }
}

static gboolean
compatible(const ImpactAgreementAcc *a, const ImpactAgreementAcc *b, GError **error)
{
    gboolean ok = a->n_items == b->n_items && a->n_scales == b->n_scales
                  && a->block == b->block && g_strcmp0(a->group_name, b->group_name) == 0
                  && g_strcmp0(a->within_name, b->within_name) == 0
                  && a->o.missing == b->o.missing;
    for (gsize i = 0; ok && i < a->n_items; i++) {
        ok = a->bins[i] == b->bins[i] && a->lo[i] == b->lo[i];
    }
    if (!ok) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "agreement accumulators differ (codebook shape, group or within column, or "
                    "missing-data policy): they cannot be merged");
    }
    return ok;
}

gboolean
impact_agreement_acc_merge(ImpactAgreementAcc *acc, const ImpactAgreementAcc *other,
                           GError **error)
{
    g_return_val_if_fail(acc != NULL && other != NULL, FALSE);
    if (!compatible(acc, other, error)) {
        return FALSE;
    }
    if (acc == other) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "an agreement accumulator cannot be merged into itself");
        return FALSE;
    }
    for (gsize h = 0; h < n_groups_of(other); h++) {
        gsize g = group_intern(acc, g_ptr_array_index(other->pname, h),
                               g_ptr_array_index(other->gname, h));
        block_merge(acc, block_of(acc, g), block_of(other, h), acc->n_scales);
        GArray **e = g_ptr_array_index(other->extra, h);
        for (gsize i = 0; e && i < acc->n_items; i++) {
            if (e[i]) {
                extra_append(acc, g, i, (const double *) (void *) e[i]->data, e[i]->len);
            }
        }
    }
    return TRUE;
}

/* ---- serialisation ------------------------------------------------------ */

GBytes *
impact_agreement_acc_serialize(const ImpactAgreementAcc *acc)
{
    g_return_val_if_fail(acc != NULL, NULL);
    GVariantBuilder groups, extras;
    g_variant_builder_init(&groups, G_VARIANT_TYPE("a(mssad)"));
    g_variant_builder_init(&extras, G_VARIANT_TYPE("a(ttad)"));
    for (gsize g = 0; g < n_groups_of(acc); g++) {
        g_variant_builder_add(
            &groups, "(mss@ad)", (const char *) g_ptr_array_index(acc->pname, g),
            (const char *) g_ptr_array_index(acc->gname, g),
            g_variant_new_fixed_array(G_VARIANT_TYPE_DOUBLE, block_of(acc, g), acc->block,
                                      sizeof(double)));
        GArray **e = g_ptr_array_index(acc->extra, g);
        for (gsize i = 0; e && i < acc->n_items; i++) {
            if (e[i]) {
                g_variant_builder_add(&extras, "(tt@ad)", (guint64) g, (guint64) i,
                                      g_variant_new_fixed_array(G_VARIANT_TYPE_DOUBLE,
                                                                e[i]->data, e[i]->len,
                                                                sizeof(double)));
            }
        }
    }
    g_autofree guint64 *bins = g_new(guint64, MAX(acc->n_items, 1));
    for (gsize i = 0; i < acc->n_items; i++) {
        bins[i] = acc->bins[i];
    }
    GVariant *v = g_variant_new(
        "(ssmstuubdb@ata(mssad)a(ttad))", SERIAL_MAGIC, acc->group_name, acc->within_name,
        (guint64) acc->o.min_group, (guint32) acc->o.missing, (guint32) acc->o.null_distribution,
        acc->o.lindell, acc->o.rwg_threshold, acc->o.pool_all,
        g_variant_new_fixed_array(G_VARIANT_TYPE_UINT64, bins, acc->n_items, sizeof(guint64)),
        &groups, &extras);
    g_variant_ref_sink(v);
    GBytes *bytes = g_variant_get_data_as_bytes(v);
    g_variant_unref(v);
    return bytes;
}

/* Counts are whole numbers >= 0 (below 2^53), moments finite with M2 >= 0. */
static gboolean
block_valid(const ImpactAgreementAcc *acc, const double *x)
{
    for (gsize s = 0; s < acc->n_scales; s++) {
        double n = x[3 * s], mean = x[3 * s + 1], m2 = x[3 * s + 2];
        if (!(n >= 0.0 && n < 9007199254740992.0 && n == floor(n)) || !isfinite(mean)
            || !(m2 >= 0.0 && isfinite(m2))) {
            return FALSE;
        }
    }
    for (gsize b = 3 * acc->n_scales; b < acc->block; b++) {
        if (!(x[b] >= 0.0 && x[b] < 9007199254740992.0 && x[b] == floor(x[b]))) {
            return FALSE;
        }
    }
    return TRUE;
}

ImpactAgreementAcc *
impact_agreement_acc_deserialize(GBytes *bytes, const ImpactCodebook *codebook, GError **error)
{
    g_return_val_if_fail(bytes != NULL && codebook != NULL, NULL);
    g_autoptr(GVariant) v = g_variant_ref_sink(
        g_variant_new_from_bytes(G_VARIANT_TYPE(SERIAL_TYPE), bytes, FALSE));
    if (!g_variant_is_normal_form(v)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "not a serialised agreement accumulator (malformed bytes)");
        return NULL;
    }
    const char *magic = NULL, *group = NULL, *within = NULL;
    guint64 min_group = 0;
    guint32 missing = 0, null_d = 0;
    gboolean lindell = FALSE, pool_all = FALSE;
    double thr = 0.0;
    g_autoptr(GVariant) bins = NULL, groups = NULL, extras = NULL;
    g_variant_get(v, "(&s&sm&stuubdb@at@a(mssad)@a(ttad))", &magic, &group, &within,
                  &min_group, &missing, &null_d, &lindell, &thr, &pool_all, &bins, &groups,
                  &extras);
    if (strcmp(magic, SERIAL_MAGIC) != 0 || missing > IMPACT_MISSING_LISTWISE
        || null_d > IMPACT_NULL_NORMAL || min_group < 1) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "not a serialised agreement accumulator (bad header)");
        return NULL;
    }
    ImpactAgreementOptions o = IMPACT_AGREEMENT_OPTIONS_INIT;
    o.group = group;
    o.within = within;
    o.min_group = (gsize) min_group;
    o.missing = (ImpactMissingPolicy) missing;
    o.null_distribution = (ImpactNullDistribution) null_d;
    o.lindell = lindell;
    o.rwg_threshold = thr;
    o.pool_all = pool_all;
    g_autoptr(ImpactAgreementAcc) acc = impact_agreement_acc_new(codebook, &o);
    gsize nb = 0;
    const guint64 *b = g_variant_get_fixed_array(bins, &nb, sizeof(guint64));
    gboolean ok = nb == acc->n_items;
    for (gsize i = 0; ok && i < nb; i++) {
        ok = b[i] == acc->bins[i];
    }
    if (!ok) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "the serialised agreement accumulator was made with another codebook");
        return NULL;
    }
    gsize ng = g_variant_n_children(groups);
    for (gsize g = 0; g < ng; g++) {
        const char *p = NULL, *name = NULL;
        g_autoptr(GVariant) d = NULL;
        g_variant_get_child(groups, g, "(m&s&s@ad)", &p, &name, &d);
        gsize len = 0;
        const double *x = g_variant_get_fixed_array(d, &len, sizeof(double));
        if (len != acc->block || (p != NULL && within == NULL) || !block_valid(acc, x)) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                        "serialised agreement accumulator: group '%s' does not fit the codebook",
                        name);
            return NULL;
        }
        gsize h = group_intern(acc, p, name);
        block_merge(acc, block_of(acc, h), x, acc->n_scales);
    }
    gsize ne = g_variant_n_children(extras);
    for (gsize j = 0; j < ne; j++) {
        guint64 g = 0, i = 0;
        g_autoptr(GVariant) d = NULL;
        g_variant_get_child(extras, j, "(tt@ad)", &g, &i, &d);
        gsize len = 0;
        const double *x = g_variant_get_fixed_array(d, &len, sizeof(double));
        gboolean finite = TRUE;
        for (gsize q = 0; q < len; q++) {
            finite = finite && isfinite(x[q]);
        }
        if (g >= n_groups_of(acc) || i >= acc->n_items || !finite) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                        "serialised agreement accumulator: an answer list points outside it");
            return NULL;
        }
        extra_append(acc, (gsize) g, (gsize) i, x, len);
    }
    return g_steal_pointer(&acc);
}

/* ---- results ------------------------------------------------------------ */

typedef struct {
    double v, c;
} Pair;

/* Per-item statistics from the histogram (+ off-grid values) of one group. */
typedef struct {
    double n, mean, var, ad_mean, ad_median;
} ItemStats;

static void
item_stats(ItemStats *st, const ImpactAgreementAcc *acc, const double *blk, GArray *const *extra,
           gsize it, GArray *scratch)
{
    const gsize nb = acc->bins[it];
    const double *cnt = blk + acc->item_off[it];
    GArray *e = extra ? extra[it] : NULL;
    Pair grid[MAX_BINS];
    const Pair *p = grid;
    gsize m = 0;
    if (e == NULL) {
        /* the usual case: answers on the grid only; bins are pairs already
         * (on the stack: this runs for every group and item) */
        for (gsize b = 0; b < nb; b++) {
            if (cnt[b] > 0) {
                grid[m].v = acc->lo[it] + (double) b;
                grid[m].c = cnt[b];
                m++;
            }
        }
    } else {
        /* merge the grid and the sorted off-grid values into ascending pairs */
        g_array_set_size(scratch, 0);
        const gsize ne = e->len;
        gsize ei = 0;
        g_autofree double *ev = ne ? g_memdup2(e->data, ne * sizeof(double)) : NULL;
        if (ne) {
            qsort(ev, ne, sizeof(double), cmp_double);
        }
        for (gsize b = 0; b <= nb; b++) {
            double gv = b < nb ? acc->lo[it] + (double) b : INFINITY;
            while (ei < ne && ev[ei] < gv) {
                Pair q = { ev[ei++], 1.0 };
                g_array_append_val(scratch, q);
            }
            if (b < nb && cnt[b] > 0) {
                Pair q = { gv, cnt[b] };
                g_array_append_val(scratch, q);
            }
        }
        p = (const Pair *) (void *) scratch->data;
        m = scratch->len;
    }
    double n = 0.0, sum = 0.0;
    for (gsize i = 0; i < m; i++) {
        n += p[i].c;
        sum += p[i].c * p[i].v;
    }
    st->n = n;
    st->mean = n > 0 ? sum / n : NAN;
    st->var = st->ad_mean = st->ad_median = NAN;
    if (n < 2) {
        return;
    }
    /* median: R's convention, mean of the elements at 0-based (n-1)/2 and n/2 */
    double lo_pos, hi_pos;
    if (n < 9007199254740992.0 && (double) (guint64) n == n) {
        /* n is a count: the same whole numbers by integer division, without
         * two calls of floor() per group and item */
        lo_pos = (double) (((guint64) n - 1) / 2);
        hi_pos = (double) ((guint64) n / 2);
    } else {
        lo_pos = floor((n - 1.0) / 2.0);
        hi_pos = floor(n / 2.0);
    }
    double lo_v = NAN, hi_v = NAN, cum = 0.0;
    double ss = 0.0, ad = 0.0;
    for (gsize i = 0; i < m; i++) {
        double next = cum + p[i].c;
        if (isnan(lo_v) && lo_pos < next) {
            lo_v = p[i].v;
        }
        if (isnan(hi_v) && hi_pos < next) {
            hi_v = p[i].v;
        }
        cum = next;
        double d = p[i].v - st->mean;
        ss += p[i].c * d * d;
        ad += p[i].c * fabs(d);
    }
    double med = (lo_v + hi_v) / 2.0;
    double adm = 0.0;
    for (gsize i = 0; i < m; i++) {
        adm += p[i].c * fabs(p[i].v - med);
    }
    st->var = ss / (n - 1.0);
    st->ad_mean = ad / n;
    st->ad_median = adm / n;
}

typedef struct {
    double n, mean, sd, rwg_j, ad_mean, ad_median, awg;
} GroupStats;

static void
group_stats(GroupStats *gs, const ImpactAgreementAcc *acc, gsize s, const double *blk,
            GArray *const *extra, double null_var, gboolean ranged, double lo, double hi,
            GArray *scratch)
{
    const ImpactMoments *m = (const ImpactMoments *) (const void *) (blk + 3 * s);
    gs->n = m->n;
    gs->mean = impact_moments_mean(m);
    gs->sd = impact_moments_sd(m);
    double var_sum = 0.0, ad_sum = 0.0, adm_sum = 0.0, awg_sum = 0.0;
    gsize n_var = 0, n_awg = 0;
    gsize k = impact_codebook_scale_n_items(acc->cb, s);
    for (gsize j = 0; j < k; j++) {
        gsize it = impact_codebook_scale_item(acc->cb, s, j);
        ItemStats st;
        item_stats(&st, acc, blk, extra, it, scratch);
        if (isnan(st.var)) {
            continue;
        }
        var_sum += st.var;
        ad_sum += st.ad_mean;
        adm_sum += st.ad_median;
        n_var++;
        double a = ranged ? impact_agreement_awg(st.mean, st.var, st.n, lo, hi) : NAN;
        if (!isnan(a)) {
            awg_sum += a;
            n_awg++;
        }
    }
    if (n_var == 0) {
        gs->rwg_j = gs->ad_mean = gs->ad_median = NAN;
    } else {
        double mv = var_sum / (double) n_var;
        gs->rwg_j = impact_agreement_rwg_j(mv, n_var, null_var, acc->o.lindell);
        gs->ad_mean = ad_sum / (double) n_var;
        gs->ad_median = adm_sum / (double) n_var;
    }
    gs->awg = n_awg ? awg_sum / (double) n_awg : NAN;
}

/* One level (groups or parents) of one scale: per-unit statistics and moments. */
typedef struct {
    gsize n; /* units */
    GroupStats *st;
    double *nn, *mm, *m2; /* scale-score moments per unit */
} Level;

static void
level_clear(Level *lv)
{
    g_free(lv->st);
    g_free(lv->nn);
    g_free(lv->mm);
    g_free(lv->m2);
}

static void
level_compute(Level *lv, const ImpactAgreementAcc *acc, gsize s, gsize n_units,
              const double *const *blocks, GArray **const *extras, double null_var,
              gboolean ranged, double lo, double hi, GArray *scratch)
{
    lv->n = n_units;
    lv->st = g_new0(GroupStats, MAX(n_units, 1));
    lv->nn = g_new(double, MAX(n_units, 1));
    lv->mm = g_new(double, MAX(n_units, 1));
    lv->m2 = g_new(double, MAX(n_units, 1));
    /* the counts of the scale's items in a block (usually contiguous) */
    gsize c0 = acc->block, c1 = 0;
    for (gsize j = 0; j < impact_codebook_scale_n_items(acc->cb, s); j++) {
        gsize it = impact_codebook_scale_item(acc->cb, s, j);
        c0 = MIN(c0, acc->item_off[it]);
        c1 = MAX(c1, acc->item_off[it] + acc->bins[it]);
    }
    for (gsize g = 0; g < n_units; g++) {
        /* the blocks lie far apart in a large array: fetch the counts of
         * the group after next while this one is computed */
        for (gsize c = c0; g + 2 < n_units && c < c1; c += 8) {
            PREFETCH(blocks[g + 2] + c);
        }
        group_stats(&lv->st[g], acc, s, blocks[g], extras[g], null_var, ranged, lo, hi, scratch);
        const ImpactMoments *m = (const ImpactMoments *) (const void *) (blocks[g] + 3 * s);
        lv->nn[g] = m->n;
        lv->mm[g] = m->mean;
        lv->m2[g] = m->m2;
    }
}

/* As impact_i_json_double() and impact_i_json_string() of result.c, on a
 * JsonObject: a non-finite number or a NULL string becomes null. */
static void
obj_double(JsonObject *o, const char *key, double v)
{
    if (isfinite(v)) {
        json_object_set_double_member(o, key, v);
    } else {
        json_object_set_null_member(o, key);
    }
}

static void
obj_string(JsonObject *o, const char *key, const char *v)
{
    if (v) {
        json_object_set_string_member(o, key, v);
    } else {
        json_object_set_null_member(o, key);
    }
}

static void
json_level(JsonBuilder *b, const ImpactAgreementAcc *acc, const Level *lv,
           const ImpactDisclosureStatus *status, const gboolean *n_shown,
           const char *const *names, const char *const *parents)
{
    /* pooled statistics over the published units only (unless pool_all):
     * then every number here is a function of published numbers, and the
     * disclosure rule's proof covers the whole output */
    const gboolean all = acc->o.pool_all;
    g_autofree double *pn = g_new(double, MAX(lv->n, 1));
    gsize n_groups = 0;
    double n_all = 0.0;
    for (gsize g = 0; g < lv->n; g++) {
        gboolean use = all || status[g] == IMPACT_DISCLOSURE_PUBLISHED;
        pn[g] = use ? lv->nn[g] : 0.0;
        n_groups += lv->nn[g] > 0;
        n_all += lv->nn[g];
    }
    ImpactGroupIcc icc;
    impact_agreement_icc(&icc, pn, lv->mm, lv->m2, lv->n);
    const ImpactGroupIcc *c = &icc;
    double deff = impact_agreement_design_effect(c->mean_size, c->icc1);
    double deff_unequal = impact_agreement_design_effect_unequal(pn, lv->n, c->icc1);
    impact_i_json_int(b, "n", (gint64) n_all);
    impact_i_json_int(b, "n_groups", (gint64) n_groups);
    impact_i_json_int(b, "n_pooled", (gint64) c->n);
    impact_i_json_int(b, "n_groups_pooled", (gint64) c->n_groups);
    impact_i_json_double(b, "icc1", c->icc1);
    impact_i_json_double(b, "icc2", c->icc2);
    impact_i_json_double(b, "f", c->f);
    impact_i_json_double(b, "ms_between", c->ms_between);
    impact_i_json_double(b, "ms_within", c->ms_within);
    impact_i_json_double(b, "df_between", c->df_between);
    impact_i_json_double(b, "df_within", c->df_within);
    impact_i_json_double(b, "mean_group_size", c->mean_size);
    impact_i_json_double(b, "design_effect", deff);
    impact_i_json_double(b, "design_effect_unequal", deff_unequal);
    impact_i_json_double(b, "n_effective", impact_agreement_effective_n(c->n, deff));
    impact_i_json_double(b, "n_effective_unequal", impact_agreement_effective_n(c->n, deff_unequal));
    double sum = 0.0;
    gsize cnt = 0, above = 0;
    for (gsize g = 0; g < lv->n; g++) {
        if ((all || status[g] == IMPACT_DISCLOSURE_PUBLISHED) && !isnan(lv->st[g].rwg_j)) {
            sum += lv->st[g].rwg_j;
            cnt++;
            above += lv->st[g].rwg_j >= acc->o.rwg_threshold;
        }
    }
    impact_i_json_int(b, "n_groups_rwg_j", (gint64) cnt);
    impact_i_json_double(b, "mean_rwg_j", cnt ? sum / (double) cnt : NAN);
    impact_i_json_double(b, "share_rwg_j_above", cnt ? (double) above / (double) cnt : NAN);
    /* the published groups: thousands of objects, built as JsonObjects
     * directly (the builder would copy every member name once more) with
     * the members, values and order of the impact_i_json_* helpers */
    guint n_published = 0;
    for (gsize g = 0; g < lv->n; g++) {
        n_published += status[g] == IMPACT_DISCLOSURE_PUBLISHED;
    }
    JsonArray *groups = json_array_sized_new(n_published);
    for (gsize g = 0; g < lv->n; g++) {
        if (status[g] != IMPACT_DISCLOSURE_PUBLISHED) {
            continue;
        }
        const GroupStats *st = &lv->st[g];
        JsonObject *o = json_object_new();
        obj_string(o, "group", names[g]);
        if (parents) {
            obj_string(o, "parent", parents[g]);
        }
        json_object_set_int_member(o, "n", (gint64) st->n);
        obj_double(o, "mean", st->mean);
        obj_double(o, "sd", st->sd);
        obj_double(o, "rwg_j", st->rwg_j);
        obj_double(o, "ad_mean", st->ad_mean);
        obj_double(o, "ad_median", st->ad_median);
        obj_double(o, "awg", st->awg);
        json_array_add_object_element(groups, o);
    }
    JsonNode *node = json_node_new(JSON_NODE_ARRAY);
    json_node_take_array(node, groups);
    json_builder_set_member_name(b, "groups");
    json_builder_add_value(b, node);
    json_builder_set_member_name(b, "suppressed");
    json_builder_begin_array(b);
    for (gsize g = 0; g < lv->n; g++) {
        if (status[g] == IMPACT_DISCLOSURE_PUBLISHED) {
            continue;
        }
        json_builder_begin_object(b);
        impact_i_json_string(b, "group", names[g]);
        if (parents) {
            if (parents[g]) {
                impact_i_json_string(b, "parent", parents[g]);
            } else {
                impact_i_json_null(b, "parent");
            }
        }
        impact_i_json_string(b, "reason", impact_disclosure_status_name(status[g]));
        if (n_shown[g]) {
            impact_i_json_int(b, "n", (gint64) lv->st[g].n);
        }
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
}

static gboolean
check_options(const ImpactAgreementOptions *o, GError **error)
{
    if (o == NULL) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "agreement needs options naming the group column");
        return FALSE;
    }
    if (o->version != IMPACT_AGREEMENT_OPTIONS_VERSION) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "agreement options: unknown version %u (expected %u)", o->version,
                    IMPACT_AGREEMENT_OPTIONS_VERSION);
        return FALSE;
    }
    if (o->group == NULL || *o->group == '\0') {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "agreement: the group column is required");
        return FALSE;
    }
    if (o->min_group < 1) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "agreement: the minimum group size must be at least 1");
        return FALSE;
    }
    if (o->within && strcmp(o->within, o->group) == 0) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "agreement: the within column '%s' is the group column", o->within);
        return FALSE;
    }
    if (o->missing != IMPACT_MISSING_LISTWISE && o->missing != IMPACT_MISSING_PAIRWISE) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "agreement: unknown missing-data policy %d", (int) o->missing);
        return FALSE;
    }
    if (!(o->rwg_threshold >= -1.0 && o->rwg_threshold <= 1.0)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "agreement: the rwg threshold must lie in [-1, 1], not %g", o->rwg_threshold);
        return FALSE;
    }
    return TRUE;
}

/* Null variance of every scale (NaN where the items' ranges differ). */
static gboolean
scale_nulls(double *null_var, gboolean *ranged, double *lo, double *hi,
            const ImpactAgreementAcc *acc, GError **error)
{
    for (gsize s = 0; s < acc->n_scales; s++) {
        ranged[s] = impact_codebook_scale_range(acc->cb, s, &lo[s], &hi[s]);
        null_var[s] = NAN;
        if (!ranged[s]) {
            continue;
        }
        GError *e = NULL;
        if (!impact_agreement_null_variance(&null_var[s], lo[s], hi[s], acc->o.null_distribution,
                                            &e)) {
            if (acc->o.null_distribution == IMPACT_NULL_UNIFORM) {
                /* a range not in whole steps: rwg undefined for this scale */
                g_error_free(e);
                null_var[s] = NAN;
                continue;
            }
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID, "scale '%s': %s",
                        impact_codebook_scale_name(acc->cb, s), e->message);
            g_error_free(e);
            return FALSE;
        }
    }
    return TRUE;
}

gboolean
impact_agreement_acc_result(ImpactResult **out, const ImpactAgreementAcc *acc, GError **error)
{
    g_return_val_if_fail(out != NULL && acc != NULL, FALSE);
    if (!check_options(&acc->o, error)) {
        return FALSE;
    }
    const gsize ns = acc->n_scales, ng = n_groups_of(acc);
    g_autofree double *null_var = g_new(double, MAX(ns, 1));
    g_autofree gboolean *ranged = g_new(gboolean, MAX(ns, 1));
    g_autofree double *lo = g_new(double, MAX(ns, 1));
    g_autofree double *hi = g_new(double, MAX(ns, 1));
    if (!scale_nulls(null_var, ranged, lo, hi, acc, error)) {
        return FALSE;
    }
    const gboolean within = acc->within_name != NULL;

    /* groups' blocks; with within, the parents' merged blocks */
    g_autofree const double **gblk = g_new(const double *, MAX(ng, 1));
    g_autofree GArray ***gext = g_new(GArray **, MAX(ng, 1));
    g_autofree const char **gnames = g_new(const char *, MAX(ng, 1));
    g_autofree const char **gparents = g_new0(const char *, MAX(ng, 1));
    g_autofree gint *gparent = g_new(gint, MAX(ng, 1));
    for (gsize g = 0; g < ng; g++) {
        gblk[g] = block_of(acc, g);
        gext[g] = g_ptr_array_index(acc->extra, g);
        gnames[g] = g_ptr_array_index(acc->gname, g);
        gparents[g] = g_ptr_array_index(acc->pname, g);
        gparent[g] = -1;
    }
    g_autoptr(ImpactAgreementAcc) pacc = NULL; /* parents as groups of a scratch acc */
    gsize np = 0;
    if (within) {
        ImpactAgreementOptions po = acc->o;
        po.within = NULL;
        pacc = impact_agreement_acc_new(acc->cb, &po);
        for (gsize g = 0; g < ng; g++) {
            if (gparents[g] == NULL) {
                continue;
            }
            gsize p = group_intern(pacc, NULL, gparents[g]);
            gparent[g] = (gint) p;
            block_merge(pacc, block_of(pacc, p), gblk[g], ns);
            GArray **e = gext[g];
            for (gsize i = 0; e && i < acc->n_items; i++) {
                if (e[i]) {
                    extra_append(pacc, p, i, (const double *) (void *) e[i]->data, e[i]->len);
                }
            }
        }
        np = n_groups_of(pacc);
    }
    g_autofree const double **pblk = g_new(const double *, MAX(np, 1));
    g_autofree GArray ***pext = g_new(GArray **, MAX(np, 1));
    g_autofree const char **pnames = g_new(const char *, MAX(np, 1));
    for (gsize p = 0; p < np; p++) {
        pblk[p] = block_of(pacc, p);
        pext[p] = g_ptr_array_index(pacc->extra, p);
        pnames[p] = g_ptr_array_index(pacc->gname, p);
    }

    /* disclosure units: parents 0..np-1, then groups */
    const gsize nu = np + ng;
    g_autofree double *un = g_new(double, MAX(nu, 1));
    g_autofree gint *upar = g_new(gint, MAX(nu, 1));
    g_autofree ImpactDisclosureStatus *ust = g_new(ImpactDisclosureStatus, MAX(nu, 1));
    g_autofree gboolean *ushown = g_new(gboolean, MAX(nu, 1));
    ImpactDisclosureOptions dopt = IMPACT_DISCLOSURE_OPTIONS_INIT;
    dopt.min_group = acc->o.min_group;
    dopt.total_published = TRUE;

    g_autoptr(GArray) scratch = g_array_new(FALSE, FALSE, sizeof(Pair));
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    impact_i_json_string(b, "group_column", acc->group_name);
    if (within) {
        impact_i_json_string(b, "within_column", acc->within_name);
    } else {
        impact_i_json_null(b, "within_column");
    }
    impact_i_json_int(b, "min_group", (gint64) acc->o.min_group);
    impact_i_json_string(b, "missing",
                         acc->o.missing == IMPACT_MISSING_LISTWISE ? "listwise" : "pairwise");
    impact_i_json_string(b, "null_distribution",
                         impact_null_distribution_name(acc->o.null_distribution));
    impact_i_json_bool(b, "lindell", acc->o.lindell);
    impact_i_json_double(b, "rwg_threshold", acc->o.rwg_threshold);
    impact_i_json_bool(b, "pool_all", acc->o.pool_all);
    json_builder_set_member_name(b, "scales");
    json_builder_begin_array(b);
    for (gsize s = 0; s < ns; s++) {
        Level gl, pl;
        memset(&pl, 0, sizeof pl);
        level_compute(&gl, acc, s, ng, gblk, gext, null_var[s], ranged[s], lo[s], hi[s],
                      scratch);
        if (within) {
            level_compute(&pl, acc, s, np, pblk, pext, null_var[s], ranged[s], lo[s], hi[s],
                          scratch);
        }
        for (gsize p = 0; p < np; p++) {
            un[p] = pl.st[p].n;
            upar[p] = -1;
        }
        for (gsize g = 0; g < ng; g++) {
            un[np + g] = gl.st[g].n;
            upar[np + g] = gparent[g];
        }
        /* cannot fail: the forest is well formed by construction */
        impact_disclosure_decide(ust, ushown, un, upar, nu, &dopt, NULL);

        json_builder_begin_object(b);
        impact_i_json_string(b, "scale", impact_codebook_scale_name(acc->cb, s));
        impact_i_json_string(b, "domain",
                             impact_domain_name(impact_codebook_scale_domain(acc->cb, s)));
        impact_i_json_int(b, "n_items", (gint64) impact_codebook_scale_n_items(acc->cb, s));
        impact_i_json_double(b, "null_variance", null_var[s]);
        json_level(b, acc, &gl, ust + np, ushown + np, gnames, within ? gparents : NULL);
        if (within) {
            json_builder_set_member_name(b, "parents");
            json_builder_begin_object(b);
            impact_i_json_string(b, "group_column", acc->within_name);
            json_level(b, acc, &pl, ust, ushown, pnames, NULL);
            json_builder_end_object(b);
        }
        json_builder_end_object(b);
        level_clear(&gl);
        level_clear(&pl);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    *out = impact_i_result_new(json_builder_get_root(b));
    return TRUE;
}

gboolean
impact_agreement(ImpactResult **out, const ImpactTable *responses, const ImpactCodebook *codebook,
                 const ImpactAgreementOptions *options, GError **error)
{
    g_return_val_if_fail(out != NULL && responses != NULL && codebook != NULL, FALSE);
    if (!check_options(options, error)) {
        return FALSE;
    }
    g_autoptr(ImpactAgreementAcc) acc = impact_agreement_acc_new(codebook, options);
    if (!impact_agreement_acc_add(acc, responses, error)) {
        return FALSE;
    }
    return impact_agreement_acc_result(out, acc, error);
}
