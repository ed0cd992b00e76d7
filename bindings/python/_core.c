/*
 * justice_quarterly._core — module set-up, error mapping, shared helpers.
 *
 * Status codes become the exceptions of justice_quarterly.errors (see its
 * docstring); the exception classes are looked up once when the module is
 * imported, so errors.py stays the one place that defines them.
 *
 * SPDX-License-Identifier: MIT
 */
#include <time.h>

#include "core.h"

#include <structmember.h>

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>

static PyObject *exc_error, *exc_validation, *exc_not_found, *exc_exists, *exc_limit,
    *exc_callback, *exc_no_data, *diagnostic_type;

static PyObject *decode(const char *s)
{
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
}

PyObject *jqlpy_str_or_none(const char *s)
{
    if (!s)
        Py_RETURN_NONE;
    return decode(s);
}

PyObject *jqlpy_date_or_none(jql_date d)
{
    if (d == JQL_NO_DATE)
        Py_RETURN_NONE;
    return PyLong_FromLong((long)d);
}

PyObject *jqlpy_milli_or_none(jql_milli m)
{
    if (m == JQL_NO_SCORE)
        Py_RETURN_NONE;
    return PyLong_FromLongLong((long long)m);
}

int jqlpy_conv_date(PyObject *o, void *out)
{
    jql_date *d = out;
    if (o == Py_None) {
        *d = JQL_NO_DATE;
        return 1;
    }
    long v = PyLong_AsLong(o);
    if (v == -1 && PyErr_Occurred())
        return 0;
    if (v <= INT32_MIN || v > INT32_MAX) {
        PyErr_SetString(PyExc_OverflowError, "date out of range");
        return 0;
    }
    *d = (jql_date)v;
    return 1;
}

int jqlpy_conv_milli(PyObject *o, void *out)
{
    jql_milli *m = out;
    if (o == Py_None) {
        *m = JQL_NO_SCORE;
        return 1;
    }
    long long v = PyLong_AsLongLong(o);
    if (v == -1 && PyErr_Occurred())
        return 0;
    if (v > JQL_MILLI_MAX || v < -JQL_MILLI_MAX) {
        PyErr_SetString(PyExc_ValueError, "number out of range (at most 9e12 in magnitude)");
        return 0;
    }
    *m = (jql_milli)v;
    return 1;
}

int jqlpy_check_writable(int readers, const char *what)
{
    if (readers == 0)
        return 0;
    PyErr_Format(PyExc_RuntimeError,
                 "the %s is in use by another thread (scoring or saving); "
                 "modify it only when no other thread uses it",
                 what);
    return -1;
}

PyObject *jqlpy_diagnostics(const jql_diagnostics *diag, int severity)
{
    PyObject *list = PyList_New(0);
    size_t n = jql_diagnostics_count(diag);
    const char *source = n ? jql_diagnostics_source(diag) : NULL;
    for (size_t i = 0; list && i < n; i++) {
        jql_severity sev = jql_diagnostics_severity(diag, i);
        if (severity >= 0 && (int)sev != severity)
            continue;
        PyObject *item = PyObject_CallFunction(
            diagnostic_type, "NIINsN", decode(jql_diagnostics_path(diag, i)),
            jql_diagnostics_line(diag, i), jql_diagnostics_column(diag, i),
            decode(jql_diagnostics_message(diag, i)),
            jql_severity_name(sev), jqlpy_str_or_none(source));
        if (!item || PyList_Append(list, item) < 0)
            Py_CLEAR(list);
        Py_XDECREF(item);
    }
    return list;
}

/* OSError(errno, message, filename) picks the subclass (FileNotFoundError...);
 * errno is trusted only when the library message mentions it. */
static PyObject *os_error(PyObject *msg, const char *text, PyObject *filename, int saved_errno)
{
    if (saved_errno != 0 && strstr(text, strerror(saved_errno)))
        return PyObject_CallFunction(PyExc_OSError, "iOO", saved_errno, msg,
                                     filename ? filename : Py_None);
    return PyObject_CallOneArg(PyExc_OSError, msg);
}

static PyObject *class_for(int status)
{
    switch (status) {
    case JQL_EINVALID:
        return exc_validation;
    case JQL_ELIMIT:
        return exc_limit;
    case JQL_ENOTFOUND:
        return exc_not_found;
    case JQL_EEXISTS:
        return exc_exists;
    case JQL_ECALLBACK:
        return exc_callback;
    case JQL_ENODATA:
        return exc_no_data;
    default:
        return exc_error;
    }
}

/* Raise the exception for @p status with message @p text. */
static PyObject *raise_text(int status, const char *text, const jql_diagnostics *diag,
                            PyObject *filename, int saved_errno)
{
    PyObject *msg = decode(text);
    if (!msg)
        return NULL;
    if (status == JQL_ENOMEM) {
        PyErr_SetObject(PyExc_MemoryError, msg);
        Py_DECREF(msg);
        return NULL;
    }
    PyObject *exc = status == JQL_EIO ? os_error(msg, text, filename, saved_errno)
                                      : PyObject_CallOneArg(class_for(status), msg);
    Py_DECREF(msg);
    if (!exc)
        return NULL;
    PyObject *code = PyLong_FromLong(status);
    int bad = !code || PyObject_SetAttrString(exc, "status", code) < 0;
    Py_XDECREF(code);
    if (!bad && PyObject_IsInstance(exc, exc_validation) == 1) {
        PyObject *errors = jqlpy_diagnostics(diag, -1);
        bad = !errors || PyObject_SetAttrString(exc, "errors", errors) < 0;
        Py_XDECREF(errors);
    }
    if (!bad)
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_DECREF(exc);
    return NULL;
}

PyObject *jqlpy_raise_text(int status, const char *text)
{
    return raise_text(status, text, NULL, NULL, 0);
}

