/*
 * static.h - the browser UI's files (web/, built by Vite), compiled into
 * the binary by cmake/web_embed.cmake and served at / by static.c.
 */
#ifndef CT_HTTP_STATIC_H
#define CT_HTTP_STATIC_H

#include <stddef.h>

typedef struct ct_web_asset {
    const char *path; /* "/index.html", "/assets/index-3f2a.js" */
    const char *type; /* Content-Type */
    const char *etag; /* "\"<16 hex digits of SHA-256>\"" */
    const unsigned char *data;
    size_t len;
} ct_web_asset;

extern const ct_web_asset ct_web_assets[];
extern const size_t ct_web_assets_count;

/* The asset served for a request path ("/" is "/index.html"); NULL when
 * there is none. */
const ct_web_asset *ct_http_static_find(const char *path, size_t n);

/* The Content-Security-Policy of every UI response. */
extern const char ct_http_ui_csp[];

/* 1 when a request target is the UI's (anything outside /api/). */
int ct_http_is_static(const char *target);

/* Queues the reply to a UI request (GET/HEAD of an asset, 304 when
 * If-None-Match holds its ETag, 404, 405); returns libmicrohttpd's
 * MHD_YES/MHD_NO. Sets r->status and r->early_status. */
struct ct_req;
struct MHD_Connection;
int ct_http_static_queue(struct ct_req *r, struct MHD_Connection *conn);

#endif
