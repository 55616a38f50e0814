/*
 * auditq.c - group commit of the audit entries of reads.
 *
 * Every read of personal data is audited before its reply leaves. Written
 * one transaction per request, those commits would dominate a read's cost,
 * and in WAL mode each commit also empties the page cache of every other
 * worker's connection (SQLite resets a connection's cache when the WAL
 * changed), so the next read would reread the B-tree from the file.
 * Instead, a request hands its entries to one writer thread with its own
 * connection and its connection is suspended (libmicrohttpd); the writer
 * appends whatever has queued up in one transaction (the hash chain in
 * queue order), at most once per opts.audit_batch_ms, and resumes the
 * requests when it committed. A reply still leaves only once its entries
 * are as durable as any commit; one commit carries many requests' entries,
 * and the workers keep serving other connections meanwhile.
 *
 * Invariants: an item lives until the writer hands it back (a waiting
 * caller's memory, or the suspended request's arena); after calling a
 * request's done() the writer never touches that request's items again;
 * the writer takes srv->write_lock around each batch, so batches and the
 * requests' own write transactions never interleave; a batch that fails is
 * rolled back whole and each of its requests gets the error.
 */
#include "http_int.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <string.h>
#include <time.h>

struct ct_auditq_item {
    ct_actor actor;
    ct_audit_entry entry;
    ct_req *req;                /* an asynchronous request, or NULL */
    void (*done_fn)(ct_req *r); /* called for the last item of req */
    int last;                   /* the last item of its request */
    int done, rc;               /* for a waiting caller */
    ct_err err;
    ct_auditq_item *next;
};

struct ct_auditq {
    ct_http_server *srv;
    ct_store *store;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t more, done;
    ct_auditq_item *head, *tail;
    int stop;
};

static int commit_batch(ct_auditq *q, ct_auditq_item *batch, ct_err *err)
{
    pthread_mutex_lock(&q->srv->write_lock);
    int rc = ct_store_begin(q->store, err);
    for (ct_auditq_item *it = batch; !rc && it; it = it->next) {
        ct_store_set_actor(q->store, &it->actor);
        rc = ct_store_audit(q->store, &it->entry, err);
    }
    if (!rc)
        rc = ct_store_commit(q->store, err);
    else
        ct_store_rollback(q->store);
    ct_actor none = {NULL, NULL, NULL};
    ct_store_set_actor(q->store, &none);
    pthread_mutex_unlock(&q->srv->write_lock);
    return rc;
}

static void write_batch(ct_auditq *q, ct_auditq_item *batch)
{
    ct_err err = CT_ERR_INIT;
    int rc = commit_batch(q, batch, &err);
    /* hand the items back: waiting callers under the lock, then requests */
    ct_auditq_item *async = NULL;
    pthread_mutex_lock(&q->lock);
    for (ct_auditq_item *it = batch, *next; it; it = next) {
        next = it->next;
        if (it->req && it->last) {
            it->next = async; /* relink: the batch list is no longer needed */
            async = it;
        } else if (!it->req) {
            it->rc = rc;
            it->err = err;
            it->done = 1;
        }
    }
    pthread_cond_broadcast(&q->done);
    pthread_mutex_unlock(&q->lock);
    for (ct_auditq_item *it = async, *next; it; it = next) {
        next = it->next;
        ct_req *r = it->req;
        r->audit_rc = rc;
        r->audit_err = err;
        it->done_fn(r); /* r (and it) may be gone after this */
    }
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void *writer(void *arg)
{
    ct_auditq *q = arg;
    double interval = q->srv->opts.audit_batch_ms, last = 0;
    pthread_mutex_lock(&q->lock);
    for (;;) {
        while (!q->head && !q->stop)
            pthread_cond_wait(&q->more, &q->lock);
        if (!q->head && q->stop)
            break;
        double wait = last + interval - now_ms();
        if (wait > 0 && !q->stop) { /* let more entries join this batch */
            pthread_mutex_unlock(&q->lock);
            struct timespec ts = {0, (long)(wait * 1e6)};
            nanosleep(&ts, NULL);
            pthread_mutex_lock(&q->lock);
        }
        ct_auditq_item *batch = q->head;
        q->head = q->tail = NULL;
        pthread_mutex_unlock(&q->lock);
        write_batch(q, batch);
        last = now_ms();
        pthread_mutex_lock(&q->lock);
    }
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

int ct_auditq_start(ct_http_server *srv, ct_auditq **out, ct_err *err)
{
    ct_auditq *q = ct_calloc(1, sizeof(*q));
    if (!q)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    q->srv = srv;
    int rc = ct_store_open(srv->db_path, 0, &q->store, err);
    if (rc) {
        ct_free(q);
        return rc;
    }
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->more, NULL);
    pthread_cond_init(&q->done, NULL);
    if (pthread_create(&q->thread, NULL, writer, q) != 0) {
        ct_store_close(q->store);
        ct_free(q);
        return ct_err_set(err, CT_EINTERNAL, "%s", _("cannot start the audit writer"));
    }
    *out = q;
    return 0;
}

void ct_auditq_stop(ct_auditq *q)
{
    if (!q)
        return;
    pthread_mutex_lock(&q->lock);
    q->stop = 1;
    pthread_cond_signal(&q->more);
    pthread_mutex_unlock(&q->lock);
    pthread_join(q->thread, NULL);
    ct_store_close(q->store);
    pthread_mutex_destroy(&q->lock);
    pthread_cond_destroy(&q->more);
    pthread_cond_destroy(&q->done);
    ct_free(q);
}

static void enqueue(ct_auditq *q, ct_auditq_item *first, ct_auditq_item *last)
{
    if (q->tail)
        q->tail->next = first;
    else
        q->head = first;
    q->tail = last;
    pthread_cond_signal(&q->more);
}

static void fill(ct_auditq_item *items, const ct_actor *actor, const ct_audit_entry *e, size_t n,
                 ct_req *r, void (*done_fn)(ct_req *))
{
    for (size_t i = 0; i < n; i++) {
        items[i].actor = *actor;
        items[i].entry = e[i];
        items[i].req = r;
        items[i].done_fn = done_fn;
        items[i].last = i + 1 == n;
        items[i].next = i + 1 < n ? &items[i + 1] : NULL;
    }
}

int ct_auditq_append(ct_auditq *q, const ct_actor *actor, const ct_audit_entry *e, size_t n,
                     ct_err *err)
{
    if (!n)
        return 0;
    ct_auditq_item *items = ct_calloc(n, sizeof(*items));
    if (!items)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    fill(items, actor, e, n, NULL, NULL);
    pthread_mutex_lock(&q->lock);
    enqueue(q, &items[0], &items[n - 1]);
    while (!items[n - 1].done) /* one request's items are in one batch */
        pthread_cond_wait(&q->done, &q->lock);
    pthread_mutex_unlock(&q->lock);
    int rc = items[n - 1].rc;
    if (rc)
        ct_err_set(err, rc, "%s", items[n - 1].err.msg);
    ct_free(items);
    return rc;
}

int ct_auditq_submit(ct_auditq *q, ct_req *r, void (*done_fn)(ct_req *r), ct_err *err)
{
    ct_auditq_item *items = ct_arena_alloc(&r->arena, r->naudits * sizeof(*items));
    if (!items)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    ct_actor actor = {r->user.name, r->user.agency, r->id};
    fill(items, &actor, r->audits, r->naudits, r, done_fn);
    pthread_mutex_lock(&q->lock);
    enqueue(q, &items[0], &items[r->naudits - 1]);
    pthread_mutex_unlock(&q->lock);
    return 0;
}
