/* jql-score's what-if modes (--compare, --periods, --sensitivity, --plans):
   score_analysis.c. */
#ifndef SCORE_ANALYSIS_H
#define SCORE_ANALYSIS_H

#include <stdbool.h>

/* True when argv asks for one of the analysis modes. */
bool score_analysis_wanted(int argc, char **argv);
/* Run jql-score in analysis mode; returns the exit status. */
int score_analysis_main(int argc, char **argv);

#endif
