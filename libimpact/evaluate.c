/* evaluate.c — the evaluation: a three-domain impact profile from one call.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <math.h>
#include <string.h>
#include "design-private.h"

/* ---- moments of paired unit scores, aggregated per bootstrap cluster ----- */

enum { M_N, M_PRE, M_POST, M_VPRE, M_VPOST, M_COV, N_MOM };
enum { S_N, S_A, S_B, S_AA, S_BB, S_AB, N_SUM };

/* A set of paired units (one scale, one arm or breakdown group), summed per
 * cluster: for cluster cl[j] (increasing), s[j·6 ..] = n, Σa, Σb, Σa², Σb²,
 * Σab with a = pre − ca, b = post − cb centred at the full-sample means;
 * tot = the sums over every cluster. */
typedef struct {
    gsize m;
    guint32 *cl;
    double *s;
    double ca, cb;
    double tot[N_SUM];
} Cell;

static void
cell_clear(Cell *c)
{
    g_free(c->cl);
    g_free(c->s);
    memset(c, 0, sizeof *c);
}

static int
cmp_u32(const void *a, const void *b)
{
    guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;
    return x < y ? -1 : x > y;
}

/* @slot: n_clusters entries of G_MAXUINT32 (scratch, restored on return). */
static void
cell_build(Cell *c, const double *pre, const double *post, const guint32 *cl, gsize n,
           guint32 *slot)
{
    memset(c, 0, sizeof *c);
    double ma = 0, mb = 0;
    for (gsize i = 0; i < n; i++) {
        ma += pre[i];
        mb += post[i];
    }
    c->ca = n ? ma / (double) n : 0;
    c->cb = n ? mb / (double) n : 0;
    c->cl = g_new(guint32, MAX(n, 1));
    c->s = g_new0(double, MAX(n, 1) * N_SUM);
    /* the clusters present, in increasing order, then their slots */
    for (gsize i = 0; i < n; i++) {
        if (slot[cl[i]] == G_MAXUINT32) {
            slot[cl[i]] = 0;
            c->cl[c->m++] = cl[i];
        }
    }
    qsort(c->cl, c->m, sizeof(guint32), cmp_u32);
    for (gsize j = 0; j < c->m; j++) {
        slot[c->cl[j]] = (guint32) j;
    }
    for (gsize i = 0; i < n; i++) {
        double *s = c->s + (gsize) slot[cl[i]] * N_SUM;
        double a = pre[i] - c->ca, b = post[i] - c->cb;
        s[S_N] += 1;
        s[S_A] += a;
        s[S_B] += b;
        s[S_AA] += a * a;
        s[S_BB] += b * b;
        s[S_AB] += a * b;
    }
    for (gsize j = 0; j < c->m; j++) {
        slot[c->cl[j]] = G_MAXUINT32;
        for (int q = 0; q < N_SUM; q++) {
            c->tot[q] += c->s[j * N_SUM + q];
        }
    }
}

/* Cluster multiplicities as the statistic sees them: NULL (all 1), or w
 * with, when few clusters differ from 1 (the jackknife), the list of those
 * clusters and w − 1, so a cell costs O(changed · log m), not O(m). */
typedef struct {
    const double *w;
    const guint32 *changed; /* NULL: use the dense loop */
    const double *dw;
    gsize n_changed;
} Weights;

/* n, means, variances (n − 1) and covariance of the cell under @wv. */
static void
cell_moments(const Cell *c, const Weights *wv, double mom[N_MOM])
{
    double t[N_SUM];
    if (wv->w == NULL || wv->changed != NULL) {
        memcpy(t, c->tot, sizeof t);
        for (gsize i = 0; wv->w && i < wv->n_changed; i++) {
            guint32 k = wv->changed[i];
            gsize lo = 0, hi = c->m;
            while (lo < hi) {
                gsize mid = (lo + hi) / 2;
                if (c->cl[mid] < k) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            if (lo < c->m && c->cl[lo] == k) {
                const double *s = c->s + lo * N_SUM;
                for (int q = 0; q < N_SUM; q++) {
                    t[q] += wv->dw[i] * s[q];
                }
            }
        }
    } else {
        memset(t, 0, sizeof t);
        for (gsize j = 0; j < c->m; j++) {
            double wj = wv->w[c->cl[j]];
            if (wj == 0) {
                continue;
            }
            const double *s = c->s + j * N_SUM;
            for (int q = 0; q < N_SUM; q++) {
                t[q] += wj * s[q];
            }
        }
    }
    double n = t[S_N];
    mom[M_N] = n;
    mom[M_PRE] = n > 0 ? c->ca + t[S_A] / n : NAN;
    mom[M_POST] = n > 0 ? c->cb + t[S_B] / n : NAN;
    if (n > 1) {
        mom[M_VPRE] = MAX(0.0, (t[S_AA] - t[S_A] * t[S_A] / n) / (n - 1));
        mom[M_VPOST] = MAX(0.0, (t[S_BB] - t[S_B] * t[S_B] / n) / (n - 1));
        mom[M_COV] = (t[S_AB] - t[S_A] * t[S_B] / n) / (n - 1);
    } else {
        mom[M_VPRE] = mom[M_VPOST] = mom[M_COV] = NAN;
    }
}

/* The effect sizes come from the kernels of impact-effect.h (one
 * implementation of each statistic): Morris's d_ppc2 (impact_effect_ppc2)
 * and g_av (impact_effect_paired_summary), here without their intervals
 * (level NaN skips them), as the bootstrap gives the intervals. *did is the
 * difference in differences, *change the mean change. */
static double
effect_controlled(const double *T, const double *C, double *did)
{
    double nT = T[M_N], nC = C[M_N];
    *did = nT >= 1 && nC >= 1 ? (T[M_POST] - T[M_PRE]) - (C[M_POST] - C[M_PRE]) : NAN;
    ImpactPpc2 e;
    impact_effect_ppc2(&e, nT, T[M_PRE], T[M_POST], sqrt(T[M_VPRE]), nC, C[M_PRE], C[M_POST],
                       sqrt(C[M_VPRE]), NAN, NAN);
    return e.d;
}

static double
effect_uncontrolled(const double *T, double *change)
{
    *change = T[M_N] >= 1 ? T[M_POST] - T[M_PRE] : NAN;
    ImpactPairedEffect e;
    impact_effect_paired_summary(&e, T[M_N], T[M_PRE], T[M_POST], T[M_VPRE], T[M_VPOST], T[M_COV],
                                 NAN);
    return e.g_av;
}

/* ---- the evaluation context ---------------------------------------------- */

typedef struct {
    gsize scale;        /* codebook index */
    ImpactDomain domain;
    double weight;
    double value;       /* money per scale point, NaN = none */
    Cell prog, comp;
    Cell *group;        /* n_groups cells (programme units of each breakdown group) */
    gsize unpaired;
    double n_units[2];  /* programme / comparison units with pairs */
} OutScale;

typedef struct {
    const char *breakdown;
    char *label;
    gboolean has[2];    /* domain individual / team has units in it */
    gboolean suppressed[2];
    double n[2];        /* programme units with pairs, max over scales */
} Group;

typedef struct {
    GArray *scales;     /* OutScale */
    GPtrArray *groups;  /* Group * */
    gsize n_clusters;
    gboolean controlled;
    double domain_weight[IMPACT_N_DOMAINS];
    double cost_total, cost_per_participant;
    double *pcount;     /* programme participants per cluster */
    guint k;
    /* stat layout */
    gsize n_stats, i_dom, i_overall, i_roi, i_break;
} Ctx;

static void
group_free(gpointer p)
{
    Group *g = p;
    g_free(g->label);
    g_free(g);
}

/* Natural order of labels: runs of digits compare as numbers ("cohort2"
 * before "cohort10"), the rest byte by byte. */
static int
natural_cmp(const char *x, const char *y)
{
    while (*x && *y) {
        if (g_ascii_isdigit(*x) && g_ascii_isdigit(*y)) {
            while (*x == '0') {
                x++;
            }
            while (*y == '0') {
                y++;
            }
            gsize nx = 0, ny = 0;
            while (g_ascii_isdigit(x[nx])) {
                nx++;
            }
            while (g_ascii_isdigit(y[ny])) {
                ny++;
            }
            if (nx != ny) {
                return nx < ny ? -1 : 1;
            }
            int c = strncmp(x, y, nx);
            if (c != 0) {
                return c;
            }
            x += nx;
            y += ny;
        } else {
            if (*x != *y) {
                return (unsigned char) *x < (unsigned char) *y ? -1 : 1;
            }
            x++;
            y++;
        }
    }
    return *x ? 1 : *y ? -1 : 0;
}

/* Order of breakdown groups in the output: by breakdown (as created), then
 * cohorts in natural label order, the other breakdowns as created. */
static gint
cmp_group(gconstpointer a, gconstpointer b, gpointer data)
{
    GPtrArray *groups = data;
    guint i = *(const guint *) a, j = *(const guint *) b;
    const Group *x = groups->pdata[i], *y = groups->pdata[j];
    if (strcmp(x->breakdown, "cohort") == 0 && strcmp(y->breakdown, "cohort") == 0) {
        int c = natural_cmp(x->label, y->label);
        if (c != 0) {
            return c;
        }
    }
    return i < j ? -1 : i > j;
}

static double
weighted_index(const double *v, const double *w, gsize n)
{
    double s = 0, sw = 0;
    for (gsize i = 0; i < n; i++) {
        if (isfinite(v[i]) && w[i] > 0) {
            s += w[i] * v[i];
            sw += w[i];
        }
    }
    return sw > 0 ? s / sw : NAN;
}

static gboolean
statistic(double *out, const double *w, gpointer user_data)
{
    const Ctx *c = user_data;
    Weights wv = { w, NULL, NULL, 0 };
    g_autofree guint32 *changed = NULL;
    g_autofree double *dw = NULL;
    if (w) {
        /* sparse path when at most 1/16 of the clusters differ from 1 */
        gsize limit = c->n_clusters / 16 + 1, k = 0;
        changed = g_new(guint32, limit);
        dw = g_new(double, limit);
        for (gsize j = 0; j < c->n_clusters && k <= limit; j++) {
            if (w[j] != 1.0) {
                if (k < limit) {
                    changed[k] = (guint32) j;
                    dw[k] = w[j] - 1.0;
                }
                k++;
            }
        }
        if (k < limit) {
            wv.changed = changed;
            wv.dw = dw;
            wv.n_changed = k;
        }
    }
    gsize ns = c->scales->len;
    double dom_g[IMPACT_N_DOMAINS][64];
    double dom_w[IMPACT_N_DOMAINS][64];
    gsize dom_n[IMPACT_N_DOMAINS] = { 0 };
    double benefits = 0;
    gboolean any_value = FALSE;
    for (gsize i = 0; i < ns; i++) {
        const OutScale *s = &g_array_index(c->scales, OutScale, i);
        double T[N_MOM], C[N_MOM], eff, g;
        cell_moments(&s->prog, &wv, T);
        if (c->controlled) {
            cell_moments(&s->comp, &wv, C);
            g = effect_controlled(T, C, &eff);
        } else {
            g = effect_uncontrolled(T, &eff);
        }
        out[2 * i] = g;
        out[2 * i + 1] = eff;
        gsize d = s->domain, j = dom_n[d]++;
        if (j < 64) {
            dom_g[d][j] = g;
            dom_w[d][j] = s->weight;
        }
        if (isfinite(s->value)) {
            any_value = TRUE;
            benefits += s->value * eff * T[M_N];
        }
    }
    double idx[IMPACT_N_DOMAINS];
    for (int d = 0; d < IMPACT_N_DOMAINS; d++) {
        idx[d] = weighted_index(dom_g[d], dom_w[d], MIN(dom_n[d], 64));
        out[c->i_dom + d] = idx[d];
    }
    double overall = weighted_index(idx, c->domain_weight, IMPACT_N_DOMAINS);
    out[c->i_overall] = overall;
    /* value for money */
    double parts = 0;
    for (gsize k = 0; k < c->n_clusters; k++) {
        parts += (w ? w[k] : 1.0) * c->pcount[k];
    }
    double costs = isfinite(c->cost_total) ? c->cost_total
                   : isfinite(c->cost_per_participant) ? c->cost_per_participant * parts
                                                       : NAN;
    double *roi = out + c->i_roi;
    roi[0] = any_value ? benefits : NAN;
    roi[1] = any_value && costs > 0 ? 100.0 * (benefits - costs) / costs : NAN;
    roi[2] = any_value && costs > 0 ? benefits / costs : NAN;
    roi[3] = parts > 0 && overall > 0 ? costs / parts / overall : NAN;
    /* breakdowns: the domain index of each group's programme units */
    for (guint gi = 0; gi < c->groups->len; gi++) {
        for (int d = 0; d < 2; d++) {
            double gv[64], gw[64];
            gsize n = 0;
            for (gsize i = 0; i < ns && n < 64; i++) {
                const OutScale *s = &g_array_index(c->scales, OutScale, i);
                if ((int) s->domain != d || s->group == NULL) {
                    continue;
                }
                double T[N_MOM], C[N_MOM], eff;
                cell_moments(&s->group[gi], &wv, T);
                if (c->controlled) {
                    cell_moments(&s->comp, &wv, C);
                    gv[n] = effect_controlled(T, C, &eff);
                } else {
                    gv[n] = effect_uncontrolled(T, &eff);
                }
                gw[n++] = s->weight;
            }
            out[c->i_break + 2 * gi + d] = weighted_index(gv, gw, n);
        }
    }
    return TRUE;
}

/* ---- helpers --------------------------------------------------------------- */

/* The items of @domain (all if < 0) but those of @drop_scale, or only
 * those of @only_scale when given. */
static ImpactCodebook *
sub_codebook(const ImpactCodebook *cb, int domain, const char *drop_scale, const char *only_scale)
{
    ImpactCodebook *sub = impact_codebook_new();
    for (gsize i = 0; i < impact_codebook_n_items(cb); i++) {
        gsize s = impact_codebook_item_scale(cb, i);
        const char *name = impact_codebook_scale_name(cb, s);
        if ((domain >= 0 && (int) impact_codebook_scale_domain(cb, s) != domain) ||
            (drop_scale && strcmp(name, drop_scale) == 0) ||
            (only_scale && strcmp(name, only_scale) != 0)) {
            continue;
        }
        gboolean ok = impact_codebook_add_item(
            sub, impact_codebook_item_name(cb, i), name, impact_codebook_scale_domain(cb, s),
            impact_codebook_item_min(cb, i), impact_codebook_item_max(cb, i),
            impact_codebook_item_reverse(cb, i), impact_codebook_item_weight(cb, i),
            impact_codebook_item_label(cb, i), NULL);
        g_assert(ok);
    }
    return sub;
}

/* The object of array @path of @res whose "scale" member is @name (borrowed). */
static JsonNode *
find_scale(const ImpactResult *res, const char *array, const char *name)
{
    if (res == NULL) {
        return NULL;
    }
    JsonNode *root = impact_i_result_root(res);
    if (!JSON_NODE_HOLDS_OBJECT(root)) {
        return NULL;
    }
    JsonObject *o = json_node_get_object(root);
    if (!json_object_has_member(o, array)) {
        return NULL;
    }
    JsonNode *an = json_object_get_member(o, array);
    if (!JSON_NODE_HOLDS_ARRAY(an)) {
        return NULL;
    }
    JsonArray *a = json_node_get_array(an);
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonNode *e = json_array_get_element(a, i);
        if (JSON_NODE_HOLDS_OBJECT(e)) {
            const char *s = json_object_get_string_member_with_default(json_node_get_object(e),
                                                                       "scale", "");
            if (strcmp(s, name) == 0) {
                return e;
            }
        }
    }
    return NULL;
}

