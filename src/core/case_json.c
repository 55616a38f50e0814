#include "case_json.h"

#include "assess.h"
#include "codes.h"
#include "err.h"
#include "i18n.h"
#include "utf8.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <strings.h>
#include <stdio.h>
#include <string.h>

/* State of one read: where errors go and where memory comes from. */
typedef struct reader {
    ct_arena *arena;
    const ct_case_read_opts *opts;
    ct_problems *pr;
    int oom;
} reader;

static void *member(void *item, const ct_field *f)
{
    return (char *)item + f->offset;
}

static int has_control_chars(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\n')
            return 1;
    return 0;
}

/* Codes are exact; only sex also takes the other standards' spellings
 * (contracts.md: F|M, CTDC and HTCDS values), listed as attributes. */
static const char *resolve_code(const ct_field *f, const char *s)
{
    const ct_code_list *l = ct_codes_list(f->codes);
    if (!l)
        CT_BUG("a field names a code list that data/codes does not have");
    const ct_code *c = ct_codes_find(l, s);
    static const char *const sex_spellings[] = {"abbr", "ctdc", "ctdc_synthetic", "htcds",
                                                "glotip"};
    if (!c && strcmp(f->codes, "sexes") == 0)
        for (size_t i = 0; !c && i < sizeof(sex_spellings) / sizeof(sex_spellings[0]); i++)
            c = ct_codes_find_attr(l, sex_spellings[i], s);
    return c ? ct_code_id(c) : NULL;
}

static int string_ok(reader *r, const ct_field *f, const char *s, size_t n, const char *path)
{
    if (f->max && n > (size_t)f->max) {
        ct_problems_add(r->pr, path, _("longer than %d bytes"), f->max);
        return 0;
    }
    if (memchr(s, '\0', n) || has_control_chars(s, n)) {
        ct_problems_add(r->pr, path, "%s", _("contains control characters"));
        return 0;
    }
    return 1;
}

static const char *read_string(reader *r, const ct_field *f, const json_t *v, const char *path)
{
    if (!json_is_string(v)) {
        ct_problems_add(r->pr, path, "%s", _("expected a string"));
        return NULL;
    }
    const char *s = json_string_value(v);
    return string_ok(r, f, s, json_string_length(v), path) ? s : NULL;
}

static const char *copy(reader *r, const char *s)
{
    const char *d = ct_arena_strdup(r->arena, s);
    if (!d)
        r->oom = 1;
    return d;
}

static const char *code_from_text(reader *r, const ct_field *f, const char *s, const char *path)
{
    const char *code = resolve_code(f, s);
    if (!code) {
        /* a code is not personal data, but keep it short and printable */
        char shown[41];
        snprintf(shown, sizeof(shown), "%s", s);
        for (char *p = shown; *p; p++)
            if ((unsigned char)*p < 0x20)
                *p = '?';
        ct_problems_add(r->pr, path, _("unknown code '%s' (see the code list '%s')"), shown,
                        f->codes);
    }
    return code;
}

static const char *read_code(reader *r, const ct_field *f, const json_t *v, const char *path)
{
    if (!json_is_string(v)) {
        ct_problems_add(r->pr, path, "%s", _("expected a code (a string)"));
        return NULL;
    }
    return code_from_text(r, f, json_string_value(v), path);
}

static void read_list(reader *r, const ct_field *f, const json_t *v, const char *path, ct_strv *out)
{
    if (!json_is_array(v)) {
        ct_problems_add(r->pr, path, "%s", _("expected a list"));
        return;
    }
    size_t i;
    json_t *item;
    char ipath[CT_PROBLEM_FIELD_MAX];
    json_array_foreach(v, i, item)
    {
        snprintf(ipath, sizeof(ipath), "%s[%zu]", path, i);
        const char *s =
            f->type == CT_F_CODES ? read_code(r, f, item, ipath) : read_string(r, f, item, ipath);
        if (!s || ct_strv_has(out, s))
            continue; /* a list is a set: duplicates add nothing */
        if (ct_strv_push(r->arena, out, s, strlen(s)))
            r->oom = 1;
    }
}

static void date_from_text(reader *r, const ct_field *f, const char *s, size_t n, const char *path,
                           ct_date *d)
{
    if (ct_date_parse(s, n, d) != 0) {
        ct_problems_add(r->pr, path, "%s",
                        _("not a date (YYYY, YYYY-MM or YYYY-MM-DD, a real calendar day)"));
        return;
    }
    const char *why = NULL;
    if (ct_date_check(*d, f->date_kind, r->opts->today, &why)) {
        ct_problems_add(r->pr, path, "%s", _(why));
        *d = CT_DATE_NONE;
    }
}

