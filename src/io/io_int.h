/* io_int.h - what the format readers of src/io share. */
#ifndef CT_IO_IO_INT_H
#define CT_IO_IO_INT_H

#include "io.h"

#include "core/csv.h"

#include <sodium.h>

/* Counts identical records, so that two identical rows are two victims
 * (contracts.md): the key is the content hash plus the occurrence number. */
typedef struct ct_occurrences ct_occurrences;
ct_occurrences *ct_occurrences_new(void);
void ct_occurrences_free(ct_occurrences *o);
/* Writes "<hex of hash>:<n>" where n counts earlier identical contents. */
int ct_occurrences_key(ct_occurrences *o, const unsigned char hash[16], char out[48]);

/* The columns of ctip's flat CSV, in the order export writes them. */
typedef struct ct_io_flat_col {
    const char *name;
    int person; /* a person column (else a case column) */
    const char *path;
} ct_io_flat_col;
extern const ct_io_flat_col ct_io_flat_cols[];
extern const size_t ct_io_flat_ncols;

/* Appends one raw row to the record. */
int ct_io_record_add_row(ct_io_record *r, const char *raw, size_t n);

typedef struct ct_io_format_ops {
    /* Reads the next record; same contract as ct_io_next. */
    int (*next)(ct_io_reader *r, ct_case *c, ct_io_record *rec, ct_problems *pr, ct_err *err);
    int (*rejects_header)(ct_io_reader *r, FILE *out);
    int (*reject)(ct_io_reader *r, FILE *out, const ct_io_record *rec, const char *reason);
    void (*release)(ct_io_reader *r);
} ct_io_format_ops;

struct ct_io_reader {
    const ct_io_format_ops *ops;
    ct_io_format format;
    FILE *f;
    int close_f;
    const ct_case_read_opts *opts;
    ct_occurrences *seen;
    /* JSON lines */
    char *line;
    size_t line_cap;
    long lineno;
    /* CSV dialects */
    ct_csv *csv;
    ct_csv_record row; /* the row read ahead, valid when have_row */
    int have_row;      /* 1 row pending, CT_EINVAL bad row pending, 0 none */
    ct_err row_err;
    size_t ncols;
    int *col_field; /* per column: index in the dialect's column table, -1 unused */
    long error_col; /* index of a ctip_error column, -1 */
    ct_buf header_raw;
    void *dialect; /* dialect-specific state */
};

extern const ct_io_format_ops ct_io_jsonl_ops, ct_io_csv_ops, ct_io_ctdc_ops;

/* Opens the CSV dialect reader on r->f: reads the header and picks the
 * dialect (flat or CTDC) unless r->format already says. */
int ct_io_csv_open(ct_io_reader *r, ct_err *err);
/* Sets up the CTDC dialect (ctdc.c) from the header row h. */
int ct_io_ctdc_open(ct_io_reader *r, const ct_csv_record *h, ct_err *err);

/* ---- what the CSV dialects (flat and CTDC) share, flat_csv.c ---------- */

/* Rebuilds r->header_raw without the ctip_error column, when there is one. */
void ct_io_csv_header_raw(ct_io_reader *r, const ct_csv_record *h);
/* Appends the row as read to rec; a row of a corrected rejects file loses
 * only its old ctip_error cell (rebuilt from the fields, same values). */
int ct_io_csv_add_raw(ct_io_reader *r, ct_io_record *rec, const ct_csv_record *row);
/* The rejects file of a CSV dialect: the input header plus ctip_error, then
 * each row of a rejected record unchanged with the reason as its last
 * column (a corrected rejects file imports as it is: ctip_error is
 * ignored). */
int ct_io_csv_rejects_header(ct_io_reader *r, FILE *out);
int ct_io_csv_reject(ct_io_reader *r, FILE *out, const ct_io_record *rec, const char *reason);

/* ---- the CTDC mapping tables (ctdc.c; docs/import.md shows them) ------- */

/* What a CTDC column says and where it goes. */
enum ct_ctdc_kind {
    CT_CTDC_YEAR,        /* yearOfRegistration: the year of dates.identification */
    CT_CTDC_SEX,         /* gender: persons[0].sex (sexes, attribute ctdc|ctdc_synthetic) */
    CT_CTDC_AGE_BAND,    /* ageBroad: persons[0].age_band (age_bands, ctdc|ctdc_alt) */
    CT_CTDC_MAJORITY,    /* majorityStatus: age_band 0-17 or 18+ when ageBroad is missing */
    CT_CTDC_CITIZENSHIP, /* citizenship: persons[0].citizenship (alpha-2 or alpha-3) */
    CT_CTDC_COUNTRY_EXPLOITATION, /* CountryOfExploitation: countries.exploitation */
    CT_CTDC_FLAG,                 /* 1 adds `code` (and `also`) to the list `target` */
    CT_CTDC_FLAG_ONE,             /* 1 sets the one-valued `target` to `code`; the first 1 wins */
    CT_CTDC_FLAG_IF_UNSET,        /* 1 sets `target` to `code` when no other flag did */
    CT_CTDC_FLAG_NO_CODE,         /* 1 has no equivalent code: counted as unknown */
    CT_CTDC_FLAG_MISSING,         /* *NotSpecified: 1 says the group is unknown; nothing to set */
    CT_CTDC_FLAG_NO_FIELD,        /* typeOfSex*: checked; ctip has no field; 1s are counted */
    CT_CTDC_NO_FIELD,             /* text ctip has no field for; values are counted */
    CT_CTDC_DERIVED,              /* *Concatenated, RecruiterRelationship: repeat the flags */
};

enum ct_ctdc_target {
    CT_CTDC_T_NONE,
    CT_CTDC_T_MEANS_OF_CONTROL, /* means_of_control */
    CT_CTDC_T_PURPOSES,         /* purposes */
    CT_CTDC_T_MEANS,            /* means (Protocol art. 3) */
    CT_CTDC_T_LABOUR_SECTOR,    /* labour_sector */
    CT_CTDC_T_RECRUITER,        /* recruiter_relation */
};

typedef struct ct_ctdc_col {
    const char *name; /* CTDC variable, matched without regard to case */
    enum ct_ctdc_kind kind;
    enum ct_ctdc_target target;
    const char *code; /* the ctip code a flag of 1 stands for */
    const char *also; /* a second code (isSexAndLabour), or NULL */
    int form;         /* a form of exploitation of its own (for main_purpose) */
} ct_ctdc_col;

/* The mapping table of a dialect (CT_FMT_CTDC_GLOBAL or _SYNTHETIC), in the
 * order of CTDC's files; NULL for other formats. */
const ct_ctdc_col *ct_io_ctdc_table(ct_io_format dialect, size_t *n);

/* Hashes fields (NUL-separated) for the import key. */
void ct_io_hash_fields(const ct_csv_record *row, long skip_col, unsigned char out[16]);

#endif
