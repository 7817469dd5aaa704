/* impact.h — libimpact: defensible impact numbers for leadership development.
 *
 * The one header to include: #include <libimpact/impact.h>
 *
 * Data flow (each stage in its own header and source file):
 *   codebook   impact-codebook.h  items → scale, domain, range, key, weight
 *   read       impact-read.h      CSV → ImpactTable (columnar, NaN = missing)
 *   score      impact-score.h     scale scores, item descriptives
 *   results    impact-result.h    a JSON-shaped tree every layer reads
 *   kernels    impact-stats.h     running moments and shared formulas
 *   bootstrap  impact-bootstrap.h seeded random streams, cluster bootstrap (percentile, BCa)
 *   effects    impact-effect.h    d_z, d_rm, d_av, d_b, g, d_ppc2, DiD, RCI kernels
 *   change     impact-change.h    change per unit between waves, arms, control, bootstrap
 *   agreement  impact-agreement.h team/organisation aggregation: rwg(j), AD, awg, ICC
 *   disclosure impact-disclosure.h k-anonymity: primary and complementary suppression
 *
 * Conventions (STYLE.md): functions are impact_<module>_<verb>; fallible
 * functions return gboolean (or a pointer, NULL on failure) and take
 * GError ** last, in the IMPACT_ERROR domain; outputs come first, are the
 * caller's, and stay untouched on failure; getters return borrowed pointers;
 * every _free accepts NULL.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#ifndef IMPACT_H
#define IMPACT_H

#define IMPACT_INSIDE
#include <libimpact/impact-macros.h>
#include <libimpact/impact-version.h>
#include <libimpact/impact-error.h>
#include <libimpact/impact-stats.h>
#include <libimpact/impact-result.h>
#include <libimpact/impact-table.h>
#include <libimpact/impact-codebook.h>
#include <libimpact/impact-read.h>
#include <libimpact/impact-score.h>
#include <libimpact/impact-design.h>
#include <libimpact/impact-simulate.h>
#include <libimpact/impact-evaluate.h>
#include <libimpact/impact-reliability.h>
#include <libimpact/impact-bootstrap.h>
#include <libimpact/impact-effect.h>
#include <libimpact/impact-change.h>
#include <libimpact/impact-feedback.h>
#include <libimpact/impact-icc.h>
#include <libimpact/impact-disclosure.h>
#include <libimpact/impact-agreement.h>
#undef IMPACT_INSIDE

#endif /* IMPACT_H */
