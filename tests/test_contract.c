/* The contract fixtures, tests/data/contract/<case>/{dataset,criteria,expected}.json:
   each pins one rule of the scoring contract with figures derived by hand (the
   derivation is the "_hand" member of expected.json). expected.json is a subset
   of the results document: every member it has must be in the results with an
   equal value ("_" members are notes); "units" lists the units in the results'
   order; lists of objects with ids (nodes, items, vetoes) are matched by id. An
   "error" list says loading or scoring fails with each fragment in the messages.
   tests/python/test_contract.py and tests/lua/test_contract.lua apply the same
   rules through the bindings. */
#include <cjson/cJSON.h>
#include <dirent.h>

#include "score_helpers.h"

#define MAX_CASES 256
static char *cases[MAX_CASES];
static int ncases;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_cases(void)
{
    DIR *d = opendir(test_data("contract"));
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) && ncases < MAX_CASES) {
        if (e->d_name[0] == '.')
            continue;
        char p[1024];
        snprintf(p, sizeof p, "%s/%s/expected.json", test_data("contract"), e->d_name);
        FILE *f = fopen(p, "r");
        if (!f)
            continue;
        fclose(f);
        cases[ncases++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(cases, (size_t)ncases, sizeof cases[0], cmp_str);
}

static char failures[8192];

static void note_failure(const char *path, const char *what)
{
    size_t used = strlen(failures);
    snprintf(failures + used, sizeof failures - used, "  %s: %s\n", path, what);
}

static void subset(const cJSON *exp, const cJSON *act, const char *path)
{
    char sub[512], msg[512];
    if (cJSON_IsObject(exp)) {
        if (!cJSON_IsObject(act)) {
            note_failure(path, "expected an object");
            return;
        }
        for (const cJSON *m = exp->child; m; m = m->next) {
            if (m->string[0] == '_')
                continue;
            snprintf(sub, sizeof sub, "%s/%s", path, m->string);
            const cJSON *a = cJSON_GetObjectItemCaseSensitive(act, m->string);
            if (!a)
                note_failure(sub, "missing");
            else
                subset(m, a, sub);
        }
        return;
    }
    if (cJSON_IsArray(exp) && exp->child && cJSON_IsObject(exp->child) &&
        cJSON_GetObjectItemCaseSensitive(exp->child, "id")) {
        if (!cJSON_IsArray(act)) {
            note_failure(path, "expected a list");
            return;
        }
        if (strcmp(path, "/units") == 0) {
            int same = cJSON_GetArraySize(exp) == cJSON_GetArraySize(act);
            for (int i = 0; same && i < cJSON_GetArraySize(exp); i++) {
                const cJSON *ei = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(exp, i), "id");
                const cJSON *ai = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(act, i), "id");
                same = ei && ai && cJSON_IsString(ai) && strcmp(ei->valuestring, ai->valuestring) == 0;
            }
            if (!same)
                note_failure(path, "units not in the expected order");
        }
        for (const cJSON *e = exp->child; e; e = e->next) {
            const char *id = cJSON_GetObjectItemCaseSensitive(e, "id")->valuestring;
            const cJSON *found = NULL;
            for (const cJSON *a = act->child; a && !found; a = a->next) {
                const cJSON *ai = cJSON_GetObjectItemCaseSensitive(a, "id");
                if (cJSON_IsString(ai) && strcmp(ai->valuestring, id) == 0)
                    found = a;
            }
            snprintf(sub, sizeof sub, "%s/%s", path, id);
            if (!found)
                note_failure(sub, "missing");
            else
                subset(e, found, sub);
        }
        return;
    }
    if (!cJSON_Compare(exp, act, 1)) {
        char *want = cJSON_PrintUnformatted(exp), *got = cJSON_PrintUnformatted(act);
        snprintf(msg, sizeof msg, "got %s, expected %s", got, want);
        note_failure(path, msg);
        free(want);
        free(got);
    }
}

/* Every message of a failed load, or the scoring's error, in one string. */
static void add_diag(char *buf, size_t size, const jql_diagnostics *d)
{
    for (size_t i = 0; i < jql_diagnostics_count(d); i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%s: %s\n", jql_diagnostics_path(d, i),
                 jql_diagnostics_message(d, i));
    }
}

START_TEST(contract_fixture)
{
    const char *name = cases[_i];
    char dir[1024], p[1100], errors[8192] = "";
    snprintf(dir, sizeof dir, "%s/%s", test_data("contract"), name);
    snprintf(p, sizeof p, "%s/expected.json", dir);
    char *text = test_read_file(p, NULL);
    cJSON *exp = cJSON_Parse(text);
    free(text);
    ck_assert_msg(exp != NULL, "%s: expected.json does not parse", name);

    jql_dataset *ds = NULL;
    jql_criteria *c = NULL;
    jql_results *r = NULL;
    jql_diagnostics *d = NULL;
    snprintf(p, sizeof p, "%s/dataset.json", dir);
    int rc = jql_dataset_load_path(p, &ds, &d);
    add_diag(errors, sizeof errors, d);
    jql_diagnostics_free(d);
    d = NULL;
    if (rc == JQL_OK) {
        snprintf(p, sizeof p, "%s/criteria.json", dir);
        rc = jql_criteria_load_path(p, &c, &d);
        add_diag(errors, sizeof errors, d);
        jql_diagnostics_free(d);
    }
    if (rc == JQL_OK) {
        rc = jql_score(ds, c, NULL, &r);
        if (rc != JQL_OK) {
            size_t used = strlen(errors);
            snprintf(errors + used, sizeof errors - used, "%s\n", jql_last_error());
        }
    }

    const cJSON *want_error = cJSON_GetObjectItemCaseSensitive(exp, "error");
    failures[0] = '\0';
    if (want_error) {
        ck_assert_msg(rc != JQL_OK, "%s: expected an error, the scoring succeeded", name);
        for (const cJSON *f = want_error->child; f; f = f->next)
            ck_assert_msg(strstr(errors, f->valuestring) != NULL,
                          "%s: the error does not mention \"%s\":\n%s", name, f->valuestring, errors);
    } else {
        ck_assert_msg(rc == JQL_OK, "%s: %s", name, errors);
        char *json = NULL;
        size_t len = 0;
        ck_assert_int_eq(jql_results_to_json(r, &json, &len), JQL_OK);
        cJSON *act = cJSON_Parse(json);
        jql_free(json);
        ck_assert(act != NULL);
        subset(exp, act, "");
        cJSON_Delete(act);
        ck_assert_msg(failures[0] == '\0', "%s:\n%s", name, failures);
    }
    cJSON_Delete(exp);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

int main(void)
{
    list_cases();
    Suite *s = suite_create("contract");
    TCase *tc = tcase_create("contract");
    if (ncases > 0)
        tcase_add_loop_test(tc, contract_fixture, 0, ncases);
    suite_add_tcase(s, tc);
    int rc = test_run_suite(s);
    for (int i = 0; i < ncases; i++)
        free(cases[i]);
    return rc;
}
