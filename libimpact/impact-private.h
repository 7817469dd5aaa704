/* impact-private.h — helpers shared inside libimpact; not installed.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#ifndef IMPACT_PRIVATE_H
#define IMPACT_PRIVATE_H

#ifndef IMPACT_COMPILATION
#error "impact-private.h is for the library's own sources"
#endif

#include <json-glib/json-glib.h>
#include "impact.h"

G_BEGIN_DECLS

/* ---- hot kernels --------------------------------------------------------
 * IMPACT_HOT on a kernel's definition builds it twice on x86-64 with GCC and
 * glibc: for the baseline instruction set and for AVX2, chosen once when the
 * library loads (GNU ifunc). AVX2 without FMA: the compiler may only widen
 * element-wise operations, never reassociate or contract a*b+c, so both
 * clones give bit-identical results. Elsewhere (other CPUs, compilers,
 * sanitizer builds) it is empty. Use it on the few loops that dominate a
 * profile, not by default, and only on static functions (an exported one
 * would export its ifunc resolver too: call the static kernel from the
 * public function). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__) \
    && !defined(__SANITIZE_ADDRESS__) && !defined(IMPACT_NO_CLONES)
#define IMPACT_HOT __attribute__((target_clones("avx2", "default")))
#else
#define IMPACT_HOT
#endif

/* ---- table internals (table.c) ---------------------------------------- */

typedef struct {
    char *name;
    ImpactColumnType type;
    double *num;          /* NUMERIC: n_rows values */
    guint32 *codes;       /* TEXT: n_rows codes */
    GPtrArray *levels;    /* TEXT: char *, owned, freed by impact_i_level_free(); may
                           * be shared (a reference) with other tables once the
                           * column is complete: never intern into a finished
                           * table (score.c shares them) */
    GHashTable *index;    /* TEXT: level -> code + 1 (keys borrowed from levels) for
                           * the first n_indexed levels at least. Built lazily:
                           * the CSV reader appends levels without indexing
                           * them, and impact_i_column_intern() indexes the
                           * rest before its lookup; look levels up through it.
                           * Shared with the levels. */
    guint n_indexed;      /* TEXT: levels[0, n_indexed) are in index */
    gsize n_recoded;      /* NUMERIC: answers set to missing as out of range */
} ImpactColumn;

struct _ImpactTable {
    GPtrArray *columns;   /* ImpactColumn *, owned */
    GHashTable *by_name;  /* name -> index + 1 */
    gsize n_rows;
    gsize capacity;       /* rows allocated in every column */
    char *source;
};

/* Appends an empty column with room for the table's capacity. The name must
 * be new (callers check). Returns the column (borrowed). */
ImpactColumn *impact_i_table_append_column(ImpactTable *table, const char *name,
                                           ImpactColumnType type);
/* Makes room for at least @rows rows in every column. */
void impact_i_table_reserve(ImpactTable *table, gsize rows);
/* The free function of ImpactColumn.levels: g_free() for a level at an even
 * address (every malloc'd string), nothing for one at an odd address. The
 * CSV reader carves many levels from one block: the block is its first
 * level, the others start at odd addresses and go with it (all in the same
 * levels array). Add levels with g_malloc'd strings (even); never remove. */
void impact_i_level_free(gpointer level);
/* Interns @s (length @len) in TEXT column @c; returns its code. */
guint32 impact_i_column_intern(ImpactColumn *c, const char *s, gsize len);
/* Sets the source name used in messages. */
void impact_i_table_set_source(ImpactTable *table, const char *source);
/* Shrinks the columns to the number of rows. */
void impact_i_table_trim(ImpactTable *table);

/* ---- codebook internals (codebook.c) ------------------------------------ */

/* Column index in @table of every item of @codebook (n_items entries).
 * Error IMPACT_ERROR_DATA if an item column is missing or not numeric. */
gboolean impact_i_item_columns(gsize **out, const ImpactTable *table,
                               const ImpactCodebook *codebook, GError **error);

/* ---- CSV tokenizer (csv.c) ---------------------------------------------- */

typedef struct {
    const char *p;      /* next byte */
    const char *end;    /* one past the last byte */
    const char *name;   /* file name for messages */
    gsize line;         /* physical line of p, 1-based */
    gsize field;        /* 1-based index of the field being read */
    char delim;
    GString *scratch;   /* unescaped quoted fields */
} ImpactCsv;

typedef enum {
    IMPACT_I_CSV_ERROR = 0,
    IMPACT_I_CSV_MORE = 1,   /* field ended by the delimiter */
    IMPACT_I_CSV_LAST = 2    /* field ended the record (line end or EOF) */
} ImpactCsvStatus;

void impact_i_csv_init(ImpactCsv *csv, const char *data, gsize len, const char *name, char delim);
void impact_i_csv_clear(ImpactCsv *csv);
/* Skips blank lines; FALSE at end of input. */
gboolean impact_i_csv_at_record(ImpactCsv *csv);
/* Reads one field: *s, *len point into the buffer or into csv->scratch. */
ImpactCsvStatus impact_i_csv_field(ImpactCsv *csv, const char **s, gsize *len, GError **error);
/* Reads a whole header record into a NULL-terminated vector of trimmed names. */
gboolean impact_i_csv_header(ImpactCsv *csv, GStrv *out, GError **error);

/* Parses a decimal number (blanks around allowed). Exact for every input:
 * a fast path for up to 15 significant digits, g_ascii_strtod otherwise.
 * FALSE if the text is not a finite number. */
gboolean impact_i_parse_double(const char *s, gsize len, double *out);

/* Formats @x in the shortest "%.{15,16,17}g" form that reads back exactly. */
void impact_i_format_double(char *buf, gsize size, double x);

/* ---- results (result.c) ------------------------------------------------- */

/* Wraps @root (taken) as a result. */
ImpactResult *impact_i_result_new(JsonNode *root);
/* The root node (borrowed). */
JsonNode *impact_i_result_root(const ImpactResult *result);

/* Builder helpers: a member "key" (or, with key NULL, an array element).
 * Non-finite doubles become null. */
void impact_i_json_double(JsonBuilder *b, const char *key, double v);
void impact_i_json_int(JsonBuilder *b, const char *key, gint64 v);
void impact_i_json_string(JsonBuilder *b, const char *key, const char *v);
void impact_i_json_bool(JsonBuilder *b, const char *key, gboolean v);
void impact_i_json_null(JsonBuilder *b, const char *key);
/* "key": [lo, hi] */
void impact_i_json_pair(JsonBuilder *b, const char *key, double lo, double hi);
/* "key": [v0, ..., v(n-1)] */
void impact_i_json_doubles(JsonBuilder *b, const char *key, const double *v, gsize n);

/* ---- portable serialisation of accumulators (serial.c) ------------------- */

/* Little-endian u64 and IEEE doubles; strings as length + 1 (0 = NULL) and
 * the bytes. Getters return FALSE on truncated or corrupt input. */
typedef struct {
    const guint8 *p;   /* next byte */
    const guint8 *end; /* one past the last */
} ImpactSerialReader;

void impact_i_put_u64(GByteArray *b, guint64 v);
void impact_i_put_double(GByteArray *b, double d);
void impact_i_put_string(GByteArray *b, const char *s);
gboolean impact_i_get_u64(ImpactSerialReader *r, guint64 *v);
gboolean impact_i_get_double(ImpactSerialReader *r, double *d);
gboolean impact_i_get_string(ImpactSerialReader *r, char **out);

G_END_DECLS

#endif /* IMPACT_PRIVATE_H */
