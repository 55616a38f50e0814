/*
 * clk.c - linkage schemas and CLK encoding (docs/pprl.md).
 *
 * The schema follows clkhash's v3 layout (version, clkConfig {l, kdf,
 * xor_folds}, features [{identifier, ignored} | {identifier, format,
 * hashing}]) with one ctip member, clkConfig.balance. What differs from
 * clkhash, and why:
 *  - values are normalised as clear-text linkage does (normalise.c), so
 *    "José" and "JOSE" give the same q-grams;
 *  - only keyed BLAKE2b ("blakeHash") is accepted: double hashing admits
 *    only l^2 patterns per q-gram and was broken by Kroll & Steinmetzer
 *    (2015);
 *  - keys come from HKDF-SHA256 over the shared secret with the schema's
 *    salt, and info + "/" + identifier per feature (clkhash derives them in
 *    feature order; naming them makes reordering harmless).
 * Bit positions of token t: BLAKE2b-512 keyed with the feature key over
 * t || block, read as 32 little-endian uint16 values mod l (l a power of
 * two, so every position is equally likely).
 */
#include "pprl.h"

#include "link_int.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <jansson.h>
#include <sodium.h>
#include <string.h>

enum { MAX_FEATURES = 64, KEY_MAX = 64, MAX_L = 65536 };

enum ftype { F_STRING, F_INTEGER, F_DATE, F_ENUM };

typedef struct feature {
    char *id; /* NULL when ignored */
    enum ftype type;
    char date_fmt[32];
    int n, positional, exact;
    int bits_per_token, bits_per_feature;
    char *sentinel, *replace;
} feature;

struct ct_pprl_schema {
    size_t l, folds;
    int balance;
    unsigned char salt[256], info[256];
    size_t salt_len, info_len, key_size;
    feature f[MAX_FEATURES];
    size_t nf;
    char id[33];
};

struct ct_pprl_encoder {
    const ct_pprl_schema *s;
    unsigned char *keys; /* sodium_malloc: key_size per feature + balance key */
    uint32_t *perm;      /* balancing permutation of 2 * folded bits */
};

#define BAD(err, path, msg) ct_err_set_field((err), CT_EINVAL, (path), "%s: %s", (path), (msg))

/* ------------------------------------------------------------- parsing */

static int get_int(json_t *o, const char *key, long lo, long hi, long *out)
{
    json_t *v = json_object_get(o, key);
    if (!v)
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return -1;
    *out = (long)json_integer_value(v);
    return 1;
}

static int b64(json_t *o, const char *key, unsigned char *out, size_t cap, size_t *n)
{
    json_t *v = json_object_get(o, key);
    *n = 0;
    if (!v)
        return 0;
    const char *s = json_string_value(v);
    if (!s ||
        sodium_base642bin(out, cap, s, strlen(s), NULL, n, NULL, sodium_base64_VARIANT_ORIGINAL))
        return -1;
    return 0;
}

static int parse_kdf(ct_pprl_schema *s, json_t *cfg, ct_err *err)
{
    json_t *kdf = json_object_get(cfg, "kdf");
    s->key_size = KEY_MAX;
    if (!kdf)
        return 0;
    const char *type = json_string_value(json_object_get(kdf, "type"));
    const char *hash = json_string_value(json_object_get(kdf, "hash"));
    if ((type && strcmp(type, "HKDF")) || (hash && strcmp(hash, "SHA256")))
        return BAD(err, "clkConfig.kdf", _("only HKDF with SHA256 is supported"));
    long ks = KEY_MAX;
    if (get_int(kdf, "keySize", 16, KEY_MAX, &ks) < 0)
        return BAD(err, "clkConfig.kdf.keySize", _("expected 16 to 64"));
    s->key_size = (size_t)ks;
    if (b64(kdf, "salt", s->salt, sizeof(s->salt), &s->salt_len) ||
        b64(kdf, "info", s->info, sizeof(s->info), &s->info_len))
        return BAD(err, "clkConfig.kdf", _("salt and info must be base64, at most 256 bytes"));
    return 0;
}

