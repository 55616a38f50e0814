/*
 * reader.c - registry files: CSV with a header naming the kind's fields, or
 * JSON lines with one record object per line (docs/registries.md).
 *
 * Every problem is recorded against the field (the CSV column) at fault,
 * with the line where the record starts; the record's bytes as read are
 * kept so an importer can copy a rejected record unchanged into a rejects
 * file (contracts.md "Import behaviour"). A column or member ctip_error /
 * _error (a corrected rejects file) is ignored.
 */
#include "registry.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/i18n.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { MAX_LINE = 1 << 20 }; /* a JSON line; a registry record is small */

/* Occurrences of identical contents, for the import key. */
typedef struct occ {
    unsigned char (*hash)[16];
    long *count;
    size_t cap, used;
} occ;

struct ct_reg_reader {
    const char *name;
    enum ct_reg_kind kind;
    enum ct_reg_format format;
    const ct_case_read_opts *opts;
    FILE *f;
    int close_f;
    occ seen;
    /* CSV */
    ct_csv *csv;
    ct_csv_record row;
    size_t ncols;
    const ct_field **col_field; /* per column; NULL for ctip_error */
    long error_col;
    ct_buf header; /* the header as written to a rejects file (without ctip_error) */
    /* the record read last */
    ct_buf raw;
    ct_buf fields; /* CSV: the fields without ctip_error, re-encoded, when error_col >= 0 */
    /* JSON lines */
    char *line;
    size_t line_cap;
    long lineno;
};

/* ---- occurrences --------------------------------------------------------------- */

static size_t occ_slot(const occ *o, const unsigned char h[16])
{
    size_t i;
    memcpy(&i, h, sizeof(i));
    for (i &= o->cap - 1; o->count[i] && memcmp(o->hash[i], h, 16); i = (i + 1) & (o->cap - 1))
        ;
    return i;
}

static int occ_grow(occ *o)
{
    occ n = {0};
    n.cap = o->cap ? o->cap * 2 : 256;
    n.hash = ct_calloc(n.cap, 16);
    n.count = ct_calloc(n.cap, sizeof(long));
    if (!n.hash || !n.count) {
        ct_free(n.hash);
        ct_free(n.count);
        return CT_ENOMEM;
    }
    for (size_t i = 0; i < o->cap; i++)
        if (o->count[i]) {
            size_t k = occ_slot(&n, o->hash[i]);
            memcpy(n.hash[k], o->hash[i], 16);
            n.count[k] = o->count[i];
        }
    n.used = o->used;
    ct_free(o->hash);
    ct_free(o->count);
    *o = n;
    return 0;
}

static int occ_key(occ *o, const unsigned char h[16], char out[48])
{
    if ((o->used + 1) * 2 > o->cap && occ_grow(o))
        return CT_ENOMEM;
    size_t k = occ_slot(o, h);
    if (!o->count[k]) {
        memcpy(o->hash[k], h, 16);
        o->used++;
    }
    o->count[k]++;
    char hex[33];
    sodium_bin2hex(hex, sizeof(hex), h, 16);
    snprintf(out, 48, "%s:%ld", hex, o->count[k]);
    return 0;
}

