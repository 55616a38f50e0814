#include "date.h"

#include "err.h"
#include "i18n.h"

#include <stdio.h>
#include <time.h>

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static int digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int ct_date_parse(const char *s, size_t n, ct_date *out)
{
    ct_date d = CT_DATE_NONE;
    if (n != 4 && n != 7 && n != 10)
        return CT_EINVAL;
    if (digits(s, 4, &d.year) || d.year == 0)
        return CT_EINVAL;
    if (n >= 7) {
        if (s[4] != '-' || digits(s + 5, 2, &d.month) || d.month < 1 || d.month > 12)
            return CT_EINVAL;
    }
    if (n == 10) {
        if (s[7] != '-' || digits(s + 8, 2, &d.day) || d.day < 1 ||
            d.day > days_in_month(d.year, d.month))
            return CT_EINVAL;
    }
    *out = d;
    return 0;
}

/* Writes n digits of v, zero-padded. By hand: this runs for every date of
 * every record a bulk import or export touches, where snprintf showed in
 * profiles. */
static char *put_digits(char *p, unsigned v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
    return p + n;
}

void ct_date_format(ct_date d, char out[CT_DATE_TEXT_MAX])
{
    unsigned y = (unsigned)d.year % 10000u, m = (unsigned)d.month % 100u,
             day = (unsigned)d.day % 100u;
    char *p = out;
    if (d.year) {
        p = put_digits(p, y, 4);
        if (d.month) {
            *p++ = '-';
            p = put_digits(p, m, 2);
            if (d.day) {
                *p++ = '-';
                p = put_digits(p, day, 2);
            }
        }
    }
    *p = '\0';
}

ct_date ct_date_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    return (ct_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar. */
long ct_date_days(ct_date d)
{
    long y = d.year - (d.month <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long mp = (d.month + 9) % 12;
    long doy = (153 * mp + 2) / 5 + d.day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

ct_date ct_date_from_days(long z)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int day = (int)(doy - (153 * mp + 2) / 5 + 1);
    int month = (int)(mp < 10 ? mp + 3 : mp - 9);
    int year = (int)(yoe + era * 400 + (month <= 2));
    return (ct_date){year, month, day};
}

ct_date ct_date_first_day(ct_date d)
{
    return (ct_date){d.year, d.month ? d.month : 1, d.day ? d.day : 1};
}

ct_date ct_date_last_day(ct_date d)
{
    int m = d.month ? d.month : 12;
    return (ct_date){d.year, m, d.day ? d.day : days_in_month(d.year, m)};
}

int ct_date_check(ct_date d, enum ct_date_kind kind, ct_date today, const char **reason)
{
    if (!d.year)
        return 0;
    int floor = kind == CT_DATE_BIRTH ? 1900 : 1990;
    if (d.year < floor) {
        *reason = kind == CT_DATE_BIRTH ? N_("birth dates start in 1900")
                                        : N_("case dates start in 1990");
        return CT_EINVAL;
    }
    if (ct_date_days(ct_date_first_day(d)) > ct_date_days(today)) {
        *reason = N_("date lies in the future");
        return CT_EINVAL;
    }
    return 0;
}

/* Completed years between a birth day and a later day (both full). */
static int years_between(ct_date birth, ct_date day)
{
    int age = day.year - birth.year;
    if (day.month < birth.month || (day.month == birth.month && day.day < birth.day))
        age--;
    return age;
}

static ct_date minus_years(ct_date d, int years)
{
    ct_date r = {d.year - years, d.month, d.day};
    if (r.month == 2 && r.day == 29 && !is_leap(r.year))
        r.day = 28;
    return r;
}

/*
 * Earliest and latest possible birth days. With an age A known on an
 * identification day I, the birth day lies in (I - (A+1) years, I - A years].
 */
static int birth_interval(ct_date birth, int age, ct_date ident, ct_date *lo, ct_date *hi)
{
    if (birth.year) {
        *lo = ct_date_first_day(birth);
        *hi = ct_date_last_day(birth);
        return 0;
    }
    if (age < 0 || !ident.year)
        return -1;
    *lo = ct_date_from_days(ct_date_days(minus_years(ct_date_first_day(ident), age + 1)) + 1);
    *hi = minus_years(ct_date_last_day(ident), age);
    return 0;
}

int ct_age_range(ct_date birth, int age_at_ident, ct_date ident, ct_date at, int *min, int *max)
{
    ct_date lo, hi;
    if (!birth.year && age_at_ident >= 0 && (!ident.year || !at.year)) {
        /* an age with no date to anchor it: the best we know */
        *min = *max = age_at_ident;
        return 0;
    }
    if (birth_interval(birth, age_at_ident, ident, &lo, &hi))
        return -1;
    if (!at.year)
        return -1;
    int a = years_between(hi, ct_date_first_day(at));
    int b = years_between(lo, ct_date_last_day(at));
    *min = a < 0 ? 0 : a;
    *max = b < 0 ? 0 : b;
    return 0;
}
