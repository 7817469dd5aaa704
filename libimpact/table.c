/* table.c — ImpactTable: columnar survey data, NaN = missing, text interned.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "impact-private.h"

/* Storage for @bytes of a column. From 2 MiB up it starts on a 2 MiB
 * boundary, so that where the system backs memory with transparent huge
 * pages by itself (THP "always") whole columns can be. The library does not
 * ask for huge pages (madvise): on the bench VM a huge page that the host
 * has reclaimed costs far more on first touch than 512 small ones (a
 * one-shot `impact reliability` on 1M rows took 1.2 s with the advice
 * against 0.5 s without; bench/README.md). posix_memalign()'s memory is
 * freed and reallocated like malloc's, which is what g_free() and g_renew()
 * use. */
static gpointer
column_alloc(gsize bytes)
{
#if defined(__GLIBC__) && defined(__linux__)
    const gsize huge = (gsize) 2 << 20;
    void *p = NULL;
    if (bytes >= huge && posix_memalign(&p, huge, bytes) == 0) {
        return p;
    }
#endif
    return g_malloc(bytes);
}

static void
column_free(gpointer data)
{
    ImpactColumn *c = data;
    if (c == NULL) {
        return;
    }
    g_free(c->name);
    g_free(c->num);
    g_free(c->codes);
    if (c->index) {
        g_hash_table_unref(c->index);
    }
    if (c->levels) {
        g_ptr_array_unref(c->levels);
    }
    g_free(c);
}

ImpactTable *
impact_table_new(void)
{
    ImpactTable *t = g_new0(ImpactTable, 1);
    t->columns = g_ptr_array_new_with_free_func(column_free);
    t->by_name = g_hash_table_new(g_str_hash, g_str_equal);
    t->source = g_strdup("<memory>");
    return t;
}

void
impact_table_free(ImpactTable *table)
{
    if (table == NULL) {
        return;
    }
    g_hash_table_unref(table->by_name);
    g_ptr_array_unref(table->columns);
    g_free(table->source);
    g_free(table);
}

gsize
impact_table_n_rows(const ImpactTable *table)
{
    return table ? table->n_rows : 0;
}

gsize
impact_table_n_columns(const ImpactTable *table)
{
    return table ? table->columns->len : 0;
}

static ImpactColumn *
column_at(const ImpactTable *table, gsize col)
{
    if (table == NULL || col >= table->columns->len) {
        return NULL;
    }
    return g_ptr_array_index(table->columns, col);
}

const char *
impact_table_column_name(const ImpactTable *table, gsize col)
{
    ImpactColumn *c = column_at(table, col);
    return c ? c->name : NULL;
}

ImpactColumnType
impact_table_column_type(const ImpactTable *table, gsize col)
{
    ImpactColumn *c = column_at(table, col);
    return c ? c->type : IMPACT_COLUMN_NUMERIC;
}

gssize
impact_table_column_index(const ImpactTable *table, const char *name)
{
    if (table == NULL || name == NULL) {
        return -1;
    }
    gpointer v = g_hash_table_lookup(table->by_name, name);
    return v ? (gssize) GPOINTER_TO_SIZE(v) - 1 : -1;
}

gboolean
impact_table_lookup(const ImpactTable *table, const char *name, gsize *out_index, GError **error)
{
    gssize j = impact_table_column_index(table, name);
    if (j < 0) {
        g_autoptr(GString) cols = g_string_new(NULL);
        for (gsize i = 0; table && i < table->columns->len && i < 20; i++) {
            g_string_append_printf(cols, "%s%s", i ? ", " : "", impact_table_column_name(table, i));
        }
        if (table && table->columns->len > 20) {
            g_string_append(cols, ", ...");
        }
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                    "%s: unknown column '%s' (columns are: %s)",
                    table ? table->source : "<none>", name ? name : "(null)", cols->str);
        return FALSE;
    }
    if (out_index) {
        *out_index = (gsize) j;
    }
    return TRUE;
}

