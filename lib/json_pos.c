/* Strict JSON validation and per-node source positions (see json_pos.h). */
#include "json_pos.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* cJSON copies a number into a 64-byte buffer before strtod: longer
   literals would be cut, so they are refused up front. */
#define NUMBER_MAX_CHARS 63

/* ---- shared lexing helpers ---- */

/*
 * The character at t[i], or '\0' past the end. The tree builder reads
 * text the validator accepted, but a caller's buffer may change under it
 * (another thread writing to it): every read it makes goes through this, so a changed text can give a mismatch (JQL_ERROR),
 * never a read outside the buffer. A 0 byte never occurs where they look
 * in a validated text (raw control characters are refused).
 */
static inline char at(const char *t, size_t len, size_t i)
{
    return i < len ? t[i] : '\0';
}

#define WS_BITS ((1ull << ' ') | (1ull << '\t') | (1ull << '\n') | (1ull << '\r'))

/* JSON whitespace. One compare rejects every byte above the space: both
   scans call this before and after every key and value, mostly at a byte
   that is not whitespace. */
static inline bool is_ws(char c)
{
    unsigned char u = (unsigned char)c;
    return u <= ' ' && (WS_BITS >> u & 1);
}

static inline size_t skip_ws(const char *t, size_t len, size_t pos)
{
    while (pos < len && is_ws(t[pos]))
        pos++;
    return pos;
}

