/* test-agreement.c — within-group agreement, ICC, design effect and the
 * agreement analysis with disclosure control.
 *
 * Reference values: multilevel 2.7 (Debian r-cran-multilevel) on its own
 * data sets lq2002, bh1996 and cohesion, written to tests/data/agreement-*.csv
 * and computed by tests/data/agreement-make.R (output kept in
 * tests/data/agreement-reference.txt); each value below names its R call.
 * Hand calculations are worked out in comments. */
#include "config.h"
#include <string.h>
#include "testutil.h"

#define TOL 1e-12

static ImpactCodebook *
fixture_codebook(const char *name)
{
    g_autofree char *path = test_fixture(name);
    ImpactCodebook *cb = NULL;
    GError *err = NULL;
    CU_ASSERT_TRUE(impact_codebook_read_csv(&cb, path, &err));
    if (err) {
        fprintf(stderr, "%s\n", err->message);
        g_error_free(err);
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(cb);
    return cb;
}

static ImpactTable *
fixture_table(const char *name, const ImpactCodebook *cb)
{
    g_autofree char *path = test_fixture(name);
    ImpactTable *t = NULL;
    GError *err = NULL;
    CU_ASSERT_TRUE(impact_responses_read(&t, path, cb, NULL, &err));
    if (err) {
        fprintf(stderr, "%s\n", err->message);
        g_error_free(err);
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    return t;
}

static ImpactResult *
agree(const ImpactTable *t, const ImpactCodebook *cb, const ImpactAgreementOptions *o)
{
    ImpactResult *r = NULL;
    GError *err = NULL;
    CU_ASSERT_TRUE(impact_agreement(&r, t, cb, o, &err));
    if (err) {
        fprintf(stderr, "%s\n", err->message);
        g_error_free(err);
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    return r;
}

/* Index of scale @scale in the result. */
static gsize
scale_at(const ImpactResult *r, const char *scale)
{
    for (gsize s = 0; s < impact_result_length(r, "scales"); s++) {
        g_autofree char *p = g_strdup_printf("scales/%zu/scale", s);
        if (g_strcmp0(impact_result_string(r, p), scale) == 0) {
            return s;
        }
    }
    CU_FAIL_FATAL("no such scale");
    return 0;
}

/* Number @key of group @group (and @parent, or any if NULL) of @scale in
 * array @array ("groups", "parents/groups"); NaN if the group is absent. */
static double
gnum(const ImpactResult *r, const char *scale, const char *array, const char *group,
     const char *parent, const char *key)
{
    gsize s = scale_at(r, scale);
    g_autofree char *arr = g_strdup_printf("scales/%zu/%s", s, array);
    for (gsize g = 0; g < impact_result_length(r, arr); g++) {
        g_autofree char *pg = g_strdup_printf("%s/%zu/group", arr, g);
        g_autofree char *pp = g_strdup_printf("%s/%zu/parent", arr, g);
        if (g_strcmp0(impact_result_string(r, pg), group) == 0
            && (parent == NULL || g_strcmp0(impact_result_string(r, pp), parent) == 0)) {
            g_autofree char *pk = g_strdup_printf("%s/%zu/%s", arr, g, key);
            return impact_result_number(r, pk);
        }
    }
    return NAN;
}

static double
snum(const ImpactResult *r, const char *scale, const char *key)
{
    g_autofree char *p = g_strdup_printf("scales/%zu/%s", scale_at(r, scale), key);
    return impact_result_number(r, p);
}

/* ---- kernels ------------------------------------------------------------ */

static void
test_null_variance(void)
{
    double v = 0;
    GError *err = NULL;
    /* uniform (A² − 1)/12: A = 5 → 2 (multilevel's default ranvar = 2),
     * A = 25 → 52, A = 6 → 35/12 */
    CU_ASSERT_TRUE(impact_agreement_null_variance(&v, 1, 5, IMPACT_NULL_UNIFORM, &err));
    ASSERT_CLOSE(v, 2.0, 1e-15);
    CU_ASSERT_TRUE(impact_agreement_null_variance(&v, 0, 24, IMPACT_NULL_UNIFORM, &err));
    ASSERT_CLOSE(v, 52.0, 1e-15);
    CU_ASSERT_TRUE(impact_agreement_null_variance(&v, 0, 5, IMPACT_NULL_UNIFORM, &err));
    ASSERT_CLOSE(v, 35.0 / 12.0, 1e-15);
    CU_ASSERT_TRUE(impact_agreement_null_variance(&v, 1, 2, IMPACT_NULL_UNIFORM, &err));
    ASSERT_CLOSE(v, 0.25, 1e-15);
    /* LeBreton & Senter (2008) as REFERENCE.md §2.8 */
    CU_ASSERT_TRUE(impact_agreement_null_variance(&v, 1, 5, IMPACT_NULL_SLIGHT_SKEW, &err));
    CU_ASSERT_EQUAL(v, 1.34);
    CU_ASSERT_TRUE(impact_agreement_null_variance(&v, 0, 4, IMPACT_NULL_MODERATE_SKEW, &err));
    CU_ASSERT_EQUAL(v, 0.90);
    CU_ASSERT_TRUE(impact_agreement_null_variance(&v, 1, 11, IMPACT_NULL_HEAVY_SKEW, &err));
    CU_ASSERT_EQUAL(v, 4.02);
    CU_ASSERT_TRUE(impact_agreement_null_variance(&v, 1, 7, IMPACT_NULL_TRIANGULAR, &err));
    CU_ASSERT_EQUAL(v, 2.10);
    CU_ASSERT_TRUE(impact_agreement_null_variance(&v, 1, 9, IMPACT_NULL_NORMAL, &err));
    CU_ASSERT_EQUAL(v, 1.58);
    v = -1;
    CU_ASSERT_FALSE(impact_agreement_null_variance(&v, 1, 4, IMPACT_NULL_SLIGHT_SKEW, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "for 5 to 11 response options only, not 4");
    CU_ASSERT_EQUAL(v, -1); /* untouched */
    CU_ASSERT_FALSE(impact_agreement_null_variance(&v, 0, 1.5, IMPACT_NULL_UNIFORM, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "whole steps");

    ImpactNullDistribution d = IMPACT_NULL_UNIFORM;
    CU_ASSERT_TRUE(impact_null_distribution_parse(" Heavy_Skew ", &d, &err));
    CU_ASSERT_EQUAL(d, IMPACT_NULL_HEAVY_SKEW);
    CU_ASSERT_STRING_EQUAL(impact_null_distribution_name(d), "heavy");
    CU_ASSERT_FALSE(impact_null_distribution_parse("bimodal", &d, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "unknown null distribution 'bimodal'");
}

static void
test_kernels(void)
{
    /* rwg = 1 − s²/σ²: s² = 1, σ² = 2 → 0.5; s² = 3 > σ² → 0 (truncated)
     * or −0.5 (untruncated); NaN variance (n < 2) → NaN */
    ASSERT_CLOSE(impact_agreement_rwg(1, 2, TRUE), 0.5, 1e-15);
    CU_ASSERT_EQUAL(impact_agreement_rwg(3, 2, TRUE), 0.0);
    ASSERT_CLOSE(impact_agreement_rwg(3, 2, FALSE), -0.5, 1e-15);
    ASSERT_NAN(impact_agreement_rwg(NAN, 2, TRUE));
    ASSERT_NAN(impact_agreement_rwg(1, 0, TRUE));
    /* rwg(j), s̄² = 1, J = 3, σ² = 2: 3·0.5/(3·0.5 + 0.5) = 0.75;
     * Lindell 1 − 0.5 = 0.5; J = 1 equals rwg; s̄² > σ² → 0 */
    ASSERT_CLOSE(impact_agreement_rwg_j(1, 3, 2, FALSE), 0.75, 1e-15);
    ASSERT_CLOSE(impact_agreement_rwg_j(1, 3, 2, TRUE), 0.5, 1e-15);
    ASSERT_CLOSE(impact_agreement_rwg_j(1, 1, 2, FALSE), impact_agreement_rwg(1, 2, TRUE), 1e-15);
    CU_ASSERT_EQUAL(impact_agreement_rwg_j(2.5, 4, 2, FALSE), 0.0);
    ASSERT_CLOSE(impact_agreement_rwg_j(2.5, 4, 2, TRUE), -0.25, 1e-15);
    ASSERT_NAN(impact_agreement_rwg_j(1, 0, 2, FALSE));
    ASSERT_NAN(impact_agreement_rwg_j(NAN, 3, 2, FALSE));

    /* AD: {1, 2, 2, 5} (+ a missing value): mean 2.5 → (1.5 + .5 + .5 +
     * 2.5)/4 = 1.25; median 2 → (1 + 0 + 0 + 3)/4 = 1; n < 2 → NaN */
    const double x[] = { 1, 2, NAN, 2, 5 };
    ASSERT_CLOSE(impact_agreement_ad(x, 5, FALSE), 1.25, 1e-15);
    ASSERT_CLOSE(impact_agreement_ad(x, 5, TRUE), 1.0, 1e-15);
    ASSERT_NAN(impact_agreement_ad(x, 1, FALSE));
    ASSERT_NAN(impact_agreement_ad(x + 2, 1, TRUE));
    /* odd n median {1, 2, 5}: 2 → (1 + 0 + 3)/3 */
    const double y[] = { 5, 1, 2 };
    ASSERT_CLOSE(impact_agreement_ad(y, 3, TRUE), 4.0 / 3.0, 1e-15);

    /* awg: {2, 3, 4} on 1..5: M = 3, s² = 1, n = 3: max variance
     * [(5 + 1)·3 − 9 − 5]·3/2 = 6 → 1 − 2/6 = 2/3; M = H → 1;
     * M = 2 < (1·2 + 5)/3 (too near the end for n = 3) → NaN; n = 1 → NaN */
    ASSERT_CLOSE(impact_agreement_awg(3, 1, 3, 1, 5), 2.0 / 3.0, 1e-15);
    ASSERT_NAN(impact_agreement_awg(2, 1, 3, 1, 5));
    CU_ASSERT_EQUAL(impact_agreement_awg(5, 0, 4, 1, 5), 1.0);
    CU_ASSERT_EQUAL(impact_agreement_awg(1, 0, 4, 1, 5), 1.0);
    ASSERT_NAN(impact_agreement_awg(1.2, 0.1, 3, 1, 5));
    ASSERT_NAN(impact_agreement_awg(3, NAN, 1, 1, 5));

    /* ICC: groups {1,2,3} and {4,5,6}: means 2, 5, M2 = 2 each; grand 3.5;
     * SSB = 3·2.25·2 = 13.5 = MSB (df 1); SSW = 4, MSW = 4/4 = 1; k̄ = 3;
     * ICC1 = 12.5/(13.5 + 2·1) = 12.5/15.5; ICC2 = 12.5/13.5; F = 13.5.
     * A third group with n = 0 is ignored. */
    const double n[] = { 3, 3, 0 }, mean[] = { 2, 5, 99 }, m2[] = { 2, 2, 0 };
    ImpactGroupIcc icc;
    impact_agreement_icc(&icc, n, mean, m2, 3);
    CU_ASSERT_EQUAL(icc.n, 6);
    CU_ASSERT_EQUAL(icc.n_groups, 2);
    ASSERT_CLOSE(icc.ms_between, 13.5, 1e-15);
    ASSERT_CLOSE(icc.ms_within, 1.0, 1e-15);
    ASSERT_CLOSE(icc.f, 13.5, 1e-15);
    ASSERT_CLOSE(icc.icc1, 12.5 / 15.5, 1e-15);
    ASSERT_CLOSE(icc.icc2, 12.5 / 13.5, 1e-15);
    ASSERT_CLOSE(icc.grand_mean, 3.5, 1e-15);
    /* negative ICC(1) is not truncated: means equal, within variance > 0:
     * MSB = 0 → ICC1 = −MSW/((k̄−1)MSW) = −1/(k̄ − 1) = −0.5, ICC2 = NaN */
    const double eqm[] = { 2, 2 };
    impact_agreement_icc(&icc, n, eqm, m2, 2);
    ASSERT_CLOSE(icc.icc1, -0.5, 1e-15);
    ASSERT_NAN(icc.icc2);
    /* one group: no df between; singletons: no df within */
    impact_agreement_icc(&icc, n, mean, m2, 1);
    ASSERT_NAN(icc.icc1);
    ASSERT_NAN(icc.ms_between);
    const double ones[] = { 1, 1 }, zero[] = { 0, 0 };
    impact_agreement_icc(&icc, ones, mean, zero, 2);
    ASSERT_NAN(icc.icc1);
    ASSERT_NAN(icc.ms_within);
    impact_agreement_icc(&icc, n, mean, m2, 0);
    CU_ASSERT_EQUAL(icc.n, 0);
    CU_ASSERT_EQUAL(icc.n_groups, 0);
    ASSERT_NAN(icc.icc1);
    ASSERT_NAN(icc.df_between);
    ASSERT_NAN(icc.df_within);
    ASSERT_NAN(icc.mean_size);
    ASSERT_NAN(icc.grand_mean);

    /* design effect: sizes 2 and 4, ICC 0.1: m̄ = 3 → Kish 1.2; Σm²/Σm =
     * 20/6 → 1 + (10/3 − 1)·0.1 (= (1 + CV²)m̄ with CV² = 1/9) */
    const double sz[] = { 2, 4, 0 };
    ASSERT_CLOSE(impact_agreement_design_effect(3, 0.1), 1.2, 1e-15);
    ASSERT_CLOSE(impact_agreement_design_effect_unequal(sz, 3, 0.1), 1.0 + (7.0 / 3.0) * 0.1,
                 1e-15);
    ASSERT_NAN(impact_agreement_design_effect_unequal(sz + 2, 1, 0.1));
    ASSERT_CLOSE(impact_agreement_effective_n(100, 2), 50, 1e-15);
    ASSERT_NAN(impact_agreement_effective_n(100, 0));
    ASSERT_NAN(impact_agreement_effective_n(100, NAN));
}

/* ---- multilevel 2.7 on lq2002 --------------------------------------------- */

static void
test_lq2002(void)
{
    ImpactCodebook *cb = fixture_codebook("agreement-lq2002-codebook.csv");
    ImpactTable *t = fixture_table("agreement-lq2002.csv", cb);
    ImpactAgreementOptions o = IMPACT_AGREEMENT_OPTIONS_INIT;
    o.group = "COMPID";
    o.min_group = 1; /* show every group, as R does */
    ImpactResult *r = agree(t, cb, &o);

    /* ICC1/ICC2(aov(rowMeans(x) ~ as.factor(COMPID))), multilevel 2.7 */
    ASSERT_CLOSE(snum(r, "lead", "icc1"), 0.087956218521601084, TOL);
    ASSERT_CLOSE(snum(r, "lead", "icc2"), 0.80075437301325969, TOL);
    ASSERT_CLOSE(snum(r, "tsig", "icc1"), 0.080383999563745798, TOL);
    ASSERT_CLOSE(snum(r, "tsig", "icc2"), 0.7846078391706891, TOL);
    ASSERT_CLOSE(snum(r, "hostile", "icc1"), 0.054004942791579032, TOL);
    ASSERT_CLOSE(snum(r, "hostile", "icc2"), 0.704059183926384, TOL);
    CU_ASSERT_EQUAL(snum(r, "lead", "n"), 2042);
    CU_ASSERT_EQUAL(snum(r, "lead", "n_groups"), 49);
    /* n <- table(COMPID); 1 + (mean(n) − 1)·ICC1; 1 + (sum(n^2)/sum(n) − 1)·ICC1 */
    ASSERT_CLOSE(snum(r, "lead", "design_effect"), 4.5774845615010404, TOL);
    ASSERT_CLOSE(snum(r, "lead", "design_effect_unequal"), 6.148669300844281, TOL);
    ASSERT_CLOSE(snum(r, "hostile", "design_effect_unequal"), 4.1612726845068684, TOL);
    ASSERT_CLOSE(snum(r, "lead", "n_effective"), 2042 / 4.5774845615010404, TOL);
    /* mean(rwg.j(x, COMPID, ranvar = 2)$rwg.j) and mean(... >= 0.70) */
    ASSERT_CLOSE(snum(r, "lead", "mean_rwg_j"), 0.86778490000362629, TOL);
    ASSERT_CLOSE(snum(r, "lead", "share_rwg_j_above"), 1.0, TOL);
    ASSERT_CLOSE(snum(r, "tsig", "mean_rwg_j"), 0.58471264955825397, TOL);
    ASSERT_CLOSE(snum(r, "tsig", "share_rwg_j_above"), 0.26530612244897961, TOL);
    ASSERT_CLOSE(snum(r, "hostile", "mean_rwg_j"), 0.56489607495092264, TOL);
    ASSERT_CLOSE(snum(r, "hostile", "share_rwg_j_above"), 0.40816326530612246, TOL);
    CU_ASSERT_EQUAL(snum(r, "hostile", "n_groups_rwg_j"), 49);

    /* per group: rwg.j(ranvar=2), ad.m(type="mean"/"median"), awg(range),
     * and n, mean(rowMeans), sd(rowMeans) */
    static const struct {
        const char *scale, *grp;
        double rwg, ad_mean, ad_median, awg, n, mean, sd;
    } ref[] = {
        { "lead", "2", 0.80752725839646189, 1.0205176767676767, 0.97348484848484851,
          0.29257509052556391, 24, 2.8825757575757573, 0.87010441122287885 },
        { "lead", "41", 0.89774738670139931, 0.88341999880461419, 0.82750582750582746,
          0.41574729012112466, 78, 2.8624708624708624, 0.6700869706165774 },
        { "lead", "17", 0.94183006535947711, 0.66181818181818186, 0.57272727272727275,
          0.62267612930625815, 10, 3.209090909090909, 0.62552090322171439 },
        { "tsig", "2", 0.6329842931937173, 0.85069444444444442, 0.79166666666666663,
          0.32911036755127548, 24, 3.5416666666666665, 0.87814307814870529 },
        { "tsig", "41", 0.66942224953902885, 0.87990357221126458, 0.85470085470085466,
          0.38780636013349978, 78, 2.7948717948717947, 0.90410442837363503 },
        { "tsig", "17", 0.51699029126213591, 0.97333333333333327, 0.93333333333333335,
          0.31223893065998332, 10, 3, 1.0540925533894598 },
        { "hostile", "2", 0, 1.1833333333333333, 0.97499999999999998, -0.33555055492345598, 24,
          1.0416666666666667, 1.221516045443269 },
        { "hostile", "41", 0.57942405945192754, 1.0025641025641026, 0.82564102564102559,
          -0.1377628078183582, 78, 0.92307692307692313, 0.99465102891952473 },
        { "hostile", "17", 0.6345733041575492, 0.88800000000000001, 0.71999999999999997,
          -0.11360294117647056, 10, 0.88, 1.0591401124392268 },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(ref); i++) {
        const char *s = ref[i].scale, *g = ref[i].grp;
        ASSERT_CLOSE(gnum(r, s, "groups", g, NULL, "rwg_j"), ref[i].rwg, TOL);
        ASSERT_CLOSE(gnum(r, s, "groups", g, NULL, "ad_mean"), ref[i].ad_mean, TOL);
        ASSERT_CLOSE(gnum(r, s, "groups", g, NULL, "ad_median"), ref[i].ad_median, TOL);
        ASSERT_CLOSE(gnum(r, s, "groups", g, NULL, "awg"), ref[i].awg, TOL);
        CU_ASSERT_EQUAL(gnum(r, s, "groups", g, NULL, "n"), ref[i].n);
        ASSERT_CLOSE(gnum(r, s, "groups", g, NULL, "mean"), ref[i].mean, TOL);
        ASSERT_CLOSE(gnum(r, s, "groups", g, NULL, "sd"), ref[i].sd, TOL);
    }
    impact_result_free(r);

    /* slight-skew null (LeBreton & Senter, A = 5: 1.34): rwg.j(x, COMPID, ranvar = 1.34) */
    o.null_distribution = IMPACT_NULL_SLIGHT_SKEW;
    r = agree(t, cb, &o);
    CU_ASSERT_EQUAL(snum(r, "lead", "null_variance"), 1.34);
    CU_ASSERT_EQUAL(gnum(r, "lead", "groups", "2", NULL, "rwg_j"), 0.0); /* truncated */
    ASSERT_CLOSE(gnum(r, "lead", "groups", "41", NULL, "rwg_j"), 0.6925347219607082, TOL);
    ASSERT_CLOSE(gnum(r, "lead", "groups", "17", NULL, "rwg_j"), 0.87831555920153137, TOL);
    ASSERT_CLOSE(gnum(r, "tsig", "groups", "2", NULL, "rwg_j"), 0.14202487026338995, TOL);
    impact_result_free(r);

    /* k = 11: the three companies of 10 people (14, 17, 37) are suppressed
     * (30 people together >= k: nothing more); pooled over the 46 others
     * (agreement-make.R, "lead k=11", aov on the subset with n >= 11) */
    o.null_distribution = IMPACT_NULL_UNIFORM;
    o.min_group = 11;
    r = agree(t, cb, &o);
    CU_ASSERT_EQUAL(impact_result_length(r, "scales/0/suppressed"), 3);
    CU_ASSERT_EQUAL(snum(r, "lead", "n_groups_pooled"), 46);
    CU_ASSERT_EQUAL(snum(r, "lead", "n_pooled"), 2042 - 30);
    CU_ASSERT_EQUAL(snum(r, "lead", "n"), 2042);
    ASSERT_CLOSE(snum(r, "lead", "icc1"), 0.088448997484007516, TOL);
    ASSERT_CLOSE(snum(r, "lead", "icc2"), 0.80930825825984487, TOL);
    ASSERT_CLOSE(snum(r, "lead", "design_effect_unequal"), 6.2428450983785808, TOL);
    ASSERT_CLOSE(snum(r, "lead", "mean_rwg_j"), 0.86574235412113332, TOL);
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "scales/0/suppressed/0/reason"), "primary");
    CU_ASSERT_EQUAL(impact_result_type(r, "scales/0/suppressed/0/n"), IMPACT_VALUE_ABSENT);
    impact_result_free(r);
    o.min_group = 1;

    /* Lindell: rwg.j.lindell(x, COMPID, ranvar = 2)$rwg.lindell */
    o.lindell = TRUE;
    r = agree(t, cb, &o);
    ASSERT_CLOSE(gnum(r, "lead", "groups", "2", NULL, "rwg_j"), 0.27610342555994727, TOL);
    ASSERT_CLOSE(gnum(r, "lead", "groups", "41", NULL, "rwg_j"), 0.44387430751067114, TOL);
    ASSERT_CLOSE(gnum(r, "hostile", "groups", "2", NULL, "rwg_j"), -0.039311594202898537, TOL);
    ASSERT_CLOSE(gnum(r, "tsig", "groups", "17", NULL, "rwg_j"), 0.26296296296296295, TOL);
    impact_result_free(r);
    impact_table_free(t);
    impact_codebook_free(cb);
}

/* ---- multilevel 2.7 on bh1996: one-item scales, answers off the grid ---- */

static void
test_bh1996(void)
{
    ImpactCodebook *cb = fixture_codebook("agreement-bh1996-codebook.csv");
    ImpactTable *t = fixture_table("agreement-bh1996.csv", cb);
    ImpactAgreementOptions o = IMPACT_AGREEMENT_OPTIONS_INIT;
    o.group = "GRP";
    o.min_group = 1;
    ImpactResult *r = agree(t, cb, &o);
    /* ICC1/ICC2(aov(V ~ as.factor(GRP))) */
    ASSERT_CLOSE(snum(r, "hrs", "icc1"), 0.1331066790864868, TOL);
    ASSERT_CLOSE(snum(r, "hrs", "icc2"), 0.91967319537908654, TOL);
    ASSERT_CLOSE(snum(r, "cohes", "icc1"), 0.044265297557141162, TOL);
    ASSERT_CLOSE(snum(r, "cohes", "icc2"), 0.77545967777155167, TOL);
    ASSERT_CLOSE(snum(r, "wbeing", "icc1"), 0.043369050077108215, TOL);
    ASSERT_CLOSE(snum(r, "wbeing", "icc2"), 0.7717128755404129, TOL);
    CU_ASSERT_EQUAL(snum(r, "hrs", "n_groups"), 99);
    /* mean(rwg(V, GRP, ranvar = (A^2 − 1)/12)$rwg): HRS 0..24 (52), COHES
     * 1..5 (2), WBEING 0..5 (35/12) */
    ASSERT_CLOSE(snum(r, "hrs", "mean_rwg_j"), 0.91556284165373103, TOL);
    ASSERT_CLOSE(snum(r, "cohes", "mean_rwg_j"), 0.63164406945851359, TOL);
    ASSERT_CLOSE(snum(r, "wbeing", "mean_rwg_j"), 0.73030017308441753, TOL);
    static const struct {
        const char *scale, *grp;
        double rwg, ad_mean, ad_median, awg;
    } ref[] = {
        /* rwg(), ad.m(type = "mean"), ad.m(type = "median"), awg(range = c(L, H)) */
        { "hrs", "1", 0.94521971919232195, 1.3075237399561721, 1.2972972972972974,
          0.96068311428162623 },
        { "hrs", "99", 0.96597633136094674, 1.037037037037037, 0.96296296296296291,
          0.97626418988648089 },
        { "cohes", "1", 0.65601860422065905, 0.68626734842951054, 0.68243243243243246,
          0.66023946997768723 },
        { "cohes", "50", 0.57548876231527091, 0.74078478002378123, 0.73706896551724133,
          0.58893376375942719 },
        { "wbeing", "50", 0.85758949962648834, 0.50743357192294891, 0.50394410637931031,
          0.86873419906345872 },
        { "wbeing", "99", 0.75181718144603382, 0.62505715592592581, 0.61111111111481475,
          0.76296861502983315 },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(ref); i++) {
        const char *s = ref[i].scale, *g = ref[i].grp;
        ASSERT_CLOSE(gnum(r, s, "groups", g, NULL, "rwg_j"), ref[i].rwg, TOL);
        ASSERT_CLOSE(gnum(r, s, "groups", g, NULL, "ad_mean"), ref[i].ad_mean, TOL);
        ASSERT_CLOSE(gnum(r, s, "groups", g, NULL, "ad_median"), ref[i].ad_median, TOL);
        ASSERT_CLOSE(gnum(r, s, "groups", g, NULL, "awg"), ref[i].awg, TOL);
    }
    impact_result_free(r);
    impact_table_free(t);
    impact_codebook_free(cb);
}

/* ---- cohesion: nested groups, missing data, disclosure --------------------- */

static void
test_cohesion(void)
{
    ImpactCodebook *cb = fixture_codebook("agreement-cohesion-codebook.csv");
    ImpactTable *t = fixture_table("agreement-cohesion.csv", cb);
    ImpactAgreementOptions o = IMPACT_AGREEMENT_OPTIONS_INIT;
    o.group = "PLATOON";
    o.within = "UNIT";
    o.min_group = 1;
    ImpactResult *r = agree(t, cb, &o);
    /* platoon "1ST" of two units are two groups. rwg.j(cohesion[,3:7],
     * paste(UNIT, PLATOON), ranvar = 2): listwise drops row 2 */
    CU_ASSERT_EQUAL(snum(r, "cohesion", "n_groups"), 4);
    CU_ASSERT_EQUAL(gnum(r, "cohesion", "groups", "1ST", "1044B", "rwg_j"), 0.0);
    CU_ASSERT_EQUAL(gnum(r, "cohesion", "groups", "1ST", "1044B", "n"), 2);
    ASSERT_CLOSE(gnum(r, "cohesion", "groups", "2ND", "1044B", "rwg_j"), 0.81395348837209303, TOL);
    ASSERT_CLOSE(gnum(r, "cohesion", "groups", "1ST", "1044C", "rwg_j"), 0.92105263157894746, TOL);
    ASSERT_CLOSE(gnum(r, "cohesion", "groups", "2ND", "1044C", "rwg_j"), 0.90909090909090906, TOL);
    /* parents: rwg.j(cohesion[,3:7], UNIT, ranvar = 2) */
    ASSERT_CLOSE(gnum(r, "cohesion", "parents/groups", "1044B", NULL, "rwg_j"),
                 0.75396825396825395, TOL);
    ASSERT_CLOSE(gnum(r, "cohesion", "parents/groups", "1044C", NULL, "rwg_j"),
                 0.89887640449438211, TOL);
    CU_ASSERT_EQUAL(gnum(r, "cohesion", "parents/groups", "1044C", NULL, "n"), 5);
    /* ICC1(aov(rowMeans ~ platoon)) and ~ unit, complete cases */
    ASSERT_CLOSE(snum(r, "cohesion", "icc1"), 0.10051720260850008, TOL);
    ASSERT_CLOSE(snum(r, "cohesion", "parents/icc1"), 0.25342465753424659, TOL);
    impact_result_free(r);

    /* pairwise (multilevel 2.8's rule; by hand in R: mean of the items'
     * var(na.rm = TRUE), truncated, J = items with a variance) */
    o.missing = IMPACT_MISSING_PAIRWISE;
    r = agree(t, cb, &o);
    ASSERT_CLOSE(gnum(r, "cohesion", "groups", "1ST", "1044B", "rwg_j"), 0.68181818181818188, TOL);
    CU_ASSERT_EQUAL(gnum(r, "cohesion", "groups", "1ST", "1044B", "n"), 3);
    ASSERT_CLOSE(gnum(r, "cohesion", "groups", "2ND", "1044C", "rwg_j"), 0.90909090909090906, TOL);
    impact_result_free(r);

    /* disclosure, k = 3 (listwise): 1ST of both units has 2 people
     * (primary); each unit (5) is shown, so unit − 2ND (3) would give 1ST:
     * 2ND is suppressed too (complementary) and its n hidden (5 − 3 = 2
     * would be 1ST's n). The total (10) = both units: nothing more. */
    o.missing = IMPACT_MISSING_LISTWISE;
    o.min_group = 3;
    r = agree(t, cb, &o);
    CU_ASSERT_EQUAL(impact_result_length(r, "scales/0/groups"), 0);
    CU_ASSERT_EQUAL(impact_result_length(r, "scales/0/suppressed"), 4);
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "scales/0/suppressed/0/reason"), "primary");
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "scales/0/suppressed/1/group"), "2ND");
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "scales/0/suppressed/1/parent"), "1044B");
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "scales/0/suppressed/1/reason"),
                           "complementary");
    CU_ASSERT_EQUAL(impact_result_type(r, "scales/0/suppressed/1/n"), IMPACT_VALUE_ABSENT);
    CU_ASSERT_EQUAL(impact_result_length(r, "scales/0/parents/groups"), 2);
    /* pooled statistics over the published groups: none, so null */
    CU_ASSERT_EQUAL(impact_result_type(r, "scales/0/mean_rwg_j"), IMPACT_VALUE_NULL);
    CU_ASSERT_EQUAL(impact_result_type(r, "scales/0/icc1"), IMPACT_VALUE_NULL);
    CU_ASSERT_EQUAL(snum(r, "cohesion", "n_pooled"), 0);
    CU_ASSERT_EQUAL(snum(r, "cohesion", "n"), 10);
    CU_ASSERT_EQUAL(snum(r, "cohesion", "n_groups"), 4);
    /* the parents are published: their ICC is there */
    ASSERT_CLOSE(snum(r, "cohesion", "parents/icc1"), 0.25342465753424659, TOL);
    impact_result_free(r);
    /* pool_all: every group, as multilevel */
    o.pool_all = TRUE;
    r = agree(t, cb, &o);
    ASSERT_CLOSE(snum(r, "cohesion", "icc1"), 0.10051720260850008, TOL);
    CU_ASSERT_EQUAL(snum(r, "cohesion", "n_groups_pooled"), 4);
    CU_ASSERT_TRUE(impact_result_boolean(r, "pool_all"));
    impact_result_free(r);
    impact_table_free(t);
    impact_codebook_free(cb);
}

