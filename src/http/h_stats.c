/*
 * h_stats.c - /api/v1/stats: the aggregates of src/stats for the dashboard
 * (coordinator and analyst roles, permission stats.read).
 *
 * GET /api/v1/stats/tables?from=YEAR&to=YEAR&country=ISO3&by=DIMS&publish=BOOL
 * returns the standard tables (or one --by cross-tabulation) as in
 * `ctip stats --format json`, in the request's language. Published by
 * default: small counts masked with secondary suppression (docs/
 * statistics.md); an analyst receives anonymised statistics only
 * (issue 3), so publish=false is refused for analysts.
 */
#include "http_int.h"

#include "core/i18n.h"
#include "registry/registry.h"
#include "stats/stats.h"

#include <stdlib.h>
#include <string.h>

static int year_arg(ct_req *r, const char *name, int *out, ct_err *err)
{
    const char *v = ct_req_query(r, name);
    *out = 0;
    if (!v)
        return 0;
    char *end;
    long y = strtol(v, &end, 10);
    if (*end || y < 1990 || y > 2200)
        return ct_err_set_field(err, CT_EUSAGE, name, _("'%s' takes a year, e.g. 2024"), name);
    *out = (int)y;
    return 0;
}

CT_HANDLER(h_stats_tables)
{
    static const char *const allowed[] = {"from", "to", "country", "by", "publish", NULL};
    int from, to, publish;
    if (ct_req_query_check(r, allowed, err) || year_arg(r, "from", &from, err) ||
        year_arg(r, "to", &to, err) || ct_req_query_bool(r, "publish", &publish, err))
        return err->code;
    if (publish < 0)
        publish = 1;
    if (!publish && r->role == CT_ROLE_ANALYST)
        return ct_err_set(err, CT_EPERM, "%s",
                          _("analysts receive published statistics only (publish=true)"));
    ct_stats_opts o = {.year_from = from, .year_to = to, .country = ct_req_query(r, "country")};
    ct_stats *st = NULL;
    int rc = ct_stats_collect(r->store, &o, &st, err);
    ct_stats_tables t = {0};
    ct_stats_table *one = NULL;
    const char *by = ct_req_query(r, "by");
    if (!rc && by) {
        rc = ct_stats_table_by(st, by, r->lang, &one, err);
        if (!rc) {
            t.v = &one;
            t.n = 1;
        }
    } else if (!rc)
        rc = ct_stats_tables_standard(st, r->lang, &t, err);
    if (!rc && publish)
        rc = ct_stats_tables_protect(&t, 5, err);
    json_t *j = rc ? NULL : ct_stats_tables_json(&t, 5);
    if (!rc && !j)
        rc = ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    if (j) {
        json_object_set_new(j, "published", json_boolean(publish));
        json_object_set_new(j, "victims", json_integer(ct_stats_victims(st)));
    }
    if (one)
        ct_stats_table_free(one);
    else
        ct_stats_tables_release(&t);
    ct_stats_free(st);
    if (rc)
        return rc;
    return ct_req_reply_json(r, 200, j);
}

/*
 * GET /api/v1/stats/registries?agency=NAME&publish=BOOL: the tables of
 * `ctip stats DB --registries` (docs/registries.md): reports by outcome and
 * circumstances, placements by exit reason and type, child victims
 * previously reported missing or in care. Published by default as above;
 * exact counts (with the shares as a note) for the coordinator only.
 * Audited as "registry.stats" (aggregates only), like the CLI.
 */
CT_HANDLER(h_stats_registries)
{
    static const char *const allowed[] = {"agency", "publish", NULL};
    int publish = 1;
    if (ct_req_query_check(r, allowed, err) || ct_req_query_bool(r, "publish", &publish, err))
        return err->code;
    if (publish < 0)
        publish = 1;
    if (!publish && r->role == CT_ROLE_ANALYST)
        return ct_err_set(err, CT_EPERM, "%s",
                          _("analysts receive published statistics only (publish=true)"));
    const char *agency = ct_req_query(r, "agency");
    ct_reg_stats st;
    ct_stats_tables t = {0};
    int rc = ct_reg_stats_gather(r->store, agency, &st, err);
    if (!rc)
        rc = ct_reg_stats_tables(&st, !publish, &t, err);
    if (!rc && publish)
        rc = ct_stats_tables_protect(&t, 5, err);
    json_t *j = rc ? NULL : ct_stats_tables_json(&t, 5);
    if (!rc && !j)
        rc = ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    if (j)
        json_object_set_new(j, "published", json_boolean(publish));
    ct_stats_tables_release(&t);
    ct_reg_stats_release(&st);
    json_t *d = rc ? NULL : json_pack("{s:s?,s:b}", "agency", agency, "published", publish);
    char *detail = d ? json_dumps(d, JSON_COMPACT) : NULL;
    json_decref(d);
    if (!rc && !detail)
        rc = ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    ct_audit_entry e = {"registry.stats", NULL, NULL, NULL, NULL, detail};
    if (!rc)
        rc = ct_http_audit_queue(r, &e, err);
    free(detail);
    if (rc) {
        json_decref(j);
        return rc;
    }
    return ct_req_reply_json(r, 200, j);
}
