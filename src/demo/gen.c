/*
 * gen.c - trafficking situations and the records agencies make of them.
 *
 * Each step draws one situation: a country of detection, a year, a form of
 * exploitation, victims (sex and age from the form, GLOTIP), an origin by
 * flow class (UN M49), the elements of the Protocol, suspects and their
 * proceedings. The situation is recorded by one agency of its country at
 * once, and by one or two more agencies later (data/demo/shares.tsv,
 * extra_records: the fixed duplicate rate) for some of its victims. Those
 * later records wait in a queue ordered by the case count at which they are
 * due, so that records of one person are spread through the output like in
 * real data, never next to each other by construction. When the limit
 * nears, the queue is flushed, so few duplicates are lost at the end.
 */
#include "demo_int.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Later records of a situation come within this many cases of the first. */
#define DUP_WINDOW 400

static const char *const profile_keys[DM_NPROFILE] = {"women", "men", "girls", "boys"};
static const char *const form_keys[DM_NFORM] = {"sexual_exploitation", "forced_labour",
                                                "forced_criminality", "begging", "other"};

/* ---- set-up --------------------------------------------------------------- */

static void get_tables(ct_demo *d)
{
    const dm_data *x = &d->data;
    dm_tables *t = &d->t;
    t->profile = dm_table_get(x, "profile");
    t->form = dm_table_get(x, "form");
    t->form_seed = dm_table_get(x, "form_seed");
    t->other_form = dm_table_get(x, "other_form");
    t->year = dm_table_get(x, "year");
    t->child_age = dm_table_get(x, "child_age");
    t->adult_age = dm_table_get(x, "adult_age");
    t->victims_per_case = dm_table_get(x, "victims_per_case");
    t->suspects_per_case = dm_table_get(x, "suspects_per_case");
    t->suspect_sex = dm_table_get(x, "suspect_sex");
    t->suspect_role = dm_table_get(x, "suspect_role");
    t->p_proceeding = dm_table_get(x, "p_proceeding");
    t->days = dm_table_get(x, "days");
    t->extra_records = dm_table_get(x, "extra_records");
    t->p_act = dm_table_get(x, "p_act");
    t->p_means = dm_table_get(x, "p_means");
    t->p_control[0] = dm_table_get(x, "p_control_sexual");
    t->p_control[1] = dm_table_get(x, "p_control_labour");
    t->p_control[2] = dm_table_get(x, "p_control_other");
    t->relation_adult = dm_table_get(x, "relation_adult");
    t->relation_child = dm_table_get(x, "relation_child");
    t->p_technology_2015 = dm_table_get(x, "p_technology_2015");
    t->p_technology_per_year = dm_table_get(x, "p_technology_per_year");
    t->p_crime = dm_table_get(x, "p_crime");
    t->sector = dm_table_get(x, "sector");
    t->p_vulnerability = dm_table_get(x, "p_vulnerability");
    t->nrm_recent = dm_table_get(x, "nrm_recent");
    t->nrm_older = dm_table_get(x, "nrm_older");
    t->status_recent = dm_table_get(x, "status_recent");
    t->status_older = dm_table_get(x, "status_older");
    t->p_flow = dm_table_get(x, "p_flow");
    t->p_record = dm_table_get(x, "p_record");
    t->dob = dm_table_get(x, "dob");
    t->dob_suspect = dm_table_get(x, "dob_suspect");
    t->p_referral = dm_table_get(x, "p_referral");
    t->p_referral_child = dm_table_get(x, "p_referral_child");
    t->referral_status = dm_table_get(x, "referral_status");
    t->date_precision = dm_table_get(x, "date_precision");
}

