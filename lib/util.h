/*
 * Internal utilities shared by every module: allocation through the host's
 * hooks, the per-thread error message, growable arrays, a string hash map,
 * a string builder, diagnostics lists, UTF-8 checks and exact arithmetic.
 */
#ifndef JQL_UTIL_H
#define JQL_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "justice_quarterly/common.h"

#if defined(__GNUC__)
#define JQL_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define JQL_PRINTF(a, b)
#endif

/* ---- allocation (through jql_allocator_set hooks) ---- */
void *jql_malloc(size_t size);
void *jql_calloc(size_t n, size_t size); /* overflow-checked, zeroed */
void *jql_realloc(void *ptr, size_t size);
/* jql_free() is public (common.h). */
char *jql_strdup(const char *s);          /* NULL in -> NULL out */
char *jql_strndup(const char *s, size_t n);
/* Replace *slot with a copy of s (NULL clears). 0 or JQL_ENOMEM. */
int jql_str_replace(char **slot, const char *s);
/* The same with a copy in NFC (ids and compared strings, nfc.c). */
int jql_str_replace_nfc(char **slot, const char *s);
/* Grow *items so at least `need` elements of `elem` bytes fit. 0 or JQL_ENOMEM. */
/* Advise transparent huge pages for an array of JQL_LARGE_BYTES or more
   (results.c). */
#define JQL_LARGE_BYTES ((size_t)4 << 20)
void jql_advise_large(void *p, size_t bytes);

int jql_vec_grow(void **items, size_t *cap, size_t need, size_t elem);

/* Room for entry n of an array that keeps no capacity (a record's keys,
   levels, answers, causes): its capacity is the least power of two at or
   above its count (1 for none), so it is doubled when n is 0 or a power
   of two, not copied at every entry (400,000 attributes of one unit grown
   one at a time: quadratic wherever realloc moves the block, as under
   ASan or a jql_allocator_set() allocator). Every growth of such an array
   must come here. The array to use (items itself when it has room), or
   NULL when out of memory (items unchanged). */
static inline void *jql_grow_pow2(void *items, size_t n, size_t size)
{
    if (n & (n - 1))
        return items;
    size_t cap = n ? 2 * n : 1;
    return size && cap > SIZE_MAX / size ? NULL : jql_realloc(items, cap * size);
}

/* An array of n elements of `size` bytes, NOT zeroed, freed with
   jql_free(), for an array the caller writes in full right away (a
   scoring's results: zeroing it first was a second pass over up to tens
   of MB). From JQL_PAGED_BYTES up, with the default allocator on Linux,
   its pages are mapped in one call (MADV_POPULATE_WRITE) rather than one
   fault per 4 KiB page as it is first written. Not advised huge pages
   (it was): on a virtual machine whose host backs memory as the guest
   first touches it (this project's Firecracker VM), a fresh huge page can
   cost milliseconds, and a third of first scorings took 2 to 5 times as
   long (3,321 communes: 44-137 ms against 23-29; 10,000: 282-352 against
   66), where 4 KiB pages keep every run within a few percent. NULL when
   out of memory or n * size overflows. */
#define JQL_PAGED_BYTES ((size_t)256 << 10)
void *jql_alloc_paged(size_t n, size_t size);
/* jql_alloc_paged() whose first `mapped` bytes only are mapped in the one
   call; the rest faults page by page as it is written, so room reserved
   on an estimate costs memory only as it is used. */
void *jql_alloc_paged_part(size_t n, size_t size, size_t mapped);

/* ---- per-thread last error ---- */
/* Set the message and return `status` (so callers can `return jql_fail(...)`). */
int jql_fail(int status, const char *fmt, ...) JQL_PRINTF(2, 3);

/* ---- vector of indices ---- */
typedef struct {
    size_t *items;
    size_t len, cap;
} jql_sizevec;
int jql_sizevec_grow_push(jql_sizevec *v, size_t value);
/* Inline: the scoring pushes a record index per leaf and record, and a
   call per push was a tenth of its time; only growth leaves the header. */