static int hex4(const char *t, size_t len, size_t pos, unsigned *out)
{
    unsigned v = 0;
    if (len - pos < 4)
        return -1;
    for (int i = 0; i < 4; i++) {
        char c = t[pos + i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

/* ---- word at a time ---- */

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Nonzero when one of the 8 bytes of w is zero. */
static inline uint64_t has_zero(uint64_t w) { return (w - ONES) & ~w & HIGHS; }

/* Length of the run of bytes from t[i] (i < len) with nothing a string
   scan stops at: '"', '\\' and, when ctl, bytes below 0x20. Strings are
   most of a dataset's text; 8 bytes a step rather than one. */
static size_t plain_run(const char *t, size_t len, size_t i, bool ctl)
{
    size_t start = i;
    while (len - i >= 8) {
        uint64_t w;
        memcpy(&w, t + i, 8);
        uint64_t stop = has_zero(w ^ ('"' * ONES)) | has_zero(w ^ ('\\' * ONES));
        if (ctl) /* below 0x20: (w - 0x20..) borrows, for bytes below 0x80 */
            stop |= (w - 0x20 * ONES) & ~w & HIGHS;
        if (stop) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            /* the lowest flag marks the first stop byte (a false flag can
               only follow a true one) */
            i += (size_t)__builtin_ctzll(stop) / 8;
#endif
            break;
        }
        i += 8;
    }
    return i - start;
}

/* ---- validation ---- */

static bool verr(jql_json_error *e, size_t offset, const char *msg)
{
    e->offset = offset;
    snprintf(e->message, sizeof e->message, "%s", msg);
    return false;
}

static bool verr_char(jql_json_error *e, const char *t, size_t len, size_t pos, const char *what)
{
    if (pos >= len)
        return verr(e, pos, "unexpected end of input");
    unsigned char c = (unsigned char)t[pos];
    e->offset = pos;
    if (c >= 0x21 && c < 0x7f)
        snprintf(e->message, sizeof e->message, "unexpected '%c', expected %s", c, what);
    else
        snprintf(e->message, sizeof e->message, "unexpected byte 0x%02x, expected %s", c, what);
    return false;
}

/* Scan the string starting at t[*pos] == '"'; *pos ends after the quote. */
static bool scan_string(const char *t, size_t len, size_t *pos, jql_json_error *e)
{
    size_t start = *pos, i = *pos + 1;
    for (;;) {
        if (i >= len)
            return verr(e, start, "unterminated string");
        i += plain_run(t, len, i, true);
        if (i >= len)
            return verr(e, start, "unterminated string");
        unsigned char c = (unsigned char)t[i];
        if (c == '"')
            break;
        if (c < 0x20)
            return verr(e, i, "control character in string (it must be escaped)");
        if (c != '\\') {
            i++;
            continue;
        }
        if (i + 1 >= len)
            return verr(e, start, "unterminated string");
        char x = t[i + 1];
        if (x && strchr("\"\\/bfnrt", x)) {
            i += 2;
            continue;
        }
        unsigned u, lo;
        if (x != 'u' || hex4(t, len, i + 2, &u) != 0)
            return verr(e, i, "invalid escape sequence in string");
        if (u >= 0xDC00 && u <= 0xDFFF)
            return verr(e, i, "lone low surrogate escape in string");
        if (u >= 0xD800 && u <= 0xDBFF) {
            if (len - i < 12 || t[i + 6] != '\\' || t[i + 7] != 'u' ||
                hex4(t, len, i + 8, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF)
                return verr(e, i, "lone high surrogate escape in string");
            i += 12;
        } else {
            i += 6;
        }
    }
    *pos = i + 1;
    return true;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* A byte of a number literal (no strchr call per byte). */
static inline bool num_char(char c)
{
    return is_digit(c) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
}

static bool scan_number(const char *t, size_t len, size_t *pos, jql_json_error *e)
{
    size_t start = *pos, i = *pos;
    if (t[i] == '-')
        i++;
    if (i >= len || !is_digit(t[i]))
        return verr(e, start, "invalid number");
    if (t[i] == '0') {
        i++;
        if (i < len && is_digit(t[i]))
            return verr(e, start, "invalid number (leading zero)");
    } else {
        while (i < len && is_digit(t[i]))
            i++;
    }
    if (i < len && t[i] == '.') {
        i++;
        if (i >= len || !is_digit(t[i]))
            return verr(e, start, "invalid number (digit expected after '.')");
        while (i < len && is_digit(t[i]))
            i++;
    }
    if (i < len && (t[i] == 'e' || t[i] == 'E')) {
        i++;
        if (i < len && (t[i] == '+' || t[i] == '-'))
            i++;
        if (i >= len || !is_digit(t[i]))
            return verr(e, start, "invalid number (digit expected in exponent)");
        while (i < len && is_digit(t[i]))
            i++;
    }
    if (i - start > NUMBER_MAX_CHARS)
        return verr(e, start, "number literal longer than 63 characters");
    *pos = i;
    return true;
}

static bool scan_literal(const char *t, size_t len, size_t *pos, jql_json_error *e)
{
    static const char *const words[] = {"true", "false", "null"};
    for (size_t k = 0; k < 3; k++) {
        size_t n = strlen(words[k]);
        if (words[k][0] == t[*pos]) {
            if (len - *pos < n || memcmp(t + *pos, words[k], n) != 0 ||
                (len - *pos > n && (t[*pos + n] >= 'a' && t[*pos + n] <= 'z')))
                return verr_char(e, t, len, *pos, "a JSON value");
            *pos += n;
            return true;
        }
    }
    return verr_char(e, t, len, *pos, "a JSON value");
}

/* Expect `"key" :` at pos (after whitespace); leaves pos at the value. */
static bool scan_key(const char *t, size_t len, size_t *pos, jql_json_error *e, bool first)
{
    *pos = skip_ws(t, len, *pos);
    if (*pos >= len || t[*pos] != '"')
        return verr_char(e, t, len, *pos, first ? "a string key or '}'" : "a string key");
    if (!scan_string(t, len, pos, e))
        return false;
    *pos = skip_ws(t, len, *pos);
    if (*pos >= len || t[*pos] != ':')
        return verr_char(e, t, len, *pos, "':' after the key");
    (*pos)++;
    return true;
}

bool jql_json_validate(const char *t, size_t len, size_t *nodes, jql_json_error *e)
{
    return jql_json_validate_depth(t, len, JQL_MAX_DEPTH, nodes, e);
}

bool jql_json_validate_depth(const char *t, size_t len, unsigned max_depth, size_t *nodes,
                             jql_json_error *e)
{
    return jql_json_validate_spans(t, len, max_depth, nodes, e, NULL);
}

/* A container opens at depth 2 (directly inside the top value): its span
   starts. Out of memory stops the recording (spans->oom), and the caller
   reports it. */
static void span_open(jql_json_spans *sp, size_t start)
{
    if (sp->oom)
        return;
    if (sp->len == sp->cap) {
        size_t cap = sp->cap ? 2 * sp->cap : 16;
        jql_json_span *n = jql_realloc(sp->items, cap * sizeof *n);
        if (!n) {
            sp->oom = true;
            return;
        }
        sp->items = n;
        sp->cap = cap;
    }
    sp->items[sp->len++] = (jql_json_span){start, 0, 0};
}

static void span_close(jql_json_spans *sp, size_t end)
{
    if (!sp->oom && sp->len)
        sp->items[sp->len - 1].end = end;
}

static void span_count(jql_json_spans *sp)
{
    if (!sp->oom && sp->len)
        sp->items[sp->len - 1].count++;
}

void jql_json_spans_free(jql_json_spans *sp)
{
    jql_free(sp->items);
    memset(sp, 0, sizeof *sp);
}

bool jql_json_validate_spans(const char *t, size_t len, unsigned max_depth, size_t *nodes,
                             jql_json_error *e, jql_json_spans *spans)
{
    char stack[JQL_MAX_DEPTH];
    if (max_depth == 0 || max_depth > JQL_MAX_DEPTH)
        max_depth = JQL_MAX_DEPTH;
    size_t depth = 0, count = 0, pos = skip_ws(t, len, 0);
    memset(e, 0, sizeof *e);
    if (pos >= len)
        return verr(e, pos, len ? "no JSON value (only whitespace)" : "empty input");
    for (;;) {
        /* at a value */
        pos = skip_ws(t, len, pos);
        if (pos >= len)
            return verr(e, pos, "unexpected end of input");
        char c = t[pos];
        if (c == '{' || c == '[') {
            if (depth == max_depth) {
                e->too_deep = true;
                e->offset = pos;
                snprintf(e->message, sizeof e->message, "nesting deeper than %u levels",
                         max_depth);
                return false;
            }
            stack[depth++] = c;
            if (spans && depth == 2)
                span_open(spans, pos);
            pos = skip_ws(t, len, pos + 1);
            if (pos < len && t[pos] == (c == '{' ? '}' : ']')) {
                depth--;
                pos++;
                if (spans && depth == 1)
                    span_close(spans, pos);
            } else {
                if (c == '{' && !scan_key(t, len, &pos, e, true))
                    return false;
                continue; /* to the first member's value */
            }
        } else if (c == '"') {
            if (!scan_string(t, len, &pos, e))
                return false;
        } else if (c == '-' || is_digit(c)) {
            if (!scan_number(t, len, &pos, e))
                return false;
        } else if (!scan_literal(t, len, &pos, e)) {
            return false;
        }
        /* after a complete value: close containers or move to the next one */
        for (;;) {
            count++;
            if (depth == 0)
                goto done;
            if (spans && depth == 2)
                span_count(spans);
            pos = skip_ws(t, len, pos);
            char top = stack[depth - 1];
            char close = top == '{' ? '}' : ']';
            if (pos < len && t[pos] == close) {
                depth--;
                pos++;
                if (spans && depth == 1)
                    span_close(spans, pos);
                continue;
            }
            if (pos < len && t[pos] == ',') {
                pos++;
                if (top == '{' && !scan_key(t, len, &pos, e, false))
                    return false;
                break;
            }
            return verr_char(e, t, len, pos, top == '{' ? "',' or '}'" : "',' or ']'");
        }
    }
done:
    pos = skip_ws(t, len, pos);
    if (pos < len)
        return verr(e, pos, "unexpected data after the JSON value");
    if (nodes)
        *nodes = count;
    return true;
}

/* ---- position table ---- */

/*
 * Positions live in the cJSON nodes themselves, not in a side table keyed
 * by node address (a hash look-up per node per query cost about a third of
 * a large load in cache misses). Both loaders read every number from its
 * source text, never from cJSON's valuedouble/valueint, so those two fields
 * are free once the tree is built:
 *   valuedouble  the value's byte offset (exact below 2^53 bytes);
 *   valueint     how far before the value its key starts, in the low 28 bits
 *                (saturated: past 256 MiB of space between them the key's
 *                position is reported at its value), JQL_POS_* flags above.
 * Nothing may read a number's value from such a tree.
 */
#define BLOCK 4096u
#define KEY_MASK 0x0FFFFFFFu /* key-to-value distances < 2^28 */
#define FLAG_SHIFT JQL_POS_FLAG_SHIFT

struct jql_json_pos {
    const char *text;
    size_t len;
    size_t cap, count; /* nodes the text has / nodes recorded */
    /* line number and line start at each block (inputs may pass 4 GiB),
       made by the first jql_json_pos_line_col: a file without problems
       never needs them */
    uint32_t *block_line;
    size_t *block_start;
    /* out of memory making them: each position counted from the start
       of the text (slow, but the same answer) */
    bool blocks_failed;
    /* the spans the validator recorded (jql_json_tree_shallow_spans), and
       the next one to look at */
    const jql_json_span *spans;
    size_t nspans, span_next;
    cJSON *nodes;  /* jql_json_tree_new: every node, in document order */
    char *strings; /* in the same block: every key and string value */
    /* jql_json_tree_shallow: the top object's nodes, and the current
       record's (reused from one record to the next) */
    struct pool *top, *rec;
    struct builder *rb; /* the records' builder, kept between records */
};

static unsigned node_flags(const cJSON *node)
{
    return (unsigned)node->valueint >> FLAG_SHIFT;
}

static void set_flags(cJSON *node, unsigned flags)
{
    node->valueint = (int)((unsigned)node->valueint | (flags << FLAG_SHIFT));
}

static int record(jql_json_pos *p, cJSON *node, size_t off, size_t key_off, unsigned flags)
{
    if (p->nodes && p->count >= p->cap)
        return JQL_ERROR; /* more nodes than the text had: a mismatch */
    size_t back = off >= key_off ? off - key_off : 0;
    if (back > KEY_MASK)
        back = 0;
    node->valuedouble = (double)off;
    node->valueint = (int)((uint32_t)back | ((uint32_t)flags << FLAG_SHIFT));
    p->count++;
    return JQL_OK;
}

/* The key mark_duplicates compares ("" for a NUL-truncated key: that one
   is reported on its own and never counts as a duplicate). */
static const char *dup_key(const cJSON *c)
{
    if (node_flags(c) & JQL_POS_KEY_NUL)
        return "";
    return c->string ? c->string : "";
}

typedef struct {
    const char *key;
    size_t order;
    cJSON *node;
} key_item;

static int key_cmp(const void *a, const void *b)
{
    const key_item *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Objects up to this many members are checked pairwise, with no allocation:
   records have a handful of keys, and a million small sorts cost more. */
#define DUP_PAIRWISE_MAX 16

/* Whether no two members' keys (as dup_key gives them) start with the
   same byte: then no key repeats, and a record's handful of keys (id,
   title, field, units, ...) usually differ there, so the pairwise check
   is skipped. */
static bool first_bytes_differ(const cJSON *obj)
{
    uint64_t seen[4] = {0, 0, 0, 0};
    for (const cJSON *c = obj->child; c; c = c->next) {
        unsigned char b = (unsigned char)dup_key(c)[0];
        uint64_t bit = 1ull << (b & 63);
        if (seen[b >> 6] & bit)
            return false;
        seen[b >> 6] |= bit;
    }
    return true;
}

/* Flag every member whose key an earlier member of the same object had. */
static int mark_duplicates(cJSON *obj)
{
    size_t n = 0;
    for (const cJSON *c = obj->child; c; c = c->next)
        n++;
    if (n < 2)
        return JQL_OK;
    if (n <= DUP_PAIRWISE_MAX) {
        if (first_bytes_differ(obj))
            return JQL_OK;
        for (cJSON *c = obj->child->next; c; c = c->next) {
            const char *k = dup_key(c);
            if (!*k)
                continue;
            for (const cJSON *e = obj->child; e != c; e = e->next) {
                const char *ek = dup_key(e);
                /* first bytes first: most keys differ there, and a call to
                   strcmp per pair cost more than the rest of the check */
                if (ek[0] == k[0] && strcmp(ek, k) == 0) {
                    set_flags(c, JQL_POS_DUP_KEY);
                    break;
                }
            }
        }
        return JQL_OK;
    }
    key_item *items = jql_calloc(n, sizeof *items);
    if (!items)
        return JQL_ENOMEM;
    size_t k = 0;
    for (cJSON *c = obj->child; c; c = c->next, k++) {
        items[k].key = dup_key(c);
        items[k].order = k;
        items[k].node = c;
    }
    qsort(items, n, sizeof *items, key_cmp);
    for (k = 1; k < n; k++)
        if (*items[k].key && strcmp(items[k].key, items[k - 1].key) == 0)
            set_flags(items[k].node, JQL_POS_DUP_KEY);
    jql_free(items);
    return JQL_OK;
}

static int build_blocks(jql_json_pos *p)
{
    size_t nblocks = p->len / BLOCK + 1;
    p->block_line = jql_calloc(nblocks, sizeof *p->block_line);
    p->block_start = jql_calloc(nblocks, sizeof *p->block_start);
    if (!p->block_line || !p->block_start) {
        jql_free(p->block_line);
        jql_free(p->block_start);
        p->block_line = NULL;
        p->block_start = NULL;
        return JQL_ENOMEM;
    }
    uint32_t line = 1;
    size_t start = 0;
    for (size_t b = 0; b < nblocks; b++) {
        p->block_line[b] = line;
        p->block_start[b] = start;
        size_t end = (b + 1) * BLOCK < p->len ? (b + 1) * BLOCK : p->len;
        for (size_t i = b * BLOCK; i < end; i++) {
            if (p->text[i] == '\n') {
                line++;
                start = i + 1;
            }
        }
    }
    return JQL_OK;
}

static void pool_free(struct pool *pl);

void jql_json_pos_free(jql_json_pos *p)
{
    if (!p)
        return;
    jql_free(p->block_line);
    jql_free(p->block_start);
    jql_free(p->nodes); /* and the strings after them */
    pool_free(p->top);
    pool_free(p->rec);
    jql_free(p->rb);
    jql_free(p);
}

/* ---- pools: the shallow tree's and the records' nodes and strings ---- */

/*
 * A chain of blocks handing out memory in order; reset makes it start
 * again from the first block, keeping the blocks, so reading record after
 * record allocates only while the largest record so far grows. Nodes stay
 * where they are (a tree holds pointers to them), which a growing array
 * would not allow.
 */
#define POOL_BLOCK 65536u

typedef struct pool_blk {
    struct pool_blk *next;
    size_t cap, used;
    max_align_t data[];
} pool_blk;

struct pool {
    pool_blk *head, *cur; /* cur NULL: nothing handed out since the reset */
};

static void *pool_alloc(struct pool *pl, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    for (;;) {
        if (pl->cur && pl->cur->cap - pl->cur->used >= n) {
            void *r = (char *)pl->cur->data + pl->cur->used;
            pl->cur->used += n;
            return r;
        }
        pool_blk *nx = pl->cur ? pl->cur->next : pl->head;
        if (nx && nx->cap >= n) {
            nx->used = 0;
            pl->cur = nx;
            continue;
        }
        size_t cap = n > POOL_BLOCK ? n : POOL_BLOCK;
        if (cap > SIZE_MAX - sizeof(pool_blk))
            return NULL;
        pool_blk *b = jql_malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->cap = cap;
        b->used = 0;
        b->next = nx; /* a block too small for n stays, after this one */
        if (pl->cur)
            pl->cur->next = b;
        else
            pl->head = b;
        pl->cur = b;
    }
}

static void pool_reset(struct pool *pl)
{
    pl->cur = NULL;
}

static void pool_free(struct pool *pl)
{
    if (!pl)
        return;
    for (pool_blk *b = pl->head, *nx; b; b = nx) {
        nx = b->next;
        jql_free(b);
    }
    jql_free(pl);
}

/* ---- building the tree ourselves ---- */

/*
 * cJSON allocates every node and every string (member keys included) on
 * its own: for a national dataset that is millions of malloc and free
 * calls and twice the memory. The text is already validated, so building
 * the same tree here is simple: all nodes in one array (the validator
 * counted them), all strings in one buffer (a decoded string is never
 * longer than its source text), positions and flags recorded on the way.
 * Short strings without escapes repeat a lot (keys, periods, unit ids) and
 * share one copy through a small cache.
 */
#define INTERN_SLOTS 1024u
#define INTERN_MAX_BYTES 48u

typedef struct builder {
    const char *t;
    size_t len, pos;
    jql_json_pos *p;
    size_t used; /* bytes of p->strings used */
    /* not NULL: nodes and strings come from this pool (no interning: a
       record's strings go with it); shallow: containers below the top
       object are not built (jql_json_tree_shallow) */
    struct pool *pool;
    bool shallow;
    bool oom; /* the pool could not grow */
    struct {
        const char *copy; /* NULL: empty slot */
        size_t n;
    } intern[INTERN_SLOTS];
} builder;

static unsigned hexval(char c)
{
    return c <= '9' ? (unsigned)(c - '0') : ((unsigned)(c | 0x20) - 'a' + 10);
}

static unsigned read_hex4(const char *s)
{
    /* masked: a changed buffer may hold anything here */
    return (hexval(s[0]) & 15) << 12 | (hexval(s[1]) & 15) << 8 | (hexval(s[2]) & 15) << 4 |
           (hexval(s[3]) & 15);
}

/* Append code point cp as UTF-8 (U+0000 as a 0 byte, as cJSON does). */
static char *put_utf8(char *o, unsigned long cp)
{
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xC0 | (cp >> 6));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xE0 | (cp >> 12));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (char)(0xF0 | (cp >> 18));
        *o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    }
    return o;
}

/*
 * A record's string without escapes (nearly all of them), copied into the
 * pool's current block while it is scanned, 8 bytes a step, instead of
 * scanned and then copied. Whole words may land past the string's end, in
 * the block's unused space. NULL when that is not the case (an escape,
 * the text's last bytes, a block too full): nothing was taken from the
 * pool and read_string goes the long way. Block sizes and uses are
 * multiples of 16, so the string's 16-byte slot fits where its word did.
 */
static char *copy_plain(builder *b, size_t start)
{
    pool_blk *blk = b->pool->cur;
    if (!blk)
        return NULL;
    char *dst = (char *)blk->data + blk->used;
    size_t room = blk->cap - blk->used, i = start, k = 0;
    while (b->len - i >= 8 && room - k >= 8) {
        uint64_t w;
        memcpy(&w, b->t + i, 8);
        memcpy(dst + k, &w, 8);
        uint64_t stop = has_zero(w ^ ('"' * ONES)) | has_zero(w ^ ('\\' * ONES));
        if (!stop) {
            i += 8;
            k += 8;
            continue;
        }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        size_t at_stop = (size_t)__builtin_ctzll(stop) / 8; /* the first stop byte */
        if (b->t[i + at_stop] != '"')
            return NULL; /* an escape */
        k += at_stop;
        dst[k] = '\0';
        blk->used += (k + 1 + 15) & ~(size_t)15;
        b->used = 0; /* as read_string: the pool counts */
        b->pos = i + at_stop + 1;
        return dst;
#else
        return NULL;
#endif
    }
    return NULL;
}

/* Decode the valid string at t[pos] == '"'; *nul when it holds \u0000
   (the C string then ends there, as with cJSON). NULL when the string
   does not end inside the text (a buffer changed since validation). Every
   read stays before the closing quote found first and every string's
   output is no longer than its source, so the strings block (text length
   + 1) cannot overflow whatever the text holds now. */
static char *read_string(builder *b, bool *nul)
{
    const char *t = b->t;
    size_t len = b->len, start = b->pos + 1, i = start;
    bool esc = false;
    *nul = false;
    if (at(t, len, b->pos) != '"')
        return NULL;
    char *fast = b->pool ? copy_plain(b, start) : NULL;
    if (fast)
        return fast;
    for (;;) {
        if (i < len)
            i += plain_run(t, len, i, false);
        char c = at(t, len, i);
        if (c == '"')
            break;
        if (!c)
            return NULL;
        if (c == '\\') {
            esc = true;
            i += 2;
        } else {
            i++;
        }
    }
    size_t n = i - start;
    b->pos = i + 1;
    char *dst, *o;
    if (b->pool) {
        if (!(dst = pool_alloc(b->pool, n + 1))) {
            b->oom = true; /* the caller tells */
            return NULL;
        }
        b->used = 0; /* counts nothing here: the pool has its own */
    } else {
        dst = b->p->strings + b->used;
    }
    o = dst;
    if (!esc) {
        size_t slot = 0;
        if (n <= INTERN_MAX_BYTES && !b->pool) {
            uint32_t h = 2166136261u;
            for (size_t k = 0; k < n; k++)
                h = (h ^ (unsigned char)t[start + k]) * 16777619u;
            slot = h & (INTERN_SLOTS - 1);
            if (b->intern[slot].copy && b->intern[slot].n == n &&
                memcmp(b->intern[slot].copy, t + start, n) == 0)
                return (char *)b->intern[slot].copy;
        }
        memcpy(dst, t + start, n);
        dst[n] = '\0';
        b->used += n + 1;
        if (n <= INTERN_MAX_BYTES && !b->pool) {
            b->intern[slot].copy = dst;
            b->intern[slot].n = n;
        }
        return dst;
    }
    for (size_t k = start; k < i;) {
        if (t[k] != '\\') {
            *o++ = t[k++];
            continue;
        }
        char x = k + 1 < i ? t[k + 1] : '\\';
        k += 2;
        switch (x) {
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            if (i - k < 4) { /* only in a changed buffer */
                k = i;
                break;
            }
            unsigned long cp = read_hex4(t + k);
            k += 4;
            /* validated: a low surrogate follows (the bound: a changed buffer) */
            if (cp >= 0xD800 && cp <= 0xDBFF && i - k >= 6) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (read_hex4(t + k + 2) - 0xDC00);
                k += 6;
            }
            if (cp == 0)
                *nul = true;
            o = put_utf8(o, cp);
            break;
        }
        default: *o++ = x; /* " \ / */
        }
    }
    *o++ = '\0';
    b->used += (size_t)(o - dst);
    return dst;
}

