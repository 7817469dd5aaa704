/* change.c — change between waves per unit: pairing, arms, comparisons with
 * a control arm, reliable change, and the cluster bootstrap of every effect.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <math.h>
#include <string.h>
#include "impact-private.h"
#include "reliability-private.h"

#define NONE G_MAXUINT32

/* ---- a text or numeric column as level codes ----------------------------- */

typedef struct {
    const char *name;
    const guint32 *codes; /* n_rows codes, NONE = missing */
    guint32 *owned;       /* codes made from a numeric column */
    GPtrArray *labels;    /* char *, level strings (a reference, or the table's levels) */
    gboolean borrowed;    /* labels are the table's own levels array: not unreferenced */
} Factor;

static void
factor_clear(Factor *f)
{
    g_free(f->owned);
    if (f->labels && !f->borrowed) {
        g_ptr_array_unref(f->labels);
    }
    memset(f, 0, sizeof *f);
}

static gboolean
factor_init(Factor *f, const ImpactTable *t, const char *name, GError **error)
{
    gsize col;
    memset(f, 0, sizeof *f);
    if (!impact_table_lookup(t, name, &col, error)) {
        return FALSE;
    }
    f->name = name;
    gsize n = impact_table_n_rows(t);
    if (impact_table_column_type(t, col) == IMPACT_COLUMN_TEXT) {
        /* the table's codes and distinct levels, borrowed for the call (no
         * copy of 500,000 participant ids) */
        const ImpactColumn *c = g_ptr_array_index(t->columns, col);
        f->codes = c->codes;
        f->labels = c->levels;
        f->borrowed = TRUE;
        return TRUE;
    }
    f->labels = g_ptr_array_new_with_free_func(g_free);
    /* numeric: intern the values' shortest round-trip text */
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    f->owned = g_new(guint32, n);
    for (gsize i = 0; i < n; i++) {
        char *s = impact_table_cell_string(t, col, i);
        if (s == NULL) {
            f->owned[i] = NONE;
            continue;
        }
        gpointer v;
        if (g_hash_table_lookup_extended(seen, s, NULL, &v)) {
            f->owned[i] = GPOINTER_TO_UINT(v);
            g_free(s);
        } else {
            guint32 code = f->labels->len;
            g_ptr_array_add(f->labels, s);
            g_hash_table_insert(seen, s, GUINT_TO_POINTER(code));
            f->owned[i] = code;
        }
    }
    f->codes = f->owned;
    return TRUE;
}

static const char *
factor_label(const Factor *f, guint32 code)
{
    return code < f->labels->len ? g_ptr_array_index(f->labels, code) : "(missing)";
}

static guint32
factor_find(const Factor *f, const char *label)
{
    for (guint i = 0; i < f->labels->len; i++) {
        if (strcmp(g_ptr_array_index(f->labels, i), label) == 0) {
            return i;
        }
    }
    return NONE;
}

static char *
factor_list(const Factor *f)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < f->labels->len && i < 20; i++) {
        g_string_append_printf(s, "%s'%s'", i ? ", " : "", (char *) g_ptr_array_index(f->labels, i));
    }
    if (f->labels->len > 20) {
        g_string_append(s, ", ...");
    }
    if (f->labels->len == 0) {
        g_string_append(s, "none");
    }
    return g_string_free(s, FALSE);
}

/* ---- the bootstrap statistic --------------------------------------------- */

/* The pairs of one (analysis, arm) summed per cluster, centred at the
 * group's full-sample means so the one-pass sums stay accurate. */
typedef struct {
    gsize n;        /* clusters with pairs in this group */
    guint32 *cl;    /* compact cluster index */
    double *cnt, *sx, *sy, *sxx, *syy, *sxy;
    double cx, cy;  /* centring constants */
} Group;

enum {
    A_MEAN_CHANGE, A_D_Z, A_G_Z, A_D_RM, A_G_RM, A_D_AV, A_G_AV, A_D_B, A_G_B, N_ARM_STATS
};
enum { C_DID, C_D_PPC2, C_D_POST, C_G_POST, N_CTRL_STATS };
static const char *const ARM_STAT_NAMES[N_ARM_STATS] = {
    "mean_change", "d_z", "g_z", "d_rm", "g_rm", "d_av", "g_av", "d_b", "g_b"
};
static const char *const CTRL_STAT_NAMES[N_CTRL_STATS] = { "did", "d_ppc2", "d_post", "g_post" };

typedef struct {
    gsize n_analyses, n_arms, n_treated;
    Group *groups;          /* n_analyses × n_arms */
    gsize control;          /* arm index of the control, when n_treated > 0 */
    const gsize *treated;   /* arm indices */
    gsize per_analysis;     /* n_arms·N_ARM_STATS + n_treated·N_CTRL_STATS */
} BootData;

typedef struct {
    double n, mx, my, vx, vy, cov;
} Moments;

static void
group_moments(Moments *m, const Group *g, const double *w)
{
    double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (gsize i = 0; i < g->n; i++) {
        double wc = w[g->cl[i]];
        if (wc == 0.0) {
            continue;
        }
        n += wc * g->cnt[i];
        sx += wc * g->sx[i];
        sy += wc * g->sy[i];
        sxx += wc * g->sxx[i];
        syy += wc * g->syy[i];
        sxy += wc * g->sxy[i];
    }
    m->n = n;
    m->mx = n > 0 ? g->cx + sx / n : NAN;
    m->my = n > 0 ? g->cy + sy / n : NAN;
    if (n >= 2) {
        m->vx = MAX(sxx - sx * sx / n, 0.0) / (n - 1);
        m->vy = MAX(syy - sy * sy / n, 0.0) / (n - 1);
        m->cov = (sxy - sx * sy / n) / (n - 1);
    } else {
        m->vx = m->vy = m->cov = NAN;
    }
}

/* impact_stats_hedges_j() with the reentrant lgamma_r: lgamma() writes the
 * global signgam, a data race in the bootstrap's worker threads. */
static double
hedges_j_r(double df)
{
    int sign;
    if (!(df > 1.0)) {
        return NAN;
    }
    return exp(lgamma_r(df / 2.0, &sign) - log(sqrt(df / 2.0)) - lgamma_r((df - 1.0) / 2.0, &sign));
}

/* the point estimates of ImpactPairedEffect, without intervals */
static void
arm_points(double *o, const Moments *m)
{
    for (int k = 0; k < N_ARM_STATS; k++) {
        o[k] = NAN;
    }
    if (!(m->n >= 1)) {
        return;
    }
    double d = m->my - m->mx;
    o[A_MEAN_CHANGE] = d;
    if (!(m->n >= 2)) {
        return;
    }
    double j = hedges_j_r(m->n - 1);
    double vd = MAX(m->vx + m->vy - 2 * m->cov, 0.0);
    double r = m->vx > 0 && m->vy > 0 ? m->cov / sqrt(m->vx * m->vy) : NAN;
    if (vd > 0) {
        o[A_D_Z] = d / sqrt(vd);
        o[A_G_Z] = j * o[A_D_Z];
        double f = 2 * (1 - r);
        if (isfinite(f)) {
            o[A_D_RM] = d / (sqrt(vd) / sqrt(f));
            o[A_G_RM] = j * o[A_D_RM];
        }
    }
    double sav = sqrt((m->vx + m->vy) / 2);
    if (sav > 0) {
        o[A_D_AV] = d / sav;
        o[A_G_AV] = j * o[A_D_AV];
    }
    if (m->vx > 0) {
        o[A_D_B] = d / sqrt(m->vx);
        o[A_G_B] = j * o[A_D_B];
    }
}

static void
ctrl_points(double *o, const Moments *t, const Moments *c)
{
    for (int k = 0; k < N_CTRL_STATS; k++) {
        o[k] = NAN;
    }
    if (t->n >= 1 && c->n >= 1) {
        o[C_DID] = (t->my - t->mx) - (c->my - c->mx);
    }
    if (t->n >= 2 && c->n >= 2) {
        double N = t->n + c->n;
        double cp = 1 - 3 / (4 * (N - 2) - 1);
        double sp = sqrt(((t->n - 1) * t->vx + (c->n - 1) * c->vx) / (N - 2));
        if (sp > 0) {
            o[C_D_PPC2] = cp * o[C_DID] / sp;
        }
        double spy = sqrt(((t->n - 1) * t->vy + (c->n - 1) * c->vy) / (N - 2));
        if (spy > 0) {
            o[C_D_POST] = (t->my - c->my) / spy;
            o[C_G_POST] = hedges_j_r(N - 2) * o[C_D_POST];
        }
    }
}

static gboolean
boot_statistic(double *out, const double *w, gpointer user_data)
{
    const BootData *bd = user_data;
    Moments stack[16];
    Moments *m = bd->n_arms <= 16 ? stack : g_new(Moments, bd->n_arms);
    for (gsize a = 0; a < bd->n_analyses; a++) {
        double *o = out + a * bd->per_analysis;
        for (gsize k = 0; k < bd->n_arms; k++) {
            group_moments(&m[k], &bd->groups[a * bd->n_arms + k], w);
            arm_points(o + k * N_ARM_STATS, &m[k]);
        }
        double *oc = o + bd->n_arms * N_ARM_STATS;
        for (gsize t = 0; t < bd->n_treated; t++) {
            ctrl_points(oc + t * N_CTRL_STATS, &m[bd->treated[t]], &m[bd->control]);
        }
    }
    if (m != stack) {
        g_free(m);
    }
    return TRUE;
}

static void
group_clear(Group *g)
{
    g_free(g->cl);
    g_free(g->cnt);
    g_free(g->sx);
    g_free(g->sy);
    g_free(g->sxx);
    g_free(g->syy);
    g_free(g->sxy);
}

/* ---- the accumulator's state ---------------------------------------------- */

/* Interned label strings: code = position. The strings live in one
 * string chunk (500,000 unit ids are one allocation, not 500,000); the
 * hash index is made on the first lookup, so a single table added to an
 * empty accumulator (impact_change()) never hashes its unit ids. */
typedef struct {
    GPtrArray *labels;   /* const char * into store, or a table's levels (borrowed) */
    GStringChunk *store; /* owns the strings */
    GHashTable *index;   /* label (in store) → code + 1; NULL until a lookup needs it */
    gboolean borrowed;   /* labels is a table's own levels array (impact_change() only) */
} Labels;

static void
labels_init(Labels *l)
{
    l->labels = g_ptr_array_new();
    l->store = g_string_chunk_new(65536);
    l->index = NULL;
}

static void
labels_clear(Labels *l)
{
    if (l->index) {
        g_hash_table_unref(l->index);
    }
    if (l->labels && !l->borrowed) {
        g_ptr_array_unref(l->labels);
    }
    if (l->store) {
        g_string_chunk_free(l->store);
    }
    l->index = NULL;
    l->labels = NULL;
    l->store = NULL;
}

static guint32
labels_find(Labels *l, const char *s)
{
    if (l->labels->len == 0) {
        return NONE;
    }
    if (l->index == NULL) {
        l->index = g_hash_table_new(g_str_hash, g_str_equal);
        for (guint i = 0; i < l->labels->len; i++) {
            g_hash_table_insert(l->index, g_ptr_array_index(l->labels, i), GUINT_TO_POINTER(i + 1));
        }
    }
    gpointer v = g_hash_table_lookup(l->index, s);
    return v ? GPOINTER_TO_UINT(v) - 1 : NONE;
}

