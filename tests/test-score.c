/* test-score.c — scale scores and item descriptives. */
#include "config.h"
#include <string.h>
#include "testutil.h"

static const char *CB = "item,scale,domain,min,max,reverse,weight\n"
                        "a1,s,team,1,5,0,1\n"
                        "a2,s,team,1,5,1,1\n"
                        "a3,s,team,1,5,0,2\n"
                        "a4,s,team,1,5,0,1\n"
                        "b1,t,organisation,0,10,0,1\n";

static ImpactTable *
scores(const char *csv, const ImpactScoreOptions *so)
{
    ImpactCodebook *cb = test_codebook(CB);
    ImpactTable *t = test_table(csv, cb);
    ImpactTable *s = NULL;
    GError *err = NULL;
    CU_ASSERT_TRUE(impact_score_table(&s, t, cb, "id", so, &err));
    if (err) {
        fprintf(stderr, "%s\n", err->message);
        g_error_free(err);
    }
    impact_table_free(t);
    impact_codebook_free(cb);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    return s;
}

static void
test_required(void)
{
    CU_ASSERT_EQUAL(impact_score_required(0.5, 4), 2);
    CU_ASSERT_EQUAL(impact_score_required(0.5, 5), 3); /* at least half of 5 is 3 */
    CU_ASSERT_EQUAL(impact_score_required(0.5, 1), 1);
    CU_ASSERT_EQUAL(impact_score_required(1.0, 4), 1); /* 1 = a count: any item */
    CU_ASSERT_EQUAL(impact_score_required(0.999, 4), 4);
    CU_ASSERT_EQUAL(impact_score_required(3, 4), 3);
    CU_ASSERT_EQUAL(impact_score_required(9, 4), 4);
    CU_ASSERT_EQUAL(impact_score_required(0.01, 4), 1);
}

static void
test_hand(void)
{
    /* Hand calculation, row A: a2 reversed 1+5-2 = 4; weights 1,1,2,1:
     * (1·3 + 1·4 + 2·5 + 1·1)/5 = 18/5 = 3.6. b1 = 7.
     * Row B: a1 = 1, a3 = 2 answered (2 of 4 = half): (1 + 2·2)/3 = 5/3.
     * Row C: only a4 answered: 1 of 4 < half -> missing; b1 missing.
     * Row D: nothing answered -> missing. */
    const char *csv = "id,a1,a2,a3,a4,b1\nA,3,2,5,1,7\nB,1,,2,,0\nC,,,,4,\nD,,,,,\n";
    ImpactTable *s = scores(csv, NULL);
    CU_ASSERT_EQUAL(impact_table_n_columns(s), 3);
    CU_ASSERT_STRING_EQUAL(impact_table_column_name(s, 1), "s");
    const double *x = impact_table_numeric(s, 1), *y = impact_table_numeric(s, 2);
    ASSERT_CLOSE(x[0], 3.6, 1e-15);
    ASSERT_CLOSE(x[1], 5.0 / 3.0, 1e-15);
    CU_ASSERT(isnan(x[2]) && isnan(x[3]));
    CU_ASSERT_EQUAL(y[0], 7.0);
    CU_ASSERT_EQUAL(y[1], 0.0);
    CU_ASSERT(isnan(y[2]));
    impact_table_free(s);

    /* any-item rule (count 1): row C scores a4 = 4 */
    ImpactScoreOptions so = IMPACT_SCORE_OPTIONS_INIT;
    so.min_answered = 1;
    s = scores(csv, &so);
    CU_ASSERT_EQUAL(impact_table_numeric(s, 1)[2], 4.0);
    impact_table_free(s);

    /* prorated sum: mean × Σw = 3.6 × 5 = 18; B: 5/3 × 5 */
    so = (ImpactScoreOptions) IMPACT_SCORE_OPTIONS_INIT;
    so.kind = IMPACT_SCORE_SUM;
    s = scores(csv, &so);
    ASSERT_CLOSE(impact_table_numeric(s, 1)[0], 18.0, 1e-15);
    ASSERT_CLOSE(impact_table_numeric(s, 1)[1], 25.0 / 3.0, 1e-15);
    impact_table_free(s);

    /* POMP: A: 100·(3.6 − 1)/4 = 65; b1 = 7 on 0..10 = 70 */
    so.kind = IMPACT_SCORE_POMP;
    s = scores(csv, &so);
    ASSERT_CLOSE(impact_table_numeric(s, 1)[0], 65.0, 1e-13);
    ASSERT_CLOSE(impact_table_numeric(s, 2)[0], 70.0, 1e-13);
    impact_table_free(s);
}

