/* test-effect.c — effect-size kernels against R.
 *
 * Reference values: tests/data/effect-reference.R (R 4.2.2, effectsize 0.8.3,
 * MASS 7.3-58.2, Debian 12), whose output labels are quoted beside each
 * number. "exact ncp" values are R's uniroot(pt(t, df, ncp) - target,
 * tol = 1e-15): effectsize 0.8.3 finds the same roots with optim(Nelder–Mead,
 * abstol = 1e-9 on |p − target|), so its limits agree with the exact roots
 * to ~1e-7 only; they are checked at 5e-7 with this reason, the exact ones
 * at 1e-9. */
#include "config.h"
#include <string.h>
#include "testutil.h"

/* R: sleep$extra[sleep$group == 1] (pre) and [== 2] (post), by ID */
static const double SLEEP_PRE[] = { 0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0 };
static const double SLEEP_POST[] = { 1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4 };

static void
test_ncp(void)
{
    double lo, hi;
    /* "sleep exact ncp CI / sqrt(n)": t = 4.0621276833820366, df 9 */
    CU_ASSERT_TRUE(impact_effect_ncp_t_ci(&lo, &hi, 4.0621276833820366, 9, 0.95));
    ASSERT_CLOSE(lo / sqrt(10), 0.41462775638014437, 1e-9);
    ASSERT_CLOSE(hi / sqrt(10), 2.11801651397706747, 1e-9);
    /* symmetric: t = 0 gives ±δ */
    CU_ASSERT_TRUE(impact_effect_ncp_t_ci(&lo, &hi, 0.0, 20, 0.9));
    ASSERT_CLOSE(lo, -hi, 1e-12);
    /* with ncp = 0 the limits for t = 0 are the t quantiles ... of a noncentral t:
     * at the limit pt(0, df, δ) = Φ(−δ) exactly, so δ_hi = qnorm(0.95) */
    ASSERT_CLOSE(hi, 1.6448536269514722, 1e-10); /* R: qnorm(0.95) */
    /* degenerate */
    CU_ASSERT_FALSE(impact_effect_ncp_t_ci(&lo, &hi, INFINITY, 9, 0.95));
    CU_ASSERT(isnan(lo) && isnan(hi));
    CU_ASSERT_FALSE(impact_effect_ncp_t_ci(&lo, &hi, NAN, 9, 0.95));
    CU_ASSERT_FALSE(impact_effect_ncp_t_ci(&lo, &hi, 1.0, 0, 0.95));
    CU_ASSERT_FALSE(impact_effect_ncp_t_ci(&lo, &hi, 1.0, 9, 1.0));
    /* large t: still bracketed */
    CU_ASSERT_TRUE(impact_effect_ncp_t_ci(&lo, &hi, 30.0, 100, 0.95));
    CU_ASSERT(lo < 30.0 && hi > 30.0);
}