const double *
impact_table_numeric(const ImpactTable *table, gsize col)
{
    ImpactColumn *c = column_at(table, col);
    return c && c->type == IMPACT_COLUMN_NUMERIC ? c->num : NULL;
}

const guint32 *
impact_table_codes(const ImpactTable *table, gsize col)
{
    ImpactColumn *c = column_at(table, col);
    return c && c->type == IMPACT_COLUMN_TEXT ? c->codes : NULL;
}

gsize
impact_table_n_levels(const ImpactTable *table, gsize col)
{
    ImpactColumn *c = column_at(table, col);
    return c && c->type == IMPACT_COLUMN_TEXT ? c->levels->len : 0;
}

const char *
impact_table_level(const ImpactTable *table, gsize col, guint32 code)
{
    ImpactColumn *c = column_at(table, col);
    if (c == NULL || c->type != IMPACT_COLUMN_TEXT || code >= c->levels->len) {
        return NULL;
    }
    return g_ptr_array_index(c->levels, code);
}

char *
impact_table_cell_string(const ImpactTable *table, gsize col, gsize row)
{
    ImpactColumn *c = column_at(table, col);
    if (c == NULL || row >= table->n_rows) {
        return NULL;
    }
    if (c->type == IMPACT_COLUMN_TEXT) {
        return g_strdup(impact_table_level(table, col, c->codes[row]));
    }
    if (isnan(c->num[row])) {
        return NULL;
    }
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    impact_i_format_double(buf, sizeof buf, c->num[row]);
    return g_strdup(buf);
}

gsize
impact_table_n_recoded(const ImpactTable *table, gsize col)
{
    ImpactColumn *c = column_at(table, col);
    return c ? c->n_recoded : 0;
}

const char *
impact_table_source(const ImpactTable *table)
{
    return table ? table->source : "<none>";
}

void
impact_i_table_set_source(ImpactTable *table, const char *source)
{
    g_free(table->source);
    table->source = g_strdup(source ? source : "<memory>");
}

void
impact_i_table_reserve(ImpactTable *table, gsize rows)
{
    if (rows <= table->capacity) {
        return;
    }
    for (guint j = 0; j < table->columns->len; j++) {
        ImpactColumn *c = g_ptr_array_index(table->columns, j);
        if (c->type == IMPACT_COLUMN_NUMERIC) {
            c->num = g_renew(double, c->num, rows);
        } else {
            c->codes = g_renew(guint32, c->codes, rows);
        }
    }
    table->capacity = rows;
}

void
impact_i_table_trim(ImpactTable *table)
{
    gsize rows = MAX(table->n_rows, 1);
    if (rows == table->capacity) {
        return;
    }
    for (guint j = 0; j < table->columns->len; j++) {
        ImpactColumn *c = g_ptr_array_index(table->columns, j);
        if (c->type == IMPACT_COLUMN_NUMERIC) {
            c->num = g_renew(double, c->num, rows);
        } else {
            c->codes = g_renew(guint32, c->codes, rows);
        }
    }
    table->capacity = rows;
}

ImpactColumn *
impact_i_table_append_column(ImpactTable *table, const char *name, ImpactColumnType type)
{
    ImpactColumn *c = g_new0(ImpactColumn, 1);
    c->name = g_strdup(name);
    c->type = type;
    gsize cap = MAX(table->capacity, 1);
    if (type == IMPACT_COLUMN_NUMERIC) {
        c->num = column_alloc(cap * sizeof(double));
    } else {
        c->codes = column_alloc(cap * sizeof(guint32));
        c->levels = g_ptr_array_new_with_free_func(impact_i_level_free);
        c->index = g_hash_table_new(g_str_hash, g_str_equal);
    }
    table->capacity = cap;
    g_ptr_array_add(table->columns, c);
    g_hash_table_insert(table->by_name, c->name, GSIZE_TO_POINTER(table->columns->len));
    return c;
}

void
impact_i_level_free(gpointer level)
{
    /* odd: carved from a block after its first text, freed with the block */
    if (((guintptr) level & 1) == 0) {
        g_free(level);
    }
}

