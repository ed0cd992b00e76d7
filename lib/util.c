/* Internal utilities: allocation, errors, vectors, hash map, buffers. */
#include "util.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/mman.h>
#ifdef MADV_POPULATE_WRITE
#define JQL_MADV_POPULATE_WRITE MADV_POPULATE_WRITE
#else
#define JQL_MADV_POPULATE_WRITE 23 /* Linux 5.14; older kernels: EINVAL */
#endif
#endif

/* ---- allocation ---- */

static jql_malloc_fn g_malloc = malloc;
static jql_realloc_fn g_realloc = realloc;
static jql_free_fn g_free = free;

int jql_allocator_set(jql_malloc_fn m, jql_realloc_fn r, jql_free_fn f)
{
    if (!m && !r && !f) {
        g_malloc = malloc;
        g_realloc = realloc;
        g_free = free;
        return JQL_OK;
    }
    if (!m || !r || !f)
        return jql_fail(JQL_EINVALID, "jql_allocator_set: give all three functions or none");
    g_malloc = m;
    g_realloc = r;
    g_free = f;
    return JQL_OK;
}

void *jql_malloc(size_t size) { return g_malloc(size ? size : 1); }

void *jql_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    if (g_malloc == malloc) /* the C library's calloc skips zeroing fresh pages */
        return calloc(n && size ? n : 1, n && size ? size : 1);
    void *p = jql_malloc(n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

void *jql_alloc_paged_part(size_t n, size_t size, size_t mapped)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
#if defined(__linux__)
    const size_t page = 4096;
    if (g_malloc == malloc && size && n * size >= JQL_PAGED_BYTES) {
        size_t bytes = (n * size + page - 1) & ~(page - 1);
        void *p = NULL;
        if (posix_memalign(&p, page, bytes) == 0 && p) {
            if (mapped < bytes)
                bytes = (mapped + page - 1) & ~(page - 1);
            /* advice only: an older kernel's EINVAL leaves the pages to
               fault one by one as they are written */
            if (bytes)
                (void)madvise(p, bytes, JQL_MADV_POPULATE_WRITE);
            return p;
        }
    }
#endif
    (void)mapped;
    return jql_malloc(n * size);
}

void *jql_alloc_paged(size_t n, size_t size) { return jql_alloc_paged_part(n, size, SIZE_MAX); }

void *jql_realloc(void *ptr, size_t size) { return g_realloc(ptr, size ? size : 1); }

void jql_free(void *ptr)
{
    if (ptr)
        g_free(ptr);
}

char *jql_strndup(const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *p = jql_malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *jql_strdup(const char *s) { return s ? jql_strndup(s, strlen(s)) : NULL; }

int jql_str_replace(char **slot, const char *s)
{
    char *copy = NULL;
    if (s && !(copy = jql_strdup(s)))
        return jql_fail(JQL_ENOMEM, "out of memory");
    jql_free(*slot);
    *slot = copy;
    return JQL_OK;
}

int jql_str_replace_nfc(char **slot, const char *s)
{
    char *copy = NULL;
    if (s && !(copy = jql_strdup_nfc(s)))
        return jql_fail(JQL_ENOMEM, "out of memory");
    jql_free(*slot);
    *slot = copy;
    return JQL_OK;
}

int jql_vec_grow(void **items, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return JQL_OK;
    /* from 2: most per-record lists (a task's owners, a directive's
       addressees) hold one or two items, and there are millions of them */
    size_t ncap = *cap ? *cap : 2;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return jql_fail(JQL_ENOMEM, "out of memory");
        ncap *= 2;
    }
    if (ncap > SIZE_MAX / elem)
        return jql_fail(JQL_ENOMEM, "out of memory");
    void *p;
    if (ncap * elem >= JQL_LARGE_BYTES) {
        /* A fresh block advised before it is written, then the copy: a
           block grown in place by realloc (mremap) keeps 4 KiB pages even
           when advised, and a national dataset's records are then read
           one page fault apart (jql_advise_large). */
        if (!(p = jql_malloc(ncap * elem)))
            return jql_fail(JQL_ENOMEM, "out of memory");
        jql_advise_large(p, ncap * elem);
        if (*items)
            memcpy(p, *items, *cap * elem);
        jql_free(*items);
    } else if (!(p = jql_realloc(*items, ncap * elem)))
        return jql_fail(JQL_ENOMEM, "out of memory");
    *items = p;
    *cap = ncap;
    return JQL_OK;
}

