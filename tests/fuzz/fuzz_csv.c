/* libFuzzer target: the CSV reader must never crash, leak or read out of
 * bounds, and what it returns must satisfy its invariants. */
#include "core/csv.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ct_csv_opts opts = {0};
    opts.max_field_bytes = 256;
    opts.max_fields = 64;
    opts.max_record_bytes = 4096;
    if (size && data[0] == ';')
        opts.sep = ';';
    opts.skip_initial_space = size > 1 && data[1] == ' ';
    ct_err err = CT_ERR_INIT;
    ct_csv *c = ct_csv_open_mem((const char *)data, size, &opts, &err);
    if (!c)
        return 0;
    ct_csv_record rec;
    long last_line = 0;
    for (;;) {
        ct_err_clear(&err);
        int r = ct_csv_next(c, &rec, &err);
        if (r == 0 || r == CT_EIO || r == CT_ENOMEM)
            break;
        assert(rec.line > last_line);
        last_line = rec.line;
        assert(rec.raw_len <= size);
        if (r == 1) {
            assert(rec.n >= 1 && rec.n <= opts.max_fields);
            for (size_t i = 0; i < rec.n; i++) {
                assert(strlen(rec.field[i]) == rec.len[i]);
                assert(rec.len[i] <= opts.max_field_bytes);
            }
        } else {
            assert(r == CT_EINVAL && err.msg[0]);
        }
    }
    ct_csv_close(c);
    return 0;
}
