/* result.c — ImpactResult: the JSON-shaped tree every layer reads, its JSON
 * writer (shortest round-trip numbers, null for non-finite) and the table
 * flattener used for text and CSV output.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "impact-private.h"

struct _ImpactResult {
    JsonNode *root;
};

ImpactResult *
impact_i_result_new(JsonNode *root)
{
    ImpactResult *r = g_new0(ImpactResult, 1);
    r->root = root ? root : json_node_new(JSON_NODE_NULL);
    return r;
}

JsonNode *
impact_i_result_root(const ImpactResult *result)
{
    return result ? result->root : NULL;
}

void
impact_result_free(ImpactResult *result)
{
    if (result == NULL) {
        return;
    }
    json_node_unref(result->root);
    g_free(result);
}

/* ---- builder helpers ------------------------------------------------------ */

static void
member(JsonBuilder *b, const char *key)
{
    if (key) {
        json_builder_set_member_name(b, key);
    }
}

void
impact_i_json_double(JsonBuilder *b, const char *key, double v)
{
    member(b, key);
    if (isfinite(v)) {
        json_builder_add_double_value(b, v);
    } else {
        json_builder_add_null_value(b);
    }
}

void
impact_i_json_int(JsonBuilder *b, const char *key, gint64 v)
{
    member(b, key);
    json_builder_add_int_value(b, v);
}

void
impact_i_json_string(JsonBuilder *b, const char *key, const char *v)
{
    member(b, key);
    if (v) {
        json_builder_add_string_value(b, v);
    } else {
        json_builder_add_null_value(b);
    }
}

void
impact_i_json_bool(JsonBuilder *b, const char *key, gboolean v)
{
    member(b, key);
    json_builder_add_boolean_value(b, v);
}

void
impact_i_json_null(JsonBuilder *b, const char *key)
{
    member(b, key);
    json_builder_add_null_value(b);
}

void
impact_i_json_pair(JsonBuilder *b, const char *key, double lo, double hi)
{
    double v[2] = { lo, hi };
    impact_i_json_doubles(b, key, v, 2);
}

void
impact_i_json_doubles(JsonBuilder *b, const char *key, const double *v, gsize n)
{
    member(b, key);
    json_builder_begin_array(b);
    for (gsize i = 0; i < n; i++) {
        impact_i_json_double(b, NULL, v[i]);
    }
    json_builder_end_array(b);
}

/* ---- JSON writer ------------------------------------------------------------ */

static void
write_string(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
        switch (*p) {
        case '"': g_string_append(out, "\\\""); break;
        case '\\': g_string_append(out, "\\\\"); break;
        case '\n': g_string_append(out, "\\n"); break;
        case '\r': g_string_append(out, "\\r"); break;
        case '\t': g_string_append(out, "\\t"); break;
        default:
            if (*p < 0x20) {
                g_string_append_printf(out, "\\u%04x", *p);
            } else {
                g_string_append_c(out, (char) *p);
            }
        }
    }
    g_string_append_c(out, '"');
}

static void
write_number(GString *out, JsonNode *node)
{
    if (json_node_get_value_type(node) == G_TYPE_INT64) {
        g_string_append_printf(out, "%" G_GINT64_FORMAT, json_node_get_int(node));
        return;
    }
    double v = json_node_get_double(node);
    if (!isfinite(v)) {
        g_string_append(out, "null");
        return;
    }
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    for (int prec = 15; prec <= 17; prec++) {
        g_ascii_formatd(buf, sizeof buf, prec == 15 ? "%.15g" : prec == 16 ? "%.16g" : "%.17g", v);
        if (g_ascii_strtod(buf, NULL) == v) {
            break;
        }
    }
    g_string_append(out, buf);
    /* keep doubles recognisable as such */
    if (strpbrk(buf, ".eE") == NULL) {
        g_string_append(out, ".0");
    }
}

