/* The JSON reader both loaders build on (see json_reader.h). */
#include "json_reader.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int jql_reader_init(jql_reader *r, const char *source)
{
    memset(r, 0, sizeof *r);
    jql_limits lim;
    jql_limits_from(NULL, &lim); /* the defaults: cannot fail */
    jql_reader_set_limits(r, &lim);
    jql_buf_init(&r->path);
    jql_buf_add(&r->path, "", 0);
    r->diag = jql_diag_new(source);
    if (!r->diag || r->path.failed) {
        jql_buf_free(&r->path);
        jql_diagnostics_free(r->diag);
        r->diag = NULL;
        return JQL_ENOMEM;
    }
    return JQL_OK;
}

void jql_reader_set_limits(jql_reader *r, const jql_limits *lim)
{
    r->max_input = lim->max_input;
    r->max_depth = lim->max_depth;
    r->max_string = lim->max_string;
    r->max_records = lim->max_records;
}

void jql_reader_free(jql_reader *r)
{
    jql_json_pos_free(r->pos); /* and the tree */
    r->pos = NULL;
    r->root = NULL;
    jql_buf_free(&r->path);
}

/* An error with no JSON Pointer (the text itself is wrong). */
static void text_error(jql_reader *r, size_t off, bool located, const char *fmt, ...)
    JQL_PRINTF(4, 5);
static void text_error(jql_reader *r, size_t off, bool located, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    unsigned line = 0, col = 0;
    if (located)
        jql_line_col(r->text, r->len, off, &line, &col);
    jql_diag_add(r->diag, JQL_SEVERITY_ERROR, "", line, col, "%s", msg);
    r->errors++;
}

static int parse(jql_reader *r, const char *text, size_t len, bool shallow);

int jql_reader_parse(jql_reader *r, const char *text, size_t len)
{
    return parse(r, text, len, false);
}

int jql_reader_parse_shallow(jql_reader *r, const char *text, size_t len)
{
    return parse(r, text, len, true);
}

static int parse(jql_reader *r, const char *text, size_t len, bool shallow)
{
    r->text = text ? text : "";
    r->len = len;
    if (len > r->max_input) {
        text_error(r, 0, false,
                   "input is larger than the limit of %zu bytes (raise it with "
                   "jql_load_options.max_input_bytes or --max-input-size)",
                   r->max_input);
        return JQL_ELIMIT;
    }
    size_t bad = jql_utf8_check(r->text, len);
    if (bad < len) {
        text_error(r, bad, true, "invalid UTF-8 (byte 0x%02x)", (unsigned char)r->text[bad]);
        return JQL_EINVALID;
    }
    size_t nodes = 0;
    jql_json_error je;
    jql_json_spans spans = {0}; /* shallow: the record arrays, found while validating */
    if (!jql_json_validate_spans(r->text, len, r->max_depth, &nodes, &je,
                                 shallow ? &spans : NULL)) {
        jql_json_spans_free(&spans);
        text_error(r, je.offset, true, "%s%s", je.too_deep ? "" : "syntax error: ", je.message);
        return JQL_EINVALID;
    }
    int rc = spans.oom ? JQL_ENOMEM
             : shallow ? jql_json_tree_shallow_spans(r->text, len, &spans, &r->root, &r->pos)
                       : jql_json_tree_new(r->text, len, nodes, &r->root, &r->pos);
    jql_json_spans_free(&spans);
    if (rc == JQL_ENOMEM) {
        r->oom = true;
    } else if (rc != JQL_OK) { /* the text changed since it was checked */
        text_error(r, 0, false, "%s", jql_last_error());
        rc = JQL_EINVALID;
    }
    return rc;
}

/* ---- record by record ---- */

/* A failed build: out of memory, or the text changed since it was checked. */
static void build_failed(jql_reader *r, int rc)
{
    if (rc == JQL_ENOMEM) {
        r->oom = true;
    } else {
        text_error(r, 0, false, "%s", jql_last_error());
        r->broken = true;
    }
}

const cJSON *jql_reader_next(jql_reader *r, const cJSON *array, size_t *pos)
{
    cJSON *e = NULL;
    int rc = jql_json_pos_next(r->pos, array, pos, &e);
    if (rc)
        build_failed(r, rc);
    return e;
}

