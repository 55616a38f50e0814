/*
 * data.c - the record store: one column array per field, values normalised
 * once on entry (normalise.c), names with their phonetic keys and, after
 * ct_link_data_prepare, their term frequencies.
 *
 * Invariants: d->n records; for each column, v[0..n) are set; v[i].s is NULL
 * for a missing value, else NUL-terminated in the arena. Strings are never
 * moved once stored (the arena only grows by new chunks), so pointers stay
 * valid until ct_link_data_free.
 */
#include "link_int.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CHUNK = 1 << 20, MAX_VALUE = 1000 };

#define OOM(err) ct_err_set((err), CT_ENOMEM, "%s", _("out of memory"))

ct_link_data *ct_link_data_new(const ct_link_column *cols, size_t ncols, ct_err *err)
{
    if (ncols == 0 || ncols > 16) {
        ct_err_set(err, CT_EUSAGE, _("between 1 and 16 columns can be compared, not %zu"), ncols);
        return NULL;
    }
    ct_link_data *d = ct_calloc(1, sizeof(*d));
    if (!d) {
        OOM(err);
        return NULL;
    }
    d->ncols = ncols;
    d->given = d->family = d->dob = -1;
    for (size_t i = 0; i < ncols; i++) {
        ct_link_col *c = &d->col[i];
        c->c = cols[i];
        snprintf(c->name, sizeof(c->name), "%s", cols[i].name ? cols[i].name : "");
        c->c.name = c->name;
        if (cols[i].role == CT_LINK_R_GIVEN && d->given < 0)
            d->given = (int)i;
        if (cols[i].role == CT_LINK_R_FAMILY && d->family < 0)
            d->family = (int)i;
        if (cols[i].role == CT_LINK_R_DOB && cols[i].method == CT_LINK_DATE && d->dob < 0)
            d->dob = (int)i;
    }
    return d;
}

void ct_link_data_free(ct_link_data *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->ncols; i++) {
        ct_free(d->col[i].v);
        ct_free(d->col[i].date);
    }
    for (size_t i = 0; i < d->nchunks; i++)
        ct_free(d->chunks[i]);
    ct_free(d->chunks);
    ct_free(d->id);
    ct_free(d->source);
    ct_free(d);
}

/* Copies s into the arena; NULL on out of memory. */
static const char *arena_copy(ct_link_data *d, const char *s, size_t n)
{
    if (!d->nchunks || d->chunk_used + n + 1 > CHUNK) {
        size_t size = n + 1 > CHUNK ? n + 1 : CHUNK;
        char **chunks = ct_grow(d->chunks, sizeof(*chunks), d->nchunks + 1, &d->chunk_cap);
        if (!chunks)
            return NULL;
        d->chunks = chunks;
        if (!(d->chunks[d->nchunks] = ct_malloc(size)))
            return NULL;
        d->nchunks++;
        d->chunk_used = 0;
    }
    char *p = d->chunks[d->nchunks - 1] + d->chunk_used;
    memcpy(p, s, n);
    p[n] = '\0';
    d->chunk_used += n + 1;
    return p;
}

