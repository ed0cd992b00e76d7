/*
 * Streamed documents (results JSON, improvement plans): text built in a
 * jql_buf and handed to the caller's jql_write_fn in chunks, so a document
 * of any size needs one chunk of memory; and the two sinks the library
 * itself uses, a FILE* and a growing buffer (the in-memory forms).
 */
#ifndef JQL_SINK_H
#define JQL_SINK_H

#include <stdio.h>

#include "justice_quarterly/score.h"
#include "util.h"

/* Hand the text over once the buffer holds this much (and at the end). */
#define JQL_SINK_CHUNK 65536

typedef struct {
    jql_write_fn fn;
    void *user;
    jql_buf b;        /* the text not yet handed over */
    bool sink_failed; /* fn returned non-zero: nothing more is handed over */
} jql_sink;

void jql_sink_init(jql_sink *w, jql_write_fn fn, void *user);
/* Hand over what the buffer holds (nothing after a failure). */
void jql_sink_flush(jql_sink *w);
/* The same once the buffer holds JQL_SINK_CHUNK bytes. */
void jql_sink_flush_full(jql_sink *w);
/* True while writing can go on (no allocation or sink failure). */
static inline bool jql_sink_ok(const jql_sink *w) { return !w->sink_failed && !w->b.failed; }
/* Flush the rest and free the buffer: JQL_OK; JQL_ENOMEM (the buffer's
   allocation failed); JQL_EIO "writing <what> failed" (the sink did). */
int jql_sink_end(jql_sink *w, const char *what);

/* jql_write_fn to a FILE* (user). */
int jql_sink_to_file(void *user, const char *data, size_t len);
/* jql_write_fn appending to a jql_buf (user): fails only when it cannot grow. */
int jql_sink_to_buf(void *user, const char *data, size_t len);
/* After writing to jql_sink_to_buf with status rc: the text handed to the
   caller (*out, jql_free()) on JQL_OK, else the buffer freed; a sink
   failure there can only have been its allocation, so JQL_EIO becomes
   JQL_ENOMEM. */
int jql_sink_take_text(int rc, jql_buf *all, char **out, size_t *len);

#endif /* JQL_SINK_H */
