/*
 * sqlite_stats.c - flat rows for statistics, one pass over the persons.
 *
 * The statistics engine (src/stats) never loads full cases: it walks these
 * rows, which hold the coded columns it counts and nothing that names a
 * person. The birth date is read here only to compute the age at
 * identification (contracts.md: the age of a record is the recorded or
 * estimated age at identification) and is not passed on.
 *
 * Each walk prepares its own statement (as sq_case_each does): the
 * callback may run other statements on the same connection.
 */
#include "sqlite_int.h"

#include "core/assess.h"
#include "core/date.h"
#include "core/i18n.h"

#include <stdio.h>
#include <string.h>

#define YEAR_FILTER                                                                                \
    "(?1 IS NULL OR a.name = ?1) AND (?2 = 0 OR c.year >= ?2) AND (?3 = 0 OR c.year <= ?3)"

static const char victims_sql[] =
    "SELECT c.year, a.country, p.sex, p.date_of_birth, p.age, p.age_uncertain, p.citizenship, "
    "c.purposes, c.main_purpose, c.country_origin, c.country_exploitation, c.means_of_control, "
    "c.labour_sector, c.recruiter_relation, c.date_identification, c.date_exploitation_start, "
    "c.date_exploitation_end, c.created_at, p.nrm_stage, p.age_band, "
    /* each referral as "service:ADPE", the statuses it reached (accepted,
     * declined, provided, ended) as 0/1 */
    "(SELECT group_concat(r.service || ':' || (r.accepted_on IS NOT NULL) || "
    " (r.declined_on IS NOT NULL) || (r.provided_on IS NOT NULL) || (r.ended_on IS NOT NULL), ';') "
    " FROM nrm_referral r WHERE r.person_id = p.id), "
    "p.person_key IS NOT NULL AND EXISTS (SELECT 1 FROM person q WHERE q.person_key = p.person_key "
    " AND q.id <> p.id AND q.role = 'victim') "
    "FROM person p JOIN case_ c ON c.id = p.case_id JOIN agency a ON a.id = c.agency_id "
    "WHERE p.role = 'victim' AND " YEAR_FILTER;

static const char suspects_sql[] =
    "SELECT c.year, a.country, p.sex, p.date_of_birth, p.age, p.citizenship, c.purposes, "
    "c.main_purpose, c.date_identification, c.created_at, p.age_band, "
    "(SELECT group_concat(g.kind || ':' || coalesce(substr(g.date, 1, 4), ''), ';') "
    " FROM proceeding g WHERE g.person_id = p.id) "
    "FROM person p JOIN case_ c ON c.id = p.case_id JOIN agency a ON a.id = c.agency_id "
    "WHERE p.role = 'suspect' AND " YEAR_FILTER;

static const char cases_sql[] =
    "SELECT a.country, c.year, count(*) FROM case_ c JOIN agency a ON a.id = c.agency_id "
    "WHERE " YEAR_FILTER " GROUP BY a.country, c.year ORDER BY a.country, c.year";

static const char *text(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s && *s ? s : NULL;
}

static ct_date date_col(sqlite3_stmt *st, int i)
{
    ct_date d = CT_DATE_NONE;
    const char *s = text(st, i);
    if (s && ct_date_parse(s, strlen(s), &d) != 0)
        d = CT_DATE_NONE;
    return d;
}

/* The date part of an RFC 3339 timestamp ("2026-11-25T..."). */
static ct_date timestamp_date(sqlite3_stmt *st, int i)
{
    ct_date d = CT_DATE_NONE;
    const char *s = text(st, i);
    if (s && strlen(s) >= 10 && ct_date_parse(s, 10, &d) != 0)
        d = CT_DATE_NONE;
    return d;
}

/* Age at identification (else at registration) as a range of whole years:
 * from the birth date, else the age recorded, else the age band (an open
 * band such as "48+" gives max 120). */
static void age_at_identification(sqlite3_stmt *st, const int cols[3], ct_date ident,
                                  ct_date registered, int *min, int *max)
{
    ct_date dob = date_col(st, cols[0]);
    int age =
        sqlite3_column_type(st, cols[1]) == SQLITE_NULL ? -1 : sqlite3_column_int(st, cols[1]);
    ct_date at = ct_date_is_set(ident) ? ident : registered;
    if (ct_date_is_set(at) && ct_age_range(dob, age, at, at, min, max) == 0)
        return;
    if (ct_age_band_bounds(text(st, cols[2]), min, max) == 0) {
        if (*max < 0)
            *max = 120;
        return;
    }
    *min = *max = -1;
}

static long first_days(ct_date d)
{
    return ct_date_days(ct_date_first_day(d));
}

static int months_between(ct_date start, ct_date end)
{
    if (!ct_date_is_set(start) || !ct_date_is_set(end))
        return -1;
    long days = first_days(end) - first_days(start);
    return days < 0 ? -1 : (int)(days * 12 / 365);
}

static int walk_error(sq_store *s, sqlite3_stmt *st, int rc, ct_err *err)
{
    int r = rc == SQLITE_DONE ? 0 : sq_error(s, _("reading records for statistics"), err);
    sqlite3_finalize(st);
    return r;
}

static sqlite3_stmt *prepare(sq_store *s, const char *sql, const ct_case_filter *f, ct_err *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        sq_error(s, _("reading records for statistics"), err);
        return NULL;
    }
    sq_bind_text(st, 1, f->agency);
    sqlite3_bind_int(st, 2, f->year_from);
    sqlite3_bind_int(st, 3, f->year_to);
    return st;
}