static double
member_double(JsonObject *o, const char *key)
{
    if (o == NULL || !json_object_has_member(o, key)) {
        return NAN;
    }
    JsonNode *n = json_object_get_member(o, key);
    if (JSON_NODE_HOLDS_VALUE(n)) {
        GType t = json_node_get_value_type(n);
        if (t == G_TYPE_DOUBLE || t == G_TYPE_INT64 || t == G_TYPE_INT) {
            return json_node_get_double(n);
        }
    }
    return NAN;
}

/* Copies member @key of @o (if any) as member @as of the builder's object. */
static void
copy_member(JsonBuilder *b, JsonObject *o, const char *key, const char *as)
{
    json_builder_set_member_name(b, as ? as : key);
    if (o && json_object_has_member(o, key)) {
        json_builder_add_value(b, json_node_copy(json_object_get_member(o, key)));
    } else {
        json_builder_add_null_value(b);
    }
}

static void
suppressed_add(JsonBuilder *b, const char *source, const char *domain, const char *what,
               const char *label, const char *wave, const char *role, const char *reason)
{
    json_builder_begin_object(b);
    impact_i_json_string(b, "source", source);
    if (domain) {
        impact_i_json_string(b, "domain", domain);
    }
    impact_i_json_string(b, what, label);
    if (wave) {
        impact_i_json_string(b, "wave", wave);
    }
    if (role) {
        impact_i_json_string(b, "role", role);
    }
    impact_i_json_string(b, "reason", reason);
    json_builder_end_object(b);
}

/* Copies every element of array @array of @res into the builder's current
 * array, adding "source" (and "domain") members. */
static void
copy_suppressed(JsonBuilder *b, const ImpactResult *res, const char *source, const char *domain,
                const char *scale_path)
{
    if (res == NULL) {
        return;
    }
    JsonNode *root = impact_i_result_root(res);
    if (!JSON_NODE_HOLDS_OBJECT(root)) {
        return;
    }
    GPtrArray *arrays = g_ptr_array_new();
    JsonObject *ro = json_node_get_object(root);
    if (scale_path == NULL) {
        if (json_object_has_member(ro, "suppressed") &&
            JSON_NODE_HOLDS_ARRAY(json_object_get_member(ro, "suppressed"))) {
            g_ptr_array_add(arrays, json_object_get_array_member(ro, "suppressed"));
        }
    } else if (json_object_has_member(ro, scale_path) &&
               JSON_NODE_HOLDS_ARRAY(json_object_get_member(ro, scale_path))) {
        JsonArray *sc = json_object_get_array_member(ro, scale_path);
        for (guint i = 0; i < json_array_get_length(sc); i++) {
            JsonNode *e = json_array_get_element(sc, i);
            if (JSON_NODE_HOLDS_OBJECT(e) &&
                json_object_has_member(json_node_get_object(e), "suppressed") &&
                JSON_NODE_HOLDS_ARRAY(
                    json_object_get_member(json_node_get_object(e), "suppressed"))) {
                g_ptr_array_add(arrays,
                                json_object_get_array_member(json_node_get_object(e),
                                                             "suppressed"));
            }
        }
    }
    for (guint a = 0; a < arrays->len; a++) {
        JsonArray *arr = arrays->pdata[a];
        for (guint i = 0; i < json_array_get_length(arr); i++) {
            JsonNode *e = json_array_get_element(arr, i);
            if (!JSON_NODE_HOLDS_OBJECT(e)) {
                continue;
            }
            JsonObject *o = json_node_get_object(e);
            json_builder_begin_object(b);
            impact_i_json_string(b, "source", source);
            if (domain) {
                impact_i_json_string(b, "domain", domain);
            }
            GList *members = json_object_get_members(o);
            for (GList *l = members; l; l = l->next) {
                if (strcmp(l->data, "source") == 0 || strcmp(l->data, "domain") == 0) {
                    continue;
                }
                copy_member(b, o, l->data, NULL);
            }
            g_list_free(members);
            json_builder_end_object(b);
        }
    }
    g_ptr_array_unref(arrays);
}

/* The rows @keep of @t with only the design's role columns and the items of
 * @items (levels, codes and the source name kept): what a module needs,
 * without copying the other item columns. O(kept rows × columns). */