/* ---- errors ---- */

static _Thread_local char t_error[512];

int jql_fail(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t_error, sizeof t_error, fmt, ap);
    va_end(ap);
    return status;
}

const char *jql_last_error(void) { return t_error; }

void jql_clear_error(void) { t_error[0] = '\0'; }

const char *jql_strerror(int status)
{
    switch (status) {
    case JQL_OK: return "success";
    case JQL_ERROR: return "error";
    case JQL_ENOMEM: return "out of memory";
    case JQL_EINVALID: return "invalid input";
    case JQL_ENOTFOUND: return "not found";
    case JQL_EEXISTS: return "already exists";
    case JQL_EIO: return "input/output error";
    case JQL_ELIMIT: return "limit exceeded";
    case JQL_ECALLBACK: return "callback failed";
    case JQL_ENODATA: return "no data";
    default: return "unknown status";
    }
}

const char *jql_version(void) { return JQL_VERSION_STRING; }

int jql_version_number(void) { return JQL_VERSION_NUMBER; }

/* ---- size vector ---- */

int jql_sizevec_grow_push(jql_sizevec *v, size_t value)
{
    if (jql_vec_grow((void **)&v->items, &v->cap, v->len + 1, sizeof *v->items))
        return JQL_ENOMEM;
    v->items[v->len++] = value;
    return JQL_OK;
}

int jql_sizevec_append(jql_sizevec *v, const size_t *items, size_t n)
{
    if (n == 0)
        return JQL_OK;
    if (n > SIZE_MAX - v->len ||
        jql_vec_grow((void **)&v->items, &v->cap, v->len + n, sizeof *v->items))
        return JQL_ENOMEM;
    memcpy(v->items + v->len, items, n * sizeof *items);
    v->len += n;
    return JQL_OK;
}

void jql_sizevec_free(jql_sizevec *v)
{
    jql_free(v->items);
    v->items = NULL;
    v->len = v->cap = 0;
}

/* ---- string hash map (open addressing, SipHash-1-3 keyed per process) ---- */

/*
 * The key is drawn from the kernel once per process (getrandom), so ids
 * crafted to collide cannot be prepared in advance: an unkeyed hash (FNV-1a)
 * let 65,536 chosen ids make every insert walk one cluster. Nothing stores
 * or orders by a hash, so output does not depend on the key.
 */
static uint64_t sip_k0, sip_k1;

__attribute__((constructor)) static void hash_seed(void)
{
    uint64_t k[2] = {0, 0};
    if (getrandom(k, sizeof k, GRND_NONBLOCK) != (ssize_t)sizeof k) {
        /* no entropy yet (early boot): still differs per process and run */
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        k[0] = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ULL ^ (uint64_t)getpid();
        k[1] = (uint64_t)ts.tv_sec ^ (uint64_t)(uintptr_t)&k * 0xBF58476D1CE4E5B9ULL;
    }
    sip_k0 = k[0];
    sip_k1 = k[1];
}

void jql_strmap_hash_key(uint64_t key[2])
{
    key[0] = sip_k0;
    key[1] = sip_k1;
}

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                      \
    do {                                                                              \
        v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);                      \
        v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;                                          \
        v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;                                          \
        v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);                      \
    } while (0)

