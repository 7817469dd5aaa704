/* test-design.c — the evaluation design: file and API, errors naming file,
 * line and key. */
#include "config.h"
#include <string.h>
#include "testutil.h"

static ImpactDesign *
read_ok(const char *text)
{
    ImpactDesign *d = NULL;
    GError *err = NULL;
    CU_ASSERT_TRUE(impact_design_read_buffer(&d, text, strlen(text), "design.ini", &err));
    if (err) {
        fprintf(stderr, "%s\n", err->message);
        g_error_free(err);
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    return d;
}

static void
read_fails(const char *text, int code, const char *needle)
{
    ImpactDesign *d = (ImpactDesign *) 0x1;
    GError *err = NULL;
    CU_ASSERT_FALSE(impact_design_read_buffer(&d, text, strlen(text), "design.ini", &err));
    CU_ASSERT_PTR_EQUAL(d, (ImpactDesign *) 0x1); /* untouched */
    ASSERT_ERROR(&err, code, needle);
}

static const char *FULL = "# a comment\n"
                          "[columns]\n"
                          "participant = pid\n"
                          "team = team\n"
                          "organization = org\n"
                          "wave = wave\n"
                          "arm = arm\n"
                          "rater = role\n"
                          "cohort = cohort\n"
                          "cluster = set\n"
                          "\n[waves]\n"
                          "labels = pre; mid ;post\n"
                          "primary = post\n"
                          "[arms]\n"
                          "programme = prog\n"
                          "comparison = ctrl\n"
                          "[raters]\n"
                          "self = me\n"
                          "roles = mgr=line manager;peer=peers\n"
                          "exempt = line manager\n"
                          "source = all\n"
                          "[anonymity]\n"
                          "k = 5\n"
                          "policy = suppress\n"
                          "[bootstrap]\n"
                          "replicates = 200\n"
                          "seed = 18446744073709551615\n"
                          "level = 0.9\n"
                          "cluster = cluster\n"
                          "[costs]\n"
                          "total = 100000\n"
                          "currency = EUR\n"
                          "[value]\n"
                          "s = 250.5\n"
                          "[support]\n"
                          "scale = sup\n"
                          "[domains]\n"
                          "individual = 2\n"
                          "team = 1\n"
                          "organisation = 0\n";

static void
test_full(void)
{
    ImpactDesign *d = read_ok(FULL);
    char *v = impact_design_get(d, "waves", "labels");
    CU_ASSERT_STRING_EQUAL(v, "pre; mid ;post"); /* text form as given, trimmed */
    g_free(v);
    v = impact_design_get(d, "columns", "organization");
    CU_ASSERT_STRING_EQUAL(v, "org");
    g_free(v);
    CU_ASSERT_PTR_NULL(impact_design_get(d, "costs", "per_participant"));
    /* round trip: the written file reads back to the same settings */
    char *text = impact_design_to_data(d);
    ImpactDesign *d2 = read_ok(text);
    char *t2 = impact_design_to_data(d2);
    CU_ASSERT_STRING_EQUAL(text, t2);
    v = impact_design_get(d2, "value", "s");
    CU_ASSERT_STRING_EQUAL(v, "250.5");
    g_free(v);
    g_free(text);
    g_free(t2);
    impact_design_free(d2);
    impact_design_free(d);
    impact_design_free(NULL);
}

static void
test_api(void)
{
    ImpactDesign *d = impact_design_new();
    GError *err = NULL;
    CU_ASSERT_TRUE(impact_design_set(d, "columns", "wave", " w ", &err));
    CU_ASSERT_TRUE(impact_design_set(d, "waves", "labels", "a;b", &err));
    char *v = impact_design_get(d, "columns", "wave");
    CU_ASSERT_STRING_EQUAL(v, "w");
    g_free(v);
    /* a failed set leaves the design unchanged */
    CU_ASSERT_FALSE(impact_design_set(d, "anonymity", "k", "1", &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "[anonymity] k: must be a whole number from 2");
    CU_ASSERT_PTR_NULL(impact_design_get(d, "anonymity", "k"));
    CU_ASSERT_FALSE(impact_design_set(d, "columns", "leader", "x", &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "[columns] leader: unknown role");
    CU_ASSERT_FALSE(impact_design_set(d, "colour", "x", "y", &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "[colour]: unknown group");
    CU_ASSERT_FALSE(impact_design_set(d, "bootstrap", "level", "1", &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "between 0 and 1");
    CU_ASSERT_FALSE(impact_design_set(d, "bootstrap", "seed", "-3", &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "[bootstrap] seed");
    CU_ASSERT_FALSE(impact_design_set(d, "bootstrap", "cluster", "wave", &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "must be a role");
    CU_ASSERT_FALSE(impact_design_set(d, "raters", "roles", "a=b;c", &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "LABEL=ROLE");
    CU_ASSERT_FALSE(impact_design_set(d, "raters", "source", "peers", &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "others, self or all");
    CU_ASSERT_FALSE(impact_design_set(d, "waves", "labels", "a;b;a", &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "listed twice");
    CU_ASSERT_FALSE(impact_design_set(d, "waves", "labels", "a", &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "at least two waves");
    CU_ASSERT_FALSE(impact_design_set(d, "costs", "total", "-1", &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "[costs] total");
    CU_ASSERT_FALSE(impact_design_set(d, "value", "s", "lots", &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "[value] s: must be a number");
    CU_ASSERT_FALSE(impact_design_set(d, "domains", "galaxy", "1", &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "unknown domain");
    CU_ASSERT_FALSE(impact_design_set(d, "value", "a=b", "1", &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "single lines");
    CU_ASSERT_FALSE(impact_design_set(d, "columns", "wave", "w\nx", &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "single lines");
    CU_ASSERT_FALSE(impact_design_set(d, "bootstrap", "interval", "normal", &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "percentile or bca");
    CU_ASSERT_TRUE(impact_design_set(d, "bootstrap", "interval", "bca", &err));
    CU_ASSERT_FALSE(impact_design_set(d, "anonymity", "policy", "blur", &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_INVALID, "merge or suppress");
    impact_design_free(d);
}

static void
test_file_errors(void)
{
    read_fails("[columns]\nwave = w\n[waves]\nlabels = a;b\n[anonymity]\nk = two\n",
               IMPACT_ERROR_INVALID, "design.ini:6: [anonymity] k: must be a whole number");
    read_fails("[columns]\nwave w\n", IMPACT_ERROR_PARSE, "design.ini:2: expected 'key = value'");
    read_fails("wave = w\n", IMPACT_ERROR_PARSE, "design.ini:1: key outside any [group]");
    read_fails("[columns\n", IMPACT_ERROR_PARSE, "design.ini:1: malformed group header");
    read_fails("[columns]\nwave = a\nwave = b\n", IMPACT_ERROR_PARSE,
               "design.ini:3: [columns] wave: key given twice");
    read_fails("[columns]\n = a\n", IMPACT_ERROR_PARSE, "design.ini:2: [columns]: empty key");
    read_fails("[waves]\nlabels = a;b\n", IMPACT_ERROR_INVALID,
               "design.ini: [columns] wave: the wave column is required");
    read_fails("[columns]\nwave = w\n", IMPACT_ERROR_INVALID, "[waves] labels");
    read_fails("[columns]\nwave = w\n[waves]\nlabels = a;b\nprimary = c\n", IMPACT_ERROR_INVALID,
               "'c' is not one of the wave labels");
    read_fails("[columns]\nwave = w\n[waves]\nlabels = a;b\nprimary = a\n", IMPACT_ERROR_INVALID,
               "is the baseline");
    read_fails("[columns]\nwave = w\n[waves]\nlabels = a;b\n[costs]\ntotal = 1\nper_participant = 2\n",
               IMPACT_ERROR_INVALID, "either total or per_participant");
    read_fails("[columns]\nwave = w\n[waves]\nlabels = a;b\n[domains]\nteam = 0\nindividual = 0\n"
               "organisation = 0\n",
               IMPACT_ERROR_INVALID, "at least one domain weight");
    read_fails("\xff\xfe", IMPACT_ERROR_PARSE, "not UTF-8");
    ImpactDesign *d = NULL;
    GError *err = NULL;
    CU_ASSERT_FALSE(impact_design_read_file(&d, "/nonexistent/design.ini", &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_IO, "/nonexistent/design.ini: cannot read");
}

static void
test_check(void)
{
    ImpactCodebook *cb = test_codebook("item,scale,domain,min,max\n"
                                       "a1,s,individual,1,5\nb1,t,team,1,5\nc1,sup,individual,1,5\n");
    ImpactTable *t = test_table("pid,team,wave,arm,a1,b1,c1\n"
                                "p1,t1,pre,prog,1,2,3\np1,t1,post,ctrl,2,3,4\n",
                                cb);
    const char *base = "[columns]\nparticipant = pid\nteam = team\nwave = wave\narm = arm\n"
                       "[waves]\nlabels = pre;post\n";
    struct {
        const char *extra;
        int code;
        const char *needle;
    } cases[] = {
        { "", -1, NULL },
        { "[arms]\ncomparison = ctrl\nprogramme = prog\n[value]\ns = 10\n[support]\nscale = sup\n",
          -1, NULL },
        { "[arms]\ncomparison = none\n", IMPACT_ERROR_DATA,
          /* the key's line in the design file (line 9), the data's name */
          "design.ini:9: [arms] comparison: arm 'none' does not occur in column 'arm' of "
          "data.csv" },
        { "[arms]\nprogramme = x\n", IMPACT_ERROR_DATA, "[arms] programme: arm 'x'" },
        { "[arms]\nprogramme = ctrl\ncomparison = ctrl\n", IMPACT_ERROR_INVALID,
          "both a programme and the comparison" },
        { "[value]\nnope = 1\n", IMPACT_ERROR_DATA, "design.ini:9: [value] nope: no such scale" },
        { "[support]\nscale = nope\n", IMPACT_ERROR_DATA, "[support] scale: no scale 'nope'" },
        { "[bootstrap]\ncluster = organisation\n", IMPACT_ERROR_INVALID,
          "[bootstrap] cluster: role 'organisation' has no column" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *text = g_strconcat(base, cases[i].extra, NULL);
        ImpactDesign *d = read_ok(text);
        GError *err = NULL;
        gboolean ok = impact_design_check(d, cb, t, &err);
        if (cases[i].code < 0) {
            CU_ASSERT_TRUE(ok);
            g_clear_error(&err);
        } else {
            CU_ASSERT_FALSE(ok);
            ASSERT_ERROR(&err, cases[i].code, cases[i].needle);
        }
        impact_design_free(d);
    }
    /* a missing column, a numeric column, a wave not in the data, a domain
     * without its unit column */
    const char *bad[][2] = {
        { "[columns]\nwave = when\n[waves]\nlabels = pre;post\n", "no column 'when'" },
        { "[columns]\nwave = a1\n[waves]\nlabels = pre;post\n", "is an item (numeric) column" },
        { "[columns]\nparticipant = pid\nteam = team\nwave = wave\n[waves]\nlabels = pre;later\n",
          "wave 'later' does not occur" },
        { "[columns]\nparticipant = pid\nwave = wave\n[waves]\nlabels = pre;post\n",
          "scale 't' is in the team domain but [columns] team is not given" },
        { "[columns]\nparticipant = pid\nteam = team\nwave = wave\n[waves]\nlabels = pre;post\n"
          "[arms]\ncomparison = ctrl\n",
          "[arms] labels are given but [columns] arm is not" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        ImpactDesign *d = read_ok(bad[i][0]);
        GError *err = NULL;
        CU_ASSERT_FALSE(impact_design_check(d, cb, t, &err));
        CU_ASSERT_PTR_NOT_NULL(err);
        if (err && !strstr(err->message, bad[i][1])) {
            fprintf(stderr, "\ncase %zu: %s\n", i, err->message);
            CU_FAIL("message");
        }
        g_clear_error(&err);
        impact_design_free(d);
    }
    /* a design built through the API has no file and lines */
    ImpactDesign *d = impact_design_new();
    CU_ASSERT_TRUE(impact_design_set(d, "columns", "wave", "wave", NULL));
    CU_ASSERT_TRUE(impact_design_set(d, "columns", "participant", "pid", NULL));
    CU_ASSERT_TRUE(impact_design_set(d, "columns", "team", "team", NULL));
    CU_ASSERT_TRUE(impact_design_set(d, "waves", "labels", "pre;post", NULL));
    CU_ASSERT_TRUE(impact_design_set(d, "support", "scale", "nope", NULL));
    GError *err = NULL;
    CU_ASSERT_FALSE(impact_design_check(d, cb, t, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "design: [support] scale: no scale 'nope'");
    impact_design_free(d);
    impact_table_free(t);
    impact_codebook_free(cb);
}

static CU_TestInfo tests[] = {
    { "a full design file, read, written and read back", test_full },
    { "the same through the API; failed sets change nothing", test_api },
    { "file errors name file, line and key", test_file_errors },
    { "checks against codebook and data", test_check },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "design", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int
main(void)
{
    return test_run(suites);
}
