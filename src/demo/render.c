/*
 * render.c - one agency's record of a situation, as a ct_case.
 *
 * Each record is drawn afresh from the truth, so two records of one person
 * differ the way real records do (data/demo/shares.tsv, p_record and dob):
 * the agency writes the name in its own script or a romanisation, picks a
 * spelling variant, swaps given and family name, mistypes a letter, leaves
 * a field out, knows the birth date fully, partly (year, or year and month),
 * with day and month swapped, or only an age that may be a year off; an
 * agency may take a young foreign victim without papers for a child
 * (age_uncertain). Each element of the situation (acts, means, means of
 * control ...) is recorded with probability `recall`.
 */
#include "demo_int.h"

#include "core/uuid.h"

#include <stdio.h>
#include <string.h>

static const char *const act_codes[] = {"recruitment", "transportation", "transfer", "harbouring",
                                        "receipt"};
static const char *const proceeding_kinds[] = {"investigation", "prosecution", "conviction",
                                               "acquittal"};

typedef struct rctx {
    ct_demo *d;
    const dm_situation *s;
    const dm_agency *a;
    ct_arena *ar;
    ct_date ident; /* the record's date of identification */
    int recent;    /* identified less than a year before today */
    double recall;
    int ok; /* cleared on out of memory */
} rctx;

/* n in decimal, at least width digits; returns the end. (By hand: snprintf
 * cost as much as a third of the generator in profiles.) */
static char *put_uint(char *p, unsigned long n, int width)
{
    char tmp[24];
    int k = 0;
    do
        tmp[k++] = (char)('0' + n % 10);
    while (n /= 10);
    while (k < width)
        tmp[k++] = '0';
    while (k)
        *p++ = tmp[--k];
    return p;
}

static const char *keep(rctx *x, const char *s)
{
    if (!s)
        x->ok = 0;
    return s;
}

/* A UUIDv7 from the id stream: the millisecond field counts ids from
 * today's midnight (ids stay in generation order, so they append to the
 * primary-key index), the rest is random. */
static void hex(char *p, uint64_t v, int n)
{
    static const char digits[] = "0123456789abcdef";
    for (int i = n - 1; i >= 0; i--, v >>= 4)
        p[i] = digits[v & 15];
}

static const char *new_id(rctx *x)
{
    ct_demo *d = x->d;
    uint64_t ms = d->id_ms + d->id_seq++, a = dm_rng_next(&d->idr), b = dm_rng_next(&d->idr);
    char *s = ct_arena_alloc(x->ar, CT_UUID_TEXT);
    if (!s)
        return keep(x, NULL);
    /* xxxxxxxx-xxxx-7xxx-yxxx-xxxxxxxxxxxx, RFC 9562 section 5.7 */
    hex(s, ms >> 16, 8);
    s[8] = '-';
    hex(s + 9, ms & 0xFFFF, 4);
    s[13] = '-';
    s[14] = '7';
    hex(s + 15, a & 0xFFF, 3);
    s[18] = '-';
    hex(s + 19, 0x8000 | ((a >> 12) & 0x3FFF), 4);
    s[23] = '-';
    hex(s + 24, b & 0xFFFFFFFFFFFFull, 12);
    s[36] = '\0';
    return s;
}

static int strv_bits(rctx *x, ct_strv *v, uint32_t bits, const char *const *codes, size_t n,
                     int at_least_one)
{
    size_t first = n;
    for (size_t k = 0; k < n && k < 32; k++) {
        if (!(bits & (1u << k)))
            continue;
        if (first == n)
            first = k;
        if (dm_rng_chance(&x->d->rng, x->recall) &&
            ct_strv_push(x->ar, v, codes[k], strlen(codes[k])))
            return x->ok = 0;
    }
    if (at_least_one && !v->n && first < n &&
        ct_strv_push(x->ar, v, codes[first], strlen(codes[first])))
        return x->ok = 0;
    return 1;
}

static int push(rctx *x, ct_strv *v, const char *s)
{
    if (ct_strv_push(x->ar, v, s, strlen(s)))
        return x->ok = 0;
    return 1;
}

/* A date as known to the record: full, year and month, year, or none. */
static ct_date blur(rctx *x, ct_date d)
{
    const dm_table *t = x->d->t.date_precision;
    const char *p = t->key[dm_pick(&x->d->rng, t)];
    if (strcmp(p, "month") == 0)
        d.day = 0;
    else if (strcmp(p, "year") == 0)
        d.day = d.month = 0;
    else if (strcmp(p, "none") == 0)
        d = CT_DATE_NONE;
    return d;
}

