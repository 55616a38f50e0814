/*
 * collect.c - the one pass: flat victim and suspect rows into the cubes of
 * stats_int.h, and the per-year data-quality counters.
 */
#include "stats_int.h"

#include "core/alloc.h"
#include "core/i18n.h"
#include "store/store_review.h"

#include <stdlib.h>
#include <string.h>

#define PROGRESS_EVERY 65536

int st_cube_add(st_cube *c, uint64_t key, long n)
{
    if (c->n * 2 >= c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 1024;
        uint64_t *keys = ct_calloc(cap, sizeof(*keys));
        long *counts = ct_calloc(cap, sizeof(*counts));
        if (!keys || !counts) {
            ct_free(keys);
            ct_free(counts);
            return CT_ENOMEM;
        }
        for (size_t i = 0; i < c->cap; i++) {
            if (!c->keys[i])
                continue;
            size_t j = (size_t)((c->keys[i] * 0x9E3779B97F4A7C15ULL) >> 20) & (cap - 1);
            while (keys[j])
                j = (j + 1) & (cap - 1);
            keys[j] = c->keys[i];
            counts[j] = c->counts[i];
        }
        ct_free(c->keys);
        ct_free(c->counts);
        c->keys = keys;
        c->counts = counts;
        c->cap = cap;
    }
    uint64_t k = key | ST_USED;
    size_t j = (size_t)((k * 0x9E3779B97F4A7C15ULL) >> 20) & (c->cap - 1);
    while (c->keys[j] && c->keys[j] != k)
        j = (j + 1) & (c->cap - 1);
    if (!c->keys[j]) {
        c->keys[j] = k;
        c->n++;
    }
    c->counts[j] += n;
    return 0;
}

void st_cube_release(st_cube *c)
{
    ct_free(c->keys);
    ct_free(c->counts);
    memset(c, 0, sizeof(*c));
}

typedef struct walker {
    ct_stats *st;
    unsigned gcat_of[ST_NPURPOSES]; /* GLOTIP category of each purpose */
    const ct_stats_opts *o;
    long done, total;
} walker;

static unsigned sex_of(const char *s)
{
    if (!s)
        return ST_UNKNOWN_SEX;
    if (strcmp(s, "female") == 0)
        return ST_FEMALE;
    if (strcmp(s, "male") == 0)
        return ST_MALE;
    if (strcmp(s, "other") == 0)
        return ST_OTHER_SEX;
    return ST_UNKNOWN_SEX;
}

/* Age group from the age range; a range straddling 18 counts as a child
 * (benefit of the doubt, contracts.md) and as uncertain. */
static unsigned age_of(int min, int max, int *uncertain)
{
    if (min < 0)
        return ST_UNKNOWN_AGE;
    if (max < 18)
        return ST_CHILD;
    if (min >= 18)
        return ST_ADULT;
    *uncertain = 1;
    return ST_CHILD;
}

static unsigned country_idx(const ct_stats *st, const char *code, size_t n)
{
    char buf[8];
    if (!code || n == 0 || n >= sizeof(buf))
        return ST_NO_COUNTRY;
    memcpy(buf, code, n);
    buf[n] = '\0';
    const ct_code *c = ct_codes_find(st->countries, buf);
    return c && ct_code_index(c) < ST_NO_COUNTRY ? (unsigned)ct_code_index(c) : ST_NO_COUNTRY;
}

/* The citizenship counted: the country of detection when the person holds
 * it (a national), else the first one recorded. */
static unsigned citizen_of(const ct_stats *st, const char *list, unsigned detect)
{
    unsigned first = ST_NO_COUNTRY;
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ';');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        unsigned i = country_idx(st, p, n);
        if (i != ST_NO_COUNTRY && i == detect)
            return i;
        if (first == ST_NO_COUNTRY)
            first = i;
        p = e ? e + 1 : p + n;
    }
    return first;
}

