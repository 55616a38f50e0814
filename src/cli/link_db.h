/* link_db.h - `ctip link dedupe DB` (src/cli/link_db.c): the database mode
 * of `ctip link`, kept out of link.c. */
#ifndef CT_CLI_LINK_DB_H
#define CT_CLI_LINK_DB_H

#include "cli.h"

typedef struct ct_link_db_args {
    double threshold;        /* <= 0: the default (0.9) */
    double review_threshold; /* <= 0: the threshold */
    long threads, max_block;
    const char *out; /* or NULL */
} ct_link_db_args;

/* Whether path names an SQLite database (its first 16 bytes). */
int ct_cli_is_database(const char *path);
int ct_link_cli_dedupe_db(const char *path, const ct_link_db_args *a, ct_cli *cli);

#endif