const cJSON *jql_reader_build_at(jql_reader *r, size_t offset)
{
    cJSON *e = NULL;
    int rc = jql_json_pos_build_at(r->pos, &offset, &e);
    if (rc)
        build_failed(r, rc);
    return e;
}

/* ---- paths ---- */

size_t jql_reader_push_key(jql_reader *r, const char *key)
{
    if (r->depth < JQL_READER_DEPTH) {
        r->seg[r->depth].key = key ? key : "";
        r->seg[r->depth].index = 0;
    }
    return r->depth++;
}

size_t jql_reader_push_index(jql_reader *r, size_t i)
{
    if (r->depth < JQL_READER_DEPTH) {
        r->seg[r->depth].key = NULL;
        r->seg[r->depth].index = i;
    }
    return r->depth++;
}

/* Append "/N" (formatted by hand: paths are built for every message). */
static void put_index(jql_buf *b, size_t i)
{
    char tmp[24];
    size_t n = sizeof tmp;
    do {
        tmp[--n] = (char)('0' + i % 10);
        i /= 10;
    } while (i);
    tmp[--n] = '/';
    jql_buf_add(b, tmp + n, sizeof tmp - n);
}

const char *jql_reader_path(jql_reader *r)
{
    jql_buf *b = &r->path;
    if (b->failed)
        return "";
    b->len = 0;
    jql_buf_add(b, "", 0);
    for (size_t d = 0; d < r->depth && d < JQL_READER_DEPTH; d++) {
        const char *s = r->seg[d].key;
        if (!s) {
            put_index(b, r->seg[d].index);
            continue;
        }
        jql_buf_putc(b, '/');
        while (*s) { /* RFC 6901 escaping */
            size_t n = strcspn(s, "~/");
            jql_buf_add(b, s, n);
            s += n;
            if (*s)
                jql_buf_puts(b, *s++ == '~' ? "~0" : "~1");
        }
    }
    if (b->failed) {
        r->oom = true;
        return "";
    }
    return b->data;
}

/* ---- diagnostics ---- */

void jql_reader_verror(jql_reader *r, jql_severity sev, size_t off, const char *fmt, va_list ap)
{
    if (sev == JQL_SEVERITY_ERROR)
        r->errors++;
    if (jql_diagnostics_count(r->diag) >= JQL_MAX_DIAGNOSTICS) {
        /* past the limit problems are only counted: locating and wording
           millions of them would cost seconds for nothing */
        jql_diag_add(r->diag, sev, "", 0, 0, "%s", "");
        return;
    }
    char msg[700];
    vsnprintf(msg, sizeof msg, fmt, ap);
    unsigned line = 0, col = 0;
    if (r->pos)
        jql_json_pos_line_col(r->pos, off, &line, &col);
    else
        jql_line_col(r->text, r->len, off, &line, &col);
    jql_diag_add(r->diag, sev, jql_reader_path(r), line, col, "%s", msg);
}

void jql_reader_error(jql_reader *r, const cJSON *node, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    jql_reader_verror(r, JQL_SEVERITY_ERROR, jql_json_pos_offset(r->pos, node), fmt, ap);
    va_end(ap);
}

void jql_reader_warning(jql_reader *r, const cJSON *node, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    jql_reader_verror(r, JQL_SEVERITY_WARNING, jql_json_pos_offset(r->pos, node), fmt, ap);
    va_end(ap);
}

void jql_reader_error_member(jql_reader *r, const cJSON *m, bool at_key, const char *fmt, ...)
{
    size_t old = jql_reader_push_key(r, m->string);
    va_list ap;
    va_start(ap, fmt);
    jql_reader_verror(r, JQL_SEVERITY_ERROR,
                      at_key ? jql_json_pos_key_offset(r->pos, m) : jql_json_pos_offset(r->pos, m),
                      fmt, ap);
    va_end(ap);
    jql_reader_pop(r, old);
}

const char *jql_reader_shorten(const char *s, char buf[112])
{
    size_t n = strlen(s);
    if (n <= 100)
        return s;
    n = 100;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    memcpy(buf, s, n);
    memcpy(buf + n, "...", 4);
    return buf;
}

