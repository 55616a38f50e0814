/*
 * screening.c - indicator checklists (data/indicators, compiled with the
 * code lists) scored by the rules of domain.md §6 and indicators.md, kept
 * as tables below. Indicators support the caseworker's decision; they never
 * replace the legal assessment (src/core/assess.h), which the report shows
 * beside them.
 */
#include "nrm_int.h"

#include "core/assess.h"
#include "core/codes.h"
#include "core/i18n.h"

#include <string.h>

/* A dimension is positive with >= 2 strong, or 1 strong + 1 medium or
 * weak, or 3 medium, or 2 medium + 1 weak (ILO/EC 2009, indicators.md).
 * Each row is a minimum count of each grade; any row met is enough. */
static const struct {
    int strong, medium, weak;
} dimension_rules[] = {
    {2, 0, 0}, {1, 1, 0}, {1, 0, 1}, {0, 3, 0}, {0, 2, 1},
};

int ct_nrm_dimension_positive(int strong, int medium, int weak)
{
    for (size_t i = 0; i < sizeof(dimension_rules) / sizeof(dimension_rules[0]); i++)
        if (strong >= dimension_rules[i].strong && medium >= dimension_rules[i].medium &&
            weak >= dimension_rules[i].weak)
            return 1;
    return 0;
}

#define DIM(n) (1u << ((n)-1))

/* The presumption of trafficking (indicators.md): every group must hold a
 * positive dimension. Adults: (1 or 2 or 3) and 4 and (5 or 6). Children:
 * an act (recorded in the case) plus a positive 4; the means dimensions
 * add weight only (Protocol art. 3(c)). */
static const struct presumption_rule {
    const char *list;
    unsigned groups[3]; /* bitmasks of dimensions; 0 ends */
    int needs_act;
} presumption_rules[] = {
    {"adult_labour", {DIM(1) | DIM(2) | DIM(3), DIM(4), DIM(5) | DIM(6)}, 0},
    {"adult_sexual", {DIM(1) | DIM(2) | DIM(3), DIM(4), DIM(5) | DIM(6)}, 0},
    {"child_labour", {DIM(4), 0, 0}, 1},
    {"child_sexual", {DIM(4), 0, 0}, 1},
};

/* The checklists and their lists: the list column of ilo_ec holds each
 * item's grade (S, M, W, empty when absent); unodc's `set` names its list. */
static const struct checklist {
    const char *name;
    const char *lists[4];
    int graded;
} checklists[] = {
    {"ilo_ec", {"adult_labour", "adult_sexual", "child_labour", "child_sexual"}, 1},
    {"unodc", {"general", "sexual_exploitation", NULL, NULL}, 0},
};

static const struct checklist *find_checklist(const char *name)
{
    for (size_t i = 0; name && i < sizeof(checklists) / sizeof(checklists[0]); i++)
        if (strcmp(checklists[i].name, name) == 0)
            return &checklists[i];
    return NULL;
}

static int list_known(const struct checklist *cl, const char *list)
{
    for (size_t i = 0; list && i < 4 && cl->lists[i]; i++)
        if (strcmp(cl->lists[i], list) == 0)
            return 1;
    return 0;
}

/* The grade of an item in a list: 'S', 'M', 'W' (graded lists), 'X'
 * (present in an ungraded list) or 0 when not in the list. */
static char item_grade(const struct checklist *cl, const ct_code *item, const char *list)
{
    if (cl->graded) {
        const char *g = ct_code_attr(item, list);
        return g && (g[0] == 'S' || g[0] == 'M' || g[0] == 'W') ? g[0] : 0;
    }
    const char *set = ct_code_attr(item, "set");
    /* the sexual exploitation set adds to the general one */
    if (set && (strcmp(set, list) == 0 || strcmp(set, "general") == 0))
        return 'X';
    return 0;
}

static void apply_presumption(ct_nrm_screening_result *out)
{
    for (size_t i = 0; i < sizeof(presumption_rules) / sizeof(presumption_rules[0]); i++) {
        const struct presumption_rule *rule = &presumption_rules[i];
        if (strcmp(rule->list, out->list) != 0)
            continue;
        int ok = !rule->needs_act || out->act;
        for (int g = 0; g < 3 && rule->groups[g]; g++) {
            int any = 0;
            for (int d = 0; d < CT_NRM_DIMENSIONS; d++)
                any |= (rule->groups[g] & DIM(d + 1)) && out->dims[d].positive;
            ok &= any;
        }
        out->presumption = ok;
        out->child_list = rule->needs_act;
        return;
    }
}