static void victim_row(sqlite3_stmt *st, ct_stat_victim *v)
{
    ct_date ident = date_col(st, 14);
    ct_date registered = timestamp_date(st, 17);
    memset(v, 0, sizeof(*v));
    v->year = sqlite3_column_int(st, 0);
    v->detection_country = text(st, 1);
    v->sex = text(st, 2);
    age_at_identification(st, (const int[3]){3, 4, 19}, ident, registered, &v->age_min,
                          &v->age_max);
    v->age_uncertain = sqlite3_column_int(st, 5);
    v->citizenship = text(st, 6);
    v->purposes = text(st, 7);
    v->main_purpose = text(st, 8);
    v->country_origin = text(st, 9);
    v->country_exploitation = text(st, 10);
    v->means_of_control = text(st, 11);
    v->labour_sector = text(st, 12);
    v->recruiter_relation = text(st, 13);
    v->has_identification_date = ct_date_is_set(ident);
    ct_date end = date_col(st, 16);
    v->exploitation_months = months_between(date_col(st, 15), ct_date_is_set(end) ? end : ident);
    /* late registration: measured from the last day the identification
     * date may stand for, so a partial date never inflates the delay */
    v->registration_delay_days = -1;
    if (ct_date_is_set(ident) && ct_date_is_set(registered)) {
        long d = ct_date_days(registered) - ct_date_days(ct_date_last_day(ident));
        v->registration_delay_days = d < 0 ? 0 : (int)d;
    }
    v->registration_year = registered.year;
    v->nrm_stage = text(st, 18);
    v->referrals = text(st, 20);
    v->shares_person_key = sqlite3_column_int(st, 21);
}

int sq_victims_each(ct_store *base, const ct_case_filter *f,
                    int (*cb)(const ct_stat_victim *, void *), void *arg, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = prepare(s, victims_sql, f, err);
    if (!st)
        return CT_EDB;
    int rc;
    ct_stat_victim v;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        victim_row(st, &v);
        int r = cb(&v, arg);
        if (r) {
            sqlite3_finalize(st);
            return r;
        }
    }
    return walk_error(s, st, rc, err);
}

int sq_suspects_each(ct_store *base, const ct_case_filter *f,
                     int (*cb)(const ct_stat_suspect *, void *), void *arg, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = prepare(s, suspects_sql, f, err);
    if (!st)
        return CT_EDB;
    int rc;
    ct_stat_suspect p;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        memset(&p, 0, sizeof(p));
        p.year = sqlite3_column_int(st, 0);
        p.detection_country = text(st, 1);
        p.sex = text(st, 2);
        age_at_identification(st, (const int[3]){3, 4, 10}, date_col(st, 8), timestamp_date(st, 9),
                              &p.age_min, &p.age_max);
        p.citizenship = text(st, 5);
        p.purposes = text(st, 6);
        p.main_purpose = text(st, 7);
        p.proceedings = text(st, 11);
        int r = cb(&p, arg);
        if (r) {
            sqlite3_finalize(st);
            return r;
        }
    }
    return walk_error(s, st, rc, err);
}

int sq_cases_count_each(ct_store *base, const ct_case_filter *f,
                        int (*cb)(const char *, int, long, void *), void *arg, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = prepare(s, cases_sql, f, err);
    if (!st)
        return CT_EDB;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int r = cb(text(st, 0), sqlite3_column_int(st, 1), sqlite3_column_int64(st, 2), arg);
        if (r) {
            sqlite3_finalize(st);
            return r;
        }
    }
    return walk_error(s, st, rc, err);
}

/* ---- captures for estimation ------------------------------------------------ */

/* Unlinked records (no person key) count as distinct persons: their own id
 * stands in for the key; own_id tells the caller so that an id can never be
 * taken for somebody's key. */
static const char captures_sql[] =
    "SELECT coalesce(nullif(p.person_key, ''), p.uuid), nullif(p.person_key, '') IS NULL, "
    "a.name, c.year, p.sex, p.date_of_birth, p.age, p.age_uncertain, c.date_identification, "
    "c.created_at, p.age_band, a.country "
    "FROM person p JOIN case_ c ON c.id = p.case_id JOIN agency a ON a.id = c.agency_id "
    "WHERE p.role = 'victim' AND " YEAR_FILTER;

int sq_captures_each(ct_store *base, const ct_case_filter *f,
                     int (*cb)(const ct_capture_row *, void *), void *arg, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = prepare(s, captures_sql, f, err);
    if (!st)
        return CT_EDB;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int min, max;
        /* the age at identification exactly as statistics count it */
        age_at_identification(st, (const int[3]){5, 6, 10}, date_col(st, 8), timestamp_date(st, 9),
                              &min, &max);
        ct_capture_row row = {
            .key = text(st, 0),
            .own_id = sqlite3_column_int(st, 1),
            .agency = text(st, 2),
            .country = text(st, 11),
            .year = sqlite3_column_int(st, 3),
            .sex = text(st, 4),
            .agegroup = ct_age_group(min, sqlite3_column_int(st, 7)),
        };
        int r = cb(&row, arg);
        if (r) {
            sqlite3_finalize(st);
            return r;
        }
    }
    return walk_error(s, st, rc, err);
}
