/* score.c — scale scores per response (reverse keying, weights, the
 * minimum-answered rule, mean / prorated sum / POMP) and item descriptives.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <math.h>
#include <string.h>
#include "impact-private.h"
#include "lanes-private.h"

gsize
impact_score_required(double min_answered, gsize k)
{
    gsize req;
    if (min_answered >= 1.0) {
        req = (gsize) ceil(min_answered - 1e-9);
        req = MIN(req, k);
    } else {
        /* fraction: answered >= f·k, guarding against 0.5·4 = 2.0000000001 */
        req = (gsize) ceil(min_answered * (double) k - 1e-9);
    }
    return MAX(req, 1);
}

/* The kernel, built for the baseline instruction set and, where
 * LANES_WIDE, for AVX2 (score-kernel.h, lanes-private.h). */
#define KERNEL(name) name##_base
#include "score-kernel.h"
#undef KERNEL
#if LANES_WIDE
#include "lanes-wide-begin.h"
#define KERNEL(name) name##_avx2
#include "score-kernel.h"
#undef KERNEL
#include "lanes-wide-end.h"
#endif

void
impact_score_kernel(double *out, const double *const *items, gsize k, gsize n, const double *min,
                    const double *max, const gboolean *reverse, const double *weight,
                    gsize required, ImpactScoreKind kind)
{
    /* keyed value x' = a + b·x, POMP: 100 (x' − lo)/(hi − lo) */
    g_autofree double *a = g_new(double, MAX(k, 1));
    g_autofree double *b = g_new(double, MAX(k, 1));
    g_autofree double *w = g_new(double, MAX(k, 1));
    double wtotal = 0.0;
    for (gsize j = 0; j < k; j++) {
        const double lo = min[j], hi = max[j];
        w[j] = weight ? weight[j] : 1.0;
        wtotal += w[j];
        a[j] = reverse && reverse[j] ? lo + hi : 0.0;
        b[j] = reverse && reverse[j] ? -1.0 : 1.0;
        if (kind == IMPACT_SCORE_POMP) {
            a[j] = 100.0 * (a[j] - lo) / (hi - lo);
            b[j] = 100.0 * b[j] / (hi - lo);
        }
    }
    /* score = Σ w·x' / Σ w over the answered items (× Σ w of all items for
     * a prorated sum); missing if fewer than @required items are answered */
#if LANES_WIDE
    if (__builtin_cpu_supports("avx2")) {
        score_rows_avx2(out, items, k, n, a, b, w, required, kind == IMPACT_SCORE_SUM, wtotal);
        return;
    }
#endif
    score_rows_base(out, items, k, n, a, b, w, required, kind == IMPACT_SCORE_SUM, wtotal);
}

gboolean
impact_score_table(ImpactTable **out, const ImpactTable *responses,
                   const ImpactCodebook *codebook, const char *id_column,
                   const ImpactScoreOptions *options, GError **error)
{
    g_return_val_if_fail(out != NULL && responses != NULL && codebook != NULL, FALSE);
    ImpactScoreOptions defaults = IMPACT_SCORE_OPTIONS_INIT;
    if (options == NULL) {
        options = &defaults;
    }
    if (options->version < 1 || !(options->min_answered > 0) ||
        !isfinite(options->min_answered) || (guint) options->kind > IMPACT_SCORE_POMP) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "scoring options: min_answered must be a fraction in (0, 1] or a count "
                    ">= 1 (got %g), kind mean, sum or pomp",
                    options->min_answered);
        return FALSE;
    }
    g_autofree gsize *cols = NULL;
    if (!impact_i_item_columns(&cols, responses, codebook, error)) {
        return FALSE;
    }
    gsize id = 0;
    if (id_column && !impact_table_lookup(responses, id_column, &id, error)) {
        return FALSE;
    }
    gsize n = impact_table_n_rows(responses);
    g_autoptr(ImpactTable) t = impact_table_new();
    impact_i_table_set_source(t, impact_table_source(responses));
    t->n_rows = n;
    t->capacity = MAX(n, 1);
    if (id_column) {
        const ImpactColumn *src = g_ptr_array_index(responses->columns, id);
        ImpactColumn *c = impact_i_table_append_column(t, id_column, src->type);
        if (src->type == IMPACT_COLUMN_NUMERIC) {
            memcpy(c->num, src->num, n * sizeof(double));
        } else {
            memcpy(c->codes, src->codes, n * sizeof(guint32));
            /* share the source's levels and their index (reference counts)
             * instead of copying them: a finished table's text columns never
             * change (nothing interns into them), and a copy of 500,000 ids
             * (a g_strdup and a hash insert each) cost more than the scores */
            g_ptr_array_unref(c->levels);
            c->levels = g_ptr_array_ref(src->levels);
            g_hash_table_unref(c->index);
            c->index = g_hash_table_ref(src->index);
            c->n_indexed = src->n_indexed;
        }
    }
    for (gsize s = 0; s < impact_codebook_n_scales(codebook); s++) {
        const char *name = impact_codebook_scale_name(codebook, s);
        if (impact_table_column_index(t, name) >= 0) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                        "scale '%s' has the name of the id column", name);
            return FALSE;
        }
        gsize k = impact_codebook_scale_n_items(codebook, s);
        g_autofree const double **x = g_new(const double *, k);
        g_autofree double *lo = g_new(double, k);
        g_autofree double *hi = g_new(double, k);
        g_autofree double *w = g_new(double, k);
        g_autofree gboolean *rev = g_new(gboolean, k);
        for (gsize j = 0; j < k; j++) {
            gsize i = impact_codebook_scale_item(codebook, s, j);
            x[j] = impact_table_numeric(responses, cols[i]);
            lo[j] = impact_codebook_item_min(codebook, i);
            hi[j] = impact_codebook_item_max(codebook, i);
            w[j] = impact_codebook_item_weight(codebook, i);
            rev[j] = impact_codebook_item_reverse(codebook, i);
        }
        ImpactColumn *c = impact_i_table_append_column(t, name, IMPACT_COLUMN_NUMERIC);
        impact_score_kernel(c->num, x, k, n, lo, hi, rev, w,
                            impact_score_required(options->min_answered, k), options->kind);
    }
    *out = g_steal_pointer(&t);
    return TRUE;
}

