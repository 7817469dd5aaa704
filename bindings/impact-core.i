/* impact-core.i — the foundation API of libimpact: errors, results,
 * tables, codebooks, reading, scoring, shared kernels.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */

/* Functions that report failure through GError and return their value
 * through an out parameter (the language layer turns the gboolean into the
 * out value, or an error). */
%impact_fallible(impact_domain_parse);
%impact_fallible(impact_codebook_add_item);
%impact_fallible(impact_codebook_read_csv);
%impact_fallible(impact_codebook_read_buffer);
%impact_fallible(impact_table_lookup);
%impact_fallible(impact_table_add_numeric);
%impact_fallible(impact_table_add_text);
%impact_fallible(impact_table_add_factor);
%impact_fallible(impact_table_filter);
%impact_fallible(impact_responses_read);
%impact_fallible(impact_responses_read_buffer);
%impact_fallible(impact_reader_next);
%impact_fallible(impact_score_table);
%impact_fallible(impact_describe_items);

/* Read options: missing_codes is a string vector (set from a list). */
%impact_options(ImpactReadOptions, IMPACT_READ_OPTIONS_INIT)
%impact_options(ImpactScoreOptions, IMPACT_SCORE_OPTIONS_INIT)

%include "libimpact/impact-version.h"
%include "libimpact/impact-error.h"
%include "libimpact/impact-stats.h"
#ifdef SWIGR
/* SWIG/R names each wrapper's SEXP arguments after the C parameters, and a
 * parameter called "result" clashes with the wrapper's own variable. */
#define result res
#endif
%include "libimpact/impact-result.h"
#ifdef SWIGR
#undef result
#endif
%include "libimpact/impact-table.h"
%include "libimpact/impact-codebook.h"
%include "libimpact/impact-read.h"
%include "libimpact/impact-score.h"
