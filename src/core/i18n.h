/*
 * i18n.h - translated messages through GNU gettext.
 *
 * Every user-facing string is written in English and wrapped in _() (or
 * N_() where it is only marked, e.g. in const tables). Catalogues are
 * po/<lang>.po, compiled by msgfmt into
 *   <localedir>/C.UTF-8/LC_MESSAGES/ctip-<lang>.mo
 * one text domain per language. Adding a language is adding a .po file.
 *
 * Why one domain per language: gettext picks the language from the process
 * locale, but the server answers each request in the language it asks for
 * (Accept-Language), and a fresh machine rarely has fr_FR.UTF-8 generated.
 * So LC_MESSAGES is pinned to C.UTF-8 (always present in glibc) and the
 * language is chosen by the domain, per thread, with dgettext (thread-safe).
 */
#ifndef CT_CORE_I18N_H
#define CT_CORE_I18N_H

#include <stddef.h>

#define _(s)  ct_i18n_gettext(s)
#define N_(s) (s)

/*
 * Called once by main before any thread starts: pins LC_MESSAGES, binds
 * the domains found in localedir (NULL: $CTIP_LOCALEDIR, then "locale"
 * beside the executable, then the install prefix) and sets this thread's
 * language from $LANGUAGE, $LC_ALL, $LC_MESSAGES or $LANG.
 */
void ct_i18n_init(const char *localedir);

/* Translates msgid into the current thread's language. */
const char *ct_i18n_gettext(const char *msgid) __attribute__((format_arg(1)));

/*
 * Sets the current thread's language from a tag or list ("fr", "fr_FR.UTF-8",
 * "fr-CA,fr;q=0.9,en;q=0.8" as in Accept-Language). Unknown languages fall
 * back to English. Returns the two- or three-letter code chosen.
 */
const char *ct_i18n_use(const char *tags);
/* The current thread's language code ("en", "fr", ...). */
const char *ct_i18n_lang(void);
/* Whether a catalogue for lang exists (en always does). */
int ct_i18n_has(const char *lang);

#endif
