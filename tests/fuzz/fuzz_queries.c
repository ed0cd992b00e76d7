/* libFuzzer harness for the queries and the builder: the input is a
   dataset, a NUL byte, then a little program. Each step of the program
   (one byte, then its arguments) calls a public query or builder function
   with unit, indicator, period and kind ids picked from the dataset, from
   standard and boundary period ids, or spelled out by the input itself.
   Queries must return documented statuses and consistent counts; after
   the edits, a dataset that checks clean must save and load again to the
   same bytes, and one that does not must still save. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    const uint8_t *p;
    size_t n;
    char text[3][160]; /* ids spelled by the input, rotating */
    int slot;
} prog;

static unsigned byte(prog *g)
{
    if (!g->n)
        return 0;
    g->n--;
    return *g->p++;
}

static size_t pick(prog *g, size_t n) { return n ? byte(g) % n : 0; }

/* A string spelled by the input: a length byte then that many bytes. */
static const char *spelled(prog *g)
{
    char *s = g->text[g->slot++ % 3];
    size_t len = byte(g) % 150;
    size_t k = 0;
    while (k < len && g->n)
        s[k++] = (char)byte(g);
    s[k] = '\0';
    return s;
}

static const char *const std_periods[] = {
    "2014", "2014-Q1", "2014-Q2", "2014-Q3", "2014-Q4", "2014-H1", "2014-H2", "2014-9M",
    "2013", "2013-Q4", "2015-Q1", "1900", "1900-Q1", "1900-H1", "9999", "9999-Q4", "9999-H2",
    "9999-9M", "2014-Q5", "2014-H0", "0999", "", "2014-"};

static const char *unit_id(prog *g, const jql_dataset *ds)
{
    size_t n = jql_unit_count(ds), k = byte(g);
    if (k < 200 && n)
        return jql_unit_id(ds, k % n);
    return k < 230 ? NULL : k < 250 ? "no-such-unit" : spelled(g);
}

static const char *period_id(prog *g, const jql_dataset *ds)
{
    size_t n = jql_period_count(ds), k = byte(g);
    if (k < 80 && n)
        return jql_period_id(ds, k % n);
    if (k < 240)
        return std_periods[k % (sizeof std_periods / sizeof *std_periods)];
    return spelled(g);
}

static const char *indicator_id(prog *g, const jql_dataset *ds)
{
    size_t n = jql_indicator_count(ds), k = byte(g);
    if (k < 230 && n)
        return jql_indicator_id(ds, k % n);
    return k < 245 ? "no-such-indicator" : spelled(g);
}

static const char *kind(prog *g, const jql_dataset *ds)
{
    unsigned k = byte(g);
    size_t n;
    if (k < 80 && (n = jql_report_count(ds)) > 0)
        return jql_report_kind(ds, k % n);
    if (k < 160 && (n = jql_event_count(ds)) > 0)
        return jql_event_kind(ds, k % n);
    return k < 240 ? NULL : spelled(g);
}

static jql_date date(prog *g)
{
    unsigned k = byte(g);
    if (k == 255)
        return JQL_NO_DATE;
    if (k >= 250) { /* day numbers no JSON date can spell: must be refused */
        static const jql_date odd[] = {INT32_MAX, -25568, 2932897, INT32_MIN + 1, 1 << 30};
        return odd[k - 250];
    }
    jql_date out;
    int y = k < 16 ? (k < 8 ? 1900 : 9999) : 2012 + (int)(k % 4);
    if (jql_date_from_ymd(y, 1 + (int)(byte(g) % 12), 1 + (int)(byte(g) % 28), &out) != JQL_OK)
        abort();
    return out;
}

static jql_milli milli(prog *g)
{
    unsigned k = byte(g);
    switch (k % 8) {
    case 0: return JQL_MILLI_MAX;
    case 1: return -1;
    case 2: return JQL_NO_SCORE;
    case 3: return JQL_MILLI_MAX + 1;
    default: return (jql_milli)(k * 997u + byte(g));
    }
}

