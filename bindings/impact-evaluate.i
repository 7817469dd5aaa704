/* impact-evaluate.i — the evaluation: design, simulator and impact_evaluate.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */

%impact_object(_ImpactDesign, impact_design_free)
%impact_object(_ImpactSimulation, impact_simulation_free)
%extend _ImpactDesign {
    _ImpactDesign() { return impact_design_new(); }
}

%impact_fallible(impact_design_set);
%impact_fallible(impact_design_read_file);
%impact_fallible(impact_design_read_buffer);
%impact_fallible(impact_design_check);
%impact_fallible(impact_simulate);
%impact_fallible(impact_simulation_write);
%impact_fallible(impact_evaluate);

%newobject impact_design_new;
%newobject impact_design_get;
%newobject impact_design_to_data;
%newobject impact_codebook_to_csv;

%impact_options(ImpactSimulateOptions, IMPACT_SIMULATE_OPTIONS_INIT)
%impact_options(ImpactEvaluateOptions, IMPACT_EVALUATE_OPTIONS_INIT)
/* The progress callback is set by each language (Python: set_progress()). */
%immutable ImpactEvaluateOptions::progress;
%immutable ImpactEvaluateOptions::progress_data;

%include "libimpact/impact-design.h"
%include "libimpact/impact-simulate.h"
%include "libimpact/impact-evaluate.h"
