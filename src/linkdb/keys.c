/*
 * keys.c - the effect of a confirmed duplicate_person review item: the two
 * records, and everyone who shares either's person key, get one key; undo
 * restores the previous keys (linkdb.h). Every change is a row of
 * person_key_change (store_link.h) naming the item, who, when and the key
 * before and after; the audit trail names the item and the persons.
 */
#include "linkdb.h"

#include "core/alloc.h"
#include "core/i18n.h"
#include "core/uuid.h"
#include "store/store_link.h"

#include <stdio.h>
#include <string.h>

#define KEY_MAX 201

/* A list of person ids. */
typedef struct ids {
    char (*v)[CT_UUID_TEXT];
    size_t n, cap;
    int oom;
} ids;

static int ids_add(const char *id, void *arg)
{
    ids *x = arg;
    for (size_t i = 0; i < x->n; i++)
        if (strcmp(x->v[i], id) == 0)
            return 0;
    char(*v)[CT_UUID_TEXT] = ct_grow(x->v, sizeof(*v), x->n + 1, &x->cap);
    if (!v) {
        x->oom = 1;
        return CT_ENOMEM;
    }
    x->v = v;
    snprintf(x->v[x->n++], CT_UUID_TEXT, "%s", id);
    return 0;
}

static int oom(ct_err *err)
{
    return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
}

/* The person's group: everyone holding its key, or the person alone. */
static int group_of(ct_store *s, const char *person, const char *key, int has, ids *out,
                    ct_err *err)
{
    int rc = has ? ct_store_person_key_members(s, key, ids_add, out, err) : ids_add(person, out);
    if (rc == CT_ENOMEM || out->oom)
        return oom(err);
    return rc;
}

static int audit_change(ct_store *s, const char *action, const ct_review_item *it, const ids *who,
                        ct_err *err)
{
    ct_buf d = CT_BUF_INIT;
    ct_buf_addf(&d, "{\"kind\":\"%s\",\"a_id\":\"%s\",\"b_id\":\"%s\",\"persons\":[", it->kind,
                it->a.id, it->b.id);
    for (size_t i = 0; i < who->n; i++)
        ct_buf_addf(&d, "%s\"%s\"", i ? "," : "", who->v[i]);
    ct_buf_adds(&d, "]}");
    int rc = d.oom ? oom(err) : 0;
    if (!rc) {
        ct_audit_entry e = {action, "review_item", it->id, "person_key", NULL, d.buf};
        rc = ct_store_audit(s, &e, err);
    }
    ct_buf_release(&d);
    return rc;
}

static int set_key(ct_store *s, const ct_review_item *it, const char *action, const char *person,
                   const char *before, int had, const char *after, int has, ct_err *err)
{
    ct_person_key_change ch;
    memset(&ch, 0, sizeof(ch));
    snprintf(ch.person_id, sizeof(ch.person_id), "%s", person);
    snprintf(ch.review_item, sizeof(ch.review_item), "%s", it->id);
    snprintf(ch.action, sizeof(ch.action), "%s", action);
    snprintf(ch.key_before, sizeof(ch.key_before), "%s", had ? before : "");
    snprintf(ch.key_after, sizeof(ch.key_after), "%s", has ? after : "");
    ch.had_before = had;
    ch.has_after = has;
    return ct_store_person_key_set(s, &ch, err);
}

static int is_person_pair(const ct_review_item *it)
{
    return strcmp(it->a.type, "person") == 0 && strcmp(it->b.type, "person") == 0;
}

int ct_linkdb_on_confirm(ct_store *s, const ct_review_item *it, ct_err *err)
{
    if (!is_person_pair(it))
        return ct_err_set(err, CT_EINVAL, "%s", _("a duplicate_person item links two persons"));
    char ka[KEY_MAX], kb[KEY_MAX];
    int ha = 0, hb = 0;
    int rc = ct_store_person_key_get(s, it->a.id, ka, sizeof(ka), &ha, err);
    if (!rc)
        rc = ct_store_person_key_get(s, it->b.id, kb, sizeof(kb), &hb, err);
    if (rc == CT_ENOTFOUND)
        return 0; /* a record deleted since: nothing to give a key */
    if (rc || (ha && hb && strcmp(ka, kb) == 0))
        return rc;
    ids ga = {0}, gb = {0}, changed = {0};
    rc = group_of(s, it->a.id, ka, ha, &ga, err);
    if (!rc)
        rc = group_of(s, it->b.id, kb, hb, &gb, err);
    /* the larger group keeps its key (the first record's on a tie); a new
     * key when neither has one */
    int b_wins = hb && (!ha || gb.n > ga.n);
    const ids *moving = b_wins ? &ga : &gb;
    char fresh[CT_UUID_TEXT];
    const char *target = b_wins ? kb : ha ? ka : NULL;
    if (!target) {
        ct_uuid_new(fresh);
        target = fresh;
    }
    const char *before = b_wins ? ka : kb;
    int had = b_wins ? ha : hb;
    if (!ha && !hb && !rc) /* neither had a key: both get the new one */
        rc = set_key(s, it, "link", it->a.id, NULL, 0, target, 1, err);
    if (!rc && !ha && !hb)
        rc = ids_add(it->a.id, &changed) ? oom(err) : 0;
    for (size_t i = 0; i < moving->n && !rc; i++) {
        rc = set_key(s, it, "link", moving->v[i], before, had, target, 1, err);
        if (!rc && ids_add(moving->v[i], &changed))
            rc = oom(err);
    }
    if (!rc)
        rc = audit_change(s, "link.key_set", it, &changed, err);
    ct_free(ga.v);
    ct_free(gb.v);
    ct_free(changed.v);
    return rc;
}

