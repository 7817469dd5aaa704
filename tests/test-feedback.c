/* test-feedback.c — 360° feedback: hand-checked fixture, R references,
 * errors, and the anonymity attack tests.
 *
 * Reference values: tests/data/feedback-reference.R (R 4.2.2, psych 2.2.9,
 * multilevel 2.7; output in tests/data/feedback-reference.out) and the hand
 * calculations in the comments. Fixture: tests/data/feedback-hand.csv with
 * tests/data/feedback-codebook.csv (scales lead = l1, l2 with importance
 * item l_imp; care = c1, c2; range 1..4).
 *
 * Form scores (mean of answered items), hand:
 *   P1 self lead 3.5 care 2.5 | mgr 2.5 3 | peers 3 4, 2 3.5, 3.5 2.5 | drs 1.5 2, 1.5 2.5
 *   P2 self 4 3 | mgr 3 4 | peers 3.5 3, 4 3.5, 3 NA, 2.5 3.5 | drs 3.5 3, 3 4, 4 2.5
 *   P3 self 2 2 | peers 3 3, 4 4
 */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include "testutil.h"

static const char *const MAP[] = { "mgr=manager", "peer=peer", "dr=direct report", NULL };
static const char *const MANAGER[] = { "manager", NULL };

static ImpactCodebook *
fixture_codebook(void)
{
    g_autofree char *p = test_fixture("feedback-codebook.csv");
    ImpactCodebook *cb = NULL;
    CU_ASSERT_TRUE_FATAL(impact_codebook_read_csv(&cb, p, NULL));
    return cb;
}

