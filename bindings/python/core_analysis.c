/*
 * justice_quarterly._core analysis functions: editing criteria sets and the
 * what-if analyses (docs/ANALYSIS.md). Thin: each calls one C function; the
 * JSON they return is the library's own, so it is byte-identical to the
 * CLI's and the Lua binding's.
 *
 * SPDX-License-Identifier: MIT
 */
#include "core.h"

#include <string.h>

static PyObject *take_json(int rc, char *text, size_t len)
{
    if (rc != JQL_OK)
        return jqlpy_raise(rc, NULL, NULL, 0);
    PyObject *s = PyUnicode_DecodeUTF8(text, (Py_ssize_t)len, "strict");
    jql_free(text);
    return s;
}

static int alive_criteria(JqlCriteriaObject *c)
{
    if (c->c)
        return 0;
    PyErr_SetString(PyExc_ValueError, "the criteria set has been cleared");
    return -1;
}

static PyObject *py_criteria_to_json(PyObject *m, PyObject *args)
{
    JqlCriteriaObject *c;
    if (!PyArg_ParseTuple(args, "O!:criteria_to_json", &JqlCriteria_Type, &c) ||
        alive_criteria(c) < 0)
        return NULL;
    char *text = NULL;
    size_t len = 0;
    int rc = jql_criteria_to_json(c->c, &text, &len);
    return take_json(rc, text, len);
}

/* A copy of the set; the copy's C registrations borrow the same callables,
   which its own `callbacks` dict keeps alive. */
