#include "test_util.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/csv.h"

static ct_csv *open_str(const char *s, const ct_csv_opts *o)
{
    ct_err err = CT_ERR_INIT;
    ct_csv *c = ct_csv_open_mem(s, strlen(s), o, &err);
    assert_non_null(c);
    return c;
}

static void expect_record(ct_csv *c, long line, size_t n, const char **fields)
{
    ct_err err = CT_ERR_INIT;
    ct_csv_record rec;
    assert_int_equal(ct_csv_next(c, &rec, &err), 1);
    assert_int_equal(rec.line, line);
    assert_int_equal(rec.n, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(rec.field[i], fields[i]);
}

static void expect_eof(ct_csv *c)
{
    ct_err err = CT_ERR_INIT;
    ct_csv_record rec;
    assert_int_equal(ct_csv_next(c, &rec, &err), 0);
}

static void plain_records(void **state)
{
    ct_csv *c = open_str("a,b,c\n1,,3\n", NULL);
    expect_record(c, 1, 3, (const char *[]){"a", "b", "c"});
    expect_record(c, 2, 3, (const char *[]){"1", "", "3"});
    expect_eof(c);
    ct_csv_close(c);
}

static void quotes_newlines_and_line_numbers(void **state)
{
    ct_csv *c = open_str("h1,h2\n\"x, y\",\"say \"\"hi\"\"\nthen\nleave\"\nlast,row", NULL);
    expect_record(c, 1, 2, (const char *[]){"h1", "h2"});
    expect_record(c, 2, 2, (const char *[]){"x, y", "say \"hi\"\nthen\nleave"});
    /* the record above spans lines 2-4, so the next starts on line 5 */
    expect_record(c, 5, 2, (const char *[]){"last", "row"});
    expect_eof(c);
    ct_csv_close(c);
}

static void bom_crlf_and_blank_lines(void **state)
{
    ct_csv *c = open_str("\xEF\xBB\xBFid,name\r\n\r\n7,\"a\r\nb\"\r\n", NULL);
    expect_record(c, 1, 2, (const char *[]){"id", "name"});
    expect_record(c, 3, 2, (const char *[]){"7", "a\r\nb"});
    expect_eof(c);
    ct_csv_close(c);
}

static void raw_bytes_are_kept_unchanged(void **state)
{
    const char *in = "a,b\n\"q\"\"x\", y\r\nz,w";
    ct_csv *c = open_str(in, NULL);
    ct_err err = CT_ERR_INIT;
    ct_csv_record rec;
    assert_int_equal(ct_csv_next(c, &rec, &err), 1);
    assert_int_equal(ct_csv_next(c, &rec, &err), 1);
    assert_int_equal(rec.raw_len, strlen("\"q\"\"x\", y"));
    assert_memory_equal(rec.raw, "\"q\"\"x\", y", rec.raw_len);
    ct_csv_close(c);
}

static void febrl_separator_with_space(void **state)
{
    ct_csv_opts o = {.skip_initial_space = 1};
    ct_csv *c = open_str("rec_id, given_name, surname\nrec-1-org, anna, \"o'brien, jr\"\n", &o);
    expect_record(c, 1, 3, (const char *[]){"rec_id", "given_name", "surname"});
    expect_record(c, 2, 3, (const char *[]){"rec-1-org", "anna", "o'brien, jr"});
    ct_csv_close(c);
}

static void invalid_utf8_names_the_field_and_reading_goes_on(void **state)
{
    ct_csv *c = open_str("a,b\nok,\xC3\x28\nnext,fine\n", NULL);
    ct_err err = CT_ERR_INIT;
    ct_csv_record rec;
    assert_int_equal(ct_csv_next(c, &rec, &err), 1);
    assert_int_equal(ct_csv_next(c, &rec, &err), CT_EINVAL);
    assert_int_equal(rec.line, 2);
    assert_int_equal(rec.bad_field, 1);
    assert_string_equal(err.msg, "invalid UTF-8");
    expect_record(c, 3, 2, (const char *[]){"next", "fine"});
    ct_csv_close(c);
}

static void overlong_field_is_refused(void **state)
{
    ct_csv_opts o = {.max_field_bytes = 8};
    ct_csv *c = open_str("short,123456789\nx,y\n", &o);
    ct_err err = CT_ERR_INIT;
    ct_csv_record rec;
    assert_int_equal(ct_csv_next(c, &rec, &err), CT_EINVAL);
    assert_int_equal(rec.bad_field, 1);
    assert_string_equal(err.msg, "field too long");
    expect_record(c, 2, 2, (const char *[]){"x", "y"});
    ct_csv_close(c);
}

static void unterminated_quote_and_junk_after_quote(void **state)
{
    ct_err err = CT_ERR_INIT;
    ct_csv_record rec;
    ct_csv *c = open_str("a,\"b\"x\n1,\"never closed\n2,3\n", NULL);
    assert_int_equal(ct_csv_next(c, &rec, &err), CT_EINVAL);
    assert_int_equal(rec.line, 1);
    assert_string_equal(err.msg, "unexpected character after a closing quote");
    ct_err_clear(&err);
    assert_int_equal(ct_csv_next(c, &rec, &err), CT_EINVAL);
    assert_int_equal(rec.line, 2);
    assert_string_equal(err.msg, "quoted field not closed before the end of the file");
    expect_eof(c);
    ct_csv_close(c);
}

static void reads_files_across_buffer_boundaries(void **state)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    /* 200,000 records with a quoted multi-line field: crosses 64 KiB chunks */
    for (int i = 0; i < 200000; i++)
        fprintf(f, "%d,\"line one\nline \"\"%d\"\"\",end\n", i, i);
    rewind(f);
    ct_err err = CT_ERR_INIT;
    ct_csv *c = ct_csv_open(f, NULL, &err);
    assert_non_null(c);
    ct_csv_record rec;
    char want[64];
    for (int i = 0; i < 200000; i++) {
        assert_int_equal(ct_csv_next(c, &rec, &err), 1);
        assert_int_equal(rec.line, 2L * i + 1);
        assert_int_equal(rec.n, 3);
        snprintf(want, sizeof(want), "line one\nline \"%d\"", i);
        assert_string_equal(rec.field[1], want);
    }
    assert_int_equal(ct_csv_next(c, &rec, &err), 0);
    ct_csv_close(c);
    fclose(f);
}

