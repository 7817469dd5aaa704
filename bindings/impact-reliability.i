/* impact-reliability.i — reliability (alpha, omega, item analysis) and its
 * mergeable, serialisable accumulator.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */

%impact_fallible(impact_reliability);
%impact_fallible(impact_reliability_scale_alpha);
%impact_fallible(impact_reliability_acc_add);
%impact_fallible(impact_reliability_acc_add_rows);
%impact_fallible(impact_reliability_acc_scale_alpha);
%impact_fallible(impact_reliability_acc_merge);
%impact_fallible(impact_reliability_acc_result);

%impact_options(ImpactReliabilityOptions, IMPACT_RELIABILITY_OPTIONS_INIT)
%impact_object(_ImpactReliabilityAcc, impact_reliability_acc_free)
%newobject impact_reliability_acc_new;
%newobject impact_reliability_acc_deserialize;

/* Kernels over raw C arrays of k x k matrices: C, CLI and the analysis use
 * them; the bindings call the analysis. */
%ignore impact_reliability_alpha_cov;
%ignore impact_reliability_omega_cor;
%ignore ImpactAlphaStats;
%ignore ImpactAlphaItem;

%include "libimpact/impact-reliability.h"
