/*
 * review.c - decisions on the review queue and the view of an item.
 *
 * The kinds are data: one row each, naming what a confirmation does. A new
 * kind of candidate is a new row here and in data/codes/review_kinds.tsv.
 */
#include "review.h"

#include "core/alloc.h"
#include "core/i18n.h"
#include "linkdb/linkdb.h"
#include "registry/registry.h"

#include <stdlib.h>
#include <string.h>

typedef int (*effect_fn)(ct_store *s, const ct_review_item *it, ct_err *err);

static const struct {
    const char *kind;
    effect_fn on_confirm, on_unconfirm;
} kinds[] = {
    /* issue 7: alert the reporting agency of an open missing-child report,
     * update the institution flags */
    {"registry_hit", ct_reg_on_confirm, ct_reg_on_unconfirm},
    /* issue 6: one person key for both records (and their groups), with
     * provenance; undo restores the previous keys (src/linkdb/keys.c) */
    {"duplicate_person", ct_linkdb_on_confirm, ct_linkdb_on_unconfirm},
};

static const char *const action_codes[] = {"confirm", "reject", "undo"};

int ct_review_action_of(const char *code)
{
    for (int i = 0; code && i < 3; i++)
        if (strcmp(action_codes[i], code) == 0)
            return i;
    return -1;
}

const char *ct_review_action_code(enum ct_review_action a)
{
    return (unsigned)a < 3 ? action_codes[a] : NULL;
}

const char *ct_review_status_of(int confirms, int rejects, int quorum)
{
    if (quorum < 1)
        quorum = 1;
    if (confirms >= quorum && confirms > rejects)
        return "confirmed";
    if (rejects >= quorum && rejects > confirms)
        return "rejected";
    return "pending";
}

int ct_review_quorum(ct_store *s)
{
    char v[16];
    ct_err ignored = CT_ERR_INIT;
    if (ct_store_meta_get(s, "review.quorum", v, sizeof(v), &ignored))
        return 1;
    int q = atoi(v);
    return q >= 1 && q <= 100 ? q : 1;
}

/* ---- the votes ---------------------------------------------------------------- */

/* Each reviewer's active decision, from the item's decisions in order. */
typedef struct vote {
    char reviewer[80];
    int action; /* CT_REVIEW_CONFIRM, CT_REVIEW_REJECT, or -1 withdrawn */
} vote;

typedef struct votes {
    vote *v;
    size_t n, cap;
    int oom;
} votes;

static vote *find_vote(votes *vs, const char *reviewer)
{
    for (size_t i = 0; i < vs->n; i++)
        if (strcmp(vs->v[i].reviewer, reviewer) == 0)
            return &vs->v[i];
    return NULL;
}

static vote *vote_of(votes *vs, const char *reviewer)
{
    vote *v = find_vote(vs, reviewer);
    if (v)
        return v;
    vote *grown = ct_grow(vs->v, sizeof(*grown), vs->n + 1, &vs->cap);
    if (!grown) {
        vs->oom = 1;
        return NULL;
    }
    vs->v = grown;
    v = &vs->v[vs->n++];
    snprintf(v->reviewer, sizeof(v->reviewer), "%s", reviewer);
    v->action = -1;
    return v;
}

static int on_decision(const ct_review_decision *d, void *arg)
{
    votes *vs = arg;
    vote *v = vote_of(vs, d->reviewer);
    if (v)
        v->action =
            ct_review_action_of(d->action) == CT_REVIEW_UNDO ? -1 : ct_review_action_of(d->action);
    return vs->oom ? CT_ENOMEM : 0;
}

static void tally(const votes *vs, int *confirms, int *rejects)
{
    *confirms = *rejects = 0;
    for (size_t i = 0; i < vs->n; i++) {
        *confirms += vs->v[i].action == CT_REVIEW_CONFIRM;
        *rejects += vs->v[i].action == CT_REVIEW_REJECT;
    }
}

/* ---- deciding ---------------------------------------------------------------- */

static int run_effect(ct_store *s, const ct_review_item *before, const ct_review_item *after,
                      ct_err *err)
{
    int was = strcmp(before->status, "confirmed") == 0,
        is = strcmp(after->status, "confirmed") == 0;
    if (was == is)
        return 0;
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (strcmp(kinds[i].kind, after->kind) != 0)
            continue;
        effect_fn fn = is ? kinds[i].on_confirm : kinds[i].on_unconfirm;
        return fn ? fn(s, after, err) : 0;
    }
    return 0;
}

