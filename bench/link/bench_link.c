/*
 * bench_link.c - record linkage benchmarks (bench/link/run.sh prints each
 * figure beside its anchor; docs/bench.md "link").
 *
 *   bench_link accuracy DATASETS SCHEMA   F1 on FEBRL4/3, NC voter, Splink, PPRL
 *   bench_link jw DATASETS                Jaro-Winkler comparisons/s, one core
 *   bench_link dice                       Dice on random 1024-bit CLKs, one core
 *   bench_link gen N OUT.csv TRUTH.csv    the synthetic dedupe input (pool.h)
 *   bench_link score CLUSTERS.csv TRUTH.csv   pairwise F1 of a dedupe
 */
#include "core/alloc.h"
#include "core/buf.h"
#include "core/csv.h"
#include "link/link.h"
#include "link/pprl.h"
#include "pool.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* CPU time of this process: per-core figures that other processes on the
 * shared machine do not distort (wall time is printed beside where it
 * matters). */
static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t rng_state = 20251125;
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static double unif(void)
{
    return (double)(rnd() >> 11) / 9007199254740992.0;
}

static void die(const char *what, const ct_err *err)
{
    fprintf(stderr, "bench_link: %s: %s\n", what, err ? err->msg : "failed");
    exit(1);
}

/* ------------------------------------------------------------- accuracy */

static ct_link_data *load(const char *dir, const char *const *files, size_t n,
                          const ct_link_file_opts *o)
{
    ct_link_input in[2] = {{0}};
    char path[2][1024];
    for (size_t i = 0; i < n; i++) {
        snprintf(path[i], sizeof(path[i]), "%s/%s", dir, files[i]);
        in[i].name = path[i];
        if (!(in[i].f = fopen(path[i], "rb")))
            die(path[i], NULL);
    }
    ct_link_data *d = NULL;
    ct_err err = CT_ERR_INIT;
    if (ct_link_load(in, n, o, NULL, NULL, &d, &err))
        die("load", &err);
    for (size_t i = 0; i < n; i++)
        fclose(in[i].f);
    return d;
}

static long entity_febrl(const char *id)
{
    return strtol(id + 4, NULL, 10);
}

static void print_f1(const char *what, double tp, double pred, double truth, const char *anchor,
                     const char *target, double secs)
{
    double p = pred ? tp / pred : 0, r = truth ? tp / truth : 0,
           f = p + r ? 2 * p * r / (p + r) : 0;
    printf("%-34s P %.4f R %.4f F1 %.4f  %6.2f s   anchor: %s   target: %s\n", what, p, r, f, secs,
           anchor, target);
}

/* link: one-to-one at 0.5; truth via entity() or equal ids */
static void link_case(const char *what, ct_link_data *d, int febrl, double truth,
                      const char *anchor, const char *target)
{
    double t0 = now();
    ct_link_opts o = {0};
    o.mode = CT_LINK_LINK;
    o.threshold = 0.5;
    ct_link_result *res;
    ct_err err = CT_ERR_INIT;
    if (ct_link_run(d, &o, &res, &err))
        die(what, &err);
    size_t n;
    const ct_link_pair *p = ct_link_result_pairs(res, &n);
    unsigned char *keep = malloc(n + 1);
    long kept = ct_link_one_to_one(ct_link_data_count(d), p, n, 0.5, keep, &err);
    double secs = now() - t0, tp = 0;
    for (size_t i = 0; i < n; i++) {
        const char *a = ct_link_data_id(d, p[i].a), *b = ct_link_data_id(d, p[i].b);
        tp += keep[i] && (febrl ? entity_febrl(a) == entity_febrl(b) : strcmp(a, b) == 0);
    }
    print_f1(what, tp, (double)kept, truth, anchor, target, secs);
    free(keep);
    ct_link_result_free(res);
}

