/* disclosure.c — k-anonymity for group statistics: primary suppression
 * (n < k) and complementary suppression by the residual rule (see
 * impact-disclosure.h for the rule and its proof).
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <math.h>
#include <string.h>
#include "impact-private.h"

const char *
impact_disclosure_status_name(ImpactDisclosureStatus status)
{
    switch (status) {
    case IMPACT_DISCLOSURE_PUBLISHED:
        return "published";
    case IMPACT_DISCLOSURE_PRIMARY:
        return "primary";
    case IMPACT_DISCLOSURE_COMPLEMENTARY:
        return "complementary";
    }
    return "unknown";
}

/* The forest plus a virtual root (index n_units: the total) in CSR form. */
typedef struct {
    gsize n_units;
    gsize k;
    double *n;        /* n_units + 1: people per unit, root = Σ top-level n */
    gsize *parent;    /* n_units + 1: parent index, root for top level, root: itself */
    gsize *start;     /* n_units + 2: children of v are child[start[v] .. start[v+1]) */
    gsize *child;
    gsize *depth;     /* n_units + 1: root 0 */
    GArray *stack;    /* scratch */
    GArray *found;    /* scratch */
} Forest;

static void
forest_clear(Forest *f)
{
    g_free(f->n);
    g_free(f->parent);
    g_free(f->start);
    g_free(f->child);
    g_free(f->depth);
    if (f->stack) {
        g_array_unref(f->stack);
    }
    if (f->found) {
        g_array_unref(f->found);
    }
}

static gboolean
check_options(const ImpactDisclosureOptions *o, GError **error)
{
    if (o->version != IMPACT_DISCLOSURE_OPTIONS_VERSION) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "disclosure options: unknown version %u (expected %u)", o->version,
                    IMPACT_DISCLOSURE_OPTIONS_VERSION);
        return FALSE;
    }
    if (o->min_group < 1) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "disclosure options: the minimum group size k must be at least 1");
        return FALSE;
    }
    return TRUE;
}

static gboolean
forest_build(Forest *f, const double *n, const gint *parent, gsize n_units, gsize k,
             GError **error)
{
    memset(f, 0, sizeof *f);
    f->n_units = n_units;
    f->k = k;
    const gsize root = n_units;
    f->n = g_new0(double, n_units + 1);
    f->parent = g_new(gsize, n_units + 1);
    f->start = g_new0(gsize, n_units + 2);
    f->child = g_new(gsize, MAX(n_units, 1));
    f->depth = g_new(gsize, n_units + 1);
    f->stack = g_array_new(FALSE, FALSE, sizeof(gsize));
    f->found = g_array_new(FALSE, FALSE, sizeof(gsize));
    for (gsize i = 0; i < n_units; i++) {
        if (parent[i] < -1 || (gint64) parent[i] >= (gint64) n_units || (gint64) parent[i] == (gint64) i) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                        "disclosure: unit %" G_GSIZE_FORMAT " has an invalid parent %d"
                        " (units are 0 to %" G_GSIZE_FORMAT ", -1 for none)",
                        i, parent[i], n_units ? n_units - 1 : 0);
            return FALSE;
        }
        if (!(n[i] >= 0.0 && n[i] < 9007199254740992.0 && n[i] == floor(n[i]))) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                        "disclosure: unit %" G_GSIZE_FORMAT " has n = %g, not a whole number >= 0",
                        i, n[i]);
            return FALSE;
        }
        f->parent[i] = parent[i] < 0 ? root : (gsize) parent[i];
        f->n[i] = n[i];
        f->start[f->parent[i] + 1]++;
    }
    f->parent[root] = root;
    for (gsize v = 0; v <= n_units; v++) {
        f->start[v + 1] += f->start[v];
    }
    g_autofree gsize *fill = g_memdup2(f->start, sizeof(gsize) * (n_units + 1));
    for (gsize i = 0; i < n_units; i++) {
        f->child[fill[f->parent[i]]++] = i;
    }
    /* depths by walking up with memo; a walk longer than n_units is a cycle */
    const gsize unknown = G_MAXSIZE;
    for (gsize i = 0; i < n_units; i++) {
        f->depth[i] = unknown;
    }
    f->depth[root] = 0;
    for (gsize i = 0; i < n_units; i++) {
        gsize v = i, steps = 0;
        while (f->depth[v] == unknown) {
            v = f->parent[v];
            if (++steps > n_units) {
                g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                            "disclosure: the parents of unit %" G_GSIZE_FORMAT " form a cycle", i);
                return FALSE;
            }
        }
        gsize d = f->depth[v] + steps;
        for (v = i; f->depth[v] == unknown; v = f->parent[v]) {
            f->depth[v] = d--;
        }
    }
    for (gsize v = 0; v <= n_units; v++) {
        double sum = 0.0;
        for (gsize c = f->start[v]; c < f->start[v + 1]; c++) {
            sum += f->n[f->child[c]];
        }
        if (v == root) {
            f->n[root] = sum;
        } else if (sum > f->n[v]) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                        "disclosure: unit %" G_GSIZE_FORMAT " has n = %.0f but its units hold %.0f "
                        "people",
                        v, n[v], sum);
            return FALSE;
        }
    }
    return TRUE;
}

