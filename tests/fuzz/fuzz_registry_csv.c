/* libFuzzer target: the registry file readers (src/registry/reader.c). The
 * first byte picks the kind (missing, placement, institution) and the
 * format (CSV, or JSON lines when the rest starts with '{'); every record
 * read must be valid exactly when no problem was recorded, must serialise,
 * and the rejects writer must handle whatever was read. Seeds in
 * corpus/fuzz_registry_csv. */
#include "registry/registry.h"

#include <assert.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready)
        ready = sodium_init() >= 0;
    if (size < 1)
        return 0;
    enum ct_reg_kind kind = (enum ct_reg_kind)(data[0] % CT_REG__N);
    data++, size--;
    if (!size)
        return 0;
    FILE *f = fmemopen((void *)data, size, "rb");
    if (!f)
        return 0;
    enum ct_reg_format fmt = data[0] == '{' ? CT_REG_FMT_JSONL : CT_REG_FMT_CSV;
    ct_case_read_opts opts = {{2026, 11, 25}, "local", 0};
    ct_err err = CT_ERR_INIT;
    ct_reg_reader *rd;
    if (ct_reg_reader_open("fuzz", f, kind, fmt, &opts, &rd, &err) == 0) {
        ct_reg_record r;
        ct_reg_record_init(&r, kind);
        ct_problems pr = CT_PROBLEMS_INIT;
        FILE *sink = fopen("/dev/null", "wb");
        ct_reg_reader_rejects_header(rd, sink);
        char key[48];
        long line;
        for (int n = 0; n < 10000; n++) {
            ct_problems_clear(&pr);
            int rc = ct_reg_reader_next(rd, &r, &line, key, &pr, &err);
            if (rc == 0 || (rc < 0 && rc != CT_EINVAL))
                break;
            assert(rc == 1 ? pr.total == 0 : pr.total > 0);
            assert(line >= 1);
            if (rc == CT_EINVAL) {
                ct_reg_reader_reject(rd, sink, "reason");
                continue;
            }
            json_decref(ct_reg_to_json(&r, 0, 1));
            ct_reg_csv_row(&r, CT_PD_ALL, 1, sink);
            unsigned char h[CT_REG_HASH_BYTES];
            ct_reg_content_hash(&r, h);
        }
        fclose(sink);
        ct_problems_release(&pr);
        ct_reg_record_release(&r);
        ct_reg_reader_close(rd);
    }
    fclose(f);
    return 0;
}