const char *jql_reader_type_name(const cJSON *n)
{
    if (cJSON_IsObject(n)) return "an object";
    if (cJSON_IsArray(n)) return "an array";
    if (cJSON_IsString(n)) return "a string";
    if (cJSON_IsNumber(n)) return "a number";
    if (cJSON_IsBool(n)) return "a boolean";
    return "null";
}

/* ---- objects ---- */

/* cJSON_IsString() and kin, which are calls into the shared cJSON library
   (a reader asks once per member and value it reads). */
static inline bool type_is(const cJSON *n, int type) { return n && (n->type & 0xFF) == type; }
#define is_object(n) type_is(n, cJSON_Object)
#define is_array(n) type_is(n, cJSON_Array)
#define is_string(n) type_is(n, cJSON_String)
#define is_number(n) type_is(n, cJSON_Number)
#define is_null(n) type_is(n, cJSON_NULL)
#define is_true(n) type_is(n, cJSON_True)
#define is_bool(n) (type_is(n, cJSON_True) || type_is(n, cJSON_False))

/* jql_json_pos_flags() without the call */
static inline unsigned pos_flags(const jql_reader *r, const cJSON *n)
{
    return r->pos ? jql_json_node_flags(n) : 0;
}

static bool key_ok(const jql_reader *r, const cJSON *m)
{
    return !(pos_flags(r, m) & (JQL_POS_KEY_NUL | JQL_POS_DUP_KEY));
}

void jql_reader_check_keys(jql_reader *r, const cJSON *obj, const char *const *allowed)
{
    char sb[112];
    for (const cJSON *m = obj->child; m; m = m->next) {
        unsigned f = pos_flags(r, m);
        if (f & JQL_POS_KEY_NUL) {
            jql_reader_error_member(r, m, true, "key contains a NUL character (\\u0000)");
            continue;
        }
        if (f & JQL_POS_DUP_KEY) {
            jql_reader_error_member(r, m, true, "duplicate key \"%s\"",
                                    jql_reader_shorten(m->string, sb));
            continue;
        }
        if (!allowed)
            continue;
        bool known = false;
        for (const char *const *a = allowed; *a && !known; a++)
            known = (*a)[0] == m->string[0] && strcmp(*a, m->string) == 0;
        if (!known)
            jql_reader_error_member(r, m, true, "unknown key \"%s\"",
                                    jql_reader_shorten(m->string, sb));
    }
}

const cJSON *jql_reader_member(const jql_reader *r, const cJSON *obj, const char *key)
{
    if (!is_object(obj))
        return NULL;
    for (const cJSON *m = obj->child; m; m = m->next) /* first bytes: most keys differ there */
        if (m->string[0] == key[0] && key_ok(r, m) && strcmp(m->string, key) == 0)
            return m;
    return NULL;
}

const cJSON *jql_reader_field(jql_reader *r, const cJSON *obj, const char *key, bool required)
{
    const cJSON *m = jql_reader_member(r, obj, key);
    if (!m && required)
        jql_reader_error(r, obj, "missing required key \"%s\"", key);
    return m;
}

bool jql_reader_is_object(jql_reader *r, const cJSON *n, const char *what)
{
    if (is_object(n))
        return true;
    jql_reader_error(r, n, "expected an object%s%s%s, found %s", what ? " (" : "", what ? what : "",
                     what ? ")" : "", jql_reader_type_name(n));
    return false;
}

bool jql_reader_is_array(jql_reader *r, const cJSON *n, bool nonempty)
{
    if (!is_array(n)) {
        jql_reader_error(r, n, "expected an array, found %s", jql_reader_type_name(n));
        return false;
    }
    if (nonempty && !n->child) {
        jql_reader_error(r, n, "must not be empty");
        return false;
    }
    return true;
}

/* ---- typed values ---- */

/*
 * Is s (len bytes) in NFC, as far as telling it costs nothing? ASCII
 * always is; a non-ASCII string found in NFC before is remembered (by
 * its bytes, in a small table): names, titles and texts repeat ("Nhiệm vụ
 * 3"), and checking one (libutf8proc decomposes and recomposes it) was a
 * twentieth of a large load. False: ask jql_nfc_check(); *slot is where
 * to remember the answer (NULL: too long to remember).
 */
