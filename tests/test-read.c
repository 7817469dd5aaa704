/* test-read.c — the CSV tokenizer and the response reader. */
#include "config.h"
#include <string.h>
#include "testutil.h"

static const char *CB = "item,scale,domain,min,max,reverse\n"
                        "q1,s,team,1,5,0\n"
                        "q2,s,team,1,5,1\n";

static ImpactTable *
read_ok(const char *csv, const ImpactReadOptions *ro)
{
    ImpactCodebook *cb = test_codebook(CB);
    ImpactTable *t = NULL;
    GError *err = NULL;
    if (!impact_responses_read_buffer(&t, csv, strlen(csv), "data.csv", cb, ro, &err)) {
        fprintf(stderr, "%s\n", err->message);
        g_error_free(err);
    }
    impact_codebook_free(cb);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    return t;
}

static void
expect_bad(const char *csv, const ImpactReadOptions *ro, int code, const char *needle)
{
    ImpactCodebook *cb = test_codebook(CB);
    ImpactTable *t = NULL;
    GError *err = NULL;
    CU_ASSERT_FALSE(impact_responses_read_buffer(&t, csv, strlen(csv), "data.csv", cb, ro, &err));
    CU_ASSERT_PTR_NULL(t); /* nothing half-written */
    ASSERT_ERROR(&err, code, needle);
    impact_codebook_free(cb);
}

static void
test_degenerate(void)
{
    expect_bad("", NULL, IMPACT_ERROR_PARSE, "data.csv:1:1: empty file");
    expect_bad("\n\n", NULL, IMPACT_ERROR_PARSE, "empty file");
    /* header only: zero rows, columns typed */
    ImpactTable *t = read_ok("id,q1,q2\n", NULL);
    CU_ASSERT_EQUAL(impact_table_n_rows(t), 0);
    CU_ASSERT_EQUAL(impact_table_n_columns(t), 3);
    CU_ASSERT_EQUAL(impact_table_column_type(t, 1), IMPACT_COLUMN_NUMERIC);
    impact_table_free(t);
    /* one row, no trailing newline */
    t = read_ok("id,q1,q2\nA,3,4", NULL);
    CU_ASSERT_EQUAL(impact_table_n_rows(t), 1);
    CU_ASSERT_EQUAL(impact_table_numeric(t, 2)[0], 4.0);
    impact_table_free(t);
    /* all missing */
    t = read_ok("id,q1,q2\nA,,NA\nB,NA,\n", NULL);
    CU_ASSERT(isnan(impact_table_numeric(t, 1)[0]) && isnan(impact_table_numeric(t, 2)[1]));
    impact_table_free(t);
}

static void
test_formats(void)
{
    /* BOM, CRLF, quotes with commas, doubled quotes and a newline; blank line skipped;
     * blanks around numbers; decimals; numbers with exponents */
    const char *csv = "\xEF\xBB\xBFid,q1,note,q2\r\n"
                      "\"A,1\", 2 ,\"said \"\"hi\"\"\nthere\",4.5\r\n"
                      "\r\n"
                      "B,\"3\",,1e0\r\n"
                      "42,5,x,2.25\r\n";
    ImpactTable *t = read_ok(csv, NULL);
    CU_ASSERT_EQUAL_FATAL(impact_table_n_rows(t), 3);
    gsize id = 0, note = 0;
    CU_ASSERT_TRUE(impact_table_lookup(t, "id", &id, NULL));
    CU_ASSERT_TRUE(impact_table_lookup(t, "note", &note, NULL));
    CU_ASSERT_EQUAL(impact_table_column_type(t, id), IMPACT_COLUMN_TEXT);
    CU_ASSERT_STRING_EQUAL(impact_table_level(t, id, impact_table_codes(t, id)[0]), "A,1");
    /* ids are text even when they look like numbers */
    CU_ASSERT_STRING_EQUAL(impact_table_level(t, id, impact_table_codes(t, id)[2]), "42");
    CU_ASSERT_STRING_EQUAL(impact_table_level(t, note, impact_table_codes(t, note)[0]),
                           "said \"hi\"\nthere");
    CU_ASSERT_EQUAL(impact_table_codes(t, note)[1], IMPACT_TABLE_NA);
    const double *q1 = impact_table_numeric(t, 1), *q2 = impact_table_numeric(t, 3);
    CU_ASSERT_EQUAL(q1[0], 2.0);
    CU_ASSERT_EQUAL(q1[1], 3.0);
    CU_ASSERT_EQUAL(q2[0], 4.5);
    CU_ASSERT_EQUAL(q2[1], 1.0);
    CU_ASSERT_EQUAL(q2[2], 2.25);
    impact_table_free(t);
}

