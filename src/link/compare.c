/*
 * compare.c - comparison levels (docs/linkage.md "Comparisons").
 *
 * Each method is an ordered list of levels, tested best first, the first
 * that holds wins (Splink's CASE expression); level 0 is "else", and a
 * missing value on either side gives CT_LINK_NULL, which weighs nothing.
 * The similarity is computed once per pair and then mapped to a level
 * (DuckDB/Splink "hoisting"). The level tables below are the rules; the
 * code only walks them.
 */
#include "link_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct level_def {
    const char *name;
    double jw; /* JW threshold for JW levels, else 0 */
} level_def;

/* Levels of each method, index = level (0 = else). Thresholds: fastLink
 * cut.a 0.92 / cut.p 0.88, Splink NameComparison (with its dmetaphone
 * level) and JaroWinklerAtThresholds 0.7. */
static const level_def name_levels[] = {{"else", 0},    {"jw70", 0.70}, {"phonetic", 0},
                                        {"jw88", 0.88}, {"jw92", 0.92}, {"alias", 0},
                                        {"exact", 0}};
enum { N_ELSE, N_JW70, N_PHON, N_JW88, N_JW92, N_ALIAS, N_EXACT, N_LEVELS };
static const level_def date_levels[] = {{"else", 0},    {"year", 0}, {"lev2", 0}, {"lev1", 0},
                                        {"partial", 0}, {"swap", 0}, {"exact", 0}};
enum { D_ELSE, D_YEAR, D_LEV2, D_LEV1, D_PARTIAL, D_SWAP, D_EXACT, D_LEVELS };
static const level_def text_levels[] = {{"else", 0}, {"jw70", 0.70}, {"jw88", 0.88}, {"exact", 0}};
static const level_def lev_levels[] = {{"else", 0}, {"lev2", 0}, {"lev1", 0}, {"exact", 0}};
static const level_def exact_levels[] = {{"else", 0}, {"exact", 0}};
static const level_def codes_levels[] = {{"else", 0}, {"common", 0}};

static const struct {
    const level_def *levels;
    int n;
} methods[CT_LINK_METHODS] = {
    [CT_LINK_NAME] = {name_levels, N_LEVELS}, [CT_LINK_DATE] = {date_levels, D_LEVELS},
    [CT_LINK_TEXT] = {text_levels, 4},        [CT_LINK_LEV] = {lev_levels, 4},
    [CT_LINK_EXACT] = {exact_levels, 2},      [CT_LINK_CODES] = {codes_levels, 2},
};

int ct_link_method_levels(enum ct_link_method m)
{
    return methods[m].n;
}

const char *ct_link_level_name(enum ct_link_method m, int level)
{
    if (level == CT_LINK_NULL)
        return "null";
    return methods[m].levels[level].name;
}

int ct_link_level_is_exact(enum ct_link_method m, int level)
{
    return level == methods[m].n - 1 && m == CT_LINK_NAME;
}