/* appends @s, which the caller knows is not a label yet */
static guint32
labels_append(Labels *l, const char *s)
{
    g_return_val_if_fail(!l->borrowed, NONE);
    char *c = g_string_chunk_insert(l->store, s);
    guint32 code = l->labels->len;
    g_ptr_array_add(l->labels, c);
    if (l->index) {
        g_hash_table_insert(l->index, c, GUINT_TO_POINTER(code + 1));
    }
    return code;
}

static guint32
labels_intern(Labels *l, const char *s)
{
    guint32 code = labels_find(l, s);
    return code == NONE ? labels_append(l, s) : code;
}

static const char *
labels_at(const Labels *l, guint32 code)
{
    return code < l->labels->len ? g_ptr_array_index(l->labels, code) : "(missing)";
}

/* The per-unit, per-wave sums behind impact_change(). Labels of the unit,
 * wave, arm and cluster columns are interned in order of first appearance
 * over the chunks in the order they were added or merged (within a chunk:
 * a text column's level order, a numeric column's first appearance), which
 * is the order of the level codes impact_change() used on one table. */
struct _ImpactChangeAcc {
    const ImpactCodebook *codebook;
    guint64 fingerprint;
    ImpactChangeOptions o;   /* strings point into str; scales resolved below */
    char *str[7];            /* unit, wave, pre, post, arm, control, cluster (owned) */
    GArray *scales;          /* gsize scale indices analysed */
    gboolean *scale_mask;    /* n_scales: analysed */
    char *source;            /* the first chunk's source name, for messages */
    guint64 rows;            /* rows added (row numbers in messages continue) */
    Labels unit, wave, arm, cluster;
    GArray *arm_order;       /* guint32 arm label codes, first appearance in analysed rows
                                (code 0 alone without an arm column) */
    GArray *u_arm;           /* per unit: guint32 arm code, NONE if in no analysed row */
    GArray *u_cluster;       /* per unit: guint32 cluster code (the unit without a column) */
    GArray *u_first;         /* per unit: guint64 0-based row of its first analysed row */
    GPtrArray *wsum, *wcnt;  /* per wave code: GArray of double [unit·S + k], or NULL */
    ImpactReliabilityAcc *rel; /* baseline rows; NULL with a given reliability */
};

/* ---- the analysis --------------------------------------------------------- */

typedef struct {
    /* inputs */
    const ImpactChangeOptions *o;
    Factor unit, wave, arm, cluster;
    gboolean has_arm, has_cluster;
    guint32 pre;
    GArray *posts;          /* guint32 wave codes */
    GArray *scales;         /* gsize scale indices */
    gsize n_units;
    guint32 *arm_of;        /* per unit: arm index (0 without arm), NONE if unseen */
    guint32 *cluster_of;    /* per unit: cluster code (unit code without cluster) */
    gsize n_arms;
    guint32 *arm_code;      /* arm index → arm level code */
    gsize control;          /* arm index of the control, NONE if none */
    GArray *treated;        /* gsize arm indices */
    /* per wave slot (0 pre, 1.. posts): the accumulator's sum and count
     * arrays [unit·S + k] (borrowed), NULL if the wave has no score */
    const double **sum;
    const double **cnt;
    double *reliability;    /* per scale */
    char **rel_source;      /* per scale, owned */
} Ctx;

static void
ctx_clear(Ctx *c)
{
    for (gsize k = 0; c->rel_source && k < c->scales->len; k++) {
        g_free(c->rel_source[k]);
    }
    g_free(c->rel_source);
    factor_clear(&c->unit);
    factor_clear(&c->wave);
    factor_clear(&c->arm);
    factor_clear(&c->cluster);
    if (c->posts) {
        g_array_unref(c->posts);
    }
    if (c->scales) {
        g_array_unref(c->scales);
    }
    if (c->treated) {
        g_array_unref(c->treated);
    }
    g_free(c->arm_of);
    g_free(c->cluster_of);
    g_free(c->arm_code);
    g_free((gpointer) c->sum);
    g_free((gpointer) c->cnt);
    g_free(c->reliability);
}

static gboolean
check_options(const ImpactChangeOptions *o, const ImpactCodebook *cb, GArray *scales,
              GError **error)
{
    if (o->version != 1) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "change: unknown options version %u (expected 1)", o->version);
        return FALSE;
    }
    const char *missing = !o->unit || !*o->unit   ? "unit"
                          : !o->wave || !*o->wave ? "wave"
                          : !o->pre || !*o->pre   ? "pre"
                                                  : NULL;
    if (missing) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "change: the %s option is required", missing);
        return FALSE;
    }
    if (o->control && !o->arm) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "change: a control arm ('%s') needs an arm column", o->control);
        return FALSE;
    }
    if (o->post && strcmp(o->post, o->pre) == 0) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "change: the follow-up wave '%s' is the baseline wave", o->post);
        return FALSE;
    }
    if (!(o->level > 0 && o->level < 1)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "change: confidence level %g is not between 0 and 1", o->level);
        return FALSE;
    }
    if (!isnan(o->reliability) && !(o->reliability >= 0 && o->reliability < 1)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "change: reliability %g is not in [0, 1)", o->reliability);
        return FALSE;
    }
    if (o->rho != IMPACT_RHO_POOLED_ROWS && o->rho != IMPACT_RHO_WITHIN_ARM) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "change: unknown rho method %d", (int) o->rho);
        return FALSE;
    }
    if (o->scales) {
        for (const char *const *s = o->scales; *s; s++) {
            gssize idx = impact_codebook_scale_index(cb, *s);
            if (idx < 0) {
                g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                            "change: no scale '%s' in the codebook", *s);
                return FALSE;
            }
            gsize u = (gsize) idx;
            g_array_append_val(scales, u);
        }
    } else {
        for (gsize s = 0; s < impact_codebook_n_scales(cb); s++) {
            g_array_append_val(scales, s);
        }
    }
    return TRUE;
}

static gboolean
setup_waves(Ctx *c, const char *source, GError **error)
{
    const ImpactChangeOptions *o = c->o;
    c->pre = factor_find(&c->wave, o->pre);
    g_autofree char *list = factor_list(&c->wave);
    if (c->pre == NONE) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                    "%s: baseline wave '%s' not found in column '%s' (waves are: %s)",
                    source, o->pre, o->wave, list);
        return FALSE;
    }
    c->posts = g_array_new(FALSE, FALSE, sizeof(guint32));
    if (o->post) {
        guint32 p = factor_find(&c->wave, o->post);
        if (p == NONE) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                        "%s: follow-up wave '%s' not found in column '%s' (waves are: %s)",
                        source, o->post, o->wave, list);
            return FALSE;
        }
        g_array_append_val(c->posts, p);
    } else {
        for (guint32 w = 0; w < c->wave.labels->len; w++) {
            if (w != c->pre) {
                g_array_append_val(c->posts, w);
            }
        }
    }
    if (c->posts->len == 0) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INSUFFICIENT,
                    "%s: column '%s' has only the baseline wave '%s': no follow-up to compare",
                    source, o->wave, o->pre);
        return FALSE;
    }
    return TRUE;
}

/* per unit: its arm index and cluster, from the accumulator; the control
 * and treated arms */
static gboolean
setup_arms(Ctx *c, const ImpactChangeAcc *acc, const char *source, GError **error)
{
    const ImpactChangeOptions *o = c->o;
    c->n_units = acc->unit.labels->len;
    c->n_arms = acc->arm_order->len;
    c->arm_code = g_new(guint32, MAX(c->n_arms, 1));
    gsize n_arm_ids = c->has_arm ? acc->arm.labels->len : 1;
    g_autofree guint32 *arm_index = g_new(guint32, MAX(n_arm_ids, 1));
    for (gsize a = 0; a < n_arm_ids; a++) {
        arm_index[a] = NONE;
    }
    for (gsize a = 0; a < c->n_arms; a++) {
        c->arm_code[a] = g_array_index(acc->arm_order, guint32, a);
        arm_index[c->arm_code[a]] = (guint32) a;
    }
    c->arm_of = g_new(guint32, MAX(c->n_units, 1));
    c->cluster_of = g_new(guint32, MAX(c->n_units, 1));
    for (gsize u = 0; u < c->n_units; u++) {
        guint32 a = g_array_index(acc->u_arm, guint32, u);
        c->arm_of[u] = a == NONE ? NONE : arm_index[a];
        c->cluster_of[u] = a == NONE ? NONE : g_array_index(acc->u_cluster, guint32, u);
    }
    if (c->n_arms == 0) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INSUFFICIENT,
                    "%s: no row has a unit in column '%s' and the wave '%s' or a follow-up "
                    "wave in column '%s'",
                    source, o->unit, o->pre, o->wave);
        return FALSE;
    }
    /* clusters must not span arms: resampling is within arm */
    if (c->has_cluster && c->has_arm) {
        g_autofree guint32 *cl_arm = g_new(guint32, c->cluster.labels->len);
        g_autofree gsize *cl_unit = g_new(gsize, c->cluster.labels->len);
        for (gsize k = 0; k < c->cluster.labels->len; k++) {
            cl_arm[k] = NONE;
        }
        for (gsize u = 0; u < c->n_units; u++) {
            guint32 cl = c->cluster_of[u];
            if (c->arm_of[u] == NONE) {
                continue;
            }
            if (cl_arm[cl] == NONE) {
                cl_arm[cl] = c->arm_of[u];
                cl_unit[cl] = u;
            } else if (cl_arm[cl] != c->arm_of[u]) {
                g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                            "%s: cluster '%s' holds unit '%s' of arm '%s' and unit '%s' of arm "
                            "'%s': clusters are resampled within arms, so a cluster must lie "
                            "in one arm",
                            source, factor_label(&c->cluster, cl),
                            factor_label(&c->unit, (guint32) cl_unit[cl]),
                            factor_label(&c->arm, c->arm_code[cl_arm[cl]]),
                            factor_label(&c->unit, (guint32) u),
                            factor_label(&c->arm, c->arm_code[c->arm_of[u]]));
                return FALSE;
            }
        }
    }
    /* the control arm and the treated arms */
    c->control = NONE;
    c->treated = g_array_new(FALSE, FALSE, sizeof(gsize));
    if (o->control) {
        guint32 code = factor_find(&c->arm, o->control);
        for (gsize a = 0; a < c->n_arms && code != NONE; a++) {
            if (c->arm_code[a] == code) {
                c->control = a;
            }
        }
        if (c->control == NONE) {
            g_autofree char *list = factor_list(&c->arm);
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                        "%s: control arm '%s' has no unit in the analysed waves of column "
                        "'%s' (arms are: %s)",
                        source, o->control, o->arm, list);
            return FALSE;
        }
        for (gsize a = 0; a < c->n_arms; a++) {
            if (a != c->control) {
                g_array_append_val(c->treated, a);
            }
        }
    }
    return TRUE;
}

static const char *
arm_name(const Ctx *c, gsize a)
{
    return c->has_arm ? factor_label(&c->arm, c->arm_code[a]) : "all";
}

/* Per wave slot: the accumulator's per-wave sum and count arrays, read in
 * place (no copy). */
