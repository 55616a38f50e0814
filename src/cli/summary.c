/* ctip summary: a short report of a database (what `make run` prints). */
#include "cli.h"

#include "core/codes.h"
#include "core/i18n.h"
#include "demo/demo.h"
#include "store/store.h"

#include <string.h>

static const ct_cmd_help help = {
    "ctip summary DB",
    N_("print a short report of a database: cases and victims by agency, sex and age, form of "
       "exploitation, year and flow")};

/* Width of the label column, in characters: the longest agency name. */
static int label_width = 44;

/* Characters (not bytes: UTF-8) in s. */
static int chars(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void row(const char *label, long n, long total)
{
    printf("  %s", label);
    for (int c = chars(label); c < label_width; c++)
        putchar(' ');
    printf(" %8ld  %5.1f%%\n", n, total ? 100.0 * (double)n / (double)total : 0.0);
}

static const char *form_label(const char *code)
{
    const ct_code *c = ct_codes_lookup("glotip_forms", code);
    return c ? ct_code_label(c, ct_i18n_lang()) : _("unknown");
}

static void print_profiles(const ct_summary *s)
{
    static const char *const labels[CT_PROFILE__N] = {N_("women"), N_("men"), N_("girls"),
                                                      N_("boys"), N_("sex or age unknown")};
    printf("%s\n", _("Victims by sex and age at identification (GLOTIP)"));
    for (int i = 0; i < CT_PROFILE__N; i++)
        row(_(labels[i]), s->profile[i], s->victims);
    row(_("age uncertain, counted by the estimated age"), s->age_uncertain, s->victims);
}

static void print_flows(const ct_summary *s)
{
    static const char *const labels[CT_FLOW__N] = {
        N_("citizens of the country of detection"), N_("foreigners from the same subregion"),
        N_("foreigners from the same region"), N_("foreigners from another region"),
        N_("citizenship unknown")};
    printf("%s\n", _("Victims by citizenship (UN M49 regions)"));
    for (int i = 0; i < CT_FLOW__N; i++)
        row(_(labels[i]), s->flow[i], s->victims);
}

int ct_cli_print_summary(ct_cli *cli, ct_store *st, const char *path)
{
    ct_summary s;
    int rc = ct_demo_summary(st, &s, &cli->err);
    if (rc)
        return rc;
    for (size_t i = 0; i < s.nagency; i++)
        if (s.agency[i].n && chars(s.agency[i].key) > label_width)
            label_width = chars(s.agency[i].key);
    printf(_("Database %s: %ld case(s), %ld victim(s), %ld suspect(s)\n"), path, s.cases, s.victims,
           s.suspects);
    printf("%s\n", _("Victims by agency"));
    for (size_t i = 0; i < s.nagency; i++)
        if (s.agency[i].n)
            row(s.agency[i].key, s.agency[i].n, s.victims);
    print_profiles(&s);
    printf("%s\n", _("Victims by form of exploitation (GLOTIP; main form)"));
    for (size_t i = 0; i < s.nform; i++)
        if (s.form[i].n)
            row(form_label(s.form[i].key), s.form[i].n, s.victims);
    printf("%s\n", _("Victims by year of identification"));
    for (size_t i = 0; i < s.nyear; i++)
        row(strcmp(s.year[i].key, "unknown") ? s.year[i].key : _("unknown"), s.year[i].n,
            s.victims);
    print_flows(&s);
    printf("%s\n", _("Suspects with a proceeding"));
    row(_("investigated"), s.investigated, s.suspects);
    row(_("prosecuted"), s.prosecuted, s.suspects);
    row(_("convicted"), s.convicted, s.suspects);
    row(_("acquitted"), s.acquitted, s.suspects);
    ct_summary_release(&s);
    return 0;
}

CT_CMD(summary)
{
    const ct_opt opts[] = {CT_OPT_END()};
    int n = ct_cli_parse(argc, argv, opts, &help, 1, 1, cli);
    if (n < 0)
        return cli->err.code;
    ct_store *s = NULL;
    int rc = ct_cli_open_store(cli, argv[0], CT_STORE_READONLY, &s);
    if (!rc)
        rc = ct_cli_print_summary(cli, s, argv[0]);
    ct_store_close(s);
    return rc;
}
