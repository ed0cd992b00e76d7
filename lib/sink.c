/* Streamed documents: chunks to the caller's sink (sink.h). */
#include "sink.h"

void jql_sink_init(jql_sink *w, jql_write_fn fn, void *user)
{
    w->fn = fn;
    w->user = user;
    jql_buf_init(&w->b);
    w->sink_failed = false;
}

void jql_sink_flush(jql_sink *w)
{
    if (w->b.failed || w->sink_failed || w->b.len == 0)
        return;
    if (w->fn(w->user, w->b.data, w->b.len) != 0)
        w->sink_failed = true;
    w->b.len = 0;
}

void jql_sink_flush_full(jql_sink *w)
{
    if (w->b.len >= JQL_SINK_CHUNK)
        jql_sink_flush(w);
}

int jql_sink_end(jql_sink *w, const char *what)
{
    jql_sink_flush(w);
    bool oom = w->b.failed;
    jql_buf_free(&w->b);
    if (oom)
        return jql_fail(JQL_ENOMEM, "out of memory");
    if (w->sink_failed)
        return jql_fail(JQL_EIO, "writing %s failed", what);
    return JQL_OK;
}

int jql_sink_to_file(void *user, const char *data, size_t len)
{
    return fwrite(data, 1, len, (FILE *)user) == len ? 0 : -1;
}

int jql_sink_to_buf(void *user, const char *data, size_t len)
{
    jql_buf *all = user;
    jql_buf_add(all, data, len);
    return all->failed ? -1 : 0;
}

int jql_sink_take_text(int rc, jql_buf *all, char **out, size_t *len)
{
    if (rc == JQL_OK && !(*out = jql_buf_take(all, len)))
        rc = jql_fail(JQL_ENOMEM, "out of memory");
    if (rc != JQL_OK) {
        jql_buf_free(all);
        if (rc == JQL_EIO)
            rc = jql_fail(JQL_ENOMEM, "out of memory");
    }
    return rc;
}
