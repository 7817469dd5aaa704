/* impact-r.i — the SWIG interface of the R package (R only).
 *
 * The thin layer over the C API that bindings/r/R/*.R builds the idiomatic
 * functions on. Everything here is R-specific: typemaps for R vectors,
 * finalizers for every object C hands over, GError -> an R condition of
 * class "impact_error", and a few conversion helpers (result tree -> list,
 * table -> columns). No statistics: those live in libimpact only.
 *
 * Rules learnt the hard way (../../../shared/BINDINGS-NOTES.md):
 *  - SWIG/R adds finalizers only to constructors: every pointer C hands over
 *    gets a C finalizer here (impact_r_own()); the _free functions are not
 *    exposed, so nothing can be freed twice.
 *  - Errors are raised from the freearg step of GError **, after the other
 *    arguments are freed; the condition is built after the GError is freed.
 *  - Counts (gsize) are returned as double: R has no 64-bit integers.
 *  - No %rename of structs (it breaks SWIG/R's generated delete()).
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
%module impact

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
%}

%{
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

/* ---- what SWIG needs to know of GLib --------------------------------------- */

#define IMPACT_INSIDE
#define IMPACT_API
#define G_BEGIN_DECLS
#define G_END_DECLS
typedef int gboolean;
typedef unsigned int guint;
typedef unsigned int guint32;
typedef unsigned long gsize;
typedef long gssize;
typedef void *gpointer;
typedef char gchar;
typedef unsigned int GQuark;

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

%newobject impact_table_new;
%newobject impact_codebook_new;
%newobject impact_reader_open;

/* Freed by finalizers only: never callable from R (no double free). */
%ignore impact_result_free;
%ignore impact_table_free;
%ignore impact_codebook_free;
%ignore impact_reader_free;

/* Newly allocated strings: copied into R, then g_free()d. */
%typemap(out) char *impact_result_to_json, char *impact_table_cell_string,
              char *impact_table_to_csv, char *impact_result_format_table %{
    if ($1 == NULL) {
        $result = R_NilValue;
    } else {
        SEXP s_ = PROTECT(Rf_mkCharCE($1, CE_UTF8));
        g_free($1);
        $result = Rf_ScalarString(s_);
        UNPROTECT(1);
    }
%}

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

/* ---- the API ---------------------------------------------------------------- */

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
%ignore impact_responses_read_buffer;
%ignore impact_codebook_read_buffer;
%ignore ImpactReadOptions;
%ignore impact_error_quark;

/* Options structs start at their INIT values (a calloc'd struct would have
 * version 0). */
%extend ImpactScoreOptions {
    ImpactScoreOptions() {
        ImpactScoreOptions *o = g_new(ImpactScoreOptions, 1);
        ImpactScoreOptions init = IMPACT_SCORE_OPTIONS_INIT;
        *o = init;
        return o;
    }
    ~ImpactScoreOptions() { g_free($self); }
}

%include <libimpact/impact-version.h>
%include <libimpact/impact-error.h>
%include <libimpact/impact-stats.h>
/* SWIG/R names each wrapper's SEXP arguments after the C parameters, and a
 * parameter called "result" clashes with the wrapper's own variable. */
#define result res
%include <libimpact/impact-result.h>
#undef result
%include <libimpact/impact-table.h>
%include <libimpact/impact-codebook.h>
%include <libimpact/impact-read.h>
%include <libimpact/impact-score.h>

/* ---- R-only helpers (conversions, no statistics) -------------------------- */

%inline %{
/* The whole result tree as R values: objects -> named lists, arrays of
 * numbers / strings / booleans (with nulls) -> vectors (null -> NA), other
 * arrays -> lists, null -> NA_real_. Keys holding "/" cannot be addressed
 * by path and are skipped. */
SEXP impact_r_result_tree(const ImpactResult *res);

/* The columns of a table: a named list of numeric vectors (NUMERIC columns)
 * and character vectors (TEXT columns, NA = missing). */
SEXP impact_r_table_columns(const ImpactTable *table);

/* Reads a response file; @missing_codes a character vector (may be empty),
 * @out_of_range 0 = error, 1 = set to missing. */
gboolean impact_r_read_responses(ImpactTable **out, const char *path,
                                 const ImpactCodebook *codebook, SEXP missing_codes,
                                 int out_of_range, GError **error);

/* Number of live objects whose finalizers have not run (tests). */
double impact_r_debug_alive(void);
%}

