/*
 * summary.c - the short report `make run` prints on the demo database (and
 * `ctip summary DB` on any database): victims by agency, GLOTIP profile,
 * GLOTIP form of exploitation, year of identification and flow. Counting
 * rules follow domain.md §2; one victim counts once in each breakdown.
 */
#include "demo_int.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <stdio.h>
#include <string.h>

#define YEAR_LO 1990
#define NYEARS  160

typedef struct agency_row {
    char name[201];
    const ct_code *country;
} agency_row;

typedef struct sum_ctx {
    ct_summary *sum;
    agency_row *agency;
    size_t nagency, cap;
    const ct_code_list *forms;
    long *form;
    long year[NYEARS + 1]; /* the last: unknown */
    ct_date today;
} sum_ctx;

enum ct_demo_profile ct_demo_profile_of(const ct_case *c, const ct_person *p)
{
    int female = p->sex && strcmp(p->sex, "female") == 0;
    int male = p->sex && strcmp(p->sex, "male") == 0;
    ct_date at = c->date_identification.year ? c->date_identification : ct_date_today();
    int lo, hi;
    if ((!female && !male) ||
        ct_age_range(p->date_of_birth, p->age, c->date_identification, at, &lo, &hi))
        return CT_PROFILE_UNKNOWN;
    int child = (lo + hi) / 2 < 18;
    return female ? (child ? CT_PROFILE_GIRLS : CT_PROFILE_WOMEN)
                  : (child ? CT_PROFILE_BOYS : CT_PROFILE_MEN);
}

static const char *glotip_form(const char *purpose)
{
    return ct_code_attr(ct_codes_lookup("purposes", purpose), "glotip_form");
}

const char *ct_demo_form_of(const ct_case *c)
{
    if (c->main_purpose)
        return glotip_form(c->main_purpose);
    if (c->purposes.n == 1)
        return glotip_form(c->purposes.v[0]);
    if (!c->purposes.n)
        return NULL;
    if (ct_strv_has(&c->purposes, "sexual_exploitation") &&
        ct_strv_has(&c->purposes, "forced_labour"))
        return "mixed_sexual_labour";
    return "other";
}

static int add_agency(const ct_agency *a, void *arg)
{
    sum_ctx *x = arg;
    agency_row *v = ct_grow(x->agency, sizeof(*v), x->nagency + 1, &x->cap);
    if (!v)
        return CT_ENOMEM;
    x->agency = v;
    snprintf(v[x->nagency].name, sizeof(v[x->nagency].name), "%s", a->name);
    v[x->nagency].country = a->country[0] ? ct_codes_lookup("countries", a->country) : NULL;
    x->nagency++;
    return 0;
}

static size_t agency_index(const sum_ctx *x, const char *name)
{
    for (size_t i = 0; i < x->nagency; i++)
        if (strcmp(x->agency[i].name, name) == 0)
            return i;
    return x->nagency; /* cannot happen: cases name existing agencies */
}

static enum ct_demo_flow flow_of(const ct_person *p, const ct_code *country)
{
    const ct_code *cit =
        p->citizenship.n ? ct_codes_lookup("countries", p->citizenship.v[0]) : NULL;
    if (!cit || !country)
        return CT_FLOW_UNKNOWN;
    return (enum ct_demo_flow)dm_flow_of(cit, country);
}

static void count_suspect(ct_summary *s, const ct_person *p)
{
    int kinds[4] = {0};
    static const char *const names[4] = {"investigation", "prosecution", "conviction", "acquittal"};
    s->suspects++;
    for (size_t k = 0; k < p->nproceedings; k++)
        for (int i = 0; i < 4; i++)
            kinds[i] |= strcmp(p->proceedings[k].kind, names[i]) == 0;
    s->investigated += kinds[0];
    s->prosecuted += kinds[1];
    s->convicted += kinds[2];
    s->acquitted += kinds[3];
}

static int count_case(ct_case *c, void *arg)
{
    sum_ctx *x = arg;
    ct_summary *s = x->sum;
    s->cases++;
    size_t a = agency_index(x, c->agency);
    const ct_code *country = a < x->nagency ? x->agency[a].country : NULL;
    const char *form = ct_demo_form_of(c);
    const ct_code *fc = form ? ct_codes_find(x->forms, form) : NULL;
    size_t fi = fc ? ct_code_index(fc) : ct_code_list_size(x->forms);
    int y = c->date_identification.year;
    size_t yi = y >= YEAR_LO && y < YEAR_LO + NYEARS ? (size_t)(y - YEAR_LO) : NYEARS;
    for (size_t i = 0; i < c->npersons; i++) {
        const ct_person *p = &c->persons[i];
        if (!ct_person_is_victim(p)) {
            count_suspect(s, p);
            continue;
        }
        s->victims++;
        s->profile[ct_demo_profile_of(c, p)]++;
        s->flow[flow_of(p, country)]++;
        s->age_uncertain += p->age_uncertain != 0;
        if (a < x->nagency)
            s->agency[a].n++;
        x->form[fi]++;
        x->year[yi]++;
    }
    return 0;
}

static int finish(sum_ctx *x)
{
    ct_summary *s = x->sum;
    size_t nf = ct_code_list_size(x->forms);
    s->form = ct_calloc(nf + 1, sizeof(*s->form));
    s->year = ct_calloc(NYEARS + 1, sizeof(*s->year));
    if (!s->form || !s->year)
        return CT_ENOMEM;
    for (size_t i = 0; i <= nf; i++) {
        const ct_code *f = ct_code_list_at(x->forms, i);
        snprintf(s->form[i].key, sizeof(s->form[i].key), "%s", f ? ct_code_id(f) : "unknown");
        s->form[i].n = x->form[i];
    }
    s->nform = nf + 1;
    for (size_t i = 0; i <= NYEARS; i++) {
        if (!x->year[i])
            continue;
        ct_summary_count *r = &s->year[s->nyear++];
        if (i < NYEARS)
            snprintf(r->key, sizeof(r->key), "%d", YEAR_LO + (int)i);
        else
            snprintf(r->key, sizeof(r->key), "unknown");
        r->n = x->year[i];
    }
    return 0;
}

int ct_demo_summary(ct_store *st, ct_summary *out, ct_err *err)
{
    memset(out, 0, sizeof(*out));
    sum_ctx x = {out, NULL, 0, 0, ct_codes_list("glotip_forms"), NULL, {0}, ct_date_today()};
    int rc = ct_store_agency_each(st, add_agency, &x, err);
    x.form = ct_calloc(ct_code_list_size(x.forms) + 1, sizeof(*x.form));
    out->agency = ct_calloc(x.nagency + 1, sizeof(*out->agency));
    if (!rc && (!x.form || !out->agency))
        rc = CT_ENOMEM;
    for (size_t i = 0; !rc && i < x.nagency; i++)
        snprintf(out->agency[i].key, sizeof(out->agency[i].key), "%s", x.agency[i].name);
    out->nagency = x.nagency;
    if (!rc)
        rc = ct_store_case_each(st, NULL, count_case, &x, err);
    if (!rc)
        rc = finish(&x);
    ct_free(x.form);
    ct_free(x.agency);
    if (rc == CT_ENOMEM)
        ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    if (rc)
        ct_summary_release(out);
    return rc;
}

void ct_summary_release(ct_summary *s)
{
    ct_free(s->agency);
    ct_free(s->form);
    ct_free(s->year);
    memset(s, 0, sizeof(*s));
}