static void
test_paired_sleep(void)
{
    ImpactPairedEffect e;
    impact_effect_paired(&e, SLEEP_PRE, SLEEP_POST, 10, 0.95);
    CU_ASSERT_EQUAL(e.n, 10);
    ASSERT_CLOSE(e.mean_change, 1.58, 1e-14);
    ASSERT_CLOSE(e.sd_change, 1.2299954832798732, 1e-13); /* "sleep sd change" */
    ASSERT_CLOSE(e.r, 0.79517020583357778, 1e-13);         /* "sleep r" */
    /* t.test(post, pre, paired = TRUE) */
    ASSERT_CLOSE(e.t, 4.0621276833820366, 1e-13);
    CU_ASSERT_EQUAL(e.df, 9);
    ASSERT_CLOSE(e.p, 0.0028328901973842702, 1e-11);
    ASSERT_CLOSE(e.change_lo, 0.70011423672301754, 1e-13);
    ASSERT_CLOSE(e.change_hi, 2.45988576327698238, 1e-13);
    /* cohens_d(post, pre, paired = TRUE): 1.2845575625910546 [0.4146276676673542,
     * 2.1180165087725014] (optim: 5e-7); exact ncp roots at 1e-9 */
    ASSERT_CLOSE(e.d_z, 1.2845575625910546, 1e-13);
    ASSERT_CLOSE(e.d_z_lo, 0.4146276676673542, 5e-7);
    ASSERT_CLOSE(e.d_z_hi, 2.1180165087725014, 5e-7);
    ASSERT_CLOSE(e.d_z_lo, 0.41462775638014437, 1e-9);
    ASSERT_CLOSE(e.d_z_hi, 2.11801651397706747, 1e-9);
    /* hedges_g(post, pre, paired = TRUE): 1.17392490351420498 [0.37891781492370175,
     * 1.93560210776930952]; J(9) = 0.9138748918 (REFERENCE.md 2.9) */
    ASSERT_CLOSE(e.j, 0.9138748918, 1e-10);
    ASSERT_CLOSE(e.g_z, 1.17392490351420498, 1e-13);
    ASSERT_CLOSE(e.g_z_lo, 0.37891781492370175, 5e-7);
    ASSERT_CLOSE(e.g_z_hi, 1.93560210776930952, 5e-7);
    ASSERT_CLOSE(e.g_z_lo, 0.41462775638014437 * e.j, 1e-9);
    /* rm_d formulas in R ("sleep d_rm, CI" ... "sleep g_b, CI"); the g rows
     * equal REFERENCE.md's effectsize 1.0.3 table */
    ASSERT_CLOSE(e.d_rm, 0.82217663838630950, 1e-13);
    ASSERT_CLOSE(e.d_rm_lo, 0.36331089727055083, 1e-13);
    ASSERT_CLOSE(e.d_rm_hi, 1.28104237950206823, 1e-13);
    ASSERT_CLOSE(e.g_rm, 0.75136658643965315, 1e-13);
    ASSERT_CLOSE(e.g_rm_lo, 0.33202070693017982, 1e-13);
    ASSERT_CLOSE(e.g_rm_hi, 1.17071246594912659, 1e-13);
    ASSERT_CLOSE(e.d_av, 0.83218108134953972, 1e-13);
    ASSERT_CLOSE(e.d_av_lo, 0.43065629552529827, 1e-13);
    ASSERT_CLOSE(e.d_av_hi, 1.23370586717378128, 1e-13);
    ASSERT_CLOSE(e.g_av, 0.76050939567011999, 1e-13);
    ASSERT_CLOSE(e.g_av_lo, 0.39356597547296351, 1e-13);
    ASSERT_CLOSE(e.g_av_hi, 1.12745281586727653, 1e-13);
    ASSERT_CLOSE(e.d_b, 0.88317019036053779, 1e-13);
    ASSERT_CLOSE(e.d_b_lo, 0.32892842226391095, 1e-13);
    ASSERT_CLOSE(e.d_b_hi, 1.43741195845716474, 1e-13);
    ASSERT_CLOSE(e.g_b, 0.80710706215014449, 1e-13);
    ASSERT_CLOSE(e.g_b_lo, 0.30059942630392666, 1e-13);
    ASSERT_CLOSE(e.g_b_hi, 1.31361469799636255, 1e-13);

    /* the summary form (means, variances, covariance) gives the same */
    ImpactPairedEffect s;
    double mx, vx, my, vy;
    impact_stats_mean_var(SLEEP_PRE, 10, &mx, &vx, NULL);
    impact_stats_mean_var(SLEEP_POST, 10, &my, &vy, NULL);
    double cov = 0;
    for (int i = 0; i < 10; i++) {
        cov += (SLEEP_PRE[i] - mx) * (SLEEP_POST[i] - my) / 9;
    }
    impact_effect_paired_summary(&s, 10, mx, my, vx, vy, cov, 0.95);
    ASSERT_CLOSE(s.d_z, e.d_z, 1e-12);
    ASSERT_CLOSE(s.d_z_hi, e.d_z_hi, 1e-10);
    ASSERT_CLOSE(s.g_b_lo, e.g_b_lo, 1e-12);
}

