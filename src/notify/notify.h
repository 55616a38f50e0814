/*
 * notify.h - in-app notifications: what ctip tells a user without e-mail
 * (a case shared with their agency, and what later features add: alerts
 * of the registries cross-check, review-queue items, NRM deadlines).
 *
 * A notification is a kind ("case.shared") with parameters, stored per
 * user and rendered in the reader's language when read: the message of
 * each kind is a row of the table in notify.c, translated like any other
 * message (po/fr/http.po). Parameters are short strings that never hold
 * personal data (an agency name, a count, a code); a record is named by
 * its type and id. A new kind is a new row in that table.
 *
 * Writes run inside the caller's transaction when one is open (store.h),
 * so a notification commits with the change that caused it.
 * Thread-safe as the store is: one store per thread.
 */
#ifndef CT_NOTIFY_NOTIFY_H
#define CT_NOTIFY_NOTIFY_H

#include "store/store.h"

typedef struct ct_notify_msg {
    const char *kind;        /* a kind of the table in notify.c */
    const char *record_type; /* "case", "person", ... or NULL */
    const char *record_id;   /* or NULL */
    /* name, value, name, value, ..., NULL: substituted for {name} */
    const char *const *params;
} ct_notify_msg;

/* Notifies one user (name or id). CT_ENOTFOUND for an unknown user,
 * CT_EINVAL for an unknown kind or a parameter longer than 200 bytes. */
int ct_notify_user(ct_store *s, const char *user, const ct_notify_msg *m, ct_err *err);
/* Notifies every enabled user of an agency, or only those with role
 * (a user_roles code) when role is not NULL, except the user named by
 * except (the one who acted), when not NULL. *sent receives the count. */
int ct_notify_agency(ct_store *s, const char *agency, const char *role, const char *except,
                     const ct_notify_msg *m, int *sent, ct_err *err);
/* Whether kind is in the table. */
int ct_notify_kind_known(const char *kind);
/* The message of a stored notification in the current thread's language,
 * its {name} placeholders replaced by the parameters (control characters
 * replaced, each cut at 200 bytes). */
void ct_notify_render(const ct_notification *n, char *out, size_t size);

#endif
