/* testutil.c — shared helpers of the CUnit suites. */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include <CUnit/Basic.h>
#include "testutil.h"

void
test_assert_close(double x, double ref, double tol, const char *expr, const char *file, int line)
{
    gboolean ok = (isnan(x) && isnan(ref)) || fabs(x - ref) <= tol * fmax(1.0, fabs(ref));
    if (!ok) {
        fprintf(stderr, "\n%s:%d: %s = %.17g, expected %.17g (tol %g)\n", file, line, expr, x, ref,
                tol);
    }
    CU_assertImplementation(ok, (unsigned) line, expr, file, "", CU_FALSE);
}

void
test_assert_error(GError **err, int code, const char *needle, const char *file, int line)
{
    gboolean ok = *err != NULL && (*err)->domain == IMPACT_ERROR && (*err)->code == code &&
                  (needle == NULL || strstr((*err)->message, needle) != NULL);
    if (!ok) {
        fprintf(stderr, "\n%s:%d: expected error %d containing '%s', got %s%s (code %d)\n", file,
                line, code, needle ? needle : "", *err ? "'" : "no error",
                *err ? (*err)->message : "", *err ? (*err)->code : -1);
    }
    CU_assertImplementation(ok, (unsigned) line, "expected error", file, "", CU_FALSE);
    g_clear_error(err);
}

char *
test_fixture(const char *name)
{
    const char *src = g_getenv("IMPACT_TOP_SRCDIR");
    return g_build_filename(src ? src : "..", "tests", "data", name, NULL);
}

char *
test_example(const char *name)
{
    const char *src = g_getenv("IMPACT_TOP_SRCDIR");
    return g_build_filename(src ? src : "..", "data", "example", name, NULL);
}

ImpactCodebook *
test_codebook(const char *csv)
{
    ImpactCodebook *cb = NULL;
    GError *error = NULL;
    if (!impact_codebook_read_buffer(&cb, csv, strlen(csv), "codebook.csv", &error)) {
        fprintf(stderr, "test codebook: %s\n", error->message);
        g_error_free(error);
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(cb);
    return cb;
}

ImpactTable *
test_table(const char *csv, const ImpactCodebook *cb)
{
    ImpactTable *t = NULL;
    GError *error = NULL;
    if (!impact_responses_read_buffer(&t, csv, strlen(csv), "data.csv", cb, NULL, &error)) {
        fprintf(stderr, "test table: %s\n", error->message);
        g_error_free(error);
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    return t;
}

void
test_load_fixtures(const char *cb_name, const char *data_name, ImpactCodebook **cb,
                   ImpactTable **t)
{
    g_autofree char *cbp = test_fixture(cb_name);
    g_autofree char *dp = test_fixture(data_name);
    GError *err = NULL;
    if (!impact_codebook_read_csv(cb, cbp, &err) ||
        !impact_responses_read(t, dp, *cb, NULL, &err)) {
        fprintf(stderr, "%s\n", err->message);
        g_error_free(err);
    }
}

int
test_run(CU_SuiteInfo *suites)
{
    if (CU_initialize_registry() != CUE_SUCCESS) {
        return 99;
    }
    if (CU_register_suites(suites) != CUE_SUCCESS) {
        fprintf(stderr, "%s\n", CU_get_error_msg());
        CU_cleanup_registry();
        return 99;
    }
    CU_basic_set_mode(CU_BRM_NORMAL);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    unsigned ran = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    return failed || ran == 0 ? 1 : 0;
}
