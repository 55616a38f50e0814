/*
 * problems.h - the list of everything wrong with one input record, so a
 * user fixes a file in one pass instead of one error per run.
 *
 * Each problem names a field path ("persons[0].date_of_birth") and a reason
 * (translated, never the offending personal data). After `max` problems
 * only the count grows.
 */
#ifndef CT_CORE_PROBLEMS_H
#define CT_CORE_PROBLEMS_H

#include <stddef.h>

#define CT_PROBLEM_FIELD_MAX 96
#define CT_PROBLEM_MSG_MAX   256

typedef struct ct_problem {
    char field[CT_PROBLEM_FIELD_MAX];
    char msg[CT_PROBLEM_MSG_MAX];
} ct_problem;

typedef struct ct_problems {
    ct_problem *v;
    size_t n; /* kept */
    size_t cap;
    size_t total; /* found, including those beyond max */
    size_t max;   /* 0 means 50 */
    int oom;      /* a problem could not be recorded */
} ct_problems;

#define CT_PROBLEMS_INIT                                                                           \
    {                                                                                              \
        NULL, 0, 0, 0, 0, 0                                                                        \
    }

void ct_problems_add(ct_problems *p, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ct_problems_clear(ct_problems *p);
void ct_problems_release(ct_problems *p);
/* "field: reason; field: reason" into out (truncated to n). */
void ct_problems_join(const ct_problems *p, char *out, size_t n);

#endif
