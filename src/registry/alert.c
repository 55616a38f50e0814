/*
 * alert.c - alerts of the registries for people, through the server's
 * in-app notifications (src/notify): the reporting agency of an open
 * missing-child report that was matched, the coordinators of every agency
 * when an institution is flagged. Each alert is also written to the audit
 * trail as "registry.alert" (who was told about which record), so it is
 * accounted for even where no user of the agency exists yet.
 *
 * The notification kinds and their messages are rows of src/notify/notify.c.
 */
#include "registry.h"

#include "core/alloc.h"
#include "core/i18n.h"
#include "notify/notify.h"

#include <stdlib.h>
#include <string.h>

/* The notification kind of an alert (its detail says which). */
static const struct {
    const char *alert, *detail, *kind;
} kinds[] = {
    {"registry.missing_child_matched", "person", "registry.missing_child_victim"},
    {"registry.missing_child_matched", "placement", "registry.missing_child_in_care"},
    {"registry.institution_flagged", "repeated_absconding", "registry.institution_absconding"},
    {"registry.institution_flagged", "victims_among_residents", "registry.institution_victims"},
};

static const char *kind_of(const ct_reg_alert *a)
{
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(kinds[i].alert, a->kind) == 0 && a->detail &&
            strcmp(kinds[i].detail, a->detail) == 0)
            return kinds[i].kind;
    return NULL;
}

typedef struct names {
    char (*v)[201];
    size_t n, cap;
} names;

static int collect(const ct_agency *ag, void *arg)
{
    names *x = arg;
    char(*v)[201] = ct_grow(x->v, sizeof(*v), x->n + 1, &x->cap);
    if (!v)
        return CT_ENOMEM;
    x->v = v;
    snprintf(v[x->n++], sizeof(v[0]), "%s", ag->name);
    return 0;
}

/* Notifies the agency's users (of the role), or every agency's when
 * agency is NULL; *sent counts them. */
static int notify(ct_store *s, const ct_reg_alert *a, const char *kind, int *sent, ct_err *err)
{
    ct_notify_msg m = {kind, a->record_type, a->record_id, NULL};
    *sent = 0;
    if (a->agency)
        return ct_notify_agency(s, a->agency, a->role, NULL, &m, sent, err);
    names all = {0};
    /* collect first: the agency walk's statement must not interleave with inserts */
    int rc = ct_store_agency_each(s, collect, &all, err);
    if (rc == CT_ENOMEM && !err->code)
        ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    for (size_t i = 0; !rc && i < all.n; i++) {
        int n = 0;
        rc = ct_notify_agency(s, all.v[i], a->role, NULL, &m, &n, err);
        *sent += n;
    }
    ct_free(all.v);
    return rc;
}

int ct_reg_alert_send(ct_store *s, const ct_reg_alert *a, ct_err *err)
{
    const char *kind = kind_of(a);
    if (!kind)
        CT_BUG("an alert without a notification kind");
    int sent = 0;
    int rc = notify(s, a, kind, &sent, err);
    if (rc)
        return rc;
    json_t *d = json_pack("{s:s,s:s?,s:s?,s:s?,s:i}", "kind", kind, "agency", a->agency, "role",
                          a->role, "detail", a->detail, "users", sent);
    char *detail = d ? json_dumps(d, JSON_COMPACT) : NULL;
    json_decref(d);
    if (!detail)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    ct_audit_entry e = {"registry.alert", a->record_type, a->record_id, NULL, NULL, detail};
    rc = ct_store_audit(s, &e, err);
    free(detail);
    return rc;
}