static ImpactTable *
fixture_table(const char *name, const ImpactCodebook *cb)
{
    g_autofree char *p = test_fixture(name);
    ImpactTable *t = NULL;
    GError *err = NULL;
    if (!impact_responses_read(&t, p, cb, NULL, &err)) {
        fprintf(stderr, "%s\n", err->message);
        g_error_free(err);
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    return t;
}

static ImpactResult *
run_hand(ImpactFeedbackOptions *o)
{
    ImpactCodebook *cb = fixture_codebook();
    ImpactTable *t = fixture_table("feedback-hand.csv", cb);
    ImpactResult *r = NULL;
    GError *err = NULL;
    if (!impact_feedback(&r, t, cb, o, &err)) {
        fprintf(stderr, "%s\n", err->message);
        g_error_free(err);
    }
    impact_table_free(t);
    impact_codebook_free(cb);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    return r;
}

static double
num(const ImpactResult *r, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static double
num(const ImpactResult *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *p = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return impact_result_number(r, p);
}

/* ---- hand-checked fixture ------------------------------------------------ */

static void
test_hand_merge(void)
{
    ImpactFeedbackOptions o = IMPACT_FEEDBACK_OPTIONS_INIT;
    o.participant = "leader";
    o.rater = "who";
    o.role_map = MAP;
    o.exempt = MANAGER;
    o.importance_suffix = "_imp";
    ImpactResult *r = run_hand(&o);
    CU_ASSERT_EQUAL(impact_result_length(r, "participants"), 3);
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "participants/0/participant"), "P1");
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "participants/0/scales/0/scale"), "lead");
    CU_ASSERT_EQUAL(impact_result_length(r, "participants/0/scales"), 2); /* team scale left out */
    /* P1: direct reports (2) are below k = 3; the residual others − shown
     * would then be those 2 forms, so the peers (3) are hidden too
     * (complementary); the exempt manager is shown. others = all 6 forms:
     * lead (2.5 + 3 + 2 + 3.5 + 1.5 + 1.5)/6 = 14/6 (R: 2.3333333333333335) */
    ASSERT_CLOSE(num(r, "participants/0/scales/0/self"), 3.5, 1e-15);
    ASSERT_CLOSE(num(r, "participants/0/scales/0/others"), 14.0 / 6.0, 1e-15);
    CU_ASSERT_EQUAL(num(r, "participants/0/scales/0/n_others"), 6);
    ASSERT_CLOSE(num(r, "participants/0/scales/0/gap"), 3.5 - 14.0 / 6.0, 1e-15);
    /* care: (3 + 4 + 3.5 + 2.5 + 2 + 2.5)/6 = 17.5/6 (R: 2.9166666666666665) */
    ASSERT_CLOSE(num(r, "participants/0/scales/1/others"), 17.5 / 6.0, 1e-15);
    CU_ASSERT_EQUAL(impact_result_length(r, "participants/0/scales/0/roles"), 1);
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "participants/0/scales/0/roles/0/role"),
                           "manager");
    ASSERT_CLOSE(num(r, "participants/0/scales/0/roles/0/mean"), 2.5, 1e-15);
    CU_ASSERT_TRUE(impact_result_boolean(r, "participants/0/scales/0/roles/0/exempt"));
    /* importance of lead among others: (3 + 4 + 3 + 4 + 2 + 3)/6 = 19/6
     * (R: 3.1666666666666665); self 4; gap 19/6 − 14/6 = 5/6 */
    ASSERT_CLOSE(num(r, "participants/0/scales/0/importance"), 19.0 / 6.0, 1e-15);
    ASSERT_CLOSE(num(r, "participants/0/scales/0/importance_self"), 4.0, 1e-15);
    ASSERT_CLOSE(num(r, "participants/0/scales/0/importance_gap"), 5.0 / 6.0, 1e-15);
    CU_ASSERT_EQUAL(num(r, "participants/0/scales/0/n_importance"), 6);
    CU_ASSERT_EQUAL(impact_result_type(r, "participants/0/scales/1/importance"),
                    IMPACT_VALUE_ABSENT); /* care has no importance item */
    /* rwg(j) of l1, l2 among the 6 others, null 1.25:
     * multilevel::rwg.j(..., ranvar = 1.25) = 0.46938775510204078 */
    ASSERT_CLOSE(num(r, "participants/0/scales/0/rwg_j"), 0.46938775510204078, 1e-14);
    CU_ASSERT_EQUAL(num(r, "participants/0/scales/0/n_rwg"), 6);
    /* ranks: others lead 2.33 < care 2.92 */
    CU_ASSERT_EQUAL(num(r, "participants/0/scales/0/rank"), 2);
    CU_ASSERT_EQUAL(num(r, "participants/0/scales/1/rank"), 1);
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "participants/0/strengths/0"), "care");
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "participants/0/development/0"), "lead");
    CU_ASSERT_EQUAL(impact_result_length(r, "participants/0/strengths"), 1);

    /* P2: every role has >= 3 forms (peers: 3 care scores, one form blank);
     * R: dr lead 3.5 care 3.1666666666666665; mgr 3, 4; peer 3.25, 3.3333333333333335;
     * others lead 3.3125 (8 forms), care 3.3571428571428572 (7) */
    CU_ASSERT_EQUAL(impact_result_length(r, "participants/1/scales/1/roles"), 3);
    ASSERT_CLOSE(num(r, "participants/1/scales/0/others"), 3.3125, 1e-15);
    ASSERT_CLOSE(num(r, "participants/1/scales/1/others"), 3.3571428571428572, 1e-15);
    CU_ASSERT_EQUAL(num(r, "participants/1/scales/1/n_others"), 7);
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "participants/1/scales/1/roles/1/role"),
                           "peer");
    CU_ASSERT_EQUAL(num(r, "participants/1/scales/1/roles/1/n"), 3);
    ASSERT_CLOSE(num(r, "participants/1/scales/1/roles/1/mean"), 10.0 / 3.0, 1e-15);
    ASSERT_CLOSE(num(r, "participants/1/scales/1/roles/2/mean"), 9.5 / 3.0, 1e-15);
    /* rwg(j) care, listwise (7 complete forms): R 0.7931034482758621 */
    ASSERT_CLOSE(num(r, "participants/1/scales/1/rwg_j"), 0.7931034482758621, 1e-14);
    /* importance among P2's others: R 3.75 */
    ASSERT_CLOSE(num(r, "participants/1/scales/0/importance"), 3.75, 1e-15);

    /* P3: two peers only: below k, and others (2 non-exempt) is not shown */
    CU_ASSERT_EQUAL(impact_result_type(r, "participants/2/scales/0/others"), IMPACT_VALUE_NULL);
    CU_ASSERT_EQUAL(impact_result_type(r, "participants/2/scales/0/gap"), IMPACT_VALUE_NULL);
    CU_ASSERT_EQUAL(impact_result_type(r, "participants/2/scales/0/importance"),
                    IMPACT_VALUE_NULL);
    CU_ASSERT_EQUAL(impact_result_type(r, "participants/2/scales/0/rwg_j"), IMPACT_VALUE_NULL);
    CU_ASSERT_EQUAL(impact_result_length(r, "participants/2/scales/0/roles"), 0);
    CU_ASSERT_EQUAL(num(r, "participants/2/scales/0/n_others"), 2);
    ASSERT_CLOSE(num(r, "participants/2/scales/0/self"), 2.0, 1e-15);

    /* suppressed: P1 direct report (below k), P1 peer (complementary), P3 peer */
    CU_ASSERT_EQUAL(impact_result_length(r, "suppressed"), 3);
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "suppressed/0/participant"), "P1");
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "suppressed/0/role"), "peer");
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "suppressed/0/reason"), "complementary");
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "suppressed/1/role"), "direct report");
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "suppressed/1/reason"), "below k");
    CU_ASSERT_EQUAL(num(r, "suppressed/1/n"), 2);
    CU_ASSERT_TRUE(impact_result_boolean(r, "suppressed/1/merged"));
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "suppressed/2/participant"), "P3");

    /* cohort, lead: gaps P1 3.5 − 14/6 = 7/6, P2 4 − 3.3125 = 0.6875 (hand);
     * mean (7/6 + 0.6875)/2, both over-raters */
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "cohort/0/scale"), "lead");
    CU_ASSERT_EQUAL(num(r, "cohort/0/n"), 2);
    ASSERT_CLOSE(num(r, "cohort/0/mean_gap"), (7.0 / 6.0 + 0.6875) / 2, 1e-15);
    ASSERT_CLOSE(num(r, "cohort/0/sd_gap"), fabs(7.0 / 6.0 - 0.6875) / sqrt(2.0), 1e-14);
    CU_ASSERT_EQUAL(num(r, "cohort/0/over_raters"), 2);
    CU_ASSERT_EQUAL(num(r, "cohort/0/under_raters"), 0);
    ASSERT_CLOSE(num(r, "cohort/0/others_median"), (14.0 / 6.0 + 3.3125) / 2, 1e-15);
    ASSERT_CLOSE(num(r, "cohort/0/others_q1"), 14.0 / 6.0 + 0.25 * (3.3125 - 14.0 / 6.0), 1e-15);
    /* care: P1 2.5 − 17.5/6 < 0 (under), P2 3 − 3.357 < 0 (under) */
    CU_ASSERT_EQUAL(num(r, "cohort/1/under_raters"), 2);

    /* rater ICC across participants, lead: P1 and P2 × their first 6 others;
     * psych::ICC(rbind(p1$lead[1:6], p2$lead[1:6]), lmer = FALSE) */
    CU_ASSERT_EQUAL(num(r, "icc/0/n_targets"), 2);
    CU_ASSERT_EQUAL(num(r, "icc/0/n_raters"), 6);
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "icc/0/forms/0/type"), "ICC1");
    ASSERT_CLOSE(num(r, "icc/0/forms/0/icc"), 0.42051282051282057, 1e-13);
    ASSERT_CLOSE(num(r, "icc/0/forms/0/f"), 5.3539823008849563, 1e-13);
    ASSERT_CLOSE(num(r, "icc/0/forms/0/p"), 0.043221842033008218, 1e-12);
    ASSERT_CLOSE(num(r, "icc/0/forms/0/lower"), -0.039531464197543609, 1e-12);
    ASSERT_CLOSE(num(r, "icc/0/forms/3/icc"), 0.81322314049586786, 1e-13);
    ASSERT_CLOSE(num(r, "icc/0/forms/3/upper"), 0.99980717368610250, 1e-12);
    /* care: P2's first 6 care scores (the blank form skipped) */
    ASSERT_CLOSE(num(r, "icc/1/forms/0/icc"), 0.22608695652173882, 1e-13);
    ASSERT_CLOSE(num(r, "icc/1/forms/2/icc"), 0.19199999999999970, 1e-12);
    ASSERT_CLOSE(num(r, "icc/1/forms/4/lower"), -3.35038920012397634, 1e-12);
    impact_result_free(r);
}

