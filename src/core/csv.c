#include "csv.h"

#include "alloc.h"
#include "buf.h"
#include "i18n.h"
#include "utf8.h"

#include <errno.h>
#include <string.h>

enum { READ_CHUNK = 1 << 16 };

struct ct_csv {
    ct_csv_opts opt;
    FILE *f;
    const char *mem; /* memory input, or NULL */
    size_t mem_len;
    char *chunk;     /* file input buffer */
    size_t pos, end; /* unread bytes are chunk[pos..end) or mem[pos..end) */
    int eof;
    int started; /* BOM check done */
    long line;   /* physical line of the next unread byte */
    ct_buf raw;  /* the current record's bytes */
    ct_buf data; /* field bytes, NUL-separated */
    size_t *off; /* start of each field in data */
    size_t *len;
    char **field;
    size_t nfields, cap;
    /* the first problem found in the current record */
    const char *problem;
    long bad_field;
};

static ct_csv *csv_new(const ct_csv_opts *opts, ct_err *err)
{
    ct_csv *c = ct_calloc(1, sizeof(*c));
    if (!c) {
        ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
        return NULL;
    }
    if (opts)
        c->opt = *opts;
    if (!c->opt.sep)
        c->opt.sep = ',';
    if (!c->opt.max_field_bytes)
        c->opt.max_field_bytes = 65536;
    if (!c->opt.max_fields)
        c->opt.max_fields = 4096;
    if (!c->opt.max_record_bytes)
        c->opt.max_record_bytes = 1 << 20;
    c->line = 1;
    ct_buf_init(&c->raw);
    ct_buf_init(&c->data);
    return c;
}

ct_csv *ct_csv_open(FILE *f, const ct_csv_opts *opts, ct_err *err)
{
    ct_csv *c = csv_new(opts, err);
    if (!c)
        return NULL;
    c->f = f;
    c->chunk = ct_malloc(READ_CHUNK);
    if (!c->chunk) {
        ct_csv_close(c);
        ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
        return NULL;
    }
    return c;
}

ct_csv *ct_csv_open_mem(const char *data, size_t len, const ct_csv_opts *opts, ct_err *err)
{
    ct_csv *c = csv_new(opts, err);
    if (!c)
        return NULL;
    c->mem = data;
    c->mem_len = len;
    c->end = len;
    c->eof = 1;
    return c;
}

void ct_csv_close(ct_csv *c)
{
    if (!c)
        return;
    ct_buf_release(&c->raw);
    ct_buf_release(&c->data);
    ct_free(c->chunk);
    ct_free(c->off);
    ct_free(c->len);
    ct_free(c->field);
    ct_free(c);
}

/* Makes at least one unread byte available; 0 at end of input, <0 on error. */
static int fill(ct_csv *c, ct_err *err)
{
    if (c->pos < c->end)
        return 1;
    if (c->mem || c->eof)
        return 0;
    size_t n = fread(c->chunk, 1, READ_CHUNK, c->f);
    if (n == 0) {
        if (ferror(c->f))
            return ct_err_set(err, CT_EIO, _("cannot read input: %s"), strerror(errno));
        c->eof = 1;
        return 0;
    }
    c->pos = 0;
    c->end = n;
    return 1;
}

static const char *buffer(const ct_csv *c)
{
    return c->mem ? c->mem : c->chunk;
}

/* Returns the next byte (0..255), -1 at end of input, or <-1 on error. */
static int peek(ct_csv *c, ct_err *err)
{
    int r = fill(c, err);
    if (r < 0)
        return r - 1000;
    if (r == 0)
        return -1;
    return (unsigned char)buffer(c)[c->pos];
}

static void skip_bom(ct_csv *c, ct_err *err)
{
    static const char bom[3] = "\xEF\xBB\xBF";
    c->started = 1;
    if (peek(c, err) != (unsigned char)bom[0])
        return;
    /* Only whole BOMs are skipped: a stray 0xEF is data, and invalid. */
    const char *b = buffer(c) + c->pos;
    if (c->end - c->pos >= 3 && memcmp(b, bom, 3) == 0)
        c->pos += 3;
}

