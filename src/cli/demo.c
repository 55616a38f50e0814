/* ctip demo: a database of realistic synthetic cases (docs/demo-data.md). */
#include "cli.h"

#include "core/i18n.h"
#include "demo/demo.h"
#include "registry/registry.h"
#include "store/store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const ct_cmd_help help = {
    "ctip demo DB --cases N [--seed S] [--truth FILE] [--with-keys] [--today YYYY-MM-DD] "
    "[--victims N] [--agency NAME] [--registries] [--summary]",
    N_("fill a new or empty database with synthetic cases: several agencies and countries, "
       "published shares, some persons recorded by several agencies")};

/* A new database with its home agency, as `ctip init` makes it. */
static int create_db(ct_cli *cli, const char *path, const char *agency, ct_store **out)
{
    int rc = ct_cli_open_store(cli, path, CT_STORE_CREATE, out);
    if (rc)
        return rc;
    ct_store *s = *out;
    ct_agency a = {0};
    snprintf(a.name, sizeof(a.name), "%s", agency);
    snprintf(cli->agency, sizeof(cli->agency), "%s", agency);
    ct_actor actor = {cli->actor, cli->agency, NULL};
    ct_store_set_actor(s, &actor);
    ct_audit_entry e = {"init", NULL, NULL, NULL, NULL, NULL};
    rc = ct_store_begin(s, &cli->err);
    if (!rc)
        rc = ct_store_agency_add(s, &a, &cli->err);
    if (!rc)
        rc = ct_store_meta_set(s, "home_agency", agency, &cli->err);
    if (!rc)
        rc = ct_store_audit(s, &e, &cli->err);
    if (!rc)
        rc = ct_store_commit(s, &cli->err);
    if (rc)
        ct_store_rollback(s);
    return rc;
}

/* Demo records must never mix with real ones: only a new or empty database. */
static int open_db(ct_cli *cli, const char *path, const char *agency, ct_store **out)
{
    *out = NULL;
    if (access(path, F_OK) != 0)
        return create_db(cli, path, agency, out);
    int rc = ct_cli_open_store(cli, path, 0, out);
    long cases = 0, victims, suspects;
    if (!rc)
        rc = ct_store_count(*out, &cases, &victims, &suspects, &cli->err);
    if (!rc && cases > 0)
        rc = ct_err_set(&cli->err, CT_EUSAGE,
                        _("'%s' holds cases already; ctip demo fills only a new or empty "
                          "database, so that demo records never mix with real ones"),
                        path);
    return rc;
}

static int parse_opts(ct_cli *cli, const char *seed, const char *today, ct_demo_opts *o)
{
    if (seed) {
        char *end;
        errno = 0;
        o->seed = strtoull(seed, &end, 10);
        if (!*seed || *end || errno || *seed == '-')
            return ct_err_set(&cli->err, CT_EUSAGE, "%s",
                              _("--seed takes a whole number from 0 to 18446744073709551615"));
    }
    if (today && (ct_date_parse(today, strlen(today), &o->today) || !o->today.day))
        return ct_err_set(&cli->err, CT_EUSAGE, "%s", _("--today takes a date YYYY-MM-DD"));
    if (o->cases < 0 || o->victims < 0 || (o->cases == 0 && o->victims == 0))
        return ct_err_set(&cli->err, CT_EUSAGE, "%s",
                          _("--cases N (or --victims N) is required, N above 0"));
    return 0;
}

static int run(ct_cli *cli, ct_store *s, ct_demo *d, const char *truth_path, ct_demo_stats *st)
{
    FILE *truth = NULL;
    if (truth_path && !(truth = ct_cli_open_output(cli, truth_path)))
        return cli->err.code;
    int rc = ct_demo_fill(s, d, truth, st, &cli->err);
    if (truth) {
        int w = ct_cli_close_output(cli, truth, truth_path);
        rc = rc ? rc : w;
    }
    return rc;
}

/* The demo registries (src/registry/demo.c), cross-checked at once. */
static int demo_registries(ct_cli *cli, ct_store *s, const ct_demo_opts *o, const char *truth)
{
    ct_reg_demo_opts ro = {o->seed, o->today, truth};
    ct_reg_demo_stats rs;
    int rc = ct_reg_demo(s, &ro, NULL, &rs, &cli->err);
    if (rc)
        return rc;
    fprintf(stderr,
            _("registries: %ld institution(s), %ld missing-child report(s), %ld placement(s); "
              "%ld of them about child victims of the cases\n"),
            rs.institutions, rs.missing, rs.placements, rs.planted);
    ct_reg_check_stats cs;
    rc = ct_reg_crosscheck(s, NULL, &cs, &cli->err);
    if (!rc)
        fprintf(stderr,
                _("cross-check: %ld candidate match(es) in the review queue (ctip review list)\n"),
                cs.queued);
    return rc;
}

CT_CMD(demo)
{
    const char *seed = NULL, *truth = NULL, *today = NULL, *agency = "local";
    int with_keys = 0, summary = 0, registries = 0;
    ct_demo_opts o = {0};
    const ct_opt opts[] = {
        CT_OPT_INT("cases", "N", &o.cases, N_("number of cases, duplicate records included")),
        CT_OPT_INT("victims", "N", &o.victims, N_("or: number of victim records")),
        CT_OPT_STRING("seed", "S", &seed,
                      N_("random seed (default 0); a seed gives the same data")),
        CT_OPT_STRING("truth", "FILE", &truth,
                      N_("write person_id,true_person for every person (scores linkage)")),
        CT_OPT_FLAG("with-keys", &with_keys, N_("also set person_key from the truth")),
        CT_OPT_STRING("today", "DATE", &today,
                      N_("generate as of this date (default: today); no date lies after it")),
        CT_OPT_STRING("agency", "NAME", &agency,
                      N_("home agency when the database is created (default 'local')")),
        CT_OPT_FLAG("summary", &summary, N_("print a summary report of the database")),
        CT_OPT_FLAG("registries", &registries,
                    N_("also registries of missing children and of children in care, where "
                       "some child victims appear (docs/registries.md)")),
        CT_OPT_END(),
    };
    int n = ct_cli_parse(argc, argv, opts, &help, 1, 1, cli);
    if (n < 0)
        return cli->err.code;
    o.with_keys = with_keys;
    int rc = parse_opts(cli, seed, today, &o);
    if (rc)
        return rc;
    ct_demo *d;
    if ((rc = ct_demo_new(&o, &d, &cli->err)))
        return rc;
    ct_store *s;
    ct_demo_stats st = {0};
    rc = open_db(cli, argv[0], agency, &s);
    if (!rc)
        rc = run(cli, s, d, truth, &st);
    ct_demo_free(d);
    if (!rc)
        fprintf(stderr,
                _("%s: %ld demo case(s), %ld victim record(s) of %ld victims, %ld suspect "
                  "record(s)\n"),
                argv[0], st.cases, st.victims, st.true_victims, st.suspects);
    if (!rc && registries)
        rc = demo_registries(cli, s, &o, truth);
    if (!rc && summary)
        rc = ct_cli_print_summary(cli, s, argv[0]);
    ct_store_close(s);
    return rc;
}