int ct_nrm_screening_score(const char *checklist, const char *list, const char *const *items,
                           size_t nitems, int act, ct_nrm_screening_result *out, ct_err *err)
{
    memset(out, 0, sizeof(*out));
    out->presumption = -1;
    const struct checklist *cl = find_checklist(checklist);
    if (!cl)
        return ct_err_set_field(err, CT_EINVAL, "checklist", _("unknown checklist '%.64s'"),
                                checklist ? checklist : "");
    if (!list_known(cl, list))
        return ct_err_set_field(err, CT_EINVAL, "list", _("checklist '%s' has no list '%.64s'"),
                                cl->name, list ? list : "");
    const ct_code_list *codes = ct_codes_list(cl->name);
    if (!codes)
        CT_BUG("a checklist of screening.c has no data/indicators file");
    out->checklist = cl->name;
    out->list = list;
    out->act = act;
    for (size_t i = 0; i < nitems; i++) {
        const ct_code *item = ct_codes_find(codes, items[i]);
        char grade = item ? item_grade(cl, item, list) : 0;
        if (!grade)
            return ct_err_set_field(err, CT_EINVAL, "items",
                                    _("'%.64s' is not an indicator of the list '%s'"),
                                    items[i] ? items[i] : "", list);
        for (size_t k = 0; k < i; k++)
            if (strcmp(items[k], items[i]) == 0)
                return ct_err_set_field(err, CT_EINVAL, "items",
                                        _("indicator '%.64s' is given twice"), items[i]);
        if (!cl->graded)
            continue;
        int d = ct_code_attr(item, "dimension")[0] - '1';
        if (d < 0 || d >= CT_NRM_DIMENSIONS)
            CT_BUG("an indicator's dimension is not 1-6");
        out->dims[d].strong += grade == 'S';
        out->dims[d].medium += grade == 'M';
        out->dims[d].weak += grade == 'W';
    }
    out->nitems = nitems;
    if (!cl->graded)
        return 0;
    for (int d = 0; d < CT_NRM_DIMENSIONS; d++)
        out->dims[d].positive =
            ct_nrm_dimension_positive(out->dims[d].strong, out->dims[d].medium, out->dims[d].weak);
    apply_presumption(out);
    return 0;
}

/* ---- storing ------------------------------------------------------------------ */

/* The default list: children's when the person is (presumed) a child,
 * sexual when the case names sexual exploitation among its purposes. */
static const char *default_list(const char *checklist, const nrm_person *np)
{
    int sexual = ct_strv_has(&np->c.purposes, "sexual_exploitation");
    if (checklist && strcmp(checklist, "unodc") == 0)
        return sexual ? "sexual_exploitation" : "general";
    if (np->child == 1)
        return sexual ? "child_sexual" : "child_labour";
    return sexual ? "adult_sexual" : "adult_labour";
}

static char *join_items(ct_arena *a, const char *const *items, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(items[i]) + 1;
    char *out = ct_arena_alloc(a, len);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(out, ";");
        strcat(out, items[i]);
    }
    return out;
}

typedef struct screen_arg {
    ct_nrm_screening rec;
    const ct_nrm_screening_result *res;
} screen_arg;

static int screen_tx(ct_store *s, void *arg, ct_err *err)
{
    screen_arg *x = arg;
    int r = ct_store_nrm_add(s, CT_NRM_REC_SCREENING, &x->rec.m, err);
    if (r)
        return r;
    json_t *d = json_pack("{s:s, s:s, s:s, s:i, s:i}", "record", x->rec.m.id, "checklist",
                          x->rec.checklist, "list", x->rec.list, "items", (int)x->res->nitems,
                          "presumption", x->res->presumption);
    return nrm_audit(s, "nrm.screening", "person", x->rec.m.person_id, "screening", NULL, d, err);
}