static void
test_hand_variants(void)
{
    /* no exempt role: P1's manager (1 form) and direct reports (2) are below
     * k; residual = 3 forms >= k, so the peers stay shown:
     * peer lead (3 + 2 + 3.5)/3 = 8.5/3 (R peer_lead 2.8333333333333335) */
    ImpactFeedbackOptions o = IMPACT_FEEDBACK_OPTIONS_INIT;
    o.participant = "leader";
    o.rater = "who";
    o.role_map = MAP;
    o.importance_suffix = "_imp";
    ImpactResult *r = run_hand(&o);
    CU_ASSERT_EQUAL(impact_result_length(r, "participants/0/scales/0/roles"), 1);
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "participants/0/scales/0/roles/0/role"),
                           "peer");
    ASSERT_CLOSE(num(r, "participants/0/scales/0/roles/0/mean"), 8.5 / 3, 1e-15);
    ASSERT_CLOSE(num(r, "participants/0/scales/0/others"), 14.0 / 6.0, 1e-15);
    /* P1 mgr, P1 dr (below k); P2 mgr (1 form, below k), so P2's residual
     * would be that one form: on lead the smallest shown role, the direct
     * reports (3 < peers' 4), is hidden too; P3 peer */
    CU_ASSERT_EQUAL(impact_result_length(r, "suppressed"), 5);
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "suppressed/2/participant"), "P2");
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "suppressed/2/role"), "manager");
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "suppressed/3/role"), "direct report");
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "suppressed/3/reason"), "complementary");
    CU_ASSERT_EQUAL(impact_result_length(r, "participants/1/scales/0/roles"), 1);
    impact_result_free(r);
    o.importance_suffix = NULL;
    r = run_hand(&o);
    CU_ASSERT_EQUAL(impact_result_type(r, "participants/0/scales/0/importance"),
                    IMPACT_VALUE_ABSENT); /* no suffix: l_imp is a performance item */
    /* lead with l_imp as a third item: P1 self (3 + 4 + 4)/3 */
    ASSERT_CLOSE(num(r, "participants/0/scales/0/self"), 11.0 / 3.0, 1e-15);
    impact_result_free(r);

    /* suppress: P1's direct reports are left out; others = manager + 3
     * peers: lead 11/4 = 2.75, care 3.25 (R); peers shown (8.5/3) */
    o.importance_suffix = "_imp";
    o.exempt = MANAGER;
    o.policy = IMPACT_ANONYMITY_SUPPRESS;
    r = run_hand(&o);
    ASSERT_CLOSE(num(r, "participants/0/scales/0/others"), 2.75, 1e-15);
    ASSERT_CLOSE(num(r, "participants/0/scales/1/others"), 3.25, 1e-15);
    CU_ASSERT_EQUAL(num(r, "participants/0/scales/0/n_others"), 4);
    CU_ASSERT_EQUAL(impact_result_length(r, "participants/0/scales/0/roles"), 2);
    ASSERT_CLOSE(num(r, "participants/0/scales/0/roles/1/mean"), 8.5 / 3, 1e-15);
    /* rwg(j) among manager + peers: R 0.69565217391304357 */
    ASSERT_CLOSE(num(r, "participants/0/scales/0/rwg_j"), 0.69565217391304357, 1e-14);
    CU_ASSERT_EQUAL(impact_result_length(r, "suppressed"), 2);
    CU_ASSERT_FALSE(impact_result_boolean(r, "suppressed/0/merged"));
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "policy"), "suppress");
    impact_result_free(r);

    /* k = 1: every role is shown */
    o = (ImpactFeedbackOptions) IMPACT_FEEDBACK_OPTIONS_INIT;
    o.participant = "leader";
    o.rater = "who";
    o.min_raters = 1;
    o.n_highlight = 1;
    r = run_hand(&o);
    CU_ASSERT_EQUAL(impact_result_length(r, "suppressed"), 0);
    CU_ASSERT_EQUAL(impact_result_length(r, "participants/0/scales/0/roles"), 3);
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "participants/0/scales/0/roles/0/role"),
                           "mgr"); /* no map: labels are the roles */
    ASSERT_CLOSE(num(r, "participants/2/scales/1/others"), 3.5, 1e-15);
    impact_result_free(r);
}

static void
test_waves(void)
{
    /* two waves; P1 has forms in both; P2 only in post.
     * hand: wave pre P1 others lead (3 + 2 + 4)/3 = 3; post (4 + 4 + 3)/3 = 11/3 */
    const char *cbcsv = "item,scale,domain,min,max\nl1,lead,individual,1,4\n";
    const char *csv = "id,r,w,l1\n"
                      "P1,self,pre,2\nP1,peer,pre,3\nP1,peer,pre,2\nP1,peer,pre,4\n"
                      "P1,self,post,3\nP1,peer,post,4\nP1,peer,post,4\nP1,peer,post,3\n"
                      "P2,self,post,1\nP2,peer,post,1\nP2,peer,post,2\nP2,peer,post,3\n";
    ImpactCodebook *cb = test_codebook(cbcsv);
    ImpactTable *t = test_table(csv, cb);
    ImpactFeedbackOptions o = IMPACT_FEEDBACK_OPTIONS_INIT;
    o.participant = "id";
    o.rater = "r";
    o.wave = "w";
    ImpactResult *r = NULL;
    CU_ASSERT_TRUE_FATAL(impact_feedback(&r, t, cb, &o, NULL));
    CU_ASSERT_EQUAL(impact_result_length(r, "participants"), 3);
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "participants/0/wave"), "pre");
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "participants/1/wave"), "post");
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "participants/2/participant"), "P2");
    ASSERT_CLOSE(num(r, "participants/0/scales/0/others"), 3.0, 1e-15);
    ASSERT_CLOSE(num(r, "participants/1/scales/0/others"), 11.0 / 3.0, 1e-15);
    ASSERT_CLOSE(num(r, "participants/1/scales/0/gap"), 3.0 - 11.0 / 3.0, 1e-15);
    /* cohort per wave: pre has 1 participant, post 2 */
    CU_ASSERT_EQUAL(impact_result_length(r, "cohort"), 2);
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "cohort/1/wave"), "post");
    CU_ASSERT_EQUAL(num(r, "cohort/0/n"), 1);
    CU_ASSERT_EQUAL(impact_result_type(r, "cohort/0/sd_gap"), IMPACT_VALUE_NULL); /* n = 1 */
    /* post gaps: P1 3 − 11/3 = −2/3, P2 1 − 2 = −1 */
    ASSERT_CLOSE(num(r, "cohort/1/mean_gap"), (-2.0 / 3.0 - 1.0) / 2.0, 1e-15);
    /* ICC only in post (2 targets × 3 raters); pre has 1 target */
    CU_ASSERT_EQUAL(impact_result_length(r, "icc"), 1);
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "icc/0/wave"), "post");
    /* rwg of one item, A = 4 options: P1 pre var(3, 2, 4) = 1:
     * 1 − 1/1.25 = 0.2 (hand; rwg(j) with J = 1 is rwg) */
    ASSERT_CLOSE(num(r, "participants/0/scales/0/rwg_j"), 0.2, 1e-14);
    impact_result_free(r);
    impact_table_free(t);
    impact_codebook_free(cb);
}