static void
test_exact_numbers(void)
{
    /* the fast path must agree with the correctly rounded strtod */
    const char *texts[] = { "0.1", "4.35", "2.675", "1.0000000000000002", "3.141592653589793",
                            "0.30000000000000004", "-0.0", "123456789012345", "1.5e-3", "4.9999999999999999" };
    GString *csv = g_string_new("id,q1\n");
    for (gsize i = 0; i < G_N_ELEMENTS(texts); i++) {
        g_string_append_printf(csv, "r%zu,%s\n", i, texts[i]);
    }
    ImpactCodebook *cb = impact_codebook_new();
    CU_ASSERT_TRUE(impact_codebook_add_item(cb, "q1", "s", IMPACT_DOMAIN_TEAM, -1e300, 1e300,
                                            FALSE, 1, NULL, NULL));
    ImpactTable *t = test_table(csv->str, cb);
    for (gsize i = 0; i < G_N_ELEMENTS(texts); i++) {
        CU_ASSERT_EQUAL(impact_table_numeric(t, 1)[i], g_ascii_strtod(texts[i], NULL));
    }
    impact_table_free(t);
    impact_codebook_free(cb);
    g_string_free(csv, TRUE);
}

static void
test_missing_and_range(void)
{
    const char *missing[] = { "-99", " 9 ", NULL };
    ImpactReadOptions ro = IMPACT_READ_OPTIONS_INIT;
    ro.missing_codes = missing;
    ImpactTable *t = read_ok("id,q1,q2\nA,-99,9\nB,2,3\n", &ro);
    CU_ASSERT(isnan(impact_table_numeric(t, 1)[0]));
    CU_ASSERT(isnan(impact_table_numeric(t, 2)[0]));
    impact_table_free(t);
    expect_bad("id,q1,q2\nA,1,2\nB,7,3\n", NULL, IMPACT_ERROR_DATA,
               "data.csv:3:2: answer 7 to item 'q1' is outside its range 1 to 5");
    ro.missing_codes = NULL;
    ro.out_of_range = IMPACT_OUT_OF_RANGE_MISSING;
    t = read_ok("id,q1,q2\nA,1,0\nB,7,3\nC,0.5,6\n", &ro);
    CU_ASSERT_EQUAL(impact_table_n_recoded(t, 1), 2);
    CU_ASSERT_EQUAL(impact_table_n_recoded(t, 2), 2);
    CU_ASSERT(isnan(impact_table_numeric(t, 1)[1]));
    CU_ASSERT_EQUAL(impact_table_numeric(t, 1)[0], 1.0);
    impact_table_free(t);
}