/* Brings the index of @c up to date: it holds the first n_indexed levels;
 * the levels appended since without an index entry (the reader's, see
 * impact-private.h) are inserted now. A writer that inserted them itself
 * costs one idempotent re-insert here. */
static void
column_index_sync(ImpactColumn *c)
{
    for (guint l = c->n_indexed; l < c->levels->len; l++) {
        g_hash_table_insert(c->index, g_ptr_array_index(c->levels, l),
                            GSIZE_TO_POINTER((gsize) l + 1));
    }
    c->n_indexed = c->levels->len;
}

guint32
impact_i_column_intern(ImpactColumn *c, const char *s, gsize len)
{
    column_index_sync(c);
    char stackbuf[128];
    char *key = len < sizeof stackbuf ? stackbuf : g_malloc(len + 1);
    memcpy(key, s, len);
    key[len] = '\0';
    gpointer v = g_hash_table_lookup(c->index, key);
    guint32 code;
    if (v) {
        code = (guint32) GPOINTER_TO_SIZE(v) - 1;
    } else {
        char *owned = g_strdup(key);
        g_ptr_array_add(c->levels, owned);
        code = c->levels->len - 1;
        g_hash_table_insert(c->index, owned, GSIZE_TO_POINTER((gsize) code + 1));
        c->n_indexed = c->levels->len;
    }
    if (key != stackbuf) {
        g_free(key);
    }
    return code;
}

static gboolean
check_new_column(ImpactTable *table, const char *name, gsize n, GError **error)
{
    if (table == NULL || name == NULL || *name == '\0') {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID, "a column needs a non-empty name");
        return FALSE;
    }
    if (impact_table_column_index(table, name) >= 0) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID, "duplicate column '%s'", name);
        return FALSE;
    }
    if (table->columns->len > 0 && n != table->n_rows) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "column '%s' has %" G_GSIZE_FORMAT " rows but the table has %" G_GSIZE_FORMAT,
                    name, n, table->n_rows);
        return FALSE;
    }
    return TRUE;
}

static void
begin_column(ImpactTable *table, gsize n)
{
    if (table->columns->len == 0) {
        table->n_rows = n;
        table->capacity = 0;
    }
    impact_i_table_reserve(table, MAX(n, 1));
}

gboolean
impact_table_add_numeric(ImpactTable *table, const char *name, const double *x, gsize n,
                         GError **error)
{
    if (!check_new_column(table, name, n, error)) {
        return FALSE;
    }
    if (n > 0 && x == NULL) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID, "column '%s': no values", name);
        return FALSE;
    }
    begin_column(table, n);
    ImpactColumn *c = impact_i_table_append_column(table, name, IMPACT_COLUMN_NUMERIC);
    if (n > 0) {
        memcpy(c->num, x, n * sizeof(double));
    }
    return TRUE;
}

gboolean
impact_table_add_text(ImpactTable *table, const char *name, const char *const *values, gsize n,
                      GError **error)
{
    if (!check_new_column(table, name, n, error)) {
        return FALSE;
    }
    if (n > 0 && values == NULL) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID, "column '%s': no values", name);
        return FALSE;
    }
    begin_column(table, n);
    ImpactColumn *c = impact_i_table_append_column(table, name, IMPACT_COLUMN_TEXT);
    for (gsize i = 0; i < n; i++) {
        c->codes[i] = values[i] && values[i][0] != '\0'
                          ? impact_i_column_intern(c, values[i], strlen(values[i]))
                          : IMPACT_TABLE_NA;
    }
    return TRUE;
}