%{
static SEXP impact_r_node(const ImpactResult *r, GString *path);

static void
impact_r_path_push(GString *path, const char *part)
{
    if (path->len > 0) {
        g_string_append_c(path, '/');
    }
    g_string_append(path, part);
}

static SEXP
impact_r_array(const ImpactResult *r, GString *path)
{
    gsize n = impact_result_length(r, path->str);
    gsize base = path->len;
    char idx[32];
    /* the element types */
    int n_num = 0, n_str = 0, n_bool = 0, n_null = 0;
    for (gsize i = 0; i < n; i++) {
        g_snprintf(idx, sizeof idx, "%" G_GSIZE_FORMAT, i);
        impact_r_path_push(path, idx);
        switch (impact_result_type(r, path->str)) {
        case IMPACT_VALUE_NUMBER: n_num++; break;
        case IMPACT_VALUE_STRING: n_str++; break;
        case IMPACT_VALUE_BOOLEAN: n_bool++; break;
        case IMPACT_VALUE_NULL: n_null++; break;
        default: break;
        }
        g_string_truncate(path, base);
    }
    SEXPTYPE type = VECSXP;
    if (n > 0 && (gsize) (n_num + n_null) == n) {
        type = REALSXP;
    } else if (n > 0 && n_str > 0 && (gsize) (n_str + n_null) == n) {
        type = STRSXP;
    } else if (n > 0 && n_bool > 0 && (gsize) (n_bool + n_null) == n) {
        type = LGLSXP;
    }
    SEXP out = PROTECT(Rf_allocVector(type, (R_xlen_t) n));
    for (gsize i = 0; i < n; i++) {
        g_snprintf(idx, sizeof idx, "%" G_GSIZE_FORMAT, i);
        impact_r_path_push(path, idx);
        gboolean is_null = impact_result_type(r, path->str) == IMPACT_VALUE_NULL;
        switch (type) {
        case REALSXP:
            REAL(out)[i] = is_null ? NA_REAL : impact_result_number(r, path->str);
            break;
        case STRSXP:
            SET_STRING_ELT(out, (R_xlen_t) i,
                           is_null ? NA_STRING
                                   : Rf_mkCharCE(impact_result_string(r, path->str), CE_UTF8));
            break;
        case LGLSXP:
            LOGICAL(out)[i] = is_null ? NA_LOGICAL : (impact_result_boolean(r, path->str) ? 1 : 0);
            break;
        default:
            SET_VECTOR_ELT(out, (R_xlen_t) i, impact_r_node(r, path));
            break;
        }
        g_string_truncate(path, base);
    }
    UNPROTECT(1);
    return out;
}

static SEXP
impact_r_object(const ImpactResult *r, GString *path)
{
    gsize n = impact_result_length(r, path->str);
    gsize base = path->len;
    gsize kept = 0;
    for (gsize i = 0; i < n; i++) {
        const char *key = impact_result_key(r, path->str, i);
        kept += key != NULL && strchr(key, '/') == NULL;
    }
    SEXP out = PROTECT(Rf_allocVector(VECSXP, (R_xlen_t) kept));
    SEXP names = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t) kept));
    gsize j = 0;
    for (gsize i = 0; i < n; i++) {
        /* the key is borrowed from the tree: copy it before the path grows */
        const char *key = impact_result_key(r, path->str, i);
        if (key == NULL || strchr(key, '/') != NULL) {
            continue;
        }
        SET_STRING_ELT(names, (R_xlen_t) j, Rf_mkCharCE(key, CE_UTF8));
        impact_r_path_push(path, key);
        SET_VECTOR_ELT(out, (R_xlen_t) j, impact_r_node(r, path));
        g_string_truncate(path, base);
        j++;
    }
    Rf_setAttrib(out, R_NamesSymbol, names);
    UNPROTECT(2);
    return out;
}

