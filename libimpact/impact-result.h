/* impact-result.h — results of analyses: a tree of records, as JSON.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#if !defined(IMPACT_INSIDE) && !defined(IMPACT_COMPILATION)
#error "Only <libimpact/impact.h> can be included directly."
#endif

#ifndef IMPACT_RESULT_H
#define IMPACT_RESULT_H

#include <glib.h>
#include <libimpact/impact-macros.h>

G_BEGIN_DECLS

/**
 * The result of an analysis (reliability, agreement, change, evaluation...):
 * an immutable tree of objects, arrays, numbers, strings, booleans and nulls,
 * with exactly the shape and keys of the JSON the CLI prints. The CLI, the
 * Python and the R packages all read the same tree, so they report the same
 * numbers. Missing or undefined statistics are null (never NaN in JSON).
 *
 * Paths address nodes: "scales/0/alpha" is member "alpha" of element 0 of
 * array "scales"; "" is the root.
 */
typedef struct _ImpactResult ImpactResult;

/** Type of a node of a result. */
typedef enum {
    IMPACT_VALUE_ABSENT = 0, /**< no node at that path */
    IMPACT_VALUE_NULL = 1,
    IMPACT_VALUE_BOOLEAN = 2,
    IMPACT_VALUE_NUMBER = 3,
    IMPACT_VALUE_STRING = 4,
    IMPACT_VALUE_ARRAY = 5,
    IMPACT_VALUE_OBJECT = 6
} ImpactValueType;

/** Frees a result. NULL is accepted. */
IMPACT_API void impact_result_free(ImpactResult *result);

/**
 * The result as JSON text (newly allocated, free with g_free()). Numbers
 * are written in the shortest form that reads back to the same double;
 * integers without a decimal point; non-finite values as null.
 */
IMPACT_API char *impact_result_to_json(const ImpactResult *result, gboolean pretty);

/** Type of the node at @path. */
IMPACT_API ImpactValueType impact_result_type(const ImpactResult *result, const char *path);

/** The number at @path; NaN if the node is absent, null or not a number. */
IMPACT_API double impact_result_number(const ImpactResult *result, const char *path);

/** The string at @path (borrowed), or NULL. */
IMPACT_API const char *impact_result_string(const ImpactResult *result, const char *path);

/** The boolean at @path (FALSE if absent or not a boolean). */
IMPACT_API gboolean impact_result_boolean(const ImpactResult *result, const char *path);

/** Number of elements (array) or members (object) at @path; 0 otherwise. */
IMPACT_API gsize impact_result_length(const ImpactResult *result, const char *path);

/** Name of the @i-th member of the object at @path (borrowed), or NULL. */
IMPACT_API const char *impact_result_key(const ImpactResult *result, const char *path, gsize i);

/** How impact_result_format_table() writes. */
typedef enum {
    IMPACT_TABLE_TEXT = 0, /**< aligned columns for reading, numbers rounded */
    IMPACT_TABLE_CSV = 1   /**< RFC 4180 CSV, numbers round-trip exact */
} ImpactTableFormat;

/**
 * Flattens an array of records into a table. @path names the array; a path
 * element "*" stands for every element of an array, so the items of every
 * scale are the path "scales", "*", "items" joined with slashes. Each row is one record: first the string members
 * of its ancestors' records (e.g. "scale"), then the record's own scalar
 * members in order; a two-number array member "x" becomes "x_lo", "x_hi";
 * other nested members are left out.
 *
 * @return a newly allocated string, or NULL with IMPACT_ERROR_INVALID if
 *   @path does not name an array of objects.
 */
IMPACT_API char *impact_result_format_table(const ImpactResult *result, const char *path,
                                            ImpactTableFormat format, GError **error);

#ifndef SWIG
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImpactResult, impact_result_free)
#endif

G_END_DECLS

#endif /* IMPACT_RESULT_H */
