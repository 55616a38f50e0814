#include "assess.h"

#include "alloc.h"
#include "codes.h"
#include "err.h"

#include <stdlib.h>

static ct_date reference_date(const ct_case *c, ct_date today)
{
    if (c->date_recruitment.year)
        return c->date_recruitment;
    if (c->date_identification.year)
        return c->date_identification;
    return today;
}

int ct_age_band_bounds(const char *band, int *min, int *max)
{
    const ct_code *c = band ? ct_codes_lookup("age_bands", band) : NULL;
    const char *lo = ct_code_attr(c, "min"), *hi = ct_code_attr(c, "max");
    if (!lo)
        return -1;
    *min = atoi(lo);
    *max = hi ? atoi(hi) : -1;
    return 0;
}

/*
 * Ages lo..hi (hi -1: open) recorded at identification, moved to the
 * reference date. They stay as recorded when the reference is the
 * identification itself (no recruitment date) or when no identification
 * date anchors them: an age noted at identification is exact there, even
 * if only the year of identification is known.
 */
static void from_identification(const ct_case *c, ct_date ref, int lo, int hi,
                                ct_victim_assessment *v)
{
    int a, b;
    v->age_min = lo;
    v->age_max = hi;
    if (!c->date_recruitment.year || !c->date_identification.year)
        return;
    if (ct_age_range(CT_DATE_NONE, lo, c->date_identification, ref, &a, &b) == 0)
        v->age_min = a;
    if (hi >= 0 && ct_age_range(CT_DATE_NONE, hi, c->date_identification, ref, &a, &b) == 0)
        v->age_max = b;
}

static void assess_age(const ct_case *c, const ct_person *p, ct_date today, ct_victim_assessment *v)
{
    v->reference = reference_date(c, today);
    v->child = -1;
    v->basis = CT_AGE_UNKNOWN;
    v->age_min = v->age_max = -1;
    int lo, hi;
    if (p->date_of_birth.year) {
        if (ct_age_range(p->date_of_birth, -1, CT_DATE_NONE, v->reference, &lo, &hi) == 0) {
            v->basis = CT_AGE_BIRTH_DATE;
            v->age_min = lo;
            v->age_max = hi;
        }
    } else if (p->age >= 0) {
        v->basis = CT_AGE_GIVEN;
        from_identification(c, v->reference, p->age, p->age, v);
    } else if (ct_age_band_bounds(p->age_band, &lo, &hi) == 0) {
        v->basis = CT_AGE_BAND;
        from_identification(c, v->reference, lo, hi, v);
    }
    if (v->basis != CT_AGE_UNKNOWN)
        v->child = v->age_min < 18; /* any age under 18 in the range: a child */
    if (p->age_uncertain) {
        /* presumption of minority: a child until an age assessment decides */
        v->basis = CT_AGE_PRESUMED;
        v->child = 1;
    }
}

static void assess_victim(const ct_case *c, size_t i, ct_date today, ct_victim_assessment *v)
{
    v->person = i;
    assess_age(c, &c->persons[i], today, v);
    v->present = (c->acts.n ? CT_EL_ACT : 0) | (c->means.n ? CT_EL_MEANS : 0) |
                 (c->purposes.n ? CT_EL_PURPOSE : 0);
    /* art. 3 c: for a child, means are not required; unknown age is not a child */
    v->required = CT_EL_ACT | CT_EL_PURPOSE | (v->child == 1 ? 0 : CT_EL_MEANS);
    v->missing = v->required & ~v->present;
    v->trafficking = v->missing == 0;
}

int ct_case_assess_protocol(const ct_case *c, ct_date today, ct_assessment *out)
{
    out->n = 0;
    out->trafficking = 0;
    out->child = 0;
    out->victims = ct_calloc(c->npersons ? c->npersons : 1, sizeof(*out->victims));
    if (!out->victims)
        return CT_ENOMEM;
    int unknown = 0;
    for (size_t i = 0; i < c->npersons; i++) {
        if (!ct_person_is_victim(&c->persons[i]))
            continue;
        ct_victim_assessment *v = &out->victims[out->n++];
        assess_victim(c, i, today, v);
        out->trafficking |= v->trafficking;
        if (v->child == 1)
            out->child = 1;
        unknown |= v->child == -1;
    }
    if (!out->child && unknown)
        out->child = -1;
    return 0;
}

void ct_assessment_release(ct_assessment *a)
{
    ct_free(a->victims);
    a->victims = NULL;
    a->n = 0;
}

const char *ct_age_group(int age_min, int age_uncertain)
{
    /* any age under 18 in the range makes a child, so only the lower
     * bound matters */
    if (age_uncertain || (age_min >= 0 && age_min < 18))
        return "0-17";
    return age_min >= 18 ? "18+" : "unknown";
}

int ct_person_is_child(const ct_case *c, const ct_person *p, ct_date today)
{
    ct_victim_assessment v;
    assess_age(c, p, today, &v);
    return v.child;
}

static json_t *elements_json(unsigned present)
{
    return json_pack("{s:b,s:b,s:b}", "act", (present & CT_EL_ACT) != 0, "means",
                     (present & CT_EL_MEANS) != 0, "purpose", (present & CT_EL_PURPOSE) != 0);
}

static json_t *missing_json(unsigned missing)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {{CT_EL_ACT, "act"}, {CT_EL_MEANS, "means"}, {CT_EL_PURPOSE, "purpose"}};
    json_t *a = json_array();
    for (size_t i = 0; a && i < sizeof(names) / sizeof(names[0]); i++)
        if (missing & names[i].bit)
            json_array_append_new(a, json_string(names[i].name));
    return a;
}

static json_t *child_json(int child)
{
    return child < 0 ? json_null() : json_boolean(child);
}

static json_t *age_json(const ct_victim_assessment *v)
{
    static const char *basis[] = {"unknown", "date_of_birth", "age", "presumed_child", "age_band"};
    char ref[CT_DATE_TEXT_MAX];
    ct_date_format(v->reference, ref);
    json_t *o = json_pack("{s:s,s:s}", "basis", basis[v->basis], "at", ref);
    if (o && v->age_min >= 0)
        json_object_set_new(o, "min", json_integer(v->age_min));
    if (o && v->age_max >= 0)
        json_object_set_new(o, "max", json_integer(v->age_max));
    return o;
}

static json_t *victim_json(const ct_case *c, const ct_victim_assessment *v)
{
    const ct_person *p = &c->persons[v->person];
    json_t *person = p->id ? json_string(p->id) : json_integer((json_int_t)v->person);
    return json_pack("{s:o,s:o,s:b,s:o,s:o,s:o}", "person", person, "child", child_json(v->child),
                     "trafficking", v->trafficking, "elements", elements_json(v->present),
                     "missing", missing_json(v->missing), "age", age_json(v));
}

json_t *ct_assessment_to_json(const ct_case *c, const ct_assessment *a)
{
    json_t *victims = json_array();
    for (size_t i = 0; victims && i < a->n; i++)
        if (json_array_append_new(victims, victim_json(c, &a->victims[i]))) {
            json_decref(victims);
            return NULL;
        }
    json_t *out = json_pack("{s:b,s:o,s:o}", "trafficking", a->trafficking, "victims", victims,
                            "child", child_json(a->child));
    if (!out)
        return NULL;
    if (a->n) {
        json_object_set_new(out, "elements", elements_json(a->victims[0].present));
        json_object_set_new(out, "missing", missing_json(a->victims[0].missing));
    } else {
        json_object_set_new(out, "elements", elements_json(0));
        json_object_set_new(out, "missing", json_pack("[s]", "victim"));
    }
    return out;
}
