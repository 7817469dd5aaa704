/* test-disclosure.c — k-anonymity with primary and complementary
 * suppression: hand cases, errors, and an attack that tries to derive the
 * sum of fewer than k people from everything published by solving the
 * linear system of the published sums. */
#include "config.h"
#include <string.h>
#include "testutil.h"

#define P IMPACT_DISCLOSURE_PUBLISHED
#define PRI IMPACT_DISCLOSURE_PRIMARY
#define COM IMPACT_DISCLOSURE_COMPLEMENTARY

static void
decide(ImpactDisclosureStatus *st, gboolean *shown, const double *n, const gint *parent,
       gsize nu, gsize k, gboolean total)
{
    ImpactDisclosureOptions o = IMPACT_DISCLOSURE_OPTIONS_INIT;
    o.min_group = k;
    o.total_published = total;
    GError *err = NULL;
    CU_ASSERT_TRUE_FATAL(impact_disclosure_decide(st, shown, n, parent, nu, &o, &err));
    CU_ASSERT_TRUE(impact_disclosure_verify(st, shown, n, parent, nu, &o, &err));
    if (err) {
        fprintf(stderr, "%s\n", err->message);
        g_clear_error(&err);
    }
}

static void
test_names(void)
{
    CU_ASSERT_STRING_EQUAL(impact_disclosure_status_name(P), "published");
    CU_ASSERT_STRING_EQUAL(impact_disclosure_status_name(PRI), "primary");
    CU_ASSERT_STRING_EQUAL(impact_disclosure_status_name(COM), "complementary");
}

static void
test_flat(void)
{
    ImpactDisclosureStatus st[4];
    gboolean shown[4];
    /* nothing to do */
    decide(st, shown, NULL, NULL, 0, 3, TRUE);

    /* n = 5, 1, 4, total public (10): unit 1 primary; the total minus the
     * shown units would be unit 1's sum (1 person) -> suppress one more: both
     * 5 and 4 suffice (1 + 4 >= 3), the smaller, unit 2, is chosen. Its n
     * stays hidden: 10 - 5 - 4 would give unit 1's n = 1. */
    double n[] = { 5, 1, 4 };
    gint par[] = { -1, -1, -1 };
    decide(st, shown, n, par, 3, 3, TRUE);
    CU_ASSERT_EQUAL(st[0], P);
    CU_ASSERT_EQUAL(st[1], PRI);
    CU_ASSERT_EQUAL(st[2], COM);
    CU_ASSERT_TRUE(shown[0]);
    CU_ASSERT_FALSE(shown[1]);
    CU_ASSERT_FALSE(shown[2]);

    /* total not public: primary suppression only */
    decide(st, shown, n, par, 3, 3, FALSE);
    CU_ASSERT_EQUAL(st[2], P);

    /* k = 1: everything published */
    decide(st, shown, n, par, 3, 1, TRUE);
    CU_ASSERT(st[0] == P && st[1] == P && st[2] == P);

    /* two primaries of 1 and 2 people: residual 3 >= k, nothing more */
    double n2[] = { 5, 1, 2, 7 };
    gint par2[] = { -1, -1, -1, -1 };
    decide(st, shown, n2, par2, 4, 3, TRUE);
    CU_ASSERT(st[0] == P && st[1] == PRI && st[2] == PRI && st[3] == P);

    /* none suffices alone: k = 10, residual 1, candidates 5, 5, 12 -> 12
     * suffices alone and is taken (1 + 12 >= 10) */
    double n3[] = { 1, 12, 10, 10 };
    decide(st, shown, n3, par2, 4, 10, TRUE);
    CU_ASSERT(st[0] == PRI && st[1] == P && st[2] == COM && st[3] == P);
    /* complementary unit 2 shows n? R(root) would become 33-22-10 = 1 < 10: no */
    CU_ASSERT_FALSE(shown[2]);
}

