/*
 * justice_quarterly._core.Dataset — the dataset handle: loading, saving,
 * record access, the builder and the queries, one method per C function.
 * Dates cross as ints (days since 1970-01-01, None for "no date") and
 * numbers as ints of thousandths; the Python package converts them.
 *
 * SPDX-License-Identifier: MIT
 */
#include "core.h"

#include <errno.h>
#include <string.h>

#define SELF ((JqlDatasetObject *)self)
#define DS (SELF->ds)

enum kind {
    K_UNIT, K_PERIOD, K_INDICATOR, K_STAT, K_REPORT, K_TASK, K_SHORTCOMING, K_DIRECTIVE,
    K_ASSESSMENT, K_EVENT, K_COUNT
};
static const char *const kind_names[K_COUNT] = {
    "units", "periods", "indicators", "statistics", "reports",
    "tasks", "shortcomings", "directives", "assessments", "events",
};

static int parse_kind(PyObject *o, void *out)
{
    const char *name = PyUnicode_Check(o) ? PyUnicode_AsUTF8(o) : NULL;
    for (int k = 0; name && k < K_COUNT; k++)
        if (strcmp(name, kind_names[k]) == 0) {
            *(int *)out = k;
            return 1;
        }
    if (!PyErr_Occurred())
        PyErr_Format(PyExc_ValueError, "unknown record kind %R", o);
    return 0;
}

static size_t count_of(const jql_dataset *ds, int k)
{
    switch (k) {
    case K_UNIT: return jql_unit_count(ds);
    case K_PERIOD: return jql_period_count(ds);
    case K_INDICATOR: return jql_indicator_count(ds);
    case K_STAT: return jql_stat_count(ds);
    case K_REPORT: return jql_report_count(ds);
    case K_TASK: return jql_task_count(ds);
    case K_SHORTCOMING: return jql_shortcoming_count(ds);
    case K_DIRECTIVE: return jql_directive_count(ds);
    case K_ASSESSMENT: return jql_assessment_count(ds);
    default: return jql_event_count(ds);
    }
}

/* IndexError unless 0 <= i < count of kind k. */
static int check_index(const jql_dataset *ds, int k, Py_ssize_t i)
{
    if (i >= 0 && (size_t)i < count_of(ds, k))
        return 0;
    PyErr_Format(PyExc_IndexError, "%s index %zd out of range", kind_names[k], i);
    return -1;
}

static int writable(PyObject *self)
{
    return jqlpy_check_writable(SELF->readers, "dataset");
}

static PyObject *unit_ref(const jql_dataset *ds, size_t u)
{
    if (u == JQL_NONE)
        Py_RETURN_NONE;
    return jqlpy_str_or_none(jql_unit_id(ds, u));
}

/* A tuple of n items made by item(ds, i, k). */
static PyObject *tuple_of(const jql_dataset *ds, size_t i, size_t n,
                          PyObject *(*item)(const jql_dataset *, size_t, size_t))
{
    PyObject *t = PyTuple_New((Py_ssize_t)n);
    for (size_t k = 0; t && k < n; k++) {
        PyObject *v = item(ds, i, k);
        if (!v) {
            Py_CLEAR(t);
            break;
        }
        PyTuple_SET_ITEM(t, (Py_ssize_t)k, v);
    }
    return t;
}

static PyObject *child_item(const jql_dataset *ds, size_t i, size_t k)
{
    return unit_ref(ds, jql_unit_child(ds, i, k));
}
static PyObject *owner_item(const jql_dataset *ds, size_t i, size_t k)
{
    return unit_ref(ds, jql_task_owner(ds, i, k));
}
static PyObject *sc_unit_item(const jql_dataset *ds, size_t i, size_t k)
{
    return unit_ref(ds, jql_shortcoming_unit(ds, i, k));
}
static PyObject *sc_cause_item(const jql_dataset *ds, size_t i, size_t k)
{
    return Py_BuildValue("(NN)", jqlpy_str_or_none(jql_shortcoming_cause_kind(ds, i, k)),
                         jqlpy_str_or_none(jql_shortcoming_cause_text(ds, i, k)));
}
static PyObject *dir_unit_item(const jql_dataset *ds, size_t i, size_t k)
{
    return unit_ref(ds, jql_directive_unit(ds, i, k));
}
static PyObject *dir_level_item(const jql_dataset *ds, size_t i, size_t k)
{
    return jqlpy_str_or_none(jql_directive_level(ds, i, k));
}
static PyObject *dir_answer_item(const jql_dataset *ds, size_t i, size_t k)
{
    return jqlpy_str_or_none(jql_directive_answer(ds, i, k));
}

static PyObject *unit_attrs(const jql_dataset *ds, size_t i)
{
    PyObject *d = PyDict_New();
    size_t n = jql_unit_attr_count(ds, i);
    for (size_t k = 0; d && k < n; k++) {
        PyObject *key = jqlpy_str_or_none(jql_unit_attr_key(ds, i, k));
        PyObject *val = jqlpy_str_or_none(jql_unit_attr_value(ds, i, k));
        if (!key || !val || PyDict_SetItem(d, key, val) < 0)
            Py_CLEAR(d);
        Py_XDECREF(key);
        Py_XDECREF(val);
    }
    return d;
}

static PyObject *period_record(const jql_dataset *ds, size_t i)
{
    const char *id = jql_period_id(ds, i);
    jql_period_kind kind = JQL_PERIOD_CUSTOM;
    jql_date start = JQL_NO_DATE, end = JQL_NO_DATE;
    if (jql_period_resolve(ds, id, &kind, &start, &end) != JQL_OK)
        return jqlpy_raise(JQL_ERROR, NULL, NULL, 0);
    return Py_BuildValue("(NNiNN)", jqlpy_str_or_none(id), jqlpy_str_or_none(jql_period_name(ds, i)),
                         (int)kind, jqlpy_date_or_none(start), jqlpy_date_or_none(end));
}

/* Days late of report i, -1 when never submitted (JQL_ENODATA). */
static int days_late(const jql_dataset *ds, size_t i)
{
    int32_t d = -1;
    return jql_report_days_late(ds, i, &d) == JQL_OK ? (int)d : -1;
}