/* dedupe: components at threshold; cluster F1 over implied pairs */
static void dedupe_case(const char *what, ct_link_data *d, const long *ent, double threshold,
                        const char *anchor, const char *target)
{
    double t0 = now();
    ct_link_opts o = {0};
    o.threshold = threshold;
    ct_link_result *res;
    ct_err err = CT_ERR_INIT;
    if (ct_link_run(d, &o, &res, &err))
        die(what, &err);
    size_t n, nrec = ct_link_data_count(d);
    const ct_link_pair *p = ct_link_result_pairs(res, &n);
    uint32_t *cl = malloc(nrec * sizeof(*cl));
    ct_link_components(nrec, p, n, threshold, cl, &err);
    double secs = now() - t0, tp = 0, pred = 0, truth = 0;
    for (size_t i = 0; i < nrec; i++)
        for (size_t j = i + 1; j < nrec; j++) {
            tp += cl[i] == cl[j] && ent[i] == ent[j];
            pred += cl[i] == cl[j];
            truth += ent[i] == ent[j];
        }
    print_f1(what, tp, pred, truth, anchor, target, secs);
    free(cl);
    ct_link_result_free(res);
}

static void accuracy_clear(const char *dir)
{
    ct_link_file_opts febrl = {"rec_id=id,surname=family_name",
                               "street_number:exact,address_1,address_2,suburb,postcode:lev,"
                               "state:exact",
                               "YYYYMMDD", 0};
    const char *f4[] = {"febrl/dataset4a.csv", "febrl/dataset4b.csv"};
    ct_link_data *d = load(dir, f4, 2, &febrl);
    link_case("FEBRL4 link (no SSN)", d, 1, 5000, "0.998 (Python FS)", ">= 0.995");
    ct_link_data_free(d);
    const char *f3[] = {"febrl/dataset3.csv"};
    d = load(dir, f3, 1, &febrl);
    long *ent = malloc(ct_link_data_count(d) * sizeof(long));
    for (size_t i = 0; i < ct_link_data_count(d); i++)
        ent[i] = entity_febrl(ct_link_data_id(d, i));
    dedupe_case("FEBRL3 dedupe (cluster F1)", d, ent, 0.9, "0.996 (Python FS)", ">= 0.99");
    free(ent);
    ct_link_data_free(d);
    ct_link_file_opts ncv = {"recid=id,givenname=given_name,surname=family_name",
                             "suburb,postcode:lev", NULL, 0};
    const char *ocp[] = {"20", "40"}, *anchors[] = {"0.94 (Python FS)", "0.83 (Python FS)"},
               *targets[] = {">= 0.96", ">= 0.90"};
    for (int k = 0; k < 2; k++) {
        char a[128], b[128], what[64];
        snprintf(a, sizeof(a), "ncvoter/ncvr_numrec_5000_modrec_2_ocp_%s_myp_0_nump_5.csv", ocp[k]);
        snprintf(b, sizeof(b), "ncvoter/ncvr_numrec_5000_modrec_2_ocp_%s_myp_1_nump_5.csv", ocp[k]);
        const char *fs[] = {a, b};
        d = load(dir, fs, 2, &ncv);
        snprintf(what, sizeof(what), "NC voter 0-1, %s%% corrupted", ocp[k]);
        link_case(what, d, 0, 1515, anchors[k], targets[k]);
        ct_link_data_free(d);
    }
}

static void accuracy_splink(const char *dir)
{
    ct_link_file_opts o = {
        "unique_id=id,first_name=given_name,surname=family_name,dob=date_of_birth", "city,email",
        NULL, 0};
    const char *f[] = {"splink/fake_1000.csv"};
    ct_link_data *d = load(dir, f, 1, &o);
    /* truth: the cluster column, read again */
    char path[1024];
    snprintf(path, sizeof(path), "%s/splink/fake_1000.csv", dir);
    FILE *fp = fopen(path, "rb");
    ct_err err = CT_ERR_INIT;
    ct_csv *csv = ct_csv_open(fp, NULL, &err);
    ct_csv_record rec;
    long *ent = malloc(ct_link_data_count(d) * sizeof(long));
    size_t i = 0;
    ct_csv_next(csv, &rec, &err);
    while (ct_csv_next(csv, &rec, &err) == 1 && i < ct_link_data_count(d))
        ent[i++] = strtol(rec.field[rec.n - 1], NULL, 10);
    ct_csv_close(csv);
    fclose(fp);
    dedupe_case("Splink fake_1000 dedupe (pairwise)", d, ent, 0.9, "(reported only)", "-");
    free(ent);
    ct_link_data_free(d);
}