static void read_date(reader *r, const ct_field *f, const json_t *v, const char *path, ct_date *d)
{
    if (!json_is_string(v)) {
        ct_problems_add(r->pr, path, "%s",
                        _("not a date (YYYY, YYYY-MM or YYYY-MM-DD, a real calendar day)"));
        return;
    }
    date_from_text(r, f, json_string_value(v), json_string_length(v), path, d);
}

static void int_in_range(reader *r, const ct_field *f, long long n, const char *path, int *out)
{
    if (n < f->min || n > f->max) {
        ct_problems_add(r->pr, path, _("must lie between %d and %d"), f->min, f->max);
        return;
    }
    *out = (int)n;
}

static void read_int(reader *r, const ct_field *f, const json_t *v, const char *path, void *out)
{
    if (!json_is_integer(v)) {
        ct_problems_add(r->pr, path, "%s", _("expected a whole number"));
        return;
    }
    int_in_range(r, f, json_integer_value(v), path, out);
}

static void read_objects(reader *r, const ct_field *f, const json_t *v, const char *path,
                         void *item);

static void read_value(reader *r, const ct_field *f, const json_t *v, const char *path, void *item)
{
    void *m = member(item, f);
    const char *s;
    switch (f->type) {
    case CT_F_STR:
        if ((s = read_string(r, f, v, path)) && *s)
            *(const char **)m = copy(r, s);
        break;
    case CT_F_ID:
        if (!json_is_string(v) || !ct_uuid_valid(json_string_value(v), json_string_length(v))) {
            ct_problems_add(r->pr, path, "%s", _("not a UUID"));
            break;
        }
        {
            /* canonical form is lower case: ids compare as plain strings */
            char id[CT_UUID_TEXT];
            for (size_t i = 0; i < 36; i++)
                id[i] = (char)tolower((unsigned char)json_string_value(v)[i]);
            id[36] = '\0';
            *(const char **)m = copy(r, id);
        }
        break;
    case CT_F_CODE:
        if ((s = read_code(r, f, v, path)))
            *(const char **)m = s; /* points into the static code list */
        break;
    case CT_F_CODES:
    case CT_F_STRS:
        read_list(r, f, v, path, (ct_strv *)m);
        break;
    case CT_F_DATE:
        read_date(r, f, v, path, (ct_date *)m);
        break;
    case CT_F_INT:
        read_int(r, f, v, path, m);
        break;
    case CT_F_BOOL:
        if (!json_is_boolean(v))
            ct_problems_add(r->pr, path, "%s", _("expected true or false"));
        else
            *(int *)m = json_is_true(v);
        break;
    case CT_F_OBJECTS:
        read_objects(r, f, v, path, item);
        break;
    }
}

/* Whether some field lives under "prefix." (a nested object such as dates). */
static int is_group(const ct_field_table *t, const char *prefix, size_t n)
{
    for (size_t i = 0; i < t->count; i++)
        if (strncmp(t->fields[i].path, prefix, n) == 0 && t->fields[i].path[n] == '.')
            return 1;
    return 0;
}

static void read_members(reader *r, const json_t *obj, const ct_field_table *t, void *item,
                         const char *where, const char *group)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        char fpath[128], epath[CT_PROBLEM_FIELD_MAX];
        int n = snprintf(fpath, sizeof(fpath), "%s%s%s", group, *group ? "." : "", key);
        int too_long = n < 0 || (size_t)n >= sizeof(fpath); /* no field has such a name */
        n = snprintf(epath, sizeof(epath), "%s%s%s", where, *where ? "." : "", fpath);
        if (n < 0 || (size_t)n >= sizeof(epath))
            memcpy(epath + sizeof(epath) - 4, "...", 4); /* a message, cut visibly */
        if (json_is_null(v))
            continue; /* null means absent */
        const ct_field *f = too_long ? NULL : ct_field_find(t, fpath);
        if (f) {
            if (!(f->flags & CT_FIELD_READ_ONLY))
                read_value(r, f, v, epath, item);
            continue;
        }
        if (!too_long && is_group(t, fpath, strlen(fpath))) {
            if (!json_is_object(v))
                ct_problems_add(r->pr, epath, "%s", _("expected an object"));
            else
                read_members(r, v, t, item, where, fpath);
            continue;
        }
        if (key[0] == '_' && r->opts->allow_private)
            continue;
        ct_problems_add(r->pr, epath, "%s", _("unknown field"));
    }
}