/* The fields of record i of kind k as a tuple (see records.py for the order). */
static PyObject *record(const jql_dataset *ds, int k, size_t i)
{
    switch (k) {
    case K_UNIT:
        return Py_BuildValue("(NNNNNNN)", jqlpy_str_or_none(jql_unit_id(ds, i)),
                             jqlpy_str_or_none(jql_unit_name(ds, i)),
                             jqlpy_str_or_none(jql_unit_level(ds, i)),
                             unit_ref(ds, jql_unit_parent(ds, i)),
                             jqlpy_str_or_none(jql_unit_cluster(ds, i)), unit_attrs(ds, i),
                             tuple_of(ds, i, jql_unit_child_count(ds, i), child_item));
    case K_PERIOD:
        return period_record(ds, i);
    case K_INDICATOR:
        return Py_BuildValue("(NNNNi)", jqlpy_str_or_none(jql_indicator_id(ds, i)),
                             jqlpy_str_or_none(jql_indicator_name(ds, i)),
                             jqlpy_str_or_none(jql_indicator_measure_unit(ds, i)),
                             jqlpy_str_or_none(jql_indicator_field(ds, i)),
                             (int)jql_indicator_aggregation(ds, i));
    case K_STAT:
        return Py_BuildValue("(NNNL)", unit_ref(ds, jql_stat_unit(ds, i)),
                             jqlpy_str_or_none(jql_indicator_id(ds, jql_stat_indicator(ds, i))),
                             jqlpy_str_or_none(jql_stat_period(ds, i)),
                             (long long)jql_stat_value(ds, i));
    case K_REPORT:
        return Py_BuildValue("(NNNNNNi)", unit_ref(ds, jql_report_unit(ds, i)),
                             jqlpy_str_or_none(jql_report_period(ds, i)),
                             jqlpy_str_or_none(jql_report_kind(ds, i)),
                             jqlpy_date_or_none(jql_report_due(ds, i)),
                             jqlpy_date_or_none(jql_report_submitted(ds, i)),
                             PyBool_FromLong(jql_report_complete(ds, i)),
                             days_late(ds, i));
    case K_TASK:
        return Py_BuildValue("(NNNNNNiN)", jqlpy_str_or_none(jql_task_id(ds, i)),
                             jqlpy_str_or_none(jql_task_title(ds, i)),
                             jqlpy_str_or_none(jql_task_field(ds, i)),
                             jqlpy_str_or_none(jql_task_period(ds, i)),
                             tuple_of(ds, i, jql_task_owner_count(ds, i), owner_item),
                             jqlpy_date_or_none(jql_task_due(ds, i)),
                             (int)jql_task_get_status(ds, i),
                             jqlpy_date_or_none(jql_task_completed(ds, i)));
    case K_SHORTCOMING:
        return Py_BuildValue("(NNNNNNN)", jqlpy_str_or_none(jql_shortcoming_id(ds, i)),
                             jqlpy_str_or_none(jql_shortcoming_period(ds, i)),
                             tuple_of(ds, i, jql_shortcoming_unit_count(ds, i), sc_unit_item),
                             jqlpy_str_or_none(jql_shortcoming_field(ds, i)),
                             jqlpy_str_or_none(jql_shortcoming_text(ds, i)),
                             tuple_of(ds, i, jql_shortcoming_cause_count(ds, i), sc_cause_item),
                             jqlpy_str_or_none(jql_shortcoming_resolved(ds, i)));
    case K_DIRECTIVE:
        return Py_BuildValue("(NNNNNNNNiN)", jqlpy_str_or_none(jql_directive_id(ds, i)),
                             jqlpy_date_or_none(jql_directive_issued(ds, i)),
                             unit_ref(ds, jql_directive_issuer(ds, i)),
                             tuple_of(ds, i, jql_directive_unit_count(ds, i), dir_unit_item),
                             tuple_of(ds, i, jql_directive_level_count(ds, i), dir_level_item),
                             jqlpy_str_or_none(jql_directive_text(ds, i)),
                             jqlpy_date_or_none(jql_directive_due(ds, i)),
                             tuple_of(ds, i, jql_directive_answer_count(ds, i), dir_answer_item),
                             (int)jql_directive_get_status(ds, i),
                             jqlpy_date_or_none(jql_directive_completed(ds, i)));
    case K_ASSESSMENT:
        return Py_BuildValue("(NNNNNNN)", unit_ref(ds, jql_assessment_unit(ds, i)),
                             jqlpy_str_or_none(jql_assessment_period(ds, i)),
                             jqlpy_str_or_none(jql_assessment_criterion(ds, i)),
                             jqlpy_milli_or_none(jql_assessment_self(ds, i)),
                             jqlpy_milli_or_none(jql_assessment_appraised(ds, i)),
                             PyBool_FromLong(jql_assessment_not_applicable(ds, i)),
                             jqlpy_str_or_none(jql_assessment_evidence(ds, i)));
    default:
        return Py_BuildValue("(NNNNNN)", unit_ref(ds, jql_event_unit(ds, i)),
                             jqlpy_date_or_none(jql_event_date(ds, i)),
                             jqlpy_str_or_none(jql_event_kind(ds, i)),
                             jqlpy_str_or_none(jql_event_text(ds, i)),
                             jqlpy_milli_or_none(jql_event_points(ds, i)),
                             jqlpy_str_or_none(jql_event_evidence(ds, i)));
    }
}

/* ---- type slots -------------------------------------------------------------- */

PyObject *jqlpy_dataset_new_from(PyTypeObject *type, jql_dataset *ds, jql_diagnostics *diag)
{
    PyObject *warnings = jqlpy_diagnostics(diag, JQL_SEVERITY_WARNING);
    jql_diagnostics_free(diag);
    JqlDatasetObject *self = warnings ? (JqlDatasetObject *)type->tp_alloc(type, 0) : NULL;
    if (!self) {
        Py_XDECREF(warnings);
        jql_dataset_free(ds);
        return NULL;
    }
    self->ds = ds;
    self->warnings = warnings;
    self->readers = 0;
    return (PyObject *)self;
}

static PyObject *ds_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    jql_dataset *ds = jql_dataset_new();
    if (!ds)
        return PyErr_NoMemory();
    return jqlpy_dataset_new_from(type, ds, NULL);
}

static int ds_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(SELF->warnings);
    return 0;
}

static int ds_clear(PyObject *self)
{
    Py_CLEAR(SELF->warnings);
    return 0;
}

static void ds_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    ds_clear(self);
    jql_dataset_free(DS);
    DS = NULL;
    Py_TYPE(self)->tp_free(self);
}

/* ---- loading and saving -------------------------------------------------------- */

static PyObject *ds_load_path(PyObject *type, PyObject *args)
{
    PyObject *path;
    Py_ssize_t max_input = 0;
    if (!PyArg_ParseTuple(args, "O&|n:_load_path", PyUnicode_FSConverter, &path, &max_input))
        return NULL;
    jql_load_options lo = JQL_LOAD_OPTIONS_INIT;
    lo.max_input_bytes = max_input > 0 ? (size_t)max_input : 0;
    jql_dataset *ds = NULL;
    jql_diagnostics *diag = NULL;
    int rc, err;
    Py_BEGIN_ALLOW_THREADS
    errno = 0;
    rc = jql_dataset_load_path_ext(PyBytes_AS_STRING(path), &lo, &ds, &diag);
    err = errno;
    Py_END_ALLOW_THREADS
    if (rc != JQL_OK) {
        PyObject *name = PyUnicode_DecodeFSDefault(PyBytes_AS_STRING(path));
        jqlpy_raise(rc, diag, name, err);
        Py_XDECREF(name);
        Py_DECREF(path);
        jql_diagnostics_free(diag);
        return NULL;
    }
    Py_DECREF(path);
    return jqlpy_dataset_new_from((PyTypeObject *)type, ds, diag);
}

static PyObject *ds_load_buffer(PyObject *type, PyObject *args)
{
    PyObject *obj;
    Py_buffer buf;
    const char *source = NULL, *data;
    Py_ssize_t max_input = 0;
    size_t len;
    char *copy;
    if (!PyArg_ParseTuple(args, "O|zn:_load_buffer", &obj, &source, &max_input) ||
        jqlpy_stable_buffer(obj, &buf, &data, &len, &copy) < 0)
        return NULL;
    jql_load_options lo = JQL_LOAD_OPTIONS_INIT;
    lo.max_input_bytes = max_input > 0 ? (size_t)max_input : 0;
    jql_dataset *ds = NULL;
    jql_diagnostics *diag = NULL;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = jql_dataset_load_buffer_ext(data, len, source, &lo, &ds, &diag);
    Py_END_ALLOW_THREADS
    jqlpy_stable_buffer_release(&buf, copy);
    if (rc != JQL_OK) {
        jqlpy_raise(rc, diag, NULL, 0);
        jql_diagnostics_free(diag);
        return NULL;
    }
    return jqlpy_dataset_new_from((PyTypeObject *)type, ds, diag);
}