static unsigned purposes_mask(const ct_stats *st, const char *list)
{
    unsigned mask = 0;
    char buf[64];
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ';');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n < sizeof(buf)) {
            memcpy(buf, p, n);
            buf[n] = '\0';
            const ct_code *c = ct_codes_find(st->purposes, buf);
            if (c && ct_code_index(c) < ST_NPURPOSES)
                mask |= 1u << ct_code_index(c);
        }
        p = e ? e + 1 : p + n;
    }
    return mask;
}

/* One GLOTIP category per person (domain.md §2): the only one, else the
 * main purpose's, else "Other forms of exploitation". */
static unsigned gcat_of(const walker *w, unsigned mask, const char *main_purpose)
{
    unsigned cats = 0;
    for (unsigned i = 0; i < ST_NPURPOSES; i++)
        if (mask & (1u << i))
            cats |= 1u << w->gcat_of[i];
    if (!cats)
        return ST_G_NONE;
    if ((cats & (cats - 1)) == 0)
        return (unsigned)__builtin_ctz(cats);
    if (main_purpose) {
        const ct_code *c = ct_codes_find(w->st->purposes, main_purpose);
        if (c && ct_code_index(c) < ST_NPURPOSES && (mask & (1u << ct_code_index(c))))
            return w->gcat_of[ct_code_index(c)];
    }
    return ST_G_OTHER;
}

static uint64_t year_bits(ct_stats *st, int year)
{
    if (year < ST_YEAR0)
        year = ST_YEAR0;
    if (year >= ST_YEAR0 + ST_NYEARS)
        year = ST_YEAR0 + ST_NYEARS - 1;
    if (!st->first_year || year < st->first_year)
        st->first_year = year;
    if (year > st->last_year)
        st->last_year = year;
    return (uint64_t)(year - ST_YEAR0);
}

static void progress(walker *w)
{
    if (++w->done % PROGRESS_EVERY == 0 && w->o->progress)
        w->o->progress(w->o->progress_arg, w->done, w->total);
}

static int year_index(int year)
{
    return year < ST_YEAR0 ? 0 : year >= ST_YEAR0 + ST_NYEARS ? ST_NYEARS - 1 : year - ST_YEAR0;
}

static void count_quality(ct_stats *st, const ct_stat_victim *v, unsigned age, int uncertain,
                          unsigned citizen, unsigned detect, unsigned mask)
{
    st_quality *q = &st->quality[year_index(v->year)];
    q->victims++;
    q->shared_key += v->shares_person_key != 0;
    q->no_sex += !v->sex || strcmp(v->sex, "unknown") == 0;
    q->no_age += age == ST_UNKNOWN_AGE;
    q->uncertain += uncertain;
    q->age_flag += v->age_uncertain != 0;
    q->no_citizenship += citizen == ST_NO_COUNTRY;
    q->no_purpose += mask == 0;
    q->no_ident_date += !v->has_identification_date;
    q->late += v->registration_delay_days > st->late_days;
    q->no_detection += detect == ST_NO_COUNTRY;
}

static int on_victim(const ct_stat_victim *v, void *arg)
{
    walker *w = arg;
    ct_stats *st = w->st;
    int uncertain = v->age_uncertain != 0;
    unsigned age = age_of(v->age_min, v->age_max, &uncertain);
    unsigned detect = country_idx(st, v->detection_country,
                                  v->detection_country ? strlen(v->detection_country) : 0);
    if (st->only_country <= ST_NO_COUNTRY && detect != st->only_country)
        return 0;
    unsigned citizen = citizen_of(st, v->citizenship, detect);
    unsigned mask = purposes_mask(st, v->purposes);
    uint64_t k = year_bits(st, v->year) | (uint64_t)detect << 7 | (uint64_t)sex_of(v->sex) << 15 |
                 (uint64_t)age << 17 | (uint64_t)uncertain << 19 | (uint64_t)citizen << 20 |
                 (uint64_t)mask << 28 | (uint64_t)gcat_of(w, mask, v->main_purpose) << 42;
    count_quality(st, v, age, uncertain, citizen, detect, mask);
    st_nrm_count(st, year_index(v->year), v, st_profile_of(sex_of(v->sex), age));
    st->nvictims++;
    progress(w);
    return st_cube_add(&st->victims, k, 1);
}