static void
setup_sums(Ctx *c, const ImpactChangeAcc *acc)
{
    gsize W = c->posts->len + 1;
    c->sum = g_new0(const double *, W);
    c->cnt = g_new0(const double *, W);
    for (gsize w = 0; w < W; w++) {
        guint32 code = w == 0 ? c->pre : g_array_index(c->posts, guint32, w - 1);
        GArray *ws = code < acc->wsum->len ? g_ptr_array_index(acc->wsum, code) : NULL;
        GArray *wc = code < acc->wcnt->len ? g_ptr_array_index(acc->wcnt, code) : NULL;
        if (ws != NULL) {
            c->sum[w] = (const double *) ws->data;
            c->cnt[w] = (const double *) wc->data;
        }
    }
}

/* r_xx per scale: given, or raw alpha (pairwise, as psych::alpha) on the
 * baseline rows, from the reliability module's accumulator. */
static gboolean
setup_reliability(Ctx *c, const ImpactChangeAcc *acc, GError **error)
{
    gsize S = c->scales->len;
    c->reliability = g_new(double, MAX(S, 1));
    c->rel_source = g_new0(char *, MAX(S, 1));
    for (gsize k = 0; k < S; k++) {
        if (!isnan(c->o->reliability)) {
            c->reliability[k] = c->o->reliability;
            c->rel_source[k] = g_strdup("given");
            continue;
        }
        gsize s = g_array_index(c->scales, gsize, k);
        double alpha = NAN;
        GError *e = NULL;
        if (impact_reliability_acc_scale_alpha(&alpha, acc->rel, s, &e)) {
            c->reliability[k] = alpha;
            c->rel_source[k] = g_strdup("raw alpha at baseline");
        } else if (e->domain == IMPACT_ERROR && e->code == IMPACT_ERROR_INSUFFICIENT) {
            c->reliability[k] = NAN;
            c->rel_source[k] = g_strdup_printf("raw alpha at baseline undefined: %s", e->message);
            g_error_free(e);
        } else {
            g_propagate_error(error, e);
            return FALSE;
        }
    }
    return TRUE;
}

/* The scores of the units of arm @a paired in analysis (k, p). */
typedef struct {
    gsize n;             /* pairs */
    double *pre, *post;  /* n scores */
    guint32 *units;      /* n unit codes; only with a bootstrap (NULL without) */
    gsize pre_only, post_only;
} Pairs;

/* Arrays with room for every unit (pages past the pairs found are never
 * touched); unit codes only with a bootstrap. */
static void
pairs_alloc(Pairs *pr, gsize n_units, gboolean units)
{
    pr->pre = g_new(double, MAX(n_units, 1));
    pr->post = g_new(double, MAX(n_units, 1));
    pr->units = units ? g_new(guint32, MAX(n_units, 1)) : NULL;
    pr->n = 0;
}

/* Fills @pr (made by pairs_alloc()) in one pass over the units. */
static void
collect_pairs(Pairs *pr, const Ctx *c, gsize k, gsize p, gsize a)
{
    gsize S = c->scales->len, U = c->n_units;
    const double *s0 = c->sum[0], *n0s = c->cnt[0], *s1 = c->sum[1 + p], *n1s = c->cnt[1 + p];
    pr->n = pr->pre_only = pr->post_only = 0;
    for (guint32 u = 0; u < U; u++) {
        if (c->arm_of[u] != a) {
            continue;
        }
        gsize idx = (gsize) u * S + k;
        double n0 = s0 ? n0s[idx] : 0, n1 = s1 ? n1s[idx] : 0;
        if (n0 > 0 && n1 > 0) {
            pr->pre[pr->n] = s0[idx] / n0;
            pr->post[pr->n] = s1[idx] / n1;
            if (pr->units) {
                pr->units[pr->n] = u;
            }
            pr->n++;
        } else if (n0 > 0) {
            pr->pre_only++;
        } else if (n1 > 0) {
            pr->post_only++;
        }
    }
}

/* Cuts the arrays of @pr to its pairs (kept for the bootstrap). */
static void
pairs_shrink(Pairs *pr)
{
    pr->pre = g_renew(double, pr->pre, MAX(pr->n, 1));
    pr->post = g_renew(double, pr->post, MAX(pr->n, 1));
    if (pr->units) {
        pr->units = g_renew(guint32, pr->units, MAX(pr->n, 1));
    }
}

static void
pairs_clear(Pairs *pr)
{
    g_free(pr->pre);
    g_free(pr->post);
    g_free(pr->units);
}

/* Builds the per-cluster sums of one group; @slot maps compact cluster →
 * position in the group (scratch of n_clusters entries, all NONE). */
static void
build_group(Group *g, const Pairs *pr, const guint32 *compact, guint32 *slot)
{
    gsize n = pr->n;
    const double *x = pr->pre, *y = pr->post;
    double cx = 0, cy = 0;
    for (gsize i = 0; i < n; i++) {
        cx += x[i];
        cy += y[i];
    }
    g->cx = n ? cx / (double) n : 0;
    g->cy = n ? cy / (double) n : 0;
    g->cl = g_new(guint32, MAX(n, 1));
    g->cnt = g_new0(double, MAX(n, 1));
    g->sx = g_new0(double, MAX(n, 1));
    g->sy = g_new0(double, MAX(n, 1));
    g->sxx = g_new0(double, MAX(n, 1));
    g->syy = g_new0(double, MAX(n, 1));
    g->sxy = g_new0(double, MAX(n, 1));
    g->n = 0;
    for (gsize i = 0; i < n; i++) {
        guint32 cl = compact[pr->units[i]];
        if (slot[cl] == NONE) {
            slot[cl] = (guint32) g->n;
            g->cl[g->n++] = cl;
        }
        gsize s = slot[cl];
        double a = x[i] - g->cx, b = y[i] - g->cy;
        g->cnt[s] += 1;
        g->sx[s] += a;
        g->sy[s] += b;
        g->sxx[s] += a * a;
        g->syy[s] += b * b;
        g->sxy[s] += a * b;
    }
    for (gsize i = 0; i < g->n; i++) {
        slot[g->cl[i]] = NONE;
    }
}

static void
json_boot(JsonBuilder *jb, const ImpactBootstrap *b, gsize first, const char *const *names,
          gsize n_names)
{
    json_builder_set_member_name(jb, "bootstrap");
    json_builder_begin_array(jb);
    for (gsize k = 0; b && k < n_names; k++) {
        double lo, hi;
        json_builder_begin_object(jb);
        impact_i_json_string(jb, "effect", names[k]);
        impact_i_json_double(jb, "estimate", impact_bootstrap_estimate(b, first + k));
        impact_i_json_double(jb, "se", impact_bootstrap_se(b, first + k));
        impact_i_json_int(jb, "n_valid", (gint64) impact_bootstrap_n_valid(b, first + k));
        impact_bootstrap_percentile_ci(b, first + k, &lo, &hi);
        impact_i_json_pair(jb, "percentile_ci", lo, hi);
        impact_bootstrap_bca_ci(b, first + k, &lo, &hi);
        impact_i_json_pair(jb, "bca_ci", lo, hi);
        json_builder_end_object(jb);
    }
    json_builder_end_array(jb);
}

static void
json_arm(JsonBuilder *jb, const Ctx *c, gsize k, gsize a, const Pairs *pr,
         const ImpactPairedEffect *e, const ImpactBootstrap *b, gsize first)
{
    json_builder_begin_object(jb);
    impact_i_json_string(jb, "arm", arm_name(c, a));
    impact_i_json_int(jb, "n_pairs", (gint64) pr->n);
    impact_i_json_int(jb, "n_pre_only", (gint64) pr->pre_only);
    impact_i_json_int(jb, "n_post_only", (gint64) pr->post_only);
    impact_i_json_double(jb, "mean_pre", e->mean_pre);
    impact_i_json_double(jb, "sd_pre", e->sd_pre);
    impact_i_json_double(jb, "mean_post", e->mean_post);
    impact_i_json_double(jb, "sd_post", e->sd_post);
    impact_i_json_double(jb, "mean_change", e->mean_change);
    impact_i_json_pair(jb, "mean_change_ci", e->change_lo, e->change_hi);
    impact_i_json_double(jb, "sd_change", e->sd_change);
    impact_i_json_double(jb, "r", e->r);
    impact_i_json_double(jb, "t", e->t);
    if (isnan(e->df)) {
        impact_i_json_null(jb, "df");
    } else {
        impact_i_json_int(jb, "df", (gint64) e->df);
    }
    impact_i_json_double(jb, "p", e->p);
    impact_i_json_double(jb, "hedges_j", e->j);
    impact_i_json_double(jb, "d_z", e->d_z);
    impact_i_json_pair(jb, "d_z_ci", e->d_z_lo, e->d_z_hi);
    impact_i_json_double(jb, "g_z", e->g_z);
    impact_i_json_pair(jb, "g_z_ci", e->g_z_lo, e->g_z_hi);
    impact_i_json_double(jb, "d_rm", e->d_rm);
    impact_i_json_pair(jb, "d_rm_ci", e->d_rm_lo, e->d_rm_hi);
    impact_i_json_double(jb, "g_rm", e->g_rm);
    impact_i_json_pair(jb, "g_rm_ci", e->g_rm_lo, e->g_rm_hi);
    impact_i_json_double(jb, "d_av", e->d_av);
    impact_i_json_pair(jb, "d_av_ci", e->d_av_lo, e->d_av_hi);
    impact_i_json_double(jb, "g_av", e->g_av);
    impact_i_json_pair(jb, "g_av_ci", e->g_av_lo, e->g_av_hi);
    impact_i_json_double(jb, "d_b", e->d_b);
    impact_i_json_pair(jb, "d_b_ci", e->d_b_lo, e->d_b_hi);
    impact_i_json_double(jb, "g_b", e->g_b);
    impact_i_json_pair(jb, "g_b_ci", e->g_b_lo, e->g_b_hi);

    ImpactRci rci;
    gboolean ok = impact_effect_rci(&rci, NULL, pr->pre, pr->post, pr->n, e->sd_pre,
                                    c->reliability[k]);
    if (ok) {
        impact_i_json_int(jb, "rci_improved", (gint64) rci.improved);
        impact_i_json_int(jb, "rci_unchanged", (gint64) rci.unchanged);
        impact_i_json_int(jb, "rci_deteriorated", (gint64) rci.deteriorated);
    } else {
        impact_i_json_null(jb, "rci_improved");
        impact_i_json_null(jb, "rci_unchanged");
        impact_i_json_null(jb, "rci_deteriorated");
    }
    json_builder_set_member_name(jb, "rci");
    json_builder_begin_object(jb);
    impact_i_json_double(jb, "reliability", c->reliability[k]);
    impact_i_json_double(jb, "s_diff", rci.s_diff);
    impact_i_json_double(jb, "criterion", 1.96);
    if (ok) {
        double nn = (double) rci.n;
        impact_i_json_int(jb, "n", (gint64) rci.n);
        impact_i_json_int(jb, "improved", (gint64) rci.improved);
        impact_i_json_int(jb, "unchanged", (gint64) rci.unchanged);
        impact_i_json_int(jb, "deteriorated", (gint64) rci.deteriorated);
        impact_i_json_double(jb, "share_improved", rci.n ? rci.improved / nn : NAN);
        impact_i_json_double(jb, "share_unchanged", rci.n ? rci.unchanged / nn : NAN);
        impact_i_json_double(jb, "share_deteriorated", rci.n ? rci.deteriorated / nn : NAN);
    } else {
        impact_i_json_int(jb, "n", 0);
        impact_i_json_null(jb, "improved");
        impact_i_json_null(jb, "unchanged");
        impact_i_json_null(jb, "deteriorated");
        impact_i_json_null(jb, "share_improved");
        impact_i_json_null(jb, "share_unchanged");
        impact_i_json_null(jb, "share_deteriorated");
    }
    json_builder_end_object(jb);
    if (b) {
        json_boot(jb, b, first, ARM_STAT_NAMES, N_ARM_STATS);
    }
    json_builder_end_object(jb);
}

