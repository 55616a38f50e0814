/* notify.c - notification kinds and their messages; see notify.h. */
#include "notify.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* Every kind of notification ctip sends. Messages name records by type, not
 * by content: the reader follows record_id to see what they may see. */
static const struct {
    const char *kind;
    const char *message; /* N_() marked; {name} is a parameter */
} kinds[] = {
    {"case.shared", N_("{agency} shared a case with your agency: {reason}")},
    {"case.unshared", N_("{agency} stopped sharing a case with your agency")},
    {"case.deleted", N_("a case shared with your agency was deleted by {agency}")},
    /* NRM referrals (src/http/h_referrals.c): a service code, never the person */
    {"nrm.referral", N_("{agency} referred a person to your agency for a service: {service}")},
    {"nrm.referral.status", N_("{agency} set a referral for {service} to '{status}'")},
    {"test", N_("test notification {n}")},
    /* the child registries (src/registry/alert.c, docs/registries.md) */
    {"registry.missing_child_victim",
     N_("a child your agency reported missing was matched with a victim of trafficking "
        "(confirmed in the review queue)")},
    {"registry.missing_child_in_care",
     N_("a child your agency reported missing was matched with a placement in alternative care "
        "(confirmed in the review queue)")},
    {"registry.institution_absconding",
     N_("an institution was flagged: children repeatedly absconded from it")},
    {"registry.institution_victims",
     N_("an institution was flagged: victims of trafficking were identified among its children")},
};

#define PARAM_MAX 200

static const char *message_of(const char *kind)
{
    for (size_t i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(kinds[i].kind, kind) == 0)
            return kinds[i].message;
    return NULL;
}

int ct_notify_kind_known(const char *kind)
{
    return message_of(kind) != NULL;
}

/* Fills n from m; CT_EINVAL for an unknown kind or oversized parameters. */
static int prepare(const ct_notify_msg *m, ct_notification *n, ct_err *err)
{
    memset(n, 0, sizeof(*n));
    if (!message_of(m->kind))
        return ct_err_set(err, CT_EINVAL, _("unknown notification kind '%.60s'"),
                          m->kind ? m->kind : "");
    snprintf(n->kind, sizeof(n->kind), "%s", m->kind);
    snprintf(n->record_type, sizeof(n->record_type), "%s", m->record_type ? m->record_type : "");
    snprintf(n->record_id, sizeof(n->record_id), "%s", m->record_id ? m->record_id : "");
    if (!m->params || !m->params[0])
        return 0;
    json_t *o = json_object();
    for (size_t i = 0; o && m->params[i] && m->params[i + 1]; i += 2) {
        if (strlen(m->params[i + 1]) > PARAM_MAX) {
            json_decref(o);
            return ct_err_set(err, CT_EINVAL, _("notification parameter '%.40s' is too long"),
                              m->params[i]);
        }
        json_object_set_new(o, m->params[i], json_string(m->params[i + 1]));
    }
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (!text)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    int fits = strlen(text) < sizeof(n->params);
    if (fits)
        memcpy(n->params, text, strlen(text) + 1);
    free(text);
    return fits ? 0 : ct_err_set(err, CT_EINVAL, "%s", _("notification parameters are too long"));
}

int ct_notify_user(ct_store *s, const char *user, const ct_notify_msg *m, ct_err *err)
{
    ct_notification n;
    int r = prepare(m, &n, err);
    ct_user u;
    if (!r)
        r = ct_store_user_get(s, user, &u, err);
    if (!r)
        r = ct_store_notification_add(s, u.id, &n, err);
    return r;
}

typedef struct agency_walk {
    const char *role, *except;
    char (*ids)[CT_UUID_TEXT];
    size_t n, cap;
} agency_walk;

static int collect(const ct_user *u, void *arg)
{
    agency_walk *w = arg;
    if (u->disabled || (w->role && strcmp(u->role, w->role) != 0) ||
        (w->except && (strcmp(u->name, w->except) == 0 || strcmp(u->id, w->except) == 0)))
        return 0;
    if (w->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 16;
        void *p = ct_realloc(w->ids, cap * sizeof(*w->ids));
        if (!p)
            return CT_ENOMEM;
        w->ids = p;
        w->cap = cap;
    }
    memcpy(w->ids[w->n++], u->id, CT_UUID_TEXT);
    return 0;
}

int ct_notify_agency(ct_store *s, const char *agency, const char *role, const char *except,
                     const ct_notify_msg *m, int *sent, ct_err *err)
{
    ct_notification n;
    *sent = 0;
    int r = prepare(m, &n, err);
    if (r)
        return r;
    agency_walk w = {role, except, NULL, 0, 0};
    /* collect first: the user walk's statement must not interleave with inserts */
    r = ct_store_user_each(s, agency, collect, &w, err);
    if (r == CT_ENOMEM)
        ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    for (size_t i = 0; !r && i < w.n; i++) {
        ct_notification copy = n;
        r = ct_store_notification_add(s, w.ids[i], &copy, err);
        if (!r)
            (*sent)++;
    }
    ct_free(w.ids);
    return r;
}

static void add_param(char *out, size_t size, size_t *len, const char *v)
{
    for (size_t i = 0; v[i] && i < PARAM_MAX && *len + 1 < size; i++)
        out[(*len)++] = (unsigned char)v[i] < 0x20 ? ' ' : v[i];
}

void ct_notify_render(const ct_notification *n, char *out, size_t size)
{
    if (!size)
        return;
    const char *tmpl = message_of(n->kind);
    tmpl = tmpl ? _(tmpl) : n->kind;
    json_t *params = n->params[0] ? json_loads(n->params, 0, NULL) : NULL;
    size_t len = 0;
    for (const char *p = tmpl; *p && len + 1 < size; p++) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        if (close && close - p < 40) {
            char name[40];
            snprintf(name, sizeof(name), "%.*s", (int)(close - p - 1), p + 1);
            const char *v = json_string_value(json_object_get(params, name));
            add_param(out, size, &len, v ? v : "");
            p = close;
            continue;
        }
        out[len++] = *p;
    }
    out[len] = '\0';
    json_decref(params);
}
