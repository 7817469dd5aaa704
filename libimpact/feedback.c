/* feedback.c — multi-source (360°) feedback with rater anonymity: self,
 * roles, others, gaps, ranks, importance, rwg(j), cohort summaries and the
 * rater ICC. The anonymity rules and their proof are in impact-feedback.h.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "impact-private.h"

#define NO_KEY G_MAXUINT32
#define ROLE_SELF (-1)
#define ROLE_UNKNOWN (-2)
#define MAX_LINES 5

enum { SHOWN = 0, BELOW_K = 1, COMPLEMENTARY = 2 };

/* rwg(j) of one group (James, Demaree & Wolf 1984), listwise as
 * multilevel 2.7's rwg.j: x is n_raters × n_items column-major; rows with a
 * NaN are dropped; s̄² = mean item variance (n − 1); the index itself is
 * the agreement module's impact_agreement_rwg_j() (truncated as multilevel
 * 2.7). NaN with < 2 complete rows. */
static double
rwg_j(const double *x, gsize n_raters, gsize n_items, double null_var, gsize *out_n)
{
    gsize n = 0;
    g_autofree gboolean *ok = g_new(gboolean, MAX(n_raters, 1));
    for (gsize i = 0; i < n_raters; i++) {
        ok[i] = TRUE;
        for (gsize j = 0; j < n_items; j++) {
            if (isnan(x[i + j * n_raters])) {
                ok[i] = FALSE;
                break;
            }
        }
        n += ok[i] ? 1 : 0;
    }
    if (out_n) {
        *out_n = n;
    }
    if (n < 2 || n_items == 0 || !(null_var > 0.0)) {
        return NAN;
    }
    double mean_var = 0.0;
    for (gsize j = 0; j < n_items; j++) {
        const double *c = x + j * n_raters;
        double m = 0.0, ss = 0.0;
        for (gsize i = 0; i < n_raters; i++) {
            if (ok[i]) {
                m += c[i];
            }
        }
        m /= (double) n;
        for (gsize i = 0; i < n_raters; i++) {
            if (ok[i]) {
                ss += (c[i] - m) * (c[i] - m);
            }
        }
        mean_var += ss / (double) (n - 1);
    }
    mean_var /= (double) n_items;
    return impact_agreement_rwg_j(mean_var, n_items, null_var, FALSE);
}

/* ---- keys of text (or numeric) columns ----------------------------------- */

/* Each row's key: index of its value in order of first appearance, NO_KEY
 * when missing; @names gets the distinct strings (owned). */
static void
column_keys(const ImpactTable *t, gsize col, guint32 *keys, GPtrArray *names)
{
    gsize n = impact_table_n_rows(t);
    if (impact_table_column_type(t, col) == IMPACT_COLUMN_TEXT) {
        const guint32 *codes = impact_table_codes(t, col);
        gsize nl = impact_table_n_levels(t, col);
        g_autofree guint32 *remap = g_new(guint32, MAX(nl, 1));
        for (gsize l = 0; l < nl; l++) {
            remap[l] = NO_KEY;
        }
        for (gsize i = 0; i < n; i++) {
            guint32 c = codes[i];
            if (c == IMPACT_TABLE_NA) {
                keys[i] = NO_KEY;
                continue;
            }
            if (remap[c] == NO_KEY) {
                remap[c] = names->len;
                g_ptr_array_add(names, g_strdup(impact_table_level(t, col, c)));
            }
            keys[i] = remap[c];
        }
        return;
    }
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    for (gsize i = 0; i < n; i++) {
        char *s = impact_table_cell_string(t, col, i);
        if (s == NULL) {
            keys[i] = NO_KEY;
            continue;
        }
        gpointer v;
        if (g_hash_table_lookup_extended(seen, s, NULL, &v)) {
            keys[i] = GPOINTER_TO_UINT(v);
            g_free(s);
        } else {
            keys[i] = names->len;
            g_ptr_array_add(names, s);
            g_hash_table_insert(seen, s, GUINT_TO_POINTER(keys[i]));
        }
    }
}

/* "lines 2, 5, 9" (first MAX_LINES, then "and N more") from 0-based rows */
static char *
lines_text(const gsize *rows, gsize n)
{
    GString *s = g_string_new(n == 1 ? "line " : "lines ");
    for (gsize i = 0; i < n && i < MAX_LINES; i++) {
        g_string_append_printf(s, "%s%" G_GSIZE_FORMAT, i ? ", " : "", rows[i] + 2);
    }
    if (n > MAX_LINES) {
        g_string_append_printf(s, " and %" G_GSIZE_FORMAT " more", n - MAX_LINES);
    }
    return g_string_free(s, FALSE);
}

/* error for rows whose @what column is missing */
static gboolean
check_missing_keys(const ImpactTable *t, const guint32 *keys, const char *column,
                   const char *what, GError **error)
{
    gsize n = impact_table_n_rows(t);
    g_autoptr(GArray) bad = g_array_new(FALSE, FALSE, sizeof(gsize));
    for (gsize i = 0; i < n; i++) {
        if (keys[i] == NO_KEY) {
            g_array_append_val(bad, i);
        }
    }
    if (bad->len == 0) {
        return TRUE;
    }
    g_autofree char *l = lines_text((const gsize *) bad->data, bad->len);
    g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA, "%s: %s: no %s (column '%s' is empty)",
                impact_table_source(t), l, what, column);
    return FALSE;
}

/* ---- options ------------------------------------------------------------- */

typedef struct {
    GPtrArray *roles;       /* role names (owned) */
    GPtrArray *map_labels;  /* label of each map entry (owned) */
    GArray *map_roles;      /* role index of each map entry (gint) */
    gboolean *exempt;       /* per role, sized with the roles at the end */
} RoleSet;