static uint64_t hash_str(const char *s)
{
    size_t len = strlen(s);
    uint64_t v0 = sip_k0 ^ 0x736f6d6570736575ULL, v1 = sip_k1 ^ 0x646f72616e646f6dULL;
    uint64_t v2 = sip_k0 ^ 0x6c7967656e657261ULL, v3 = sip_k1 ^ 0x7465646279746573ULL;
    const unsigned char *p = (const unsigned char *)s;
    size_t full = len & ~(size_t)7;
    for (size_t i = 0; i < full; i += 8) {
        uint64_t m;
        memcpy(&m, p + i, 8); /* little-endian hosts; the value only needs to be stable in-process */
        v3 ^= m;
        SIPROUND;
        v0 ^= m;
    }
    uint64_t b = (uint64_t)len << 56;
    for (size_t i = 0; i < (len & 7); i++)
        b |= (uint64_t)p[full + i] << (8 * i);
    v3 ^= b;
    SIPROUND;
    v0 ^= b;
    v2 ^= 0xff;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

static int strmap_get_raw(const jql_strmap *m, const char *key, size_t *value);
static int strmap_put_raw(jql_strmap *m, const char *key, size_t value);

/* Maps of ids (m->nfc) compare keys in NFC, so "thành phố" typed in NFD
   finds the NFC one. */
int jql_strmap_get(const jql_strmap *m, const char *key, size_t *value)
{
    if (!m->cap)
        return JQL_ENOTFOUND;
    if (!m->nfc)
        return strmap_get_raw(m, key, value);
    char buf[512], *heap;
    int rc = strmap_get_raw(m, jql_nfc_key(key, buf, sizeof buf, &heap), value);
    jql_free(heap);
    return rc;
}

int jql_strmap_put(jql_strmap *m, const char *key, size_t value)
{
    if (!m->nfc)
        return strmap_put_raw(m, key, value);
    char buf[512], *heap;
    int rc = strmap_put_raw(m, jql_nfc_key(key, buf, sizeof buf, &heap), value);
    jql_free(heap);
    return rc;
}

static int strmap_get_raw(const jql_strmap *m, const char *key, size_t *value)
{
    if (!m->cap)
        return JQL_ENOTFOUND;
    size_t mask = m->cap - 1;
    uint64_t h = hash_str(key);
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        const jql_strmap_slot *e = &m->slots[i];
        if (!e->key)
            return JQL_ENOTFOUND;
        if (e->hash == h && strcmp(e->key, key) == 0) {
            if (value)
                *value = e->value;
            return JQL_OK;
        }
    }
}

int jql_strmap_get_spot(const jql_strmap *m, const char *key, size_t *value,
                        jql_strmap_spot *spot)
{
    spot->slots = NULL; /* nothing to remember */
    if (!m->cap)
        return JQL_ENOTFOUND;
    char buf[512], *heap = NULL;
    const char *k = m->nfc ? jql_nfc_key(key, buf, sizeof buf, &heap) : key;
    size_t mask = m->cap - 1;
    uint64_t h = hash_str(k);
    int rc = JQL_ENOTFOUND;
    size_t i = h & mask;
    for (; m->slots[i].key; i = (i + 1) & mask) {
        if (m->slots[i].hash == h && strcmp(m->slots[i].key, k) == 0) {
            if (value)
                *value = m->slots[i].value;
            rc = JQL_OK;
            break;
        }
    }
    if (rc == JQL_ENOTFOUND)
        *spot = (jql_strmap_spot){
            .slots = m->slots, .cap = m->cap, .len = m->len, .slot = i, .hash = h};
    jql_free(heap);
    return rc;
}

static int strmap_rehash(jql_strmap *m, size_t ncap)
{
    jql_strmap_slot *slots = jql_calloc(ncap, sizeof *slots);
    if (!slots)
        return jql_fail(JQL_ENOMEM, "out of memory");
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->slots[i].key)
            continue;
        size_t j = m->slots[i].hash & (ncap - 1);
        while (slots[j].key)
            j = (j + 1) & (ncap - 1);
        slots[j] = m->slots[i];
    }
    jql_free(m->slots);
    m->slots = slots;
    m->cap = ncap;
    return JQL_OK;
}

int jql_strmap_reserve(jql_strmap *m, size_t n)
{
    size_t cap = m->cap ? m->cap : 16;
    while ((n + 1) * 4 >= cap * 3) {
        if (cap > SIZE_MAX / 2 / sizeof *m->slots)
            return jql_fail(JQL_ENOMEM, "out of memory");
        cap *= 2;
    }
    return cap > m->cap ? strmap_rehash(m, cap) : JQL_OK;
}

/* Key copies are packed into blocks: maps of 100,000s of composite keys
   (statistics, assessments) would otherwise cost one malloc and one free
   per key. Maps have no removal, so a block lives as long as its map. */
typedef struct pool_block {
    struct pool_block *next;
    size_t size;
    char data[];
} pool_block;

/* Blocks double from the first size up to the last: small maps stay small. */
#define POOL_FIRST_BYTES 256u
#define POOL_MAX_BYTES 16384u