static PyObject *ds_to_json(PyObject *self, PyObject *unused)
{
    char *text = NULL;
    size_t len = 0;
    int rc;
    SELF->readers++;
    Py_BEGIN_ALLOW_THREADS
    rc = jql_dataset_to_json(DS, &text, &len);
    Py_END_ALLOW_THREADS
    SELF->readers--;
    if (rc != JQL_OK)
        return jqlpy_raise(rc, NULL, NULL, 0);
    PyObject *s = PyUnicode_DecodeUTF8(text, (Py_ssize_t)len, "strict");
    jql_free(text);
    return s;
}

static PyObject *ds_save(PyObject *self, PyObject *args)
{
    PyObject *path;
    if (!PyArg_ParseTuple(args, "O&:_save", PyUnicode_FSConverter, &path))
        return NULL;
    int rc, err;
    SELF->readers++;
    Py_BEGIN_ALLOW_THREADS
    errno = 0;
    rc = jql_dataset_save_path(DS, PyBytes_AS_STRING(path));
    err = errno;
    Py_END_ALLOW_THREADS
    SELF->readers--;
    if (rc != JQL_OK) {
        PyObject *name = PyUnicode_DecodeFSDefault(PyBytes_AS_STRING(path));
        jqlpy_raise(rc, NULL, name, err);
        Py_XDECREF(name);
        Py_DECREF(path);
        return NULL;
    }
    Py_DECREF(path);
    Py_RETURN_NONE;
}

static PyObject *ds_check(PyObject *self, PyObject *unused)
{
    jql_diagnostics *diag = NULL;
    int rc = jql_dataset_check(DS, &diag);
    PyObject *res = rc == JQL_OK ? jqlpy_diagnostics(diag, JQL_SEVERITY_WARNING)
                                 : jqlpy_raise(rc, diag, NULL, 0);
    jql_diagnostics_free(diag);
    return res;
}

/* ---- records -------------------------------------------------------------------- */

static PyObject *ds_count(PyObject *self, PyObject *args)
{
    int k;
    if (!PyArg_ParseTuple(args, "O&:_count", parse_kind, &k))
        return NULL;
    return PyLong_FromSize_t(count_of(DS, k));
}

static PyObject *ds_get(PyObject *self, PyObject *args)
{
    int k;
    Py_ssize_t i;
    if (!PyArg_ParseTuple(args, "O&n:_get", parse_kind, &k, &i) || check_index(DS, k, i) < 0)
        return NULL;
    return record(DS, k, (size_t)i);
}

/* Index of the record with this id, or None. */
static PyObject *ds_find(PyObject *self, PyObject *args)
{
    int k;
    const char *id;
    if (!PyArg_ParseTuple(args, "O&s:_find", parse_kind, &k, &id))
        return NULL;
    size_t index = 0;
    int rc = JQL_ENOTFOUND;
    switch (k) {
    case K_UNIT: rc = jql_unit_find(DS, id, &index); break;
    case K_INDICATOR: rc = jql_indicator_find(DS, id, &index); break;
    case K_TASK: rc = jql_task_find(DS, id, &index); break;
    case K_SHORTCOMING: rc = jql_shortcoming_find(DS, id, &index); break;
    case K_DIRECTIVE: rc = jql_directive_find(DS, id, &index); break;
    case K_PERIOD: rc = jql_period_find(DS, id, &index); break;
    default:
        PyErr_Format(PyExc_ValueError, "%s have no id", kind_names[k]);
        return NULL;
    }
    jql_clear_error();
    if (rc != JQL_OK)
        Py_RETURN_NONE;
    return PyLong_FromSize_t(index);
}

static PyObject *ds_get_name(PyObject *self, void *which)
{
    return jqlpy_str_or_none(which ? jql_dataset_description(DS) : jql_dataset_name(DS));
}

static int ds_set_name(PyObject *self, PyObject *value, void *which)
{
    const char *s = NULL;
    if (value && value != Py_None && !(s = PyUnicode_AsUTF8(value)))
        return -1;
    if (writable(self) < 0)
        return -1;
    int rc = which ? jql_dataset_set_description(DS, s) : jql_dataset_set_name(DS, s);
    if (rc != JQL_OK) {
        jqlpy_raise(rc, NULL, NULL, 0);
        return -1;
    }
    return 0;
}

static PyObject *ds_get_warnings(PyObject *self, void *unused)
{
    if (!SELF->warnings)
        return PyList_New(0);
    return PySequence_List(SELF->warnings);
}

/* ---- builder ---------------------------------------------------------------------- */

/* Return an index (or None) on success, the exception otherwise. */
static PyObject *done(int rc, size_t index, int with_index)
{
    if (rc != JQL_OK)
        return jqlpy_raise(rc, NULL, NULL, 0);
    if (with_index)
        return PyLong_FromSize_t(index);
    Py_RETURN_NONE;
}

typedef int (*set_str_fn)(jql_dataset *, size_t, const char *);

/* (index, str) or (index, str|None) setters share one body. */
static PyObject *set_str(PyObject *self, PyObject *args, int k, set_str_fn fn, int optional)
{
    Py_ssize_t i;
    const char *s;
    if (!PyArg_ParseTuple(args, optional ? "nz" : "ns", &i, &s) || check_index(DS, k, i) < 0 ||
        writable(self) < 0)
        return NULL;
    return done(fn(DS, (size_t)i, s), 0, 0);
}

#define SETTER(name, kind, fn, optional)                                                       \
    static PyObject *name(PyObject *self, PyObject *args)                                      \
    {                                                                                          \
        return set_str(self, args, kind, fn, optional);                                        \
    }
SETTER(ds_unit_set_name, K_UNIT, jql_unit_set_name, 0)
SETTER(ds_unit_set_level, K_UNIT, jql_unit_set_level, 0)
SETTER(ds_unit_set_cluster, K_UNIT, jql_unit_set_cluster, 1)
SETTER(ds_unit_set_parent, K_UNIT, jql_unit_set_parent, 1)
SETTER(ds_indicator_set_field, K_INDICATOR, jql_indicator_set_field, 1)
SETTER(ds_task_add_owner, K_TASK, jql_task_add_owner, 0)
SETTER(ds_task_set_field, K_TASK, jql_task_set_field, 1)
SETTER(ds_task_set_period, K_TASK, jql_task_set_period, 1)
SETTER(ds_shortcoming_add_unit, K_SHORTCOMING, jql_shortcoming_add_unit, 0)
SETTER(ds_shortcoming_set_field, K_SHORTCOMING, jql_shortcoming_set_field, 1)
SETTER(ds_shortcoming_set_resolved, K_SHORTCOMING, jql_shortcoming_set_resolved, 1)
SETTER(ds_directive_add_unit, K_DIRECTIVE, jql_directive_add_unit, 0)
SETTER(ds_directive_add_level, K_DIRECTIVE, jql_directive_add_level, 0)
SETTER(ds_directive_add_answer, K_DIRECTIVE, jql_directive_add_answer, 0)
SETTER(ds_assessment_set_evidence, K_ASSESSMENT, jql_assessment_set_evidence, 1)
SETTER(ds_event_set_evidence, K_EVENT, jql_event_set_evidence, 1)

