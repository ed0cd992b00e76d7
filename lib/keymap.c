/*
 * Maps of string keys kept in key order, with out-of-order keys merged in
 * lazily (keymap.h).
 *
 * SPDX-License-Identifier: MIT
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"
#include "model.h"

/* Held while a reader merges a map's waiting keys: readers of one map may
   run on several threads; the merge is rare (once after each run of
   out-of-order sets) and short, so one lock serves every map. */
static pthread_mutex_t merge_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t hash_key(const char *s)
{
    uint64_t h = UINT64_C(1469598103934665603);
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    return (size_t)(h ^ (h >> 29));
}

static size_t sorted_of(const jql_keymap *m)
{
    return atomic_load_explicit(&m->sorted, memory_order_relaxed);
}

/* Binary search in items[0, sorted): index of key, or its insertion point
   with *found false. */
static size_t search(const jql_keymap *m, size_t sorted, const char *key, bool *found)
{
    size_t lo = 0, hi = sorted;
    *found = false;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(m->items[mid].key, key);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The waiting entry of key, or JQL_NONE. */
static size_t waiting(const jql_keymap *m, const char *key)
{
    if (!m->slots)
        return JQL_NONE;
    size_t mask = m->nslots - 1;
    for (size_t i = hash_key(key) & mask; m->slots[i]; i = (i + 1) & mask)
        if (strcmp(m->items[m->slots[i] - 1].key, key) == 0)
            return m->slots[i] - 1;
    return JQL_NONE;
}

static void slot_put(size_t *slots, size_t nslots, const char *key, size_t index)
{
    size_t mask = nslots - 1, i = hash_key(key) & mask;
    while (slots[i])
        i = (i + 1) & mask;
    slots[i] = index + 1;
}

/* Room in the hash for one more waiting entry (at most half full). */
static int slots_grow(jql_keymap *m)
{
    size_t wait = m->n - sorted_of(m);
    if (m->slots && 2 * (wait + 1) <= m->nslots)
        return JQL_OK;
    size_t cap = m->slots ? 2 * m->nslots : 16;
    size_t *s = jql_calloc(cap, sizeof *s);
    if (!s)
        return JQL_ENOMEM;
    for (size_t k = sorted_of(m); k < m->n; k++)
        slot_put(s, cap, m->items[k].key, k);
    jql_free(m->slots);
    m->slots = s;
    m->nslots = cap;
    return JQL_OK;
}

static int cmp_attr(const void *a, const void *b)
{
    return strcmp(((const jql_attr *)a)->key, ((const jql_attr *)b)->key);
}

/* Sort the waiting entries and merge them into the sorted ones (keys are
   distinct). The caller holds the map exclusively (a setter) or the lock. */
static void merge(jql_keymap *m)
{
    size_t s = sorted_of(m), n = m->n, w = n - s;
    if (w == 0)
        return;
    qsort(&m->items[s], w, sizeof *m->items, cmp_attr);
    jql_attr *tail = s ? jql_malloc(w * sizeof *tail) : NULL;
    if (s && !tail) {
        qsort(m->items, n, sizeof *m->items, cmp_attr); /* in place */
    } else if (s) {
        /* from the back: the greater of the two heads to the end */
        memcpy(tail, &m->items[s], w * sizeof *tail);
        size_t i = s, j = w, out = n;
        while (j > 0) {
            if (i > 0 && strcmp(m->items[i - 1].key, tail[j - 1].key) > 0)
                m->items[--out] = m->items[--i];
            else
                m->items[--out] = tail[--j];
        }
        jql_free(tail);
    }
    jql_free(m->slots);
    m->slots = NULL;
    m->nslots = 0;
    atomic_store_explicit(&m->sorted, n, memory_order_release);
}

int jql_keymap_set(jql_keymap *m, const char *key, const char *value, bool nfc)
{
    size_t s = sorted_of(m);
    bool found;
    size_t k = search(m, s, key, &found);
    if (!found && (k = waiting(m, key)) != JQL_NONE)
        found = true;
    if (found && value)
        return nfc ? jql_str_replace_nfc(&m->items[k].value, value)
                   : jql_str_replace(&m->items[k].value, value);
    if (found) { /* removed: from the sorted entries, all of them merged first */
        if (s < m->n) {
            merge(m);
            k = search(m, m->n, key, &found);
        }
        jql_free(m->items[k].key);
        jql_free(m->items[k].value);
        memmove(&m->items[k], &m->items[k + 1], (m->n - k - 1) * sizeof *m->items);
        m->n--;
        atomic_store_explicit(&m->sorted, m->n, memory_order_relaxed);
        return JQL_OK;
    }
    if (!value)
        return JQL_OK;
    /* after every key: appended in place; else it waits */
    bool in_order = s == m->n && k == s;
    if (!in_order && slots_grow(m))
        return jql_fail(JQL_ENOMEM, "out of memory");
    char *kc = nfc ? jql_strdup_nfc(key) : jql_strdup(key);
    char *vc = nfc ? jql_strdup_nfc(value) : jql_strdup(value);
    jql_attr *na = kc && vc ? jql_grow_pow2(m->items, m->n, sizeof *na) : NULL;
    if (!na) {
        jql_free(kc);
        jql_free(vc);
        return jql_fail(JQL_ENOMEM, "out of memory");
    }
    m->items = na;
    na[m->n] = (jql_attr){kc, vc};
    if (in_order)
        atomic_store_explicit(&m->sorted, m->n + 1, memory_order_relaxed);
    else
        slot_put(m->slots, m->nslots, kc, m->n);
    m->n++;
    return JQL_OK;
}

const char *jql_keymap_get(const jql_keymap *m, const char *key)
{
    /* the sorted entries, then the waiting ones; a reader on another
       thread may be merging them (the lock): then all are read under it */
    size_t s = atomic_load_explicit(&m->sorted, memory_order_acquire);
    bool found;
    if (s == m->n) {
        size_t k = search(m, s, key, &found);
        return found ? m->items[k].value : NULL;
    }
    pthread_mutex_lock(&merge_lock);
    s = sorted_of(m);
    size_t k = search(m, s, key, &found);
    if (!found && (k = waiting(m, key)) != JQL_NONE)
        found = true;
    const char *v = found ? m->items[k].value : NULL;
    pthread_mutex_unlock(&merge_lock);
    return v;
}

const jql_attr *jql_keymap_at(const jql_keymap *m, size_t k)
{
    if (k >= m->n)
        return NULL;
    if (atomic_load_explicit(&m->sorted, memory_order_acquire) != m->n) {
        pthread_mutex_lock(&merge_lock);
        merge((jql_keymap *)m); /* a no-op when another reader merged it */
        pthread_mutex_unlock(&merge_lock);
    }
    return &m->items[k];
}

void jql_keymap_free(jql_keymap *m)
{
    for (size_t k = 0; k < m->n; k++) {
        jql_free(m->items[k].key);
        jql_free(m->items[k].value);
    }
    jql_free(m->items);
    jql_free(m->slots);
    *m = (jql_keymap){0};
}
