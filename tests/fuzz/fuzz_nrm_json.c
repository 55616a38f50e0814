/* libFuzzer target: the NRM request bodies (src/nrm/nrm_json.c). The first
 * byte picks the parser; the rest is the JSON text. Every parser must
 * refuse or accept without crashing or leaking, and an accepted screening
 * must be scored without crashing (unknown items are refused). */
#include "nrm/nrm.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    json_t *body = json_loadb((const char *)data + 1, size - 1, 0, NULL);
    if (!body)
        return 0;
    ct_err err = CT_ERR_INIT;
    ct_arena a;
    ct_arena_init(&a, 0);
    switch (data[0] % 10) {
    case 0: {
        ct_nrm_action act;
        ct_nrm_action_from_json(body, &act, &err);
        break;
    }
    case 1: {
        ct_nrm_screening_input in;
        ct_nrm_screening_result res;
        if (ct_nrm_screening_from_json(body, &a, &in, &err) == 0)
            ct_nrm_screening_score(in.checklist, in.list ? in.list : "adult_labour", in.items,
                                   in.nitems, 1, &res, &err);
        break;
    }
    case 2: {
        ct_nrm_referral_input in;
        ct_nrm_referral_from_json(body, &in, &err);
        break;
    }
    case 3: {
        ct_nrm_consent_input in;
        ct_nrm_consent_from_json(body, &in, &err);
        break;
    }
    default: {
        ct_nrm_small_input in;
        ct_nrm_small_from_json(body, (enum ct_nrm_small_kind)(data[0] % 10 - 4), &in, &err);
        break;
    }
    }
    ct_arena_release(&a);
    json_decref(body);
    return 0;
}
