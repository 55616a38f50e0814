/* ctip assess: the Protocol art. 3 test of one case (contracts.md). */
#include "cli.h"

#include "core/assess.h"
#include "core/case_json.h"
#include "core/i18n.h"

static const ct_cmd_help help = {
    "ctip assess FILE.json",
    N_("apply the legal definition (Protocol art. 3) to each victim of one case and show which "
       "element is present or missing")};

static int read_case(ct_cli *cli, const char *path, ct_case *c)
{
    json_error_t jerr;
    json_t *obj = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!obj)
        return jerr.line < 0 || jerr.position == 0
                   ? ct_err_set(&cli->err, CT_EIO, _("cannot read '%s'"), path)
                   : ct_err_set(&cli->err, CT_EINVAL, _("%s:%d: not valid JSON (at column %d)"),
                                path, jerr.line, jerr.column);
    ct_case_read_opts o = {ct_date_today(), "local", 0};
    ct_problems pr = CT_PROBLEMS_INIT;
    int rc = ct_case_from_json(c, obj, &o, &pr);
    json_decref(obj);
    for (size_t i = 0; i < pr.n; i++)
        ct_cli_report_problem(NULL, path, 1, pr.v[i].field, pr.v[i].msg);
    if (rc == CT_EINVAL)
        ct_err_set(&cli->err, CT_EINVAL, _("%zu problem(s) found"), pr.total);
    else if (rc)
        ct_err_set(&cli->err, rc, "%s", _("out of memory"));
    ct_problems_release(&pr);
    return rc;
}

CT_CMD(assess)
{
    const ct_opt opts[] = {CT_OPT_END()};
    int n = ct_cli_parse(argc, argv, opts, &help, 1, 1, cli);
    if (n < 0)
        return cli->err.code;
    ct_case c;
    ct_case_init(&c);
    int rc = read_case(cli, argv[0], &c);
    ct_assessment a = {0};
    if (!rc && ct_case_assess_protocol(&c, ct_date_today(), &a))
        rc = ct_err_set(&cli->err, CT_ENOMEM, "%s", _("out of memory"));
    json_t *out = rc ? NULL : ct_assessment_to_json(&c, &a);
    if (!rc && (!out || json_dumpf(out, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER)))
        rc = ct_err_set(&cli->err, CT_EIO, "%s", _("cannot write the assessment"));
    if (!rc)
        putchar('\n');
    json_decref(out);
    ct_assessment_release(&a);
    ct_case_release(&c);
    return rc;
}