static inline int jql_sizevec_push(jql_sizevec *v, size_t value)
{
    if (v->len < v->cap) {
        v->items[v->len++] = value;
        return 0;
    }
    return jql_sizevec_grow_push(v, value);
}
/* Append n items in one copy. 0 or JQL_ENOMEM. */
int jql_sizevec_append(jql_sizevec *v, const size_t *items, size_t n);
void jql_sizevec_free(jql_sizevec *v);

/* ---- string -> size_t hash map (keys are copied) ---- */
typedef struct {
    uint64_t hash; /* compared before the key: ids often share long prefixes */
    char *key;     /* NULL: empty slot; the copy lives in the map's pool */
    size_t value;
} jql_strmap_slot;

typedef struct {
    jql_strmap_slot *slots; /* one array: a probe touches one cache line */
    size_t cap, len;        /* cap is a power of two or 0 */
    bool nfc;         /* keys compared in NFC (ids): set before the first put */
    void *pool;       /* newest block of key copies (a chain; see util.c) */
    char *pool_next;  /* free space in the newest block */
    size_t pool_left;
} jql_strmap;
/* The per-process key of the maps' keyed hash (SipHash-1-3), for tests. */
void jql_strmap_hash_key(uint64_t key[2]);
/* JQL_OK and *value set, or JQL_ENOTFOUND. */
int jql_strmap_get(const jql_strmap *m, const char *key, size_t *value);
/* Insert or overwrite. 0 or JQL_ENOMEM. */
int jql_strmap_put(jql_strmap *m, const char *key, size_t value);
/* Where a key not found would be inserted: jql_strmap_put_spot() puts it
   there without hashing and probing again (an id checked new, then added)
   when the map took no key in between, else as jql_strmap_put(). */
typedef struct {
    const jql_strmap_slot *slots; /* the map's slots at the look-up; NULL: none */
    size_t cap, len, slot;
    uint64_t hash;
} jql_strmap_spot;
/* jql_strmap_get(), filling *spot when the key is not found. */
int jql_strmap_get_spot(const jql_strmap *m, const char *key, size_t *value,
                        jql_strmap_spot *spot);
/* jql_strmap_put() of a key *spot was filled for. 0 or JQL_ENOMEM. */
int jql_strmap_put_spot(jql_strmap *m, const char *key, size_t value,
                        const jql_strmap_spot *spot);
/* Start loading the slot where a look-up of key in m begins, for a
   look-up a little later (a loader's next insertion into a map of
   millions of slots: the slot's cache miss then overlaps other work).
   Changes nothing; costs one hash (nothing for a key not in ASCII in a
   map compared in NFC). */
void jql_strmap_prefetch(const jql_strmap *m, const char *key);
/* Room for n keys without rehashing (a loader that knows how many records
   come). 0 or JQL_ENOMEM. */
int jql_strmap_reserve(jql_strmap *m, size_t n);
void jql_strmap_free(jql_strmap *m);
/* The map's own copy of a key byte-equal to `key` (not normalized), or
   NULL: a read-only look-up for maps used as string pools. */
const char *jql_strmap_find_key(const jql_strmap *m, const char *key);
/* The map's own copy of key (in NFC when m->nfc), added with value 0 when
   absent: one shared copy of a string repeated over many records, valid
   as long as the map. NULL on ENOMEM. */
const char *jql_strmap_intern(jql_strmap *m, const char *key);
/* Build "a\x1fb\x1fc" composite keys into buf (heap if needed, free with jql_free
   when *heap). Returns the key or NULL on ENOMEM. */
char *jql_key3(char *buf, size_t size, const char *a, const char *b, const char *c, bool *heap);

/* ---- string builder ---- */
typedef struct {
    char *data;
    size_t len, cap;
    bool failed; /* an allocation failed; everything after is dropped */
} jql_buf;
void jql_buf_init(jql_buf *b);
void jql_buf_free(jql_buf *b);
/* Append n bytes (then a NUL). Inline when they fit: the writers append a
   few bytes at a time, millions of times per document, and a literal's
   length is then known at compile time (jql_buf_puts). */