static void get_params(ct_demo *d)
{
    const dm_tables *t = &d->t;
    dm_params *p = &d->p;
    const dm_table *r = t->p_record;
    p->typo = dm_value(r, "typo");
    p->swap_names = dm_value(r, "swap_names");
    p->swap_names_family_first = dm_value(r, "swap_names_family_first");
    p->missing_given_name = dm_value(r, "missing_given_name");
    p->missing_family_name = dm_value(r, "missing_family_name");
    p->sex_unknown = dm_value(r, "sex_unknown");
    p->citizenship_missing = dm_value(r, "citizenship_missing");
    p->native_script_home = dm_value(r, "native_script_home");
    p->native_script_abroad = dm_value(r, "native_script_abroad");
    p->latin_variant = dm_value(r, "latin_variant");
    p->other_names = dm_value(r, "other_names");
    p->second_family_name = dm_value(r, "second_family_name");
    p->age_uncertain = dm_value(r, "age_uncertain");
    p->age_off_by_one = dm_value(r, "age_off_by_one");
    p->day_month_swap = dm_value(r, "day_month_swap");
    p->suspect_in_duplicate = dm_value(r, "suspect_in_duplicate");
    p->recall = dm_value(r, "recall");
    p->second_language = dm_value(t->p_flow, "second_language");
    p->exploited_abroad = dm_value(t->p_flow, "exploited_abroad");
    p->transit = dm_value(t->p_flow, "transit");
    p->act[0] = dm_value(t->p_act, "recruitment");
    p->act[1] = dm_value(t->p_act, "transportation_domestic");
    p->transportation_cross_border = dm_value(t->p_act, "transportation_cross_border");
    p->act[2] = dm_value(t->p_act, "transfer");
    p->act[3] = dm_value(t->p_act, "harbouring");
    p->act[4] = dm_value(t->p_act, "receipt");
    p->none_adult = dm_value(t->p_means, "none_adult");
    p->investigation_police = dm_value(t->p_proceeding, "investigation_police");
    p->investigation_other = dm_value(t->p_proceeding, "investigation_other");
    p->prosecution = dm_value(t->p_proceeding, "prosecution");
    p->conviction = dm_value(t->p_proceeding, "conviction");
    p->acquittal = dm_value(t->p_proceeding, "acquittal");
    p->investigation_days = (int)dm_value(t->days, "investigation");
    p->prosecution_min = (int)dm_value(t->days, "prosecution_min");
    p->prosecution_max = (int)dm_value(t->days, "prosecution_max");
    p->verdict_min = (int)dm_value(t->days, "verdict_min");
    p->verdict_max = (int)dm_value(t->days, "verdict_max");
    p->duplicate_max = (int)dm_value(t->days, "duplicate_max");
    p->exploitation_max = (int)dm_value(t->days, "exploitation_max");
}

static int keys_in_order(const dm_table *t, const char *const *keys, size_t n)
{
    if (t->n != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(t->key[i], keys[i]) != 0)
            return 0;
    return 1;
}

/* The profile x form table: the GLOTIP 2020 pattern (form_seed) raked by
 * iterative proportional fitting (Deming and Stephan, 1940) to the two
 * published margins, sex and age (GLOTIP 2024) and form (GLOTIP 2020). */
static void fit_joint(ct_demo *d)
{
    double j[DM_NPROFILE][DM_NFORM], row[DM_NPROFILE], col[DM_NFORM], rs = 0, cs = 0;
    char key[64];
    for (int p = 0; p < DM_NPROFILE; p++)
        rs += row[p] = d->t.profile->w[p];
    for (int f = 0; f < DM_NFORM; f++)
        cs += col[f] = d->t.form->w[f];
    for (int p = 0; p < DM_NPROFILE; p++)
        for (int f = 0; f < DM_NFORM; f++) {
            snprintf(key, sizeof(key), "%s.%s", profile_keys[p], form_keys[f]);
            j[p][f] = dm_value(d->t.form_seed, key);
        }
    for (int it = 0; it < 200; it++) {
        for (int p = 0; p < DM_NPROFILE; p++) {
            double s = 0;
            for (int f = 0; f < DM_NFORM; f++)
                s += j[p][f];
            for (int f = 0; f < DM_NFORM; f++)
                j[p][f] *= row[p] / rs / s;
        }
        for (int f = 0; f < DM_NFORM; f++) {
            double s = 0;
            for (int p = 0; p < DM_NPROFILE; p++)
                s += j[p][f];
            for (int p = 0; p < DM_NPROFILE; p++)
                j[p][f] *= col[f] / cs / s;
        }
    }
    for (int f = 0; f < DM_NFORM; f++) {
        double s = 0;
        for (int p = 0; p < DM_NPROFILE; p++)
            d->profile_cum[f][p] = s += j[p][f];
        d->form_cum[f] = (f ? d->form_cum[f - 1] : 0) + s;
    }
}

static int table_find(const dm_table *t, const char *key, double *v)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->key[i], key) == 0) {
            *v = t->w[i];
            return 0;
        }
    return -1;
}

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Years 2015 to today's, weighted by the year table; the current year only
 * for the part already past. */