int ct_nrm_screening_record(ct_store *s, const ct_nrm_screening_input *in,
                            ct_nrm_screening_result *out, char id_out[CT_UUID_TEXT], ct_err *err)
{
    ct_nrm_screening_result res;
    int r = nrm_check_text(in->note, CT_NRM_NOTE_MAX, 0, "note", err);
    for (size_t i = 0; !r && i < in->nitems; i++)
        if (!in->items[i])
            r = ct_err_set_field(err, CT_EINVAL, "items", "%s", _("an indicator is missing"));
    if (r)
        return r;
    ct_arena arena;
    ct_arena_init(&arena, 0);
    nrm_person np;
    r = nrm_person_load(s, in->person_id, ct_date_today(), &arena, &np, err);
    if (!r)
        r = nrm_require_victim(&np.subj, err);
    const char *list = in->list ? in->list : default_list(in->checklist, &np);
    if (!r)
        r = ct_nrm_screening_score(in->checklist, list, in->items, in->nitems, np.c.acts.n > 0,
                                   &res, err);
    screen_arg x = {.res = &res};
    if (!r) {
        snprintf(x.rec.m.person_id, sizeof(x.rec.m.person_id), "%s", np.subj.person_id);
        x.rec.checklist = res.checklist;
        x.rec.list = res.list;
        x.rec.note = in->note && *in->note ? in->note : NULL;
        x.rec.items = in->nitems ? join_items(&arena, in->items, in->nitems) : NULL;
        if (in->nitems && !x.rec.items)
            r = ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    }
    if (!r)
        r = nrm_tx(s, screen_tx, &x, err);
    if (!r && out)
        *out = res;
    if (!r && id_out)
        memcpy(id_out, x.rec.m.id, CT_UUID_TEXT);
    nrm_person_release(&np);
    ct_arena_release(&arena);
    return r;
}

int ct_nrm_screenings(ct_store *s, const char *person_id, ct_arena *a, ct_nrm_list *out,
                      ct_err *err)
{
    return ct_store_nrm_list(s, CT_NRM_REC_SCREENING, person_id, NULL, a, out, err);
}

/* ---- the report beside the art. 3 assessment --------------------------------------- */

static json_t *screening_json(const ct_nrm_screening *rec, const ct_nrm_screening_result *res,
                              const char *lang)
{
    json_t *dims = json_array();
    for (int d = 0; res->presumption >= 0 && d < CT_NRM_DIMENSIONS; d++) {
        char code[2] = {(char)('1' + d), 0};
        const ct_code *label = ct_codes_lookup("ilo_ec_dimensions", code);
        json_array_append_new(dims,
                              json_pack("{s:i, s:s, s:i, s:i, s:i, s:b}", "dimension", d + 1,
                                        "label", ct_code_label(label, lang), "strong",
                                        res->dims[d].strong, "medium", res->dims[d].medium, "weak",
                                        res->dims[d].weak, "positive", res->dims[d].positive));
    }
    const char *rule = res->presumption < 0 ? NULL
                       : res->child_list    ? N_("child: an act and a positive dimension 4")
                                         : N_("adult: (1 or 2 or 3) and 4 and (5 or 6) positive");
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:o, s:o, s:s?, s:I}", "id", rec->m.id,
                     "checklist", rec->checklist, "list", rec->list, "at", rec->m.at, "by",
                     rec->m.actor, "items", rec->items, "dimensions", dims, "presumption",
                     res->presumption < 0 ? json_null() : json_boolean(res->presumption), "rule",
                     rule ? _(rule) : NULL, "indicators", (json_int_t)res->nitems);
}

static json_t *tristate_json(int v)
{
    return v < 0 ? json_null() : json_boolean(v);
}

static json_t *protocol_json(const nrm_person *np, ct_date today)
{
    ct_assessment as;
    if (ct_case_assess_protocol(&np->c, today, &as))
        return NULL;
    json_t *o = NULL;
    for (size_t i = 0; i < as.n; i++) {
        const ct_victim_assessment *v = &as.victims[i];
        if (&np->c.persons[v->person] != np->p)
            continue;
        json_t *missing = json_array();
        static const char *const names[] = {"act", "means", "purpose"};
        for (int k = 0; k < 3; k++)
            if (v->missing & (1u << k))
                json_array_append_new(missing, json_string(names[k]));
        o = json_pack("{s:o, s:b, s:{s:b, s:b, s:b}, s:b, s:o}", "child", tristate_json(v->child),
                      "trafficking", v->trafficking, "elements", "act",
                      (v->present & CT_EL_ACT) != 0, "means", (v->present & CT_EL_MEANS) != 0,
                      "purpose", (v->present & CT_EL_PURPOSE) != 0, "means_required",
                      (v->required & CT_EL_MEANS) != 0, "missing", missing);
    }
    ct_assessment_release(&as);
    return o;
}

