/*
 * h_notifications.c - /api/v1/notifications: the caller's own in-app
 * notifications (src/notify), newest first, rendered in the request's
 * language. Nobody reads another user's notifications: ids of others'
 * notifications answer 404.
 */
#include "http_int.h"

#include "core/i18n.h"
#include "notify/notify.h"

#include <string.h>

#define PAGE_DEFAULT 50
#define PAGE_MAX     200

typedef struct list_ctx {
    json_t *items;
    char last[37];
} list_ctx;

static int add_one(const ct_notification *n, void *arg)
{
    list_ctx *x = arg;
    char msg[512];
    ct_notify_render(n, msg, sizeof(msg));
    json_t *params = n->params[0] ? json_loads(n->params, 0, NULL) : NULL;
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:o, s:s, s:o}", "id", n->id, "kind", n->kind, "message", msg,
                  "params", params ? params : json_object(), "created_at", n->created_at, "read_at",
                  n->read_at[0] ? json_string(n->read_at) : json_null());
    if (o && n->record_type[0])
        json_object_set_new(o, "record_type", json_string(n->record_type));
    if (o && n->record_id[0])
        json_object_set_new(o, "record_id", json_string(n->record_id));
    memcpy(x->last, n->id, sizeof(x->last));
    return o && !json_array_append_new(x->items, o) ? 0 : CT_ENOMEM;
}

CT_HANDLER(h_notifications_list)
{
    static const char *const allowed[] = {"unread", "cursor", "limit", NULL};
    long limit;
    int unread;
    const char *cursor;
    int rc = ct_req_query_check(r, allowed, err);
    if (!rc)
        rc = ct_req_query_bool(r, "unread", &unread, err);
    if (!rc)
        rc = ct_req_query_uuid(r, "cursor", &cursor, err);
    if (!rc)
        rc = ct_req_query_limit(r, PAGE_DEFAULT, PAGE_MAX, &limit, err);
    if (rc)
        return rc;
    list_ctx x = {ct_req_keep(r, json_array()), ""};
    if (!x.items)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    rc = ct_store_notification_each(r->store, r->user.id, unread == 1, cursor, limit, add_one, &x,
                                    err);
    if (rc == CT_ENOMEM)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    if (rc)
        return rc;
    long n = (long)json_array_size(x.items);
    json_t *body = json_pack("{s:O, s:o}", "notifications", x.items, "next_cursor",
                             n == limit ? json_string(x.last) : json_null());
    return ct_req_reply_json(r, 200, body);
}

CT_HANDLER(h_notifications_read)
{
    int rc = ct_req_begin(r, err);
    if (!rc)
        rc = ct_store_notification_read(r->store, r->user.id, ct_req_param(r, 0), err);
    if (!rc)
        rc = ct_req_commit(r, err);
    return rc ? rc : ct_req_reply_empty(r, 204);
}