static void
role_set_clear(RoleSet *rs)
{
    g_clear_pointer(&rs->roles, g_ptr_array_unref);
    g_clear_pointer(&rs->map_labels, g_ptr_array_unref);
    if (rs->map_roles) {
        g_array_unref(rs->map_roles);
        rs->map_roles = NULL;
    }
    g_clear_pointer(&rs->exempt, g_free);
}

static gint
role_index(GPtrArray *roles, const char *name)
{
    for (guint i = 0; i < roles->len; i++) {
        if (strcmp(g_ptr_array_index(roles, i), name) == 0) {
            return (gint) i;
        }
    }
    return -1;
}

static gboolean
parse_role_map(RoleSet *rs, const char *const *map, GError **error)
{
    rs->roles = g_ptr_array_new_with_free_func(g_free);
    rs->map_labels = g_ptr_array_new_with_free_func(g_free);
    rs->map_roles = g_array_new(FALSE, FALSE, sizeof(gint));
    for (gsize i = 0; map && map[i]; i++) {
        const char *eq = strchr(map[i], '=');
        g_autofree char *label = eq ? g_strstrip(g_strndup(map[i], (gsize) (eq - map[i]))) : NULL;
        g_autofree char *role = eq ? g_strstrip(g_strdup(eq + 1)) : NULL;
        if (eq == NULL || *label == '\0' || *role == '\0') {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                        "feedback: role map entry '%s' is not of the form label=role", map[i]);
            return FALSE;
        }
        for (guint j = 0; j < rs->map_labels->len; j++) {
            if (strcmp(g_ptr_array_index(rs->map_labels, j), label) == 0) {
                g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                            "feedback: rater label '%s' appears twice in the role map", label);
                return FALSE;
            }
        }
        gint r = role_index(rs->roles, role);
        if (r < 0) {
            r = (gint) rs->roles->len;
            g_ptr_array_add(rs->roles, g_strdup(role));
        }
        g_ptr_array_add(rs->map_labels, g_steal_pointer(&label));
        g_array_append_val(rs->map_roles, r);
    }
    return TRUE;
}

/* ---- per scale items ----------------------------------------------------- */

typedef struct {
    gsize scale;        /* codebook index */
    GArray *perf;       /* codebook item indices (gsize) */
    GArray *imp;
    double *score;      /* n rows */
    double *importance; /* n rows, or NULL */
    const double **raw; /* perf item columns */
    double null_var;    /* uniform null of rwg(j), NaN if no common integer range */
} Scale;

static void
scale_clear(Scale *s)
{
    if (s->perf) {
        g_array_unref(s->perf);
    }
    if (s->imp) {
        g_array_unref(s->imp);
    }
    g_free(s->score);
    g_free(s->importance);
    g_free(s->raw);
}

static gboolean
ends_with(const char *s, const char *suffix)
{
    gsize ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

static gboolean
item_column(const ImpactTable *t, const ImpactCodebook *cb, gsize item, gsize *col,
            GError **error)
{
    const char *name = impact_codebook_item_name(cb, item);
    gssize j = impact_table_column_index(t, name);
    if (j < 0) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                    "%s: the codebook's item '%s' has no column in the data",
                    impact_table_source(t), name);
        return FALSE;
    }
    if (impact_table_column_type(t, (gsize) j) != IMPACT_COLUMN_NUMERIC) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA, "%s: item column '%s' is not numeric",
                    impact_table_source(t), name);
        return FALSE;
    }
    *col = (gsize) j;
    return TRUE;
}

static void
score_items(double *out, const ImpactTable *t, const ImpactCodebook *cb, GArray *items,
            const gsize *cols, double min_answered)
{
    gsize k = items->len, n = impact_table_n_rows(t);
    g_autofree const double **x = g_new(const double *, MAX(k, 1));
    g_autofree double *lo = g_new(double, MAX(k, 1));
    g_autofree double *hi = g_new(double, MAX(k, 1));
    g_autofree double *w = g_new(double, MAX(k, 1));
    g_autofree gboolean *rev = g_new(gboolean, MAX(k, 1));
    for (gsize j = 0; j < k; j++) {
        gsize i = g_array_index(items, gsize, j);
        x[j] = impact_table_numeric(t, cols[j]);
        lo[j] = impact_codebook_item_min(cb, i);
        hi[j] = impact_codebook_item_max(cb, i);
        w[j] = impact_codebook_item_weight(cb, i);
        rev[j] = impact_codebook_item_reverse(cb, i);
    }
    impact_score_kernel(out, x, k, n, lo, hi, rev, w, impact_score_required(min_answered, k),
                        IMPACT_SCORE_MEAN);
}

