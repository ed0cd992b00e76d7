/* Streamed results (jql_results_write*), evidence levels, versioned load
   options and the directive index, through the public API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "gen_national.h"
#include "util.h"
#include "testutil.h"

/* The benchmark's national shape, small: every evidence kind, directives to
   units and to a level, a custom leaf. */
static jql_results *score_national(jql_dataset **ds_out)
{
    size_t len;
    char *text = gen_national_dataset_text(60, 7, &len);
    ck_assert_ptr_nonnull(text);
    jql_dataset *ds = NULL;
    ck_assert_msg(jql_dataset_load_buffer(text, len, "national", &ds, NULL) == JQL_OK, "%s",
                  jql_last_error());
    free(text);
    text = gen_national_criteria_text(&len);
    jql_criteria *c = NULL;
    ck_assert_msg(jql_criteria_load_buffer(text, len, "criteria", &c, NULL) == JQL_OK, "%s",
                  jql_last_error());
    free(text);
    ck_assert_int_eq(jql_criteria_custom_register(c, GEN_CUSTOM_NAME, gen_national_custom, NULL,
                                                  NULL),
                     JQL_OK);
    jql_results *r = NULL;
    ck_assert_msg(jql_score(ds, c, NULL, &r) == JQL_OK, "%s", jql_last_error());
    jql_criteria_free(c);
    *ds_out = ds;
    return r;
}

typedef struct {
    char *data;
    size_t len, cap;
    size_t calls;
    size_t fail_at; /* 0: never */
} sink;

static int to_sink(void *user, const char *data, size_t len)
{
    sink *s = user;
    s->calls++;
    if (s->fail_at && s->calls >= s->fail_at)
        return -1;
    if (s->len + len + 1 > s->cap) {
        s->cap = (s->len + len + 1) * 2;
        s->data = realloc(s->data, s->cap);
    }
    memcpy(s->data + s->len, data, len);
    s->len += len;
    s->data[s->len] = '\0';
    return 0;
}

/* The three ways of writing give the same bytes at every level; full is
   jql_results_to_json(). */
START_TEST(write_matches_to_json)
{
    jql_dataset *ds;
    jql_results *r = score_national(&ds);
    char *whole = NULL;
    size_t whole_len = 0;
    ck_assert_int_eq(jql_results_to_json(r, &whole, &whole_len), JQL_OK);
    for (int level = JQL_EVIDENCE_FULL; level <= JQL_EVIDENCE_NONE; level++) {
        char *text = NULL;
        size_t len = 0;
        ck_assert_int_eq(jql_results_to_json_level(r, (jql_evidence_level)level, &text, &len),
                         JQL_OK);
        sink s = {0};
        ck_assert_int_eq(jql_results_write_cb(r, to_sink, &s, (jql_evidence_level)level), JQL_OK);
        ck_assert_uint_eq(s.len, len);
        ck_assert_int_eq(memcmp(s.data, text, len), 0);
        char *mem = NULL;
        size_t memlen = 0;
        FILE *fp = open_memstream(&mem, &memlen);
        ck_assert_int_eq(jql_results_write(r, fp, (jql_evidence_level)level), JQL_OK);
        fclose(fp);
        ck_assert_uint_eq(memlen, len);
        ck_assert_int_eq(memcmp(mem, text, len), 0);
        if (level == JQL_EVIDENCE_FULL) {
            ck_assert_uint_eq(len, whole_len);
            ck_assert_int_eq(memcmp(text, whole, len), 0);
            ck_assert_ptr_null(strstr(text, "evidence_level"));
        } else {
            ck_assert_ptr_nonnull(strstr(text, level == JQL_EVIDENCE_IDS
                                                   ? "\"evidence_level\": \"ids\""
                                                   : "\"evidence_level\": \"none\""));
            ck_assert_uint_lt(len, whole_len);
        }
        /* valid JSON */
        cJSON *doc = cJSON_ParseWithLength(text, len);
        ck_assert_ptr_nonnull(doc);
        cJSON_Delete(doc);
        free(s.data);
        free(mem);
        jql_free(text);
    }
    jql_free(whole);
    jql_results_free(r);
    jql_dataset_free(ds);
}
END_TEST