static int init_years(ct_demo *d, ct_err *err)
{
    ct_date today = d->o.today;
    d->year_lo = 2015;
    if (today.year < d->year_lo || today.year - d->year_lo >= 64)
        return ct_err_set(err, CT_EUSAGE, "%s",
                          _("the demo covers 2015 to today: today must lie in 2015 or later"));
    d->nyears = (size_t)(today.year - d->year_lo + 1);
    double s = 0;
    for (size_t i = 0; i < d->nyears; i++) {
        char key[16];
        double w;
        snprintf(key, sizeof(key), "%d", d->year_lo + (int)i);
        if (table_find(d->t.year, key, &w))
            w = dm_value(d->t.year, "later");
        if (d->year_lo + (int)i == today.year) {
            long first = ct_date_days((ct_date){today.year, 1, 1});
            w *= (double)(d->today_days - first + 1) / (leap(today.year) ? 366 : 365);
        }
        d->year_cum[i] = s += w;
    }
    return 0;
}

static enum dm_cond cond_of(const char *key)
{
    static const struct {
        const char *key;
        enum dm_cond c;
    } conds[] = {
        {"unaccompanied_child", C_CHILD_FOREIGN},
        {"in_alternative_care", C_CHILD_DOMESTIC},
        {"missing_child", C_CHILD},
        {"irregular_migrant", C_ADULT_FOREIGN},
        {"substance_dependence", C_SEXUAL_ADULT},
        {"pregnancy", C_WOMAN},
        {"migrant_smuggling", C_CROSS_BORDER},
        {"document_fraud", C_CROSS_BORDER},
        {"immigration_offence", C_CROSS_BORDER},
        {"drug_trafficking", C_CRIMINALITY},
        {"sexual_violence", C_SEXUAL},
        {"child_sexual_abuse", C_SEXUAL_CHILD},
        {"labour_law_violation", C_LABOUR},
    };
    for (size_t i = 0; i < sizeof(conds) / sizeof(conds[0]); i++)
        if (strcmp(conds[i].key, key) == 0)
            return conds[i].c;
    return C_ANY;
}

static int find_origin(const dm_data *x, const char *country)
{
    for (size_t i = 0; i < x->norigin; i++)
        if (strcmp(x->origin[i].country, country) == 0)
            return (int)i;
    return -1;
}

static int check_data(ct_demo *d, ct_err *err)
{
    const dm_data *x = &d->data;
    if (!keys_in_order(d->t.profile, profile_keys, DM_NPROFILE) ||
        !keys_in_order(d->t.form, form_keys, DM_NFORM) || x->ndetection > 32 || x->nagency > 64 ||
        d->t.p_vulnerability->n > 32 || d->t.p_crime->n > 32 || d->t.p_means->n > 32 ||
        d->t.victims_per_case->n == 0)
        return ct_err_set(err, CT_EINTERNAL, "%s",
                          _("data/demo/shares.tsv: the profile and form tables must list their "
                            "keys in the documented order"));
    for (size_t i = 0; i < x->ndetection; i++) {
        int o = find_origin(x, x->detection[i].country);
        if (o < 0)
            return ct_err_set(err, CT_EINTERNAL, "%s",
                              _("data/demo/origins.tsv lacks a country of detection"));
        d->home_origin[i] = (size_t)o;
    }
    for (size_t i = 0; i < d->t.p_vulnerability->n; i++)
        d->vuln_cond[i] = cond_of(d->t.p_vulnerability->key[i]);
    for (size_t i = 0; i < d->t.p_crime->n; i++)
        d->crime_cond[i] = cond_of(d->t.p_crime->key[i]);
    return 0;
}

int ct_demo_new(const ct_demo_opts *opts, ct_demo **out, ct_err *err)
{
    *out = NULL;
    if (opts->cases <= 0 && opts->victims <= 0)
        return ct_err_set(err, CT_EUSAGE, "%s", _("give a number of cases or of victims"));
    ct_date today = opts->today.year ? opts->today : ct_date_today();
    if (!today.month || !today.day || ct_date_days(today) > ct_date_days(ct_date_today()))
        return ct_err_set(err, CT_EUSAGE, "%s", _("today must be a full date, not in the future"));
    ct_demo *d = ct_calloc(1, sizeof(*d));
    if (!d)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    d->o = *opts;
    d->o.today = today;
    d->today_days = ct_date_days(today);
    int rc = dm_data_load(&d->data, err);
    if (rc) {
        ct_free(d);
        return rc;
    }
    get_tables(d);
    get_params(d);
    rc = check_data(d, err);
    if (!rc)
        rc = init_years(d, err);
    if (rc) {
        ct_demo_free(d);
        return rc;
    }
    fit_joint(d);
    dm_rng_seed(&d->rng, opts->seed);
    dm_rng_seed(&d->idr, opts->seed ^ 0x6374697064656d6full);  /* "ctipdemo" */
    dm_rng_seed(&d->nrmr, opts->seed ^ 0x6e726d7265636f72ull); /* "nrmrecor" */
    d->id_ms = (uint64_t)d->today_days * 86400000ull;
    d->next_tid = 1;
    *out = d;
    return 0;
}

