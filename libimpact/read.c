/* read.c — survey responses from CSV into an ImpactTable, whole or chunked.
 *
 * One pass: the file is mapped, each field is tokenized once, item fields
 * are parsed straight into their column (exact decimal parsing, range check
 * against the codebook), other fields are interned as text.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <math.h>
#include <string.h>
#include "impact-private.h"

typedef struct {
    gboolean is_item;
    double min, max;
    const char *item; /* item name (borrowed from the codebook) */
} ColSpec;

struct _ImpactReader {
    GMappedFile *map;     /* NULL when reading a caller's buffer */
    ImpactCsv csv;
    char *name;
    GStrv header;
    guint ncol;
    ColSpec *spec;
    GStrv missing;        /* extra missing codes, trimmed */
    gsize *missing_len;
    ImpactOutOfRange out_of_range;
    gboolean done;
};

static gboolean
reader_init(ImpactReader *r, const char *data, gsize len, const ImpactCodebook *codebook,
            const ImpactReadOptions *options, GError **error)
{
    ImpactReadOptions defaults = IMPACT_READ_OPTIONS_INIT;
    if (options == NULL) {
        options = &defaults;
    }
    if (options->version < 1) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "ImpactReadOptions: initialise with IMPACT_READ_OPTIONS_INIT");
        return FALSE;
    }
    char delim = options->delimiter ? options->delimiter : ',';
    if (delim == '"' || delim == '\n' || delim == '\r') {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID, "invalid delimiter");
        return FALSE;
    }
    r->out_of_range = options->out_of_range;
    gsize nm = options->missing_codes ? g_strv_length((GStrv) options->missing_codes) : 0;
    r->missing = g_new0(char *, nm + 1);
    r->missing_len = g_new0(gsize, nm + 1);
    for (gsize i = 0; i < nm; i++) {
        r->missing[i] = g_strstrip(g_strdup(options->missing_codes[i]));
        r->missing_len[i] = strlen(r->missing[i]);
    }
    impact_i_csv_init(&r->csv, data, len, r->name, delim);
    if (!impact_i_csv_header(&r->csv, &r->header, error)) {
        return FALSE;
    }
    r->ncol = g_strv_length(r->header);
    r->spec = g_new0(ColSpec, r->ncol);
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint j = 0; j < r->ncol; j++) {
        const char *h = r->header[j];
        if (*h == '\0') {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_PARSE, "%s:1:%u: empty column name",
                        r->name, j + 1);
            return FALSE;
        }
        if (!g_hash_table_add(seen, (gpointer) h)) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_PARSE, "%s:1:%u: duplicate column '%s'",
                        r->name, j + 1, h);
            return FALSE;
        }
        gssize i = impact_codebook_item_index(codebook, h);
        if (i >= 0) {
            r->spec[j].is_item = TRUE;
            r->spec[j].min = impact_codebook_item_min(codebook, (gsize) i);
            r->spec[j].max = impact_codebook_item_max(codebook, (gsize) i);
            r->spec[j].item = impact_codebook_item_name(codebook, (gsize) i);
        }
    }
    g_autoptr(GString) missing_items = g_string_new(NULL);
    gsize n_missing = 0;
    for (gsize i = 0; i < impact_codebook_n_items(codebook); i++) {
        const char *name = impact_codebook_item_name(codebook, i);
        if (!g_hash_table_contains(seen, name)) {
            if (n_missing < 10) {
                g_string_append_printf(missing_items, "%s'%s'", n_missing ? ", " : "", name);
            }
            n_missing++;
        }
    }
    if (n_missing > 0) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                    "%s:1:1: %" G_GSIZE_FORMAT " codebook item%s ha%s no column in the header: %s%s",
                    r->name, n_missing, n_missing == 1 ? "" : "s", n_missing == 1 ? "s" : "ve",
                    missing_items->str, n_missing > 10 ? ", ..." : "");
        return FALSE;
    }
    return TRUE;
}