/* pooled-row or within-arm pre–post correlation of two arms' pairs */
static double
pooled_rho(const Pairs *t, const Pairs *c, ImpactRhoMethod method)
{
    const Pairs *arms[2] = { t, c };
    if (method == IMPACT_RHO_POOLED_ROWS) {
        gsize n = t->n + c->n;
        g_autofree double *x = g_new(double, MAX(n, 1));
        g_autofree double *y = g_new(double, MAX(n, 1));
        gsize k = 0;
        for (int a = 0; a < 2; a++) {
            for (gsize i = 0; i < arms[a]->n; i++, k++) {
                x[k] = arms[a]->pre[i];
                y[k] = arms[a]->post[i];
            }
        }
        ImpactPairedEffect e;
        impact_effect_paired(&e, x, y, n, 0.95);
        return e.r;
    }
    double sxx = 0, syy = 0, sxy = 0;
    for (int a = 0; a < 2; a++) {
        gsize n = arms[a]->n;
        const double *x = arms[a]->pre;
        const double *y = arms[a]->post;
        double mx, my;
        impact_stats_mean_var(x, n, &mx, NULL, NULL);
        impact_stats_mean_var(y, n, &my, NULL, NULL);
        for (gsize i = 0; i < n; i++) {
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
            sxy += (x[i] - mx) * (y[i] - my);
        }
    }
    return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : NAN;
}

static void
json_controlled(JsonBuilder *jb, const Ctx *c, gsize t, const Pairs *pt, const Pairs *pc,
                const ImpactPairedEffect *et, const ImpactPairedEffect *ec,
                const ImpactBootstrap *b, gsize first)
{
    double level = c->o->level;
    json_builder_begin_object(jb);
    impact_i_json_string(jb, "treated", arm_name(c, t));
    impact_i_json_string(jb, "control", arm_name(c, c->control));
    impact_i_json_int(jb, "n_treated", (gint64) pt->n);
    impact_i_json_int(jb, "n_control", (gint64) pc->n);
    ImpactDid did;
    impact_effect_did(&did, et->n, et->mean_change, et->sd_change, ec->n, ec->mean_change,
                      ec->sd_change, level);
    impact_i_json_double(jb, "did", did.did);
    impact_i_json_double(jb, "did_se", did.se);
    impact_i_json_double(jb, "did_df", did.df);
    impact_i_json_double(jb, "did_t", did.t);
    impact_i_json_double(jb, "did_p", did.p);
    impact_i_json_pair(jb, "did_ci", did.lo, did.hi);
    double rho = pooled_rho(pt, pc, c->o->rho);
    ImpactPpc2 m;
    impact_effect_ppc2(&m, et->n, et->mean_pre, et->mean_post, et->sd_pre, ec->n, ec->mean_pre,
                       ec->mean_post, ec->sd_pre, rho, level);
    impact_i_json_double(jb, "rho", rho);
    impact_i_json_string(jb, "rho_method",
                         c->o->rho == IMPACT_RHO_POOLED_ROWS ? "pooled_rows" : "within_arm");
    impact_i_json_double(jb, "d_ppc2", m.d);
    impact_i_json_double(jb, "d_ppc2_cp", m.cp);
    /* the same with the exact J(n_T + n_C − 2) in place of Morris's c_p */
    impact_i_json_double(jb, "d_ppc2_exact_j",
                         m.d / m.cp * impact_stats_hedges_j(et->n + ec->n - 2.0));
    impact_i_json_double(jb, "d_ppc2_var", m.var);
    impact_i_json_pair(jb, "d_ppc2_ci", m.lo, m.hi);
    ImpactIndependentEffect ind;
    impact_effect_independent(&ind, pt->post, pt->n, pc->post, pc->n, level);
    impact_i_json_double(jb, "d_post", ind.d);
    impact_i_json_pair(jb, "d_post_ci", ind.d_lo, ind.d_hi);
    impact_i_json_double(jb, "g_post", ind.g);
    impact_i_json_pair(jb, "g_post_ci", ind.g_lo, ind.g_hi);
    if (b) {
        json_boot(jb, b, first, CTRL_STAT_NAMES, N_CTRL_STATS);
    }
    json_builder_end_object(jb);
}

/* Runs the bootstrap of every effect of every analysis; *out NULL when
 * options->bootstrap is 0 or no unit is paired. */
static gboolean
run_bootstrap(ImpactBootstrap **out, gsize *out_clusters, Ctx *c, Pairs *pairs, GError **error)
{
    *out = NULL;
    *out_clusters = 0;
    if (c->o->bootstrap == 0) {
        return TRUE;
    }
    gsize S = c->scales->len, P = c->posts->len, A = c->n_arms, n_an = S * P;
    /* compact clusters: those with a pair in any analysis */
    gsize n_cl_codes = c->has_cluster ? c->cluster.labels->len : c->n_units;
    g_autofree guint32 *compact = g_new(guint32, MAX(n_cl_codes, 1));
    g_autofree guint32 *unit_compact = g_new(guint32, MAX(c->n_units, 1));
    for (gsize i = 0; i < n_cl_codes; i++) {
        compact[i] = NONE;
    }
    GArray *strata = g_array_new(FALSE, FALSE, sizeof(guint32));
    for (gsize g = 0; g < n_an * A; g++) {
        for (gsize i = 0; i < pairs[g].n; i++) {
            guint32 u = pairs[g].units[i];
            guint32 cl = c->cluster_of[u];
            if (compact[cl] == NONE) {
                compact[cl] = strata->len;
                guint32 arm = c->arm_of[u];
                g_array_append_val(strata, arm);
            }
        }
    }
    gsize G = strata->len;
    if (G == 0) {
        g_array_unref(strata);
        return TRUE;
    }
    for (gsize u = 0; u < c->n_units; u++) {
        unit_compact[u] = c->cluster_of[u] == NONE ? NONE : compact[c->cluster_of[u]];
    }
    BootData bd = { 0 };
    bd.n_analyses = n_an;
    bd.n_arms = A;
    bd.n_treated = c->treated->len;
    bd.control = c->control;
    bd.treated = (const gsize *) c->treated->data;
    bd.per_analysis = A * N_ARM_STATS + bd.n_treated * N_CTRL_STATS;
    bd.groups = g_new0(Group, n_an * A);
    g_autofree guint32 *slot = g_new(guint32, G);
    for (gsize i = 0; i < G; i++) {
        slot[i] = NONE;
    }
    for (gsize g = 0; g < n_an * A; g++) {
        build_group(&bd.groups[g], &pairs[g], unit_compact, slot);
    }
    ImpactBootstrapOptions bo = IMPACT_BOOTSTRAP_OPTIONS_INIT;
    bo.replicates = c->o->bootstrap;
    bo.seed = c->o->seed;
    bo.threads = c->o->threads;
    bo.level = c->o->level;
    bo.progress = c->o->progress;
    bo.progress_data = c->o->progress_data;
    gboolean ok = impact_bootstrap_run(out, G, c->has_arm ? (const guint32 *) strata->data : NULL,
                                       boot_statistic, &bd, n_an * bd.per_analysis, &bo, error);
    for (gsize g = 0; g < n_an * A; g++) {
        group_clear(&bd.groups[g]);
    }
    g_free(bd.groups);
    g_array_unref(strata);
    *out_clusters = G;
    return ok;
}

static void
json_header(JsonBuilder *jb, const Ctx *c, const ImpactBootstrap *b, gsize n_clusters)
{
    const ImpactChangeOptions *o = c->o;
    impact_i_json_string(jb, "unit", o->unit);
    impact_i_json_string(jb, "wave", o->wave);
    impact_i_json_string(jb, "pre", o->pre);
    json_builder_set_member_name(jb, "posts");
    json_builder_begin_array(jb);
    for (guint p = 0; p < c->posts->len; p++) {
        impact_i_json_string(jb, NULL, factor_label(&c->wave, g_array_index(c->posts, guint32, p)));
    }
    json_builder_end_array(jb);
    impact_i_json_string(jb, "arm", o->arm);
    impact_i_json_string(jb, "control", o->control);
    impact_i_json_string(jb, "cluster", o->cluster);
    impact_i_json_double(jb, "level", o->level);
    impact_i_json_string(jb, "rho_method",
                         o->rho == IMPACT_RHO_POOLED_ROWS ? "pooled_rows" : "within_arm");
    json_builder_set_member_name(jb, "ci_methods");
    json_builder_begin_object(jb);
    impact_i_json_string(jb, "mean_change", "paired t (t.test paired)");
    impact_i_json_string(jb, "d_z", "noncentral t (effectsize::cohens_d paired)");
    impact_i_json_string(jb, "d_rm", "normal approximation (effectsize::rm_d)");
    impact_i_json_string(jb, "d_av", "normal approximation (effectsize::rm_d)");
    impact_i_json_string(jb, "d_b", "normal approximation (effectsize::rm_d)");
    impact_i_json_string(jb, "g", "the d interval times the exact J(df)");
    impact_i_json_string(jb, "did", "Welch t");
    impact_i_json_string(jb, "d_ppc2", "normal, Morris (2008) eq. 25 variance");
    impact_i_json_string(jb, "d_post", "noncentral t (effectsize::cohens_d)");
    impact_i_json_string(jb, "bootstrap", "cluster bootstrap within arm: percentile and BCa");
    json_builder_end_object(jb);
    json_builder_set_member_name(jb, "bootstrap");
    if (b) {
        json_builder_begin_object(jb);
        impact_i_json_int(jb, "replicates", impact_bootstrap_n_replicates(b));
        if (o->seed <= (guint64) G_MAXINT64) {
            impact_i_json_int(jb, "seed", (gint64) o->seed);
        } else {
            g_autofree char *s = g_strdup_printf("%" G_GUINT64_FORMAT, o->seed);
            impact_i_json_string(jb, "seed", s);
        }
        impact_i_json_int(jb, "clusters", (gint64) n_clusters);
        impact_i_json_string(jb, "cluster_column", o->cluster ? o->cluster : o->unit);
        impact_i_json_string(jb, "strata", o->arm);
        json_builder_end_object(jb);
    } else {
        json_builder_add_null_value(jb);
    }
    gsize seen = 0;
    for (gsize u = 0; u < c->n_units; u++) {
        seen += c->arm_of[u] != NONE;
    }
    impact_i_json_int(jb, "n_units", (gint64) seen);
}