void ct_demo_free(ct_demo *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nheap; i++)
        if (--d->heap[i].sit->refs == 0)
            ct_free(d->heap[i].sit);
    ct_free(d->heap);
    dm_data_release(&d->data);
    ct_free(d);
}

/* ---- the queue of later records -------------------------------------------- */

static int before(const dm_record *a, const dm_record *b)
{
    return a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

static int heap_push(ct_demo *d, const dm_record *r)
{
    dm_record *h = ct_grow(d->heap, sizeof(*h), d->nheap + 1, &d->heap_cap);
    if (!h)
        return CT_ENOMEM;
    d->heap = h;
    size_t i = d->nheap++;
    h[i] = *r;
    while (i && before(&h[i], &h[(i - 1) / 2])) {
        dm_record t = h[i];
        h[i] = h[(i - 1) / 2];
        h[(i - 1) / 2] = t;
        i = (i - 1) / 2;
    }
    return 0;
}

static dm_record heap_pop(ct_demo *d)
{
    dm_record *h = d->heap, top = h[0];
    h[0] = h[--d->nheap];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < d->nheap && before(&h[l], &h[m]))
            m = l;
        if (r < d->nheap && before(&h[r], &h[m]))
            m = r;
        if (m == i)
            break;
        dm_record t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
    return top;
}

/* ---- persons ----------------------------------------------------------------- */

static ct_date add_days(ct_date d, long n)
{
    return ct_date_from_days(ct_date_days(d) + n);
}

/* A full birth date that makes the person `age` on `at`. */
static ct_date birth_for_age(dm_rng *r, ct_date at, int age)
{
    ct_date b = add_days(at, -(long)dm_rng_below(r, 365));
    b.year -= age;
    if (b.month == 2 && b.day == 29 && !leap(b.year))
        b.day = 28;
    return b;
}

static int key_int(const dm_table *t, size_t i)
{
    return atoi(t->key[i]);
}

static int pick_age(ct_demo *d, int child)
{
    if (child)
        return key_int(d->t.child_age, dm_pick(&d->rng, d->t.child_age));
    const char *band = d->t.adult_age->key[dm_pick(&d->rng, d->t.adult_age)];
    int lo = atoi(band), hi = atoi(strchr(band, '-') + 1);
    return dm_rng_range(&d->rng, lo, hi);
}

static void pick_name(ct_demo *d, dm_person *p)
{
    const dm_pool *pool = &d->data.pool[d->data.origin[p->origin].pool];
    p->given = (uint16_t)dm_pick_cum(&d->rng, pool->given_cum[p->sex], pool->ngiven[p->sex]);
    p->family = (uint16_t)dm_pick_cum(&d->rng, pool->family_cum[p->sex], pool->nfamily);
    p->family2 = DM_NONE;
    if (pool->double_family)
        p->family2 = (uint16_t)dm_pick_cum(&d->rng, pool->family_cum[p->sex], pool->nfamily);
}

static void pick_languages(ct_demo *d, dm_person *p)
{
    const dm_origin *o = &d->data.origin[p->origin];
    p->nlang = 0;
    if (!o->nlang)
        return;
    p->lang[p->nlang++] = 0;
    if (o->nlang > 1 && dm_rng_chance(&d->rng, d->p.second_language))
        p->lang[p->nlang++] = (uint8_t)(1 + dm_rng_below(&d->rng, (uint32_t)(o->nlang - 1)));
}

static int cond_holds(enum dm_cond c, const dm_situation *s, const dm_person *p, int child)
{
    switch (c) {
    case C_ANY:
        return 1;
    case C_CHILD:
        return child;
    case C_CHILD_FOREIGN:
        return child && s->cross_border;
    case C_CHILD_DOMESTIC:
        return child && !s->cross_border;
    case C_ADULT_FOREIGN:
        return !child && s->cross_border;
    case C_WOMAN:
        return !child && p && p->sex == DM_FEMALE;
    case C_SEXUAL_ADULT:
        return !child && s->form == DM_SEXUAL;
    case C_SEXUAL:
        return s->form == DM_SEXUAL;
    case C_SEXUAL_CHILD:
        return s->form == DM_SEXUAL && s->any_child;
    case C_LABOUR:
        return s->form == DM_LABOUR;
    case C_CRIMINALITY:
        return s->form == DM_CRIMINALITY;
    case C_CROSS_BORDER:
        return s->cross_border;
    }
    return 0;
}