static void
test_paired_degenerate(void)
{
    ImpactPairedEffect e;
    /* no complete pair */
    const double a[] = { 1, NAN }, b[] = { NAN, 2 };
    impact_effect_paired(&e, a, b, 2, 0.95);
    CU_ASSERT_EQUAL(e.n, 0);
    ASSERT_NAN(e.mean_change);
    ASSERT_NAN(e.d_z);
    /* one pair: means, no SDs */
    const double c[] = { 1, 3 }, d[] = { 2, NAN };
    impact_effect_paired(&e, c, d, 2, 0.95);
    CU_ASSERT_EQUAL(e.n, 1);
    ASSERT_CLOSE(e.mean_change, 1.0, 0);
    ASSERT_NAN(e.sd_change);
    ASSERT_NAN(e.t);
    /* constant change: s_D = 0 → t, d_z, d_rm NaN; d_av and d_b defined */
    const double pre[] = { 1, 2, 3, 4 }, post[] = { 2, 3, 4, 5 };
    impact_effect_paired(&e, pre, post, 4, 0.95);
    ASSERT_CLOSE(e.sd_change, 0.0, 0);
    ASSERT_NAN(e.t);
    ASSERT_NAN(e.p);
    ASSERT_NAN(e.d_z);
    ASSERT_NAN(e.d_z_lo);
    ASSERT_NAN(e.d_rm);
    ASSERT_CLOSE(e.r, 1.0, 1e-15);
    /* d_av = 1/sd(1:4) = 1/1.2909944487358056 (R: sd(1:4)) */
    ASSERT_CLOSE(e.d_av, 1.0 / 1.2909944487358056, 1e-14);
    ASSERT_CLOSE(e.change_lo, 1.0, 1e-15);
    /* n = 2: J(1) undefined → g's NaN, d's defined */
    const double p2[] = { 1, 2 }, q2[] = { 2, 5 };
    impact_effect_paired(&e, p2, q2, 2, 0.95);
    ASSERT_NAN(e.j);
    ASSERT_NAN(e.g_av);
    CU_ASSERT(isfinite(e.d_av));
    /* constant baseline: r and d_b NaN */
    const double p3[] = { 2, 2, 2 }, q3[] = { 1, 3, 4 };
    impact_effect_paired(&e, p3, q3, 3, 0.95);
    ASSERT_NAN(e.r);
    ASSERT_NAN(e.d_b);
    ASSERT_NAN(e.d_rm);
    CU_ASSERT(isfinite(e.d_z));
}

