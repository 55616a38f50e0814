/*
 * bench/import: `ctip import` of a flat CSV of demo records into an empty
 * database, against a bare loop that inserts the same rows into the same
 * tables with prepared statements in one transaction, in the same run
 * (issue 2: target ratio >= 0.5, i.e. parsing, validation and ids cost at
 * most as much as the inserts; peak memory < 200 MB).
 *
 *   bench_import CTIP FILE.csv WORKDIR
 *
 * ctip runs as a child process (its peak memory is the child's maximum
 * resident set, from wait4). The bare loop reads the whole file into memory
 * first, untimed, so it times nothing but the inserts: the same columns ctip
 * writes for a row of the flat CSV (case_ and person, with their indexes and
 * foreign keys), the same pragmas, one transaction.
 */
#include "core/csv.h"
#include "store/store.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double cpu_self(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs argv, quiet; returns its exit status, and its rusage in *ru. */
static int run(char *const argv[], struct rusage *ru, double *secs)
{
    double t0 = now();
    pid_t pid = fork();
    if (pid == 0) {
        freopen("/dev/null", "w", stderr);
        execv(argv[0], argv);
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || wait4(pid, &status, 0, ru) < 0)
        return -1;
    *secs = now() - t0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ---- the rows, in memory -------------------------------------------------- */

enum { NCOL = 23 };
static const char *const cols[NCOL] = {"case_id",
                                       "source_id",
                                       "agency",
                                       "person_id",
                                       "given_name",
                                       "family_name",
                                       "sex",
                                       "date_of_birth",
                                       "age",
                                       "age_uncertain",
                                       "citizenship",
                                       "acts",
                                       "means",
                                       "purposes",
                                       "main_purpose",
                                       "labour_sector",
                                       "country_origin",
                                       "country_exploitation",
                                       "date_recruitment",
                                       "date_identification",
                                       "status",
                                       "person_key",
                                       "role"};
enum {
    C_CASE,
    C_SOURCE,
    C_AGENCY,
    C_PERSON,
    C_GIVEN,
    C_FAMILY,
    C_SEX,
    C_DOB,
    C_AGE,
    C_UNCERTAIN,
    C_CIT,
    C_ACTS,
    C_MEANS,
    C_PURPOSES,
    C_MAIN,
    C_SECTOR,
    C_ORIGIN,
    C_EXPL,
    C_REC,
    C_IDENT,
    C_STATUS,
    C_KEY,
    C_ROLE
};

typedef struct rows {
    char *text; /* every field, NUL-terminated, one after the other */
    size_t len, cap;
    uint64_t *field; /* NCOL offsets per row */
    size_t n, rcap;
} rows;

static const char *cell(const rows *r, size_t row, int col)
{
    return r->text + r->field[row * NCOL + (size_t)col];
}

static int load(const char *path, rows *r)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    ct_err err = CT_ERR_INIT;
    ct_csv *c = ct_csv_open(f, NULL, &err);
    ct_csv_record rec;
    int map[NCOL], rc, header = 1;
    while ((rc = ct_csv_next(c, &rec, &err)) == 1) {
        if (header) {
            for (int k = 0; k < NCOL; k++) {
                map[k] = -1;
                for (size_t i = 0; i < rec.n; i++)
                    if (strcmp(rec.field[i], cols[k]) == 0)
                        map[k] = (int)i;
            }
            header = 0;
            continue;
        }
        if (r->n == r->rcap) {
            r->rcap = r->rcap ? 2 * r->rcap : 1 << 16;
            r->field = realloc(r->field, r->rcap * NCOL * sizeof(*r->field));
        }
        for (int k = 0; k < NCOL; k++) {
            const char *v = map[k] >= 0 && (size_t)map[k] < rec.n ? rec.field[map[k]] : "";
            size_t n = strlen(v) + 1;
            if (r->len + n > r->cap) {
                r->cap = r->cap ? 2 * r->cap : 1 << 24;
                r->text = realloc(r->text, r->cap);
            }
            memcpy(r->text + r->len, v, n);
            r->field[r->n * NCOL + (size_t)k] = r->len;
            r->len += n;
        }
        r->n++;
    }
    ct_csv_close(c);
    fclose(f);
    return rc == 0 ? 0 : -1;
}

