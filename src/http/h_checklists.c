/*
 * h_checklists.c - /api/v1/checklists: the screening checklists
 * (data/indicators, src/nrm/screening.c) as data for a screening form:
 * items grouped by dimension with their grade in each list, the rules that
 * score them, and the reminder that indicators support, never replace, the
 * decision. Reference data, like /codes: any signed-in user.
 */
#include "http_int.h"

#include "core/i18n.h"
#include "nrm/nrm.h"

CT_HANDLER(h_checklists_list)
{
    if (ct_req_query_check(r, NULL, err))
        return err->code;
    json_t *v = ct_nrm_checklists_to_json(r->lang, err);
    return v ? ct_req_reply_json(r, 200, v) : err->code;
}

CT_HANDLER(h_checklists_get)
{
    static const char *const allowed[] = {"list", NULL};
    if (ct_req_query_check(r, allowed, err))
        return err->code;
    const char *list = ct_req_query(r, "list");
    json_t *v = ct_nrm_checklist_to_json(ct_req_param(r, 0), list, r->lang, err);
    return v ? ct_req_reply_json(r, 200, v) : err->code;
}
