/*
 * Periods: standard ids ("2014", "2014-H1", "2014-Q3", "2014-9M") parsed on
 * the fly, and declared periods with explicit ranges (custom ids, or
 * standard ids with cut-off dates that replace the calendar range).
 */
#include <stdio.h>
#include <string.h>

#include "model.h"

/* Split a standard id into year, kind and number (half/quarter 1..4).
   True when the id has a standard shape and a year in range. */
static bool parse_std(const char *id, int *year, jql_period_kind *kind, int *num)
{
    if (!id)
        return false;
    size_t n = strlen(id);
    if (n != 4 && n != 7)
        return false;
    int y = 0;
    for (int i = 0; i < 4; i++) {
        if (id[i] < '0' || id[i] > '9')
            return false;
        y = y * 10 + (id[i] - '0');
    }
    if (y < JQL_YEAR_MIN || y > JQL_YEAR_MAX)
        return false;
    *year = y;
    *num = 0;
    if (n == 4) {
        *kind = JQL_PERIOD_YEAR;
        return true;
    }
    if (id[4] != '-')
        return false;
    char c = id[5], d = id[6];
    if (c == 'H' && (d == '1' || d == '2')) {
        *kind = JQL_PERIOD_HALF;
        *num = d - '0';
    } else if (c == 'Q' && d >= '1' && d <= '4') {
        *kind = JQL_PERIOD_QUARTER;
        *num = d - '0';
    } else if (c == '9' && d == 'M') {
        *kind = JQL_PERIOD_NINE_MONTHS;
    } else {
        return false;
    }
    return true;
}

static jql_date ymd(int y, int m, int d)
{
    jql_date out = 0;
    return jql_date_from_ymd(y, m, d, &out) == JQL_OK ? out : JQL_NO_DATE; /* always valid here */
}

/* Last day of month m of year y. */
static jql_date month_end(int y, int m)
{
    return m == 12 ? ymd(y, 12, 31) : ymd(y, m + 1, 1) - 1;
}

int jql_standard_period(const char *id, jql_range *out)
{
    int y, num;
    jql_period_kind kind;
    if (!parse_std(id, &y, &kind, &num))
        return jql_fail(JQL_ENOTFOUND, "unknown period \"%s\"", id ? id : "");
    int m0 = 1, m1 = 12;
    switch (kind) {
    case JQL_PERIOD_HALF: m0 = num == 1 ? 1 : 7; m1 = m0 + 5; break;
    case JQL_PERIOD_QUARTER: m0 = 3 * num - 2; m1 = m0 + 2; break;
    case JQL_PERIOD_NINE_MONTHS: m1 = 9; break;
    default: break;
    }
    out->kind = kind;
    out->has_as_of = false;
    out->as_of = 0;
    out->start = ymd(y, m0, 1);
    out->end = month_end(y, m1);
    return JQL_OK;
}

int jql_ds_resolve_period(const jql_dataset *ds, const char *id, jql_range *out)
{
    size_t i;
    if (!id)
        return jql_fail(JQL_ENOTFOUND, "missing period id");
    if (ds && jql_strmap_get(&ds->period_ids, id, &i) == JQL_OK) {
        const jql_period_rec *p = &ds->periods.items[i];
        out->kind = p->kind;
        out->start = p->start;
        out->end = p->end;
        out->has_as_of = false;
        out->as_of = 0;
        return JQL_OK;
    }
    return jql_standard_period(id, out);
}

size_t jql_period_count(const jql_dataset *ds) { return ds ? ds->periods.len : 0; }

int jql_period_find(const jql_dataset *ds, const char *id, size_t *index)
{
    if (!ds || !id || jql_strmap_get(&ds->period_ids, id, index) != JQL_OK)
        return jql_fail(JQL_ENOTFOUND, "no declared period \"%s\"", id ? id : "");
    return JQL_OK;
}

const char *jql_period_id(const jql_dataset *ds, size_t i)
{
    return ds && i < ds->periods.len ? ds->periods.items[i].id : NULL;
}

const char *jql_period_name(const jql_dataset *ds, size_t i)
{
    return ds && i < ds->periods.len ? ds->periods.items[i].name : NULL;
}

