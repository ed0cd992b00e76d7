/*
 * libjustice-quarterly — reading and writing datasets as JSON.
 * The format is documented in docs/FORMAT.md.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef JUSTICE_QUARTERLY_IO_H
#define JUSTICE_QUARTERLY_IO_H

#include <stdio.h>

#include "common.h"
#include "dataset.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Format name and major version written to and required in the "format" field. */
#define JQL_DATASET_FORMAT "justice-quarterly/dataset"
#define JQL_DATASET_FORMAT_MAJOR 1
#define JQL_DATASET_FORMAT_MINOR 0

/**
 * Load a dataset from JSON text of @p len bytes (need not be NUL-terminated).
 * Validation collects every problem (syntax, types, missing fields, unknown
 * keys, duplicate ids, unknown references, bad dates and periods, cycles,
 * negative counts, non-finite or over-precise numbers, invalid UTF-8,
 * exceeded limits), each with a JSON Pointer path and line:column.
 *
 * @param source  name used in messages ("<memory>" when NULL).
 * @param out     receives the dataset on success (owned by the caller,
 *                jql_dataset_free()); set to NULL on failure.
 * @param diag    when not NULL, receives the list of problems (also on
 *                success, where it may hold warnings); owned by the caller,
 *                jql_diagnostics_free(). May be set to NULL when out of memory.
 * @return JQL_OK, JQL_EINVALID (see *diag), JQL_ELIMIT (input larger than
 *         JQL_MAX_INPUT_BYTES), JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_dataset_load_buffer(const char *data, size_t len, const char *source,
                                    jql_dataset **out, jql_diagnostics **diag);

/** As jql_dataset_load_buffer(), reading the file at @p path (JQL_EIO when it cannot be read). */
JQL_API JQL_WARN_UNUSED int jql_dataset_load_path(const char *path, jql_dataset **out, jql_diagnostics **diag);

/** As jql_dataset_load_buffer(), reading @p fp to its end (it is not closed). */
JQL_API JQL_WARN_UNUSED int jql_dataset_load_file(FILE *fp, const char *source, jql_dataset **out,
                                  jql_diagnostics **diag);

/**
 * As jql_dataset_load_buffer(), _path() and _file(), with limits from
 * @p opts (NULL: the defaults). JQL_EINVALID when opts has an unknown
 * version or a limit above what the library supports.
 */
JQL_API JQL_WARN_UNUSED int jql_dataset_load_buffer_ext(const char *data, size_t len, const char *source,
                                        const jql_load_options *opts, jql_dataset **out,
                                        jql_diagnostics **diag);
/**
 * As jql_dataset_load_path() with @p opts: JQL_OK, JQL_EINVALID, JQL_ELIMIT, JQL_EIO,
 * JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_dataset_load_path_ext(const char *path, const jql_load_options *opts,
                                      jql_dataset **out, jql_diagnostics **diag);
/**
 * As jql_dataset_load_file() with @p opts: JQL_OK, JQL_EINVALID, JQL_ELIMIT, JQL_EIO,
 * JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_dataset_load_file_ext(FILE *fp, const char *source, const jql_load_options *opts,
                                      jql_dataset **out, jql_diagnostics **diag);

/**
 * Write the dataset as canonical JSON: keys in the documented order,
 * records in insertion order, one record per line, numbers in their
 * shortest exact decimal form, UTF-8 text unescaped. Loading a canonical
 * file and saving it reproduces it byte for byte. Locale-independent.
 *
 * @param out  receives a NUL-terminated string owned by the caller
 *             (free with jql_free()); @p len (may be NULL) its length.
 * @return JQL_OK or JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_dataset_to_json(const jql_dataset *ds, char **out, size_t *len);

/**
 * Save the canonical JSON to @p path atomically: written to a temporary
 * file in the same directory, flushed, then renamed over @p path, so a
 * failure never leaves a half-written file. JQL_OK, JQL_EIO, JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_dataset_save_path(const jql_dataset *ds, const char *path);

/** Write the canonical JSON to an open stream. JQL_OK, JQL_EIO, JQL_ENOMEM. */
JQL_API JQL_WARN_UNUSED int jql_dataset_save_file(const jql_dataset *ds, FILE *fp);

/**
 * Write @p len bytes to @p path atomically (temporary file in the same
 * directory, fsync, rename). A symbolic link has the file it points to
 * written so (the link stays); only a regular file or nothing is replaced:
 * a directory, FIFO or device is refused with JQL_EIO. A new file gets 0666
 * less the umask, a replaced one keeps its mode. Exposed because the
 * bindings need the same guarantee for their outputs. JQL_OK, JQL_EIO or
 * JQL_ENOMEM.
 */
JQL_API JQL_WARN_UNUSED int jql_file_write_atomic(const char *path, const char *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* JUSTICE_QUARTERLY_IO_H */