static PyObject *ds_unit_add(PyObject *self, PyObject *args)
{
    const char *id, *name, *level, *parent;
    size_t index = 0;
    if (!PyArg_ParseTuple(args, "sssz", &id, &name, &level, &parent) || writable(self) < 0)
        return NULL;
    int rc = jql_unit_add(DS, id, name, level, parent, &index);
    return done(rc, index, 1);
}

static PyObject *ds_unit_set_attr(PyObject *self, PyObject *args)
{
    Py_ssize_t i;
    const char *key, *value;
    if (!PyArg_ParseTuple(args, "nsz", &i, &key, &value) || check_index(DS, K_UNIT, i) < 0 ||
        writable(self) < 0)
        return NULL;
    return done(jql_unit_set_attr(DS, (size_t)i, key, value), 0, 0);
}

static PyObject *ds_period_add(PyObject *self, PyObject *args)
{
    const char *id, *name;
    jql_date start, end;
    size_t index = 0;
    if (!PyArg_ParseTuple(args, "szO&O&", &id, &name, jqlpy_conv_date, &start, jqlpy_conv_date,
                          &end) ||
        writable(self) < 0)
        return NULL;
    int rc = jql_period_add(DS, id, name, start, end, &index);
    return done(rc, index, 1);
}

static PyObject *ds_indicator_add(PyObject *self, PyObject *args)
{
    const char *id, *name, *mu;
    int agg;
    size_t index = 0;
    if (!PyArg_ParseTuple(args, "sszi", &id, &name, &mu, &agg) || writable(self) < 0)
        return NULL;
    int rc = jql_indicator_add(DS, id, name, mu, (jql_aggregation)agg, &index);
    return done(rc, index, 1);
}

static PyObject *ds_stat_set(PyObject *self, PyObject *args)
{
    const char *unit, *ind, *period;
    jql_milli v;
    if (!PyArg_ParseTuple(args, "sssO&", &unit, &ind, &period, jqlpy_conv_milli, &v) ||
        writable(self) < 0)
        return NULL;
    if (v == JQL_NO_SCORE) {
        PyErr_SetString(PyExc_TypeError, "a statistic needs a value");
        return NULL;
    }
    return done(jql_stat_set_value(DS, unit, ind, period, v), 0, 0);
}

static PyObject *ds_report_add(PyObject *self, PyObject *args)
{
    const char *unit, *period, *kind;
    jql_date due, submitted;
    int complete;
    size_t index = 0;
    if (!PyArg_ParseTuple(args, "sssO&O&p", &unit, &period, &kind, jqlpy_conv_date, &due,
                          jqlpy_conv_date, &submitted, &complete) ||
        writable(self) < 0)
        return NULL;
    int rc = jql_report_add(DS, unit, period, kind, due, submitted, complete, &index);
    return done(rc, index, 1);
}

static PyObject *ds_report_set_submitted(PyObject *self, PyObject *args)
{
    Py_ssize_t i;
    jql_date submitted;
    int complete;
    if (!PyArg_ParseTuple(args, "nO&p", &i, jqlpy_conv_date, &submitted, &complete) ||
        check_index(DS, K_REPORT, i) < 0 || writable(self) < 0)
        return NULL;
    return done(jql_report_set_submitted(DS, (size_t)i, submitted, complete), 0, 0);
}

static PyObject *ds_task_add(PyObject *self, PyObject *args)
{
    const char *id, *title;
    jql_date due;
    size_t index = 0;
    if (!PyArg_ParseTuple(args, "ssO&", &id, &title, jqlpy_conv_date, &due) || writable(self) < 0)
        return NULL;
    int rc = jql_task_add(DS, id, title, due, &index);
    return done(rc, index, 1);
}

static PyObject *ds_task_set_status(PyObject *self, PyObject *args)
{
    Py_ssize_t i;
    int status;
    jql_date completed;
    if (!PyArg_ParseTuple(args, "niO&", &i, &status, jqlpy_conv_date, &completed) ||
        check_index(DS, K_TASK, i) < 0 || writable(self) < 0)
        return NULL;
    return done(jql_task_set_status(DS, (size_t)i, (jql_task_status)status, completed), 0, 0);
}

static PyObject *ds_shortcoming_add(PyObject *self, PyObject *args)
{
    const char *id, *period, *text;
    size_t index = 0;
    if (!PyArg_ParseTuple(args, "sss", &id, &period, &text) || writable(self) < 0)
        return NULL;
    int rc = jql_shortcoming_add(DS, id, period, text, &index);
    return done(rc, index, 1);
}

static PyObject *ds_shortcoming_add_cause(PyObject *self, PyObject *args)
{
    Py_ssize_t i;
    const char *kind, *text;
    if (!PyArg_ParseTuple(args, "nss", &i, &kind, &text) ||
        check_index(DS, K_SHORTCOMING, i) < 0 || writable(self) < 0)
        return NULL;
    return done(jql_shortcoming_add_cause(DS, (size_t)i, kind, text), 0, 0);
}

static PyObject *ds_directive_add(PyObject *self, PyObject *args)
{
    const char *id, *issuer, *text;
    jql_date issued;
    size_t index = 0;
    if (!PyArg_ParseTuple(args, "sO&ss", &id, jqlpy_conv_date, &issued, &issuer, &text) ||
        writable(self) < 0)
        return NULL;
    int rc = jql_directive_add(DS, id, issued, issuer, text, &index);
    return done(rc, index, 1);
}

static PyObject *ds_directive_set_due(PyObject *self, PyObject *args)
{
    Py_ssize_t i;
    jql_date due;
    if (!PyArg_ParseTuple(args, "nO&", &i, jqlpy_conv_date, &due) ||
        check_index(DS, K_DIRECTIVE, i) < 0 || writable(self) < 0)
        return NULL;
    return done(jql_directive_set_due(DS, (size_t)i, due), 0, 0);
}

static PyObject *ds_directive_set_status(PyObject *self, PyObject *args)
{
    Py_ssize_t i;
    int status;
    jql_date completed;
    if (!PyArg_ParseTuple(args, "niO&", &i, &status, jqlpy_conv_date, &completed) ||
        check_index(DS, K_DIRECTIVE, i) < 0 || writable(self) < 0)
        return NULL;
    return done(jql_directive_set_status(DS, (size_t)i, (jql_directive_status)status, completed),
                0, 0);
}

static PyObject *ds_assessment_add(PyObject *self, PyObject *args)
{
    const char *unit, *period, *criterion;
    jql_milli self_score, appraised;
    size_t index = 0;
    if (!PyArg_ParseTuple(args, "sssO&O&", &unit, &period, &criterion, jqlpy_conv_milli,
                          &self_score, jqlpy_conv_milli, &appraised) ||
        writable(self) < 0)
        return NULL;
    int rc = jql_assessment_add(DS, unit, period, criterion, self_score, appraised, &index);
    return done(rc, index, 1);
}