/* ---- the bare loop ------------------------------------------------------------ */

static void text(sqlite3_stmt *st, int i, const char *v)
{
    if (*v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static sqlite3_int64 agency_id(sqlite3 *db, const char *name)
{
    static char last[256];
    static sqlite3_int64 id;
    if (strcmp(last, name) == 0)
        return id;
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "SELECT id FROM agency WHERE name = ?", -1, &st, NULL);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    snprintf(last, sizeof(last), "%s", name);
    return id;
}

static void add_agencies(sqlite3 *db, const rows *r)
{
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db,
                       "INSERT OR IGNORE INTO agency(uuid, name, created_at, updated_at) "
                       "VALUES (lower(hex(randomblob(16))), ?, '2025-01-01T00:00:00.000Z', "
                       "'2025-01-01T00:00:00.000Z')",
                       -1, &st, NULL);
    for (size_t i = 0; i < r->n; i++) {
        sqlite3_bind_text(st, 1, cell(r, i, C_AGENCY), -1, SQLITE_STATIC);
        sqlite3_step(st);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
}

static const char case_sql[] =
    "INSERT INTO case_(uuid, agency_id, content_hash, source_id, acts, means, purposes, "
    "main_purpose, labour_sector, country_origin, country_exploitation, date_recruitment, "
    "date_identification, status, year, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char person_sql[] =
    "INSERT INTO person(uuid, case_id, agency_id, ord, role, person_key, given_name, family_name, "
    "sex, date_of_birth, age, age_uncertain, citizenship, nrm_stage, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char stamp[] = "2025-06-30T12:00:00.000Z";

static void insert_case(sqlite3 *db, sqlite3_stmt *st, const rows *r, size_t i, sqlite3_int64 ag)
{
    static const unsigned char hash[16];
    static const int map[] = {C_SOURCE, C_ACTS, C_MEANS, C_PURPOSES, C_MAIN,  C_SECTOR,
                              C_ORIGIN, C_EXPL, C_REC,   C_IDENT,    C_STATUS};
    text(st, 1, cell(r, i, C_CASE));
    sqlite3_bind_int64(st, 2, ag);
    sqlite3_bind_blob(st, 3, hash, sizeof(hash), SQLITE_STATIC);
    for (int k = 0; k < 11; k++)
        text(st, 4 + k, cell(r, i, map[k]));
    sqlite3_bind_int(st, 15, atoi(cell(r, i, C_IDENT)));
    text(st, 16, stamp);
    text(st, 17, stamp);
    if (sqlite3_step(st) != SQLITE_DONE)
        fprintf(stderr, "bare loop: %s\n", sqlite3_errmsg(db));
    sqlite3_reset(st);
}

static void insert_person(sqlite3 *db, sqlite3_stmt *st, const rows *r, size_t i,
                          sqlite3_int64 case_row, sqlite3_int64 ag, int ord)
{
    const char *role = *cell(r, i, C_ROLE) ? cell(r, i, C_ROLE) : "victim";
    text(st, 1, cell(r, i, C_PERSON));
    sqlite3_bind_int64(st, 2, case_row);
    sqlite3_bind_int64(st, 3, ag);
    sqlite3_bind_int(st, 4, ord);
    text(st, 5, role);
    text(st, 6, cell(r, i, C_KEY));
    text(st, 7, cell(r, i, C_GIVEN));
    text(st, 8, cell(r, i, C_FAMILY));
    text(st, 9, cell(r, i, C_SEX));
    text(st, 10, cell(r, i, C_DOB));
    if (*cell(r, i, C_AGE))
        sqlite3_bind_int(st, 11, atoi(cell(r, i, C_AGE)));
    else
        sqlite3_bind_null(st, 11);
    sqlite3_bind_int(st, 12, strcmp(cell(r, i, C_UNCERTAIN), "true") == 0);
    text(st, 13, cell(r, i, C_CIT));
    text(st, 14, strcmp(role, "victim") == 0 ? "reported" : "");
    text(st, 15, stamp);
    text(st, 16, stamp);
    if (sqlite3_step(st) != SQLITE_DONE)
        fprintf(stderr, "bare loop: %s\n", sqlite3_errmsg(db));
    sqlite3_reset(st);
}

/* The rows of one case follow each other (contracts.md, flat CSV). */
static double bare_loop(const char *path, const rows *r, long *cases, double *cpu)
{
    ct_err err = CT_ERR_INIT;
    ct_store *s;
    if (ct_store_open(path, CT_STORE_CREATE, &s, &err)) { /* the same schema as ctip's */
        fprintf(stderr, "%s\n", err.msg);
        exit(1);
    }
    ct_store_close(s);
    sqlite3 *db;
    sqlite3_open(path, &db);
    sqlite3_exec(db,
                 "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = "
                 "NORMAL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536",
                 NULL, NULL, NULL);
    add_agencies(db, r);
    sqlite3_stmt *cs, *ps;
    sqlite3_prepare_v3(db, case_sql, -1, SQLITE_PREPARE_PERSISTENT, &cs, NULL);
    sqlite3_prepare_v3(db, person_sql, -1, SQLITE_PREPARE_PERSISTENT, &ps, NULL);
    double t0 = now(), c0 = cpu_self();
    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    sqlite3_int64 case_row = 0, ag = 0;
    int ord = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (i == 0 || strcmp(cell(r, i, C_CASE), cell(r, i - 1, C_CASE)) != 0) {
            ag = agency_id(db, cell(r, i, C_AGENCY));
            insert_case(db, cs, r, i, ag);
            case_row = sqlite3_last_insert_rowid(db);
            ord = 0;
            (*cases)++;
        }
        insert_person(db, ps, r, i, case_row, ag, ord++);
    }
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    double secs = now() - t0;
    *cpu = cpu_self() - c0;
    sqlite3_finalize(cs);
    sqlite3_finalize(ps);
    sqlite3_close(db);
    return secs;
}