static const cJSON *at_pointer(const cJSON *root, const char *ptr)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", ptr);
    const cJSON *cur = root;
    for (char *tok = strtok(buf, "/"); tok && cur; tok = strtok(NULL, "/"))
        cur = cJSON_IsArray(cur) ? cJSON_GetArrayItem(cur, atoi(tok))
                                 : cJSON_GetObjectItemCaseSensitive(cur, tok);
    return cur;
}

static const char *str_of(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Every "ids" pointer names, in the dataset's canonical JSON, the record
   the full level describes, in the same order. */
START_TEST(ids_point_at_the_records)
{
    jql_dataset *ds;
    jql_results *r = score_national(&ds);
    char *full = NULL, *ids = NULL, *dsjson = NULL;
    ck_assert_int_eq(jql_results_to_json_level(r, JQL_EVIDENCE_FULL, &full, NULL), JQL_OK);
    ck_assert_int_eq(jql_results_to_json_level(r, JQL_EVIDENCE_IDS, &ids, NULL), JQL_OK);
    ck_assert_int_eq(jql_dataset_to_json(ds, &dsjson, NULL), JQL_OK);
    cJSON *f = cJSON_Parse(full), *i = cJSON_Parse(ids), *d = cJSON_Parse(dsjson);
    ck_assert(f && i && d);
    const cJSON *fu = cJSON_GetObjectItem(f, "units"), *iu = cJSON_GetObjectItem(i, "units");
    size_t checked = 0, kinds = 0;
    bool seen[6] = {0};
    for (int k = 0; k < cJSON_GetArraySize(fu); k++) {
        const cJSON *fn = cJSON_GetObjectItem(cJSON_GetArrayItem(fu, k), "nodes");
        const cJSON *in = cJSON_GetObjectItem(cJSON_GetArrayItem(iu, k), "nodes");
        for (int n = 0; n < cJSON_GetArraySize(fn); n++) {
            const cJSON *fe = cJSON_GetObjectItem(cJSON_GetArrayItem(fn, n), "evidence");
            const cJSON *ie = cJSON_GetObjectItem(cJSON_GetArrayItem(in, n), "evidence");
            ck_assert_int_eq(cJSON_GetArraySize(fe), cJSON_GetArraySize(ie));
            for (int e = 0; e < cJSON_GetArraySize(fe); e++) {
                const cJSON *rec = cJSON_GetArrayItem(fe, e);
                const char *ptr = cJSON_GetArrayItem(ie, e)->valuestring;
                const cJSON *target = at_pointer(d, ptr);
                ck_assert_msg(target != NULL, "pointer %s", ptr);
                const char *kind = str_of(rec, "kind");
                if (strcmp(kind, "task") == 0 || strcmp(kind, "directive") == 0) {
                    ck_assert_str_eq(str_of(target, "id"), str_of(rec, "id"));
                    ck_assert(strncmp(ptr, kind[0] == 't' ? "/tasks/" : "/directives/", 5) == 0);
                    seen[kind[0] == 't' ? 0 : 1] = true;
                } else if (strcmp(kind, "report") == 0) {
                    ck_assert_str_eq(str_of(target, "unit"), str_of(rec, "unit"));
                    ck_assert_str_eq(str_of(target, "period"), str_of(rec, "period"));
                    ck_assert_str_eq(str_of(target, "kind"), str_of(rec, "report_kind"));
                    seen[2] = true;
                } else if (strcmp(kind, "statistic") == 0) {
                    ck_assert_str_eq(str_of(target, "indicator"), str_of(rec, "indicator"));
                    ck_assert_str_eq(str_of(target, "period"), str_of(rec, "period"));
                    seen[3] = true;
                } else if (strcmp(kind, "assessment") == 0) {
                    ck_assert_str_eq(str_of(target, "criterion"), str_of(rec, "criterion"));
                    seen[4] = true;
                } else {
                    ck_assert_str_eq(str_of(target, "kind"), str_of(rec, "event_kind"));
                    ck_assert_str_eq(str_of(target, "date"), str_of(rec, "date"));
                    seen[5] = true;
                }
                ck_assert_str_eq(str_of(target, "unit") ? str_of(target, "unit") : "",
                                 str_of(rec, "unit") ? str_of(rec, "unit") : "");
                checked++;
            }
        }
    }
    for (int k = 0; k < 6; k++)
        kinds += seen[k];
    ck_assert_uint_gt(checked, 100);
    ck_assert_uint_eq(kinds, 6); /* every kind is cited */
    cJSON_Delete(f);
    cJSON_Delete(i);
    cJSON_Delete(d);
    jql_free(full);
    jql_free(ids);
    jql_free(dsjson);
    jql_results_free(r);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(write_errors)
{
    jql_dataset *ds;
    jql_results *r = score_national(&ds);
    sink s = {.fail_at = 1};
    ck_assert_int_eq(jql_results_write_cb(r, to_sink, &s, JQL_EVIDENCE_FULL), JQL_EIO);
    ck_assert_uint_eq(s.calls, 1); /* stops at the first failure */
    ck_assert_int_eq(jql_results_write_cb(r, NULL, NULL, JQL_EVIDENCE_FULL), JQL_EINVALID);
    ck_assert_int_eq(jql_results_write_cb(NULL, to_sink, &s, JQL_EVIDENCE_FULL), JQL_EINVALID);
    ck_assert_int_eq(jql_results_write_cb(r, to_sink, &s, (jql_evidence_level)7), JQL_EINVALID);
    ck_assert_int_eq(jql_results_write(r, NULL, JQL_EVIDENCE_NONE), JQL_EINVALID);
    FILE *ro = fopen("/dev/null", "r"); /* writes fail */
    ck_assert_ptr_nonnull(ro);
    ck_assert_int_eq(jql_results_write(r, ro, JQL_EVIDENCE_NONE), JQL_EIO);
    fclose(ro);
    jql_results_free(r);
    jql_dataset_free(ds);
}
END_TEST

/* ---- load options ---- */

static const char small[] =
    "{\"format\": \"justice-quarterly/dataset 1.0\", \"name\": \"abcdefghij\",\n"
    " \"units\": [{\"id\": \"a\", \"name\": \"A\", \"level\": \"x\"},"
    " {\"id\": \"b\", \"name\": \"B\", \"level\": \"x\", \"attributes\": {\"k\": \"v\"}},"
    " {\"id\": \"c\", \"name\": \"C\", \"level\": \"x\"}]}";

static int load_with(const jql_load_options *o, jql_diagnostics **diag)
{
    jql_dataset *ds = NULL;
    int rc = jql_dataset_load_buffer_ext(small, strlen(small), "small", o, &ds, diag);
    jql_dataset_free(ds);
    return rc;
}

static bool diag_says(const jql_diagnostics *d, const char *text)
{
    for (size_t i = 0; i < jql_diagnostics_count(d); i++)
        if (strstr(jql_diagnostics_message(d, i), text))
            return true;
    return false;
}

START_TEST(load_options_limits)
{
    jql_load_options o = JQL_LOAD_OPTIONS_INIT;
    jql_diagnostics *d = NULL;
    ck_assert_int_eq(load_with(&o, NULL), JQL_OK);
    ck_assert_int_eq(load_with(NULL, NULL), JQL_OK);

    o.max_input_bytes = strlen(small); /* exactly fits */
    ck_assert_int_eq(load_with(&o, NULL), JQL_OK);
    o.max_input_bytes = strlen(small) - 1;
    ck_assert_int_eq(load_with(&o, &d), JQL_ELIMIT);
    ck_assert(diag_says(d, "larger than the limit"));
    ck_assert(diag_says(d, "--max-input-size"));
    jql_diagnostics_free(d);

    jql_load_options depth = JQL_LOAD_OPTIONS_INIT;
    depth.max_depth = 3; /* the attributes object is at depth 4 */
    ck_assert_int_eq(load_with(&depth, &d), JQL_EINVALID);
    ck_assert(diag_says(d, "nesting deeper than 3 levels"));
    jql_diagnostics_free(d);
    depth.max_depth = 4;
    ck_assert_int_eq(load_with(&depth, NULL), JQL_OK);

    jql_load_options rec = JQL_LOAD_OPTIONS_INIT;
    rec.max_records = 2;
    ck_assert_int_eq(load_with(&rec, &d), JQL_EINVALID);
    ck_assert(diag_says(d, "more than 2 records"));
    jql_diagnostics_free(d);
    rec.max_records = 3;
    ck_assert_int_eq(load_with(&rec, NULL), JQL_OK);

    jql_load_options str = JQL_LOAD_OPTIONS_INIT;
    str.max_string_bytes = 28; /* the format string has 29 bytes */
    ck_assert_int_eq(load_with(&str, &d), JQL_EINVALID);
    ck_assert(diag_says(d, "more than the limit of 28"));
    jql_diagnostics_free(d);
    str.max_string_bytes = 29;
    ck_assert_int_eq(load_with(&str, NULL), JQL_OK);
}
END_TEST

START_TEST(load_options_versions)
{
    jql_load_options o = JQL_LOAD_OPTIONS_INIT;
    ck_assert_uint_eq(o.version, JQL_LOAD_OPTIONS_VERSION);
    o.version = 0;
    ck_assert_int_eq(load_with(&o, NULL), JQL_EINVALID);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "version"));
    o.version = JQL_LOAD_OPTIONS_VERSION + 1;
    ck_assert_int_eq(load_with(&o, NULL), JQL_EINVALID);
    jql_load_options bad = JQL_LOAD_OPTIONS_INIT;
    bad.max_depth = JQL_MAX_DEPTH + 1;
    ck_assert_int_eq(load_with(&bad, NULL), JQL_EINVALID);
    jql_load_options bad2 = JQL_LOAD_OPTIONS_INIT;
    bad2.max_string_bytes = (size_t)JQL_MAX_STRING_BYTES + 1;
    ck_assert_int_eq(load_with(&bad2, NULL), JQL_EINVALID);
    jql_load_options bad3 = JQL_LOAD_OPTIONS_INIT;
    bad3.max_records = (size_t)JQL_MAX_RECORDS_LIMIT + 1;
    ck_assert_int_eq(load_with(&bad3, NULL), JQL_EINVALID);

    jql_load_options init;
    memset(&init, 0xab, sizeof init);
    ck_assert_int_eq(jql_load_options_init(&init, JQL_LOAD_OPTIONS_VERSION), JQL_OK);
    ck_assert_uint_eq(init.version, JQL_LOAD_OPTIONS_VERSION);
    ck_assert_uint_eq(init.max_input_bytes, 0);
    ck_assert_int_eq(jql_load_options_init(&init, 99), JQL_EINVALID);
    ck_assert_int_eq(jql_load_options_init(NULL, JQL_LOAD_OPTIONS_VERSION), JQL_EINVALID);

    /* the default takes a year of 10,000 communes (about 200 MB) */
    ck_assert_uint_ge(JQL_MAX_INPUT_BYTES, 256u * 1024u * 1024u);
}
END_TEST

