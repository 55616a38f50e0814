/*
 * demo.c - demo registries for a database of demo cases (`ctip demo
 * --registries`): care institutions, missing-child reports and placements,
 * in which some children reappear as victims of the cases, so the
 * cross-checks can be seen working and tested (docs/registries.md, "Demo").
 *
 * The model, one step per child victim of the cases (a victim under 18 at
 * identification), with the shares of the table below:
 *   - reported missing before identification (last seen 1-24 months
 *     earlier), mostly still open;
 *   - in alternative care before identification, more often than not at
 *     the country's one "problem" orphanage, most of them absconded: the
 *     orphanage-trafficking pattern; half of those who absconded were also
 *     reported missing by the institution;
 * each registry record written as another agency would: the same child
 * with the differences real records have (a typo, given and family names
 * swapped, day and month swapped, a birth year only or an age instead of
 * the birth date, citizenship left out). Unrelated children (names
 * recombined from the cases' name pool, so no registry child is a victim
 * by accident of an identical name) fill the registries around them.
 *
 * Reproducible: the same seed, today and cases give the same registries
 * (ids included, drawn from the seed as the demo cases' are).
 */
#include "registry.h"

#include "core/alloc.h"
#include "core/csv.h"
#include "core/i18n.h"

#include <stdlib.h>
#include <string.h>

/* The figures of the model; a demo, not statistics: chosen so that a few
 * thousand cases give every situation several times. */
static const struct {
    double missing;       /* of child victims: a missing report before identification */
    double care;          /* of child victims: a placement before identification */
    double problem;       /* of those in care: at the country's problem orphanage */
    double absconded;     /* of those in care: the placement ended absconded */
    double also_reported; /* of those who absconded: also reported missing */
    double unrelated;     /* registry children who are not victims, per planted record */
} model = {0.15, 0.12, 0.6, 0.75, 0.5, 3.0};

static const char *const institution_names[] = {
    "Sunrise Children's Home",     "Harbour House Group Home",   "Little Stars Children's Home",
    "Green Valley Orphanage",      "Hope Children's Village",    "Riverside Small Group Home",
    "St. Anne's Residential Home", "Open Arms Reception Centre",
};
static const char *const institution_types[] = {"orphanage", "residential_care_home",
                                                "small_group_home"};

typedef struct victim {
    char id[CT_UUID_TEXT];
    char *agency, *given, *family, *sex, *dob, *citizenship;
    int age;
    ct_date at;
} victim;

typedef struct country {
    char code[4];
    char owner[201];                   /* the agency that keeps its registries */
    char institution[3][CT_UUID_TEXT]; /* [0]: the problem orphanage */
} country;

typedef struct agency_row {
    char name[201], type[64], country[4];
} agency_row;

typedef struct gen {
    ct_store *s;
    const ct_reg_demo_opts *o;
    ct_reg_demo_stats *st;
    uint64_t rng;
    ct_arena arena;
    victim *v;
    size_t nv, capv;
    agency_row *ag;
    size_t nag, capag;
    country *c;
    size_t nc;
    FILE *planted;
    ct_err *err;
} gen;

/* ---- randomness (splitmix64, as the demo cases) ----------------------------------- */