static int build_value(builder *b, cJSON **out, size_t key_off, unsigned flags,
                       unsigned depth);

static int build_container(builder *b, cJSON *node, bool object, unsigned depth)
{
    char close = object ? '}' : ']';
    cJSON *last = NULL;
    b->pos = skip_ws(b->t, b->len, b->pos + 1);
    if (at(b->t, b->len, b->pos) == close) {
        b->pos++;
        return JQL_OK;
    }
    for (;;) {
        size_t key_off = SIZE_MAX;
        unsigned flags = 0;
        char *key = NULL;
        if (object) {
            bool nul;
            b->pos = skip_ws(b->t, b->len, b->pos);
            key_off = b->pos;
            key = read_string(b, &nul);
            if (!key)
                return b->oom ? JQL_ENOMEM : JQL_ERROR;
            if (nul)
                flags |= JQL_POS_KEY_NUL;
            b->pos = skip_ws(b->t, b->len, b->pos) + 1; /* past ':' */
        }
        cJSON *child;
        int rc = build_value(b, &child, key_off, flags, depth + 1);
        if (rc)
            return rc;
        child->string = key;
        if (last) {
            last->next = child;
            child->prev = last;
        } else {
            node->child = child;
        }
        last = child;
        node->child->prev = last; /* cJSON keeps the last item in child->prev */
        b->pos = skip_ws(b->t, b->len, b->pos);
        char sep = at(b->t, b->len, b->pos++);
        if (sep == close)
            break;
        if (sep != ',')
            return JQL_ERROR;
    }
    return object ? mark_duplicates(node) : JQL_OK;
}