static gboolean
filter_rows(ImpactTable **out, const ImpactTable *t, const gboolean *keep,
            const ImpactDesign *d, const ImpactCodebook *items, GError **error)
{
    gsize n = impact_table_n_rows(t), m = 0;
    g_autofree gsize *rows = g_new(gsize, MAX(n, 1));
    for (gsize r = 0; r < n; r++) {
        if (keep[r]) {
            rows[m++] = r;
        }
    }
    g_autoptr(ImpactTable) sub = impact_table_new();
    impact_i_table_set_source(sub, impact_table_source(t));
    g_autofree int *codes = g_new(int, MAX(m, 1));
    g_autofree double *x = g_new(double, MAX(m, 1));
    for (int role = 0; role < IMPACT_I_N_ROLES; role++) {
        const char *name = d->columns[role];
        gboolean dup = FALSE;
        for (int q = 0; q < role && name; q++) {
            dup = dup || (d->columns[q] && strcmp(d->columns[q], name) == 0);
        }
        if (name == NULL || dup) {
            continue;
        }
        gsize c = (gsize) impact_table_column_index(t, name);
        const guint32 *cc = impact_table_codes(t, c);
        gsize nl = impact_table_n_levels(t, c);
        g_autofree const char **levels = g_new(const char *, MAX(nl, 1));
        for (gsize l = 0; l < nl; l++) {
            levels[l] = impact_table_level(t, c, (guint32) l);
        }
        for (gsize i = 0; i < m; i++) {
            codes[i] = cc[rows[i]] == IMPACT_TABLE_NA ? -1 : (int) cc[rows[i]];
        }
        if (!impact_table_add_factor(sub, name, codes, m, levels, nl, error)) {
            return FALSE;
        }
    }
    for (gsize i = 0; i < impact_codebook_n_items(items); i++) {
        const char *name = impact_codebook_item_name(items, i);
        const double *v = impact_table_numeric(t, (gsize) impact_table_column_index(t, name));
        for (gsize j = 0; j < m; j++) {
            x[j] = v[rows[j]];
        }
        if (!impact_table_add_numeric(sub, name, x, m, error)) {
            return FALSE;
        }
    }
    *out = g_steal_pointer(&sub);
    return TRUE;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

static const char *const unit_plural[IMPACT_N_DOMAINS] = { "participants", "teams",
                                                           "organisations" };

static void
fmt_ci(GString *s, double v, double lo, double hi)
{
    g_string_append_printf(s, "g = %.2f", v);
    if (isfinite(lo) && isfinite(hi)) {
        g_string_append_printf(s, " [%.2f, %.2f]", lo, hi);
    }
}

static char *
statement(const char *subject, double g, double lo, double hi, gboolean controlled,
          const char *units, double n_t, double n_c, const char *follow_up)
{
    GString *s = g_string_new(subject);
    if (!isfinite(g)) {
        g_string_append(s, ": no effect size could be estimated (too few paired units)");
        return g_string_free(s, FALSE);
    }
    const char *verb;
    if (isfinite(lo) && isfinite(hi)) {
        verb = lo > 0 ? "improved by" : hi < 0 ? "declined by" : "showed no clear change,";
    } else {
        verb = g > 0 ? "improved (no interval) by" : g < 0 ? "declined (no interval) by"
                                                           : "did not change,";
    }
    g_string_append_printf(s, " %s ", verb);
    fmt_ci(s, g, lo, hi);
    if (controlled) {
        g_string_append_printf(s, " against comparison %s (%.0f programme and %.0f comparison %s, "
                                  "baseline to %s)",
                               units, n_t, n_c, units, follow_up);
    } else {
        g_string_append_printf(s, " from baseline to %s (%.0f %s; no comparison group)",
                               follow_up, n_t, units);
    }
    return g_string_free(s, FALSE);
}

/* ---- the evaluation -------------------------------------------------------- */

/* The design's interval (percentile or BCa) of statistic @stat; NaN limits
 * when undefined (no replicates, too few valid ones). */
static void
boot_ci(const ImpactDesign *d, const ImpactBootstrap *b, gsize stat, double *lo, double *hi)
{
    if (d->bca) {
        impact_bootstrap_bca_ci(b, stat, lo, hi);
    } else {
        impact_bootstrap_percentile_ci(b, stat, lo, hi);
    }
}

typedef struct {
    ImpactProgressFunc progress;
    gpointer data;
    double from, to;
} Progress;

static gboolean
boot_progress(double f, gpointer p)
{
    Progress *pr = p;
    return pr->progress == NULL || pr->progress(pr->from + (pr->to - pr->from) * f, pr->data);
}

static gboolean
cancelled(const ImpactEvaluateOptions *o, double f, GError **error)
{
    if (o->progress && !o->progress(f, o->progress_data)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_CANCELLED, "evaluation cancelled");
        return TRUE;
    }
    return FALSE;
}

/* Phase timings for benchmarks: G_MESSAGES_DEBUG=all shows them. */
static void
phase(gint64 *t0, const char *what)
{
    gint64 t = g_get_monotonic_time();
    g_debug("evaluate: %s %.3f s", what, (double) (t - *t0) / 1e6);
    *t0 = t;
}

/* Bootstrap clusters: the levels of the [bootstrap] cluster column, and a
 * cluster of its own for a unit whose row has no value there (a lone
 * participant when learning sets are the clusters). Ids in order of first
 * appearance. */
typedef struct {
    const guint32 *codes;                 /* cluster column codes, or NULL */
    guint32 *by_level;                    /* level -> id (G_MAXUINT32: none yet) */
    guint32 *by_unit[IMPACT_N_DOMAINS];   /* unit -> own id */
    GArray *arm;                          /* gint8 per id: -2 unknown, 0, 1 */
} Clusters;

static guint32
cluster_new(Clusters *c)
{
    guint32 id = c->arm->len;
    gint8 a = -2;
    g_array_append_val(c->arm, a);
    return id;
}

static guint32
cluster_of(Clusters *c, gsize r, int dom, guint32 u)
{
    guint32 bc = c->codes ? c->codes[r] : IMPACT_TABLE_NA;
    guint32 *slot = bc != IMPACT_TABLE_NA ? &c->by_level[bc] : &c->by_unit[dom][u];
    if (*slot == G_MAXUINT32) {
        *slot = cluster_new(c);
    }
    return *slot;
}

static void
clusters_clear(Clusters *c)
{
    g_free(c->by_level);
    for (int d = 0; d < IMPACT_N_DOMAINS; d++) {
        g_free(c->by_unit[d]);
    }
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Clusters, clusters_clear)

static const ImpactIRole unit_role[IMPACT_N_DOMAINS] = { IMPACT_I_ROLE_PARTICIPANT,
                                                         IMPACT_I_ROLE_TEAM,
                                                         IMPACT_I_ROLE_ORGANISATION };

/* The evaluation between the baseline and follow-up @follow (NULL: the
 * design's primary), with the composed modules when @modules. */
static gboolean
evaluate_at(ImpactResult **out, const ImpactTable *t, const ImpactCodebook *cb,
            const ImpactDesign *d, const ImpactEvaluateOptions *options, const char *follow_wave,
            gboolean modules, GError **error)
{
    ImpactEvaluateOptions o = IMPACT_EVALUATE_OPTIONS_INIT;
    if (options) {
        o = *options;
    }
    if (o.version != 1) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "evaluate: unknown options version %u", o.version);
        return FALSE;
    }
    if (!impact_design_check(d, cb, t, error)) {
        return FALSE;
    }
    if (cancelled(&o, 0.0, error)) {
        return FALSE;
    }
    const gsize nr = impact_table_n_rows(t);
    gssize col[IMPACT_I_N_ROLES];
    const guint32 *codes[IMPACT_I_N_ROLES];
    for (int r = 0; r < IMPACT_I_N_ROLES; r++) {
        col[r] = d->columns[r] ? impact_table_column_index(t, d->columns[r]) : -1;
        codes[r] = col[r] >= 0 ? impact_table_codes(t, (gsize) col[r]) : NULL;
    }
    const char *baseline = d->waves[0];
    const char *follow = follow_wave    ? follow_wave
                         : d->primary ? d->primary
                                      : d->waves[g_strv_length(d->waves) - 1];
    const char *support = d->support;
    const guint k = d->k;

    /* wave of each level: 0 baseline, 1 follow-up, -1 other */
    gsize wcol = (gsize) col[IMPACT_I_ROLE_WAVE];
    gsize n_wl = impact_table_n_levels(t, wcol);
    g_autofree gint8 *wave_of = g_new(gint8, MAX(n_wl, 1));
    for (gsize l = 0; l < n_wl; l++) {
        const char *s = impact_table_level(t, wcol, (guint32) l);
        wave_of[l] = strcmp(s, baseline) == 0 ? 0 : strcmp(s, follow) == 0 ? 1 : -1;
    }
    /* arm of each level: 0 programme, 1 comparison, -1 neither */
    gsize n_al = col[IMPACT_I_ROLE_ARM] >= 0
                     ? impact_table_n_levels(t, (gsize) col[IMPACT_I_ROLE_ARM])
                     : 0;
    g_autofree gint8 *arm_of = g_new(gint8, MAX(n_al, 1));
    for (gsize l = 0; l < n_al; l++) {
        const char *s = impact_table_level(t, (gsize) col[IMPACT_I_ROLE_ARM], (guint32) l);
        if (d->comparison && strcmp(s, d->comparison) == 0) {
            arm_of[l] = 1;
        } else if (d->programme == NULL ||
                   g_strv_contains((const char *const *) d->programme, s)) {
            arm_of[l] = 0;
        } else {
            arm_of[l] = -1;
        }
    }
    const gboolean controlled = d->comparison != NULL;
    /* rater levels: self? */
    gsize n_rl = col[IMPACT_I_ROLE_RATER] >= 0
                     ? impact_table_n_levels(t, (gsize) col[IMPACT_I_ROLE_RATER])
                     : 0;
    g_autofree gboolean *is_self = g_new0(gboolean, MAX(n_rl, 1));
    for (gsize l = 0; l < n_rl; l++) {
        is_self[l] = strcmp(impact_table_level(t, (gsize) col[IMPACT_I_ROLE_RATER], (guint32) l),
                            d->self_label) == 0;
    }

    /* scale scores */
    g_autoptr(ImpactTable) scores = NULL;
    gint64 clock = g_get_monotonic_time();
    if (!impact_score_table(&scores, t, cb, NULL, NULL, error)) {
        return FALSE;
    }
    phase(&clock, "scores");
    const gsize n_sc = impact_codebook_n_scales(cb);
    gssize support_idx = support ? impact_codebook_scale_index(cb, support) : -1;

    /* bootstrap clusters: labels of the cluster role, or the unit itself */
    int boot_role = d->boot_role >= 0 ? d->boot_role
                    : col[IMPACT_I_ROLE_ORGANISATION] >= 0 ? IMPACT_I_ROLE_ORGANISATION
                                                           : IMPACT_I_ROLE_PARTICIPANT;
    if (col[boot_role] < 0) {
        boot_role = col[IMPACT_I_ROLE_TEAM] >= 0 ? IMPACT_I_ROLE_TEAM : IMPACT_I_ROLE_ORGANISATION;
    }
    g_autoptr(GArray) cluster_arm = g_array_new(FALSE, FALSE, sizeof(gint8));
    gboolean mixed_strata = FALSE;

    g_autoptr(JsonBuilder) sup = json_builder_new(); /* suppressed entries */
    json_builder_begin_array(sup);
    g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);

    /* participants: cohort, learning set, baseline support, arm, cluster */
    gsize n_part = col[IMPACT_I_ROLE_PARTICIPANT] >= 0
                       ? impact_table_n_levels(t, (gsize) col[IMPACT_I_ROLE_PARTICIPANT])
                       : 0;
    g_autofree guint32 *p_cohort = g_new(guint32, MAX(n_part, 1));
    g_autofree guint32 *p_set = g_new(guint32, MAX(n_part, 1));
    g_autofree double *p_sup_sum = g_new0(double, MAX(n_part, 1));
    g_autofree double *p_sup_n = g_new0(double, MAX(n_part, 1));
    g_autofree gint8 *p_arm = g_new(gint8, MAX(n_part, 1));
    g_autofree guint32 *p_cluster = g_new(guint32, MAX(n_part, 1));
    for (gsize p = 0; p < n_part; p++) {
        p_cohort[p] = p_set[p] = p_cluster[p] = G_MAXUINT32;
        p_arm[p] = -2;
    }
    const double *sup_score =
        support_idx >= 0 ? impact_table_numeric(scores, (gsize) support_idx) : NULL;

    g_auto(Clusters) clu = { 0 };
    clu.codes = codes[boot_role];
    clu.by_level = g_new(guint32, MAX(clu.codes ? impact_table_n_levels(t, (gsize) col[boot_role])
                                                : 0,
                                      1));
    if (clu.codes) {
        memset(clu.by_level, 0xff,
               sizeof(guint32) * impact_table_n_levels(t, (gsize) col[boot_role]));
    }
    for (int dom = 0; dom < IMPACT_N_DOMAINS; dom++) {
        gsize nl = col[unit_role[dom]] >= 0
                       ? impact_table_n_levels(t, (gsize) col[unit_role[dom]])
                       : 0;
        clu.by_unit[dom] = g_new(guint32, MAX(nl, 1));
        memset(clu.by_unit[dom], 0xff, sizeof(guint32) * MAX(nl, 1));
    }
    clu.arm = cluster_arm;