static int audit_decision(ct_store *s, const ct_review_item *before, const ct_review_item *after,
                          const ct_review_decide_opts *o, ct_err *err)
{
    json_t *d = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:i}", "action",
                          ct_review_action_code(o->action), "kind", after->kind, "a_type",
                          after->a.type, "a_id", after->a.id, "b_type", after->b.type, "b_id",
                          after->b.id, "status_before", before->status, "status_after",
                          after->status, "confirms", after->confirms, "rejects", after->rejects);
    char *detail = d ? json_dumps(d, JSON_COMPACT) : NULL;
    json_decref(d);
    if (!detail)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    ct_audit_entry e = {"review.decide", "review_item", after->id, "status", o->reason, detail};
    int rc = ct_store_audit(s, &e, err);
    free(detail);
    return rc;
}

typedef struct decide_ctx {
    ct_store *s;
    const ct_review_decide_opts *o;
    const char *reviewer, *agency;
    ct_review_item *item;
    int *changed;
    ct_err *err;
} decide_ctx;

static int decide_in_tx(decide_ctx *x)
{
    ct_review_item *it = x->item;
    int rc = ct_store_review_get(x->s, x->o->item_id, it, x->err);
    if (rc)
        return rc;
    if (x->o->if_version > 0 && it->version != x->o->if_version)
        return ct_err_set(x->err, CT_ESTALE, _("the review item changed (now version %d)"),
                          it->version);
    votes vs = {0};
    rc = ct_store_review_decisions(x->s, it->id, on_decision, &vs, x->err);
    if (rc == CT_ENOMEM && !x->err->code)
        ct_err_set(x->err, CT_ENOMEM, "%s", _("out of memory"));
    vote *mine = rc ? NULL : find_vote(&vs, x->reviewer);
    int current = mine ? mine->action : -1;
    if (!rc && x->o->action == CT_REVIEW_UNDO && current < 0)
        rc = ct_err_set(x->err, CT_ECONFLICT, "%s",
                        _("you have no decision on this item to withdraw"));
    if (rc || (x->o->action != CT_REVIEW_UNDO && current == (int)x->o->action)) {
        ct_free(vs.v);
        return rc; /* a repeated vote changes nothing */
    }
    vote *v = vote_of(&vs, x->reviewer);
    if (v)
        v->action = x->o->action == CT_REVIEW_UNDO ? -1 : (int)x->o->action;
    ct_review_item before = *it;
    tally(&vs, &it->confirms, &it->rejects);
    ct_free(vs.v);
    if (!v)
        return ct_err_set(x->err, CT_ENOMEM, "%s", _("out of memory"));
    snprintf(it->status, sizeof(it->status), "%s",
             ct_review_status_of(it->confirms, it->rejects, ct_review_quorum(x->s)));
    ct_review_decision d;
    memset(&d, 0, sizeof(d));
    snprintf(d.action, sizeof(d.action), "%s", ct_review_action_code(x->o->action));
    snprintf(d.reviewer, sizeof(d.reviewer), "%s", x->reviewer);
    snprintf(d.agency, sizeof(d.agency), "%s", x->agency ? x->agency : "");
    snprintf(d.reason, sizeof(d.reason), "%s", x->o->reason ? x->o->reason : "");
    snprintf(d.status_after, sizeof(d.status_after), "%s", it->status);
    if ((rc = ct_store_review_decision_add(x->s, it->id, &d, x->err)))
        return rc;
    if (strcmp(before.status, it->status) != 0) {
        int pending = strcmp(it->status, "pending") == 0;
        snprintf(it->decided_by, sizeof(it->decided_by), "%s", pending ? "" : x->reviewer);
        snprintf(it->decided_at, sizeof(it->decided_at), "%s", pending ? "" : d.at);
    }
    if ((rc = ct_store_review_update(x->s, it, x->err)))
        return rc;
    *x->changed = 1;
    if ((rc = run_effect(x->s, &before, it, x->err)))
        return rc;
    return audit_decision(x->s, &before, it, x->o, x->err);
}