static int parse_config(ct_pprl_schema *s, json_t *root, ct_err *err)
{
    json_t *v = json_object_get(root, "version");
    if (!json_is_integer(v) || json_integer_value(v) != 3)
        return BAD(err, "version", _("expected 3"));
    json_t *cfg = json_object_get(root, "clkConfig");
    long l = 0, folds = 0;
    if (!json_is_object(cfg) || get_int(cfg, "l", 64, MAX_L, &l) != 1 || (l & (l - 1)))
        return BAD(err, "clkConfig.l", _("expected a power of two from 64 to 65536"));
    if (get_int(cfg, "xor_folds", 0, 8, &folds) < 0 || get_int(cfg, "xorFolds", 0, 8, &folds) < 0 ||
        (l >> folds) < 64)
        return BAD(err, "clkConfig.xor_folds", _("too many folds (at least 64 bits must remain)"));
    json_t *bal = json_object_get(cfg, "balance");
    if (bal && !json_is_boolean(bal))
        return BAD(err, "clkConfig.balance", _("expected true or false"));
    s->l = (size_t)l;
    s->folds = (size_t)folds;
    s->balance = json_is_true(bal);
    return parse_kdf(s, cfg, err);
}

/* clkhash date formats use strftime directives: %Y, %m, %d. */
static int parse_format(feature *f, json_t *fmt, const char *path, ct_err *err)
{
    const char *type = json_string_value(json_object_get(fmt, "type"));
    static const char *const names[] = {"string", "integer", "date", "enum"};
    int found = -1;
    for (int i = 0; type && i < 4; i++)
        if (strcmp(type, names[i]) == 0)
            found = i;
    if (found < 0)
        return BAD(err, path, _("format.type must be string, integer, date or enum"));
    f->type = (enum ftype)found;
    const char *df = json_string_value(json_object_get(fmt, "format"));
    if (f->type == F_DATE)
        snprintf(f->date_fmt, sizeof(f->date_fmt), "%s", df ? df : "%Y-%m-%d");
    return 0;
}

static int parse_strategy(feature *f, json_t *h, const char *path, ct_err *err)
{
    json_t *st = json_object_get(h, "strategy");
    long k = 0;
    int a = get_int(st, "bitsPerToken", 1, 1024, &k);
    if (a == 1)
        f->bits_per_token = (int)k;
    int b = get_int(st, "bitsPerFeature", 1, 65536, &k);
    if (b == 1)
        f->bits_per_feature = (int)k;
    if (a < 0 || b < 0 || (a == 1) == (b == 1))
        return BAD(err, path, _("strategy needs one of bitsPerToken (1-1024) or bitsPerFeature"));
    const char *hash = json_string_value(json_object_get(json_object_get(h, "hash"), "type"));
    if (hash && strcmp(hash, "blakeHash"))
        return BAD(err, path,
                   _("only blakeHash is supported: double hashing is open to known "
                     "attacks (docs/pprl.md)"));
    return 0;
}

static int parse_hashing(feature *f, json_t *h, const char *path, ct_err *err)
{
    json_t *cmp = json_object_get(h, "comparison");
    const char *type = json_string_value(json_object_get(cmp, "type"));
    long n = 2;
    if (type && strcmp(type, "exact") == 0) {
        f->exact = 1;
    } else if (type && strcmp(type, "ngram") == 0) {
        if (get_int(cmp, "n", 1, 8, &n) < 0)
            return BAD(err, path, _("comparison.n must be 1 to 8"));
        f->positional = json_is_true(json_object_get(cmp, "positional"));
    } else {
        return BAD(err, path, _("comparison.type must be ngram or exact"));
    }
    f->n = (int)n;
    json_t *mv = json_object_get(h, "missingValue");
    const char *sen = json_string_value(json_object_get(mv, "sentinel"));
    const char *rep = json_string_value(json_object_get(mv, "replaceWith"));
    if ((sen && !(f->sentinel = ct_strdup(sen))) || (rep && !(f->replace = ct_strdup(rep))))
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    return parse_strategy(f, h, path, err);
}

static int parse_feature(feature *f, json_t *j, size_t i, ct_err *err)
{
    char path[48];
    snprintf(path, sizeof(path), "features[%zu]", i);
    const char *id = json_string_value(json_object_get(j, "identifier"));
    if (!json_is_object(j) || !id || !*id)
        return BAD(err, path, _("each feature needs an identifier"));
    if (json_is_true(json_object_get(j, "ignored")))
        return 0;
    json_t *fmt = json_object_get(j, "format"), *h = json_object_get(j, "hashing");
    if (!json_is_object(fmt) || !json_is_object(h))
        return BAD(err, path, _("a feature needs format and hashing (or ignored: true)"));
    if (!(f->id = ct_strdup(id)))
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    int r = parse_format(f, fmt, path, err);
    return r ? r : parse_hashing(f, h, path, err);
}