static gboolean
build_scales(GArray *scales, const ImpactTable *t, const ImpactCodebook *cb,
             const char *suffix, double min_answered, GError **error)
{
    gsize n = impact_table_n_rows(t);
    for (gsize s = 0; s < impact_codebook_n_scales(cb); s++) {
        if (impact_codebook_scale_domain(cb, s) != IMPACT_DOMAIN_INDIVIDUAL) {
            continue;
        }
        Scale sc = { 0 };
        sc.scale = s;
        sc.perf = g_array_new(FALSE, FALSE, sizeof(gsize));
        sc.imp = g_array_new(FALSE, FALSE, sizeof(gsize));
        g_array_append_val(scales, sc);
        Scale *p = &g_array_index(scales, Scale, scales->len - 1);
        for (gsize j = 0; j < impact_codebook_scale_n_items(cb, s); j++) {
            gsize it = impact_codebook_scale_item(cb, s, j);
            const char *name = impact_codebook_item_name(cb, it);
            g_array_append_val(suffix && ends_with(name, suffix) ? p->imp : p->perf, it);
        }
        if (p->perf->len == 0) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_CODEBOOK,
                        "feedback: scale '%s' has only importance items (suffix '%s'); "
                        "importance items belong to the scale they rate",
                        impact_codebook_scale_name(cb, s), suffix);
            return FALSE;
        }
        g_autofree gsize *pc = g_new(gsize, p->perf->len);
        g_autofree gsize *ic = g_new(gsize, MAX(p->imp->len, 1));
        for (guint j = 0; j < p->perf->len; j++) {
            if (!item_column(t, cb, g_array_index(p->perf, gsize, j), &pc[j], error)) {
                return FALSE;
            }
        }
        for (guint j = 0; j < p->imp->len; j++) {
            if (!item_column(t, cb, g_array_index(p->imp, gsize, j), &ic[j], error)) {
                return FALSE;
            }
        }
        p->score = g_new(double, MAX(n, 1));
        score_items(p->score, t, cb, p->perf, pc, min_answered);
        if (p->imp->len) {
            p->importance = g_new(double, MAX(n, 1));
            score_items(p->importance, t, cb, p->imp, ic, min_answered);
        }
        p->raw = g_new(const double *, p->perf->len);
        gboolean common = TRUE;
        double lo0 = 0, hi0 = 0;
        for (guint j = 0; j < p->perf->len; j++) {
            gsize it = g_array_index(p->perf, gsize, j);
            p->raw[j] = impact_table_numeric(t, pc[j]);
            double lo = impact_codebook_item_min(cb, it), hi = impact_codebook_item_max(cb, it);
            if (j == 0) {
                lo0 = lo;
                hi0 = hi;
            } else if (lo != lo0 || hi != hi0) {
                common = FALSE;
            }
        }
        /* the uniform null (A² − 1)/12 of the agreement module; NaN when the
         * scale has no common whole-number range */
        if (!common || !impact_agreement_null_variance(&p->null_var, lo0, hi0,
                                                       IMPACT_NULL_UNIFORM, NULL)) {
            p->null_var = NAN;
        }
    }
    if (scales->len == 0) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_CODEBOOK,
                    "feedback: the codebook has no individual-domain scale");
        return FALSE;
    }
    return TRUE;
}

/* ---- groups: one participant in one wave ----------------------------------- */

typedef struct {
    guint32 participant, wave;
    GArray *rows;      /* all rows (gsize), data order */
    GArray *self_rows; /* self rows */
} Group;

/* per group × scale: the published numbers the cohort needs */
typedef struct {
    double self, others, gap;
    gboolean shown;
    GArray *others_rows; /* rows in others with a score (gsize) */
} Cell;