/* A list query: sizing call, filling call, same count, valid indices. */
#define LIST_QUERY(count_of, call_with)                                       \
    do {                                                                      \
        size_t n0 = 0, n1 = 0;                                                \
        int lrc_ = call_with(NULL, 0, &n0);                                   \
        FUZZ_ASSERT(lrc_ == JQL_OK || lrc_ == JQL_ENOTFOUND ||                \
                    lrc_ == JQL_EINVALID || lrc_ == JQL_ENOMEM);              \
        if (lrc_ != JQL_OK)                                                   \
            FUZZ_ASSERT(n0 == 0);                                             \
        if (lrc_ == JQL_OK && n0 > 0) {                                       \
            size_t *lq_ = malloc(n0 * sizeof *lq_);                           \
            FUZZ_ASSERT(lq_);                                                 \
            FUZZ_ASSERT(call_with(lq_, n0, &n1) == JQL_OK);                   \
            FUZZ_ASSERT(n1 == n0);                                            \
            for (size_t i = 0; i < n1; i++)                                   \
                FUZZ_ASSERT(lq_[i] < count_of(ds));                           \
            free(lq_);                                                        \
        }                                                                     \
    } while (0)

static void step(prog *g, jql_dataset *ds)
{
    const char *u, *p, *q, *ind, *k;
    char buf[160];
    jql_milli v, w, x, y;
    size_t n, idx;
    int rc;
    switch (byte(g) % 24) {
    case 0:
        u = unit_id(g, ds), ind = indicator_id(g, ds), p = period_id(g, ds);
        rc = jql_indicator_value(ds, u, ind, p, byte(g) & 1 ? JQL_ROLLUP : 0, &v);
        FUZZ_ASSERT(rc == JQL_OK || rc == JQL_ENODATA || rc == JQL_ENOTFOUND || rc == JQL_EINVALID ||
                    rc == JQL_ELIMIT);
        if (rc == JQL_OK)
            FUZZ_ASSERT(v >= 0);
        break;
    case 1:
        u = unit_id(g, ds), ind = indicator_id(g, ds), p = period_id(g, ds);
        rc = jql_indicator_value_change(ds, u, ind, p, byte(g) & 1 ? JQL_ROLLUP : 0, &v, &w, &x, &y);
        FUZZ_ASSERT(rc == JQL_OK || rc == JQL_ENODATA || rc == JQL_ENOTFOUND || rc == JQL_EINVALID ||
                    rc == JQL_ELIMIT);
        break;
    case 2: {
        u = unit_id(g, ds), p = period_id(g, ds), k = kind(g, ds);
#define CALL(o, c, n) jql_reports_in_period(ds, u, p, k, o, c, n)
        LIST_QUERY(jql_report_count, CALL);
#undef CALL
        break;
    }
    case 3: {
        u = unit_id(g, ds), p = period_id(g, ds);
#define CALL(o, c, n) jql_tasks_due(ds, u, p, o, c, n)
        LIST_QUERY(jql_task_count, CALL);
#undef CALL
        break;
    }
    case 4: {
        u = unit_id(g, ds);
        jql_date when = date(g);
#define CALL(o, c, n) jql_tasks_overdue(ds, u, when, o, c, n)
        LIST_QUERY(jql_task_count, CALL);
#undef CALL
        break;
    }
    case 5:
        u = unit_id(g, ds), p = period_id(g, ds);
        rc = jql_tasks_completion_share(ds, u, p, &v);
        FUZZ_ASSERT(rc == JQL_OK || rc == JQL_ENODATA || rc == JQL_ENOTFOUND ||
                    rc == JQL_EINVALID || rc == JQL_ENOMEM);
        if (rc == JQL_OK)
            FUZZ_ASSERT(v >= 0 && v <= 100000);
        break;
    case 6: {
        u = unit_id(g, ds), p = period_id(g, ds);
#define CALL(o, c, n) jql_shortcomings_open(ds, u, p, o, c, n)
        LIST_QUERY(jql_shortcoming_count, CALL);
#undef CALL
        break;
    }
    case 7: {
        u = unit_id(g, ds), p = period_id(g, ds);
#define CALL(o, c, n) jql_directives_due(ds, u, p, o, c, n)
        LIST_QUERY(jql_directive_count, CALL);
#undef CALL
        rc = jql_directives_completion_share(ds, u, p, &v);
        FUZZ_ASSERT(rc == JQL_OK || rc == JQL_ENODATA || rc == JQL_ENOTFOUND ||
                    rc == JQL_EINVALID || rc == JQL_ENOMEM);
        if (rc == JQL_OK)
            FUZZ_ASSERT(v >= 0 && v <= 100000);
        break;
    }
    case 8: {
        u = unit_id(g, ds), p = period_id(g, ds), k = kind(g, ds);
#define CALL(o, c, n) jql_events_in_period(ds, u, p, k, o, c, n)
        LIST_QUERY(jql_event_count, CALL);
#undef CALL
        break;
    }
    case 9: {
        p = period_id(g, ds), q = period_id(g, ds);
        jql_period_kind pk;
        jql_date s, e;
        rc = jql_period_resolve(ds, p, &pk, &s, &e);
        FUZZ_ASSERT(rc == JQL_OK || rc == JQL_ENOTFOUND || rc == JQL_EINVALID);
        if (rc == JQL_OK)
            FUZZ_ASSERT(s <= e);
        bool inside = false;
        rc = jql_period_contains(ds, p, q, &inside);
        FUZZ_ASSERT(rc == JQL_OK || rc == JQL_ENOTFOUND || rc == JQL_EINVALID);
        size_t cap = byte(g) % sizeof buf;
        rc = jql_period_previous(ds, p, buf, cap);
        FUZZ_ASSERT(rc == JQL_OK || rc == JQL_ENOTFOUND || rc == JQL_ELIMIT ||
                    rc == JQL_EINVALID);
        if (rc == JQL_OK)
            FUZZ_ASSERT(strlen(buf) < cap);
        rc = jql_period_year_before(ds, p, buf, cap);
        FUZZ_ASSERT(rc == JQL_OK || rc == JQL_ENOTFOUND || rc == JQL_ELIMIT ||
                    rc == JQL_EINVALID);
        if (rc == JQL_OK)
            FUZZ_ASSERT(strlen(buf) < cap);
        break;
    }
    case 10:
        if ((n = jql_unit_count(ds)) == 0)
            break;
        idx = pick(g, n);
        {
            size_t total = jql_unit_descendants(ds, idx, NULL, 0);
            FUZZ_ASSERT(total < n);
            size_t *out = malloc((total + 1) * sizeof *out);
            FUZZ_ASSERT(out);
            FUZZ_ASSERT(jql_unit_descendants(ds, idx, out, total) == total);
            for (size_t i = 0; i < total; i++)
                FUZZ_ASSERT(out[i] < n && jql_unit_is_within(ds, out[i], idx));
            free(out);
            FUZZ_ASSERT(jql_unit_depth(ds, idx) < n);
        }
        break;
    case 11:
        u = unit_id(g, ds), p = period_id(g, ds);
        rc = jql_assessment_find(ds, u, p, spelled(g), &idx);
        FUZZ_ASSERT(rc == JQL_OK || rc == JQL_ENOTFOUND || rc == JQL_EINVALID);
        break;
    /* edits */
    case 12:
        if ((n = jql_unit_count(ds)) == 0)
            break;
        idx = pick(g, n);
        u = unit_id(g, ds);
        {
            /* a cycle exactly when the unit is the new parent or above it */
            size_t p_idx = JQL_NONE;
            bool found = u && jql_unit_find(ds, u, &p_idx) == JQL_OK;
            bool cycle = found && jql_unit_is_within(ds, p_idx, idx);
            rc = jql_unit_set_parent(ds, idx, u);
            FUZZ_ASSERT(rc == (cycle ? JQL_EINVALID : u && !found ? rc : JQL_OK));
            FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID || rc == JQL_ENOTFOUND);
            if (rc == JQL_OK)
                FUZZ_ASSERT(jql_unit_parent(ds, idx) == (u ? p_idx : JQL_NONE));
        }
        break;
    case 13:
        u = unit_id(g, ds), ind = indicator_id(g, ds), p = period_id(g, ds);
        rc = jql_stat_set_value(ds, u, ind, p, milli(g));
        FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID || rc == JQL_ENOTFOUND);
        break;
    case 14:
        rc = jql_unit_add(ds, spelled(g), "New", byte(g) & 1 ? "district" : "commune",
                          unit_id(g, ds), NULL);
        FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID || rc == JQL_ENOTFOUND ||
                    rc == JQL_EEXISTS);
        break;
    case 15:
        if ((n = jql_unit_count(ds)) == 0)
            break;
        idx = pick(g, n);
        switch (byte(g) % 4) {
        case 0: rc = jql_unit_set_name(ds, idx, spelled(g)); break;
        case 1: rc = jql_unit_set_cluster(ds, idx, byte(g) & 1 ? NULL : spelled(g)); break;
        case 2: rc = jql_unit_set_attr(ds, idx, spelled(g), byte(g) & 1 ? NULL : spelled(g)); break;
        default: rc = jql_unit_set_level(ds, idx, spelled(g));
        }
        FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID || rc == JQL_ENOTFOUND);
        break;
    case 16: {
        jql_date s = date(g), e = date(g);
        rc = jql_period_add(ds, spelled(g), byte(g) & 1 ? NULL : "Named", s, e, NULL);
        FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID || rc == JQL_EEXISTS);
        break;
    }
    case 17:
        u = unit_id(g, ds), p = period_id(g, ds), k = kind(g, ds);
        rc = jql_report_add(ds, u, p, k ? k : "statistics", date(g), date(g), byte(g) & 1, NULL);
        FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID || rc == JQL_ENOTFOUND ||
                    rc == JQL_EEXISTS);
        break;
    case 18:
        rc = jql_task_add(ds, spelled(g), "Task", date(g), &idx);
        FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID || rc == JQL_EEXISTS);
        if (rc == JQL_OK) {
            rc = jql_task_add_owner(ds, idx, unit_id(g, ds));
            FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID || rc == JQL_ENOTFOUND ||
                        rc == JQL_EEXISTS);
            rc = jql_task_set_status(ds, idx, (jql_task_status)(byte(g) % 4), date(g));
            FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID);
            rc = jql_task_set_period(ds, idx, byte(g) & 1 ? NULL : period_id(g, ds));
            FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID || rc == JQL_ENOTFOUND);
        }
        break;
    case 19:
        u = unit_id(g, ds), k = kind(g, ds);
        rc = jql_event_add(ds, u, date(g), k ? k : "initiative", spelled(g), &idx);
        FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID || rc == JQL_ENOTFOUND);
        if (rc == JQL_OK) {
            rc = jql_event_set_points(ds, idx, milli(g));
            FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID);
        }
        break;
    case 20:
        u = unit_id(g, ds), p = period_id(g, ds);
        rc = jql_assessment_add(ds, u, p, spelled(g), milli(g), milli(g), &idx);
        FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID || rc == JQL_ENOTFOUND ||
                    rc == JQL_EEXISTS);
        if (rc == JQL_OK) {
            rc = jql_assessment_set_not_applicable(ds, idx, byte(g) & 1);
            FUZZ_ASSERT(rc == JQL_OK);
        }
        break;
    case 21:
        rc = jql_shortcoming_add(ds, spelled(g), period_id(g, ds), "Text", &idx);
        FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID || rc == JQL_ENOTFOUND ||
                    rc == JQL_EEXISTS);
        if (rc == JQL_OK) {
            rc = jql_shortcoming_set_resolved(ds, idx, byte(g) & 1 ? NULL : period_id(g, ds));
            FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID || rc == JQL_ENOTFOUND);
            rc = jql_shortcoming_add_unit(ds, idx, unit_id(g, ds));
            FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID || rc == JQL_ENOTFOUND ||
                        rc == JQL_EEXISTS);
        }
        break;
    case 22:
        rc = jql_directive_add(ds, spelled(g), date(g), unit_id(g, ds), "Text", &idx);
        FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID || rc == JQL_ENOTFOUND ||
                    rc == JQL_EEXISTS);
        if (rc == JQL_OK) {
            rc = jql_directive_set_due(ds, idx, date(g));
            FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID);
            rc = jql_directive_add_answer(ds, idx, spelled(g));
            FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID || rc == JQL_EEXISTS);
            rc = jql_directive_add_level(ds, idx, spelled(g));
            FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID || rc == JQL_EEXISTS);
        }
        break;
    default:
        rc = jql_dataset_set_name(ds, byte(g) & 1 ? NULL : spelled(g));
        FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, '\0', size);
    size_t ds_len = nul ? (size_t)(nul - data) : size;
    jql_dataset *ds = NULL;
    jql_diagnostics *diag = NULL;
    int rc = jql_dataset_load_buffer((const char *)data, ds_len, "<fuzz>", &ds, &diag);
    jql_diagnostics_free(diag);
    if (rc != JQL_OK)
        return 0;
    prog g = {.p = nul ? nul + 1 : data + size, .n = nul ? size - ds_len - 1 : 0};
    for (int i = 0; i < 256 && g.n; i++)
        step(&g, ds);
    jql_diagnostics *check = NULL;
    rc = jql_dataset_check(ds, &check);
    FUZZ_ASSERT(rc == JQL_OK || rc == JQL_EINVALID);
    fuzz_check_diag(check);
    jql_diagnostics_free(check);
    if (rc == JQL_OK) {
        fuzz_check_roundtrip(ds);
    } else {
        char *json = NULL;
        FUZZ_ASSERT(jql_dataset_to_json(ds, &json, NULL) == JQL_OK);
        jql_free(json);
    }
    jql_dataset_free(ds);
    return 0;
}
