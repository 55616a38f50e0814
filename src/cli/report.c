/*
 * ctip report: the national annual report as one HTML page, and as PDF
 * through Debian's chromium (--print-to-pdf) when it is installed.
 */
#include "cli.h"

#include "core/i18n.h"
#include "stats/stats.h"
#include "store/store.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const ct_cmd_help help = {
    "ctip report DB --year YEAR [--lang en|fr] -o report.html [--pdf report.pdf]",
    N_("the national annual report (HTML with charts; PDF through chromium)")};

static const char *find_chromium(void)
{
    static const char *const names[] = {"/usr/bin/chromium", "/usr/bin/chromium-browser",
                                        "/usr/bin/google-chrome"};
    const char *env = getenv("CTIP_CHROMIUM");
    if (env && access(env, X_OK) == 0)
        return env;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (access(names[i], X_OK) == 0)
            return names[i];
    return NULL;
}

/* Renders html (a file) to pdf with headless chromium. */
static int print_pdf(ct_cli *cli, const char *html, const char *pdf)
{
    const char *chromium = find_chromium();
    if (!chromium)
        return ct_err_set(&cli->err, CT_EUNSUPPORTED, "%s",
                          _("no PDF renderer: install Debian's chromium (apt-get install "
                            "chromium) or open the HTML report and print it"));
    char abs[PATH_MAX], url[PATH_MAX + 16], arg[PATH_MAX + 32];
    if (!realpath(html, abs))
        return ct_err_set(&cli->err, CT_EIO, _("cannot find '%s'"), html);
    snprintf(url, sizeof(url), "file://%s", abs);
    snprintf(arg, sizeof(arg), "--print-to-pdf=%s", pdf);
    pid_t pid = fork();
    if (pid < 0)
        return ct_err_set(&cli->err, CT_EIO, "%s", _("cannot start chromium"));
    if (pid == 0) {
        freopen("/dev/null", "w", stdout);
        freopen("/dev/null", "w", stderr);
        execl(chromium, chromium, "--headless", "--no-sandbox", "--disable-gpu",
              "--no-pdf-header-footer", arg, url, (char *)NULL);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
        access(pdf, R_OK) != 0)
        return ct_err_set(&cli->err, CT_EIO, _("chromium could not print '%s'"), pdf);
    return 0;
}

static void home_country(ct_store *s, const ct_cli *cli, char out[4])
{
    ct_agency a;
    ct_err ignored = CT_ERR_INIT;
    out[0] = '\0';
    if (ct_store_agency_get(s, cli->agency, &a, &ignored) == 0)
        snprintf(out, 4, "%s", a.country);
}

CT_CMD(report)
{
    long year = 0, threshold = 0;
    const char *lang = "en", *out_path = NULL, *pdf = NULL, *agency = NULL, *only = NULL;
    const ct_opt opts[] = {
        CT_OPT_INT("year", "YEAR", &year, N_("the year reported on")),
        CT_OPT_STRING("lang", "LANG", &lang, N_("en or fr")),
        CT_OPT_STRING("o", "FILE", &out_path, N_("write the HTML report to FILE")),
        CT_OPT_STRING("pdf", "FILE", &pdf, N_("also print it to FILE as PDF (chromium)")),
        CT_OPT_STRING("agency", "NAME", &agency, N_("only this agency's records")),
        CT_OPT_STRING("country", "ISO3", &only,
                      N_("the country of detection reported on (default: the home agency's)")),
        CT_OPT_INT("threshold", "N", &threshold, N_("counts from 1 to N-1 are masked (default 5)")),
        CT_OPT_END(),
    };
    int n = ct_cli_parse(argc, argv, opts, &help, 1, 1, cli);
    if (n < 0)
        return cli->err.code;
    if (year < 1990 || year > 2200)
        return ct_err_set(&cli->err, CT_EUSAGE, "%s", _("--year is required, e.g. --year 2024"));
    if (strcmp(lang, "en") && strcmp(lang, "fr"))
        return ct_err_set(&cli->err, CT_EUSAGE, "%s", _("--lang is en or fr"));
    if (pdf && (!out_path || strcmp(out_path, "-") == 0))
        return ct_err_set(&cli->err, CT_EUSAGE, "%s", _("--pdf needs -o FILE for the HTML"));
    ct_store *s;
    int rc = ct_cli_open_store(cli, argv[0], CT_STORE_READONLY, &s);
    if (rc)
        return rc;
    char country[4];
    home_country(s, cli, country);
    if (only)
        snprintf(country, sizeof(country), "%s", only);
    ct_stats_opts so = {agency, (int)year - 4,   (int)year,           country[0] ? country : NULL,
                        0,      ct_cli_progress, (void *)_("reading")};
    ct_stats *st = NULL;
    rc = ct_stats_collect(s, &so, &st, &cli->err);
    ct_store_close(s);
    FILE *out = rc ? NULL : ct_cli_open_output(cli, out_path);
    if (!rc && !out)
        rc = cli->err.code;
    ct_report_opts ro = {(int)year, lang, country[0] ? country : NULL, (int)threshold};
    if (!rc)
        rc = ct_stats_report_html(st, &ro, out, &cli->err);
    if (out) {
        int w = ct_cli_close_output(cli, out, out_path);
        rc = rc ? rc : w;
    }
    ct_stats_free(st);
    if (!rc && pdf)
        rc = print_pdf(cli, out_path, pdf);
    return rc;
}
