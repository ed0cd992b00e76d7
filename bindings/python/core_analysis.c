/*
 * justice_quarterly._core analysis functions: editing criteria sets and the
 * what-if analyses (docs/ANALYSIS.md). Thin: each calls one C function; the
 * JSON they return is the library's own, so it is byte-identical to the
 * CLI's and the Lua binding's. The *_dict functions build the same
 * documents as dicts from the analysis objects' accessors (analysis.h),
 * exactly as json.loads(text, parse_float=Decimal) reads the JSON: the same
 * keys in the same order, None for null, Decimal for points, int for ranks
 * and counts. Nothing is computed here.
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

/* Parse (results, percent, runs, seed, flags) and run the sensitivity
   analysis without the GIL: shared by the JSON and the dict forms. */
static jql_sensitivity *run_sensitivity(PyObject *args, const char *format)
{
    JqlResultsObject *r;
    long long percent;
    unsigned int runs, flags;
    unsigned long long seed;
    if (!PyArg_ParseTuple(args, format, &JqlResults_Type, &r, &percent, &runs, &seed, &flags))
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
    int rc;
    c->readers++;
    Py_BEGIN_ALLOW_THREADS
    rc = jql_sensitivity_run(r->r, c->c, &o, &s);
    Py_END_ALLOW_THREADS
    c->readers--;
    if (rc != JQL_OK) {
        jql_sensitivity_free(s);
        jqlpy_raise(rc, NULL, NULL, 0);
        return NULL;
    }
    return s;
}