/* Maximal marked proper descendants of @v into f->found; returns their n total. */
static double
maximal_marked(Forest *f, gsize v, const gboolean *marked)
{
    g_array_set_size(f->found, 0);
    g_array_set_size(f->stack, 0);
    g_array_append_val(f->stack, v);
    double covered = 0.0;
    while (f->stack->len) {
        gsize u = g_array_index(f->stack, gsize, f->stack->len - 1);
        g_array_set_size(f->stack, f->stack->len - 1);
        for (gsize c = f->start[u]; c < f->start[u + 1]; c++) {
            gsize w = f->child[c];
            if (marked[w]) {
                g_array_append_val(f->found, w);
                covered += f->n[w];
            } else {
                g_array_append_val(f->stack, w);
            }
        }
    }
    return covered;
}

static double
residual(Forest *f, gsize v, const gboolean *marked)
{
    return f->n[v] - maximal_marked(f, v, marked);
}

static gboolean
residual_ok(double r, gsize k)
{
    return r == 0.0 || r >= (double) k;
}

/* Nearest marked proper ancestor of @v (the root counts if marked), or G_MAXSIZE. */
static gsize
marked_ancestor(const Forest *f, gsize v, const gboolean *marked)
{
    const gsize root = f->n_units;
    while (v != root) {
        v = f->parent[v];
        if (marked[v]) {
            return v;
        }
    }
    return G_MAXSIZE;
}

static int
by_depth_desc(gconstpointer a, gconstpointer b, gpointer data)
{
    const gsize *depth = data;
    gsize x = *(const gsize *) a, y = *(const gsize *) b;
    if (depth[x] != depth[y]) {
        return depth[x] > depth[y] ? -1 : 1;
    }
    return x < y ? -1 : (x > y);
}

/* Makes R(v) = 0 or >= k by suppressing maximal published descendants of v. */
static void
fix_residual(Forest *f, gsize v, gboolean *marked, ImpactDisclosureStatus *status)
{
    const double k = (double) f->k;
    for (;;) {
        double r = residual(f, v, marked);
        if (residual_ok(r, f->k)) {
            return;
        }
        g_autoptr(GArray) cand = g_array_copy(f->found);
        gsize best_fit = G_MAXSIZE, best_small = G_MAXSIZE, best_zero = G_MAXSIZE;
        double fit_gain = 0, small_gain = 0;
        for (guint i = 0; i < cand->len; i++) {
            gsize d = g_array_index(cand, gsize, i);
            double g = residual(f, d, marked);
            if (g <= 0.0) {
                if (best_zero == G_MAXSIZE || f->n[d] < f->n[best_zero]
                    || (f->n[d] == f->n[best_zero] && d < best_zero)) {
                    best_zero = d;
                }
                continue;
            }
            if (r + g >= k
                && (best_fit == G_MAXSIZE || g < fit_gain || (g == fit_gain && d < best_fit))) {
                best_fit = d;
                fit_gain = g;
            }
            if (best_small == G_MAXSIZE || g < small_gain || (g == small_gain && d < best_small)) {
                best_small = d;
                small_gain = g;
            }
        }
        gsize pick = best_fit != G_MAXSIZE ? best_fit
                     : best_small != G_MAXSIZE ? best_small : best_zero;
        /* a published v has n >= k, so while 0 < R(v) < k some published
         * descendant remains: pick is always set */
        if (pick == G_MAXSIZE) {
            return;
        }
        marked[pick] = FALSE;
        status[pick] = IMPACT_DISCLOSURE_COMPLEMENTARY;
    }
}