static ct_clk_set *encode_file(const ct_pprl_encoder *e, const ct_pprl_schema *s, const char *path)
{
    FILE *f = fopen(path, "rb");
    ct_csv_opts o = {0};
    o.skip_initial_space = 1;
    ct_err err = CT_ERR_INIT;
    ct_csv *csv = ct_csv_open(f, &o, &err);
    ct_csv_record rec;
    ct_csv_next(csv, &rec, &err);
    int col[64];
    size_t nf = ct_pprl_schema_nfeatures(s);
    for (size_t i = 0; i < nf; i++) {
        col[i] = -1;
        for (size_t k = 0; ct_pprl_schema_feature(s, i) && k < rec.n; k++)
            if (strcmp(rec.field[k], ct_pprl_schema_feature(s, i)) == 0)
                col[i] = (int)k;
    }
    ct_clk_set *set = ct_clk_set_new(ct_pprl_schema_bits(s), ct_pprl_schema_id(s), &err);
    uint64_t clk[64];
    while (ct_csv_next(csv, &rec, &err) == 1) {
        const char *v[64];
        for (size_t i = 0; i < nf; i++)
            v[i] = col[i] >= 0 ? rec.field[col[i]] : NULL;
        if (ct_pprl_encode(e, v, clk, &err) || ct_clk_set_add(set, rec.field[0], clk, &err))
            die("encode", &err);
    }
    ct_csv_close(csv);
    fclose(f);
    return set;
}

static void accuracy_pprl(const char *dir, const char *schema_path)
{
    FILE *f = fopen(schema_path, "rb");
    char json[16384];
    size_t n = f ? fread(json, 1, sizeof(json), f) : 0;
    if (f)
        fclose(f);
    ct_err err = CT_ERR_INIT;
    ct_pprl_schema *s = ct_pprl_schema_parse(json, n, &err);
    if (!s)
        die(schema_path, &err);
    static const unsigned char secret[] = "benchmark secret shared by the two agencies";
    ct_pprl_encoder *e = ct_pprl_encoder_new(s, secret, sizeof(secret) - 1, &err);
    char a[1024], b[1024];
    snprintf(a, sizeof(a), "%s/febrl/dataset4a.csv", dir);
    snprintf(b, sizeof(b), "%s/febrl/dataset4b.csv", dir);
    double c0 = cpu();
    ct_clk_set *sa = encode_file(e, s, a), *sb = encode_file(e, s, b);
    double c1 = cpu(), t1 = now();
    ct_link_pair *p;
    size_t np, na = ct_clk_set_count(sa);
    if (ct_pprl_match(sa, sb, 0.8, 2, &p, &np, NULL, &err))
        die("match", &err);
    for (size_t i = 0; i < np; i++)
        p[i].b += (uint32_t)na;
    unsigned char *keep = malloc(np + 1);
    long kept = ct_link_one_to_one(na + ct_clk_set_count(sb), p, np, 0.8, keep, &err);
    double tp = 0;
    for (size_t i = 0; i < np; i++)
        tp += keep[i] && entity_febrl(ct_clk_set_id(sa, p[i].a)) ==
                             entity_febrl(ct_clk_set_id(sb, p[i].b - na));
    print_f1("PPRL FEBRL4, CLK 1024, Dice >= 0.8", tp, (double)kept, 5000,
             "P 1.000 R 0.992 (clkhash+anonlink)", "R >= 0.99 at P >= 0.999", now() - t1);
    printf("%-34s %.0f records/s on one core (10,000 records, %.2f s CPU)   anchor: 9-19 k/s "
           "(clkhash, Python)\n",
           "  CLK encoding", 10000 / (c1 - c0), c1 - c0);
    free(keep);
    ct_free(p);
    ct_clk_set_free(sa);
    ct_clk_set_free(sb);
    ct_pprl_encoder_free(e);
    ct_pprl_schema_free(s);
}