/* ---- opening --------------------------------------------------------------------- */

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static int header_problem(ct_reg_reader *rd, const char *col, const char *why, ct_err *err)
{
    char shown[61];
    snprintf(shown, sizeof(shown), "%s", col);
    for (char *p = shown; *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = '?';
    return ct_err_set_field(err, CT_EINVAL, shown, "%s:1: %s: %s", rd->name, shown, why);
}

static int read_header(ct_reg_reader *rd, ct_err *err)
{
    ct_err e = CT_ERR_INIT;
    int rc = ct_csv_next(rd->csv, &rd->row, &e);
    if (rc == 0)
        return ct_err_set(err, CT_EINVAL, _("%s: the file is empty (a header is needed)"),
                          rd->name);
    if (rc < 0)
        return ct_err_set(err, rc == CT_EINVAL ? CT_EINVAL : rc, "%s:%ld: %s", rd->name,
                          rd->row.line > 0 ? rd->row.line : 1, e.msg);
    const ct_field_table *t = ct_reg_table(rd->kind);
    rd->ncols = rd->row.n;
    rd->col_field = ct_calloc(rd->ncols, sizeof(*rd->col_field));
    if (!rd->col_field)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    int known = 0;
    for (size_t i = 0; i < rd->ncols; i++) {
        const char *name = rd->row.field[i];
        if (strcmp(name, "ctip_error") == 0) {
            rd->error_col = (long)i;
            continue;
        }
        const ct_field *f = ct_field_find(t, name);
        if (!f)
            return header_problem(rd, name,
                                  _("unknown column (docs/registries.md lists the columns)"), err);
        for (size_t k = 0; k < i; k++)
            if (rd->col_field[k] == f)
                return header_problem(rd, name, _("the column appears twice"), err);
        rd->col_field[i] = f;
        known += !(f->flags & CT_FIELD_READ_ONLY);
        if (rd->header.len)
            ct_buf_addc(&rd->header, ',');
        ct_csv_buf_field(&rd->header, name, rd->row.len[i], ',');
    }
    if (!known)
        return ct_err_set(err, CT_EINVAL,
                          _("%s:1: the header names none of the columns of '%s' records"), rd->name,
                          ct_reg_kind_name(rd->kind));
    return rd->header.oom ? ct_err_set(err, CT_ENOMEM, "%s", _("out of memory")) : 0;
}

int ct_reg_reader_open(const char *path, FILE *f, enum ct_reg_kind kind, enum ct_reg_format fmt,
                       const ct_case_read_opts *opts, ct_reg_reader **out, ct_err *err)
{
    ct_reg_reader *rd = ct_calloc(1, sizeof(*rd));
    if (!rd)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    rd->name = path;
    rd->kind = kind;
    rd->opts = opts;
    rd->error_col = -1;
    ct_buf_init(&rd->header);
    ct_buf_init(&rd->raw);
    ct_buf_init(&rd->fields);
    rd->f = f;
    if (!f) {
        rd->f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
        rd->close_f = rd->f && rd->f != stdin;
        if (!rd->f) {
            int e = errno;
            ct_free(rd);
            return ct_err_set(err, CT_EIO, _("cannot open '%s': %s"), path, strerror(e));
        }
    }
    if (fmt == CT_REG_FMT_AUTO)
        fmt = ends_with(path, ".jsonl") || ends_with(path, ".json") || ends_with(path, ".ndjson")
                  ? CT_REG_FMT_JSONL
                  : CT_REG_FMT_CSV;
    rd->format = fmt;
    int rc = 0;
    if (fmt == CT_REG_FMT_CSV) {
        rd->csv = ct_csv_open(rd->f, NULL, err);
        rc = rd->csv ? read_header(rd, err) : CT_ENOMEM;
    }
    if (rc) {
        ct_reg_reader_close(rd);
        return rc;
    }
    *out = rd;
    return 0;
}

void ct_reg_reader_close(ct_reg_reader *rd)
{
    if (!rd)
        return;
    ct_csv_close(rd->csv);
    ct_free(rd->col_field);
    ct_buf_release(&rd->header);
    ct_buf_release(&rd->raw);
    ct_buf_release(&rd->fields);
    ct_free(rd->line);
    ct_free(rd->seen.hash);
    ct_free(rd->seen.count);
    if (rd->close_f)
        fclose(rd->f);
    ct_free(rd);
}

enum ct_reg_format ct_reg_reader_format(const ct_reg_reader *rd)
{
    return rd->format;
}

/* ---- CSV records ------------------------------------------------------------------- */

static void csv_hash(const ct_reg_reader *rd, unsigned char out[16])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 16);
    const char *kind = ct_reg_kind_name(rd->kind);
    crypto_generichash_update(&st, (const unsigned char *)kind, strlen(kind) + 1);
    for (size_t i = 0; i < rd->row.n; i++)
        if ((long)i != rd->error_col)
            crypto_generichash_update(&st, (const unsigned char *)rd->row.field[i],
                                      rd->row.len[i] + 1);
    crypto_generichash_final(&st, out, 16);
}

/* Keeps the row for a rejects file: as read, or re-encoded without its old
 * ctip_error cell. */
static int keep_row(ct_reg_reader *rd)
{
    ct_buf_reset(&rd->raw);
    ct_buf_reset(&rd->fields);
    ct_buf_add(&rd->raw, rd->row.raw, rd->row.raw_len);
    if (rd->error_col >= 0) {
        int first = 1;
        for (size_t i = 0; i < rd->row.n; i++) {
            if ((long)i == rd->error_col)
                continue;
            if (!first)
                ct_buf_addc(&rd->fields, ',');
            first = 0;
            ct_csv_buf_field(&rd->fields, rd->row.field[i], rd->row.len[i], ',');
        }
    }
    return rd->raw.oom || rd->fields.oom ? CT_ENOMEM : 0;
}

static int csv_next(ct_reg_reader *rd, ct_reg_record *r, long *line, char key[48], ct_problems *pr,
                    ct_err *err)
{
    ct_err e = CT_ERR_INIT;
    int rc = ct_csv_next(rd->csv, &rd->row, &e);
    if (rc == 0)
        return 0;
    *line = rd->row.line;
    if (rc == CT_EIO || rc == CT_ENOMEM) {
        *err = e;
        return rc;
    }
    if (keep_row(rd))
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    if (rc == CT_EINVAL) {
        const char *field = "";
        if (rd->row.bad_field >= 0 && (size_t)rd->row.bad_field < rd->ncols &&
            rd->col_field[rd->row.bad_field])
            field = rd->col_field[rd->row.bad_field]->path;
        ct_problems_add(pr, field, "%s", e.msg);
        return CT_EINVAL;
    }
    if (rd->row.n != rd->ncols) {
        ct_problems_add(pr, "", _("%zu fields, the header has %zu"), rd->row.n, rd->ncols);
        return CT_EINVAL;
    }
    size_t before = pr->total;
    for (size_t i = 0; i < rd->ncols; i++) {
        const ct_field *f = rd->col_field[i];
        if (!f || (f->flags & CT_FIELD_READ_ONLY))
            continue;
        if (ct_field_from_text(&r->arena, r, f, rd->row.field[i], rd->row.len[i], rd->opts, f->path,
                               pr) == CT_ENOMEM)
            return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    }
    if (pr->oom)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    ct_reg_defaults(r, rd->opts);
    ct_reg_check(r, rd->opts, pr);
    if (!r->id && !r->source_id) {
        unsigned char h[16];
        csv_hash(rd, h);
        if (occ_key(&rd->seen, h, key))
            return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    }
    return pr->total > before ? CT_EINVAL : 1;
}