int jql_period_resolve(const jql_dataset *ds, const char *id, jql_period_kind *kind,
                       jql_date *start, jql_date *end)
{
    jql_range r;
    int rc = jql_ds_resolve_period(ds, id, &r);
    if (rc)
        return rc;
    if (kind)
        *kind = r.kind;
    if (start)
        *start = r.start;
    if (end)
        *end = r.end;
    return JQL_OK;
}

/* True when some record already refers to period `id` (its stored range
   would silently disagree with a declaration made now). */
static bool period_in_use(const jql_dataset *ds, const char *id)
{
    for (size_t i = 0; i < ds->stats.len; i++)
        if (strcmp(ds->stats.items[i].period, id) == 0)
            return true;
    for (size_t i = 0; i < ds->reports.len; i++)
        if (strcmp(ds->reports.items[i].period, id) == 0)
            return true;
    for (size_t i = 0; i < ds->tasks.len; i++)
        if (ds->tasks.items[i].period && strcmp(ds->tasks.items[i].period, id) == 0)
            return true;
    for (size_t i = 0; i < ds->shortcomings.len; i++) {
        const jql_shortcoming_rec *s = &ds->shortcomings.items[i];
        if (strcmp(s->period, id) == 0 || (s->resolved && strcmp(s->resolved, id) == 0))
            return true;
    }
    for (size_t i = 0; i < ds->assessments.len; i++)
        if (strcmp(ds->assessments.items[i].period, id) == 0)
            return true;
    return false;
}

/* A key of ds->period_dates (model.h). */
static const char *date_key(char buf[48], char what, jql_date a, jql_date b)
{
    if (what == 'r')
        snprintf(buf, 48, "r%ld:%ld", (long)a, (long)b);
    else
        snprintf(buf, 48, "%c%ld", what, (long)a);
    return buf;
}

/* Period i's dates as keys, each kept for the first period that has it. */
static int index_dates(jql_dataset *ds, size_t i, jql_date start, jql_date end)
{
    static const char what[] = {'s', 'e', 'r'};
    for (size_t k = 0; k < sizeof what; k++) {
        char key[48];
        date_key(key, what[k], what[k] == 'e' ? end : start, end);
        jql_strmap_spot spot;
        if (jql_strmap_get_spot(&ds->period_dates, key, NULL, &spot) != JQL_OK &&
            jql_strmap_put_spot(&ds->period_dates, key, i, &spot))
            return JQL_ENOMEM;
    }
    return JQL_OK;
}

static bool has_dates(const jql_period_rec *p, char what, jql_date a, jql_date b)
{
    return what == 's' ? p->start == a : what == 'e' ? p->end == a : p->start == a && p->end == b;
}

/* The first declared period with start a ('s'), end a ('e') or both a
   and b ('r'), other than period `not`. */
static bool period_by_dates(const jql_dataset *ds, char what, jql_date a, jql_date b, size_t not,
                            size_t *out)
{
    char buf[48];
    size_t k;
    if (jql_strmap_get(&ds->period_dates, date_key(buf, what, a, b), &k) != JQL_OK)
        return false;
    if (k < ds->periods.len && k != not && has_dates(&ds->periods.items[k], what, a, b)) {
        *out = k;
        return true;
    }
    /* a key left by a failed declaration, or period `not` itself: read them all */
    for (k = 0; k < ds->periods.len; k++)
        if (k != not && has_dates(&ds->periods.items[k], what, a, b)) {
            *out = k;
            return true;
        }
    return false;
}

/*
 * Records store their period's range when added, so a standard id must be
 * declared (given a cut-off range) before any record uses it: declaring it
 * later is refused rather than leaving records with the calendar range.
 */
