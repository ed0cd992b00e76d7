/*
 * A record's map of string keys to string values (a unit's attributes, a
 * label's names, a document's fields), read in key order (the canonical
 * output) through keymap.c. Internal.
 *
 * Keys set in key order are appended. A key set out of order waits in a
 * tail (found by a hash of it) until the map is next read by position,
 * then the tail is sorted and merged in once: a caller setting n keys in
 * descending or random order pays O(n log n), where inserting each at its
 * place moved those after it (quadratic: 100,000 attributes set in
 * descending order took 1.4 s, 400,000 about 23 s).
 */
#ifndef JQL_KEYMAP_H
#define JQL_KEYMAP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *key;
    char *value;
} jql_attr;

typedef struct {
    jql_attr *items; /* capacity: the power of two at or above n (jql_grow_pow2) */
    size_t n;
    /* items[0, sorted) are in key order; items[sorted, n) wait, found by
       slots (open addressing, 1 + index, 0 empty; NULL when none wait).
       Readers by position merge them first, under a lock, so a map may
       be read from several threads at once (the dataset's rule). */
    atomic_size_t sorted;
    size_t *slots, nslots;
} jql_keymap;

/* Set key to value (NULL: remove it), both copied (in NFC when nfc).
   JQL_OK or JQL_ENOMEM. */
int jql_keymap_set(jql_keymap *m, const char *key, const char *value, bool nfc);
/* The value of key, or NULL. */
const char *jql_keymap_get(const jql_keymap *m, const char *key);
static inline size_t jql_keymap_count(const jql_keymap *m) { return m->n; }
/* Entry k in key order, or NULL when k >= count. */
const jql_attr *jql_keymap_at(const jql_keymap *m, size_t k);
void jql_keymap_free(jql_keymap *m);

#endif