static int reserve(ct_link_data *d)
{
    if (d->n < d->cap)
        return 0;
    size_t cap = d->cap ? d->cap * 2 : 1024;
    char **id = ct_realloc(d->id, cap * sizeof(*id));
    if (!id)
        return CT_ENOMEM;
    d->id = id;
    unsigned char *src = ct_realloc(d->source, cap);
    if (!src)
        return CT_ENOMEM;
    d->source = src;
    for (size_t i = 0; i < d->ncols; i++) {
        ct_link_col *c = &d->col[i];
        ct_link_val *v = ct_realloc(c->v, cap * sizeof(*v));
        if (!v)
            return CT_ENOMEM;
        c->v = v;
        if (c->c.method != CT_LINK_DATE)
            continue;
        ct_link_date *dt = ct_realloc(c->date, cap * sizeof(*dt));
        if (!dt)
            return CT_ENOMEM;
        c->date = dt;
    }
    d->cap = cap;
    return 0;
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int ct_link_parse_date(const char *s, ct_link_date *out)
{
    memset(out, 0, sizeof(*out));
    if (*s == '~') {
        out->approx = 1;
        s++;
    }
    size_t n = strlen(s);
    if ((n != 4 && n != 6 && n != 8) || (out->approx && n != 4))
        return CT_EINVAL;
    int y = digits(s, 4), m = n >= 6 ? digits(s + 4, 2) : 0, dd = n == 8 ? digits(s + 6, 2) : 0;
    if (y < 0 || m < 0 || dd < 0)
        return CT_EINVAL;
    out->y = (int16_t)y;
    out->m = (int8_t)m;
    out->d = (int8_t)dd;
    memcpy(out->digits, s, n);
    return 0;
}

static int set_date(ct_link_data *d, ct_link_col *c, const char *s, ct_err *err)
{
    ct_link_date *dt = &c->date[d->n];
    memset(dt, 0, sizeof(*dt));
    if (!s || !*s)
        return 0;
    if (ct_link_parse_date(s, dt))
        return ct_err_set_field(err, CT_EINVAL, c->name, "%s",
                                _("not a date (expected YYYY, YYYYMM, YYYYMMDD or ~YYYY)"));
    /* the arena, not dt->digits: the date array moves when it grows */
    size_t n = strlen(dt->digits);
    if (!(c->v[d->n].s = arena_copy(d, dt->digits, n)))
        return OOM(err);
    c->v[d->n].len = (uint16_t)n;
    return 0;
}

static int set_text(ct_link_data *d, ct_link_col *c, const char *s, ct_buf *tmp, ct_err *err)
{
    ct_link_val *v = &c->v[d->n];
    size_t n = s ? strlen(s) : 0;
    if (n > MAX_VALUE)
        return ct_err_set_field(err, CT_EINVAL, c->name, _("longer than %d bytes"), MAX_VALUE);
    ct_buf_reset(tmp);
    int r = ct_link_normalise(s, n, tmp, err);
    if (r) {
        if (r == CT_EINVAL)
            snprintf(err->field, sizeof(err->field), "%s", c->name);
        return r;
    }
    if (tmp->len == 0)
        return 0;
    if (!(v->s = arena_copy(d, tmp->buf, tmp->len)))
        return OOM(err);
    v->len = (uint16_t)tmp->len;
    if (c->c.method == CT_LINK_NAME) {
        ct_link_dmetaphone(v->s, v->len, v->dm, v->dm2);
        v->nick = (uint8_t)ct_link_alias_known(v->s, v->len);
    }
    return 0;
}

int ct_link_data_add(ct_link_data *d, unsigned source, const char *id, const char *const *values,
                     ct_err *err)
{
    if (d->n >= UINT32_MAX - 1)
        return ct_err_set(err, CT_ETOOBIG, "%s", _("too many records"));
    if (reserve(d))
        return OOM(err);
    ct_buf tmp = CT_BUF_INIT;
    int r = 0;
    for (size_t i = 0; i < d->ncols && !r; i++) {
        ct_link_col *c = &d->col[i];
        memset(&c->v[d->n], 0, sizeof(c->v[d->n]));
        if (c->c.method == CT_LINK_DATE)
            r = set_date(d, c, values[i], err);
        else
            r = set_text(d, c, values[i], &tmp, err);
    }
    ct_buf_release(&tmp);
    if (r)
        return r;
    const char *copy = arena_copy(d, id ? id : "", id ? strlen(id) : 0);
    if (!copy)
        return OOM(err);
    d->id[d->n] = (char *)copy;
    d->source[d->n] = (unsigned char)source;
    d->n++;
    d->tf_done = 0;
    return 0;
}

size_t ct_link_data_count(const ct_link_data *d)
{
    return d->n;
}
const char *ct_link_data_id(const ct_link_data *d, size_t rec)
{
    return d->id[rec];
}
unsigned ct_link_data_source(const ct_link_data *d, size_t rec)
{
    return d->source[rec];
}
size_t ct_link_data_ncols(const ct_link_data *d)
{
    return d->ncols;
}
const ct_link_column *ct_link_data_column(const ct_link_data *d, size_t col)
{
    return &d->col[col].c;
}

/* Open-addressing counts of one column's values, by hash. */
typedef struct tf_slot {
    uint64_t h;
    uint32_t count;
} tf_slot;

static int column_tf(ct_link_data *d, ct_link_col *c)
{
    size_t cap = 16;
    while (cap < d->n * 2)
        cap <<= 1;
    tf_slot *t = ct_calloc(cap, sizeof(*t));
    if (!t)
        return CT_ENOMEM;
    size_t nonnull = 0;
    for (size_t pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < d->n; i++) {
            ct_link_val *v = &c->v[i];
            if (!v->s)
                continue;
            uint64_t h = ct_link_hash(v->s, v->len, 0) | 1; /* 0 marks a free slot */
            size_t k = h & (cap - 1);
            while (t[k].h && t[k].h != h)
                k = (k + 1) & (cap - 1);
            t[k].h = h;
            if (pass == 0) {
                t[k].count++;
                nonnull++;
            } else {
                v->tf = (float)((double)t[k].count / (double)nonnull);
            }
        }
    }
    double u = 0;
    for (size_t k = 0; k < cap; k++)
        if (t[k].h)
            u += ((double)t[k].count / (double)nonnull) * ((double)t[k].count / (double)nonnull);
    c->u_tf = u;
    ct_free(t);
    return 0;
}

int ct_link_data_prepare(ct_link_data *d, ct_err *err)
{
    if (d->tf_done)
        return 0;
    for (size_t i = 0; i < d->ncols; i++) {
        if (d->col[i].c.method != CT_LINK_NAME)
            continue;
        if (column_tf(d, &d->col[i]))
            return OOM(err);
    }
    d->tf_done = 1;
    return 0;
}