static char *pool_copy(jql_strmap *m, const char *key)
{
    size_t n = strlen(key) + 1;
    if (n > m->pool_left) {
        const pool_block *last = m->pool;
        size_t size = !last ? POOL_FIRST_BYTES
                      : last->size < POOL_MAX_BYTES ? 2 * last->size
                                                    : POOL_MAX_BYTES;
        if (size < n)
            size = n;
        pool_block *b = jql_malloc(sizeof *b + size);
        if (!b)
            return NULL;
        b->next = m->pool;
        b->size = size;
        m->pool = b;
        m->pool_next = b->data;
        m->pool_left = size;
    }
    char *p = m->pool_next;
    memcpy(p, key, n);
    m->pool_next += n;
    m->pool_left -= n;
    return p;
}

static int strmap_put_raw(jql_strmap *m, const char *key, size_t value)
{
    /* load kept below 3/4: with the keyed hash probe runs stay short, and
       a national dataset's key maps take a third less memory than at 1/2 */
    if ((m->len + 1) * 4 >= m->cap * 3) {
        if (strmap_rehash(m, m->cap ? m->cap * 2 : 16))
            return JQL_ENOMEM;
    }
    size_t mask = m->cap - 1;
    uint64_t h = hash_str(key);
    size_t i = h & mask;
    for (; m->slots[i].key; i = (i + 1) & mask) {
        if (m->slots[i].hash == h && strcmp(m->slots[i].key, key) == 0) {
            m->slots[i].value = value;
            return JQL_OK;
        }
    }
    char *copy = pool_copy(m, key);
    if (!copy)
        return jql_fail(JQL_ENOMEM, "out of memory");
    m->slots[i] = (jql_strmap_slot){h, copy, value};
    m->len++;
    return JQL_OK;
}

int jql_strmap_put_spot(jql_strmap *m, const char *key, size_t value,
                        const jql_strmap_spot *spot)
{
    /* the same slots, neither grown (cap only grows) nor given a key since
       (len only grows: maps have no removal): the probe would end at the
       same empty slot */
    if (!spot->slots || spot->slots != m->slots || spot->cap != m->cap || spot->len != m->len ||
        (m->len + 1) * 4 >= m->cap * 3 || m->slots[spot->slot].key)
        return jql_strmap_put(m, key, value);
    char buf[512], *heap = NULL;
    const char *k = m->nfc ? jql_nfc_key(key, buf, sizeof buf, &heap) : key;
    char *copy = pool_copy(m, k);
    jql_free(heap);
    if (!copy)
        return jql_fail(JQL_ENOMEM, "out of memory");
    m->slots[spot->slot] = (jql_strmap_slot){spot->hash, copy, value};
    m->len++;
    return JQL_OK;
}

void jql_strmap_prefetch(const jql_strmap *m, const char *key)
{
#if defined(__GNUC__) || defined(__clang__)
    if (!m->cap || !key)
        return;
    /* in a map compared in NFC, only ASCII keys (their own NFC form):
       normalizing a key twice would cost more than the miss */
    for (const char *p = key; m->nfc && *p; p++)
        if ((unsigned char)*p >= 0x80)
            return;
    __builtin_prefetch(&m->slots[hash_str(key) & (m->cap - 1)]);
#else
    (void)m;
    (void)key;
#endif
}

static const char *strmap_stored_key(const jql_strmap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    size_t mask = m->cap - 1;
    uint64_t h = hash_str(key);
    for (size_t i = h & mask; m->slots[i].key; i = (i + 1) & mask)
        if (m->slots[i].hash == h && strcmp(m->slots[i].key, key) == 0)
            return m->slots[i].key;
    return NULL;
}

const char *jql_strmap_find_key(const jql_strmap *m, const char *key)
{
    return key ? strmap_stored_key(m, key) : NULL;
}

const char *jql_strmap_intern(jql_strmap *m, const char *key)
{
    char buf[512], *heap = NULL;
    const char *k = m->nfc ? jql_nfc_key(key, buf, sizeof buf, &heap) : key;
    const char *stored = strmap_stored_key(m, k);
    if (!stored && strmap_put_raw(m, k, 0) == JQL_OK)
        stored = strmap_stored_key(m, k);
    jql_free(heap);
    return stored;
}

void jql_strmap_free(jql_strmap *m)
{
    for (pool_block *b = m->pool, *next; b; b = next) {
        next = b->next;
        jql_free(b);
    }
    jql_free(m->slots);
    memset(m, 0, sizeof *m);
}