gboolean
impact_table_add_factor(ImpactTable *table, const char *name, const int *codes, gsize n,
                        const char *const *levels, gsize n_levels, GError **error)
{
    if (!check_new_column(table, name, n, error)) {
        return FALSE;
    }
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    for (gsize l = 0; l < n_levels; l++) {
        if (levels[l] == NULL) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                        "column '%s': level %" G_GSIZE_FORMAT " is missing", name, l + 1);
            return FALSE;
        }
        if (!g_hash_table_add(seen, (gpointer) levels[l])) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                        "column '%s': level '%s' appears twice", name, levels[l]);
            return FALSE;
        }
    }
    for (gsize i = 0; i < n; i++) {
        if (codes[i] >= 0 && (gsize) codes[i] >= n_levels) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                        "column '%s', row %" G_GSIZE_FORMAT ": code %d but only %" G_GSIZE_FORMAT
                        " levels",
                        name, i + 1, codes[i], n_levels);
            return FALSE;
        }
    }
    begin_column(table, n);
    ImpactColumn *c = impact_i_table_append_column(table, name, IMPACT_COLUMN_TEXT);
    /* an empty level is a missing value, as an empty field of a CSV file */
    g_autofree guint32 *code_of = g_new(guint32, MAX(n_levels, 1));
    for (gsize l = 0; l < n_levels; l++) {
        code_of[l] = levels[l][0] == '\0' ? IMPACT_TABLE_NA
                                          : impact_i_column_intern(c, levels[l], strlen(levels[l]));
    }
    for (gsize i = 0; i < n; i++) {
        c->codes[i] = codes[i] < 0 ? IMPACT_TABLE_NA : code_of[codes[i]];
    }
    return TRUE;
}

static void
append_csv_text(GString *out, const char *s)
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
impact_table_to_csv(const ImpactTable *table)
{
    GString *out = g_string_new(NULL);
    gsize nc = impact_table_n_columns(table);
    for (gsize j = 0; j < nc; j++) {
        if (j) {
            g_string_append_c(out, ',');
        }
        append_csv_text(out, impact_table_column_name(table, j));
    }
    g_string_append_c(out, '\n');
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    for (gsize i = 0; i < impact_table_n_rows(table); i++) {
        for (gsize j = 0; j < nc; j++) {
            const ImpactColumn *c = g_ptr_array_index(table->columns, j);
            if (j) {
                g_string_append_c(out, ',');
            }
            if (c->type == IMPACT_COLUMN_TEXT) {
                if (c->codes[i] != IMPACT_TABLE_NA) {
                    append_csv_text(out, g_ptr_array_index(c->levels, c->codes[i]));
                }
            } else if (!isnan(c->num[i])) {
                impact_i_format_double(buf, sizeof buf, c->num[i]);
                g_string_append(out, buf);
            }
        }
        g_string_append_c(out, '\n');
    }
    return g_string_free(out, FALSE);
}

gboolean
impact_table_filter(ImpactTable **out, const ImpactTable *table, const gboolean *keep, gsize n,
                    GError **error)
{
    g_return_val_if_fail(out != NULL && table != NULL, FALSE);
    if (n != table->n_rows || (n > 0 && keep == NULL)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "filter: %" G_GSIZE_FORMAT " flags for a table of %" G_GSIZE_FORMAT " rows", n,
                    table->n_rows);
        return FALSE;
    }
    gsize m = 0;
    for (gsize i = 0; i < n; i++) {
        m += keep[i] ? 1 : 0;
    }
    ImpactTable *t = impact_table_new();
    impact_i_table_set_source(t, table->source);
    t->capacity = MAX(m, 1);
    t->n_rows = m;
    for (guint j = 0; j < table->columns->len; j++) {
        const ImpactColumn *src = g_ptr_array_index(table->columns, j);
        ImpactColumn *c = impact_i_table_append_column(t, src->name, src->type);
        c->n_recoded = src->n_recoded;
        gsize r = 0;
        if (src->type == IMPACT_COLUMN_NUMERIC) {
            for (gsize i = 0; i < n; i++) {
                if (keep[i]) {
                    c->num[r++] = src->num[i];
                }
            }
        } else {
            for (guint l = 0; l < src->levels->len; l++) {
                const char *lv = g_ptr_array_index(src->levels, l);
                impact_i_column_intern(c, lv, strlen(lv));
            }
            for (gsize i = 0; i < n; i++) {
                if (keep[i]) {
                    c->codes[r++] = src->codes[i];
                }
            }
        }
    }
    *out = t;
    return TRUE;
}