static unsigned kind_of(const char *s, size_t n)
{
    static const char *const kinds[] = {"investigation", "prosecution", "conviction", "acquittal"};
    for (unsigned i = 0; i < 4; i++)
        if (strlen(kinds[i]) == n && memcmp(kinds[i], s, n) == 0)
            return i;
    return ST_NKIND;
}

/* Each person counts once per kind of proceeding, in the year of the
 * earliest one of that kind (else the case's year). */
static int on_suspect(const ct_stat_suspect *p, void *arg)
{
    walker *w = arg;
    ct_stats *st = w->st;
    int uncertain = 0;
    unsigned age = age_of(p->age_min, p->age_max, &uncertain);
    unsigned detect = country_idx(st, p->detection_country,
                                  p->detection_country ? strlen(p->detection_country) : 0);
    if (st->only_country <= ST_NO_COUNTRY && detect != st->only_country)
        return 0;
    unsigned citizen = citizen_of(st, p->citizenship, detect);
    unsigned mask = purposes_mask(st, p->purposes);
    uint64_t base = (uint64_t)detect << 7 | (uint64_t)sex_of(p->sex) << 15 | (uint64_t)age << 17 |
                    (uint64_t)citizen << 20 | (uint64_t)gcat_of(w, mask, p->main_purpose) << 31;
    int years[ST_NKIND] = {0};
    years[ST_K_SUSPECT] = p->year;
    for (const char *s = p->proceedings; s && *s;) {
        const char *e = strchr(s, ';');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        const char *colon = memchr(s, ':', n);
        if (colon) {
            unsigned kind = kind_of(s, (size_t)(colon - s));
            int y = colon + 5 <= s + n ? atoi(colon + 1) : 0;
            if (y <= 0)
                y = p->year;
            if (kind < ST_K_SUSPECT && (!years[kind] || y < years[kind]))
                years[kind] = y;
        }
        s = e ? e + 1 : s + n;
    }
    st->nsuspects++;
    progress(w);
    for (unsigned kind = 0; kind < ST_NKIND; kind++) {
        if (!years[kind])
            continue;
        int r =
            st_cube_add(&st->suspects, base | year_bits(st, years[kind]) | (uint64_t)kind << 28, 1);
        if (r)
            return r;
    }
    return 0;
}

static int on_cases(const char *country, int year, long n, void *arg)
{
    ct_stats *st = arg;
    unsigned idx = country_idx(st, country, country ? strlen(country) : 0);
    if (st->only_country <= ST_NO_COUNTRY && idx != st->only_country)
        return 0;
    st_cases *v = ct_realloc(st->cases, (st->ncases + 1) * sizeof(*v));
    if (!v)
        return CT_ENOMEM;
    st->cases = v;
    v[st->ncases].country = idx;
    v[st->ncases].year = year;
    v[st->ncases].n = n;
    st->ncases++;
    return 0;
}

static void init_gcats(walker *w)
{
    const ct_code_list *forms = ct_codes_list("glotip_forms");
    for (size_t i = 0; i < ST_NPURPOSES; i++) {
        const ct_code *p = ct_code_list_at(w->st->purposes, i);
        const ct_code *f = ct_codes_find(forms, ct_code_attr(p, "glotip_form"));
        const char *cat = ct_code_attr(f, "category");
        w->gcat_of[i] = !cat                                      ? ST_G_OTHER
                        : strcmp(cat, st_glotip_category[0]) == 0 ? ST_G_SEXUAL
                        : strcmp(cat, st_glotip_category[1]) == 0 ? ST_G_LABOUR
                                                                  : ST_G_OTHER;
    }
}