char *jql_key3(char *buf, size_t size, const char *a, const char *b, const char *c, bool *heap)
{
    size_t la = strlen(a), lb = strlen(b), lc = c ? strlen(c) : 0;
    size_t need = la + lb + lc + 3;
    char *p = buf;
    *heap = false;
    if (need > size) {
        if (!(p = jql_malloc(need)))
            return NULL;
        *heap = true;
    }
    memcpy(p, a, la);
    p[la] = '\x1f';
    memcpy(p + la + 1, b, lb);
    size_t n = la + 1 + lb;
    if (c) {
        p[n++] = '\x1f';
        memcpy(p + n, c, lc);
        n += lc;
    }
    p[n] = '\0';
    return p;
}

/* ---- string builder ---- */

void jql_buf_init(jql_buf *b) { memset(b, 0, sizeof *b); }

void jql_buf_free(jql_buf *b)
{
    jql_free(b->data);
    jql_buf_init(b);
}

/* Room for `need` bytes, doubling. Text is written once, front to back:
   realloc, which moves a large block by remapping its pages, not by
   copying them (jql_vec_grow's fresh huge-page block and copy at every
   doubling made a 1 GB document take 7 s, most of it the kernel preparing
   pages). */
static int buf_grow(jql_buf *b, size_t need)
{
    size_t ncap = b->cap ? b->cap : 64;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return JQL_ENOMEM;
        ncap *= 2;
    }
    char *p = jql_realloc(b->data, ncap);
    if (!p)
        return JQL_ENOMEM;
    b->data = p;
    b->cap = ncap;
    return JQL_OK;
}

