/*
 * ctdc.c - `ctip export --format ctdc`: every victim, anonymised, in the 27
 * columns of the CTDC synthetic data standard (domain.md §3).
 *
 * Anonymisation:
 *  - no direct identifier, no free text, no date finer than the year;
 *  - ages as CTDC age bands; countries as ISO alpha-3;
 *  - k-anonymity on the quasi-identifiers (year, gender, ageBroad,
 *    citizenship, CountryOfExploitation, and the three form flags): every
 *    combination written occurs at least k times in the output.
 * k is reached by generalising before suppressing, record by record: the
 * records whose class already has k members are written as they are; the
 * others are generalised one level and their classes recounted, and so on
 * (levels, docs/statistics.md):
 *   1. countries -> UN M49 subregion name (in the same column);
 *   2. countries -> UN M49 region name;
 *   3. and ageBroad -> "0--17" or "18+";
 *   4. and citizenship and country of exploitation left empty;
 * records still in a class smaller than k are suppressed (not written).
 * Every class finalised at a level has >= k members and classes of
 * different levels can only merge, so the property holds for the output.
 */
#include "stats_int.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/i18n.h"

#include <stdlib.h>
#include <string.h>

#define NLEVELS 5

enum { F_LABOUR = 1, F_SEXUAL = 2, F_OTHER = 4 };

static const char *const columns[27] = {"yearOfRegistration",
                                        "gender",
                                        "ageBroad",
                                        "citizenship",
                                        "CountryOfExploitation",
                                        "traffickMonths",
                                        "meansDebtBondageEarnings",
                                        "meansThreats",
                                        "meansAbusePsyPhySex",
                                        "meansFalsePromises",
                                        "meansDrugsAlcohol",
                                        "meansDenyBasicNeeds",
                                        "meansExcessiveWorkHours",
                                        "meansWithholdDocs",
                                        "isForcedLabour",
                                        "isSexualExploit",
                                        "isOtherExploit",
                                        "typeOfLabourAgriculture",
                                        "typeOfLabourConstruction",
                                        "typeOfLabourDomesticWork",
                                        "typeOfLabourHospitality",
                                        "typeOfSexProstitution",
                                        "typeOfSexPornography",
                                        "recruiterRelationIntimatePartner",
                                        "recruiterRelationFriend",
                                        "recruiterRelationFamily",
                                        "recruiterRelationOther"};
#define MEANS0  6
#define LABOUR0 17
#define REL0    23

typedef struct rec {
    uint8_t year;   /* - 1990 */
    uint8_t sex;    /* 0 Woman, 1 Man, 2 Trans..., 3 empty */
    uint8_t age;    /* CTDC band index, 15: empty */
    uint8_t cit;    /* country index, 255: empty */
    uint8_t coe;    /* country index, 255: empty */
    uint8_t forms;  /* F_* */
    uint8_t months; /* 0, 1, 2; 3: empty */
    uint8_t means;  /* bit i: column MEANS0 + i */
    uint8_t labour; /* bits: typeOfLabour*, then typeOfSex* at bits 4-5 */
    uint8_t rel;    /* bits: recruiterRelation* */
    uint8_t level;  /* generalisation level; NLEVELS: suppressed */
} rec;

typedef struct bands {
    int min[16], max[16];
    const char *text[16];
    size_t n;
} bands;

typedef struct exporter {
    const ct_stats *st; /* for the country and region helpers */
    ct_stats dummy;
    rec *v;
    size_t n, cap;
    bands b;
    const ct_code_list *means, *sectors, *relations, *purposes, *sexes;
    const ct_ctdc_opts *o;
    long total;
} exporter;

static int column_index(const char *name, int from, int to)
{
    for (int i = from; name && i < to; i++)
        if (strcmp(columns[i], name) == 0)
            return i - from;
    return -1;
}