static int parse_features(ct_pprl_schema *s, json_t *root, ct_err *err)
{
    json_t *fs = json_object_get(root, "features");
    size_t n = json_array_size(fs), used = 0;
    if (!json_is_array(fs) || n == 0 || n > MAX_FEATURES)
        return BAD(err, "features", _("expected an array of 1 to 64 features"));
    for (size_t i = 0; i < n; i++) {
        int r = parse_feature(&s->f[i], json_array_get(fs, i), i, err);
        if (r)
            return r;
        used += s->f[i].id != NULL;
    }
    s->nf = n;
    if (!used)
        return BAD(err, "features", _("every feature is ignored"));
    return 0;
}

ct_pprl_schema *ct_pprl_schema_parse(const char *text, size_t len, ct_err *err)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    ct_pprl_schema *s = ct_calloc(1, sizeof(*s));
    int r = 0;
    if (!s)
        r = ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    else if (!json_is_object(root))
        r = ct_err_set(err, CT_EINVAL, _("schema: not a JSON object (line %d: %.80s)"), je.line,
                       je.text);
    if (!r)
        r = parse_config(s, root, err);
    if (!r)
        r = parse_features(s, root, err);
    json_decref(root);
    if (r) {
        ct_pprl_schema_free(s);
        return NULL;
    }
    unsigned char h[16];
    crypto_generichash(h, sizeof(h), (const unsigned char *)text, len, NULL, 0);
    sodium_bin2hex(s->id, sizeof(s->id), h, sizeof(h));
    return s;
}

void ct_pprl_schema_free(ct_pprl_schema *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < MAX_FEATURES; i++) {
        ct_free(s->f[i].id);
        ct_free(s->f[i].sentinel);
        ct_free(s->f[i].replace);
    }
    ct_free(s);
}

size_t ct_pprl_schema_bits(const ct_pprl_schema *s)
{
    return (s->l >> s->folds) * (s->balance ? 2 : 1);
}
size_t ct_pprl_schema_nfeatures(const ct_pprl_schema *s)
{
    return s->nf;
}
const char *ct_pprl_schema_feature(const ct_pprl_schema *s, size_t i)
{
    return s->f[i].id;
}
const char *ct_pprl_schema_id(const ct_pprl_schema *s)
{
    return s->id;
}

/* ------------------------------------------------------------ encoding */

/* HKDF-SHA256 (RFC 5869) with libsodium's HMAC; out_len <= 255 * 32. */
static void hkdf(unsigned char *out, size_t out_len, const unsigned char *ikm, size_t ikm_len,
                 const unsigned char *salt, size_t salt_len, const unsigned char *info,
                 size_t info_len)
{
    unsigned char prk[32], t[32];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, salt, salt_len);
    crypto_auth_hmacsha256_update(&st, ikm, ikm_len);
    crypto_auth_hmacsha256_final(&st, prk);
    size_t done = 0, tlen = 0;
    for (unsigned char i = 1; done < out_len; i++) {
        crypto_auth_hmacsha256_init(&st, prk, sizeof(prk));
        crypto_auth_hmacsha256_update(&st, t, tlen);
        crypto_auth_hmacsha256_update(&st, info, info_len);
        crypto_auth_hmacsha256_update(&st, &i, 1);
        crypto_auth_hmacsha256_final(&st, t);
        tlen = sizeof(t);
        size_t k = out_len - done < tlen ? out_len - done : tlen;
        memcpy(out + done, t, k);
        done += k;
    }
    sodium_memzero(prk, sizeof(prk));
    sodium_memzero(t, sizeof(t));
    sodium_memzero(&st, sizeof(st));
}

static void derive(const ct_pprl_schema *s, const unsigned char *secret, size_t len,
                   const char *label, unsigned char *key)
{
    unsigned char info[256 + 128];
    size_t n = s->info_len;
    memcpy(info, s->info, n);
    int k = snprintf((char *)info + n, sizeof(info) - n, "/%s", label);
    n += k > 0 ? (size_t)k : 0;
    if (n > sizeof(info))
        n = sizeof(info);
    hkdf(key, s->key_size, secret, len, s->salt, s->salt_len, info, n);
}

