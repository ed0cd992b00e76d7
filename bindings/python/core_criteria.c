/*
 * justice_quarterly._core.Criteria and .Results — criteria sets (with the
 * Python callables registered as custom leaf methods) and scoring results.
 *
 * The C registration of a custom function borrows the callable held in the
 * object's `callbacks` dict, so the garbage collector sees every reference
 * (a callable that refers back to its criteria set is an ordinary cycle).
 * Clearing the object frees the C criteria set too, so no borrowed pointer
 * can outlive its callable.
 *
 * SPDX-License-Identifier: MIT
 */
#include "core.h"

#include <errno.h>
#include <string.h>

#define SELF ((JqlCriteriaObject *)self)


static int alive(PyObject *self)
{
    if (SELF->c)
        return 0;
    PyErr_SetString(PyExc_ValueError, "the criteria set has been cleared");
    return -1;
}

static PyObject *cr_new_from(PyTypeObject *type, jql_criteria *c, jql_diagnostics *diag)
{
    PyObject *warnings = jqlpy_diagnostics(diag, JQL_SEVERITY_WARNING);
    jql_diagnostics_free(diag);
    PyObject *callbacks = warnings ? PyDict_New() : NULL;
    JqlCriteriaObject *self = callbacks ? (JqlCriteriaObject *)type->tp_alloc(type, 0) : NULL;
    if (!self) {
        Py_XDECREF(warnings);
        Py_XDECREF(callbacks);
        jql_criteria_free(c);
        return NULL;
    }
    self->c = c;
    self->warnings = warnings;
    self->callbacks = callbacks;
    self->readers = 0;
    return (PyObject *)self;
}

static PyObject *cr_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    PyErr_SetString(PyExc_TypeError,
                    "criteria sets are made with Criteria.load() or Criteria.loads()");
    return NULL;
}

static int cr_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(SELF->callbacks);
    Py_VISIT(SELF->warnings);
    return 0;
}

static int cr_clear(PyObject *self)
{
    jql_criteria_free(SELF->c); /* drops the borrowed callables first */
    SELF->c = NULL;
    Py_CLEAR(SELF->callbacks);
    Py_CLEAR(SELF->warnings);
    return 0;
}

static void cr_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    cr_clear(self);
    Py_TYPE(self)->tp_free(self);
}

static PyObject *cr_load_path(PyObject *type, PyObject *args)
{
    PyObject *path;
    Py_ssize_t max_input = 0;
    if (!PyArg_ParseTuple(args, "O&|n:_load_path", PyUnicode_FSConverter, &path, &max_input))
        return NULL;
    jql_load_options lo = JQL_LOAD_OPTIONS_INIT;
    lo.max_input_bytes = max_input > 0 ? (size_t)max_input : 0;
    jql_criteria *c = NULL;
    jql_diagnostics *diag = NULL;
    int rc, err;
    Py_BEGIN_ALLOW_THREADS
    errno = 0;
    rc = jql_criteria_load_path_ext(PyBytes_AS_STRING(path), &lo, &c, &diag);
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
    return cr_new_from((PyTypeObject *)type, c, diag);
}

static PyObject *cr_load_buffer(PyObject *type, PyObject *args)
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
    jql_criteria *c = NULL;
    jql_diagnostics *diag = NULL;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = jql_criteria_load_buffer_ext(data, len, source, &lo, &c, &diag);
    Py_END_ALLOW_THREADS
    jqlpy_stable_buffer_release(&buf, copy);
    if (rc != JQL_OK) {
        jqlpy_raise(rc, diag, NULL, 0);
        jql_diagnostics_free(diag);
        return NULL;
    }
    return cr_new_from((PyTypeObject *)type, c, diag);
}

static PyObject *cr_register(PyObject *self, PyObject *args)
{
    const char *name;
    PyObject *key, *fn;
    if (!PyArg_ParseTuple(args, "UO:_register", &key, &fn) || alive(self) < 0)
        return NULL;
    Py_ssize_t len;
    if (!(name = PyUnicode_AsUTF8AndSize(key, &len)))
        return NULL;
    if ((size_t)len != strlen(name)) {
        PyErr_SetString(PyExc_ValueError, "embedded null character in the function name");
        return NULL;
    }
    if (!PyObject_TypeCheck(fn, &JqlCustomFunction_Type)) {
        PyErr_SetString(PyExc_TypeError, "_register() takes a CustomFunction");
        return NULL;
    }
    if (jqlpy_check_writable(SELF->readers, "criteria set") < 0)
        return NULL;
    /* Keep the old callable alive until the C side stops pointing at it. */
    PyObject *old = PyDict_GetItemWithError(SELF->callbacks, key);
    if (!old && PyErr_Occurred())
        return NULL;
    Py_XINCREF(old);
    if (PyDict_SetItem(SELF->callbacks, key, fn) < 0) {
        Py_XDECREF(old);
        return NULL;
    }
    int rc = jqlpy_register(SELF, name, fn);
    if (rc != JQL_OK) {
        const char *text = jql_last_error();
        PyObject *msg = PyUnicode_FromString(text && *text ? text : jql_strerror(rc));
        int restored = old ? PyDict_SetItem(SELF->callbacks, key, old)
                           : PyDict_DelItem(SELF->callbacks, key);
        Py_XDECREF(old);
        if (restored < 0 || !msg) {
            Py_XDECREF(msg);
            return NULL;
        }
        /* jqlpy_raise reads the message from the library: repeat it. */
        PyErr_SetObject(rc == JQL_ENOMEM ? PyExc_MemoryError : PyExc_ValueError, msg);
        Py_DECREF(msg);
        return NULL;
    }
    Py_XDECREF(old);
    Py_RETURN_NONE;
}

