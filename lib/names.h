/*
 * The name tables behind names.c, for code that reads names from a document
 * (jql_reader_get_enum takes a NULL-terminated list indexed by value).
 */
#ifndef JQL_NAMES_H
#define JQL_NAMES_H

#include "justice_quarterly/names.h"

extern const char *const jql_task_status_names[JQL_TASK_STATUS_COUNT + 1];
extern const char *const jql_directive_status_names[JQL_DIRECTIVE_STATUS_COUNT + 1];
extern const char *const jql_aggregation_names[JQL_AGGREGATION_COUNT + 1];
extern const char *const jql_csv_kind_names[JQL_CSV_KIND_COUNT + 1];

#endif