PyObject *jqlpy_raise(int status, const jql_diagnostics *diag, PyObject *filename,
                      int saved_errno)
{
    const char *text = jql_last_error();
    if (!text || !*text)
        text = jql_strerror(status);
    return raise_text(status, text, diag, filename, saved_errno);
}

/* ---- custom callbacks and score() --------------------------------------- */

/* What a custom callback needs from the score() call running it. Kept per
 * thread: several threads may score with one criteria set at once.
 * The Python objects a callback gets are made once per score() call and
 * reused: the period, each node's id, index and max (and its max as a
 * Decimal, for the context form), the last unit's id and index (a unit's
 * custom leaves are scored one after the other). Each cache keeps the C
 * string it was made from and is used only when the engine gives that same
 * string again.
 *
 * Per call (trampoline): the GIL is taken back with the scoring's own thread
 * state, the user's function is called directly (CustomFunction.func, four
 * arguments, or five with a CustomContext made here for context=True), and
 * an int or a Decimal it returns becomes thousandths here; any other value
 * goes through the Python fallback (criteria._points -> exact_milli). */
typedef struct {
    const char *id;
    PyObject *str, *index, *max;
    PyObject *max_dec; /* the context form's CustomContext.max, made on its first use */
} node_cache;

typedef struct score_ctx {
    PyObject *dataset;
    PyObject *error; /* exception raised inside a callback (owned) */
    struct score_ctx *prev;
    PyThreadState *tstate; /* saved while the engine runs without the GIL */
    bool held;             /* a callback took the GIL back and keeps it (GIL_HOLD_NS) */
    uint64_t held_since;   /* when, CLOCK_MONOTONIC nanoseconds */
    const jql_criteria *criteria;
    const char *period_c, *unit_c;
    size_t unit_index;
    PyObject *period, *unit, *unit_pyindex;
    node_cache *nodes; /* jql_criteria_node_count() entries, made on the first call */
    size_t node_count;
    PyObject *call; /* the CustomCall to lend next, when nobody kept the last one */
} score_ctx;

static _Thread_local score_ctx *current_ctx;

/* The GIL taken back by a custom call is kept for the calls that follow
   for up to this long (then given back, so other threads run at least
   that often): taking and giving it back around every call cost more than
   a trivial Python function itself (3,321 calls in a national scoring). */
#define GIL_HOLD_NS 1000000u

static uint64_t monotonic_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void score_ctx_clear(score_ctx *ctx)
{
    for (size_t i = 0; ctx->nodes && i < ctx->node_count; i++) {
        Py_XDECREF(ctx->nodes[i].str);
        Py_XDECREF(ctx->nodes[i].index);
        Py_XDECREF(ctx->nodes[i].max);
        Py_XDECREF(ctx->nodes[i].max_dec);
    }
    PyMem_Free(ctx->nodes);
    ctx->nodes = NULL;
    Py_CLEAR(ctx->period);
    Py_CLEAR(ctx->unit);
    Py_CLEAR(ctx->unit_pyindex);
    Py_CLEAR(ctx->call);
}

static void describe(PyObject *exc, char *buf, size_t size)
{
    PyObject *s = PyObject_Str(exc);
    const char *text = s ? PyUnicode_AsUTF8(s) : NULL;
    if (!text)
        PyErr_Clear();
    snprintf(buf, size, "%s%s%s", Py_TYPE(exc)->tp_name, text && *text ? ": " : "",
             text ? text : "");
    Py_XDECREF(s);
}

/* The running call's jql_custom_ctx, lent to Python for the exact helpers
 * (CustomContext.points_from_ratio). The trampoline clears it when the call
 * returns, so a context kept past its call raises instead of reading freed
 * memory. Used with the GIL held, as the trampoline holds it. */
typedef struct {
    PyObject_HEAD
    jql_custom_ctx *cc;
} CustomCallObject;

static int conv_milli_strict(PyObject *o, void *out)
{
    if (o == Py_None) {
        PyErr_SetString(PyExc_TypeError, "an int of thousandths is required, not None");
        return 0;
    }
    return jqlpy_conv_milli(o, out);
}

/* points_from_ratio(num, den): thousandths in, thousandths out, by
 * jql_custom_points_from_ratio() (ValidationError for den <= 0). */
static PyObject *call_points_from_ratio(PyObject *self, PyObject *args)
{
    jql_milli num, den, points = 0;
    if (!PyArg_ParseTuple(args, "O&O&:points_from_ratio", conv_milli_strict, &num,
                          conv_milli_strict, &den))
        return NULL;
    jql_custom_ctx *cc = ((CustomCallObject *)self)->cc;
    if (!cc) {
        PyErr_SetString(PyExc_RuntimeError, "the context of a custom function is valid only "
                                            "during the call that received it");
        return NULL;
    }
    jql_clear_error();
    int rc = jql_custom_points_from_ratio(cc, num, den, &points);
    if (rc != JQL_OK)
        return jqlpy_raise(rc, NULL, NULL, 0);
    return PyLong_FromLongLong((long long)points);
}

static PyMethodDef call_methods[] = {
    {"points_from_ratio", call_points_from_ratio, METH_VARARGS,
     "points_from_ratio(num, den) -> thousandths: num/den of the leaf's max, rounded as the "
     "engine does (arguments in thousandths)."},
    {NULL, NULL, 0, NULL}};

static PyTypeObject CustomCall_Type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "justice_quarterly._core.CustomCall",
    .tp_basicsize = sizeof(CustomCallObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .tp_doc = "The running custom call's C context (valid during the call only).",
    .tp_methods = call_methods,
};

