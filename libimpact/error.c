/* error.c — the IMPACT_ERROR domain and the run-time version.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include "impact-private.h"

G_DEFINE_QUARK(impact-error-quark, impact_error)

const char *
impact_version(void)
{
    return IMPACT_VERSION_STRING;
}
