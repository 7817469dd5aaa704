/* test-icc.c — Shrout–Fleiss / McGraw–Wong rater ICCs against psych::ICC.
 *
 * Reference values: R 4.2.2, psych 2.2.9, printed by tests/data/icc-reference.R
 * (output kept in tests/data/icc-reference.out): ICC(x, lmer = FALSE)$results
 * and ICC(x, lmer = FALSE, alpha = 0.10)$results.
 */
#include "config.h"
#include <string.h>
#include "testutil.h"

/* Shrout & Fleiss (1979) Table 2, 6 targets x 4 judges, column-major */
static const double SF[] = { 9, 6, 8, 7, 10, 6, /* judge 1 */
                             2, 1, 4, 1, 5,  2, /* judge 2 */
                             5, 3, 6, 2, 6,  4, /* judge 3 */
                             8, 2, 8, 6, 9,  7 };

typedef struct {
    double icc, f, df1, df2, p, lo, hi, lo90, hi90;
} Row;

static void
check(const double *x, gsize n, gsize k, const Row *ref, double tol)
{
    ImpactIcc r, r90;
    GError *err = NULL;
    CU_ASSERT_TRUE_FATAL(impact_icc_shrout_fleiss(&r, x, n, k, 0.95, &err));
    CU_ASSERT_TRUE_FATAL(impact_icc_shrout_fleiss(&r90, x, n, k, 0.90, &err));
    for (int t = 0; t < IMPACT_ICC_N_FORMS; t++) {
        ASSERT_CLOSE(r.icc[t], ref[t].icc, tol);
        ASSERT_CLOSE(r.f[t], ref[t].f, tol);
        CU_ASSERT_EQUAL(r.df1[t], ref[t].df1);
        CU_ASSERT_EQUAL(r.df2[t], ref[t].df2);
        ASSERT_CLOSE(r.p[t], ref[t].p, tol * fmax(1e-300, ref[t].p) / fmax(1.0, ref[t].p));
        ASSERT_CLOSE(r.lower[t], ref[t].lo, tol);
        ASSERT_CLOSE(r.upper[t], ref[t].hi, tol);
        ASSERT_CLOSE(r90.lower[t], ref[t].lo90, tol);
        ASSERT_CLOSE(r90.upper[t], ref[t].hi90, tol);
    }
}

static void
test_sf(void)
{
    /* psych::ICC(sf, lmer = FALSE); sf typed from Shrout & Fleiss Table 2.
     * Shrout & Fleiss print .17, .29, .71, .44, .62, .91. */
    const Row ref[] = {
        { 0.16574176840547555, 1.794678492239469, 5, 18, 0.16476880834463961123,
          -0.132932324874750873, 0.72256006232812109, -0.096722203657742117, 0.64339831070442322 },
        { 0.28976377952755922, 11.027247956403272, 5, 15, 0.00013456651648433693,
          0.018786513374712047, 0.76108436964895310, 0.042901191540539951, 0.69107060661835673 },
        { 0.71484071484071487, 11.027247956403272, 5, 15, 0.00013456651648433693,
          0.342464765033925367, 0.94585825995535955, 0.411834130919044139, 0.92583280768027942 },
        { 0.44279713367926893, 1.794678492239469, 5, 18, 0.16476880834463961123,
          -0.884442155238118977, 0.91241542034077561, -0.545041724736867295, 0.87830103540640758 },
        { 0.62005054759898925, 11.027247956403272, 5, 15, 0.00013456651648433693,
          0.071136815302503487, 0.92723204016772198, 0.152037053855958254, 0.89947670011362502 },
        { 0.90931554237706946, 11.027247956403272, 5, 15, 0.00013456651648433693,
          0.675674713816304728, 0.98589167816906231, 0.736897678577052240, 0.98036605604721416 },
    };
    check(SF, 6, 4, ref, 1e-12);
    /* psych's default ICC(sf) (lmer = TRUE) rebuilds the mean squares from
     * lme4's REML variance components: it agrees only to the optimiser's
     * tolerance, ~3e-6 relative here, and its digits beyond ~1e-10 change
     * between runs (icc-reference.out): ICC1 0.16574228620696063,
     * ICC3k 0.90931586466144521 */
    ImpactIcc r;
    CU_ASSERT_TRUE(impact_icc_shrout_fleiss(&r, SF, 6, 4, 0.95, NULL));
    ASSERT_CLOSE(r.icc[IMPACT_ICC1], 0.16574228620696063, 1e-5);
    ASSERT_CLOSE(r.icc[IMPACT_ICC3K], 0.90931586466144521, 1e-5);
}