/* CustomFunction(func, what, points, context=None): a custom function as
 * Criteria.register registers it. The trampoline calls func itself, with a
 * fifth argument when context is (cls, dec): a cls (a tuple subclass, the
 * CustomContext of the call) of (node id, node index, dec(leaf max in
 * thousandths), unit id, unit index, period) whose _call is the CustomCall.
 * It converts an int or a Decimal to thousandths in C; points(value, what,
 * node) converts anything else and raises for every refused value.
 * Immutable: threads scoring at once share it. No tp_clear: the criteria
 * set's own clear drops it, so a registered one always holds its function. */
static PyObject *customfn_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"func", "what", "points", "context", NULL};
    PyObject *func, *what, *points, *context = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OUO|O:CustomFunction", kwlist, &func,
                                     &what, &points, &context))
        return NULL;
    if (!PyCallable_Check(func) || !PyCallable_Check(points)) {
        PyErr_SetString(PyExc_TypeError, "a custom function must be callable");
        return NULL;
    }
    if (context == Py_None) {
        context = NULL;
    } else {
        PyObject *cls = PyTuple_Check(context) && PyTuple_GET_SIZE(context) == 2
                            ? PyTuple_GET_ITEM(context, 0) : NULL;
        if (!cls || !PyType_Check(cls) ||
            !PyType_IsSubtype((PyTypeObject *)cls, &PyTuple_Type) ||
            ((PyTypeObject *)cls)->tp_dictoffset == 0 ||
            !PyCallable_Check(PyTuple_GET_ITEM(context, 1))) {
            PyErr_SetString(PyExc_TypeError, "context must be None or (a tuple subclass with "
                                             "a __dict__, a callable)");
            return NULL;
        }
    }
    JqlCustomFunctionObject *self = (JqlCustomFunctionObject *)type->tp_alloc(type, 0);
    if (!self)
        return NULL;
    self->func = Py_NewRef(func);
    self->what = Py_NewRef(what);
    self->points = Py_NewRef(points);
    self->context = Py_XNewRef(context);
    return (PyObject *)self;
}

static int customfn_traverse(PyObject *self, visitproc visit, void *arg)
{
    JqlCustomFunctionObject *fn = (JqlCustomFunctionObject *)self;
    Py_VISIT(fn->func);
    Py_VISIT(fn->what);
    Py_VISIT(fn->points);
    Py_VISIT(fn->context);
    return 0;
}

static void customfn_dealloc(PyObject *self)
{
    JqlCustomFunctionObject *fn = (JqlCustomFunctionObject *)self;
    PyObject_GC_UnTrack(self);
    Py_XDECREF(fn->func);
    Py_XDECREF(fn->what);
    Py_XDECREF(fn->points);
    Py_XDECREF(fn->context);
    Py_TYPE(self)->tp_free(self);
}

static PyMemberDef customfn_members[] = {
    {"func", T_OBJECT, offsetof(JqlCustomFunctionObject, func), READONLY,
     "The user's function."},
    {"what", T_OBJECT, offsetof(JqlCustomFunctionObject, what), READONLY,
     "How messages name the function."},
    {"context", T_OBJECT, offsetof(JqlCustomFunctionObject, context), READONLY,
     "None, or (the CustomContext class made for each call, dec) for context=True."},
    {NULL, 0, 0, 0, NULL}};

PyTypeObject JqlCustomFunction_Type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "justice_quarterly._core.CustomFunction",
    .tp_basicsize = sizeof(JqlCustomFunctionObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "CustomFunction(func, what, points, context=None): a registered custom function.",
    .tp_new = customfn_new,
    .tp_traverse = customfn_traverse,
    .tp_dealloc = customfn_dealloc,
    .tp_members = customfn_members,
};

/* The str for @p text, made again only when the engine gives another string
 * than the cached one (@p *key). Returns a new reference or NULL. */
static PyObject *cached_str(const char *text, const char **key, PyObject **slot)
{
    if (!*slot || (*key != text && strcmp(*key, text) != 0)) {
        PyObject *str = decode(text);
        if (!str)
            return NULL;
        Py_XSETREF(*slot, str);
        *key = text;
    }
    return Py_NewRef(*slot);
}

/* The cached id, index and max of the node being scored, or NULL. */
static node_cache *cached_node(score_ctx *ctx, jql_custom_ctx *cc)
{
    size_t i = jql_custom_node_index(cc);
    const char *id = jql_custom_node_id(cc);
    if (!ctx->nodes) {
        ctx->node_count = jql_criteria_node_count(ctx->criteria);
        ctx->nodes = PyMem_Calloc(ctx->node_count ? ctx->node_count : 1, sizeof *ctx->nodes);
        if (!ctx->nodes) {
            PyErr_NoMemory();
            return NULL;
        }
    }
    if (i >= ctx->node_count || !id) {
        PyErr_SetString(PyExc_SystemError, "custom function called for an unknown node");
        return NULL;
    }
    node_cache *n = &ctx->nodes[i];
    if (n->str && n->id == id)
        return n;
    Py_CLEAR(n->str);
    Py_CLEAR(n->index);
    Py_CLEAR(n->max);
    Py_CLEAR(n->max_dec);
    n->str = decode(id);
    n->index = PyLong_FromSize_t(i);
    n->max = PyLong_FromLongLong((long long)jql_custom_node_max(cc));
    if (!n->str || !n->index || !n->max) {
        Py_CLEAR(n->str);
        return NULL;
    }
    n->id = id;
    return n;
}

/* The unit's id, kept while the engine scores the same unit (its index as
 * an int is made by unit_pyindex(), for the context form only). */
static int cached_unit(score_ctx *ctx, jql_custom_ctx *cc)
{
    size_t i = jql_custom_unit_index(cc);
    const char *id = jql_custom_unit_id(cc);
    if (ctx->unit && ctx->unit_c == id && ctx->unit_index == i)
        return 0;
    Py_CLEAR(ctx->unit);
    Py_CLEAR(ctx->unit_pyindex);
    if (!(ctx->unit = decode(id)))
        return -1;
    ctx->unit_c = id;
    ctx->unit_index = i;
    return 0;
}

