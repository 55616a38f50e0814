/*
 * from_store.c - capture histories from the database: one record per
 * victim record (ct_store_captures_each), handed to
 * ct_estimate_histories_build, so that `ctip estimate DB`, `ctip link
 * overlaps DB` and GET /api/v1/estimate count exactly alike.
 *
 * Keys are prefixed by their kind ("k:" a person key, "r:" a record's own
 * id), so that an unlinked record is a person of its own and can never be
 * merged with somebody whose person key happens to spell the same string.
 * Nothing of the keys survives in the result (histories hold counts only).
 */
#include "estimate.h"

#include "core/alloc.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

/* What a list can be, and how a capture row names its list (rules as
 * data: one row per kind of list). */
static const struct list_kind {
    const char *name;
    const char *(*of)(const ct_capture_row *row);
} list_kinds[] = {
    {"agency", NULL}, /* the owning agency (row->agency) */
};

static const char *list_of(const struct list_kind *k, const ct_capture_row *row)
{
    return k->of ? k->of(row) : row->agency;
}

int ct_estimate_lists_parse(const char *s, ct_err *err)
{
    for (size_t i = 0; s && i < sizeof(list_kinds) / sizeof(list_kinds[0]); i++)
        if (strcmp(s, list_kinds[i].name) == 0)
            return (int)i;
    return ct_err_set_field(err, CT_EUSAGE, "lists", _("lists '%.40s' is not known; use agency"),
                            s ? s : "");
}

int ct_estimate_by_parse(const char *s, unsigned *out, ct_err *err)
{
    static const struct {
        const char *word;
        unsigned flag;
    } words[] = {{"year", CT_ESTIMATE_BY_YEAR},
                 {"sex", CT_ESTIMATE_BY_SEX},
                 {"agegroup", CT_ESTIMATE_BY_AGEGROUP}};
    *out = 0;
    while (s && *s) {
        size_t n = strcspn(s, ",");
        size_t i = 0;
        for (; i < sizeof(words) / sizeof(words[0]); i++)
            if (strlen(words[i].word) == n && strncmp(s, words[i].word, n) == 0)
                break;
        if (i == sizeof(words) / sizeof(words[0]) || (*out & words[i].flag))
            return ct_err_set_field(err, CT_EUSAGE, "by",
                                    _("by '%.*s' is not known or named twice; use any of year, "
                                      "sex, agegroup"),
                                    (int)(n > 40 ? 40 : n), s);
        *out |= words[i].flag;
        s += n + (s[n] == ',');
    }
    return 0;
}

typedef struct collect {
    ct_arena arena; /* keys and stratum values */
    ct_estimate_record *recs;
    size_t n, cap;
    const struct list_kind *kind;
    const char *country;
    /* agency names and the few stratum strings, interned: most rows repeat
     * them */
    const char *last_list, *last_year, *last_sex;
    int year;
} collect;

static const char *intern(collect *c, const char **last, const char *s)
{
    if (!s)
        return NULL;
    if (*last && strcmp(*last, s) == 0)
        return *last;
    return *last = ct_arena_strdup(&c->arena, s);
}

static int on_row(const ct_capture_row *row, void *arg)
{
    collect *c = arg;
    if (c->country && (!row->country || strcmp(row->country, c->country) != 0))
        return 0;
    if (c->n == c->cap) {
        ct_estimate_record *g = ct_grow(c->recs, sizeof(*g), c->n + 1, &c->cap);
        if (!g)
            return CT_ENOMEM;
        c->recs = g;
    }
    size_t klen = strlen(row->key);
    char *key = ct_arena_alloc(&c->arena, klen + 3);
    if (!key)
        return CT_ENOMEM;
    key[0] = row->own_id ? 'r' : 'k';
    key[1] = ':';
    memcpy(key + 2, row->key, klen + 1);
    if (!c->last_year || row->year != c->year) {
        char y[16];
        snprintf(y, sizeof(y), "%d", row->year);
        c->last_year = ct_arena_strdup(&c->arena, y);
        c->year = row->year;
    }
    ct_estimate_record *r = &c->recs[c->n++];
    r->person_key = key;
    r->list = intern(c, &c->last_list, list_of(c->kind, row));
    r->year = c->last_year;
    r->sex = intern(c, &c->last_sex, row->sex);
    r->agegroup = row->agegroup; /* static */
    if (!r->list || !r->year || (row->sex && !r->sex))
        return CT_ENOMEM;
    return 0;
}

/* Distinct lists among the records, counted up to one more than allowed. */
static int count_lists(const collect *c)
{
    const char *seen[CT_ESTIMATE_MAX_LISTS + 1];
    int n = 0;
    for (size_t i = 0; i < c->n && n <= CT_ESTIMATE_MAX_LISTS; i++) {
        int k = 0;
        while (k < n && strcmp(seen[k], c->recs[i].list) != 0)
            k++;
        if (k == n)
            seen[n++] = c->recs[i].list;
    }
    return n;
}

int ct_estimate_histories_from_store(struct ct_store *s, const ct_estimate_db_opts *o,
                                     ct_estimate_data **out, ct_err *err)
{
    *out = NULL;
    int kind = ct_estimate_lists_parse(o->lists, err);
    if (kind < 0)
        return kind;
    if (o->country &&
        (strlen(o->country) != 3 || strspn(o->country, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3))
        return ct_err_set_field(err, CT_EUSAGE, "country", "%s",
                                _("country takes an ISO 3166 alpha-3 code, e.g. DEU"));
    collect c = {.kind = &list_kinds[kind], .country = o->country};
    ct_arena_init(&c.arena, 1 << 16);
    ct_case_filter f = {.year_from = o->year_from, .year_to = o->year_to};
    int r = ct_store_captures_each(s, &f, on_row, &c, err);
    if (r == CT_ENOMEM && !err->code)
        ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    /* too few or too many lists: the database is valid input for which no
     * estimate exists (contracts.md exit status 4) */
    int nlists = r ? 0 : count_lists(&c);
    if (!r && nlists < CT_ESTIMATE_MIN_LISTS)
        r = ct_err_set(err, CT_ENORESULT,
                       _("%d list(s) (agencies with victim records); estimation needs at least 3"),
                       nlists);
    else if (!r && nlists > CT_ESTIMATE_MAX_LISTS)
        r = ct_err_set(err, CT_ENORESULT,
                       _("more than %d lists (agencies with victim records); estimate one country "
                         "of detection at a time or merge lists"),
                       CT_ESTIMATE_MAX_LISTS);
    if (!r)
        r = ct_estimate_histories_build(c.recs, c.n, o->by, out, err);
    ct_free(c.recs);
    ct_arena_release(&c.arena);
    return r;
}