/* ------------------------------------------------------------------- jw */

/* Normalised given and family names of FEBRL4 and the pool. */
static size_t collect_names(const char *dir, char ***out)
{
    size_t cap = 30000, n = 0;
    char **v = malloc(cap * sizeof(*v));
    const char *files[] = {"febrl/dataset4a.csv", "febrl/dataset4b.csv"};
    for (int k = 0; k < 2; k++) {
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", dir, files[k]);
        FILE *f = fopen(path, "rb");
        ct_csv_opts o = {0};
        o.skip_initial_space = 1;
        ct_err err = CT_ERR_INIT;
        ct_csv *csv = ct_csv_open(f, &o, &err);
        ct_csv_record rec;
        ct_csv_next(csv, &rec, &err);
        while (ct_csv_next(csv, &rec, &err) == 1 && n + 2 < cap)
            for (int c = 1; c <= 2; c++)
                if (*rec.field[c])
                    v[n++] = strdup(rec.field[c]);
        ct_csv_close(csv);
        fclose(f);
    }
    const char *const *pools[] = {pool_female, pool_male, pool_family};
    size_t sizes[] = {N_OF(pool_female), N_OF(pool_male), N_OF(pool_family)};
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < sizes[k] && n < cap; i++)
            v[n++] = strdup(pools[k][i]);
    *out = v;
    return n;
}

static void bench_jw(const char *dir)
{
    char **names;
    size_t n = collect_names(dir, &names), npairs = 20000000;
    size_t *len = malloc(n * sizeof(*len));
    for (size_t i = 0; i < n; i++)
        len[i] = strlen(names[i]);
    uint32_t *idx = malloc(2 * npairs * sizeof(uint32_t));
    for (size_t i = 0; i < 2 * npairs; i++)
        idx[i] = (uint32_t)(rnd() % n);
    double t0 = cpu(), sum = 0;
    for (size_t i = 0; i < npairs; i++) {
        uint32_t a = idx[2 * i], b = idx[2 * i + 1];
        sum += ct_link_jaro_winkler(names[a], len[a], names[b], len[b]);
    }
    double secs = cpu() - t0;
    printf("%-34s %.1f M/s on one core (%zu pairs of %zu names, mean %.3f)   anchor: strsim "
           "6.5 M/s   target: >= 20 M/s\n",
           "Jaro-Winkler (CPU time)", npairs / secs / 1e6, npairs, n, sum / npairs);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(len);
    free(idx);
}

/* ----------------------------------------------------------------- dice */

/* Random 1024-bit CLKs as anonlink's benchmark makes them: each bit set
 * with probability 1/2. */
static ct_clk_set *random_clks(size_t n, const char *schema)
{
    ct_err err = CT_ERR_INIT;
    ct_clk_set *s = ct_clk_set_new(1024, schema, &err);
    uint64_t clk[16];
    char id[16];
    for (size_t i = 0; i < n; i++) {
        for (int w = 0; w < 16; w++)
            clk[w] = rnd();
        snprintf(id, sizeof(id), "%zu", i);
        ct_clk_set_add(s, id, clk, &err);
    }
    return s;
}

static void dice_case(size_t n, double t, const char *anchor, const char *target)
{
    ct_clk_set *a = random_clks(n, "bench"), *b = random_clks(n, "bench");
    ct_link_pair *p;
    size_t np;
    uint64_t compared = 0;
    ct_err err = CT_ERR_INIT;
    double t0 = cpu();
    if (ct_pprl_match(a, b, t, 1, &p, &np, &compared, &err))
        die("dice", &err);
    double secs = cpu() - t0;
    printf("Dice 1024-bit, t=%.1f, %zux%zu (CPU)   %.1f M pairs/s on one core (%.1f M computed, "
           "%zu kept)   anchor: %s   target: %s\n",
           t, n, n, (double)n * n / secs / 1e6, compared / 1e6, np, anchor, target);
    ct_free(p);
    ct_clk_set_free(a);
    ct_clk_set_free(b);
}

