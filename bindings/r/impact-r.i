/* impact-r.i — the R block of the SWIG interface (R only).
 *
 * Included by ../impact.i inside #ifdef SWIGR, after impact-base.i and
 * before the declarations (impact-r-helpers.i comes after them). The thin
 * layer over the C API that bindings/r/R/*.R builds the idiomatic functions
 * on. Everything here is R-specific: typemaps for R vectors,
 * finalizers for every object C hands over, GError -> an R condition of
 * class "impact_error". Conversion helpers (result tree -> list, table ->
 * columns, the analyses' options) are in impact-r-helpers.i. No statistics:
 * those live in libimpact only.
 *
 * Rules learnt the hard way (../../../shared/BINDINGS-NOTES.md):
 *  - SWIG/R adds finalizers only to constructors: every pointer C hands over
 *    gets a C finalizer here (impact_r_own()); the _free functions are not
 *    exposed, so nothing can be freed twice.
 *  - Errors are raised from the freearg step of GError **, after the other
 *    arguments are freed; the condition is built after the GError is freed.
 *  - Counts (gsize) are returned as double: R has no 64-bit integers.
 *  - No %rename of structs (it breaks SWIG/R's generated delete()).
 *  - SWIG 4.1's SWIG_R_NewPointerObj() does not protect the type tag while
 *    allocating (a crash under gctorture): replaced by a protected version.
 *  - SWIG/R names wrapper arguments after the C parameters: a parameter
 *    called "result" clashes (impact-core.i renames it for R).
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
%{
#include <string.h>
#include <libimpact/impact.h>
#include <R_ext/Rdynload.h>

/* ---- ownership: a C finalizer for every object handed over -------------- */

/* Number of objects R owns whose finalizers have not run (for the tests). */
static double impact_r_n_owned_alive = 0;

#define IMPACT_R_FINALIZER(Type, free_fn)                                     \
    static void impact_r_finalize_##Type(SEXP p)                            \
    {                                                                         \
        Type *obj = (Type *) R_ExternalPtrAddr(p);                            \
        if (obj != NULL) {                                                    \
            R_ClearExternalPtr(p);                                            \
            free_fn(obj);                                                     \
            impact_r_n_owned_alive--;                                         \
        }                                                                     \
    }

IMPACT_R_FINALIZER(ImpactResult, impact_result_free)
IMPACT_R_FINALIZER(ImpactTable, impact_table_free)
IMPACT_R_FINALIZER(ImpactCodebook, impact_codebook_free)
IMPACT_R_FINALIZER(ImpactReader, impact_reader_free)
IMPACT_R_FINALIZER(ImpactDesign, impact_design_free)
IMPACT_R_FINALIZER(ImpactSimulation, impact_simulation_free)
%}