gboolean
impact_change_acc_result(ImpactResult **out, const ImpactChangeAcc *acc, GError **error)
{
    const ImpactCodebook *codebook = acc->codebook;
    const char *source = acc->source ? acc->source : "(no data)";
    Ctx c = { 0 };
    c.o = &acc->o;
    c.scales = g_array_ref(acc->scales);
    c.has_arm = acc->o.arm != NULL;
    c.has_cluster = acc->o.cluster != NULL;
    const Labels *from[4] = { &acc->unit, &acc->wave, &acc->arm, &acc->cluster };
    Factor *to[4] = { &c.unit, &c.wave, &c.arm, &c.cluster };
    const char *names[4] = { acc->o.unit, acc->o.wave, acc->o.arm, acc->o.cluster };
    for (int q = 0; q < 4; q++) {
        to[q]->name = names[q];
        to[q]->labels = from[q]->labels; /* the accumulator's, for this call */
        to[q]->borrowed = TRUE;
    }
    gboolean ok = setup_waves(&c, source, error) && setup_arms(&c, acc, source, error) &&
                  setup_reliability(&c, acc, error);
    if (!ok) {
        ctx_clear(&c);
        return FALSE;
    }
    setup_sums(&c, acc);

    /* The pairs of every analysis and arm. The bootstrap resamples them all
     * at once, so with one they are all collected first; without, each
     * analysis collects its arms' pairs just before its results, into the
     * same arrays (the same numbers, a quarter of the memory at 4 scales). */
    gsize S = c.scales->len, P = c.posts->len, A = c.n_arms;
    gboolean keep_all = c.o->bootstrap > 0;
    gsize n_pairs_sets = keep_all ? S * P * A : A;
    Pairs *pairs = g_new0(Pairs, MAX(n_pairs_sets, 1));
    for (gsize a = 0; a < A && !keep_all; a++) {
        pairs_alloc(&pairs[a], c.n_units, FALSE);
    }
    for (gsize k = 0; k < S && keep_all; k++) {
        for (gsize p = 0; p < P; p++) {
            for (gsize a = 0; a < A; a++) {
                Pairs *pr = &pairs[(k * P + p) * A + a];
                pairs_alloc(pr, c.n_units, TRUE);
                collect_pairs(pr, &c, k, p, a);
                pairs_shrink(pr);
            }
        }
    }
    ImpactBootstrap *boot = NULL;
    gsize n_clusters = 0;
    if (!run_bootstrap(&boot, &n_clusters, &c, pairs, error)) {
        for (gsize g = 0; g < n_pairs_sets; g++) {
            pairs_clear(&pairs[g]);
        }
        g_free(pairs);
        ctx_clear(&c);
        return FALSE;
    }

    g_autoptr(JsonBuilder) jb = json_builder_new();
    json_builder_begin_object(jb);
    json_header(jb, &c, boot, n_clusters);
    gsize per_analysis = A * N_ARM_STATS + c.treated->len * N_CTRL_STATS;
    json_builder_set_member_name(jb, "scales");
    json_builder_begin_array(jb);
    ImpactPairedEffect *eff = g_new(ImpactPairedEffect, MAX(A, 1));
    for (gsize k = 0; k < S; k++) {
        gsize s = g_array_index(c.scales, gsize, k);
        for (gsize p = 0; p < P; p++) {
            gsize an = k * P + p;
            Pairs *pr = keep_all ? &pairs[an * A] : pairs;
            for (gsize a = 0; a < A && !keep_all; a++) {
                collect_pairs(&pr[a], &c, k, p, a);
            }
            json_builder_begin_object(jb);
            impact_i_json_string(jb, "scale", impact_codebook_scale_name(codebook, s));
            impact_i_json_string(jb, "domain",
                                 impact_domain_name(impact_codebook_scale_domain(codebook, s)));
            impact_i_json_string(jb, "pre", c.o->pre);
            impact_i_json_string(jb, "post",
                                 factor_label(&c.wave, g_array_index(c.posts, guint32, p)));
            gsize pre_only = 0, post_only = 0, n_pairs = 0;
            for (gsize a = 0; a < A; a++) {
                pre_only += pr[a].pre_only;
                post_only += pr[a].post_only;
                n_pairs += pr[a].n;
            }
            impact_i_json_int(jb, "n_pairs", (gint64) n_pairs);
            impact_i_json_int(jb, "n_units_pre_only", (gint64) pre_only);
            impact_i_json_int(jb, "n_units_post_only", (gint64) post_only);
            impact_i_json_double(jb, "reliability", c.reliability[k]);
            impact_i_json_string(jb, "reliability_source", c.rel_source[k]);
            json_builder_set_member_name(jb, "arms");
            json_builder_begin_array(jb);
            for (gsize a = 0; a < A; a++) {
                impact_effect_paired(&eff[a], pr[a].pre, pr[a].post, pr[a].n, c.o->level);
                json_arm(jb, &c, k, a, &pr[a], &eff[a], boot,
                         an * per_analysis + a * N_ARM_STATS);
            }
            json_builder_end_array(jb);
            json_builder_set_member_name(jb, "controlled");
            json_builder_begin_array(jb);
            for (guint t = 0; t < c.treated->len; t++) {
                gsize ta = g_array_index(c.treated, gsize, t);
                json_controlled(jb, &c, ta, &pr[ta], &pr[c.control], &eff[ta], &eff[c.control],
                                boot, an * per_analysis + A * N_ARM_STATS + t * N_CTRL_STATS);
            }
            json_builder_end_array(jb);
            json_builder_end_object(jb);
        }
    }
    json_builder_end_array(jb);
    json_builder_end_object(jb);
    g_free(eff);
    for (gsize g = 0; g < n_pairs_sets; g++) {
        pairs_clear(&pairs[g]);
    }
    g_free(pairs);
    impact_bootstrap_free(boot);
    ctx_clear(&c);
    *out = impact_i_result_new(json_builder_get_root(jb));
    return TRUE;
}

/* ---- the accumulator ------------------------------------------------------ */

static const char *const OPTION_NAMES[7] = { "unit", "wave",    "pre",    "post",
                                             "arm",  "control", "cluster" };

static const char **
option_string(ImpactChangeOptions *o, int q)
{
    const char **f[7] = { &o->unit, &o->wave,    &o->pre,    &o->post,
                          &o->arm,  &o->control, &o->cluster };
    return f[q];
}

static void
array_unref0(gpointer a)
{
    if (a) {
        g_array_unref(a);
    }
}

/* an empty accumulator with copies of @o's strings and the resolved @scales (taken) */
static ImpactChangeAcc *
acc_alloc(const ImpactCodebook *codebook, const ImpactChangeOptions *o, GArray *scales)
{
    ImpactChangeAcc *acc = g_new0(ImpactChangeAcc, 1);
    acc->codebook = codebook;
    acc->fingerprint = impact_i_codebook_fingerprint(codebook);
    acc->o = *o;
    for (int q = 0; q < 7; q++) {
        const char **f = option_string(&acc->o, q);
        acc->str[q] = g_strdup(*f);
        *f = acc->str[q];
    }
    acc->o.scales = NULL;
    acc->scales = scales;
    acc->scale_mask = g_new0(gboolean, MAX(impact_codebook_n_scales(codebook), 1));
    for (guint k = 0; k < scales->len; k++) {
        acc->scale_mask[g_array_index(scales, gsize, k)] = TRUE;
    }
    labels_init(&acc->unit);
    labels_init(&acc->wave);
    labels_init(&acc->arm);
    labels_init(&acc->cluster);
    acc->arm_order = g_array_new(FALSE, FALSE, sizeof(guint32));
    acc->u_arm = g_array_new(FALSE, FALSE, sizeof(guint32));
    acc->u_cluster = g_array_new(FALSE, FALSE, sizeof(guint32));
    acc->u_first = g_array_new(FALSE, FALSE, sizeof(guint64));
    acc->wsum = g_ptr_array_new_with_free_func(array_unref0);
    acc->wcnt = g_ptr_array_new_with_free_func(array_unref0);
    if (isnan(o->reliability)) {
        acc->rel = impact_reliability_acc_new(codebook, IMPACT_MISSING_PAIRWISE);
    }
    return acc;
}

ImpactChangeAcc *
impact_change_acc_new(const ImpactCodebook *codebook, const ImpactChangeOptions *options,
                      GError **error)
{
    const ImpactChangeOptions defaults = IMPACT_CHANGE_OPTIONS_INIT;
    const ImpactChangeOptions *o = options ? options : &defaults;
    GArray *scales = g_array_new(FALSE, FALSE, sizeof(gsize));
    if (!check_options(o, codebook, scales, error)) {
        g_array_unref(scales);
        return NULL;
    }
    return acc_alloc(codebook, o, scales);
}

void
impact_change_acc_free(ImpactChangeAcc *acc)
{
    if (acc == NULL) {
        return;
    }
    for (int q = 0; q < 7; q++) {
        g_free(acc->str[q]);
    }
    g_array_unref(acc->scales);
    g_free(acc->scale_mask);
    g_free(acc->source);
    labels_clear(&acc->unit);
    labels_clear(&acc->wave);
    labels_clear(&acc->arm);
    labels_clear(&acc->cluster);
    g_array_unref(acc->arm_order);
    g_array_unref(acc->u_arm);
    g_array_unref(acc->u_cluster);
    g_array_unref(acc->u_first);
    g_ptr_array_unref(acc->wsum);
    g_ptr_array_unref(acc->wcnt);
    impact_reliability_acc_free(acc->rel);
    g_free(acc);
}

/* Maps the labels of @f to codes of @l: existing ones, then the new ones
 * ("fresh") numbered on from l's size in f's order; *n_fresh counts them. */
static guint32 *
map_labels(Labels *l, const Factor *f, gsize *n_fresh)
{
    guint32 *map = g_new(guint32, MAX(f->labels->len, 1));
    guint32 next = l->labels->len;
    for (guint i = 0; i < f->labels->len; i++) {
        map[i] = labels_find(l, g_ptr_array_index(f->labels, i));
        if (map[i] == NONE) {
            map[i] = next++;
        }
    }
    *n_fresh = next - l->labels->len;
    return map;
}

/* The label of accumulator code @code, which may be a fresh label of @f
 * (mapped by @map, not yet appended); for messages. */
static const char *
label_or_fresh(const Labels *l, const Factor *f, const guint32 *map, guint32 code)
{
    if (code < l->labels->len) {
        return g_ptr_array_index(l->labels, code);
    }
    for (guint i = 0; f->labels && i < f->labels->len; i++) {
        if (map[i] == code) {
            return g_ptr_array_index(f->labels, i);
        }
    }
    return "(missing)";
}

/* Makes room for @n_units units in the per-unit arrays (no arm yet). */
static void
grow_unit_arrays(ImpactChangeAcc *acc, gsize n_units)
{
    gsize old = acc->u_arm->len;
    if (n_units > old) {
        g_array_set_size(acc->u_arm, n_units);
        g_array_set_size(acc->u_cluster, n_units);
        g_array_set_size(acc->u_first, n_units);
        for (gsize u = old; u < n_units; u++) {
            g_array_index(acc->u_arm, guint32, u) = NONE;
            g_array_index(acc->u_cluster, guint32, u) = NONE;
            g_array_index(acc->u_first, guint64, u) = 0;
        }
    }
}

/* Makes room for @n_units units in the per-unit and per-wave arrays. */
static void
grow_units(ImpactChangeAcc *acc, gsize n_units)
{
    gsize S = acc->scales->len;
    grow_unit_arrays(acc, n_units);
    for (guint w = 0; w < acc->wsum->len; w++) {
        GArray *ws = g_ptr_array_index(acc->wsum, w);
        if (ws && ws->len < n_units * S) {
            g_array_set_size(g_ptr_array_index(acc->wsum, w), n_units * S);
            g_array_set_size(g_ptr_array_index(acc->wcnt, w), n_units * S);
        }
    }
}

