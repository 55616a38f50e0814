/*
 * bench_stats.c - all GLOTIP tables (every year, every country of detection)
 * over the whole database: one pass (ct_stats_collect) and the layout;
 * then the same year's tables with --publish (suppression, LP-verified).
 * Usage: bench_stats DB
 */
#include "stats/stats.h"

#include <stdio.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_stats DB\n");
        return 1;
    }
    ct_store *s;
    ct_err err = CT_ERR_INIT;
    if (ct_store_open(argv[1], CT_STORE_READONLY, &s, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    FILE *null = fopen("/dev/null", "w");
    double t0 = now();
    ct_stats *st;
    if (ct_stats_collect(s, NULL, &st, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    double t1 = now();
    int first, last;
    ct_stats_years(st, &first, &last);
    for (int y = first; y <= last; y++) {
        ct_glotip_opts o = {y, 0, 5, "01/01/2025"};
        if (ct_stats_glotip_csv(st, &o, null, &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
    }
    double t2 = now();
    ct_glotip_opts p = {last, 1, 5, "01/01/2025"};
    if (ct_stats_glotip_csv(st, &p, null, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    double t3 = now();
    printf("victims %ld suspects %ld years %d-%d\n", ct_stats_victims(st), ct_stats_suspects(st),
           first, last);
    printf("ctip_seconds %.3f (one pass %.3f, GLOTIP layout of %d years %.3f)\n", t2 - t0, t1 - t0,
           last - first + 1, t2 - t1);
    printf("publish_seconds %.3f (year %d, suppression verified by LP)\n", t3 - t2, last);
    ct_stats_free(st);
    ct_store_close(s);
    fclose(null);
    return 0;
}