START_TEST(load_options_paths_and_criteria)
{
    char path[] = "/tmp/jql-opts-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *fp = fdopen(fd, "w");
    fputs(small, fp);
    fclose(fp);
    jql_load_options o = JQL_LOAD_OPTIONS_INIT;
    o.max_input_bytes = 20;
    jql_dataset *ds = NULL;
    ck_assert_int_eq(jql_dataset_load_path_ext(path, &o, &ds, NULL), JQL_ELIMIT);
    ck_assert_ptr_null(ds);
    fp = fopen(path, "r");
    ck_assert_int_eq(jql_dataset_load_file_ext(fp, "f", &o, &ds, NULL), JQL_ELIMIT);
    fclose(fp);
    ck_assert_int_eq(jql_dataset_load_path_ext(path, NULL, &ds, NULL), JQL_OK);
    jql_dataset_free(ds);
    unlink(path);

    const char *crit = test_data("scoring/worked-example/criteria.json");
    jql_criteria *c = NULL;
    ck_assert_int_eq(jql_criteria_load_path_ext(crit, &o, &c, NULL), JQL_ELIMIT);
    ck_assert_ptr_null(c);
    ck_assert_int_eq(jql_criteria_load_path_ext(crit, NULL, &c, NULL), JQL_OK);
    jql_criteria_free(c);
    size_t len;
    char *text = test_read_file(crit, &len);
    jql_load_options shallow = JQL_LOAD_OPTIONS_INIT;
    shallow.max_depth = 2;
    jql_diagnostics *d = NULL;
    ck_assert_int_eq(jql_criteria_load_buffer_ext(text, len, "c", &shallow, &c, &d), JQL_EINVALID);
    ck_assert(diag_says(d, "nesting deeper than 2"));
    jql_diagnostics_free(d);
    free(text);
}
END_TEST