%{
/* SWIG 4.1's SWIG_R_NewPointerObj() leaves the tag (an external pointer to
 * the type) unprotected while it allocates the pointer object, so a garbage
 * collection at that moment leaves a dangling tag (found with gctorture).
 * Every wrapper below the runtime uses this protected version instead. */
static SEXP
impact_r_new_pointer_obj(void *ptr, swig_type_info *type, int flags)
{
    (void) flags;
    if (ptr == NULL) {
        return R_NilValue;
    }
    SEXP tag = PROTECT(R_MakeExternalPtr(type, R_NilValue, R_NilValue));
    SEXP p = PROTECT(R_MakeExternalPtr(ptr, tag, R_NilValue));
    SET_S4_OBJECT(p);
    UNPROTECT(2);
    return p;
}
#undef SWIG_NewPointerObj
#define SWIG_NewPointerObj(ptr, type, flags) impact_r_new_pointer_obj(ptr, type, flags)
#define SWIG_R_NewPointerObj(ptr, type, flags) impact_r_new_pointer_obj(ptr, type, flags)

/* A SWIG pointer object for @ptr that R owns: freed by @fin when collected
 * (and at the end of the session). NULL gives R's NULL. */
static SEXP
impact_r_own(void *ptr, swig_type_info *type, R_CFinalizer_t fin)
{
    if (ptr == NULL) {
        return R_NilValue;
    }
    SEXP p = PROTECT(SWIG_R_NewPointerObj(ptr, type, 0));
    R_RegisterCFinalizerEx(p, fin, TRUE);
    impact_r_n_owned_alive++;
    UNPROTECT(1);
    return p;
}

/* ---- errors ---------------------------------------------------------------- */

static const char *
impact_r_error_code_name(int code)
{
    switch (code) {
    case IMPACT_ERROR_IO: return "io";
    case IMPACT_ERROR_PARSE: return "parse";
    case IMPACT_ERROR_CODEBOOK: return "codebook";
    case IMPACT_ERROR_DATA: return "data";
    case IMPACT_ERROR_INVALID: return "invalid";
    case IMPACT_ERROR_INSUFFICIENT: return "insufficient";
    case IMPACT_ERROR_CANCELLED: return "cancelled";
    default: return "failed";
    }
}

/* Frees @err, then signals an R condition of classes
 * c("impact_<code>_error", "impact_error", "error", "condition") with
 * members message (the C message), call (NULL), code (the IMPACT_ERROR code)
 * and code_name. Does not return. Called from the freearg step, after every
 * other argument has been released. */
static void
impact_r_raise(GError *err)
{
    /* R_alloc'd memory is reclaimed by R even when stop() jumps. */
    size_t len = strlen(err->message);
    char *msg = R_alloc(len + 1, 1);
    memcpy(msg, err->message, len + 1);
    int code = err->domain == IMPACT_ERROR ? err->code : IMPACT_ERROR_FAILED;
    g_error_free(err);

    const char *name = impact_r_error_code_name(code);
    SEXP cond = PROTECT(Rf_allocVector(VECSXP, 4));
    SEXP names = PROTECT(Rf_allocVector(STRSXP, 4));
    SET_VECTOR_ELT(cond, 0, Rf_mkString(msg));
    SET_VECTOR_ELT(cond, 1, R_NilValue);
    SET_VECTOR_ELT(cond, 2, Rf_ScalarInteger(code));
    SET_VECTOR_ELT(cond, 3, Rf_mkString(name));
    SET_STRING_ELT(names, 0, Rf_mkChar("message"));
    SET_STRING_ELT(names, 1, Rf_mkChar("call"));
    SET_STRING_ELT(names, 2, Rf_mkChar("code"));
    SET_STRING_ELT(names, 3, Rf_mkChar("code_name"));
    Rf_setAttrib(cond, R_NamesSymbol, names);
    SEXP klass = PROTECT(Rf_allocVector(STRSXP, 4));
    char sub[64];
    snprintf(sub, sizeof sub, "impact_%s_error", name);
    SET_STRING_ELT(klass, 0, Rf_mkChar(sub));
    SET_STRING_ELT(klass, 1, Rf_mkChar("impact_error"));
    SET_STRING_ELT(klass, 2, Rf_mkChar("error"));
    SET_STRING_ELT(klass, 3, Rf_mkChar("condition"));
    Rf_setAttrib(cond, R_ClassSymbol, klass);
    SEXP call = PROTECT(Rf_lang2(Rf_install("stop"), cond));
    Rf_eval(call, R_BaseEnv);
    UNPROTECT(4); /* not reached */
}
%}

/* ---- scalars ---------------------------------------------------------------- */

/* gboolean <-> logical */
%typemap(rtype) gboolean "logical"
%typemap(scoercein) gboolean %{ $input = as.logical($input); %}
%typemap(in) gboolean %{
    if (Rf_length($input) != 1 || LOGICAL($input)[0] == NA_LOGICAL) {
        Rf_error("a single TRUE or FALSE is needed");
    }
    $1 = LOGICAL($input)[0] ? TRUE : FALSE;
%}
%typemap(out) gboolean %{ $result = Rf_ScalarLogical($1 ? TRUE : FALSE); %}
%typemap(scoerceout) gboolean %{ %}

