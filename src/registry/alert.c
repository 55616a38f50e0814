/*
 * alert.c - alerts of the registries for people: the reporting agency of an
 * open missing-child report that was matched, the coordinators when an
 * institution is flagged.
 *
 * NEEDSWORK(server): the in-app notifications (src/notify: ct_notify_agency,
 * migration 002) are not on main yet. Until they land an alert is written
 * to the audit trail as "registry.alert", naming the agency and role to
 * tell and the record; the hook is this one function, so switching to
 * ct_notify_agency (one call per agency, role as given) changes nothing
 * else.
 */
#include "registry.h"

#include "core/i18n.h"

#include <stdlib.h>

int ct_reg_alert_send(ct_store *s, const ct_reg_alert *a, ct_err *err)
{
    json_t *d = json_pack("{s:s,s:s?,s:s?,s:s?}", "kind", a->kind, "agency", a->agency, "role",
                          a->role, "detail", a->detail);
    char *detail = d ? json_dumps(d, JSON_COMPACT) : NULL;
    json_decref(d);
    if (!detail)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    ct_audit_entry e = {"registry.alert", a->record_type, a->record_id, NULL, NULL, detail};
    int rc = ct_store_audit(s, &e, err);
    free(detail);
    return rc;
}