int jql_period_add(jql_dataset *ds, const char *id, const char *name, jql_date start,
                   jql_date end, size_t *index)
{
    if (!ds)
        return jql_fail(JQL_EINVALID, "no dataset");
    int rc = jql_check_id("period", id);
    if (rc || (rc = jql_check_text("period name", name)))
        return rc;
    if (start == JQL_NO_DATE || end == JQL_NO_DATE)
        return jql_fail(JQL_EINVALID, "period \"%s\" needs a start and an end date", id);
    if (!jql_date_in_range(start) || !jql_date_in_range(end))
        return jql_fail(JQL_EINVALID, "period \"%s\": dates outside the years %d..%d", id,
                        JQL_YEAR_MIN, JQL_YEAR_MAX);
    if (start > end)
        return jql_fail(JQL_EINVALID, "period \"%s\" starts after it ends", id);
    if (jql_strmap_get(&ds->period_ids, id, NULL) == JQL_OK)
        return jql_fail(JQL_EEXISTS, "id \"%s\" already used by another period", id);
    if (ds->periods.len >= jql_ds_max_records(ds))
        return jql_fail(JQL_ELIMIT, "more than %zu periods", jql_ds_max_records(ds));
    int y, num;
    jql_period_kind kind;
    bool standard = parse_std(id, &y, &kind, &num);
    if (standard && period_in_use(ds, id))
        return jql_fail(JQL_EINVALID,
                        "period \"%s\" is declared after records already use its calendar range",
                        id);
    if (JQL_VEC_RESERVE1(ds->periods))
        return jql_fail(JQL_ENOMEM, "out of memory");
    jql_period_rec p = {0};
    p.id = jql_strdup_nfc(id);
    p.name = jql_strdup(name);
    if (!p.id || (name && !p.name))
        goto oom;
    p.kind = standard ? kind : JQL_PERIOD_CUSTOM;
    p.start = start;
    p.end = end;
    p.cutoff_start = p.cutoff_end = JQL_NO_DATE;
    /* The map entry is made last: the map has no removal (a date key left
       by a failure here is checked, and then not trusted). */
    if (index_dates(ds, ds->periods.len, start, end) ||
        jql_strmap_put(&ds->period_ids, id, ds->periods.len))
        goto oom;
    ds->periods.items[ds->periods.len] = p;
    if (index)
        *index = ds->periods.len;
    ds->periods.len++;
    return JQL_OK;
oom:
    jql_free(p.id);
    jql_free(p.name);
    return jql_fail(JQL_ENOMEM, "out of memory");
}

int jql_period_set_cutoff(jql_dataset *ds, size_t i, jql_date start, jql_date end)
{
    if (!ds || i >= ds->periods.len)
        return jql_fail(JQL_EINVALID, "no such declared period");
    jql_period_rec *p = &ds->periods.items[i];
    if (start == JQL_NO_DATE && end == JQL_NO_DATE) {
        p->cutoff_start = p->cutoff_end = JQL_NO_DATE;
        return JQL_OK;
    }
    if (start == JQL_NO_DATE || end == JQL_NO_DATE)
        return jql_fail(JQL_EINVALID, "period \"%s\": a cut-off needs both dates", p->id);
    if (!jql_date_in_range(start) || !jql_date_in_range(end))
        return jql_fail(JQL_EINVALID, "period \"%s\": cut-off dates outside the years %d..%d",
                        p->id, JQL_YEAR_MIN, JQL_YEAR_MAX);
    if (start > end)
        return jql_fail(JQL_EINVALID, "period \"%s\": the cut-off starts after it ends", p->id);
    p->cutoff_start = start;
    p->cutoff_end = end;
    return JQL_OK;
}

int jql_period_cutoff(const jql_dataset *ds, const char *id, jql_date *start, jql_date *end)
{
    size_t i;
    if (!ds || !id || jql_strmap_get(&ds->period_ids, id, &i) != JQL_OK ||
        ds->periods.items[i].cutoff_start == JQL_NO_DATE)
        return JQL_ENOTFOUND;
    if (start)
        *start = ds->periods.items[i].cutoff_start;
    if (end)
        *end = ds->periods.items[i].cutoff_end;
    return JQL_OK;
}

int jql_period_contains(const jql_dataset *ds, const char *outer, const char *inner,
                        bool *contains)
{
    jql_range a, b;
    if (!contains)
        return jql_fail(JQL_EINVALID, "contains pointer is NULL");
    int rc = jql_ds_resolve_period(ds, outer, &a);
    if (rc || (rc = jql_ds_resolve_period(ds, inner, &b)))
        return rc;
    *contains = jql_range_within(b, a);
    return JQL_OK;
}

/* Copy an id into a caller's buffer: JQL_ELIMIT when it does not fit. */
static int copy_id(char *buf, size_t size, const char *id)
{
    size_t n = strlen(id);
    if (!buf || n >= size)
        return jql_fail(JQL_ELIMIT, "buffer of %zu bytes too small for period id \"%s\"", size, id);
    memcpy(buf, id, n + 1);
    return JQL_OK;
}

