/* test-table.c — ImpactTable built through the API, and ImpactResult. */
#include "config.h"
#include <string.h>
#include "testutil.h"

static void
test_table_api(void)
{
    ImpactTable *t = impact_table_new();
    CU_ASSERT_EQUAL(impact_table_n_rows(t), 0);
    CU_ASSERT_EQUAL(impact_table_column_index(t, "x"), -1);
    double x[3] = { 1.5, NAN, 3 };
    const char *team[3] = { "t1", NULL, "t1" };
    int codes[3] = { 1, 0, -1 };
    const char *levels[2] = { "pre", "post" };
    GError *err = NULL;
    CU_ASSERT_TRUE(impact_table_add_numeric(t, "x", x, 3, &err));
    CU_ASSERT_TRUE(impact_table_add_text(t, "team", team, 3, &err));
    CU_ASSERT_TRUE(impact_table_add_factor(t, "wave", codes, 3, levels, 2, &err));
    CU_ASSERT_EQUAL(impact_table_n_rows(t), 3);
    CU_ASSERT_EQUAL(impact_table_n_levels(t, 1), 1);
    CU_ASSERT_EQUAL(impact_table_codes(t, 1)[1], IMPACT_TABLE_NA);
    CU_ASSERT_STRING_EQUAL(impact_table_level(t, 2, impact_table_codes(t, 2)[0]), "post");
    CU_ASSERT_EQUAL(impact_table_codes(t, 2)[2], IMPACT_TABLE_NA);
    CU_ASSERT_PTR_NULL(impact_table_numeric(t, 1));
    CU_ASSERT_PTR_NULL(impact_table_codes(t, 0));
    /* errors leave the table unchanged */
    CU_ASSERT_FALSE(impact_table_add_numeric(t, "x", x, 3, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "duplicate column 'x'");
    CU_ASSERT_FALSE(impact_table_add_numeric(t, "y", x, 2, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "has 2 rows but the table has 3");
    CU_ASSERT_FALSE(impact_table_add_factor(t, "z", codes, 3, levels, 1, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "code 1 but only 1 levels");
    const char *dup[2] = { "a", "a" };
    CU_ASSERT_FALSE(impact_table_add_factor(t, "z", codes, 3, dup, 2, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "level 'a' appears twice");
    CU_ASSERT_FALSE(impact_table_add_numeric(t, "", x, 3, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "non-empty name");
    CU_ASSERT_EQUAL(impact_table_n_columns(t), 3);
    CU_ASSERT_FALSE(impact_table_lookup(t, "nope", NULL, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "unknown column 'nope' (columns are: x, team, wave)");
    char *csv = impact_table_to_csv(t);
    CU_ASSERT_STRING_EQUAL(csv, "x,team,wave\n1.5,t1,post\n,,pre\n3,t1,\n");
    g_free(csv);
    char *cell = impact_table_cell_string(t, 0, 0);
    CU_ASSERT_STRING_EQUAL(cell, "1.5");
    g_free(cell);
    CU_ASSERT_PTR_NULL(impact_table_cell_string(t, 0, 1));
    /* filter keeps rows in order, with every column and level */
    gboolean keep[3] = { FALSE, TRUE, TRUE };
    ImpactTable *f = NULL;
    CU_ASSERT_TRUE_FATAL(impact_table_filter(&f, t, keep, 3, &err));
    csv = impact_table_to_csv(f);
    CU_ASSERT_STRING_EQUAL(csv, "x,team,wave\n,,pre\n3,t1,\n");
    g_free(csv);
    CU_ASSERT_FALSE(impact_table_filter(&f, t, keep, 2, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "2 flags for a table of 3 rows");
    impact_table_free(f);
    impact_table_free(t);
    impact_table_free(NULL);
}

static void
test_blank_text(void)
{
    /* "" is missing in text and factor columns, as an empty CSV field
     * (R's read.csv keeps empty strings as "") */
    ImpactTable *t = impact_table_new();
    GError *err = NULL;
    const char *text[3] = { "", "a", NULL };
    const char *levels[2] = { "b", "" };
    int codes[3] = { 1, 0, 1 };
    CU_ASSERT_TRUE(impact_table_add_text(t, "text", text, 3, &err));
    CU_ASSERT_TRUE(impact_table_add_factor(t, "factor", codes, 3, levels, 2, &err));
    CU_ASSERT_EQUAL(impact_table_codes(t, 0)[0], IMPACT_TABLE_NA);
    CU_ASSERT_EQUAL(impact_table_codes(t, 0)[2], IMPACT_TABLE_NA);
    CU_ASSERT_EQUAL(impact_table_n_levels(t, 0), 1);
    CU_ASSERT_EQUAL(impact_table_codes(t, 1)[0], IMPACT_TABLE_NA);
    CU_ASSERT_EQUAL(impact_table_codes(t, 1)[2], IMPACT_TABLE_NA);
    CU_ASSERT_STRING_EQUAL(impact_table_level(t, 1, impact_table_codes(t, 1)[1]), "b");
    CU_ASSERT_EQUAL(impact_table_n_levels(t, 1), 1);
    char *csv = impact_table_to_csv(t);
    CU_ASSERT_STRING_EQUAL(csv, "text,factor\n,\na,b\n,\n");
    g_free(csv);
    impact_table_free(t);
}

static void
test_moments(void)
{
    /* chunked + merged moments equal one pass; var of 1..10 = 55/6 (hand) */
    ImpactMoments all = { 0 }, a = { 0 }, b = { 0 };
    for (int i = 1; i <= 10; i++) {
        impact_moments_add(&all, i);
        impact_moments_add(i <= 3 ? &a : &b, i);
    }
    impact_moments_add(&all, NAN);
    impact_moments_merge(&a, &b);
    ASSERT_CLOSE(impact_moments_var(&all), 55.0 / 6.0, 1e-15);
    ASSERT_CLOSE(impact_moments_var(&a), 55.0 / 6.0, 1e-15);
    ASSERT_CLOSE(impact_moments_mean(&a), 5.5, 1e-15);
    ImpactMoments one = { 0 };
    CU_ASSERT(isnan(impact_moments_mean(&one)));
    impact_moments_add(&one, 2);
    CU_ASSERT(isnan(impact_moments_var(&one)));
    /* Hedges' J, exact Γ form (REFERENCE.md: J(9) = 0.9138748918, J(18) = 0.9576464270) */
    ASSERT_CLOSE(impact_stats_hedges_j(9), 0.9138748918, 1e-10);
    ASSERT_CLOSE(impact_stats_hedges_j(18), 0.9576464270, 1e-10);
    CU_ASSERT(isnan(impact_stats_hedges_j(1)));
}

static void
test_result(void)
{
    ImpactCodebook *cb = test_codebook("item,scale,domain,min,max\nq,s,team,1,5\n");
    ImpactTable *t = test_table("id,q\n\"a,b\",1\nc,2\n", cb);
    ImpactResult *r = NULL;
    CU_ASSERT_TRUE_FATAL(impact_describe_items(&r, t, cb, NULL));
    char *json = impact_result_to_json(r, FALSE);
    CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"mean\":1.5,"));
    CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"frequencies\":{\"1\":1,\"2\":1,\"3\":0,"));
    g_free(json);
    CU_ASSERT_EQUAL(impact_result_type(r, "items/0/nope"), IMPACT_VALUE_ABSENT);
    CU_ASSERT_EQUAL(impact_result_type(r, "items/9"), IMPACT_VALUE_ABSENT);
    CU_ASSERT_EQUAL(impact_result_type(r, "items"), IMPACT_VALUE_ARRAY);
    CU_ASSERT_STRING_EQUAL(impact_result_key(r, "items/0", 0), "item");
    CU_ASSERT(isnan(impact_result_number(r, "items/0/item")));
    char *csv = impact_result_format_table(r, "items", IMPACT_TABLE_CSV, NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(csv, "item,scale,domain,reverse,n,missing,mean,sd,min,max"));
    CU_ASSERT_PTR_NOT_NULL(strstr(csv, "q,s,team,false,2,0,1.5,0.7071067811865476,1,2"));
    g_free(csv);
    GError *err = NULL;
    CU_ASSERT_PTR_NULL(impact_result_format_table(r, "nothing", IMPACT_TABLE_TEXT, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "'nothing' does not name an array");
    impact_result_free(r);
    impact_result_free(NULL);
    impact_table_free(t);
    impact_codebook_free(cb);
}

static CU_TestInfo tests[] = {
    { "tables through the API", test_table_api },
    { "empty strings are missing text", test_blank_text },
    { "moments merge, Hedges J", test_moments },
    { "results: paths, JSON, tables", test_result },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "table", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int
main(void)
{
    return test_run(suites);
}
