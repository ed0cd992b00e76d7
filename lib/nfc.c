/*
 * Unicode normalization (NFC) of the strings the engine compares: ids,
 * levels, kinds, fields, clusters, attribute keys and values. The same name
 * typed in NFD (macOS, Unikey's "Unicode tổ hợp") must match its NFC form,
 * or a criteria condition silently stops matching. Free text (names,
 * titles, notes) is never changed. The tables are libutf8proc's.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "util.h"

/* ASCII is always NFC: the common case costs one scan and no allocation. */
static bool ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

/* NFC of s by libutf8proc (malloc'ed), or NULL (out of memory or invalid UTF-8). */
static char *nfc_raw(const char *s)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n =
        utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    return n < 0 ? NULL : (char *)out;
}

/* Is s (not ASCII) in NFC? Decomposes and recomposes into a stack buffer
   (no allocation: this runs for every non-ASCII string a loader reads) and
   compares code points. 1 yes, 0 no, -1 too long for the buffer (ask
   nfc_raw). */
static int nfc_quick(const char *s)
{
    enum { CAP = 256 };
    utf8proc_int32_t buf[CAP];
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    const utf8proc_option_t opt = UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE;
    utf8proc_ssize_t n = utf8proc_decompose(p, -1, buf, CAP, opt);
    if (n < 0 || n > CAP)
        return -1;
    n = utf8proc_normalize_utf32(buf, n, opt); /* compose in place */
    if (n < 0)
        return -1;
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t len = utf8proc_iterate(p, -1, &cp);
        if (len <= 0 || cp != buf[i])
            return 0;
        p += len;
    }
    return *p == '\0';
}

int jql_nfc_check(const char *s, bool *is_nfc)
{
    *is_nfc = true;
    if (!s || ascii(s))
        return JQL_OK;
    int q = nfc_quick(s);
    if (q >= 0) {
        *is_nfc = q == 1;
        return JQL_OK;
    }
    char *n = nfc_raw(s);
    if (!n)
        return jql_utf8_check(s, strlen(s)) < strlen(s) ? JQL_OK : JQL_ENOMEM;
    *is_nfc = strcmp(n, s) == 0;
    free(n);
    return JQL_OK;
}

char *jql_strdup_nfc(const char *s)
{
    if (!s || ascii(s) || nfc_quick(s) == 1)
        return jql_strdup(s);
    char *n = nfc_raw(s);
    if (!n) /* invalid UTF-8 is refused before; keep the bytes rather than fail */
        return jql_utf8_check(s, strlen(s)) < strlen(s) ? jql_strdup(s) : NULL;
    char *copy = jql_strdup(n);
    free(n);
    return copy;
}

const char *jql_nfc_key(const char *s, char *buf, size_t size, char **heap)
{
    *heap = NULL;
    if (!s || ascii(s) || nfc_quick(s) == 1)
        return s;
    char *n = nfc_raw(s);
    if (!n) /* invalid UTF-8 or out of memory: the key as given */
        return s;
    size_t len = strlen(n);
    if (len < size) {
        memcpy(buf, n, len + 1);
        free(n);
        return buf;
    }
    *heap = jql_strdup(n);
    free(n);
    return *heap ? *heap : s;
}