static PyObject *ds_assessment_set_scores(PyObject *self, PyObject *args)
{
    Py_ssize_t i;
    jql_milli self_score, appraised;
    if (!PyArg_ParseTuple(args, "nO&O&", &i, jqlpy_conv_milli, &self_score, jqlpy_conv_milli,
                          &appraised) ||
        check_index(DS, K_ASSESSMENT, i) < 0 || writable(self) < 0)
        return NULL;
    return done(jql_assessment_set_scores(DS, (size_t)i, self_score, appraised), 0, 0);
}

static PyObject *ds_assessment_set_not_applicable(PyObject *self, PyObject *args)
{
    Py_ssize_t i;
    int na;
    if (!PyArg_ParseTuple(args, "np", &i, &na) || check_index(DS, K_ASSESSMENT, i) < 0 ||
        writable(self) < 0)
        return NULL;
    return done(jql_assessment_set_not_applicable(DS, (size_t)i, na), 0, 0);
}

static PyObject *ds_assessment_find(PyObject *self, PyObject *args)
{
    const char *unit, *period, *criterion;
    size_t index = 0;
    if (!PyArg_ParseTuple(args, "sss", &unit, &period, &criterion))
        return NULL;
    int rc = jql_assessment_find(DS, unit, period, criterion, &index);
    if (rc == JQL_ENOTFOUND) {
        jql_clear_error();
        Py_RETURN_NONE;
    }
    return done(rc, index, 1);
}

static PyObject *ds_event_add(PyObject *self, PyObject *args)
{
    const char *unit, *kind, *text;
    jql_date date;
    size_t index = 0;
    if (!PyArg_ParseTuple(args, "sO&sz", &unit, jqlpy_conv_date, &date, &kind, &text) ||
        writable(self) < 0)
        return NULL;
    int rc = jql_event_add(DS, unit, date, kind, text, &index);
    return done(rc, index, 1);
}

static PyObject *ds_event_set_points(PyObject *self, PyObject *args)
{
    Py_ssize_t i;
    jql_milli points;
    if (!PyArg_ParseTuple(args, "nO&", &i, jqlpy_conv_milli, &points) ||
        check_index(DS, K_EVENT, i) < 0 || writable(self) < 0)
        return NULL;
    return done(jql_event_set_points(DS, (size_t)i, points), 0, 0);
}

/* ---- queries ---------------------------------------------------------------------- */

/* Arguments of the list queries; each adapter below picks what it needs. */
typedef struct {
    const jql_dataset *ds;
    const char *unit, *period, *kind;
    jql_date as_of;
} qargs;

typedef long (*list_fn)(const qargs *q, size_t *out, size_t cap);

/* A list query's status and count as one number (negative: the status).
   The caller calls the query first: argument order is unspecified. */
static long counted(int rc, size_t n)
{
    return rc != JQL_OK ? rc : (long)n;
}

static long q_reports(const qargs *q, size_t *out, size_t cap)
{
    size_t n = 0;
    int rc = jql_reports_in_period(q->ds, q->unit, q->period, q->kind, out, cap, &n);
    return counted(rc, n);
}
static long q_reports_late(const qargs *q, size_t *out, size_t cap)
{
    size_t n = 0;
    int rc = jql_reports_late(q->ds, q->unit, q->period, q->kind, out, cap, &n);
    return counted(rc, n);
}
static long q_tasks_due(const qargs *q, size_t *out, size_t cap)
{
    size_t n = 0;
    int rc = jql_tasks_due(q->ds, q->unit, q->period, out, cap, &n);
    return counted(rc, n);
}
static long q_tasks_overdue(const qargs *q, size_t *out, size_t cap)
{
    size_t n = 0;
    int rc = jql_tasks_overdue(q->ds, q->unit, q->as_of, out, cap, &n);
    return counted(rc, n);
}
static long q_shortcomings_open(const qargs *q, size_t *out, size_t cap)
{
    size_t n = 0;
    int rc = jql_shortcomings_open(q->ds, NULL, q->period, out, cap, &n);
    return counted(rc, n);
}
static long q_directives_due(const qargs *q, size_t *out, size_t cap)
{
    size_t n = 0;
    int rc = jql_directives_due(q->ds, q->unit, q->period, out, cap, &n);
    return counted(rc, n);
}
static long q_events(const qargs *q, size_t *out, size_t cap)
{
    size_t n = 0;
    int rc = jql_events_in_period(q->ds, q->unit, q->period, q->kind, out, cap, &n);
    return counted(rc, n);
}

/* Size, fill, and return the indices as a list of ints. */
static PyObject *index_list(list_fn fn, const qargs *q)
{
    long n = fn(q, NULL, 0);
    if (n < 0)
        return jqlpy_raise((int)n, NULL, NULL, 0);
    size_t *out = PyMem_Calloc((size_t)n + 1, sizeof *out);
    if (!out)
        return PyErr_NoMemory();
    long m = fn(q, out, (size_t)n);
    PyObject *list = m < 0 ? jqlpy_raise((int)m, NULL, NULL, 0) : PyList_New(0);
    for (long k = 0; list && k < m && k < n; k++) {
        PyObject *v = PyLong_FromSize_t(out[k]);
        if (!v || PyList_Append(list, v) < 0)
            Py_CLEAR(list);
        Py_XDECREF(v);
    }
    PyMem_Free(out);
    return list;
}

static PyObject *ds_reports_in_period(PyObject *self, PyObject *args)
{
    qargs q = {.ds = DS};
    if (!PyArg_ParseTuple(args, "ssz", &q.unit, &q.period, &q.kind))
        return NULL;
    return index_list(q_reports, &q);
}

static PyObject *ds_reports_late(PyObject *self, PyObject *args)
{
    qargs q = {.ds = DS};
    if (!PyArg_ParseTuple(args, "ssz", &q.unit, &q.period, &q.kind))
        return NULL;
    return index_list(q_reports_late, &q);
}

/* Index of the report of (unit, period, kind) by jql_report_find, or None. */
static PyObject *ds_report_find(PyObject *self, PyObject *args)
{
    const char *unit, *period, *kind;
    if (!PyArg_ParseTuple(args, "sss:_report_find", &unit, &period, &kind))
        return NULL;
    size_t index = 0;
    int rc = jql_report_find(DS, unit, period, kind, &index);
    if (rc == JQL_ENOTFOUND) {
        jql_clear_error();
        Py_RETURN_NONE;
    }
    if (rc != JQL_OK)
        return jqlpy_raise(rc, NULL, NULL, 0);
    return PyLong_FromSize_t(index);
}

/* (standing name, days late or None, incomplete) of report i as of a date
   (None: no cut-off), by jql_report_get_standing. */
static PyObject *ds_report_standing(PyObject *self, PyObject *args)
{
    Py_ssize_t i;
    jql_date as_of;
    if (!PyArg_ParseTuple(args, "nO&:_report_standing", &i, jqlpy_conv_date, &as_of))
        return NULL;
    jql_report_standing st;
    int32_t days = -1;
    bool incomplete = false;
    int rc = i < 0 ? JQL_ENOTFOUND
                   : jql_report_get_standing(DS, (size_t)i, as_of, &st, &days, &incomplete);
    if (rc != JQL_OK)
        return jqlpy_raise(rc, NULL, NULL, 0);
    PyObject *d = days >= 0 ? PyLong_FromLong(days) : Py_NewRef(Py_None);
    return d ? Py_BuildValue("(sNN)", jql_report_standing_name(st), d, PyBool_FromLong(incomplete))
             : NULL;
}