static uint64_t next(gen *g)
{
    uint64_t z = (g->rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double unif(gen *g)
{
    return (double)(next(g) >> 11) / 9007199254740992.0;
}

static long range(gen *g, long lo, long hi)
{
    return lo + (long)(next(g) % (uint64_t)(hi - lo + 1));
}

/* A UUIDv7 from the seed, timestamped at the day the record was made. */
static void demo_uuid(gen *g, ct_date day, char out[CT_UUID_TEXT])
{
    uint64_t ms = (uint64_t)(ct_date_days(day) > 0 ? ct_date_days(day) : 0) * 86400000ULL +
                  (next(g) % 86400000ULL);
    uint64_t r1 = next(g), r2 = next(g);
    snprintf(out, CT_UUID_TEXT, "%08x-%04x-7%03x-%04x-%012llx", (unsigned)(ms >> 16),
             (unsigned)(ms & 0xffff), (unsigned)(r1 & 0xfff),
             (unsigned)(0x8000 | ((r1 >> 12) & 0x3fff)),
             (unsigned long long)(r2 & 0xffffffffffffULL));
}

/* ---- reading the cases ------------------------------------------------------------- */

static char *dup(gen *g, const char *s)
{
    return s ? ct_arena_strdup(&g->arena, s) : NULL;
}

static int is_child(const ct_reg_link_row *row, ct_date at)
{
    int lo, hi;
    if (row->date_of_birth) {
        ct_date b;
        if (ct_date_parse(row->date_of_birth, strlen(row->date_of_birth), &b) ||
            ct_age_range(b, -1, CT_DATE_NONE, at, &lo, &hi))
            return 0;
        return hi < 18 && lo >= 1;
    }
    return row->age >= 1 && row->age < 18;
}

static int read_victim(const ct_reg_link_row *row, void *arg)
{
    gen *g = arg;
    if (strcmp(row->type, "person") != 0 || !row->given_name || !row->family_name)
        return 0;
    ct_date at = CT_DATE_NONE;
    if (!row->at || ct_date_parse(row->at, strlen(row->at), &at) || !at.day)
        return 0; /* the model needs a day of identification */
    victim *v = ct_grow(g->v, sizeof(*v), g->nv + 1, &g->capv);
    if (!v)
        return CT_ENOMEM;
    g->v = v;
    v = &g->v[g->nv];
    memset(v, 0, sizeof(*v));
    snprintf(v->id, sizeof(v->id), "%s", row->id);
    v->agency = dup(g, row->agency);
    v->given = dup(g, row->given_name);
    v->family = dup(g, row->family_name);
    v->sex = dup(g, row->sex);
    v->dob = dup(g, row->date_of_birth);
    v->citizenship = dup(g, row->citizenship);
    v->age = is_child(row, at) ? row->age : -2; /* -2: not a child */
    v->at = at;
    if (!v->agency || !v->given || !v->family)
        return CT_ENOMEM;
    g->nv++;
    return 0;
}

static int read_agency(const ct_agency *a, void *arg)
{
    gen *g = arg;
    agency_row *v = ct_grow(g->ag, sizeof(*v), g->nag + 1, &g->capag);
    if (!v)
        return CT_ENOMEM;
    g->ag = v;
    snprintf(v[g->nag].name, sizeof(v[0].name), "%s", a->name);
    snprintf(v[g->nag].type, sizeof(v[0].type), "%s", a->type);
    snprintf(v[g->nag].country, sizeof(v[0].country), "%s", a->country);
    g->nag++;
    return 0;
}

static const agency_row *agency_of(const gen *g, const char *name)
{
    for (size_t i = 0; name && i < g->nag; i++)
        if (strcmp(g->ag[i].name, name) == 0)
            return &g->ag[i];
    return NULL;
}

/* The country of a victim's agency, with its registry owner: the
 * country's local child-protection authority, else the victim's agency. */
static country *country_of(gen *g, const char *agency)
{
    const agency_row *a = agency_of(g, agency);
    const char *code = a && a->country[0] ? a->country : "ZZZ";
    for (size_t i = 0; i < g->nc; i++)
        if (strcmp(g->c[i].code, code) == 0)
            return &g->c[i];
    country *grown = ct_realloc(g->c, (g->nc + 1) * sizeof(*g->c));
    if (!grown)
        return NULL;
    g->c = grown;
    country *c = &g->c[g->nc++];
    memset(c, 0, sizeof(*c));
    snprintf(c->code, sizeof(c->code), "%s", code);
    snprintf(c->owner, sizeof(c->owner), "%s", agency);
    for (size_t i = 0; i < g->nag; i++)
        if (strcmp(g->ag[i].country, code) == 0 && strcmp(g->ag[i].type, "local_government") == 0) {
            snprintf(c->owner, sizeof(c->owner), "%s", g->ag[i].name);
            break;
        }
    return c;
}

/* ---- writing -------------------------------------------------------------------------- */

static int put(gen *g, ct_reg_record *r)
{
    enum ct_put_outcome out;
    int rc = ct_store_reg_put(g->s, r, NULL, &out, g->err);
    if (rc)
        return rc;
    g->st->institutions += r->kind == CT_REG_INSTITUTION;
    g->st->missing += r->kind == CT_REG_MISSING;
    g->st->placements += r->kind == CT_REG_PLACEMENT;
    return 0;
}

static int make_institutions(gen *g, country *c)
{
    ct_reg_record r;
    ct_reg_record_init(&r, CT_REG_INSTITUTION);
    int rc = 0;
    for (int i = 0; i < 3 && !rc; i++) {
        ct_reg_record_reset(&r);
        demo_uuid(g, (ct_date){2010, 1, 1}, c->institution[i]);
        r.id = c->institution[i];
        r.agency = c->owner;
        r.name = institution_names[(size_t)((c - g->c) * 3 + i) %
                                   (sizeof(institution_names) / sizeof(institution_names[0]))];
        r.institution_type = institution_types[i];
        r.licence_status = i == 0 ? "suspended" : "licensed";
        r.capacity = i == 0 ? 120 : i == 1 ? 40 : 10;
        r.country = c->code[0] != 'Z' ? c->code : NULL;
        r.location = i == 0 ? "outskirts" : "town centre";
        rc = put(g, &r);
    }
    ct_reg_record_release(&r);
    return rc;
}

static ct_date day_before(ct_date d, long days)
{
    return ct_date_from_days(ct_date_days(d) - days);
}

/* A one-byte typo in an ASCII letter of s (never inside a multi-byte
 * character); s itself when it has none to spare. */
static const char *typo(gen *g, const char *s)
{
    size_t n = strlen(s);
    if (n < 4)
        return s;
    size_t at = (size_t)range(g, 1, (long)n - 2);
    if ((unsigned char)s[at] >= 0x80 || (unsigned char)s[at - 1] >= 0x80)
        return s;
    char *t = ct_arena_alloc(&g->arena, n + 1);
    if (!t)
        return s;
    memcpy(t, s, at);
    memcpy(t + at, s + at + 1, n - at); /* drop one letter */
    return t;
}

/* The child as another agency records it. */
static void child_fields(gen *g, const victim *v, ct_date when, ct_reg_record *r)
{
    double u = unif(g);
    r->given_name = v->given;
    r->family_name = u < 0.55 ? v->family : u < 0.75 ? typo(g, v->family) : v->family;
    if (u >= 0.75 && u < 0.9) { /* given and family names swapped */
        r->given_name = v->family;
        r->family_name = v->given;
    }
    r->sex = unif(g) < 0.95 ? v->sex : NULL;
    if (v->citizenship && unif(g) < 0.8) {
        const char *p = v->citizenship;
        size_t len = strcspn(p, ";");
        char *code = ct_arena_strndup(&r->arena, p, len);
        if (code)
            ct_strv_push(&r->arena, &r->citizenship, code, len);
    }
    ct_date b;
    if (v->dob && ct_date_parse(v->dob, strlen(v->dob), &b) == 0) {
        double d = unif(g);
        if (d < 0.55 || !b.day) {
            r->date_of_birth = b;
        } else if (d < 0.75 && b.day <= 12 && b.day != b.month) {
            r->date_of_birth = (ct_date){b.year, b.day, b.month}; /* day and month swapped */
        } else if (d < 0.9) {
            r->date_of_birth = (ct_date){b.year, 0, 0};
        } else {
            int lo, hi;
            if (ct_age_range(b, -1, CT_DATE_NONE, when, &lo, &hi) == 0 && lo >= 0 && lo < 18)
                r->age = lo;
            else
                r->date_of_birth = b;
        }
    } else if (v->age >= 0) {
        int years = (int)((ct_date_days(v->at) - ct_date_days(when)) / 365);
        r->age = v->age - years >= 0 ? v->age - years : -1;
    }
}

static int plant(gen *g, const victim *v, const char *reg_id)
{
    g->st->planted++;
    if (g->planted && fprintf(g->planted, "%s,%s\n", reg_id, v->id) < 0)
        return ct_err_set(g->err, CT_EIO, "%s", _("cannot write the demo registry truth"));
    return 0;
}

static int missing_report(gen *g, const victim *v, const country *c, ct_date seen,
                          const char *placement, int planted)
{
    ct_reg_record r;
    ct_reg_record_init(&r, CT_REG_MISSING);
    char id[CT_UUID_TEXT];
    demo_uuid(g, seen, id);
    r.id = id;
    r.agency = c->owner;
    child_fields(g, v, seen, &r);
    r.date_last_seen = seen;
    r.date_reported = ct_date_from_days(ct_date_days(seen) + range(g, 0, 3));
    if (ct_date_days(r.date_reported) > ct_date_days(g->o->today))
        r.date_reported = seen;
    r.country_last_seen = c->code[0] != 'Z' ? c->code : NULL;
    static const char *const circ[] = {"runaway", "criminal_abduction", "unaccompanied_migrant",
                                       "unknown"};
    r.circumstances = placement ? "absconded_from_care" : circ[next(g) % 4];
    r.reporter_relation = placement ? "care_institution" : unif(g) < 0.7 ? "parent" : "school";
    r.placement = placement;
    double s = unif(g);
    r.status = planted ? (s < 0.75 ? "open" : "closed") : (s < 0.6 ? "found_safe" : "open");
    if (strcmp(r.status, "open") != 0) {
        long span = ct_date_days(g->o->today) - ct_date_days(seen);
        r.date_closed = ct_date_from_days(ct_date_days(seen) + range(g, 1, span > 1 ? span : 1));
    }
    int rc = put(g, &r);
    if (!rc && planted)
        rc = plant(g, v, id);
    ct_reg_record_release(&r);
    return rc;
}

/* A placement ending before `until`; its id in id_out. */
static int placement(gen *g, const victim *v, const country *c, ct_date until, int problem,
                     int absconded, int planted, char id_out[CT_UUID_TEXT], ct_date *exit_out)
{
    ct_reg_record r;
    ct_reg_record_init(&r, CT_REG_PLACEMENT);
    long stay = range(g, 90, 900);
    ct_date exit_day = day_before(until, range(g, 30, 365));
    ct_date admitted = day_before(exit_day, stay);
    demo_uuid(g, admitted, id_out);
    r.id = id_out;
    r.agency = c->owner;
    child_fields(g, v, admitted, &r);
    r.institution = c->institution[problem ? 0 : range(g, 1, 2)];
    r.placement_type = "residential_care";
    r.admission_date = admitted;
    int ended = absconded || !planted || unif(g) < 0.5;
    if (ended) {
        r.exit_date = exit_day;
        r.exit_reason = absconded       ? "absconded"
                        : unif(g) < 0.7 ? "returned_to_family"
                                        : "transferred";
    }
    *exit_out = ended ? exit_day : CT_DATE_NONE;
    int rc = put(g, &r);
    if (!rc && planted)
        rc = plant(g, v, id_out);
    ct_reg_record_release(&r);
    return rc;
}

/* The registries of one child victim, when the model says so. */
static int child_victim(gen *g, const victim *v)
{
    country *c = country_of(g, v->agency);
    if (!c)
        return ct_err_set(g->err, CT_ENOMEM, "%s", _("out of memory"));
    if (!c->institution[0][0] && make_institutions(g, c))
        return g->err->code;
    int rc = 0;
    if (unif(g) < model.care) {
        int problem = unif(g) < model.problem, absconded = unif(g) < model.absconded;
        char id[CT_UUID_TEXT];
        ct_date exit_day;
        rc = placement(g, v, c, v->at, problem, absconded, 1, id, &exit_day);
        if (!rc && absconded && unif(g) < model.also_reported)
            rc = missing_report(g, v, c, exit_day, id, 1);
    } else if (unif(g) < model.missing) {
        rc = missing_report(g, v, c, day_before(v->at, range(g, 30, 720)), NULL, 1);
    }
    return rc;
}

/* A child who is no victim: names recombined from two other victims of
 * the same sex, born so as to be a child at the registry's date. */
static int unrelated_child(gen *g)
{
    const victim *a = &g->v[next(g) % g->nv], *b = &g->v[next(g) % g->nv];
    for (int tries = 0; tries < 8 && a->sex && b->sex && strcmp(a->sex, b->sex); tries++)
        b = &g->v[next(g) % g->nv];
    if (a == b || strcmp(a->family, b->family) == 0)
        return 0;
    victim v = *a;
    v.family = b->family;
    v.citizenship = a->citizenship;
    ct_date when = day_before(g->o->today, range(g, 30, 8 * 365));
    ct_date born = day_before(when, range(g, 2 * 365, 17 * 365));
    char dob[CT_DATE_TEXT_MAX];
    ct_date_format(born, dob);
    v.dob = dob;
    v.at = when;
    v.age = -1;
    country *c = country_of(g, a->agency);
    if (!c)
        return ct_err_set(g->err, CT_ENOMEM, "%s", _("out of memory"));
    if (!c->institution[0][0] && make_institutions(g, c))
        return g->err->code;
    if (unif(g) < 0.6)
        return missing_report(g, &v, c, when, NULL, 0);
    char id[CT_UUID_TEXT];
    ct_date exit_day;
    return placement(g, &v, c, g->o->today, unif(g) < 0.1, unif(g) < 0.1, 0, id, &exit_day);
}

static int generate(gen *g)
{
    int rc = ct_store_agency_each(g->s, read_agency, g, g->err);
    if (!rc)
        rc = ct_store_reg_link_rows(g->s, read_victim, g, g->err);
    if (rc == CT_ENOMEM && !g->err->code)
        ct_err_set(g->err, CT_ENOMEM, "%s", _("out of memory"));
    if (rc)
        return rc;
    for (size_t i = 0; i < g->nv && !rc; i++)
        if (g->v[i].age != -2)
            rc = child_victim(g, &g->v[i]);
    long unrelated = (long)(model.unrelated * (double)g->st->planted);
    for (long i = 0; i < unrelated && !rc && g->nv > 1; i++)
        rc = unrelated_child(g);
    return rc;
}

/* ---- the truth ------------------------------------------------------------------------- */

typedef struct truth_row {
    char person[CT_UUID_TEXT];
    char *true_person;
} truth_row;

static int cmp_truth(const void *a, const void *b)
{
    return strcmp(((const truth_row *)a)->person, ((const truth_row *)b)->person);
}

/* Appends "registry_id,true_person" to the demo truth file for every
 * planted registry record, the true person being that of its victim. */
static int append_truth(const char *path, const char *planted, size_t len, ct_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ct_err_set(err, CT_EIO, _("cannot read '%s'"), path);
    ct_csv *csv = ct_csv_open(f, NULL, err);
    truth_row *rows = NULL;
    size_t n = 0, cap = 0;
    ct_csv_record rec;
    int rc = csv ? 0 : CT_ENOMEM;
    while (!rc && (rc = ct_csv_next(csv, &rec, err)) == 1) {
        rc = 0;
        if (rec.n != 2 || rec.line == 1)
            continue;
        truth_row *v = ct_grow(rows, sizeof(*v), n + 1, &cap);
        if (!v) {
            rc = CT_ENOMEM;
            break;
        }
        rows = v;
        snprintf(rows[n].person, CT_UUID_TEXT, "%s", rec.field[0]);
        if (!(rows[n].true_person = ct_strdup(rec.field[1]))) {
            rc = CT_ENOMEM;
            break;
        }
        n++;
    }
    ct_csv_close(csv);
    fclose(f);
    if (!rc && !(f = fopen(path, "ab")))
        rc = ct_err_set(err, CT_EIO, _("cannot write '%s'"), path);
    if (!rc) {
        qsort(rows, n, sizeof(*rows), cmp_truth);
        for (const char *p = planted; p < planted + len;) {
            const char *nl = memchr(p, '\n', (size_t)(planted + len - p));
            truth_row key;
            memset(&key, 0, sizeof(key));
            if (nl - p == 2 * 36 + 1)
                snprintf(key.person, CT_UUID_TEXT, "%.36s", p + 37);
            truth_row *hit = bsearch(&key, rows, n, sizeof(*rows), cmp_truth);
            if (hit)
                fprintf(f, "%.36s,%s\n", p, hit->true_person);
            p = nl + 1;
        }
        if (ferror(f) | fclose(f))
            rc = ct_err_set(err, CT_EIO, _("cannot write '%s'"), path);
    }
    for (size_t i = 0; i < n; i++)
        ct_free(rows[i].true_person);
    ct_free(rows);
    if (rc == CT_ENOMEM && !err->code)
        ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    return rc;
}

int ct_reg_demo(ct_store *s, const ct_reg_demo_opts *o, FILE *planted, ct_reg_demo_stats *st,
                ct_err *err)
{
    memset(st, 0, sizeof(*st));
    ct_reg_demo_opts opts = *o;
    if (!opts.today.year)
        opts.today = ct_date_today();
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = opts.truth_path ? open_memstream(&buf, &len) : NULL;
    if (opts.truth_path && !mem)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    gen g = {s,
             &opts,
             st,
             o->seed ^ 0x72656769737472ULL,
             CT_ARENA_INIT,
             NULL,
             0,
             0,
             NULL,
             0,
             0,
             NULL,
             0,
             mem ? mem : planted,
             err};
    ct_arena_init(&g.arena, 1 << 16);
    int rc = ct_store_begin(s, err);
    if (!rc)
        rc = generate(&g);
    if (!rc) {
        char detail[200];
        snprintf(detail, sizeof(detail),
                 "{\"institutions\":%ld,\"missing\":%ld,\"placements\":%ld,\"planted\":%ld}",
                 st->institutions, st->missing, st->placements, st->planted);
        ct_audit_entry e = {"registry.demo", NULL, NULL, NULL, NULL, detail};
        rc = ct_store_audit(s, &e, err);
    }
    if (!rc)
        rc = ct_store_commit(s, err);
    if (rc)
        ct_store_rollback(s);
    if (mem) {
        fclose(mem);
        if (!rc)
            rc = append_truth(opts.truth_path, buf, len, err);
        if (!rc && planted && len && fwrite(buf, 1, len, planted) != len)
            rc = ct_err_set(err, CT_EIO, "%s", _("cannot write the demo registry truth"));
        free(buf);
    }
    ct_free(g.v);
    ct_free(g.ag);
    ct_free(g.c);
    ct_arena_release(&g.arena);
    return rc;
}
