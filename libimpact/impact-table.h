/* impact-table.h — the in-memory survey table: columnar, NaN = missing.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#if !defined(IMPACT_INSIDE) && !defined(IMPACT_COMPILATION)
#error "Only <libimpact/impact.h> can be included directly."
#endif

#ifndef IMPACT_TABLE_H
#define IMPACT_TABLE_H

#include <glib.h>
#include <libimpact/impact-macros.h>

G_BEGIN_DECLS

/**
 * An ImpactTable holds survey responses column by column.
 *
 * - A NUMERIC column is one contiguous array of double, NaN meaning missing.
 *   Item columns are always numeric.
 * - A TEXT column (ids, wave, team, role, ...) is interned: each row holds a
 *   level code (0 .. n_levels-1, in order of first appearance) or
 *   IMPACT_TABLE_NA for a missing value, and the table keeps each distinct
 *   string once. Group ids are always text, even when they look like numbers.
 *
 * All columns have the same number of rows. Tables are built by the CSV
 * reader (impact_responses_read()) or by the impact_table_add_* functions.
 * Pointers returned by getters are borrowed and valid until the table is
 * modified or freed.
 */
typedef struct _ImpactTable ImpactTable;

/** Level code of a missing value in a TEXT column. */
#define IMPACT_TABLE_NA G_MAXUINT32

/** The type of a column. */
typedef enum {
    IMPACT_COLUMN_NUMERIC = 0,
    IMPACT_COLUMN_TEXT = 1
} ImpactColumnType;

/** A new empty table (0 columns, 0 rows). Free with impact_table_free(). */
IMPACT_API ImpactTable *impact_table_new(void);

/** Frees a table and all its columns. NULL is accepted and ignored. */
IMPACT_API void impact_table_free(ImpactTable *table);

/** Number of rows (0 for NULL). */
IMPACT_API gsize impact_table_n_rows(const ImpactTable *table);

/** Number of columns (0 for NULL). */
IMPACT_API gsize impact_table_n_columns(const ImpactTable *table);

/** Name of column @col (borrowed), or NULL if out of range. */
IMPACT_API const char *impact_table_column_name(const ImpactTable *table, gsize col);

/** Type of column @col. */
IMPACT_API ImpactColumnType impact_table_column_type(const ImpactTable *table, gsize col);

/**
 * Index of the column called @name.
 *
 * @return the 0-based index, or -1 if there is no such column.
 */
IMPACT_API gssize impact_table_column_index(const ImpactTable *table, const char *name);

/**
 * Index of the column called @name, or an IMPACT_ERROR_DATA error
 * "unknown column 'NAME' (columns are: a, b, ...)" naming the table's source.
 */
IMPACT_API gboolean impact_table_lookup(const ImpactTable *table, const char *name,
                                        gsize *out_index, GError **error);

/**
 * The values of NUMERIC column @col (borrowed; n_rows doubles, NaN = missing),
 * or NULL if @col is not a numeric column.
 */
IMPACT_API const double *impact_table_numeric(const ImpactTable *table, gsize col);

/**
 * The level codes of TEXT column @col (borrowed; n_rows codes, IMPACT_TABLE_NA
 * = missing), or NULL if @col is not a text column.
 */
IMPACT_API const guint32 *impact_table_codes(const ImpactTable *table, gsize col);

/** Number of distinct non-missing strings of TEXT column @col. */
IMPACT_API gsize impact_table_n_levels(const ImpactTable *table, gsize col);

/** The string of level @code of TEXT column @col (borrowed), or NULL. */
IMPACT_API const char *impact_table_level(const ImpactTable *table, gsize col, guint32 code);

/**
 * The value of row @row of column @col as a newly allocated string (numbers
 * printed with the shortest round-trip form); NULL when missing.
 */
IMPACT_API char *impact_table_cell_string(const ImpactTable *table, gsize col, gsize row);

/**
 * Number of answers of column @col that the reader set to missing because
 * they were outside the item's range (IMPACT_OUT_OF_RANGE_MISSING).
 */
IMPACT_API gsize impact_table_n_recoded(const ImpactTable *table, gsize col);

/**
 * Name of the source of the table (the file it was read from, or "<memory>").
 * Used in error messages. Borrowed.
 */
IMPACT_API const char *impact_table_source(const ImpactTable *table);

/**
 * Appends a NUMERIC column, copying @n values of @x (NaN = missing).
 *
 * Errors: IMPACT_ERROR_INVALID if @name is empty or already used, or if the
 * table already has rows and @n differs. The table is unchanged on error.
 */
IMPACT_API gboolean impact_table_add_numeric(ImpactTable *table, const char *name,
                                             const double *x, gsize n, GError **error);

/**
 * Appends a TEXT column from @n strings (NULL or "" = missing, as an empty
 * field of a CSV file), copying them.
 * Errors as impact_table_add_numeric().
 */
IMPACT_API gboolean impact_table_add_text(ImpactTable *table, const char *name,
                                          const char *const *values, gsize n,
                                          GError **error);

/**
 * Appends a TEXT column from integer codes and their levels (an R factor or
 * a pandas Categorical): row i holds levels[codes[i]], or is missing when
 * codes[i] is negative or its level is "" (an empty field is missing, as in a
 * CSV file; R's read.csv keeps empty strings as ""). Codes index @levels
 * directly (0-based); the column's levels are the non-empty ones, in order.
 *
 * Errors: as impact_table_add_numeric(); IMPACT_ERROR_INVALID when a code is
 * >= @n_levels or two levels are equal.
 */
IMPACT_API gboolean impact_table_add_factor(ImpactTable *table, const char *name,
                                            const int *codes, gsize n,
                                            const char *const *levels, gsize n_levels,
                                            GError **error);

/**
 * A new table with the rows of @table for which @keep[i] is TRUE, in order
 * (all columns, text levels and source name kept).
 *
 * @param out  on success the new table (caller's); untouched on error
 * @param keep n_rows flags
 * @param n    must equal impact_table_n_rows(table) (IMPACT_ERROR_INVALID)
 */
IMPACT_API gboolean impact_table_filter(ImpactTable **out, const ImpactTable *table,
                                        const gboolean *keep, gsize n, GError **error);

/**
 * The table as CSV text (newly allocated; g_free()): a header row of the
 * column names, then one row per table row; numbers in the shortest form
 * that reads back exactly, missing values as empty fields, text quoted
 * when needed (RFC 4180).
 */
IMPACT_API char *impact_table_to_csv(const ImpactTable *table);

#ifndef SWIG
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImpactTable, impact_table_free)
#endif

G_END_DECLS

#endif /* IMPACT_TABLE_H */