static void
test_rwg(void)
{
    /* rwg(j) through the report (hand calculations, null (4² − 1)/12 = 1.25):
     * P1's peers answer l1 = 1, 4, 1 and l2 = 4, 1, 4, the 4th peer skips l2
     * (listwise: 3 complete forms): variances 3 and 3 exceed the null, so
     * s̄² is truncated at 1.25 and rwg(j) = 0. P2's peers agree perfectly: 1.
     * Scale m mixes ranges 1..4 and 1..5: no uniform null, rwg(j) null. */
    const char *cbcsv = "item,scale,domain,min,max\nl1,lead,individual,1,4\n"
                        "l2,lead,individual,1,4\nm1,mix,individual,1,4\nm2,mix,individual,1,5\n";
    const char *csv = "id,r,l1,l2,m1,m2\n"
                      "P1,self,2,2,2,2\nP1,peer,1,4,1,1\nP1,peer,4,1,2,2\nP1,peer,1,4,3,3\n"
                      "P1,peer,2,,1,1\n"
                      "P2,self,2,2,2,2\nP2,peer,3,2,1,1\nP2,peer,3,2,1,1\nP2,peer,3,2,1,1\n";
    ImpactCodebook *cb = test_codebook(cbcsv);
    ImpactTable *t = test_table(csv, cb);
    ImpactFeedbackOptions o = IMPACT_FEEDBACK_OPTIONS_INIT;
    o.participant = "id";
    o.rater = "r";
    ImpactResult *r = NULL;
    CU_ASSERT_TRUE_FATAL(impact_feedback(&r, t, cb, &o, NULL));
    ASSERT_CLOSE(num(r, "participants/0/scales/0/rwg_j"), 0.0, 1e-15);
    CU_ASSERT_EQUAL(num(r, "participants/0/scales/0/n_rwg"), 3);
    CU_ASSERT_EQUAL(num(r, "participants/0/scales/0/n_others"), 4);
    ASSERT_CLOSE(num(r, "participants/1/scales/0/rwg_j"), 1.0, 1e-15);
    CU_ASSERT_EQUAL(impact_result_type(r, "participants/0/scales/1/rwg_j"), IMPACT_VALUE_NULL);
    CU_ASSERT_EQUAL(impact_result_type(r, "participants/0/scales/1/others"), IMPACT_VALUE_NUMBER);
    impact_result_free(r);
    /* k = 4: P1 has 3 complete forms, fewer than k non-exempt: rwg(j) not
     * shown although others (4 forms) is */
    o.min_raters = 4;
    CU_ASSERT_TRUE_FATAL(impact_feedback(&r, t, cb, &o, NULL));
    CU_ASSERT_EQUAL(impact_result_type(r, "participants/0/scales/0/rwg_j"), IMPACT_VALUE_NULL);
    CU_ASSERT_EQUAL(impact_result_type(r, "participants/0/scales/0/others"), IMPACT_VALUE_NUMBER);
    impact_result_free(r);
    impact_table_free(t);
    impact_codebook_free(cb);
}

/* ---- errors ----------------------------------------------------------------- */

static void
expect_error(const char *cbcsv, const char *csv, ImpactFeedbackOptions *o, int code,
             const char *needle)
{
    ImpactCodebook *cb = test_codebook(cbcsv);
    ImpactTable *t = test_table(csv, cb);
    ImpactResult *r = (ImpactResult *) 0x1;
    GError *err = NULL;
    CU_ASSERT_FALSE(impact_feedback(&r, t, cb, o, &err));
    ASSERT_ERROR(&err, code, needle);
    CU_ASSERT_PTR_EQUAL(r, (ImpactResult *) 0x1); /* untouched */
    impact_table_free(t);
    impact_codebook_free(cb);
}