/* The sum and count arrays of wave @w, made (zero) if needed. */
static void
wave_arrays(ImpactChangeAcc *acc, guint32 w, GArray **sum, GArray **cnt)
{
    while (acc->wsum->len <= w) {
        g_ptr_array_add(acc->wsum, NULL);
        g_ptr_array_add(acc->wcnt, NULL);
    }
    if (g_ptr_array_index(acc->wsum, w) == NULL) {
        gsize m = acc->u_arm->len * acc->scales->len;
        GArray *a = g_array_sized_new(FALSE, TRUE, sizeof(double), (guint) m);
        GArray *b = g_array_sized_new(FALSE, TRUE, sizeof(double), (guint) m);
        g_array_set_size(a, m);
        g_array_set_size(b, m);
        g_ptr_array_index(acc->wsum, w) = a;
        g_ptr_array_index(acc->wcnt, w) = b;
    }
    *sum = g_ptr_array_index(acc->wsum, w);
    *cnt = g_ptr_array_index(acc->wcnt, w);
}

static void
arm_order_add(ImpactChangeAcc *acc, guint32 a)
{
    for (guint i = 0; i < acc->arm_order->len; i++) {
        if (g_array_index(acc->arm_order, guint32, i) == a) {
            return;
        }
    }
    g_array_append_val(acc->arm_order, a);
}

/* Appends the @n_fresh labels map_labels() found new, in code order:
 * distinct (a chunk's levels are) and not in @l, so no lookup is needed. */
static void
intern_fresh(Labels *l, const Factor *f, const guint32 *map, gsize n_fresh)
{
    guint old = l->labels->len;
    if (n_fresh == 0) {
        return;
    }
    /* room for all at once */
    g_ptr_array_set_size(l->labels, old + (guint) n_fresh);
    g_ptr_array_set_size(l->labels, old);
    for (guint i = 0; i < f->labels->len; i++) {
        if (map[i] >= old) {
            labels_append(l, g_ptr_array_index(f->labels, i));
        }
    }
}

typedef struct {
    Factor f[4];          /* unit, wave, arm, cluster of the chunk */
    guint32 *map[4];      /* chunk code → accumulator code */
    gsize n_fresh[4];     /* labels new to the accumulator */
} Chunk;

static void
chunk_clear(Chunk *ch)
{
    for (int q = 0; q < 4; q++) {
        factor_clear(&ch->f[q]);
        g_free(ch->map[q]);
    }
}

/* Checks every analysed row of the chunk against the units' arms and
 * clusters so far (and earlier rows of the chunk), and records the arm,
 * cluster and first row of the units first seen here straight in the
 * accumulator's per-unit arrays (grown by the caller for the chunk's fresh
 * units), as a row-by-row pass after the checks would; the arms of the
 * analysed rows in order of first appearance go to @arms. On an error the
 * caller undoes the per-unit entries with check_chunk_undo(). */
static gboolean
check_chunk(ImpactChangeAcc *acc, const Chunk *ch, const guint8 *analysed, gsize n,
            const char *source, GArray *arms, GError **error)
{
    const ImpactChangeOptions *o = &acc->o;
    const Factor *uf = &ch->f[0], *af = &ch->f[2], *cf = &ch->f[3];
    guint32 *u_arm = (guint32 *) acc->u_arm->data, *u_cl = (guint32 *) acc->u_cluster->data;
    guint64 *u_first = (guint64 *) acc->u_first->data;
    guint32 last_arm = NONE; /* the arm of the previous analysed row: already in @arms */
    for (gsize i = 0; i < n; i++) {
        if (!analysed[i]) {
            continue;
        }
        guint32 j = uf->codes[i], u = ch->map[0][j];
        guint64 row = acc->rows + i + 1;
        guint32 a = 0;
        if (o->arm) {
            if (af->codes[i] == NONE) {
                g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                            "%s: row %" G_GUINT64_FORMAT
                            ": unit '%s' has no value in arm column '%s'",
                            source, row, factor_label(uf, j), o->arm);
                return FALSE;
            }
            a = ch->map[2][af->codes[i]];
        }
        if (a != last_arm) {
            guint k = 0;
            while (k < arms->len && g_array_index(arms, guint32, k) != a) {
                k++;
            }
            if (k == arms->len) {
                g_array_append_val(arms, a);
            }
            last_arm = a;
        }
        guint32 cl = u;
        if (o->cluster) {
            if (cf->codes[i] == NONE) {
                g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                            "%s: row %" G_GUINT64_FORMAT
                            ": unit '%s' has no value in cluster column '%s'",
                            source, row, factor_label(uf, j), o->cluster);
                return FALSE;
            }
            cl = ch->map[3][cf->codes[i]];
        }
        if (u_arm[u] == NONE) {
            u_arm[u] = a;
            u_cl[u] = cl;
            u_first[u] = row - 1;
            continue;
        }
        if (u_arm[u] != a) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                        "%s: row %" G_GUINT64_FORMAT ": unit '%s' is in arm '%s' but in arm '%s' "
                        "at row %" G_GUINT64_FORMAT " (a unit must stay in one arm)",
                        source, row, factor_label(uf, j),
                        label_or_fresh(&acc->arm, af, ch->map[2], a),
                        label_or_fresh(&acc->arm, af, ch->map[2], u_arm[u]), u_first[u] + 1);
            return FALSE;
        }
        if (u_cl[u] != cl) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                        "%s: row %" G_GUINT64_FORMAT ": unit '%s' is in cluster '%s' but in "
                        "cluster '%s' at row %" G_GUINT64_FORMAT
                        " (a unit must stay in one cluster)",
                        source, row, factor_label(uf, j),
                        label_or_fresh(&acc->cluster, cf, ch->map[3], cl),
                        label_or_fresh(&acc->cluster, cf, ch->map[3], u_cl[u]), u_first[u] + 1);
            return FALSE;
        }
    }
    return TRUE;
}

/* Undoes check_chunk(): the entries it set are those whose first row is in
 * this chunk (rows from acc->rows on); then the arrays get their length
 * of @old_units back. */
static void
check_chunk_undo(ImpactChangeAcc *acc, const Chunk *ch, gsize old_units)
{
    const Factor *uf = &ch->f[0];
    for (guint j = 0; j < uf->labels->len; j++) {
        guint32 u = ch->map[0][j];
        if (g_array_index(acc->u_arm, guint32, u) != NONE &&
            g_array_index(acc->u_first, guint64, u) >= acc->rows) {
            g_array_index(acc->u_arm, guint32, u) = NONE;
            g_array_index(acc->u_cluster, guint32, u) = NONE;
            g_array_index(acc->u_first, guint64, u) = 0;
        }
    }
    g_array_set_size(acc->u_arm, old_units);
    g_array_set_size(acc->u_cluster, old_units);
    g_array_set_size(acc->u_first, old_units);
}

/* The items of one analysed scale, as impact_score_table() scores it. */
typedef struct {
    gsize k, required;
    const double **x;    /* k item columns of the chunk */
    double *lo, *hi, *w;
    gboolean *rev;
} ScaleItems;

/* Rows per block of the scoring pass: the S scores of a block stay in
 * cache between the kernel and the sums. */
#define CHANGE_BLOCK 2048

/* impact_change_acc_add(); with @borrow (impact_change() only, whose table
 * outlives the accumulator) the labels of a text column added to an empty
 * accumulator are the table's own levels, not copies: the same strings in
 * the same order, without copying 500,000 participant ids. */
