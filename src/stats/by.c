/*
 * by.c - `ctip stats --by DIM,...`: victims cross-tabulated by any of the
 * dimensions of stats.h, one row per combination present, with the total.
 * "form" counts a victim under each of their forms (the total counts each
 * victim once); every other dimension counts each victim once.
 */
#include "stats_int.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <stdlib.h>
#include <string.h>

enum dim { D_SEX, D_AGE, D_FORM, D_GFORM, D_CITIZEN, D_COUNTRY, D_REGION, D_YEAR, D_FLOW, D_N };
static const char *const dim_names[D_N] = {
    "sex", "agegroup", "form", "glotip_form", "citizenship", "country", "region", "year", "flow"};
#define MAX_DIMS 7

static int parse_dims(const char *s, int *dims, size_t *n)
{
    *n = 0;
    while (s && *s) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        int found = -1;
        for (int d = 0; d < D_N; d++)
            if (strlen(dim_names[d]) == len && memcmp(dim_names[d], s, len) == 0)
                found = d;
        if (found < 0 || *n == MAX_DIMS)
            return -1;
        dims[(*n)++] = found;
        s = e ? e + 1 : s + len;
    }
    return *n ? 0 : -1;
}

static unsigned region_idx(const ct_stats *st, unsigned country)
{
    const ct_code *c = ct_codes_find(st->regions, st_country_attr(st, country, "region"));
    return c ? (unsigned)ct_code_index(c) : 255;
}

static unsigned value_of(const ct_stats *st, int dim, uint64_t k)
{
    switch (dim) {
    case D_SEX:
        return VK_SEX(k);
    case D_AGE:
        return VK_AGE(k);
    case D_GFORM:
        return VK_GCAT(k);
    case D_CITIZEN:
        return VK_CITIZEN(k);
    case D_COUNTRY:
        return VK_DETECT(k);
    case D_REGION:
        return region_idx(st, VK_DETECT(k));
    case D_YEAR:
        return (unsigned)(VK_YEAR(k) - ST_YEAR0);
    case D_FLOW:
        return st_flow_of(st, VK_CITIZEN(k), VK_DETECT(k));
    default:
        return 0;
    }
}

static void value_text(const ct_stats *st, int dim, unsigned v, const char *lang, char *code,
                       char *label, size_t n)
{
    static const char *const sexes[] = {"female", "male", "other", "unknown"};
    static const char *const ages[] = {"0-17", "18+", "unknown"};
    static const char *const gforms[] = {"sexual_exploitation", "forced_labour", "other_forms",
                                         "not_recorded"};
    static const char *const flows[] = {"domestic", "intra_subregional", "intra_regional",
                                        "trans_regional", "unknown"};
    const char *c = "unknown", *l = _("Unknown");
    switch (dim) {
    case D_SEX:
        c = sexes[v];
        l = ct_code_label(ct_codes_lookup("sexes", c), lang);
        break;
    case D_AGE: {
        const char *al[] = {_("0 to 17 years"), _("18 years or over"), _("Unknown")};
        c = ages[v];
        l = al[v];
        break;
    }
    case D_FORM:
        if (v < ST_NPURPOSES) {
            const ct_code *p = ct_code_list_at(st->purposes, v);
            c = ct_code_id(p);
            l = ct_code_label(p, lang);
        } else {
            c = "not_recorded";
            l = _("Not recorded");
        }
        break;
    case D_GFORM: {
        const char *gl[] = {_("Sexual exploitation"), _("Forced labour"),
                            _("Other forms of exploitation"), _("Not recorded")};
        c = gforms[v];
        l = gl[v];
        break;
    }
    case D_CITIZEN:
    case D_COUNTRY:
        if (v != ST_NO_COUNTRY) {
            const ct_code *p = ct_code_list_at(st->countries, v);
            c = ct_code_id(p);
            l = ct_code_label(p, lang);
        }
        break;
    case D_REGION:
        if (v != 255) {
            const ct_code *p = ct_code_list_at(st->regions, v);
            c = ct_code_id(p);
            l = ct_code_label(p, lang);
        }
        break;
    case D_YEAR:
        snprintf(code, n, "%d", (int)v + ST_YEAR0);
        snprintf(label, n, "%d", (int)v + ST_YEAR0);
        return;
    case D_FLOW: {
        const char *fl[] = {_("Domestic"), _("Intra-subregional"), _("Intra-regional"),
                            _("Trans-regional"), _("Unknown")};
        c = flows[v];
        l = fl[v];
        break;
    }
    }
    snprintf(code, n, "%s", c);
    snprintf(label, n, "%s", l);
}

typedef struct pair {
    uint64_t key;
    long n;
} pair;

