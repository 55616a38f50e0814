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

/* Hashes fields (NUL-separated) for the import key. */
void ct_io_hash_fields(const ct_csv_record *row, long skip_col, unsigned char out[16]);

#endif