static void
test_independent(void)
{
    ImpactIndependentEffect e;
    /* effectsize::cohens_d(extra ~ group, data = sleep): x = group 1 */
    impact_effect_independent(&e, SLEEP_PRE, 10, SLEEP_POST, 10, 0.95);
    ASSERT_CLOSE(e.d, -0.832181081349539609, 1e-13);
    ASSERT_CLOSE(e.d_lo, -1.738816769254416972, 5e-7);
    ASSERT_CLOSE(e.d_hi, 0.095450435657509741, 5e-7);
    ASSERT_CLOSE(e.d_lo, -1.73881689910342652, 1e-9); /* exact ncp */
    ASSERT_CLOSE(e.d_hi, 0.09545039821142294, 1e-9);
    ASSERT_CLOSE(e.t, -1.860813467486852835, 1e-13); /* t.test(var.equal = TRUE) */
    ASSERT_CLOSE(e.p, 0.079186714215938175, 1e-11);
    CU_ASSERT_EQUAL(e.df, 18);
    ASSERT_CLOSE(e.j, 0.9576464270, 1e-10); /* REFERENCE.md 2.9: J(18) */
    /* hedges_g(extra ~ group, data = sleep) */
    ASSERT_CLOSE(e.g, -0.796935239191122302, 1e-13);
    ASSERT_CLOSE(e.g_lo, -1.665171666325420574, 5e-7);
    ASSERT_CLOSE(e.g_hi, 0.091407768665271685, 5e-7);

    /* MASS::anorexia, post weights FT vs Cont (R: anorexia$Postwt by Treat):
     * cohens_d(T$Postwt, C$Postwt) */
    const double ft_post[] = { 95.2, 94.3, 91.5, 91.9, 100.3, 76.7, 76.8, 101.6, 94.9,
                               75.2, 77.8, 95.5, 90.7, 92.5, 93.8, 91.7, 98.0 };
    const double cont_post[] = { 80.2, 80.1, 86.4, 86.3, 76.1, 78.1, 75.1, 86.7, 73.5,
                                 84.6, 77.4, 79.5, 89.6, 81.4, 81.8, 77.3, 84.2, 75.4,
                                 79.5, 73.0, 88.3, 84.7, 81.4, 81.2, 88.2, 78.8 };
    impact_effect_independent(&e, ft_post, 17, cont_post, 26, 0.95);
    ASSERT_CLOSE(e.d, 1.4526113288741820, 1e-13);
    ASSERT_CLOSE(e.d_lo, 0.75856407773413359, 1e-9); /* "FT exact ncp d CI" */
    ASSERT_CLOSE(e.d_hi, 2.13253679767932436, 1e-9);
    ASSERT_CLOSE(e.g, 1.42584867443398111, 1e-13); /* hedges_g(T$Postwt, C$Postwt) */
    ASSERT_CLOSE(e.g_lo, 0.74458847084042523, 5e-7);

    /* degenerate: empty group, n = 2 in all, zero pooled SD */
    const double one[] = { 1.0 }, two[] = { 2.0, 2.0 };
    impact_effect_independent(&e, one, 1, NULL, 0, 0.95);
    ASSERT_NAN(e.d);
    ASSERT_NAN(e.mean_y);
    impact_effect_independent(&e, one, 1, one, 1, 0.95);
    ASSERT_NAN(e.d);
    impact_effect_independent(&e, two, 2, one, 1, 0.95);
    ASSERT_NAN(e.d); /* s_p = 0 */
    CU_ASSERT_EQUAL(e.sd_pooled, 0.0);
}