static double
mean_rows(const double *x, GArray *rows)
{
    double s = 0.0;
    for (guint i = 0; i < rows->len; i++) {
        s += x[g_array_index(rows, gsize, i)];
    }
    return rows->len ? s / rows->len : NAN;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

typedef struct {
    const ImpactTable *t;
    const ImpactCodebook *cb;
    const ImpactFeedbackOptions *o;
    ImpactFeedbackOptions opt; /* with defaults filled in */
    GArray *scales;            /* Scale */
    RoleSet rs;
    gint *row_role;            /* per row: role index, ROLE_SELF */
    GPtrArray *participants, *waves;
    GPtrArray *groups;         /* Group *, sorted by participant then wave */
} Ctx;

static void
group_free(gpointer p)
{
    Group *g = p;
    g_array_unref(g->rows);
    g_array_unref(g->self_rows);
    g_free(g);
}

/* Decides which roles a group shows. hidden[r] is SHOWN, BELOW_K or
 * COMPLEMENTARY; included[r]: the role's raters count in others. */
static void
decide(const Ctx *c, gsize **cnt, gsize nscales, guint *hidden, gboolean *included)
{
    const gsize k = c->opt.min_raters, nr = c->rs.roles->len;
    for (gsize r = 0; r < nr; r++) {
        hidden[r] = SHOWN;
        if (!c->rs.exempt[r]) {
            for (gsize s = 0; s < nscales; s++) {
                if (cnt[r][s] > 0 && cnt[r][s] < k) {
                    hidden[r] = BELOW_K;
                }
            }
        }
        included[r] = c->opt.policy == IMPACT_ANONYMITY_MERGE || hidden[r] == SHOWN;
    }
    if (c->opt.policy != IMPACT_ANONYMITY_MERGE) {
        return; /* others = the shown roles: the residual is empty */
    }
    for (;;) {
        gboolean changed = FALSE;
        for (gsize s = 0; s < nscales && !changed; s++) {
            gsize ne = 0, resid = 0;
            for (gsize r = 0; r < nr; r++) {
                if (!c->rs.exempt[r]) {
                    ne += cnt[r][s];
                }
                if (hidden[r] != SHOWN) {
                    resid += cnt[r][s];
                }
            }
            if (ne < k || resid == 0 || resid >= k) {
                continue;
            }
            /* hide the shown non-exempt role with the fewest forms here */
            gssize best = -1;
            for (gsize r = 0; r < nr; r++) {
                if (hidden[r] == SHOWN && !c->rs.exempt[r] && cnt[r][s] > 0 &&
                    (best < 0 || cnt[r][s] < cnt[best][s])) {
                    best = (gssize) r;
                }
            }
            g_assert(best >= 0); /* ne >= k > resid implies one exists */
            hidden[best] = COMPLEMENTARY;
            changed = TRUE;
        }
        if (!changed) {
            break;
        }
    }
}

static void
json_key_strings(JsonBuilder *b, const char *key, GPtrArray *v)
{
    json_builder_set_member_name(b, key);
    json_builder_begin_array(b);
    for (guint i = 0; v && i < v->len; i++) {
        json_builder_add_string_value(b, g_ptr_array_index(v, i));
    }
    json_builder_end_array(b);
}

static void
group_ids(JsonBuilder *b, const Ctx *c, const Group *g)
{
    impact_i_json_string(b, "participant", g_ptr_array_index(c->participants, g->participant));
    if (c->opt.wave) {
        impact_i_json_string(b, "wave", g_ptr_array_index(c->waves, g->wave));
    }
}

/* Writes one participant-wave record; fills cells[s]; appends to suppressed. */
static void
report_group(const Ctx *c, const Group *g, JsonBuilder *b, JsonBuilder *sup, Cell *cells)
{
    const gsize nscales = c->scales->len, nr = c->rs.roles->len, k = c->opt.min_raters;
    g_autofree gsize *cnt_mem = g_new0(gsize, MAX(nr * nscales, 1));
    g_autofree gsize **cnt = g_new(gsize *, MAX(nr, 1));
    for (gsize r = 0; r < nr; r++) {
        cnt[r] = cnt_mem + r * nscales;
    }
    g_autofree gboolean *present = g_new0(gboolean, MAX(nr, 1));
    for (guint i = 0; i < g->rows->len; i++) {
        gsize row = g_array_index(g->rows, gsize, i);
        gint r = c->row_role[row];
        if (r < 0) {
            continue;
        }
        present[r] = TRUE;
        for (gsize s = 0; s < nscales; s++) {
            if (!isnan(g_array_index(c->scales, Scale, s).score[row])) {
                cnt[r][s]++;
            }
        }
    }
    g_autofree guint *hidden = g_new(guint, MAX(nr, 1));
    g_autofree gboolean *included = g_new(gboolean, MAX(nr, 1));
    decide(c, cnt, nscales, hidden, included);
    const gboolean has_self = g->self_rows->len > 0;
    const gsize self_row = has_self ? g_array_index(g->self_rows, gsize, 0) : 0;

    /* suppressed roles */
    for (gsize r = 0; r < nr; r++) {
        if (!present[r] || hidden[r] == SHOWN) {
            continue;
        }
        gsize nmax = 0;
        for (gsize s = 0; s < nscales; s++) {
            nmax = MAX(nmax, cnt[r][s]);
        }
        json_builder_begin_object(sup);
        group_ids(sup, c, g);
        impact_i_json_string(sup, "role", g_ptr_array_index(c->rs.roles, r));
        impact_i_json_int(sup, "n", (gint64) nmax);
        impact_i_json_string(sup, "reason", hidden[r] == BELOW_K ? "below k" : "complementary");
        impact_i_json_bool(sup, "merged", c->opt.policy == IMPACT_ANONYMITY_MERGE);
        json_builder_end_object(sup);
    }

    /* per scale numbers */
    g_autofree double *imp = g_new(double, nscales);
    g_autofree double *imp_self = g_new(double, nscales);
    g_autofree gsize *n_imp = g_new0(gsize, nscales);
    g_autofree double *rwg = g_new(double, nscales);
    g_autofree gsize *n_rwg = g_new0(gsize, nscales);
    for (gsize s = 0; s < nscales; s++) {
        const Scale *sc = &g_array_index(c->scales, Scale, s);
        Cell *cell = &cells[s];
        cell->others_rows = g_array_new(FALSE, FALSE, sizeof(gsize));
        g_autoptr(GArray) imp_rows = g_array_new(FALSE, FALSE, sizeof(gsize));
        g_autoptr(GArray) incl_rows = g_array_new(FALSE, FALSE, sizeof(gsize));
        gsize ne = 0, ne_imp = 0;
        for (guint i = 0; i < g->rows->len; i++) {
            gsize row = g_array_index(g->rows, gsize, i);
            gint r = c->row_role[row];
            if (r < 0 || !included[r]) {
                continue;
            }
            g_array_append_val(incl_rows, row);
            if (!isnan(sc->score[row])) {
                g_array_append_val(cell->others_rows, row);
                ne += c->rs.exempt[r] ? 0 : 1;
            }
            if (sc->importance && !isnan(sc->importance[row])) {
                g_array_append_val(imp_rows, row);
                ne_imp += c->rs.exempt[r] ? 0 : 1;
            }
        }
        cell->self = has_self ? sc->score[self_row] : NAN;
        cell->shown = ne >= k;
        cell->others = cell->shown ? mean_rows(sc->score, cell->others_rows) : NAN;
        cell->gap = cell->self - cell->others;
        n_imp[s] = imp_rows->len;
        imp[s] = ne_imp >= k ? mean_rows(sc->importance, imp_rows) : NAN;
        imp_self[s] = sc->importance && has_self ? sc->importance[self_row] : NAN;
        /* rwg(j) over the included forms that answered every item */
        rwg[s] = NAN;
        if (cell->shown && !isnan(sc->null_var)) {
            gsize nn = incl_rows->len, J = sc->perf->len;
            g_autofree double *x = g_new(double, MAX(nn * J, 1));
            gsize ne_complete = 0;
            for (gsize i = 0; i < nn; i++) {
                gsize row = g_array_index(incl_rows, gsize, i);
                gboolean complete = TRUE;
                for (gsize j = 0; j < J; j++) {
                    x[i + j * nn] = sc->raw[j][row];
                    complete = complete && !isnan(sc->raw[j][row]);
                }
                if (complete && !c->rs.exempt[c->row_role[row]]) {
                    ne_complete++;
                }
            }
            double v = rwg_j(x, nn, J, sc->null_var, &n_rwg[s]);
            rwg[s] = ne_complete >= k ? v : NAN;
        }
    }

    /* ranks by others' score (1 = highest, average ties) */
    g_autofree double *rank = g_new(double, nscales);
    g_autofree gsize *order = g_new(gsize, nscales);
    gsize nshown = 0;
    for (gsize s = 0; s < nscales; s++) {
        rank[s] = NAN;
        if (!cells[s].shown) {
            continue;
        }
        double above = 0, ties = 0;
        for (gsize t = 0; t < nscales; t++) {
            if (t != s && cells[t].shown) {
                above += cells[t].others > cells[s].others;
                ties += cells[t].others == cells[s].others;
            }
        }
        rank[s] = 1.0 + above + ties / 2.0;
        order[nshown++] = s;
    }
    /* stable sort of shown scales by rank */
    for (gsize i = 1; i < nshown; i++) {
        gsize v = order[i], j = i;
        while (j > 0 && rank[order[j - 1]] > rank[v]) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = v;
    }
    gsize h = MIN(c->opt.n_highlight, nshown / 2);

    json_builder_begin_object(b);
    group_ids(b, c, g);
    impact_i_json_int(b, "n_forms", (gint64) g->rows->len);
    json_builder_set_member_name(b, "strengths");
    json_builder_begin_array(b);
    for (gsize i = 0; i < h; i++) {
        json_builder_add_string_value(
            b, impact_codebook_scale_name(c->cb, g_array_index(c->scales, Scale, order[i]).scale));
    }
    json_builder_end_array(b);
    json_builder_set_member_name(b, "development");
    json_builder_begin_array(b);
    for (gsize i = 0; i < h; i++) {
        gsize s = order[nshown - 1 - i];
        json_builder_add_string_value(
            b, impact_codebook_scale_name(c->cb, g_array_index(c->scales, Scale, s).scale));
    }
    json_builder_end_array(b);
    json_builder_set_member_name(b, "scales");
    json_builder_begin_array(b);
    for (gsize s = 0; s < nscales; s++) {
        const Scale *sc = &g_array_index(c->scales, Scale, s);
        const Cell *cell = &cells[s];
        json_builder_begin_object(b);
        impact_i_json_string(b, "scale", impact_codebook_scale_name(c->cb, sc->scale));
        impact_i_json_double(b, "self", cell->self);
        impact_i_json_double(b, "others", cell->others);
        impact_i_json_int(b, "n_others", (gint64) cell->others_rows->len);
        impact_i_json_double(b, "gap", cell->gap);
        impact_i_json_double(b, "rank", rank[s]);
        if (sc->importance) {
            impact_i_json_double(b, "importance", imp[s]);
            impact_i_json_int(b, "n_importance", (gint64) n_imp[s]);
            impact_i_json_double(b, "importance_self", imp_self[s]);
            impact_i_json_double(b, "importance_gap", imp[s] - cell->others);
        }
        impact_i_json_double(b, "rwg_j", rwg[s]);
        impact_i_json_int(b, "n_rwg", (gint64) n_rwg[s]);
        json_builder_set_member_name(b, "roles");
        json_builder_begin_array(b);
        for (gsize r = 0; r < nr; r++) {
            if (hidden[r] != SHOWN || cnt[r][s] == 0) {
                continue;
            }
            double sum = 0.0;
            for (guint i = 0; i < g->rows->len; i++) {
                gsize row = g_array_index(g->rows, gsize, i);
                if (c->row_role[row] == (gint) r && !isnan(sc->score[row])) {
                    sum += sc->score[row];
                }
            }
            json_builder_begin_object(b);
            impact_i_json_string(b, "role", g_ptr_array_index(c->rs.roles, r));
            impact_i_json_int(b, "n", (gint64) cnt[r][s]);
            impact_i_json_double(b, "mean", sum / (double) cnt[r][s]);
            impact_i_json_bool(b, "exempt", c->rs.exempt[r]);
            json_builder_end_object(b);
        }
        json_builder_end_array(b);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
}

static void
report_cohort(const Ctx *c, guint32 wave, Cell **cells, JsonBuilder *b)
{
    const gsize nscales = c->scales->len;
    const double thr = c->opt.gap_threshold;
    for (gsize s = 0; s < nscales; s++) {
        g_autoptr(GArray) gap = g_array_new(FALSE, FALSE, sizeof(double));
        g_autoptr(GArray) oth = g_array_new(FALSE, FALSE, sizeof(double));
        double sum_self = 0.0, sum_oth = 0.0;
        gsize over = 0, under = 0, agree = 0;
        for (guint gi = 0; gi < c->groups->len; gi++) {
            const Group *g = g_ptr_array_index(c->groups, gi);
            if (g->wave != wave) {
                continue;
            }
            const Cell *cell = &cells[gi][s];
            if (cell->shown) {
                g_array_append_val(oth, cell->others);
            }
            if (!isnan(cell->gap)) {
                g_array_append_val(gap, cell->gap);
                sum_self += cell->self;
                sum_oth += cell->others;
                over += cell->gap > thr;
                under += cell->gap < -thr;
                agree += cell->gap <= thr && cell->gap >= -thr;
            }
        }
        double mg, vg, mo, vo;
        impact_stats_mean_var((const double *) gap->data, gap->len, &mg, &vg, NULL);
        impact_stats_mean_var((const double *) oth->data, oth->len, &mo, &vo, NULL);
        g_array_sort(oth, cmp_double);
        const double *o = (const double *) oth->data;
        json_builder_begin_object(b);
        if (c->opt.wave) {
            impact_i_json_string(b, "wave", g_ptr_array_index(c->waves, wave));
        }
        impact_i_json_string(
            b, "scale",
            impact_codebook_scale_name(c->cb, g_array_index(c->scales, Scale, s).scale));
        impact_i_json_int(b, "n", (gint64) gap->len);
        impact_i_json_double(b, "mean_gap", mg);
        impact_i_json_double(b, "sd_gap", sqrt(vg));
        impact_i_json_double(b, "mean_self", gap->len ? sum_self / gap->len : NAN);
        impact_i_json_double(b, "mean_others", gap->len ? sum_oth / gap->len : NAN);
        impact_i_json_int(b, "over_raters", (gint64) over);
        impact_i_json_int(b, "under_raters", (gint64) under);
        impact_i_json_int(b, "in_agreement", (gint64) agree);
        impact_i_json_int(b, "n_others_shown", (gint64) oth->len);
        impact_i_json_double(b, "others_mean", mo);
        impact_i_json_double(b, "others_sd", sqrt(vo));
        impact_i_json_double(b, "others_min", oth->len ? o[0] : NAN);
        impact_i_json_double(b, "others_q1", impact_quantile_sorted(o, oth->len, 0.25));
        impact_i_json_double(b, "others_median", impact_quantile_sorted(o, oth->len, 0.5));
        impact_i_json_double(b, "others_q3", impact_quantile_sorted(o, oth->len, 0.75));
        impact_i_json_double(b, "others_max", oth->len ? o[oth->len - 1] : NAN);
        json_builder_end_object(b);
    }
}

static void
report_icc(const Ctx *c, guint32 wave, Cell **cells, JsonBuilder *b)
{
    for (gsize s = 0; s < c->scales->len; s++) {
        const Scale *sc = &g_array_index(c->scales, Scale, s);
        g_autoptr(GArray) targets = g_array_new(FALSE, FALSE, sizeof(guint));
        gsize m = G_MAXSIZE;
        for (guint gi = 0; gi < c->groups->len; gi++) {
            const Group *g = g_ptr_array_index(c->groups, gi);
            const Cell *cell = &cells[gi][s];
            if (g->wave == wave && cell->shown && cell->others_rows->len >= 2) {
                g_array_append_val(targets, gi);
                m = MIN(m, cell->others_rows->len);
            }
        }
        gsize n = targets->len;
        if (n < 2) {
            continue;
        }
        g_autofree double *x = g_new(double, n * m);
        for (gsize i = 0; i < n; i++) {
            const Cell *cell = &cells[g_array_index(targets, guint, i)][s];
            for (gsize j = 0; j < m; j++) {
                x[i + j * n] = sc->score[g_array_index(cell->others_rows, gsize, j)];
            }
        }
        ImpactIcc icc;
        if (!impact_icc_shrout_fleiss(&icc, x, n, m, c->opt.level, NULL)) {
            continue; /* cannot happen: n, m >= 2, scores finite, level checked */
        }
        json_builder_begin_object(b);
        if (c->opt.wave) {
            impact_i_json_string(b, "wave", g_ptr_array_index(c->waves, wave));
        }
        impact_i_json_string(b, "scale", impact_codebook_scale_name(c->cb, sc->scale));
        impact_i_json_int(b, "n_targets", (gint64) n);
        impact_i_json_int(b, "n_raters", (gint64) m);
        json_builder_set_member_name(b, "forms");
        json_builder_begin_array(b);
        for (int f = 0; f < IMPACT_ICC_N_FORMS; f++) {
            json_builder_begin_object(b);
            impact_i_json_string(b, "type", impact_icc_form_name((ImpactIccForm) f));
            impact_i_json_double(b, "icc", icc.icc[f]);
            impact_i_json_double(b, "f", icc.f[f]);
            impact_i_json_double(b, "df1", icc.df1[f]);
            impact_i_json_double(b, "df2", icc.df2[f]);
            impact_i_json_double(b, "p", icc.p[f]);
            impact_i_json_double(b, "lower", icc.lower[f]);
            impact_i_json_double(b, "upper", icc.upper[f]);
            json_builder_end_object(b);
        }
        json_builder_end_array(b);
        json_builder_end_object(b);
    }
}

static gboolean
check_options(ImpactFeedbackOptions *o, GError **error)
{
    const char *bad = NULL;
    if (o->version < 1) {
        bad = "version must be 1";
    } else if (o->participant == NULL || *o->participant == '\0') {
        bad = "the participant column is required";
    } else if (o->rater == NULL || *o->rater == '\0') {
        bad = "the rater column is required";
    } else if (o->min_raters < 1) {
        bad = "min_raters (anonymity k) must be at least 1";
    } else if ((guint) o->policy > IMPACT_ANONYMITY_SUPPRESS) {
        bad = "policy must be merge or suppress";
    } else if (o->importance_suffix && *o->importance_suffix == '\0') {
        bad = "the importance suffix must not be empty (NULL for none)";
    } else if (o->self_label && *o->self_label == '\0') {
        bad = "the self label must not be empty";
    } else if (!(o->min_answered >= 0.0) || !isfinite(o->min_answered)) {
        bad = "min_answered must be a fraction in (0, 1] or a count >= 1";
    } else if (!(o->gap_threshold >= 0.0) || !isfinite(o->gap_threshold)) {
        bad = "gap_threshold must be finite and >= 0";
    } else if (!(o->level >= 0.0 && o->level < 1.0)) {
        bad = "level must be in (0, 1)";
    }
    if (bad) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID, "feedback options: %s", bad);
        return FALSE;
    }
    if (o->self_label == NULL) {
        o->self_label = "self";
    }
    if (o->n_highlight == 0) {
        o->n_highlight = 3;
    }
    if (o->min_answered == 0.0) {
        o->min_answered = 0.5;
    }
    if (o->level == 0.0) {
        o->level = 0.95;
    }
    return TRUE;
}

