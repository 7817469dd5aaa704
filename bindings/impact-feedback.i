/* impact-feedback.i — 360 feedback with rater anonymity; Shrout-Fleiss ICCs.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */

%impact_fallible(impact_feedback);
%impact_options(ImpactFeedbackOptions, IMPACT_FEEDBACK_OPTIONS_INIT)

/* A kernel over an n x k matrix in a C array; the analysis reports ICCs. */
%ignore impact_icc_shrout_fleiss;

%include "libimpact/impact-icc.h"
%include "libimpact/impact-feedback.h"
