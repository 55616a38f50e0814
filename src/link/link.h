/*
 * link.h - record linkage: one person, many records.
 *
 * The engine finds records of the same person within one list (dedupe),
 * across two lists (link) or between new and existing records
 * (incremental). It follows Fellegi-Sunter as Splink and fastLink do
 * (docs/linkage.md):
 *
 *   normalise -> block (union of rules, each pair once) -> compare (levels)
 *   -> estimate u (random pairs), m and lambda (EM on pattern counts)
 *   -> score (match weight + term-frequency adjustment) -> cluster.
 *
 * Records live in a ct_link_data (a column store). Every record carries a
 * source byte: in link mode 0 = list A, 1 = list B; in incremental mode
 * 0 = already linked, 1 = new. Record numbers are the order of addition.
 *
 * Nothing here reads files or a database: src/link/linkfile.c turns CSV into
 * a ct_link_data, the CLI writes the outputs. src/linkdb (`ctip link dedupe
 * DB`, the review queue) calls ct_link_run in CT_LINK_INCREMENTAL mode with
 * the records linked before as source 0 and keeps its stable cluster ids in
 * the store itself (same rule as ct_link_clusters: a merge keeps the older
 * id); see docs/linkage.md "Database".
 *
 * Thread safety: a ct_link_data is read-only during ct_link_run, which may
 * use several threads internally; distinct objects may be used from distinct
 * threads. Messages never contain personal data.
 */
#ifndef CT_LINK_LINK_H
#define CT_LINK_LINK_H

#include "core/buf.h"
#include "core/err.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---------------------------------------------------------------- strings */

/*
 * Normalises a name or text for comparison: NFKC, case folding, diacritics
 * stripped, other scripts transliterated to Latin (data/link/translit.tsv),
 * apostrophes dropped, other punctuation and spacing collapsed to single
 * spaces, no leading or trailing space. Appends to out. Returns 0, CT_EINVAL
 * for invalid UTF-8, CT_ENOMEM.
 */
int ct_link_normalise(const char *s, size_t n, ct_buf *out, ct_err *err);
/* As ct_link_normalise, then sorts the space-separated tokens, so that
 * "Ann Mary" and "mary ann" give the same key. */
int ct_link_normalise_sorted(const char *s, size_t n, ct_buf *out, ct_err *err);

/* Jaro-Winkler similarity in [0,1] (prefix <= 4, p = 0.1, boost only when
 * Jaro > 0.7 as rapidfuzz and jellyfish do); on bytes. */
double ct_link_jaro_winkler(const char *a, size_t na, const char *b, size_t nb);
/* Levenshtein distance, or max+1 when it exceeds max (banded, O(n*max)). */
unsigned ct_link_levenshtein(const char *a, size_t na, const char *b, size_t nb, unsigned max);

/* Double Metaphone (Philips 2000) of a normalised Latin string: primary and
 * alternate keys of at most 4 characters each, NUL-terminated. */
void ct_link_dmetaphone(const char *s, size_t n, char primary[5], char alternate[5]);

/* Whether a and b (normalised given names) are listed as nickname and full
 * name of each other in data/link/nicknames.txt. Not transitive: Rob~Robert
 * and Robin~Rob do not make Robin~Robert. Thread-safe. */
int ct_link_is_alias(const char *a, const char *b);

/* ---------------------------------------------------------------- records */

/* How a column is compared; the levels of each are in compare.c. */
enum ct_link_method {
    CT_LINK_NAME,  /* exact, alias, JW >= .92/.88, phonetic, JW >= .7; swaps */
    CT_LINK_DATE,  /* exact, day-month swap, partial, Lev 1, Lev 2, year or age */
    CT_LINK_TEXT,  /* exact, JW >= .88, JW >= .7 */
    CT_LINK_LEV,   /* exact, Levenshtein 1, 2 */
    CT_LINK_EXACT, /* exact */
    CT_LINK_CODES, /* ';'-separated codes: any in common */
    CT_LINK_METHODS
};

/* Roles the engine knows for blocking and name swaps (contracts.md). */
enum ct_link_role { CT_LINK_R_OTHER, CT_LINK_R_GIVEN, CT_LINK_R_FAMILY, CT_LINK_R_DOB };

typedef struct ct_link_column {
    const char *name; /* copied */
    enum ct_link_method method;
    enum ct_link_role role;
} ct_link_column;

typedef struct ct_link_data ct_link_data;

/* A record store with these columns (at most 16). NULL on CT_ENOMEM or
 * CT_EUSAGE (bad column list). */
ct_link_data *ct_link_data_new(const ct_link_column *cols, size_t ncols, ct_err *err);
void ct_link_data_free(ct_link_data *d);