static void
test_psych_bfi(void)
{
    /* Reference: R 4.2.2, psych 2.2.9:
     *   keys <- list(agreeableness=c("-A1","A2","A3","A4","A5"),
     *     conscientiousness=c("C1","C2","C3","-C4","-C5"),
     *     extraversion=c("-E1","-E2","E3","E4","E5"), neuroticism=c("N1","N2","N3","N4","N5"),
     *     openness=c("O1","-O2","O3","O4","-O5"))
     *   s <- scoreItems(keys, bfi[1:25], impute="none", min=1, max=6)$scores
     * psych scores any row with at least one answer: min_answered = 1 (a count). */
    gchar *cbpath = test_fixture("bfi-codebook.csv"), *path = test_fixture("bfi.csv");
    ImpactCodebook *cb = NULL;
    ImpactTable *t = NULL, *s = NULL;
    CU_ASSERT_TRUE_FATAL(impact_codebook_read_csv(&cb, cbpath, NULL));
    CU_ASSERT_TRUE_FATAL(impact_responses_read(&t, path, cb, NULL, NULL));
    ImpactScoreOptions so = IMPACT_SCORE_OPTIONS_INIT;
    so.min_answered = 1;
    CU_ASSERT_TRUE_FATAL(impact_score_table(&s, t, cb, "id", &so, NULL));
    /* s[1, ], s[2, ] */
    const double r1[] = { 4.0, 2.8, 3.8, 2.8, 3.0 };
    const double r2[] = { 4.2, 4.0, 5.0, 3.8, 4.0 };
    /* rows 9, 12, 35 (each with one missing item): s[c(9,12,35), ] */
    const double r9[] = { 3.6, 4.0, 3.25, 3.6, 5.0 };
    const double r12[] = { 5.0, 3.8, 4.2, 3.5, 3.4 };
    const double r35[] = { 3.8, 3.4, 3.6, 1.75, 4.4 };
    /* colMeans(s, na.rm = TRUE) */
    const double means[] = { 4.6520952380952378, 4.2657321428571429, 4.1450833333333330,
                             3.1622678571428571, 4.5866488095238092 };
    for (gsize k = 0; k < 5; k++) {
        const double *x = impact_table_numeric(s, k + 1);
        ASSERT_CLOSE(x[0], r1[k], 1e-14);
        ASSERT_CLOSE(x[1], r2[k], 1e-14);
        ASSERT_CLOSE(x[8], r9[k], 1e-14);
        ASSERT_CLOSE(x[11], r12[k], 1e-14);
        ASSERT_CLOSE(x[34], r35[k], 1e-14);
        double m;
        impact_stats_mean_var(x, impact_table_n_rows(s), &m, NULL, NULL);
        ASSERT_CLOSE(m, means[k], 1e-13);
    }
    CU_ASSERT_STRING_EQUAL(impact_table_level(s, 0, impact_table_codes(s, 0)[0]), "61617");
    impact_table_free(s);
    impact_table_free(t);
    impact_codebook_free(cb);
    g_free(cbpath);
    g_free(path);
}

static void
test_errors(void)
{
    ImpactCodebook *cb = test_codebook(CB);
    ImpactTable *t = test_table("id,a1,a2,a3,a4,b1\nA,3,2,5,1,7\n", cb);
    ImpactTable *s = NULL;
    GError *err = NULL;
    CU_ASSERT_FALSE(impact_score_table(&s, t, cb, "who", NULL, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "unknown column 'who'");
    ImpactScoreOptions so = IMPACT_SCORE_OPTIONS_INIT;
    so.min_answered = 0;
    CU_ASSERT_FALSE(impact_score_table(&s, t, cb, "id", &so, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "min_answered");
    CU_ASSERT_PTR_NULL(s);
    /* a table without the item columns (built through the API) */
    ImpactTable *u = impact_table_new();
    double v[1] = { 1 };
    CU_ASSERT_TRUE(impact_table_add_numeric(u, "a1", v, 1, NULL));
    CU_ASSERT_FALSE(impact_score_table(&s, u, cb, NULL, NULL, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "item 'a2' has no column");
    impact_table_free(u);
    impact_table_free(t);
    impact_codebook_free(cb);
}

static void
test_describe(void)
{
    ImpactCodebook *cb = test_codebook(CB);
    ImpactTable *t = test_table("id,a1,a2,a3,a4,b1\nA,3,2,5,1,7\nB,1,,2,,0\nC,5,,,4,\n", cb);
    ImpactResult *r = NULL;
    CU_ASSERT_TRUE_FATAL(impact_describe_items(&r, t, cb, NULL));
    /* a1 = 3, 1, 5: mean 3, sd 2 (hand) */
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "items/0/item"), "a1");
    CU_ASSERT_EQUAL(impact_result_number(r, "items/0/n"), 3);
    ASSERT_CLOSE(impact_result_number(r, "items/0/mean"), 3.0, 1e-15);
    ASSERT_CLOSE(impact_result_number(r, "items/0/sd"), 2.0, 1e-15);
    CU_ASSERT_EQUAL(impact_result_number(r, "items/0/frequencies/5"), 1);
    CU_ASSERT_EQUAL(impact_result_number(r, "items/0/frequencies/2"), 0);
    CU_ASSERT_EQUAL(impact_result_length(r, "items/0/frequencies"), 5);
    /* a2: one answer: sd undefined -> null */
    CU_ASSERT_EQUAL(impact_result_number(r, "items/1/missing"), 2);
    CU_ASSERT_EQUAL(impact_result_type(r, "items/1/sd"), IMPACT_VALUE_NULL);
    CU_ASSERT_EQUAL(impact_result_length(r, "items/4/frequencies"), 11);
    impact_result_free(r);
    impact_table_free(t);
    impact_codebook_free(cb);
}

static CU_TestInfo tests[] = {
    { "minimum-answered rule", test_required },
    { "hand-checked scores: keys, weights, rule, sum, POMP", test_hand },
    { "equal to psych::scoreItems on bfi", test_psych_bfi },
    { "errors", test_errors },
    { "item descriptives", test_describe },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "score", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int
main(void)
{
    return test_run(suites);
}
