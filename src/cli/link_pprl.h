/* link_pprl.h - the encoded (privacy-preserving) verbs of `ctip link`,
 * in src/cli/link_pprl.c. */
#ifndef CT_CLI_LINK_PPRL_H
#define CT_CLI_LINK_PPRL_H

#include "cli.h"

int ct_pprl_cli_encode(const char *in, const char *schema, const char *secret, char sep,
                       const char *out, ct_cli *cli);
int ct_pprl_cli_match(char **paths, const char *out, double threshold, ct_cli *cli);
int ct_pprl_cli_overlaps(char **paths, int n, const char *out, double threshold, ct_cli *cli);

#endif