/*
 * Adds a record. values[i] is column i's raw text (UTF-8, NULL or "" for
 * missing). Dates are canonical: "YYYY", "YYYYMM" or "YYYYMMDD" (digits;
 * calendar-invalid values such as month 13 are kept and compared as
 * strings), or "~YYYY" for a birth year estimated from an age. Returns 0,
 * CT_EINVAL (err->field names the column), CT_ENOMEM.
 */
int ct_link_data_add(ct_link_data *d, unsigned source, const char *id, const char *const *values,
                     ct_err *err);
size_t ct_link_data_count(const ct_link_data *d);
/* The record's id; borrowed, valid while d lives. */
const char *ct_link_data_id(const ct_link_data *d, size_t rec);
unsigned ct_link_data_source(const ct_link_data *d, size_t rec);
size_t ct_link_data_ncols(const ct_link_data *d);
const ct_link_column *ct_link_data_column(const ct_link_data *d, size_t col);

/* ------------------------------------------------------------ CSV input */

/*
 * Linkage files (contracts.md "Linkage files"): a header, `id` required,
 * `given_name, family_name, date_of_birth, sex, citizenship, place`
 * optional, `age` with `date_identification` as an approximate birth year,
 * any other column compared when named in `compare`.
 */
typedef struct ct_link_file_opts {
    const char *map;         /* "src=dst,..." renames header columns */
    const char *compare;     /* "col[:method],..."; method name|date|text|lev|exact|codes */
    const char *date_format; /* e.g. "YYYYMMDD", "DD/MM/YYYY"; NULL: ISO 8601, partial ok */
    char sep;                /* 0 means ',' */
} ct_link_file_opts;

typedef struct ct_link_input {
    const char *name; /* shown in messages (a path) */
    FILE *f;          /* read from f, or from mem when f is NULL */
    const char *mem;
    size_t len;
} ct_link_input;

/* Receives each problem of an input as "FILE:LINE: column: reason". */
typedef void (*ct_link_report_fn)(void *ctx, const char *msg);

/*
 * Reads the inputs (input i gets source i) into a new store. Columns are the
 * union of the known columns present in any input, then the `compare` ones.
 * Every invalid record is reported; any -> CT_EINVAL and nothing returned.
 * Bad options or headers -> CT_EUSAGE or CT_EINVAL with the message in err.
 * Returns 0, CT_EUSAGE, CT_EINVAL, CT_EIO, CT_ENOMEM.
 */
int ct_link_load(const ct_link_input *in, size_t nin, const ct_link_file_opts *o,
                 ct_link_report_fn report, void *ctx, ct_link_data **out, ct_err *err);

/* ---------------------------------------------------------------- running */

enum ct_link_mode {
    CT_LINK_DEDUPE,      /* all pairs of records */
    CT_LINK_LINK,        /* pairs with one record of source 0 and one of 1 */
    CT_LINK_INCREMENTAL, /* pairs with at least one record of source 1 */
};

typedef struct ct_link_opts {
    enum ct_link_mode mode;
    double threshold; /* keep pairs with probability >= this; 0 means 0.5 */
    int threads;      /* 0 means 2 */
    size_t max_block; /* records per block beyond which it is skipped; 0: 500 */
    unsigned window;  /* sorted-neighbourhood window; 0 means 6 */
    size_t u_pairs;   /* random pairs for u; 0 means 200000 */
    size_t em_pairs;  /* candidate pairs sampled for EM; 0 means 2000000 */
    int em_max_iter;  /* 0 means 100 */
    double em_tol;    /* 0 means 1e-6 */
    uint64_t seed;    /* random pair sampling; 0 means a fixed seed */
} ct_link_opts;

/* One scored pair; a < b are record numbers. */
typedef struct ct_link_pair {
    uint32_t a, b;
    float weight; /* match weight in bits */
    float prob;
} ct_link_pair;

/* What blocking did, for the report. */
typedef struct ct_link_stats {
    size_t records;
    uint64_t candidates;     /* distinct pairs scored */
    uint64_t bound_pairs;    /* pairs of all blocks before removing repeats */
    uint64_t capped_blocks;  /* blocks larger than max_block, skipped */
    uint64_t capped_records; /* records in them */
    unsigned rules_used, rules_dropped;
    double lambda;     /* prior: chance that two records of all pairs match */
    int em_iterations; /* training sessions (blocking rules) that converged */
    size_t patterns;
    double seconds_blocking, seconds_model, seconds_scoring; /* wall time */
} ct_link_stats;

typedef struct ct_link_result ct_link_result;

/*
 * Blocks, fits the model and scores. The result holds the pairs with
 * probability >= opts->threshold, sorted by decreasing probability, and the
 * fitted model. Returns 0, CT_ENORESULT (no candidate pair at all),
 * CT_ENOMEM.
 */
