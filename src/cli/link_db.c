/*
 * link_db.c - `ctip link dedupe DB`: the victims of a database linked, the
 * suspected duplicates queued for review (src/linkdb, docs/linkage.md
 * "Database").
 *
 *   ctip link dedupe DB [--threshold P] [--review-threshold Q] [-o OUT]
 *
 * Prints counts only (no personal data). -o writes OUT.pairs.csv (the
 * pairs of this run at or above the threshold) and OUT.clusters.csv (every
 * linked victim with its stable cluster id), once the run is committed.
 */
#include "link_db.h"

#include "core/buf.h"
#include "core/csv.h"
#include "core/i18n.h"
#include "linkdb/linkdb.h"
#include "store/store_link.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int ct_cli_is_database(const char *path)
{
    static const char magic[16] = "SQLite format 3";
    char head[16];
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(head, 1, sizeof(head), f);
    fclose(f);
    return n == sizeof(head) && memcmp(head, magic, sizeof(head)) == 0;
}

typedef struct pairs_out {
    FILE *tmp; /* the pairs, written once the run is committed */
} pairs_out;

static int on_pair(void *ctx, const char *a, const char *b, double p, const char *explanation)
{
    pairs_out *x = ctx;
    ct_csv_write_field(x->tmp, a, ',');
    fputc(',', x->tmp);
    ct_csv_write_field(x->tmp, b, ',');
    fprintf(x->tmp, ",%.6f,", p);
    ct_csv_write_field(x->tmp, explanation, ',');
    return fputc('\n', x->tmp) == EOF ? CT_EIO : 0;
}

static int write_pairs(FILE *tmp, const char *out, ct_cli *cli)
{
    char name[4096];
    snprintf(name, sizeof(name), "%s.pairs.csv", out);
    FILE *f = fopen(name, "wb");
    if (!f)
        return ct_err_set(&cli->err, CT_EIO, _("cannot write '%s': %s"), name, strerror(errno));
    fputs("id_a,id_b,probability,explanation\n", f);
    rewind(tmp);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), tmp)) > 0)
        fwrite(buf, 1, n, f);
    int bad = ferror(f) || ferror(tmp);
    bad |= fclose(f) != 0;
    return bad ? ct_err_set(&cli->err, CT_EIO, _("cannot write '%s': %s"), name, strerror(errno))
               : 0;
}

static int cluster_row(const ct_link_person_row *row, void *arg)
{
    FILE *f = arg;
    if (!row->hash)
        return 0; /* not linked yet (no name) */
    ct_csv_write_field(f, row->id, ',');
    return fprintf(f, ",%lld\n", row->cluster) < 0 ? CT_EIO : 0;
}

static int write_clusters(ct_store *s, const char *out, ct_cli *cli)
{
    char name[4096];
    snprintf(name, sizeof(name), "%s.clusters.csv", out);
    FILE *f = fopen(name, "wb");
    if (!f)
        return ct_err_set(&cli->err, CT_EIO, _("cannot write '%s': %s"), name, strerror(errno));
    fputs("id,cluster\n", f);
    int rc = ct_store_begin_read(s, &cli->err);
    if (!rc) {
        rc = ct_store_link_rows(s, cluster_row, f, &cli->err);
        ct_store_rollback(s);
    }
    int bad = ferror(f);
    bad |= fclose(f) != 0;
    if (!rc && bad)
        rc = ct_err_set(&cli->err, CT_EIO, _("cannot write '%s': %s"), name, strerror(errno));
    else if (rc == CT_EIO && !cli->err.code)
        ct_err_set(&cli->err, CT_EIO, _("cannot write '%s': %s"), name, strerror(errno));
    return rc;
}

static void print_stats(const ct_linkdb_stats *st)
{
    printf(_("victims: %ld (%ld without a name, not compared)\nnew or changed since the last "
             "run: %ld\n"),
           st->records, st->nameless, st->new_records);
    if (!st->engine_ran) {
        printf("%s\n", _("nothing new to link"));
        return;
    }
    const ct_link_stats *e = &st->engine;
    printf(_("candidate pairs: %llu (%.1f per record)\n"), (unsigned long long)e->candidates,
           e->records ? 2.0 * (double)e->candidates / (double)e->records : 0.0);
    if (e->capped_blocks)
        printf(_("oversized blocks skipped: %llu (%llu records); raise --max-block to "
                 "include them\n"),
               (unsigned long long)e->capped_blocks, (unsigned long long)e->capped_records);
    printf(_("model: prior %.3g from %d training sessions on %zu patterns\n"), e->lambda,
           e->em_iterations, e->patterns);
    printf(_("time: blocking %.1f s, model %.1f s, scoring %.1f s\n"), e->seconds_blocking,
           e->seconds_model, e->seconds_scoring);
    printf(_("pairs at or above the threshold: %ld (%ld cluster merges)\n"), st->linked,
           st->merges);
    printf(_("suspected duplicates: %ld (%ld new in the review queue, %ld already there); %ld "
             "pairs already share a person key\n"),
           st->candidates, st->queued, st->known, st->same_key);
}

int ct_link_cli_dedupe_db(const char *path, const ct_link_db_args *a, ct_cli *cli)
{
    ct_store *s = NULL;
    int rc = ct_cli_open_store(cli, path, 0, &s);
    if (rc)
        return rc;
    pairs_out po = {NULL};
    ct_linkdb_opts o = {0};
    o.threshold = a->threshold;
    o.review_threshold = a->review_threshold;
    o.threads = a->threads > 0 ? (int)a->threads : 0;
    o.max_block = a->max_block > 0 ? (size_t)a->max_block : 0;
    if (a->out) {
        if (!(po.tmp = tmpfile()))
            rc = ct_err_set(&cli->err, CT_EIO, "%s", _("cannot create a temporary file"));
        o.on_pair = on_pair;
        o.ctx = &po;
    }
    ct_linkdb_stats st;
    if (!rc)
        rc = ct_linkdb_dedupe(s, &o, &st, &cli->err);
    if (rc == CT_EIO && !cli->err.code)
        ct_err_set(&cli->err, CT_EIO, "%s", _("cannot create a temporary file"));
    if (!rc && a->out)
        rc = write_pairs(po.tmp, a->out, cli);
    if (!rc && a->out)
        rc = write_clusters(s, a->out, cli);
    if (!rc)
        print_stats(&st);
    if (po.tmp)
        fclose(po.tmp);
    ct_store_close(s);
    return rc;
}
