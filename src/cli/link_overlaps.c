/*
 * link_overlaps.c - `ctip link overlaps DB --lists agency [--by ...] -o FILE`:
 * the capture histories of the database's victim records (contracts.md),
 * built by the same function as `ctip estimate DB`
 * (ct_estimate_histories_from_store): records with the same person_key are
 * one person, records without one are each a person of their own. The
 * encoded form (`overlaps --encoded L1.clk ...`) is in link_pprl.c.
 */
#include "link_overlaps.h"

#include "core/i18n.h"
#include "estimate/estimate.h"
#include "store/store.h"

int ct_link_cli_overlaps_db(const char *db, const ct_link_overlaps_args *a, ct_cli *cli)
{
    if (!a->lists)
        return ct_err_set(&cli->err, CT_EUSAGE, "%s",
                          _("overlaps of a database needs --lists agency (what a list is)"));
    ct_estimate_db_opts o = {a->lists, 0, 0, 0, a->country};
    int r = ct_estimate_lists_parse(a->lists, &cli->err);
    if (r < 0 || (r = ct_estimate_by_parse(a->by, &o.by, &cli->err)))
        return r;
    ct_store *s = NULL;
    if ((r = ct_cli_open_store(cli, db, CT_STORE_READONLY, &s)))
        return r;
    ct_estimate_data *d = NULL;
    r = ct_estimate_histories_from_store(s, &o, &d, &cli->err);
    ct_store_close(s);
    FILE *f = r ? NULL : ct_cli_open_output(cli, a->out);
    if (!r && !f)
        r = cli->err.code;
    if (f) {
        r = ct_estimate_data_write_csv(d, f, &cli->err);
        int c = ct_cli_close_output(cli, f, a->out);
        r = r ? r : c;
    }
    ct_estimate_data_free(d);
    return r;
}