int ct_link_run(const ct_link_data *d, const ct_link_opts *opts, ct_link_result **out, ct_err *err);
void ct_link_result_free(ct_link_result *r);
const ct_link_pair *ct_link_result_pairs(const ct_link_result *r, size_t *n);
const ct_link_stats *ct_link_result_stats(const ct_link_result *r);
/* Appends the pair's explanation "field:level:weight;..." (contracts.md). */
void ct_link_explain(const ct_link_result *r, const ct_link_data *d, uint32_t a, uint32_t b,
                     ct_buf *out);

/* ------------------------------------------------------------- clustering */

/* Connected components of the pairs with prob >= threshold: cluster[i] is
 * the smallest record number of i's component. Returns 0 or CT_ENOMEM. */
int ct_link_components(size_t nrec, const ct_link_pair *pairs, size_t npairs, double threshold,
                       uint32_t *cluster, ct_err *err);
/* One-to-one assignment (greedy by decreasing probability, as anonlink's
 * greedy_solve): keep[i] is set for the pairs kept. pairs must be sorted by
 * decreasing probability. Returns the number kept or CT_ENOMEM. */
long ct_link_one_to_one(size_t nrec, const ct_link_pair *pairs, size_t npairs, double threshold,
                        unsigned char *keep, ct_err *err);

/*
 * Stable clusters for incremental linking. Each record has a cluster id that
 * survives later runs: when clusters merge, the oldest id (smallest) wins;
 * when an edge is removed (a link undone) and a cluster falls apart, the
 * part holding the oldest record keeps the id and the others get new ones.
 * Every change is reported to the callback, which a store uses to persist
 * the merge/split history; the history is also kept in memory.
 */
enum ct_link_event_kind { CT_LINK_EV_NEW, CT_LINK_EV_MERGE, CT_LINK_EV_SPLIT };
typedef struct ct_link_event {
    enum ct_link_event_kind kind;
    uint64_t cluster; /* NEW: the new id; MERGE: the surviving id; SPLIT: the old id */
    uint64_t other;   /* MERGE: the id absorbed; SPLIT: the new id */
    uint32_t record;  /* NEW: its first record; others: a record of `other` */
} ct_link_event;
typedef int (*ct_link_event_cb)(void *ctx, const ct_link_event *ev);

typedef struct ct_link_clusters ct_link_clusters;
ct_link_clusters *ct_link_clusters_new(ct_link_event_cb cb, void *ctx, ct_err *err);
void ct_link_clusters_free(ct_link_clusters *c);
/* Adds records up to nrec (each alone in a new cluster, events NEW). */
int ct_link_clusters_grow(ct_link_clusters *c, size_t nrec, ct_err *err);
/* Links records a and b (merging their clusters). */
int ct_link_clusters_link(ct_link_clusters *c, uint32_t a, uint32_t b, ct_err *err);
/* Removes the link a-b; splits the cluster when it is no longer connected.
 * CT_ENOTFOUND when there is no such link. */
int ct_link_clusters_unlink(ct_link_clusters *c, uint32_t a, uint32_t b, ct_err *err);
uint64_t ct_link_clusters_id(const ct_link_clusters *c, uint32_t rec);
/* The history so far; borrowed until the next change. */
const ct_link_event *ct_link_clusters_history(const ct_link_clusters *c, size_t *n);

/* --------------------------------------------------------- estimation API */

/*
 * EM on agreement-pattern counts (fastLink): patterns[i*nfields + f] is the
 * level of field f in pattern i (0 = disagree ... nlevels[f]-1, or -1 for
 * null), counts[i] its frequency. m and u are nfields x CT_LINK_MAX_LEVELS,
 * row-major, used as starting values and overwritten; lambda likewise.
 * With fix_u the u values are kept. Returns the iterations run (>= 1),
 * CT_EINVAL for bad input, CT_ENOMEM.
 */
#define CT_LINK_MAX_LEVELS 8
typedef struct ct_link_em {
    size_t nfields;
    const int *nlevels;
    double *m, *u, lambda;
    int fix_u, max_iter;
    double tol;
    const unsigned char *fixed_u; /* optional, per field: keep that field's u */
    const unsigned char *skip;    /* optional, per field: not in the likelihood (blocked on) */
    /* optional dependence (depend.c): when cond[f * nfields + g] is set and
     * field f is at its top level, field g's u is ucond[(f * nfields + g) *
     * CT_LINK_MAX_LEVELS + level] (f < g, or f skipped: blocked on) */
    const unsigned char *cond;
    const double *ucond;
} ct_link_em;
int ct_link_em_run(ct_link_em *em, const signed char *patterns, const double *counts,
                   size_t npatterns, ct_err *err);

#endif