static SEXP
impact_r_node(const ImpactResult *r, GString *path)
{
    switch (impact_result_type(r, path->str)) {
    case IMPACT_VALUE_NUMBER:
        return Rf_ScalarReal(impact_result_number(r, path->str));
    case IMPACT_VALUE_STRING:
        return Rf_ScalarString(Rf_mkCharCE(impact_result_string(r, path->str), CE_UTF8));
    case IMPACT_VALUE_BOOLEAN:
        return Rf_ScalarLogical(impact_result_boolean(r, path->str) ? 1 : 0);
    case IMPACT_VALUE_ARRAY:
        return impact_r_array(r, path);
    case IMPACT_VALUE_OBJECT:
        return impact_r_object(r, path);
    case IMPACT_VALUE_NULL:
        return Rf_ScalarReal(NA_REAL);
    default:
        return R_NilValue;
    }
}

SEXP
impact_r_result_tree(const ImpactResult *res)
{
    if (res == NULL) {
        return R_NilValue;
    }
    /* The GString is freed by R's context mechanism if an allocation fails:
     * keep it in an external pointer... simpler: R allocations only fail
     * when memory is exhausted, where a small leak does not matter. */
    GString *path = g_string_new(NULL);
    SEXP out = PROTECT(impact_r_node(res, path));
    g_string_free(path, TRUE);
    UNPROTECT(1);
    return out;
}

SEXP
impact_r_table_columns(const ImpactTable *table)
{
    gsize nc = impact_table_n_columns(table);
    gsize nr = impact_table_n_rows(table);
    SEXP out = PROTECT(Rf_allocVector(VECSXP, (R_xlen_t) nc));
    SEXP names = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t) nc));
    for (gsize c = 0; c < nc; c++) {
        SET_STRING_ELT(names, (R_xlen_t) c,
                       Rf_mkCharCE(impact_table_column_name(table, c), CE_UTF8));
        if (impact_table_column_type(table, c) == IMPACT_COLUMN_NUMERIC) {
            SEXP v = Rf_allocVector(REALSXP, (R_xlen_t) nr);
            SET_VECTOR_ELT(out, (R_xlen_t) c, v);
            const double *x = impact_table_numeric(table, c);
            for (gsize i = 0; i < nr; i++) {
                REAL(v)[i] = isnan(x[i]) ? NA_REAL : x[i];
            }
        } else {
            gsize nl = impact_table_n_levels(table, c);
            SEXP lv = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t) nl));
            for (gsize l = 0; l < nl; l++) {
                SET_STRING_ELT(lv, (R_xlen_t) l,
                               Rf_mkCharCE(impact_table_level(table, c, (guint32) l), CE_UTF8));
            }
            SEXP v = Rf_allocVector(STRSXP, (R_xlen_t) nr);
            SET_VECTOR_ELT(out, (R_xlen_t) c, v);
            const guint32 *codes = impact_table_codes(table, c);
            for (gsize i = 0; i < nr; i++) {
                SET_STRING_ELT(v, (R_xlen_t) i,
                               codes[i] == IMPACT_TABLE_NA ? NA_STRING
                                                           : STRING_ELT(lv, (R_xlen_t) codes[i]));
            }
            UNPROTECT(1);
        }
    }
    Rf_setAttrib(out, R_NamesSymbol, names);
    UNPROTECT(2);
    return out;
}

gboolean
impact_r_read_responses(ImpactTable **out, const char *path, const ImpactCodebook *codebook,
                        SEXP missing_codes, int out_of_range, GError **error)
{
    if (TYPEOF(missing_codes) != STRSXP && missing_codes != R_NilValue) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID,
                    "missing codes must be a character vector");
        return FALSE;
    }
    R_xlen_t n = missing_codes == R_NilValue ? 0 : XLENGTH(missing_codes);
    const char **codes = (const char **) R_alloc(n + 1, sizeof(char *));
    R_xlen_t k = 0;
    for (R_xlen_t i = 0; i < n; i++) {
        if (STRING_ELT(missing_codes, i) != NA_STRING) {
            codes[k++] = Rf_translateCharUTF8(STRING_ELT(missing_codes, i));
        }
    }
    codes[k] = NULL;
    ImpactReadOptions opt = IMPACT_READ_OPTIONS_INIT;
    opt.missing_codes = codes;
    opt.out_of_range = out_of_range ? IMPACT_OUT_OF_RANGE_MISSING : IMPACT_OUT_OF_RANGE_ERROR;
    return impact_responses_read(out, path, codebook, &opt, error);
}

double
impact_r_debug_alive(void)
{
    return impact_r_n_owned_alive;
}
%}