static void out_of_memory_is_reported(void **state)
{
    const char *in = "a,b,c,d,e,f,g,h,i,j,k\n";
    for (long n = 1; n < 50; n++) {
        ct_err err = CT_ERR_INIT;
        ct_alloc_fail_after(n);
        ct_csv *c = ct_csv_open_mem(in, strlen(in), NULL, &err);
        int r = CT_ENOMEM;
        if (c) {
            ct_csv_record rec;
            r = ct_csv_next(c, &rec, &err);
            ct_csv_close(c);
        }
        ct_alloc_fail_after(0);
        if (r == 1)
            return; /* enough allocations succeeded */
        assert_int_equal(r, CT_ENOMEM);
        assert_int_equal(err.code, CT_ENOMEM);
    }
    fail_msg("the reader never succeeded");
}

static void writer_quotes_when_needed(void **state)
{
    ct_buf b = CT_BUF_INIT;
    ct_csv_buf_field(&b, "plain", 5, ',');
    ct_buf_addc(&b, '|');
    ct_csv_buf_field(&b, "a,\"b\"\n", 6, ',');
    assert_string_equal(b.buf, "plain|\"a,\"\"b\"\"\n\"");
    ct_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_records),
        cmocka_unit_test(quotes_newlines_and_line_numbers),
        cmocka_unit_test(bom_crlf_and_blank_lines),
        cmocka_unit_test(raw_bytes_are_kept_unchanged),
        cmocka_unit_test(febrl_separator_with_space),
        cmocka_unit_test(invalid_utf8_names_the_field_and_reading_goes_on),
        cmocka_unit_test(overlong_field_is_refused),
        cmocka_unit_test(unterminated_quote_and_junk_after_quote),
        cmocka_unit_test(reads_files_across_buffer_boundaries),
        cmocka_unit_test(out_of_memory_is_reported),
        cmocka_unit_test(writer_quotes_when_needed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
