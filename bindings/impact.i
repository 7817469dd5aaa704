/* impact.i — the SWIG interface of libimpact, shared by every language.
 *
 * One interface, several languages: the topic files below declare the C API
 * (the public headers themselves, so `swig -doxygen` turns their Doxygen
 * comments into docstrings); what only one language needs lives in its own
 * block (#ifdef SWIGPYTHON / #ifdef SWIGR). Typemaps come before the
 * declarations they apply to.
 *
 *   impact-base.i    GLib types, header macros, the opaque object classes
 *                    (constructors, destructors), option-struct constructors
 *   impact-python.i  Python only: GError -> impact.ImpactError, numpy.i,
 *                    string-vector typemaps, result out-parameters, helpers
 *   impact-core.i    the foundation API: codebook, table, read, score,
 *                    results, kernels
 *   impact-reliability.i  alpha, omega, item analysis; accumulator
 *   impact-agreement.i    rwg(j), AD, ICC(1)/(2) per group; accumulator
 *   impact-feedback.i     360 feedback with rater anonymity, ICCs
 *   impact-change.i       change, effect sizes, RCI, cluster bootstrap
 *   impact-evaluate.i     design, simulator, the evaluation
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#if defined(SWIGPYTHON)
%module(package="impact", threads="1",
        docstring="Low-level SWIG wrapper of libimpact; use the `impact` package instead.") core
#else
%module impact
#endif

%include "impact-base.i"

#ifdef SWIGPYTHON
%include "impact-python.i"
#endif
#ifdef SWIGR
%include "r/impact-r.i"
#endif

/* %impact_fallible(NAME) marks a function returning gboolean + GError:
 * a language with its own error mapping defines it in its block above. */
#if !defined(SWIGPYTHON)
%define %impact_fallible(NAME)
%enddef
#endif

%include "impact-core.i"
%include "impact-reliability.i"
%include "impact-agreement.i"
%include "impact-feedback.i"
%include "impact-change.i"
%include "impact-evaluate.i"
#ifdef SWIGR
%include "r/impact-r-helpers.i"
#endif