static int write_std(char *buf, size_t size, int y, jql_period_kind kind, int num)
{
    if (y < JQL_YEAR_MIN)
        return jql_fail(JQL_ENOTFOUND, "no period before year %d", JQL_YEAR_MIN);
    if (y > JQL_YEAR_MAX)
        return jql_fail(JQL_ENOTFOUND, "no period after year %d", JQL_YEAR_MAX);
    char tmp[16];
    switch (kind) {
    case JQL_PERIOD_HALF: snprintf(tmp, sizeof tmp, "%04d-H%d", y, num); break;
    case JQL_PERIOD_QUARTER: snprintf(tmp, sizeof tmp, "%04d-Q%d", y, num); break;
    case JQL_PERIOD_NINE_MONTHS: snprintf(tmp, sizeof tmp, "%04d-9M", y); break;
    default: snprintf(tmp, sizeof tmp, "%04d", y); break;
    }
    return copy_id(buf, size, tmp);
}

int jql_period_previous(const jql_dataset *ds, const char *id, char *buf, size_t size)
{
    int y, num;
    jql_period_kind kind;
    if (parse_std(id, &y, &kind, &num)) {
        if (kind == JQL_PERIOD_HALF || kind == JQL_PERIOD_QUARTER) {
            if (num > 1)
                return write_std(buf, size, y, kind, num - 1);
            return write_std(buf, size, y - 1, kind, kind == JQL_PERIOD_HALF ? 2 : 4);
        }
        return write_std(buf, size, y - 1, kind, 0);
    }
    size_t i;
    if (!ds || !id || jql_strmap_get(&ds->period_ids, id, &i) != JQL_OK)
        return jql_fail(JQL_ENOTFOUND, "unknown period \"%s\"", id ? id : "");
    size_t k;
    if (period_by_dates(ds, 'e', ds->periods.items[i].start - 1, 0, i, &k))
        return copy_id(buf, size, ds->periods.items[k].id);
    return jql_fail(JQL_ENOTFOUND, "no declared period ends the day before \"%s\" starts", id);
}

int jql_period_next(const jql_dataset *ds, const char *id, char *buf, size_t size)
{
    int y, num;
    jql_period_kind kind;
    if (parse_std(id, &y, &kind, &num)) {
        if (kind == JQL_PERIOD_HALF || kind == JQL_PERIOD_QUARTER) {
            if (num < (kind == JQL_PERIOD_HALF ? 2 : 4))
                return write_std(buf, size, y, kind, num + 1);
            return write_std(buf, size, y + 1, kind, 1);
        }
        if (kind == JQL_PERIOD_NINE_MONTHS) /* January-September: the fourth quarter follows */
            return write_std(buf, size, y, JQL_PERIOD_QUARTER, 4);
        return write_std(buf, size, y + 1, kind, 0);
    }
    size_t i;
    if (!ds || !id || jql_strmap_get(&ds->period_ids, id, &i) != JQL_OK)
        return jql_fail(JQL_ENOTFOUND, "unknown period \"%s\"", id ? id : "");
    size_t k;
    if (period_by_dates(ds, 's', ds->periods.items[i].end + 1, 0, i, &k))
        return copy_id(buf, size, ds->periods.items[k].id);
    return jql_fail(JQL_ENOTFOUND, "no declared period starts the day after \"%s\" ends", id);
}