/* The cached unit's index as an int (borrowed), or NULL. */
static PyObject *unit_pyindex(score_ctx *ctx)
{
    if (!ctx->unit_pyindex)
        ctx->unit_pyindex = PyLong_FromSize_t(ctx->unit_index);
    return ctx->unit_pyindex;
}

/* The CustomCall lent for this call: the one of the previous call when
 * nothing kept it (only this score() call saw it, so no one can tell), a
 * new one otherwise. A kept one was cleared when its call returned. */
static CustomCallObject *lend_call(score_ctx *ctx, jql_custom_ctx *cc)
{
    CustomCallObject *call = (CustomCallObject *)ctx->call;
    ctx->call = NULL;
    if (!call && !(call = PyObject_New(CustomCallObject, &CustomCall_Type)))
        return NULL;
    call->cc = cc;
    return call;
}

static void return_call(score_ctx *ctx, CustomCallObject *call)
{
    call->cc = NULL; /* the callable may have kept it */
    if (Py_REFCNT(call) == 1 && !ctx->call)
        ctx->call = (PyObject *)call;
    else
        Py_DECREF(call);
}

static PyObject *str_call; /* "_call", interned */

/* The CustomContext of this call: a @p cls (a tuple subclass) of the node
 * id, node index, leaf max (a Decimal made by @p dec once per node), unit id,
 * unit index and period, its _call the CustomCall @p call. As
 * tuple.__new__(cls, items) makes it. */
static PyObject *make_context(score_ctx *ctx, node_cache *node, PyObject *period,
                              PyObject *context, PyObject *call)
{
    if (!node->max_dec &&
        !(node->max_dec = PyObject_CallOneArg(PyTuple_GET_ITEM(context, 1), node->max)))
        return NULL;
    PyObject *unit_index = unit_pyindex(ctx);
    if (!unit_index)
        return NULL;
    PyTypeObject *cls = (PyTypeObject *)PyTuple_GET_ITEM(context, 0);
    PyObject *items[6] = {node->str, node->index, node->max_dec, ctx->unit, unit_index, period};
    PyObject *live = cls->tp_alloc(cls, 6);
    if (!live)
        return NULL;
    for (int i = 0; i < 6; i++)
        PyTuple_SET_ITEM(live, i, Py_NewRef(items[i]));
    if (PyObject_SetAttr(live, str_call, call) < 0)
        Py_CLEAR(live);
    return live;
}

/* Calls the registered function with the dataset, unit id, period id and
 * node id, and for the context form its CustomContext. Sets *node_id to the
 * node id (a new reference) for the messages. */
static PyObject *call_user(score_ctx *ctx, JqlCustomFunctionObject *fn, jql_custom_ctx *cc,
                           PyObject **node_id)
{
    node_cache *node = cached_node(ctx, cc);
    if (!node || cached_unit(ctx, cc) < 0)
        return NULL;
    PyObject *period = cached_str(jql_custom_period(cc), &ctx->period_c, &ctx->period);
    if (!period)
        return NULL;
    *node_id = Py_NewRef(node->str);
    PyObject *res = NULL;
    if (!fn->context) {
        PyObject *args[4] = {ctx->dataset, ctx->unit, period, node->str};
        res = PyObject_Vectorcall(fn->func, args, 4, NULL);
        Py_DECREF(period);
        return res;
    }
    CustomCallObject *call = lend_call(ctx, cc);
    if (!call) {
        Py_DECREF(period);
        return NULL;
    }
    PyObject *live = make_context(ctx, node, period, fn->context, (PyObject *)call);
    if (live) {
        PyObject *args[5] = {ctx->dataset, ctx->unit, period, node->str, live};
        res = PyObject_Vectorcall(fn->func, args, 5, NULL);
        Py_DECREF(live); /* before return_call: the context holds the call */
    }
    Py_DECREF(period);
    return_call(ctx, call);
    return res;
}

#define INT_POINTS_MAX (JQL_MILLI_MAX / 1000) /* the largest int of points in range */

/* The thousandths of a Decimal from its text (str(), exact; 'E' or 'e' by
 * the context's capitals): [-]digits[.digits][E[+-]digits]. 1 when it is
 * exactly a number of thousandths within JQL_MILLI_MAX (0 for a zero of any
 * sign and exponent), 0 for anything else (Infinity, NaN, sNaN, more than 3
 * places, out of range: exact_milli() says which). One pass over the text:
 * bounded work whatever the exponent. */
static int decimal_text_milli(const char *p, jql_milli *out)
{
    bool neg = *p == '-';
    p += neg;
    if (*p < '0' || *p > '9')
        return 0; /* Infinity, NaN, sNaN */
    uint64_t coef = 0;       /* the digits without their trailing zeros */
    int64_t zeros = 0;       /* trailing zeros seen since the last other digit */
    int64_t places = 0;      /* digits after the point */
    bool point = false;
    for (;; p++) {
        if (*p >= '1' && *p <= '9') {
            for (; zeros > 0; zeros--) {
                if (coef > (uint64_t)JQL_MILLI_MAX / 10)
                    return 0;
                coef *= 10;
            }
            if (coef > (uint64_t)JQL_MILLI_MAX / 10)
                return 0;
            coef = coef * 10 + (uint64_t)(*p - '0');
        } else if (*p == '0') {
            if (coef)
                zeros++;
        } else if (*p == '.' && !point) {
            point = true;
            continue;
        } else {
            break;
        }
        places += point;
    }
    int64_t exp = 0;
    if (*p == 'E' || *p == 'e') {
        p++;
        bool eneg = *p == '-';
        if (*p == '-' || *p == '+')
            p++;
        if (*p < '0' || *p > '9')
            return 0;
        for (; *p >= '0' && *p <= '9'; p++)
            if (exp < (INT64_C(1) << 40)) /* saturates: far beyond any point */
                exp = exp * 10 + (*p - '0');
        if (eneg)
            exp = -exp;
    }
    if (*p)
        return 0;
    if (!coef) {
        *out = 0;
        return 1;
    }
    /* the value is coef × 10^(zeros + exp - places): in thousandths, coef × 10^k */
    int64_t k = zeros + exp - places + 3;
    if (k < 0 || k > 16)
        return 0; /* a fraction of a thousandth (coef ends in a non-zero digit) or too large */
    for (; k > 0; k--) {
        if (coef > (uint64_t)JQL_MILLI_MAX / 10)
            return 0;
        coef *= 10;
    }
    if (coef > (uint64_t)JQL_MILLI_MAX)
        return 0;
    *out = neg ? -(jql_milli)coef : (jql_milli)coef;
    return 1;
}

