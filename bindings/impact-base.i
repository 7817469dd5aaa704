/* impact-base.i — GLib types, header macros and the object classes shared
 * by every language binding of libimpact.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */

%{
#include <libimpact/impact.h>
%}

/* The public headers refuse to be included on their own. */
#define IMPACT_INSIDE
#define IMPACT_API
#define G_BEGIN_DECLS
#define G_END_DECLS
#define G_GNUC_CONST
#define G_GNUC_WARN_UNUSED_RESULT

/* The GLib types of the API, as SWIG should see them. */
typedef int gboolean;
typedef int gint;
typedef unsigned int guint;
typedef unsigned int guint32;
typedef int gint32;
typedef unsigned long gsize;
typedef long gssize;
typedef double gdouble;
typedef char gchar;
typedef void *gpointer;
typedef guint32 GQuark;
typedef unsigned long guint64;
typedef long gint64;

/* Opaque objects: the library hands them over with ownership (out
 * parameters, _new functions); the language's garbage collector frees them
 * with the C _free function. Declared here (empty) so SWIG makes a class
 * with a destructor; C sees only the library's own opaque typedefs. */
#ifdef SWIGPYTHON
/* Python names of the classes; other languages keep the C names (renaming
 * breaks SWIG/R's generated delete()). */
%rename(Table) _ImpactTable;
%rename(Codebook) _ImpactCodebook;
%rename(Result) _ImpactResult;
%rename(Reader) _ImpactReader;
%rename(ReadOptions) ImpactReadOptions;
%rename(ScoreOptions) ImpactScoreOptions;
%rename(Moments) ImpactMoments;
/* The garbage collector calls the _free functions; calling them by hand
 * would free twice. */
%rename("$ignore", regextarget=1, fullname=1) "^impact_.*_free$";
%rename(ReliabilityAcc) _ImpactReliabilityAcc;
%rename(ReliabilityOptions) ImpactReliabilityOptions;
%rename(FeedbackOptions) ImpactFeedbackOptions;
%rename(AgreementOptions) ImpactAgreementOptions;
%rename(AgreementAcc) _ImpactAgreementAcc;
%rename(GroupIcc) ImpactGroupIcc;
%rename(ChangeOptions) ImpactChangeOptions;
%rename(ChangeAcc) _ImpactChangeAcc;
%rename(Design) _ImpactDesign;
%rename(Simulation) _ImpactSimulation;
%rename(SimulateOptions) ImpactSimulateOptions;
%rename(EvaluateOptions) ImpactEvaluateOptions;
%rename(ShroutFleiss) ImpactIcc;
#endif
%nodefaultctor _ImpactTable;
%nodefaultctor _ImpactCodebook;
%nodefaultctor _ImpactResult;
%nodefaultctor _ImpactReader;
struct _ImpactTable {};
struct _ImpactCodebook {};
struct _ImpactResult {};
struct _ImpactReader {};
%extend _ImpactTable {
    _ImpactTable() { return impact_table_new(); }
    ~_ImpactTable() { impact_table_free($self); }
}
%extend _ImpactCodebook {
    _ImpactCodebook() { return impact_codebook_new(); }
    ~_ImpactCodebook() { impact_codebook_free($self); }
}
%extend _ImpactResult {
    ~_ImpactResult() { impact_result_free($self); }
}
%extend _ImpactReader {
    ~_ImpactReader() { impact_reader_free($self); }
}

%newobject impact_table_new;
%newobject impact_codebook_new;
%newobject impact_reader_open;
%newobject impact_result_to_json;
%newobject impact_table_cell_string;
%newobject impact_table_to_csv;
%newobject impact_result_format_table;

/* Further opaque objects of the analysis modules (accumulators):
 * %impact_object(_ImpactXAcc, impact_x_acc_free) before the header. */