int ct_review_decide(ct_store *s, const ct_review_decide_opts *o, ct_review_item *out, int *changed,
                     ct_err *err)
{
    int ignored;
    changed = changed ? changed : &ignored;
    *changed = 0;
    const ct_actor *a = ct_store_actor(s);
    if (!a->user || !*a->user)
        return ct_err_set(err, CT_EUSAGE, "%s", _("a decision needs a reviewer"));
    if ((unsigned)o->action > CT_REVIEW_UNDO)
        return ct_err_set(err, CT_EUSAGE, "%s", _("unknown decision (confirm, reject or undo)"));
    decide_ctx x = {s, o, a->user, a->agency, out, changed, err};
    int own = !ct_store_in_tx(s);
    int rc = own ? ct_store_begin(s, err) : 0;
    if (rc)
        return rc;
    rc = decide_in_tx(&x);
    if (own && !rc)
        rc = ct_store_commit(s, err);
    if (rc) {
        if (own)
            ct_store_rollback(s);
        *changed = 0;
    }
    return rc;
}

/* ---- the view of an item ---------------------------------------------------------- */

static json_t *person_json(ct_store *s, const ct_review_side *side, unsigned redact, int *gone,
                           ct_err *err)
{
    char case_id[CT_UUID_TEXT];
    ct_err e = CT_ERR_INIT;
    int rc = ct_store_person_case(s, side->id, case_id, &e);
    ct_case c;
    ct_case_init(&c);
    if (!rc)
        rc = ct_store_case_get(s, case_id, &c, &e);
    json_t *o = NULL;
    for (size_t i = 0; !rc && i < c.npersons; i++) {
        if (!c.persons[i].id || strcmp(c.persons[i].id, side->id) != 0)
            continue;
        o = ct_person_to_json(&c.persons[i], redact, 1);
        char ident[CT_DATE_TEXT_MAX];
        ct_date_format(c.date_identification, ident);
        json_t *ctx =
            json_pack("{s:s,s:s?}", "id", c.id, "date_identification", ident[0] ? ident : NULL);
        if (!o || !ctx || json_object_set_new(o, "case", ctx)) {
            json_decref(o);
            o = NULL;
            rc = CT_ENOMEM;
        }
    }
    ct_case_release(&c);
    if (rc == CT_ENOTFOUND || (!rc && !o)) {
        *gone = 1;
        return NULL;
    }
    if (rc == CT_ENOMEM)
        ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    else if (rc)
        *err = e;
    return o;
}

static json_t *registry_json(ct_store *s, const ct_review_side *side, unsigned redact, int *gone,
                             ct_err *err)
{
    ct_reg_record r;
    ct_reg_record_init(&r, CT_REG_MISSING);
    ct_err e = CT_ERR_INIT;
    int rc = ct_store_reg_get(s, side->id, &r, &e);
    json_t *o = rc ? NULL : ct_reg_to_json(&r, redact, 1);
    ct_reg_record_release(&r);
    if (rc == CT_ENOTFOUND)
        *gone = 1;
    else if (rc)
        *err = e;
    else if (!o)
        ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    return o;
}

static json_t *side_json(ct_store *s, const ct_review_side *side, unsigned redact, ct_err *err)
{
    int gone = 0;
    json_t *rec = strcmp(side->type, "person") == 0 ? person_json(s, side, redact, &gone, err)
                  : ct_reg_kind_of(side->type) >= 0 ? registry_json(s, side, redact, &gone, err)
                                                    : NULL;
    if (!rec && !gone && err->code)
        return NULL;
    if (!rec)
        rec = json_pack("{s:b}", "deleted", 1);
    json_t *o = rec ? json_pack("{s:s,s:s,s:s,s:o}", "type", side->type, "id", side->id, "agency",
                                side->agency, "record", rec)
                    : NULL;
    if (!o)
        ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    return o;
}