/* jql_buf_add() when the bytes do not fit (or an allocation failed). */
void jql_buf_add_slow(jql_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (n > SIZE_MAX - b->len - 1 || buf_grow(b, b->len + n + 1)) {
        jql_fail(JQL_ENOMEM, "out of memory");
        b->failed = true;
        return;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void jql_buf_printf(jql_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if ((size_t)n < sizeof small) {
        jql_buf_add(b, small, (size_t)n);
        return;
    }
    char *big = jql_malloc((size_t)n + 1);
    if (!big) {
        b->failed = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    jql_buf_add(b, big, (size_t)n);
    jql_free(big);
}

/* Bytes a JSON string cannot hold as they are: the control characters,
   '"' and '\\'; and NUL, which ends the C string. */
static const bool json_special[256] = {
    [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1,
    [0x07] = 1, [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1,
    [0x0e] = 1, [0x0f] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1,
    [0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1,
    [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1, ['"'] = 1,  ['\\'] = 1,
};

/* One escaped byte (out of line: most strings have none). */
static void json_escape(jql_buf *b, unsigned char c)
{
    char u[8];
    const char *esc = u;
    switch (c) {
    case '"': esc = "\\\""; break;
    case '\\': esc = "\\\\"; break;
    case '\n': esc = "\\n"; break;
    case '\r': esc = "\\r"; break;
    case '\t': esc = "\\t"; break;
    case '\b': esc = "\\b"; break;
    case '\f': esc = "\\f"; break;
    default: snprintf(u, sizeof u, "\\u%04x", c);
    }
    jql_buf_puts(b, esc);
}

void jql_buf_json_string(jql_buf *b, const char *s)
{
    /* runs of plain bytes copied whole: every string of every document the
       library writes passes here (it was 40% of writing a results JSON
       when each byte went through a switch) */
    jql_buf_putc(b, '"');
    for (;;) {
        const char *run = s;
        while (!json_special[(unsigned char)*s])
            s++;
        jql_buf_add(b, run, (size_t)(s - run));
        if (!*s)
            break;
        json_escape(b, (unsigned char)*s++);
    }
    jql_buf_putc(b, '"');
}

int jql_milli_format(jql_milli v, int places, char *buf, size_t size)
{
    /* Digits by hand, not snprintf: this runs for every number the library
       writes (scores, results, saved datasets) and must not depend on the
       locale. */
    if (places > 3)
        places = 3;
    /* |INT64_MIN| does not fit: work in unsigned. */
    int neg = v < 0;
    uint64_t a = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    if (places >= 0 && places < 3) {
        uint64_t unit = places == 2 ? 10 : places == 1 ? 100 : 1000;
        a = (a + unit / 2) / unit * unit; /* half away from zero */
    }
    if (a == 0)
        neg = 0; /* never print "-0" or "-0.00" */
    uint64_t whole = a / 1000;
    unsigned frac = (unsigned)(a % 1000);
    char fr[3] = {(char)('0' + frac / 100), (char)('0' + frac / 10 % 10), (char)('0' + frac % 10)};
    int nd = places;
    if (places < 0)
        for (nd = 3; nd > 0 && fr[nd - 1] == '0'; nd--)
            ;
    char tmp[32], *p = tmp + sizeof tmp;
    for (int i = nd; i > 0; i--)
        *--p = fr[i - 1];
    if (nd > 0)
        *--p = '.';
    do {
        *--p = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    if (neg)
        *--p = '-';
    size_t len = (size_t)(tmp + sizeof tmp - p);
    if (size) {
        size_t n = len < size ? len : size - 1;
        memcpy(buf, p, n);
        buf[n] = '\0';
    }
    return (int)len;
}

void jql_buf_size(jql_buf *b, size_t n)
{
    char digits[24], *p = digits + sizeof digits;
    do {
        *--p = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    jql_buf_add(b, p, (size_t)(digits + sizeof digits - p));
}

void jql_buf_milli(jql_buf *b, jql_milli v)
{
    char tmp[32];
    int n = jql_milli_format(v, -1, tmp, sizeof tmp);
    jql_buf_add(b, tmp, (size_t)n); /* the length is known: no strlen */
}

void jql_buf_milli3(jql_buf *b, jql_milli v)
{
    char tmp[32];
    int n = jql_milli_format(v, 3, tmp, sizeof tmp);
    jql_buf_add(b, tmp, (size_t)n);
}

void jql_buf_date(jql_buf *b, jql_date d)
{
    char tmp[11];
    jql_date_format(d, tmp);
    jql_buf_add(b, tmp, strnlen(tmp, sizeof tmp));
}

char *jql_buf_take(jql_buf *b, size_t *len)
{
    if (b->failed) {
        jql_buf_free(b);
        return NULL;
    }
    if (!b->data)
        jql_buf_add(b, "", 0);
    if (b->failed) {
        jql_buf_free(b);
        return NULL;
    }
    char *out = b->data;
    if (len)
        *len = b->len;
    jql_buf_init(b);
    return out;
}

/* ---- diagnostics ---- */

typedef struct {
    jql_severity sev;
    char *path, *message;
    unsigned line, column;
    size_t order;
} diag_entry;

struct jql_diagnostics {
    char *source;
    diag_entry *items;
    size_t len, cap;
    size_t errors, dropped;
    bool oom;
};

jql_diagnostics *jql_diag_new(const char *source)
{
    jql_diagnostics *d = jql_calloc(1, sizeof *d);
    if (!d)
        return NULL;
    if (!(d->source = jql_strdup(source ? source : "<memory>"))) {
        jql_free(d);
        return NULL;
    }
    return d;
}

void jql_diagnostics_free(jql_diagnostics *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->len; i++) {
        jql_free(d->items[i].path);
        jql_free(d->items[i].message);
    }
    jql_free(d->items);
    jql_free(d->source);
    jql_free(d);
}

static void diag_vadd(jql_diagnostics *d, jql_severity sev, const char *path, unsigned line,
                      unsigned column, const char *fmt, va_list ap)
{
    if (sev == JQL_SEVERITY_ERROR)
        d->errors++;
    if (d->len >= JQL_MAX_DIAGNOSTICS) {
        d->dropped++;
        return;
    }
    if (jql_vec_grow((void **)&d->items, &d->cap, d->len + 1, sizeof *d->items)) {
        d->oom = true;
        return;
    }
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    diag_entry *e = &d->items[d->len];
    e->sev = sev;
    e->line = line;
    e->column = column;
    e->order = d->len;
    e->path = jql_strdup(path ? path : "");
    e->message = jql_strdup(msg);
    if (!e->path || !e->message) {
        jql_free(e->path);
        jql_free(e->message);
        d->oom = true;
        return;
    }
    d->len++;
}

void jql_diag_add(jql_diagnostics *d, jql_severity sev, const char *path, unsigned line,
                  unsigned column, const char *fmt, ...)
{
    if (!d)
        return;
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(d, sev, path, line, column, fmt, ap);
    va_end(ap);
}

void jql_diag_finish(jql_diagnostics *d)
{
    if (!d || !d->dropped)
        return;
    char msg[128];
    snprintf(msg, sizeof msg, "%zu more problems not shown (limit %d)", d->dropped,
             JQL_MAX_DIAGNOSTICS);
    d->dropped = 0;
    if (jql_vec_grow((void **)&d->items, &d->cap, d->len + 1, sizeof *d->items)) {
        d->oom = true;
        return;
    }
    diag_entry *e = &d->items[d->len];
    memset(e, 0, sizeof *e);
    e->sev = JQL_SEVERITY_ERROR;
    e->order = SIZE_MAX;
    e->path = jql_strdup("");
    e->message = jql_strdup(msg);
    if (!e->path || !e->message) {
        jql_free(e->path);
        jql_free(e->message);
        d->oom = true;
        return;
    }
    d->len++;
}

bool jql_diag_oom(const jql_diagnostics *d) { return d && d->oom; }

static int diag_cmp(const void *pa, const void *pb)
{
    const diag_entry *a = pa, *b = pb;
    if (a->order == SIZE_MAX || b->order == SIZE_MAX) /* the summary stays last */
        return a->order == b->order ? 0 : a->order == SIZE_MAX ? 1 : -1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->column != b->column)
        return a->column < b->column ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

void jql_diag_sort(jql_diagnostics *d)
{
    if (d && d->len > 1)
        qsort(d->items, d->len, sizeof *d->items, diag_cmp);
}

size_t jql_diagnostics_count(const jql_diagnostics *d) { return d ? d->len : 0; }

size_t jql_diagnostics_error_count(const jql_diagnostics *d) { return d ? d->errors : 0; }

jql_severity jql_diagnostics_severity(const jql_diagnostics *d, size_t i)
{
    return d && i < d->len ? d->items[i].sev : JQL_SEVERITY_ERROR;
}

const char *jql_diagnostics_path(const jql_diagnostics *d, size_t i)
{
    return d && i < d->len ? d->items[i].path : "";
}

unsigned jql_diagnostics_line(const jql_diagnostics *d, size_t i)
{
    return d && i < d->len ? d->items[i].line : 0;
}

unsigned jql_diagnostics_column(const jql_diagnostics *d, size_t i)
{
    return d && i < d->len ? d->items[i].column : 0;
}

const char *jql_diagnostics_message(const jql_diagnostics *d, size_t i)
{
    return d && i < d->len ? d->items[i].message : "";
}

const char *jql_diagnostics_source(const jql_diagnostics *d) { return d ? d->source : ""; }

/* ---- text ---- */

size_t jql_utf8_check(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c < 0x80) {
            /* ASCII, most of any input: 8 bytes a step */
            for (i++; len - i >= 8; i += 8) {
                uint64_t w;
                memcpy(&w, s + i, 8);
                if (w & 0x8080808080808080ull)
                    break;
            }
            continue;
        }
        size_t n;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (n >= len - i) /* truncated sequence */
            return i;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += n + 1;
    }
    return len;
}

void jql_line_col(const char *text, size_t len, size_t offset, unsigned *line, unsigned *col)
{
    unsigned l = 1, c = 1;
    if (offset > len)
        offset = len;
    for (size_t i = 0; i < offset; i++) {
        if (text[i] == '\n') {
            l++;
            c = 1;
        } else {
            c++;
        }
    }
    *line = l;
    *col = c;
}

int jql_check_id(const char *what, const char *id)
{
    if (!id || !*id)
        return jql_fail(JQL_EINVALID, "%s: id must be a non-empty string", what);
    size_t n = strlen(id);
    if (n > JQL_MAX_ID_BYTES)
        return jql_fail(JQL_EINVALID, "%s: id longer than %d bytes", what, JQL_MAX_ID_BYTES);
    if (jql_utf8_check(id, n) != n)
        return jql_fail(JQL_EINVALID, "%s: id is not valid UTF-8", what);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)id[i] < 0x20 || id[i] == 0x7f)
            return jql_fail(JQL_EINVALID, "%s: id contains a control character", what);
    return JQL_OK;
}

int jql_check_text(const char *what, const char *text)
{
    if (!text)
        return JQL_OK;
    size_t n = strlen(text);
    if (n > JQL_MAX_STRING_BYTES)
        return jql_fail(JQL_EINVALID, "%s: text longer than %u bytes", what,
                        JQL_MAX_STRING_BYTES);
    if (jql_utf8_check(text, n) != n)
        return jql_fail(JQL_EINVALID, "%s: text is not valid UTF-8", what);
    return JQL_OK;
}

/* ---- exact arithmetic ---- */

int64_t jql_div_round(__int128 num, __int128 den)
{
    /* most values are whole thousandths or small fractions: two 64-bit
       divisions, not two calls to the 128-bit ones */
    if (den > 0 && den <= INT64_MAX && num >= -INT64_MAX && num <= INT64_MAX) {
        int64_t n = (int64_t)num, d = (int64_t)den, q = n / d, r = n % d;
        uint64_t ar = r < 0 ? (uint64_t)-r : (uint64_t)r;
        if (ar >= (uint64_t)d - ar) /* 2|r| >= den */
            q += n < 0 ? -1 : 1;
        return q;
    }
    if (den < 0) {
        num = -num;
        den = -den;
    }
    __int128 q = num / den, r = num % den;
    if (r < 0)
        r = -r;
    if (2 * r >= den)
        q += num < 0 ? -1 : 1;
    return (int64_t)q;
}

int jql_milli_muldiv(jql_milli a, jql_milli b, jql_milli c, jql_milli *out)
{
    if (c == 0)
        return jql_fail(JQL_EINVALID, "division by zero");
    if (!out)
        return jql_fail(JQL_EINVALID, "output pointer is NULL");
    __int128 num = (__int128)a * b, den = c;
    if (den < 0) {
        num = -num;
        den = -den;
    }
    __int128 q = num / den, r = num % den;
    if (r < 0)
        r = -r;
    if (2 * r >= den)
        q += num < 0 ? -1 : 1;
    if (q > INT64_MAX || q < INT64_MIN)
        return jql_fail(JQL_ELIMIT, "%lld * %lld / %lld exceeds 64 bits", (long long)a,
                        (long long)b, (long long)c);
    *out = (jql_milli)q;
    return JQL_OK;
}

int jql_milli_from_double(double d, jql_milli *out)
{
    if (!isfinite(d))
        return JQL_EINVALID;
    double x = d * 1000.0;
    if (fabs(x) > (double)JQL_MILLI_MAX)
        return JQL_EINVALID;
    double r = round(x);
    double tol = fmax(1e-6, fabs(x) * 4 * DBL_EPSILON);
    if (fabs(x - r) > tol)
        return JQL_EINVALID;
    *out = (jql_milli)r;
    return JQL_OK;
}

int jql_milli_parse(const char *text, jql_milli *out)
{
    const char *p = text;
    int neg = 0;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    if (*p < '0' || *p > '9')
        return jql_fail(JQL_EINVALID, "not a number: \"%s\"", text);
    /* Digits into a big integer mantissa with a decimal exponent. */
    __int128 mant = 0;
    int exp10 = 0, digits = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (digits < 30) {
            mant = mant * 10 + (*p - '0');
            if (mant)
                digits++;
        } else {
            exp10++;
        }
    }
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return jql_fail(JQL_EINVALID, "not a number: \"%s\"", text);
        for (; *p >= '0' && *p <= '9'; p++) {
            if (digits < 30) {
                mant = mant * 10 + (*p - '0');
                if (mant)
                    digits++;
                exp10--;
            } else if (*p != '0') {
                return jql_fail(JQL_EINVALID, "too many digits: \"%s\"", text);
            }
        }
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        int eneg = 0, e = 0;
        if (*p == '+' || *p == '-')
            eneg = *p++ == '-';
        if (*p < '0' || *p > '9')
            return jql_fail(JQL_EINVALID, "not a number: \"%s\"", text);
        for (; *p >= '0' && *p <= '9'; p++)
            if (e < 10000)
                e = e * 10 + (*p - '0');
        exp10 += eneg ? -e : e;
    }
    if (*p)
        return jql_fail(JQL_EINVALID, "not a number: \"%s\"", text);
    exp10 += 3; /* to thousandths */
    while (exp10 < 0 && mant % 10 == 0 && mant) {
        mant /= 10;
        exp10++;
    }
    if (mant == 0) {
        *out = 0;
        return JQL_OK;
    }
    if (exp10 < 0)
        return jql_fail(JQL_EINVALID, "more than 3 decimal places: %s", text);
    for (; exp10 > 0; exp10--) {
        if (mant > (__int128)JQL_MILLI_MAX)
            break;
        mant *= 10;
    }
    if (exp10 > 0 || mant > (__int128)JQL_MILLI_MAX)
        return jql_fail(JQL_EINVALID, "number too large: %s", text);
    *out = neg ? -(jql_milli)mant : (jql_milli)mant;
    return JQL_OK;
}
