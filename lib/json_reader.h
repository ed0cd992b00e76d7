/*
 * The JSON reader both loaders (dataset: json_load.c, criteria set:
 * criteria_load.c) are schema code on top of. Private to lib/.
 *
 * One parse path: size limit, UTF-8 check, strict depth-limited syntax
 * check (json_pos.h), then the cJSON tree built by json_pos with every
 * node's position, never by cJSON's parser (which writes a process-wide
 * error pointer even on success, racing with any other cJSON user of the
 * host process). Then the loader walks the tree with the helpers below:
 * a path stack turned into a JSON Pointer only when a message needs it,
 * errors and warnings with line:column, key checks and typed field
 * readers. The same problem gets the same words in both formats.
 */
#ifndef JQL_JSON_READER_H
#define JQL_JSON_READER_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "fileio.h"
#include "json_pos.h"
#include "justice_quarterly/dataset.h"
#include "util.h"

/* The one warning a file with text not in Unicode NFC gets (nfc.c). */
#define JQL_NFC_WARNING                                                                      \
    "text not in Unicode NFC (typed decomposed, e.g. Unikey's \"Unicode to hop\" or macOS): "   \
    "ids, levels, kinds, fields and attribute values are matched in NFC, free text is kept "  \
    "as written; convert the file to NFC"

/* Deepest path either loader builds (e.g. /criteria/N/children/N/method/bands/N/points
   is shorter); deeper pushes still work, only their segments are not named. */
#define JQL_READER_DEPTH 48

#define JQL_NFC_MEMO_SLOTS 64
#define JQL_NFC_MEMO_BYTES 56

typedef struct {
    const char *text;
    size_t len;
    jql_json_pos *pos; /* positions, and the tree (freed with it) */
    cJSON *root;
    jql_diagnostics *diag;
    struct {
        const char *key; /* NULL: an array index */
        size_t index;
    } seg[JQL_READER_DEPTH];
    size_t depth;
    jql_buf path;      /* scratch for the JSON Pointer */
    /* limits of this load (jql_reader_set_limits; the defaults otherwise) */
    size_t max_input;   /* largest text accepted, in bytes */
    unsigned max_depth; /* deepest nesting accepted (objects and arrays) */
    size_t max_string;  /* longest string value accepted, in bytes */
    size_t max_records; /* most records of one kind (checked by the loader's arrays) */
    size_t errors;
    bool oom;          /* out of memory: stop and return JQL_ENOMEM */
    bool broken;       /* a record's text no longer matches its check (changed buffer) */
    bool non_nfc;      /* the one warning about text not in NFC was given */
    /* strings already found in NFC (json_reader.c, nfc_known) */
    struct {
        uint32_t hash;
        uint32_t len; /* 0: empty slot */
        char s[JQL_NFC_MEMO_BYTES];
    } nfc_memo[JQL_NFC_MEMO_SLOTS];
} jql_reader;

/* Start reading for `source` (the name diagnostics carry). JQL_OK or JQL_ENOMEM. */
int jql_reader_init(jql_reader *r, const char *source);
/* Take the limits resolved from a caller's jql_load_options (fileio.h). */
void jql_reader_set_limits(jql_reader *r, const jql_limits *lim);
/* Free the tree, positions and scratch; the diagnostics stay in r->diag. */
void jql_reader_free(jql_reader *r);

/*
 * The one parse path: text[0..len) must be at most r->max_input bytes of
 * UTF-8 holding one strict JSON value nested at most r->max_depth deep.
 * JQL_OK (r->root set), JQL_ELIMIT or JQL_EINVALID (the problem is in
 * r->diag, located), JQL_ENOMEM.
 */
int jql_reader_parse(jql_reader *r, const char *text, size_t len);

/*
 * The same checks, but only the top object and its members are built
 * (json_pos.h, jql_json_tree_shallow): the records of a top-level array
 * are then built one at a time, so a large file never has its whole tree
 * in memory. A shallow array is a node without children: its length is
 * jql_json_shallow_count(node).
 */
int jql_reader_parse_shallow(jql_reader *r, const char *text, size_t len);
/* The next element of a shallow array (*pos 0 at the start), valid until
   the next build; NULL after the last one or on failure (r->oom, or
   r->broken with an error reported). */
const cJSON *jql_reader_next(jql_reader *r, const cJSON *array, size_t *pos);
/* Build again the value at a source offset (jql_json_pos_offset). */
const cJSON *jql_reader_build_at(jql_reader *r, size_t offset);

/* ---- where the reader is ---- */

/* push_* return what pop needs to go back. The key must outlive the push. */
size_t jql_reader_push_key(jql_reader *r, const char *key);
size_t jql_reader_push_index(jql_reader *r, size_t i);
static inline void jql_reader_pop(jql_reader *r, size_t old) { r->depth = old; }
/* The JSON Pointer of the current position (valid until the next call). */
const char *jql_reader_path(jql_reader *r);