json_t *ct_nrm_screening_report(ct_store *s, const char *person_id, ct_date today, const char *lang,
                                ct_err *err)
{
    today = nrm_today(today);
    ct_arena arena;
    ct_arena_init(&arena, 0);
    nrm_person np;
    ct_nrm_list l = {0};
    json_t *out = NULL;
    int r = nrm_person_load(s, person_id, today, &arena, &np, err);
    if (!r)
        r = ct_store_nrm_list(s, CT_NRM_REC_SCREENING, person_id, NULL, &arena, &l, err);
    if (!r && !l.n)
        r = ct_err_set(err, CT_ENOTFOUND, "%s", _("no screening is recorded for this person"));
    if (!r) {
        const ct_nrm_screening *last = (const ct_nrm_screening *)l.items + (l.n - 1);
        /* re-score from the data: a corrected checklist shows at once */
        const char *items[256];
        size_t n = 0;
        char *copy = last->items ? ct_arena_strdup(&arena, last->items) : NULL;
        char *save = NULL;
        for (char *tok = copy ? strtok_r(copy, ";", &save) : NULL; tok && n < 256;
             tok = strtok_r(NULL, ";", &save))
            items[n++] = tok;
        ct_nrm_screening_result res;
        ct_err ignored = CT_ERR_INIT;
        if (ct_nrm_screening_score(last->checklist, last->list, items, n, np.c.acts.n > 0, &res,
                                   &ignored))
            r = ct_err_set(err, CT_EINVAL, "%s",
                           _("the stored screening names indicators the checklist no longer "
                             "has; record a new screening"));
        json_t *prot = r ? NULL : protocol_json(&np, today);
        if (!r)
            out = json_pack("{s:o, s:o, s:s}", "screening", screening_json(last, &res, lang),
                            "protocol", prot ? prot : json_null(), "notice",
                            _("Indicators support the decision; they never replace the legal "
                              "assessment of the Protocol's art. 3 definition."));
        if (!r && !out)
            r = ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    }
    nrm_person_release(&np);
    ct_arena_release(&arena);
    return out;
}

/* ---- the checklists as data for the screening form ------------------------------- */

static const char notice[] = N_("Indicators support the decision; they never replace the legal "
                                "assessment of the Protocol's art. 3 definition.");

static json_t *rules_json(const struct checklist *cl)
{
    if (!cl->graded)
        return json_pack("{s:s}", "presumption",
                         _("no scoring: each sign present is a reason to ask more"));
    return json_pack("{s:s, s:s, s:s}", "dimension",
                     _("a dimension is positive with 2 strong, 1 strong and 1 medium or weak, "
                       "3 medium, or 2 medium and 1 weak indicators"),
                     "adult", _("adult: (1 or 2 or 3) and 4 and (5 or 6) positive"), "child",
                     _("child: an act and a positive dimension 4"));
}

static json_t *lists_json(const struct checklist *cl)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < 4 && cl->lists[i]; i++)
        if (json_array_append_new(a, json_string(cl->lists[i]))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

json_t *ct_nrm_checklists_to_json(const char *lang, ct_err *err)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < sizeof(checklists) / sizeof(checklists[0]); i++) {
        const struct checklist *cl = &checklists[i];
        const ct_code_list *codes = ct_codes_list(cl->name);
        json_t *o =
            json_pack("{s:s, s:s?, s:b, s:o, s:I, s:o}", "name", cl->name, "source",
                      ct_code_list_source(codes), "graded", cl->graded, "lists", lists_json(cl),
                      "indicators", (json_int_t)ct_code_list_size(codes), "rules", rules_json(cl));
        if (!o || json_array_append_new(a, o)) {
            json_decref(a);
            a = NULL;
        }
    }
    json_t *out =
        a ? json_pack("{s:o, s:s, s:s}", "checklists", a, "language", lang, "notice", _(notice))
          : NULL;
    if (!out)
        ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    return out;
}