void jql_buf_add_slow(jql_buf *b, const char *s, size_t n);
static inline void jql_buf_add(jql_buf *b, const char *s, size_t n)
{
    if (!b->failed && n < b->cap - b->len) { /* len < cap once data exists */
        memcpy(b->data + b->len, s, n);
        b->len += n;
        b->data[b->len] = '\0';
    } else {
        jql_buf_add_slow(b, s, n);
    }
}
static inline void jql_buf_puts(jql_buf *b, const char *s) { jql_buf_add(b, s, strlen(s)); }
static inline void jql_buf_putc(jql_buf *b, char c) { jql_buf_add(b, &c, 1); }
void jql_buf_printf(jql_buf *b, const char *fmt, ...) JQL_PRINTF(2, 3);
/* Append a JSON string literal (quotes included): escapes ", \ and control
   characters only; other UTF-8 bytes pass through unchanged. */
void jql_buf_json_string(jql_buf *b, const char *s);
/* Append a jql_milli in shortest exact form ("1.5", "12", "-0.25"). */
void jql_buf_milli(jql_buf *b, jql_milli v);
/* Append n in decimal: what "%zu" prints, without a printf call per number. */
void jql_buf_size(jql_buf *b, size_t n);
/* Append a jql_milli with exactly 3 decimals ("1.500"). */
void jql_buf_milli3(jql_buf *b, jql_milli v);
/* Append a date as "YYYY-MM-DD". */
void jql_buf_date(jql_buf *b, jql_date d);
/* Take ownership of the NUL-terminated contents (NULL when failed). */
char *jql_buf_take(jql_buf *b, size_t *len);

/* ---- diagnostics ---- */
/* Create an empty list for `source` (copied). NULL on ENOMEM. */
jql_diagnostics *jql_diag_new(const char *source);
/* Add an entry. Paths are JSON Pointers. Past JQL_MAX_DIAGNOSTICS entries
   only a count is kept and one final "... more" entry is added by
   jql_diag_finish(). Allocation failures are remembered (jql_diag_oom). */
void jql_diag_add(jql_diagnostics *d, jql_severity sev, const char *path, unsigned line,
                  unsigned column, const char *fmt, ...) JQL_PRINTF(6, 7);
void jql_diag_finish(jql_diagnostics *d);
bool jql_diag_oom(const jql_diagnostics *d);
/* Sort entries by line, column, path (stable), so output follows the file. */
void jql_diag_sort(jql_diagnostics *d);

/* ---- text ---- */
/* Offset of the first invalid UTF-8 byte (overlongs, surrogates and
   code points above U+10FFFF are invalid), or `len` when all valid. */
size_t jql_utf8_check(const char *s, size_t len);
/* Line and column (1-based, column in bytes) of `offset` in text. */
void jql_line_col(const char *text, size_t len, size_t offset, unsigned *line, unsigned *col);
/* Validate an id: non-empty, at most JQL_MAX_ID_BYTES, valid UTF-8, no
   control characters. 0 or JQL_EINVALID (with jql_fail message). */
int jql_check_id(const char *what, const char *id);
/* Validate free text: valid UTF-8, at most JQL_MAX_STRING_BYTES. */
int jql_check_text(const char *what, const char *text);

/* ---- Unicode normalization (nfc.c, libutf8proc) ---- */
/* *is_nfc: s is in NFC (ASCII always is). JQL_OK or JQL_ENOMEM. */
int jql_nfc_check(const char *s, bool *is_nfc);
/* A copy of s in NFC (jql_free it). NULL in -> NULL out; NULL on ENOMEM. */
char *jql_strdup_nfc(const char *s);
/* s in NFC for a lookup: s itself when already NFC, else buf (size bytes)
   or a heap copy in *heap (jql_free it). Falls back to s on failure. */
const char *jql_nfc_key(const char *s, char *buf, size_t size, char **heap);

/* ---- dates ---- */
/* True for a date of the years JQL_YEAR_MIN..JQL_YEAR_MAX (the only ones
   the JSON form can hold). */
bool jql_date_in_range(jql_date d);

/* ---- exact arithmetic ---- */
/* num/den rounded half away from zero (den != 0). Uses 128-bit intermediates. */
int64_t jql_div_round(__int128 num, __int128 den);
/* Convert a double read from JSON to thousandths: JQL_OK, or JQL_EINVALID when
   it is not finite, has more than 3 decimals (judged by value) or exceeds
   JQL_MILLI_MAX. */
int jql_milli_from_double(double d, jql_milli *out);

#endif /* JQL_UTIL_H */
