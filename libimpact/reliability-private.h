/* reliability-private.h — reliability accumulator internals shared with
 * change.c; not installed.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#ifndef IMPACT_RELIABILITY_PRIVATE_H
#define IMPACT_RELIABILITY_PRIVATE_H

#include "impact-private.h"

/* impact_reliability_acc_add_rows() restricted to the scales s with
 * scales[s] (all if NULL). */
gboolean impact_i_reliability_acc_add_rows(ImpactReliabilityAcc *acc, const ImpactTable *chunk,
                                           const gboolean *scales, const gboolean *keep,
                                           gsize n, GError **error);

/* The fingerprint of @codebook's scales, items, ranges and keys that the
 * serialised accumulators carry. */
guint64 impact_i_codebook_fingerprint(const ImpactCodebook *codebook);

#endif /* IMPACT_RELIABILITY_PRIVATE_H */