%define %impact_object(STRUCT, FREE)
%nodefaultctor STRUCT;
struct STRUCT {};
%extend STRUCT {
    ~STRUCT() { FREE($self); }
}
%enddef

/* Strings set into option structs (column names, role maps...) are copied
 * into a pool owned by the struct and freed with it: the C structs hold
 * borrowed `const char *` fields, and the language's string may die first.
 * Any language may use it: the memberin typemaps below are plain C. */
%{
typedef struct {
    gpointer data;
    GDestroyNotify free;
} ImpactBindOwned;

static GMutex impact_bind_pool_lock;
static GHashTable *impact_bind_pool; /* owner -> GArray of ImpactBindOwned */

static void
impact_bind_pool_keep(const void *owner, gpointer data, GDestroyNotify free_func)
{
    g_mutex_lock(&impact_bind_pool_lock);
    if (impact_bind_pool == NULL) {
        impact_bind_pool = g_hash_table_new(g_direct_hash, g_direct_equal);
    }
    GArray *a = g_hash_table_lookup(impact_bind_pool, owner);
    if (a == NULL) {
        a = g_array_new(FALSE, FALSE, sizeof(ImpactBindOwned));
        g_hash_table_insert(impact_bind_pool, (gpointer) owner, a);
    }
    ImpactBindOwned o = { data, free_func };
    g_array_append_val(a, o);
    g_mutex_unlock(&impact_bind_pool_lock);
}

/* Frees everything kept for @owner (its destructor calls this). */
static void
impact_bind_pool_release(const void *owner)
{
    GArray *a = NULL;
    g_mutex_lock(&impact_bind_pool_lock);
    if (impact_bind_pool != NULL) {
        a = g_hash_table_lookup(impact_bind_pool, owner);
        if (a != NULL) {
            g_hash_table_remove(impact_bind_pool, owner);
        }
    }
    g_mutex_unlock(&impact_bind_pool_lock);
    for (guint i = 0; a != NULL && i < a->len; i++) {
        ImpactBindOwned *o = &g_array_index(a, ImpactBindOwned, i);
        o->free(o->data);
    }
    if (a != NULL) {
        g_array_free(a, TRUE);
    }
}

static const char *
impact_bind_pool_strdup(const void *owner, const char *s)
{
    if (s == NULL) {
        return NULL;
    }
    char *c = g_strdup(s);
    impact_bind_pool_keep(owner, c, g_free);
    return c;
}

static const char *const *
impact_bind_pool_strdupv(const void *owner, const char *const *v)
{
    if (v == NULL) {
        return NULL;
    }
    char **c = g_strdupv((char **) v);
    impact_bind_pool_keep(owner, c, (GDestroyNotify) g_strfreev);
    return (const char *const *) c;
}
%}

/* Setting a string member of a struct: a copy kept until the struct dies
 * (arg1 is the struct in SWIG's member setters). */
%typemap(memberin) const char * {
    $1 = impact_bind_pool_strdup(arg1, $input);
}
%typemap(memberin) const char *const * {
    $1 = impact_bind_pool_strdupv(arg1, (const char *const *) $input);
}

/* Option structs: constructed with their IMPACT_X_OPTIONS_INIT defaults
 * (never zero-filled: version 0 is rejected), version read-only; strings
 * set into them live as long as they do.
 * Use: %impact_options(ImpactScoreOptions, IMPACT_SCORE_OPTIONS_INIT) before
 * the header declaring the struct. */
%define %impact_options(TYPE, INIT)
%immutable TYPE::version;
%extend TYPE {
    TYPE() {
        TYPE init = INIT;
        TYPE *o = g_new(TYPE, 1);
        *o = init;
        return o;
    }
    ~TYPE() {
        impact_bind_pool_release($self);
        g_free($self);
    }
}
%enddef

/* Not wrapped: inline helpers, raw-pointer kernels over C arrays of arrays. */
%ignore impact_codebook_key;
%ignore impact_score_kernel;