static void make_victim(ct_demo *d, dm_situation *s, dm_person *p)
{
    size_t prof = dm_pick_cum(&d->rng, d->profile_cum[s->form], DM_NPROFILE);
    int child = prof >= 2;
    p->tid = d->next_tid++;
    p->sex = (prof == 0 || prof == 2) ? DM_FEMALE : DM_MALE;
    p->dob = birth_for_age(&d->rng, s->ident, pick_age(d, child));
    p->origin = s->origin;
    pick_languages(d, p);
    pick_name(d, p);
    s->any_child |= (uint8_t)child;
    s->any_adult |= (uint8_t)!child;
    const dm_table *vt = d->t.p_vulnerability;
    for (size_t k = 0; k < vt->n; k++)
        if (cond_holds(d->vuln_cond[k], s, p, child) && dm_rng_chance(&d->rng, vt->w[k]))
            p->vuln |= 1u << k;
}

static int is_child(const dm_person *p, ct_date at)
{
    int lo, hi;
    return ct_age_range(p->dob, -1, CT_DATE_NONE, at, &lo, &hi) == 0 && lo < 18;
}

/* Investigation, then prosecution, then a verdict: the GLOTIP funnel
 * (p_proceeding); steps that would lie after today have not happened. */
static void make_proceedings(ct_demo *d, const dm_situation *s, dm_person *p)
{
    const dm_params *pp = &d->p;
    p->nproc = 0;
    if (!dm_rng_chance(&d->rng, pp->investigation_police))
        return;
    ct_date at = add_days(s->ident, dm_rng_range(&d->rng, 0, pp->investigation_days));
    int kind = 0;
    while (ct_date_days(at) <= d->today_days) {
        p->proc_kind[p->nproc] = (uint8_t)kind;
        p->proc_date[p->nproc++] = at;
        if (kind == 0) {
            if (!dm_rng_chance(&d->rng, pp->prosecution))
                break;
            kind = 1;
            at = add_days(at, dm_rng_range(&d->rng, pp->prosecution_min, pp->prosecution_max));
        } else if (kind == 1) {
            double u = dm_rng_unit(&d->rng);
            if (u >= pp->conviction + pp->acquittal)
                break; /* pending, or dropped */
            kind = u < pp->conviction ? 2 : 3;
            at = add_days(at, dm_rng_range(&d->rng, pp->verdict_min, pp->verdict_max));
        } else {
            break;
        }
    }
}

static void make_suspect(ct_demo *d, dm_situation *s, dm_person *p)
{
    p->tid = d->next_tid++;
    p->suspect = 1;
    p->sex = strcmp(d->t.suspect_sex->key[dm_pick(&d->rng, d->t.suspect_sex)], "female") == 0
                 ? DM_FEMALE
                 : DM_MALE;
    p->origin = dm_rng_chance(&d->rng, 0.6) ? s->origin : (uint16_t)d->home_origin[s->detection];
    p->dob = birth_for_age(&d->rng, s->ident, dm_rng_range(&d->rng, 20, 65));
    p->role = (uint8_t)dm_pick(&d->rng, d->t.suspect_role);
    pick_languages(d, p);
    pick_name(d, p);
    make_proceedings(d, s, p);
}

/* ---- situations ---------------------------------------------------------------- */

static ct_date pick_ident(ct_demo *d)
{
    int y = d->year_lo + (int)dm_pick_cum(&d->rng, d->year_cum, d->nyears);
    long first = ct_date_days((ct_date){y, 1, 1}), last = ct_date_days((ct_date){y, 12, 31});
    if (last > d->today_days)
        last = d->today_days;
    return ct_date_from_days(first + (long)dm_rng_below(&d->rng, (uint32_t)(last - first + 1)));
}