static void
indent(GString *out, gboolean pretty, int depth)
{
    if (pretty) {
        g_string_append_c(out, '\n');
        for (int i = 0; i < depth; i++) {
            g_string_append(out, "  ");
        }
    }
}

static void
write_node(GString *out, JsonNode *node, gboolean pretty, int depth)
{
    switch (JSON_NODE_TYPE(node)) {
    case JSON_NODE_NULL:
        g_string_append(out, "null");
        break;
    case JSON_NODE_VALUE: {
        GType t = json_node_get_value_type(node);
        if (t == G_TYPE_STRING) {
            write_string(out, json_node_get_string(node));
        } else if (t == G_TYPE_BOOLEAN) {
            g_string_append(out, json_node_get_boolean(node) ? "true" : "false");
        } else {
            write_number(out, node);
        }
        break;
    }
    case JSON_NODE_ARRAY: {
        JsonArray *a = json_node_get_array(node);
        guint n = json_array_get_length(a);
        g_string_append_c(out, '[');
        for (guint i = 0; i < n; i++) {
            if (i) {
                g_string_append_c(out, ',');
            }
            indent(out, pretty, depth + 1);
            write_node(out, json_array_get_element(a, i), pretty, depth + 1);
        }
        if (n) {
            indent(out, pretty, depth);
        }
        g_string_append_c(out, ']');
        break;
    }
    case JSON_NODE_OBJECT: {
        JsonObject *o = json_node_get_object(node);
        JsonObjectIter it;
        const char *key;
        JsonNode *val;
        gboolean first = TRUE;
        g_string_append_c(out, '{');
        json_object_iter_init_ordered(&it, o);
        while (json_object_iter_next_ordered(&it, &key, &val)) {
            if (!first) {
                g_string_append_c(out, ',');
            }
            first = FALSE;
            indent(out, pretty, depth + 1);
            write_string(out, key);
            g_string_append(out, pretty ? ": " : ":");
            write_node(out, val, pretty, depth + 1);
        }
        if (!first) {
            indent(out, pretty, depth);
        }
        g_string_append_c(out, '}');
        break;
    }
    }
}

char *
impact_result_to_json(const ImpactResult *result, gboolean pretty)
{
    GString *out = g_string_new(NULL);
    if (result) {
        write_node(out, result->root, pretty, 0);
    } else {
        g_string_append(out, "null");
    }
    if (pretty) {
        g_string_append_c(out, '\n');
    }
    return g_string_free(out, FALSE);
}

/* ---- path access ------------------------------------------------------------- */

static JsonNode *
lookup(const ImpactResult *result, const char *path)
{
    if (result == NULL) {
        return NULL;
    }
    JsonNode *node = result->root;
    if (path == NULL || *path == '\0') {
        return node;
    }
    g_auto(GStrv) parts = g_strsplit(path, "/", -1);
    for (int i = 0; parts[i] && node; i++) {
        if (*parts[i] == '\0') {
            continue;
        }
        if (JSON_NODE_HOLDS_OBJECT(node)) {
            node = json_object_get_member(json_node_get_object(node), parts[i]);
        } else if (JSON_NODE_HOLDS_ARRAY(node)) {
            char *end = NULL;
            guint64 idx = g_ascii_strtoull(parts[i], &end, 10);
            JsonArray *a = json_node_get_array(node);
            if (end == parts[i] || *end != '\0' || idx >= json_array_get_length(a)) {
                return NULL;
            }
            node = json_array_get_element(a, (guint) idx);
        } else {
            return NULL;
        }
    }
    return node;
}

ImpactValueType
impact_result_type(const ImpactResult *result, const char *path)
{
    JsonNode *n = lookup(result, path);
    if (n == NULL) {
        return IMPACT_VALUE_ABSENT;
    }
    switch (JSON_NODE_TYPE(n)) {
    case JSON_NODE_NULL: return IMPACT_VALUE_NULL;
    case JSON_NODE_ARRAY: return IMPACT_VALUE_ARRAY;
    case JSON_NODE_OBJECT: return IMPACT_VALUE_OBJECT;
    case JSON_NODE_VALUE: {
        GType t = json_node_get_value_type(n);
        if (t == G_TYPE_STRING) {
            return IMPACT_VALUE_STRING;
        }
        return t == G_TYPE_BOOLEAN ? IMPACT_VALUE_BOOLEAN : IMPACT_VALUE_NUMBER;
    }
    }
    return IMPACT_VALUE_ABSENT;
}