PyObject *jqlpy_decimal_type; /* decimal.Decimal (core.h) */

/* The thousandths of what a custom function returned, as exact_milli()
 * gives them: an int or a Decimal (their exact types) here, any other value,
 * and every refusal with its message, by fn->points. 0 or -1 with an
 * exception set. */
static int points_milli(JqlCustomFunctionObject *fn, PyObject *value, PyObject *node_id,
                        jql_milli *out)
{
    if (PyLong_CheckExact(value)) {
        int overflow;
        long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
        if (!overflow && v >= -INT_POINTS_MAX && v <= INT_POINTS_MAX) {
            *out = (jql_milli)v * 1000;
            return 0;
        }
        if (v == -1 && PyErr_Occurred())
            return -1;
    } else if (Py_IS_TYPE(value, (PyTypeObject *)jqlpy_decimal_type)) {
        PyObject *text = PyObject_Str(value);
        if (!text)
            return -1;
        const char *s = PyUnicode_AsUTF8(text);
        int done = s && decimal_text_milli(s, out);
        Py_DECREF(text);
        if (done)
            return 0;
        if (!s)
            return -1;
    }
    PyObject *milli = PyObject_CallFunctionObjArgs(fn->points, value, fn->what, node_id, NULL);
    if (!milli)
        return -1;
    long long v = PyLong_AsLongLong(milli);
    Py_DECREF(milli);
    if (v == -1 && PyErr_Occurred())
        return -1;
    *out = (jql_milli)v;
    return 0;
}

static int trampoline(void *user, jql_custom_ctx *cc)
{
    score_ctx *ctx = current_ctx;
    int rc = 1;
    char errbuf[512];
    if (!ctx) {
        PyGILState_STATE gil = PyGILState_Ensure();
        jql_custom_set_error(cc, "custom function called outside justice_quarterly.score()");
        PyGILState_Release(gil);
        return 1;
    }
    /* the engine runs on the thread of score(): take back its own state,
       unless an earlier call kept it */
    if (!ctx->held) {
        PyEval_RestoreThread(ctx->tstate);
        ctx->held = true;
        ctx->held_since = monotonic_ns();
    }
    PyObject *node_id = NULL;
    PyObject *res = call_user(ctx, (JqlCustomFunctionObject *)user, cc, &node_id);
    if (res) {
        jql_milli v;
        if (points_milli((JqlCustomFunctionObject *)user, res, node_id, &v) == 0) {
            if (jql_custom_set_points(cc, v) == JQL_OK)
                rc = 0;
            else
                PyErr_SetString(PyExc_ValueError, "custom function returned JQL_NO_SCORE");
        }
        Py_DECREF(res);
    }
    Py_XDECREF(node_id);
    if (rc != 0) {
        PyObject *type, *value, *tb;
        PyErr_Fetch(&type, &value, &tb);
        PyErr_NormalizeException(&type, &value, &tb);
        if (value && tb)
            PyException_SetTraceback(value, tb);
        Py_XDECREF(type);
        Py_XDECREF(tb);
        if (value)
            describe(value, errbuf, sizeof errbuf);
        else
            snprintf(errbuf, sizeof errbuf, "custom function failed");
        jql_custom_set_error(cc, errbuf);
        Py_XSETREF(ctx->error, value);
    }
    if (rc != 0 || monotonic_ns() - ctx->held_since >= GIL_HOLD_NS) {
        ctx->tstate = PyEval_SaveThread();
        ctx->held = false;
    }
    return rc;
}

int jqlpy_register(JqlCriteriaObject *self, const char *name, PyObject *fn)
{
    return jql_criteria_custom_register(self->c, name, trampoline, fn, NULL);
}

/* Raise CallbackError chained to the exception the callback raised. */
static PyObject *raise_callback(PyObject *cause)
{
    jqlpy_raise(JQL_ECALLBACK, NULL, NULL, 0);
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (value) {
        PyException_SetContext(value, Py_NewRef(cause));
        PyException_SetCause(value, cause); /* steals */
    } else {
        Py_DECREF(cause);
    }
    PyErr_Restore(type, value, tb);
    return NULL;
}