gboolean
impact_describe_items(ImpactResult **out, const ImpactTable *responses,
                      const ImpactCodebook *codebook, GError **error)
{
    g_return_val_if_fail(out != NULL && responses != NULL && codebook != NULL, FALSE);
    g_autofree gsize *cols = NULL;
    if (!impact_i_item_columns(&cols, responses, codebook, error)) {
        return FALSE;
    }
    gsize n = impact_table_n_rows(responses);
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "n_rows");
    json_builder_add_int_value(b, (gint64) n);
    json_builder_set_member_name(b, "items");
    json_builder_begin_array(b);
    for (gsize i = 0; i < impact_codebook_n_items(codebook); i++) {
        const double *x = impact_table_numeric(responses, cols[i]);
        double lo = impact_codebook_item_min(codebook, i);
        double hi = impact_codebook_item_max(codebook, i);
        gsize s = impact_codebook_item_scale(codebook, i);
        double mean, var, mn = INFINITY, mx = -INFINITY;
        gsize k;
        impact_stats_mean_var(x, n, &mean, &var, &k);
        /* whole response values of the range */
        gsize nlev = (gsize) (floor(hi) - ceil(lo)) + 1;
        gboolean count_levels = nlev <= 1000;
        g_autofree gsize *freq = g_new0(gsize, count_levels ? nlev : 1);
        gsize other = 0;
        for (gsize r = 0; r < n; r++) {
            double v = x[r];
            if (isnan(v)) {
                continue;
            }
            mn = MIN(mn, v);
            mx = MAX(mx, v);
            if (count_levels && v == floor(v)) {
                freq[(gsize) (v - ceil(lo))]++;
            } else {
                other++;
            }
        }
        json_builder_begin_object(b);
        impact_i_json_string(b, "item", impact_codebook_item_name(codebook, i));
        impact_i_json_string(b, "scale", impact_codebook_scale_name(codebook, s));
        impact_i_json_string(b, "domain",
                             impact_domain_name(impact_codebook_scale_domain(codebook, s)));
        impact_i_json_bool(b, "reverse", impact_codebook_item_reverse(codebook, i));
        impact_i_json_int(b, "n", (gint64) k);
        impact_i_json_int(b, "missing", (gint64) (n - k));
        impact_i_json_double(b, "mean", mean);
        impact_i_json_double(b, "sd", sqrt(var));
        impact_i_json_double(b, "min", k ? mn : NAN);
        impact_i_json_double(b, "max", k ? mx : NAN);
        impact_i_json_int(b, "recoded", (gint64) impact_table_n_recoded(responses, cols[i]));
        impact_i_json_int(b, "other", (gint64) other);
        json_builder_set_member_name(b, "frequencies");
        json_builder_begin_object(b);
        for (gsize l = 0; count_levels && l < nlev; l++) {
            char key[G_ASCII_DTOSTR_BUF_SIZE];
            impact_i_format_double(key, sizeof key, ceil(lo) + (double) l);
            impact_i_json_int(b, key, (gint64) freq[l]);
        }
        json_builder_end_object(b);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    *out = impact_i_result_new(json_builder_get_root(b));
    return TRUE;
}