static void
test_errors(void)
{
    const char *cb = "item,scale,domain,min,max\nl1,lead,individual,1,4\n";
    const char *ok = "id,r,l1\nP1,self,2\nP1,peer,3\n";
    ImpactFeedbackOptions o = IMPACT_FEEDBACK_OPTIONS_INIT;
    o.participant = "id";
    o.rater = "r";
    /* lines: data row + 1 (header = line 1). P2 has no self form: lines 4, 5 */
    expect_error(cb, "id,r,l1\nP1,self,2\nP2,peer,3\nP2,peer,1\nP1,peer,3\n", &o,
                 IMPACT_ERROR_DATA,
                 "data.csv: participant 'P2' has no self-rating (rater label 'self'); its forms "
                 "are on lines 3, 4");
    {
        /* allowed: P2 is reported with self and gap null */
        ImpactCodebook *c1 = test_codebook(cb);
        ImpactTable *t1 = test_table("id,r,l1\nP1,self,2\nP2,peer,3\nP2,peer,1\nP2,peer,2\n", c1);
        ImpactResult *r1 = NULL;
        o.allow_missing_self = TRUE;
        CU_ASSERT_TRUE(impact_feedback(&r1, t1, c1, &o, NULL));
        o.allow_missing_self = FALSE;
        CU_ASSERT_EQUAL(impact_result_type(r1, "participants/1/scales/0/self"), IMPACT_VALUE_NULL);
        CU_ASSERT_EQUAL(impact_result_type(r1, "participants/1/scales/0/gap"), IMPACT_VALUE_NULL);
        ASSERT_CLOSE(impact_result_number(r1, "participants/1/scales/0/others"), 2.0, 1e-15);
        impact_result_free(r1);
        impact_table_free(t1);
        impact_codebook_free(c1);
    }
    expect_error(cb, "id,r,l1\nP1,self,2\nP1,self,3\n", &o, IMPACT_ERROR_DATA,
                 "participant 'P1' has 2 self-ratings (on lines 2, 3)");
    /* a label not in the map: every line named, then the known labels */
    const char *const map[] = { "peer=peer", "mgr=manager", NULL };
    o.role_map = map;
    expect_error(cb, "id,r,l1\nP1,self,2\nP1,pear,3\nP1,peer,3\nP1,pear,1\nP1,boss,1\n", &o,
                 IMPACT_ERROR_DATA,
                 "data.csv: lines 3, 5: rater label 'pear' (column 'r') is not in the role map "
                 "(and 1 more unknown labels); known labels: self, peer, mgr");
    o.role_map = NULL;
    expect_error(cb, "id,r,l1\nP1,self,2\n,peer,3\n", &o, IMPACT_ERROR_DATA,
                 "data.csv: line 3: no participant (column 'id' is empty)");
    expect_error(cb, "id,r,l1\nP1,self,2\nP1,,3\n", &o, IMPACT_ERROR_DATA, "no rater label");
    o.wave = "w";
    expect_error(cb, "id,r,l1,w\nP1,self,2,\n", &o, IMPACT_ERROR_DATA, "line 2: no wave");
    expect_error(cb, ok, &o, IMPACT_ERROR_DATA, "unknown column 'w'");
    o.wave = NULL;
    o.participant = "leader";
    expect_error(cb, ok, &o, IMPACT_ERROR_DATA, "unknown column 'leader'");
    o.participant = "id";
    /* codebook */
    expect_error("item,scale,domain,min,max\nl1,lead,team,1,4\n", ok, &o, IMPACT_ERROR_CODEBOOK,
                 "no individual-domain scale");
    o.importance_suffix = "1";
    expect_error(cb, ok, &o, IMPACT_ERROR_CODEBOOK, "scale 'lead' has only importance items");
    /* options */
    o.importance_suffix = "";
    expect_error(cb, ok, &o, IMPACT_ERROR_INVALID, "importance suffix must not be empty");
    o.importance_suffix = NULL;
    o.min_raters = 0;
    expect_error(cb, ok, &o, IMPACT_ERROR_INVALID, "min_raters");
    o.min_raters = 3;
    o.policy = (ImpactAnonymityPolicy) 7;
    expect_error(cb, ok, &o, IMPACT_ERROR_INVALID, "policy must be merge or suppress");
    o.policy = IMPACT_ANONYMITY_MERGE;
    o.rater = NULL;
    expect_error(cb, ok, &o, IMPACT_ERROR_INVALID, "rater column is required");
    o.rater = "r";
    o.participant = NULL;
    expect_error(cb, ok, &o, IMPACT_ERROR_INVALID, "participant column is required");
    o.participant = "id";
    const char *const bad_map[] = { "peer", NULL };
    o.role_map = bad_map;
    expect_error(cb, ok, &o, IMPACT_ERROR_INVALID, "role map entry 'peer' is not of the form");
    const char *const dup_map[] = { "peer=a", "peer=b", NULL };
    o.role_map = dup_map;
    expect_error(cb, ok, &o, IMPACT_ERROR_INVALID, "label 'peer' appears twice");
    o.role_map = NULL;
    o.self_label = "";
    expect_error(cb, ok, &o, IMPACT_ERROR_INVALID, "self label");
    o.self_label = "self";
    o.level = 1.5;
    expect_error(cb, ok, &o, IMPACT_ERROR_INVALID, "level");
    o.level = 0.95;
    o.gap_threshold = -1;
    expect_error(cb, ok, &o, IMPACT_ERROR_INVALID, "gap_threshold");
    o.gap_threshold = 0;
    o.min_answered = NAN;
    expect_error(cb, ok, &o, IMPACT_ERROR_INVALID, "min_answered");
    o.min_answered = 0.5;
    o.version = 0;
    expect_error(cb, ok, &o, IMPACT_ERROR_INVALID, "version");
    o.version = 1;
    /* NULL options */
    ImpactCodebook *c = test_codebook(cb);
    ImpactTable *t = test_table(ok, c);
    ImpactResult *r = NULL;
    GError *err = NULL;
    CU_ASSERT_FALSE(impact_feedback(&r, t, c, NULL, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "required");
    /* tables built through the API: only the individual scales' items need
     * columns; a missing one is an error */
    ImpactCodebook *c2 = test_codebook("item,scale,domain,min,max\nl1,lead,individual,1,4\n"
                                       "l2,lead,individual,1,4\nt1,climate,team,1,5\n");
    ImpactTable *u = impact_table_new();
    const char *ids[] = { "P1", "P1" }, *who[] = { "self", "peer" }, *l1[] = { "2", "x" };
    const double lv[] = { 2, 3 };
    CU_ASSERT_TRUE(impact_table_add_text(u, "id", ids, 2, NULL));
    CU_ASSERT_TRUE(impact_table_add_text(u, "r", who, 2, NULL));
    CU_ASSERT_TRUE(impact_table_add_numeric(u, "l1", lv, 2, NULL));
    CU_ASSERT_FALSE(impact_feedback(&r, u, c2, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "<memory>: the codebook's item 'l2' has no column");
    CU_ASSERT_TRUE(impact_table_add_numeric(u, "l2", lv, 2, NULL));
    CU_ASSERT_TRUE(impact_feedback(&r, u, c2, &o, &err)); /* no t1 column needed */
    ASSERT_CLOSE(impact_result_number(r, "participants/0/scales/0/self"), 2.0, 1e-15);
    impact_result_free(r);
    r = NULL;
    impact_table_free(u);
    impact_codebook_free(c2);
    /* a non-numeric item column built through the API */
    u = impact_table_new();
    CU_ASSERT_TRUE(impact_table_add_text(u, "id", ids, 2, NULL));
    CU_ASSERT_TRUE(impact_table_add_text(u, "r", who, 2, NULL));
    CU_ASSERT_TRUE(impact_table_add_text(u, "l1", l1, 2, NULL));
    CU_ASSERT_FALSE(impact_feedback(&r, u, c, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "item column 'l1' is not numeric");
    CU_ASSERT_PTR_NULL(r);
    impact_table_free(u);
    /* a numeric participant column works (ids printed as numbers) */
    u = impact_table_new();
    const double pid[] = { 7, 7 };
    CU_ASSERT_TRUE(impact_table_add_numeric(u, "id", pid, 2, NULL));
    CU_ASSERT_TRUE(impact_table_add_text(u, "r", who, 2, NULL));
    CU_ASSERT_TRUE(impact_table_add_numeric(u, "l1", lv, 2, NULL));
    CU_ASSERT_TRUE(impact_feedback(&r, u, c, &o, &err));
    CU_ASSERT_STRING_EQUAL(impact_result_string(r, "participants/0/participant"), "7");
    impact_result_free(r);
    impact_table_free(u);
    impact_table_free(t);
    impact_codebook_free(c);
}

/* ---- the anonymity attack -------------------------------------------------- */

/* rank of the m × n row-major matrix a (destroyed), partial pivoting */
static gsize
matrix_rank(double *a, gsize m, gsize n)
{
    gsize rank = 0;
    for (gsize col = 0; col < n && rank < m; col++) {
        gsize piv = rank;
        for (gsize i = rank + 1; i < m; i++) {
            if (fabs(a[i * n + col]) > fabs(a[piv * n + col])) {
                piv = i;
            }
        }
        if (fabs(a[piv * n + col]) < 1e-9) {
            continue;
        }
        for (gsize j = 0; j < n; j++) {
            double tmp = a[rank * n + j];
            a[rank * n + j] = a[piv * n + j];
            a[piv * n + j] = tmp;
        }
        for (gsize i = rank + 1; i < m; i++) {
            double f = a[i * n + col] / a[rank * n + col];
            for (gsize j = col; j < n; j++) {
                a[i * n + j] -= f * a[rank * n + j];
            }
        }
        rank++;
    }
    return rank;
}

typedef struct {
    gsize cells, groups_checked, subsets_checked, hidden_roles;
} AttackStats;

/* Is there a nonzero vector of the row space of A (m × n, row-major) whose
 * support lies in a set of fewer than k columns? Checks every subset S of
 * size min(k − 1, n): dim(row(A) ∩ span(e_S)) = rank A + |S| − rank [A; E_S]. */
static gboolean
leaks(const double *A, gsize m, gsize n, gsize k, gsize *subsets)
{
    if (k <= 1 || n == 0 || m == 0) {
        return FALSE;
    }
    gsize s = MIN(k - 1, n);
    g_autofree double *w = g_new(double, (m + s) * n);
    memcpy(w, A, m * n * sizeof(double));
    gsize ra = matrix_rank(w, m, n);
    g_autofree gsize *idx = g_new(gsize, s);
    for (gsize i = 0; i < s; i++) {
        idx[i] = i;
    }
    for (;;) {
        memcpy(w, A, m * n * sizeof(double));
        memset(w + m * n, 0, s * n * sizeof(double));
        for (gsize i = 0; i < s; i++) {
            w[(m + i) * n + idx[i]] = 1.0;
        }
        (*subsets)++;
        if (matrix_rank(w, m + s, n) != ra + s) {
            return TRUE;
        }
        /* next combination */
        gssize i = (gssize) s - 1;
        while (i >= 0 && idx[i] == n - s + (gsize) i) {
            i--;
        }
        if (i < 0) {
            break;
        }
        idx[i]++;
        for (gsize j = (gsize) i + 1; j < s; j++) {
            idx[j] = idx[j - 1] + 1;
        }
    }
    return FALSE;
}

static gboolean
in_list(const char *const *list, const char *s)
{
    for (gsize i = 0; list && list[i]; i++) {
        if (strcmp(list[i], s) == 0) {
            return TRUE;
        }
    }
    return FALSE;
}

/* Attacks result @r of @t: for each participant record and scale, the
 * attacker knows which forms make up each published mean (the test checks
 * this model against the published n and mean), knows every exempt rater's
 * own score, and solves the linear system of the published sums. No group
 * of fewer than k non-exempt forms may be determined. Roles are the labels
 * (no map). */
static void
attack(const ImpactResult *r, const ImpactTable *t, const ImpactCodebook *cb,
       const ImpactFeedbackOptions *o, AttackStats *st)
{
    g_autoptr(ImpactTable) sc = NULL;
    ImpactScoreOptions so = IMPACT_SCORE_OPTIONS_INIT;
    CU_ASSERT_TRUE_FATAL(impact_score_table(&sc, t, cb, NULL, &so, NULL));
    gsize pc = (gsize) impact_table_column_index(t, o->participant);
    gsize rc = (gsize) impact_table_column_index(t, o->rater);
    gssize wc = o->wave ? impact_table_column_index(t, o->wave) : -1;
    gsize n = impact_table_n_rows(t), k = o->min_raters;
    gboolean suppress = o->policy == IMPACT_ANONYMITY_SUPPRESS;
    for (gsize p = 0; p < impact_result_length(r, "participants"); p++) {
        g_autofree char *pp = g_strdup_printf("participants/%" G_GSIZE_FORMAT, p);
        g_autofree char *pid_path = g_strconcat(pp, "/participant", NULL);
        g_autofree char *wave_path = g_strconcat(pp, "/wave", NULL);
        const char *pid = impact_result_string(r, pid_path);
        const char *wid = impact_result_string(r, wave_path);
        /* hidden roles of this record */
        g_autoptr(GPtrArray) hidden = g_ptr_array_new();
        for (gsize i = 0; i < impact_result_length(r, "suppressed"); i++) {
            g_autofree char *a = g_strdup_printf("suppressed/%" G_GSIZE_FORMAT "/participant", i);
            g_autofree char *b = g_strdup_printf("suppressed/%" G_GSIZE_FORMAT "/role", i);
            g_autofree char *w = g_strdup_printf("suppressed/%" G_GSIZE_FORMAT "/wave", i);
            const char *sw = impact_result_string(r, w);
            if (strcmp(impact_result_string(r, a), pid) == 0 &&
                (wid == NULL || strcmp(sw, wid) == 0)) {
                g_ptr_array_add(hidden, (gpointer) impact_result_string(r, b));
            }
        }
        g_ptr_array_add(hidden, NULL);
        st->hidden_roles += hidden->len - 1;
        /* forms of this participant-wave */
        g_autoptr(GArray) rows = g_array_new(FALSE, FALSE, sizeof(gsize));
        for (gsize i = 0; i < n; i++) {
            g_autofree char *a = impact_table_cell_string(t, pc, i);
            g_autofree char *w = wc >= 0 ? impact_table_cell_string(t, (gsize) wc, i) : NULL;
            g_autofree char *lab = impact_table_cell_string(t, rc, i);
            if (strcmp(a, pid) == 0 && (wid == NULL || strcmp(w, wid) == 0) &&
                strcmp(lab, o->self_label) != 0) {
                g_array_append_val(rows, i);
            }
        }
        g_autofree char *scales_path = g_strconcat(pp, "/scales", NULL);
        for (gsize s = 0; s < impact_result_length(r, scales_path); s++) {
            g_autofree char *sp = g_strdup_printf("%s/scales/%" G_GSIZE_FORMAT, pp, s);
            const double *score = impact_table_numeric(sc, s);
            /* columns: the non-exempt forms with a score; exempt ones are
             * known to the attacker, so they are eliminated */
            g_autoptr(GArray) cols = g_array_new(FALSE, FALSE, sizeof(gsize));
            for (guint i = 0; i < rows->len; i++) {
                gsize row = g_array_index(rows, gsize, i);
                g_autofree char *lab = impact_table_cell_string(t, rc, row);
                if (!isnan(score[row]) && !in_list(o->exempt, lab)) {
                    g_array_append_val(cols, row);
                }
            }
            gsize nc = cols->len;
            g_autoptr(GArray) A = g_array_new(FALSE, TRUE, sizeof(double));
            gsize m = 0;
            /* shown roles */
            g_autofree char *rp = g_strconcat(sp, "/roles", NULL);
            for (gsize j = 0; j < impact_result_length(r, rp); j++) {
                g_autofree char *rr = g_strdup_printf("%s/%" G_GSIZE_FORMAT, rp, j);
                g_autofree char *rn = g_strconcat(rr, "/role", NULL);
                g_autofree char *rm = g_strconcat(rr, "/mean", NULL);
                g_autofree char *rk = g_strconcat(rr, "/n", NULL);
                const char *role = impact_result_string(r, rn);
                /* a suppressed role has no mean anywhere */
                CU_ASSERT_FALSE(in_list((const char *const *) hidden->pdata, role));
                double sum = 0;
                gsize cnt = 0;
                for (guint i = 0; i < rows->len; i++) {
                    gsize row = g_array_index(rows, gsize, i);
                    g_autofree char *lab = impact_table_cell_string(t, rc, row);
                    if (!isnan(score[row]) && strcmp(lab, role) == 0) {
                        sum += score[row];
                        cnt++;
                    }
                }
                CU_ASSERT_EQUAL(impact_result_number(r, rk), (double) cnt);
                ASSERT_CLOSE(impact_result_number(r, rm), sum / cnt, 1e-12);
                CU_ASSERT(in_list(o->exempt, role) || cnt >= k);
                g_array_set_size(A, (m + 1) * MAX(nc, 1));
                for (gsize c = 0; c < nc; c++) {
                    g_autofree char *lab =
                        impact_table_cell_string(t, rc, g_array_index(cols, gsize, c));
                    g_array_index(A, double, m * nc + c) = strcmp(lab, role) == 0;
                }
                m++;
            }
            /* others */
            g_autofree char *op = g_strconcat(sp, "/others", NULL);
            g_autofree char *on = g_strconcat(sp, "/n_others", NULL);
            double sum = 0;
            gsize cnt = 0, ne = 0;
            for (guint i = 0; i < rows->len; i++) {
                gsize row = g_array_index(rows, gsize, i);
                g_autofree char *lab = impact_table_cell_string(t, rc, row);
                if (!isnan(score[row]) &&
                    !(suppress && in_list((const char *const *) hidden->pdata, lab))) {
                    sum += score[row];
                    cnt++;
                    ne += !in_list(o->exempt, lab);
                }
            }
            CU_ASSERT_EQUAL(impact_result_number(r, on), (double) cnt);
            if (impact_result_type(r, op) == IMPACT_VALUE_NUMBER) {
                ASSERT_CLOSE(impact_result_number(r, op), sum / cnt, 1e-12);
                CU_ASSERT(ne >= k);
                g_array_set_size(A, (m + 1) * MAX(nc, 1));
                for (gsize c = 0; c < nc; c++) {
                    g_autofree char *lab =
                        impact_table_cell_string(t, rc, g_array_index(cols, gsize, c));
                    g_array_index(A, double, m * nc + c) =
                        !(suppress && in_list((const char *const *) hidden->pdata, lab));
                }
                m++;
            } else {
                CU_ASSERT(ne < k);
            }
            st->cells++;
            st->groups_checked += m;
            CU_ASSERT_FALSE(leaks((const double *) A->data, m, nc, k, &st->subsets_checked));
        }
    }
}

/* random 360 data: manager 0–2, peers 0–6, direct reports 0–6, other 0–3
 * forms per participant; 1..4 answers with 15% missing */
static ImpactTable *
random_table(GRand *rng, gsize n_participants)
{
    static const char *roles[] = { "manager", "peer", "dr", "other" };
    static const int maxn[] = { 2, 6, 6, 3 };
    g_autoptr(GPtrArray) id = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) who = g_ptr_array_new();
    GArray *items[6];
    for (int j = 0; j < 6; j++) {
        items[j] = g_array_new(FALSE, FALSE, sizeof(double));
    }
    for (gsize p = 0; p < n_participants; p++) {
        for (int r = -1; r < 4; r++) {
            int cnt = r < 0 ? 1 : g_rand_int_range(rng, 0, maxn[r] + 1);
            for (int f = 0; f < cnt; f++) {
                g_ptr_array_add(id, g_strdup_printf("P%" G_GSIZE_FORMAT, p));
                g_ptr_array_add(who, (gpointer) (r < 0 ? "self" : roles[r]));
                for (int j = 0; j < 6; j++) {
                    double v = g_rand_double(rng) < 0.15 ? NAN : g_rand_int_range(rng, 1, 5);
                    g_array_append_val(items[j], v);
                }
            }
        }
    }
    ImpactTable *t = impact_table_new();
    CU_ASSERT_TRUE(impact_table_add_text(t, "id", (const char *const *) id->pdata, id->len, NULL));
    CU_ASSERT_TRUE(
        impact_table_add_text(t, "who", (const char *const *) who->pdata, who->len, NULL));
    for (int j = 0; j < 6; j++) {
        g_autofree char *name = g_strdup_printf("i%d", j + 1);
        CU_ASSERT_TRUE(impact_table_add_numeric(t, name, (const double *) items[j]->data,
                                                items[j]->len, NULL));
        g_array_unref(items[j]);
    }
    return t;
}

static void
test_attack_random(void)
{
    /* scales a = i1 i2, b = i3 i4, c = i5 i6 (one item answered is enough) */
    ImpactCodebook *cb = test_codebook("item,scale,domain,min,max\n"
                                       "i1,a,individual,1,4\ni2,a,individual,1,4\n"
                                       "i3,b,individual,1,4\ni4,b,individual,1,4\n"
                                       "i5,c,individual,1,4\ni6,c,individual,1,4\n");
    GRand *rng = g_rand_new_with_seed(20261122);
    AttackStats st = { 0 };
    for (int rep = 0; rep < 4; rep++) {
        ImpactTable *t = random_table(rng, 60);
        for (gsize k = 2; k <= 4; k++) {
            for (int pol = 0; pol < 2; pol++) {
                for (int ex = 0; ex < 2; ex++) {
                    ImpactFeedbackOptions o = IMPACT_FEEDBACK_OPTIONS_INIT;
                    o.participant = "id";
                    o.rater = "who";
                    o.min_raters = k;
                    o.policy = (ImpactAnonymityPolicy) pol;
                    o.exempt = ex ? MANAGER : NULL;
                    ImpactResult *r = NULL;
                    GError *err = NULL;
                    CU_ASSERT_TRUE_FATAL(impact_feedback(&r, t, cb, &o, &err));
                    attack(r, t, cb, &o, &st);
                    impact_result_free(r);
                }
            }
        }
        impact_table_free(t);
    }
    /* the attack did real work: many cells, hidden roles and subsets */
    CU_ASSERT(st.cells == 4 * 3 * 2 * 2 * 60 * 3);
    CU_ASSERT(st.hidden_roles > 1000);
    CU_ASSERT(st.subsets_checked > 10000);
    g_rand_free(rng);
    impact_codebook_free(cb);
}

static void
test_attack_hand(void)
{
    /* the hand fixture with labels as roles (no map): mgr exempt */
    static const char *const MGR[] = { "mgr", NULL };
    ImpactCodebook *cb = test_codebook("item,scale,domain,min,max\n"
                                       "l1,lead,individual,1,4\nl2,lead,individual,1,4\n"
                                       "l_imp,lead,individual,1,4\n"
                                       "c1,care,individual,1,4\nc2,care,individual,1,4\n");
    ImpactTable *t = fixture_table("feedback-hand.csv", cb);
    AttackStats st = { 0 };
    for (int pol = 0; pol < 2; pol++) {
        ImpactFeedbackOptions o = IMPACT_FEEDBACK_OPTIONS_INIT;
        o.participant = "leader";
        o.rater = "who";
        o.exempt = MGR;
        o.policy = (ImpactAnonymityPolicy) pol;
        ImpactResult *r = NULL;
        CU_ASSERT_TRUE_FATAL(impact_feedback(&r, t, cb, &o, NULL));
        attack(r, t, cb, &o, &st);
        impact_result_free(r);
    }
    CU_ASSERT_EQUAL(st.cells, 12);
    impact_table_free(t);
    impact_codebook_free(cb);
}

static void
test_leak_detector(void)
{
    /* the attack itself must catch a leak: roles A = {1, 2, 3} shown and
     * others = {1, 2, 3, 4} give x4 = others − A (hand) */
    const double A[] = { 1, 1, 1, 0, 1, 1, 1, 1 };
    gsize sub = 0;
    CU_ASSERT_TRUE(leaks(A, 2, 4, 3, &sub));
    /* A = {1, 2, 3}, others = {1..6}: residual {4, 5, 6} has 3 = k forms */
    const double B[] = { 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1 };
    CU_ASSERT_FALSE(leaks(B, 2, 6, 3, &sub));
    CU_ASSERT_TRUE(leaks(B, 2, 6, 4, &sub)); /* but not for k = 4 */
}


/* ---- the realistic fixture ------------------------------------------------ */

static void
test_realistic(void)
{
    /* tests/data/feedback-make-realistic.R (seeded): 40 leaders × 2 waves, the
     * nine HLM dimensions with importance items, unequal rater counts,
     * missing forms, blank forms and skipped items. Reference values in
     * feedback-realistic-reference.csv, computed there in R (psych 2.2.9). */
    g_autofree char *cbp = test_fixture("feedback-hlm-codebook.csv");
    g_autofree char *dp = test_fixture("feedback-realistic.csv");
    g_autofree char *rp = test_fixture("feedback-realistic-reference.csv");
    ImpactCodebook *cb = NULL;
    ImpactTable *t = NULL, *ref = NULL;
    CU_ASSERT_TRUE_FATAL(impact_codebook_read_csv(&cb, cbp, NULL));
    CU_ASSERT_TRUE_FATAL(impact_responses_read(&t, dp, cb, NULL, NULL));
    CU_ASSERT_TRUE_FATAL(impact_responses_read(&ref, rp, NULL, NULL, NULL));
    static const char *const map[] = { "lm=line manager", "peer=peer", "dr=direct report",
                                       "other=other", NULL };
    static const char *const lm[] = { "line manager", NULL };
    ImpactFeedbackOptions o = IMPACT_FEEDBACK_OPTIONS_INIT;
    o.participant = "leader";
    o.rater = "rater";
    o.wave = "wave";
    o.role_map = map;
    o.exempt = lm;
    o.importance_suffix = "_imp";
    ImpactResult *r = NULL;
    GError *err = NULL;
    CU_ASSERT_TRUE_FATAL(impact_feedback(&r, t, cb, &o, &err));
    CU_ASSERT_EQUAL(impact_result_length(r, "participants"), 80);
    CU_ASSERT_EQUAL(impact_result_length(r, "cohort"), 18);
    CU_ASSERT_EQUAL(impact_table_n_rows(ref), 18);
    const char *cols[] = { "n", "mean_gap", "sd_gap", "n_targets", "n_raters", "icc1", "icc1k",
                           "icc1_lower" };
    for (gsize i = 0; i < 18; i++) {
        double v[8];
        for (int j = 0; j < 8; j++) {
            gsize c = (gsize) impact_table_column_index(ref, cols[j]);
            g_autofree char *cell = impact_table_cell_string(ref, c, i);
            v[j] = g_ascii_strtod(cell, NULL);
        }
        g_autofree char *wave = impact_table_cell_string(ref, 0, i);
        g_autofree char *scale = impact_table_cell_string(ref, 1, i);
        g_autofree char *wp = g_strdup_printf("cohort/%" G_GSIZE_FORMAT "/wave", i);
        g_autofree char *sp = g_strdup_printf("icc/%" G_GSIZE_FORMAT "/scale", i);
        CU_ASSERT_STRING_EQUAL(impact_result_string(r, wp), wave);
        CU_ASSERT_STRING_EQUAL(impact_result_string(r, sp), scale);
        CU_ASSERT_EQUAL(num(r, "cohort/%" G_GSIZE_FORMAT "/n", i), v[0]);
        ASSERT_CLOSE(num(r, "cohort/%" G_GSIZE_FORMAT "/mean_gap", i), v[1], 1e-13);
        ASSERT_CLOSE(num(r, "cohort/%" G_GSIZE_FORMAT "/sd_gap", i), v[2], 1e-13);
        CU_ASSERT_EQUAL(num(r, "icc/%" G_GSIZE_FORMAT "/n_targets", i), v[3]);
        CU_ASSERT_EQUAL(num(r, "icc/%" G_GSIZE_FORMAT "/n_raters", i), v[4]);
        ASSERT_CLOSE(num(r, "icc/%" G_GSIZE_FORMAT "/forms/0/icc", i), v[5], 1e-12);
        ASSERT_CLOSE(num(r, "icc/%" G_GSIZE_FORMAT "/forms/3/icc", i), v[6], 1e-12);
        ASSERT_CLOSE(num(r, "icc/%" G_GSIZE_FORMAT "/forms/0/lower", i), v[7], 1e-12);
    }
    impact_result_free(r);

    /* attack it, labels as roles, the line manager exempt, both policies */
    static const char *const lm_label[] = { "lm", NULL };
    AttackStats st = { 0 };
    for (gsize k = 3; k <= 4; k++) {
        for (int pol = 0; pol < 2; pol++) {
            o.role_map = NULL;
            o.importance_suffix = NULL; /* the attacker's scores use every item */
            o.exempt = lm_label;
            o.min_raters = k;
            o.policy = (ImpactAnonymityPolicy) pol;
            r = NULL;
            CU_ASSERT_TRUE_FATAL(impact_feedback(&r, t, cb, &o, NULL));
            attack(r, t, cb, &o, &st);
            impact_result_free(r);
        }
    }
    CU_ASSERT_EQUAL(st.cells, 4 * 80 * 9);
    CU_ASSERT(st.hidden_roles > 100);
    impact_table_free(ref);
    impact_table_free(t);
    impact_codebook_free(cb);
}

static CU_TestInfo tests[] = {
    { "rwg(j)", test_rwg },
    { "errors", test_errors },
    { "hand fixture, merge, manager exempt", test_hand_merge },
    { "hand fixture: no exempt, suppress, k = 1", test_hand_variants },
    { "waves", test_waves },
    { "the leak detector detects leaks", test_leak_detector },
    { "anonymity attack: hand fixture", test_attack_hand },
    { "anonymity attack: random data", test_attack_random },
    { "realistic fixture: R references and attack", test_realistic },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "feedback", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int
main(void)
{
    return test_run(suites);
}
