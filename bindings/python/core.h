/*
 * justice_quarterly._core — shared declarations of the CPython extension.
 *
 * The extension is thin: three handle types (Dataset, Criteria, Results)
 * whose methods call the public C API one to one. Conversions to Python
 * idioms (Decimal, datetime.date, named tuples, mappings) live in the pure
 * Python package around it.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef JQL_PY_CORE_H
#define JQL_PY_CORE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <justice_quarterly.h>

/* A dataset handle. `readers` counts threads using it with the GIL released
 * (scoring, saving); builder methods refuse to run while it is not 0. */
typedef struct {
    PyObject_HEAD
    jql_dataset *ds;
    PyObject *warnings; /* list of Diagnostic from loading */
    int readers;
} JqlDatasetObject;

/* A criteria handle. `callbacks` maps a custom function name to the
 * CustomFunction registered for it: the C registration borrows that reference. */
typedef struct {
    PyObject_HEAD
    jql_criteria *c;
    PyObject *callbacks;
    PyObject *warnings;
    int readers;
} JqlCriteriaObject;

/* Scoring results; they keep the dataset and criteria they came from alive. */
typedef struct {
    PyObject_HEAD
    jql_results *r;
    PyObject *dataset;
    PyObject *criteria;
    PyObject *records; /* evidence record dicts by record number, or NULL (core_results.c) */
} JqlResultsObject;

extern PyTypeObject JqlDataset_Type;
extern PyTypeObject JqlCriteria_Type;
extern PyTypeObject JqlResults_Type;

/* Raise the Python exception for a failed jql_ call. Reads jql_last_error()
 * first, so call it right after the failing function. @p diag (may be NULL)
 * becomes ValidationError.errors; @p filename is used for OSError.
 * @p saved_errno is errno right after the call. Always returns NULL. */
/* jqlpy_raise() with the binding's own message instead of the library's. */
PyObject *jqlpy_raise_text(int status, const char *text);
PyObject *jqlpy_raise(int status, const jql_diagnostics *diag, PyObject *filename,
                      int saved_errno);

/* A list of Diagnostic named tuples (only entries of @p severity, or every
 * entry when severity < 0). NULL with an exception set on failure. */
PyObject *jqlpy_diagnostics(const jql_diagnostics *diag, int severity);

/* RuntimeError unless the object is free for modification. */
int jqlpy_check_writable(int readers, const char *what);

/* Optional string (None → NULL). */
PyObject *jqlpy_str_or_none(const char *s);
/* A jql_write_fn for streamed documents (results, plans): each chunk goes to
   file.write(bytes), user being the file (the GIL is held); -1 with the
   file's exception set when it raised. */
int jqlpy_file_write(void *user, const char *data, size_t len);

/* Date (days since 1970-01-01) → int, JQL_NO_DATE → None. */
PyObject *jqlpy_date_or_none(jql_date d);

/* Thousandths → int, JQL_NO_SCORE → None. */
PyObject *jqlpy_milli_or_none(jql_milli m);

/* Parsers for PyArg "O&": optional date (None → JQL_NO_DATE) and optional
 * thousandths (None → JQL_NO_SCORE), both given as Python ints. */
int jqlpy_conv_date(PyObject *o, void *out);
int jqlpy_conv_milli(PyObject *o, void *out);

/* Run a load function and build an instance of @p type around the result. */
PyObject *jqlpy_dataset_new_from(PyTypeObject *type, jql_dataset *ds, jql_diagnostics *diag);

/* A custom function as registered (justice_quarterly._core.CustomFunction,
 * made by Criteria.register): what the trampoline calls and how it turns the
 * return into thousandths. */
typedef struct {
    PyObject_HEAD
    PyObject *func;    /* the user's function (Criteria.functions) */
    PyObject *what;    /* "custom function 'name'", for the messages */
    PyObject *points;  /* points(value, what, node) -> thousandths, for any value the
                          trampoline does not convert itself (and every error) */
    PyObject *context; /* context=True: (the CustomContext tuple subclass to make, with a
                          __dict__ for its _call; dec(milli) -> the leaf's max); else NULL */
} JqlCustomFunctionObject;

extern PyTypeObject JqlCustomFunction_Type;

/* Register @p fn, a JqlCustomFunctionObject (borrowed: the caller keeps it
 * alive), as custom function @p name of the criteria set. Returns the
 * library status. */
int jqlpy_register(JqlCriteriaObject *self, const char *name, PyObject *fn);

/* The bytes of a loads() argument, stable while the GIL is released: bytes
 * are used in place (the export held in @p view), anything mutable is copied
 * into *copy. -1 with an exception set on failure. Release with
 * jqlpy_stable_buffer_release(view, *copy). */
int jqlpy_stable_buffer(PyObject *obj, Py_buffer *view, const char **data, size_t *len,
                        char **copy);
void jqlpy_stable_buffer_release(Py_buffer *view, char *copy);

/* The score() function of the module. */
PyObject *jqlpy_score(PyObject *module, PyObject *args, PyObject *kwargs);

/* Editing and analysis functions (core_analysis.c), added to the module. */
extern PyMethodDef jqlpy_analysis_methods[];

/* Readers of the results through the C accessors (core_results.c), made
 * methods of the Results type; jqlpy_results_init() prepares their interned
 * keys and the Decimal type. */
extern PyMethodDef jqlpy_results_methods[];
int jqlpy_results_init(void);

/* decimal.Decimal, imported once by the module's init before
 * jqlpy_results_init() (_core.c): the custom calls recognise it, the
 * results make their Decimals with it. */
extern PyObject *jqlpy_decimal_type;

/* Shared by core_results.c and core_frames.c (DataFrame columns, whose
 * methods are jqlpy_frame_methods): thousandths as the results JSON's
 * Decimal; a results string (NULL → None); a unit's held_back as the JSON
 * has it; the name of a source and of a unit value (new references). */
extern PyMethodDef jqlpy_frame_methods[];
PyObject *jqlpy_decimal(jql_milli m);
PyObject *jqlpy_res_str(const char *s);
PyObject *jqlpy_held_back(const jql_results *r, size_t k);
PyObject *jqlpy_source_name(jql_result_source s);
PyObject *jqlpy_field_key(jql_result_field f);
/* A results string made once per address while the cache lives (the GIL
 * held, nothing freed): empty it with jqlpy_text_cache_clear() before and
 * after each use. */
PyObject *jqlpy_cached_str(const char *s);
void jqlpy_text_cache_clear(void);

/* Dataset._statistics_columns (core_frames.c): {column: list | bytearray},
 * one row per statistic in record order, as Dataset.statistics_dataframe
 * documents them; numbers packed doubles when @p as_float, else Decimal/None. */
PyObject *jqlpy_stat_columns(const jql_dataset *ds, bool as_float, bool rollup);

#endif /* JQL_PY_CORE_H */