int main(int argc, char **argv)
{
    if (argc != 4 || sodium_init() < 0) {
        fprintf(stderr, "usage: bench_import CTIP FILE.csv WORKDIR\n");
        return 1;
    }
    char db[4096], bare[4096];
    snprintf(db, sizeof(db), "%s/import.db", argv[3]);
    snprintf(bare, sizeof(bare), "%s/bare.db", argv[3]);
    struct rusage ru;
    double secs, init_secs;
    char *init[] = {argv[1], "init", db, NULL};
    char *import[] = {argv[1], "import", db, argv[2], "--create-agencies", NULL};
    if (run(init, &ru, &init_secs) != 0 || run(import, &ru, &secs) != 0) {
        fprintf(stderr, "bench_import: ctip init or import failed\n");
        return 1;
    }
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    rows r = {0};
    if (load(argv[2], &r)) {
        fprintf(stderr, "bench_import: cannot read %s\n", argv[2]);
        return 1;
    }
    long cases = 0;
    double bcpu;
    double bsecs = bare_loop(bare, &r, &cases, &bcpu);
    double rate = (double)r.n / secs, brate = (double)r.n / bsecs;
    double mb = (double)ru.ru_maxrss / 1024.0;
    printf("records (victim rows of the flat CSV): %zu in %ld cases\n", r.n, cases);
    printf("ctip import:  %7.1f s  %9.0f records/s  (CPU %.1f s: %.0f records per CPU second)\n",
           secs, rate, cpu, (double)r.n / cpu);
    printf("bare loop:    %7.1f s  %9.0f records/s  (CPU %.1f s: %.0f records per CPU second; "
           "prepared inserts, one transaction)\n",
           bsecs, brate, bcpu, (double)r.n / bcpu);
    printf("ratio:        %7.2f    target >= 0.5 %s (by CPU time: %.2f)\n", rate / brate,
           rate / brate >= 0.5 ? "(met)" : "(MISSED)", bcpu / cpu);
    printf("peak memory:  %7.1f MB target < 200 MB %s\n", mb, mb < 200 ? "(met)" : "(MISSED)");
    free(r.text);
    free(r.field);
    return 0;
}
