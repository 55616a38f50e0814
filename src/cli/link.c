/*
 * link.c - `ctip link`: record linkage on files (docs/linkage.md).
 *
 *   ctip link dedupe FILE -o OUT        OUT.pairs.csv, OUT.clusters.csv
 *   ctip link match A.csv B.csv -o links.csv
 *   ctip link encode FILE --schema S --secret-file K -o FILE.clk
 *   ctip link match --encoded A.clk B.clk -o links.csv
 *   ctip link overlaps --encoded L1.clk L2.clk ... [-o FILE]
 *   ctip link overlaps DB --lists agency [--by year,sex,agegroup] [--country ISO3] [-o FILE]
 *
 *   ctip link dedupe DB [--threshold P] [--review-threshold Q] [-o OUT]
 *                                       (src/cli/link_db.c)

 *   ctip link overlaps DB ...           (src/cli/link_overlaps.c)
 */
#include "cli.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/i18n.h"
#include "link/link.h"
#include "link_db.h"
#include "link_overlaps.h"
#include "link_pprl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct link_args {
    const char *out, *map, *compare, *date_format, *sep, *schema, *secret;
    double threshold, review_threshold;
    ct_link_overlaps_args overlaps; /* overlaps DB (link_overlaps.c) */
    long threads, max_block;
    int encoded;
} link_args;

static void report_stderr(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "%s\n", msg);
}

static int parse_sep(const char *s, char *sep, ct_cli *cli)
{
    *sep = ',';
    if (!s)
        return 0;
    if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0)
        *sep = '\t';
    else if (strlen(s) == 1 && s[0] != '"' && s[0] != '\n' && s[0] != '\r')
        *sep = s[0];
    else
        return ct_err_set(&cli->err, CT_EUSAGE, "%s", _("--sep expects one character (or 'tab')"));
    return 0;
}

/* Loads the CSV inputs; problems go to stderr, one per line. */
static int load(char **paths, size_t n, const link_args *a, ct_link_data **d, ct_cli *cli)
{
    ct_link_file_opts o = {a->map, a->compare, a->date_format, 0};
    int r = parse_sep(a->sep, &o.sep, cli);
    if (r)
        return r;
    ct_link_input in[16] = {{0}};
    for (size_t i = 0; i < n && !r; i++) {
        in[i].name = paths[i];
        if (!(in[i].f = fopen(paths[i], "rb")))
            r = ct_err_set(&cli->err, CT_EIO, _("cannot open '%s': %s"), paths[i], strerror(errno));
    }
    if (!r)
        r = ct_link_load(in, n, &o, report_stderr, NULL, d, &cli->err);
    for (size_t i = 0; i < n; i++)
        if (in[i].f)
            fclose(in[i].f);
    return r;
}

static FILE *open_out(const char *path, const char *suffix, ct_cli *cli)
{
    char name[4096];
    snprintf(name, sizeof(name), "%s%s", path, suffix);
    FILE *f = fopen(name, "wb");
    if (!f)
        ct_err_set(&cli->err, CT_EIO, _("cannot write '%s': %s"), name, strerror(errno));
    return f;
}

static int close_out(FILE *f, const char *path, ct_cli *cli)
{
    int bad = ferror(f);
    bad |= fclose(f) != 0;
    if (bad)
        return ct_err_set(&cli->err, CT_EIO, _("cannot write '%s': %s"), path, strerror(errno));
    return 0;
}

static void write_pair(FILE *f, const ct_link_result *res, const ct_link_data *d,
                       const ct_link_pair *p, ct_buf *tmp)
{
    ct_csv_write_field(f, ct_link_data_id(d, p->a), ',');
    fputc(',', f);
    ct_csv_write_field(f, ct_link_data_id(d, p->b), ',');
    fprintf(f, ",%.6f,", p->prob);
    ct_buf_reset(tmp);
    ct_link_explain(res, d, p->a, p->b, tmp);
    ct_csv_write_field(f, tmp->buf, ',');
    fputc('\n', f);
}

static void print_stats(const ct_link_stats *st, size_t kept, const char *what)
{
    printf(_("records: %zu\ncandidate pairs: %llu (%.1f per record)\n"), st->records,
           (unsigned long long)st->candidates,
           st->records ? 2.0 * (double)st->candidates / (double)st->records : 0.0);
    printf(_("blocking rules: %u used, %u dropped as too coarse\n"), st->rules_used,
           st->rules_dropped);
    if (st->capped_blocks)
        printf(_("oversized blocks skipped: %llu (%llu records); raise --max-block to "
                 "include them\n"),
               (unsigned long long)st->capped_blocks, (unsigned long long)st->capped_records);
    printf(_("model: prior %.3g from %d training sessions on %zu patterns\n"), st->lambda,
           st->em_iterations, st->patterns);
    printf(_("time: blocking %.1f s, model %.1f s, scoring %.1f s\n"), st->seconds_blocking,
           st->seconds_model, st->seconds_scoring);
    printf("%s: %zu\n", what, kept);
}