double
impact_result_number(const ImpactResult *result, const char *path)
{
    JsonNode *n = lookup(result, path);
    if (impact_result_type(result, path) != IMPACT_VALUE_NUMBER) {
        return NAN;
    }
    if (json_node_get_value_type(n) == G_TYPE_INT64) {
        return (double) json_node_get_int(n);
    }
    return json_node_get_double(n);
}

const char *
impact_result_string(const ImpactResult *result, const char *path)
{
    JsonNode *n = lookup(result, path);
    return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING
               ? json_node_get_string(n)
               : NULL;
}

gboolean
impact_result_boolean(const ImpactResult *result, const char *path)
{
    JsonNode *n = lookup(result, path);
    return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_BOOLEAN &&
           json_node_get_boolean(n);
}

gsize
impact_result_length(const ImpactResult *result, const char *path)
{
    JsonNode *n = lookup(result, path);
    if (n && JSON_NODE_HOLDS_ARRAY(n)) {
        return json_array_get_length(json_node_get_array(n));
    }
    if (n && JSON_NODE_HOLDS_OBJECT(n)) {
        return json_object_get_size(json_node_get_object(n));
    }
    return 0;
}

const char *
impact_result_key(const ImpactResult *result, const char *path, gsize i)
{
    JsonNode *n = lookup(result, path);
    if (n == NULL || !JSON_NODE_HOLDS_OBJECT(n)) {
        return NULL;
    }
    JsonObjectIter it;
    const char *key;
    JsonNode *val;
    gsize k = 0;
    json_object_iter_init_ordered(&it, json_node_get_object(n));
    while (json_object_iter_next_ordered(&it, &key, &val)) {
        if (k++ == i) {
            return key;
        }
    }
    return NULL;
}

/* ---- table flattening --------------------------------------------------------- */

typedef struct {
    GPtrArray *columns;   /* char * names, owned */
    GHashTable *col_idx;  /* name -> index + 1 */
    GPtrArray *rows;      /* GHashTable name -> JsonNode* (borrowed) */
} Flat;

static void
flat_add_column(Flat *f, const char *name)
{
    if (!g_hash_table_contains(f->col_idx, name)) {
        char *owned = g_strdup(name);
        g_ptr_array_add(f->columns, owned);
        g_hash_table_insert(f->col_idx, owned, GSIZE_TO_POINTER(f->columns->len));
    }
}

static gboolean
is_scalar(JsonNode *n)
{
    return JSON_NODE_HOLDS_VALUE(n) || JSON_NODE_HOLDS_NULL(n);
}

static gboolean
is_pair(JsonNode *n)
{
    if (!JSON_NODE_HOLDS_ARRAY(n)) {
        return FALSE;
    }
    JsonArray *a = json_node_get_array(n);
    return json_array_get_length(a) == 2 && is_scalar(json_array_get_element(a, 0)) &&
           is_scalar(json_array_get_element(a, 1));
}