static void
test_two_levels(void)
{
    ImpactDisclosureStatus st[5];
    gboolean shown[5];
    /* organisation 0 (n = 10) with teams of 6, 2, 2: the teams of 2 are
     * primary; R(org) = 10 - 6 = 4 >= 3: fine. */
    double n[] = { 10, 6, 2, 2 };
    gint par[] = { -1, 0, 0, 0 };
    decide(st, shown, n, par, 4, 3, TRUE);
    CU_ASSERT(st[0] == P && st[1] == P && st[2] == PRI && st[3] == PRI);

    /* organisation of 8 with teams 6 and 2: R = 2 -> team of 6 hidden too */
    double m[] = { 8, 6, 2 };
    gint pm[] = { -1, 0, 0 };
    decide(st, shown, m, pm, 3, 3, TRUE);
    CU_ASSERT(st[0] == P && st[1] == COM && st[2] == PRI);
    CU_ASSERT_FALSE(shown[1]); /* 8 - 6 would give the team of 2 */

    /* organisation with people in no team: 9 people, teams 4 and 4, one
     * unassigned person: R = 1 -> a team is hidden (R = 5) */
    double u[] = { 9, 4, 4 };
    decide(st, shown, u, pm, 3, 3, TRUE);
    CU_ASSERT(st[0] == P && st[1] == COM && st[2] == P);

    /* a small organisation (2, with a team of 2) and one of 3 (a team of
     * 3): the total (5) minus the organisation of 3 would give the 2 people
     * of the small one, so it goes: R(org of 3) = 0 (its team covers it),
     * so it is hidden first, then its team (gain 3). */
    double s[] = { 2, 2, 3, 3 };
    gint ps[] = { -1, 0, -1, 2 };
    decide(st, shown, s, ps, 4, 3, TRUE);
    CU_ASSERT(st[0] == PRI && st[1] == PRI && st[2] == COM && st[3] == COM);
    /* without a public total both of 3 are shown */
    decide(st, shown, s, ps, 4, 3, FALSE);
    CU_ASSERT(st[0] == PRI && st[1] == PRI && st[2] == P && st[3] == P);
}

static void
test_two_levels_total(void)
{
    /* organisations 0 (n 2, primary) and 1 (n 3) with team 2 (n 3) in 1:
     * total 5; R(total) = 5 - 3 = 2 -> suppress: candidates org 1 (R = 0:
     * its team covers it) -> org 1 suppressed first, then its team */
    ImpactDisclosureStatus st[3];
    gboolean shown[3];
    double n[] = { 2, 3, 3 };
    gint par[] = { -1, -1, 1 };
    decide(st, shown, n, par, 3, 3, TRUE);
    CU_ASSERT_EQUAL(st[0], PRI);
    CU_ASSERT_EQUAL(st[1], COM);
    CU_ASSERT_EQUAL(st[2], COM);
}

