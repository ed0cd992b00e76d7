/* The custom criteria functions the example programs register: the example
   sheet examples/data/long-an-2014/criteria-2014-custom.json uses
   "mediation_success_rate" (docs/CRITERIA.md); the bundled sheet itself
   uses built-in methods only. */
#ifndef JQL_EXAMPLES_CUSTOM_FUNCTIONS_H
#define JQL_EXAMPLES_CUSTOM_FUNCTIONS_H

#include <justice_quarterly.h>

/* Register every custom function on @p c. JQL_OK or a jql_status. */
int cli_register_custom_functions(jql_criteria *c);

#endif
