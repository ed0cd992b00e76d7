/*
 * Custom leaf methods: the context handle a registered callback receives.
 *
 * The context lives on the engine's stack for one call; accessors read
 * the scoring state, setters record the result, which jql_custom_call()
 * copies into the leaf's result only once the callback has returned 0, so
 * a failing callback leaves nothing half-set.
 */
#include <string.h>

#include "custom_internal.h"
#include "justice_quarterly/custom.h"
#include "justice_quarterly/names.h"

struct jql_custom_ctx {
    jql_score_ctx *sc;
    const jql_custom_reg *reg;
    const jql_node *node;
    size_t node_index, unit;
    jql_res_node *x;
    bool has_points, has_value;
    jql_milli points, value;
    char *rule; /* jql_custom_set_rule(), owned */
};

/* ---- accessors ---- */

const char *jql_custom_function_name(const jql_custom_ctx *ctx)
{
    return ctx ? ctx->reg->name : NULL;
}

const char *jql_custom_node_id(const jql_custom_ctx *ctx)
{
    return ctx ? ctx->node->id : NULL;
}

size_t jql_custom_node_index(const jql_custom_ctx *ctx)
{
    return ctx ? ctx->node_index : JQL_NONE;
}

jql_milli jql_custom_node_max(const jql_custom_ctx *ctx)
{
    return ctx ? ctx->node->max : 0;
}

size_t jql_custom_unit_index(const jql_custom_ctx *ctx)
{
    return ctx ? ctx->unit : JQL_NONE;
}

const char *jql_custom_unit_id(const jql_custom_ctx *ctx)
{
    return ctx ? ctx->sc->ds->units.items[ctx->unit].id : NULL;
}

const char *jql_custom_period(const jql_custom_ctx *ctx)
{
    return ctx ? ctx->sc->period : NULL;
}

jql_date jql_custom_period_start(const jql_custom_ctx *ctx)
{
    return ctx ? ctx->sc->range.start : JQL_NO_DATE;
}

jql_date jql_custom_period_end(const jql_custom_ctx *ctx)
{
    return ctx ? ctx->sc->range.end : JQL_NO_DATE;
}

jql_date jql_custom_as_of(const jql_custom_ctx *ctx)
{
    return ctx && ctx->sc->range.has_as_of ? ctx->sc->range.as_of : JQL_NO_DATE;
}

const jql_dataset *jql_custom_dataset(const jql_custom_ctx *ctx)
{
    return ctx ? ctx->sc->ds : NULL;
}

const jql_criteria *jql_custom_criteria(const jql_custom_ctx *ctx)
{
    return ctx ? ctx->sc->c : NULL;
}

/* ---- exact arithmetic ---- */

int jql_custom_points_from_ratio(const jql_custom_ctx *ctx, jql_milli num, jql_milli den,
                                 jql_milli *points)
{
    if (!ctx || !points)
        return jql_fail(JQL_EINVALID, "jql_custom_points_from_ratio: NULL argument");
    if (den <= 0)
        return jql_fail(JQL_EINVALID, "jql_custom_points_from_ratio: denominator %lld is not "
                        "positive", (long long)den);
    jql_milli max = ctx->node->max;
    if (max <= 0 || num <= 0) {
        *points = 0;
        return JQL_OK;
    }
    if (num >= den) {
        *points = max;
        return JQL_OK;
    }
    /* max * num / den < max: fits, and rounds as the linear method does */
    return jql_milli_muldiv(max, num, den, points);
}

/* ---- the result ---- */

int jql_custom_set_points(jql_custom_ctx *ctx, jql_milli points)
{
    if (!ctx || points == JQL_NO_SCORE)
        return jql_fail(JQL_EINVALID, "jql_custom_set_points: NULL context or JQL_NO_SCORE");
    ctx->points = points;
    ctx->has_points = true;
    return JQL_OK;
}

int jql_custom_set_value(jql_custom_ctx *ctx, jql_milli value)
{
    if (!ctx || value == JQL_NO_SCORE)
        return jql_fail(JQL_EINVALID, "jql_custom_set_value: NULL context or JQL_NO_SCORE");
    ctx->value = value;
    ctx->has_value = true;
    return JQL_OK;
}

int jql_custom_set_rule(jql_custom_ctx *ctx, const char *text)
{
    if (!ctx || !text)
        return jql_fail(JQL_EINVALID, "jql_custom_set_rule: NULL argument");
    if (jql_check_text("custom rule text", text))
        return JQL_EINVALID;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return jql_fail(JQL_EINVALID, "custom rule text: control character at byte %zu",
                            (size_t)(p - (const unsigned char *)text));
    char *copy = jql_strdup(text);
    if (!copy)
        return jql_fail(JQL_ENOMEM, "out of memory");
    jql_free(ctx->rule);
    ctx->rule = copy;
    return JQL_OK;
}