PyObject *jqlpy_score(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"dataset", "criteria", "period", "as_of", "allow_empty", "evidence",
                             "max_results", "max_veto_checks", "max_veto_text", "max_evidence",
                             "threads", NULL};
    JqlDatasetObject *d;
    JqlCriteriaObject *c;
    const char *period = NULL;
    jql_score_options opts = JQL_SCORE_OPTIONS_INIT;
    int allow_empty = 0, evidence = 1;
    Py_ssize_t lim[4] = {0, 0, 0, 0}; /* the limits of one scoring; 0: the defaults */
    Py_ssize_t threads = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O!O!|zzppnnnnn:score", kwlist,
                                     &JqlDataset_Type, &d, &JqlCriteria_Type, &c, &period,
                                     &opts.as_of, &allow_empty, &evidence, &lim[0], &lim[1],
                                     &lim[2], &lim[3], &threads))
        return NULL;
    if (threads < 1) {
        PyErr_SetString(PyExc_ValueError, "threads must be at least 1");
        return NULL;
    }
    /* The library starts at most JQL_SCORE_MAX_THREADS. Never
       JQL_SCORE_CUSTOM_ANY_THREAD: the custom functions are Python's, called
       through the thread-local current_ctx of this call with this thread's
       state (trampoline), so a criteria set with a custom leaf is scored on
       this thread alone. */
    opts.threads = (size_t)threads > UINT_MAX ? UINT_MAX : (unsigned)threads;
    if (lim[0] < 0 || lim[1] < 0 || lim[2] < 0 || lim[3] < 0) {
        PyErr_SetString(PyExc_ValueError, "the limits of one scoring must be positive");
        return NULL;
    }
    opts.max_results = (size_t)lim[0];
    opts.max_veto_checks = (size_t)lim[1];
    opts.max_veto_text = (size_t)lim[2];
    opts.max_evidence = (size_t)lim[3];
    if (allow_empty)
        opts.flags |= JQL_SCORE_ALLOW_EMPTY;
    opts.allow_empty_name = "allow_empty=True"; /* named when an empty period is refused */
    if (!evidence)
        opts.flags |= JQL_SCORE_NO_EVIDENCE;
    if (!d->ds || !c->c) {
        PyErr_SetString(PyExc_ValueError, "the dataset or criteria set has been cleared");
        return NULL;
    }
    JqlResultsObject *res = PyObject_GC_New(JqlResultsObject, &JqlResults_Type);
    if (!res)
        return NULL;
    res->r = NULL;
    res->dataset = Py_NewRef((PyObject *)d);
    res->criteria = Py_NewRef((PyObject *)c);
    res->records = NULL;

    score_ctx ctx = {.dataset = (PyObject *)d, .prev = current_ctx, .criteria = c->c};
    current_ctx = &ctx;
    d->readers++;
    c->readers++;
    jql_results *r = NULL;
    ctx.tstate = PyEval_SaveThread(); /* Py_BEGIN_ALLOW_THREADS, its state shared */
    int rc = jql_score_with(d->ds, c->c, period, &opts, &r);
    if (!ctx.held) /* else the last custom call kept it */
        PyEval_RestoreThread(ctx.tstate);
    d->readers--;
    c->readers--;
    current_ctx = ctx.prev;
    score_ctx_clear(&ctx);

    if (rc != JQL_OK) {
        PyObject_GC_Track(res);
        Py_DECREF(res);
        if (rc == JQL_ECALLBACK && ctx.error) {
            /* KeyboardInterrupt, SystemExit, GeneratorExit: not failures of the
               function but requests to stop; `except jq.Error` must not eat them */
            if (!PyObject_TypeCheck(ctx.error, (PyTypeObject *)PyExc_Exception)) {
                PyErr_SetObject((PyObject *)Py_TYPE(ctx.error), ctx.error);
                Py_DECREF(ctx.error);
                return NULL;
            }
            return raise_callback(ctx.error);
        }
        Py_XDECREF(ctx.error);
        return jqlpy_raise(rc, NULL, NULL, 0);
    }
    Py_XDECREF(ctx.error);
    res->r = r;
    PyObject_GC_Track(res);
    return (PyObject *)res;
}

/* ---- buffers ---------------------------------------------------------------- */

int jqlpy_stable_buffer(PyObject *obj, Py_buffer *view, const char **data, size_t *len,
                        char **copy)
{
    *copy = NULL;
    if (PyObject_GetBuffer(obj, view, PyBUF_SIMPLE) < 0)
        return -1;
    *data = view->buf;
    *len = (size_t)view->len;
    /* Only bytes are immutable: a bytearray, a memoryview (even a read-only
       view of a bytearray) or any other exporter may be written by another
       thread while the GIL is released, so the C loader gets a copy. */
    if (PyBytes_CheckExact(obj))
        return 0;
    *copy = PyMem_RawMalloc(*len ? *len : 1);
    if (!*copy) {
        PyBuffer_Release(view);
        PyErr_NoMemory();
        return -1;
    }
    memcpy(*copy, view->buf, *len);
    *data = *copy;
    PyBuffer_Release(view);
    return 0;
}

void jqlpy_stable_buffer_release(Py_buffer *view, char *copy)
{
    if (copy)
        PyMem_RawFree(copy);
    else
        PyBuffer_Release(view);
}

/* ---- module ---------------------------------------------------------------- */

static PyObject *py_version(PyObject *m, PyObject *unused)
{
    return PyUnicode_FromString(jql_version());
}

static PyObject *py_strerror(PyObject *m, PyObject *arg)
{
    long code = PyLong_AsLong(arg);
    if (code == -1 && PyErr_Occurred())
        return NULL;
    return PyUnicode_FromString(jql_strerror(code < INT_MIN || code > INT_MAX ? 1 : (int)code));
}

/* Test hook for the allocation-failure sweep (tests/python/test_alloc.py):
 * after _fail_allocation(n) the library's n-th next allocation (0-based)
 * fails; -1 stops failing. Returns how many allocations the library made
 * since the previous call. The failing functions wrap malloc/realloc/free,
 * so memory made before or after is freed alike. Not thread-safe: for
 * single-threaded tests only. */
static long alloc_fail_at = -1, alloc_count;

static bool alloc_should_fail(void)
{
    return alloc_fail_at >= 0 && alloc_count++ == alloc_fail_at;
}

static void *failing_malloc(size_t n)
{
    return alloc_should_fail() ? NULL : malloc(n);
}

static void *failing_realloc(void *p, size_t n)
{
    return alloc_should_fail() ? NULL : realloc(p, n);
}

