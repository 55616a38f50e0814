/*
 * mhd_min: the anchor of bench/api — the least a libmicrohttpd server can
 * do per request: answer every request with one fixed JSON body of a given
 * size, with the same daemon mode and thread count as `ctip serve` (epoll,
 * a pool of threads). No database, no JSON encoding, no authentication.
 * Usage: mhd_min BYTES THREADS READY_FILE   (listens on 127.0.0.1, any port)
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct MHD_Response *fixed;

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *data,
                              size_t *size, void **state)
{
    (void)cls, (void)url, (void)method, (void)version, (void)data;
    if (!*state) { /* the first call only announces the request */
        *state = (void *)1;
        return MHD_YES;
    }
    *size = 0;
    return MHD_queue_response(c, MHD_HTTP_OK, fixed);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: mhd_min BYTES THREADS READY_FILE\n");
        return 1;
    }
    size_t n = (size_t)atol(argv[1]);
    unsigned threads = (unsigned)atoi(argv[2]);
    char *body = malloc(n + 1);
    memset(body, 'x', n);
    memcpy(body, "{\"pad\":\"", 8); /* valid JSON of exactly n bytes */
    memcpy(body + n - 2, "\"}", 2);
    fixed = MHD_create_response_from_buffer(n, body, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(fixed, "Content-Type", "application/json; charset=utf-8");
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(0x7f000001);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL, answer, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&a, MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_LIMIT, 1000, MHD_OPTION_END);
    if (!d)
        return 1;
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    FILE *f = fopen(argv[3], "w");
    fprintf(f, "http://127.0.0.1:%u/\n", di->port);
    fclose(f);
    int sig;
    sigwait(&set, &sig);
    MHD_stop_daemon(d);
    MHD_destroy_response(fixed);
    free(body);
    return 0;
}
