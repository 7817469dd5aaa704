/* impact-python.i — the Python-only parts of the libimpact interface:
 * GError -> impact.ImpactError, NumPy arrays in (numpy.i, size_t lengths),
 * string vectors, objects handed over through out parameters, and helpers
 * that copy table columns into NumPy arrays.
 *
 * Included by impact.i inside #ifdef SWIGPYTHON, before the declarations.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */

%{
#define SWIG_FILE_WITH_INIT
%}

%include "numpy.i"
%init %{
import_array();
%}


/* ---- GError -> impact.ImpactError ---------------------------------- */

%{
static PyObject *impact_py_error_type = NULL;

static const char *const impact_py_error_names[] = {
    "FAILED", "IO", "PARSE", "CODEBOOK", "DATA", "INVALID", "INSUFFICIENT", "CANCELLED"
};

/* Sets the Python exception for @err and frees it. An error whose message
 * came from a Python callback (a cancelled progress callback that raised)
 * keeps the callback's exception if one is pending. */
static void
impact_py_raise(GError *err)
{
    if (PyErr_Occurred()) {
        g_error_free(err);
        return;
    }
    PyObject *msg = PyUnicode_DecodeUTF8(err->message, (Py_ssize_t) strlen(err->message),
                                         "replace");
    PyObject *exc = msg ? PyObject_CallFunctionObjArgs(impact_py_error_type, msg, NULL) : NULL;
    Py_XDECREF(msg);
    if (exc != NULL) {
        int known = err->domain == IMPACT_ERROR && err->code >= 0 &&
                    (gsize) err->code < G_N_ELEMENTS(impact_py_error_names);
        PyObject *code = PyLong_FromLong(err->code);
        PyObject *name = PyUnicode_FromString(known ? impact_py_error_names[err->code]
                                                    : "FAILED");
        if (code && name && PyObject_SetAttrString(exc, "code", code) == 0 &&
            PyObject_SetAttrString(exc, "name", name) == 0) {
            PyErr_SetObject(impact_py_error_type, exc);
        }
        Py_XDECREF(code);
        Py_XDECREF(name);
        Py_DECREF(exc);
    }
    g_error_free(err);
}
%}

%init %{
impact_py_error_type = PyErr_NewExceptionWithDoc(
    "impact.ImpactError",
    "An error reported by libimpact (a subclass of ValueError).\n\n"
    "Attributes: code (int, ImpactErrorCode) and name ('IO', 'PARSE', 'CODEBOOK',\n"
    "'DATA', 'INVALID', 'INSUFFICIENT', 'CANCELLED' or 'FAILED'); str(e) is the\n"
    "library's message naming the file, row, column, item, group or value.",
    PyExc_ValueError, NULL);
if (impact_py_error_type == NULL) {
    return NULL;
}
Py_INCREF(impact_py_error_type);
PyDict_SetItemString(d, "ImpactError", impact_py_error_type);
%}

%typemap(in, numinputs=0) GError **error (GError *_impact_err = NULL) {
    $1 = &_impact_err;
}
/* Runs after every other output conversion: drop what was converted, raise. */
%typemap(argout) GError **error {
    if (*$1 != NULL) {
        Py_XDECREF($result);
        $result = NULL;
        impact_py_raise(*$1);
        *$1 = NULL;
        SWIG_fail;
    }
}
%typemap(freearg) GError **error {
    g_clear_error($1);
}

/* A fallible function's gboolean says nothing the exception does not. */
%define %impact_fallible(NAME)
%typemap(out) gboolean NAME "$result = SWIG_Py_Void();";
%enddef

%typemap(out) gboolean {
    $result = PyBool_FromLong($1);
}
%typemap(in) gboolean {
    int t = PyObject_IsTrue($input);
    if (t < 0) SWIG_fail;
    $1 = t ? TRUE : FALSE;
}
%typemap(typecheck, precedence=SWIG_TYPECHECK_BOOL) gboolean {
    $1 = PyBool_Check($input) || PyLong_Check($input);
}

/* GLib frees what the library allocates. */
%typemap(newfree) char * "g_free($1);";

/* ---- objects handed over through out parameters --------------------- */

%define %impact_out_object(TYPE)
%typemap(in, numinputs=0) TYPE **out (TYPE *_impact_out = NULL) {
    $1 = &_impact_out;
}
%typemap(argout) TYPE **out {
    $result = SWIG_Python_AppendOutput($result,
        SWIG_NewPointerObj(SWIG_as_voidptr(*$1), $*1_descriptor, SWIG_POINTER_OWN));
}
%enddef
%impact_out_object(ImpactTable)
%impact_out_object(ImpactCodebook)
%impact_out_object(ImpactResult)
%impact_out_object(ImpactDesign)
%impact_out_object(ImpactSimulation)

%apply int *OUTPUT { ImpactDomain *out };
%apply int *OUTPUT { ImpactNullDistribution *out };
%apply double *OUTPUT { double *out };
%apply double *OUTPUT { double *min, double *max };
%apply double *OUTPUT { double *out_mean, double *out_var };
%apply unsigned long *OUTPUT { gsize *out_n, gsize *out_index };