static void flag(ct_csv *c, const char *problem)
{
    if (!c->problem) {
        c->problem = problem;
        c->bad_field = (long)c->nfields;
    }
}

static int record_too_long(ct_csv *c)
{
    if (c->raw.len <= c->opt.max_record_bytes)
        return 0;
    flag(c, N_("record too long"));
    return 1;
}

/* Appends bytes read from the input to the record's raw copy and, when
 * keep, to the current field. */
static void consume(ct_csv *c, size_t n, int keep)
{
    const char *p = buffer(c) + c->pos;
    if (!record_too_long(c)) {
        ct_buf_add(&c->raw, p, n);
        if (keep && !c->problem) {
            size_t field_len = c->data.len - c->off[c->nfields];
            if (field_len + n > c->opt.max_field_bytes)
                flag(c, N_("field too long"));
            else
                ct_buf_add(&c->data, p, n);
        }
    }
    for (size_t i = 0; i < n; i++)
        if (p[i] == '\n')
            c->line++;
    c->pos += n;
}

static int begin_field(ct_csv *c)
{
    if (c->nfields >= c->opt.max_fields) {
        flag(c, N_("too many fields"));
        return 0;
    }
    size_t cap = c->cap;
    size_t need = c->nfields + 2;
    if (need > cap) {
        size_t *off = ct_grow(c->off, sizeof(*off), need, &cap);
        if (!off)
            return CT_ENOMEM;
        c->off = off;
        cap = c->cap;
        size_t *len = ct_grow(c->len, sizeof(*len), need, &cap);
        if (!len)
            return CT_ENOMEM;
        c->len = len;
        cap = c->cap;
        char **field = ct_grow(c->field, sizeof(*field), need, &cap);
        if (!field)
            return CT_ENOMEM;
        c->field = field;
        c->cap = cap;
    }
    c->off[c->nfields] = c->data.len;
    return 0;
}

static void end_field(ct_csv *c)
{
    if (c->nfields >= c->opt.max_fields)
        return;
    c->len[c->nfields] = c->data.len - c->off[c->nfields];
    ct_buf_addc(&c->data, '\0');
    c->nfields++;
}

/* Length of the run of plain bytes at the read position: up to the next
 * byte in stop (and at most the buffered bytes). */
static size_t plain_run(const ct_csv *c, char a, char b, char d)
{
    const char *p = buffer(c) + c->pos;
    size_t n = c->end - c->pos, i = 0;
    while (i < n && p[i] != a && p[i] != b && p[i] != d)
        i++;
    return i;
}

/* Consumes one line end (LF, CRLF or a lone CR) outside the record's raw. */
static void skip_line_end(ct_csv *c, ct_err *err)
{
    int ch = peek(c, err);
    if (ch == '\r') {
        c->pos++;
        if (peek(c, err) == '\n')
            c->pos++;
        c->line++;
    } else if (ch == '\n') {
        c->pos++;
        c->line++;
    }
}

enum state { FIELD_START, UNQUOTED, QUOTED, AFTER_QUOTE };

/* Runs the state machine over one record. Returns 0, or <0 on I/O or
 * memory errors (the record's own problems are flagged, not returned). */