/* ---- directive index ---- */

static unsigned long long seed = 12345;
static unsigned rnd(unsigned mod)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return (unsigned)(seed % mod);
}

/* Random directives to units and levels, addressees added in any order
   (also to directives made earlier): the indexed queries agree with a scan
   of every directive through jql_directive_addresses(). */
START_TEST(directive_index_agrees_with_scan)
{
    for (int round = 0; round < 20; round++) {
        jql_dataset *ds = jql_dataset_new();
        const char *levels[] = {"province", "district", "commune"};
        char id[32], parent[32];
        size_t nunits = 5 + rnd(30);
        for (size_t u = 0; u < nunits; u++) {
            snprintf(id, sizeof id, "u%zu", u);
            snprintf(parent, sizeof parent, "u%u", u ? rnd((unsigned)u) : 0);
            ck_assert_int_eq(jql_unit_add(ds, id, "x", levels[rnd(3)], u ? parent : NULL, NULL),
                             JQL_OK);
        }
        jql_date day;
        ck_assert_int_eq(jql_date_from_ymd(2014, 3, 1, &day), JQL_OK);
        size_t ndir = 1 + rnd(40);
        for (size_t i = 0; i < ndir; i++) {
            snprintf(id, sizeof id, "d%zu", i);
            size_t di;
            ck_assert_int_eq(jql_directive_add(ds, id, day, "u0", "t", &di), JQL_OK);
            if (rnd(3))
                ck_assert_int_eq(jql_directive_set_due(ds, di, day + (jql_date)rnd(60)), JQL_OK);
            if (rnd(2))
                ck_assert_int_eq(jql_directive_set_status(ds, di, JQL_DIRECTIVE_DONE, day), JQL_OK);
        }
        for (size_t k = 0; k < ndir * 3; k++) {
            size_t di = rnd((unsigned)ndir);
            int rc;
            if (rnd(4) == 0) {
                rc = jql_directive_add_level(ds, di, levels[rnd(3)]);
            } else {
                snprintf(id, sizeof id, "u%u", rnd((unsigned)nunits));
                rc = jql_directive_add_unit(ds, di, id);
            }
            ck_assert(rc == JQL_OK || rc == JQL_EEXISTS);
        }
        for (size_t u = 0; u < nunits; u++) {
            snprintf(id, sizeof id, "u%zu", u);
            size_t got[64];
            size_t n = 0;
            ck_assert_int_eq(jql_directives_due(ds, id, "2014-Q1", got, 64, &n), JQL_OK);
            size_t want = 0, done = 0;
            jql_date q1s, q1e;
            ck_assert_int_eq(jql_date_from_ymd(2014, 1, 1, &q1s), JQL_OK);
            ck_assert_int_eq(jql_date_from_ymd(2014, 3, 31, &q1e), JQL_OK);
            for (size_t i = 0; i < ndir; i++) {
                jql_date due = jql_directive_due(ds, i);
                if (!jql_directive_addresses(ds, i, u) || due == JQL_NO_DATE || due < q1s ||
                    due > q1e)
                    continue;
                ck_assert_uint_lt(want, (size_t)n);
                ck_assert_uint_eq(got[want], i); /* ascending, as inserted */
                want++;
                done += jql_directive_get_status(ds, i) == JQL_DIRECTIVE_DONE;
            }
            ck_assert_uint_eq((size_t)n, want);
            jql_milli share = 0;
            int rc = jql_directives_completion_share(ds, id, "2014-Q1", &share);
            if (want == 0) {
                ck_assert_int_eq(rc, JQL_ENODATA);
            } else {
                ck_assert_int_eq(rc, JQL_OK);
                ck_assert_int_eq(share, (jql_milli)((done * 100000 * 2 + want) / (2 * want)));
            }
        }
        jql_dataset_free(ds);
    }
}
END_TEST