static void read_objects(reader *r, const ct_field *f, const json_t *v, const char *path,
                         void *item)
{
    if (!json_is_array(v)) {
        ct_problems_add(r->pr, path, "%s", _("expected a list of objects"));
        return;
    }
    size_t n = json_array_size(v);
    if (n > (size_t)f->max) {
        ct_problems_add(r->pr, path, _("more than %d items"), f->max);
        return;
    }
    const ct_field_table *sub = f->sub;
    char *items = ct_arena_alloc(r->arena, (n ? n : 1) * sub->item_size);
    if (!items) {
        r->oom = 1;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char ipath[CT_PROBLEM_FIELD_MAX];
        snprintf(ipath, sizeof(ipath), "%s[%zu]", path, i);
        json_t *o = json_array_get(v, i);
        void *it = items + i * sub->item_size;
        if (sub == &ct_person_table) {
            ((ct_person *)it)->age = -1;
            ((ct_person *)it)->role = "victim";
        }
        if (!json_is_object(o))
            ct_problems_add(r->pr, ipath, "%s", _("expected an object"));
        else
            read_members(r, o, sub, it, ipath, "");
    }
    *(void **)member(item, f) = items;
    *(size_t *)((char *)item + f->count_offset) = n;
}

int ct_case_from_json(ct_case *c, const json_t *obj, const ct_case_read_opts *opts, ct_problems *pr)
{
    size_t before = pr->total;
    reader r = {&c->arena, opts, pr, 0};
    if (!json_is_object(obj)) {
        ct_problems_add(pr, "", "%s", _("a case must be a JSON object"));
        return CT_EINVAL;
    }
    read_members(&r, obj, &ct_case_table, c, "", "");
    if (r.oom || pr->oom)
        return CT_ENOMEM;
    if (!c->agency && opts->home_agency)
        c->agency = opts->home_agency;
    if (!c->status)
        c->status = "active";
    for (size_t i = 0; i < c->npersons; i++)
        if (ct_person_is_victim(&c->persons[i]) && !c->persons[i].nrm_stage)
            c->persons[i].nrm_stage = "reported";
    ct_case_check(c, opts, pr);
    return pr->total > before ? CT_EINVAL : 0;
}

/* ---- rules between fields -------------------------------------------- */

/* An age band must hold the age (or the ages the birth date allows) at the
 * identification date: a band is what a record knows when it knows no
 * more, so it may not contradict what it does know. */
static void check_band(const ct_person *p, size_t i, ct_date at, ct_problems *pr)
{
    int bmin, bmax, lo, hi;
    if ((!p->date_of_birth.year && p->age < 0) || ct_age_band_bounds(p->age_band, &bmin, &bmax))
        return;
    if (p->age >= 0)
        lo = hi = p->age;
    else if (ct_age_range(p->date_of_birth, -1, CT_DATE_NONE, at, &lo, &hi))
        return;
    if (hi < bmin || (bmax >= 0 && lo > bmax)) {
        char path[CT_PROBLEM_FIELD_MAX];
        snprintf(path, sizeof(path), "persons[%zu].age_band", i);
        ct_problems_add(pr, path, "%s",
                        _("does not match the age or date_of_birth at the identification date"));
    }
}

static void check_person(const ct_person *p, size_t i, const ct_case *c,
                         const ct_case_read_opts *opts, ct_problems *pr)
{
    char path[CT_PROBLEM_FIELD_MAX];
    int victim = ct_person_is_victim(p);
    for (size_t k = 0; k < ct_person_table.count; k++) {
        const ct_field *f = &ct_person_table.fields[k];
        unsigned wrong = victim ? CT_FIELD_SUSPECT_ONLY : CT_FIELD_VICTIM_ONLY;
        if (!(f->flags & wrong))
            continue;
        const void *m = (const char *)p + f->offset;
        int set = f->type == CT_F_OBJECTS ? *(const size_t *)((const char *)p + f->count_offset) > 0
                                          : *(const char *const *)m != NULL;
        if (set) {
            snprintf(path, sizeof(path), "persons[%zu].%s", i, f->path);
            ct_problems_add(pr, path, "%s",
                            victim ? _("only suspects have this field")
                                   : _("only victims have this field"));
        }
    }
    if (p->date_of_birth.year && p->age >= 0) {
        ct_date at = c->date_identification.year ? c->date_identification : opts->today;
        int lo, hi;
        if (ct_age_range(p->date_of_birth, -1, CT_DATE_NONE, at, &lo, &hi) == 0 &&
            (p->age < lo - 1 || p->age > hi + 1)) {
            snprintf(path, sizeof(path), "persons[%zu].age", i);
            ct_problems_add(pr, path, "%s",
                            _("does not match date_of_birth at the identification date"));
        }
    }
    check_band(p, i, c->date_identification.year ? c->date_identification : opts->today, pr);
}