static gboolean
acc_add(ImpactChangeAcc *acc, const ImpactTable *chunk, gboolean borrow, GError **error)
{
    const ImpactChangeOptions *o = &acc->o;
    const ImpactCodebook *cb = acc->codebook;
    const char *source = impact_table_source(chunk);
    Chunk ch = { 0 };
    const char *cols[4] = { o->unit, o->wave, o->arm, o->cluster };
    Labels *acc_labels[4] = { &acc->unit, &acc->wave, &acc->arm, &acc->cluster };
    for (int q = 0; q < 4; q++) {
        if (cols[q] == NULL) {
            continue;
        }
        if (!factor_init(&ch.f[q], chunk, cols[q], error)) {
            chunk_clear(&ch);
            return FALSE;
        }
        ch.map[q] = map_labels(acc_labels[q], &ch.f[q], &ch.n_fresh[q]);
    }
    /* the analysed rows: a unit, and the baseline, the follow-up or (without
     * a follow-up label) any wave */
    gsize n = impact_table_n_rows(chunk);
    const Factor *uf = &ch.f[0], *wf = &ch.f[1];
    guint32 pre = factor_find(wf, o->pre), post = o->post ? factor_find(wf, o->post) : NONE;
    g_autofree guint8 *analysed = g_new(guint8, MAX(n, 1));
    g_autofree gboolean *baseline = g_new(gboolean, MAX(n, 1));
    gboolean any_baseline = FALSE;
    for (gsize i = 0; i < n; i++) {
        guint32 w = wf->codes[i];
        gboolean has_unit = uf->codes[i] != NONE;
        analysed[i] = has_unit && w != NONE && (o->post == NULL || w == pre || w == post);
        baseline[i] = has_unit && w != NONE && w == pre;
        any_baseline = any_baseline || baseline[i];
    }
    /* room for the fresh units, whose entries check_chunk() fills; then the
     * item columns, checked as impact_score_table() checks them (every item
     * of the codebook), after the rows' units as before */
    gsize old_units = acc->u_arm->len;
    grow_unit_arrays(acc, old_units + ch.n_fresh[0]);
    g_autoptr(GArray) arms = g_array_new(FALSE, FALSE, sizeof(guint32));
    g_autofree gsize *item_col = NULL;
    gboolean ok = check_chunk(acc, &ch, analysed, n, source, arms, error) &&
                  impact_i_item_columns(&item_col, chunk, cb, error);
    if (ok && acc->rel && any_baseline) {
        ok = impact_i_reliability_acc_add_rows(acc->rel, chunk, acc->scale_mask, baseline, n,
                                               error);
    }
    if (!ok) {
        check_chunk_undo(acc, &ch, old_units);
        chunk_clear(&ch);
        return FALSE;
    }

    /* nothing fails from here */
    for (int q = 0; q < 4; q++) {
        Labels *l = acc_labels[q];
        if (borrow && ch.f[q].borrowed && l->labels->len == 0 && l->index == NULL) {
            /* every level is fresh, numbered in order (map is the identity) */
            g_ptr_array_unref(l->labels);
            l->labels = ch.f[q].labels;
            l->borrowed = TRUE;
        } else if (ch.map[q]) {
            intern_fresh(l, &ch.f[q], ch.map[q], ch.n_fresh[q]);
        }
    }
    grow_units(acc, acc->unit.labels->len);
    for (guint k = 0; k < arms->len; k++) {
        arm_order_add(acc, g_array_index(arms, guint32, k));
    }
    const guint32 *umap = ch.map[0];

    /* Score the analysed scales block by block (impact_score_kernel() scores
     * every row on its own, so a block's scores are those of the whole
     * column) and add each analysed row's scores to its unit and wave: every
     * (unit, wave, scale) sum gets its rows in row order, as before. The
     * sum and count arrays of a wave are made on its first score. */
    gsize S = acc->scales->len;
    const ImpactScoreOptions so = IMPACT_SCORE_OPTIONS_INIT;
    ScaleItems *si = g_new0(ScaleItems, MAX(S, 1));
    gsize kmax = 0;
    for (gsize k = 0; k < S; k++) {
        gsize s = g_array_index(acc->scales, gsize, k);
        ScaleItems *it = &si[k];
        it->k = impact_codebook_scale_n_items(cb, s);
        it->required = impact_score_required(so.min_answered, it->k);
        it->x = g_new(const double *, MAX(it->k, 1));
        it->lo = g_new(double, MAX(it->k, 1));
        it->hi = g_new(double, MAX(it->k, 1));
        it->w = g_new(double, MAX(it->k, 1));
        it->rev = g_new(gboolean, MAX(it->k, 1));
        for (gsize j = 0; j < it->k; j++) {
            gsize item = impact_codebook_scale_item(cb, s, j);
            it->x[j] = impact_table_numeric(chunk, item_col[item]);
            it->lo[j] = impact_codebook_item_min(cb, item);
            it->hi[j] = impact_codebook_item_max(cb, item);
            it->w[j] = impact_codebook_item_weight(cb, item);
            it->rev[j] = impact_codebook_item_reverse(cb, item);
        }
        kmax = MAX(kmax, it->k);
    }
    gsize n_waves = acc->wave.labels->len;
    g_autofree double **wsum = g_new0(double *, MAX(n_waves, 1));
    g_autofree double **wcnt = g_new0(double *, MAX(n_waves, 1));
    for (guint w = 0; w < acc->wsum->len && w < n_waves; w++) {
        GArray *a = g_ptr_array_index(acc->wsum, w);
        if (a) {
            wsum[w] = (double *) a->data;
            wcnt[w] = (double *) ((GArray *) g_ptr_array_index(acc->wcnt, w))->data;
        }
    }
    const guint32 *wmap = ch.map[1];
    g_autofree double *score = g_new(double, MAX(S, 1) * CHANGE_BLOCK);
    g_autofree const double **xb = g_new(const double *, MAX(kmax, 1));
    for (gsize i0 = 0; i0 < n; i0 += CHANGE_BLOCK) {
        gsize nb = MIN((gsize) CHANGE_BLOCK, n - i0);
        gboolean any = FALSE;
        for (gsize i = 0; i < nb && !any; i++) {
            any = analysed[i0 + i];
        }
        if (!any) {
            continue;
        }
        for (gsize k = 0; k < S; k++) {
            const ScaleItems *it = &si[k];
            for (gsize j = 0; j < it->k; j++) {
                xb[j] = it->x[j] + i0;
            }
            impact_score_kernel(score + k * CHANGE_BLOCK, xb, it->k, nb, it->lo, it->hi, it->rev,
                                it->w, it->required, so.kind);
        }
        for (gsize i = 0; i < nb; i++) {
            gsize r = i0 + i;
            if (!analysed[r]) {
                continue;
            }
            guint32 w = wmap[wf->codes[r]];
            gsize base = (gsize) umap[uf->codes[r]] * S;
            double *sum = wsum[w], *cnt = wcnt[w];
            for (gsize k = 0; k < S; k++) {
                double x = score[k * CHANGE_BLOCK + i];
                if (isnan(x)) {
                    continue;
                }
                if (sum == NULL) {
                    GArray *sa, *ca;
                    wave_arrays(acc, w, &sa, &ca);
                    sum = wsum[w] = (double *) sa->data;
                    cnt = wcnt[w] = (double *) ca->data;
                }
                sum[base + k] += x;
                cnt[base + k] += 1;
            }
        }
    }
    for (gsize k = 0; k < S; k++) {
        g_free(si[k].x);
        g_free(si[k].lo);
        g_free(si[k].hi);
        g_free(si[k].w);
        g_free(si[k].rev);
    }
    g_free(si);
    acc->rows += n;
    if (acc->source == NULL) {
        acc->source = g_strdup(source);
    }
    chunk_clear(&ch);
    return TRUE;
}

gboolean
impact_change_acc_add(ImpactChangeAcc *acc, const ImpactTable *chunk, GError **error)
{
    return acc_add(acc, chunk, FALSE, error);
}

static gboolean
same_string(const char *a, const char *b)
{
    return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static gboolean
check_same_options(const ImpactChangeAcc *a, const ImpactChangeAcc *b, GError **error)
{
    const char *what = NULL;
    if (a->fingerprint != b->fingerprint) {
        what = "codebooks";
    }
    for (int q = 0; q < 7 && !what; q++) {
        if (!same_string(a->str[q], b->str[q])) {
            what = OPTION_NAMES[q];
        }
    }
    if (!what && a->scales->len != b->scales->len) {
        what = "scales";
    }
    for (guint k = 0; !what && k < a->scales->len; k++) {
        if (g_array_index(a->scales, gsize, k) != g_array_index(b->scales, gsize, k)) {
            what = "scales";
        }
    }
    const ImpactChangeOptions *x = &a->o, *y = &b->o;
    if (!what && (x->bootstrap != y->bootstrap || x->seed != y->seed || x->threads != y->threads)) {
        what = "bootstrap options";
    }
    if (!what && (x->level != y->level || x->rho != y->rho ||
                  !(x->reliability == y->reliability ||
                    (isnan(x->reliability) && isnan(y->reliability))))) {
        what = "level, rho or reliability";
    }
    if (what) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "cannot merge change accumulators made with different %s", what);
        return FALSE;
    }
    return TRUE;
}

gboolean
impact_change_acc_merge(ImpactChangeAcc *acc, const ImpactChangeAcc *other, GError **error)
{
    if (!check_same_options(acc, other, error)) {
        return FALSE;
    }
    if (acc == other) {
        /* merging with itself: merge a copy */
        g_autoptr(GBytes) bytes = impact_change_acc_serialize(other);
        ImpactChangeAcc *copy = impact_change_acc_deserialize(bytes, acc->codebook, error);
        gboolean ok = copy != NULL && impact_change_acc_merge(acc, copy, error);
        impact_change_acc_free(copy);
        return ok;
    }
    const ImpactChangeOptions *o = &acc->o;
    const char *source = acc->source ? acc->source : other->source ? other->source : "(no data)";
    /* the first conflicting unit in the concatenated rows */
    gsize bad = G_MAXSIZE;
    guint64 bad_row = G_MAXUINT64;
    gboolean bad_arm = FALSE;
    /* other's units as acc's codes (NONE: new), looked up once for the
     * check and the merge */
    g_autofree guint32 *umap = g_new(guint32, MAX(other->unit.labels->len, 1));
    for (guint j = 0; j < other->unit.labels->len; j++) {
        umap[j] = labels_find(&acc->unit, g_ptr_array_index(other->unit.labels, j));
    }
    for (gsize j = 0; j < other->u_arm->len; j++) {
        guint32 oa = g_array_index(other->u_arm, guint32, j);
        guint32 u = umap[j];
        if (oa == NONE || u == NONE || u >= acc->u_arm->len ||
            g_array_index(acc->u_arm, guint32, u) == NONE) {
            continue;
        }
        guint32 aa = g_array_index(acc->u_arm, guint32, u);
        gboolean arm_differs =
            o->arm && strcmp(labels_at(&acc->arm, aa), labels_at(&other->arm, oa)) != 0;
        gboolean cl_differs =
            o->cluster &&
            strcmp(labels_at(&acc->cluster, g_array_index(acc->u_cluster, guint32, u)),
                   labels_at(&other->cluster, g_array_index(other->u_cluster, guint32, j))) != 0;
        guint64 row = g_array_index(other->u_first, guint64, j);
        if ((arm_differs || cl_differs) && row < bad_row) {
            bad = j;
            bad_row = row;
            bad_arm = arm_differs;
        }
    }
    if (bad != G_MAXSIZE) {
        const char *unit = g_ptr_array_index(other->unit.labels, bad);
        guint32 u = umap[bad];
        guint64 first = g_array_index(acc->u_first, guint64, u) + 1;
        const char *kind = bad_arm ? "arm" : "cluster";
        const char *now =
            bad_arm ? labels_at(&other->arm, g_array_index(other->u_arm, guint32, bad))
                    : labels_at(&other->cluster, g_array_index(other->u_cluster, guint32, bad));
        const char *before =
            bad_arm ? labels_at(&acc->arm, g_array_index(acc->u_arm, guint32, u))
                    : labels_at(&acc->cluster, g_array_index(acc->u_cluster, guint32, u));
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                    "%s: row %" G_GUINT64_FORMAT ": unit '%s' is in %s '%s' but in %s '%s' at "
                    "row %" G_GUINT64_FORMAT " (a unit must stay in one %s)",
                    source, acc->rows + bad_row + 1, unit, kind, now, kind, before, first, kind);
        return FALSE;
    }
    if (acc->rel && !impact_reliability_acc_merge(acc->rel, other->rel, error)) {
        return FALSE;
    }

    /* nothing fails from here */
    const Labels *from[4] = { &other->unit, &other->wave, &other->arm, &other->cluster };
    Labels *to[4] = { &acc->unit, &acc->wave, &acc->arm, &acc->cluster };
    guint32 *map[4];
    for (int q = 0; q < 4; q++) {
        map[q] = g_new(guint32, MAX(from[q]->labels->len, 1));
        for (guint i = 0; i < from[q]->labels->len; i++) {
            const char *label = g_ptr_array_index(from[q]->labels, i);
            /* other's labels are distinct: a unit not found above is new */
            map[q][i] = q > 0 ? labels_intern(to[q], label)
                        : umap[i] != NONE ? umap[i] : labels_append(to[q], label);
        }
    }
    grow_units(acc, acc->unit.labels->len);
    for (gsize j = 0; j < other->u_arm->len; j++) {
        guint32 oa = g_array_index(other->u_arm, guint32, j), u = map[0][j];
        if (oa == NONE || g_array_index(acc->u_arm, guint32, u) != NONE) {
            continue;
        }
        g_array_index(acc->u_arm, guint32, u) = o->arm ? map[2][oa] : 0;
        g_array_index(acc->u_cluster, guint32, u) =
            o->cluster ? map[3][g_array_index(other->u_cluster, guint32, j)] : u;
        g_array_index(acc->u_first, guint64, u) =
            acc->rows + g_array_index(other->u_first, guint64, j);
    }
    for (guint i = 0; i < other->arm_order->len; i++) {
        guint32 a = g_array_index(other->arm_order, guint32, i);
        arm_order_add(acc, o->arm ? map[2][a] : 0);
    }
    gsize S = acc->scales->len;
    for (guint w = 0; w < other->wsum->len; w++) {
        GArray *os = g_ptr_array_index(other->wsum, w), *oc = g_ptr_array_index(other->wcnt, w);
        if (os == NULL) {
            continue;
        }
        GArray *sum, *cnt;
        wave_arrays(acc, map[1][w], &sum, &cnt);
        for (gsize j = 0; j < other->u_arm->len; j++) {
            for (gsize k = 0; k < S; k++) {
                gsize to_idx = (gsize) map[0][j] * S + k, from_idx = j * S + k;
                g_array_index(sum, double, to_idx) += g_array_index(os, double, from_idx);
                g_array_index(cnt, double, to_idx) += g_array_index(oc, double, from_idx);
            }
        }
    }
    for (int q = 0; q < 4; q++) {
        g_free(map[q]);
    }
    acc->rows += other->rows;
    if (acc->source == NULL && other->source) {
        acc->source = g_strdup(other->source);
    }
    return TRUE;
}