/* One indicator: code, label, and its grade in list (or grades in every
 * list), its set (unodc), its status (disputed). NULL when it is not in
 * list. */
static json_t *indicator_json(const struct checklist *cl, const ct_code *item, const char *list,
                              const char *lang)
{
    if (list && !item_grade(cl, item, list))
        return NULL;
    json_t *o =
        json_pack("{s:s, s:s}", "code", ct_code_id(item), "label", ct_code_label(item, lang));
    if (!o)
        return NULL;
    const char *status = ct_code_attr(item, "status");
    if (status && *status)
        json_object_set_new(o, "status", json_string(status));
    if (!cl->graded) {
        json_object_set_new(o, "set", json_string(ct_code_attr(item, "set")));
        return o;
    }
    if (list) {
        char g[2] = {item_grade(cl, item, list), 0};
        json_object_set_new(o, "grade", json_string(g));
        return o;
    }
    json_t *grades = json_object();
    for (size_t i = 0; grades && i < 4 && cl->lists[i]; i++) {
        char g[2] = {item_grade(cl, item, cl->lists[i]), 0};
        json_object_set_new(grades, cl->lists[i], g[0] ? json_string(g) : json_null());
    }
    json_object_set_new(o, "grades", grades ? grades : json_null());
    return o;
}

/* The items of a graded checklist grouped by dimension. */
static json_t *dimensions_json(const struct checklist *cl, const ct_code_list *codes,
                               const char *list, const char *lang)
{
    json_t *dims = json_array();
    for (int d = 0; dims && d < CT_NRM_DIMENSIONS; d++) {
        char code[2] = {(char)('1' + d), 0};
        const ct_code *dim = ct_codes_lookup("ilo_ec_dimensions", code);
        json_t *items = json_array();
        json_t *o =
            json_pack("{s:i, s:s, s:s?, s:o}", "dimension", d + 1, "label",
                      ct_code_label(dim, lang), "role", ct_code_attr(dim, "role"), "items", items);
        if (!o || json_array_append_new(dims, o)) {
            json_decref(dims);
            return NULL;
        }
        for (size_t i = 0; i < ct_code_list_size(codes); i++) {
            const ct_code *item = ct_code_list_at(codes, i);
            if (ct_code_attr(item, "dimension")[0] != code[0])
                continue;
            json_t *it = indicator_json(cl, item, list, lang);
            if (it)
                json_array_append_new(items, it);
        }
    }
    return dims;
}

json_t *ct_nrm_checklist_to_json(const char *checklist, const char *list, const char *lang,
                                 ct_err *err)
{
    const struct checklist *cl = find_checklist(checklist);
    if (!cl) {
        ct_err_set(err, CT_ENOTFOUND, _("unknown checklist '%.64s'"), checklist ? checklist : "");
        return NULL;
    }
    if (list && !list_known(cl, list)) {
        ct_err_set_field(err, CT_EINVAL, "list", _("checklist '%s' has no list '%.64s'"), cl->name,
                         list);
        return NULL;
    }
    const ct_code_list *codes = ct_codes_list(cl->name);
    json_t *o = json_pack("{s:s, s:s?, s:b, s:o, s:o, s:s, s:s}", "name", cl->name, "source",
                          ct_code_list_source(codes), "graded", cl->graded, "lists", lists_json(cl),
                          "rules", rules_json(cl), "language", lang, "notice", _(notice));
    if (o && list)
        json_object_set_new(o, "list", json_string(list));
    if (o && cl->graded) {
        json_t *dims = dimensions_json(cl, codes, list, lang);
        if (!dims || json_object_set_new(o, "dimensions", dims)) {
            json_decref(o);
            o = NULL;
        }
    } else if (o) {
        json_t *items = json_array();
        for (size_t i = 0; items && i < ct_code_list_size(codes); i++) {
            json_t *it = indicator_json(cl, ct_code_list_at(codes, i), list, lang);
            if (it)
                json_array_append_new(items, it);
        }
        if (!items || json_object_set_new(o, "items", items)) {
            json_decref(o);
            o = NULL;
        }
    }
    if (!o)
        ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    return o;
}
