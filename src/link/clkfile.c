/*
 * clkfile.c - sets of CLK encodings and the .clk file format:
 *
 *   ctip-clk 1 bits=1024 schema=0123abcd...      (first line)
 *   id,clk                                       (CSV header)
 *   rec-1,AAECAwQF...                            (base64, bits/8 bytes)
 *
 * Encodings are kept as 64-bit words with their popcounts, which the Dice
 * kernel and its pruning need.
 */
#include "pprl.h"

#include "core/alloc.h"
#include "core/csv.h"
#include "core/i18n.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

struct ct_clk_set {
    size_t n, cap, bits, words;
    uint64_t *v;
    uint32_t *pop;
    char **id;
    char schema[65];
};

#define OOM(err) ct_err_set((err), CT_ENOMEM, "%s", _("out of memory"))

ct_clk_set *ct_clk_set_new(size_t bits, const char *schema_id, ct_err *err)
{
    if (bits == 0 || bits % 64 || bits > 131072) {
        ct_err_set(err, CT_EINVAL, "%s", _("encodings must have a multiple of 64 bits"));
        return NULL;
    }
    ct_clk_set *s = ct_calloc(1, sizeof(*s));
    if (!s) {
        OOM(err);
        return NULL;
    }
    s->bits = bits;
    s->words = bits / 64;
    snprintf(s->schema, sizeof(s->schema), "%s", schema_id ? schema_id : "");
    return s;
}

void ct_clk_set_free(ct_clk_set *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        ct_free(s->id[i]);
    ct_free(s->id);
    ct_free(s->v);
    ct_free(s->pop);
    ct_free(s);
}

static int grow(ct_clk_set *s)
{
    if (s->n < s->cap)
        return 0;
    size_t cap = s->cap ? s->cap * 2 : 256;
    uint64_t *v = ct_realloc(s->v, cap * s->words * sizeof(uint64_t));
    if (!v)
        return CT_ENOMEM;
    s->v = v;
    uint32_t *p = ct_realloc(s->pop, cap * sizeof(uint32_t));
    if (!p)
        return CT_ENOMEM;
    s->pop = p;
    char **id = ct_realloc(s->id, cap * sizeof(char *));
    if (!id)
        return CT_ENOMEM;
    s->id = id;
    s->cap = cap;
    return 0;
}

int ct_clk_set_add(ct_clk_set *s, const char *id, const uint64_t *clk, ct_err *err)
{
    if (s->n >= UINT32_MAX - 1)
        return ct_err_set(err, CT_ETOOBIG, "%s", _("too many records"));
    if (grow(s) || !(s->id[s->n] = ct_strdup(id)))
        return OOM(err);
    memcpy(s->v + s->n * s->words, clk, s->words * sizeof(uint64_t));
    uint32_t pop = 0;
    for (size_t w = 0; w < s->words; w++)
        pop += (uint32_t)__builtin_popcountll(clk[w]);
    s->pop[s->n++] = pop;
    return 0;
}

size_t ct_clk_set_count(const ct_clk_set *s)
{
    return s->n;
}
size_t ct_clk_set_bits(const ct_clk_set *s)
{
    return s->bits;
}
const char *ct_clk_set_id(const ct_clk_set *s, size_t i)
{
    return s->id[i];
}
const char *ct_clk_set_schema(const ct_clk_set *s)
{
    return s->schema;
}
const uint64_t *ct_clk_set_clk(const ct_clk_set *s, size_t i)
{
    return s->v + i * s->words;
}
/* for dice.c */
const uint32_t *ct_clk_set_pops(const ct_clk_set *s);
const uint32_t *ct_clk_set_pops(const ct_clk_set *s)
{
    return s->pop;
}

int ct_clk_write(const ct_clk_set *s, FILE *f, ct_err *err)
{
    size_t bytes = s->bits / 8;
    char *b64 = ct_malloc(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_ORIGINAL));
    unsigned char *raw = ct_malloc(bytes);
    if (!b64 || !raw) {
        ct_free(b64);
        ct_free(raw);
        return OOM(err);
    }
    fprintf(f, "ctip-clk 1 bits=%zu schema=%s\nid,clk\n", s->bits, s->schema);
    for (size_t i = 0; i < s->n; i++) {
        const uint64_t *c = ct_clk_set_clk(s, i);
        for (size_t k = 0; k < bytes; k++) /* little-endian bytes: portable files */
            raw[k] = (unsigned char)(c[k / 8] >> (8 * (k % 8)));
        sodium_bin2base64(b64, sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_ORIGINAL),
                          raw, bytes, sodium_base64_VARIANT_ORIGINAL);
        ct_csv_write_field(f, s->id[i], ',');
        fprintf(f, ",%s\n", b64);
    }
    ct_free(b64);
    ct_free(raw);
    return ferror(f) ? ct_err_set(err, CT_EIO, "%s", _("cannot write the encodings")) : 0;
}