/* ---- serialisation ---------------------------------------------------------- */

#define SER_MAGIC "IMPCHG"
#define SER_VERSION 1u

static void
put_labels(GByteArray *b, const Labels *l)
{
    impact_i_put_u64(b, l->labels->len);
    for (guint i = 0; i < l->labels->len; i++) {
        impact_i_put_string(b, g_ptr_array_index(l->labels, i));
    }
}

GBytes *
impact_change_acc_serialize(const ImpactChangeAcc *acc)
{
    GByteArray *b = g_byte_array_new();
    g_byte_array_append(b, (const guint8 *) SER_MAGIC, 6);
    impact_i_put_u64(b, SER_VERSION);
    impact_i_put_u64(b, acc->fingerprint);
    for (int q = 0; q < 7; q++) {
        impact_i_put_string(b, acc->str[q]);
    }
    impact_i_put_u64(b, acc->o.bootstrap);
    impact_i_put_u64(b, acc->o.seed);
    impact_i_put_u64(b, acc->o.threads);
    impact_i_put_double(b, acc->o.level);
    impact_i_put_u64(b, (guint64) acc->o.rho);
    impact_i_put_double(b, acc->o.reliability);
    impact_i_put_u64(b, acc->scales->len);
    for (guint k = 0; k < acc->scales->len; k++) {
        impact_i_put_u64(b, g_array_index(acc->scales, gsize, k));
    }
    impact_i_put_string(b, acc->source);
    impact_i_put_u64(b, acc->rows);
    put_labels(b, &acc->unit);
    put_labels(b, &acc->wave);
    put_labels(b, &acc->arm);
    put_labels(b, &acc->cluster);
    impact_i_put_u64(b, acc->arm_order->len);
    for (guint i = 0; i < acc->arm_order->len; i++) {
        impact_i_put_u64(b, g_array_index(acc->arm_order, guint32, i));
    }
    for (guint u = 0; u < acc->u_arm->len; u++) {
        impact_i_put_u64(b, g_array_index(acc->u_arm, guint32, u));
        impact_i_put_u64(b, g_array_index(acc->u_cluster, guint32, u));
        impact_i_put_u64(b, g_array_index(acc->u_first, guint64, u));
    }
    impact_i_put_u64(b, acc->wsum->len);
    for (guint w = 0; w < acc->wsum->len; w++) {
        GArray *s = g_ptr_array_index(acc->wsum, w), *c = g_ptr_array_index(acc->wcnt, w);
        impact_i_put_u64(b, s != NULL);
        for (guint i = 0; s && i < s->len; i++) {
            impact_i_put_double(b, g_array_index(s, double, i));
            impact_i_put_double(b, g_array_index(c, double, i));
        }
    }
    if (acc->rel) {
        g_autoptr(GBytes) rel = impact_reliability_acc_serialize(acc->rel);
        gsize len;
        const guint8 *d = g_bytes_get_data(rel, &len);
        impact_i_put_u64(b, (guint64) len);
        g_byte_array_append(b, d, (guint) len);
    } else {
        impact_i_put_u64(b, 0);
    }
    return g_byte_array_free_to_bytes(b);
}

static gboolean
get_labels(ImpactSerialReader *r, Labels *l)
{
    guint64 n;
    if (!impact_i_get_u64(r, &n) || n > (guint64) (r->end - r->p) / 8) {
        return FALSE;
    }
    for (guint64 i = 0; i < n; i++) {
        char *s;
        if (!impact_i_get_string(r, &s) || s == NULL || labels_find(l, s) != NONE) {
            g_free(s);
            return FALSE;
        }
        labels_append(l, s);
        g_free(s);
    }
    return TRUE;
}

/* reads everything after the options into @acc; FALSE if malformed */
static gboolean
read_state(ImpactSerialReader *r, ImpactChangeAcc *acc)
{
    const ImpactChangeOptions *o = &acc->o;
    guint64 n;
    if (!impact_i_get_string(r, &acc->source) || !impact_i_get_u64(r, &acc->rows) || !get_labels(r, &acc->unit) ||
        !get_labels(r, &acc->wave) || !get_labels(r, &acc->arm) || !get_labels(r, &acc->cluster)) {
        return FALSE;
    }
    guint64 n_arm_codes = o->arm ? acc->arm.labels->len : 1;
    if ((!o->arm && acc->arm.labels->len) || (!o->cluster && acc->cluster.labels->len) ||
        !impact_i_get_u64(r, &n) || n > n_arm_codes) {
        return FALSE;
    }
    for (guint64 i = 0; i < n; i++) {
        guint64 a;
        if (!impact_i_get_u64(r, &a) || a >= n_arm_codes) {
            return FALSE;
        }
        guint32 a32 = (guint32) a;
        g_array_append_val(acc->arm_order, a32);
    }
    gsize U = acc->unit.labels->len, S = acc->scales->len;
    if ((guint64) (r->end - r->p) / 24 < U) {
        return FALSE;
    }
    grow_units(acc, U);
    for (gsize u = 0; u < U; u++) {
        guint64 a, cl, first;
        if (!impact_i_get_u64(r, &a) || !impact_i_get_u64(r, &cl) || !impact_i_get_u64(r, &first)) {
            return FALSE;
        }
        guint64 n_cl = o->cluster ? acc->cluster.labels->len : U;
        if (a != NONE && (a >= n_arm_codes || cl >= n_cl || first >= acc->rows)) {
            return FALSE;
        }
        if (a == NONE && cl != NONE) {
            return FALSE;
        }
        g_array_index(acc->u_arm, guint32, u) = (guint32) a;
        g_array_index(acc->u_cluster, guint32, u) = (guint32) cl;
        g_array_index(acc->u_first, guint64, u) = first;
    }
    if (!impact_i_get_u64(r, &n) || n > acc->wave.labels->len) {
        return FALSE;
    }
    for (guint64 w = 0; w < n; w++) {
        guint64 present;
        if (!impact_i_get_u64(r, &present) || present > 1) {
            return FALSE;
        }
        g_ptr_array_add(acc->wsum, NULL);
        g_ptr_array_add(acc->wcnt, NULL);
        if (!present) {
            continue;
        }
        if ((guint64) (r->end - r->p) / 16 < U * S) {
            return FALSE;
        }
        GArray *sum, *cnt;
        wave_arrays(acc, (guint32) w, &sum, &cnt);
        for (gsize i = 0; i < U * S; i++) {
            if (!impact_i_get_double(r, &g_array_index(sum, double, i)) ||
                !impact_i_get_double(r, &g_array_index(cnt, double, i))) {
                return FALSE;
            }
        }
    }
    return TRUE;
}

ImpactChangeAcc *
impact_change_acc_deserialize(GBytes *bytes, const ImpactCodebook *codebook, GError **error)
{
    gsize len = 0;
    const guint8 *data = bytes ? g_bytes_get_data(bytes, &len) : NULL;
    ImpactSerialReader r = { data, data + len };
    if (data == NULL || len < 6 || memcmp(data, SER_MAGIC, 6) != 0) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "these bytes are not a serialised change accumulator");
        return NULL;
    }
    r.p += 6;
    guint64 version = 0, fp = 0;
    if (!impact_i_get_u64(&r, &version) || version != SER_VERSION) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "change accumulator format version %" G_GUINT64_FORMAT
                    " is not supported (this library reads version %u)",
                    version, SER_VERSION);
        return NULL;
    }
    if (!impact_i_get_u64(&r, &fp) || fp != impact_i_codebook_fingerprint(codebook)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "the change accumulator was made for a different codebook");
        return NULL;
    }
    /* the options, checked as impact_change_acc_new() checks them */
    ImpactChangeOptions o = IMPACT_CHANGE_OPTIONS_INIT;
    char *str[7] = { NULL };
    guint64 boot = 0, seed = 0, threads = 0, rho = 0, n_scales = 0;
    gboolean ok = TRUE;
    for (int q = 0; q < 7 && ok; q++) {
        ok = impact_i_get_string(&r, &str[q]);
        *option_string(&o, q) = str[q];
    }
    ok = ok && impact_i_get_u64(&r, &boot) && boot <= G_MAXUINT && impact_i_get_u64(&r, &seed) &&
         impact_i_get_u64(&r, &threads) && threads <= G_MAXUINT && impact_i_get_double(&r, &o.level) &&
         impact_i_get_u64(&r, &rho) && rho <= 1 && impact_i_get_double(&r, &o.reliability) &&
         impact_i_get_u64(&r, &n_scales) && n_scales <= (guint64) (r.end - r.p) / 8;
    o.bootstrap = (guint) boot;
    o.seed = seed;
    o.threads = (guint) threads;
    o.rho = (ImpactRhoMethod) rho;
    const char **names = NULL;
    if (ok) {
        names = g_new0(const char *, n_scales + 1);
        for (guint64 k = 0; k < n_scales && ok; k++) {
            guint64 s;
            ok = impact_i_get_u64(&r, &s) && s < impact_codebook_n_scales(codebook);
            names[k] = ok ? impact_codebook_scale_name(codebook, (gsize) s) : NULL;
        }
        o.scales = names;
    }
    GArray *scales = g_array_new(FALSE, FALSE, sizeof(gsize));
    ImpactChangeAcc *acc = NULL;
    GError *e = NULL;
    if (ok && check_options(&o, codebook, scales, &e)) {
        acc = acc_alloc(codebook, &o, scales);
        scales = NULL;
        ok = read_state(&r, acc);
    } else {
        ok = FALSE;
    }
    guint64 rel_len = 0;
    if (ok && impact_i_get_u64(&r, &rel_len) && rel_len <= (guint64) (r.end - r.p) &&
        (rel_len == 0) == (acc->rel == NULL)) {
        if (acc->rel) {
            g_autoptr(GBytes) rb = g_bytes_new(r.p, rel_len);
            ImpactReliabilityAcc *rel = impact_reliability_acc_deserialize(rb, codebook, NULL);
            impact_reliability_acc_free(acc->rel);
            acc->rel = rel;
            ok = rel != NULL;
            r.p += rel_len;
        }
    } else {
        ok = FALSE;
    }
    ok = ok && r.p == r.end;
    for (int q = 0; q < 7; q++) {
        g_free(str[q]);
    }
    g_free(names);
    if (scales) {
        g_array_unref(scales);
    }
    if (!ok) {
        impact_change_acc_free(acc);
        if (e) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                        "the change accumulator holds invalid options: %s", e->message);
            g_error_free(e);
        } else {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                        "truncated or inconsistent change accumulator");
        }
        return NULL;
    }
    return acc;
}

/* ---- the one-table analysis ------------------------------------------------- */

gboolean
impact_change(ImpactResult **out, const ImpactTable *responses, const ImpactCodebook *codebook,
              const ImpactChangeOptions *options, GError **error)
{
    ImpactChangeAcc *acc = impact_change_acc_new(codebook, options, error);
    gboolean ok = acc != NULL && acc_add(acc, responses, TRUE, error) &&
                  impact_change_acc_result(out, acc, error);
    impact_change_acc_free(acc);
    return ok;
}
