/*
 * client.h - end-to-end API tests in C: runs `ctip` commands, starts a real
 * `ctip serve` on a free loopback port and talks HTTP/1.1 to it over plain
 * sockets (one connection per request). Header-only, for tests.
 */
#ifndef CT_TEST_HTTP_CLIENT_H
#define CT_TEST_HTTP_CLIENT_H

#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct tc_server {
    pid_t pid;
    unsigned port;
    char dir[256];
} tc_server;

typedef struct tc_resp {
    int status;
    char *headers; /* raw header block */
    char *body;
    size_t body_len;
    json_t *json; /* parsed body, or NULL */
} tc_resp;

static inline const char *tc_ctip(void)
{
    const char *c = getenv("CTIP");
    if (!c) {
        fprintf(stderr, "CTIP must name the ctip binary\n");
        exit(1);
    }
    return c;
}

/* Runs a shell command line; returns its first output line (static buffer). */
static inline const char *tc_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline const char *tc_run(const char *fmt, ...)
{
    static char line[512];
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    line[0] = '\0';
    if (!p)
        return line;
    if (!fgets(line, sizeof(line), p))
        line[0] = '\0';
    char rest[512];
    while (fgets(rest, sizeof(rest), p)) {
    }
    int st = pclose(p);
    if (st != 0) {
        fprintf(stderr, "command failed (%d): %s\n", st, cmd);
        exit(1);
    }
    line[strcspn(line, "\r\n")] = '\0';
    return line;
}

static inline void tc_start(tc_server *s, const char *db, const char *extra)
{
    snprintf(s->dir, sizeof(s->dir), "%s.ready", db);
    unlink(s->dir);
    s->pid = fork();
    if (s->pid == 0) {
        char cmd[1024];
        snprintf(cmd, sizeof(cmd),
                 "exec '%s' serve '%s' --listen 127.0.0.1:0 --ready-file '%s' --access-log none "
                 "%s",
                 tc_ctip(), db, s->dir, extra ? extra : "");
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 600; i++) {
        FILE *f = fopen(s->dir, "r");
        char url[128] = "";
        if (f) {
            if (!fgets(url, sizeof(url), f))
                url[0] = '\0';
            fclose(f);
        }
        const char *colon = strrchr(url, ':');
        if (colon && atoi(colon + 1) > 0) {
            s->port = (unsigned)atoi(colon + 1);
            return;
        }
        usleep(50 * 1000);
    }
    fprintf(stderr, "the server did not start\n");
    kill(s->pid, SIGKILL);
    exit(1);
}

static inline int tc_stop(tc_server *s)
{
    int st = 0;
    kill(s->pid, SIGTERM);
    waitpid(s->pid, &st, 0);
    return st;
}

static inline void tc_resp_free(tc_resp *r)
{
    free(r->headers);
    free(r->body);
    json_decref(r->json);
    memset(r, 0, sizeof(*r));
}

/* A header of the response (case-insensitive name), copied into out. */
static inline int tc_header(const tc_resp *r, const char *name, char *out, size_t n)
{
    size_t len = strlen(name);
    for (const char *p = r->headers; p && *p;) {
        const char *e = strstr(p, "\r\n");
        if (!e)
            break;
        if ((size_t)(e - p) > len && strncasecmp(p, name, len) == 0 && p[len] == ':') {
            const char *v = p + len + 1;
            while (*v == ' ')
                v++;
            snprintf(out, n, "%.*s", (int)(e - v), v);
            return 1;
        }
        p = e + 2;
    }
    return 0;
}

/*
 * One request: method, path (under /api/v1), extra header lines ("A: b\r\n"
 * each, or NULL), body (or NULL; sent as application/json). Fills r.
 */
static inline int tc_request(const tc_server *s, tc_resp *r, const char *method, const char *path,
                             const char *headers, const char *body)
{
    memset(r, 0, sizeof(*r));
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)s->port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    size_t blen = body ? strlen(body) : 0;
    size_t cap = 4096 + blen + (headers ? strlen(headers) : 0) + strlen(path);
    char *req = malloc(cap);
    int n = snprintf(req, cap,
                     "%s /api/v1%s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s%s"
                     "Content-Length: %zu\r\n\r\n",
                     method, path, headers ? headers : "",
                     body ? "Content-Type: application/json\r\n" : "", blen);
    if (body)
        memcpy(req + n, body, blen);
    size_t total = (size_t)n + blen, sent = 0;
    while (sent < total) {
        ssize_t w = send(fd, req + sent, total - sent, MSG_NOSIGNAL);
        if (w <= 0)
            break;
        sent += (size_t)w;
    }
    free(req);
    size_t rcap = 65536, rlen = 0;
    char *buf = malloc(rcap);
    for (;;) {
        if (rlen + 4096 > rcap)
            buf = realloc(buf, rcap *= 2);
        ssize_t k = recv(fd, buf + rlen, rcap - rlen - 1, 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        rlen += (size_t)k;
    }
    close(fd);
    buf[rlen] = '\0';
    char *sep = strstr(buf, "\r\n\r\n");
    if (!sep || sscanf(buf, "HTTP/1.1 %d", &r->status) != 1) {
        free(buf);
        return -1;
    }
    r->headers = strndup(buf, (size_t)(sep - buf) + 2);
    r->body_len = rlen - (size_t)(sep + 4 - buf);
    r->body = malloc(r->body_len + 1);
    memcpy(r->body, sep + 4, r->body_len);
    r->body[r->body_len] = '\0';
    free(buf);
    if (r->body_len)
        r->json = json_loadb(r->body, r->body_len, 0, NULL);
    return 0;
}

/* A string at a jansson path like "persons.0.given_name" (NULL when absent). */
static inline const char *tc_str(json_t *j, const char *path)
{
    char key[128];
    while (j && *path) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);
        snprintf(key, sizeof(key), "%.*s", (int)n, path);
        if (json_is_array(j))
            j = json_array_get(j, (size_t)atoi(key));
        else
            j = json_object_get(j, key);
        path += n + (dot ? 1 : 0);
    }
    return json_string_value(j);
}

#endif
