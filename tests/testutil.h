/* testutil.h — shared helpers of the CUnit suites.
 *
 * Every reference value in a suite says where it came from: the R call and
 * package version that produced it, or the hand calculation.
 */
#ifndef IMPACT_TESTUTIL_H
#define IMPACT_TESTUTIL_H

#include <CUnit/CUnit.h>
#include <math.h>
#include <libimpact/impact.h>

/* |x − ref| <= tol · max(1, |ref|); prints both on failure. */
#define ASSERT_CLOSE(x, ref, tol) \
    test_assert_close((x), (ref), (tol), #x, __FILE__, __LINE__)
/* Both NaN, or close. */
#define ASSERT_NAN(x) CU_ASSERT(isnan(x))
/* The call failed with IMPACT_ERROR code @code and a message containing @needle. */
#define ASSERT_ERROR(err, code, needle) \
    test_assert_error((err), (code), (needle), __FILE__, __LINE__)

void test_assert_close(double x, double ref, double tol, const char *expr, const char *file,
                       int line);
/* Frees *err. */
void test_assert_error(GError **err, int code, const char *needle, const char *file, int line);

/* Path of a test fixture: $(srcdir)/tests/data/NAME (newly allocated). */
char *test_fixture(const char *name);
/* Path of a bundled example file: $(srcdir)/data/example/NAME. */
char *test_example(const char *name);

/* Reads a codebook and a response table from in-memory CSV; aborts the test
 * on error. */
ImpactCodebook *test_codebook(const char *csv);
ImpactTable *test_table(const char *csv, const ImpactCodebook *cb);

/* Reads the fixtures tests/data/CB_NAME and DATA_NAME into *cb and *t
 * (caller's); on error prints the message and leaves *t NULL, so a suite's
 * init can fail on it. */
void test_load_fixtures(const char *cb_name, const char *data_name, ImpactCodebook **cb,
                        ImpactTable **t);

/* Runs the NULL-terminated suites; returns the process exit status. */
int test_run(CU_SuiteInfo *suites);

#endif