static void
test_did_ppc2(void)
{
    /* MASS::anorexia (R: anorexia[anorexia$Treat == "FT" / "Cont", c("Prewt", "Postwt")]),
     * FT (n 17) against Cont (n 26) */
    const double ft_pre[] = { 83.8, 83.3, 86.0, 82.5, 86.7, 79.6, 76.9, 94.2, 73.4,
                              80.5, 81.6, 82.1, 77.6, 83.5, 89.9, 86.0, 87.3 };
    const double ft_post[] = { 95.2, 94.3, 91.5, 91.9, 100.3, 76.7, 76.8, 101.6, 94.9,
                               75.2, 77.8, 95.5, 90.7, 92.5, 93.8, 91.7, 98.0 };
    const double c_pre[] = { 80.7, 89.4, 91.8, 74.0, 78.1, 88.3, 87.3, 75.1, 80.6,
                             78.4, 77.6, 88.7, 81.3, 78.1, 70.5, 77.3, 85.2, 86.0,
                             84.1, 79.7, 85.5, 84.4, 79.6, 77.5, 72.3, 89.0 };
    const double c_post[] = { 80.2, 80.1, 86.4, 86.3, 76.1, 78.1, 75.1, 86.7, 73.5,
                              84.6, 77.4, 79.5, 89.6, 81.4, 81.8, 77.3, 84.2, 75.4,
                              79.5, 73.0, 88.3, 84.7, 81.4, 81.2, 88.2, 78.8 };
    ImpactPairedEffect t, c;
    impact_effect_paired(&t, ft_pre, ft_post, 17, 0.95);
    impact_effect_paired(&c, c_pre, c_post, 26, 0.95);
    ASSERT_CLOSE(t.mean_change, 7.2647058823529420, 1e-13); /* "FT paired n, m, t, p" */
    ASSERT_CLOSE(t.t, 4.1849081352900326, 1e-12);
    ASSERT_CLOSE(t.p, 7.0025310560053935e-04, 1e-10);
    ASSERT_CLOSE(t.d_z_lo, 0.41513751544178007, 1e-9); /* "FT exact ncp d_z CI" */
    ASSERT_CLOSE(t.d_z_hi, 1.59425935249125739, 1e-9);
    ASSERT_CLOSE(t.d_rm, 0.97544331641471216, 1e-12); /* "FT d_rm d_av d_b" */
    ASSERT_CLOSE(t.d_av, 1.04318299829121575, 1e-12);
    ASSERT_CLOSE(t.d_b, 1.44810660782034195, 1e-12);
    ASSERT_CLOSE(t.g_av, 0.99337501052551258, 1e-12);
    ASSERT_CLOSE(c.mean_change, -0.44999999999999901, 1e-12); /* "Cont paired ..." */
    ASSERT_CLOSE(c.t, -0.28722539101502548, 1e-11);

    /* "FT DiD, CI" and "FT Welch t, df, p": t.test(cT, cC) */
    ImpactDid w;
    impact_effect_did(&w, t.n, t.mean_change, t.sd_change, c.n, c.mean_change, c.sd_change,
                      0.95);
    ASSERT_CLOSE(w.did, 7.7147058823529413, 1e-13);
    ASSERT_CLOSE(w.lo, 2.9765966415247678, 1e-12);
    ASSERT_CLOSE(w.hi, 12.4528151231811144, 1e-12);
    ASSERT_CLOSE(w.t, 3.2991600038977111353, 1e-12);
    ASSERT_CLOSE(w.df, 36.9788639294643033395, 1e-12);
    ASSERT_CLOSE(w.p, 0.0021518135575196071, 1e-10);

    /* "FT d_ppc2, rho, var, CI" (MDMA convention: ρ over the pooled rows) */
    double rows_pre[43], rows_post[43];
    memcpy(rows_pre, ft_pre, sizeof ft_pre);
    memcpy(rows_pre + 17, c_pre, sizeof c_pre);
    memcpy(rows_post, ft_post, sizeof ft_post);
    memcpy(rows_post + 17, c_post, sizeof c_post);
    ImpactPairedEffect pooled;
    impact_effect_paired(&pooled, rows_pre, rows_post, 43, 0.95);
    ASSERT_CLOSE(pooled.r, 0.23157305041366352, 1e-13);
    ImpactPpc2 m;
    impact_effect_ppc2(&m, t.n, t.mean_pre, t.mean_post, t.sd_pre, c.n, c.mean_pre, c.mean_post,
                       c.sd_pre, pooled.r, 0.95);
    ASSERT_CLOSE(m.cp, 1.0 - 3.0 / (4.0 * 41 - 1), 1e-15);
    ASSERT_CLOSE(m.d, 1.38998245698661260, 1e-13);
    ASSERT_CLOSE(m.var, 0.17644975922922645, 1e-12);
    ASSERT_CLOSE(m.lo, 0.56668148893151171, 1e-12);
    ASSERT_CLOSE(m.hi, 2.21328342504171349, 1e-12);
    /* "FT within-arm rho, var" */
    impact_effect_ppc2(&m, t.n, t.mean_pre, t.mean_post, t.sd_pre, c.n, c.mean_pre, c.mean_post,
                       c.sd_pre, 0.17795973781366783, 0.95);
    ASSERT_CLOSE(m.var, 0.18701629992116686, 1e-12);

    /* degenerate */
    impact_effect_did(&w, 1, 1.0, NAN, 5, 0.5, 1.0, 0.95);
    ASSERT_CLOSE(w.did, 0.5, 0);
    ASSERT_NAN(w.lo);
    impact_effect_did(&w, 0, NAN, NAN, 5, 0.5, 1.0, 0.95);
    ASSERT_NAN(w.did);
    impact_effect_did(&w, 3, 1.0, 0.0, 3, 0.0, 0.0, 0.95);
    ASSERT_NAN(w.t); /* se = 0 */
    impact_effect_ppc2(&m, 1, 0, 1, NAN, 5, 0, 0, 1, 0.5, 0.95);
    ASSERT_NAN(m.d);
    impact_effect_ppc2(&m, 2, 0, 1, 1, 2, 0, 0, 1, 0.5, 0.95);
    CU_ASSERT(isfinite(m.d)); /* n_T + n_C = 4: d but no variance */
    ASSERT_NAN(m.var);
    impact_effect_ppc2(&m, 5, 0, 1, 1, 5, 0, 0, 1, 1.0, 0.95);
    ASSERT_NAN(m.var); /* ρ = 1 */
    impact_effect_ppc2(&m, 5, 0, 1, 0, 5, 0, 0, 0, 0.5, 0.95);
    ASSERT_NAN(m.d); /* no baseline spread */
}