/* "given_name:exact:4.10;..." as a list of {field, level, weight}. */
static json_t *evidence_json(const char *ev)
{
    json_t *a = json_array();
    while (a && ev && *ev) {
        const char *end = strchr(ev, ';');
        size_t n = end ? (size_t)(end - ev) : strlen(ev);
        char part[256];
        snprintf(part, sizeof(part), "%.*s", (int)(n < 255 ? n : 255), ev);
        char *c1 = strchr(part, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (c1 && c2) {
            *c1 = *c2 = '\0';
            if (json_array_append_new(a, json_pack("{s:s,s:s,s:f}", "field", part, "level", c1 + 1,
                                                   "weight", atof(c2 + 1)))) {
                json_decref(a);
                return NULL;
            }
        }
        ev = end ? end + 1 : NULL;
    }
    return a;
}

static int decision_cb(const ct_review_decision *d, void *arg)
{
    json_t *a = arg;
    return json_array_append_new(a, json_pack("{s:s,s:s,s:s?,s:s,s:s?,s:s}", "action", d->action,
                                              "reviewer", d->reviewer, "agency",
                                              d->agency[0] ? d->agency : NULL, "at", d->at,
                                              "reason", d->reason[0] ? d->reason : NULL,
                                              "status_after", d->status_after))
               ? CT_ENOMEM
               : 0;
}

static int add_scores(json_t *o, const ct_review_item *it)
{
    json_t *ev = evidence_json(it->evidence);
    if (!ev || json_object_set_new(o, "evidence", ev))
        return CT_ENOMEM;
    if (it->probability >= 0 &&
        (json_object_set_new(o, "probability", json_real(it->probability)) ||
         json_object_set_new(o, "weight", json_real(it->weight))))
        return CT_ENOMEM;
    return 0;
}

int ct_review_item_json(ct_store *s, const ct_review_item *it, const ct_review_view_opts *vo,
                        json_t **out, ct_err *err)
{
    static const ct_review_view_opts none = {0};
    const ct_review_view_opts *o = vo ? vo : &none;
    *out = NULL;
    json_t *a = side_json(s, &it->a, o->redact ? o->redact(o->redact_arg, &it->a) : 0, err);
    json_t *b =
        a ? side_json(s, &it->b, o->redact ? o->redact(o->redact_arg, &it->b) : 0, err) : NULL;
    json_t *j =
        b ? json_pack("{s:s,s:s,s:s,s:i,s:i,s:s?,s:s?,s:s,s:s,s:i,s:o,s:o}", "id", it->id, "kind",
                      it->kind, "status", it->status, "confirms", it->confirms, "rejects",
                      it->rejects, "decided_by", it->decided_by[0] ? it->decided_by : NULL,
                      "decided_at", it->decided_at[0] ? it->decided_at : NULL, "created_at",
                      it->created_at, "updated_at", it->updated_at, "version", it->version, "a", a,
                      "b", b)
          : NULL;
    if (!b)
        json_decref(a);
    if (!j)
        return err->code ? err->code : ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    int rc = o->blind ? 0 : add_scores(j, it);
    if (!rc && o->with_decisions) {
        json_t *ds = json_array();
        rc = ds ? json_object_set_new(j, "decisions", ds) : CT_ENOMEM;
        if (!rc)
            rc = ct_store_review_decisions(s, it->id, decision_cb, ds, err);
    }
    if (rc) {
        json_decref(j);
        return err->code ? err->code : ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    }
    *out = j;
    return 0;
}

void ct_review_read_entry(const ct_review_item *it, int blind, char detail[CT_REVIEW_READ_DETAIL],
                          ct_audit_entry *out)
{
    snprintf(detail, CT_REVIEW_READ_DETAIL,
             "{\"a_type\":\"%s\",\"a_id\":\"%s\",\"b_type\":\"%s\",\"b_id\":\"%s\",\"blind\":%s}",
             it->a.type, it->a.id, it->b.type, it->b.id, blind ? "true" : "false");
    ct_audit_entry e = {"review.read", "review_item", it->id, NULL, NULL, detail};
    *out = e;
}

int ct_review_audit_read(ct_store *s, const ct_review_item *it, int blind, ct_err *err)
{
    char detail[CT_REVIEW_READ_DETAIL];
    ct_audit_entry e;
    ct_review_read_entry(it, blind, detail, &e);
    return ct_store_audit(s, &e, err);
}

int ct_review_blind(ct_store *s)
{
    char v[16];
    ct_err ignored = CT_ERR_INIT;
    if (ct_store_meta_get(s, "review.blind", v, sizeof(v), &ignored))
        return 0;
    return strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "on") == 0;
}
