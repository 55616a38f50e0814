/* reader.c - opening case files and dispatching to the format readers. */
#include "io_int.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

const char *ct_io_format_name(ct_io_format f)
{
    switch (f) {
    case CT_FMT_AUTO:
        return "auto";
    case CT_FMT_JSONL:
        return "jsonl";
    case CT_FMT_CSV:
        return "csv";
    case CT_FMT_CTDC_GLOBAL:
        return "ctdc-global";
    case CT_FMT_CTDC_SYNTHETIC:
        return "ctdc-synthetic";
    }
    return "?";
}

void ct_io_record_init(ct_io_record *r)
{
    r->line = 0;
    ct_buf_init(&r->raw);
    r->nrows = 0;
    r->row_len = NULL;
    r->row_cap = 0;
    r->import_key[0] = '\0';
}

void ct_io_record_release(ct_io_record *r)
{
    ct_buf_release(&r->raw);
    ct_free(r->row_len);
    r->row_len = NULL;
    r->row_cap = 0;
}

int ct_io_record_add_row(ct_io_record *r, const char *raw, size_t n)
{
    size_t *v = ct_grow(r->row_len, sizeof(*v), r->nrows + 1, &r->row_cap);
    if (!v)
        return CT_ENOMEM;
    r->row_len = v;
    v[r->nrows++] = n;
    ct_buf_add(&r->raw, raw, n);
    return r->raw.oom ? CT_ENOMEM : 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static int start(ct_io_reader *r, ct_io_format fmt, ct_err *err)
{
    r->seen = ct_occurrences_new();
    if (!r->seen)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    r->format = fmt;
    if (fmt == CT_FMT_JSONL) {
        r->ops = &ct_io_jsonl_ops;
        return 0;
    }
    return ct_io_csv_open(r, err);
}

static ct_io_reader *new_reader(const ct_case_read_opts *opts)
{
    ct_io_reader *r = ct_calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    r->opts = opts;
    r->error_col = -1;
    ct_buf_init(&r->header_raw);
    return r;
}

int ct_io_open_stream(FILE *f, ct_io_format fmt, const ct_case_read_opts *opts, ct_io_reader **out,
                      ct_err *err)
{
    ct_io_reader *r = new_reader(opts);
    if (!r)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    r->f = f;
    int rc = start(r, fmt, err);
    if (rc) {
        ct_io_close(r);
        return rc;
    }
    *out = r;
    return 0;
}

int ct_io_open(const char *path, ct_io_format fmt, const ct_case_read_opts *opts,
               ct_io_reader **out, ct_err *err)
{
    ct_io_reader *r = new_reader(opts);
    if (!r)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    r->f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    r->close_f = r->f != stdin;
    if (!r->f) {
        int e = errno;
        ct_free(r);
        return ct_err_set(err, CT_EIO, _("cannot open '%s': %s"), path, strerror(e));
    }
    if (fmt == CT_FMT_AUTO &&
        (ends_with(path, ".jsonl") || ends_with(path, ".json") || ends_with(path, ".ndjson")))
        fmt = CT_FMT_JSONL;
    int rc = start(r, fmt, err);
    if (rc) {
        ct_err_prefix(err, "%s: ", path);
        ct_io_close(r);
        return rc;
    }
    *out = r;
    return 0;
}

void ct_io_close(ct_io_reader *r)
{
    if (!r)
        return;
    if (r->ops && r->ops->release)
        r->ops->release(r);
    ct_csv_close(r->csv);
    ct_free(r->line);
    ct_free(r->col_field);
    ct_buf_release(&r->header_raw);
    ct_occurrences_free(r->seen);
    if (r->close_f)
        fclose(r->f);
    ct_free(r);
}

ct_io_format ct_io_reader_format(const ct_io_reader *r)
{
    return r->format;
}

int ct_io_next(ct_io_reader *r, ct_case *c, ct_io_record *rec, ct_problems *pr, ct_err *err)
{
    ct_buf_reset(&rec->raw);
    rec->nrows = 0;
    rec->import_key[0] = '\0';
    return r->ops->next(r, c, rec, pr, err);
}

int ct_io_write_rejects_header(ct_io_reader *r, FILE *out)
{
    return r->ops->rejects_header ? r->ops->rejects_header(r, out) : 0;
}

int ct_io_write_reject(ct_io_reader *r, FILE *out, const ct_io_record *rec, const char *reason)
{
    return r->ops->reject(r, out, rec, reason);
}

/* ---- occurrences: an open-addressing set of (hash, count) ------------- */

typedef struct occ_slot {
    unsigned char hash[16];
    long count; /* 0: empty */
} occ_slot;

struct ct_occurrences {
    occ_slot *slots;
    size_t cap, used;
};

ct_occurrences *ct_occurrences_new(void)
{
    ct_occurrences *o = ct_calloc(1, sizeof(*o));
    if (!o)
        return NULL;
    o->cap = 1024;
    o->slots = ct_calloc(o->cap, sizeof(*o->slots));
    if (!o->slots) {
        ct_free(o);
        return NULL;
    }
    return o;
}

void ct_occurrences_free(ct_occurrences *o)
{
    if (!o)
        return;
    ct_free(o->slots);
    ct_free(o);
}

static occ_slot *occ_find(occ_slot *slots, size_t cap, const unsigned char hash[16])
{
    size_t h;
    memcpy(&h, hash, sizeof(h)); /* the hash is already uniform */
    for (size_t i = h & (cap - 1);; i = (i + 1) & (cap - 1))
        if (!slots[i].count || memcmp(slots[i].hash, hash, 16) == 0)
            return &slots[i];
}

static int occ_grow(ct_occurrences *o)
{
    size_t cap = o->cap * 2;
    occ_slot *slots = ct_calloc(cap, sizeof(*slots));
    if (!slots)
        return CT_ENOMEM;
    for (size_t i = 0; i < o->cap; i++)
        if (o->slots[i].count)
            *occ_find(slots, cap, o->slots[i].hash) = o->slots[i];
    ct_free(o->slots);
    o->slots = slots;
    o->cap = cap;
    return 0;
}

int ct_occurrences_key(ct_occurrences *o, const unsigned char hash[16], char out[48])
{
    if (o->used * 2 >= o->cap && occ_grow(o))
        return CT_ENOMEM;
    occ_slot *s = occ_find(o->slots, o->cap, hash);
    if (!s->count) {
        memcpy(s->hash, hash, 16);
        o->used++;
    }
    s->count++;
    char hex[33];
    sodium_bin2hex(hex, sizeof(hex), hash, 16);
    snprintf(out, 48, "%s:%ld", hex, s->count);
    return 0;
}

void ct_io_hash_fields(const ct_csv_record *row, long skip_col, unsigned char out[16])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 16);
    for (size_t i = 0; i < row->n; i++) {
        if ((long)i == skip_col)
            continue;
        crypto_generichash_update(&st, (const unsigned char *)row->field[i], row->len[i] + 1);
    }
    crypto_generichash_final(&st, out, 16);
}