/* gsize / gssize: counts and indices travel as double (no 64-bit ints in R) */
%typemap(rtype) gsize, gssize "numeric"
%typemap(scoercein) gsize, gssize %{ $input = as.double($input); %}
%typemap(in) gsize %{
    if (Rf_length($input) != 1 || !R_FINITE(REAL($input)[0]) || REAL($input)[0] < 0) {
        Rf_error("a single non-negative number is needed");
    }
    $1 = (gsize) REAL($input)[0];
%}
%typemap(in) gssize %{
    if (Rf_length($input) != 1 || !R_FINITE(REAL($input)[0])) {
        Rf_error("a single number is needed");
    }
    $1 = (gssize) REAL($input)[0];
%}
%typemap(out) gsize %{ $result = Rf_ScalarReal((double) $1); %}
%typemap(out) gssize %{ $result = Rf_ScalarReal((double) $1); %}
%typemap(scoerceout) gsize, gssize %{ %}

/* Strings in: borrowed from R for the call (UTF-8); NULL, character(0) or
 * NA give a NULL pointer (optional arguments such as id_column). */
%typemap(scoercein) const char * %{ if (!is.null($input)) $input = as.character($input); %}
%typemap(in, noblock=1) const char * {
    $1 = (TYPEOF($input) != STRSXP || Rf_length($input) == 0 || STRING_ELT($input, 0) == NA_STRING)
             ? NULL : (char *) Rf_translateCharUTF8(STRING_ELT($input, 0));
}
%typemap(freearg, noblock=1) const char * ""

/* SEXP passes through untouched (helpers below) */
%typemap(rtype) SEXP "ANY"
%typemap(in) SEXP %{ $1 = $input; %}
%typemap(out) SEXP %{ $result = $1; %}
%typemap(scoercein) SEXP %{ %}
%typemap(scoerceout) SEXP %{ %}

/* ---- GError ** -> R condition of class impact_error ------------------------ */

%typemap(in, numinputs=0) GError **error (GError *gerr = NULL) %{ $1 = &gerr; %}
%typemap(freearg) GError **error %{
    if (gerr$argnum != NULL) {
        GError *e_ = gerr$argnum;
        gerr$argnum = NULL;
        impact_r_raise(e_);
    }
%}

/* ---- objects C hands over ---------------------------------------------------- */

/* Type **out: an output argument; the function then returns the object
 * (with its finalizer) instead of its gboolean. */