/* A secret permutation of the balanced bits (Fisher-Yates on a keyed
 * BLAKE2b stream), so the complement half does not sit beside its source. */
static int make_perm(ct_pprl_encoder *e, const unsigned char *key)
{
    size_t n = 2 * (e->s->l >> e->s->folds);
    if (!(e->perm = ct_malloc(n * sizeof(uint32_t))))
        return CT_ENOMEM;
    for (size_t i = 0; i < n; i++)
        e->perm[i] = (uint32_t)i;
    unsigned char block[64];
    for (size_t i = n - 1, used = 64, ctr = 0; i > 0; i--, used += 4) {
        if (used + 4 > 64) {
            crypto_generichash(block, 64, (unsigned char *)&ctr, sizeof(ctr), key, e->s->key_size);
            ctr++;
            used = 0;
        }
        uint32_t r;
        memcpy(&r, block + used, 4);
        size_t j = r % (i + 1);
        uint32_t t = e->perm[i];
        e->perm[i] = e->perm[j];
        e->perm[j] = t;
    }
    return 0;
}

ct_pprl_encoder *ct_pprl_encoder_new(const ct_pprl_schema *s, const unsigned char *secret,
                                     size_t len, ct_err *err)
{
    if (len < 16) {
        ct_err_set(err, CT_EINVAL, "%s", _("the secret is too short (at least 16 bytes)"));
        return NULL;
    }
    if (sodium_init() < 0) {
        ct_err_set(err, CT_EINTERNAL, "%s", _("libsodium could not start"));
        return NULL;
    }
    ct_pprl_encoder *e = ct_calloc(1, sizeof(*e));
    if (!e || !(e->keys = sodium_malloc((s->nf + 1) * s->key_size))) {
        ct_free(e);
        ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
        return NULL;
    }
    e->s = s;
    for (size_t i = 0; i < s->nf; i++)
        if (s->f[i].id)
            derive(s, secret, len, s->f[i].id, e->keys + i * s->key_size);
    unsigned char *bkey = e->keys + s->nf * s->key_size;
    derive(s, secret, len, "ctip-balance", bkey);
    if (s->balance && make_perm(e, bkey)) {
        ct_pprl_encoder_free(e);
        ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
        return NULL;
    }
    return e;
}

void ct_pprl_encoder_free(ct_pprl_encoder *e)
{
    if (!e)
        return;
    sodium_free(e->keys); /* wipes */
    ct_free(e->perm);
    ct_free(e);
}

/* Value in the form that is tokenised: normalised text, digits, or the
 * canonical YYYYMMDD of a date. */
static int prepare(const feature *f, const char *v, ct_buf *out, ct_err *err)
{
    if (f->sentinel && strcmp(v, f->sentinel) == 0)
        v = f->replace ? f->replace : "";
    if (f->type == F_DATE) {
        char y[5] = "", m[3] = "", d[3] = "";
        const char *p = v;
        for (const char *q = f->date_fmt; *q; q++) {
            char *dst = NULL;
            size_t k = 0;
            if (q[0] == '%' && (q[1] == 'Y' || q[1] == 'm' || q[1] == 'd')) {
                dst = q[1] == 'Y' ? y : q[1] == 'm' ? m : d;
                k = q[1] == 'Y' ? 4 : 2;
                q++;
            }
            if (!dst) {
                if (*p++ != *q)
                    return BAD(err, f->id, _("not a date in the schema's format"));
                continue;
            }
            for (size_t i = 0; i < k; i++, p++) {
                if (*p < '0' || *p > '9')
                    return BAD(err, f->id, _("not a date in the schema's format"));
                dst[i] = *p;
            }
        }
        if (*p)
            return BAD(err, f->id, _("not a date in the schema's format"));
        ct_buf_addf(out, "%s%s%s", y, m, d);
        return 0;
    }
    if (f->type == F_INTEGER) {
        for (const char *p = v; *p; p++)
            if ((*p < '0' || *p > '9') && !(p == v && *p == '-'))
                return BAD(err, f->id, _("not an integer"));
        ct_buf_adds(out, v);
        return 0;
    }
    return ct_link_normalise(v, strlen(v), out, err);
}