/* Maps rater labels to roles; errors for labels not in the map. */
static gboolean
map_roles(Ctx *c, const guint32 *lab, GPtrArray *labels, GError **error)
{
    const gsize n = impact_table_n_rows(c->t);
    const gboolean mapped = c->o->role_map != NULL;
    g_autofree gint *label_role = g_new(gint, MAX(labels->len, 1));
    for (guint l = 0; l < labels->len; l++) {
        const char *s = g_ptr_array_index(labels, l);
        if (strcmp(s, c->opt.self_label) == 0) {
            label_role[l] = ROLE_SELF;
            continue;
        }
        label_role[l] = ROLE_UNKNOWN;
        for (guint j = 0; mapped && j < c->rs.map_labels->len; j++) {
            if (strcmp(g_ptr_array_index(c->rs.map_labels, j), s) == 0) {
                label_role[l] = g_array_index(c->rs.map_roles, gint, j);
            }
        }
        if (!mapped) {
            label_role[l] = (gint) c->rs.roles->len;
            g_ptr_array_add(c->rs.roles, g_strdup(s));
        }
    }
    /* the first unknown label, with its lines */
    for (guint l = 0; l < labels->len; l++) {
        if (label_role[l] != ROLE_UNKNOWN) {
            continue;
        }
        g_autoptr(GArray) rows = g_array_new(FALSE, FALSE, sizeof(gsize));
        gsize n_unknown = 0;
        for (guint m = 0; m < labels->len; m++) {
            n_unknown += label_role[m] == ROLE_UNKNOWN;
        }
        for (gsize i = 0; i < n; i++) {
            if (lab[i] == l) {
                g_array_append_val(rows, i);
            }
        }
        g_autofree char *lt = lines_text((const gsize *) rows->data, rows->len);
        GString *known = g_string_new(c->opt.self_label);
        for (guint j = 0; j < c->rs.map_labels->len; j++) {
            g_string_append_printf(known, ", %s", (char *) g_ptr_array_index(c->rs.map_labels, j));
        }
        g_autofree char *more =
            n_unknown > 1 ? g_strdup_printf(" (and %" G_GSIZE_FORMAT " more unknown labels)",
                                            n_unknown - 1)
                          : g_strdup("");
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                    "%s: %s: rater label '%s' (column '%s') is not in the role map%s; "
                    "known labels: %s",
                    impact_table_source(c->t), lt, (char *) g_ptr_array_index(labels, l),
                    c->opt.rater, more, known->str);
        g_string_free(known, TRUE);
        return FALSE;
    }
    c->row_role = g_new(gint, MAX(n, 1));
    for (gsize i = 0; i < n; i++) {
        c->row_role[i] = label_role[lab[i]];
    }
    c->rs.exempt = g_new0(gboolean, MAX(c->rs.roles->len, 1));
    for (gsize i = 0; c->o->exempt && c->o->exempt[i]; i++) {
        gint r = role_index(c->rs.roles, c->o->exempt[i]);
        if (r >= 0) {
            c->rs.exempt[r] = TRUE;
        }
    }
    return TRUE;
}