static PyObject *py_fail_allocation(PyObject *m, PyObject *arg)
{
    long n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    long made = alloc_count;
    if (n < 0) {
        if (jql_allocator_set(NULL, NULL, NULL) != JQL_OK)
            return PyErr_Format(PyExc_SystemError, "%s", jql_last_error());
        alloc_fail_at = -1;
    } else {
        if (jql_allocator_set(failing_malloc, failing_realloc, free) != JQL_OK)
            return PyErr_Format(PyExc_SystemError, "%s", jql_last_error());
        alloc_fail_at = n;
    }
    alloc_count = 0;
    return PyLong_FromLong(made);
}

/* Test hook: raise what a failure with this status and message raises. */
static PyObject *py_raise_status(PyObject *m, PyObject *args)
{
    int status, err = 0;
    const char *msg;
    PyObject *filename = NULL;
    if (!PyArg_ParseTuple(args, "is|iO:_raise_status", &status, &msg, &err, &filename))
        return NULL;
    if (status >= 0) {
        PyErr_SetString(PyExc_ValueError, "status must be a negative jql_status code");
        return NULL;
    }
    return raise_text(status, msg, NULL, filename, err);
}

static PyObject *py_date_parse(PyObject *m, PyObject *args)
{
    const char *text;
    if (!PyArg_ParseTuple(args, "s:date_parse", &text))
        return NULL;
    jql_date d;
    int rc = jql_date_parse(text, &d);
    if (rc != JQL_OK)
        return jqlpy_raise(rc, NULL, NULL, 0);
    return PyLong_FromLong(d);
}

static PyObject *py_date_from_ymd(PyObject *m, PyObject *args)
{
    int y, mo, d;
    if (!PyArg_ParseTuple(args, "iii:date_from_ymd", &y, &mo, &d))
        return NULL;
    jql_date out;
    int rc = jql_date_from_ymd(y, mo, d, &out);
    if (rc != JQL_OK)
        return jqlpy_raise(rc, NULL, NULL, 0);
    return PyLong_FromLong(out);
}

static PyObject *py_milli_parse(PyObject *m, PyObject *args)
{
    const char *text;
    if (!PyArg_ParseTuple(args, "s:milli_parse", &text))
        return NULL;
    jql_milli v;
    int rc = jql_milli_parse(text, &v);
    if (rc != JQL_OK)
        return jqlpy_raise(rc, NULL, NULL, 0);
    return PyLong_FromLongLong(v);
}

