/*
 * io.h - case files in and out: ctip's JSON lines and flat CSV, and the two
 * CTDC dialects (domain.md §3), recognised from their header.
 *
 * Reading yields one case at a time with the line it started on and its raw
 * bytes, so an importer can name every problem as FILE:LINE: field: reason
 * and copy a rejected record unchanged into a rejects file.
 */
#ifndef CT_IO_IO_H
#define CT_IO_IO_H

#include "core/buf.h"
#include "core/case_json.h"
#include "core/err.h"
#include "core/model.h"
#include "core/problems.h"
#include "store/store.h"

#include <stdio.h>

typedef enum ct_io_format {
    CT_FMT_AUTO,
    CT_FMT_JSONL,          /* one case per line, contracts.md */
    CT_FMT_CSV,            /* ctip's flat CSV: one row per victim */
    CT_FMT_CTDC_GLOBAL,    /* CTDC global dataset 2017-2020, 63 variables */
    CT_FMT_CTDC_SYNTHETIC, /* CTDC synthetic dataset 2021-2025, 27 variables */
} ct_io_format;

const char *ct_io_format_name(ct_io_format f);

typedef struct ct_io_reader ct_io_reader;

typedef struct ct_io_record {
    long line;       /* physical line where the record starts */
    ct_buf raw;      /* the record's bytes as read, its rows one after the other */
    size_t nrows;    /* rows (CSV) or lines (JSON) in the record */
    size_t *row_len; /* byte length of each row in raw */
    size_t row_cap;
    char import_key[48]; /* content key when the record has no id or source_id */
} ct_io_record;

void ct_io_record_init(ct_io_record *r);
void ct_io_record_release(ct_io_record *r);

/* Opens path ("-" is standard input). With CT_FMT_AUTO the format comes from
 * the extension (.jsonl/.json: JSON lines) and, for CSV, from the header. */
int ct_io_open(const char *path, ct_io_format fmt, const ct_case_read_opts *opts,
               ct_io_reader **out, ct_err *err);
/* The same on an open stream (borrowed; not closed), e.g. for fuzzing. */
int ct_io_open_stream(FILE *f, ct_io_format fmt, const ct_case_read_opts *opts, ct_io_reader **out,
                      ct_err *err);
void ct_io_close(ct_io_reader *r);
ct_io_format ct_io_reader_format(const ct_io_reader *r);

/*
 * Reads the next record into c (reset by the caller) and rec. Returns 1, 0
 * at the end, CT_EINVAL when the record is invalid (its problems are in pr;
 * reading goes on), or CT_EIO/CT_ENOMEM (reading cannot go on, err says why).
 */
int ct_io_next(ct_io_reader *r, ct_case *c, ct_io_record *rec, ct_problems *pr, ct_err *err);

/*
 * Values a reader could not carry into ctip's model, per input column
 * (CTDC dialects; docs/import.md lists them): no_field counts the values of
 * a column ctip has no field for, no_code those with no equivalent code
 * (counted as unknown), extra those beyond the one value a one-valued field
 * keeps. Counted over the valid records read so far.
 */
#define CT_IO_UNMAPPED_MAX 64 /* columns of the largest mapping table (CTDC global: 63) */
typedef struct ct_io_unmapped {
    const char *column;
    long no_field, no_code, extra;
} ct_io_unmapped;
/* Every column of the dialect's mapping table, counts included (zero for
 * most); *out points into the reader and is valid until ct_io_close.
 * Returns 0 (and *out NULL) for formats that carry every value. */
size_t ct_io_reader_unmapped(const ct_io_reader *r, const ct_io_unmapped **out);

/* Writes the rejects file's header (CSV: the input header plus
 * ctip_error); call once before the first reject. */
int ct_io_write_rejects_header(ct_io_reader *r, FILE *out);
/* Writes a rejected record unchanged, with the reason (CSV: an extra last
 * column ctip_error on each row; JSON: an "_error" member). */
int ct_io_write_reject(ct_io_reader *r, FILE *out, const ct_io_record *rec, const char *reason);

/* ---- import ------------------------------------------------------------ */

typedef struct ct_import_opts {
    const char *path;
    ct_io_format format;
    const char *agency;       /* owner of records that name none (default: home agency) */
    int skip_invalid;         /* import the valid records, reject the others */
    const char *rejects_path; /* default: input name with .rejects before its extension */
    int create_agencies;      /* create agencies the file names but the database lacks */
    int dry_run;              /* validate only (ctip validate) */
    /* Called for each problem; file, line, field, reason. */
    void (*report)(void *arg, const char *file, long line, const char *field, const char *msg);
    void *report_arg;
} ct_import_opts;

typedef struct ct_import_stats {
    long records, inserted, updated, unchanged, rejected, problems;
    char rejects_path[4096];
    /* The columns with values not carried into ctip (CTDC files), once the
     * records are in (or checked, for a dry run); column names are static. */
    ct_io_unmapped unmapped[CT_IO_UNMAPPED_MAX];
    size_t nunmapped;
} ct_import_stats;

/*
 * Imports a case file in one transaction: all or nothing by default
 * (CT_EINVAL when any record is invalid: nothing is written), or with
 * skip_invalid every valid record and the invalid ones in the rejects file
 * (CT_EREJECTED when any was rejected). store may be NULL with dry_run.
 */
int ct_import_run(ct_store *store, const ct_import_opts *opts, ct_import_stats *stats, ct_err *err);
/* The default rejects path for an input path. */
void ct_import_rejects_path(const char *input, char *out, size_t n);

/* ---- export ------------------------------------------------------------ */

typedef struct ct_export_opts {
    ct_io_format format; /* CT_FMT_JSONL or CT_FMT_CSV */
    const char *agency;  /* only this agency's cases, or NULL */
} ct_export_opts;

/* Writes every case to out; *count receives the number of cases written. */
int ct_export_run(ct_store *store, const ct_export_opts *opts, FILE *out, long *count, ct_err *err);

#endif