/*
 * Step over the validated container at t[pos] without building it:
 * returns the offset after its closing bracket and counts its elements
 * (members). Only strings and brackets matter in a validated text. Every
 * read is bounded by len (a changed buffer gives a wrong count or end,
 * never a read outside it).
 */
static size_t skip_container(const char *t, size_t len, size_t pos, size_t *count)
{
    size_t depth = 0, commas = 0;
    bool any = false;
    for (size_t i = pos; i < len; i++) {
        switch (t[i]) {
        case '"':
            any |= depth == 1;
            for (i++; i < len && t[i] != '"'; i++)
                if (t[i] == '\\')
                    i++;
            break;
        case '{':
        case '[':
            any |= depth == 1;
            depth++;
            break;
        case '}':
        case ']':
            if (--depth == 0) {
                *count = any ? commas + 1 : 0;
                return i + 1;
            }
            break;
        case ',':
            commas += depth == 1;
            break;
        case ' ':
        case '\t':
        case '\n':
        case '\r':
            break;
        default:
            any |= depth == 1;
        }
    }
    *count = any ? commas + 1 : 0;
    return len;
}

/* Step over a shallow container as skip_container does, taking its end
   and count from the validator's spans when it recorded this one (spans
   come in document order): the text is then not scanned a second time. */
