/* codebook.c — the codebook: items → scale, domain, range, key, weight.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <math.h>
#include <string.h>
#include "impact-private.h"

typedef struct {
    char *name;
    char *label;
    gsize scale;
    double min, max, weight;
    gboolean reverse;
} Item;

typedef struct {
    char *name;
    ImpactDomain domain;
    GArray *items; /* gsize codebook item indices */
} Scale;

struct _ImpactCodebook {
    GArray *items;        /* Item */
    GArray *scales;       /* Scale */
    GHashTable *item_idx; /* name -> index + 1 */
    GHashTable *scale_idx;
};

static const char *const domain_names[IMPACT_N_DOMAINS] = { "individual", "team", "organisation" };

const char *
impact_domain_name(ImpactDomain domain)
{
    return (guint) domain < IMPACT_N_DOMAINS ? domain_names[domain] : "unknown";
}

gboolean
impact_domain_parse(const char *text, ImpactDomain *out, GError **error)
{
    g_autofree char *t = g_strstrip(g_ascii_strdown(text ? text : "", -1));
    ImpactDomain d;
    if (strcmp(t, "individual") == 0) {
        d = IMPACT_DOMAIN_INDIVIDUAL;
    } else if (strcmp(t, "team") == 0) {
        d = IMPACT_DOMAIN_TEAM;
    } else if (strcmp(t, "organisation") == 0 || strcmp(t, "organization") == 0) {
        d = IMPACT_DOMAIN_ORGANISATION;
    } else {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "unknown domain '%s' (expected individual, team or organisation)",
                    text ? text : "");
        return FALSE;
    }
    *out = d;
    return TRUE;
}

static void
item_clear(gpointer p)
{
    Item *it = p;
    g_free(it->name);
    g_free(it->label);
}

static void
scale_clear(gpointer p)
{
    Scale *s = p;
    g_free(s->name);
    g_array_unref(s->items);
}

ImpactCodebook *
impact_codebook_new(void)
{
    ImpactCodebook *cb = g_new0(ImpactCodebook, 1);
    cb->items = g_array_new(FALSE, TRUE, sizeof(Item));
    g_array_set_clear_func(cb->items, item_clear);
    cb->scales = g_array_new(FALSE, TRUE, sizeof(Scale));
    g_array_set_clear_func(cb->scales, scale_clear);
    cb->item_idx = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    cb->scale_idx = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    return cb;
}

void
impact_codebook_free(ImpactCodebook *codebook)
{
    if (codebook == NULL) {
        return;
    }
    g_array_unref(codebook->items);
    g_array_unref(codebook->scales);
    g_hash_table_unref(codebook->item_idx);
    g_hash_table_unref(codebook->scale_idx);
    g_free(codebook);
}

gboolean
impact_codebook_add_item(ImpactCodebook *codebook, const char *item, const char *scale,
                         ImpactDomain domain, double min, double max, gboolean reverse,
                         double weight, const char *label, GError **error)
{
    g_return_val_if_fail(codebook != NULL, FALSE);
    if (item == NULL || *item == '\0') {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_CODEBOOK, "an item needs a name");
        return FALSE;
    }
    if (g_hash_table_contains(codebook->item_idx, item)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_CODEBOOK,
                    "item '%s' is listed twice (an item belongs to one scale)", item);
        return FALSE;
    }
    if (scale == NULL || *scale == '\0') {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_CODEBOOK, "item '%s' has no scale", item);
        return FALSE;
    }
    if ((guint) domain >= IMPACT_N_DOMAINS) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_CODEBOOK, "item '%s': invalid domain %d",
                    item, (int) domain);
        return FALSE;
    }
    if (!isfinite(min) || !isfinite(max) || !(min < max)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_CODEBOOK,
                    "item '%s': min (%g) must be a number below max (%g)", item, min, max);
        return FALSE;
    }
    if (!isfinite(weight) || !(weight > 0)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_CODEBOOK,
                    "item '%s': weight must be a positive number, not %g", item, weight);
        return FALSE;
    }
    gpointer sv = g_hash_table_lookup(codebook->scale_idx, scale);
    gsize s;
    if (sv) {
        s = GPOINTER_TO_SIZE(sv) - 1;
        Scale *sc = &g_array_index(codebook->scales, Scale, s);
        if (sc->domain != domain) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_CODEBOOK,
                        "item '%s' puts scale '%s' in domain %s, but its earlier items put it "
                        "in %s",
                        item, scale, impact_domain_name(domain), impact_domain_name(sc->domain));
            return FALSE;
        }
    } else {
        Scale sc = { g_strdup(scale), domain, g_array_new(FALSE, FALSE, sizeof(gsize)) };
        g_array_append_val(codebook->scales, sc);
        s = codebook->scales->len - 1;
        g_hash_table_insert(codebook->scale_idx, g_strdup(scale), GSIZE_TO_POINTER(s + 1));
    }
    Item it = { g_strdup(item), g_strdup(label && *label ? label : NULL), s, min, max, weight,
                reverse ? TRUE : FALSE };
    g_array_append_val(codebook->items, it);
    gsize i = codebook->items->len - 1;
    g_hash_table_insert(codebook->item_idx, g_strdup(item), GSIZE_TO_POINTER(i + 1));
    g_array_append_val(g_array_index(codebook->scales, Scale, s).items, i);
    return TRUE;
}

