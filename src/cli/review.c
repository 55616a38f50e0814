/*
 * review.c - `ctip review`: the review queue from the command line
 * (docs/review.md); the API's /api/v1/review does the same for users.
 *
 *   ctip review list DB [--kind K] [--status S] [--blind]   JSON lines
 *   ctip review show DB ITEM [--blind]                      one item, with its decisions
 *   ctip review decide DB ITEM confirm|reject|undo [--reason TEXT] [--if-version N]
 *   ctip review settings DB [--quorum N] [--blind on|off]
 *
 * The operating-system user is the reviewer (ct_cli_open_store). Every item
 * shown is audited ("review.read"), every decision too ("review.decide").
 */
#include "cli.h"

#include "core/i18n.h"
#include "review/review.h"

#include <string.h>

typedef struct list_ctx {
    ct_store *s;
    int blind;
    long n;
    ct_err *err;
} list_ctx;

static int show_item(ct_store *s, const ct_review_item *it, int blind, int pretty, ct_err *err)
{
    ct_review_view_opts vo = {blind, pretty, NULL, NULL};
    json_t *j;
    int rc = ct_review_item_json(s, it, &vo, &j, err);
    if (rc)
        return rc;
    size_t flags = JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6);
    rc = json_dumpf(j, stdout, flags | (pretty ? JSON_INDENT(2) : JSON_COMPACT));
    json_decref(j);
    if (rc || fputc('\n', stdout) == EOF)
        return ct_err_set(err, CT_EIO, "%s", _("cannot write the review queue"));
    return ct_review_audit_read(s, it, blind, err);
}

static int list_one(const ct_review_item *it, void *arg)
{
    list_ctx *x = arg;
    x->n++;
    return show_item(x->s, it, x->blind, 0, x->err);
}

static const ct_cmd_help list_help = {
    "ctip review list DB [--kind duplicate_person|registry_hit] [--status pending|confirmed|"
    "rejected] [--agency NAME] [--limit N] [--blind]",
    N_("list candidate matches, the two records side by side with the evidence (JSON lines)")};

static int review_list(int argc, char **argv, ct_cli *cli)
{
    const char *kind = NULL, *status = NULL, *agency = NULL;
    long limit = 0;
    int blind = 0;
    const ct_opt opts[] = {
        CT_OPT_STRING("kind", "K", &kind, N_("duplicate_person or registry_hit")),
        CT_OPT_STRING("status", "S", &status, N_("pending, confirmed or rejected")),
        CT_OPT_STRING("agency", "NAME", &agency, N_("items with a record of this agency")),
        CT_OPT_INT("limit", "N", &limit, N_("at most N items")),
        CT_OPT_FLAG("blind", &blind, N_("hide the scores and the evidence")),
        CT_OPT_END(),
    };
    if (ct_cli_parse(argc, argv, opts, &list_help, 1, 1, cli) < 0)
        return cli->err.code;
    ct_store *s;
    int rc = ct_cli_open_store(cli, argv[0], 0, &s);
    if (rc)
        return rc;
    ct_review_filter f = {kind, status, agency, NULL, NULL, NULL, limit};
    list_ctx x = {s, blind, 0, &cli->err};
    /* the reads are audited with the listing: one transaction */
    if (!(rc = ct_store_begin(s, &cli->err))) {
        rc = ct_store_review_each(s, &f, list_one, &x, &cli->err);
        rc = rc ? rc : ct_store_commit(s, &cli->err);
        if (rc)
            ct_store_rollback(s);
    }
    if (!rc)
        fprintf(stderr, _("%ld item(s)\n"), x.n);
    ct_store_close(s);
    return rc;
}

static const ct_cmd_help show_help = {"ctip review show DB ITEM [--blind]",
                                      N_("one candidate match with its decisions")};

static int review_show(int argc, char **argv, ct_cli *cli)
{
    int blind = 0;
    const ct_opt opts[] = {
        CT_OPT_FLAG("blind", &blind, N_("hide the scores and the evidence")),
        CT_OPT_END(),
    };
    if (ct_cli_parse(argc, argv, opts, &show_help, 2, 2, cli) < 0)
        return cli->err.code;
    ct_store *s;
    int rc = ct_cli_open_store(cli, argv[0], 0, &s);
    if (rc)
        return rc;
    ct_review_item it;
    rc = ct_store_review_get(s, argv[1], &it, &cli->err);
    if (!rc)
        rc = show_item(s, &it, blind, 1, &cli->err);
    ct_store_close(s);
    return rc;
}

static const ct_cmd_help decide_help = {
    "ctip review decide DB ITEM confirm|reject|undo [--reason TEXT] [--if-version N]",
    N_("record your decision on a candidate match (undo withdraws your last decision)")};

