/*
 * link_pprl.c - the encoded verbs of `ctip link` (docs/pprl.md):
 *
 *   encode FILE --schema S --secret-file K -o FILE.clk
 *   match --encoded A.clk B.clk -o links.csv      (Dice, one-to-one)
 *   overlaps --encoded L1.clk L2.clk L3.clk ...    (capture histories)
 */
#include "link_pprl.h"

#include "core/alloc.h"
#include "core/csv.h"
#include "core/i18n.h"
#include "estimate/estimate.h"
#include "link/pprl.h"

#include <errno.h>
#include <libgen.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_FILE = 1 << 20, MAX_SECRET = 4096, MAX_LISTS = 12 };

/* Reads a whole small file into memory (sodium_malloc when secret). */
static int slurp(const char *path, int secret, unsigned char **out, size_t *len, ct_cli *cli)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ct_err_set(&cli->err, CT_EIO, _("cannot open '%s': %s"), path, strerror(errno));
    size_t max = secret ? MAX_SECRET : MAX_FILE;
    unsigned char *buf = secret ? sodium_malloc(max) : ct_malloc(max);
    size_t n = buf ? fread(buf, 1, max, f) : 0;
    int big = buf && n == max, bad = ferror(f);
    fclose(f);
    if (!buf)
        return ct_err_set(&cli->err, CT_ENOMEM, "%s", _("out of memory"));
    if (big || bad) {
        secret ? sodium_free(buf) : ct_free(buf);
        return ct_err_set(&cli->err, big ? CT_EINVAL : CT_EIO, _("cannot read '%s'"), path);
    }
    *out = buf;
    *len = n;
    return 0;
}

/* Column of each schema feature in the header; the id column. */
static int map_features(const ct_pprl_schema *s, const ct_csv_record *h, const char *path, int *col,
                        int *id, ct_cli *cli)
{
    *id = 0; /* "id" when present, else the first column */
    for (size_t k = 0; k < h->n; k++)
        if (strcmp(h->field[k], "id") == 0)
            *id = (int)k;
    for (size_t i = 0; i < ct_pprl_schema_nfeatures(s); i++) {
        const char *name = ct_pprl_schema_feature(s, i);
        col[i] = -1;
        for (size_t k = 0; name && k < h->n; k++)
            if (strcmp(h->field[k], name) == 0)
                col[i] = (int)k;
        if (name && col[i] < 0)
            return ct_err_set(&cli->err, CT_EINVAL,
                              _("%s:1: %.40s: no such column (named in the schema)"), path, name);
    }
    return 0;
}

typedef struct enc_ctx {
    const ct_pprl_schema *s;
    const ct_pprl_encoder *e;
    ct_clk_set *set;
    const char *path;
    int col[64], id;
    uint64_t *clk;
    size_t problems;
} enc_ctx;

static int encode_row(enc_ctx *c, const ct_csv_record *rec, ct_cli *cli)
{
    const char *vals[64];
    for (size_t i = 0; i < ct_pprl_schema_nfeatures(c->s); i++)
        vals[i] = c->col[i] >= 0 && (size_t)c->col[i] < rec->n ? rec->field[c->col[i]] : NULL;
    ct_err e = CT_ERR_INIT;
    int r = ct_pprl_encode(c->e, vals, c->clk, &e);
    if (r == CT_EINVAL) {
        fprintf(stderr, "%s:%ld: %s\n", c->path, rec->line, e.msg);
        c->problems++;
        return 0;
    }
    if (!r && !*rec->field[c->id]) {
        fprintf(stderr, "%s:%ld: id: %s\n", c->path, rec->line, _("empty"));
        c->problems++;
        return 0;
    }
    return r ? ct_err_set(&cli->err, r, "%s", e.msg)
             : ct_clk_set_add(c->set, rec->field[c->id], c->clk, &cli->err);
}

static int encode_rows(enc_ctx *c, ct_csv *csv, size_t nhdr, ct_cli *cli)
{
    for (;;) {
        ct_csv_record rec;
        ct_err e = CT_ERR_INIT;
        int r = ct_csv_next(csv, &rec, &e);
        if (r == 0)
            break;
        if (r == 1 && rec.n != nhdr) {
            fprintf(stderr, _("%s:%ld: %zu fields where the header has %zu\n"), c->path, rec.line,
                    rec.n, nhdr);
            c->problems++;
        } else if (r == CT_EINVAL) {
            fprintf(stderr, "%s:%ld: %s\n", c->path, rec.line, e.msg);
            c->problems++;
        } else if (r < 0) {
            return ct_err_set(&cli->err, r, "%s: %s", c->path, e.msg);
        } else if ((r = encode_row(c, &rec, cli))) {
            return r;
        }
    }
    if (c->problems)
        return ct_err_set(&cli->err, CT_EINVAL,
                          _("%zu problem(s) in the input; nothing was encoded"), c->problems);
    return 0;
}