static size_t record_count(const jql_dataset *ds, jql_evidence_kind kind)
{
    switch (kind) {
    case JQL_EVIDENCE_REPORT: return ds->reports.len;
    case JQL_EVIDENCE_TASK: return ds->tasks.len;
    case JQL_EVIDENCE_DIRECTIVE: return ds->directives.len;
    case JQL_EVIDENCE_STATISTIC: return ds->stats.len;
    case JQL_EVIDENCE_ASSESSMENT: return ds->assessments.len;
    case JQL_EVIDENCE_EVENT: return ds->events.len;
    default: return 0;
    }
}

int jql_custom_add_evidence(jql_custom_ctx *ctx, jql_evidence_kind kind, size_t index)
{
    if (!ctx)
        return jql_fail(JQL_EINVALID, "jql_custom_add_evidence: NULL context");
    if ((int)kind < 0 || kind >= JQL_EVIDENCE_KIND_COUNT)
        return jql_fail(JQL_EINVALID, "jql_custom_add_evidence: unknown evidence kind %d",
                        (int)kind);
    size_t n = record_count(ctx->sc->ds, kind);
    if (index >= n)
        return jql_fail(JQL_EINVALID, "jql_custom_add_evidence: %s %zu out of range (%zu records)",
                        jql_evidence_kind_name(kind), index, n);
    if (!ctx->sc->evidence)
        return JQL_OK; /* JQL_SCORE_NO_EVIDENCE: nothing is kept */
    jql_res_node *x = ctx->x;
    const jql_results *r = ctx->sc->r;
    uint64_t ref = jql_evidence_ref((jql_ev_kind)kind, index);
    /* The slice is the tail of r->evlist: nothing else appends during the call. */
    for (size_t i = 0; i < x->ev_count; i++)
        if (r->evlist[x->ev_start + i] == ref)
            return JQL_OK;
    if (!x->ev_count)
        x->ev_start = r->nevlist;
    return jql_evidence_add_one(ctx->sc, (jql_ev_kind)kind, index, &x->ev_count);
}

/* Copy at most size - 1 bytes without splitting a UTF-8 sequence. */
static void copy_message(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memmove(dst, src, n);
    dst[n] = '\0';
}

void jql_custom_set_error(jql_custom_ctx *ctx, const char *message)
{
    if (ctx)
        copy_message(ctx->sc->errbuf, sizeof ctx->sc->errbuf, message ? message : "");
}

/* ---- the call ---- */

int jql_custom_call(jql_score_ctx *sc, size_t u, size_t n, jql_res_node *x)
{
    const jql_node *node = &sc->c->nodes[n];
    const jql_custom_reg *reg = jql_criteria_custom_find(sc->c, node->method.custom);
    if (!reg)
        return jql_fail(JQL_EINVALID, "custom function %s (node %s) is not registered",
                        node->method.custom ? node->method.custom : "(none)", node->id);
    jql_custom_ctx ctx = {.sc = sc, .reg = reg, .node = node, .node_index = n, .unit = u, .x = x};
    size_t ev_start = x->ev_start, ev_count = x->ev_count;
    sc->errbuf[0] = '\0';
    /* scored on several threads: one call at a time (JQL_SCORE_CUSTOM_ANY_THREAD) */
    if (sc->custom_lock)
        pthread_mutex_lock(sc->custom_lock);
    int rc = reg->fn(reg->user, &ctx);
    if (sc->custom_lock)
        pthread_mutex_unlock(sc->custom_lock);
    const char *uid = sc->ds->units.items[u].id;
    if (rc == 0 && !ctx.has_points) {
        copy_message(sc->errbuf, sizeof sc->errbuf, "returned 0 without jql_custom_set_points()");
        rc = 1;
    }
    if (rc != 0) {
        x->ev_start = ev_start, x->ev_count = ev_count;
        jql_free(ctx.rule);
        /* jql_last_error() keeps 511 bytes: cut the whole text on a character */
        char msg[1024];
        snprintf(msg, sizeof msg, "custom function %s failed for unit %s, node %s: %s", reg->name,
                 uid, node->id, sc->errbuf[0] ? sc->errbuf : "no message");
        copy_message(msg, 512, msg);
        return jql_fail(JQL_ECALLBACK, "%s", msg);
    }
    jql_milli pts = ctx.points;
    x->source = JQL_SRC_CUSTOM;
    x->points = pts < 0 ? 0 : pts > node->max ? node->max : pts;
    x->has_value = ctx.has_value;
    x->value = ctx.value;
    jql_buf_puts(&sc->rule, "custom: ");
    jql_buf_puts(&sc->rule, reg->name);
    if (ctx.rule) {
        jql_buf_puts(&sc->rule, ": ");
        jql_buf_puts(&sc->rule, ctx.rule);
        jql_free(ctx.rule);
    }
    if (x->points != pts) {
        jql_buf_puts(&sc->rule, " ");
        jql_buf_milli(&sc->rule, pts);
        jql_buf_puts(&sc->rule, " clamped");
    }
    jql_buf_puts(&sc->rule, " \xE2\x86\x92 "); /* → */
    jql_buf_milli(&sc->rule, x->points);
    return JQL_OK;
}