static void
test_wine(void)
{
    /* pingouin's icc.csv (tests/data/icc-wine.csv) reshaped wide: 8 wines x 4 judges.
     * psych::ICC(wine, lmer = FALSE); matches REFERENCE.md §2.6. */
    const double wine[] = { 1, 1, 3, 6, 6, 7, 8, 9, /* A */
                            2, 3, 8, 4, 5, 5, 7, 9, /* B */
                            0, 3, 1, 3, 5, 6, 7, 9, /* C */
                            1, 2, 4, 3, 6, 2, 9, 8 };
    const Row ref[] = {
        { 0.72752091589608114, 11.680025856496451, 7, 24, 2.1813509548618337e-06,
          0.43377283327098920, 0.92669602925664429, 0.48857085617070428, 0.90661768374186436 },
        { 0.72768878718535479, 11.786692759295502, 7, 21, 5.0257154640603479e-06,
          0.43448965789113031, 0.92670860631591578, 0.48915592418696080, 0.90663785950199915 },
        { 0.72948650079407096, 11.786692759295502, 7, 21, 5.0257154640603479e-06,
          0.42614603012923313, 0.92789526147273138, 0.48308531995455611, 0.90801578336020339 },
        { 0.91438375117604742, 11.680025856496451, 7, 24, 2.1813509548618337e-06,
          0.75395532310063595, 0.98060786705460046, 0.79258363267462761, 0.97489623515440516 },
        { 0.91445003594536312, 11.786692759295502, 7, 21, 5.0257154640603479e-06,
          0.75449621914939957, 0.98061138777002776, 0.79296828858564772, 0.97490206733902218 },
        { 0.91515855885771213, 11.786692759295502, 7, 21, 5.0257154640603479e-06,
          0.74813712415898048, 0.98094325410841277, 0.78895032266279896, 0.97529993364939205 },
    };
    check(wine, 8, 4, ref, 1e-12);
}

static void
test_negative_judges(void)
{
    /* 5 x 3 matrix "neg" of icc-reference.R: the judges' variance component is
     * negative, so psych's default lmer = TRUE truncates it (its ICC2 = ICC1 =
     * 0.70297031465679061); the ANOVA route (lmer = FALSE) gives these: */
    const double neg[] = { 1, 2, 3, 4, 6, 2, 3, 1, 5, 4, 3, 1, 2, 6, 5 };
    const Row ref[] = {
        { 0.70297029702970293, 8.0999999999999961, 4, 10, 0.0035179183219206547,
          0.21316698728412228, 0.95925874595671690, 0.30698192088879167, 0.94037136887148054 },
        { 0.69696969696969679, 6.7499999999999973, 4, 8, 0.0111520771107276959,
          0.13446556120205511, 0.95956622941229885, 0.24558446010981019, 0.94064246974015653 },
        { 0.65714285714285703, 6.7499999999999973, 4, 8, 0.0111520771107276959,
          0.10070253060755235, 0.95208599054549048, 0.20187202638777380, 0.92986893708178375 },
        { 0.87654320987654322, 8.0999999999999961, 4, 10, 0.0035179183219206547,
          0.44835289157712566, 0.98604042834892436, 0.57061114928824308, 0.97930095237340142 },
        { 0.87341772151898733, 6.7499999999999973, 4, 8, 0.0111520771107276959,
          0.31790274230321663, 0.98614870302802848, 0.49407774688659761, 0.97939893779802645 },
        { 0.85185185185185175, 6.7499999999999973, 4, 8, 0.0111520771107276959,
          0.25146189372392402, 0.98350166251638094, 0.43142913265838545, 0.97547640168288896 },
    };
    check(neg, 5, 3, ref, 1e-12);
}

