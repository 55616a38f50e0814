/* link_overlaps.h - `ctip link overlaps DB --lists agency [--by ...] [--country ISO3] [-o FILE]`
 * (src/cli/link_overlaps.c): capture histories from a database. */
#ifndef CT_CLI_LINK_OVERLAPS_H
#define CT_CLI_LINK_OVERLAPS_H

#include "cli.h"

typedef struct ct_link_overlaps_args {
    const char *lists, *by, *country; /* as for `ctip estimate DB` */
    const char *out;                  /* NULL or "-": stdout */
} ct_link_overlaps_args;

/* Writes the capture histories of db (contracts.md). */
int ct_link_cli_overlaps_db(const char *db, const ct_link_overlaps_args *a, ct_cli *cli);

#endif
