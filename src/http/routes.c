/*
 * routes.c - every endpoint of ctip's API, in one table. The dispatcher
 * (dispatch.c) checks a request against its row before the handler runs:
 * authentication (unless PUBLIC), the permission (src/access/access.c
 * decides which roles hold it), the body size, the content type, and
 * If-Match / reason when the flags ask for them.
 *
 * docs/openapi.yaml describes the same endpoints; tests/http/spec.sh fails
 * when a row is not documented or a documented path has no row.
 *
 * Adding an endpoint: a handler h_<resource>_<verb> in h_<resource>.c,
 * declared in http_int.h; one row here; the path in docs/openapi.yaml; its
 * expected status for every role in tests/http/matrix.tsv.
 */
#include "http_int.h"

#define KB    1024
#define MB    (1024 * 1024)
#define JSON  CT_ROUTE_JSON
#define P(x)  CT_PERM_##x
#define V1(p) "/api/v1" p

const ct_route ct_routes[] = {
    /* method, path,                 handler,           permission,        body,    flags */
    {"POST", V1("/session"), h_session_create, P(AUTHENTICATED), 4 * KB,
     CT_ROUTE_PUBLIC | JSON | CT_ROUTE_SECRET},
    {"GET", V1("/session"), h_session_get, P(AUTHENTICATED), 0, 0},
    {"DELETE", V1("/session"), h_session_delete, P(AUTHENTICATED), 0, 0},

    {"GET", V1("/cases"), h_cases_list, P(CASE_READ), 0, 0},
    {"POST", V1("/cases"), h_cases_create, P(CASE_WRITE), 1 * MB, JSON},
    {"GET", V1("/cases/{id}"), h_cases_get, P(CASE_READ), 0, 0},
    {"PUT", V1("/cases/{id}"), h_cases_update, P(CASE_WRITE), 1 * MB, JSON | CT_ROUTE_IF_MATCH},
    {"DELETE", V1("/cases/{id}"), h_cases_delete, P(CASE_DELETE), 0, CT_ROUTE_REASON},
    {"GET", V1("/cases/{id}/assessment"), h_assessment_get, P(CASE_READ), 0, 0},
    {"GET", V1("/cases/{id}/shares"), h_shares_list, P(CASE_READ), 0, 0},
    {"POST", V1("/cases/{id}/shares"), h_shares_create, P(CASE_SHARE), 4 * KB,
     JSON | CT_ROUTE_REASON},
    {"DELETE", V1("/cases/{id}/shares/{name}"), h_shares_delete, P(CASE_SHARE), 0, CT_ROUTE_REASON},

    {"GET", V1("/persons"), h_persons_list, P(PERSON_READ), 0, 0},
    {"GET", V1("/persons/{id}"), h_persons_get, P(PERSON_READ), 0, 0},
    {"PUT", V1("/persons/{id}"), h_persons_update, P(PERSON_WRITE), 256 * KB,
     JSON | CT_ROUTE_IF_MATCH},
    {"POST", V1("/persons/{id}/proceedings"), h_proceedings_create, P(PROCEEDING_WRITE), 16 * KB,
     JSON | CT_ROUTE_IF_MATCH},

    {"GET", V1("/proceedings"), h_proceedings_list, P(PROCEEDING_READ), 0, 0},
    {"GET", V1("/proceedings/{id}"), h_proceedings_get, P(PROCEEDING_READ), 0, 0},

    {"GET", V1("/agencies"), h_agencies_list, P(AGENCY_READ), 0, 0},
    {"POST", V1("/agencies"), h_agencies_create, P(AGENCY_WRITE), 4 * KB, JSON},
    {"GET", V1("/agencies/{id}"), h_agencies_get, P(AGENCY_READ), 0, 0},

    {"GET", V1("/users"), h_users_list, P(USER_READ), 0, 0},
    {"POST", V1("/users"), h_users_create, P(USER_WRITE), 4 * KB, JSON | CT_ROUTE_SECRET},
    {"GET", V1("/users/{id}"), h_users_get, P(USER_READ), 0, 0},
    {"PUT", V1("/users/{id}"), h_users_update, P(USER_WRITE), 4 * KB,
     JSON | CT_ROUTE_IF_MATCH | CT_ROUTE_REASON},

    {"GET", V1("/codes"), h_codes_list, P(AUTHENTICATED), 0, 0},
    {"GET", V1("/codes/{name}"), h_codes_get, P(AUTHENTICATED), 0, 0},

    {"GET", V1("/stats/tables"), h_stats_tables, P(STATS_READ), 0, 0},
    /* multiple systems estimation (docs/estimate.md): over the database, or
     * of capture histories sent as JSON or CSV */
    {"GET", V1("/estimate"), h_estimate_get, P(ESTIMATE), 0, 0},
    {"POST", V1("/estimate"), h_estimate_post, P(ESTIMATE), 2 * MB, JSON | CT_ROUTE_CSV},

    {"GET", V1("/audit"), h_audit_list, P(AUDIT_READ), 0, 0},
    {"GET", V1("/audit/verify"), h_audit_verify, P(AUDIT_READ), 0, 0},

    /* the National Referral Mechanism (docs/nrm.md): a person's file; who
     * sees which part is decided by h_nrm.c's ct_http_nrm_reach */
    {"GET", V1("/persons/{id}/nrm"), h_nrm_get, P(NRM_READ), 0, 0},
    {"PUT", V1("/persons/{id}/cooperation"), h_nrm_cooperation, P(NRM_WRITE), 4 * KB,
     JSON | CT_ROUTE_REASON},
    {"GET", V1("/persons/{id}/transitions"), h_transitions_list, P(NRM_READ), 0, 0},
    {"POST", V1("/persons/{id}/transitions"), h_transitions_create, P(NRM_WRITE), 8 * KB,
     JSON | CT_ROUTE_IF_MATCH | CT_ROUTE_REASON},
    {"GET", V1("/persons/{id}/screenings"), h_screenings_list, P(NRM_READ), 0, 0},
    {"POST", V1("/persons/{id}/screenings"), h_screenings_create, P(NRM_WRITE), 64 * KB, JSON},
    {"GET", V1("/persons/{id}/screenings/report"), h_screenings_report, P(NRM_READ), 0, 0},
    {"GET", V1("/persons/{id}/referrals"), h_referrals_list, P(NRM_READ), 0, 0},
    {"POST", V1("/persons/{id}/referrals"), h_referrals_create, P(NRM_WRITE), 128 * KB, JSON},
    {"GET", V1("/referrals/{id}"), h_referrals_get, P(NRM_READ), 0, 0},
    {"POST", V1("/referrals/{id}/status"), h_referrals_move, P(NRM_WRITE), 4 * KB,
     JSON | CT_ROUTE_IF_MATCH | CT_ROUTE_REASON},
    {"GET", V1("/persons/{id}/consents"), h_consents_list, P(NRM_READ), 0, 0},
    {"POST", V1("/persons/{id}/consents"), h_consents_create, P(NRM_WRITE), 128 * KB, JSON},
    {"POST", V1("/consents/{id}/withdrawal"), h_consents_withdraw, P(NRM_WRITE), 4 * KB,
     JSON | CT_ROUTE_REASON},
    {"GET", V1("/persons/{id}/child-measures"), h_child_measures_list, P(NRM_READ), 0, 0},
    {"POST", V1("/persons/{id}/child-measures"), h_child_measures_create, P(NRM_WRITE), 128 * KB,
     JSON},
    {"GET", V1("/persons/{id}/notes"), h_notes_list, P(NRM_NOTE), 0, 0},
    {"POST", V1("/persons/{id}/notes"), h_notes_create, P(NRM_NOTE), 128 * KB, JSON},
    {"GET", V1("/persons/{id}/non-punishment"), h_non_punishment_get, P(NRM_NON_PUNISHMENT), 0, 0},
    {"PUT", V1("/persons/{id}/non-punishment"), h_non_punishment_update, P(NRM_NON_PUNISHMENT),
     8 * KB, JSON | CT_ROUTE_REASON},
    {"GET", V1("/checklists"), h_checklists_list, P(AUTHENTICATED), 0, 0},
    {"GET", V1("/checklists/{name}"), h_checklists_get, P(AUTHENTICATED), 0, 0},
    {"GET", V1("/nrm/reflection-period"), h_nrm_reflection_get, P(NRM_READ), 0, 0},
    {"PUT", V1("/nrm/reflection-period"), h_nrm_reflection_update, P(NRM_SETTINGS), 4 * KB,
     JSON | CT_ROUTE_REASON},

    /* the child registries (docs/registries.md): {name} is missing,
     * placements or institutions; h_registries.c applies the field rules */
    {"GET", V1("/registries/{name}"), h_registries_list, P(REGISTRY_READ), 0, 0},
    {"POST", V1("/registries/{name}"), h_registries_create, P(REGISTRY_WRITE), 64 * KB, JSON},
    {"GET", V1("/registries/{name}/{id}"), h_registries_get, P(REGISTRY_READ), 0, 0},
    {"PUT", V1("/registries/{name}/{id}"), h_registries_update, P(REGISTRY_WRITE), 64 * KB,
     JSON | CT_ROUTE_IF_MATCH},
    {"GET", V1("/stats/registries"), h_stats_registries, P(STATS_READ), 0, 0},

    /* the review queue (docs/review.md): table 4 of src/access says who
     * reviews which kind */
    {"GET", V1("/review"), h_review_list, P(REVIEW), 0, 0},
    {"GET", V1("/review/{id}"), h_review_get, P(REVIEW), 0, 0},
    {"POST", V1("/review/{id}/decisions"), h_review_decide, P(REVIEW), 8 * KB,
     JSON | CT_ROUTE_REASON},

    {"GET", V1("/notifications"), h_notifications_list, P(AUTHENTICATED), 0, 0},
    {"POST", V1("/notifications/{id}/read"), h_notifications_read, P(AUTHENTICATED), 0, 0},
};

const size_t ct_routes_count = sizeof(ct_routes) / sizeof(ct_routes[0]);

void ct_http_routes_each(void (*cb)(const char *method, const char *pattern, const char *perm,
                                    void *arg),
                         void *arg)
{
    for (size_t i = 0; i < ct_routes_count; i++)
        cb(ct_routes[i].method, ct_routes[i].pattern, ct_access_perm_name(ct_routes[i].perm), arg);
}