static void pick_origin(ct_demo *d, dm_situation *s)
{
    const dm_detection *x = &d->data.detection[s->detection];
    size_t c = dm_pick_cum(&d->rng, x->flow_cum, DM_NFLOW);
    size_t k = dm_pick_cum(&d->rng, x->origin_cum[c], x->norigin[c]);
    s->origin = (uint16_t)x->by_flow[c][k];
    s->cross_border = s->origin != d->home_origin[s->detection];
    s->exploitation = x->country;
    s->transit = -1;
    if (!s->cross_border && d->data.ndetection > 1 &&
        dm_rng_chance(&d->rng, d->p.exploited_abroad)) {
        /* a citizen exploited abroad, identified after coming home */
        size_t o = dm_rng_below(&d->rng, (uint32_t)(d->data.ndetection - 1));
        s->exploitation = d->data.detection[o >= s->detection ? o + 1 : o].country;
    }
    if (!s->cross_border || !dm_rng_chance(&d->rng, d->p.transit))
        return;
    /* through a country of the origin's subregion */
    const ct_code *oc = d->data.origin[s->origin].code;
    int cand[64], n = 0;
    for (size_t i = 0; i < d->data.norigin && n < 64; i++)
        if (i != s->origin && i != d->home_origin[s->detection] &&
            dm_flow_of(d->data.origin[i].code, oc) == DM_SUBREGIONAL)
            cand[n++] = (int)i;
    if (n)
        s->transit = (int16_t)cand[dm_rng_below(&d->rng, (uint32_t)n)];
}

static uint32_t draw_bits(dm_rng *r, const dm_table *t, double scale)
{
    uint32_t bits = 0;
    for (size_t k = 0; k < t->n && k < 32; k++)
        if (dm_rng_chance(r, t->w[k] * scale))
            bits |= 1u << k;
    return bits;
}

/* The subform of "other": forced marriage for women and girls, illegal
 * adoption for children, armed conflict for men and boys. */
static int subform_fits(const char *sub, const dm_person *v, int child)
{
    if (strcmp(sub, "forced_marriage") == 0)
        return v->sex == DM_FEMALE;
    if (strcmp(sub, "illegal_adoption") == 0)
        return child;
    if (strcmp(sub, "armed_conflict") == 0)
        return v->sex == DM_MALE;
    return 1;
}

static void set_purposes(ct_demo *d, dm_situation *s)
{
    static const char *const single[DM_NFORM] = {"sexual_exploitation", "forced_labour",
                                                 "forced_criminality", "forced_begging", NULL};
    s->npurposes = 1;
    if (s->form != DM_OTHER) {
        s->purposes[0] = s->main_purpose = single[s->form];
        return;
    }
    int child = is_child(&s->v[0], s->ident);
    const char *sub = "other";
    for (int tries = 0; tries < 20; tries++) {
        size_t k = dm_pick(&d->rng, d->t.other_form);
        if (subform_fits(d->t.other_form->key[k], &s->v[0], child)) {
            s->subform = (uint8_t)k;
            sub = d->t.other_form->key[k];
            break;
        }
    }
    if (strcmp(sub, "mixed_sexual_labour") == 0) {
        /* both forms, none marked main: GLOTIP counts it under other forms */
        s->purposes[0] = "sexual_exploitation";
        s->purposes[1] = "forced_labour";
        s->npurposes = 2;
        s->main_purpose = NULL;
        return;
    }
    s->purposes[0] = s->main_purpose = sub;
    if (strcmp(sub, "illegal_adoption") == 0)
        for (int i = 0; i < s->nvictims; i++)
            if (is_child(&s->v[i], s->ident))
                s->v[i].dob = birth_for_age(&d->rng, s->ident, dm_rng_range(&d->rng, 0, 1));
}

static void set_elements(ct_demo *d, dm_situation *s)
{
    const dm_tables *t = &d->t;
    for (int k = 0; k < 5; k++)
        if (dm_rng_chance(&d->rng, k == 1 && s->cross_border ? d->p.transportation_cross_border
                                                             : d->p.act[k]))
            s->acts |= 1u << k;
    if (!s->acts)
        s->acts = 1; /* recruitment */
    for (size_t k = 0; k < t->p_means->n; k++)
        if (strcmp(t->p_means->key[k], "none_adult") != 0 &&
            dm_rng_chance(&d->rng, t->p_means->w[k]))
            s->means |= 1u << k;
    if (!s->means && s->any_adult && !dm_rng_chance(&d->rng, d->p.none_adult))
        s->means = 1u << dm_rng_below(&d->rng, 2); /* deception or abuse of vulnerability */
    s->control = s->form == DM_SEXUAL ? 0 : s->form == DM_LABOUR ? 1 : 2;
    s->means_of_control = draw_bits(&d->rng, t->p_control[s->control], 1);
    const dm_table *rel = s->any_child ? t->relation_child : t->relation_adult;
    s->relation = rel->key[dm_pick(&d->rng, rel)];
    int years = s->ident.year - 2015;
    for (size_t k = 0; k < t->p_technology_2015->n && k < 3; k++) {
        double p = t->p_technology_2015->w[k] + years * t->p_technology_per_year->w[k];
        if ((k != 2 || s->form == DM_SEXUAL) && dm_rng_chance(&d->rng, p))
            s->technology |= 1u << k;
    }
    for (size_t k = 0; k < t->p_crime->n; k++)
        if (cond_holds(d->crime_cond[k], s, NULL, s->any_child) &&
            dm_rng_chance(&d->rng, t->p_crime->w[k]))
            s->crimes |= 1u << k;
    s->sector = NULL;
    if (s->form == DM_LABOUR || (s->form == DM_OTHER && s->npurposes == 2))
        s->sector = t->sector->key[dm_pick(&d->rng, t->sector)];
}