static PyObject *py_criteria_clone(PyObject *m, PyObject *args)
{
    JqlCriteriaObject *c;
    if (!PyArg_ParseTuple(args, "O!:criteria_clone", &JqlCriteria_Type, &c) ||
        alive_criteria(c) < 0)
        return NULL;
    PyObject *callbacks = PyDict_Copy(c->callbacks);
    PyObject *warnings = callbacks ? PyList_New(0) : NULL;
    PyTypeObject *type = Py_TYPE(c);
    JqlCriteriaObject *self = warnings ? (JqlCriteriaObject *)type->tp_alloc(type, 0) : NULL;
    if (!self) {
        Py_XDECREF(callbacks);
        Py_XDECREF(warnings);
        return NULL;
    }
    self->c = NULL;
    self->callbacks = callbacks;
    self->warnings = warnings;
    self->readers = 0;
    int rc = jql_criteria_clone(c->c, &self->c);
    if (rc != JQL_OK) {
        jqlpy_raise(rc, NULL, NULL, 0);
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

/* criteria_edit(criteria, op, node_or_tier, ...) -> warnings */
static PyObject *py_criteria_edit(PyObject *m, PyObject *args)
{
    JqlCriteriaObject *c;
    const char *op, *id;
    PyObject *rest;
    if (!PyArg_ParseTuple(args, "O!ssO!:criteria_edit", &JqlCriteria_Type, &c, &op, &id,
                          &PyTuple_Type, &rest) ||
        alive_criteria(c) < 0)
        return NULL;
    if (jqlpy_check_writable(c->readers, "criteria set") < 0)
        return NULL;
    jql_diagnostics *diag = NULL;
    long long a = 0, b = 0, v = 0;
    int flag = 0;
    int rc;
    if (strcmp(op, "max") == 0) {
        if (!PyArg_ParseTuple(rest, "Lp", &v, &flag))
            return NULL;
        rc = jql_criteria_set_max(c->c, id, v, flag ? JQL_EDIT_KEEP_TOTAL : 0, &diag);
    } else if (strcmp(op, "condition") == 0) {
        /* band (-1: boolean condition), bound 0..3, present, value */
        if (!PyArg_ParseTuple(rest, "LLpL", &a, &b, &flag, &v))
            return NULL;
        if (b < 0 || b > 3) {
            PyErr_SetString(PyExc_ValueError, "unknown bound");
            return NULL;
        }
        rc = jql_criteria_set_condition(c->c, id, a < 0 ? JQL_NONE : (size_t)a, (jql_bound)b,
                                        flag, v, &diag);
    } else if (strcmp(op, "band_points") == 0) {
        if (!PyArg_ParseTuple(rest, "LL", &a, &v))
            return NULL;
        rc = jql_criteria_set_band_points(c->c, id, a < 0 ? JQL_NONE : (size_t)a, v, &diag);
    } else if (strcmp(op, "target") == 0) {
        if (!PyArg_ParseTuple(rest, "L", &v))
            return NULL;
        rc = jql_criteria_set_target(c->c, id, v, &diag);
    } else if (strcmp(op, "tier_min") == 0) {
        if (!PyArg_ParseTuple(rest, "L", &v))
            return NULL;
        rc = jql_criteria_set_tier_min(c->c, id, v, &diag);
    } else if (strcmp(op, "quota_share") == 0) {
        if (!PyArg_ParseTuple(rest, "L", &v))
            return NULL;
        rc = jql_criteria_set_quota_share(c->c, id, v, &diag);
    } else if (strcmp(op, "enabled") == 0) {
        if (!PyArg_ParseTuple(rest, "p", &flag))
            return NULL;
        rc = jql_criteria_set_enabled(c->c, id, flag, &diag);
    } else {
        PyErr_Format(PyExc_ValueError, "unknown edit %s", op);
        return NULL;
    }
    PyObject *res = rc == JQL_OK ? jqlpy_diagnostics(diag, JQL_SEVERITY_WARNING)
                                 : jqlpy_raise(rc, diag, NULL, 0);
    jql_diagnostics_free(diag);
    return res;
}

static PyObject *py_compare(PyObject *m, PyObject *args)
{
    JqlResultsObject *x, *y;
    if (!PyArg_ParseTuple(args, "O!O!:compare", &JqlResults_Type, &x, &JqlResults_Type, &y))
        return NULL;
    char *text = NULL;
    size_t len = 0;
    int rc = jql_results_compare_json(x->r, y->r, &text, &len);
    return take_json(rc, text, len);
}

static PyObject *py_sensitivity(PyObject *m, PyObject *args)
{
    JqlResultsObject *r;
    long long percent;
    unsigned int runs, flags;
    unsigned long long seed;
    if (!PyArg_ParseTuple(args, "O!LIKI:sensitivity", &JqlResults_Type, &r, &percent, &runs,
                          &seed, &flags))
        return NULL;
    JqlCriteriaObject *c = (JqlCriteriaObject *)r->criteria;
    if (!c || alive_criteria(c) < 0)
        return NULL;
    jql_sensitivity_options o = JQL_SENSITIVITY_OPTIONS_INIT;
    o.percent = percent;
    o.runs = runs;
    o.seed = seed;
    o.flags = flags;
    jql_sensitivity *s = NULL;
    char *text = NULL;
    size_t len = 0;
    int rc;
    c->readers++;
    Py_BEGIN_ALLOW_THREADS
    rc = jql_sensitivity_run(r->r, c->c, &o, &s);
    if (rc == JQL_OK)
        rc = jql_sensitivity_to_json(s, &text, &len);
    jql_sensitivity_free(s);
    Py_END_ALLOW_THREADS
    c->readers--;
    return take_json(rc, text, len);
}

static PyObject *py_plans(PyObject *m, PyObject *args)
{
    JqlResultsObject *r;
    if (!PyArg_ParseTuple(args, "O!:plans", &JqlResults_Type, &r))
        return NULL;
    JqlCriteriaObject *c = (JqlCriteriaObject *)r->criteria;
    if (!c || alive_criteria(c) < 0)
        return NULL;
    char *text = NULL;
    size_t len = 0;
    int rc = jql_improvement_plans_json(r->r, c->c, &text, &len);
    return take_json(rc, text, len);
}

static PyObject *py_trend(PyObject *m, PyObject *args)
{
    PyObject *seq;
    if (!PyArg_ParseTuple(args, "O:trend", &seq))
        return NULL;
    PyObject *fast = PySequence_Fast(seq, "trend() takes a sequence of results");
    if (!fast)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    if (n <= 0 || (size_t)n > JQL_TREND_MAX_PERIODS) {
        Py_DECREF(fast);
        PyErr_Format(PyExc_ValueError, "trend() takes 1 to %u results", JQL_TREND_MAX_PERIODS);
        return NULL;
    }
    const jql_results *rs[JQL_TREND_MAX_PERIODS];
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *o = PySequence_Fast_GET_ITEM(fast, i);
        if (!PyObject_TypeCheck(o, &JqlResults_Type)) {
            Py_DECREF(fast);
            PyErr_SetString(PyExc_TypeError, "trend() takes results");
            return NULL;
        }
        rs[i] = ((JqlResultsObject *)o)->r;
    }
    char *text = NULL;
    size_t len = 0;
    int rc = jql_results_trend_json(rs, (size_t)n, &text, &len);
    Py_DECREF(fast);
    return take_json(rc, text, len);
}

PyMethodDef jqlpy_analysis_methods[] = {
    {"criteria_to_json", py_criteria_to_json, METH_VARARGS, "criteria_to_json(c) -> str"},
    {"criteria_clone", py_criteria_clone, METH_VARARGS, "criteria_clone(c) -> Criteria"},
    {"criteria_edit", py_criteria_edit, METH_VARARGS,
     "criteria_edit(c, op, id, args) -> warnings; raises ValidationError"},
    {"compare", py_compare, METH_VARARGS, "compare(before, after) -> str (JSON)"},
    {"sensitivity", py_sensitivity, METH_VARARGS,
     "sensitivity(results, percent_milli, runs, seed, flags) -> str (JSON)"},
    {"plans", py_plans, METH_VARARGS, "plans(results) -> str (JSON)"},
    {"trend", py_trend, METH_VARARGS, "trend([results]) -> str (JSON)"},
    {NULL, NULL, 0, NULL},
};
