/*
 * The dates of a unit's record lists by block (model.h, jql_unit_index):
 * kept as records are added, read by the queries of a window.
 */
#include "model.h"

static void widen(jql_date_span *s, jql_date lo, jql_date hi)
{
    if (lo < s->lo)
        s->lo = lo;
    if (hi > s->hi)
        s->hi = hi;
}

int jql_dates_insert(jql_date_spans *s, size_t pos, size_t len, jql_date d)
{
    size_t blocks = (len + JQL_DATE_BLOCK - 1) / JQL_DATE_BLOCK;
    while (s->len < blocks) { /* a new last block, empty until widened */
        if (JQL_VEC_RESERVE1(*s))
            return JQL_ENOMEM;
        s->items[s->len++] = (jql_date_span){INT32_MAX, INT32_MIN};
    }
    /* each block after pos's took the last entry of the block before it:
       from the end, so that each widens by its neighbour's span before that
       one widens in turn (a span only grows: still covering what it had) */
    for (size_t b = blocks - 1; b > pos / JQL_DATE_BLOCK; b--)
        widen(&s->items[b], s->items[b - 1].lo, s->items[b - 1].hi);
    widen(&s->items[pos / JQL_DATE_BLOCK], d, d);
    return 0;
}

void jql_dates_widen(jql_date_spans *s, size_t pos, jql_date d)
{
    if (pos / JQL_DATE_BLOCK < s->len)
        widen(&s->items[pos / JQL_DATE_BLOCK], d, d);
}
