/* ctip schema: the JSON Schema of the case format (docs/case.schema.json). */
#include "cli.h"

#include "core/i18n.h"
#include "core/schema.h"

static const ct_cmd_help help = {
    "ctip schema",
    N_("print the JSON Schema of the case format, generated from ctip's own field tables")};

CT_CMD(schema)
{
    const ct_opt opts[] = {CT_OPT_END()};
    if (ct_cli_parse(argc, argv, opts, &help, 0, 0, cli) < 0)
        return cli->err.code;
    json_t *s = ct_case_schema();
    int rc = !s || json_dumpf(s, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(s);
    if (rc)
        return ct_err_set(&cli->err, CT_EIO, "%s", _("cannot write the schema"));
    putchar('\n');
    return 0;
}