static PyObject *cr_check(PyObject *self, PyObject *args)
{
    JqlDatasetObject *d;
    if (!PyArg_ParseTuple(args, "O!:_check", &JqlDataset_Type, &d) || alive(self) < 0)
        return NULL;
    jql_diagnostics *diag = NULL;
    int rc = jql_criteria_check(SELF->c, d->ds, &diag);
    PyObject *res = rc == JQL_OK ? jqlpy_diagnostics(diag, JQL_SEVERITY_WARNING)
                                 : jqlpy_raise(rc, diag, NULL, 0);
    jql_diagnostics_free(diag);
    return res;
}

static PyObject *cr_nodes(PyObject *self, PyObject *unused)
{
    if (alive(self) < 0)
        return NULL;
    const jql_criteria *c = SELF->c;
    size_t n = jql_criteria_node_count(c);
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        size_t parent = jql_criteria_node_parent(c, i);
        PyObject *item = Py_BuildValue(
            "(NNLNN)", jqlpy_str_or_none(jql_criteria_node_id(c, i)),
            jqlpy_str_or_none(jql_criteria_node_title(c, i)),
            (long long)jql_criteria_node_max(c, i),
            parent == JQL_NONE ? Py_NewRef(Py_None)
                               : jqlpy_str_or_none(jql_criteria_node_id(c, parent)),
            PyBool_FromLong(jql_criteria_node_is_leaf(c, i)));
        if (!item)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, (Py_ssize_t)i, item);
    }
    return list;
}

static PyObject *cr_tiers(PyObject *self, PyObject *unused)
{
    if (alive(self) < 0)
        return NULL;
    const jql_criteria *c = SELF->c;
    size_t n = jql_criteria_tier_count(c);
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        PyObject *item = Py_BuildValue("(NNL)", jqlpy_str_or_none(jql_criteria_tier_id(c, i)),
                                       jqlpy_str_or_none(jql_criteria_tier_name(c, i)),
                                       (long long)jql_criteria_tier_min(c, i));
        if (!item)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, (Py_ssize_t)i, item);
    }
    return list;
}

static PyObject *cr_get(PyObject *self, void *which)
{
    if (alive(self) < 0)
        return NULL;
    switch ((char)(Py_intptr_t)which) {
    case 'i': return jqlpy_str_or_none(jql_criteria_id(SELF->c));
    case 'n': return jqlpy_str_or_none(jql_criteria_name(SELF->c));
    case 'p': return jqlpy_str_or_none(jql_criteria_period(SELF->c));
    case 's': return PyLong_FromLongLong(jql_criteria_scale(SELF->c));
    default: return PySequence_List(SELF->warnings);
    }
}

static PyObject *cr_get_callbacks(PyObject *self, void *unused)
{
    if (alive(self) < 0)
        return NULL;
    return PyDict_Copy(SELF->callbacks);
}