static void set_dates(ct_demo *d, dm_situation *s)
{
    int span = dm_rng_range(&d->rng, 30, d->p.exploitation_max);
    s->recruitment = add_days(s->ident, -span);
    s->exploitation_start =
        add_days(s->recruitment, dm_rng_range(&d->rng, 0, span < 90 ? span : 90));
}

static dm_situation *new_situation(ct_demo *d)
{
    dm_situation *s = ct_calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->detection = (uint16_t)dm_pick_cum(&d->rng, d->data.detection_cum, d->data.ndetection);
    s->ident = pick_ident(d);
    s->form = (uint8_t)dm_pick_cum(&d->rng, d->form_cum, DM_NFORM);
    pick_origin(d, s);
    s->nvictims = (uint8_t)key_int(d->t.victims_per_case, dm_pick(&d->rng, d->t.victims_per_case));
    if (s->nvictims < 1 || s->nvictims > DM_MAXV)
        CT_BUG("victims_per_case keys must lie in 1..DM_MAXV");
    for (int i = 0; i < s->nvictims; i++)
        make_victim(d, s, &s->v[i]);
    set_purposes(d, s);
    set_dates(d, s);
    set_elements(d, s);
    s->nsuspects =
        (uint8_t)key_int(d->t.suspects_per_case, dm_pick(&d->rng, d->t.suspects_per_case));
    if (s->nsuspects > DM_MAXS)
        CT_BUG("suspects_per_case keys must lie in 0..DM_MAXS");
    for (int i = 0; i < s->nsuspects; i++)
        make_suspect(d, s, &s->s[i]);
    return s;
}

/* ---- agencies and records ---------------------------------------------------- */

static int fits(const dm_agency *a, const dm_situation *s)
{
    return a->focus == DM_FOCUS_ANY || (a->focus == DM_FOCUS_LABOUR && s->form == DM_LABOUR) ||
           (a->focus == DM_FOCUS_CHILD && s->any_child);
}

/* A weighted choice among the agencies of the situation's country that fit
 * it and are not used yet; -1 when none is left. */
static int pick_agency(ct_demo *d, const dm_situation *s, const uint8_t *used)
{
    const dm_detection *x = &d->data.detection[s->detection];
    double cum[8], sum = 0;
    for (size_t k = 0; k < x->nagency; k++) {
        const dm_agency *a = &d->data.agency[x->agency[k]];
        sum += fits(a, s) && !used[x->agency[k]] ? a->weight : 0;
        cum[k] = sum;
    }
    if (sum <= 0)
        return -1;
    return (int)x->agency[dm_pick_cum(&d->rng, cum, x->nagency)];
}

static int plan_records(ct_demo *d, dm_situation *s, dm_record *first)
{
    uint8_t used[64] = {0};
    int extra[DM_MAXV], most = 0;
    int a0 = pick_agency(d, s, used);
    if (a0 < 0)
        CT_BUG("a country of detection without an agency that takes any case");
    used[a0] = 1;
    for (int i = 0; i < s->nvictims; i++) {
        extra[i] = key_int(d->t.extra_records, dm_pick(&d->rng, d->t.extra_records));
        most = extra[i] > most ? extra[i] : most;
    }
    *first = (dm_record){0, 0, (size_t)a0, (uint16_t)((1u << s->nvictims) - 1), 1, 1, s->ident, s};
    s->refs = 1;
    d->nplanned = 0;
    for (int j = 1; j <= most; j++) {
        int a = pick_agency(d, s, used);
        if (a < 0)
            break;
        used[a] = 1;
        d->planned[d->nplanned++] = (size_t)a;
        dm_record r = {0, d->seq++, (size_t)a, 0, 0, 0, s->ident, s};
        for (int i = 0; i < s->nvictims; i++)
            if (extra[i] >= j)
                r.victims |= (uint16_t)(1u << i);
        r.with_suspects = (uint8_t)dm_rng_chance(&d->rng, d->p.suspect_in_duplicate);
        long later = dm_rng_range(&d->rng, 0, d->p.duplicate_max);
        r.ident = ct_date_from_days(ct_date_days(s->ident) + later);
        if (ct_date_days(r.ident) > d->today_days)
            r.ident = d->o.today;
        r.due = d->st.cases + 1 + (long)dm_rng_below(&d->rng, DUP_WINDOW);
        if (heap_push(d, &r))
            return CT_ENOMEM;
        s->refs++;
        d->pending_cases++;
        d->pending_victims += __builtin_popcount(r.victims);
    }
    return 0;
}