/* ---- serialised accumulators: GBytes <-> bytes ---------------------- */

/* Every GBytes * the library returns is the caller's (serialize). */
%typemap(out) GBytes * {
    if ($1 == NULL) {
        $result = SWIG_Py_Void();
    } else {
        gsize size = 0;
        const void *data = g_bytes_get_data($1, &size);
        $result = PyBytes_FromStringAndSize((const char *) data, (Py_ssize_t) size);
        g_bytes_unref($1);
        if ($result == NULL) SWIG_fail;
    }
}
/* Any bytes-like object in (copied). */
%typemap(in) GBytes *bytes (Py_buffer _impact_view) {
    if (PyObject_GetBuffer($input, &_impact_view, PyBUF_SIMPLE) != 0) SWIG_fail;
    $1 = g_bytes_new(_impact_view.buf, (gsize) _impact_view.len);
    PyBuffer_Release(&_impact_view);
}
%typemap(freearg) GBytes *bytes {
    if ($1) g_bytes_unref($1);
}

%apply double *OUTPUT { double *out_alpha, double *lo, double *hi };

/* ---- arrays: NumPy in, without a copy when contiguous float64 -------- */

%numpy_typemaps(double, NPY_DOUBLE, size_t)
%numpy_typemaps(int, NPY_INT, size_t)
%apply (double *IN_ARRAY1, size_t DIM1) { (const double *x, gsize n) };
%apply (int *IN_ARRAY1, size_t DIM1) { (const int *codes, gsize n) };
%apply (int *IN_ARRAY1, size_t DIM1) { (const gboolean *keep, gsize n) };

/* ---- strings -------------------------------------------------------- */

/* A sequence of str (None = missing) and its length. */
%define %impact_str_array(ARGS, NONE_OK)
%typemap(in) ARGS (PyObject *_impact_seq = NULL) {
    _impact_seq = PySequence_Fast($input, "expected a sequence of str");
    if (_impact_seq == NULL) SWIG_fail;
    $2 = (gsize) PySequence_Fast_GET_SIZE(_impact_seq);
    $1 = ($1_ltype) g_new0(const char *, $2 + 1);
    for (gsize _i = 0; _i < $2; _i++) {
        PyObject *o = PySequence_Fast_GET_ITEM(_impact_seq, (Py_ssize_t) _i);
        if (NONE_OK && o == Py_None) {
            continue;
        }
        if (!PyUnicode_Check(o)) {
            PyErr_Format(PyExc_TypeError, "element %zu is not a str%s", (size_t) _i,
                         NONE_OK ? " or None" : "");
            SWIG_fail;
        }
        ((const char **) $1)[_i] = PyUnicode_AsUTF8(o);
        if ($1[_i] == NULL) SWIG_fail;
    }
}
%typemap(freearg) ARGS {
    g_free((gpointer) $1);
    Py_XDECREF(_impact_seq$argnum);
}
%enddef
%impact_str_array(%arg((const char *const *values, gsize n)), 1)
%impact_str_array(%arg((const char *const *levels, gsize n_levels)), 0)

/* A NULL-terminated string vector from a sequence of str (None = NULL):
 * function arguments and struct members (role maps, exempt roles...). */
%typemap(in) const char *const * (PyObject *_impact_seq = NULL) {
    if ($input == Py_None) {
        $1 = NULL;
    } else {
        _impact_seq = PySequence_Fast($input, "expected a sequence of str");
        if (_impact_seq == NULL) SWIG_fail;
        gsize n = (gsize) PySequence_Fast_GET_SIZE(_impact_seq);
        $1 = ($1_ltype) g_new0(const char *, n + 1);
        for (gsize _i = 0; _i < n; _i++) {
            PyObject *o = PySequence_Fast_GET_ITEM(_impact_seq, (Py_ssize_t) _i);
            if (!PyUnicode_Check(o)) {
                PyErr_Format(PyExc_TypeError, "element %zu is not a str", (size_t) _i);
                SWIG_fail;
            }
            ((const char **) $1)[_i] = PyUnicode_AsUTF8(o);
            if ($1[_i] == NULL) SWIG_fail;
        }
    }
}
%typemap(freearg) const char *const * {
    g_free((gpointer) $1);
    Py_XDECREF(_impact_seq$argnum);
}
%typemap(out) const char *const * {
    $result = PyList_New(0);
    for (gsize _i = 0; $result != NULL && $1 != NULL && $1[_i] != NULL; _i++) {
        PyObject *s = PyUnicode_FromString($1[_i]);
        if (s == NULL || PyList_Append($result, s) != 0) {
            Py_XDECREF(s);
            Py_CLEAR($result);
            break;
        }
        Py_DECREF(s);
    }
    if ($result == NULL) SWIG_fail;
}