/* The item's changes still in force: per person, the last row, when it is
 * a "link". */
typedef struct last_changes {
    ct_person_key_change *v;
    size_t n, cap;
    int oom;
} last_changes;

static int on_change(const ct_person_key_change *ch, void *arg)
{
    last_changes *x = arg;
    for (size_t i = 0; i < x->n; i++)
        if (strcmp(x->v[i].person_id, ch->person_id) == 0) {
            x->v[i] = *ch;
            return 0;
        }
    ct_person_key_change *v = ct_grow(x->v, sizeof(*v), x->n + 1, &x->cap);
    if (!v) {
        x->oom = 1;
        return CT_ENOMEM;
    }
    x->v = v;
    x->v[x->n++] = *ch;
    return 0;
}

/* Confirmed duplicate_person items of the restored persons, other than it. */
typedef struct others {
    ct_review_item *v;
    size_t n, cap;
    const char *skip;
    int oom;
} others;

static int on_other(const ct_review_item *o, void *arg)
{
    others *x = arg;
    if (strcmp(o->id, x->skip) == 0)
        return 0;
    for (size_t i = 0; i < x->n; i++)
        if (strcmp(x->v[i].id, o->id) == 0)
            return 0;
    ct_review_item *v = ct_grow(x->v, sizeof(*v), x->n + 1, &x->cap);
    if (!v) {
        x->oom = 1;
        return CT_ENOMEM;
    }
    x->v = v;
    x->v[x->n++] = *o;
    return 0;
}

static int reapply(ct_store *s, const ct_review_item *it, const ids *restored, ct_err *err)
{
    others o = {NULL, 0, 0, it->id, 0};
    int rc = 0;
    for (size_t i = 0; i < restored->n && !rc; i++) {
        ct_review_filter f = {"duplicate_person", "confirmed", NULL, "person",
                              restored->v[i],     NULL,        0};
        rc = ct_store_review_each(s, &f, on_other, &o, err);
    }
    if (o.oom)
        rc = oom(err);
    for (size_t i = 0; i < o.n && !rc; i++)
        rc = ct_linkdb_on_confirm(s, &o.v[i], err);
    ct_free(o.v);
    return rc;
}

int ct_linkdb_on_unconfirm(ct_store *s, const ct_review_item *it, ct_err *err)
{
    if (!is_person_pair(it))
        return ct_err_set(err, CT_EINVAL, "%s", _("a duplicate_person item links two persons"));
    last_changes lc = {0};
    ids restored = {0};
    int rc = ct_store_person_key_changes(s, it->id, on_change, &lc, err);
    if (lc.oom)
        rc = oom(err);
    for (size_t i = 0; i < lc.n && !rc; i++) {
        const ct_person_key_change *ch = &lc.v[i];
        if (strcmp(ch->action, "link") != 0)
            continue;
        char now[KEY_MAX];
        int has = 0;
        rc = ct_store_person_key_get(s, ch->person_id, now, sizeof(now), &has, err);
        if (rc == CT_ENOTFOUND) {
            rc = 0; /* deleted since */
            continue;
        }
        /* a key changed since by someone else stays as it is */
        if (rc || has != ch->has_after || strcmp(now, ch->key_after) != 0)
            continue;
        rc = set_key(s, it, "undo", ch->person_id, ch->key_after, ch->has_after, ch->key_before,
                     ch->had_before, err);
        if (!rc && ids_add(ch->person_id, &restored))
            rc = oom(err);
    }
    if (!rc)
        rc = audit_change(s, "link.key_restore", it, &restored, err);
    if (!rc && restored.n)
        rc = reapply(s, it, &restored, err);
    ct_free(lc.v);
    ct_free(restored.v);
    return rc;
}