static const char *pick_key(rctx *x, const dm_table *t)
{
    return t->key[dm_pick(&x->d->rng, t)];
}

/* ---- names ------------------------------------------------------------------- */

/* One name as written: native, or a variant (for another script: the usual
 * romanisation most often, another one sometimes). */
static const char *form(rctx *x, const dm_name *n, int female, int native, int latin_pool)
{
    const char *name = n->name, *const *var = n->var;
    size_t nvar = n->nvar;
    if (female && n->fem) {
        name = n->fem;
        var = n->fvar;
        nvar = n->nfvar;
    }
    if (native || !nvar)
        return name;
    if (latin_pool)
        return var[dm_rng_below(&x->d->rng, (uint32_t)nvar)];
    if (nvar == 1 || !dm_rng_chance(&x->d->rng, x->d->p.latin_variant))
        return var[0];
    return var[1 + dm_rng_below(&x->d->rng, (uint32_t)(nvar - 1))];
}

static const char *join(rctx *x, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = ct_arena_alloc(x->ar, la + lb + 2);
    if (!s)
        return keep(x, NULL);
    memcpy(s, a, la);
    s[la] = ' ';
    memcpy(s + la + 1, b, lb + 1);
    return s;
}

static const char *typo(rctx *x, const char *s)
{
    if (!s || !dm_rng_chance(&x->d->rng, x->d->p.typo))
        return s;
    char buf[256];
    dm_typo(&x->d->rng, s, buf, sizeof(buf));
    return keep(x, ct_arena_strdup(x->ar, buf));
}

static void render_names(rctx *x, const dm_person *tp, ct_person *p)
{
    ct_demo *d = x->d;
    const dm_pool *pool = &d->data.pool[d->data.origin[tp->origin].pool];
    int latin = strcmp(pool->script, "Latn") == 0;
    const char *script = d->data.detection[x->a->detection].script;
    int native = latin ? !dm_rng_chance(&d->rng, d->p.latin_variant)
                       : dm_rng_chance(&d->rng, strcmp(script, pool->script) == 0
                                                    ? d->p.native_script_home
                                                    : d->p.native_script_abroad);
    int fem = tp->sex == DM_FEMALE;
    const dm_name *g = &pool->given[tp->sex][tp->given], *f = &pool->family[tp->family];
    const char *given = form(x, g, 0, native, latin), *family = form(x, f, fem, native, latin);
    if (tp->family2 != DM_NONE && dm_rng_chance(&d->rng, d->p.second_family_name))
        family = join(x, family, form(x, &pool->family[tp->family2], fem, native, latin));
    if (!latin && native && dm_rng_chance(&d->rng, d->p.other_names)) {
        /* the romanised name beside the native one, as many agencies keep it */
        const char *lg = form(x, g, 0, 0, 0), *lf = form(x, f, fem, 0, 0);
        push(x, &p->other_names, join(x, lg, lf));
    }
    given = typo(x, given);
    family = typo(x, family);
    if (dm_rng_chance(&d->rng,
                      pool->family_first ? d->p.swap_names_family_first : d->p.swap_names)) {
        const char *t = given;
        given = family;
        family = t;
    }
    if (dm_rng_chance(&d->rng, d->p.missing_given_name))
        given = NULL;
    if (dm_rng_chance(&d->rng, d->p.missing_family_name))
        family = NULL;
    p->given_name = given;
    p->family_name = family;
}

/* ---- birth dates and ages ------------------------------------------------------ */

static int age_at(ct_date dob, ct_date at)
{
    int lo, hi;
    ct_age_range(dob, -1, CT_DATE_NONE, at, &lo, &hi);
    return lo;
}