static void
test_errors(void)
{
    expect_bad("id,q1\nA,1\n", NULL, IMPACT_ERROR_DATA,
               "data.csv:1:1: 1 codebook item has no column in the header: 'q2'");
    expect_bad("id,q1,q2,q1\nA,1,2,3\n", NULL, IMPACT_ERROR_PARSE,
               "data.csv:1:4: duplicate column 'q1'");
    expect_bad("id,q1,q2\nA,1,2\nB,1\n", NULL, IMPACT_ERROR_PARSE,
               "data.csv:3:3: the row has 2 fields but the header has 3");
    expect_bad("id,q1,q2\nA,1,2,3\n", NULL, IMPACT_ERROR_PARSE,
               "data.csv:2:4: the row has more fields than the header's 3");
    expect_bad("id,q1,q2\nA,1,two\n", NULL, IMPACT_ERROR_DATA,
               "data.csv:2:3: value 'two' of item 'q2' is not a number");
    expect_bad("id,q1,q2\nA,1,inf\n", NULL, IMPACT_ERROR_DATA, "'inf' of item 'q2' is not a number");
    expect_bad("id,q1,q2\nA,1,2\n\"B,1,2\n", NULL, IMPACT_ERROR_PARSE,
               "data.csv:3:1: unterminated quoted field");
    expect_bad("id,q1,q2\nA\"x,1,2\n", NULL, IMPACT_ERROR_PARSE, "data.csv:2:1: stray quote");
    expect_bad("id,q1,q2\n\"A\"x,1,2\n", NULL, IMPACT_ERROR_PARSE,
               "data.csv:2:1: unexpected character 'x' after a closing quote");
    expect_bad("id,,q1,q2\nA,1,2,3\n", NULL, IMPACT_ERROR_PARSE, "data.csv:1:2: empty column name");
    /* line numbers count physical lines, including those inside quotes */
    expect_bad("id,q1,q2\n\"a\nb\",1,2\nC,1,x\n", NULL, IMPACT_ERROR_DATA, "data.csv:4:3:");
    ImpactCodebook *cb = test_codebook(CB);
    ImpactTable *t = NULL;
    GError *err = NULL;
    CU_ASSERT_FALSE(impact_responses_read(&t, "/nonexistent.csv", cb, NULL, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_IO, "/nonexistent.csv");
    ImpactReadOptions ro = IMPACT_READ_OPTIONS_INIT;
    ro.delimiter = '"';
    CU_ASSERT_FALSE(impact_responses_read_buffer(&t, "a", 1, "x", cb, &ro, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "delimiter");
    impact_codebook_free(cb);
}

static void
test_chunks(void)
{
    /* a file read in chunks gives the same rows as a single read */
    gchar *path = test_fixture("bfi.csv");
    gchar *cbpath = test_fixture("bfi-codebook.csv");
    ImpactCodebook *cb = NULL;
    CU_ASSERT_TRUE_FATAL(impact_codebook_read_csv(&cb, cbpath, NULL));
    ImpactTable *whole = NULL;
    CU_ASSERT_TRUE_FATAL(impact_responses_read(&whole, path, cb, NULL, NULL));
    CU_ASSERT_EQUAL(impact_table_n_rows(whole), 2800);
    ImpactReader *r = impact_reader_open(path, cb, NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    gsize row = 0, chunks = 0;
    ImpactTable *chunk = NULL;
    gboolean same = TRUE;
    while (impact_reader_next(r, &chunk, 1000, NULL) && chunk != NULL) {
        for (gsize i = 0; i < impact_table_n_rows(chunk); i++, row++) {
            for (gsize j = 1; j <= 25; j++) {
                double a = impact_table_numeric(chunk, j)[i], b = impact_table_numeric(whole, j)[row];
                same = same && ((isnan(a) && isnan(b)) || a == b);
            }
        }
        chunks++;
        impact_table_free(chunk);
    }
    CU_ASSERT_TRUE(same);
    CU_ASSERT_EQUAL(row, 2800);
    CU_ASSERT_EQUAL(chunks, 3);
    impact_reader_free(r);
    impact_table_free(whole);
    impact_codebook_free(cb);
    g_free(path);
    g_free(cbpath);
}

static CU_TestInfo tests[] = {
    { "empty, header-only, one-row, all-missing files", test_degenerate },
    { "BOM, CRLF, RFC 4180 quoting, blank lines", test_formats },
    { "numbers parse exactly", test_exact_numbers },
    { "missing codes and out-of-range policy", test_missing_and_range },
    { "malformed files: clear errors with file, line, column", test_errors },
    { "chunked reading equals one read", test_chunks },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "read", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int
main(void)
{
    return test_run(suites);
}