static int encode_file(enc_ctx *c, const char *in, char sep, ct_cli *cli)
{
    FILE *f = fopen(in, "rb");
    if (!f)
        return ct_err_set(&cli->err, CT_EIO, _("cannot open '%s': %s"), in, strerror(errno));
    ct_csv_opts o = {0};
    o.sep = sep;
    o.skip_initial_space = 1;
    ct_csv *csv = ct_csv_open(f, &o, &cli->err);
    ct_csv_record h;
    int r = csv ? ct_csv_next(csv, &h, &cli->err) : CT_ENOMEM;
    if (r == 0)
        r = ct_err_set(&cli->err, CT_EINVAL, _("%s:1: empty file (a header is required)"), in);
    if (r == 1) {
        size_t nhdr = h.n;
        r = map_features(c->s, &h, in, c->col, &c->id, cli);
        if (!r)
            r = encode_rows(c, csv, nhdr, cli);
    }
    ct_csv_close(csv);
    fclose(f);
    return r;
}

static int write_set(const ct_clk_set *set, const char *out, ct_cli *cli)
{
    FILE *f = fopen(out, "wb");
    if (!f)
        return ct_err_set(&cli->err, CT_EIO, _("cannot write '%s': %s"), out, strerror(errno));
    int r = ct_clk_write(set, f, &cli->err);
    if (fclose(f) && !r)
        r = ct_err_set(&cli->err, CT_EIO, _("cannot write '%s': %s"), out, strerror(errno));
    return r;
}

int ct_pprl_cli_encode(const char *in, const char *schema, const char *secret, char sep,
                       const char *out, ct_cli *cli)
{
    if (!schema || !secret)
        return ct_err_set(&cli->err, CT_EUSAGE, "%s",
                          _("encode needs --schema FILE and --secret-file FILE"));
    unsigned char *stext = NULL, *key = NULL;
    size_t slen = 0, klen = 0;
    enc_ctx c = {0};
    c.path = in;
    if (sodium_init() < 0)
        return ct_err_set(&cli->err, CT_EINTERNAL, "%s", _("libsodium could not start"));
    int r = slurp(schema, 0, &stext, &slen, cli);
    if (!r)
        r = slurp(secret, 1, &key, &klen, cli);
    while (!r && klen && (key[klen - 1] == '\n' || key[klen - 1] == '\r'))
        klen--; /* `echo secret > K` works */
    if (!r && !(c.s = ct_pprl_schema_parse((char *)stext, slen, &cli->err)))
        r = cli->err.code;
    if (!r && !(c.e = ct_pprl_encoder_new(c.s, key, klen, &cli->err)))
        r = cli->err.code;
    if (!r &&
        !(c.set = ct_clk_set_new(ct_pprl_schema_bits(c.s), ct_pprl_schema_id(c.s), &cli->err)))
        r = cli->err.code;
    if (!r && !(c.clk = ct_malloc(ct_pprl_schema_bits(c.s) / 8)))
        r = ct_err_set(&cli->err, CT_ENOMEM, "%s", _("out of memory"));
    if (!r)
        r = encode_file(&c, in, sep, cli);
    if (!r)
        r = write_set(c.set, out, cli);
    if (!r)
        printf(_("encoded %zu records into %zu-bit CLKs (schema %s)\n"), ct_clk_set_count(c.set),
               ct_pprl_schema_bits(c.s), ct_pprl_schema_id(c.s));
    ct_free(c.clk);
    ct_clk_set_free(c.set);
    ct_pprl_encoder_free((ct_pprl_encoder *)c.e);
    ct_pprl_schema_free((ct_pprl_schema *)c.s);
    ct_free(stext);
    if (key)
        sodium_free(key);
    return r;
}

static ct_clk_set *read_clk(const char *path, ct_cli *cli)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        ct_err_set(&cli->err, CT_EIO, _("cannot open '%s': %s"), path, strerror(errno));
        return NULL;
    }
    ct_clk_set *s = ct_clk_read(path, f, &cli->err);
    fclose(f);
    return s;
}

