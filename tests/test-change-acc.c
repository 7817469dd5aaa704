/* test-change-acc.c — the change accumulator: any chunking and merge order
 * gives impact_change() of the whole table (impact_change() is itself
 * acc_new + acc_add(table) + acc_result), serialisation round trips, errors.
 *
 * The reference is impact_change() on the same table (whose values are
 * checked against R in test-change.c). Chunks added or merged in row order
 * keep the unit order, so every number (the bootstrap's included) equals
 * the one-table result up to the rounding of sums added in another order
 * (1e-12 relative); one chunk, or whole units per chunk with a given
 * reliability, give the same JSON byte for byte. */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include "testutil.h"

static ImpactCodebook *cb_univbct, *cb_anorexia, *cb_bfi;
static ImpactTable *t_univbct, *t_anorexia, *t_bfi;

static int
init(void)
{
    test_load_fixtures("change-univbct-codebook.csv", "change-univbct.csv", &cb_univbct, &t_univbct);
    test_load_fixtures("change-anorexia-codebook.csv", "change-anorexia.csv", &cb_anorexia, &t_anorexia);
    test_load_fixtures("bfi-codebook.csv", "change-bfi.csv", &cb_bfi, &t_bfi);
    return t_univbct && t_anorexia && t_bfi ? 0 : 1;
}

static int
cleanup(void)
{
    impact_table_free(t_univbct);
    impact_table_free(t_anorexia);
    impact_table_free(t_bfi);
    impact_codebook_free(cb_univbct);
    impact_codebook_free(cb_anorexia);
    impact_codebook_free(cb_bfi);
    return 0;
}

/* Compares two JSON texts of the same shape: every number within @tol
 * relative (absolute below 1), everything else equal. */
static gboolean
json_close(const char *a, const char *b, double tol)
{
    const char *p = a, *q = b;
    while (*p && *q) {
        gboolean na = *p == '-' || g_ascii_isdigit(*p), nb = *q == '-' || g_ascii_isdigit(*q);
        if (na && nb) {
            char *ea, *eb;
            double x = g_ascii_strtod(p, &ea), y = g_ascii_strtod(q, &eb);
            if (!(fabs(x - y) <= tol * MAX(1.0, fabs(y)))) {
                fprintf(stderr, "\n    differ at offset %ld: %.17g vs %.17g\n", (long) (p - a), x,
                        y);
                return FALSE;
            }
            p = ea;
            q = eb;
            continue;
        }
        if (*p != *q) {
            fprintf(stderr, "\n    differ at offset %ld: '%.40s' vs '%.40s'\n", (long) (p - a), p,
                    q);
            return FALSE;
        }
        p++;
        q++;
    }
    return *p == *q;
}

static char *
result_json(ImpactResult *r)
{
    char *s = impact_result_to_json(r, FALSE);
    impact_result_free(r);
    return s;
}

static char *
reference(const ImpactTable *t, const ImpactCodebook *cb, const ImpactChangeOptions *o)
{
    ImpactResult *r = NULL;
    GError *err = NULL;
    CU_ASSERT_TRUE_FATAL(impact_change(&r, t, cb, o, &err));
    return result_json(r);
}

/* rows [from, to) of @t (text levels kept, so the label order is the table's) */
static ImpactTable *
rows(const ImpactTable *t, gsize from, gsize to)
{
    gsize n = impact_table_n_rows(t);
    g_autofree gboolean *keep = g_new(gboolean, n);
    for (gsize i = 0; i < n; i++) {
        keep[i] = i >= from && i < to;
    }
    ImpactTable *out = NULL;
    CU_ASSERT_TRUE_FATAL(impact_table_filter(&out, t, keep, n, NULL));
    return out;
}