static void set_bits(uint64_t *filter, size_t l, const unsigned char *key, size_t key_size,
                     const char *tok, size_t n, int k)
{
    unsigned char in[64], h[64];
    if (n > sizeof(in) - 1)
        n = sizeof(in) - 1;
    memcpy(in, tok, n);
    for (int done = 0, block = 0; done < k; block++) {
        in[n] = (unsigned char)block;
        crypto_generichash(h, sizeof(h), in, n + 1, key, key_size);
        for (int i = 0; i < 32 && done < k; i++, done++) {
            size_t pos = ((size_t)h[2 * i] | (size_t)h[2 * i + 1] << 8) & (l - 1);
            filter[pos / 64] |= 1ULL << (pos % 64);
        }
    }
}

/* q-grams (padded with spaces), positional q-grams ("3 x"), or the whole
 * value; each sets k bits, k spread evenly under bitsPerFeature. */
static void hash_feature(const ct_pprl_encoder *e, size_t fi, const char *v, size_t len,
                         uint64_t *filter)
{
    const feature *f = &e->s->f[fi];
    const unsigned char *key = e->keys + fi * e->s->key_size;
    char padded[1100], tok[48];
    int pad = f->exact || f->positional ? 0 : f->n - 1;
    if (len > 1000)
        len = 1000;
    memset(padded, ' ', (size_t)pad);
    memcpy(padded + pad, v, len);
    memset(padded + pad + len, ' ', (size_t)pad);
    size_t total = len + 2 * (size_t)pad;
    size_t ntok = f->exact ? 1 : (total >= (size_t)f->n ? total - (size_t)f->n + 1 : 0);
    for (size_t t = 0; t < ntok; t++) {
        int k = f->bits_per_token;
        if (f->bits_per_feature)
            k = f->bits_per_feature / (int)ntok + ((int)t < f->bits_per_feature % (int)ntok);
        size_t n;
        if (f->exact && len >= sizeof(tok)) { /* long exact values: their digest */
            crypto_generichash((unsigned char *)tok, 32, (const unsigned char *)v, len, NULL, 0);
            n = 32;
        } else if (f->exact) {
            memcpy(tok, v, len);
            n = len;
        } else if (f->positional) {
            n = (size_t)snprintf(tok, sizeof(tok), "%zu %.*s", t + 1, f->n, padded + t);
        } else {
            memcpy(tok, padded + t, (size_t)f->n);
            n = (size_t)f->n;
        }
        set_bits(filter, e->s->l, key, e->s->key_size, tok, n, k);
    }
}

/* XOR folding (Schnell, Borgs, Encarnacao 2016), then balancing (Schnell
 * and Borgs 2016): the filter and its complement, secretly permuted. */
static void harden(const ct_pprl_encoder *e, uint64_t *filter, uint64_t *out)
{
    size_t l = e->s->l;
    for (size_t f = 0; f < e->s->folds; f++) {
        l /= 2;
        for (size_t w = 0; w < l / 64; w++)
            filter[w] ^= filter[w + l / 64];
    }
    if (!e->s->balance) {
        memcpy(out, filter, l / 8);
        return;
    }
    memset(out, 0, 2 * l / 8);
    for (size_t i = 0; i < 2 * l; i++) {
        size_t src = i < l ? i : i - l;
        int bit = (int)(filter[src / 64] >> (src % 64) & 1) ^ (i >= l);
        uint32_t to = e->perm[i];
        out[to / 64] |= (uint64_t)bit << (to % 64);
    }
}

int ct_pprl_encode(const ct_pprl_encoder *e, const char *const *values, uint64_t *out, ct_err *err)
{
    const ct_pprl_schema *s = e->s;
    uint64_t *filter = ct_calloc(s->l / 64, sizeof(uint64_t));
    ct_buf v = CT_BUF_INIT;
    if (!filter)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    int r = 0;
    for (size_t i = 0; i < s->nf && !r; i++) {
        if (!s->f[i].id || !values[i] || !*values[i])
            continue;
        ct_buf_reset(&v);
        r = prepare(&s->f[i], values[i], &v, err);
        if (!r && v.len)
            hash_feature(e, i, v.buf, v.len, filter);
    }
    if (!r)
        harden(e, filter, out);
    ct_buf_release(&v);
    sodium_memzero(filter, s->l / 8);
    ct_free(filter);
    return r;
}
