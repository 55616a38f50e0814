/*
 * stats.h - ctip's statistics: the aggregates the UN reports ask for
 * (GLOTIP victim profiles, forms of exploitation, citizenship, flows,
 * persons investigated, prosecuted and convicted), published tables with
 * small-cell protection, the GLOTIP data-file layout, the anonymised CTDC
 * microdata export and the national annual report.
 *
 * Counting rules (docs/statistics.md states them in full; every table
 * carries them in its notes):
 *  1. One pass over flat rows (ct_store_victims_each): no full case is
 *     loaded. The year of a record is the year of identification, else of
 *     registration; the country of detection is the owning agency's country.
 *  2. Unknowns are counted as unknown, never dropped; every table has its
 *     total.
 *  3. Age is the age at identification (birth date, else recorded age); a
 *     range that straddles 18 counts as a child (benefit of the doubt) and,
 *     like the caseworker's age_uncertain flag, is counted as uncertain.
 *  4. Detailed tables count a victim under each form; the GLOTIP layout
 *     counts each once (one GLOTIP category; several -> the main purpose's,
 *     else "Other forms of exploitation").
 *  5. Flows compare citizenship with the country of detection by UN M49.
 *
 * Threads: a ct_stats is not shared; different ones may be used at once.
 */
#ifndef CT_STATS_STATS_H
#define CT_STATS_STATS_H

#include "core/err.h"
#include "store/store.h"

#include <stdio.h>

/* ---- collection ------------------------------------------------------ */

typedef struct ct_stats ct_stats;

typedef struct ct_stats_opts {
    const char *agency;     /* only this agency's records, or NULL */
    int year_from, year_to; /* statistics years, 0: open */
    const char *country;    /* only this country of detection (ISO alpha-3), or NULL */
    int late_days;          /* a registration later than this after identification is late
                               (0: 90 days) */
    /* Called about every 65,536 records with the number done and the total
     * (may be NULL). */
    void (*progress)(void *arg, long done, long total);
    void *progress_arg;
} ct_stats_opts;

/* Reads every victim and suspect once and keeps the aggregates. */
int ct_stats_collect(ct_store *s, const ct_stats_opts *o, ct_stats **out, ct_err *err);
void ct_stats_free(ct_stats *st);
/* Victims and suspects read. */
long ct_stats_victims(const ct_stats *st);
long ct_stats_suspects(const ct_stats *st);
/* Smallest and largest statistics year seen (0 when no record). */
void ct_stats_years(const ct_stats *st, int *first, int *last);

/* ---- tables ---------------------------------------------------------- */

enum ct_stats_cell_state {
    CT_CELL_EXACT = 0,     /* published as is */
    CT_CELL_PRIMARY = 1,   /* 1..threshold-1: published as "<threshold" */
    CT_CELL_SECONDARY = 2, /* suppressed so that no primary cell can be derived: "x" */
};

/* A two-way table. The last row and the last column are totals when
 * has_total_row / has_total_col; rows_additive says whether the other rows
 * add up to the total row (false when a victim may count in several rows,
 * e.g. forms of exploitation). Strings are owned by the table. */
typedef struct ct_stats_table {
    char *id;    /* stable identifier, e.g. "victims_sex_age" */
    char *title; /* in the language of the thread when built */
    size_t nrows, ncols;
    char **row_codes, **row_labels;
    char **col_codes, **col_labels;
    long *cells;          /* nrows * ncols, row-major */
    unsigned char *state; /* enum ct_stats_cell_state per cell */
    int has_total_row, has_total_col, rows_additive;
    char **notes;
    size_t nnotes;
} ct_stats_table;

typedef struct ct_stats_tables {
    ct_stats_table **v;
    size_t n;
} ct_stats_tables;

void ct_stats_tables_release(ct_stats_tables *t);

/* The standard set (victims by sex and age, by form detailed and in
 * GLOTIP's categories, by citizenship, by country of detection, flows and
 * the origin -> detection matrix, trend by year, persons investigated,
 * prosecuted and convicted by sex and by citizenship, data quality).
 * Labels in lang ("en", "fr"; NULL: the thread's language). */
int ct_stats_tables_standard(const ct_stats *st, const char *lang, ct_stats_tables *out,
                             ct_err *err);

