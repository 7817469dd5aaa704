/* impact-read.h — reading survey responses from CSV, whole or in chunks.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#if !defined(IMPACT_INSIDE) && !defined(IMPACT_COMPILATION)
#error "Only <libimpact/impact.h> can be included directly."
#endif

#ifndef IMPACT_READ_H
#define IMPACT_READ_H

#include <glib.h>
#include <libimpact/impact-macros.h>
#include <libimpact/impact-codebook.h>
#include <libimpact/impact-table.h>

G_BEGIN_DECLS

/** What to do with an answer outside its item's range. */
typedef enum {
    IMPACT_OUT_OF_RANGE_ERROR = 0,  /**< fail, naming file, line, column and value */
    IMPACT_OUT_OF_RANGE_MISSING = 1 /**< set to missing and count (impact_table_n_recoded()) */
} ImpactOutOfRange;

/**
 * Options of the response reader. Initialise with IMPACT_READ_OPTIONS_INIT
 * and change what you need; the version field lets later releases add
 * fields without breaking callers.
 */
typedef struct {
    guint version;                   /**< IMPACT_READ_OPTIONS_VERSION */
    const char *const *missing_codes; /**< NULL-terminated extra missing codes
                                          (e.g. "-99"), compared with the field
                                          text after trimming blanks; empty and
                                          "NA" are always missing */
    ImpactOutOfRange out_of_range;   /**< default IMPACT_OUT_OF_RANGE_ERROR */
    char delimiter;                  /**< field delimiter, default ',' */
    /** (version >= 2) threads for impact_responses_read() and
        impact_responses_read_buffer(): 0 = one per available core, 1 = the
        calling thread only (default). The file is split at record boundaries
        into parts parsed in parallel and joined; the table (values, text
        levels and their order, recode counts) and any error are the same as
        with one thread. Files with quoted fields that span lines are read
        with one thread. The chunked reader (impact_reader_next()) ignores it. */
    guint n_threads;
} ImpactReadOptions;

#define IMPACT_READ_OPTIONS_VERSION 2
#define IMPACT_READ_OPTIONS_INIT { IMPACT_READ_OPTIONS_VERSION, NULL, IMPACT_OUT_OF_RANGE_ERROR, ',', 1 }

/**
 * Reads a response file (CSV) into a new table.
 *
 * Format: a header row; one row per survey response; one column per
 * codebook item (order free) plus any other columns (ids, wave, team,
 * role...), which become TEXT columns. RFC 4180 quoting, UTF-8 with or
 * without BOM, LF or CRLF line ends; blank lines are skipped. Item values
 * are decimal numbers; empty, "NA" and the declared missing codes are
 * missing (NaN).
 *
 * @param out      on success a new table owned by the caller (free with
 *                 impact_table_free()); untouched on error
 * @param path     file to read
 * @param codebook the items to expect; NULL reads every column as text
 * @param options  NULL for defaults
 *
 * Errors, each naming "FILE:LINE:COL: ": IMPACT_ERROR_IO (cannot read),
 * IMPACT_ERROR_PARSE (empty file, duplicate column, ragged row, bad
 * quotes), IMPACT_ERROR_DATA (an item column is missing, non-numeric
 * value, answer out of range).
 *
 * Complexity: one pass over the file, O(rows × columns).
 */
IMPACT_API gboolean impact_responses_read(ImpactTable **out, const char *path,
                                          const ImpactCodebook *codebook,
                                          const ImpactReadOptions *options,
                                          GError **error);

/**
 * As impact_responses_read() from @len bytes in memory; @name stands for
 * the file name in error messages.
 */
IMPACT_API gboolean impact_responses_read_buffer(ImpactTable **out, const char *data,
                                                 gsize len, const char *name,
                                                 const ImpactCodebook *codebook,
                                                 const ImpactReadOptions *options,
                                                 GError **error);

/**
 * A reader that returns a response file in chunks of rows, for files larger
 * than memory: every statistic with a mergeable accumulator can be fed
 * chunk by chunk with the same result as a single pass.
 */
typedef struct _ImpactReader ImpactReader;

/**
 * Opens @path and reads its header. The codebook and options are copied
 * where needed; the codebook must outlive the reader. The file is mapped;
 * the pages impact_reader_next() has parsed are handed back to the system
 * as it goes, so reading a file of any size in chunks keeps the resident
 * memory at about the size of a chunk's table.
 * @return a new reader (free with impact_reader_free()), or NULL on error.
 */
IMPACT_API ImpactReader *impact_reader_open(const char *path, const ImpactCodebook *codebook,
                                            const ImpactReadOptions *options, GError **error);

/**
 * Reads the next at most @max_rows rows (0 = all remaining).
 *
 * @param out on success a new table (caller's) with the next rows, or NULL
 *            at the end of the file
 * @return FALSE on error (then *out is untouched and the reader is done)
 */
IMPACT_API gboolean impact_reader_next(ImpactReader *reader, ImpactTable **out,
                                       gsize max_rows, GError **error);

/** Frees a reader. NULL is accepted. */
IMPACT_API void impact_reader_free(ImpactReader *reader);

#ifndef SWIG
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImpactReader, impact_reader_free)
#endif

G_END_DECLS

#endif /* IMPACT_READ_H */