%define IMPACT_R_OWNED(Type)
%typemap(in, numinputs=0) Type **out (Type *tmp = NULL) %{ $1 = &tmp; %}
%typemap(argout) Type **out %{
    r_ans = impact_r_own(tmp$argnum, $*1_descriptor, impact_r_finalize_##Type);
    Rf_protect(r_ans);
    r_nprotect++;
%}
/* Type * returned: owned (finalizer) when %newobject, borrowed otherwise. */
%typemap(out) Type * %{
    $result = ($owner) ? impact_r_own($1, $1_descriptor, impact_r_finalize_##Type)
                       : SWIG_R_NewPointerObj($1, $1_descriptor, 0);
%}
%typemap(scoerceout) Type * %{ %}
%enddef

IMPACT_R_OWNED(ImpactResult)
IMPACT_R_OWNED(ImpactTable)
IMPACT_R_OWNED(ImpactCodebook)
IMPACT_R_OWNED(ImpactReader)
IMPACT_R_OWNED(ImpactDesign)
IMPACT_R_OWNED(ImpactSimulation)

/* Freed by finalizers only: never callable from R (no double free). */
%rename("$ignore", regextarget=1, fullname=1) "^impact_.*_free$";
/* The streaming accumulators are for C, Python and Dask; R works in memory. */
%rename("$ignore", regextarget=1, fullname=1) "^impact_.*_acc_.*$";

/* Newly allocated strings (%newobject in impact-base.i): copied into R by
 * the default char * typemap, then g_free()d. */
%typemap(newfree) char * "g_free($1);";

/* ---- arrays from R vectors ------------------------------------------------- */

/* A numeric vector passed without copying (the R layer coerces integers). */
%typemap(rtype) (const double *x, gsize n) "numeric"
%typemap(scoercein) (const double *x, gsize n) %{ $input = as.double($input); %}
%typemap(in) (const double *x, gsize n) %{
    if (TYPEOF($input) != REALSXP) {
        Rf_error("a numeric vector is needed");
    }
    $1 = REAL($input);
    $2 = (gsize) XLENGTH($input);
%}

/* Factor codes: R's 1-based codes with NA become 0-based codes, -1 = missing. */
%typemap(rtype) (const int *codes, gsize n) "integer"
%typemap(scoercein) (const int *codes, gsize n) %{ $input = as.integer($input); %}
%typemap(in) (const int *codes, gsize n) {
    if (TYPEOF($input) != INTSXP) {
        Rf_error("an integer vector of factor codes is needed");
    }
    R_xlen_t n_ = XLENGTH($input);
    const int *src_ = INTEGER($input);
    int *dst_ = (int *) R_alloc(n_ > 0 ? n_ : 1, sizeof(int));
    for (R_xlen_t i_ = 0; i_ < n_; i_++) {
        dst_[i_] = src_[i_] == NA_INTEGER ? -1 : src_[i_] - 1;
    }
    $1 = dst_;
    $2 = (gsize) n_;
}

/* A character vector as an array of strings (borrowed from R; NA = NULL). */
%typemap(rtype) (const char *const *levels, gsize n_levels),
                (const char *const *values, gsize n) "character"
%typemap(scoercein) (const char *const *levels, gsize n_levels),
                    (const char *const *values, gsize n) %{ $input = as.character($input); %}
%typemap(in) (const char *const *levels, gsize n_levels),
             (const char *const *values, gsize n) {
    if (TYPEOF($input) != STRSXP) {
        Rf_error("a character vector is needed");
    }
    R_xlen_t n_ = XLENGTH($input);
    const char **dst_ = (const char **) R_alloc(n_ > 0 ? n_ : 1, sizeof(char *));
    for (R_xlen_t i_ = 0; i_ < n_; i_++) {
        SEXP s_ = STRING_ELT($input, i_);
        dst_[i_] = s_ == NA_STRING ? NULL : Rf_translateCharUTF8(s_);
    }
    $1 = ($1_ltype) dst_;
    $2 = (gsize) n_;
}

/* Row flags: a logical vector (NA counts as FALSE). */
%typemap(rtype) (const gboolean *keep, gsize n) "logical"
%typemap(scoercein) (const gboolean *keep, gsize n) %{ $input = as.logical($input); %}
%typemap(in) (const gboolean *keep, gsize n) {
    if (TYPEOF($input) != LGLSXP) {
        Rf_error("a logical vector is needed");
    }
    R_xlen_t n_ = XLENGTH($input);
    gboolean *dst_ = (gboolean *) R_alloc(n_ > 0 ? n_ : 1, sizeof(gboolean));
    for (R_xlen_t i_ = 0; i_ < n_; i_++) {
        dst_[i_] = LOGICAL($input)[i_] == TRUE;
    }
    $1 = dst_;
    $2 = (gsize) n_;
}

/* Enum outputs */
%typemap(in, numinputs=0) ImpactDomain *out (ImpactDomain dom = IMPACT_DOMAIN_INDIVIDUAL) %{ $1 = &dom; %}
%typemap(argout) ImpactDomain *out %{ r_ans = Rf_ScalarInteger((int) dom$argnum); %}

/* Enums travel as plain integers (SWIG/R's enum names need the enum's R
 * class; the R layer maps names itself, e.g. with impact_domain_name()). */
%typemap(rtype) enum SWIGTYPE "integer"
%typemap(scoercein) enum SWIGTYPE %{ $input = as.integer($input); %}
%typemap(scoerceout) enum SWIGTYPE %{ %}
%typemap(in) enum SWIGTYPE %{ $1 = ($1_ltype) INTEGER($input)[0]; %}
%typemap(out) enum SWIGTYPE %{ $result = Rf_ScalarInteger((int) $1); %}

/* ---- what R does not reach ------------------------------------------------- */

/* Kernels over raw arrays are for C callers; R reaches statistics through
 * the analysis entry points. */
%ignore impact_moments_add;
%ignore impact_moments_merge;
%ignore impact_moments_var;
%ignore impact_moments_sd;
%ignore impact_moments_mean;
%ignore impact_stats_mean_var;
%ignore impact_score_kernel;
%ignore impact_table_numeric;
%ignore impact_table_codes;
%ignore impact_codebook_scale_range;
%ignore impact_reader_open;
%ignore impact_reader_next;
%ignore impact_codebook_read_buffer;
%ignore impact_error_quark;

