/*
 * Unicode normalization (NFC) of the strings the engine compares: ids,
 * levels, kinds, fields, clusters, attribute keys and values. The same name
 * typed in NFD (macOS, Unikey's "Unicode tổ hợp") must match its NFC form,
 * or a criteria condition silently stops matching. Free text (names,
 * titles, notes) is never changed. The tables are libutf8proc's.
 *
 * The decomposition and its canonical ordering are done here, a code point
 * at a time with utf8proc_decompose_char() and a stable sort of each run of
 * combining marks by their class, not by utf8proc_decompose()/utf8proc_map():
 * those order the marks by exchanging neighbours, which is quadratic in a
 * run (one 64 KB level of 32,000 marks in reverse order took 7.5 s; a 10 MB
 * file of them, most of an hour). The composition that follows is
 * libutf8proc's (utf8proc_normalize_utf32(), linear), and the results are
 * the same code points.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "util.h"

#define NFC_OPTIONS (UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE)

/* ASCII is always NFC: the common case costs one scan and no allocation. */
static bool ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

static int ccc(utf8proc_int32_t cp) { return utf8proc_get_property(cp)->combining_class; }

/* Canonical ordering of b[0..n): each run of non-starters (combining class
   above 0) stably sorted by class, as utf8proc_decompose() orders them but in
   linear time (a counting sort for long runs). tmp: room for n code points,
   or NULL when every run is short. Returns false when a long run needs tmp
   and it is NULL. */
static bool canonical_order(utf8proc_int32_t *b, size_t n, utf8proc_int32_t *tmp)
{
    enum { SHORT = 32 };
    size_t i = 0;
    while (i < n) {
        if (ccc(b[i]) == 0) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < n && ccc(b[i]) != 0)
            i++;
        size_t len = i - start;
        utf8proc_int32_t *r = b + start;
        if (len <= SHORT) { /* insertion sort, stable */
            for (size_t k = 1; k < len; k++) {
                utf8proc_int32_t c = r[k];
                int cc = ccc(c);
                size_t j = k;
                for (; j > 0 && ccc(r[j - 1]) > cc; j--)
                    r[j] = r[j - 1];
                r[j] = c;
            }
            continue;
        }
        if (!tmp)
            return false;
        size_t count[257] = {0};
        for (size_t k = 0; k < len; k++)
            count[ccc(r[k]) + 1]++;
        for (size_t c = 1; c < 257; c++)
            count[c] += count[c - 1];
        for (size_t k = 0; k < len; k++)
            tmp[count[ccc(r[k])]++] = r[k];
        memcpy(r, tmp, len * sizeof *r);
    }
    return true;
}

/* The canonical decomposition of s, canonically ordered: its length in code
   points, written to buf (cap code points) when it fits, else to a buffer
   allocated into *heap (freed by the caller). -1: invalid UTF-8 or out of
   memory. */
static utf8proc_ssize_t decompose(const char *s, utf8proc_int32_t *buf, size_t cap,
                                  utf8proc_int32_t **heap)
{
    *heap = NULL;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_int32_t *out = buf;
    size_t n = 0, room = cap;
    while (*p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t len = utf8proc_iterate(p, -1, &cp);
        if (len <= 0)
            goto fail;
        p += len;
        for (;;) {
            int boundclass = UTF8PROC_BOUNDCLASS_START;
            utf8proc_ssize_t k =
                utf8proc_decompose_char(cp, out + n, (utf8proc_ssize_t)(room - n), NFC_OPTIONS,
                                        &boundclass);
            if (k < 0)
                goto fail;
            if ((size_t)k <= room - n) {
                n += (size_t)k;
                break;
            }
            /* grow: at least twice, and room for what is left (no byte
               decomposes into more than 4 code points... of a canonical
               decomposition: 18 is the longest) */
            size_t want = room * 2 + strlen((const char *)p) + 32;
            utf8proc_int32_t *g = jql_malloc(want * sizeof *g);
            if (!g)
                goto fail;
            memcpy(g, out, n * sizeof *g);
            jql_free(*heap);
            *heap = out = g;
            room = want;
        }
    }
    if (!canonical_order(out, n, NULL)) {
        utf8proc_int32_t *tmp = jql_malloc(n * sizeof *tmp);
        if (!tmp)
            goto fail;
        canonical_order(out, n, tmp);
        jql_free(tmp);
    }
    return (utf8proc_ssize_t)n;
fail:
    jql_free(*heap);
    *heap = NULL;
    return -1;
}

/* Is s (not ASCII) in NFC? Decomposes and recomposes, on the stack for
   short strings (this runs for every non-ASCII string a loader reads), and
   compares code points. 1 yes, 0 no, -1 invalid UTF-8 or out of memory.
   With out, the NFC of s when it is not (malloc'ed; NULL: out of memory). */
static int nfc_compose(const char *s, char **out)
{
    enum { CAP = 256 };
    utf8proc_int32_t stack[CAP], *heap;
    utf8proc_ssize_t n = decompose(s, stack, CAP, &heap);
    if (n < 0)
        return -1;
    utf8proc_int32_t *b = heap ? heap : stack;
    n = utf8proc_normalize_utf32(b, n, NFC_OPTIONS); /* compose in place */
    int is = 0;
    if (n >= 0) {
        const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
        utf8proc_ssize_t i = 0;
        for (; i < n; i++) {
            utf8proc_int32_t cp;
            utf8proc_ssize_t len = utf8proc_iterate(p, -1, &cp);
            if (len <= 0 || cp != b[i])
                break;
            p += len;
        }
        is = i == n && *p == '\0';
    }
    if (n >= 0 && !is && out) {
        char *t = jql_malloc((size_t)n * 4 + 1);
        if (t) {
            size_t o = 0;
            for (utf8proc_ssize_t i = 0; i < n; i++)
                o += (size_t)utf8proc_encode_char(b[i], (utf8proc_uint8_t *)t + o);
            t[o] = '\0';
        }
        *out = t;
    }
    jql_free(heap);
    return n < 0 ? -1 : is;
}

int jql_nfc_check(const char *s, bool *is_nfc)
{
    *is_nfc = true;
    if (!s || ascii(s))
        return JQL_OK;
    int q = nfc_compose(s, NULL);
    if (q >= 0) {
        *is_nfc = q == 1;
        return JQL_OK;
    }
    return jql_utf8_check(s, strlen(s)) < strlen(s) ? JQL_OK : JQL_ENOMEM;
}

char *jql_strdup_nfc(const char *s)
{
    char *n = NULL;
    int q = !s || ascii(s) ? 1 : nfc_compose(s, &n);
    if (q == 1)
        return jql_strdup(s);
    if (q < 0) /* invalid UTF-8 is refused before; keep the bytes rather than fail */
        return jql_utf8_check(s, strlen(s)) < strlen(s) ? jql_strdup(s) : NULL;
    return n;
}

const char *jql_nfc_key(const char *s, char *buf, size_t size, char **heap)
{
    *heap = NULL;
    char *n = NULL;
    if (!s || ascii(s) || nfc_compose(s, &n) != 0 || !n)
        return s; /* NFC already; or invalid UTF-8 or out of memory: the key as given */
    size_t len = strlen(n);
    if (len < size) {
        memcpy(buf, n, len + 1);
        jql_free(n);
        return buf;
    }
    *heap = n;
    return n;
}