/* Whether directive i was done by a date (None: by now): jql_directive_done_by. */
static PyObject *ds_directive_done_by(PyObject *self, PyObject *args)
{
    Py_ssize_t i;
    jql_date as_of;
    if (!PyArg_ParseTuple(args, "nO&:_directive_done_by", &i, jqlpy_conv_date, &as_of))
        return NULL;
    bool done = false;
    int rc = i < 0 ? JQL_ENOTFOUND : jql_directive_done_by(DS, (size_t)i, as_of, &done);
    if (rc != JQL_OK)
        return jqlpy_raise(rc, NULL, NULL, 0);
    return PyBool_FromLong(done);
}

static PyObject *ds_tasks_due(PyObject *self, PyObject *args)
{
    qargs q = {.ds = DS};
    if (!PyArg_ParseTuple(args, "zs", &q.unit, &q.period))
        return NULL;
    return index_list(q_tasks_due, &q);
}

static PyObject *ds_tasks_overdue(PyObject *self, PyObject *args)
{
    qargs q = {.ds = DS};
    if (!PyArg_ParseTuple(args, "zO&", &q.unit, jqlpy_conv_date, &q.as_of))
        return NULL;
    return index_list(q_tasks_overdue, &q);
}

static PyObject *ds_shortcomings_open(PyObject *self, PyObject *args)
{
    qargs q = {.ds = DS};
    if (!PyArg_ParseTuple(args, "s", &q.period))
        return NULL;
    return index_list(q_shortcomings_open, &q);
}

static PyObject *ds_directives_due(PyObject *self, PyObject *args)
{
    qargs q = {.ds = DS};
    if (!PyArg_ParseTuple(args, "zs", &q.unit, &q.period))
        return NULL;
    return index_list(q_directives_due, &q);
}

static PyObject *ds_events_in_period(PyObject *self, PyObject *args)
{
    qargs q = {.ds = DS};
    if (!PyArg_ParseTuple(args, "zzs", &q.unit, &q.kind, &q.period))
        return NULL;
    return index_list(q_events, &q);
}

/* A thousandths result: the value, None for "no data", or the exception. */
static PyObject *milli_result(int rc, jql_milli v)
{
    if (rc == JQL_ENODATA) {
        jql_clear_error();
        Py_RETURN_NONE;
    }
    if (rc != JQL_OK)
        return jqlpy_raise(rc, NULL, NULL, 0);
    return PyLong_FromLongLong(v);
}

static PyObject *ds_value(PyObject *self, PyObject *args)
{
    const char *unit, *ind, *period;
    int rollup = 0;
    jql_milli v = 0;
    if (!PyArg_ParseTuple(args, "sss|p", &unit, &ind, &period, &rollup))
        return NULL;
    int rc = jql_indicator_value(DS, unit, ind, period, rollup ? JQL_ROLLUP : 0, &v);
    return milli_result(rc, v);
}

static PyObject *ds_value_change(PyObject *self, PyObject *args)
{
    const char *unit, *ind, *period;
    int rollup = 0;
    jql_milli cur = JQL_NO_SCORE, prev = JQL_NO_SCORE, delta = JQL_NO_SCORE, pct = JQL_NO_SCORE;
    if (!PyArg_ParseTuple(args, "sss|p", &unit, &ind, &period, &rollup))
        return NULL;
    int rc = jql_indicator_value_change(DS, unit, ind, period, rollup ? JQL_ROLLUP : 0, &cur, &prev,
                              &delta, &pct);
    if (rc != JQL_OK && rc != JQL_ENODATA)
        return jqlpy_raise(rc, NULL, NULL, 0);
    jql_clear_error();
    return Py_BuildValue("(NNNN)", jqlpy_milli_or_none(cur), jqlpy_milli_or_none(prev),
                         jqlpy_milli_or_none(delta), jqlpy_milli_or_none(pct));
}

static PyObject *ds_statistics_columns(PyObject *self, PyObject *args)
{
    int as_float, rollup;
    if (!PyArg_ParseTuple(args, "pp:_statistics_columns", &as_float, &rollup))
        return NULL;
    return jqlpy_stat_columns(DS, as_float, rollup);
}

static PyObject *ds_tasks_completion_share(PyObject *self, PyObject *args)
{
    const char *unit, *period;
    jql_milli v = 0;
    if (!PyArg_ParseTuple(args, "zs", &unit, &period))
        return NULL;
    int rc = jql_tasks_completion_share(DS, unit, period, &v);
    return milli_result(rc, v);
}

static PyObject *ds_directives_completion_share(PyObject *self, PyObject *args)
{
    const char *unit, *period;
    jql_milli v = 0;
    if (!PyArg_ParseTuple(args, "zs", &unit, &period))
        return NULL;
    int rc = jql_directives_completion_share(DS, unit, period, &v);
    return milli_result(rc, v);
}

/* The library's tally as a dict keyed by the library's own field names, so
   a field added to jql_tally appears here without a change. */
static PyObject *ds_tally(PyObject *self, PyObject *args)
{
    const char *unit, *period, *as_of, *kind, *field;
    int rollup = 0;
    if (!PyArg_ParseTuple(args, "zzpzzz", &unit, &period, &rollup, &as_of, &kind, &field))
        return NULL;
    jql_tally_options o = JQL_TALLY_OPTIONS_INIT;
    o.flags = rollup ? JQL_ROLLUP : 0;
    o.as_of = as_of;
    o.report_kind = kind;
    o.task_field = field;
    jql_tally t = JQL_TALLY_INIT;
    int rc = jql_tally_compute(DS, unit, period, &o, &t);
    if (rc != JQL_OK)
        return jqlpy_raise(rc, NULL, NULL, 0);
    PyObject *d = PyDict_New();
    for (size_t f = 0; d && f < jql_tally_field_count(); f++) {
        size_t v = 0;
        PyObject *n = NULL;
        if (jql_tally_get(&t, (jql_tally_field)f, &v) != JQL_OK)
            continue; /* a field newer than the struct this binding was built with */
        n = PyLong_FromSize_t(v);
        if (!n || PyDict_SetItemString(d, jql_tally_field_name((jql_tally_field)f), n) < 0)
            Py_CLEAR(d);
        Py_XDECREF(n);
    }
    return d;
}

static PyObject *ds_period_resolve(PyObject *self, PyObject *args)
{
    const char *id;
    if (!PyArg_ParseTuple(args, "s", &id))
        return NULL;
    jql_period_kind kind;
    jql_date start, end;
    int rc = jql_period_resolve(DS, id, &kind, &start, &end);
    if (rc != JQL_OK)
        return jqlpy_raise(rc, NULL, NULL, 0);
    return Py_BuildValue("(iNN)", (int)kind, jqlpy_date_or_none(start), jqlpy_date_or_none(end));
}

static PyObject *ds_period_contains(PyObject *self, PyObject *args)
{
    const char *outer, *inner;
    if (!PyArg_ParseTuple(args, "ss", &outer, &inner))
        return NULL;
    bool inside = false;
    int rc = jql_period_contains(DS, outer, inner, &inside);
    if (rc != JQL_OK)
        return jqlpy_raise(rc, NULL, NULL, 0);
    return PyBool_FromLong(inside);
}