static gboolean
build_groups(Ctx *c, const guint32 *part, const guint32 *wave, GError **error)
{
    const gsize n = impact_table_n_rows(c->t);
    const gsize np = c->participants->len, nw = c->waves->len;
    g_autofree Group **slot = g_new0(Group *, MAX(np * nw, 1));
    for (gsize i = 0; i < n; i++) {
        gsize idx = (gsize) part[i] * nw + wave[i];
        if (slot[idx] == NULL) {
            slot[idx] = g_new0(Group, 1);
            slot[idx]->participant = part[i];
            slot[idx]->wave = wave[i];
            slot[idx]->rows = g_array_new(FALSE, FALSE, sizeof(gsize));
            slot[idx]->self_rows = g_array_new(FALSE, FALSE, sizeof(gsize));
        }
        g_array_append_val(c->row_role[i] == ROLE_SELF ? slot[idx]->self_rows : slot[idx]->rows,
                           i);
    }
    c->groups = g_ptr_array_new_with_free_func(group_free);
    for (gsize i = 0; i < np * nw; i++) {
        if (slot[i]) {
            g_ptr_array_add(c->groups, slot[i]);
        }
    }
    for (guint gi = 0; gi < c->groups->len; gi++) {
        const Group *g = g_ptr_array_index(c->groups, gi);
        if (g->self_rows->len == 1 || (g->self_rows->len == 0 && c->opt.allow_missing_self)) {
            continue;
        }
        g_autofree char *in_wave =
            c->opt.wave ? g_strdup_printf(" in wave '%s'", (char *) g_ptr_array_index(c->waves, g->wave))
                        : g_strdup("");
        const char *who = g_ptr_array_index(c->participants, g->participant);
        if (g->self_rows->len == 0) {
            g_autofree char *lt = lines_text((const gsize *) g->rows->data, g->rows->len);
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                        "%s: participant '%s'%s has no self-rating (rater label '%s'); "
                        "its forms are on %s",
                        impact_table_source(c->t), who, in_wave, c->opt.self_label, lt);
        } else {
            g_autofree char *lt =
                lines_text((const gsize *) g->self_rows->data, g->self_rows->len);
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                        "%s: participant '%s'%s has %u self-ratings (on %s); one is expected",
                        impact_table_source(c->t), who, in_wave, g->self_rows->len, lt);
        }
        return FALSE;
    }
    return TRUE;
}