static int count_item(const ct_review_item *it, void *arg)
{
    (void)it;
    ++*(long *)arg;
    return 0;
}

static int count_pending_duplicates(ct_store *s, const char *agency, long *n, ct_err *err)
{
    ct_review_filter f = {.kind = "duplicate_person", .status = "pending", .agency = agency};
    *n = 0;
    return ct_store_review_each(s, &f, count_item, n, err);
}

int ct_stats_collect(ct_store *s, const ct_stats_opts *o, ct_stats **out, ct_err *err)
{
    static const ct_stats_opts none = {0};
    if (!o)
        o = &none;
    ct_stats *st = ct_calloc(1, sizeof(*st));
    if (!st)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    st->countries = ct_codes_list("countries");
    st->purposes = ct_codes_list("purposes");
    st->regions = ct_codes_list("regions");
    st->services = ct_codes_list("services");
    st->stages = ct_codes_list("nrm_stages");
    st->late_days = o->late_days > 0 ? o->late_days : 90;
    st->from_year = o->year_from;
    st->to_year = o->year_to;
    st->nrm = ct_calloc(ST_NYEARS, sizeof(*st->nrm));
    if (!st->nrm) {
        ct_free(st);
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    }
    if (!st->countries || !st->purposes || !st->regions || !st->services || !st->stages ||
        ct_code_list_size(st->purposes) != ST_NPURPOSES ||
        ct_code_list_size(st->services) > ST_MAX_SERVICES ||
        ct_code_list_size(st->stages) > ST_MAX_STAGES) {
        ct_free(st->nrm);
        ct_free(st);
        return ct_err_set(err, CT_EINTERNAL, "%s",
                          _("the code lists do not match the statistics engine"));
    }
    st->only_country = ST_NO_COUNTRY + 1;
    if (o->country) {
        st->only_country = country_idx(st, o->country, strlen(o->country));
        if (st->only_country == ST_NO_COUNTRY) {
            ct_free(st->nrm);
            ct_free(st);
            return ct_err_set(err, CT_EUSAGE,
                              _("unknown country '%.8s': give an ISO 3166 alpha-3 code"),
                              o->country);
        }
    }
    walker w = {.st = st, .o = o};
    init_gcats(&w);
    ct_case_filter f = {.agency = o->agency, .year_from = o->year_from, .year_to = o->year_to};
    long cases = 0, victims = 0, suspects = 0;
    int r = o->progress ? ct_store_count(s, &cases, &victims, &suspects, err) : 0;
    w.total = victims + suspects;
    if (!r)
        r = ct_store_victims_each(s, &f, on_victim, &w, err);
    if (!r)
        r = ct_store_suspects_each(s, &f, on_suspect, &w, err);
    if (!r)
        r = ct_store_cases_count_each(s, &f, on_cases, st, err);
    if (!r)
        r = count_pending_duplicates(s, o->agency, &st->duplicates_pending, err);
    if (r) {
        if (r == CT_ENOMEM)
            ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
        ct_stats_free(st);
        return r;
    }
    if (o->progress)
        o->progress(o->progress_arg, w.done, w.total);
    *out = st;
    return 0;
}

void ct_stats_free(ct_stats *st)
{
    if (!st)
        return;
    st_cube_release(&st->victims);
    st_cube_release(&st->suspects);
    ct_free(st->cases);
    ct_free(st->nrm);
    ct_free(st);
}

long ct_stats_victims(const ct_stats *st)
{
    return st->nvictims;
}

long ct_stats_suspects(const ct_stats *st)
{
    return st->nsuspects;
}

void ct_stats_years(const ct_stats *st, int *first, int *last)
{
    *first = st->first_year;
    *last = st->last_year;
}