typedef int (*period_step_fn)(const jql_dataset *, const char *, char *, size_t);

static PyObject *period_step(PyObject *self, PyObject *args, period_step_fn fn)
{
    const char *id;
    if (!PyArg_ParseTuple(args, "s", &id))
        return NULL;
    char buf[JQL_MAX_ID_BYTES + 1];
    int rc = fn(DS, id, buf, sizeof buf);
    if (rc != JQL_OK)
        return jqlpy_raise(rc, NULL, NULL, 0);
    return jqlpy_str_or_none(buf);
}

static PyObject *ds_period_previous(PyObject *self, PyObject *args)
{
    return period_step(self, args, jql_period_previous);
}

static PyObject *ds_period_year_before(PyObject *self, PyObject *args)
{
    return period_step(self, args, jql_period_year_before);
}

static PyObject *ds_period_next(PyObject *self, PyObject *args)
{
    return period_step(self, args, jql_period_next);
}

static PyObject *ds_period_display_name(PyObject *self, PyObject *args)
{
    const char *id, *lang;
    if (!PyArg_ParseTuple(args, "ss", &id, &lang))
        return NULL;
    char buf[4 * JQL_MAX_ID_BYTES + 64];
    int rc = jql_period_display_name(DS, id, lang, buf, sizeof buf);
    if (rc != JQL_OK)
        return jqlpy_raise(rc, NULL, NULL, 0);
    return PyUnicode_FromString(buf);
}

static PyObject *ds_unit_descendants(PyObject *self, PyObject *args)
{
    Py_ssize_t i;
    if (!PyArg_ParseTuple(args, "n", &i) || check_index(DS, K_UNIT, i) < 0)
        return NULL;
    size_t n = jql_unit_descendants(DS, (size_t)i, NULL, 0);
    size_t *out = PyMem_Calloc(n + 1, sizeof *out);
    if (!out)
        return PyErr_NoMemory();
    n = jql_unit_descendants(DS, (size_t)i, out, n);
    PyObject *t = PyTuple_New((Py_ssize_t)n);
    for (size_t k = 0; t && k < n; k++) {
        PyObject *v = unit_ref(DS, out[k]);
        if (!v)
            Py_CLEAR(t);
        else
            PyTuple_SET_ITEM(t, (Py_ssize_t)k, v);
    }
    PyMem_Free(out);
    return t;
}

static PyObject *ds_unit_depth(PyObject *self, PyObject *args)
{
    Py_ssize_t i;
    if (!PyArg_ParseTuple(args, "n", &i) || check_index(DS, K_UNIT, i) < 0)
        return NULL;
    return PyLong_FromSize_t(jql_unit_depth(DS, (size_t)i));
}

/* ---- CSV import ------------------------------------------------------------------- */

/* _csv_import(buffer, source, kind, separator, decimal_mark, period, max_input_size=0)
   -> warnings. All or nothing (the library's guarantee); raises
   ValidationError with every located problem, LimitError above the limit. */
static PyObject *ds_csv_import(PyObject *self, PyObject *args)
{
    Py_buffer buf;
    const char *source = NULL, *period = NULL;
    int kind, sep, mark;
    Py_ssize_t max_input = 0;
    if (!PyArg_ParseTuple(args, "y*ziCCz|n:_csv_import", &buf, &source, &kind, &sep, &mark,
                          &period, &max_input))
        return NULL;
    if (writable(self) < 0) {
        PyBuffer_Release(&buf);
        return NULL;
    }
    jql_csv_options o = JQL_CSV_OPTIONS_INIT;
    o.kind = (jql_csv_kind)kind;
    o.separator = sep == ' ' ? 0 : (char)sep;
    o.decimal_mark = mark == ' ' ? 0 : (char)mark;
    o.period = period;
    jql_load_options lo = JQL_LOAD_OPTIONS_INIT;
    lo.max_input_bytes = max_input > 0 ? (size_t)max_input : 0;
    jql_diagnostics *diag = NULL;
    int rc = jql_csv_import_buffer_ext(DS, buf.buf, (size_t)buf.len, source, &o, &lo, &diag);
    PyBuffer_Release(&buf);
    PyObject *res = rc == JQL_OK ? jqlpy_diagnostics(diag, JQL_SEVERITY_WARNING)
                                 : jqlpy_raise(rc, diag, NULL, 0);
    jql_diagnostics_free(diag);
    return res;
}

/* ---- labels and documents (jql_label_*, jql_document_*) -------------------------------- */

/* A list of (key, value) pairs of one label's names or one document's fields. */
static PyObject *pairs(const jql_dataset *ds, size_t i, size_t (*count)(const jql_dataset *, size_t),
                       const char *(*key)(const jql_dataset *, size_t, size_t),
                       const char *(*value)(const jql_dataset *, size_t, size_t))
{
    size_t n = count(ds, i);
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t k = 0; list && k < n; k++) {
        PyObject *t = Py_BuildValue("(NN)", jqlpy_str_or_none(key(ds, i, k)),
                                    jqlpy_str_or_none(value(ds, i, k)));
        if (!t)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, (Py_ssize_t)k, t);
    }
    return list;
}

/* _labels() -> [(kind, id, [(lang, name)...])...] in the order first set */
static PyObject *ds_labels(PyObject *self, PyObject *unused)
{
    size_t n = jql_label_count(DS);
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        PyObject *t = Py_BuildValue("(NNN)", jqlpy_str_or_none(jql_label_kind(DS, i)),
                                    jqlpy_str_or_none(jql_label_id(DS, i)),
                                    pairs(DS, i, jql_label_name_count, jql_label_name_lang,
                                          jql_label_name_text));
        if (!t)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, (Py_ssize_t)i, t);
    }
    return list;
}

/* _label(kind, id, lang) -> str | None */
static PyObject *ds_label(PyObject *self, PyObject *args)
{
    const char *kind, *id, *lang;
    if (!PyArg_ParseTuple(args, "sss:_label", &kind, &id, &lang))
        return NULL;
    return jqlpy_str_or_none(jql_label_lookup(DS, kind, id, lang));
}

/* _label_set(kind, id, lang, name | None) */
static PyObject *ds_label_set(PyObject *self, PyObject *args)
{
    const char *kind, *id, *lang, *name;
    if (!PyArg_ParseTuple(args, "sssz:_label_set", &kind, &id, &lang, &name) ||
        writable(self) < 0)
        return NULL;
    return done(jql_label_set(DS, kind, id, lang, name), 0, 0);
}

/* _documents() -> [(period, [(field, value)...])...] */
static PyObject *ds_documents(PyObject *self, PyObject *unused)
{
    size_t n = jql_document_count(DS);
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        PyObject *t = Py_BuildValue("(NN)", jqlpy_str_or_none(jql_document_period(DS, i)),
                                    pairs(DS, i, jql_document_field_count,
                                          jql_document_field_key, jql_document_field_value));
        if (!t)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, (Py_ssize_t)i, t);
    }
    return list;
}