gsize
impact_codebook_n_items(const ImpactCodebook *codebook)
{
    return codebook ? codebook->items->len : 0;
}

gsize
impact_codebook_n_scales(const ImpactCodebook *codebook)
{
    return codebook ? codebook->scales->len : 0;
}

gssize
impact_codebook_item_index(const ImpactCodebook *codebook, const char *name)
{
    gpointer v = codebook && name ? g_hash_table_lookup(codebook->item_idx, name) : NULL;
    return v ? (gssize) GPOINTER_TO_SIZE(v) - 1 : -1;
}

gssize
impact_codebook_scale_index(const ImpactCodebook *codebook, const char *name)
{
    gpointer v = codebook && name ? g_hash_table_lookup(codebook->scale_idx, name) : NULL;
    return v ? (gssize) GPOINTER_TO_SIZE(v) - 1 : -1;
}

#define ITEM(cb, i) (&g_array_index((cb)->items, Item, (i)))
#define SCALE(cb, s) (&g_array_index((cb)->scales, Scale, (s)))

const char *
impact_codebook_item_name(const ImpactCodebook *cb, gsize i)
{
    return i < impact_codebook_n_items(cb) ? ITEM(cb, i)->name : NULL;
}

const char *
impact_codebook_item_label(const ImpactCodebook *cb, gsize i)
{
    return i < impact_codebook_n_items(cb) ? ITEM(cb, i)->label : NULL;
}

gsize
impact_codebook_item_scale(const ImpactCodebook *cb, gsize i)
{
    return i < impact_codebook_n_items(cb) ? ITEM(cb, i)->scale : 0;
}

double
impact_codebook_item_min(const ImpactCodebook *cb, gsize i)
{
    return i < impact_codebook_n_items(cb) ? ITEM(cb, i)->min : NAN;
}

double
impact_codebook_item_max(const ImpactCodebook *cb, gsize i)
{
    return i < impact_codebook_n_items(cb) ? ITEM(cb, i)->max : NAN;
}

gboolean
impact_codebook_item_reverse(const ImpactCodebook *cb, gsize i)
{
    return i < impact_codebook_n_items(cb) ? ITEM(cb, i)->reverse : FALSE;
}

double
impact_codebook_item_weight(const ImpactCodebook *cb, gsize i)
{
    return i < impact_codebook_n_items(cb) ? ITEM(cb, i)->weight : NAN;
}

const char *
impact_codebook_scale_name(const ImpactCodebook *cb, gsize s)
{
    return s < impact_codebook_n_scales(cb) ? SCALE(cb, s)->name : NULL;
}

ImpactDomain
impact_codebook_scale_domain(const ImpactCodebook *cb, gsize s)
{
    return s < impact_codebook_n_scales(cb) ? SCALE(cb, s)->domain : IMPACT_DOMAIN_INDIVIDUAL;
}

gsize
impact_codebook_scale_n_items(const ImpactCodebook *cb, gsize s)
{
    return s < impact_codebook_n_scales(cb) ? SCALE(cb, s)->items->len : 0;
}