static int review_decide(int argc, char **argv, ct_cli *cli)
{
    const char *reason = NULL;
    long if_version = 0;
    const ct_opt opts[] = {
        CT_OPT_STRING("reason", "TEXT", &reason, N_("why (kept with the decision and audited)")),
        CT_OPT_INT("if-version", "N", &if_version,
                   N_("refuse unless the item is still at version N")),
        CT_OPT_END(),
    };
    if (ct_cli_parse(argc, argv, opts, &decide_help, 3, 3, cli) < 0)
        return cli->err.code;
    int action = ct_review_action_of(argv[2]);
    if (action < 0)
        return ct_err_set(&cli->err, CT_EUSAGE, "%s", _("the decision is confirm, reject or undo"));
    ct_store *s;
    int rc = ct_cli_open_store(cli, argv[0], 0, &s);
    if (rc)
        return rc;
    ct_review_decide_opts o = {argv[1], (enum ct_review_action)action, reason, (int)if_version};
    ct_review_item it;
    int changed = 0;
    rc = ct_review_decide(s, &o, &it, &changed, &cli->err);
    if (!rc) {
        printf("%s,%s,%d,%d,%d\n", it.id, it.status, it.confirms, it.rejects, it.version);
        if (!changed)
            fprintf(stderr, "%s\n", _("your decision was already recorded; nothing changed"));
    }
    ct_store_close(s);
    return rc;
}

static const ct_cmd_help settings_help = {
    "ctip review settings DB [--quorum N] [--blind on|off]",
    N_("show or set the review settings: the quorum of decisions, and blind review for every "
       "reviewer (scores hidden)")};

static int review_settings(int argc, char **argv, ct_cli *cli)
{
    long quorum = 0;
    const char *blind = NULL;
    const ct_opt opts[] = {
        CT_OPT_INT("quorum", "N", &quorum, N_("decisions needed to confirm or reject (1-100)")),
        CT_OPT_STRING("blind", "on|off", &blind,
                      N_("hide scores and evidence from every reviewer")),
        CT_OPT_END(),
    };
    if (ct_cli_parse(argc, argv, opts, &settings_help, 1, 1, cli) < 0)
        return cli->err.code;
    if (quorum && (quorum < 1 || quorum > 100))
        return ct_err_set(&cli->err, CT_EUSAGE, "%s", _("--quorum lies between 1 and 100"));
    if (blind && strcmp(blind, "on") != 0 && strcmp(blind, "off") != 0)
        return ct_err_set(&cli->err, CT_EUSAGE, "%s", _("--blind is on or off"));
    ct_store *s;
    int rc = ct_cli_open_store(cli, argv[0], 0, &s);
    if (rc)
        return rc;
    if (quorum || blind) {
        char q[16], detail[96];
        snprintf(q, sizeof(q), "%ld", quorum);
        snprintf(detail, sizeof(detail), "{\"quorum\":%ld,\"blind\":\"%s\"}", quorum,
                 blind ? blind : "");
        ct_audit_entry e = {"review.settings", NULL, NULL, NULL, NULL, detail};
        rc = ct_store_begin(s, &cli->err);
        if (!rc && quorum)
            rc = ct_store_meta_set(s, "review.quorum", q, &cli->err);
        if (!rc && blind)
            rc = ct_store_meta_set(s, "review.blind", strcmp(blind, "on") == 0 ? "1" : "0",
                                   &cli->err);
        if (!rc)
            rc = ct_store_audit(s, &e, &cli->err);
        if (!rc)
            rc = ct_store_commit(s, &cli->err);
        else
            ct_store_rollback(s);
    }
    if (!rc)
        printf("review.quorum=%d\nreview.blind=%s\n", ct_review_quorum(s),
               ct_review_blind(s) ? "on" : "off");
    ct_store_close(s);
    return rc;
}

static const struct {
    const char *verb;
    int (*fn)(int argc, char **argv, ct_cli *cli);
    const char *summary; /* N_() */
} verbs[] = {
    {"list", review_list, N_("list candidate matches")},
    {"show", review_show, N_("show one candidate match")},
    {"decide", review_decide, N_("confirm, reject or undo")},
    {"settings", review_settings, N_("quorum and blind review")},
};

CT_CMD(review)
{
    if (argc >= 2)
        for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
            if (strcmp(verbs[i].verb, argv[1]) == 0)
                return verbs[i].fn(argc - 1, argv + 1, cli);
    int help = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
    FILE *out = help ? stdout : stderr;
    fprintf(out, "%s: ctip review <%s> DB ...\n\n", _("usage"), _("command"));
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
        fprintf(out, "  %-8s %s\n", verbs[i].verb, _(verbs[i].summary));
    fprintf(out, "\n%s\n", _("Run 'ctip review COMMAND --help' for its options."));
    if (help)
        return 0;
    return ct_err_set(&cli->err, CT_EUSAGE, "%s",
                      argc >= 2 ? _("unknown review command") : _("a review command is needed"));
}