static unsigned country(const exporter *x, const char *code, size_t n)
{
    char buf[8];
    if (!code || !n || n >= sizeof(buf))
        return 255;
    memcpy(buf, code, n);
    buf[n] = '\0';
    const ct_code *c = ct_codes_find(x->dummy.countries, buf);
    return c && ct_code_index(c) < 255 ? (unsigned)ct_code_index(c) : 255;
}

/* bits of the codes in a ';'-joined list, through attribute attr -> column */
static unsigned flags(const ct_code_list *l, const char *list, const char *attr, int from, int to)
{
    unsigned bits = 0;
    char buf[64];
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ';');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n < sizeof(buf)) {
            memcpy(buf, p, n);
            buf[n] = '\0';
            int i = column_index(ct_code_attr(ct_codes_find(l, buf), attr), from, to);
            if (i >= 0)
                bits |= 1u << i;
        }
        p = e ? e + 1 : p + n;
    }
    return bits;
}

static unsigned forms_of(const exporter *x, const char *list)
{
    unsigned f = 0;
    char buf[64];
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ';');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n < sizeof(buf)) {
            memcpy(buf, p, n);
            buf[n] = '\0';
            const char *g = ct_code_attr(ct_codes_find(x->purposes, buf), "ctdc");
            f |= !g                         ? 0
                 : strcmp(g, "labour") == 0 ? F_LABOUR
                 : strcmp(g, "sexual") == 0 ? F_SEXUAL
                                            : F_OTHER;
        }
        p = e ? e + 1 : p + n;
    }
    return f;
}

static unsigned band_of(const bands *b, int min, int max)
{
    if (min < 0)
        return 15;
    for (size_t i = 0; i < b->n; i++)
        if (min >= b->min[i] && (b->max[i] < 0 || min <= b->max[i]))
            return (unsigned)i; /* the lower bound's band: benefit of the doubt */
    (void)max;
    return 15;
}

static int on_victim(const ct_stat_victim *v, void *arg)
{
    exporter *x = arg;
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 4096;
        rec *r = ct_realloc(x->v, cap * sizeof(*r));
        if (!r)
            return CT_ENOMEM;
        x->v = r;
        x->cap = cap;
    }
    rec *r = &x->v[x->n++];
    memset(r, 0, sizeof(*r));
    int y = v->year < ST_YEAR0 ? ST_YEAR0 : v->year;
    r->year = (uint8_t)(y - ST_YEAR0);
    const ct_code *sex = v->sex ? ct_codes_find(x->sexes, v->sex) : NULL;
    const char *g = ct_code_attr(sex, "ctdc_synthetic");
    r->sex = !g ? 3 : strcmp(v->sex, "female") == 0 ? 0 : strcmp(v->sex, "male") == 0 ? 1 : 2;
    r->age = (uint8_t)band_of(&x->b, v->age_min, v->age_max);
    const char *c = v->citizenship;
    r->cit = (uint8_t)country(x, c, c ? strcspn(c, ";") : 0);
    c = v->country_exploitation;
    r->coe = (uint8_t)country(x, c, c ? strlen(c) : 0);
    r->forms = (uint8_t)forms_of(x, v->purposes);
    r->months = v->exploitation_months < 0     ? 3
                : v->exploitation_months <= 12 ? 0
                : v->exploitation_months <= 24 ? 1
                                               : 2;
    r->means = (uint8_t)flags(x->means, v->means_of_control, "ctdc_synthetic", MEANS0, MEANS0 + 8);
    r->labour = (uint8_t)flags(x->sectors, v->labour_sector, "ctdc", LABOUR0, LABOUR0 + 4);
    /* CTDC's typeOfSexPornography: production of abuse material; ctip
     * records no finer kind of sexual exploitation (prostitution stays empty) */
    if (v->purposes && strstr(v->purposes, "abuse_material"))
        r->labour |= 1u << 5;
    r->rel = (uint8_t)flags(x->relations, v->recruiter_relation, "ctdc", REL0, REL0 + 4);
    if (x->o->progress && x->n % 65536 == 0)
        x->o->progress(x->o->progress_arg, (long)x->n, x->total);
    return 0;
}

