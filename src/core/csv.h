/*
 * csv.h - a streaming RFC 4180 reader for every CSV ctip reads (cases,
 * registries, capture histories, linkage lists).
 *
 * It accepts a UTF-8 byte-order mark, CRLF or LF line ends, quoted fields
 * with embedded separators, quotes ("") and newlines, and an optional space
 * after each separator (FEBRL's ", "). Blank lines are skipped. Every field
 * is checked to be valid UTF-8 and no longer than the configured limits.
 *
 * Line numbers are physical lines of the input, the first line being 1; a
 * record spanning lines carries the number of its first line
 * (contracts.md, "Import behaviour").
 */
#ifndef CT_CORE_CSV_H
#define CT_CORE_CSV_H

#include "err.h"

#include <stdio.h>

typedef struct ct_csv ct_csv;

typedef struct ct_csv_opts {
    char sep;                /* field separator; 0 means ',' */
    int skip_initial_space;  /* ignore spaces right after a separator */
    size_t max_field_bytes;  /* 0 means 65536 */
    size_t max_fields;       /* 0 means 4096 */
    size_t max_record_bytes; /* 0 means 1 MiB */
} ct_csv_opts;

typedef struct ct_csv_record {
    size_t n;        /* number of fields */
    char **field;    /* NUL-terminated; valid until the next call */
    size_t *len;     /* byte length of each field */
    long line;       /* physical line where the record starts */
    const char *raw; /* the record's bytes as read, without its line end */
    size_t raw_len;
    long bad_field; /* on CT_EINVAL: index of the field at fault, or -1 */
} ct_csv_record;

/* Reads from f (borrowed, not closed). Returns NULL on out of memory. */
ct_csv *ct_csv_open(FILE *f, const ct_csv_opts *opts, ct_err *err);
/* Reads from memory (borrowed; must outlive the reader). */
ct_csv *ct_csv_open_mem(const char *data, size_t len, const ct_csv_opts *opts, ct_err *err);
void ct_csv_close(ct_csv *c);

/*
 * Reads the next record into rec. Returns 1 when a record was read, 0 at
 * the end of the input, CT_EINVAL for a malformed record (err holds the
 * reason, rec its line, raw bytes and the field at fault; reading can go on
 * with the next record), CT_EIO or CT_ENOMEM (reading cannot go on).
 */
int ct_csv_next(ct_csv *c, ct_csv_record *rec, ct_err *err);

/* Writes one field, quoted when it holds sep, a quote, CR or LF. */
void ct_csv_write_field(FILE *f, const char *s, char sep);
struct ct_buf;
void ct_csv_buf_field(struct ct_buf *b, const char *s, size_t n, char sep);

#endif