static PyObject *py_sensitivity(PyObject *m, PyObject *args)
{
    jql_sensitivity *s = run_sensitivity(args, "O!LIKI:sensitivity");
    if (!s)
        return NULL;
    char *text = NULL;
    size_t len = 0;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = jql_sensitivity_to_json(s, &text, &len);
    jql_sensitivity_free(s);
    Py_END_ALLOW_THREADS
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

static PyObject *py_write_plans(PyObject *m, PyObject *args)
{
    JqlResultsObject *r;
    PyObject *file;
    if (!PyArg_ParseTuple(args, "O!O:write_plans", &JqlResults_Type, &r, &file))
        return NULL;
    JqlCriteriaObject *c = (JqlCriteriaObject *)r->criteria;
    if (!c || alive_criteria(c) < 0)
        return NULL;
    int rc = jql_improvement_plans_write_cb(r->r, c->c, jqlpy_file_write, file);
    if (PyErr_Occurred())
        return NULL; /* the file's own exception */
    if (rc != JQL_OK)
        return jqlpy_raise(rc, NULL, NULL, 0);
    Py_RETURN_NONE;
}

static Py_ssize_t trend_results(PyObject *seq, const jql_results **rs);

static PyObject *py_trend(PyObject *m, PyObject *args)
{
    PyObject *seq;
    if (!PyArg_ParseTuple(args, "O:trend", &seq))
        return NULL;
    const jql_results *rs[JQL_TREND_MAX_PERIODS];
    Py_ssize_t n = trend_results(seq, rs);
    if (n < 0)
        return NULL;
    char *text = NULL;
    size_t len = 0;
    int rc = jql_results_trend_json(rs, (size_t)n, &text, &len);
    return take_json(rc, text, len);
}

/* ---- documents as dicts ---- */

/* d[key] = v, stealing v; -1 when v is NULL or the insertion fails. */
static int put(PyObject *d, const char *key, PyObject *v)
{
    if (!v)
        return -1;
    int rc = PyDict_SetItemString(d, key, v);
    Py_DECREF(v);
    return rc;
}

/* list.append(v), stealing v. */
static int push(PyObject *l, PyObject *v)
{
    if (!v)
        return -1;
    int rc = PyList_Append(l, v);
    Py_DECREF(v);
    return rc;
}

static PyObject *none(void) { return Py_NewRef(Py_None); }
static PyObject *str(const char *s) { return jqlpy_str_or_none(s); }
/* A member only when there is something in it (the as-of dates: absent from
   the JSON of results scored without one). 0 or -1, as put(). */
static int put_set(PyObject *d, const char *key, const char *s)
{
    return s ? put(d, key, str(s)) : 0;
}
static PyObject *dec_or_none(jql_milli m) { return m == JQL_NO_SCORE ? none() : jqlpy_decimal(m); }
static PyObject *whole(long long v) { return PyLong_FromLongLong(v); }
static PyObject *rank_or_none(size_t r) { return r ? PyLong_FromSize_t(r) : none(); }

/* A change accessor's answer: the value on JQL_OK, None for JQL_ENODATA. */
static PyObject *change(int rc, long long v) { return rc == JQL_OK ? whole(v) : none(); }
static PyObject *milli_change(int rc, jql_milli v) { return rc == JQL_OK ? jqlpy_decimal(v) : none(); }

static PyObject *comparison_dict(const jql_comparison *c)
{
    PyObject *d = PyDict_New(), *units = PyList_New(0);
    int bad = !d || !units;
    bad = bad || put(d, "format", str(JQL_COMPARISON_FORMAT)) ||
          put(d, "criteria_before", str(jql_comparison_criteria(c, 0))) ||
          put(d, "criteria_after", str(jql_comparison_criteria(c, 1))) ||
          put(d, "period_before", str(jql_comparison_period(c, 0))) ||
          put(d, "period_after", str(jql_comparison_period(c, 1))) ||
          put_set(d, "as_of_before", jql_comparison_as_of(c, 0)) ||
          put_set(d, "as_of_after", jql_comparison_as_of(c, 1)) ||
          put(d, "rank_changes", PyLong_FromSize_t(jql_comparison_rank_changes(c))) ||
          put(d, "tier_changes", PyLong_FromSize_t(jql_comparison_tier_changes(c))) ||
          put(d, "units", Py_NewRef(units));
    for (size_t k = 0; !bad && k < jql_comparison_unit_count(c); k++) {
        PyObject *u = PyDict_New(), *nodes = PyList_New(0);
        long long rch = 0, crch = 0, tch = 0;
        jql_milli fch = 0;
        int frc = jql_comparison_unit_final_change(c, k, &fch);
        int rrc = jql_comparison_unit_rank_change(c, k, &rch);
        int crc = jql_comparison_unit_cluster_rank_change(c, k, &crch);
        int trc = jql_comparison_unit_tier_change(c, k, &tch);
        bool b = jql_comparison_unit_present(c, k, 0), a = jql_comparison_unit_present(c, k, 1);
        bad = !u || !nodes || push(units, Py_NewRef(u)) ||
              put(u, "id", str(jql_comparison_unit_id(c, k))) ||
              put(u, "name", str(jql_comparison_unit_name(c, k))) ||
              put(u, "final_before", dec_or_none(jql_comparison_unit_final(c, k, 0))) ||
              put(u, "final_after", dec_or_none(jql_comparison_unit_final(c, k, 1))) ||
              put(u, "final_change", milli_change(frc, fch)) ||
              put(u, "rank_before", rank_or_none(jql_comparison_unit_rank(c, k, 0))) ||
              put(u, "rank_after", rank_or_none(jql_comparison_unit_rank(c, k, 1))) ||
              put(u, "rank_change", change(rrc, rch)) ||
              put(u, "cluster_rank_before", rank_or_none(jql_comparison_unit_cluster_rank(c, k, 0))) ||
              put(u, "cluster_rank_after", rank_or_none(jql_comparison_unit_cluster_rank(c, k, 1))) ||
              put(u, "cluster_rank_change", change(crc, crch)) ||
              put(u, "tier_before", str(jql_comparison_unit_tier(c, k, 0))) ||
              put(u, "tier_after", str(jql_comparison_unit_tier(c, k, 1))) ||
              put(u, "tier_change", change(trc, tch)) ||
              put(u, "leader_before", b ? PyBool_FromLong(jql_comparison_unit_leader(c, k, 0)) : none()) ||
              put(u, "leader_after", a ? PyBool_FromLong(jql_comparison_unit_leader(c, k, 1)) : none()) ||
              put(u, "nodes", Py_NewRef(nodes));
        for (size_t i = 0; !bad && i < jql_comparison_node_count(c, k); i++) {
            PyObject *n = PyDict_New();
            jql_milli pch = 0;
            int prc = jql_comparison_node_points_change(c, k, i, &pch);
            bad = !n || push(nodes, Py_NewRef(n)) ||
                  put(n, "id", str(jql_comparison_node_id(c, k, i))) ||
                  put(n, "points_before", dec_or_none(jql_comparison_node_points(c, k, i, 0))) ||
                  put(n, "points_after", dec_or_none(jql_comparison_node_points(c, k, i, 1))) ||
                  put(n, "points_change", milli_change(prc, pch));
            Py_XDECREF(n);
        }
        Py_XDECREF(u);
        Py_XDECREF(nodes);
    }
    Py_XDECREF(units);
    if (bad) {
        Py_XDECREF(d);
        return NULL;
    }
    return d;
}

static PyObject *sens_tier(const jql_sensitivity *s, size_t t) { return str(jql_sensitivity_tier_id(s, t)); }

static PyObject *weights(const jql_sensitivity *s, size_t q, size_t n,
                         jql_milli (*w)(const jql_sensitivity *, size_t, size_t))
{
    PyObject *l = PyList_New(0);
    for (size_t j = 0; l && j < n; j++)
        if (push(l, jqlpy_decimal(w(s, q, j)))) {
            Py_CLEAR(l);
        }
    return l;
}

static PyObject *margin(const jql_sensitivity *s, int rc, size_t sec, jql_milli ch)
{
    if (rc != JQL_OK)
        return none();
    PyObject *m = PyDict_New();
    if (!m || put(m, "section", str(jql_sensitivity_section_id(s, sec))) ||
        put(m, "weight_change", jqlpy_decimal(ch))) {
        Py_XDECREF(m);
        return NULL;
    }
    return m;
}

static PyObject *outcome(const jql_sensitivity *s, size_t q, size_t k)
{
    PyObject *o = PyDict_New();
    if (!o || put(o, "final", jqlpy_decimal(jql_sensitivity_oat_case_final(s, q, k))) ||
        put(o, "rank", PyLong_FromSize_t(jql_sensitivity_oat_case_rank(s, q, k))) ||
        put(o, "tier", sens_tier(s, jql_sensitivity_oat_case_tier(s, q, k)))) {
        Py_XDECREF(o);
        return NULL;
    }
    return o;
}

static PyObject *sens_unit(const jql_sensitivity *s, size_t k)
{
    unsigned fl = jql_sensitivity_flags(s);
    size_t ns = jql_sensitivity_section_count(s);
    PyObject *u = PyDict_New();
    int bad = !u || put(u, "id", str(jql_sensitivity_unit_id(s, k))) ||
              put(u, "final", jqlpy_decimal(jql_sensitivity_unit_final(s, k))) ||
              put(u, "rank", PyLong_FromSize_t(jql_sensitivity_unit_rank(s, k))) ||
              put(u, "tier", sens_tier(s, jql_sensitivity_unit_tier(s, k)));
    if (!bad && (fl & JQL_SENS_ONE_AT_A_TIME)) {
        PyObject *o = PyDict_New(), *tor = PyList_New(0);
        bad = !o || !tor || put(u, "one_at_a_time", Py_NewRef(o)) ||
              put(o, "rank_min", PyLong_FromSize_t(jql_sensitivity_unit_oat_rank_min(s, k))) ||
              put(o, "rank_max", PyLong_FromSize_t(jql_sensitivity_unit_oat_rank_max(s, k))) ||
              put(o, "tier_best", sens_tier(s, jql_sensitivity_unit_oat_tier_best(s, k))) ||
              put(o, "tier_worst", sens_tier(s, jql_sensitivity_unit_oat_tier_worst(s, k))) ||
              put(o, "tornado", Py_NewRef(tor));
        for (size_t j = 0; !bad && j < ns; j++) {
            PyObject *t = PyDict_New();
            bad = !t || push(tor, Py_NewRef(t)) ||
                  put(t, "section", str(jql_sensitivity_section_id(s, j))) ||
                  put(t, "minus", outcome(s, 2 * j, k)) || put(t, "plus", outcome(s, 2 * j + 1, k));
            Py_XDECREF(t);
        }
        Py_XDECREF(o);
        Py_XDECREF(tor);
    }
    if (!bad && (fl & JQL_SENS_LEAVES)) {
        PyObject *o = PyDict_New();
        bad = !o || put(u, "leaves", Py_NewRef(o)) ||
              put(o, "final_min", jqlpy_decimal(jql_sensitivity_unit_leaves_final_min(s, k))) ||
              put(o, "final_max", jqlpy_decimal(jql_sensitivity_unit_leaves_final_max(s, k))) ||
              put(o, "rank_min", PyLong_FromSize_t(jql_sensitivity_unit_leaves_rank_min(s, k))) ||
              put(o, "rank_max", PyLong_FromSize_t(jql_sensitivity_unit_leaves_rank_max(s, k))) ||
              put(o, "tier_best", sens_tier(s, jql_sensitivity_unit_leaves_tier_best(s, k))) ||
              put(o, "tier_worst", sens_tier(s, jql_sensitivity_unit_leaves_tier_worst(s, k)));
        Py_XDECREF(o);
    }
    if (!bad && (fl & JQL_SENS_MONTE_CARLO)) {
        PyObject *o = PyDict_New(), *tr = PyDict_New();
        bad = !o || !tr || put(u, "monte_carlo", Py_NewRef(o)) ||
              put(o, "rank_min", PyLong_FromSize_t(jql_sensitivity_rank_min(s, k))) ||
              put(o, "rank_median", PyLong_FromSize_t(jql_sensitivity_rank_median(s, k))) ||
              put(o, "rank_max", PyLong_FromSize_t(jql_sensitivity_rank_max(s, k))) ||
              put(o, "tier_runs", Py_NewRef(tr));
        for (size_t t = 0; !bad && t < jql_sensitivity_tier_count(s); t++)
            bad = put(tr, jql_sensitivity_tier_id(s, t),
                      PyLong_FromSize_t(jql_sensitivity_tier_runs(s, k, t)));
        Py_XDECREF(o);
        Py_XDECREF(tr);
    }
    if (!bad && (fl & JQL_SENS_MARGINS)) {
        size_t sec = 0, sec2 = 0;
        jql_milli ch = 0, ch2 = 0;
        int up = jql_sensitivity_unit_margin_up(s, k, &sec, &ch);
        int down = jql_sensitivity_unit_margin_down(s, k, &sec2, &ch2);
        bad = put(u, "margin_up", margin(s, up, sec, ch)) ||
              put(u, "margin_down", margin(s, down, sec2, ch2));
    }
    if (bad) {
        Py_XDECREF(u);
        return NULL;
    }
    return u;
}

static PyObject *sensitivity_dict(const jql_sensitivity *s)
{
    unsigned fl = jql_sensitivity_flags(s), runs = jql_sensitivity_run_count(s);
    size_t ns = jql_sensitivity_section_count(s);
    PyObject *d = PyDict_New(), *secs = PyList_New(0), *oat = PyList_New(0), *mc = PyList_New(0),
             *units = PyList_New(0), *pairs = PyList_New(0),
             *leaves = (fl & JQL_SENS_LEAVES) ? PyList_New(0) : NULL;
    int bad = !d || !secs || !oat || !mc || !units || !pairs || ((fl & JQL_SENS_LEAVES) && !leaves);
    bad = bad || put(d, "format", str(JQL_SENSITIVITY_FORMAT)) ||
          put(d, "criteria", str(jql_sensitivity_criteria(s))) ||
          put(d, "period", str(jql_sensitivity_period(s))) ||
          put_set(d, "as_of", jql_sensitivity_as_of(s)) ||
          put(d, "percent", jqlpy_decimal(jql_sensitivity_percent(s))) ||
          put(d, "distribution", str(jql_sensitivity_distribution(s))) ||
          put(d, "runs", PyLong_FromUnsignedLong(runs)) ||
          put(d, "seed", PyLong_FromUnsignedLongLong(jql_sensitivity_seed(s))) ||
          put(d, "sections", Py_NewRef(secs)) || put(d, "one_at_a_time", Py_NewRef(oat)) ||
          (leaves && put(d, "leaves_one_at_a_time", Py_NewRef(leaves))) ||
          put(d, "monte_carlo_weights", Py_NewRef(mc)) || put(d, "units", Py_NewRef(units)) ||
          put(d, "pairs", Py_NewRef(pairs));
    for (size_t j = 0; !bad && j < ns; j++) {
        PyObject *x = PyDict_New();
        bad = !x || push(secs, Py_NewRef(x)) ||
              put(x, "id", str(jql_sensitivity_section_id(s, j))) ||
              put(x, "max", jqlpy_decimal(jql_sensitivity_section_max(s, j)));
        Py_XDECREF(x);
    }
    for (size_t q = 0; !bad && q < jql_sensitivity_oat_case_count(s); q++) {
        PyObject *x = PyDict_New();
        bad = !x || push(oat, Py_NewRef(x)) ||
              put(x, "section", str(jql_sensitivity_section_id(s, jql_sensitivity_oat_case_section(s, q)))) ||
              put(x, "change", str(jql_sensitivity_oat_case_direction(s, q) < 0 ? "-" : "+")) ||
              put(x, "weights", weights(s, q, ns, jql_sensitivity_oat_case_weight));
        Py_XDECREF(x);
    }
    for (size_t q = 0; !bad && leaves && q < jql_sensitivity_leaf_case_count(s); q++) {
        PyObject *x = PyDict_New(), *sib = PyList_New(0);
        size_t ng = jql_sensitivity_leaf_case_sibling_count(s, q);
        bad = !x || !sib || push(leaves, Py_NewRef(x)) ||
              put(x, "leaf", str(jql_sensitivity_leaf_case_leaf(s, q))) ||
              put(x, "change", str(jql_sensitivity_leaf_case_direction(s, q) < 0 ? "-" : "+")) ||
              put(x, "siblings", Py_NewRef(sib)) ||
              put(x, "weights", weights(s, q, ng, jql_sensitivity_leaf_case_weight)) ||
              put(x, "rank_changes", PyLong_FromSize_t(jql_sensitivity_leaf_case_rank_changes(s, q))) ||
              put(x, "tier_changes", PyLong_FromSize_t(jql_sensitivity_leaf_case_tier_changes(s, q)));
        for (size_t g = 0; !bad && g < ng; g++)
            bad = push(sib, str(jql_sensitivity_leaf_case_sibling_id(s, q, g)));
        Py_XDECREF(x);
        Py_XDECREF(sib);
    }
    for (size_t i = 0; !bad && i < runs; i++)
        bad = push(mc, weights(s, i, ns, jql_sensitivity_run_weight));
    for (size_t k = 0; !bad && k < jql_sensitivity_unit_count(s); k++)
        bad = push(units, sens_unit(s, k));
    for (size_t k = 0; !bad && k < jql_sensitivity_pair_count(s); k++) {
        PyObject *x = PyDict_New();
        bad = !x || push(pairs, Py_NewRef(x)) ||
              put(x, "above", str(jql_sensitivity_unit_id(s, k))) ||
              put(x, "below", str(jql_sensitivity_unit_id(s, k + 1))) ||
              ((fl & JQL_SENS_MONTE_CARLO) &&
               put(x, "flip_runs", PyLong_FromSize_t(jql_sensitivity_flip_runs(s, k))));
        if (!bad && (fl & JQL_SENS_MARGINS)) {
            size_t sec = 0;
            jql_milli ch = 0;
            int rc = jql_sensitivity_pair_margin(s, k, &sec, &ch);
            bad = put(x, "margin", margin(s, rc, sec, ch));
        }
        Py_XDECREF(x);
    }
    Py_XDECREF(secs);
    Py_XDECREF(oat);
    Py_XDECREF(mc);
    Py_XDECREF(units);
    Py_XDECREF(pairs);
    Py_XDECREF(leaves);
    if (bad) {
        Py_XDECREF(d);
        return NULL;
    }
    return d;
}

static PyObject *plans_dict(const jql_improvement_plans *p)
{
    PyObject *d = PyDict_New(), *units = PyList_New(0);
    int bad = !d || !units || put(d, "format", str(JQL_PLANS_FORMAT)) ||
              put(d, "criteria", str(jql_improvement_plans_criteria(p))) ||
              put(d, "period", str(jql_improvement_plans_period(p))) ||
              put_set(d, "as_of", jql_improvement_plans_as_of(p)) ||
              put(d, "units", Py_NewRef(units));
    for (size_t k = 0; !bad && k < jql_improvement_plans_unit_count(p); k++) {
        PyObject *u = PyDict_New(), *plan = PyList_New(0), *leaves = PyList_New(0);
        bad = !u || !plan || !leaves || push(units, Py_NewRef(u)) ||
              put(u, "id", str(jql_improvement_plans_unit_id(p, k))) ||
              put(u, "name", str(jql_improvement_plans_unit_name(p, k))) ||
              put(u, "final", jqlpy_decimal(jql_improvement_plans_unit_final(p, k))) ||
              put(u, "tier", str(jql_improvement_plans_unit_tier(p, k))) ||
              put(u, "next_tier", str(jql_improvement_plans_unit_next_tier(p, k))) ||
              put(u, "gap", jqlpy_decimal(jql_improvement_plans_unit_gap(p, k))) ||
              put(u, "held_back", str(jql_improvement_plans_unit_held_back(p, k))) ||
              put(u, "closes_gap", PyBool_FromLong(jql_improvement_plans_unit_closes_gap(p, k))) ||
              put(u, "final_with_plan", jqlpy_decimal(jql_improvement_plans_unit_final_with_plan(p, k))) ||
              put(u, "plan", Py_NewRef(plan)) || put(u, "leaves", Py_NewRef(leaves));
        for (size_t i = 0; !bad && i < jql_improvement_plans_step_count(p, k); i++)
            bad = push(plan, str(jql_improvement_plans_step_id(p, k, i)));
        for (size_t i = 0; !bad && i < jql_improvement_plans_leaf_count(p, k); i++) {
            PyObject *l = PyDict_New();
            bad = !l || push(leaves, Py_NewRef(l)) ||
                  put(l, "id", str(jql_improvement_plans_leaf_id(p, k, i))) ||
                  put(l, "title", str(jql_improvement_plans_leaf_title(p, k, i))) ||
                  put(l, "points", jqlpy_decimal(jql_improvement_plans_leaf_points(p, k, i))) ||
                  put(l, "max", jqlpy_decimal(jql_improvement_plans_leaf_max(p, k, i))) ||
                  put(l, "left", jqlpy_decimal(jql_improvement_plans_leaf_left(p, k, i))) ||
                  put(l, "need", str(jql_improvement_plans_leaf_need(p, k, i))) ||
                  put(l, "action", str(jql_improvement_plans_leaf_action(p, k, i)));
            Py_XDECREF(l);
        }
        Py_XDECREF(u);
        Py_XDECREF(plan);
        Py_XDECREF(leaves);
    }
    Py_XDECREF(units);
    if (bad) {
        Py_XDECREF(d);
        return NULL;
    }
    return d;
}

/* The periods' as-of dates as jql_trend_to_json() writes them:
   jql_trend_as_of() as "as_of", or, when the periods' dates vary,
   "as_of_by_period" (a date or None each); nothing when none has one. 0 or -1. */
static int trend_as_of(PyObject *d, const jql_trend *t, size_t np)
{
    const char *shared = jql_trend_as_of(t);
    if (shared)
        return put(d, "as_of", str(shared));
    if (!jql_trend_as_of_varies(t))
        return 0;
    PyObject *list = PyList_New(0);
    int bad = !list;
    for (size_t p = 0; !bad && p < np; p++)
        bad = push(list, str(jql_trend_period_as_of(t, p)));
    if (bad) {
        Py_XDECREF(list);
        return -1;
    }
    return put(d, "as_of_by_period", list);
}

static PyObject *trend_dict(const jql_trend *t)
{
    size_t np = jql_trend_period_count(t);
    PyObject *d = PyDict_New(), *periods = PyList_New(0), *units = PyList_New(0);
    int bad = !d || !periods || !units || put(d, "format", str(JQL_TREND_FORMAT)) ||
              put(d, "criteria", str(jql_trend_criteria(t))) ||
              put(d, "periods", Py_NewRef(periods)) || trend_as_of(d, t, np) ||
              put(d, "units", Py_NewRef(units));
    for (size_t p = 0; !bad && p < np; p++)
        bad = push(periods, str(jql_trend_period_id(t, p)));
    for (size_t i = 0; !bad && i < jql_trend_unit_count(t); i++) {
        PyObject *u = PyDict_New(), *ps = PyList_New(0);
        bad = !u || !ps || push(units, Py_NewRef(u)) ||
              put(u, "id", str(jql_trend_unit_id(t, i))) || put(u, "periods", Py_NewRef(ps));
        for (size_t p = 0; !bad && p < np; p++) {
            PyObject *x = PyDict_New();
            long long mv = 0;
            int rc = jql_trend_unit_movement(t, i, p, &mv);
            bad = !x || push(ps, Py_NewRef(x)) || put(x, "period", str(jql_trend_period_id(t, p))) ||
                  put(x, "final", dec_or_none(jql_trend_unit_final(t, i, p))) ||
                  put(x, "rank", rank_or_none(jql_trend_unit_rank(t, i, p))) ||
                  put(x, "tier", str(jql_trend_unit_tier(t, i, p))) ||
                  put(x, "movement", change(rc, mv));
            Py_XDECREF(x);
        }
        Py_XDECREF(u);
        Py_XDECREF(ps);
    }
    Py_XDECREF(periods);
    Py_XDECREF(units);
    if (bad) {
        Py_XDECREF(d);
        return NULL;
    }
    return d;
}

static PyObject *py_compare_dict(PyObject *m, PyObject *args)
{
    JqlResultsObject *x, *y;
    if (!PyArg_ParseTuple(args, "O!O!:compare_dict", &JqlResults_Type, &x, &JqlResults_Type, &y))
        return NULL;
    jql_comparison *c = NULL;
    int rc = jql_results_compare(x->r, y->r, &c);
    if (rc != JQL_OK)
        return jqlpy_raise(rc, NULL, NULL, 0);
    PyObject *d = comparison_dict(c);
    jql_comparison_free(c);
    return d;
}

static PyObject *py_sensitivity_dict(PyObject *m, PyObject *args)
{
    jql_sensitivity *s = run_sensitivity(args, "O!LIKI:sensitivity_dict");
    if (!s)
        return NULL;
    PyObject *d = sensitivity_dict(s);
    jql_sensitivity_free(s);
    return d;
}

static PyObject *py_plans_dict(PyObject *m, PyObject *args)
{
    JqlResultsObject *r;
    if (!PyArg_ParseTuple(args, "O!:plans_dict", &JqlResults_Type, &r))
        return NULL;
    JqlCriteriaObject *c = (JqlCriteriaObject *)r->criteria;
    if (!c || alive_criteria(c) < 0)
        return NULL;
    jql_improvement_plans *p = NULL;
    int rc = jql_improvement_plans_compute(r->r, c->c, &p);
    if (rc != JQL_OK)
        return jqlpy_raise(rc, NULL, NULL, 0);
    PyObject *d = plans_dict(p);
    jql_improvement_plans_free(p);
    return d;
}

/* The results of a sequence (1 to JQL_TREND_MAX_PERIODS) into rs; the
   count, or -1 with an exception set. */
static Py_ssize_t trend_results(PyObject *seq, const jql_results **rs)
{
    PyObject *fast = PySequence_Fast(seq, "trend() takes a sequence of results");
    if (!fast)
        return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    if (n <= 0 || (size_t)n > JQL_TREND_MAX_PERIODS) {
        Py_DECREF(fast);
        PyErr_Format(PyExc_ValueError, "trend() takes 1 to %u results", JQL_TREND_MAX_PERIODS);
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *o = PySequence_Fast_GET_ITEM(fast, i);
        if (!PyObject_TypeCheck(o, &JqlResults_Type)) {
            Py_DECREF(fast);
            PyErr_SetString(PyExc_TypeError, "trend() takes results");
            return -1;
        }
        rs[i] = ((JqlResultsObject *)o)->r;
    }
    Py_DECREF(fast);
    return n;
}

/* The trend of a sequence of Results (the one argument of `args`, parsed
   with `format`), turned into Python objects by `build`. */
static PyObject *from_trend(PyObject *args, const char *format,
                            PyObject *(*build)(const jql_trend *))
{
    PyObject *seq;
    if (!PyArg_ParseTuple(args, format, &seq))
        return NULL;
    const jql_results *rs[JQL_TREND_MAX_PERIODS];
    Py_ssize_t n = trend_results(seq, rs);
    if (n < 0)
        return NULL;
    jql_trend *t = NULL;
    int rc = jql_results_trend(rs, (size_t)n, &t);
    if (rc != JQL_OK)
        return jqlpy_raise(rc, NULL, NULL, 0);
    PyObject *d = build(t);
    jql_trend_free(t);
    return d;
}

static PyObject *py_trend_dict(PyObject *m, PyObject *args)
{
    return from_trend(args, "O:trend_dict", trend_dict);
}

/* Trend.to_dataframe()'s columns, one row per unit and period in the
   document's order, read from the trend directly: the rows were taken from
   trend_dict(), a dict per unit and period (64 periods of 78,000 units:
   16.6 s and 4.9 GB). A unit's id and a period's id are one str each. */
static PyObject *trend_columns(const jql_trend *t)
{
    enum { UNIT, PERIOD, FINAL, RANK, TIER, MOVEMENT, NCOL };
    static const char *const names[NCOL] = {"unit", "period", "final", "rank", "tier", "movement"};
    size_t np = jql_trend_period_count(t), nu = jql_trend_unit_count(t);
    PyObject *col[NCOL] = {0}, *pids = PyList_New((Py_ssize_t)np), *out = NULL;
    int bad = !pids;
    for (int c = 0; !bad && c < NCOL; c++)
        bad = !(col[c] = PyList_New((Py_ssize_t)(nu * np)));
    for (size_t p = 0; !bad && p < np; p++) {
        PyObject *x = str(jql_trend_period_id(t, p));
        bad = !x;
        if (x)
            PyList_SET_ITEM(pids, (Py_ssize_t)p, x);
    }
    jqlpy_text_cache_clear();
    for (size_t i = 0; !bad && i < nu; i++) {
        PyObject *id = str(jql_trend_unit_id(t, i));
        bad = !id;
        for (size_t p = 0; !bad && p < np; p++) {
            Py_ssize_t row = (Py_ssize_t)(i * np + p);
            long long mv = 0;
            int rc = jql_trend_unit_movement(t, i, p, &mv);
            PyObject *v[NCOL] = {Py_NewRef(id), Py_NewRef(PyList_GET_ITEM(pids, (Py_ssize_t)p)),
                                 dec_or_none(jql_trend_unit_final(t, i, p)),
                                 rank_or_none(jql_trend_unit_rank(t, i, p)),
                                 jqlpy_cached_str(jql_trend_unit_tier(t, i, p)), change(rc, mv)};
            for (int c = 0; c < NCOL; c++) {
                bad = bad || !v[c];
                if (v[c])
                    PyList_SET_ITEM(col[c], row, v[c]); /* a failed list is dropped whole */
            }
        }
        Py_XDECREF(id);
    }
    jqlpy_text_cache_clear();
    out = bad ? NULL : PyDict_New();
    for (int c = 0; out && c < NCOL; c++)
        if (PyDict_SetItemString(out, names[c], col[c]) < 0)
            Py_CLEAR(out);
    for (int c = 0; c < NCOL; c++)
        Py_XDECREF(col[c]);
    Py_XDECREF(pids);
    return out;
}

static PyObject *py_trend_columns(PyObject *m, PyObject *args)
{
    return from_trend(args, "O:trend_columns", trend_columns);
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
    {"write_plans", py_write_plans, METH_VARARGS,
     "write_plans(results, binary_file): stream the plans JSON to file.write(), as "
     "jql_improvement_plans_write_cb()"},
    {"trend", py_trend, METH_VARARGS, "trend([results]) -> str (JSON)"},
    {"compare_dict", py_compare_dict, METH_VARARGS, "compare_dict(before, after) -> dict"},
    {"sensitivity_dict", py_sensitivity_dict, METH_VARARGS,
     "sensitivity_dict(results, percent_milli, runs, seed, flags) -> dict"},
    {"plans_dict", py_plans_dict, METH_VARARGS, "plans_dict(results) -> dict"},
    {"trend_dict", py_trend_dict, METH_VARARGS, "trend_dict([results]) -> dict"},
    {"trend_columns", py_trend_columns, METH_VARARGS,
     "trend_columns([results]) -> dict of lists: unit, period, final, rank, tier, movement"},
    {NULL, NULL, 0, NULL},
};