void ct_case_check(const ct_case *c, const ct_case_read_opts *opts, ct_problems *pr)
{
    if (c->main_purpose && !ct_strv_has(&c->purposes, c->main_purpose))
        ct_problems_add(pr, "main_purpose", "%s", _("must be one of purposes"));
    if (c->date_exploitation_start.year && c->date_exploitation_end.year &&
        ct_date_days(ct_date_last_day(c->date_exploitation_end)) <
            ct_date_days(ct_date_first_day(c->date_exploitation_start)))
        ct_problems_add(pr, "dates.exploitation_end", "%s",
                        _("lies before dates.exploitation_start"));
    for (size_t i = 0; i < c->npersons; i++)
        check_person(&c->persons[i], i, c, opts, pr);
}

/* ---- writing ------------------------------------------------------------- */

/* The object that holds path's last part, creating "dates" etc. as needed. */
static json_t *group_of(json_t *obj, const char *path, const char **leaf)
{
    const char *dot = strchr(path, '.');
    if (!dot) {
        *leaf = path;
        return obj;
    }
    char name[64];
    snprintf(name, sizeof(name), "%.*s", (int)(dot - path), path);
    json_t *g = json_object_get(obj, name);
    if (!g) {
        g = json_object();
        if (!g || json_object_set_new(obj, name, g))
            return NULL;
    }
    return group_of(g, dot + 1, leaf);
}

static json_t *strv_json(const ct_strv *v)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < v->n; i++)
        if (json_array_append_new(a, json_string(v->v[i]))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *object_json(const void *item, const ct_field_table *t, unsigned redact,
                           int with_meta);

static json_t *value_json(const void *item, const ct_field *f, unsigned redact, int with_meta)
{
    const void *m = (const char *)item + f->offset;
    switch (f->type) {
    case CT_F_STR:
    case CT_F_ID:
    case CT_F_CODE:
        return *(const char *const *)m ? json_string(*(const char *const *)m) : NULL;
    case CT_F_CODES:
    case CT_F_STRS:
        return ((const ct_strv *)m)->n ? strv_json((const ct_strv *)m) : NULL;
    case CT_F_DATE: {
        char text[CT_DATE_TEXT_MAX];
        ct_date_format(*(const ct_date *)m, text);
        return text[0] ? json_string(text) : NULL;
    }
    case CT_F_INT:
        if (f->min >= 0 && *(const int *)m < 0)
            return NULL; /* -1 is "unknown" */
        return json_integer(*(const int *)m);
    case CT_F_BOOL:
        return *(const int *)m ? json_true() : NULL;
    case CT_F_OBJECTS: {
        size_t n = *(const size_t *)((const char *)item + f->count_offset);
        const char *items = *(const char *const *)m;
        if (!n)
            return NULL;
        json_t *a = json_array();
        for (size_t i = 0; a && i < n; i++) {
            json_t *o = object_json(items + i * f->sub->item_size, f->sub, redact, with_meta);
            if (!o || json_array_append_new(a, o)) {
                json_decref(a);
                return NULL;
            }
        }
        return a;
    }
    }
    return NULL;
}

static json_t *object_json(const void *item, const ct_field_table *t, unsigned redact,
                           int with_meta)
{
    json_t *obj = json_object();
    if (!obj)
        return NULL;
    for (size_t i = 0; i < t->count; i++) {
        const ct_field *f = &t->fields[i];
        if ((f->pd & redact) || ((f->flags & CT_FIELD_READ_ONLY) && !with_meta))
            continue;
        json_t *v = value_json(item, f, redact, with_meta);
        if (!v)
            continue;
        const char *leaf;
        json_t *g = group_of(obj, f->path, &leaf);
        if (!g || json_object_set_new(g, leaf, v)) {
            json_decref(obj);
            return NULL;
        }
    }
    return obj;
}

/* ---- text values (CSV cells) ------------------------------------------- */

static int parse_bool(const char *s, int *out)
{
    static const char *const yes[] = {"true", "1", "yes", "y", "oui"};
    static const char *const no[] = {"false", "0", "no", "n", "non"};
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return *out = 1, 0;
        if (strcasecmp(s, no[i]) == 0)
            return *out = 0, 0;
    }
    return -1;
}

