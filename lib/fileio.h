/* Reading whole inputs with a size cap. Private to lib/. */
#ifndef JQL_FILEIO_H
#define JQL_FILEIO_H

#include <stddef.h>
#include <stdio.h>

#include "justice_quarterly/common.h"

/*
 * Read @p fp to its end, but never more than @p cap bytes: when the input
 * is longer, *len is cap and the rest is left unread (the caller reports
 * the limit). *data is NUL-terminated, owned by the caller (jql_free()).
 * JQL_OK, JQL_EIO (message names @p source and strerror), JQL_ENOMEM.
 */
int jql_read_stream(FILE *fp, const char *source, size_t cap, char **data, size_t *len);

/* As jql_read_stream() on the file at @p path. */
int jql_read_path(const char *path, size_t cap, char **data, size_t *len);

/* Limits of one load, resolved from jql_load_options (defaults filled in). */
typedef struct {
    size_t max_input;
    unsigned max_depth;
    size_t max_records;
    size_t max_string;
} jql_limits;

/* Resolve @p opts (NULL: defaults). JQL_OK, or JQL_EINVALID with a message
   for an unknown version or a limit beyond what the library supports. */
int jql_limits_from(const jql_load_options *opts, jql_limits *out);

#endif /* JQL_FILEIO_H */
