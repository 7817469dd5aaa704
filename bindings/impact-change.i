/* impact-change.i — change between waves: paired effects, control arm,
 * reliable change, cluster bootstrap (with a progress callback).
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */

%impact_fallible(impact_change);
%impact_fallible(impact_change_acc_add);
%impact_fallible(impact_change_acc_merge);
%impact_fallible(impact_change_acc_result);
%impact_options(ImpactChangeOptions, IMPACT_CHANGE_OPTIONS_INIT)
%impact_object(_ImpactChangeAcc, impact_change_acc_free)
%newobject impact_change_acc_new;
%newobject impact_change_acc_deserialize;
/* The progress callback is set by each language (Python: set_progress()). */
%immutable ImpactChangeOptions::progress;
%immutable ImpactChangeOptions::progress_data;

%include "libimpact/impact-change.h"
