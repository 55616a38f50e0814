/*
 * static.c - serves the browser UI (web/) at /: every path outside /api/
 * is looked up in the embedded assets (static.h). The UI routes with the
 * URL's fragment (/#/cases/...), so only real files exist here.
 *
 * Every UI response carries a strict Content-Security-Policy: scripts,
 * styles, fonts and fetches from this origin only, no inline script or
 * style, no eval, no framing; images also from blob: (charts exported as
 * PNG are drawn from an SVG blob). index.html is revalidated on every load
 * (its ETag); the hashed files under /assets/ are immutable.
 */
#include "http_int.h"
#include "static.h"

#include <microhttpd.h>
#include <string.h>

const char ct_http_ui_csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

const ct_web_asset *ct_http_static_find(const char *path, size_t n)
{
    if (n == 1 && path[0] == '/') {
        path = "/index.html";
        n = strlen(path);
    }
    for (size_t i = 0; i < ct_web_assets_count; i++)
        if (strlen(ct_web_assets[i].path) == n && memcmp(ct_web_assets[i].path, path, n) == 0)
            return &ct_web_assets[i];
    return NULL;
}

int ct_http_is_static(const char *target)
{
    return strncmp(target, "/api/", 5) != 0 && strcmp(target, "/api") != 0 &&
           strncmp(target, "/api?", 5) != 0;
}

static void common_headers(struct MHD_Response *resp, ct_req *r)
{
    MHD_add_response_header(resp, "X-Request-Id", r->id);
    MHD_add_response_header(resp, "Content-Security-Policy", ct_http_ui_csp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(resp, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
}

static enum MHD_Result text_reply(ct_req *r, struct MHD_Connection *conn, int status,
                                  const char *text)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    common_headers(resp, r);
    MHD_add_response_header(resp, "Content-Type", "text/plain; charset=utf-8");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (status == 405)
        MHD_add_response_header(resp, "Allow", "GET, HEAD");
    r->status = status;
    r->early_status = status;
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return ret;
}

int ct_http_static_queue(ct_req *r, struct MHD_Connection *conn)
{
    if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
        return text_reply(r, conn, 405, "method not allowed\n");
    const char *q = strchr(r->target, '?');
    size_t n = q ? (size_t)(q - r->target) : strlen(r->target);
    const ct_web_asset *a = ct_http_static_find(r->target, n);
    if (!a)
        return text_reply(r, conn, 404, "not found\n");
    const char *inm = r->header_fn(r, "If-None-Match");
    int fresh = inm && strstr(inm, a->etag) != NULL;
    struct MHD_Response *resp =
        fresh ? MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT)
              : MHD_create_response_from_buffer(a->len, (void *)a->data, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    common_headers(resp, r);
    if (!fresh)
        MHD_add_response_header(resp, "Content-Type", a->type);
    MHD_add_response_header(resp, "ETag", a->etag);
    MHD_add_response_header(
        resp, "Cache-Control",
        strncmp(a->path, "/assets/", 8) == 0 ? "public, max-age=31536000, immutable" : "no-cache");
    r->status = fresh ? 304 : 200;
    r->early_status = r->status;
    r->resp_len = fresh ? 0 : a->len;
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}