static void
test_degenerate(void)
{
    ImpactIcc r;
    memset(&r, 0x5a, sizeof r);
    ImpactIcc before = r;
    GError *err = NULL;
    const double x[] = { 1, 2, 3, 4 };
    /* n < 2 or k < 2 */
    CU_ASSERT_FALSE(impact_icc_shrout_fleiss(&r, x, 1, 4, 0.95, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INSUFFICIENT, "at least 2 targets and 2 raters");
    CU_ASSERT_FALSE(impact_icc_shrout_fleiss(&r, x, 4, 1, 0.95, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INSUFFICIENT, "1 raters");
    /* bad level */
    CU_ASSERT_FALSE(impact_icc_shrout_fleiss(&r, x, 2, 2, 1.0, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "confidence level");
    CU_ASSERT_FALSE(impact_icc_shrout_fleiss(&r, x, 2, 2, NAN, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "confidence level");
    /* missing value: target 2, rater 2 = x[1 + 1*2] */
    const double y[] = { 1, 2, 3, NAN };
    CU_ASSERT_FALSE(impact_icc_shrout_fleiss(&r, y, 2, 2, 0.95, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "target 2 by rater 2");
    CU_ASSERT(memcmp(&r, &before, sizeof r) == 0); /* untouched on error */
    /* no variance at all: every ICC is 0/0 = NaN (psych gives NaN too) */
    const double c[] = { 3, 3, 3, 3, 3, 3 };
    CU_ASSERT_TRUE(impact_icc_shrout_fleiss(&r, c, 3, 2, 0.95, &err));
    for (int t = 0; t < IMPACT_ICC_N_FORMS; t++) {
        ASSERT_NAN(r.icc[t]);
        ASSERT_NAN(r.f[t]);
        ASSERT_NAN(r.p[t]);
    }
    /* raters agree exactly up to a shift (MSE = 0, MSW = MSJ > 0):
     * hand: x = (1,2,3 | 2,3,4): MSB = 2·1 = 2, MSJ = 3·0.5/1 = 1.5, MSE = 0,
     * MSW = 1.5/3 = 0.5: ICC3 = ICC3k = 1, F = +Inf, p = 0;
     * ICC1 = (2 − 0.5)/(2 + 0.5) = 0.6 */
    const double s[] = { 1, 2, 3, 2, 3, 4 };
    CU_ASSERT_TRUE(impact_icc_shrout_fleiss(&r, s, 3, 2, 0.95, &err));
    ASSERT_CLOSE(r.icc[IMPACT_ICC3], 1.0, 1e-15);
    ASSERT_CLOSE(r.icc[IMPACT_ICC1], 0.6, 1e-15);
    ASSERT_CLOSE(r.msj, 1.5, 1e-15);
    CU_ASSERT(isinf(r.f[IMPACT_ICC3]));
    CU_ASSERT_EQUAL(r.p[IMPACT_ICC3], 0.0);
    /* equal target means (MSB = 0): hand, x = (3,4,3 | 4,3,4), k = 2:
     * ICC1 = −MSW/((k − 1)MSW) = −1, ICC1k = −Inf; ICC2 = −2 (psych: -1, -2
     * up to its rounding noise MSB = 6.5e-31); v = 0: ICC2 bounds NaN */
    const double z[] = { 3, 4, 3, 4, 3, 4 };
    CU_ASSERT_TRUE(impact_icc_shrout_fleiss(&r, z, 3, 2, 0.95, &err));
    ASSERT_CLOSE(r.icc[IMPACT_ICC1], -1.0, 1e-15);
    ASSERT_CLOSE(r.icc[IMPACT_ICC2], -2.0, 1e-14);
    CU_ASSERT(isinf(r.icc[IMPACT_ICC1K]) && r.icc[IMPACT_ICC1K] < 0);
    ASSERT_NAN(r.lower[IMPACT_ICC2]);
    ASSERT_NAN(r.upper[IMPACT_ICC2K]);
    CU_ASSERT_STRING_EQUAL(impact_icc_form_name(IMPACT_ICC2K), "ICC2k");
    CU_ASSERT_PTR_NULL(impact_icc_form_name((ImpactIccForm) 6));
}

static CU_TestInfo tests[] = {
    { "degenerate inputs and errors", test_degenerate },
    { "psych::ICC on Shrout & Fleiss (1979)", test_sf },
    { "psych::ICC on the wine data", test_wine },
    { "psych::ICC with a negative judges component", test_negative_judges },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "icc", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int
main(void)
{
    return test_run(suites);
}