int jql_period_next_range(const jql_dataset *ds, const char *id, char *buf, size_t size,
                          jql_date *start, jql_date *end)
{
    if (!start || !end)
        return jql_fail(JQL_EINVALID, "start or end pointer is NULL");
    jql_range r, n;
    if (jql_ds_resolve_period(ds, id, &r) != JQL_OK)
        return jql_fail(JQL_ENOTFOUND, "unknown period \"%s\"", id ? id : "");
    if (buf && size)
        buf[0] = '\0';
    char next[JQL_MAX_ID_BYTES + 1];
    if (jql_period_next(ds, id, next, sizeof next) == JQL_OK &&
        jql_ds_resolve_period(ds, next, &n) == JQL_OK && n.start == r.end + 1) {
        if (buf || size) {
            int rc = copy_id(buf, size, next);
            if (rc != JQL_OK) {
                if (buf && size)
                    buf[0] = '\0';
                return rc;
            }
        }
        *start = n.start;
        *end = n.end;
        return JQL_OK;
    }
    /* no period follows in sequence: the same number of days again */
    jql_date last;
    if (jql_date_from_ymd(JQL_YEAR_MAX, 12, 31, &last) != JQL_OK ||
        r.end - r.start > last - r.end - 1)
        return jql_fail(JQL_ENOTFOUND, "no period after \"%s\" before the end of year %d", id,
                        JQL_YEAR_MAX);
    jql_clear_error();
    *start = r.end + 1;
    *end = r.end + 1 + (r.end - r.start);
    return JQL_OK;
}

/* The name of a standard id in one language (buf as snprintf). */
static int standard_name(const char *id, bool en, char *buf, size_t size, bool *ok)
{
    static const char *const roman[4] = {"I", "II", "III", "IV"};
    int y, num;
    jql_period_kind kind;
    *ok = parse_std(id, &y, &kind, &num);
    if (!*ok)
        return 0;
    switch (kind) {
    case JQL_PERIOD_QUARTER:
        return en ? snprintf(buf, size, "Q%d %d", num, y)
                  : snprintf(buf, size, "Quý %s/%d", roman[num - 1], y);
    case JQL_PERIOD_HALF:
        return en ? snprintf(buf, size, "%s half of %d", num == 1 ? "First" : "Second", y)
                  : snprintf(buf, size, "6 tháng %s năm %d", num == 1 ? "đầu" : "cuối", y);
    case JQL_PERIOD_NINE_MONTHS:
        return snprintf(buf, size, en ? "Nine months of %d" : "9 tháng năm %d", y);
    default: return snprintf(buf, size, en ? "Year %d" : "Năm %d", y);
    }
}

int jql_period_display_name(const jql_dataset *ds, const char *id, const char *lang, char *buf,
                            size_t size)
{
    if (!id)
        return jql_fail(JQL_EINVALID, "period id is NULL");
    if (!lang || (strcmp(lang, "vi") != 0 && strcmp(lang, "en") != 0))
        return jql_fail(JQL_EINVALID, "language \"%s\" is neither \"vi\" nor \"en\"",
                        lang ? lang : "(null)");
    if (!buf && size > 0)
        return jql_fail(JQL_EINVALID, "buffer is NULL");
    bool en = strcmp(lang, "en") == 0, std;
    size_t i;
    const char *declared = NULL;
    if (ds && jql_strmap_get(&ds->period_ids, id, &i) == JQL_OK)
        declared = ds->periods.items[i].name;
    /* declared names are the dataset's own (Vietnamese) ones */
    int n = -1;
    if (!en && declared)
        n = snprintf(buf, size, "%s", declared);
    else {
        char tmp[64];
        int m = standard_name(id, en, tmp, sizeof tmp, &std);
        n = snprintf(buf, size, "%s", std && m > 0 ? tmp : declared ? declared : id);
    }
    if (n < 0 || (size_t)n >= size)
        return jql_fail(JQL_ELIMIT, "buffer of %zu bytes too small for the name of period \"%s\"",
                        size, id);
    return JQL_OK;
}

int jql_period_year_before(const jql_dataset *ds, const char *id, char *buf, size_t size)
{
    int y, num;
    jql_period_kind kind;
    if (parse_std(id, &y, &kind, &num))
        return write_std(buf, size, y - 1, kind, num);
    size_t i;
    if (!ds || !id || jql_strmap_get(&ds->period_ids, id, &i) != JQL_OK)
        return jql_fail(JQL_ENOTFOUND, "unknown period \"%s\"", id ? id : "");
    jql_date start = jql_date_add_years(ds->periods.items[i].start, -1);
    jql_date end = jql_date_add_years(ds->periods.items[i].end, -1);
    size_t k;
    if (period_by_dates(ds, 'r', start, end, JQL_NONE, &k))
        return copy_id(buf, size, ds->periods.items[k].id);
    return jql_fail(JQL_ENOTFOUND, "no declared period covers \"%s\" one year earlier", id);
}