gsize
impact_codebook_scale_item(const ImpactCodebook *cb, gsize s, gsize j)
{
    if (s >= impact_codebook_n_scales(cb) || j >= SCALE(cb, s)->items->len) {
        return G_MAXSIZE;
    }
    return g_array_index(SCALE(cb, s)->items, gsize, j);
}

gboolean
impact_codebook_scale_range(const ImpactCodebook *cb, gsize s, double *min, double *max)
{
    gsize k = impact_codebook_scale_n_items(cb, s);
    double lo = INFINITY, hi = -INFINITY;
    gboolean same = k > 0;
    for (gsize j = 0; j < k; j++) {
        const Item *it = ITEM(cb, impact_codebook_scale_item(cb, s, j));
        if (j > 0 && (it->min != lo || it->max != hi)) {
            same = FALSE;
        }
        lo = j == 0 ? it->min : MIN(lo, it->min);
        hi = j == 0 ? it->max : MAX(hi, it->max);
    }
    if (min) {
        *min = lo;
    }
    if (max) {
        *max = hi;
    }
    return same;
}

double
impact_codebook_scale_weight(const ImpactCodebook *cb, gsize s)
{
    gsize k = impact_codebook_scale_n_items(cb, s);
    double w = 0;
    for (gsize j = 0; j < k; j++) {
        w += ITEM(cb, impact_codebook_scale_item(cb, s, j))->weight;
    }
    return k ? w / (double) k : NAN;
}

/* ---- reading ------------------------------------------------------------- */

enum { COL_ITEM, COL_SCALE, COL_DOMAIN, COL_MIN, COL_MAX, COL_REVERSE, COL_WEIGHT, COL_LABEL, N_COLS };
static const char *const col_names[N_COLS] = { "item",    "scale",  "domain", "min",
                                               "max",     "reverse", "weight", "label" };

static gboolean
parse_bool(const char *t, gboolean *out)
{
    g_autofree char *s = g_strstrip(g_ascii_strdown(t, -1));
    if (*s == '\0' || strcmp(s, "0") == 0 || strcmp(s, "no") == 0 || strcmp(s, "false") == 0 ||
        strcmp(s, "n") == 0 || strcmp(s, "f") == 0) {
        *out = FALSE;
        return TRUE;
    }
    if (strcmp(s, "1") == 0 || strcmp(s, "yes") == 0 || strcmp(s, "true") == 0 ||
        strcmp(s, "y") == 0 || strcmp(s, "t") == 0) {
        *out = TRUE;
        return TRUE;
    }
    return FALSE;
}

gboolean
impact_codebook_read_buffer(ImpactCodebook **out, const char *data, gsize len, const char *name,
                            GError **error)
{
    g_return_val_if_fail(out != NULL, FALSE);
    ImpactCsv csv;
    impact_i_csv_init(&csv, data, len, name ? name : "<codebook>", ',');
    g_auto(GStrv) header = NULL;
    g_autoptr(ImpactCodebook) cb = NULL;
    g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func(g_free);
    gboolean ok = FALSE;
    int pos[N_COLS];
    for (int c = 0; c < N_COLS; c++) {
        pos[c] = -1;
    }
    if (!impact_i_csv_header(&csv, &header, error)) {
        goto out;
    }
    guint ncol = g_strv_length(header);
    for (guint j = 0; j < ncol; j++) {
        g_autofree char *lower = g_ascii_strdown(header[j], -1);
        for (int c = 0; c < N_COLS; c++) {
            if (strcmp(lower, col_names[c]) == 0) {
                if (pos[c] >= 0) {
                    g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_PARSE,
                                "%s:1:%u: duplicate column '%s'", csv.name, j + 1, header[j]);
                    goto out;
                }
                pos[c] = (int) j;
            }
        }
    }
    for (int c = 0; c <= COL_MAX; c++) {
        if (pos[c] < 0) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_PARSE,
                        "%s:1:1: the codebook has no '%s' column (required: item, scale, "
                        "domain, min, max)",
                        csv.name, col_names[c]);
            goto out;
        }
    }
    cb = impact_codebook_new();
    while (impact_i_csv_at_record(&csv)) {
        gsize line = csv.line;
        g_ptr_array_set_size(fields, 0);
        ImpactCsvStatus st;
        do {
            const char *s;
            gsize l;
            st = impact_i_csv_field(&csv, &s, &l, error);
            if (st == IMPACT_I_CSV_ERROR) {
                goto out;
            }
            g_ptr_array_add(fields, g_strstrip(g_strndup(s, l)));
        } while (st == IMPACT_I_CSV_MORE);
        if (fields->len != ncol) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_PARSE,
                        "%s:%" G_GSIZE_FORMAT ":%u: the row has %u fields but the header has %u",
                        csv.name, line, MIN(fields->len, ncol) + 1, fields->len, ncol);
            goto out;
        }
