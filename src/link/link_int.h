/*
 * link_int.h - declarations shared by the files of src/link, not public.
 */
#ifndef CT_LINK_LINK_INT_H
#define CT_LINK_LINK_INT_H

#include "link.h"

#include <stdint.h>

/* Embedded data files (cmake/embed.cmake). */
extern const char link_translit_translit_tsv[];
extern const size_t link_translit_translit_tsv_len;
extern const char link_nicknames_nicknames_txt[];
extern const size_t link_nicknames_nicknames_txt_len;

/* 64-bit FNV-1a, then a finaliser (keys of blocks and hash tables). */
static inline uint64_t ct_link_hash(const void *p, size_t n, uint64_t h)
{
    const unsigned char *s = p;
    h ^= 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 0x100000001b3ULL;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

/* splitmix64: the engine's only random source, seeded, so runs repeat. */
static inline uint64_t ct_link_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* ------------------------------------------------------------ data store */

/* A parsed date: y, m, d are 0 when unknown; approx marks "~YYYY". */
typedef struct ct_link_date {
    int16_t y;
    int8_t m, d;
    uint8_t approx;
    char digits[9]; /* the canonical digits as given, for edit distance */
} ct_link_date;

/* One value of one column of one record. */
typedef struct ct_link_val {
    const char *s; /* normalised, NUL-terminated; NULL when missing */
    uint16_t len;
    char dm[5];   /* Double Metaphone primary (names) */
    char dm2[5];  /* alternate */
    uint8_t nick; /* the name is in the nickname list (alias.c) */
    float tf;     /* term frequency of s in its column (names), else 0 */
} ct_link_val;

typedef struct ct_link_col {
    ct_link_column c;
    char name[48];
    ct_link_val *v;     /* one per record */
    ct_link_date *date; /* one per record, CT_LINK_DATE only */
    double u_tf;        /* chance that two random records agree exactly */
} ct_link_col;

struct ct_link_data {
    size_t n, cap, ncols;
    ct_link_col col[16];
    char **id;
    unsigned char *source;
    int given, family, dob; /* column of each role, or -1 */
    /* string arena: normalised values and ids */
    char **chunks;
    size_t nchunks, chunk_used, chunk_cap;
    int tf_done;
};

/* Whether a name appears in the nickname list at all (a fast pre-check). */
int ct_link_alias_known(const char *s, size_t n);
/* Computes the term frequencies (tf, u_tf) of name columns; idempotent. */
int ct_link_data_prepare(ct_link_data *d, ct_err *err);
int ct_link_parse_date(const char *s, ct_link_date *out);

/* -------------------------------------------------------------- compare */

enum { CT_LINK_NULL = -1 };

/* Levels of a method, best last (level 0 = disagree). */
int ct_link_method_levels(enum ct_link_method m);
const char *ct_link_level_name(enum ct_link_method m, int level);
/* Compares column c of records a and b: a level, or CT_LINK_NULL. */
int ct_link_compare(const ct_link_data *d, size_t c, uint32_t a, uint32_t b);
/* All columns, with the given/family swap rule; out[ncols]. */
void ct_link_compare_all(const ct_link_data *d, uint32_t a, uint32_t b, signed char *out);
/* Whether a match at this level mostly shares a blocking key part of kind
 * `part` (enum ct_link_part): the recall of a rule, from m. */
int ct_link_level_shares_key(enum ct_link_method m, int part, int level);
/* Whether the level is "exact" (term-frequency adjustments apply). */
int ct_link_level_is_exact(enum ct_link_method m, int level);

/* -------------------------------------------------------------- blocking */

typedef struct ct_link_blocking ct_link_blocking;
/* Called for each distinct candidate pair (a < b) from one thread; returns
 * nonzero to stop. */
typedef int (*ct_link_pair_fn)(void *ctx, uint32_t a, uint32_t b);

ct_link_blocking *ct_link_blocking_new(const ct_link_data *d, const ct_link_opts *o,
                                       ct_link_stats *st, ct_err *err);
void ct_link_blocking_free(ct_link_blocking *b);
/* Number of work units; units may be run from different threads. */
size_t ct_link_blocking_units(const ct_link_blocking *b);
/* Blocking rules double as EM training sessions (fs.c). */
#define CT_LINK_MAX_RULES 48
#define CT_LINK_MAX_PARTS 3
enum ct_link_part { P_NONE, P_VALUE, P_DM, P_YEAR, P_FULLDATE, P_SORTED_NAMES };
size_t ct_link_blocking_nrules(const ct_link_blocking *b);
/* Parts of rule r: kind[i] (enum ct_link_part) on column col[i]. */
size_t ct_link_blocking_rule_parts(const ct_link_blocking *b, size_t r, int *kind, int *col);
/* Pairs in the blocks of rule r (before the mode filter). */
uint64_t ct_link_blocking_rule_pairs(const ct_link_blocking *b, size_t r);
size_t ct_link_blocking_slices(void);
/* Every pair of the blocks of rule unit / slices (slice unit % slices), even
 * those an earlier rule gives: a training session sees the whole rule. */
int ct_link_blocking_run_raw(const ct_link_blocking *b, size_t unit, ct_link_pair_fn fn, void *ctx);
int ct_link_blocking_run(const ct_link_blocking *b, size_t unit, ct_link_pair_fn fn, void *ctx);
/* Whether a pair passes the mode's source filter. */
int ct_link_pair_wanted(const ct_link_data *d, enum ct_link_mode mode, uint32_t a, uint32_t b);

#endif

/* ----------------------------------------------------------------- model */

typedef struct ct_link_model {
    const ct_link_data *data;
    size_t ncols;
    int nlev[16];
    enum ct_link_method method[16];
    double m[16][CT_LINK_MAX_LEVELS], u[16][CT_LINK_MAX_LEVELS];
    double u_rand[16][CT_LINK_MAX_LEVELS]; /* from random pairs */
    double w[16][CT_LINK_MAX_LEVELS];      /* log2(m/u) */
    double u_tf[16];                       /* for term-frequency adjustments */
    double lambda, prior;                  /* prior = log2(lambda/(1-lambda)) */
    /* dependence (depend.c): cond[a][b] when b's u differs given a exact */
    unsigned char cond[16][16];
    double u_cond[16][16][CT_LINK_MAX_LEVELS]; /* u of b given a exact */
    double wc[16][16][CT_LINK_MAX_LEVELS];     /* log2(m / u_cond) */
    int sessions;                              /* training sessions that converged */
    int iterations;
} ct_link_model;

/* u from random pairs (respecting the mode), and starting m. */
int ct_link_model_init(ct_link_model *mo, const ct_link_data *d, const ct_link_opts *o,
                       ct_err *err);
/* One training session: the sampled patterns of one blocking rule. */
typedef struct ct_link_session {
    const uint64_t *keys; /* packed patterns (ct_link_pattern_key) */
    const double *counts;
    size_t n;
    double sampled; /* pairs compared (sum of counts) */
    double pairs;   /* wanted pairs in the rule's blocks */
    int nparts, kind[CT_LINK_MAX_PARTS], col[CT_LINK_MAX_PARTS];
} ct_link_session;
/* m from the sessions, lambda over all pairs (npairs_all), weights. */
int ct_link_model_fit(ct_link_model *mo, const ct_link_session *s, size_t ns, double npairs_all,
                      const ct_link_opts *o, ct_err *err);
/* Match weight of a compared pair (levels from ct_link_compare_all). */
double ct_link_model_weight(const ct_link_model *mo, const ct_link_data *d, uint32_t a, uint32_t b,
                            const signed char *lev);
/* The weight column c contributes (term-frequency adjustment and
 * dependence included); lev is the pair's pattern. */
double ct_link_model_col_weight(const ct_link_model *mo, const ct_link_data *d, size_t c,
                                uint32_t a, uint32_t b, const signed char *lev);
/* Conditional u of dependent columns (depend.c). */
int ct_link_model_dependence(ct_link_model *mo, const ct_link_data *d, const ct_link_opts *o,
                             ct_err *err);

/* Levels packed 4 bits per column (level + 1; 0 = null). */
static inline uint64_t ct_link_pattern_key(const signed char *lev, size_t ncols)
{
    uint64_t k = 0;
    for (size_t c = 0; c < ncols; c++)
        k |= (uint64_t)(lev[c] + 1) << (4 * c);
    return k;
}