#define CLUSTER_OF(r, dom, u) cluster_of(&clu, (r), (dom), (u))

    if (n_part > 0) {
        const guint32 *pc = codes[IMPACT_I_ROLE_PARTICIPANT];
        for (gsize r = 0; r < nr; r++) {
            guint32 p = pc[r];
            if (p == IMPACT_TABLE_NA) {
                continue;
            }
            if (codes[IMPACT_I_ROLE_COHORT] && p_cohort[p] == G_MAXUINT32) {
                p_cohort[p] = codes[IMPACT_I_ROLE_COHORT][r];
            }
            if (codes[IMPACT_I_ROLE_CLUSTER] && p_set[p] == G_MAXUINT32) {
                p_set[p] = codes[IMPACT_I_ROLE_CLUSTER][r];
            }
            if (p_arm[p] == -2) {
                p_arm[p] = codes[IMPACT_I_ROLE_ARM]
                               ? (codes[IMPACT_I_ROLE_ARM][r] == IMPACT_TABLE_NA
                                      ? -1
                                      : arm_of[codes[IMPACT_I_ROLE_ARM][r]])
                               : 0;
            }
            if (p_cluster[p] == G_MAXUINT32) {
                p_cluster[p] = CLUSTER_OF(r, IMPACT_DOMAIN_INDIVIDUAL, p);
            }
            if (sup_score && codes[IMPACT_I_ROLE_WAVE][r] != IMPACT_TABLE_NA &&
                wave_of[codes[IMPACT_I_ROLE_WAVE][r]] == 0 && !isnan(sup_score[r])) {
                p_sup_sum[p] += sup_score[r];
                p_sup_n[p] += 1;
            }
        }
    }

    /* which outcome scales exist per domain */
    g_autoptr(GArray) outs = g_array_new(FALSE, TRUE, sizeof(OutScale));
    gsize dom_scales[IMPACT_N_DOMAINS] = { 0 };
    for (gsize s = 0; s < n_sc; s++) {
        if ((gssize) s == support_idx) {
            continue;
        }
        OutScale os = { 0 };
        os.scale = s;
        os.domain = impact_codebook_scale_domain(cb, s);
        os.weight = impact_codebook_scale_weight(cb, s);
        os.value = NAN;
        for (guint v = 0; v < d->value_scales->len; v++) {
            if (strcmp(d->value_scales->pdata[v], impact_codebook_scale_name(cb, s)) == 0) {
                os.value = g_array_index(d->values, double, v);
            }
        }
        dom_scales[os.domain]++;
        g_array_append_val(outs, os);
    }
    if (dom_scales[0] > 64 || dom_scales[1] > 64 || dom_scales[2] > 64) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "evaluate: at most 64 outcome scales per domain are supported");
        return FALSE;
    }

    /* breakdown groups, by participant */
    g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func(group_free);
    gsize n_cohort_l = codes[IMPACT_I_ROLE_COHORT]
                           ? impact_table_n_levels(t, (gsize) col[IMPACT_I_ROLE_COHORT])
                           : 0;
    /* group index of each participant for each breakdown (cohort, clustering, support) */
    g_autofree gint *p_group = g_new(gint, MAX(n_part, 1) * 3);
    for (gsize p = 0; p < n_part * 3; p++) {
        p_group[p] = -1;
    }
    if (n_part > 0) {
        for (gsize l = 0; l < n_cohort_l; l++) {
            Group *g = g_new0(Group, 1);
            g->breakdown = "cohort";
            g->label = g_strdup(impact_table_level(t, (gsize) col[IMPACT_I_ROLE_COHORT],
                                                   (guint32) l));
            g_ptr_array_add(groups, g);
        }
        for (gsize p = 0; p < n_part; p++) {
            if (p_cohort[p] != G_MAXUINT32) {
                p_group[p * 3 + 0] = (gint) p_cohort[p];
            }
        }
        if (codes[IMPACT_I_ROLE_CLUSTER]) {
            gsize n_sets = impact_table_n_levels(t, (gsize) col[IMPACT_I_ROLE_CLUSTER]);
            g_autofree guint *set_size = g_new0(guint, MAX(n_sets, 1));
            for (gsize p = 0; p < n_part; p++) {
                if (p_set[p] != G_MAXUINT32) {
                    set_size[p_set[p]]++;
                }
            }
            gint base = (gint) groups->len;
            const char *labels[2] = { "clustered", "lone" };
            for (int i = 0; i < 2; i++) {
                Group *g = g_new0(Group, 1);
                g->breakdown = "clustering";
                g->label = g_strdup(labels[i]);
                g_ptr_array_add(groups, g);
            }
            for (gsize p = 0; p < n_part; p++) {
                gboolean clustered = p_set[p] != G_MAXUINT32 && set_size[p_set[p]] >= 2;
                p_group[p * 3 + 1] = base + (clustered ? 0 : 1);
            }
        }
        if (sup_score) {
            g_autofree double *v = g_new(double, n_part);
            gsize nv = 0;
            for (gsize p = 0; p < n_part; p++) {
                if (p_sup_n[p] > 0) {
                    v[nv++] = p_sup_sum[p] / p_sup_n[p];
                }
            }
            qsort(v, nv, sizeof(double), cmp_double);
            double q1 = impact_quantile_sorted(v, nv, 1.0 / 3.0);
            double q2 = impact_quantile_sorted(v, nv, 2.0 / 3.0);
            gint base = (gint) groups->len;
            const char *labels[3] = { "low support", "middle support", "high support" };
            for (int i = 0; i < 3; i++) {
                Group *g = g_new0(Group, 1);
                g->breakdown = "support";
                g->label = g_strdup(labels[i]);
                g_ptr_array_add(groups, g);
            }
            for (gsize p = 0; p < n_part; p++) {
                if (p_sup_n[p] > 0) {
                    double x = p_sup_sum[p] / p_sup_n[p];
                    p_group[p * 3 + 2] = base + (x <= q1 ? 0 : x <= q2 ? 1 : 2);
                }
            }
        }
    }
    if (cancelled(&o, 0.05, error)) {
        return FALSE;
    }

    /* per domain: units, anonymity, pairs */
    gboolean *keep_rows[IMPACT_N_DOMAINS] = { NULL, NULL, NULL };
    gsize n_units_total[IMPACT_N_DOMAINS] = { 0 };
    GArray *pairs_pre = g_array_new(FALSE, FALSE, sizeof(double));
    GArray *pairs_post = g_array_new(FALSE, FALSE, sizeof(double));
    GArray *pairs_cl = g_array_new(FALSE, FALSE, sizeof(guint32));
    GArray *pairs_part = g_array_new(FALSE, FALSE, sizeof(guint32));
    GArray *pairs_arm = g_array_new(FALSE, FALSE, sizeof(gint8));
    gboolean ok = TRUE;
    for (int dom = 0; ok && dom < IMPACT_N_DOMAINS; dom++) {
        if (dom_scales[dom] == 0) {
            continue;
        }
        gsize ucol = (gsize) col[unit_role[dom]];
        const guint32 *uc = codes[unit_role[dom]];
        gsize nu = impact_table_n_levels(t, ucol);
        g_autofree gint8 *u_arm = g_new(gint8, MAX(nu, 1));
        g_autofree guint32 *u_cl = g_new(guint32, MAX(nu, 1));
        g_autofree guint32 *u_part = g_new(guint32, MAX(nu, 1));
        g_autofree guint *u_resp = g_new0(guint, MAX(nu, 1) * 2);
        for (gsize u = 0; u < nu; u++) {
            u_arm[u] = -2;
            u_cl[u] = G_MAXUINT32;
            u_part[u] = G_MAXUINT32;
        }
        keep_rows[dom] = g_new0(gboolean, MAX(nr, 1));
        /* the domain's outcome scales */
        g_autofree gsize *ds = g_new(gsize, dom_scales[dom]);
        g_autofree const double **dsc = g_new(const double *, dom_scales[dom]);
        gsize nds = 0;
        for (guint i = 0; i < outs->len; i++) {
            OutScale *os = &g_array_index(outs, OutScale, i);
            if ((int) os->domain == dom) {
                ds[nds] = i;
                dsc[nds++] = impact_table_numeric(scores, os->scale);
            }
        }
        /* pass 1: rows of the domain; arms and clusters of units */
        for (gsize r = 0; r < nr && ok; r++) {
            guint32 u = uc[r];
            guint32 wl = codes[IMPACT_I_ROLE_WAVE][r];
            if (u == IMPACT_TABLE_NA || wl == IMPACT_TABLE_NA) {
                continue;
            }
            if (dom == IMPACT_DOMAIN_INDIVIDUAL && codes[IMPACT_I_ROLE_RATER]) {
                guint32 rl = codes[IMPACT_I_ROLE_RATER][r];
                gboolean self = rl != IMPACT_TABLE_NA && is_self[rl];
                if ((d->source == IMPACT_I_SOURCE_OTHERS && (self || rl == IMPACT_TABLE_NA)) ||
                    (d->source == IMPACT_I_SOURCE_SELF && !self)) {
                    continue;
                }
            }
            gboolean any = FALSE;
            for (gsize j = 0; j < nds && !any; j++) {
                any = !isnan(dsc[j][r]);
            }
            if (!any) {
                continue;
            }
            gint8 arm = 0;
            if (codes[IMPACT_I_ROLE_ARM]) {
                guint32 al = codes[IMPACT_I_ROLE_ARM][r];
                arm = al == IMPACT_TABLE_NA ? -1 : arm_of[al];
            }
            if (u_arm[u] == -2) {
                u_arm[u] = arm;
            } else if (u_arm[u] != arm) {
                g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                            "%s: %s '%s' (column '%s') appears in two arms; a unit must stay "
                            "in one arm",
                            impact_table_source(t), impact_i_role_name(unit_role[dom]),
                            impact_table_level(t, ucol, u), d->columns[unit_role[dom]]);
                ok = FALSE;
                break;
            }
            guint32 cl = CLUSTER_OF(r, dom, u);
            if (u_cl[u] == G_MAXUINT32) {
                u_cl[u] = cl;
            } else if (u_cl[u] != cl) {
                g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                            "%s: %s '%s' (column '%s') lies in two bootstrap clusters of column "
                            "'%s'; units must nest in the [bootstrap] cluster",
                            impact_table_source(t), impact_i_role_name(unit_role[dom]),
                            impact_table_level(t, ucol, u), d->columns[unit_role[dom]],
                            d->columns[boot_role]);
                ok = FALSE;
                break;
            }
            if (u_part[u] == G_MAXUINT32 && codes[IMPACT_I_ROLE_PARTICIPANT]) {
                u_part[u] = codes[IMPACT_I_ROLE_PARTICIPANT][r];
            }
            keep_rows[dom][r] = TRUE;
            if (wave_of[wl] >= 0) {
                u_resp[u * 2 + (gsize) wave_of[wl]]++;
            }
        }
        if (!ok) {
            break;
        }
        /* anonymity: team and organisation waves need k respondents */
        g_autofree gboolean *u_out = g_new0(gboolean, MAX(nu, 1) * 2);
        if (dom != IMPACT_DOMAIN_INDIVIDUAL) {
            for (gsize u = 0; u < nu; u++) {
                for (int w = 0; w < 2; w++) {
                    guint n = u_resp[u * 2 + (gsize) w];
                    if (n > 0 && n < k) {
                        u_out[u * 2 + (gsize) w] = TRUE;
                        g_autofree char *why = g_strdup_printf(
                            "fewer than k = %u respondents: not analysed", k);
                        suppressed_add(sup, "evaluation", impact_domain_name(dom),
                                       impact_i_role_name(unit_role[dom]),
                                       impact_table_level(t, ucol, (guint32) u),
                                       w == 0 ? baseline : follow, NULL, why);
                    }
                }
            }
            for (gsize r = 0; r < nr; r++) {
                if (keep_rows[dom][r]) {
                    gint8 w = wave_of[codes[IMPACT_I_ROLE_WAVE][r]];
                    if (w >= 0 && u_out[uc[r] * 2 + (gsize) w]) {
                        keep_rows[dom][r] = FALSE;
                    }
                }
            }
        }
        for (gsize u = 0; u < nu; u++) {
            if (u_arm[u] >= 0 && (u_resp[u * 2] || u_resp[u * 2 + 1])) {
                n_units_total[dom]++;
                gint8 *ca = &g_array_index(cluster_arm, gint8, u_cl[u]);
                if (*ca == -2) {
                    *ca = u_arm[u];
                } else if (*ca != u_arm[u]) {
                    mixed_strata = TRUE;
                }
            }
        }
        /* pass 2: unit wave means per scale, then pairs */
        g_autofree double *sum = g_new(double, MAX(nu, 1) * 2);
        g_autofree double *cnt = g_new(double, MAX(nu, 1) * 2);
        g_autofree guint32 *slot = g_new(guint32, MAX(cluster_arm->len, 1));
        memset(slot, 0xff, sizeof(guint32) * MAX(cluster_arm->len, 1));
        for (gsize j = 0; j < nds; j++) {
            OutScale *os = &g_array_index(outs, OutScale, ds[j]);
            memset(sum, 0, sizeof(double) * nu * 2);
            memset(cnt, 0, sizeof(double) * nu * 2);
            const double *x = dsc[j];
            for (gsize r = 0; r < nr; r++) {
                if (!keep_rows[dom][r] || isnan(x[r])) {
                    continue;
                }
                gint8 w = wave_of[codes[IMPACT_I_ROLE_WAVE][r]];
                if (w < 0) {
                    continue;
                }
                sum[uc[r] * 2 + (gsize) w] += x[r];
                cnt[uc[r] * 2 + (gsize) w] += 1;
            }
            g_array_set_size(pairs_pre, 0);
            g_array_set_size(pairs_post, 0);
            g_array_set_size(pairs_cl, 0);
            g_array_set_size(pairs_part, 0);
            g_array_set_size(pairs_arm, 0);
            for (gsize u = 0; u < nu; u++) {
                if (u_arm[u] < 0) {
                    continue;
                }
                gboolean a = cnt[u * 2] > 0, b = cnt[u * 2 + 1] > 0;
                if (a != b) {
                    os->unpaired++;
                }
                if (!(a && b)) {
                    continue;
                }
                double pre = sum[u * 2] / cnt[u * 2], post = sum[u * 2 + 1] / cnt[u * 2 + 1];
                g_array_append_val(pairs_pre, pre);
                g_array_append_val(pairs_post, post);
                g_array_append_val(pairs_cl, u_cl[u]);
                guint32 pp = dom == IMPACT_DOMAIN_INDIVIDUAL ? (guint32) u : u_part[u];
                g_array_append_val(pairs_part, pp);
                g_array_append_val(pairs_arm, u_arm[u]);
            }
            /* programme / comparison / group cells */
            gsize np = pairs_pre->len;
            g_autofree double *a_pre = g_new(double, MAX(np, 1));
            g_autofree double *a_post = g_new(double, MAX(np, 1));
            g_autofree guint32 *a_cl = g_new(guint32, MAX(np, 1));
            for (int arm = 0; arm < 2; arm++) {
                gsize m = 0;
                for (gsize i = 0; i < np; i++) {
                    if (g_array_index(pairs_arm, gint8, i) == arm) {
                        a_pre[m] = g_array_index(pairs_pre, double, i);
                        a_post[m] = g_array_index(pairs_post, double, i);
                        a_cl[m++] = g_array_index(pairs_cl, guint32, i);
                    }
                }
                os->n_units[arm] = (double) m;
                cell_build(arm == 0 ? &os->prog : &os->comp, a_pre, a_post, a_cl, m, slot);
            }
            if (dom != IMPACT_DOMAIN_ORGANISATION && groups->len > 0 && n_part > 0) {
                os->group = g_new0(Cell, groups->len);
                for (guint gi = 0; gi < groups->len; gi++) {
                    Group *g = groups->pdata[gi];
                    gsize m = 0;
                    for (gsize i = 0; i < np; i++) {
                        guint32 pp = g_array_index(pairs_part, guint32, i);
                        if (g_array_index(pairs_arm, gint8, i) != 0 || pp == G_MAXUINT32) {
                            continue;
                        }
                        gboolean in = FALSE;
                        for (int bd = 0; bd < 3; bd++) {
                            in = in || p_group[pp * 3 + (gsize) bd] == (gint) gi;
                        }
                        if (in) {
                            a_pre[m] = g_array_index(pairs_pre, double, i);
                            a_post[m] = g_array_index(pairs_post, double, i);
                            a_cl[m++] = g_array_index(pairs_cl, guint32, i);
                        }
                    }
                    cell_build(&os->group[gi], a_pre, a_post, a_cl, m, slot);
                    g->has[dom] = g->has[dom] || m > 0;
                    g->n[dom] = MAX(g->n[dom], (double) m);
                }
            }
        }
    }
    g_array_unref(pairs_pre);
    g_array_unref(pairs_post);
    g_array_unref(pairs_cl);
    g_array_unref(pairs_part);
    g_array_unref(pairs_arm);

    Ctx ctx = { 0 };
    ctx.scales = outs;
    ctx.groups = groups;
    ctx.n_clusters = cluster_arm->len;
    ctx.controlled = controlled;
    ctx.k = k;
    memcpy(ctx.domain_weight, d->domain_weight, sizeof ctx.domain_weight);
    ctx.cost_total = d->cost_total;
    ctx.cost_per_participant = d->cost_per_participant;
    ctx.pcount = g_new0(double, MAX(ctx.n_clusters, 1));
    gsize n_prog_part = 0;
    for (gsize p = 0; p < n_part; p++) {
        if (p_arm[p] == 0 && p_cluster[p] != G_MAXUINT32) {
            ctx.pcount[p_cluster[p]] += 1;
            n_prog_part++;
        }
    }
    ctx.i_dom = 2 * outs->len;
    ctx.i_overall = ctx.i_dom + IMPACT_N_DOMAINS;
    ctx.i_roi = ctx.i_overall + 1;
    ctx.i_break = ctx.i_roi + 4;
    ctx.n_stats = ctx.i_break + 2 * groups->len;

    g_autoptr(ImpactBootstrap) boot = NULL;
    g_autofree guint32 *strata = NULL;
    gboolean any_g = FALSE;
    if (ok) {
        /* suppress breakdown groups with fewer than k programme units */
        for (guint gi = 0; gi < groups->len; gi++) {
            Group *g = groups->pdata[gi];
            for (int dom = 0; dom < 2; dom++) {
                if (g->has[dom] && g->n[dom] < k) {
                    g->suppressed[dom] = TRUE;
                    g_autofree char *what = g_strdup_printf("%s: %s", g->breakdown, g->label);
                    g_autofree char *why = g_strdup_printf(
                        "fewer than k = %u programme units in the group", k);
                    suppressed_add(sup, "breakdown", impact_domain_name(dom), "group", what, NULL,
                                   NULL, why);
                }
            }
        }
        g_autofree double *est = g_new(double, ctx.n_stats);
        statistic(est, NULL, &ctx);
        for (guint i = 0; i < outs->len; i++) {
            any_g = any_g || isfinite(est[2 * i]);
        }
        if (!any_g) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INSUFFICIENT,
                        "%s: no outcome scale has enough units measured at both '%s' and '%s' "
                        "for an effect size",
                        impact_table_source(t), baseline, follow);
            ok = FALSE;
        }
    }
    if (ok) {
        if (!mixed_strata && controlled) {
            strata = g_new(guint32, MAX(ctx.n_clusters, 1));
            for (gsize c = 0; c < ctx.n_clusters; c++) {
                gint8 a = g_array_index(cluster_arm, gint8, c);
                strata[c] = a == 1 ? 1 : 0;
            }
        } else if (mixed_strata && controlled) {
            g_ptr_array_add(warnings,
                            g_strdup_printf("bootstrap clusters of column '%s' contain both arms: "
                                            "resampling is not stratified by arm",
                                            d->columns[boot_role]));
        }
        Progress pr = { o.progress, o.progress_data, 0.2, 0.95 };
        ImpactBootstrapOptions bo = IMPACT_BOOTSTRAP_OPTIONS_INIT;
        bo.replicates = o.replicates >= 0 ? (guint) o.replicates : d->replicates;
        bo.seed = d->seed;
        bo.threads = o.threads;
        bo.level = d->level;
        bo.progress = boot_progress;
        bo.progress_data = &pr;
        if (cancelled(&o, 0.2, error)) {
            ok = FALSE;
        } else {
            phase(&clock, "units, pairs and cells");
            ok = impact_bootstrap_run(&boot, MAX(ctx.n_clusters, 1), strata, statistic, &ctx,
                                      ctx.n_stats, &bo, error);
            phase(&clock, "bootstrap");
        }
    }

    /* composed modules: reliability, agreement, feedback, change */
    ImpactResult *rel[IMPACT_N_DOMAINS] = { NULL, NULL, NULL };
    ImpactResult *agr[IMPACT_N_DOMAINS] = { NULL, NULL, NULL };
    g_autofree ImpactResult **chg = g_new0(ImpactResult *, MAX(outs->len, 1));
    ImpactResult *fb = NULL;
    for (int dom = 0; ok && modules && dom < IMPACT_N_DOMAINS; dom++) {
        if (dom_scales[dom] == 0) {
            continue;
        }
        g_autoptr(ImpactCodebook) dcb = sub_codebook(cb, dom, NULL, NULL);
        g_autoptr(ImpactCodebook) ocb = sub_codebook(cb, dom, support, NULL);
        g_autofree gboolean *base_rows = g_new0(gboolean, MAX(nr, 1));
        g_autofree gboolean *any_rows = g_new0(gboolean, MAX(nr, 1));
        /* baseline rows answering any item of the domain (all raters) */
        gsize ni = impact_codebook_n_items(dcb);
        g_autofree const double **ic = g_new(const double *, MAX(ni, 1));
        for (gsize i = 0; i < ni; i++) {
            ic[i] = impact_table_numeric(
                t, (gsize) impact_table_column_index(t, impact_codebook_item_name(dcb, i)));
        }
        for (gsize r = 0; r < nr; r++) {
            guint32 wl = codes[IMPACT_I_ROLE_WAVE][r];
            if (wl == IMPACT_TABLE_NA) {
                continue;
            }
            gboolean any = FALSE;
            for (gsize i = 0; i < ni && !any; i++) {
                any = !isnan(ic[i][r]);
            }
            any_rows[r] = any;
            base_rows[r] = any && wave_of[wl] == 0;
        }
        g_autoptr(ImpactTable) tb = NULL;
        ok = filter_rows(&tb, t, base_rows, d, dcb, error);
        if (!ok) {
            break;
        }
        ImpactReliabilityOptions ro = IMPACT_RELIABILITY_OPTIONS_INIT;
        ro.ci_level = d->level;
        phase(&clock, "filter");
        ok = impact_reliability(&rel[dom], tb, dcb, &ro, error);
        phase(&clock, "reliability");
        if (!ok) {
            break;
        }
#ifdef IMPACT_AGREEMENT_OPTIONS_INIT
        if (dom != IMPACT_DOMAIN_INDIVIDUAL) {
            g_autofree gboolean *unit_rows = g_new0(gboolean, MAX(nr, 1));
            for (gsize r = 0; r < nr; r++) {
                unit_rows[r] = base_rows[r] && codes[unit_role[dom]][r] != IMPACT_TABLE_NA;
            }
            g_autoptr(ImpactTable) ta = NULL;
            ok = filter_rows(&ta, t, unit_rows, d, ocb, error);
            ImpactAgreementOptions ao = IMPACT_AGREEMENT_OPTIONS_INIT;
            ao.group = d->columns[unit_role[dom]];
            ao.within = dom == IMPACT_DOMAIN_TEAM ? d->columns[IMPACT_I_ROLE_ORGANISATION] : NULL;
            ao.min_group = k;
            ok = ok && impact_agreement(&agr[dom], ta, ocb, &ao, error);
            phase(&clock, "agreement");
            if (!ok) {
                break;
            }
        }
#endif
#ifdef IMPACT_FEEDBACK_OPTIONS_INIT
        if (dom == IMPACT_DOMAIN_INDIVIDUAL && codes[IMPACT_I_ROLE_RATER]) {
            g_autofree gboolean *fb_rows = g_new0(gboolean, MAX(nr, 1));
            for (gsize r = 0; r < nr; r++) {
                fb_rows[r] = base_rows[r] && codes[IMPACT_I_ROLE_RATER][r] != IMPACT_TABLE_NA &&
                             codes[IMPACT_I_ROLE_PARTICIPANT][r] != IMPACT_TABLE_NA;
            }
            g_autoptr(ImpactTable) tf = NULL;
            ok = filter_rows(&tf, t, fb_rows, d, ocb, error);
            ImpactFeedbackOptions fo = IMPACT_FEEDBACK_OPTIONS_INIT;
            fo.participant = d->columns[IMPACT_I_ROLE_PARTICIPANT];
            fo.rater = d->columns[IMPACT_I_ROLE_RATER];
            fo.self_label = d->self_label;
            fo.role_map = (const char *const *) d->role_map;
            fo.min_raters = k;
            fo.exempt = (const char *const *) d->exempt;
            fo.policy = d->suppress ? IMPACT_ANONYMITY_SUPPRESS : IMPACT_ANONYMITY_MERGE;
            fo.allow_missing_self = TRUE;
            ok = ok && impact_feedback(&fb, tf, ocb, &fo, error);
            phase(&clock, "feedback");
            if (!ok) {
                break;
            }
        }
#endif
        /* change and effect sizes per scale, with the RCI on the scale's
         * baseline alpha from the reliability module */
        for (guint i = 0; ok && i < outs->len; i++) {
            OutScale *os = &g_array_index(outs, OutScale, i);
            if ((int) os->domain != dom) {
                continue;
            }
            const char *sname = impact_codebook_scale_name(cb, os->scale);
            JsonNode *rn = find_scale(rel[dom], "scales", sname);
            g_autoptr(ImpactCodebook) scb = sub_codebook(cb, -1, NULL, sname);
            const char *only[2] = { sname, NULL };
            ImpactChangeOptions co = IMPACT_CHANGE_OPTIONS_INIT;
            co.unit = d->columns[unit_role[dom]];
            co.wave = d->columns[IMPACT_I_ROLE_WAVE];
            co.pre = baseline;
            co.post = follow;
            co.arm = d->columns[IMPACT_I_ROLE_ARM];
            co.control = d->comparison;
            co.level = d->level;
            co.scales = only;
            co.reliability = rn ? member_double(json_node_get_object(rn), "alpha") : NAN;
            if (!(co.reliability >= 0 && co.reliability < 1)) {
                co.reliability = NAN;
            }
            g_autoptr(ImpactTable) tc = NULL;
            ok = filter_rows(&tc, t, keep_rows[dom], d, scb, error) &&
                 impact_change(&chg[i], tc, scb, &co, error);
        }
        phase(&clock, "change");
        if (!ok) {
            break;
        }
        (void) any_rows;
    }
    if (ok && cancelled(&o, 0.97, error)) {
        ok = FALSE;
    }

    /* the result */
    JsonBuilder *b = NULL;
    if (ok) {
        b = json_builder_new();
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "design");
        json_builder_begin_object(b);
        impact_i_json_string(b, "baseline", baseline);
        impact_i_json_string(b, "follow_up", follow);
        impact_i_json_string(b, "comparison", d->comparison);
        impact_i_json_int(b, "k", k);
        impact_i_json_int(b, "programme_participants", (gint64) n_prog_part);
        json_builder_set_member_name(b, "bootstrap");
        json_builder_begin_object(b);
        impact_i_json_int(b, "replicates", impact_bootstrap_n_replicates(boot));
        impact_i_json_int(b, "seed", (gint64) d->seed);
        impact_i_json_double(b, "level", d->level);
        impact_i_json_string(b, "cluster", impact_i_role_name(boot_role));
        impact_i_json_int(b, "n_clusters", (gint64) ctx.n_clusters);
        impact_i_json_bool(b, "stratified", strata != NULL);
        impact_i_json_string(b, "interval", d->bca ? "bca" : "percentile");
        json_builder_end_object(b);
        json_builder_end_object(b);

        g_autoptr(GPtrArray) statements = g_ptr_array_new_with_free_func(g_free);
        double lo, hi;
        json_builder_set_member_name(b, "domains");
        json_builder_begin_array(b);
        for (int dom = 0; dom < IMPACT_N_DOMAINS; dom++) {
            if (dom_scales[dom] == 0) {
                continue;
            }
            json_builder_begin_object(b);
            impact_i_json_string(b, "domain", impact_domain_name(dom));
            impact_i_json_string(b, "unit", impact_i_role_name(unit_role[dom]));
            impact_i_json_int(b, "n_units", (gint64) n_units_total[dom]);
            impact_i_json_bool(b, "controlled", controlled);
            impact_i_json_double(b, "weight", d->domain_weight[dom]);
            double gi = impact_bootstrap_estimate(boot, ctx.i_dom + (gsize) dom);
            boot_ci(d, boot, ctx.i_dom + (gsize) dom, &lo, &hi);
            impact_i_json_double(b, "impact_index", gi);
            impact_i_json_pair(b, "impact_index_ci", lo, hi);
            double nt = 0, nc = 0;
            GString *names = g_string_new(NULL);
            for (guint i = 0; i < outs->len; i++) {
                OutScale *os = &g_array_index(outs, OutScale, i);
                if ((int) os->domain == dom) {
                    nt = MAX(nt, os->n_units[0]);
                    nc = MAX(nc, os->n_units[1]);
                    g_string_append_printf(names, "%s%s", names->len ? ", " : "",
                                           impact_codebook_scale_name(cb, os->scale));
                }
            }
            g_autofree char *subject = g_strdup_printf(
                "%c%s impact (%s)", g_ascii_toupper(impact_domain_name(dom)[0]),
                impact_domain_name(dom) + 1, names->str);
            g_string_free(names, TRUE);
            char *st = statement(subject, gi, lo, hi, controlled, unit_plural[dom], nt, nc, follow);
            impact_i_json_string(b, "statement", st);
            g_ptr_array_add(statements, st);
            json_builder_set_member_name(b, "scales");
            json_builder_begin_array(b);
            for (guint i = 0; i < outs->len; i++) {
                OutScale *os = &g_array_index(outs, OutScale, i);
                if ((int) os->domain != dom) {
                    continue;
                }
                const char *sname = impact_codebook_scale_name(cb, os->scale);
                json_builder_begin_object(b);
                impact_i_json_string(b, "scale", sname);
                impact_i_json_string(b, "domain", impact_domain_name(dom));
                impact_i_json_double(b, "weight", os->weight);
                impact_i_json_bool(b, "controlled", controlled);
                impact_i_json_int(b, "n_programme", (gint64) os->n_units[0]);
                impact_i_json_int(b, "n_comparison", (gint64) os->n_units[1]);
                impact_i_json_int(b, "unpaired", (gint64) os->unpaired);
                double e = impact_bootstrap_estimate(boot, 2 * i + 1);
                boot_ci(d, boot, 2 * i + 1, &lo, &hi);
                impact_i_json_double(b, "effect", e);
                impact_i_json_pair(b, "effect_ci", lo, hi);
                double g = impact_bootstrap_estimate(boot, 2 * i);
                boot_ci(d, boot, 2 * i, &lo, &hi);
                impact_i_json_double(b, "g", g);
                impact_i_json_pair(b, "g_ci", lo, hi);
                g_autofree char *sst = statement(sname, g, lo, hi, controlled, unit_plural[dom],
                                                 os->n_units[0], os->n_units[1], follow);
                impact_i_json_string(b, "statement", sst);
                /* reliability */
                JsonNode *rn = find_scale(rel[dom], "scales", sname);
                JsonObject *ro = rn ? json_node_get_object(rn) : NULL;
                json_builder_set_member_name(b, "reliability");
                if (ro) {
                    json_builder_begin_object(b);
                    copy_member(b, ro, "n", NULL);
                    copy_member(b, ro, "alpha", NULL);
                    copy_member(b, ro, "alpha_ci", NULL);
                    copy_member(b, ro, "omega_total", NULL);
                    copy_member(b, ro, "warnings", NULL);
                    json_builder_end_object(b);
                } else {
                    json_builder_add_null_value(b);
                }
                /* agreement */
                json_builder_set_member_name(b, "agreement");
                JsonNode *an = find_scale(agr[dom], "scales", sname);
                if (an) {
                    JsonObject *ao = json_node_get_object(an);
                    json_builder_begin_object(b);
                    copy_member(b, ao, "n_groups", NULL);
                    copy_member(b, ao, "icc1", NULL);
                    copy_member(b, ao, "icc2", NULL);
                    copy_member(b, ao, "mean_rwg_j", NULL);
                    double rwg = member_double(ao, "mean_rwg_j");
                    double icc1 = member_double(ao, "icc1");
                    impact_i_json_bool(b, "aggregation_justified", rwg >= 0.70 && icc1 >= 0.05);
                    json_builder_end_object(b);
                    if (!(rwg >= 0.70 && icc1 >= 0.05)) {
                        g_ptr_array_add(warnings,
                                        g_strdup_printf("%s: aggregation to %s is not justified "
                                                        "(mean rwg(j) %.2f, ICC(1) %.2f)",
                                                        sname, unit_plural[dom], rwg, icc1));
                    }
                } else {
                    json_builder_add_null_value(b);
                }
                /* change (impact_change's entry) and the programme's RCI counts */
                JsonNode *cn = find_scale(chg[i], "scales", sname);
                json_builder_set_member_name(b, "change");
                json_builder_add_value(b, cn ? json_node_copy(cn) : json_node_new(JSON_NODE_NULL));
                json_builder_set_member_name(b, "rci");
                JsonNode *rci = NULL;
                if (cn && dom == IMPACT_DOMAIN_INDIVIDUAL) {
                    JsonObject *co = json_node_get_object(cn);
                    if (json_object_has_member(co, "arms")) {
                        JsonArray *arms = json_object_get_array_member(co, "arms");
                        for (guint a = 0; arms && a < json_array_get_length(arms); a++) {
                            JsonObject *ao = json_array_get_object_element(arms, a);
                            const char *an2 =
                                json_object_get_string_member_with_default(ao, "arm", "");
                            gboolean is_prog = d->comparison == NULL ||
                                               strcmp(an2, d->comparison) != 0;
                            if (is_prog && json_object_has_member(ao, "rci") && rci == NULL) {
                                rci = json_object_get_member(ao, "rci");
                            }
                        }
                    }
                }
                json_builder_add_value(b, rci ? json_node_copy(rci)
                                              : json_node_new(JSON_NODE_NULL));
                /* 360: mean self–others gap over participants (baseline) */
                json_builder_set_member_name(b, "feedback");
                if (fb && dom == IMPACT_DOMAIN_INDIVIDUAL) {
                    double gs = 0, ss = 0, os2 = 0;
                    gsize ng = 0;
                    JsonNode *root = impact_i_result_root(fb);
                    JsonObject *fo = JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root)
                                                                  : NULL;
                    JsonArray *ps = fo && json_object_has_member(fo, "participants")
                                        ? json_object_get_array_member(fo, "participants")
                                        : NULL;
                    for (guint p = 0; ps && p < json_array_get_length(ps); p++) {
                        JsonObject *po = json_array_get_object_element(ps, p);
                        JsonArray *pss = po && json_object_has_member(po, "scales")
                                             ? json_object_get_array_member(po, "scales")
                                             : NULL;
                        for (guint q = 0; pss && q < json_array_get_length(pss); q++) {
                            JsonObject *so = json_array_get_object_element(pss, q);
                            if (strcmp(json_object_get_string_member_with_default(so, "scale",
                                                                                  ""),
                                       sname) != 0) {
                                continue;
                            }
                            double gap = member_double(so, "gap");
                            if (isfinite(gap)) {
                                gs += gap;
                                ss += member_double(so, "self");
                                os2 += member_double(so, "others");
                                ng++;
                            }
                        }
                    }
                    json_builder_begin_object(b);
                    impact_i_json_string(b, "wave", baseline);
                    impact_i_json_int(b, "n_participants", (gint64) ng);
                    impact_i_json_double(b, "mean_self", ng ? ss / (double) ng : NAN);
                    impact_i_json_double(b, "mean_others", ng ? os2 / (double) ng : NAN);
                    impact_i_json_double(b, "mean_gap", ng ? gs / (double) ng : NAN);
                    json_builder_end_object(b);
                } else {
                    json_builder_add_null_value(b);
                }
                json_builder_end_object(b);
            }
            json_builder_end_array(b);
            json_builder_end_object(b);
        }
        json_builder_end_array(b);

        /* overall */
        json_builder_set_member_name(b, "overall");
        json_builder_begin_object(b);
        double ov = impact_bootstrap_estimate(boot, ctx.i_overall);
        boot_ci(d, boot, ctx.i_overall, &lo, &hi);
        impact_i_json_double(b, "impact_index", ov);
        impact_i_json_pair(b, "impact_index_ci", lo, hi);
        json_builder_set_member_name(b, "weights");
        json_builder_begin_object(b);
        for (int dom = 0; dom < IMPACT_N_DOMAINS; dom++) {
            impact_i_json_double(b, impact_domain_name(dom), d->domain_weight[dom]);
        }
        json_builder_end_object(b);
        GString *os = g_string_new("Overall impact index: ");
        if (isfinite(ov)) {
            fmt_ci(os, ov, lo, hi);
            g_string_append_printf(os, " (%s of the domain indices)",
                                   d->domain_weight[0] == d->domain_weight[1] &&
                                           d->domain_weight[1] == d->domain_weight[2]
                                       ? "equal-weighted mean"
                                       : "weighted mean");
        } else {
            g_string_append(os, "not estimable");
        }
        impact_i_json_string(b, "statement", os->str);
        g_ptr_array_add(statements, g_string_free(os, FALSE));
        json_builder_end_object(b);

        /* breakdowns */
        json_builder_set_member_name(b, "breakdowns");
        json_builder_begin_array(b);
        /* cohorts in label order; the other breakdowns in their own order */
        g_autofree guint *gorder = g_new(guint, MAX(groups->len, 1));
        for (guint gi = 0; gi < groups->len; gi++) {
            gorder[gi] = gi;
        }
        g_qsort_with_data(gorder, (gint) groups->len, sizeof(guint), cmp_group, groups);
        for (guint go = 0; go < groups->len; go++) {
            guint gi = gorder[go];
            Group *g = groups->pdata[gi];
            for (int dom = 0; dom < 2; dom++) {
                if (!g->has[dom]) {
                    continue;
                }
                json_builder_begin_object(b);
                impact_i_json_string(b, "breakdown", g->breakdown);
                impact_i_json_string(b, "group", g->label);
                impact_i_json_string(b, "domain", impact_domain_name(dom));
                impact_i_json_int(b, "n_programme", (gint64) g->n[dom]);
                impact_i_json_bool(b, "suppressed", g->suppressed[dom]);
                if (!g->suppressed[dom]) {
                    gsize si = ctx.i_break + 2 * gi + (gsize) dom;
                    boot_ci(d, boot, si, &lo, &hi);
                    impact_i_json_double(b, "impact_index", impact_bootstrap_estimate(boot, si));
                    impact_i_json_pair(b, "impact_index_ci", lo, hi);
                }
                json_builder_end_object(b);
            }
        }
        json_builder_end_array(b);

        /* value for money */
        json_builder_set_member_name(b, "roi");
        gboolean has_costs = isfinite(d->cost_total) || isfinite(d->cost_per_participant);
        if (has_costs || d->value_scales->len > 0) {
            json_builder_begin_object(b);
            impact_i_json_string(b, "currency", d->currency);
            double costs = isfinite(d->cost_total) ? d->cost_total
                                                   : d->cost_per_participant * (double) n_prog_part;
            impact_i_json_double(b, "costs", has_costs ? costs : NAN);
            impact_i_json_int(b, "programme_participants", (gint64) n_prog_part);
            impact_i_json_double(b, "cost_per_participant",
                                 has_costs && n_prog_part ? costs / (double) n_prog_part : NAN);
            const char *names[4] = { "benefits", "roi_percent", "bcr", "cost_per_g" };
            for (int q = 0; q < 4; q++) {
                boot_ci(d, boot, ctx.i_roi + (gsize) q, &lo, &hi);
                impact_i_json_double(b, names[q], impact_bootstrap_estimate(boot, ctx.i_roi + (gsize) q));
                g_autofree char *ci = g_strdup_printf("%s_ci", names[q]);
                impact_i_json_pair(b, ci, lo, hi);
            }
            json_builder_set_member_name(b, "benefit_lines");
            json_builder_begin_array(b);
            for (guint i = 0; i < outs->len; i++) {
                OutScale *s = &g_array_index(outs, OutScale, i);
                if (!isfinite(s->value)) {
                    continue;
                }
                double e = impact_bootstrap_estimate(boot, 2 * i + 1);
                json_builder_begin_object(b);
                impact_i_json_string(b, "scale", impact_codebook_scale_name(cb, s->scale));
                impact_i_json_double(b, "value_per_point", s->value);
                impact_i_json_double(b, "effect", e);
                impact_i_json_int(b, "n_units", (gint64) s->n_units[0]);
                impact_i_json_double(b, "benefit", s->value * e * s->n_units[0]);
                json_builder_end_object(b);
            }
            json_builder_end_array(b);
            double roi = impact_bootstrap_estimate(boot, ctx.i_roi + 1);
            boot_ci(d, boot, ctx.i_roi + 1, &lo, &hi);
            GString *rs = g_string_new("Value for money: ");
            if (isfinite(roi)) {
                g_string_append_printf(rs, "ROI %.0f%%", roi);
                if (isfinite(lo)) {
                    g_string_append_printf(rs, " [%.0f%%, %.0f%%]", lo, hi);
                }
                g_string_append_printf(rs, ", benefit-cost ratio %.2f, cost per participant %.0f %s",
                                       impact_bootstrap_estimate(boot, ctx.i_roi + 2),
                                       costs / (double) MAX(n_prog_part, 1),
                                       d->currency ? d->currency : "");
            } else {
                g_string_append(rs, "not estimable (costs or monetary values missing)");
            }
            impact_i_json_string(b, "statement", rs->str);
            g_ptr_array_add(statements, g_string_free(rs, FALSE));
            json_builder_end_object(b);
        } else {
            json_builder_add_null_value(b);
        }

        /* suppressed: ours, then the modules' */
        for (int dom = 0; dom < IMPACT_N_DOMAINS; dom++) {
            copy_suppressed(sup, agr[dom], "agreement", impact_domain_name(dom), "scales");
        }
        copy_suppressed(sup, fb, "feedback", "individual", NULL);
        json_builder_end_array(sup);
        json_builder_set_member_name(b, "suppressed");
        json_builder_add_value(b, json_builder_get_root(sup));

        json_builder_set_member_name(b, "statements");
        json_builder_begin_array(b);
        for (guint i = 0; i < statements->len; i++) {
            impact_i_json_string(b, NULL, statements->pdata[i]);
        }
        json_builder_end_array(b);
        json_builder_set_member_name(b, "warnings");
        json_builder_begin_array(b);