static void bench_dice(void)
{
    dice_case(10000, 0.7, "134 M/s (anonlink C++, 10k x 10k)", ">= 130 M/s");
    dice_case(1000, 0.5, "2.67 M/s (anonlink, 1k x 1k, all kept)", "reported");
}

/* ------------------------------------------------------ synthetic 1M set */

/* One typo: substitution, deletion, insertion or transposition. */
static void typo(char *s)
{
    size_t n = strlen(s);
    if (n < 3)
        return;
    size_t i = 1 + rnd() % (n - 2);
    switch (rnd() % 4) {
    case 0:
        s[i] = (char)('a' + rnd() % 26);
        break;
    case 1:
        memmove(s + i, s + i + 1, n - i);
        break;
    case 2:
        memmove(s + i + 1, s + i, n - i + 1);
        s[i] = (char)('a' + rnd() % 26);
        break;
    default: {
        char c = s[i];
        s[i] = s[i + 1];
        s[i + 1] = c;
    }
    }
}

typedef struct person {
    const char *given, *family;
    int female, y, m, d;
    const char *cit;
} person;

static const char *cyrillic_of(const char *latin)
{
    for (size_t i = 0; i < N_OF(pool_cyrillic); i++)
        if (strcmp(pool_cyrillic[i][0], latin) == 0)
            return pool_cyrillic[i][1];
    return NULL;
}

/* A new person: names from the pool, a birth date 1950-2009. */
static person new_person(void)
{
    person p;
    p.female = rnd() % 2;
    p.given =
        p.female ? pool_female[rnd() % N_OF(pool_female)] : pool_male[rnd() % N_OF(pool_male)];
    p.family = pool_family[rnd() % N_OF(pool_family)];
    p.y = 1950 + (int)(rnd() % 60);
    p.m = 1 + (int)(rnd() % 12);
    p.d = 1 + (int)(rnd() % 28);
    p.cit = pool_citizenship[rnd() % N_OF(pool_citizenship)];
    return p;
}

/*
 * Writes one record of p; a duplicate (dup) gets the corruptions of this
 * table, each independently: typo in given name 20 %, in family name 20 %,
 * nickname-free swap of given and family 5 %, Cyrillic family name (when
 * the pool has one) 30 %, day-month swap 5 %, one wrong birth-date digit
 * 10 %, birth year only 5 %, no birth date 10 %, no given name 3 %.
 */
static void write_record(FILE *f, size_t rec, const person *p, int dup)
{
    char g[64], fam[64], dob[40];
    snprintf(g, sizeof(g), "%s", p->given);
    snprintf(fam, sizeof(fam), "%s", p->family);
    snprintf(dob, sizeof(dob), "%04d-%02d-%02d", p->y, p->m, p->d);
    if (dup) {
        if (unif() < 0.20)
            typo(g);
        if (unif() < 0.20)
            typo(fam);
        if (unif() < 0.05) {
            char t[64];
            memcpy(t, g, sizeof(t));
            memcpy(g, fam, sizeof(g));
            memcpy(fam, t, sizeof(fam));
        }
        const char *cyr = cyrillic_of(fam);
        if (cyr && unif() < 0.30)
            snprintf(fam, sizeof(fam), "%s", cyr);
        double u = unif();
        if (u < 0.05 && p->d <= 12)
            snprintf(dob, sizeof(dob), "%04d-%02d-%02d", p->y, p->d, p->m);
        else if (u < 0.15)
            dob[5 + (rnd() % 2) * 3 + 1] = (char)('0' + rnd() % 10);
        else if (u < 0.20)
            dob[4] = '\0';
        else if (u < 0.30)
            dob[0] = '\0';
        if (unif() < 0.03)
            g[0] = '\0';
    }
    fprintf(f, "r%07zu,%s,%s,%s,%s,%s\n", rec, g, fam, dob, p->female ? "female" : "male", p->cit);
}