int ct_pprl_cli_match(char **paths, const char *out, double threshold, ct_cli *cli)
{
    double t = threshold < 0 ? 0.8 : threshold;
    ct_clk_set *a = read_clk(paths[0], cli), *b = a ? read_clk(paths[1], cli) : NULL;
    ct_link_pair *p = NULL;
    size_t n = 0;
    uint64_t compared = 0;
    int r = a && b ? ct_pprl_match(a, b, t, 2, &p, &n, &compared, &cli->err) : cli->err.code;
    unsigned char *keep = r ? NULL : ct_malloc(n ? n : 1);
    size_t na = a ? ct_clk_set_count(a) : 0, nb = b ? ct_clk_set_count(b) : 0;
    for (size_t i = 0; !r && i < n; i++)
        p[i].b += (uint32_t)na;
    long kept = r ? 0 : (keep ? ct_link_one_to_one(na + nb, p, n, t, keep, &cli->err) : -1);
    if (!r && kept < 0)
        r = ct_err_set(&cli->err, CT_ENOMEM, "%s", _("out of memory"));
    FILE *f = r ? NULL : fopen(out, "wb");
    if (!r && !f)
        r = ct_err_set(&cli->err, CT_EIO, _("cannot write '%s': %s"), out, strerror(errno));
    if (f) {
        fputs("id_a,id_b,probability,explanation\n", f);
        for (size_t i = 0; i < n; i++) {
            if (!keep[i])
                continue;
            ct_csv_write_field(f, ct_clk_set_id(a, p[i].a), ',');
            fputc(',', f);
            ct_csv_write_field(f, ct_clk_set_id(b, p[i].b - na), ',');
            fprintf(f, ",%.6f,clk:dice:%.4f\n", p[i].prob, p[i].prob);
        }
        if ((ferror(f) | fclose(f)) && !r)
            r = ct_err_set(&cli->err, CT_EIO, _("cannot write '%s': %s"), out, strerror(errno));
    }
    if (!r)
        printf(_("compared %llu of %zu x %zu pairs (popcount pruning); one-to-one links at Dice "
                 ">= %.2f: %ld\n"),
               (unsigned long long)compared, na, nb, t, kept);
    ct_free(keep);
    ct_free(p);
    ct_clk_set_free(a);
    ct_clk_set_free(b);
    return r;
}

/* List name: the file name without directory and extension. */
static void list_name(const char *path, char *out, size_t size)
{
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s", path);
    snprintf(out, size, "%s", basename(tmp));
    char *dot = strrchr(out, '.');
    if (dot && dot != out)
        *dot = '\0';
}

static int histories(ct_clk_set **sets, char names[][64], int n, const uint32_t *person,
                     const char *out, ct_cli *cli)
{
    size_t total = 0;
    for (int i = 0; i < n; i++)
        total += ct_clk_set_count(sets[i]);
    ct_estimate_record *recs = ct_calloc(total ? total : 1, sizeof(*recs));
    char(*keys)[12] = ct_malloc((total ? total : 1) * 12);
    ct_estimate_data *d = NULL;
    int r = recs && keys ? 0 : ct_err_set(&cli->err, CT_ENOMEM, "%s", _("out of memory"));
    for (size_t x = 0, i = 0, k = 0; !r && x < total; x++, k++) {
        while (k >= ct_clk_set_count(sets[i]))
            i++, k = 0;
        snprintf(keys[x], 12, "%u", person[x]);
        recs[x] = (ct_estimate_record){keys[x], names[i], NULL, NULL, NULL};
    }
    if (!r)
        r = ct_estimate_histories_build(recs, total, 0, &d, &cli->err);
    FILE *f = r ? NULL : (out ? fopen(out, "wb") : stdout);
    if (!r && !f)
        r = ct_err_set(&cli->err, CT_EIO, _("cannot write '%s': %s"), out, strerror(errno));
    if (!r)
        r = ct_estimate_data_write_csv(d, f, &cli->err);
    if (f && f != stdout && fclose(f) && !r)
        r = ct_err_set(&cli->err, CT_EIO, _("cannot write '%s': %s"), out, strerror(errno));
    ct_estimate_data_free(d);
    ct_free(recs);
    ct_free(keys);
    return r;
}

int ct_pprl_cli_overlaps(char **paths, int n, const char *out, double threshold, ct_cli *cli)
{
    if (n < 3 || n > MAX_LISTS)
        return ct_err_set(&cli->err, CT_EUSAGE, "%s",
                          _("overlaps needs 3 to 12 encoded lists (estimation needs 3)"));
    ct_clk_set *sets[MAX_LISTS] = {0};
    char names[MAX_LISTS][64];
    int r = 0;
    size_t total = 0;
    for (int i = 0; i < n && !r; i++) {
        list_name(paths[i], names[i], sizeof(names[i]));
        for (int j = 0; j < i; j++)
            if (strcmp(names[i], names[j]) == 0)
                r = ct_err_set(&cli->err, CT_EUSAGE,
                               _("two lists are named '%.40s': list names come from file names"),
                               names[i]);
        if (!r && !(sets[i] = read_clk(paths[i], cli)))
            r = cli->err.code;
        total += sets[i] ? ct_clk_set_count(sets[i]) : 0;
    }
    uint32_t *person = r ? NULL : ct_malloc((total ? total : 1) * sizeof(uint32_t));
    if (!r && !person)
        r = ct_err_set(&cli->err, CT_ENOMEM, "%s", _("out of memory"));
    if (!r)
        r = ct_pprl_overlaps(sets, (size_t)n, threshold < 0 ? 0.8 : threshold, 2, person,
                             &cli->err);
    if (!r)
        r = histories(sets, names, n, person, out, cli);
    ct_free(person);
    for (int i = 0; i < n; i++)
        ct_clk_set_free(sets[i]);
    return r;
}