static int run_engine(ct_link_data *d, enum ct_link_mode mode, const link_args *a,
                      ct_link_result **res, ct_cli *cli)
{
    ct_link_opts o = {0};
    o.mode = mode;
    o.threshold = a->threshold;
    o.threads = (int)a->threads;
    o.max_block = a->max_block > 0 ? (size_t)a->max_block : 0;
    return ct_link_run(d, &o, res, &cli->err);
}

static int write_clusters(const char *out, const ct_link_data *d, const ct_link_pair *p, size_t n,
                          double threshold, size_t *nclusters, ct_cli *cli)
{
    size_t nrec = ct_link_data_count(d);
    uint32_t *cl = ct_malloc((nrec ? nrec : 1) * sizeof(*cl));
    uint32_t *num = ct_calloc(nrec ? nrec : 1, sizeof(*num));
    int r = cl && num ? ct_link_components(nrec, p, n, threshold, cl, &cli->err)
                      : ct_err_set(&cli->err, CT_ENOMEM, "%s", _("out of memory"));
    FILE *f = r ? NULL : open_out(out, ".clusters.csv", cli);
    if (!r && !f)
        r = CT_EIO;
    *nclusters = 0;
    if (!r) {
        fputs("id,cluster\n", f);
        for (size_t i = 0; i < nrec; i++) {
            if (!num[cl[i]])
                num[cl[i]] = (uint32_t)++ * nclusters; /* numbered by first appearance */
            ct_csv_write_field(f, ct_link_data_id(d, i), ',');
            fprintf(f, ",%u\n", num[cl[i]]);
        }
        r = close_out(f, out, cli);
    }
    ct_free(cl);
    ct_free(num);
    return r;
}

static int dedupe(char *path, const link_args *a, ct_cli *cli)
{
    ct_link_data *d = NULL;
    ct_link_result *res = NULL;
    ct_buf tmp = CT_BUF_INIT;
    int r = load(&path, 1, a, &d, cli);
    if (!r)
        r = run_engine(d, CT_LINK_DEDUPE, a, &res, cli);
    FILE *f = r ? NULL : open_out(a->out, ".pairs.csv", cli);
    if (!r && !f)
        r = CT_EIO;
    size_t n = 0, nclusters = 0;
    if (!r) {
        const ct_link_pair *p = ct_link_result_pairs(res, &n);
        fputs("id_a,id_b,probability,explanation\n", f);
        for (size_t i = 0; i < n; i++)
            write_pair(f, res, d, &p[i], &tmp);
        r = close_out(f, a->out, cli);
        if (!r)
            r = write_clusters(a->out, d, p, n, a->threshold, &nclusters, cli);
    }
    if (!r) {
        print_stats(ct_link_result_stats(res), n, _("pairs at or above the threshold"));
        printf("%s: %zu\n", _("clusters"), nclusters);
    }
    ct_buf_release(&tmp);
    ct_link_result_free(res);
    ct_link_data_free(d);
    return r;
}

/* A before B in each output line, whatever the record numbers. */
static void orient(const ct_link_data *d, ct_link_pair *p)
{
    if (ct_link_data_source(d, p->a) == 1) {
        uint32_t t = p->a;
        p->a = p->b;
        p->b = t;
    }
}

static int match(char **paths, const link_args *a, ct_cli *cli)
{
    ct_link_data *d = NULL;
    ct_link_result *res = NULL;
    unsigned char *keep = NULL;
    ct_buf tmp = CT_BUF_INIT;
    int r = load(paths, 2, a, &d, cli);
    if (!r)
        r = run_engine(d, CT_LINK_LINK, a, &res, cli);
    size_t n = 0;
    long kept = 0;
    const ct_link_pair *p = r ? NULL : ct_link_result_pairs(res, &n);
    if (!r && !(keep = ct_malloc(n ? n : 1)))
        r = ct_err_set(&cli->err, CT_ENOMEM, "%s", _("out of memory"));
    if (!r &&
        (kept = ct_link_one_to_one(ct_link_data_count(d), p, n, a->threshold, keep, &cli->err)) < 0)
        r = (int)kept;
    FILE *f = r ? NULL : open_out(a->out, "", cli);
    if (!r && !f)
        r = CT_EIO;
    if (!r) {
        fputs("id_a,id_b,probability,explanation\n", f);
        for (size_t i = 0; i < n; i++) {
            if (!keep[i])
                continue;
            ct_link_pair q = p[i];
            orient(d, &q);
            write_pair(f, res, d, &q, &tmp);
        }
        r = close_out(f, a->out, cli);
    }
    if (!r)
        print_stats(ct_link_result_stats(res), (size_t)kept, _("one-to-one links"));
    ct_free(keep);
    ct_buf_release(&tmp);
    ct_link_result_free(res);
    ct_link_data_free(d);
    return r;
}