static int scan_record(ct_csv *c, ct_err *err)
{
    const char sep = c->opt.sep;
    enum state st = FIELD_START;
    int r = begin_field(c);
    if (r)
        return r;
    for (;;) {
        int ch = peek(c, err);
        if (ch < -1)
            return CT_EIO;
        switch (st) {
        case FIELD_START:
            if (ch == ' ' && c->opt.skip_initial_space && c->nfields > 0) {
                consume(c, 1, 0);
            } else if (ch == '"') {
                consume(c, 1, 0);
                st = QUOTED;
            } else {
                st = UNQUOTED;
            }
            break;
        case UNQUOTED:
            if (ch == -1 || ch == '\n' || ch == '\r') {
                end_field(c);
                return 0;
            }
            if (ch == sep) {
                consume(c, 1, 0);
                end_field(c);
                if ((r = begin_field(c)))
                    return r;
                st = FIELD_START;
            } else {
                consume(c, plain_run(c, sep, '\n', '\r'), 1);
            }
            break;
        case QUOTED:
            if (ch == -1) {
                flag(c, N_("quoted field not closed before the end of the file"));
                end_field(c);
                return 0;
            }
            if (ch == '"') {
                consume(c, 1, 0);
                st = AFTER_QUOTE;
            } else {
                size_t n = plain_run(c, '"', '"', '"');
                consume(c, n ? n : 1, 1);
            }
            break;
        case AFTER_QUOTE:
            if (ch == '"') {
                consume(c, 1, 1);
                st = QUOTED;
            } else if (ch == sep) {
                consume(c, 1, 0);
                end_field(c);
                if ((r = begin_field(c)))
                    return r;
                st = FIELD_START;
            } else if (ch == -1 || ch == '\n' || ch == '\r') {
                end_field(c);
                return 0;
            } else {
                flag(c, N_("unexpected character after a closing quote"));
                consume(c, 1, 0);
                st = UNQUOTED;
            }
            break;
        }
    }
}

static void check_fields(ct_csv *c)
{
    for (size_t i = 0; i < c->nfields && !c->problem; i++) {
        const char *s = c->data.buf + c->off[i];
        if (memchr(s, '\0', c->len[i])) {
            c->problem = N_("NUL byte in field");
            c->bad_field = (long)i;
        } else if (ct_utf8_invalid_at(s, c->len[i]) != c->len[i]) {
            c->problem = N_("invalid UTF-8");
            c->bad_field = (long)i;
        }
    }
}

static void skip_blank_lines(ct_csv *c, ct_err *err)
{
    for (;;) {
        int ch = peek(c, err);
        if (ch != '\n' && ch != '\r')
            return;
        skip_line_end(c, err);
    }
}

int ct_csv_next(ct_csv *c, ct_csv_record *rec, ct_err *err)
{
    if (!c->started)
        skip_bom(c, err);
    skip_blank_lines(c, err);
    int ch = peek(c, err);
    if (ch < -1)
        return CT_EIO;
    if (ch == -1)
        return 0;

    ct_buf_reset(&c->raw);
    ct_buf_reset(&c->data);
    c->nfields = 0;
    c->problem = NULL;
    c->bad_field = -1;
    long line = c->line;
    int r = scan_record(c, err);
    if (r == CT_ENOMEM || c->raw.oom || c->data.oom)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    if (r)
        return r;
    skip_line_end(c, err);
    check_fields(c);

    for (size_t i = 0; i < c->nfields; i++)
        c->field[i] = c->data.buf + c->off[i];
    rec->n = c->nfields;
    rec->field = c->field;
    rec->len = c->len;
    rec->line = line;
    rec->raw = c->raw.buf;
    rec->raw_len = c->raw.len;
    rec->bad_field = c->bad_field;
    if (c->problem)
        return ct_err_set(err, CT_EINVAL, "%s", _(c->problem));
    return 1;
}

void ct_csv_buf_field(ct_buf *b, const char *s, size_t n, char sep)
{
    int quote = 0;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == sep || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!quote) {
        ct_buf_add(b, s, n);
        return;
    }
    ct_buf_addc(b, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            ct_buf_addc(b, '"');
        ct_buf_addc(b, s[i]);
    }
    ct_buf_addc(b, '"');
}

void ct_csv_write_field(FILE *f, const char *s, char sep)
{
    ct_buf b = CT_BUF_INIT;
    ct_csv_buf_field(&b, s, strlen(s), sep);
    fwrite(b.buf, 1, b.len, f);
    ct_buf_release(&b);
}
