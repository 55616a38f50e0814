/*
 * demo.h - realistic synthetic cases for demonstrations, tests and
 * benchmarks (`ctip demo`).
 *
 * The generator draws trafficking situations (one per original case) in a
 * few countries of detection, with victims whose sex, age and form of
 * exploitation follow published shares (GLOTIP 2024 and 2020), flows of
 * origin plausible by UN M49 region, suspects with proceedings, and names
 * in several scripts from a fixed pool (data/demo/names). Some victims are
 * recorded by several agencies, each record with the small differences
 * real records have; the truth (which records are one person) is kept so
 * that record linkage can be scored. Every figure and its source is in
 * the files of data/demo/ and docs/demo-data.md.
 *
 * Reproducible: the same options (seed, today, cases) give the same cases,
 * byte for byte, with the same ids. The data files are compiled into the
 * binary. The generator is sequential: the first K cases of a run of N > K
 * cases are the same as those of a run of K cases, except that pending
 * duplicate records are flushed before the end.
 *
 * Threads: a ct_demo is used by one thread at a time; separate ct_demo
 * objects are independent.
 */
#ifndef CT_DEMO_DEMO_H
#define CT_DEMO_DEMO_H

#include "core/date.h"
#include "core/err.h"
#include "core/model.h"
#include "store/store.h"

#include <stdint.h>
#include <stdio.h>

typedef struct ct_demo ct_demo;

typedef struct ct_demo_opts {
    long cases;    /* stop after this many cases, duplicate records included (0: no limit) */
    long victims;  /* or after this many victim records (0: no limit); one must be > 0 */
    uint64_t seed; /* any value; 0 is a seed like the others */
    ct_date today; /* the generator's today (full date; no date after it); zero: UTC today */
    int with_keys; /* set every person's person_key to its true person */
} ct_demo_opts;

/*
 * Creates a generator: loads and checks the embedded data files. Returns 0,
 * CT_EUSAGE for bad options (no limit, a future or partial today), CT_ENOMEM
 * or CT_EINTERNAL when the embedded data is inconsistent (a bug).
 */
int ct_demo_new(const ct_demo_opts *opts, ct_demo **out, ct_err *err);
void ct_demo_free(ct_demo *d);

/*
 * Fills c (initialised or reset by the caller) with the next case, ids
 * included. The case borrows strings that d owns: use it before the next
 * call or ct_demo_free. Returns 1, 0 when the limit is reached, or CT_ENOMEM.
 */
int ct_demo_next(ct_demo *d, ct_case *c, ct_err *err);

/* The true person ("P0000042") of the i-th person of the last case; the
 * pointer is valid until the next call. NULL when i is out of range. */
const char *ct_demo_true_person(ct_demo *d, size_t i);

/* When the last case was registered ("2021-03-14T09:12:00.000Z"), for
 * ct_case_put_opts.now; valid until the next ct_demo_next. */
const char *ct_demo_registered_at(const ct_demo *d);

/* The i-th agency the last case is shared with (NULL after the last): the
 * first agency of a victim recorded by several shares its case with the
 * others, as after a referral, so that sharing rules have something to act
 * on. The name is valid as long as d. */
const char *ct_demo_shared_with(const ct_demo *d, size_t i);

/* The agencies the cases name, in data file order (type and country set,
 * id and created_at empty). */
size_t ct_demo_agency_count(const ct_demo *d);
void ct_demo_agency(const ct_demo *d, size_t i, ct_agency *out);

typedef struct ct_demo_stats {
    long cases, victims, suspects;
    long true_victims;      /* distinct victims */
    long duplicate_records; /* victim records beyond the first of their person */
    long shares;            /* cases shared with another agency */
    long referrals;         /* referrals of victims to services */
} ct_demo_stats;

/*
 * Adds the demo agencies the store lacks, then writes cases until the limit
 * with ct_store_case_put and its shares with ct_store_share_add, one
 * transaction per batch of cases (an interrupted run keeps whole batches),
 * and one audit entry. When truth is not NULL,
 * writes the CSV `person_id,true_person` (contracts.md, "Demo truth") for
 * every person, header first. Returns 0 or the first error (CT_EIO when
 * the truth cannot be written).
 */
int ct_demo_fill(ct_store *s, ct_demo *d, FILE *truth, ct_demo_stats *st, ct_err *err);

/* ---- summary report ------------------------------------------------------ */

enum ct_demo_profile {
    CT_PROFILE_WOMEN,
    CT_PROFILE_MEN,
    CT_PROFILE_GIRLS,
    CT_PROFILE_BOYS,
    CT_PROFILE_UNKNOWN,
    CT_PROFILE__N
};
enum ct_demo_flow {
    CT_FLOW_DOMESTIC,
    CT_FLOW_SUBREGIONAL,
    CT_FLOW_REGIONAL,
    CT_FLOW_TRANSREGIONAL,
    CT_FLOW_UNKNOWN,
    CT_FLOW__N
};

typedef struct ct_summary_count {
    char key[201]; /* agency name, GLOTIP form code or year */
    long n;
} ct_summary_count;

typedef struct ct_summary {
    long cases, victims, suspects;
    long profile[CT_PROFILE__N];
    long flow[CT_FLOW__N];
    long age_uncertain;
    long investigated, prosecuted, convicted, acquitted; /* suspects with such a proceeding */
    ct_summary_count *agency;                            /* victims by agency, by name */
    size_t nagency;
    ct_summary_count *form; /* victims by GLOTIP form (glotip_forms order), "unknown" last */
    size_t nform;
    ct_summary_count *year; /* victims by year of identification, ascending; "unknown" last */
    size_t nyear;
} ct_summary;

/*
 * Counts the victims of every case in the store: by agency, GLOTIP victim
 * profile (sex x age at identification; a partial birth date counts by the
 * middle of its age range, an estimated age as given), GLOTIP form of
 * exploitation (the main purpose, else the single purpose, else mixed
 * sexual exploitation and forced labour, else other), year of
 * identification and flow (citizenship against the agency's country, by
 * UN M49 region). Release with ct_summary_release.
 */
int ct_demo_summary(ct_store *s, ct_summary *out, ct_err *err);
void ct_summary_release(ct_summary *sum);

/* The GLOTIP profile of a victim of case c (exposed for tests). */
enum ct_demo_profile ct_demo_profile_of(const ct_case *c, const ct_person *p);
/* The GLOTIP form (glotip_forms code) of case c, or NULL without purposes. */
const char *ct_demo_form_of(const ct_case *c);

#endif