/* ---- diagnostics ---- */

/* Error / warning about `node` at the current path (line:column of the node). */
void jql_reader_error(jql_reader *r, const cJSON *node, const char *fmt, ...) JQL_PRINTF(3, 4);
void jql_reader_warning(jql_reader *r, const cJSON *node, const char *fmt, ...)
    JQL_PRINTF(3, 4);
/* Error about object member `m` (path extended by its key), located at its
   key when at_key, else at its value. */
void jql_reader_error_member(jql_reader *r, const cJSON *m, bool at_key, const char *fmt, ...)
    JQL_PRINTF(4, 5);
void jql_reader_verror(jql_reader *r, jql_severity sev, size_t off, const char *fmt, va_list ap)
    JQL_PRINTF(4, 0);
/* At most ~100 bytes of s for a message, cut at a UTF-8 boundary. */
const char *jql_reader_shorten(const char *s, char buf[112]);
/* "an object", "a string", ... for "found ..." messages. */
const char *jql_reader_type_name(const cJSON *n);

/* ---- objects ---- */

/* Report keys with a NUL, duplicate keys and (allowed not NULL) unknown keys. */
void jql_reader_check_keys(jql_reader *r, const cJSON *obj, const char *const *allowed);
/* The first member named key (NUL and duplicate keys are skipped: reported above). */
const cJSON *jql_reader_member(const jql_reader *r, const cJSON *obj, const char *key);
/* The member, or NULL; a missing required one is reported ("missing required key"). */
const cJSON *jql_reader_field(jql_reader *r, const cJSON *obj, const char *key, bool required);
/* An object / array value (at the current path), else an error
   ("expected an object (what), found ..."; what may be NULL). */
bool jql_reader_is_object(jql_reader *r, const cJSON *n, const char *what);
bool jql_reader_is_array(jql_reader *r, const cJSON *n, bool nonempty);

/* ---- typed values (at the current path) ---- */

/* A string; is_id adds the id rules (non-empty, no control character, length).
   The first string of a file not in Unicode NFC gets the file's one warning
   about it (ids and matched strings are kept in NFC by whoever stores them;
   free text stays byte for byte). */
bool jql_reader_string(jql_reader *r, const cJSON *n, bool is_id, const char **out);
/* A number read exactly from its source text. */
bool jql_reader_number(jql_reader *r, const cJSON *n, jql_milli *out);

/* ---- typed fields: obj[key], the key pushed on the path while checked ----
   They return false only when the member is present and wrong, or missing
   while required (reported); an absent optional one leaves the default. */
bool jql_reader_get_string(jql_reader *r, const cJSON *obj, const char *key, bool required,
                           bool is_id, const char **out);
bool jql_reader_get_bool(jql_reader *r, const cJSON *obj, const char *key, bool required,
                         bool *out);
bool jql_reader_get_date(jql_reader *r, const cJSON *obj, const char *key, bool required,
                         bool null_ok, jql_date *out);
/* *out is JQL_NO_SCORE when absent; *present (may be NULL) says whether it was there. */
bool jql_reader_get_number(jql_reader *r, const cJSON *obj, const char *key, bool required,
                           jql_milli *out, bool *present);
/* One of names (NULL-terminated): *out its index, dflt when absent. */
bool jql_reader_get_enum(jql_reader *r, const cJSON *obj, const char *key, bool required,
                         const char *const *names, int dflt, int *out);

/*
 * The "format" member names another kind of file this library reads (a
 * dataset, a criteria set, results) than `name`: reported in one line (the
 * files were most likely given in the wrong order) and true returned. kind:
 * "dataset", "criteria set", for the message. jql_reader_check_format()
 * starts with it; a loader that checks keys before the format calls it first.
 */
bool jql_reader_other_kind(jql_reader *r, const cJSON *root, const char *name, const char *kind);

/*
 * The "format" member of the top object: "<name> <major>.<minor>" with the
 * given name and major version (kind: "dataset", "criteria set", for
 * messages). A missing member is reported and true returned (read on:
 * everything else gets reported too); a wrong one is reported and false
 * returned (another kind of file: its other problems would be noise).
 */
bool jql_reader_check_format(jql_reader *r, const cJSON *root, const char *name,
                             const char *kind, int major, int minor);

/* ---- finishing ---- */

/*
 * Sort and close the diagnostics and decide the status from `status` (the
 * parse or schema outcome so far), r->oom and r->errors; sets the thread's
 * error message ("source:line:col: path: message (and more problems)").
 */
int jql_reader_finish(jql_reader *r, int status, const char *source);

#endif /* JQL_JSON_READER_H */