#ifndef IMPACT_AGREEMENT_OPTIONS_INIT
        impact_i_json_string(b, NULL, "agreement module not built: no rwg(j)/ICC checks");
#endif
#ifndef IMPACT_FEEDBACK_OPTIONS_INIT
        impact_i_json_string(b, NULL, "feedback module not built: no 360 self-others gaps");
#endif
        for (guint i = 0; i < warnings->len; i++) {
            impact_i_json_string(b, NULL, warnings->pdata[i]);
        }
        json_builder_end_array(b);
        json_builder_end_object(b);
    }

    for (guint i = 0; i < outs->len; i++) {
        OutScale *os = &g_array_index(outs, OutScale, i);
        cell_clear(&os->prog);
        cell_clear(&os->comp);
        if (os->group) {
            for (guint gi = 0; gi < groups->len; gi++) {
                cell_clear(&os->group[gi]);
            }
            g_free(os->group);
        }
    }
    g_free(ctx.pcount);
    for (int dom = 0; dom < IMPACT_N_DOMAINS; dom++) {
        impact_result_free(rel[dom]);
        impact_result_free(agr[dom]);
    }
    for (guint i = 0; i < outs->len; i++) {
        impact_result_free(chg[i]);
    }
    for (int dom = 0; dom < IMPACT_N_DOMAINS; dom++) {
        g_free(keep_rows[dom]);
    }
    impact_result_free(fb);
    if (!ok) {
        return FALSE;
    }
    if (o.progress) {
        o.progress(1.0, o.progress_data);
    }
    *out = impact_i_result_new(json_builder_get_root(b));
    g_object_unref(b);
    return TRUE;
}

