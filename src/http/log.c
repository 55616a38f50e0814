/*
 * log.c - the access log: one JSON object per line, per request.
 *
 * No personal data: the route's pattern is logged, never the path or the
 * query (they may hold ids and search terms); the caller is named by user
 * id (a UUID), not by name, and the client address is not logged. The
 * request id links a line to the audit trail when an auditor needs to.
 * Each line goes out in one write(2), so lines of concurrent requests
 * never interleave.
 */
#include "http_int.h"

#include "store/store_int.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void write_line(int fd, const char *line, size_t n)
{
    while (n) {
        ssize_t w = write(fd, line, n);
        if (w <= 0)
            return; /* a full disk must not stop the server */
        line += w;
        n -= (size_t)w;
    }
}

void ct_http_log_request(ct_req *r)
{
    int fd = r->srv->opts.access_log_fd;
    if (fd < 0)
        return;
    char now[32], line[512];
    ct_store_now(now);
    double ms = (ct_http_now() - r->t0) * 1000.0;
    const char *method = r->method ? r->method : "";
    /* methods are tokens, but a client can send anything: keep it printable */
    char m[12];
    size_t k = 0;
    for (; method[k] && k < sizeof(m) - 1; k++)
        m[k] = method[k] >= 'A' && method[k] <= 'Z' ? method[k] : '?';
    m[k] = '\0';
    int n = snprintf(line, sizeof(line),
                     "{\"time\":\"%s\",\"request_id\":\"%s\",\"method\":\"%s\",\"route\":%s%s%s,"
                     "\"status\":%d,\"bytes\":%zu,\"ms\":%.3f,\"user\":%s%s%s,\"lang\":\"%s\"}\n",
                     now, r->id, m, r->route ? "\"" : "", r->route ? r->route->pattern : "null",
                     r->route ? "\"" : "", r->status, r->resp_len, ms, r->authed ? "\"" : "",
                     r->authed ? r->user.id : "null", r->authed ? "\"" : "", r->lang);
    if (n > 0)
        write_line(fd, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

void ct_http_log_event(ct_http_server *srv, const char *event, const char *detail)
{
    int fd = srv->opts.access_log_fd;
    if (fd < 0)
        return;
    char now[32], line[512], clean[256];
    ct_store_now(now);
    size_t k = 0;
    for (const char *p = detail ? detail : ""; *p && k < sizeof(clean) - 1; p++)
        clean[k++] = (unsigned char)*p < 0x20 || *p == '"' || *p == '\\' ? ' ' : *p;
    clean[k] = '\0';
    int n = snprintf(line, sizeof(line), "{\"time\":\"%s\",\"event\":\"%s\",\"detail\":\"%s\"}\n",
                     now, event, clean);
    if (n > 0)
        write_line(fd, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}
