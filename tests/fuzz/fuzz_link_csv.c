/* libFuzzer target: linkage files with their options (--map, --compare,
 * --date-format) must never crash, leak or read out of bounds; a load
 * either fails with a message or gives a store whose records all have an
 * id. Input: a first line "MAP|COMPARE|DATEFORMAT" (each may be empty),
 * then the CSV. */
#include "link/link.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void count(void *ctx, const char *msg)
{
    assert(msg && *msg);
    (*(int *)ctx)++;
}

static char *part(const char **p, const char *end, char stop)
{
    const char *q = *p;
    while (q < end && *q != stop && *q != '\n')
        q++;
    char *s = strndup(*p, (size_t)(q - *p));
    *p = q < end && *q == stop ? q + 1 : q;
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    char *map = part(&p, end, '|'), *cmp = part(&p, end, '|'), *fmt = part(&p, end, '\n');
    if (p < end && *p == '\n')
        p++;
    ct_link_file_opts o = {*map ? map : NULL, *cmp ? cmp : NULL, *fmt ? fmt : NULL, 0};
    ct_link_input in = {"fuzz.csv", NULL, p, (size_t)(end - p)};
    ct_link_data *d = NULL;
    ct_err err = CT_ERR_INIT;
    int problems = 0;
    int r = ct_link_load(&in, 1, &o, count, &problems, &d, &err);
    if (r == 0) {
        assert(d && problems == 0);
        for (size_t i = 0; i < ct_link_data_count(d); i++)
            assert(*ct_link_data_id(d, i));
        if (ct_link_data_count(d) <= 64) { /* small ones also run the engine */
            ct_link_opts lo = {0};
            lo.u_pairs = 100;
            lo.threads = 1;
            ct_link_result *res = NULL;
            ct_err e2 = CT_ERR_INIT;
            if (ct_link_run(d, &lo, &res, &e2) == 0)
                ct_link_result_free(res);
        }
    } else {
        assert(!d && err.msg[0]);
    }
    ct_link_data_free(d);
    free(map);
    free(cmp);
    free(fmt);
    return 0;
}