static PyMethodDef cr_methods[] = {
    {"_load_path", (PyCFunction)cr_load_path, METH_VARARGS | METH_CLASS,
     "_load_path(path, max_input=0) -> Criteria (GIL released while reading)"},
    {"_load_buffer", (PyCFunction)cr_load_buffer, METH_VARARGS | METH_CLASS,
     "_load_buffer(buffer, source=None, max_input=0) -> Criteria"},
    {"_register", cr_register, METH_VARARGS,
     "_register(name, CustomFunction): register it as custom function name"},
    {"_check", cr_check, METH_VARARGS, "_check(dataset) -> warnings; raises ValidationError"},
    {"_nodes", cr_nodes, METH_NOARGS, "_nodes() -> [(id, title, max, parent, is_leaf)]"},
    {"_tiers", cr_tiers, METH_NOARGS, "_tiers() -> [(id, name, min)]"},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef cr_getset[] = {
    {"id", cr_get, NULL, "Id of the criteria set.", (void *)'i'},
    {"name", cr_get, NULL, "Name of the criteria set, or None.", (void *)'n'},
    {"period", cr_get, NULL, "Default scored period id.", (void *)'p'},
    {"_scale", cr_get, NULL, "Scale in thousandths.", (void *)'s'},
    {"warnings", cr_get, NULL, "Warnings found while loading (list of Diagnostic).",
     (void *)'w'},
    {"_callbacks", cr_get_callbacks, NULL, "Registered CustomFunctions by name (a copy).", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject JqlCriteria_Type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "justice_quarterly._core.Criteria",
    .tp_basicsize = sizeof(JqlCriteriaObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Handle of a C criteria set (jql_criteria). Use justice_quarterly.Criteria.",
    .tp_new = cr_new,
    .tp_dealloc = cr_dealloc,
    .tp_traverse = cr_traverse,
    .tp_clear = cr_clear,
    .tp_methods = cr_methods,
    .tp_getset = cr_getset,
};

/* ---- results ------------------------------------------------------------------- */

#define RES ((JqlResultsObject *)self)

static int res_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(RES->dataset);
    Py_VISIT(RES->criteria);
    Py_VISIT(RES->records);
    return 0;
}

static int res_clear(PyObject *self)
{
    Py_CLEAR(RES->dataset);
    Py_CLEAR(RES->criteria);
    Py_CLEAR(RES->records);
    return 0;
}

static void res_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    res_clear(self);
    jql_results_free(RES->r);
    RES->r = NULL;
    Py_TYPE(self)->tp_free(self);
}

static PyObject *res_to_json(PyObject *self, PyObject *args)
{
    char *text = NULL;
    size_t len = 0;
    int level = JQL_EVIDENCE_FULL;
    if (!PyArg_ParseTuple(args, "|i:to_json", &level))
        return NULL;
    int rc = jql_results_to_json_level(RES->r, (jql_evidence_level)level, &text, &len);
    if (rc != JQL_OK)
        return jqlpy_raise(rc, NULL, NULL, 0);
    PyObject *s = PyUnicode_DecodeUTF8(text, (Py_ssize_t)len, "strict");
    jql_free(text);
    return s;
}

int jqlpy_file_write(void *user, const char *data, size_t len)
{
    PyObject *r = PyObject_CallMethod((PyObject *)user, "write", "y#", data, (Py_ssize_t)len);
    Py_XDECREF(r);
    return r ? 0 : -1;
}

static PyObject *res_write(PyObject *self, PyObject *args)
{
    PyObject *file;
    int level = JQL_EVIDENCE_FULL;
    if (!PyArg_ParseTuple(args, "O|i:_write", &file, &level))
        return NULL;
    int rc = jql_results_write_cb(RES->r, jqlpy_file_write, file, (jql_evidence_level)level);
    if (PyErr_Occurred())
        return NULL; /* the file's own exception */
    if (rc != JQL_OK)
        return jqlpy_raise(rc, NULL, NULL, 0);
    Py_RETURN_NONE;
}

static PyObject *res_get(PyObject *self, void *which)
{
    switch ((char)(Py_intptr_t)which) {
    case 'p': return jqlpy_str_or_none(jql_results_period(RES->r));
    case 'c': return jqlpy_str_or_none(jql_results_criteria_id(RES->r));
    case 'a': return jqlpy_str_or_none(jql_results_as_of(RES->r));
    case 'n': return PyLong_FromSize_t(jql_results_unit_count(RES->r));
    case 'd': return Py_NewRef(RES->dataset ? RES->dataset : Py_None);
    case 'w': return jqlpy_diagnostics(jql_results_diagnostics(RES->r), -1);
    default: return Py_NewRef(RES->criteria ? RES->criteria : Py_None);
    }
}

static PyMethodDef res_methods[] = {
    {"to_json", res_to_json, METH_VARARGS,
     "to_json(level=0) -> str, as jql_results_to_json_level() (0 full, 1 ids, 2 none)"},
    {"_write", res_write, METH_VARARGS,
     "_write(binary_file, level=0): stream the JSON to file.write(), as jql_results_write_cb()"},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef res_getset[] = {
    {"period", res_get, NULL, "Scored period id.", (void *)'p'},
    {"criteria_id", res_get, NULL, "Id of the criteria set.", (void *)'c'},
    {"as_of", res_get, NULL, "As-of date \"YYYY-MM-DD\" the results were scored as of, or None.",
     (void *)'a'},
    {"unit_count", res_get, NULL, "Number of scored units.", (void *)'n'},
    {"dataset", res_get, NULL, "The dataset scored (kept alive).", (void *)'d'},
    {"warnings", res_get, NULL, "Warnings about the scoring (list of Diagnostic).", (void *)'w'},
    {"criteria", res_get, NULL, "The criteria set used (kept alive).", (void *)'x'},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject JqlResults_Type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "justice_quarterly._core.Results",
    .tp_basicsize = sizeof(JqlResultsObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Handle of C scoring results (jql_results). Use justice_quarterly.Results.",
    .tp_dealloc = res_dealloc,
    .tp_traverse = res_traverse,
    .tp_clear = res_clear,
    .tp_methods = res_methods,
    .tp_getset = res_getset,
};
