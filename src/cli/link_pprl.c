#include "link_pprl.h"
int ct_pprl_cli_encode(const char *in, const char *schema, const char *secret, const char *out,
                       ct_cli *cli)
{
    return CT_EUSAGE;
}
int ct_pprl_cli_match(char **paths, const char *out, double threshold, ct_cli *cli)
{
    return CT_EUSAGE;
}
int ct_pprl_cli_overlaps(char **paths, int n, const char *out, double threshold, ct_cli *cli)
{
    return CT_EUSAGE;
}