/* ---- JSON lines ---------------------------------------------------------------------- */

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

static int json_key(ct_reg_reader *rd, json_t *obj, char key[48])
{
    json_t *copy = json_copy(obj);
    if (!copy)
        return CT_ENOMEM;
    json_object_del(copy, "_error");
    json_object_set_new(copy, "kind", json_string(ct_reg_kind_name(rd->kind)));
    char *text = json_dumps(copy, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(copy);
    if (!text)
        return CT_ENOMEM;
    unsigned char h[16];
    crypto_generichash(h, sizeof(h), (const unsigned char *)text, strlen(text), NULL, 0);
    free(text);
    return occ_key(&rd->seen, h, key);
}

static int jsonl_next(ct_reg_reader *rd, ct_reg_record *r, long *line, char key[48],
                      ct_problems *pr, ct_err *err)
{
    ssize_t n;
    for (;;) {
        errno = 0;
        n = getline(&rd->line, &rd->line_cap, rd->f);
        if (n < 0) {
            if (ferror(rd->f))
                return ct_err_set(err, CT_EIO, _("cannot read '%s': %s"), rd->name,
                                  strerror(errno));
            return 0;
        }
        rd->lineno++;
        if (!blank(rd->line, (size_t)n))
            break;
    }
    *line = rd->lineno;
    size_t len = (size_t)n;
    while (len && (rd->line[len - 1] == '\n' || rd->line[len - 1] == '\r'))
        len--;
    ct_buf_reset(&rd->raw);
    ct_buf_add(&rd->raw, rd->line, len);
    if (rd->raw.oom)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    if (len > MAX_LINE) {
        ct_problems_add(pr, "", _("line longer than %d bytes"), MAX_LINE);
        return CT_EINVAL;
    }
    json_error_t jerr;
    json_t *obj = json_loadb(rd->line, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!obj) {
        ct_problems_add(pr, "", _("not valid JSON (at column %d)"), jerr.column);
        return CT_EINVAL;
    }
    ct_case_read_opts o = *rd->opts;
    o.allow_private = 1; /* "_error" of a corrected rejects file */
    int rc = ct_reg_from_json(r, obj, &o, pr);
    if (rc != CT_ENOMEM && json_is_object(obj) && !r->id && !r->source_id && json_key(rd, obj, key))
        rc = CT_ENOMEM;
    json_decref(obj);
    if (rc == CT_ENOMEM)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    return rc ? CT_EINVAL : 1;
}

int ct_reg_reader_next(ct_reg_reader *rd, ct_reg_record *r, long *line, char import_key[48],
                       ct_problems *pr, ct_err *err)
{
    ct_reg_record_reset(r);
    r->kind = rd->kind;
    import_key[0] = '\0';
    *line = 0;
    return rd->format == CT_REG_FMT_CSV ? csv_next(rd, r, line, import_key, pr, err)
                                        : jsonl_next(rd, r, line, import_key, pr, err);
}

/* ---- rejects --------------------------------------------------------------------------- */

int ct_reg_reader_rejects_header(ct_reg_reader *rd, FILE *out)
{
    if (rd->format != CT_REG_FMT_CSV)
        return 0;
    fwrite(rd->header.buf, 1, rd->header.len, out);
    fputs(",ctip_error\n", out);
    return ferror(out) ? CT_EIO : 0;
}

int ct_reg_reader_reject(ct_reg_reader *rd, FILE *out, const char *reason)
{
    if (rd->format == CT_REG_FMT_CSV) {
        const ct_buf *b = rd->error_col >= 0 ? &rd->fields : &rd->raw;
        fwrite(b->buf, 1, b->len, out);
        fputc(',', out);
        ct_csv_write_field(out, reason, ',');
        fputc('\n', out);
        return ferror(out) ? CT_EIO : 0;
    }
    json_t *obj = json_loadb(rd->raw.buf, rd->raw.len, 0, NULL);
    if (!json_is_object(obj)) {
        json_decref(obj);
        obj = json_object();
        /* unchecked: a line that is not UTF-8 is still kept as it was */
        if (!obj ||
            json_object_set_new(obj, "_raw", json_stringn_nocheck(rd->raw.buf, rd->raw.len))) {
            json_decref(obj);
            return CT_ENOMEM;
        }
    }
    json_object_set_new(obj, "_error", json_string(reason));
    int rc = json_dumpf(obj, out, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(obj);
    if (rc || fputc('\n', out) == EOF)
        return CT_EIO;
    return 0;
}
