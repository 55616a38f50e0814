/*
 * date.h - partial ISO 8601 dates ("2021", "2021-03", "2021-03-14") and
 * the age arithmetic the Protocol test and the statistics need.
 *
 * Case files rarely know exact dates: a victim may know only the year they
 * were recruited, or give an age instead of a birth date. A partial date
 * stands for every day it could be, so ages become ranges, and the
 * benefit of the doubt goes to the child (contracts.md, "Person").
 */
#ifndef CT_CORE_DATE_H
#define CT_CORE_DATE_H

#include <stddef.h>

typedef struct ct_date {
    int year;  /* 0: no date */
    int month; /* 1-12, or 0 when unknown */
    int day;   /* 1-31, or 0 when unknown */
} ct_date;

#define CT_DATE_NONE     ((ct_date){0, 0, 0})
#define CT_DATE_TEXT_MAX 11 /* "YYYY-MM-DD" and the NUL */

/* Parses s[0..n); returns 0 or CT_EINVAL (not a real calendar date, or not
 * one of the three forms). Does not check ranges; see ct_date_check. */
int ct_date_parse(const char *s, size_t n, ct_date *out);
/* Writes the date as it was given (partial stays partial); "" for none. */
void ct_date_format(ct_date d, char out[CT_DATE_TEXT_MAX]);
static inline int ct_date_is_set(ct_date d)
{
    return d.year != 0;
}

/* Today in UTC. */
ct_date ct_date_today(void);
/* Days since 1970-01-01 of a full date (proleptic Gregorian). */
long ct_date_days(ct_date full);
ct_date ct_date_from_days(long days);
/* The first and last day a partial date may stand for. */
ct_date ct_date_first_day(ct_date d);
ct_date ct_date_last_day(ct_date d);

enum ct_date_kind { CT_DATE_BIRTH, CT_DATE_EVENT };
/* Checks the ranges of contracts.md: no date after today; birth dates from
 * 1900, case dates from 1990. Returns 0 or CT_EINVAL with a reason. */
int ct_date_check(ct_date d, enum ct_date_kind kind, ct_date today, const char **reason);

/*
 * The range of ages (whole years) a person may have had on the day `at`
 * (partial), given a birth date (partial) or, when it is not set, an age in
 * years at identification (age < 0: unknown) and the identification date.
 * Returns 0 with *min and *max set, or -1 when nothing is known about the age.
 */
int ct_age_range(ct_date birth, int age_at_ident, ct_date ident, ct_date at, int *min, int *max);

#endif