static bool nfc_known(jql_reader *r, const char *s, size_t len, uint32_t *hash, size_t *slot)
{
    size_t i = 0;
    for (; len - i >= 8; i += 8) { /* ASCII: 8 bytes a step */
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080ull)
            break;
    }
    while (i < len && (unsigned char)s[i] < 0x80)
        i++;
    if (i == len)
        return true;
    uint32_t h = 2166136261u;
    for (i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    *hash = h;
    *slot = SIZE_MAX;
    if (len > JQL_NFC_MEMO_BYTES)
        return false;
    size_t k = h % JQL_NFC_MEMO_SLOTS;
    if (r->nfc_memo[k].len == len && r->nfc_memo[k].hash == h &&
        memcmp(r->nfc_memo[k].s, s, len) == 0)
        return true;
    *slot = k;
    return false;
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Whether s[0..len) has a control byte (below 0x20, or 0x7f) and whether
   it has a byte from 0x80 (not ASCII), in one pass 8 bytes a step (every
   id is checked). A flag from a borrow can only follow a byte truly
   flagged, so "any" is exact. */
static void byte_classes(const char *s, size_t len, bool *ctl, bool *high)
{
    uint64_t c = 0, h = 0;
    for (size_t i = 0; i < len; i += 8) {
        uint64_t w = 'A' * ONES, d; /* the last word padded with a plain byte */
        memcpy(&w, s + i, len - i < 8 ? len - i : 8);
        d = w ^ (0x7f * ONES);
        c |= ((w - 0x20 * ONES) & ~w & HIGHS) | ((d - ONES) & ~d & HIGHS);
        h |= w & HIGHS;
    }
    *ctl = c != 0;
    *high = h != 0;
}

bool jql_reader_string(jql_reader *r, const cJSON *n, bool is_id, const char **out)
{
    if (!is_string(n)) {
        jql_reader_error(r, n, "expected a string, found %s", jql_reader_type_name(n));
        return false;
    }
    if (pos_flags(r, n) & JQL_POS_VALUE_NUL) {
        jql_reader_error(r, n, "string contains a NUL character (\\u0000)");
        return false;
    }
    const char *s = n->valuestring;
    size_t len = strlen(s);
    bool ctl, high = true; /* not known ASCII: nfc_known() looks */
    if (is_id) {
        if (len == 0) {
            jql_reader_error(r, n, "id must not be empty");
            return false;
        }
        if (len > JQL_MAX_ID_BYTES) {
            jql_reader_error(r, n, "id is %zu bytes long, more than the limit of %d", len,
                             JQL_MAX_ID_BYTES);
            return false;
        }
        byte_classes(s, len, &ctl, &high);
        if (ctl) {
            jql_reader_error(r, n, "id contains a control character");
            return false;
        }
    } else if (len > r->max_string) {
        jql_reader_error(r, n, "string is %zu bytes long, more than the limit of %zu", len,
                         r->max_string);
        return false;
    }
    /* one warning per file holding text not in NFC */
    bool nfc = true;
    uint32_t h;
    size_t slot;
    if (!r->non_nfc && high && !nfc_known(r, s, len, &h, &slot)) {
        if (jql_nfc_check(s, &nfc) == JQL_ENOMEM)
            r->oom = true;
        else if (nfc && slot != SIZE_MAX) {
            r->nfc_memo[slot].hash = h;
            r->nfc_memo[slot].len = (uint32_t)len;
            memcpy(r->nfc_memo[slot].s, s, len);
        }
    }
    if (!nfc) {
        r->non_nfc = true;
        jql_reader_warning(r, n, "%s", JQL_NFC_WARNING);
    }
    if (out)
        *out = s;
    return true;
}

bool jql_reader_number(jql_reader *r, const cJSON *n, jql_milli *out)
{
    if (!is_number(n)) {
        jql_reader_error(r, n, "expected a number, found %s", jql_reader_type_name(n));
        return false;
    }
    /* the tree keeps no number values: exact thousandths from the literal */
    char lit[72];
    size_t off = jql_json_pos_offset(r->pos, n), k = 0;
    while (off + k < r->len && k < sizeof lit - 1) {
        char ch = r->text[off + k];
        if (!((ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '+' || ch == 'e' ||
              ch == 'E'))
            break;
        lit[k++] = ch;
    }
    lit[k] = '\0';
    if (jql_milli_parse(lit, out) != JQL_OK) {
        jql_reader_error(r, n, "%s", jql_last_error());
        return false;
    }
    return true;
}

/* ---- typed fields ---- */

bool jql_reader_get_string(jql_reader *r, const cJSON *obj, const char *key, bool required,
                           bool is_id, const char **out)
{
    *out = NULL;
    const cJSON *m = jql_reader_field(r, obj, key, required);
    if (!m)
        return !required;
    size_t old = jql_reader_push_key(r, key);
    bool ok = jql_reader_string(r, m, is_id, out);
    jql_reader_pop(r, old);
    return ok;
}

bool jql_reader_get_bool(jql_reader *r, const cJSON *obj, const char *key, bool required,
                         bool *out)
{
    *out = false;
    const cJSON *m = jql_reader_field(r, obj, key, required);
    if (!m)
        return !required;
    if (!is_bool(m)) {
        jql_reader_error_member(r, m, false, "expected true or false, found %s",
                                jql_reader_type_name(m));
        return false;
    }
    *out = is_true(m);
    return true;
}

bool jql_reader_get_date(jql_reader *r, const cJSON *obj, const char *key, bool required,
                         bool null_ok, jql_date *out)
{
    *out = JQL_NO_DATE;
    const cJSON *m = jql_reader_field(r, obj, key, required);
    if (!m)
        return !required;
    if (null_ok && is_null(m))
        return true;
    if (!is_string(m)) {
        jql_reader_error_member(r, m, false, "expected a date string \"YYYY-MM-DD\"%s, found %s",
                                null_ok ? " or null" : "", jql_reader_type_name(m));
        return false;
    }
    char sb[112];
    if (jql_date_parse(m->valuestring, out) != JQL_OK ||
        (pos_flags(r, m) & JQL_POS_VALUE_NUL)) {
        jql_reader_error_member(
            r, m, false, "invalid date \"%s\" (expected an existing date YYYY-MM-DD, years %d-%d)",
            jql_reader_shorten(m->valuestring, sb), JQL_YEAR_MIN, JQL_YEAR_MAX);
        *out = JQL_NO_DATE;
        return false;
    }
    return true;
}

bool jql_reader_get_number(jql_reader *r, const cJSON *obj, const char *key, bool required,
                           jql_milli *out, bool *present)
{
    *out = JQL_NO_SCORE;
    if (present)
        *present = false;
    const cJSON *m = jql_reader_field(r, obj, key, required);
    if (!m)
        return !required;
    size_t old = jql_reader_push_key(r, key);
    bool ok = jql_reader_number(r, m, out);
    jql_reader_pop(r, old);
    if (!ok)
        *out = JQL_NO_SCORE;
    else if (present)
        *present = true;
    return ok;
}

bool jql_reader_get_enum(jql_reader *r, const cJSON *obj, const char *key, bool required,
                         const char *const *names, int dflt, int *out)
{
    const char *s;
    *out = dflt;
    if (!jql_reader_get_string(r, obj, key, required, false, &s))
        return false;
    if (!s)
        return true;
    for (int i = 0; names[i]; i++) {
        if (strcmp(names[i], s) == 0) {
            *out = i;
            return true;
        }
    }
    jql_buf allowed;
    jql_buf_init(&allowed);
    for (int i = 0; names[i]; i++)
        jql_buf_printf(&allowed, "%s\"%s\"", i ? ", " : "", names[i]);
    char sb[112];
    jql_reader_error_member(r, jql_reader_member(r, obj, key), false,
                            "invalid %s \"%s\" (expected one of %s)", key,
                            jql_reader_shorten(s, sb), allowed.data ? allowed.data : "...");
    jql_buf_free(&allowed);
    return false;
}

/* "M.N" with both parts decimal (at most 4 digits each). */
static bool parse_version(const char *s, unsigned *major, unsigned *minor)
{
    unsigned *part = major;
    *major = *minor = 0;
    for (int k = 0; k < 2; k++, part = minor) {
        if (*s < '0' || *s > '9')
            return false;
        for (; *s >= '0' && *s <= '9'; s++)
            if ((*part = *part * 10 + (unsigned)(*s - '0')) > 9999)
                return false;
        if (k == 0 && *s++ != '.')
            return false;
    }
    return *s == '\0';
}

bool jql_reader_other_kind(jql_reader *r, const cJSON *root, const char *name, const char *kind)
{
    static const char *const kinds[][2] = {
        {"justice-quarterly/dataset", "a dataset"},
        {"justice-quarterly/criteria", "a criteria set"},
        {"justice-quarterly/results", "scoring results"},
    };
    const cJSON *m = jql_reader_member(r, root, "format");
    if (!m || !is_string(m) || (pos_flags(r, m) & JQL_POS_VALUE_NUL))
        return false;
    const char *s = m->valuestring;
    char sb[112];
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        size_t n = strlen(kinds[k][0]);
        if (strcmp(kinds[k][0], name) == 0 || strncmp(s, kinds[k][0], n) != 0 ||
            (s[n] != ' ' && s[n] != '\0'))
            continue;
        /* the other file kind: one line, not a flood of unknown keys */
        jql_reader_error_member(r, m, false,
                                "this is %s (format \"%s\"), not a %s: were the files given in "
                                "the wrong order?",
                                kinds[k][1], jql_reader_shorten(s, sb), kind);
        return true;
    }
    return false;
}

bool jql_reader_check_format(jql_reader *r, const cJSON *root, const char *name,
                             const char *kind, int major, int minor)
{
    if (jql_reader_other_kind(r, root, name, kind))
        return false;
    const cJSON *m = jql_reader_member(r, root, "format");
    if (!m) {
        jql_reader_error(r, root, "missing required key \"format\" (\"%s %d.%d\")", name, major,
                         minor);
        return true; /* read on: everything else is reported too */
    }
    const char *s;
    if (!jql_reader_get_string(r, root, "format", true, false, &s))
        return false;
    size_t n = strlen(name);
    unsigned got_major, got_minor;
    char sb[112];
    if (strncmp(s, name, n) != 0 || (s[n] != ' ' && s[n] != '\0')) {
        jql_reader_error_member(r, m, false, "not a %s: format \"%s\" (expected \"%s %d.%d\")",
                                kind, jql_reader_shorten(s, sb), name, major, minor);
        return false;
    }
    if (s[n] != ' ' || !parse_version(s + n + 1, &got_major, &got_minor)) {
        jql_reader_error_member(r, m, false,
                                "invalid format version in \"%s\" (expected \"%s %d.%d\")",
                                jql_reader_shorten(s, sb), name, major, minor);
        return false;
    }
    if (got_major != (unsigned)major) {
        jql_reader_error_member(r, m, false,
                                "unsupported format version %u.%u (this library reads %d.x)",
                                got_major, got_minor, major);
        return false;
    }
    return true;
}

/* ---- finishing ---- */

int jql_reader_finish(jql_reader *r, int status, const char *source)
{
    jql_diag_sort(r->diag);
    jql_diag_finish(r->diag);
    if (r->oom || r->path.failed || jql_diag_oom(r->diag))
        return jql_fail(JQL_ENOMEM, "out of memory loading %s", source);
    if (!r->errors && jql_diagnostics_error_count(r->diag) == 0)
        return status == JQL_OK ? JQL_OK : jql_fail(status, "%s: %s", source,
                                                    jql_strerror(status));
    if (status == JQL_OK)
        status = JQL_EINVALID;
    const jql_diagnostics *d = r->diag;
    size_t first = 0, count = jql_diagnostics_count(d);
    while (first < count && jql_diagnostics_severity(d, first) != JQL_SEVERITY_ERROR)
        first++;
    if (first == count)
        return jql_fail(status, "%s: %s", source, jql_strerror(status));
    const char *path = jql_diagnostics_path(d, first);
    return jql_fail(status, "%s:%u:%u: %s%s%s%s", source, jql_diagnostics_line(d, first),
                    jql_diagnostics_column(d, first), path, *path ? ": " : "",
                    jql_diagnostics_message(d, first),
                    jql_diagnostics_error_count(d) > 1 ? " (and more problems)" : "");
}