static PyMethodDef module_methods[] = {
    {"version", py_version, METH_NOARGS, "version() -> str\n\nRuntime version of the C library."},
    {"strerror", py_strerror, METH_O, "strerror(status) -> str\n\nText of a status code."},
    {"score", (PyCFunction)(void (*)(void))jqlpy_score, METH_VARARGS | METH_KEYWORDS,
     "score(dataset, criteria, period=None, as_of=None, allow_empty=False) -> Results handle\n\n"
     "Score with the GIL released; custom callables run with it held."},
    {"_fail_allocation", py_fail_allocation, METH_O,
     "_fail_allocation(n) -> allocations since the last call (test hook: the n-th next fails)"},
    {"_raise_status", py_raise_status, METH_VARARGS,
     "_raise_status(status, message, errno=0, filename=None)\n\n"
     "Raise the exception a failure with this status raises (for tests)."},
    {"date_parse", py_date_parse, METH_VARARGS,
     "date_parse(text) -> int\n\nStrict YYYY-MM-DD to days since 1970-01-01."},
    {"date_from_ymd", py_date_from_ymd, METH_VARARGS,
     "date_from_ymd(year, month, day) -> int\n\nDays since 1970-01-01 (years 1900-9999)."},
    {"milli_parse", py_milli_parse, METH_VARARGS,
     "milli_parse(text) -> int\n\nA decimal with at most 3 places, as thousandths."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "justice_quarterly._core",
    .m_doc = "Low-level handles of libjustice-quarterly. Use the justice_quarterly package instead.",
    .m_size = -1,
    .m_methods = module_methods,
};

static int load_errors(void)
{
    PyObject *errors = PyImport_ImportModule("justice_quarterly.errors");
    if (!errors)
        return -1;
    struct {
        PyObject **slot;
        const char *name;
    } names[] = {
        {&exc_error, "Error"},          {&exc_validation, "ValidationError"},
        {&exc_not_found, "NotFoundError"}, {&exc_exists, "AlreadyExistsError"},
        {&exc_limit, "LimitError"},     {&exc_callback, "CallbackError"},
        {&exc_no_data, "NoDataError"},  {&diagnostic_type, "Diagnostic"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        *names[i].slot = PyObject_GetAttrString(errors, names[i].name);
        if (!*names[i].slot) {
            Py_DECREF(errors);
            return -1;
        }
    }
    Py_DECREF(errors);
    return 0;
}

static int init_custom_calls(void)
{
    if (!(str_call = PyUnicode_InternFromString("_call")))
        return -1;
    PyObject *mod = PyImport_ImportModule("decimal");
    if (!mod)
        return -1;
    jqlpy_decimal_type = PyObject_GetAttrString(mod, "Decimal");
    Py_DECREF(mod);
    if (jqlpy_decimal_type && !PyType_Check(jqlpy_decimal_type)) {
        PyErr_SetString(PyExc_TypeError, "decimal.Decimal is not a type");
        Py_CLEAR(jqlpy_decimal_type);
    }
    return jqlpy_decimal_type ? 0 : -1;
}

/* The names of every enumeration, each a tuple indexed by value, from the
   library's own tables (names.h): the Python package keeps no copy. */
#define NAME_OF(key, type) \
    static const char *enum_name_##key(int v) { return jql_##key##_name((type)v); }
NAME_OF(task_status, jql_task_status)
NAME_OF(directive_status, jql_directive_status)
NAME_OF(report_standing, jql_report_standing)
NAME_OF(aggregation, jql_aggregation)
NAME_OF(period_kind, jql_period_kind)
NAME_OF(severity, jql_severity)
NAME_OF(csv_kind, jql_csv_kind)
NAME_OF(bound, jql_bound)
NAME_OF(result_field, jql_result_field)
NAME_OF(evidence_level, jql_evidence_level)
#undef NAME_OF

static PyObject *enum_names(void)
{
    struct {
        const char *key;
        int count;
        const char *(*name)(int value);
    } enums[] = {
#define ENUM(key, count) {#key, count, enum_name_##key}
        ENUM(task_status, JQL_TASK_STATUS_COUNT),
        ENUM(directive_status, JQL_DIRECTIVE_STATUS_COUNT),
        ENUM(report_standing, JQL_REPORT_STANDING_COUNT),
        ENUM(aggregation, JQL_AGGREGATION_COUNT),
        ENUM(period_kind, JQL_PERIOD_KIND_COUNT),
        ENUM(severity, JQL_SEVERITY_COUNT),
        ENUM(csv_kind, JQL_CSV_KIND_COUNT),
        ENUM(bound, JQL_BOUND_COUNT),
        ENUM(result_field, JQL_RESULT_FIELD_COUNT),
        ENUM(evidence_level, JQL_EVIDENCE_LEVEL_COUNT),
#undef ENUM
    };
    PyObject *all = PyDict_New();
    for (size_t e = 0; all && e < sizeof enums / sizeof enums[0]; e++) {
        PyObject *names = PyTuple_New(enums[e].count);
        for (int v = 0; names && v < enums[e].count; v++) {
            const char *s = enums[e].name(v);
            PyObject *str = s ? PyUnicode_FromString(s) : NULL;
            if (!s && !PyErr_Occurred())
                PyErr_Format(PyExc_SystemError, "the library has no name for %s %d",
                             enums[e].key, v);
            if (!str)
                Py_CLEAR(names);
            else
                PyTuple_SET_ITEM(names, v, str);
        }
        if (!names || PyDict_SetItemString(all, enums[e].key, names) < 0)
            Py_CLEAR(all);
        Py_XDECREF(names);
    }
    return all;
}

/* Every status code as a module constant (JQL_OK, JQL_EINVALID, ...): the
   codes run from JQL_OK down without gaps. */
static int add_status_constants(PyObject *m)
{
    for (int s = 0; jql_status_name(s); s--)
        if (PyModule_AddIntConstant(m, jql_status_name(s), s) < 0)
            return -1;
    return 0;
}

/* The results readers of core_results.c and core_frames.c become methods
   of the Results type. */
static int add_results_methods(void)
{
    PyObject *dict = JqlResults_Type.tp_dict;
    PyMethodDef *tables[] = {jqlpy_results_methods, jqlpy_frame_methods};
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (PyMethodDef *def = tables[t]; def->ml_name; def++) {
            PyObject *descr = PyDescr_NewMethod(&JqlResults_Type, def);
            int rc = descr ? PyDict_SetItemString(dict, def->ml_name, descr) : -1;
            Py_XDECREF(descr);
            if (rc < 0)
                return -1;
        }
    PyType_Modified(&JqlResults_Type);
    return 0;
}

PyMODINIT_FUNC PyInit__core(void);
PyMODINIT_FUNC PyInit__core(void)
{
    if (load_errors() < 0)
        return NULL;
    if (PyType_Ready(&JqlDataset_Type) < 0 || PyType_Ready(&JqlCriteria_Type) < 0 ||
        PyType_Ready(&JqlResults_Type) < 0 || PyType_Ready(&CustomCall_Type) < 0 ||
        PyType_Ready(&JqlCustomFunction_Type) < 0 || init_custom_calls() < 0 ||
        add_results_methods() < 0 ||
        jqlpy_results_init() < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module_def);
    if (!m)
        return NULL;
    PyObject *milli_max = PyLong_FromLongLong(JQL_MILLI_MAX);
    int bad = !milli_max || PyModule_AddObjectRef(m, "MILLI_MAX", milli_max) < 0 ||
              PyModule_AddIntConstant(m, "SCORE_MAX_THREADS", JQL_SCORE_MAX_THREADS) < 0 ||
              PyModule_AddIntConstant(m, "SCORE_UNITS_PER_THREAD", JQL_SCORE_UNITS_PER_THREAD) < 0;
    Py_XDECREF(milli_max);
    if (bad || PyModule_AddObjectRef(m, "Dataset", (PyObject *)&JqlDataset_Type) < 0 ||
        PyModule_AddObjectRef(m, "Criteria", (PyObject *)&JqlCriteria_Type) < 0 ||
        PyModule_AddObjectRef(m, "Results", (PyObject *)&JqlResults_Type) < 0 ||
        PyModule_AddObjectRef(m, "CustomFunction", (PyObject *)&JqlCustomFunction_Type) < 0 ||
        PyModule_AddStringConstant(m, "HEADER_VERSION", JQL_VERSION_STRING) < 0 ||
        PyModule_AddFunctions(m, jqlpy_analysis_methods) < 0 || add_status_constants(m) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    PyObject *names = enum_names();
    bad = !names || PyModule_AddObjectRef(m, "ENUM_NAMES", names) < 0;
    Py_XDECREF(names);
    /* errors.py takes its status numbers from the constants just added */
    PyObject *errors = bad ? NULL : PyImport_ImportModule("justice_quarterly.errors");
    PyObject *done = errors ? PyObject_CallMethod(errors, "_bind_status_codes", "O", m) : NULL;
    bad = !done;
    Py_XDECREF(done);
    Py_XDECREF(errors);
    if (bad) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