/* ---- k-anonymity --------------------------------------------------------- */

static unsigned gen_country(const exporter *x, unsigned c, int level)
{
    if (c == 255 || level == 0)
        return c;
    if (level >= 4)
        return 255;
    const char *m49 = st_country_attr(&x->dummy, c, level == 1 ? "subregion" : "region");
    const ct_code *r = m49 ? ct_codes_find(x->dummy.regions, m49) : NULL;
    return r ? 256 + (unsigned)ct_code_index(r) : 255;
}

static unsigned gen_age(const exporter *x, unsigned age, int level)
{
    if (age == 15 || level < 3)
        return age;
    return x->b.max[age] >= 0 && x->b.max[age] < 18 ? 13 : 14; /* "0--17", "18+" */
}

static uint64_t qi_key(const exporter *x, const rec *r, int level)
{
    return (uint64_t)r->year | (uint64_t)r->sex << 7 | (uint64_t)gen_age(x, r->age, level) << 9 |
           (uint64_t)gen_country(x, r->cit, level) << 13 |
           (uint64_t)gen_country(x, r->coe, level) << 23 | (uint64_t)r->forms << 33;
}

static long class_size(const st_cube *c, uint64_t key)
{
    uint64_t k = key | ST_USED;
    size_t j = (size_t)((k * 0x9E3779B97F4A7C15ULL) >> 20) & (c->cap - 1);
    while (c->keys[j] && c->keys[j] != k)
        j = (j + 1) & (c->cap - 1);
    return c->keys[j] ? c->counts[j] : 0;
}

static int anonymise(exporter *x, int k, ct_ctdc_report *rep)
{
    for (size_t i = 0; i < x->n; i++)
        x->v[i].level = NLEVELS; /* pending */
    for (int level = 0; level < NLEVELS; level++) {
        st_cube c = {0};
        for (size_t i = 0; i < x->n; i++)
            if (x->v[i].level == NLEVELS && st_cube_add(&c, qi_key(x, &x->v[i], level), 1)) {
                st_cube_release(&c);
                return CT_ENOMEM;
            }
        size_t bytes = c.cap * (sizeof(uint64_t) + sizeof(long)) + x->cap * sizeof(rec);
        if (bytes > rep->peak_bytes)
            rep->peak_bytes = bytes;
        if (!c.n)
            break;
        for (size_t i = 0; i < x->n; i++)
            if (x->v[i].level == NLEVELS && class_size(&c, qi_key(x, &x->v[i], level)) >= k) {
                x->v[i].level = (uint8_t)level;
                if (level)
                    rep->generalised[level - 1]++;
                else
                    rep->exact++;
            }
        st_cube_release(&c);
    }
    for (size_t i = 0; i < x->n; i++)
        rep->suppressed += x->v[i].level == NLEVELS;
    return 0;
}

/* ---- output -------------------------------------------------------------- */

static const char *country_text(const exporter *x, unsigned c)
{
    if (c == 255)
        return "";
    if (c >= 256)
        return ct_code_label(ct_code_list_at(x->dummy.regions, c - 256), "en");
    return st_country_code(&x->dummy, c);
}