static void
test_rci(void)
{
    ImpactRci r;
    double rci[10];
    /* "sleep S_diff (rxx .8)", "sleep RCI", counts 2 / 8 / 0; sd(pre) from R */
    double sd_pre;
    impact_stats_mean_var(SLEEP_PRE, 10, NULL, &sd_pre, NULL);
    sd_pre = sqrt(sd_pre);
    CU_ASSERT_TRUE(impact_effect_rci(&r, rci, SLEEP_PRE, SLEEP_POST, 10, sd_pre, 0.8));
    ASSERT_CLOSE(r.s_diff, 1.1314690549114554, 1e-14);
    ASSERT_CLOSE(rci[1], 2.12113622514211420, 1e-13);
    ASSERT_CLOSE(rci[8], 4.06551109818905143, 1e-13);
    CU_ASSERT_EQUAL(r.n, 10);
    CU_ASSERT_EQUAL(r.improved, 2);
    CU_ASSERT_EQUAL(r.unchanged, 8);
    CU_ASSERT_EQUAL(r.deteriorated, 0);
    /* REFERENCE.md 2.10: s_pre = 10, r_xx = .8 → S_diff 6.324555; a drop of 13 deteriorates */
    const double pre[] = { 50, 50, 50, NAN }, post[] = { 63, 37, 55, 1 };
    CU_ASSERT_TRUE(impact_effect_rci(&r, rci, pre, post, 4, 10, 0.8));
    ASSERT_CLOSE(r.s_diff, 6.324555320336759, 1e-14); /* √2·10·√.2 = √40 */
    CU_ASSERT_EQUAL(r.n, 3);
    CU_ASSERT_EQUAL(r.improved, 1);
    CU_ASSERT_EQUAL(r.deteriorated, 1);
    CU_ASSERT_EQUAL(r.unchanged, 1);
    ASSERT_NAN(rci[3]);
    /* undefined S_diff */
    CU_ASSERT_FALSE(impact_effect_rci(&r, rci, pre, post, 4, 10, 1.0));
    ASSERT_NAN(r.s_diff);
    CU_ASSERT_EQUAL(r.n, 0);
    ASSERT_NAN(rci[0]);
    CU_ASSERT_FALSE(impact_effect_rci(&r, NULL, pre, post, 4, 0.0, 0.8));
    CU_ASSERT_FALSE(impact_effect_rci(&r, NULL, pre, post, 4, 10, NAN));
    CU_ASSERT_FALSE(impact_effect_rci(&r, NULL, pre, post, 4, 10, -0.1));
}

static CU_TestInfo tests[] = {
    { "noncentral-t interval against exact roots", test_ncp },
    { "paired effects on sleep (t.test, cohens_d, hedges_g, rm_d formulas)", test_paired_sleep },
    { "paired degenerate inputs", test_paired_degenerate },
    { "independent groups (cohens_d, hedges_g)", test_independent },
    { "DiD (Welch) and Morris d_ppc2 on anorexia", test_did_ppc2 },
    { "reliable change index", test_rci },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "effect", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int
main(void)
{
    return test_run(suites);
}
