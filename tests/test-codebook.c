/* test-codebook.c — the codebook: building, reading, contradictions. */
#include "config.h"
#include <string.h>
#include "testutil.h"

static void
test_empty_and_header_only(void)
{
    ImpactCodebook *cb = NULL;
    GError *err = NULL;
    CU_ASSERT_FALSE(impact_codebook_read_buffer(&cb, "", 0, "cb.csv", &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_PARSE, "cb.csv:1:1: empty file");
    const char *h = "item,scale,domain,min,max\n";
    CU_ASSERT_FALSE(impact_codebook_read_buffer(&cb, h, strlen(h), "cb.csv", &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_PARSE, "lists no items");
    CU_ASSERT_PTR_NULL(cb);
    CU_ASSERT_EQUAL(impact_codebook_n_items(NULL), 0);
    impact_codebook_free(NULL);
}

static void
test_read_ok(void)
{
    /* column order free, BOM, CRLF, quoted label with a comma, organization spelling */
    const char *csv = "\xEF\xBB\xBFscale,item,min,max,domain,reverse,weight,label\r\n"
                      "climate,tc1,1,5,team,0,1,\"We trust, and we share\"\r\n"
                      "climate,tc2,1,5,team,yes,2,\r\n"
                      "engage,oe1,0,10,Organization,false,,\r\n";
    ImpactCodebook *cb = test_codebook(csv);
    CU_ASSERT_EQUAL(impact_codebook_n_items(cb), 3);
    CU_ASSERT_EQUAL(impact_codebook_n_scales(cb), 2);
    CU_ASSERT_STRING_EQUAL(impact_codebook_item_label(cb, 0), "We trust, and we share");
    CU_ASSERT_PTR_NULL(impact_codebook_item_label(cb, 1));
    CU_ASSERT_TRUE(impact_codebook_item_reverse(cb, 1));
    CU_ASSERT_FALSE(impact_codebook_item_reverse(cb, 2));
    CU_ASSERT_EQUAL(impact_codebook_item_weight(cb, 1), 2.0);
    CU_ASSERT_EQUAL(impact_codebook_item_weight(cb, 2), 1.0); /* default */
    CU_ASSERT_EQUAL(impact_codebook_scale_domain(cb, 1), IMPACT_DOMAIN_ORGANISATION);
    CU_ASSERT_EQUAL(impact_codebook_scale_n_items(cb, 0), 2);
    CU_ASSERT_EQUAL(impact_codebook_scale_item(cb, 0, 1), 1);
    CU_ASSERT_EQUAL(impact_codebook_scale_index(cb, "engage"), 1);
    CU_ASSERT_EQUAL(impact_codebook_item_index(cb, "nope"), -1);
    double lo, hi;
    CU_ASSERT_TRUE(impact_codebook_scale_range(cb, 1, &lo, &hi));
    CU_ASSERT_EQUAL(lo, 0);
    CU_ASSERT_EQUAL(hi, 10);
    ASSERT_CLOSE(impact_codebook_scale_weight(cb, 0), 1.5, 0); /* (1 + 2) / 2 */
    CU_ASSERT_STRING_EQUAL(impact_domain_name(IMPACT_DOMAIN_TEAM), "team");
    impact_codebook_free(cb);
}

static void
expect_bad(const char *csv, int code, const char *needle)
{
    ImpactCodebook *cb = NULL;
    GError *err = NULL;
    CU_ASSERT_FALSE(impact_codebook_read_buffer(&cb, csv, strlen(csv), "cb.csv", &err));
    CU_ASSERT_PTR_NULL(cb);
    ASSERT_ERROR(&err, code, needle);
}

static void
test_contradictions(void)
{
    expect_bad("item,scale,domain,min\nx,s,team,1\n", IMPACT_ERROR_PARSE, "no 'max' column");
    expect_bad("item,scale,domain,min,max\nx,s,team,5,1\n", IMPACT_ERROR_CODEBOOK,
               "cb.csv:2:1: item 'x': min (5) must be a number below max (1)");
    expect_bad("item,scale,domain,min,max\nx,s,team,1,5\nx,t,team,1,5\n", IMPACT_ERROR_CODEBOOK,
               "cb.csv:3:1: item 'x' is listed twice");
    expect_bad("item,scale,domain,min,max\nx,s,team,1,5\ny,s,individual,1,5\n",
               IMPACT_ERROR_CODEBOOK, "puts scale 's' in domain individual");
    expect_bad("item,scale,domain,min,max\nx,s,country,1,5\n", IMPACT_ERROR_CODEBOOK,
               "cb.csv:2:3: unknown domain 'country'");
    expect_bad("item,scale,domain,min,max\nx,s,team,one,5\n", IMPACT_ERROR_CODEBOOK,
               "cb.csv:2:4: min 'one' is not a number");
    expect_bad("item,scale,domain,min,max,reverse\nx,s,team,1,5,maybe\n", IMPACT_ERROR_CODEBOOK,
               "cb.csv:2:6: reverse 'maybe'");
    expect_bad("item,scale,domain,min,max,weight\nx,s,team,1,5,-1\n", IMPACT_ERROR_CODEBOOK,
               "weight must be a positive number");
    expect_bad("item,scale,domain,min,max\nx,s,team,1,5,9\n", IMPACT_ERROR_PARSE,
               "cb.csv:2:6: the row has 6 fields but the header has 5");
    expect_bad("item,scale,domain,min,max\nx,,team,1,5\n", IMPACT_ERROR_CODEBOOK, "has no scale");
    expect_bad("item,scale,domain,min,max,item\nx,s,team,1,5,y\n", IMPACT_ERROR_PARSE,
               "duplicate column");
    expect_bad("item,scale,domain,min,max\n\"x,s,team,1,5\n", IMPACT_ERROR_PARSE, "unterminated");
    GError *err = NULL;
    ImpactCodebook *cb = NULL;
    CU_ASSERT_FALSE(impact_codebook_read_csv(&cb, "/nonexistent/cb.csv", &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_IO, "/nonexistent/cb.csv");
}

static void
test_api(void)
{
    ImpactCodebook *cb = impact_codebook_new();
    GError *err = NULL;
    CU_ASSERT_TRUE(impact_codebook_add_item(cb, "a", "s", IMPACT_DOMAIN_TEAM, 1, 5, FALSE, 1, NULL,
                                            &err));
    CU_ASSERT_FALSE(impact_codebook_add_item(cb, "b", "s", IMPACT_DOMAIN_TEAM, 1, NAN, FALSE, 1,
                                             NULL, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_CODEBOOK, "item 'b'");
    CU_ASSERT_FALSE(impact_codebook_add_item(cb, "", "s", IMPACT_DOMAIN_TEAM, 1, 5, FALSE, 1, NULL,
                                             &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_CODEBOOK, "needs a name");
    CU_ASSERT_EQUAL(impact_codebook_n_items(cb), 1); /* unchanged by failures */
    CU_ASSERT_TRUE(impact_codebook_add_item(cb, "b", "s", IMPACT_DOMAIN_TEAM, 0, 5, FALSE, 1, NULL,
                                            &err));
    double lo, hi;
    CU_ASSERT_FALSE(impact_codebook_scale_range(cb, 0, &lo, &hi)); /* mixed ranges */
    CU_ASSERT_EQUAL(lo, 0);
    CU_ASSERT_EQUAL(hi, 5);
    ImpactDomain d;
    CU_ASSERT_TRUE(impact_domain_parse(" Organisation ", &d, NULL));
    CU_ASSERT_EQUAL(d, IMPACT_DOMAIN_ORGANISATION);
    CU_ASSERT_FALSE(impact_domain_parse("x", &d, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "unknown domain 'x'");
    impact_codebook_free(cb);
}

static CU_TestInfo tests[] = {
    { "empty and header-only codebooks", test_empty_and_header_only },
    { "reading a codebook", test_read_ok },
    { "contradictions and malformed codebooks", test_contradictions },
    { "building through the API", test_api },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "codebook", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int
main(void)
{
    return test_run(suites);
}