static void render_birth(rctx *x, const dm_person *tp, ct_person *p)
{
    ct_demo *d = x->d;
    int age = age_at(tp->dob, x->ident);
    int foreign = tp->origin != d->home_origin[x->a->detection];
    if (!tp->suspect && foreign && age >= 14 && age <= 19 &&
        dm_rng_chance(&d->rng, d->p.age_uncertain)) {
        /* no papers, and a young look: estimated, and taken for a child */
        int est = age + dm_rng_range(&d->rng, -2, 1);
        p->age = est < 12 ? 12 : est > 17 ? 17 : est;
        p->age_uncertain = 1;
        return;
    }
    const char *how = pick_key(x, tp->suspect ? d->t.dob_suspect : d->t.dob);
    ct_date b = tp->dob;
    if (strcmp(how, "full") == 0) {
        ct_date sw = {b.year, b.day, b.month};
        if (b.day <= 12 && b.day != b.month && ct_date_days(sw) <= d->today_days &&
            dm_rng_chance(&d->rng, d->p.day_month_swap))
            b = sw;
        p->date_of_birth = b;
    } else if (strcmp(how, "year_month") == 0) {
        p->date_of_birth = (ct_date){b.year, b.month, 0};
    } else if (strcmp(how, "year") == 0) {
        p->date_of_birth = (ct_date){b.year, 0, 0};
    } else if (strcmp(how, "age") == 0) {
        if (dm_rng_chance(&d->rng, d->p.age_off_by_one))
            age += dm_rng_chance(&d->rng, 0.5) || age == 0 ? 1 : -1;
        p->age = age;
    }
}

/* ---- persons -------------------------------------------------------------------- */

static const char *country_of(const ct_demo *d, size_t origin)
{
    return d->data.origin[origin].country;
}

static void render_common(rctx *x, const dm_person *tp, ct_person *p)
{
    ct_demo *d = x->d;
    p->id = new_id(x);
    p->age = -1;
    if (d->o.with_keys) {
        char *key = ct_arena_alloc(x->ar, 24);
        if (key) {
            key[0] = 'P';
            *put_uint(key + 1, tp->tid, 7) = '\0';
        }
        p->person_key = keep(x, key);
    }
    render_names(x, tp, p);
    p->sex = dm_rng_chance(&d->rng, d->p.sex_unknown) ? "unknown"
             : tp->sex == DM_FEMALE                   ? "female"
                                                      : "male";
    render_birth(x, tp, p);
    if (!dm_rng_chance(&d->rng, d->p.citizenship_missing))
        push(x, &p->citizenship, country_of(d, tp->origin));
    const dm_origin *o = &d->data.origin[tp->origin];
    for (int k = 0; k < tp->nlang; k++)
        if (dm_rng_chance(&d->rng, x->recall))
            push(x, &p->languages, o->lang[tp->lang[k]]);
}

static void render_victim(rctx *x, const dm_person *tp, ct_person *p)
{
    ct_demo *d = x->d;
    p->role = "victim";
    render_common(x, tp, p);
    strv_bits(x, &p->vulnerabilities, tp->vuln, d->t.p_vulnerability->key, d->t.p_vulnerability->n,
              0);
    p->nrm_stage = pick_key(x, x->recent ? d->t.nrm_recent : d->t.nrm_older);
}

/* Police and prosecutors record the proceedings they know; other agencies
 * at most that the police investigate. */
static void render_suspect(rctx *x, const dm_person *tp, ct_person *p)
{
    ct_demo *d = x->d;
    p->role = "suspect";
    render_common(x, tp, p);
    if (dm_rng_chance(&d->rng, x->recall))
        p->suspect_role = d->t.suspect_role->key[tp->role];
    size_t n = tp->nproc;
    if (!x->a->knows_proceedings)
        n = n && dm_rng_chance(&d->rng, d->p.investigation_other) ? 1 : 0;
    if (!n)
        return;
    p->proceedings = ct_arena_alloc(x->ar, n * sizeof(*p->proceedings));
    if (!p->proceedings) {
        x->ok = 0;
        return;
    }
    const dm_detection *det = &d->data.detection[x->s->detection];
    for (size_t k = 0; k < n; k++) {
        ct_proceeding *q = &p->proceedings[k];
        q->id = new_id(x);
        q->kind = proceeding_kinds[tp->proc_kind[k]];
        q->date = tp->proc_date[k];
        q->authority = tp->proc_kind[k] == 0   ? x->a->name
                       : tp->proc_kind[k] == 1 ? det->prosecutor
                                               : det->court;
    }
    p->nproceedings = n;
}

/* ---- the case ------------------------------------------------------------------- */

/* The agency's own reference: "<ref>-<year>-<number>", e.g. K42-2021-00017. */
static const char *source_id(rctx *x, int year, long seq)
{
    size_t n = strlen(x->a->ref);
    char *s = ct_arena_alloc(x->ar, n + 32);
    if (!s)
        return keep(x, NULL);
    memcpy(s, x->a->ref, n);
    char *p = s + n;
    *p++ = '-';
    p = put_uint(p, (unsigned long)year, 4);
    *p++ = '-';
    p = put_uint(p, (unsigned long)seq, 5);
    *p = '\0';
    return s;
}