static void
reader_clear(ImpactReader *r)
{
    impact_i_csv_clear(&r->csv);
    g_strfreev(r->header);
    g_free(r->spec);
    g_strfreev(r->missing);
    g_free(r->missing_len);
    g_free(r->name);
    if (r->map) {
        g_mapped_file_unref(r->map);
    }
}

void
impact_reader_free(ImpactReader *reader)
{
    if (reader == NULL) {
        return;
    }
    reader_clear(reader);
    g_free(reader);
}

static ImpactReader *
reader_new_buffer(const char *data, gsize len, const char *name, const ImpactCodebook *codebook,
                  const ImpactReadOptions *options, GMappedFile *map, GError **error)
{
    ImpactReader *r = g_new0(ImpactReader, 1);
    r->name = g_strdup(name ? name : "<memory>");
    r->map = map;
    if (!reader_init(r, data, len, codebook, options, error)) {
        impact_reader_free(r);
        return NULL;
    }
    return r;
}

ImpactReader *
impact_reader_open(const char *path, const ImpactCodebook *codebook,
                   const ImpactReadOptions *options, GError **error)
{
    GError *local = NULL;
    GMappedFile *map = g_mapped_file_new(path, FALSE, &local);
    if (map == NULL) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_IO, "%s: cannot read: %s", path,
                    local->message);
        g_error_free(local);
        return NULL;
    }
    return reader_new_buffer(g_mapped_file_get_contents(map), g_mapped_file_get_length(map),
                             path, codebook, options, map, error);
}

static inline gboolean
is_missing(const ImpactReader *r, const char *s, gsize len)
{
    while (len > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
        len--;
    }
    if (len == 0 || (len == 2 && s[0] == 'N' && s[1] == 'A')) {
        return TRUE;
    }
    for (gsize i = 0; r->missing[i]; i++) {
        if (r->missing_len[i] == len && memcmp(r->missing[i], s, len) == 0) {
            return TRUE;
        }
    }
    return FALSE;
}

