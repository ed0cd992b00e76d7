/*
 * Free strings about a dataset that reports print: display names of the
 * ids records use (levels, clusters, fields, report and event kinds...) in
 * each language, and the administrative form of a period's review
 * document (issuing body, number, place and date, recipients, signature).
 * Both are few, so each is an array with a hash index, maps kept sorted
 * for the canonical form.
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "model.h"

static void free_rec(jql_meta_rec *r)
{
    jql_free(r->kind);
    jql_free(r->id);
    jql_keymap_free(&r->map);
}

void jql_meta_free(jql_dataset *ds)
{
    for (size_t i = 0; i < ds->labels.len; i++)
        free_rec(&ds->labels.items[i]);
    for (size_t i = 0; i < ds->documents.len; i++)
        free_rec(&ds->documents.items[i]);
    jql_free(ds->labels.items);
    jql_free(ds->documents.items);
    jql_strmap_free(&ds->label_keys);
    jql_strmap_free(&ds->document_keys);
}

static int check_name(const char *what, const char *s)
{
    if (!s || !*s)
        return jql_fail(JQL_EINVALID, "%s must be a non-empty string", what);
    return jql_check_text(what, s);
}

/* The record of `key` in vec/index into *out, made when `create` (else
   *out is NULL when there is none). JQL_OK, JQL_ELIMIT, JQL_ENOMEM. */
static int find_or_add(jql_meta_vec *vec, jql_strmap *index, const char *key, const char *kind,
                       const char *id, bool create, jql_meta_rec **out)
{
    size_t i;
    *out = NULL;
    if (jql_strmap_get(index, key, &i) == JQL_OK) {
        *out = &vec->items[i];
        return JQL_OK;
    }
    if (!create)
        return JQL_OK;
    if (vec->len >= JQL_MAX_RECORDS)
        return jql_fail(JQL_ELIMIT, "more than %u records", JQL_MAX_RECORDS);
    if (jql_vec_grow((void **)&vec->items, &vec->cap, vec->len + 1, sizeof *vec->items))
        return jql_fail(JQL_ENOMEM, "out of memory");
    jql_meta_rec r = {0};
    r.kind = jql_strdup_nfc(kind); /* ids, kept in NFC like the dataset's others */
    r.id = jql_strdup_nfc(id);
    /* the map entry last: the map has no removal */
    if ((kind && !r.kind) || !r.id || jql_strmap_put(index, key, vec->len)) {
        jql_free(r.kind);
        jql_free(r.id);
        return jql_fail(JQL_ENOMEM, "out of memory");
    }
    vec->items[vec->len] = r;
    *out = &vec->items[vec->len++];
    return JQL_OK;
}

/* ---- labels ---- */

int jql_label_set(jql_dataset *ds, const char *kind, const char *id, const char *lang,
                  const char *name)
{
    if (!ds)
        return jql_fail(JQL_EINVALID, "no dataset");
    int rc = check_name("label kind", kind);
    if (rc || (rc = check_name("labelled id", id)) || (rc = check_name("label language", lang)))
        return rc;
    if (name && (rc = check_name("label name", name)))
        return rc;
    char buf[256];
    bool heap;
    char *key = jql_key3(buf, sizeof buf, kind, id, NULL, &heap);
    if (!key)
        return jql_fail(JQL_ENOMEM, "out of memory");
    jql_meta_rec *r;
    rc = find_or_add(&ds->labels, &ds->label_keys, key, kind, id, name != NULL, &r);
    if (heap)
        jql_free(key);
    return rc || !r ? rc : jql_keymap_set(&r->map, lang, name, false);
}

const char *jql_label_lookup(const jql_dataset *ds, const char *kind, const char *id, const char *lang)
{
    if (!ds || !kind || !id || !lang)
        return NULL;
    char buf[256];
    bool heap;
    char *key = jql_key3(buf, sizeof buf, kind, id, NULL, &heap);
    if (!key)
        return NULL;
    size_t i;
    int rc = jql_strmap_get(&ds->label_keys, key, &i);
    if (heap)
        jql_free(key);
    return rc == JQL_OK ? jql_keymap_get(&ds->labels.items[i].map, lang) : NULL;
}