static size_t step_over(jql_json_pos *p, const char *t, size_t len, size_t pos, size_t *count)
{
    while (p->span_next < p->nspans && p->spans[p->span_next].start < pos)
        p->span_next++;
    if (p->span_next < p->nspans && p->spans[p->span_next].start == pos) {
        const jql_json_span *sp = &p->spans[p->span_next++];
        if (sp->end > pos && sp->end <= len) {
            *count = sp->count;
            return sp->end;
        }
    }
    return skip_container(t, len, pos, count);
}

static int build_value(builder *b, cJSON **out, size_t key_off, unsigned flags,
                       unsigned depth)
{
    jql_json_pos *p = b->p;
    b->pos = skip_ws(b->t, b->len, b->pos);
    size_t off = b->pos;
    if (key_off == SIZE_MAX)
        key_off = off;
    cJSON *node;
    if (b->pool) {
        if (!(node = pool_alloc(b->pool, sizeof *node))) {
            b->oom = true;
            return JQL_ENOMEM;
        }
    } else {
        if (p->count >= p->cap)
            return JQL_ERROR; /* more values than the validator counted */
        node = &p->nodes[p->count]; /* record() below counts it */
    }
    memset(node, 0, sizeof *node);
    *out = node;
    int rc = record(p, node, off, key_off, flags);
    if (rc)
        return rc;
    char c = at(b->t, b->len, off);
    switch (c) {
    case '{':
    case '[':
        node->type = c == '{' ? cJSON_Object : cJSON_Array;
        if (b->shallow && (depth > 0 || c == '[')) {
            /* not built: records are read one by one (jql_json_pos_build_at) */
            size_t *count = pool_alloc(b->pool, sizeof *count);
            if (!count) {
                b->oom = true;
                return JQL_ENOMEM;
            }
            b->pos = step_over(p, b->t, b->len, off, count);
            node->valuestring = (char *)count;
            set_flags(node, JQL_POS_SHALLOW);
            return JQL_OK;
        }
        return build_container(b, node, c == '{', depth);
    case '"': {
        bool nul;
        node->type = cJSON_String;
        node->valuestring = read_string(b, &nul);
        if (!node->valuestring)
            return b->oom ? JQL_ENOMEM : JQL_ERROR;
        if (nul)
            set_flags(node, JQL_POS_VALUE_NUL);
        return JQL_OK;
    }
    case 't':
        node->type = cJSON_True;
        b->pos += 4;
        return JQL_OK;
    case 'f':
        node->type = cJSON_False;
        b->pos += 5;
        return JQL_OK;
    case 'n':
        node->type = cJSON_NULL;
        b->pos += 4;
        return JQL_OK;
    default:
        node->type = cJSON_Number; /* its value is read from the text */
        while (b->pos < b->len && num_char(b->t[b->pos]))
            b->pos++;
        return JQL_OK;
    }
}