START_TEST(directive_addressee_repeats)
{
    jql_dataset *ds = jql_dataset_new();
    jql_date day;
    ck_assert_int_eq(jql_date_from_ymd(2014, 3, 1, &day), JQL_OK);
    ck_assert_int_eq(jql_unit_add(ds, "p", "P", "province", NULL, NULL), JQL_OK);
    ck_assert_int_eq(jql_unit_add(ds, "c", "C", "commune", "p", NULL), JQL_OK);
    size_t d0, d1;
    ck_assert_int_eq(jql_directive_add(ds, "d0", day, "p", "t", &d0), JQL_OK);
    ck_assert_int_eq(jql_directive_add(ds, "d1", day, "p", "t", &d1), JQL_OK);
    ck_assert_int_eq(jql_directive_add_unit(ds, d1, "c"), JQL_OK);
    ck_assert_int_eq(jql_directive_add_unit(ds, d0, "c"), JQL_OK); /* an earlier one, later */
    ck_assert_int_eq(jql_directive_add_unit(ds, d0, "c"), JQL_EEXISTS);
    ck_assert_int_eq(jql_directive_add_unit(ds, d1, "c"), JQL_EEXISTS);
    ck_assert_int_eq(jql_directive_add_level(ds, d0, "commune"), JQL_OK);
    ck_assert_int_eq(jql_directive_add_level(ds, d0, "commune"), JQL_EEXISTS);
    ck_assert_uint_eq(jql_directive_unit_count(ds, d0), 1);
    ck_assert_uint_eq(jql_directive_level_count(ds, d0), 1);
    ck_assert(jql_directive_addresses(ds, d0, 1));
    ck_assert(jql_directive_addresses(ds, d1, 1));
    ck_assert(!jql_directive_addresses(ds, d1, 0));
    /* saved and loaded, the addressees come back the same */
    char *text = NULL;
    size_t len = 0;
    ck_assert_int_eq(jql_dataset_to_json(ds, &text, &len), JQL_OK);
    jql_dataset *back = NULL;
    ck_assert_int_eq(jql_dataset_load_buffer(text, len, "x", &back, NULL), JQL_OK);
    ck_assert(jql_directive_addresses(back, d0, 1) && jql_directive_addresses(back, d1, 1));
    jql_free(text);
    jql_dataset_free(back);
    jql_dataset_free(ds);
}
END_TEST