size_t jql_label_count(const jql_dataset *ds) { return ds ? ds->labels.len : 0; }

const char *jql_label_kind(const jql_dataset *ds, size_t i)
{
    return ds && i < ds->labels.len ? ds->labels.items[i].kind : NULL;
}

const char *jql_label_id(const jql_dataset *ds, size_t i)
{
    return ds && i < ds->labels.len ? ds->labels.items[i].id : NULL;
}

size_t jql_label_name_count(const jql_dataset *ds, size_t i)
{
    return ds && i < ds->labels.len ? jql_keymap_count(&ds->labels.items[i].map) : 0;
}

const char *jql_label_name_lang(const jql_dataset *ds, size_t i, size_t k)
{
    const jql_attr *a = ds && i < ds->labels.len ? jql_keymap_at(&ds->labels.items[i].map, k) : NULL;
    return a ? a->key : NULL;
}

const char *jql_label_name_text(const jql_dataset *ds, size_t i, size_t k)
{
    const jql_attr *a = ds && i < ds->labels.len ? jql_keymap_at(&ds->labels.items[i].map, k) : NULL;
    return a ? a->value : NULL;
}

/* ---- documents ---- */

int jql_document_set(jql_dataset *ds, const char *period, const char *field, const char *value)
{
    if (!ds)
        return jql_fail(JQL_EINVALID, "no dataset");
    int rc = check_name("document period", period);
    if (rc || (rc = check_name("document field", field)))
        return rc;
    if (value && (rc = jql_check_text("document text", value)))
        return rc;
    if (jql_period_resolve(ds, period, NULL, NULL, NULL) != JQL_OK)
        return jql_fail(JQL_ENOTFOUND, "unknown period \"%s\"", period);
    jql_meta_rec *r;
    rc = find_or_add(&ds->documents, &ds->document_keys, period, NULL, period, value != NULL, &r);
    return rc || !r ? rc : jql_keymap_set(&r->map, field, value, false);
}

const char *jql_document_field_lookup(const jql_dataset *ds, const char *period, const char *field)
{
    size_t i;
    if (!ds || !period || !field || jql_strmap_get(&ds->document_keys, period, &i) != JQL_OK)
        return NULL;
    return jql_keymap_get(&ds->documents.items[i].map, field);
}

int jql_document_find(const jql_dataset *ds, const char *period, size_t *index)
{
    size_t i;
    if (!ds || !period || jql_strmap_get(&ds->document_keys, period, &i) != JQL_OK)
        return jql_fail(JQL_ENOTFOUND, "no document for period \"%s\"", period ? period : "");
    if (index)
        *index = i;
    return JQL_OK;
}

size_t jql_document_count(const jql_dataset *ds) { return ds ? ds->documents.len : 0; }

const char *jql_document_period(const jql_dataset *ds, size_t i)
{
    return ds && i < ds->documents.len ? ds->documents.items[i].id : NULL;
}

size_t jql_document_field_count(const jql_dataset *ds, size_t i)
{
    return ds && i < ds->documents.len ? jql_keymap_count(&ds->documents.items[i].map) : 0;
}

const char *jql_document_field_key(const jql_dataset *ds, size_t i, size_t k)
{
    const jql_attr *a = ds && i < ds->documents.len ? jql_keymap_at(&ds->documents.items[i].map, k) : NULL;
    return a ? a->key : NULL;
}

const char *jql_document_field_value(const jql_dataset *ds, size_t i, size_t k)
{
    const jql_attr *a = ds && i < ds->documents.len ? jql_keymap_at(&ds->documents.items[i].map, k) : NULL;
    return a ? a->value : NULL;
}