/* Parses "ctip-clk 1 bits=N schema=HEX". */
static int parse_first(const char *line, size_t *bits, char *schema)
{
    unsigned long b = 0;
    char hex[65] = "";
    if (sscanf(line, "ctip-clk 1 bits=%lu schema=%64[0-9a-f]", &b, hex) < 1 || b == 0 || b % 64 ||
        b > 131072)
        return CT_EINVAL;
    *bits = b;
    strcpy(schema, hex);
    return 0;
}

static int read_record(ct_clk_set *s, const ct_csv_record *rec, unsigned char *raw, uint64_t *clk,
                       const char **why)
{
    size_t bytes = s->bits / 8, got = 0;
    if (rec->n != 2 || !*rec->field[0]) {
        *why = _("expected two fields: id,clk");
        return CT_EINVAL;
    }
    if (sodium_base642bin(raw, bytes, rec->field[1], rec->len[1], NULL, &got, NULL,
                          sodium_base64_VARIANT_ORIGINAL) ||
        got != bytes) {
        *why = _("clk: not base64 of the declared number of bits");
        return CT_EINVAL;
    }
    memset(clk, 0, bytes);
    for (size_t k = 0; k < bytes; k++)
        clk[k / 8] |= (uint64_t)raw[k] << (8 * (k % 8));
    return 0;
}

static ct_clk_set *read_body(const char *name, ct_csv *csv, size_t bits, const char *schema,
                             ct_err *err)
{
    ct_clk_set *s = ct_clk_set_new(bits, schema, err);
    unsigned char *raw = ct_malloc(bits / 8);
    uint64_t *clk = ct_malloc(bits / 8);
    ct_csv_record rec;
    int r = s && raw && clk ? 0 : (s ? OOM(err) : CT_ENOMEM);
    for (long n = 0; !r; n++) {
        ct_err e = CT_ERR_INIT;
        memset(&rec, 0, sizeof(rec));
        int k = ct_csv_next(csv, &rec, &e);
        if (k == 0)
            break;
        if (k < 0 && k != CT_EINVAL) {
            r = ct_err_set(err, k, "%s: %s", name, e.msg);
            break;
        }
        const char *why = e.msg;
        if (k == 1 && n == 0) {
            if (rec.n != 2 || strcmp(rec.field[0], "id") || strcmp(rec.field[1], "clk"))
                r = ct_err_set(err, CT_EINVAL, _("%s:2: expected the header id,clk"), name);
            continue;
        }
        if (k == 1 && read_record(s, &rec, raw, clk, &why))
            k = CT_EINVAL;
        if (k == CT_EINVAL) /* + 1: the first line is not CSV */
            r = ct_err_set(err, CT_EINVAL, "%s:%ld: %s", name, rec.line + 1, why);
        else
            r = ct_clk_set_add(s, rec.field[0], clk, err);
    }
    ct_free(raw);
    ct_free(clk);
    if (r) {
        ct_clk_set_free(s);
        return NULL;
    }
    return s;
}

static ct_clk_set *read_from(const char *name, FILE *f, const char *data, size_t len, ct_err *err)
{
    char first[160];
    size_t n = 0;
    if (f) {
        if (!fgets(first, sizeof(first), f))
            first[0] = '\0';
    } else {
        while (n < len && n < sizeof(first) - 1 && data[n] != '\n')
            n++;
        memcpy(first, data, n);
        first[n] = '\0';
        n = n < len ? n + 1 : n;
    }
    size_t bits;
    char schema[65];
    if (parse_first(first, &bits, schema)) {
        ct_err_set(err, CT_EINVAL, _("%s:1: not a ctip-clk file (expected 'ctip-clk 1 bits=N')"),
                   name);
        return NULL;
    }
    ct_csv_opts o = {0};
    o.max_field_bytes = bits; /* base64 of bits/8 bytes is shorter */
    ct_csv *csv = f ? ct_csv_open(f, &o, err) : ct_csv_open_mem(data + n, len - n, &o, err);
    if (!csv)
        return NULL;
    ct_clk_set *s = read_body(name, csv, bits, schema, err);
    ct_csv_close(csv);
    return s;
}

ct_clk_set *ct_clk_read(const char *name, FILE *f, ct_err *err)
{
    return read_from(name, f, NULL, 0, err);
}

ct_clk_set *ct_clk_read_mem(const char *name, const char *data, size_t len, ct_err *err)
{
    return read_from(name, NULL, data, len, err);
}