static void text_value(reader *r, const ct_field *f, const char *s, size_t n, const char *path,
                       void *item)
{
    void *m = member(item, f);
    switch (f->type) {
    case CT_F_STR:
        if (string_ok(r, f, s, n, path) && !(*(const char **)m = ct_arena_strndup(r->arena, s, n)))
            r->oom = 1;
        return;
    case CT_F_ID:
    case CT_F_OBJECTS: {
        json_t *v = json_stringn(s, n);
        if (!v) {
            r->oom = 1;
            return;
        }
        if (f->type == CT_F_OBJECTS)
            ct_problems_add(r->pr, path, "%s", _("cannot be given as text"));
        else
            read_value(r, f, v, path, item);
        json_decref(v);
        return;
    }
    case CT_F_CODE: {
        const char *code = code_from_text(r, f, s, path);
        if (code)
            *(const char **)m = code;
        return;
    }
    case CT_F_CODES:
    case CT_F_STRS:
        while (n) {
            const char *semi = memchr(s, ';', n);
            size_t len = semi ? (size_t)(semi - s) : n;
            while (len && s[0] == ' ')
                s++, len--, n--;
            while (len && s[len - 1] == ' ')
                len--;
            if (len >= 256) {
                ct_problems_add(r->pr, path, "%s", _("a list item is longer than 255 bytes"));
            } else if (len) {
                char item_text[256];
                snprintf(item_text, sizeof(item_text), "%.*s", (int)len, s);
                const char *v =
                    f->type == CT_F_CODES ? code_from_text(r, f, item_text, path) : item_text;
                if (v && !ct_strv_has((ct_strv *)m, v) &&
                    ct_strv_push(r->arena, (ct_strv *)m, v, strlen(v)))
                    r->oom = 1;
            }
            if (!semi)
                break;
            n -= (size_t)(semi - s) + 1;
            s = semi + 1;
        }
        return;
    case CT_F_DATE:
        date_from_text(r, f, s, n, path, (ct_date *)m);
        return;
    case CT_F_INT: {
        char *end;
        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (errno || end == s || *end)
            ct_problems_add(r->pr, path, "%s", _("expected a whole number"));
        else
            int_in_range(r, f, v, path, (int *)m);
        return;
    }
    case CT_F_BOOL:
        if (parse_bool(s, (int *)m))
            ct_problems_add(r->pr, path, "%s", _("expected true or false"));
        return;
    }
}

int ct_field_from_text(ct_arena *a, void *item, const ct_field *f, const char *s, size_t n,
                       const ct_case_read_opts *opts, const char *path, ct_problems *pr)
{
    if (n == 0)
        return 0; /* an empty cell is an absent value */
    size_t before = pr->total;
    reader r = {a, opts, pr, 0};
    text_value(&r, f, s, n, path, item);
    if (r.oom || pr->oom)
        return CT_ENOMEM;
    return pr->total > before ? CT_EINVAL : 0;
}

json_t *ct_field_to_json(const void *item, const ct_field *f)
{
    return value_json(item, f, 0, 1);
}

int ct_field_from_json(ct_arena *a, void *item, const ct_field *f, const json_t *v,
                       const ct_case_read_opts *opts, const char *path, ct_problems *pr)
{
    size_t before = pr->total;
    reader r = {a, opts, pr, 0};
    read_value(&r, f, v, path, item);
    if (r.oom || pr->oom)
        return CT_ENOMEM;
    return pr->total > before ? CT_EINVAL : 0;
}

json_t *ct_case_to_json(const ct_case *c, unsigned redact, int with_meta)
{
    return object_json(c, &ct_case_table, redact, with_meta);
}

json_t *ct_person_to_json(const ct_person *p, unsigned redact, int with_meta)
{
    return object_json(p, &ct_person_table, redact, with_meta);
}
