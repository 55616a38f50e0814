/* libFuzzer target: the JSON body of POST /api/v1/estimate (jansson, then
 * ct_estimate_read_json) must never crash, leak or read out of bounds;
 * refusals name their place (lists, strata, histories[i]); what it accepts
 * satisfies the invariants and survives a CSV write and re-read. */
#include "estimate/estimate_int.h"

#include "core/alloc.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void round_trip(const ct_estimate_data *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ct_err err = CT_ERR_INIT;
    assert(ct_estimate_data_write_csv(d, f, &err) == 0);
    fclose(f);
    ct_estimate_data *d2 = NULL;
    int r = ct_estimate_read_mem(buf, len, "again.csv", &d2, NULL, &err);
    assert(r == 0 && d2);
    assert(ct_estimate_data_nstrata(d2) == ct_estimate_data_nstrata(d));
    for (size_t s = 0; s < ct_estimate_data_nstrata(d); s++)
        assert(ct_estimate_data_total(d2, s) == ct_estimate_data_total(d, s));
    ct_estimate_data_free(d2);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (!j)
        return 0;
    ct_estimate_data *d = NULL;
    char *problems = NULL;
    ct_err err = CT_ERR_INIT;
    int r = ct_estimate_read_json(j, &d, &problems, &err);
    json_decref(j);
    if (r) {
        assert(!d && err.code == r);
        assert(r != CT_EINVAL || (problems && (strcmp(err.field, "lists") == 0 ||
                                               strncmp(err.field, "histories[", 10) == 0)));
        ct_free(problems);
        return 0;
    }
    int t = ct_estimate_data_nlists(d);
    assert(t >= CT_ESTIMATE_MIN_LISTS && t <= CT_ESTIMATE_MAX_LISTS);
    assert(ct_estimate_data_nstrata(d) >= 1);
    for (size_t s = 0; s < ct_estimate_data_nstrata(d); s++) {
        double tot = ct_estimate_data_total(d, s);
        assert(tot >= 0 && tot <= CT_ESTIMATE_MAX_TOTAL);
    }
    round_trip(d);
    ct_estimate_data_free(d);
    return 0;
}
