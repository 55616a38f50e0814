/*
 * assess.h - the legal definition of trafficking in persons (UN Protocol,
 * art. 3), applied to each victim of a case, element by element, so a
 * caseworker sees which element is present and which is missing.
 *
 *   adult: act + means + exploitative purpose (art. 3 a);
 *   child (under 18 at the time of the acts, art. 3 c-d): act + purpose,
 *   means not required.
 *
 * Age counts at the recruitment date, else at identification, else today.
 * With partial dates the age is a range, and any age under 18 in it makes
 * the victim a child (benefit of the doubt, contracts.md). age_uncertain
 * (uncertain AND reasons to believe a child) presumes minority until an age
 * assessment decides (CoE Convention art. 10(3), Directive 2011/36/EU
 * art. 13(2)). With no age information at all `child` is unknown and means
 * are required: the test cannot presume what nobody has claimed.
 *
 * What the record knows about the age, best first: the birth date; the age
 * at identification; the age band at identification (CTDC's ageBroad). An
 * age or band recorded at identification is exact there, and becomes a range
 * only when moved to a recruitment date. So a victim in band 9-17 is a
 * child, one in band 18-20 an adult (unless recruited earlier).
 *
 * Indicators (screening) are separate: they support the decision and never
 * replace this test.
 */
#ifndef CT_CORE_ASSESS_H
#define CT_CORE_ASSESS_H

#include "model.h"

#include <jansson.h>

enum ct_element { CT_EL_ACT = 1 << 0, CT_EL_MEANS = 1 << 1, CT_EL_PURPOSE = 1 << 2 };

enum ct_age_basis {
    CT_AGE_UNKNOWN,    /* nothing known: child is unknown */
    CT_AGE_BIRTH_DATE, /* from date_of_birth (maybe partial) */
    CT_AGE_GIVEN,      /* from the age recorded at identification */
    CT_AGE_PRESUMED,   /* age_uncertain: presumed a child */
    CT_AGE_BAND,       /* from the age band at identification (no age, no birth date) */
};

typedef struct ct_victim_assessment {
    size_t person; /* index in the case's persons */
    int child;     /* 1 child, 0 adult, -1 unknown */
    enum ct_age_basis basis;
    int age_min, age_max; /* at the reference date, when basis is a date, an age or a
                           * band; age_max is -1 for an open band (48+) */
    ct_date reference;    /* the date the age was taken at */
    unsigned present;     /* enum ct_element bits */
    unsigned required;
    unsigned missing; /* required & ~present */
    int trafficking;
} ct_victim_assessment;

typedef struct ct_assessment {
    ct_victim_assessment *victims; /* owned; ct_assessment_release */
    size_t n;
    int trafficking; /* the definition holds for at least one victim */
    int child;       /* 1 when any victim is a child, -1 when none is but some are unknown */
} ct_assessment;

/* Assesses every victim of c. Returns 0 or CT_ENOMEM. */
int ct_case_assess_protocol(const ct_case *c, ct_date today, ct_assessment *out);
void ct_assessment_release(ct_assessment *a);
/* The output format of `ctip assess` (contracts.md); NULL on out of memory. */
json_t *ct_assessment_to_json(const ct_case *c, const ct_assessment *a);
/* The bounds of an age band of the code list age_bands (attributes min and
 * max, completed years, inclusive); *max is -1 for an open band ("48+").
 * Returns 0, or -1 when band is NULL, not a code or has no bounds
 * ("unknown"). */
int ct_age_band_bounds(const char *band, int *min, int *max);
/*
 * The age group of a victim for strata (capture histories, contracts.md),
 * from the lower bound of the age range at identification: "0-17" when
 * any age in the range is under 18 (benefit of the doubt, contracts.md) or
 * when age_uncertain is set (uncertain AND reasons to believe a child:
 * presumed a child, as ct_person_is_child does); "18+" when age_min >= 18;
 * "unknown" when nothing is known (age_min < 0). Returns a static string.
 */
const char *ct_age_group(int age_min, int age_uncertain);
/* Whether a victim is (or is presumed) a child: 1, 0, or -1 unknown. */
int ct_person_is_child(const ct_case *c, const ct_person *p, ct_date today);

#endif