/* Dimensions for ct_stats_table_by: sex, agegroup, form (each form a
 * victim suffered), glotip_form, citizenship, country (of detection),
 * region (M49 region of detection), year, flow. */
int ct_stats_table_by(const ct_stats *st, const char *dims, const char *lang, ct_stats_table **out,
                      ct_err *err);

/* Masks cells of 1..threshold-1 and chooses secondary suppressions (sdc.c)
 * so that no masked cell can be derived from the table's totals; then
 * verifies it by linear programming. CT_EINTERNAL if verification fails. */
int ct_stats_table_protect(ct_stats_table *t, int threshold, ct_err *err);

/* The same for tables published together: cells they share (the victims'
 * totals, each stage's persons) are protected once for all of them. */
int ct_stats_tables_protect(ct_stats_tables *t, int threshold, ct_err *err);

enum ct_stats_format { CT_STATS_TEXT, CT_STATS_CSV, CT_STATS_JSON };
/* Writes tables; protected cells print as "<threshold" and "x". */
int ct_stats_tables_write(const ct_stats_tables *t, enum ct_stats_format f, int threshold,
                          FILE *out, ct_err *err);
/* The tables as JSON ({"tables": [...]}, masked cells as strings); NULL on
 * out of memory. The caller owns the reference. */
struct json_t;
struct json_t *ct_stats_tables_json(const ct_stats_tables *t, int threshold);
/* The value of a cell as published: "1,234", "<5", "x" (buffer >= 32). */
void ct_stats_cell_text(const ct_stats_table *t, size_t r, size_t c, int threshold, int thousands,
                        char out[32]);
void ct_stats_table_free(ct_stats_table *t);

/* ---- GLOTIP data-file layout ------------------------------------------ */

typedef struct ct_glotip_opts {
    int year;
    int publish;      /* mask small cells and apply secondary suppression */
    int threshold;    /* 0: 5 */
    const char *date; /* preamble date "dd/mm/yyyy" (xlsx); NULL: today */
} ct_glotip_opts;

/* Writes the GLOTIP CSV (header Iso3_code,...,Source and the rows) for
 * every country of detection with records in the year. */
int ct_stats_glotip_csv(const ct_stats *st, const ct_glotip_opts *o, FILE *out, ct_err *err);
/* The same as an .xlsx at path with UNODC's two preamble rows. */
int ct_stats_glotip_xlsx(const ct_stats *st, const ct_glotip_opts *o, const char *path,
                         ct_err *err);

/* ---- anonymised microdata (CTDC synthetic layout) ----------------------- */

typedef struct ct_ctdc_opts {
    int k; /* k-anonymity on the quasi-identifiers; 0: 11 (CTDC's practice) */
    const char *agency;
    int year_from, year_to;
    void (*progress)(void *arg, long done, long total);
    void *progress_arg;
} ct_ctdc_opts;

typedef struct ct_ctdc_report {
    long records;        /* victims read */
    long written;        /* rows written */
    long exact;          /* written without generalisation */
    long generalised[4]; /* written at generalisation level 1..4 (docs/statistics.md) */
    long suppressed;     /* not written: no level gave a class of k */
    size_t peak_bytes;   /* memory held for the records at the peak */
} ct_ctdc_report;

/* Writes every victim in the 27 columns of the CTDC synthetic data standard:
 * no direct identifier, years only, CTDC age bands, k-anonymity on (sex, age
 * band, citizenship, country of exploitation, year, form flags) reached by
 * generalising before suppressing. */
int ct_stats_ctdc_export(ct_store *s, const ct_ctdc_opts *o, FILE *out, ct_ctdc_report *rep,
                         ct_err *err);

/* ---- the national report ---------------------------------------------- */

typedef struct ct_report_opts {
    int year;
    const char *lang;    /* "en" or "fr" */
    const char *country; /* title: the country of detection (ISO alpha-3) or NULL */
    int threshold;       /* 0: 5 */
} ct_report_opts;

/* Writes the national annual report as one self-contained HTML page
 * (inline SVG charts, no script). st must cover the year and the four
 * before it (trends). */
int ct_stats_report_html(const ct_stats *st, const ct_report_opts *o, FILE *out, ct_err *err);

#endif