static void
ctx_clear(Ctx *c)
{
    if (c->scales) {
        for (guint i = 0; i < c->scales->len; i++) {
            scale_clear(&g_array_index(c->scales, Scale, i));
        }
        g_array_unref(c->scales);
    }
    role_set_clear(&c->rs);
    g_free(c->row_role);
    g_clear_pointer(&c->participants, g_ptr_array_unref);
    g_clear_pointer(&c->waves, g_ptr_array_unref);
    g_clear_pointer(&c->groups, g_ptr_array_unref);
}

static gboolean
run(Ctx *c, ImpactResult **out, GError **error)
{
    const ImpactTable *t = c->t;
    const gsize n = impact_table_n_rows(t);
    if (!parse_role_map(&c->rs, c->o->role_map, error)) {
        return FALSE;
    }
    gsize pcol, rcol, wcol = 0;
    if (!impact_table_lookup(t, c->opt.participant, &pcol, error) ||
        !impact_table_lookup(t, c->opt.rater, &rcol, error) ||
        (c->opt.wave && !impact_table_lookup(t, c->opt.wave, &wcol, error))) {
        return FALSE;
    }
    c->scales = g_array_new(FALSE, TRUE, sizeof(Scale));
    if (!build_scales(c->scales, t, c->cb, c->opt.importance_suffix, c->opt.min_answered,
                      error)) {
        return FALSE;
    }
    g_autofree guint32 *part = g_new(guint32, MAX(n, 1));
    g_autofree guint32 *lab = g_new(guint32, MAX(n, 1));
    g_autofree guint32 *wave = g_new0(guint32, MAX(n, 1));
    c->participants = g_ptr_array_new_with_free_func(g_free);
    c->waves = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func(g_free);
    column_keys(t, pcol, part, c->participants);
    column_keys(t, rcol, lab, labels);
    if (c->opt.wave) {
        column_keys(t, wcol, wave, c->waves);
    } else {
        g_ptr_array_add(c->waves, g_strdup(""));
    }
    if (!check_missing_keys(t, part, c->opt.participant, "participant", error) ||
        !check_missing_keys(t, lab, c->opt.rater, "rater label", error) ||
        (c->opt.wave && !check_missing_keys(t, wave, c->opt.wave, "wave", error))) {
        return FALSE;
    }
    if (!map_roles(c, lab, labels, error) || !build_groups(c, part, wave, error)) {
        return FALSE;
    }

    const gsize ng = c->groups->len, nscales = c->scales->len;
    g_autofree Cell *cell_mem = g_new0(Cell, MAX(ng * nscales, 1));
    g_autofree Cell **cells = g_new(Cell *, MAX(ng, 1));
    g_autoptr(JsonBuilder) b = json_builder_new();
    g_autoptr(JsonBuilder) sup = json_builder_new();
    json_builder_begin_array(sup);
    json_builder_begin_object(b);
    impact_i_json_int(b, "min_raters", (gint64) c->opt.min_raters);
    impact_i_json_string(b, "policy",
                         c->opt.policy == IMPACT_ANONYMITY_MERGE ? "merge" : "suppress");
    impact_i_json_string(b, "self", c->opt.self_label);
    json_builder_set_member_name(b, "exempt");
    json_builder_begin_array(b);
    for (gsize i = 0; c->o->exempt && c->o->exempt[i]; i++) {
        json_builder_add_string_value(b, c->o->exempt[i]);
    }
    json_builder_end_array(b);
    json_key_strings(b, "roles", c->rs.roles);
    json_builder_set_member_name(b, "participants");
    json_builder_begin_array(b);
    for (gsize gi = 0; gi < ng; gi++) {
        cells[gi] = cell_mem + gi * nscales;
        report_group(c, g_ptr_array_index(c->groups, gi), b, sup, cells[gi]);
    }
    json_builder_end_array(b);
    json_builder_end_array(sup);
    json_builder_set_member_name(b, "suppressed");
    json_builder_add_value(b, json_builder_get_root(sup));
    json_builder_set_member_name(b, "cohort");
    json_builder_begin_array(b);
    for (guint32 w = 0; w < c->waves->len; w++) {
        report_cohort(c, w, cells, b);
    }
    json_builder_end_array(b);
    json_builder_set_member_name(b, "icc");
    json_builder_begin_array(b);
    for (guint32 w = 0; w < c->waves->len; w++) {
        report_icc(c, w, cells, b);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    for (gsize i = 0; i < ng * nscales; i++) {
        if (cell_mem[i].others_rows) {
            g_array_unref(cell_mem[i].others_rows);
        }
    }
    *out = impact_i_result_new(json_builder_get_root(b));
    return TRUE;
}

gboolean
impact_feedback(ImpactResult **out, const ImpactTable *responses, const ImpactCodebook *codebook,
                const ImpactFeedbackOptions *options, GError **error)
{
    g_return_val_if_fail(out != NULL && responses != NULL && codebook != NULL, FALSE);
    if (options == NULL) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "feedback options: the participant and rater columns are required");
        return FALSE;
    }
    Ctx c = { 0 };
    c.t = responses;
    c.cb = codebook;
    c.o = options;
    c.opt = *options;
    if (!check_options(&c.opt, error)) {
        return FALSE;
    }
    gboolean ok = run(&c, out, error);
    ctx_clear(&c);
    return ok;
}
