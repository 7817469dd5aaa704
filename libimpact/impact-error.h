/* impact-error.h — the one error domain of libimpact.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#if !defined(IMPACT_INSIDE) && !defined(IMPACT_COMPILATION)
#error "Only <libimpact/impact.h> can be included directly."
#endif

#ifndef IMPACT_ERROR_H
#define IMPACT_ERROR_H

#include <glib.h>
#include <libimpact/impact-macros.h>

G_BEGIN_DECLS

/** The GError domain of every error libimpact reports. */
#define IMPACT_ERROR (impact_error_quark())

/**
 * Error codes of IMPACT_ERROR. Codes are only ever added, never renumbered.
 *
 * Every message names what is wrong and where: for file input the message
 * starts with "FILE:LINE:COLUMN: " (1-based; LINE counts physical lines, the
 * header is line 1; COLUMN counts fields); otherwise it names the scale, item,
 * column, group or value concerned.
 */
typedef enum {
    IMPACT_ERROR_FAILED = 0,   /**< anything not covered below */
    IMPACT_ERROR_IO = 1,       /**< a file could not be opened, read or written */
    IMPACT_ERROR_PARSE = 2,    /**< malformed CSV or design file: quotes, ragged rows, empty file */
    IMPACT_ERROR_CODEBOOK = 3, /**< a codebook contradicts itself or is incomplete */
    IMPACT_ERROR_DATA = 4,     /**< data do not fit the codebook: missing item column,
                                    non-numeric or out-of-range answer, unknown column */
    IMPACT_ERROR_INVALID = 5,  /**< an argument or option is invalid */
    IMPACT_ERROR_INSUFFICIENT = 6, /**< too few observations for the statistic asked for */
    IMPACT_ERROR_CANCELLED = 7 /**< a progress callback asked to stop */
} ImpactErrorCode;

/** The quark of IMPACT_ERROR. */
IMPACT_API GQuark impact_error_quark(void);

G_END_DECLS

#endif /* IMPACT_ERROR_H */