/* _document(period) -> [(field, value)...] of that period (jql_document_find), [] when none */
static PyObject *ds_document(PyObject *self, PyObject *args)
{
    const char *period;
    if (!PyArg_ParseTuple(args, "s:_document", &period))
        return NULL;
    size_t i;
    if (jql_document_find(DS, period, &i) != JQL_OK) {
        jql_clear_error();
        return PyList_New(0);
    }
    return pairs(DS, i, jql_document_field_count, jql_document_field_key,
                 jql_document_field_value);
}

/* _document_set(period, field, value | None) */
static PyObject *ds_document_set(PyObject *self, PyObject *args)
{
    const char *period, *field, *value;
    if (!PyArg_ParseTuple(args, "ssz:_document_set", &period, &field, &value) ||
        writable(self) < 0)
        return NULL;
    return done(jql_document_set(DS, period, field, value), 0, 0);
}

/* ---- the type ------------------------------------------------------------------------ */

#define M(name, fn, doc) {name, (PyCFunction)fn, METH_VARARGS, doc}
static PyMethodDef ds_methods[] = {
    {"_load_path", (PyCFunction)ds_load_path, METH_VARARGS | METH_CLASS,
     "_load_path(path, max_input_size=0) -> Dataset (GIL released while reading)"},
    {"_load_buffer", (PyCFunction)ds_load_buffer, METH_VARARGS | METH_CLASS,
     "_load_buffer(buffer, source=None, max_input_size=0) -> Dataset (GIL released while parsing)"},
    {"_to_json", ds_to_json, METH_NOARGS, "_to_json() -> str: canonical JSON"},
    M("_save", ds_save, "_save(path): atomic canonical save"),
    {"_check", ds_check, METH_NOARGS, "_check() -> warnings; raises ValidationError"},
    M("_csv_import", ds_csv_import,
      "_csv_import(buffer, source, kind, separator, decimal_mark, period, max_input_size=0)"
      " -> warnings"),
    M("_count", ds_count, "_count(kind) -> int"),
    {"_labels", ds_labels, METH_NOARGS, "_labels() -> [(kind, id, [(lang, name)...])...]"},
    M("_label", ds_label, "_label(kind, id, lang) -> str | None (jql_label_lookup)"),
    M("_label_set", ds_label_set, "_label_set(kind, id, lang, name | None) (jql_label_set)"),
    {"_documents", ds_documents, METH_NOARGS, "_documents() -> [(period, [(field, value)...])...]"},
    M("_document_set", ds_document_set,
      "_document_set(period, field, value | None) (jql_document_set)"),
    M("_get", ds_get, "_get(kind, index) -> tuple of the record's fields"),
    M("_find", ds_find, "_find(kind, id) -> index or None"),
    M("_unit_add", ds_unit_add, NULL),
    M("_unit_set_name", ds_unit_set_name, NULL),
    M("_unit_set_level", ds_unit_set_level, NULL),
    M("_unit_set_cluster", ds_unit_set_cluster, NULL),
    M("_unit_set_parent", ds_unit_set_parent, NULL),
    M("_unit_set_attr", ds_unit_set_attr, NULL),
    M("_unit_descendants", ds_unit_descendants, NULL),
    M("_unit_depth", ds_unit_depth, NULL),
    M("_period_add", ds_period_add, NULL),
    M("_period_resolve", ds_period_resolve, NULL),
    M("_period_contains", ds_period_contains, NULL),
    M("_period_previous", ds_period_previous, NULL),
    M("_period_year_before", ds_period_year_before, NULL),
    M("_period_next", ds_period_next, NULL),
    M("_period_display_name", ds_period_display_name, NULL),
    M("_indicator_add", ds_indicator_add, NULL),
    M("_indicator_set_field", ds_indicator_set_field, NULL),
    M("_stat_set", ds_stat_set, NULL),
    M("_report_add", ds_report_add, NULL),
    M("_report_set_submitted", ds_report_set_submitted, NULL),
    M("_task_add", ds_task_add, NULL),
    M("_task_add_owner", ds_task_add_owner, NULL),
    M("_task_set_field", ds_task_set_field, NULL),
    M("_task_set_period", ds_task_set_period, NULL),
    M("_task_set_status", ds_task_set_status, NULL),
    M("_shortcoming_add", ds_shortcoming_add, NULL),
    M("_shortcoming_add_unit", ds_shortcoming_add_unit, NULL),
    M("_shortcoming_add_cause", ds_shortcoming_add_cause, NULL),
    M("_shortcoming_set_field", ds_shortcoming_set_field, NULL),
    M("_shortcoming_set_resolved", ds_shortcoming_set_resolved, NULL),
    M("_directive_add", ds_directive_add, NULL),
    M("_directive_set_due", ds_directive_set_due, NULL),
    M("_directive_add_unit", ds_directive_add_unit, NULL),
    M("_directive_add_level", ds_directive_add_level, NULL),
    M("_directive_add_answer", ds_directive_add_answer, NULL),
    M("_directive_set_status", ds_directive_set_status, NULL),
    M("_assessment_add", ds_assessment_add, NULL),
    M("_assessment_set_scores", ds_assessment_set_scores, NULL),
    M("_assessment_set_not_applicable", ds_assessment_set_not_applicable, NULL),
    M("_assessment_set_evidence", ds_assessment_set_evidence, NULL),
    M("_assessment_find", ds_assessment_find, NULL),
    M("_event_add", ds_event_add, NULL),
    M("_event_set_points", ds_event_set_points, NULL),
    M("_event_set_evidence", ds_event_set_evidence, NULL),
    M("_value", ds_value, NULL),
    M("_value_change", ds_value_change, NULL),
    M("_statistics_columns", ds_statistics_columns,
      "_statistics_columns(as_float, rollup) -> dict of columns, one row per statistic"),
    M("_reports_in_period", ds_reports_in_period, NULL),
    M("_reports_late", ds_reports_late, NULL),
    M("_document", ds_document, NULL),
    M("_report_find", ds_report_find, NULL),
    M("_report_standing", ds_report_standing, NULL),
    M("_directive_done_by", ds_directive_done_by, NULL),
    M("_tasks_due", ds_tasks_due, NULL),
    M("_tasks_overdue", ds_tasks_overdue, NULL),
    M("_tasks_completion_share", ds_tasks_completion_share, NULL),
    M("_shortcomings_open", ds_shortcomings_open, NULL),
    M("_directives_due", ds_directives_due, NULL),
    M("_directives_completion_share", ds_directives_completion_share, NULL),
    M("_events_in_period", ds_events_in_period, NULL),
    M("_tally", ds_tally,
      "_tally(unit, period, rollup, as_of, report_kind, task_field) -> dict of counts"),
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef ds_getset[] = {
    {"name", ds_get_name, ds_set_name, "Optional dataset name (str or None).", NULL},
    {"description", ds_get_name, ds_set_name, "Optional description (str or None).", "d"},
    {"warnings", ds_get_warnings, NULL, "Warnings found while loading (list of Diagnostic).",
     NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject JqlDataset_Type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "justice_quarterly._core.Dataset",
    .tp_basicsize = sizeof(JqlDatasetObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Handle of a C dataset (jql_dataset). Use justice_quarterly.Dataset.",
    .tp_new = ds_new,
    .tp_dealloc = ds_dealloc,
    .tp_traverse = ds_traverse,
    .tp_clear = ds_clear,
    .tp_methods = ds_methods,
    .tp_getset = ds_getset,
};