static void
test_errors(void)
{
    ImpactDisclosureStatus st[3];
    GError *err = NULL;
    double n[] = { 5, 6, 1 };
    gint bad[] = { -1, 7, -1 };
    CU_ASSERT_FALSE(impact_disclosure_decide(st, NULL, n, bad, 3, NULL, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "unit 1 has an invalid parent 7");
    gint cyc[] = { 1, 0, -1 };
    CU_ASSERT_FALSE(impact_disclosure_decide(st, NULL, n, cyc, 3, NULL, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "form a cycle");
    gint self[] = { 0, -1, -1 };
    CU_ASSERT_FALSE(impact_disclosure_decide(st, NULL, n, self, 3, NULL, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "unit 0 has an invalid parent 0");
    gint big[] = { -1, 0, -1 }; /* unit 0 (5) holds unit 1 (6) */
    CU_ASSERT_FALSE(impact_disclosure_decide(st, NULL, n, big, 3, NULL, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "unit 0 has n = 5 but its units hold 6 people");
    double frac[] = { 5, 2.5, 1 };
    gint flat0[] = { -1, -1, -1 };
    CU_ASSERT_FALSE(impact_disclosure_decide(st, NULL, frac, flat0, 3, NULL, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "unit 1 has n = 2.5, not a whole number >= 0");
    frac[1] = -1;
    CU_ASSERT_FALSE(impact_disclosure_decide(st, NULL, frac, flat0, 3, NULL, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "unit 1 has n = -1");
    frac[1] = NAN;
    CU_ASSERT_FALSE(impact_disclosure_verify(st, NULL, frac, flat0, 3, NULL, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "unit 1 has n = nan");
    ImpactDisclosureOptions o = IMPACT_DISCLOSURE_OPTIONS_INIT;
    o.min_group = 0;
    gint flat[] = { -1, -1, -1 };
    CU_ASSERT_FALSE(impact_disclosure_decide(st, NULL, n, flat, 3, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "at least 1");
    o = (ImpactDisclosureOptions) IMPACT_DISCLOSURE_OPTIONS_INIT;
    o.version = 9;
    CU_ASSERT_FALSE(impact_disclosure_verify(st, NULL, n, flat, 3, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "unknown version 9");

    /* verify rejects unsafe decisions */
    ImpactDisclosureStatus all[] = { P, P, P };
    CU_ASSERT_FALSE(impact_disclosure_verify(all, NULL, n, flat, 3, NULL, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INSUFFICIENT, "unit 2 is published with n = 1 < k = 3");
    ImpactDisclosureStatus prim[] = { P, P, PRI };
    CU_ASSERT_FALSE(impact_disclosure_verify(prim, NULL, n, flat, 3, NULL, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INSUFFICIENT, "number 1 (< k = 3): the total reveals them");
    double m[] = { 8, 6, 2 };
    gint pm[] = { -1, 0, 0 };
    ImpactDisclosureStatus inner[] = { P, P, PRI };
    CU_ASSERT_FALSE(impact_disclosure_verify(inner, NULL, m, pm, 3, NULL, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INSUFFICIENT,
                 "the people of unit 0 outside its units whose statistics are shown number 2");
    ImpactDisclosureStatus okst[] = { P, COM, PRI };
    gboolean shown_bad[] = { TRUE, TRUE, FALSE };
    CU_ASSERT_TRUE(impact_disclosure_verify(okst, NULL, m, pm, 3, NULL, &err));
    CU_ASSERT_FALSE(impact_disclosure_verify(okst, shown_bad, m, pm, 3, NULL, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INSUFFICIENT, "whose n is shown number 2");
    gboolean shown_pri[] = { TRUE, FALSE, TRUE };
    CU_ASSERT_FALSE(impact_disclosure_verify(okst, shown_pri, m, pm, 3, NULL, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INSUFFICIENT, "the count of unit 2 (n = 2 < k = 3) is shown");
}

/* ---- the attack --------------------------------------------------------- */

/* Row-reduced basis of published indicator vectors over m people. */
typedef struct {
    gsize m, rank;
    double *rows; /* rank x m */
    gsize *pivot;
} Span;

static void
span_init(Span *s, gsize m)
{
    s->m = m;
    s->rank = 0;
    s->rows = g_new0(double, (m + 1) * m);
    s->pivot = g_new0(gsize, m + 1);
}

static void
span_clear(Span *s)
{
    g_free(s->rows);
    g_free(s->pivot);
}

/* Reduces v by the basis; returns TRUE if nothing is left (v in the span). */
static gboolean
span_reduce(const Span *s, double *v)
{
    for (gsize r = 0; r < s->rank; r++) {
        double f = v[s->pivot[r]];
        if (f != 0.0) {
            for (gsize j = 0; j < s->m; j++) {
                v[j] -= f * s->rows[r * s->m + j];
            }
        }
    }
    for (gsize j = 0; j < s->m; j++) {
        if (fabs(v[j]) > 1e-9) {
            return FALSE;
        }
    }
    return TRUE;
}

static void
span_add(Span *s, const double *x)
{
    g_autofree double *v = g_memdup2(x, s->m * sizeof(double));
    if (span_reduce(s, v)) {
        return;
    }
    gsize p = 0;
    while (fabs(v[p]) <= 1e-9) {
        p++;
    }
    double f = v[p];
    for (gsize j = 0; j < s->m; j++) {
        v[j] /= f;
    }
    /* keep the basis reduced: eliminate p from earlier rows */
    for (gsize r = 0; r < s->rank; r++) {
        double g = s->rows[r * s->m + p];
        for (gsize j = 0; g != 0.0 && j < s->m; j++) {
            s->rows[r * s->m + j] -= g * v[j];
        }
    }
    memcpy(s->rows + s->rank * s->m, v, s->m * sizeof(double));
    s->pivot[s->rank++] = p;
}

/* A random hierarchy: organisations (some with unassigned people), teams
 * inside them or at the top; people numbered 0..m-1 and the set of each unit. */
typedef struct {
    gsize nu, m;
    double n[24];
    gint parent[24];
    gsize first[24]; /* people of unit u: a contiguous range [first, first + n) */
} World;

static void
make_world(World *w, GRand *rng)
{
    memset(w, 0, sizeof *w);
    gsize n_org = (gsize) g_rand_int_range(rng, 0, 4);
    gsize person = 0;
    for (gsize o = 0; o < n_org; o++) {
        gsize org = w->nu++;
        w->parent[org] = -1;
        w->first[org] = person;
        gsize teams = (gsize) g_rand_int_range(rng, 0, 5);
        for (gsize t = 0; t < teams; t++) {
            gsize u = w->nu++;
            w->parent[u] = (gssize) org;
            w->first[u] = person;
            w->n[u] = g_rand_int_range(rng, 0, 8);
            person += (gsize) w->n[u];
        }
        person += (gsize) g_rand_int_range(rng, 0, 3) == 0 ? (gsize) g_rand_int_range(rng, 1, 4) : 0;
        w->n[org] = (double) (person - w->first[org]);
    }
    gsize loose = (gsize) g_rand_int_range(rng, n_org ? 0 : 1, 5);
    for (gsize t = 0; t < loose; t++) {
        gsize u = w->nu++;
        w->parent[u] = -1;
        w->first[u] = person;
        w->n[u] = g_rand_int_range(rng, 0, 9);
        person += (gsize) w->n[u];
    }
    w->m = person;
}

static void
indicator(double *v, const World *w, gsize u)
{
    memset(v, 0, w->m * sizeof(double));
    for (gsize i = 0; i < (gsize) w->n[u]; i++) {
        v[w->first[u] + i] = 1.0;
    }
}

/* Every set of 1..k-1 people (k <= 4) whose indicator lies in the span. */
static gsize
small_sets_in_span(const Span *s, gsize m, gsize k)
{
    gsize found = 0;
    g_autofree double *v = g_new(double, MAX(m, 1));
    for (gsize a = 0; a < m; a++) {
        for (gsize b = (k > 2 ? a : m); b <= m; b++) {
            for (gsize c = (k > 3 ? b : m); c <= m; c++) {
                /* b == m / c == m: not used; b == a etc.: smaller sets */
                memset(v, 0, m * sizeof(double));
                v[a] = 1.0;
                if (b < m) {
                    v[b] = 1.0;
                }
                if (c < m) {
                    v[c] = 1.0;
                }
                if (span_reduce(s, v)) {
                    found++;
                }
            }
        }
    }
    return found;
}

static void
test_attack(void)
{
    /* 400 random hierarchies, k = 2..4, total public or not: decide, then
     * build the span of the published sums (every published unit, the total)
     * and try every set of fewer than k people; do the same for the counts
     * (units whose n is shown) against every primary unit. Nothing may be
     * derivable. The attack also shows the rule is needed: with primary
     * suppression only, it finds something in many worlds. */
    GRand *rng = g_rand_new_with_seed(20261122);
    gsize leaks_primary_only = 0, worlds_with_complementary = 0;
    for (int trial = 0; trial < 400; trial++) {
        World w;
        make_world(&w, rng);
        gsize k = (gsize) g_rand_int_range(rng, 2, 5);
        gboolean total = g_rand_boolean(rng);
        ImpactDisclosureStatus st[24];
        gboolean shown[24];
        decide(st, shown, w.n, w.parent, w.nu, k, total);
        gsize total_n = 0;
        for (gsize u = 0; u < w.nu; u++) {
            total_n += w.parent[u] < 0 ? (gsize) w.n[u] : 0;
            worlds_with_complementary += st[u] == COM;
        }
        if (w.m == 0) {
            continue;
        }
        g_autofree double *v = g_new(double, w.m);
        for (int pass = 0; pass < 3; pass++) {
            /* pass 0: sums of published units; 1: counts of shown units;
             * 2: primary suppression only (the naive rule) */
            Span s;
            span_init(&s, w.m);
            for (gsize u = 0; u < w.nu; u++) {
                gboolean use = pass == 0   ? st[u] == P
                               : pass == 1 ? shown[u]
                                           : w.n[u] >= (double) k;
                if (use) {
                    indicator(v, &w, u);
                    span_add(&s, v);
                }
            }
            if (total && total_n >= k) {
                for (gsize j = 0; j < w.m; j++) {
                    v[j] = 1.0;
                }
                span_add(&s, v);
            }
            gsize leaks = small_sets_in_span(&s, w.m, k);
            if (pass < 2) {
                CU_ASSERT_EQUAL(leaks, 0);
                if (leaks) {
                    fprintf(stderr, "trial %d pass %d: %zu small sets derivable\n", trial, pass,
                            leaks);
                }
            } else {
                leaks_primary_only += leaks > 0;
            }
            if (pass == 1) {
                /* no primary unit's count is derivable */
                for (gsize u = 0; u < w.nu; u++) {
                    if (st[u] == PRI && w.n[u] > 0) {
                        indicator(v, &w, u);
                        CU_ASSERT_FALSE(span_reduce(&s, v));
                    }
                }
            }
            span_clear(&s);
        }
    }
    /* the naive rule leaks in some worlds and complementary suppression
     * happened: the attack has teeth */
    CU_ASSERT(leaks_primary_only > 10);
    CU_ASSERT(worlds_with_complementary > 10);
    g_rand_free(rng);
}

int
main(void)
{
    CU_TestInfo tests[] = {
        { "status names", test_names },
        { "flat units", test_flat },
        { "teams in organisations", test_two_levels },
        { "the total reveals a small organisation", test_two_levels_total },
        { "errors and verify", test_errors },
        { "attack: solve the published sums", test_attack },
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = {
        { "disclosure", NULL, NULL, NULL, NULL, tests },
        CU_SUITE_INFO_NULL,
    };
    return test_run(suites);
}