static void
flat_record(Flat *f, GHashTable *context, JsonObject *o)
{
    GHashTable *row = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTableIter hi;
    gpointer k, v;
    g_hash_table_iter_init(&hi, context);
    while (g_hash_table_iter_next(&hi, &k, &v)) {
        g_hash_table_insert(row, g_strdup(k), v);
    }
    JsonObjectIter it;
    const char *key;
    JsonNode *val;
    json_object_iter_init_ordered(&it, o);
    while (json_object_iter_next_ordered(&it, &key, &val)) {
        if (is_scalar(val)) {
            flat_add_column(f, key);
            g_hash_table_insert(row, g_strdup(key), val);
        } else if (is_pair(val)) {
            JsonArray *a = json_node_get_array(val);
            g_autofree char *lo = g_strconcat(key, "_lo", NULL);
            g_autofree char *hi2 = g_strconcat(key, "_hi", NULL);
            flat_add_column(f, lo);
            flat_add_column(f, hi2);
            g_hash_table_insert(row, g_strdup(lo), json_array_get_element(a, 0));
            g_hash_table_insert(row, g_strdup(hi2), json_array_get_element(a, 1));
        }
    }
    g_ptr_array_add(f->rows, row);
}

static gboolean
flat_walk(Flat *f, GHashTable *context, JsonNode *node, char **parts)
{
    if (*parts == NULL) {
        if (!JSON_NODE_HOLDS_ARRAY(node)) {
            return FALSE;
        }
        JsonArray *a = json_node_get_array(node);
        for (guint i = 0; i < json_array_get_length(a); i++) {
            JsonNode *e = json_array_get_element(a, i);
            if (!JSON_NODE_HOLDS_OBJECT(e)) {
                return FALSE;
            }
            flat_record(f, context, json_node_get_object(e));
        }
        return TRUE;
    }
    if (strcmp(*parts, "*") == 0) {
        if (!JSON_NODE_HOLDS_ARRAY(node)) {
            return FALSE;
        }
        JsonArray *a = json_node_get_array(node);
        for (guint i = 0; i < json_array_get_length(a); i++) {
            JsonNode *e = json_array_get_element(a, i);
            if (!JSON_NODE_HOLDS_OBJECT(e)) {
                return FALSE;
            }
            /* the element's string members become context */
            GHashTable *ctx = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
            GHashTableIter hi;
            gpointer k, v;
            g_hash_table_iter_init(&hi, context);
            while (g_hash_table_iter_next(&hi, &k, &v)) {
                g_hash_table_insert(ctx, g_strdup(k), v);
            }
            JsonObjectIter it;
            const char *key;
            JsonNode *val;
            json_object_iter_init_ordered(&it, json_node_get_object(e));
            while (json_object_iter_next_ordered(&it, &key, &val)) {
                if (JSON_NODE_HOLDS_VALUE(val) && json_node_get_value_type(val) == G_TYPE_STRING) {
                    flat_add_column(f, key);
                    g_hash_table_insert(ctx, g_strdup(key), val);
                }
            }
            gboolean ok = flat_walk(f, ctx, e, parts + 1);
            g_hash_table_unref(ctx);
            if (!ok) {
                return FALSE;
            }
        }
        return TRUE;
    }
    if (!JSON_NODE_HOLDS_OBJECT(node)) {
        return FALSE;
    }
    JsonNode *child = json_object_get_member(json_node_get_object(node), *parts);
    if (child == NULL) {
        return FALSE;
    }
    return flat_walk(f, context, child, parts + 1);
}

static char *
cell_text(JsonNode *n, ImpactTableFormat format)
{
    if (n == NULL || JSON_NODE_HOLDS_NULL(n)) {
        return g_strdup(format == IMPACT_TABLE_CSV ? "" : "NA");
    }
    GType t = json_node_get_value_type(n);
    if (t == G_TYPE_STRING) {
        return g_strdup(json_node_get_string(n));
    }
    if (t == G_TYPE_BOOLEAN) {
        return g_strdup(json_node_get_boolean(n) ? "true" : "false");
    }
    if (t == G_TYPE_INT64) {
        return g_strdup_printf("%" G_GINT64_FORMAT, json_node_get_int(n));
    }
    double v = json_node_get_double(n);
    if (format == IMPACT_TABLE_TEXT) {
        return g_strdup_printf("%.3f", v);
    }
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    impact_i_format_double(buf, sizeof buf, v);
    return g_strdup(buf);
}