/* ---- accumulators: chunks, merge, serialisation ------------------------- */

/* Rows [from, to) of @t as a new table read back from CSV, so its text
 * columns get their own level codes. */
static ImpactTable *
rows_of(const ImpactTable *t, const ImpactCodebook *cb, gsize from, gsize to, gboolean reverse)
{
    gsize n = impact_table_n_rows(t);
    g_autofree gboolean *keep = g_new0(gboolean, n);
    for (gsize i = from; i < to; i++) {
        keep[i] = TRUE;
    }
    ImpactTable *f = NULL;
    CU_ASSERT_TRUE_FATAL(impact_table_filter(&f, t, keep, n, NULL));
    g_autofree char *csv = impact_table_to_csv(f);
    impact_table_free(f);
    if (reverse) {
        /* reverse the data lines: the first group seen becomes the last */
        char **lines = g_strsplit(csv, "\n", -1);
        guint nl = g_strv_length(lines);
        GString *s = g_string_new(lines[0]);
        for (guint i = nl; i-- > 1;) {
            if (*lines[i]) {
                g_string_append_printf(s, "\n%s", lines[i]);
            }
        }
        g_string_append_c(s, '\n');
        g_strfreev(lines);
        g_free(csv);
        csv = g_string_free(s, FALSE);
    }
    ImpactTable *out = NULL;
    CU_ASSERT_TRUE_FATAL(impact_responses_read_buffer(&out, csv, strlen(csv), "chunk", cb, NULL,
                                                      NULL));
    return out;
}