/* ---- keyed hash ---- */

/* The maps' hash key is drawn per process: two processes (this test
   binary run again) get different keys, so ids crafted to collide under
   one run's hash do not collide under another's. */
START_TEST(hash_key_per_process)
{
    uint64_t mine[2];
    jql_strmap_hash_key(mine);
    ck_assert(mine[0] != 0 || mine[1] != 0);
    char seen[2][64], self[4096], cmd[4200];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    ck_assert_int_gt(n, 0);
    self[n] = '\0';
    snprintf(cmd, sizeof cmd, "JQL_PRINT_HASH_KEY=1 '%s'", self);
    for (int k = 0; k < 2; k++) {
        FILE *p = popen(cmd, "r");
        ck_assert_ptr_nonnull(p);
        ck_assert_ptr_nonnull(fgets(seen[k], sizeof seen[k], p));
        pclose(p);
    }
    char own[64];
    snprintf(own, sizeof own, "%016llx%016llx\n", (unsigned long long)mine[0],
             (unsigned long long)mine[1]);
    ck_assert_str_ne(seen[0], seen[1]);
    ck_assert_str_ne(seen[0], own);
    ck_assert_uint_eq(strlen(seen[0]), 33);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("stream");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, write_matches_to_json);
    tcase_add_test(tc, ids_point_at_the_records);
    tcase_add_test(tc, write_errors);
    tcase_add_test(tc, load_options_limits);
    tcase_add_test(tc, load_options_versions);
    tcase_add_test(tc, load_options_paths_and_criteria);
    tcase_add_test(tc, directive_index_agrees_with_scan);
    tcase_add_test(tc, directive_addressee_repeats);
    tcase_add_test(tc, hash_key_per_process);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    if (getenv("JQL_PRINT_HASH_KEY")) { /* the child of hash_key_per_process */
        uint64_t key[2];
        jql_strmap_hash_key(key);
        printf("%016llx%016llx\n", (unsigned long long)key[0], (unsigned long long)key[1]);
        return 0;
    }
    return test_run_suite(suite());
}