static void render_case(rctx *x, const dm_record *rec, ct_case *c)
{
    ct_demo *d = x->d;
    const dm_situation *s = x->s;
    const dm_tables *t = &d->t;
    c->id = new_id(x);
    c->source_id = source_id(x, x->ident.year, ++d->agency_seq[rec->agency]);
    c->agency = x->a->name;
    strv_bits(x, &c->acts, s->acts, act_codes, 5, 1);
    strv_bits(x, &c->means, s->means, t->p_means->key, t->p_means->n, s->any_adult);
    for (int k = 0; k < s->npurposes; k++)
        push(x, &c->purposes, s->purposes[k]);
    c->main_purpose = s->main_purpose;
    if (s->sector && dm_rng_chance(&d->rng, x->recall))
        c->labour_sector = s->sector;
    c->country_origin = country_of(d, s->origin);
    if (s->transit >= 0 && dm_rng_chance(&d->rng, x->recall))
        push(x, &c->countries_transit, country_of(d, (size_t)s->transit));
    c->country_exploitation = s->exploitation;
    c->date_recruitment = blur(x, s->recruitment);
    if (dm_rng_chance(&d->rng, x->recall))
        c->date_exploitation_start =
            (ct_date){s->exploitation_start.year, s->exploitation_start.month, 0};
    if (dm_rng_chance(&d->rng, 0.3))
        c->date_exploitation_end = (ct_date){s->ident.year, s->ident.month, 0};
    c->date_identification = x->ident;
    if (dm_rng_chance(&d->rng, x->recall))
        c->recruiter_relation = s->relation;
    strv_bits(x, &c->means_of_control, s->means_of_control, t->p_control[s->control]->key,
              t->p_control[s->control]->n, 0);
    strv_bits(x, &c->technology, s->technology, t->p_technology_2015->key, 3, 0);
    strv_bits(x, &c->other_crimes, s->crimes, t->p_crime->key, t->p_crime->n, 0);
    c->status = pick_key(x, x->recent ? t->status_recent : t->status_older);
}

/* When the agency registered the case: the day it identified the victims,
 * during office hours (midnight when that day is today, so that no stamp
 * lies in the future). */
static void registered_at(ct_demo *d, ct_date ident)
{
    int secs = ct_date_days(ident) >= d->today_days
                   ? 0
                   : (int)(8 * 3600 + dm_rng_below(&d->idr, 10 * 3600));
    char *p = d->registered;
    p = put_uint(p, (unsigned long)ident.year, 4);
    *p++ = '-';
    p = put_uint(p, (unsigned long)ident.month, 2);
    *p++ = '-';
    p = put_uint(p, (unsigned long)ident.day, 2);
    *p++ = 'T';
    p = put_uint(p, (unsigned long)(secs / 3600), 2);
    *p++ = ':';
    p = put_uint(p, (unsigned long)(secs / 60 % 60), 2);
    *p++ = ':';
    p = put_uint(p, (unsigned long)(secs % 60), 2);
    memcpy(p, ".000Z", 6);
}

int dm_render(ct_demo *d, const dm_record *rec, uint16_t victims, ct_case *c)
{
    const dm_situation *s = rec->sit;
    rctx x = {d, s, &d->data.agency[rec->agency], &c->arena, rec->ident, 0, d->p.recall, 1};
    x.recent = d->today_days - ct_date_days(rec->ident) < 365;
    size_t nv = (size_t)__builtin_popcount(victims), ns = rec->with_suspects ? s->nsuspects : 0;
    render_case(&x, rec, c);
    c->persons = ct_arena_alloc(&c->arena, (nv + ns) * sizeof(*c->persons));
    if (!c->persons)
        return CT_ENOMEM;
    d->ntruth = 0;
    for (int i = 0; i < s->nvictims; i++)
        if (victims & (1u << i)) {
            render_victim(&x, &s->v[i], &c->persons[c->npersons++]);
            d->truth[d->ntruth++] = s->v[i].tid;
        }
    for (size_t i = 0; i < ns; i++) {
        render_suspect(&x, &s->s[i], &c->persons[c->npersons++]);
        d->truth[d->ntruth++] = s->s[i].tid;
    }
    registered_at(d, rec->ident);
    return x.ok ? 0 : CT_ENOMEM;
}