static int tree_fail(jql_json_pos *p, builder *b, cJSON **root, int rc)
{
    jql_free(b);
    *root = NULL;
    jql_json_pos_free(p);
    if (rc == JQL_ENOMEM)
        return jql_fail(JQL_ENOMEM, "out of memory");
    return jql_fail(JQL_ERROR, "internal error: JSON tree does not match its text");
}

int jql_json_tree_new(const char *text, size_t len, size_t nodes, cJSON **root,
                      jql_json_pos **out)
{
    *out = NULL;
    *root = NULL;
    jql_json_pos *p = jql_calloc(1, sizeof *p);
    builder *b = jql_malloc(sizeof *b);
    if (!p || !b)
        return tree_fail(p, b, root, JQL_ENOMEM);
    memset(b, 0, sizeof *b);
    p->text = text;
    p->len = len;
    p->cap = nodes;
    int rc = JQL_ENOMEM;
    /* One block, nodes then strings: fewer calls, and a large dataset's
       block stays above glibc's dynamic mmap threshold, so freeing it does
       not raise that threshold and push later big buffers into the heap. */
    if (!nodes || nodes > (SIZE_MAX - len - 1) / sizeof(cJSON) ||
        !(p->nodes = jql_malloc(nodes * sizeof(cJSON) + len + 1)))
        return tree_fail(p, b, root, rc);
    p->strings = (char *)(p->nodes + nodes);
    b->t = text;
    b->len = len;
    b->p = p;
    if ((rc = build_value(b, root, SIZE_MAX, 0, 0)))
        return tree_fail(p, b, root, rc);
    jql_free(b);
    *out = p;
    return JQL_OK;
}