static const ct_cmd_help help = {
    "ctip link dedupe FILE -o OUT | dedupe DB [--review-threshold Q] [-o OUT] | match A.csv B.csv "
    "-o LINKS | encode FILE --schema S "
    "--secret-file K -o FILE.clk | match --encoded A.clk B.clk -o LINKS | overlaps --encoded "
    "L1.clk L2.clk ... [-o FILE] | overlaps DB --lists agency [--by year,sex,agegroup] [--country "
    "ISO3] [-o FILE]",
    N_("find records of the same person within or across lists (docs/linkage.md)")};

CT_CMD(link)
{
    link_args a = {0};
    a.threshold = -1;
    a.review_threshold = -1;
    const ct_opt opts[] = {
        CT_OPT_STRING("o", "OUT", &a.out,
                      N_("output file (dedupe: prefix of OUT.pairs.csv and OUT.clusters.csv)")),
        CT_OPT_DOUBLE("threshold", "P", &a.threshold,
                      N_("keep pairs with match probability >= P (dedupe 0.9, match 0.5, "
                         "encoded: Dice 0.8)")),
        CT_OPT_STRING("map", "SRC=DST,...", &a.map, N_("rename input columns")),
        CT_OPT_STRING("compare", "COL[:METHOD],...", &a.compare,
                      N_("compare more columns (methods: name, date, text, lev, exact, codes)")),
        CT_OPT_STRING("date-format", "FMT", &a.date_format,
                      N_("layout of dates, e.g. YYYYMMDD or DD/MM/YYYY (default ISO 8601)")),
        CT_OPT_STRING("sep", "C", &a.sep, N_("field separator (default ',')")),
        CT_OPT_INT("threads", "N", &a.threads, N_("worker threads (default 2)")),
        CT_OPT_INT("max-block", "N", &a.max_block,
                   N_("skip blocks of more than N records (default 500)")),
        CT_OPT_FLAG("encoded", &a.encoded, N_("inputs are Bloom-filter encodings (.clk)")),
        CT_OPT_STRING("schema", "FILE", &a.schema, N_("encoding schema (JSON, docs/pprl.md)")),
        CT_OPT_STRING("secret-file", "FILE", &a.secret, N_("file holding the shared secret")),
        CT_OPT_DOUBLE("review-threshold", "Q", &a.review_threshold,
                      N_("dedupe DB: queue pairs with probability >= Q for review (default: "
                         "the threshold)")),
        CT_OPT_STRING("lists", "agency", &a.overlaps.lists, N_("overlaps DB: what a list is")),
        CT_OPT_STRING("by", "year,sex,agegroup", &a.overlaps.by, N_("overlaps DB: strata")),
        CT_OPT_STRING("country", "ISO3", &a.overlaps.country,
                      N_("overlaps DB: only agencies of this country")),
        CT_OPT_END(),
    };
    int shown = 0;
    int npos = ct_opts_parse(argc, argv, opts, &help, 1, -1, cli, &shown);
    if (npos < 0 || shown)
        return npos < 0 ? npos : 0;
    const char *verb = argv[0];
    char **pos = argv + 1;
    int n = npos - 1;
    if (strcmp(verb, "dedupe") == 0 && n == 1 && !a.encoded && ct_cli_is_database(pos[0])) {
        ct_link_db_args db = {a.threshold, a.review_threshold, a.threads, a.max_block, a.out};
        return ct_link_cli_dedupe_db(pos[0], &db, cli);
    }
    if (strcmp(verb, "overlaps") == 0 && a.encoded && n >= 2)
        return ct_pprl_cli_overlaps(pos, n, a.out, a.threshold, cli);
    if (strcmp(verb, "overlaps") == 0 && !a.encoded && n == 1) {
        a.overlaps.out = a.out;
        return ct_link_cli_overlaps_db(pos[0], &a.overlaps, cli);
    }
    if (!a.out)
        return ct_err_set(&cli->err, CT_EUSAGE, _("-o is required (see 'ctip link --help')"));
    if (strcmp(verb, "encode") == 0 && n == 1 && !a.encoded) {
        char sep;
        int r = parse_sep(a.sep, &sep, cli);
        return r ? r : ct_pprl_cli_encode(pos[0], a.schema, a.secret, sep, a.out, cli);
    }
    if (strcmp(verb, "match") == 0 && n == 2 && a.encoded)
        return ct_pprl_cli_match(pos, a.out, a.threshold, cli);
    if (a.threshold < 0)
        a.threshold = strcmp(verb, "dedupe") == 0 ? 0.9 : 0.5;
    if (a.threshold <= 0 || a.threshold >= 1)
        return ct_err_set(&cli->err, CT_EUSAGE, "%s",
                          _("--threshold must lie strictly between 0 and 1"));
    if (strcmp(verb, "dedupe") == 0 && n == 1)
        return dedupe(pos[0], &a, cli);
    if (strcmp(verb, "match") == 0 && n == 2)
        return match(pos, &a, cli);
    return ct_err_set(&cli->err, CT_EUSAGE, _("usage: %s"), help.usage);
}