/* ---- output ------------------------------------------------------------------- */

static int limit_reached(const ct_demo *d)
{
    return (d->o.cases > 0 && d->st.cases >= d->o.cases) ||
           (d->o.victims > 0 && d->st.victims >= d->o.victims);
}

/* The queued records would fill what is left: emit them before any new one. */
static int flushing(const ct_demo *d)
{
    return (d->o.cases > 0 && d->st.cases + d->pending_cases >= d->o.cases) ||
           (d->o.victims > 0 && d->st.victims + d->pending_victims >= d->o.victims);
}

/* The victims of rec that fit under the victim limit. */
static uint16_t within_limit(const ct_demo *d, uint16_t victims)
{
    if (d->o.victims <= 0)
        return victims;
    long room = d->o.victims - d->st.victims;
    uint16_t keep = 0;
    for (int i = 0; i < DM_MAXV && room > 0; i++)
        if (victims & (1u << i)) {
            keep |= (uint16_t)(1u << i);
            room--;
        }
    return keep;
}

static int emit(ct_demo *d, dm_record *rec, ct_case *c, ct_err *err)
{
    dm_situation *s = rec->sit;
    uint16_t victims = within_limit(d, rec->victims);
    /* the first agency referred the victims to the later ones: it shares its case */
    d->nshared = rec->original ? d->nplanned : 0;
    for (size_t i = 0; i < d->nshared; i++)
        d->shared[i] = d->planned[i];
    int rc = dm_render(d, rec, victims, c);
    if (!rc) {
        d->st.cases++;
        for (int i = 0; i < s->nvictims; i++) {
            if (!(victims & (1u << i)))
                continue;
            d->st.victims++;
            if (s->emitted & (1u << i))
                d->st.duplicate_records++;
            else
                d->st.true_victims++;
            s->emitted |= (uint16_t)(1u << i);
        }
        d->st.suspects += rec->with_suspects ? s->nsuspects : 0;
    }
    if (--s->refs == 0)
        ct_free(s);
    return rc ? ct_err_set(err, CT_ENOMEM, "%s", _("out of memory")) : 1;
}

int ct_demo_next(ct_demo *d, ct_case *c, ct_err *err)
{
    if (limit_reached(d))
        return 0;
    if (d->nheap && (d->heap[0].due <= d->st.cases || flushing(d))) {
        dm_record rec = heap_pop(d);
        d->pending_cases--;
        d->pending_victims -= __builtin_popcount(rec.victims);
        return emit(d, &rec, c, err);
    }
    dm_situation *s = new_situation(d);
    dm_record first;
    if (!s || plan_records(d, s, &first)) {
        if (s && --s->refs == 0)
            ct_free(s);
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    }
    return emit(d, &first, c, err);
}

const char *ct_demo_true_person(ct_demo *d, size_t i)
{
    if (i >= d->ntruth)
        return NULL;
    /* "P%07u" by hand: this runs for every person written to a truth file */
    char tmp[12];
    unsigned v = d->truth[i];
    int k = 0;
    do
        tmp[k++] = (char)('0' + v % 10);
    while (v /= 10);
    while (k < 7)
        tmp[k++] = '0';
    char *p = d->truth_text;
    *p++ = 'P';
    while (k)
        *p++ = tmp[--k];
    *p = '\0';
    return d->truth_text;
}

const char *ct_demo_registered_at(const ct_demo *d)
{
    return d->registered;
}

const char *ct_demo_shared_with(const ct_demo *d, size_t i)
{
    return i < d->nshared ? d->data.agency[d->shared[i]].name : NULL;
}

size_t ct_demo_agency_count(const ct_demo *d)
{
    return d->data.nagency;
}

void ct_demo_agency(const ct_demo *d, size_t i, ct_agency *out)
{
    const dm_agency *a = &d->data.agency[i];
    memset(out, 0, sizeof(*out));
    snprintf(out->name, sizeof(out->name), "%s", a->name);
    snprintf(out->type, sizeof(out->type), "%s", a->type);
    snprintf(out->country, sizeof(out->country), "%s", a->country);
}
