/* bench/estimate: the full stepwise fit plus a 1,000-replicate BCa interval
 * (each replicate and jackknife sample repeats the whole selection), timed
 * on each data set given, beside the anchor of issue 5 (R's SparseMSE: about
 * 2 minutes for NewOrl_5, 20 for NewOrl, on this machine).
 *
 *   bench_estimate [--threads N] [--bootstrap B] FILE.csv ...
 */
#include "estimate/estimate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int bench_one(const char *path, const ct_estimate_opts *o)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 1;
    }
    ct_estimate_data *d = NULL;
    ct_err err = CT_ERR_INIT;
    int r = ct_estimate_read_csv(f, path, &d, NULL, &err);
    fclose(f);
    if (r) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    double t0 = now();
    ct_estimate_result *res = NULL;
    r = ct_estimate_run(d, 0, o, &res, &err);
    double dt = now() - t0;
    if (r) {
        fprintf(stderr, "%s: %s\n", path, err.msg);
        ct_estimate_data_free(d);
        return 1;
    }
    json_t *j = ct_estimate_result_json(res);
    json_t *iv = json_object_get(j, "interval");
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    printf("%-14s lists %2d  n %6lld  estimate %9.1f  BCa [%9.1f, %9.1f]  %7.3f s\n", name,
           ct_estimate_data_nlists(d), (long long)json_integer_value(json_object_get(j, "n_obs")),
           json_real_value(json_object_get(j, "estimate")),
           json_real_value(json_object_get(iv, "lower")),
           json_real_value(json_object_get(iv, "upper")), dt);
    json_decref(j);
    ct_estimate_result_free(res);
    ct_estimate_data_free(d);
    return 0;
}

int main(int argc, char **argv)
{
    ct_estimate_opts o = CT_ESTIMATE_OPTS_INIT;
    o.interval = CT_ESTIMATE_IV_BCA;
    int i = 1, fails = 0;
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (strcmp(argv[i], "--threads") == 0)
            o.threads = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--bootstrap") == 0)
            o.bootstrap = atol(argv[i + 1]);
    }
    for (; i < argc; i++)
        fails += bench_one(argv[i], &o);
    return fails ? 1 : 0;
}