int jql_json_tree_shallow(const char *text, size_t len, cJSON **root, jql_json_pos **out)
{
    return jql_json_tree_shallow_spans(text, len, NULL, root, out);
}

int jql_json_tree_shallow_spans(const char *text, size_t len, const jql_json_spans *spans,
                                cJSON **root, jql_json_pos **out)
{
    *out = NULL;
    *root = NULL;
    jql_json_pos *p = jql_calloc(1, sizeof *p);
    builder *b = jql_malloc(sizeof *b);
    if (!p || !b)
        return tree_fail(p, b, root, JQL_ENOMEM);
    memset(b, 0, sizeof *b);
    p->text = text;
    p->len = len;
    if (spans && !spans->oom) {
        p->spans = spans->items;
        p->nspans = spans->len;
    }
    if (!(p->top = jql_calloc(1, sizeof *p->top)) || !(p->rec = jql_calloc(1, sizeof *p->rec)))
        return tree_fail(p, b, root, JQL_ENOMEM);
    b->t = text;
    b->len = len;
    b->p = p;
    b->pool = p->top;
    b->shallow = true;
    int rc = build_value(b, root, SIZE_MAX, 0, 0);
    if (rc)
        return tree_fail(p, b, root, rc);
    /* the same builder reads the records, from their own pool */
    b->pool = p->rec;
    b->shallow = false;
    p->spans = NULL; /* the caller's: not kept */
    p->nspans = 0;
    p->rb = b;
    *out = p;
    return JQL_OK;
}