gboolean
impact_disclosure_decide(ImpactDisclosureStatus *status, gboolean *n_shown, const double *n,
                         const gint *parent, gsize n_units,
                         const ImpactDisclosureOptions *options, GError **error)
{
    const ImpactDisclosureOptions defaults = IMPACT_DISCLOSURE_OPTIONS_INIT;
    const ImpactDisclosureOptions *o = options ? options : &defaults;
    if (!check_options(o, error)) {
        return FALSE;
    }
    Forest f;
    if (!forest_build(&f, n, parent, n_units, o->min_group, error)) {
        forest_clear(&f);
        return FALSE;
    }
    const gsize root = n_units;
    g_autofree gboolean *marked = g_new0(gboolean, n_units + 1);
    g_autofree ImpactDisclosureStatus *st = g_new(ImpactDisclosureStatus, n_units + 1);
    for (gsize i = 0; i < n_units; i++) {
        marked[i] = f.n[i] >= (double) o->min_group;
        st[i] = marked[i] ? IMPACT_DISCLOSURE_PUBLISHED : IMPACT_DISCLOSURE_PRIMARY;
    }
    st[root] = IMPACT_DISCLOSURE_PUBLISHED;
    marked[root] = o->total_published && f.n[root] >= (double) o->min_group;

    /* deepest published units first, then the total */
    g_autofree gsize *order = g_new(gsize, MAX(n_units, 1));
    for (gsize i = 0; i < n_units; i++) {
        order[i] = i;
    }
    g_qsort_with_data(order, (gint) n_units, sizeof(gsize), by_depth_desc, f.depth);
    for (gsize j = 0; j < n_units; j++) {
        if (marked[order[j]]) {
            fix_residual(&f, order[j], marked, st);
        }
    }
    if (marked[root]) {
        fix_residual(&f, root, marked, st);
    }

    /* counts: the units whose n is shown must obey the same residual rule */
    g_autofree gboolean *shown = g_memdup2(marked, sizeof(gboolean) * (n_units + 1));
    for (gsize d = 0; d < n_units; d++) {
        if (st[d] != IMPACT_DISCLOSURE_COMPLEMENTARY) {
            continue;
        }
        double rd = residual(&f, d, shown);
        if (!residual_ok(rd, f.k)) {
            continue;
        }
        gsize a = marked_ancestor(&f, d, shown);
        if (a != G_MAXSIZE && !residual_ok(residual(&f, a, shown) - rd, f.k)) {
            continue;
        }
        shown[d] = TRUE;
    }
    for (gsize i = 0; i < n_units; i++) {
        status[i] = st[i];
        if (n_shown) {
            n_shown[i] = shown[i];
        }
    }
    forest_clear(&f);
    return TRUE;
}

gboolean
impact_disclosure_verify(const ImpactDisclosureStatus *status, const gboolean *n_shown,
                         const double *n, const gint *parent, gsize n_units,
                         const ImpactDisclosureOptions *options, GError **error)
{
    const ImpactDisclosureOptions defaults = IMPACT_DISCLOSURE_OPTIONS_INIT;
    const ImpactDisclosureOptions *o = options ? options : &defaults;
    if (!check_options(o, error)) {
        return FALSE;
    }
    Forest f;
    if (!forest_build(&f, n, parent, n_units, o->min_group, error)) {
        forest_clear(&f);
        return FALSE;
    }
    const gsize root = n_units;
    const double k = (double) o->min_group;
    g_autofree gboolean *marked = g_new0(gboolean, n_units + 1);
    g_autofree gboolean *shown = g_new0(gboolean, n_units + 1);
    gboolean ok = TRUE;
    for (gsize i = 0; i < n_units && ok; i++) {
        marked[i] = status[i] == IMPACT_DISCLOSURE_PUBLISHED;
        shown[i] = n_shown ? n_shown[i] : marked[i];
        if (marked[i] && f.n[i] < k) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INSUFFICIENT,
                        "unit %" G_GSIZE_FORMAT " is published with n = %.0f < k = %" G_GSIZE_FORMAT,
                        i, n[i], o->min_group);
            ok = FALSE;
        } else if (shown[i] && f.n[i] < k) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INSUFFICIENT,
                        "the count of unit %" G_GSIZE_FORMAT " (n = %.0f < k = %" G_GSIZE_FORMAT
                        ") is shown",
                        i, n[i], o->min_group);
            ok = FALSE;
        }
    }
    marked[root] = shown[root] = o->total_published && f.n[root] >= k;
    for (int pass = 0; pass < 2 && ok; pass++) {
        const gboolean *set = pass == 0 ? marked : shown;
        for (gsize v = 0; v <= n_units && ok; v++) {
            if (!set[v]) {
                continue;
            }
            double r = residual(&f, v, set);
            if (!residual_ok(r, o->min_group)) {
                if (v == root) {
                    g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INSUFFICIENT,
                                "the people outside the units whose %s is shown number %.0f "
                                "(< k = %" G_GSIZE_FORMAT "): the total reveals them",
                                pass == 0 ? "statistics are" : "n is", r, o->min_group);
                } else {
                    g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INSUFFICIENT,
                                "the people of unit %" G_GSIZE_FORMAT " outside its units whose "
                                "%s shown number %.0f (< k = %" G_GSIZE_FORMAT ")",
                                v, pass == 0 ? "statistics are" : "n is", r, o->min_group);
                }
                ok = FALSE;
            }
        }
    }
    forest_clear(&f);
    return ok;
}