static ImpactChangeAcc *
acc_of(const ImpactTable *t, const ImpactCodebook *cb, const ImpactChangeOptions *o)
{
    GError *err = NULL;
    ImpactChangeAcc *acc = impact_change_acc_new(cb, o, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(acc);
    CU_ASSERT_TRUE_FATAL(impact_change_acc_add(acc, t, &err));
    return acc;
}

/* a serialise/deserialise round trip (what Dask does between processes) */
static ImpactChangeAcc *
round_trip(ImpactChangeAcc *acc, const ImpactCodebook *cb)
{
    GBytes *b = impact_change_acc_serialize(acc);
    GError *err = NULL;
    ImpactChangeAcc *copy = impact_change_acc_deserialize(b, cb, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
    GBytes *b2 = impact_change_acc_serialize(copy);
    CU_ASSERT_TRUE(g_bytes_equal(b, b2)); /* the bytes describe the state fully */
    g_bytes_unref(b);
    g_bytes_unref(b2);
    impact_change_acc_free(acc);
    return copy;
}

static char *
acc_json(const ImpactChangeAcc *acc)
{
    ImpactResult *r = NULL;
    GError *err = NULL;
    if (!impact_change_acc_result(&r, acc, &err)) {
        fprintf(stderr, "acc_result: %s\n", err->message);
        g_error_free(err);
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    return result_json(r);
}

/* The ways of splitting @t into chunks of @size rows:
 * 0: added one after the other to one accumulator;
 * 1: one accumulator per chunk, serialised, merged left to right;
 * 2: pairwise tree merge ((c0 + c1) + (c2 + c3)) + ..., in chunk order;
 * 3: in reverse order (c_last-1, c_last-2, ... merged into c_last): another
 *    unit order, so only for results without a bootstrap (and one arm, or
 *    arms met in the same order). */
static char *
chunked(const ImpactTable *t, const ImpactCodebook *cb, const ImpactChangeOptions *o,
        gsize size, int way)
{
    gsize n = impact_table_n_rows(t), k = (n + size - 1) / size;
    GError *err = NULL;
    ImpactChangeAcc **accs = g_new0(ImpactChangeAcc *, k);
    for (gsize c = 0; c < k; c++) {
        ImpactTable *part = rows(t, c * size, MIN(n, (c + 1) * size));
        if (way == 0) {
            if (c == 0) {
                accs[0] = impact_change_acc_new(cb, o, &err);
            }
            CU_ASSERT_TRUE_FATAL(impact_change_acc_add(accs[0], part, &err));
        } else {
            accs[c] = round_trip(acc_of(part, cb, o), cb);
        }
        impact_table_free(part);
    }
    if (way == 1) {
        for (gsize c = 1; c < k; c++) {
            CU_ASSERT_TRUE_FATAL(impact_change_acc_merge(accs[0], accs[c], &err));
        }
    } else if (way == 2) {
        for (gsize step = 1; step < k; step *= 2) {
            for (gsize c = 0; c + step < k; c += 2 * step) {
                CU_ASSERT_TRUE_FATAL(impact_change_acc_merge(accs[c], accs[c + step], &err));
            }
        }
    } else if (way == 3) {
        for (gsize c = k - 1; c > 0; c--) {
            CU_ASSERT_TRUE_FATAL(impact_change_acc_merge(accs[k - 1], accs[c - 1], &err));
        }
    }
    char *json = acc_json(way == 3 ? accs[k - 1] : accs[0]);
    for (gsize c = 0; c < k; c++) {
        impact_change_acc_free(accs[c]);
    }
    g_free(accs);
    return json;
}

/* @n_ways: 3 for results that depend on the unit or arm order (bootstrap,
 * several arms), 4 otherwise */
static void
check_all_ways(const ImpactTable *t, const ImpactCodebook *cb, const ImpactChangeOptions *o,
               int n_ways)
{
    g_autofree char *ref = reference(t, cb, o);
    /* one chunk: the same computation */
    ImpactChangeAcc *one = acc_of(t, cb, o);
    g_autofree char *same = acc_json(one);
    CU_ASSERT_STRING_EQUAL(same, ref);
    /* serialised and merged into an empty accumulator: still byte-identical */
    GError *err = NULL;
    ImpactChangeAcc *empty = impact_change_acc_new(cb, o, &err);
    one = round_trip(one, cb);
    CU_ASSERT_TRUE(impact_change_acc_merge(empty, one, &err));
    g_autofree char *merged = acc_json(empty);
    CU_ASSERT_STRING_EQUAL(merged, ref);
    impact_change_acc_free(one);
    impact_change_acc_free(empty);
    const gsize sizes[] = { 1, 37, 200, 1000 };
    for (int s = 0; s < 4; s++) {
        if (sizes[s] == 1 && impact_table_n_rows(t) > 300) {
            continue; /* one row per chunk: the small tables only */
        }
        for (int way = 0; way < n_ways; way++) {
            g_autofree char *got = chunked(t, cb, o, sizes[s], way);
            if (!json_close(got, ref, 1e-12)) {
                fprintf(stderr, "    chunks of %" G_GSIZE_FORMAT " rows, way %d\n", sizes[s], way);
                CU_FAIL("chunked result differs from impact_change()");
            }
        }
    }
}

static void
test_univbct(void)
{
    /* soldiers in battalions, waves 1 and 2 against 0, missing scores;
     * units' rows lie in different chunks */
    ImpactChangeOptions o = IMPACT_CHANGE_OPTIONS_INIT;
    o.unit = "subnum";
    o.wave = "time";
    o.pre = "0";
    o.reliability = 0.7;
    check_all_ways(t_univbct, cb_univbct, &o, 4);
    o.cluster = "btn";
    o.bootstrap = 200;
    o.seed = 42;
    check_all_ways(t_univbct, cb_univbct, &o, 3);
    /* teams: several members' rows per unit and wave */
    o.unit = "team";
    o.cluster = NULL;
    o.post = "2";
    check_all_ways(t_univbct, cb_univbct, &o, 3);
}

static void
test_anorexia(void)
{
    /* three arms, a control, the bootstrap stratified by arm */
    ImpactChangeOptions o = IMPACT_CHANGE_OPTIONS_INIT;
    o.unit = "id";
    o.wave = "wave";
    o.pre = "pre";
    o.arm = "arm";
    o.control = "Cont";
    o.reliability = 0.9;
    check_all_ways(t_anorexia, cb_anorexia, &o, 3); /* arms in order of first appearance */
    o.bootstrap = 300;
    o.rho = IMPACT_RHO_WITHIN_ARM;
    check_all_ways(t_anorexia, cb_anorexia, &o, 3);
}

static void
test_alpha(void)
{
    /* the RCI's r_xx: alpha of the baseline rows, from a reliability
     * accumulator fed the baseline rows of every chunk */
    ImpactChangeOptions o = IMPACT_CHANGE_OPTIONS_INIT;
    o.unit = "unit";
    o.wave = "wave";
    o.pre = "pre";
    check_all_ways(t_bfi, cb_bfi, &o, 4);
    const char *const only[] = { "agreeableness", "openness", NULL };
    o.scales = only;
    o.bootstrap = 100;
    check_all_ways(t_bfi, cb_bfi, &o, 3);

    /* the masked add is the add of the filtered table, bit for bit */
    gsize n = impact_table_n_rows(t_bfi);
    g_autofree gboolean *keep = g_new(gboolean, n);
    for (gsize i = 0; i < n; i++) {
        keep[i] = i % 3 != 1;
    }
    ImpactTable *f = NULL;
    GError *err = NULL;
    CU_ASSERT_TRUE_FATAL(impact_table_filter(&f, t_bfi, keep, n, &err));
    ImpactReliabilityAcc *a = impact_reliability_acc_new(cb_bfi, IMPACT_MISSING_PAIRWISE);
    ImpactReliabilityAcc *b = impact_reliability_acc_new(cb_bfi, IMPACT_MISSING_PAIRWISE);
    CU_ASSERT_TRUE(impact_reliability_acc_add_rows(a, t_bfi, keep, n, &err));
    CU_ASSERT_TRUE(impact_reliability_acc_add(b, f, &err));
    GBytes *ba = impact_reliability_acc_serialize(a), *bb = impact_reliability_acc_serialize(b);
    CU_ASSERT_TRUE(g_bytes_equal(ba, bb));
    double x = 0, y = 0;
    CU_ASSERT_TRUE(impact_reliability_acc_scale_alpha(&x, a, 0, &err));
    CU_ASSERT_TRUE(impact_reliability_scale_alpha(&y, f, cb_bfi, 0, IMPACT_MISSING_PAIRWISE, &err));
    CU_ASSERT_EQUAL(x, y);
    CU_ASSERT_FALSE(impact_reliability_acc_add_rows(a, t_bfi, keep, n - 1, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "row mask has");
    CU_ASSERT_FALSE(impact_reliability_acc_scale_alpha(&x, a, 99, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "scale 99 does not exist");
    g_bytes_unref(ba);
    g_bytes_unref(bb);
    impact_reliability_acc_free(a);
    impact_reliability_acc_free(b);
    impact_table_free(f);
}

static void
test_errors(void)
{
    GError *err = NULL;
    ImpactResult *r = NULL;
    ImpactCodebook *cb = test_codebook("item,scale,domain,min,max\nq,s,team,1,5\n");
    ImpactChangeOptions o = IMPACT_CHANGE_OPTIONS_INIT;
    /* bad options: as impact_change() */
    CU_ASSERT_PTR_NULL(impact_change_acc_new(cb, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "unit option is required");
    CU_ASSERT_PTR_NULL(impact_change_acc_new(cb, NULL, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "unit option is required");
    o.unit = "u";
    o.wave = "w";
    o.pre = "0";
    o.level = 2;
    CU_ASSERT_PTR_NULL(impact_change_acc_new(cb, &o, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "level");
    o.level = 0.95;
    o.arm = "arm";
    o.cluster = "cl";

    /* no data yet */
    ImpactChangeAcc *acc = impact_change_acc_new(cb, &o, &err);
    CU_ASSERT_FALSE(impact_change_acc_result(&r, acc, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "(no data): baseline wave '0' not found");

    /* a unit changing arm between chunks: the rows continue across chunks */
    ImpactTable *t1 = test_table("u,w,arm,cl,q\na,0,T,c1,1\nb,0,C,c2,2\n", cb);
    ImpactTable *t2 = test_table("u,w,arm,cl,q\nb,1,C,c2,4\na,1,C,c1,3\n", cb);
    ImpactTable *t3 = test_table("u,w,arm,cl,q\nb,1,C,c2,4\na,1,T,c3,3\n", cb);
    ImpactTable *ok2 = test_table("u,w,arm,cl,q\nb,1,C,c2,4\na,1,T,c1,3\n", cb);
    CU_ASSERT_TRUE(impact_change_acc_add(acc, t1, &err));
    CU_ASSERT_FALSE(impact_change_acc_add(acc, t2, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "row 4: unit 'a' is in arm 'C' but in arm 'T' at row 1 "
                                          "(a unit must stay in one arm)");
    CU_ASSERT_FALSE(impact_change_acc_add(acc, t3, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "row 4: unit 'a' is in cluster 'c3' but in cluster 'c1'");
    /* a failed add that registered new units before its bad row leaves the
     * accumulator byte for byte as it was */
    GBytes *before = impact_change_acc_serialize(acc);
    ImpactTable *t5 = test_table("u,w,arm,cl,q\nn1,0,T,c9,2\nn2,1,C,c8,5\na,1,C,c1,3\n", cb);
    CU_ASSERT_FALSE(impact_change_acc_add(acc, t5, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "row 5: unit 'a' is in arm 'C' but in arm 'T' at row 1");
    GBytes *after = impact_change_acc_serialize(acc);
    CU_ASSERT_TRUE(g_bytes_equal(before, after));
    g_bytes_unref(before);
    g_bytes_unref(after);
    impact_table_free(t5);
    /* the failed adds changed nothing: the result is that of t1 + ok2 */
    CU_ASSERT_TRUE(impact_change_acc_add(acc, ok2, &err));
    g_autofree char *got = acc_json(acc);
    ImpactTable *whole =
        test_table("u,w,arm,cl,q\na,0,T,c1,1\nb,0,C,c2,2\nb,1,C,c2,4\na,1,T,c1,3\n", cb);
    g_autofree char *ref = reference(whole, cb, &o);
    CU_ASSERT_STRING_EQUAL(got, ref);

    /* the same conflicts found by a merge, rows numbered as concatenated */
    ImpactChangeAcc *a1 = acc_of(t1, cb, &o);
    ImpactChangeAcc *a2 = acc_of(t2, cb, &o);
    ImpactChangeAcc *a3 = acc_of(t3, cb, &o);
    CU_ASSERT_FALSE(impact_change_acc_merge(a1, a2, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "row 4: unit 'a' is in arm 'C' but in arm 'T' at row 1");
    CU_ASSERT_FALSE(impact_change_acc_merge(a1, a3, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "row 4: unit 'a' is in cluster 'c3' but in cluster 'c1'");
    /* a cluster spanning arms is only seen with all units: at the result */
    ImpactTable *t4 =
        test_table("u,w,arm,cl,q\nb,1,C,c2,4\na,1,T,c1,3\nc,0,T,c2,1\nc,1,T,c2,2\n", cb);
    ImpactChangeAcc *a4 = acc_of(t4, cb, &o);
    CU_ASSERT_TRUE(impact_change_acc_merge(a1, a4, &err));
    CU_ASSERT_FALSE(impact_change_acc_result(&r, a1, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA,
                 "cluster 'c2' holds unit 'b' of arm 'C' and unit 'c' of arm 'T'");
    /* merging with itself doubles the rows: every unit's mean is unchanged */
    CU_ASSERT_TRUE(impact_change_acc_merge(acc, acc, &err));
    g_autofree char *twice = acc_json(acc);
    CU_ASSERT_TRUE(json_close(twice, ref, 1e-15));

    /* different options or codebooks do not merge */
    ImpactChangeOptions p = o;
    p.seed = 9;
    ImpactChangeAcc *other = impact_change_acc_new(cb, &p, &err);
    CU_ASSERT_FALSE(impact_change_acc_merge(acc, other, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "different bootstrap options");
    impact_change_acc_free(other);
    p = o;
    p.post = "1";
    other = impact_change_acc_new(cb, &p, &err);
    CU_ASSERT_FALSE(impact_change_acc_merge(acc, other, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "different post");
    impact_change_acc_free(other);
    ImpactCodebook *cb2 = test_codebook("item,scale,domain,min,max\nq,s,team,1,7\n");
    other = impact_change_acc_new(cb2, &o, &err);
    CU_ASSERT_FALSE(impact_change_acc_merge(acc, other, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "different codebooks");
    impact_change_acc_free(other);

    /* bytes that are not an accumulator; another codebook; truncated;
     * another version */
    GBytes *b = impact_change_acc_serialize(acc);
    CU_ASSERT_PTR_NULL(impact_change_acc_deserialize(b, cb2, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "different codebook");
    gsize len;
    const guint8 *d = g_bytes_get_data(b, &len);
    GBytes *cut = g_bytes_new(d, len - 3);
    CU_ASSERT_PTR_NULL(impact_change_acc_deserialize(cut, cb, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "truncated or inconsistent");
    g_bytes_unref(cut);
    guint8 *v = g_memdup2(d, len);
    v[6] = 2;
    GBytes *ver = g_bytes_new_take(v, len);
    CU_ASSERT_PTR_NULL(impact_change_acc_deserialize(ver, cb, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "format version 2");
    g_bytes_unref(ver);
    GBytes *junk = g_bytes_new_static("IMPREL12345678", 14);
    CU_ASSERT_PTR_NULL(impact_change_acc_deserialize(junk, cb, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "not a serialised change accumulator");
    g_bytes_unref(junk);
    g_bytes_unref(b);
    CU_ASSERT_PTR_NULL(r);

    impact_change_acc_free(acc);
    impact_change_acc_free(a1);
    impact_change_acc_free(a2);
    impact_change_acc_free(a3);
    impact_change_acc_free(a4);
    impact_change_acc_free(NULL);
    impact_table_free(t1);
    impact_table_free(t2);
    impact_table_free(t3);
    impact_table_free(t4);
    impact_table_free(ok2);
    impact_table_free(whole);
    impact_codebook_free(cb);
    impact_codebook_free(cb2);
}

static CU_TestInfo tests[] = {
    { "univbct: chunks and merges equal impact_change (soldiers, teams, bootstrap)", test_univbct },
    { "anorexia: arms, control, stratified bootstrap", test_anorexia },
    { "bfi: alpha at baseline from chunks; masked reliability add", test_alpha },
    { "errors: options, arm and cluster conflicts across chunks, bytes", test_errors },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "change accumulator", init, cleanup, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int
main(void)
{
    return test_run(suites);
}