static void
test_chunks(void)
{
    ImpactCodebook *cb = fixture_codebook("agreement-lq2002-codebook.csv");
    ImpactTable *t = fixture_table("agreement-lq2002.csv", cb);
    ImpactAgreementOptions o = IMPACT_AGREEMENT_OPTIONS_INIT;
    o.group = "COMPID";
    o.min_group = 1;
    ImpactResult *one = agree(t, cb, &o);
    gsize n = impact_table_n_rows(t);
    /* three chunks, the middle one reversed; each in its own accumulator,
     * one of them sent through serialize/deserialize; merged in another order */
    ImpactTable *c1 = rows_of(t, cb, 0, n / 3, FALSE);
    ImpactTable *c2 = rows_of(t, cb, n / 3, 2 * n / 3, TRUE);
    ImpactTable *c3 = rows_of(t, cb, 2 * n / 3, n, FALSE);
    GError *err = NULL;
    ImpactAgreementAcc *a1 = impact_agreement_acc_new(cb, &o);
    ImpactAgreementAcc *a2 = impact_agreement_acc_new(cb, &o);
    ImpactAgreementAcc *a3 = impact_agreement_acc_new(cb, &o);
    CU_ASSERT_TRUE(impact_agreement_acc_add(a1, c1, &err));
    CU_ASSERT_TRUE(impact_agreement_acc_add(a2, c2, &err));
    CU_ASSERT_TRUE(impact_agreement_acc_add(a3, c3, &err));
    GBytes *bytes = impact_agreement_acc_serialize(a2);
    ImpactAgreementAcc *a2b = impact_agreement_acc_deserialize(bytes, cb, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a2b);
    CU_ASSERT_TRUE(impact_agreement_acc_merge(a3, a2b, &err));
    CU_ASSERT_TRUE(impact_agreement_acc_merge(a3, a1, &err));
    CU_ASSERT_FALSE(impact_agreement_acc_merge(a3, a3, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "into itself");
    ImpactResult *merged = NULL;
    CU_ASSERT_TRUE(impact_agreement_acc_result(&merged, a3, &err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(merged);
    const char *scales[] = { "lead", "tsig", "hostile" };
    const char *keys[] = { "n", "mean", "sd", "rwg_j", "ad_mean", "ad_median", "awg" };
    for (gsize s = 0; s < 3; s++) {
        ASSERT_CLOSE(snum(merged, scales[s], "icc1"), snum(one, scales[s], "icc1"), 1e-13);
        ASSERT_CLOSE(snum(merged, scales[s], "icc2"), snum(one, scales[s], "icc2"), 1e-13);
        ASSERT_CLOSE(snum(merged, scales[s], "mean_rwg_j"), snum(one, scales[s], "mean_rwg_j"),
                     1e-15);
        g_autofree char *arr = g_strdup_printf("scales/%zu/groups", s);
        CU_ASSERT_EQUAL(impact_result_length(merged, arr), 49);
        for (gsize g = 0; g < 49; g++) {
            g_autofree char *pg = g_strdup_printf("%s/%zu/group", arr, g);
            const char *grp = impact_result_string(one, pg);
            for (gsize k = 0; k < G_N_ELEMENTS(keys); k++) {
                /* histograms merge exactly; score moments (Chan) to rounding */
                ASSERT_CLOSE(gnum(merged, scales[s], "groups", grp, NULL, keys[k]),
                             gnum(one, scales[s], "groups", grp, NULL, keys[k]), 1e-13);
            }
        }
    }
    /* the same bytes again after a round trip */
    GBytes *again = impact_agreement_acc_serialize(a2b);
    CU_ASSERT_TRUE(g_bytes_equal(bytes, again));
    g_bytes_unref(again);

    /* corrupted bytes never crash: each either fails cleanly or gives an
     * accumulator whose result can be computed */
    gsize blen = 0;
    const guint8 *bdata = g_bytes_get_data(bytes, &blen);
    for (gsize pos = 0; pos < blen; pos += 1 + blen / 257) {
        guint8 *copy = g_memdup2(bdata, blen);
        copy[pos] ^= 0x5a;
        GBytes *bad = g_bytes_new_take(copy, blen);
        ImpactAgreementAcc *ab = impact_agreement_acc_deserialize(bad, cb, &err);
        if (ab) {
            ImpactResult *rr = NULL;
            if (impact_agreement_acc_result(&rr, ab, &err)) {
                impact_result_free(rr);
            }
            g_clear_error(&err);
            impact_agreement_acc_free(ab);
        } else {
            CU_ASSERT_PTR_NOT_NULL(err);
            g_clear_error(&err);
        }
        g_bytes_unref(bad);
    }

    /* bad bytes, another codebook, incompatible merge */
    GBytes *junk = g_bytes_new_static("nonsense", 8);
    CU_ASSERT_PTR_NULL(impact_agreement_acc_deserialize(junk, cb, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "not a serialised agreement accumulator");
    g_bytes_unref(junk);
    ImpactCodebook *other = test_codebook("item,scale,domain,min,max\nx,s,team,1,7\n");
    CU_ASSERT_PTR_NULL(impact_agreement_acc_deserialize(bytes, other, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "another codebook");
    ImpactAgreementAcc *ao = impact_agreement_acc_new(other, &o);
    CU_ASSERT_FALSE(impact_agreement_acc_merge(a3, ao, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "cannot be merged");
    ImpactAgreementOptions po = o;
    po.missing = IMPACT_MISSING_PAIRWISE;
    ImpactAgreementAcc *ap = impact_agreement_acc_new(cb, &po);
    CU_ASSERT_FALSE(impact_agreement_acc_merge(a3, ap, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "cannot be merged");

    impact_agreement_acc_free(ap);
    impact_agreement_acc_free(ao);
    impact_codebook_free(other);
    g_bytes_unref(bytes);
    impact_result_free(merged);
    impact_agreement_acc_free(a1);
    impact_agreement_acc_free(a2);
    impact_agreement_acc_free(a2b);
    impact_agreement_acc_free(a3);
    impact_agreement_acc_free(NULL);
    impact_table_free(c1);
    impact_table_free(c2);
    impact_table_free(c3);
    impact_result_free(one);
    impact_table_free(t);
    impact_codebook_free(cb);
}

/* ---- degenerate input and errors ------------------------------------------ */

static const char *CB = "item,scale,domain,min,max\n"
                        "a1,s,team,1,5\n"
                        "a2,s,team,1,5\n"
                        "b1,t,team,1,4\n"
                        "c1,mixed,team,1,5\n"
                        "c2,mixed,team,0,10\n";

static void
test_degenerate(void)
{
    ImpactCodebook *cb = test_codebook(CB);
    /* team A: one person; team B: a2 answered once (pairwise: a2 has no
     * variance, a1 does); team "01" vs "1": two groups; C: all missing;
     * a row without a team is dropped */
    ImpactTable *t = test_table("team,a1,a2,b1,c1,c2\n"
                                "A,1,2,1,1,0\n"
                                "B,1,,2,1,0\n"
                                "B,3,4,3,2,5\n"
                                "B,5,,4,3,10\n"
                                "01,2,2,2,2,2\n"
                                "01,2,2,2,2,2\n"
                                "1,1,5,1,1,1\n"
                                "1,5,1,4,5,9\n"
                                "C,,,,,\n"
                                ",5,5,4,5,10\n",
                                cb);
    ImpactAgreementOptions o = IMPACT_AGREEMENT_OPTIONS_INIT;
    o.group = "team";
    o.min_group = 1;
    ImpactResult *r = agree(t, cb, &o);
    /* A: n = 1 → mean shown, everything else null */
    CU_ASSERT_EQUAL(gnum(r, "s", "groups", "A", NULL, "n"), 1);
    ASSERT_CLOSE(gnum(r, "s", "groups", "A", NULL, "mean"), 1.5, 1e-15);
    ASSERT_NAN(gnum(r, "s", "groups", "A", NULL, "sd"));
    ASSERT_NAN(gnum(r, "s", "groups", "A", NULL, "rwg_j"));
    ASSERT_NAN(gnum(r, "s", "groups", "A", NULL, "ad_mean"));
    ASSERT_NAN(gnum(r, "s", "groups", "A", NULL, "awg"));
    /* B listwise: only row (3, 4) → n = 1 */
    CU_ASSERT_EQUAL(gnum(r, "s", "groups", "B", NULL, "n"), 1);
    /* "01": no variance → rwg(j) = 1; AD 0; awg: M = 2 < (1 + 5)/2 with
     * n = 2 → undefined (as multilevel) */
    CU_ASSERT_EQUAL(gnum(r, "s", "groups", "01", NULL, "rwg_j"), 1.0);
    CU_ASSERT_EQUAL(gnum(r, "s", "groups", "01", NULL, "ad_mean"), 0.0);
    ASSERT_NAN(gnum(r, "s", "groups", "01", NULL, "awg"));
    /* "1": a1 {1,5}, a2 {5,1}: variances 8, 8 > 2 → rwg(j) 0; AD 2;
     * awg: M = 3 in [(1 + 5)/2, ...] = [3, 3]; max var (6·3 − 9 − 5)·2 = 8
     * → 1 − 16/8 = −1 */
    CU_ASSERT_EQUAL(gnum(r, "s", "groups", "1", NULL, "rwg_j"), 0.0);
    CU_ASSERT_EQUAL(gnum(r, "s", "groups", "1", NULL, "ad_mean"), 2.0);
    ASSERT_CLOSE(gnum(r, "s", "groups", "1", NULL, "awg"), -1.0, 1e-15);
    /* C: no answer at all → n = 0 < k = 1: listed as suppressed without
     * its n (n < k is never shown) */
    ASSERT_NAN(gnum(r, "s", "groups", "C", NULL, "n"));
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "scales/0/suppressed/0/group"), "C");
    CU_ASSERT_EQUAL(impact_result_type(r, "scales/0/suppressed/0/n"), IMPACT_VALUE_ABSENT);
    /* 4 groups shown: A, B, 01, 1 (the row without a team is not one) */
    CU_ASSERT_EQUAL(impact_result_length(r, "scales/0/groups"), 4);
    /* ICC over groups with n >= 1: A (1.5), B (3.5), 01 (2,2), 1 (3,3):
     * grand = (1.5 + 3.5 + 4 + 6)/6 = 2.5; SSB = 1 + 1 + 0.25·2 + 0.25·2 = 3,
     * MSB = 3/3 = 1; SSW = 0 → MSW = 0 (df 2): ICC1 = ICC2 = 1, F null */
    ASSERT_CLOSE(snum(r, "s", "icc1"), 1.0, 1e-15);
    ASSERT_CLOSE(snum(r, "s", "icc2"), 1.0, 1e-15);
    ASSERT_CLOSE(snum(r, "s", "ms_between"), 1.0, 1e-15);
    ASSERT_NAN(snum(r, "s", "f"));
    CU_ASSERT_EQUAL(snum(r, "s", "n_groups"), 4);
    /* mixed ranges: no null variance, rwg and awg null, AD defined */
    CU_ASSERT_EQUAL(impact_result_type(r, "scales/2/null_variance"), IMPACT_VALUE_NULL);
    ASSERT_NAN(gnum(r, "mixed", "groups", "1", NULL, "rwg_j"));
    ASSERT_NAN(gnum(r, "mixed", "groups", "1", NULL, "awg"));
    ASSERT_CLOSE(gnum(r, "mixed", "groups", "1", NULL, "ad_mean"), (2.0 + 4.0) / 2.0, 1e-15);
    impact_result_free(r);

    /* pairwise: B's a2 has one answer → s̄² from a1 only ({1,3,5}: 4 > 2 →
     * rwg 0 with J = 1); n = 3 rows answering something */
    o.missing = IMPACT_MISSING_PAIRWISE;
    r = agree(t, cb, &o);
    CU_ASSERT_EQUAL(gnum(r, "s", "groups", "B", NULL, "n"), 3);
    CU_ASSERT_EQUAL(gnum(r, "s", "groups", "B", NULL, "rwg_j"), 0.0);
    /* AD about the mean of a1 {1,3,5}: (2 + 0 + 2)/3 */
    ASSERT_CLOSE(gnum(r, "s", "groups", "B", NULL, "ad_mean"), 4.0 / 3.0, 1e-15);
    /* B's t (b1 = 2,3,4 on 1..4): s² = 1, σ² = (16 − 1)/12 = 1.25 → 0.2 */
    ASSERT_CLOSE(gnum(r, "t", "groups", "B", NULL, "rwg_j"), 0.2, 1e-15);
    impact_result_free(r);

    /* an empty table: no groups, null ICC */
    ImpactTable *e = test_table("team,a1,a2,b1,c1,c2\n", cb);
    o.missing = IMPACT_MISSING_LISTWISE;
    r = agree(e, cb, &o);
    CU_ASSERT_EQUAL(impact_result_length(r, "scales/0/groups"), 0);
    CU_ASSERT_EQUAL(impact_result_type(r, "scales/0/icc1"), IMPACT_VALUE_NULL);
    CU_ASSERT_EQUAL(snum(r, "s", "n"), 0);
    impact_result_free(r);
    impact_table_free(e);

    /* k = 3 without a parent: A (1), B (1), 01 (2), 1 (2), C (0) are all
     * primary (C has 0 people: nothing to reveal, still listed) */
    o.min_group = 3;
    r = agree(t, cb, &o);
    CU_ASSERT_EQUAL(impact_result_length(r, "scales/0/groups"), 0);
    CU_ASSERT_EQUAL(impact_result_length(r, "scales/0/suppressed"), 5);
    CU_ASSERT_EQUAL(impact_result_type(r, "scales/0/suppressed/0/n"), IMPACT_VALUE_ABSENT);
    impact_result_free(r);
    impact_table_free(t);
    impact_codebook_free(cb);
}

static void
test_keys_weights(void)
{
    /* a2 reverse keyed, a3 weight 2: A = (1, 5, 1) → 1, 1, 1 → 1;
     * (2, 4, 3) → 2, 2, 3 → (2 + 2 + 6)/4 = 2.5; mean 1.75. Agreement is
     * on the raw answers (keying does not change variances): item variances
     * 0.5, 0.5, 2 → s̄² = 1, J = 3, σ² = 2: 3·0.5/(1.5 + 0.5) = 0.75 */
    ImpactCodebook *cb = test_codebook("item,scale,domain,min,max,reverse,weight\n"
                                       "a1,s,team,1,5,0,1\na2,s,team,1,5,1,1\n"
                                       "a3,s,team,1,5,0,2\n");
    ImpactTable *t = test_table("team,a1,a2,a3\nA,1,5,1\nA,2,4,3\n", cb);
    ImpactAgreementOptions o = IMPACT_AGREEMENT_OPTIONS_INIT;
    o.group = "team";
    o.min_group = 1;
    ImpactResult *r = agree(t, cb, &o);
    ASSERT_CLOSE(gnum(r, "s", "groups", "A", NULL, "mean"), 1.75, 1e-15);
    ASSERT_CLOSE(gnum(r, "s", "groups", "A", NULL, "sd"), sqrt(1.125), 1e-15);
    ASSERT_CLOSE(gnum(r, "s", "groups", "A", NULL, "rwg_j"), 0.75, 1e-15);
    impact_result_free(r);
    impact_table_free(t);
    impact_codebook_free(cb);
}

static void
test_within(void)
{
    /* team "1" of X and of Y are two teams; team "1" without an
     * organisation is a third, directly under the total (parent null);
     * organisations merge their teams' histograms: X = {1,1,2,3} on a1 */
    ImpactCodebook *cb = test_codebook("item,scale,domain,min,max\na1,s,team,1,5\n");
    ImpactTable *t = test_table("org,team,a1\n"
                                "X,1,1\nX,1,1\nX,2,2\nX,2,3\n"
                                "Y,1,5\nY,1,4\n"
                                ",1,3\n,1,3\n",
                                cb);
    ImpactAgreementOptions o = IMPACT_AGREEMENT_OPTIONS_INIT;
    o.group = "team";
    o.within = "org";
    o.min_group = 1;
    ImpactResult *r = agree(t, cb, &o);
    CU_ASSERT_EQUAL(impact_result_length(r, "scales/0/groups"), 4);
    ASSERT_CLOSE(gnum(r, "s", "groups", "1", "X", "mean"), 1.0, 1e-15);
    ASSERT_CLOSE(gnum(r, "s", "groups", "1", "Y", "mean"), 4.5, 1e-15);
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "scales/0/groups/3/group"), "1");
    CU_ASSERT_EQUAL(impact_result_type(r, "scales/0/groups/3/parent"), IMPACT_VALUE_NULL);
    ASSERT_CLOSE(impact_result_number(r, "scales/0/groups/3/mean"), 3.0, 1e-15);
    CU_ASSERT_EQUAL(impact_result_length(r, "scales/0/parents/groups"), 2);
    /* X: {1,1,2,3}: mean 7/4, var (0.5625·2 + 0.0625 + 1.5625)/3 = 2.75/3;
     * rwg = 1 − (2.75/3)/2; AD mean (0.75 + 0.75 + 0.25 + 1.25)/4 = 0.75;
     * median 1.5 → AD (0.5 + 0.5 + 0.5 + 1.5)/4 = 0.75 */
    ASSERT_CLOSE(gnum(r, "s", "parents/groups", "X", NULL, "mean"), 1.75, 1e-15);
    ASSERT_CLOSE(gnum(r, "s", "parents/groups", "X", NULL, "rwg_j"), 1.0 - 2.75 / 6.0, 1e-15);
    ASSERT_CLOSE(gnum(r, "s", "parents/groups", "X", NULL, "ad_mean"), 0.75, 1e-15);
    ASSERT_CLOSE(gnum(r, "s", "parents/groups", "X", NULL, "ad_median"), 0.75, 1e-15);
    CU_ASSERT_EQUAL(gnum(r, "s", "parents/groups", "Y", NULL, "n"), 2);
    impact_result_free(r);

    /* k = 3: both teams of X (2 each) are primary, X's
     * residual 4 >= 3 is fine; Y (2) is primary with its team; the total 8
     * minus X (4) = 4 >= 3; the parentless team (2) is primary */
    o.min_group = 3;
    r = agree(t, cb, &o);
    CU_ASSERT_EQUAL(impact_result_length(r, "scales/0/groups"), 0);
    CU_ASSERT_EQUAL(impact_result_length(r, "scales/0/suppressed"), 4);
    CU_ASSERT_EQUAL(impact_result_length(r, "scales/0/parents/groups"), 1);
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "scales/0/parents/groups/0/group"), "X");
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "scales/0/parents/suppressed/0/reason"),
                           "primary");
    impact_result_free(r);
    impact_table_free(t);

    /* many parent and group levels (2200 × 2200 > 2^22 pairs): the
     * hashed lookup of (parent, group); team i of organisation i has the
     * answers 1 + i % 5 and, for i < 100, a second answer 5 */
    GString *csv = g_string_new("org,team,a1\n");
    for (int i = 0; i < 2200; i++) {
        g_string_append_printf(csv, "O%d,T%d,%d\n", i, i, 1 + i % 5);
    }
    for (int i = 0; i < 100; i++) {
        g_string_append_printf(csv, "O%d,T%d,5\n", i, i);
    }
    t = test_table(csv->str, cb);
    g_string_free(csv, TRUE);
    o.min_group = 1;
    r = agree(t, cb, &o);
    CU_ASSERT_EQUAL(impact_result_length(r, "scales/0/groups"), 2200);
    /* T7 of O7: {3, 5}: mean 4, n 2; T107 of O107: {3} */
    CU_ASSERT_EQUAL(gnum(r, "s", "groups", "T7", "O7", "n"), 2);
    ASSERT_CLOSE(gnum(r, "s", "groups", "T7", "O7", "mean"), 4.0, 1e-15);
    CU_ASSERT_EQUAL(gnum(r, "s", "groups", "T107", "O107", "n"), 1);
    ASSERT_CLOSE(gnum(r, "s", "groups", "T107", "O107", "mean"), 3.0, 1e-15);
    impact_result_free(r);
    impact_table_free(t);
    impact_codebook_free(cb);
}