static void
csv_cell(GString *out, const char *s)
{
    if (strpbrk(s, ",\"\n\r") == NULL) {
        g_string_append(out, s);
        return;
    }
    g_string_append_c(out, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"') {
            g_string_append_c(out, '"');
        }
        g_string_append_c(out, *p);
    }
    g_string_append_c(out, '"');
}

char *
impact_result_format_table(const ImpactResult *result, const char *path, ImpactTableFormat format,
                           GError **error)
{
    Flat f = { g_ptr_array_new_with_free_func(g_free), g_hash_table_new(g_str_hash, g_str_equal),
               g_ptr_array_new_with_free_func((GDestroyNotify) g_hash_table_unref) };
    g_auto(GStrv) parts = g_strsplit(path ? path : "", "/", -1);
    GHashTable *ctx = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    gboolean ok = result && flat_walk(&f, ctx, result->root, parts);
    g_hash_table_unref(ctx);
    char *text = NULL;
    char **cells = NULL;
    if (!ok) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "'%s' does not name an array of records in this result", path ? path : "");
        goto out;
    }
    guint nc = f.columns->len, nr = f.rows->len;
    cells = g_new0(char *, (gsize) (nr + 1) * MAX(nc, 1));
    for (guint c = 0; c < nc; c++) {
        cells[c] = g_strdup(g_ptr_array_index(f.columns, c));
    }
    for (guint r = 0; r < nr; r++) {
        GHashTable *row = g_ptr_array_index(f.rows, r);
        for (guint c = 0; c < nc; c++) {
            cells[(gsize) (r + 1) * nc + c] =
                cell_text(g_hash_table_lookup(row, g_ptr_array_index(f.columns, c)), format);
        }
    }
    GString *out = g_string_new(NULL);
    if (format == IMPACT_TABLE_CSV) {
        for (guint r = 0; r <= nr; r++) {
            for (guint c = 0; c < nc; c++) {
                if (c) {
                    g_string_append_c(out, ',');
                }
                csv_cell(out, cells[(gsize) r * nc + c]);
            }
            g_string_append_c(out, '\n');
        }
    } else {
        g_autofree gsize *width = g_new0(gsize, MAX(nc, 1));
        g_autofree gboolean *left = g_new0(gboolean, MAX(nc, 1));
        for (guint c = 0; c < nc; c++) {
            for (guint r = 0; r <= nr; r++) {
                const char *s = cells[(gsize) r * nc + c];
                width[c] = MAX(width[c], (gsize) g_utf8_strlen(s, -1));
                if (r > 0) {
                    JsonNode *n = g_hash_table_lookup(g_ptr_array_index(f.rows, r - 1),
                                                      g_ptr_array_index(f.columns, c));
                    if (n && JSON_NODE_HOLDS_VALUE(n) &&
                        json_node_get_value_type(n) == G_TYPE_STRING) {
                        left[c] = TRUE;
                    }
                }
            }
        }
        for (guint r = 0; r <= nr; r++) {
            for (guint c = 0; c < nc; c++) {
                const char *s = cells[(gsize) r * nc + c];
                gsize pad = width[c] - (gsize) g_utf8_strlen(s, -1);
                if (c) {
                    g_string_append(out, "  ");
                }
                if (left[c]) {
                    g_string_append(out, s);
                    if (c + 1 < nc) {
                        for (gsize p = 0; p < pad; p++) {
                            g_string_append_c(out, ' ');
                        }
                    }
                } else {
                    for (gsize p = 0; p < pad; p++) {
                        g_string_append_c(out, ' ');
                    }
                    g_string_append(out, s);
                }
            }
            g_string_append_c(out, '\n');
        }
    }
    for (gsize i = 0; i < (gsize) (nr + 1) * nc; i++) {
        g_free(cells[i]);
    }
    text = g_string_free(out, FALSE);
out:
    g_free(cells);
    g_ptr_array_unref(f.columns);
    g_hash_table_unref(f.col_idx);
    g_ptr_array_unref(f.rows);
    return text;
}