typedef struct {
    ImpactProgressFunc progress;
    gpointer data;
    double from, to;
} Range;

static gboolean
range_progress(double f, gpointer p)
{
    Range *r = p;
    return r->progress(r->from + (r->to - r->from) * f, r->data);
}

/* "key" and "key_ci" of @from (an object) into the builder's object. */
static void
copy_index(JsonBuilder *b, JsonObject *from)
{
    copy_member(b, from, "impact_index", NULL);
    copy_member(b, from, "impact_index_ci", NULL);
}

gboolean
impact_evaluate(ImpactResult **out, const ImpactTable *t, const ImpactCodebook *cb,
                const ImpactDesign *d, const ImpactEvaluateOptions *options, GError **error)
{
    g_return_val_if_fail(out && t && cb && d, FALSE);
    ImpactEvaluateOptions o = IMPACT_EVALUATE_OPTIONS_INIT;
    if (options) {
        o = *options;
    }
    if (o.version != 1) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "evaluate: unknown options version %u", o.version);
        return FALSE;
    }
    if (!impact_design_check(d, cb, t, error)) {
        return FALSE;
    }
    const char *primary = d->primary ? d->primary : d->waves[g_strv_length(d->waves) - 1];
    gsize n_follow = g_strv_length(d->waves) - 1;
    /* the primary follow-up with every module: most of the work */
    double share = n_follow > 1 ? 0.8 : 1.0;
    Range range = { o.progress, o.progress_data, 0.0, share };
    ImpactEvaluateOptions po = o;
    if (o.progress) {
        po.progress = range_progress;
        po.progress_data = &range;
    }
    g_autoptr(ImpactResult) main_res = NULL;
    if (!evaluate_at(&main_res, t, cb, d, &po, NULL, TRUE, error)) {
        return FALSE;
    }
    /* every follow-up against the baseline: the trajectory of the indices */
    JsonObject *root = json_node_get_object(impact_i_result_root(main_res));
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_array(b);
    JsonArray *sup = json_object_get_array_member(root, "suppressed");
    JsonArray *warn = json_object_get_array_member(root, "warnings");
    gsize done = 0;
    for (gsize w = 1; d->waves[w]; w++) {
        const char *wave = d->waves[w];
        gboolean is_primary = strcmp(wave, primary) == 0;
        g_autoptr(ImpactResult) wr = NULL;
        if (!is_primary) {
            range.from = share + (1.0 - share) * (double) done / (double) (n_follow - 1);
            range.to = share + (1.0 - share) * (double) (done + 1) / (double) (n_follow - 1);
            done++;
            GError *e = NULL;
            if (!evaluate_at(&wr, t, cb, d, &po, wave, FALSE, &e)) {
                if (e->code != IMPACT_ERROR_INSUFFICIENT) {
                    g_propagate_error(error, e);
                    return FALSE;
                }
                json_array_add_string_element(warn, e->message);
                g_error_free(e);
            }
        }
        JsonObject *wo = is_primary ? root
                         : wr       ? json_node_get_object(impact_i_result_root(wr))
                                    : NULL;
        json_builder_begin_object(b);
        impact_i_json_string(b, "wave", wave);
        impact_i_json_bool(b, "primary", is_primary);
        json_builder_set_member_name(b, "domains");
        json_builder_begin_array(b);
        JsonArray *doms = wo ? json_object_get_array_member(wo, "domains") : NULL;
        for (guint i = 0; doms && i < json_array_get_length(doms); i++) {
            JsonObject *dob = json_array_get_object_element(doms, i);
            json_builder_begin_object(b);
            copy_member(b, dob, "domain", NULL);
            copy_index(b, dob);
            json_builder_end_object(b);
        }
        json_builder_end_array(b);
        json_builder_set_member_name(b, "overall");
        json_builder_begin_object(b);
        copy_index(b, wo ? json_object_get_object_member(wo, "overall") : NULL);
        json_builder_end_object(b);
        json_builder_end_object(b);
        /* what an earlier follow-up suppressed is listed too */
        JsonArray *ws = wo && !is_primary ? json_object_get_array_member(wo, "suppressed") : NULL;
        for (guint i = 0; ws && i < json_array_get_length(ws); i++) {
            JsonObject *so = json_array_get_object_element(ws, i);
            const char *src = json_object_get_string_member_with_default(so, "source", "");
            const char *sw = json_object_get_string_member_with_default(so, "wave", "");
            if (strcmp(src, "breakdown") == 0 ||
                (strcmp(src, "evaluation") == 0 && strcmp(sw, d->waves[0]) != 0)) {
                JsonNode *copy = json_node_copy(json_array_get_element(ws, i));
                json_object_set_string_member(json_node_get_object(copy), "follow_up", wave);
                json_array_add_element(sup, copy);
            }
        }
    }
    json_builder_end_array(b);
    json_object_set_member(root, "trajectory", json_builder_get_root(b));
    if (o.progress) {
        o.progress(1.0, o.progress_data);
    }
    *out = g_steal_pointer(&main_res);
    return TRUE;
}