/* n records; 25 % of them are further records of an earlier person. */
static void gen(size_t n, const char *out, const char *truth)
{
    FILE *f = fopen(out, "w"), *t = fopen(truth, "w");
    if (!f || !t)
        die(out, NULL);
    person *ps = malloc(n * sizeof(*ps));
    size_t np = 0;
    fputs("id,given_name,family_name,date_of_birth,sex,citizenship\n", f);
    fputs("person_id,true_person\n", t);
    for (size_t r = 0; r < n; r++) {
        int dup = np > 0 && unif() < 0.25;
        size_t who = dup ? rnd() % np : np;
        if (!dup)
            ps[np++] = new_person();
        write_record(f, r, &ps[who], dup);
        fprintf(t, "r%07zu,%zu\n", r, who);
    }
    fclose(f);
    fclose(t);
    free(ps);
    fprintf(stderr, "bench_link: %zu records of %zu persons\n", n, np);
}

/* ---------------------------------------------------------------- score */

/* Reads "rNNNNNNN,VALUE" rows into v[N]. */
static size_t read_map(const char *path, long *v, size_t cap)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die(path, NULL);
    char line[256];
    size_t n = 0;
    if (!fgets(line, sizeof(line), f))
        die(path, NULL);
    while (fgets(line, sizeof(line), f)) {
        char *comma = strchr(line, ',');
        size_t i = strtoul(line + 1, NULL, 10);
        if (!comma || i >= cap)
            continue;
        v[i] = strtol(comma + 1, NULL, 10);
        n = i + 1 > n ? i + 1 : n;
    }
    fclose(f);
    return n;
}

typedef struct two {
    long a, b;
} two;

static int cmp_two(const void *x, const void *y)
{
    const two *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return p->b < q->b ? -1 : p->b > q->b;
}

/* Sum over groups of equal keys of C(size, 2). */
static double pairs_by(two *v, size_t n, int both)
{
    qsort(v, n, sizeof(*v), cmp_two);
    double s = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && v[j].a == v[i].a && (!both || v[j].b == v[i].b))
            j++;
        s += (double)(j - i) * (double)(j - i - 1) / 2;
        i = j;
    }
    return s;
}

static void score(const char *clusters, const char *truth)
{
    size_t cap = 20000000;
    long *cl = calloc(cap, sizeof(long)), *tr = calloc(cap, sizeof(long));
    size_t n = read_map(clusters, cl, cap);
    read_map(truth, tr, cap);
    two *v = malloc(n * sizeof(*v));
    for (size_t i = 0; i < n; i++)
        v[i] = (two){cl[i], tr[i]};
    double tp = pairs_by(v, n, 1), pred = pairs_by(v, n, 0);
    for (size_t i = 0; i < n; i++)
        v[i] = (two){tr[i], 0};
    double tru = pairs_by(v, n, 0);
    double p = tp / pred, r = tp / tru;
    printf("pairwise precision %.4f recall %.4f F1 %.4f (%zu records)\n", p, r, 2 * p * r / (p + r),
           n);
    free(cl);
    free(tr);
    free(v);
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "accuracy") == 0) {
        accuracy_clear(argv[2]);
        accuracy_splink(argv[2]);
        accuracy_pprl(argv[2], argv[3]);
    } else if (argc >= 3 && strcmp(argv[1], "jw") == 0) {
        bench_jw(argv[2]);
    } else if (argc >= 2 && strcmp(argv[1], "dice") == 0) {
        bench_dice();
    } else if (argc >= 5 && strcmp(argv[1], "gen") == 0) {
        gen(strtoul(argv[2], NULL, 10), argv[3], argv[4]);
    } else if (argc >= 4 && strcmp(argv[1], "score") == 0) {
        score(argv[2], argv[3]);
    } else {
        fprintf(stderr, "usage: bench_link accuracy DATASETS SCHEMA | jw DATASETS | dice | gen N "
                        "OUT TRUTH | score CLUSTERS TRUTH\n");
        return 1;
    }
    return 0;
}
