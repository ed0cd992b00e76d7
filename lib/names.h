/*
 * The name tables behind names.c: the public ones for code that reads names
 * from a document (jql_reader_get_enum takes a NULL-terminated list indexed
 * by value), and the private ones of the criteria format and the results
 * (measure kinds, methods, missing-data rules, item sources, tie-breakers,
 * held-back reasons), which have no public enumeration. Each table is
 * indexed by value and sized _COUNT + 1, ending with NULL; tests/test_names.c
 * checks that every value has a name.
 */
#ifndef JQL_NAMES_H
#define JQL_NAMES_H

#include <stdbool.h>

#include "criteria.h"
#include "justice_quarterly/names.h"
#include "justice_quarterly/tally.h"
#include "score_internal.h"

extern const char *const jql_task_status_names[JQL_TASK_STATUS_COUNT + 1];
extern const char *const jql_directive_status_names[JQL_DIRECTIVE_STATUS_COUNT + 1];
extern const char *const jql_aggregation_names[JQL_AGGREGATION_COUNT + 1];
extern const char *const jql_csv_kind_names[JQL_CSV_KIND_COUNT + 1];

/* Criteria-format names ("kind" of a measure, "type" of a method, "missing",
   an item's "source", a tie-breaker's "by"); JQL_M_NONE has no name. */
extern const char *const jql_measure_names[JQL_M_COUNT + 1];
extern const char *const jql_method_names[JQL_METHOD_COUNT + 1];
extern const char *const jql_missing_names[JQL_MISSING_COUNT + 1];
extern const char *const jql_item_source_names[JQL_ITEM_KIND_COUNT + 1];
extern const char *const jql_tiebreak_names[JQL_TB_KIND_COUNT + 1];
/* Results: why a unit stays below the next tier (JQL_HELD_NONE: no name). */
extern const char *const jql_held_names[JQL_HELD_COUNT + 1];

/* Tally fields (tally.h has no _COUNT value: the last field + 1). */
#define JQL_TALLY_FIELD_END (JQL_TALLY_DIRECTIVES_DONE + 1)
extern const char *const jql_tally_field_names[JQL_TALLY_FIELD_END + 1];

/* Name of value v in a table of count values, or NULL (out of range, or a
   value without a name). */
const char *jql_name_in(const char *const *names, int count, int v);
/* Value of name in a table of count values: true and *out set, or false
   (no error is recorded: the caller reports it where it is). */
bool jql_name_find(const char *const *names, int count, const char *name, int *out);
#define JQL_NAME_OF(table, v) \
    jql_name_in(table, (int)(sizeof table / sizeof table[0]) - 1, (int)(v))
#define JQL_NAME_FIND(table, name, out) \
    jql_name_find(table, (int)(sizeof table / sizeof table[0]) - 1, name, out)

/*
 * Task and directive statuses as people write them in a spreadsheet: the
 * format's name or one of the accepted spellings below, compared after
 * jql_csv_fold() (case, Vietnamese diacritics, '_' and '-' as spaces...).
 * Accepted spellings, folded:
 *   task pending:      "pending", "chua thuc hien", "chua"
 *   task in_progress:  "in progress", "dang thuc hien"
 *   task done:         "done", "hoan thanh", "da hoan thanh", "da thuc hien"
 *   directive open:    "open", "chua hoan thanh", "dang thuc hien"
 *   directive done:    "done", "hoan thanh", "da hoan thanh", "da thuc hien"
 * Note "dang thuc hien" (in progress): a task in progress, a directive open.
 * JQL_OK, JQL_EINVALID (unknown spelling, text NULL; nothing recorded in
 * jql_last_error(): the caller says where) or JQL_ENOMEM.
 */
int jql_task_status_parse_text(const char *text, jql_task_status *out);
int jql_directive_status_parse_text(const char *text, jql_directive_status *out);

#endif