static int same(const ct_link_val *a, const ct_link_val *b)
{
    return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

/* Names: exact, alias, JW .92, JW .88, same Double Metaphone, JW .7. */
static int cmp_name(const ct_link_val *a, const ct_link_val *b)
{
    if (same(a, b))
        return N_EXACT;
    double jw = ct_link_jaro_winkler(a->s, a->len, b->s, b->len);
    if (jw >= name_levels[N_JW92].jw)
        return N_JW92;
    if (a->nick && b->nick && ct_link_is_alias(a->s, b->s))
        return N_ALIAS;
    if (jw >= name_levels[N_JW88].jw)
        return N_JW88;
    if (a->dm[0] &&
        (strcmp(a->dm, b->dm) == 0 || strcmp(a->dm, b->dm2) == 0 || strcmp(a->dm2, b->dm) == 0))
        return N_PHON;
    return jw >= name_levels[N_JW70].jw ? N_JW70 : N_ELSE;
}

/* Birth dates: exact, day and month swapped, agreement on every part both
 * know, one or two digits off, same year (or an age-based year within one
 * year). */
static int cmp_date(const ct_link_date *a, const ct_link_date *b)
{
    if (a->approx || b->approx)
        return abs(a->y - b->y) <= 1 ? D_YEAR : D_ELSE;
    int full = a->d && b->d && a->m && b->m;
    if (full && a->y == b->y && a->m == b->m && a->d == b->d)
        return D_EXACT;
    if (full && a->y == b->y && a->m == b->d && a->d == b->m)
        return D_SWAP;
    if (!full && a->y == b->y && a->m && b->m && a->m == b->m && (!a->d || !b->d || a->d == b->d))
        return D_PARTIAL;
    if (full) {
        unsigned lev = ct_link_levenshtein(a->digits, 8, b->digits, 8, 2);
        if (lev <= 2)
            return lev <= 1 ? D_LEV1 : D_LEV2;
    }
    return a->y == b->y ? D_YEAR : D_ELSE;
}

static int cmp_codes(const ct_link_val *a, const ct_link_val *b)
{
    const char *p = a->s;
    while (*p) {
        size_t n = strcspn(p, " ");
        for (const char *q = b->s; *q;) {
            size_t m = strcspn(q, " ");
            if (m == n && memcmp(p, q, n) == 0)
                return 1;
            q += m + (q[m] == ' ');
        }
        p += n + (p[n] == ' ');
    }
    return 0;
}

int ct_link_compare(const ct_link_data *d, size_t c, uint32_t ra, uint32_t rb)
{
    const ct_link_col *col = &d->col[c];
    const ct_link_val *a = &col->v[ra], *b = &col->v[rb];
    if (!a->s || !b->s)
        return CT_LINK_NULL;
    switch (col->c.method) {
    case CT_LINK_NAME:
        return cmp_name(a, b);
    case CT_LINK_DATE:
        return cmp_date(&col->date[ra], &col->date[rb]);
    case CT_LINK_TEXT: {
        if (same(a, b))
            return 3;
        double jw = ct_link_jaro_winkler(a->s, a->len, b->s, b->len);
        return jw >= text_levels[2].jw ? 2 : jw >= text_levels[1].jw ? 1 : 0;
    }
    case CT_LINK_LEV: {
        unsigned lev = ct_link_levenshtein(a->s, a->len, b->s, b->len, 2);
        return lev > 2 ? 0 : 3 - (int)lev;
    }
    case CT_LINK_EXACT:
        return same(a, b);
    case CT_LINK_CODES:
        return cmp_codes(a, b);
    default:
        return CT_LINK_NULL;
    }
}

/* Given and family names recorded the other way round (common across
 * agencies and scripts): when comparing them crosswise scores better, the
 * crosswise levels count. */
static void swap_names(const ct_link_data *d, uint32_t a, uint32_t b, signed char *out)
{
    int g = d->given, f = d->family;
    if (g < 0 || f < 0 || out[g] == CT_LINK_NULL || out[f] == CT_LINK_NULL)
        return;
    if (out[g] == N_EXACT && out[f] == N_EXACT)
        return;
    const ct_link_val *ga = &d->col[g].v[a], *fa = &d->col[f].v[a];
    const ct_link_val *gb = &d->col[g].v[b], *fb = &d->col[f].v[b];
    int sg = cmp_name(ga, fb), sf = cmp_name(fa, gb);
    if (sg + sf > out[g] + out[f] && sg >= N_JW88 && sf >= N_JW88) {
        out[g] = (signed char)sg;
        out[f] = (signed char)sf;
    }
}

void ct_link_compare_all(const ct_link_data *d, uint32_t a, uint32_t b, signed char *out)
{
    for (size_t c = 0; c < d->ncols; c++)
        out[c] = (signed char)ct_link_compare(d, c, a, b);
    swap_names(d, a, b, out);
}

int ct_link_level_shares_key(enum ct_link_method m, int part, int level)
{
    if (level < 0)
        return 0;
    switch (part) {
    case P_VALUE:
        return level == methods[m].n - 1;
    case P_FULLDATE:
        return m == CT_LINK_DATE && level == D_EXACT;
    case P_SORTED_NAMES:
        return m == CT_LINK_NAME && level == N_EXACT;
    case P_DM: /* the levels at which names mostly sound alike */
        return m == CT_LINK_NAME &&
               (level == N_EXACT || level == N_JW92 || level == N_JW88 || level == N_PHON);
    case P_YEAR:
        return m == CT_LINK_DATE && (level == D_EXACT || level == D_SWAP || level == D_PARTIAL ||
                                     level == D_LEV1 || level == D_YEAR);
    default:
        return 0;
    }
}