#define F(c) ((const char *) (pos[c] >= 0 ? g_ptr_array_index(fields, pos[c]) : ""))
        ImpactDomain domain;
        GError *local = NULL;
        if (!impact_domain_parse(F(COL_DOMAIN), &domain, &local)) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_CODEBOOK, "%s:%" G_GSIZE_FORMAT ":%d: %s",
                        csv.name, line, pos[COL_DOMAIN] + 1, local->message);
            g_error_free(local);
            goto out;
        }
        double v[2];
        for (int c = COL_MIN; c <= COL_MAX; c++) {
            if (!impact_i_parse_double(F(c), strlen(F(c)), &v[c - COL_MIN])) {
                g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_CODEBOOK,
                            "%s:%" G_GSIZE_FORMAT ":%d: %s '%s' is not a number", csv.name, line,
                            pos[c] + 1, col_names[c], F(c));
                goto out;
            }
        }
        gboolean reverse = FALSE;
        if (pos[COL_REVERSE] >= 0 && !parse_bool(F(COL_REVERSE), &reverse)) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_CODEBOOK,
                        "%s:%" G_GSIZE_FORMAT ":%d: reverse '%s' is not one of 0/1/yes/no/true/false",
                        csv.name, line, pos[COL_REVERSE] + 1, F(COL_REVERSE));
            goto out;
        }
        double weight = 1.0;
        if (pos[COL_WEIGHT] >= 0 && *F(COL_WEIGHT) != '\0' &&
            !impact_i_parse_double(F(COL_WEIGHT), strlen(F(COL_WEIGHT)), &weight)) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_CODEBOOK,
                        "%s:%" G_GSIZE_FORMAT ":%d: weight '%s' is not a number", csv.name, line,
                        pos[COL_WEIGHT] + 1, F(COL_WEIGHT));
            goto out;
        }
        if (!impact_codebook_add_item(cb, F(COL_ITEM), F(COL_SCALE), domain, v[0], v[1], reverse,
                                      weight, F(COL_LABEL), &local)) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_CODEBOOK, "%s:%" G_GSIZE_FORMAT ":%d: %s",
                        csv.name, line, pos[COL_ITEM] + 1, local->message);
            g_error_free(local);
            goto out;
        }
#undef F
    }
    if (impact_codebook_n_items(cb) == 0) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_PARSE, "%s:2:1: the codebook lists no items",
                    csv.name);
        goto out;
    }
    *out = g_steal_pointer(&cb);
    ok = TRUE;
out:
    impact_i_csv_clear(&csv);
    return ok;
}

gboolean
impact_codebook_read_csv(ImpactCodebook **out, const char *path, GError **error)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    GError *local = NULL;
    if (!g_file_get_contents(path, &data, &len, &local)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_IO, "%s: cannot read the codebook: %s", path,
                    local->message);
        g_error_free(local);
        return FALSE;
    }
    return impact_codebook_read_buffer(out, data, len, path, error);
}

gboolean
impact_i_item_columns(gsize **out, const ImpactTable *table, const ImpactCodebook *codebook,
                      GError **error)
{
    gsize k = impact_codebook_n_items(codebook);
    g_autofree gsize *cols = g_new(gsize, MAX(k, 1));
    for (gsize i = 0; i < k; i++) {
        const char *name = impact_codebook_item_name(codebook, i);
        gssize j = impact_table_column_index(table, name);
        if (j < 0) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                        "%s: the codebook's item '%s' has no column in the data",
                        impact_table_source(table), name);
            return FALSE;
        }
        if (impact_table_column_type(table, (gsize) j) != IMPACT_COLUMN_NUMERIC) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                        "%s: item column '%s' is not numeric", impact_table_source(table), name);
            return FALSE;
        }
        cols[i] = (gsize) j;
    }
    *out = g_steal_pointer(&cols);
    return TRUE;
}