size_t jql_json_shallow_count(const cJSON *node)
{
    if (!node || !(node_flags(node) & JQL_POS_SHALLOW) || !node->valuestring)
        return 0;
    return *(const size_t *)(const void *)node->valuestring;
}

int jql_json_pos_build_at(jql_json_pos *p, size_t *pos, cJSON **out)
{
    *out = NULL;
    if (!p || !p->rb)
        return jql_fail(JQL_ERROR, "internal error: no shallow JSON tree");
    builder *b = p->rb;
    pool_reset(p->rec);
    b->pos = *pos;
    b->oom = false;
    int rc = build_value(b, out, SIZE_MAX, 0, 0);
    *pos = b->pos;
    if (rc == JQL_OK)
        return JQL_OK;
    *out = NULL;
    if (rc == JQL_ENOMEM)
        return jql_fail(JQL_ENOMEM, "out of memory");
    return jql_fail(JQL_ERROR, "internal error: JSON tree does not match its text");
}

int jql_json_pos_next(jql_json_pos *p, const cJSON *array, size_t *pos, cJSON **out)
{
    *out = NULL;
    if (!p || !cJSON_IsArray(array) || !(node_flags(array) & JQL_POS_SHALLOW))
        return jql_fail(JQL_ERROR, "internal error: not a shallow JSON array");
    size_t i = *pos;
    if (i == 0)
        i = (size_t)array->valuedouble + 1; /* after '[' */
    i = skip_ws(p->text, p->len, i);
    char c = at(p->text, p->len, i);
    if (c == ']' || c == '\0') {
        *pos = i;
        return JQL_OK; /* the end */
    }
    int rc = jql_json_pos_build_at(p, &i, out);
    if (rc)
        return rc;
    i = skip_ws(p->text, p->len, i);
    if (at(p->text, p->len, i) == ',')
        i++;
    *pos = i;
    return JQL_OK;
}

size_t jql_json_pos_offset(const jql_json_pos *p, const cJSON *node)
{
    if (!p || !node)
        return 0;
    return (size_t)node->valuedouble;
}

size_t jql_json_pos_key_offset(const jql_json_pos *p, const cJSON *node)
{
    if (!p || !node)
        return 0;
    return (size_t)node->valuedouble - ((uint32_t)node->valueint & KEY_MASK);
}

unsigned jql_json_pos_flags(const jql_json_pos *p, const cJSON *node)
{
    if (!p || !node)
        return 0;
    return node_flags(node);
}

void jql_json_pos_line_col(const jql_json_pos *p, size_t offset, unsigned *line, unsigned *col)
{
    if (offset > p->len)
        offset = p->len;
    if (!p->block_line) {
        jql_json_pos *mp = (jql_json_pos *)p; /* the table is a cache of the text */
        if (p->blocks_failed || build_blocks(mp) != JQL_OK) {
            mp->blocks_failed = true;
            jql_line_col(p->text, p->len, offset, line, col);
            return;
        }
    }
    size_t b = offset / BLOCK;
    uint32_t l = p->block_line[b];
    size_t start = p->block_start[b];
    for (size_t i = b * BLOCK; i < offset; i++) {
        if (p->text[i] == '\n') {
            l++;
            start = i + 1;
        }
    }
    *line = l;
    *col = (unsigned)(offset - start + 1);
}