static void
test_errors(void)
{
    ImpactCodebook *cb = test_codebook(CB);
    ImpactTable *t = test_table("team,org,a1,a2,b1,c1,c2\nA,X,1,2,1,1,0\n", cb);
    ImpactResult *r = NULL;
    GError *err = NULL;
    ImpactAgreementOptions o = IMPACT_AGREEMENT_OPTIONS_INIT;
    CU_ASSERT_FALSE(impact_agreement(&r, t, cb, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "the group column is required");
    CU_ASSERT_FALSE(impact_agreement(&r, t, cb, NULL, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "options naming the group column");
    o.group = "team";
    o.version = 2;
    CU_ASSERT_FALSE(impact_agreement(&r, t, cb, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "unknown version 2");
    o.version = 1;
    o.min_group = 0;
    CU_ASSERT_FALSE(impact_agreement(&r, t, cb, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "at least 1");
    o.min_group = 3;
    o.within = "team";
    CU_ASSERT_FALSE(impact_agreement(&r, t, cb, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "within column 'team' is the group column");
    o.within = NULL;
    o.rwg_threshold = 2;
    CU_ASSERT_FALSE(impact_agreement(&r, t, cb, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "threshold");
    o.rwg_threshold = 0.7;
    o.missing = 7;
    CU_ASSERT_FALSE(impact_agreement(&r, t, cb, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "missing-data policy");
    o.missing = IMPACT_MISSING_LISTWISE;
    o.group = "unit";
    CU_ASSERT_FALSE(impact_agreement(&r, t, cb, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "unknown column 'unit'");
    o.group = "a1";
    CU_ASSERT_FALSE(impact_agreement(&r, t, cb, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "group column 'a1' holds answers");
    o.group = "team";
    o.within = "b1";
    CU_ASSERT_FALSE(impact_agreement(&r, t, cb, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "within column 'b1' holds answers");
    o.within = NULL;
    /* skewed null: b1 has 4 options (untabulated), named by scale */
    o.null_distribution = IMPACT_NULL_HEAVY_SKEW;
    CU_ASSERT_FALSE(impact_agreement(&r, t, cb, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "scale 't': the heavy null distribution");
    CU_ASSERT_PTR_NULL(r);
    /* a missing item column */
    ImpactTable *u = NULL;
    const char *csv = "team,a1\nA,1\n";
    CU_ASSERT_TRUE(impact_responses_read_buffer(&u, csv, strlen(csv), "short.csv", NULL, NULL,
                                                &err));
    o.null_distribution = IMPACT_NULL_UNIFORM;
    CU_ASSERT_FALSE(impact_agreement(&r, u, cb, &o, &err));
    CU_ASSERT_PTR_NOT_NULL(err);
    CU_ASSERT_EQUAL(err ? err->code : -1, IMPACT_ERROR_DATA);
    g_clear_error(&err);
    /* the accumulator constructor refuses bad options */
    ImpactAgreementOptions bad = IMPACT_AGREEMENT_OPTIONS_INIT;
    CU_ASSERT_PTR_NULL(impact_agreement_acc_new(cb, &bad));
    CU_ASSERT_PTR_NULL(impact_agreement_acc_new(cb, NULL));
    CU_ASSERT_PTR_NULL(impact_agreement_acc_new(NULL, &o));
    /* an accumulator is unchanged by a failed add */
    ImpactAgreementAcc *acc = impact_agreement_acc_new(cb, &o);
    CU_ASSERT_FALSE(impact_agreement_acc_add(acc, u, &err));
    g_clear_error(&err);
    CU_ASSERT_TRUE(impact_agreement_acc_add(acc, t, &err));
    CU_ASSERT_TRUE(impact_agreement_acc_result(&r, acc, &err));
    CU_ASSERT_EQUAL(impact_result_length(r, "scales/0/suppressed"), 1);
    impact_result_free(r);
    impact_agreement_acc_free(acc);
    impact_table_free(u);
    impact_table_free(t);
    impact_codebook_free(cb);
}

/* ---- the disclosure attack on the analysis output ------------------------ */

static void
test_attack_output(void)
{
    /* 3 organisations × 4 teams of random sizes 1..7, one 1..5 item; the
     * attacker knows every published team's and organisation's n and mean,
     * the grand total (sum and N), and tries to solve for each suppressed
     * team of fewer than k people, and for each pair of suppressed teams
     * together fewer than k, by Gaussian elimination over the team sums.
     * Every such target must be outside the span of the published sums. */
    ImpactCodebook *cb = test_codebook("item,scale,domain,min,max\nq,s,team,1,5\n");
    GRand *rng = g_rand_new_with_seed(4);
    for (int trial = 0; trial < 30; trial++) {
        GString *csv = g_string_new("org,team,q\n");
        int sizes[12];
        for (int g = 0; g < 12; g++) {
            sizes[g] = g_rand_int_range(rng, 1, 8);
            for (int i = 0; i < sizes[g]; i++) {
                g_string_append_printf(csv, "O%d,T%d,%d\n", g / 4, g % 4,
                                       g_rand_int_range(rng, 1, 6));
            }
        }
        ImpactTable *t = test_table(csv->str, cb);
        g_string_free(csv, TRUE);
        ImpactAgreementOptions o = IMPACT_AGREEMENT_OPTIONS_INIT;
        o.group = "team";
        o.within = "org";
        o.min_group = 3;
        ImpactResult *r = agree(t, cb, &o);
        /* unknowns: the 12 team sums; rows: published teams, published
         * organisations (sum of their 4 teams), the total */
        double rows[12 + 3 + 1][12];
        gsize nr = 0;
        memset(rows, 0, sizeof rows);
        for (gsize i = 0; i < impact_result_length(r, "scales/0/groups"); i++) {
            g_autofree char *pg = g_strdup_printf("scales/0/groups/%zu/group", i);
            g_autofree char *pp = g_strdup_printf("scales/0/groups/%zu/parent", i);
            int team = atoi(impact_result_string(r, pg) + 1);
            int org = atoi(impact_result_string(r, pp) + 1);
            rows[nr++][org * 4 + team] = 1;
        }
        for (gsize i = 0; i < impact_result_length(r, "scales/0/parents/groups"); i++) {
            g_autofree char *pg = g_strdup_printf("scales/0/parents/groups/%zu/group", i);
            int org = atoi(impact_result_string(r, pg) + 1);
            for (int team = 0; team < 4; team++) {
                rows[nr][org * 4 + team] = 1;
            }
            nr++;
        }
        for (int g = 0; g < 12; g++) {
            rows[nr][g] = 1;
        }
        nr++;
        /* row-reduce */
        gsize rank = 0, piv[16];
        for (gsize c = 0; c < 12 && rank < nr; c++) {
            gsize p = rank;
            while (p < nr && fabs(rows[p][c]) < 1e-12) {
                p++;
            }
            if (p == nr) {
                continue;
            }
            for (gsize j = 0; j < 12; j++) {
                double tmp = rows[p][j];
                rows[p][j] = rows[rank][j];
                rows[rank][j] = tmp;
            }
            double f = rows[rank][c];
            for (gsize j = 0; j < 12; j++) {
                rows[rank][j] /= f;
            }
            for (gsize q = 0; q < nr; q++) {
                double h = rows[q][c];
                if (q != rank && h != 0.0) {
                    for (gsize j = 0; j < 12; j++) {
                        rows[q][j] -= h * rows[rank][j];
                    }
                }
            }
            piv[rank++] = c;
        }
        /* targets: single teams and pairs of teams with fewer than 3 people */
        for (int a = 0; a < 12; a++) {
            for (int b = a; b < 12; b++) {
                int people = sizes[a] + (b != a ? sizes[b] : 0);
                if (people >= 3) {
                    continue;
                }
                double v[12] = { 0 };
                v[a] = v[b] = 1;
                for (gsize q = 0; q < rank; q++) {
                    double h = v[piv[q]];
                    for (gsize j = 0; j < 12; j++) {
                        v[j] -= h * rows[q][j];
                    }
                }
                double left = 0;
                for (int j = 0; j < 12; j++) {
                    left += fabs(v[j]);
                }
                CU_ASSERT(left > 1e-9); /* not derivable */
            }
        }
        impact_result_free(r);
        impact_table_free(t);
    }
    g_rand_free(rng);
    impact_codebook_free(cb);
}

static CU_TestInfo tests[] = {
    { "null variances", test_null_variance },
    { "kernels by hand", test_kernels },
    { "multilevel 2.7 on lq2002", test_lq2002 },
    { "multilevel 2.7 on bh1996 (one item, off-grid)", test_bh1996 },
    { "cohesion: nested, missing, disclosure", test_cohesion },
    { "chunks, merge, serialisation", test_chunks },
    { "degenerate groups", test_degenerate },
    { "reverse keys and weights", test_keys_weights },
    { "teams within organisations", test_within },
    { "errors", test_errors },
    { "attack on the published output", test_attack_output },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "agreement", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int
main(void)
{
    return test_run(suites);
}
