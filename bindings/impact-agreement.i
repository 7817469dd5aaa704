/* impact-agreement.i — within-group agreement and aggregation (rwg(j), AD,
 * awg, ICC(1)/(2), design effects) with disclosure control, and its
 * mergeable, serialisable accumulator.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */

%impact_fallible(impact_null_distribution_parse);
%impact_fallible(impact_agreement_null_variance);
%impact_fallible(impact_agreement);
%impact_fallible(impact_agreement_acc_add);
%impact_fallible(impact_agreement_acc_merge);
%impact_fallible(impact_agreement_acc_result);

%impact_options(ImpactAgreementOptions, IMPACT_AGREEMENT_OPTIONS_INIT)
%impact_object(_ImpactAgreementAcc, impact_agreement_acc_free)
%newobject impact_agreement_acc_new;
%newobject impact_agreement_acc_deserialize;

/* Kernels over several parallel C arrays: the analysis calls them. */
%ignore impact_agreement_icc;
%ignore impact_agreement_design_effect_unequal;

%include "libimpact/impact-agreement.h"