gboolean
impact_reader_next(ImpactReader *reader, ImpactTable **out, gsize max_rows, GError **error)
{
    g_return_val_if_fail(reader != NULL && out != NULL, FALSE);
    if (reader->done || !impact_i_csv_at_record(&reader->csv)) {
        reader->done = TRUE;
        *out = NULL;
        return TRUE;
    }
    ImpactCsv *csv = &reader->csv;
    const guint ncol = reader->ncol;
    const ColSpec *spec = reader->spec;

    g_autoptr(ImpactTable) t = impact_table_new();
    impact_i_table_set_source(t, reader->name);
    /* Estimate the rows from the length of the first record. */
    const char *nl = memchr(csv->p, '\n', (size_t) (csv->end - csv->p));
    gsize first = nl ? (gsize) (nl - csv->p) + 1 : (gsize) (csv->end - csv->p);
    gsize est = (gsize) (csv->end - csv->p) / MAX(first, 1) + 16;
    est = est + est / 8;
    if (max_rows > 0) {
        est = MIN(est, max_rows);
    }
    t->capacity = MAX(est, 1);
    ImpactColumn **cols = g_newa(ImpactColumn *, MAX(ncol, 1));
    for (guint j = 0; j < ncol; j++) {
        cols[j] = impact_i_table_append_column(
            t, reader->header[j], spec[j].is_item ? IMPACT_COLUMN_NUMERIC : IMPACT_COLUMN_TEXT);
    }
    gboolean has_codes = reader->missing[0] != NULL;
    gsize row = 0;
    do {
        if (row == t->capacity) {
            impact_i_table_reserve(t, t->capacity * 2);
        }
        gsize line = csv->line;
        guint j = 0;
        ImpactCsvStatus st;
        do {
            const char *s;
            gsize len;
            st = impact_i_csv_field(csv, &s, &len, error);
            if (G_UNLIKELY(st == IMPACT_I_CSV_ERROR)) {
                reader->done = TRUE;
                return FALSE;
            }
            if (G_UNLIKELY(j >= ncol)) {
                g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_PARSE,
                            "%s:%" G_GSIZE_FORMAT ":%u: the row has more fields than the header's %u",
                            reader->name, line, j + 1, ncol);
                reader->done = TRUE;
                return FALSE;
            }
            ImpactColumn *c = cols[j];
            if (spec[j].is_item) {
                double v;
                if (has_codes && is_missing(reader, s, len)) {
                    v = NAN;
                } else if (impact_i_parse_double(s, len, &v)) {
                    if (G_UNLIKELY(v < spec[j].min || v > spec[j].max)) {
                        if (reader->out_of_range == IMPACT_OUT_OF_RANGE_MISSING) {
                            c->n_recoded++;
                            v = NAN;
                        } else {
                            g_autofree char *text = g_strndup(s, len);
                            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                                        "%s:%" G_GSIZE_FORMAT ":%u: answer %s to item '%s' is "
                                        "outside its range %g to %g",
                                        reader->name, line, j + 1, g_strstrip(text), spec[j].item,
                                        spec[j].min, spec[j].max);
                            reader->done = TRUE;
                            return FALSE;
                        }
                    }
                } else if (is_missing(reader, s, len)) {
                    v = NAN;
                } else {
                    g_autofree char *text = g_strndup(s, len);
                    g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_DATA,
                                "%s:%" G_GSIZE_FORMAT ":%u: value '%s' of item '%s' is not a "
                                "number (declare missing-value codes with --missing)",
                                reader->name, line, j + 1, text, spec[j].item);
                    reader->done = TRUE;
                    return FALSE;
                }
                c->num[row] = v;
            } else {
                c->codes[row] = (len == 0 || (len == 2 && s[0] == 'N' && s[1] == 'A'))
                                    ? IMPACT_TABLE_NA
                                    : impact_i_column_intern(c, s, len);
            }
            j++;
        } while (st == IMPACT_I_CSV_MORE);
        if (G_UNLIKELY(j != ncol)) {
            g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_PARSE,
                        "%s:%" G_GSIZE_FORMAT ":%u: the row has %u field%s but the header has %u",
                        reader->name, line, j + 1, j, j == 1 ? "" : "s", ncol);
            reader->done = TRUE;
            return FALSE;
        }
        row++;
        t->n_rows = row;
    } while ((max_rows == 0 || row < max_rows) && impact_i_csv_at_record(csv));
    impact_i_table_trim(t);
    *out = g_steal_pointer(&t);
    return TRUE;
}

static gboolean
read_all(ImpactReader *r, ImpactTable **out, GError **error)
{
    ImpactTable *t = NULL;
    if (!impact_reader_next(r, &t, 0, error)) {
        return FALSE;
    }
    if (t == NULL) {
        /* header only: an empty table with the header's columns */
        t = impact_table_new();
        impact_i_table_set_source(t, r->name);
        for (guint j = 0; j < r->ncol; j++) {
            impact_i_table_append_column(t, r->header[j], r->spec[j].is_item
                                                              ? IMPACT_COLUMN_NUMERIC
                                                              : IMPACT_COLUMN_TEXT);
        }
    }
    *out = t;
    return TRUE;
}

gboolean
impact_responses_read(ImpactTable **out, const char *path, const ImpactCodebook *codebook,
                      const ImpactReadOptions *options, GError **error)
{
    g_return_val_if_fail(out != NULL && path != NULL, FALSE);
    g_autoptr(ImpactReader) r = impact_reader_open(path, codebook, options, error);
    return r != NULL && read_all(r, out, error);
}

gboolean
impact_responses_read_buffer(ImpactTable **out, const char *data, gsize len, const char *name,
                             const ImpactCodebook *codebook, const ImpactReadOptions *options,
                             GError **error)
{
    g_return_val_if_fail(out != NULL, FALSE);
    g_autoptr(ImpactReader) r =
        reader_new_buffer(data, len, name, codebook, options, NULL, error);
    return r != NULL && read_all(r, out, error);
}