static int cmp_pair(const void *a, const void *b)
{
    uint64_t x = ((const pair *)a)->key, y = ((const pair *)b)->key;
    return x < y ? -1 : x > y;
}

static int fill(const ct_stats *st, const int *dims, size_t nd, st_cube *out, long *total)
{
    int form_dim = -1;
    for (size_t d = 0; d < nd; d++)
        if (dims[d] == D_FORM)
            form_dim = (int)d;
    for (size_t i = 0; i < st->victims.cap; i++) {
        uint64_t k = st->victims.keys[i];
        if (!k)
            continue;
        long n = st->victims.counts[i];
        *total += n;
        uint64_t base = 0;
        for (size_t d = 0; d < nd; d++)
            if ((int)d != form_dim)
                base |= (uint64_t)value_of(st, dims[d], k) << (8 * (nd - 1 - d));
        if (form_dim < 0) {
            if (st_cube_add(out, base, n))
                return CT_ENOMEM;
            continue;
        }
        unsigned mask = VK_PURPOSES(k);
        int shift = 8 * (int)(nd - 1 - (size_t)form_dim);
        for (unsigned p = 0; p <= ST_NPURPOSES; p++) {
            if (p < ST_NPURPOSES ? !(mask & (1u << p)) : mask != 0)
                continue;
            if (st_cube_add(out, base | (uint64_t)p << shift, n))
                return CT_ENOMEM;
        }
    }
    return 0;
}

static int build(const ct_stats *st, const int *dims, size_t nd, const char *lang, const char *spec,
                 ct_stats_table **out)
{
    st_cube c = {0};
    long total = 0;
    int r = fill(st, dims, nd, &c, &total);
    pair *keys = r ? NULL : ct_malloc((c.n ? c.n : 1) * sizeof(*keys));
    if (!keys) {
        st_cube_release(&c);
        return CT_ENOMEM;
    }
    size_t n = 0;
    for (size_t i = 0; i < c.cap; i++)
        if (c.keys[i]) {
            keys[n].key = c.keys[i] & ~ST_USED;
            keys[n++].n = c.counts[i];
        }
    qsort(keys, n, sizeof(*keys), cmp_pair);
    char title[256];
    snprintf(title, sizeof(title), _("Victims detected by %s"), spec);
    ct_stats_table *t = st_table_new("victims_by", title, n + 1, 1);
    r = t ? st_table_col(t, 0, "victims", _("Victims")) : CT_ENOMEM;
    if (!r)
        r = st_table_row(t, n, "total", _("Total"));
    if (t) {
        t->has_total_col = 0;
        t->rows_additive = 0;
    }
    for (size_t i = 0; i < n && !r; i++) {
        ct_buf code = CT_BUF_INIT, label = CT_BUF_INIT;
        for (size_t d = 0; d < nd; d++) {
            char cv[128], lv[128];
            value_text(st, dims[d], (unsigned)((keys[i].key >> (8 * (nd - 1 - d))) & 0xFF), lang,
                       cv, lv, sizeof(cv));
            ct_buf_adds(&code, d ? ";" : "");
            ct_buf_adds(&code, cv);
            ct_buf_adds(&label, d ? " / " : "");
            ct_buf_adds(&label, lv);
        }
        r = code.oom || label.oom ? CT_ENOMEM : st_table_row(t, i, code.buf, label.buf);
        ct_buf_release(&code);
        ct_buf_release(&label);
        *st_cell(t, i, 0) = keys[i].n;
    }
    if (t)
        *st_cell(t, n, 0) = total;
    if (!r)
        r = st_table_note(t, "%s",
                          _("Unknown values are counted as unknown; no record is left out."));
    for (size_t d = 0; d < nd && !r; d++)
        if (dims[d] == D_FORM)
            r = st_table_note(t, "%s",
                              _("A victim of several forms is counted under each, so the rows "
                                "add up to more than the victims; the Total row counts each "
                                "victim once."));
    ct_free(keys);
    st_cube_release(&c);
    if (r) {
        ct_stats_table_free(t);
        return r;
    }
    *out = t;
    return 0;
}

int ct_stats_table_by(const ct_stats *st, const char *spec, const char *lang, ct_stats_table **out,
                      ct_err *err)
{
    int dims[MAX_DIMS];
    size_t nd;
    if (parse_dims(spec, dims, &nd))
        return ct_err_set(err, CT_EUSAGE,
                          _("--by takes up to %d of: sex, agegroup, form, glotip_form, "
                            "citizenship, country, region, year, flow"),
                          MAX_DIMS);
    char keep[16];
    snprintf(keep, sizeof(keep), "%s", ct_i18n_lang());
    if (lang)
        ct_i18n_use(lang);
    int r = build(st, dims, nd, ct_i18n_lang(), spec, out);
    ct_i18n_use(keep);
    if (r)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    return 0;
}