/* Bytes or str in memory (codebook / responses from a buffer). */
%typemap(in) (const char *data, gsize len) (Py_buffer _impact_view, int _impact_have = 0) {
    if (PyUnicode_Check($input)) {
        Py_ssize_t len = 0;
        $1 = ($1_ltype) PyUnicode_AsUTF8AndSize($input, &len);
        if ($1 == NULL) SWIG_fail;
        $2 = (gsize) len;
    } else {
        if (PyObject_GetBuffer($input, &_impact_view, PyBUF_SIMPLE) != 0) SWIG_fail;
        _impact_have = 1;
        $1 = ($1_ltype) _impact_view.buf;
        $2 = (gsize) _impact_view.len;
    }
}
%typemap(freearg) (const char *data, gsize len) {
    if (_impact_have$argnum) PyBuffer_Release(&_impact_view$argnum);
}

/* ---- helpers: table columns out as NumPy arrays (copies) ------------- */

%feature("nothreadallow") impact_py_table_numeric;
%feature("nothreadallow") impact_py_table_codes;
%feature("nothreadallow") impact_py_table_levels;

%inline %{
/** The values of NUMERIC column @col as a new float64 array (NaN = missing). */
PyObject *
impact_py_table_numeric(const ImpactTable *table, gsize col)
{
    const double *x = impact_table_numeric(table, col);
    if (x == NULL) {
        PyErr_Format(PyExc_IndexError, "column %zu is not a numeric column", (size_t) col);
        return NULL;
    }
    npy_intp n = (npy_intp) impact_table_n_rows(table);
    PyObject *a = PyArray_SimpleNew(1, &n, NPY_DOUBLE);
    if (a != NULL && n > 0) {
        memcpy(PyArray_DATA((PyArrayObject *) a), x, (size_t) n * sizeof(double));
    }
    return a;
}

/** The level codes of TEXT column @col as a new int64 array (-1 = missing). */
PyObject *
impact_py_table_codes(const ImpactTable *table, gsize col)
{
    const guint32 *c = impact_table_codes(table, col);
    if (c == NULL) {
        PyErr_Format(PyExc_IndexError, "column %zu is not a text column", (size_t) col);
        return NULL;
    }
    npy_intp n = (npy_intp) impact_table_n_rows(table);
    PyObject *a = PyArray_SimpleNew(1, &n, NPY_INT64);
    if (a != NULL) {
        gint64 *out = PyArray_DATA((PyArrayObject *) a);
        for (npy_intp i = 0; i < n; i++) {
            out[i] = c[i] == IMPACT_TABLE_NA ? -1 : (gint64) c[i];
        }
    }
    return a;
}

/** The levels of TEXT column @col as a new list of str. */
PyObject *
impact_py_table_levels(const ImpactTable *table, gsize col)
{
    gsize n = impact_table_n_levels(table, col);
    PyObject *l = PyList_New((Py_ssize_t) n);
    for (gsize i = 0; l != NULL && i < n; i++) {
        const char *s = impact_table_level(table, col, (guint32) i);
        PyObject *o = PyUnicode_DecodeUTF8(s, (Py_ssize_t) strlen(s), "replace");
        if (o == NULL) {
            Py_CLEAR(l);
            break;
        }
        PyList_SET_ITEM(l, (Py_ssize_t) i, o);
    }
    return l;
}
%}

/* ---- progress callbacks: a Python callable ---------------------------- */

%{
/* Calls the Python callable with the fraction done; any true value or None
 * goes on. The library may call from a worker thread: take the GIL. An
 * exception cancels (the Python layer wraps callables so they never raise;
 * a stray exception is printed, not lost in a foreign thread). */
static gboolean
impact_py_progress(double fraction, gpointer data)
{
    PyGILState_STATE st = PyGILState_Ensure();
    gboolean go = TRUE;
    PyObject *r = PyObject_CallFunction((PyObject *) data, "d", fraction);
    if (r == NULL) {
        PyErr_WriteUnraisable((PyObject *) data);
        go = FALSE;
    } else {
        go = r == Py_None || PyObject_IsTrue(r) == 1;
        PyErr_Clear();
        Py_DECREF(r);
    }
    PyGILState_Release(st);
    return go;
}

static void
impact_py_decref(gpointer obj)
{
    PyGILState_STATE st = PyGILState_Ensure();
    Py_DECREF((PyObject *) obj);
    PyGILState_Release(st);
}
%}

%define %impact_py_progress(TYPE)
%feature("nothreadallow") TYPE::set_progress;
%extend TYPE {
    /** Sets the progress callback: callable(fraction) -> bool (False cancels),
        or None to remove it. The struct keeps a reference. */
    PyObject *set_progress(PyObject *callable) {
        if (callable == Py_None) {
            $self->progress = NULL;
            $self->progress_data = NULL;
        } else {
            if (!PyCallable_Check(callable)) {
                PyErr_SetString(PyExc_TypeError, "progress must be callable");
                return NULL;
            }
            Py_INCREF(callable);
            impact_bind_pool_keep($self, callable, impact_py_decref);
            $self->progress = impact_py_progress;
            $self->progress_data = callable;
        }
        Py_RETURN_NONE;
    }
}
%enddef
%impact_py_progress(ImpactEvaluateOptions)
%impact_py_progress(ImpactChangeOptions)

%pythoncode %{
ImpactError = _impact.ImpactError
%}