static void write_rec(const exporter *x, const rec *r, ct_buf *b)
{
    static const char *const sexes[] = {"Woman", "Man", "Trans/Transgender/NonConforming", ""};
    static const char *const months[] = {"0--12 (0-1 yr)", "13--24 (1-2 yrs)", "25+ (2+ yrs)", ""};
    int level = r->level;
    unsigned age = gen_age(x, r->age, level);
    ct_buf_addf(b, "%d,%s,%s,", r->year + ST_YEAR0, sexes[r->sex],
                age == 15   ? ""
                : age == 13 ? "0--17"
                : age == 14 ? "18+"
                            : x->b.text[age]);
    const char *cit = country_text(x, gen_country(x, r->cit, level));
    const char *coe = country_text(x, gen_country(x, r->coe, level));
    ct_csv_buf_field(b, cit, strlen(cit), ',');
    ct_buf_addc(b, ',');
    ct_csv_buf_field(b, coe, strlen(coe), ',');
    ct_buf_addf(b, ",%s", months[r->months]);
    for (int i = 0; i < 8; i++)
        ct_buf_adds(b, r->means & (1u << i) ? ",1" : ",");
    ct_buf_adds(b, r->forms & F_LABOUR ? ",1" : ",");
    ct_buf_adds(b, r->forms & F_SEXUAL ? ",1" : ",");
    ct_buf_adds(b, r->forms & F_OTHER ? ",1" : ",");
    for (int i = 0; i < 6; i++)
        ct_buf_adds(b, r->labour & (1u << i) ? ",1" : ",");
    for (int i = 0; i < 4; i++)
        ct_buf_adds(b, r->rel & (1u << i) ? ",1" : ",");
    ct_buf_addc(b, '\n');
}

static int write_all(exporter *x, FILE *out, ct_ctdc_report *rep)
{
    ct_buf b = CT_BUF_INIT;
    for (int i = 0; i < 27; i++) {
        ct_buf_adds(&b, i ? "," : "");
        ct_buf_adds(&b, columns[i]);
    }
    ct_buf_addc(&b, '\n');
    for (size_t i = 0; i < x->n; i++) {
        if (x->v[i].level == NLEVELS)
            continue;
        write_rec(x, &x->v[i], &b);
        rep->written++;
        if (b.len > 1 << 20) {
            if (fwrite(b.buf, 1, b.len, out) != b.len)
                break;
            ct_buf_reset(&b);
        }
    }
    int oom = b.oom;
    if (!oom)
        fwrite(b.buf, 1, b.len, out);
    ct_buf_release(&b);
    return oom ? CT_ENOMEM : ferror(out) ? CT_EIO : 0;
}

static void load_bands(bands *b)
{
    const ct_code_list *l = ct_codes_list("age_bands");
    for (size_t i = 0; i < ct_code_list_size(l) && b->n < 13; i++) {
        const ct_code *c = ct_code_list_at(l, i);
        const char *scheme = ct_code_attr(c, "scheme");
        if (!scheme || strcmp(scheme, "ctdc") != 0)
            continue;
        const char *mx = ct_code_attr(c, "max");
        b->min[b->n] = atoi(ct_code_attr(c, "min"));
        b->max[b->n] = mx ? atoi(mx) : -1;
        b->text[b->n] = ct_code_attr(c, "ctdc");
        b->n++;
    }
}

int ct_stats_ctdc_export(ct_store *s, const ct_ctdc_opts *o, FILE *out, ct_ctdc_report *rep,
                         ct_err *err)
{
    memset(rep, 0, sizeof(*rep));
    exporter x = {0};
    x.o = o;
    x.dummy.countries = ct_codes_list("countries");
    x.dummy.regions = ct_codes_list("regions");
    x.means = ct_codes_list("means_of_control");
    x.sectors = ct_codes_list("labour_sectors");
    x.relations = ct_codes_list("recruiter_relations");
    x.purposes = ct_codes_list("purposes");
    x.sexes = ct_codes_list("sexes");
    load_bands(&x.b);
    int k = o->k > 0 ? o->k : 11;
    ct_case_filter f = {.agency = o->agency, .year_from = o->year_from, .year_to = o->year_to};
    long cases, suspects;
    int r = o->progress ? ct_store_count(s, &cases, &x.total, &suspects, err) : 0;
    if (!r)
        r = ct_store_victims_each(s, &f, on_victim, &x, err);
    rep->records = (long)x.n;
    if (!r)
        r = anonymise(&x, k, rep);
    if (!r)
        r = write_all(&x, out, rep);
    ct_free(x.v);
    if (r == CT_ENOMEM)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    if (r == CT_EIO)
        return ct_err_set(err, CT_EIO, "%s", _("cannot write the export"));
    return r;
}
