#include "i18n.h"

#include <dirent.h>
#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef CT_INSTALL_LOCALEDIR
#define CT_INSTALL_LOCALEDIR "/usr/local/share/ctip/locale"
#endif

#define LANG_MAX  16
#define MAX_LANGS 32

/*
 * The languages found at start-up. Written once by ct_i18n_init in main
 * before threads exist, read-only afterwards.
 */
static struct {
    int n;
    char code[MAX_LANGS][LANG_MAX];
    char domain[MAX_LANGS][LANG_MAX + 8];
} langs;

/* Per thread, like uselocale(): the domain of the current language. */
static _Thread_local int current = -1; /* index in langs, -1 = English */

/* Formats a path; returns 0, or -1 when it would not fit (never truncates). */
static int path_fmt(char *out, size_t n, const char *a, const char *b)
{
    int len = snprintf(out, n, "%s%s", a, b);
    return len < 0 || (size_t)len >= n ? -1 : 0;
}

static int find_dir(const char *dir)
{
    char path[PATH_MAX];
    return path_fmt(path, sizeof(path), dir, "/C.UTF-8/LC_MESSAGES") == 0 &&
           access(path, R_OK) == 0;
}

static void locate_localedir(char *out, size_t n)
{
    const char *env = getenv("CTIP_LOCALEDIR");
    if (env && *env) {
        snprintf(out, n, "%s", env);
        return;
    }
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (len > 0) {
        exe[len] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            if (path_fmt(out, n, exe, "/locale") == 0 && find_dir(out))
                return;
            if (path_fmt(out, n, exe, "/../share/ctip/locale") == 0 && find_dir(out))
                return;
        }
    }
    snprintf(out, n, "%s", CT_INSTALL_LOCALEDIR);
}

static void scan_catalogues(const char *localedir)
{
    char path[PATH_MAX];
    if (path_fmt(path, sizeof(path), localedir, "/C.UTF-8/LC_MESSAGES"))
        return;
    DIR *d = opendir(path);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) && langs.n < MAX_LANGS) {
        const char *name = e->d_name;
        size_t len = strlen(name);
        if (strncmp(name, "ctip-", 5) != 0 || len < 9 || strcmp(name + len - 3, ".mo") != 0)
            continue;
        size_t code_len = len - 5 - 3;
        if (code_len >= LANG_MAX)
            continue;
        int i = langs.n++;
        memcpy(langs.code[i], name + 5, code_len);
        langs.code[i][code_len] = '\0';
        memcpy(langs.domain[i], "ctip-", 5);
        memcpy(langs.domain[i] + 5, langs.code[i], code_len + 1);
        bindtextdomain(langs.domain[i], localedir);
        bind_textdomain_codeset(langs.domain[i], "UTF-8");
    }
    closedir(d);
}

static const char *env_language(void)
{
    static const char *vars[] = {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return v;
    }
    return "en";
}

void ct_i18n_init(const char *localedir)
{
    char dir[PATH_MAX];
    if (localedir)
        snprintf(dir, sizeof(dir), "%s", localedir);
    else
        locate_localedir(dir, sizeof(dir));
    /* Keep the user's character type and formats; messages are ours. */
    if (!setlocale(LC_ALL, ""))
        setlocale(LC_ALL, "C.UTF-8");
    setlocale(LC_MESSAGES, "C.UTF-8");
    setlocale(LC_NUMERIC, "C"); /* CSV and JSON numbers always use '.' */
    char want[128];
    snprintf(want, sizeof(want), "%s", env_language());
    /* LANGUAGE would override the domain's language inside gettext. */
    unsetenv("LANGUAGE");
    langs.n = 0;
    scan_catalogues(dir);
    ct_i18n_use(want);
}

static int lang_index(const char *code, size_t n)
{
    for (int i = 0; i < langs.n; i++)
        if (strlen(langs.code[i]) == n && strncmp(langs.code[i], code, n) == 0)
            return i;
    return -1;
}

/* Tries one tag: "fr", "fr_FR.UTF-8", "fr-CA;q=0.9", "fr_FR:en". */
static int match_tag(const char *tag, size_t n)
{
    size_t len = 0;
    while (len < n && tag[len] != '_' && tag[len] != '-' && tag[len] != '.' && tag[len] != ';' &&
           tag[len] != '@')
        len++;
    if (len == 2 && strncmp(tag, "en", 2) == 0)
        return -2; /* English: no catalogue needed */
    return lang_index(tag, len);
}

const char *ct_i18n_use(const char *tags)
{
    current = -1;
    const char *p = tags ? tags : "";
    while (*p) {
        while (*p == ' ' || *p == ',' || *p == ':')
            p++;
        size_t n = strcspn(p, ",:");
        if (n == 0)
            break;
        int idx = match_tag(p, n);
        if (idx == -2)
            break;
        if (idx >= 0) {
            current = idx;
            break;
        }
        p += n;
    }
    return ct_i18n_lang();
}

const char *ct_i18n_lang(void)
{
    return current >= 0 ? langs.code[current] : "en";
}

int ct_i18n_has(const char *lang)
{
    return strcmp(lang, "en") == 0 || lang_index(lang, strlen(lang)) >= 0;
}

const char *ct_i18n_gettext(const char *msgid)
{
    if (current < 0 || !msgid || !*msgid)
        return msgid;
    return dgettext(langs.domain[current], msgid);
}
