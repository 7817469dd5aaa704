/* test-read-threads.c — the parallel whole-file reader equals the one-thread
 * read: the same values (bit for bit), text levels in the same order, the
 * same recode counts, and the same errors.
 *
 * The reference here is the one-thread reader itself (its values are checked
 * against hand calculations and strtod in test-read.c); these tests check
 * that splitting a file changes nothing. Inputs are made large enough
 * (> 2 × 64 KiB) to be split, with blank lines, CRLF, decimals, missing
 * answers and text levels whose first appearance is in a later part. */
#include "config.h"
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include "testutil.h"

static const char *CB = "item,scale,domain,min,max,reverse\n"
                        "q1,s,team,1,5,0\n"
                        "q2,s,team,1,5,1\n"
                        "q3,t,individual,0,10,0\n";

/* A deterministic file of @rows records. @flavour bits: 1 = CRLF, 2 = blank
 * lines, 4 = no final line end, 8 = answers out of range (row 3 of every 997),
 * 16 = a "-99" missing code. */
static char *
make_csv(guint rows, guint flavour)
{
    const char *eol = (flavour & 1) ? "\r\n" : "\n";
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "id,q1,team,q2,q3,wave%s", eol);
    guint32 x = 12345;
    for (guint i = 0; i < rows; i++) {
        x = x * 1103515245u + 12345u;
        guint a = (x >> 16) % 7; /* 0 = missing, 6 = "NA" */
        guint b = (x >> 8) % 5 + 1;
        if ((flavour & 2) && i % 613 == 5) {
            g_string_append(s, eol);
            if (i % 3 == 0) {
                g_string_append(s, eol);
            }
        }
        /* teams: new levels keep appearing through the whole file */
        g_string_append_printf(s, "P%05u,", i / 2);
        if ((flavour & 8) && i % 997 == 3) {
            g_string_append(s, "7");
        } else if ((flavour & 16) && i % 101 == 7) {
            g_string_append(s, "-99");
        } else if (a == 0) {
            /* empty */
        } else if (a == 6) {
            g_string_append(s, "NA");
        } else {
            g_string_append_printf(s, "%u", a);
        }
        g_string_append_printf(s, ",T%u,%u,%u.%02u,%s", (i * 7919u) % (i / 50 + 1), b,
                               (x >> 4) % 10, (x >> 12) % 100, i % 2 ? "post" : "pre");
        if (!((flavour & 4) && i + 1 == rows)) {
            g_string_append(s, eol);
        }
    }
    return g_string_free(s, FALSE);
}

/* Every column, value, level and count of @a and @b are the same. */
static void
assert_same_table(const ImpactTable *a, const ImpactTable *b)
{
    CU_ASSERT_EQUAL_FATAL(impact_table_n_rows(a), impact_table_n_rows(b));
    CU_ASSERT_EQUAL_FATAL(impact_table_n_columns(a), impact_table_n_columns(b));
    gsize n = impact_table_n_rows(a);
    for (gsize j = 0; j < impact_table_n_columns(a); j++) {
        CU_ASSERT_STRING_EQUAL(impact_table_column_name(a, j), impact_table_column_name(b, j));
        CU_ASSERT_EQUAL_FATAL(impact_table_column_type(a, j), impact_table_column_type(b, j));
        CU_ASSERT_EQUAL(impact_table_n_recoded(a, j), impact_table_n_recoded(b, j));
        if (impact_table_column_type(a, j) == IMPACT_COLUMN_NUMERIC) {
            const double *x = impact_table_numeric(a, j), *y = impact_table_numeric(b, j);
            gsize diff = 0;
            for (gsize i = 0; i < n; i++) {
                if (isnan(x[i]) != isnan(y[i]) || (!isnan(x[i]) && memcmp(&x[i], &y[i], 8))) {
                    diff++;
                }
            }
            CU_ASSERT_EQUAL(diff, 0);
        } else {
            CU_ASSERT_EQUAL_FATAL(impact_table_n_levels(a, j), impact_table_n_levels(b, j));
            for (guint32 l = 0; l < impact_table_n_levels(a, j); l++) {
                CU_ASSERT_STRING_EQUAL(impact_table_level(a, j, l), impact_table_level(b, j, l));
            }
            CU_ASSERT(memcmp(impact_table_codes(a, j), impact_table_codes(b, j),
                             n * sizeof(guint32)) == 0);
        }
    }
}

static ImpactTable *
read_len(const char *csv, gsize len, guint threads, const ImpactReadOptions *base, GError **err)
{
    ImpactCodebook *cb = test_codebook(CB);
    ImpactReadOptions ro = IMPACT_READ_OPTIONS_INIT;
    if (base) {
        ro = *base;
    }
    ro.n_threads = threads;
    ImpactTable *t = NULL;
    gboolean ok = impact_responses_read_buffer(&t, csv, len, "big.csv", cb, &ro, err);
    impact_codebook_free(cb);
    CU_ASSERT_EQUAL(ok, t != NULL);
    return t;
}

static ImpactTable *
read_with(const char *csv, guint threads, const ImpactReadOptions *base, GError **err)
{
    return read_len(csv, strlen(csv), threads, base, err);
}

/* One-thread read of the @len bytes at @csv against 2, 3, 4 and "all cores". */
static void
check_equal_reads_len(const char *csv, gsize len, const ImpactReadOptions *ro)
{
    GError *err = NULL;
    ImpactTable *one = read_len(csv, len, 1, ro, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(one);
    const guint threads[] = { 2, 3, 4, 0 };
    for (gsize k = 0; k < G_N_ELEMENTS(threads); k++) {
        ImpactTable *many = read_len(csv, len, threads[k], ro, &err);
        CU_ASSERT_PTR_NOT_NULL_FATAL(many);
        assert_same_table(one, many);
        impact_table_free(many);
    }
    impact_table_free(one);
}

static void
check_equal_reads(const char *csv, const ImpactReadOptions *ro)
{
    check_equal_reads_len(csv, strlen(csv), ro);
}

static void
test_small_and_header_only(void)
{
    /* too small to split, and header only: the same as one thread */
    check_equal_reads("id,q1,team,q2,q3,wave\n", NULL);
    check_equal_reads("id,q1,team,q2,q3,wave\nA,1,T,2,3.5,pre\n", NULL);
    g_autofree char *csv = make_csv(50, 2);
    check_equal_reads(csv, NULL);
}

static void
test_equal_plain(void)
{
    g_autofree char *csv = make_csv(20000, 0);
    CU_ASSERT(strlen(csv) > 4 * 64 * 1024); /* really split into 4 parts */
    check_equal_reads(csv, NULL);
    /* the teams' levels: T0 first, and more than one part holds new ones */
    GError *err = NULL;
    ImpactTable *t = read_with(csv, 4, NULL, &err);
    CU_ASSERT_EQUAL(impact_table_n_rows(t), 20000);
    CU_ASSERT_STRING_EQUAL(impact_table_level(t, 2, 0), "T0");
    CU_ASSERT(impact_table_n_levels(t, 2) > 300);
    /* row 19999: "P09999", team (19999·7919) mod (19999/50 + 1) = 158,372,081 mod 400 = 81 */
    CU_ASSERT_STRING_EQUAL(impact_table_level(t, 0, impact_table_codes(t, 0)[19999]), "P09999");
    CU_ASSERT_STRING_EQUAL(impact_table_level(t, 2, impact_table_codes(t, 2)[19999]), "T81");
    impact_table_free(t);
}

static void
test_equal_blank_crlf_noeol(void)
{
    /* blank lines (rows move down at the join), CRLF, no final line end */
    for (guint flavour = 1; flavour < 8; flavour++) {
        g_autofree char *csv = make_csv(12000, flavour);
        check_equal_reads(csv, NULL);
    }
}

static void
test_equal_options(void)
{
    /* out-of-range answers set to missing and counted; a missing code */
    g_autofree char *csv = make_csv(12000, 8 | 16);
    ImpactReadOptions ro = IMPACT_READ_OPTIONS_INIT;
    const char *codes[] = { "-99", NULL };
    ro.missing_codes = codes;
    ro.out_of_range = IMPACT_OUT_OF_RANGE_MISSING;
    check_equal_reads(csv, &ro);
    GError *err = NULL;
    ImpactTable *t = read_with(csv, 2, &ro, &err);
    /* rows i ≡ 3 (mod 997) below 12000: 3, 1000, ..., 11967 = 13 rows */
    CU_ASSERT_EQUAL(impact_table_n_recoded(t, 1), 13);
    impact_table_free(t);
    /* an options struct of version 1 has no n_threads: one thread */
    ImpactReadOptions v1 = IMPACT_READ_OPTIONS_INIT;
    v1.version = 1;
    v1.n_threads = 4; /* not read */
    t = read_with(csv, 4, &v1, &err);
    CU_ASSERT_PTR_NULL(t); /* out of range is an error by default */
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "big.csv:5:2: answer 7 to item 'q1'");
}

static void
test_same_errors(void)
{
    /* The first error of the file, with its line, whatever part it is in. */
    g_autofree char *csv = make_csv(20000, 8);
    const guint threads[] = { 1, 2, 4 };
    for (gsize k = 0; k < G_N_ELEMENTS(threads); k++) {
        GError *err = NULL;
        ImpactTable *t = read_with(csv, threads[k], NULL, &err);
        CU_ASSERT_PTR_NULL(t);
        /* row i = 3 is on line 5 (header, rows 0..2) */
        ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "big.csv:5:2: answer 7 to item 'q1'");
    }
    /* an error only in the last part: a ragged row near the end */
    g_autofree char *good = make_csv(20000, 0);
    GString *bad = g_string_new(good);
    g_string_append(bad, "P99999,1,T1,2\n");
    for (gsize k = 0; k < G_N_ELEMENTS(threads); k++) {
        GError *err = NULL;
        ImpactTable *t = read_with(bad->str, threads[k], NULL, &err);
        CU_ASSERT_PTR_NULL(t);
        ASSERT_ERROR(&err, IMPACT_ERROR_PARSE,
                     "big.csv:20002:5: the row has 4 fields but the header has 6");
    }
    g_string_free(bad, TRUE);
}

static void
test_quotes_fall_back(void)
{
    /* a quoted field holding a line end near a cut: read with one thread */
    g_autofree char *good = make_csv(20000, 0);
    gsize half = strlen(good) / 2;
    const char *nl = strchr(good + half, '\n');
    GString *s = g_string_new_len(good, nl + 1 - good);
    g_string_append(s, "\"P,\nquoted\",1,\"T\n1\",2,3,pre\n");
    g_string_append(s, nl + 1);
    check_equal_reads(s->str, NULL);
    GError *err = NULL;
    ImpactTable *t = read_with(s->str, 2, NULL, &err);
    CU_ASSERT_EQUAL(impact_table_n_rows(t), 20001);
    gssize team = impact_table_column_index(t, "team");
    gboolean found = FALSE;
    for (guint32 l = 0; l < impact_table_n_levels(t, (gsize) team); l++) {
        found = found || strcmp(impact_table_level(t, (gsize) team, l), "T\n1") == 0;
    }
    CU_ASSERT_TRUE(found);
    impact_table_free(t);
    g_string_free(s, TRUE);
}

static void
test_file(void)
{
    /* impact_responses_read() on a mapped file, with a BOM */
    g_autofree char *csv = make_csv(15000, 2);
    g_autofree char *dir = g_dir_make_tmp("impact-threads-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "r.csv", NULL);
    g_autofree char *bom = g_strconcat("\xEF\xBB\xBF", csv, NULL);
    CU_ASSERT_TRUE_FATAL(g_file_set_contents(path, bom, -1, NULL));
    ImpactCodebook *cb = test_codebook(CB);
    ImpactReadOptions ro = IMPACT_READ_OPTIONS_INIT;
    ImpactTable *one = NULL, *two = NULL;
    CU_ASSERT_TRUE(impact_responses_read(&one, path, cb, &ro, NULL));
    ro.n_threads = 2;
    CU_ASSERT_TRUE(impact_responses_read(&two, path, cb, &ro, NULL));
    CU_ASSERT_PTR_NOT_NULL_FATAL(one);
    CU_ASSERT_PTR_NOT_NULL_FATAL(two);
    assert_same_table(one, two);
    CU_ASSERT_STRING_EQUAL(impact_table_column_name(two, 0), "id");
    CU_ASSERT_STRING_EQUAL(impact_table_source(two), path);
    impact_table_free(one);
    impact_table_free(two);
    impact_codebook_free(cb);
    g_unlink(path);
    g_rmdir(dir);
}

static void
test_chunks_release(void)
{
    /* impact_reader_next() on a mapped file drops the pages it has parsed;
     * the chunks still hold every value and level (checked against one read) */
    g_autofree char *csv = make_csv(30000, 2);
    g_autofree char *dir = g_dir_make_tmp("impact-chunks-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "r.csv", NULL);
    CU_ASSERT_TRUE_FATAL(g_file_set_contents(path, csv, -1, NULL));
    ImpactCodebook *cb = test_codebook(CB);
    ImpactTable *whole = NULL;
    CU_ASSERT_TRUE_FATAL(impact_responses_read(&whole, path, cb, NULL, NULL));
    ImpactReader *r = impact_reader_open(path, cb, NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    gsize row = 0, bad = 0, chunks = 0;
    ImpactTable *t = NULL;
    while (impact_reader_next(r, &t, 1000, NULL) && t != NULL) {
        chunks++;
        for (gsize i = 0; i < impact_table_n_rows(t); i++, row++) {
            for (gsize j = 0; j < impact_table_n_columns(t); j++) {
                g_autofree char *a = impact_table_cell_string(t, j, i);
                g_autofree char *b = impact_table_cell_string(whole, j, row);
                bad += g_strcmp0(a, b) != 0;
            }
        }
        impact_table_free(t);
        t = NULL;
    }
    CU_ASSERT_EQUAL(row, 30000);
    CU_ASSERT_EQUAL(chunks, 30);
    CU_ASSERT_EQUAL(bad, 0);
    impact_reader_free(r);
    impact_table_free(whole);
    impact_codebook_free(cb);
    g_unlink(path);
    g_rmdir(dir);
}

/* The shortest of "%.15g", "%.16g", "%.17g" that reads back to x, as
 * g_ascii_formatd and g_ascii_strtod give it (the reference the library's
 * formatter must match; integers as "%.0f"). */
static void
reference_format(char *buf, gsize size, double x)
{
    if (x == floor(x) && fabs(x) < 1e15) {
        g_snprintf(buf, size, "%.0f", x);
        return;
    }
    const char *fmt[] = { "%.15g", "%.16g", "%.17g" };
    for (int k = 0; k < 3; k++) {
        g_ascii_formatd(buf, size, fmt[k], x);
        if (k == 2 || g_ascii_strtod(buf, NULL) == x) {
            return;
        }
    }
}

static void
test_format_numbers(void)
{
    /* The exact 128-bit fast path of the number formatter (used when tables
     * are written as CSV) gives the same text as printf for scale means,
     * POMP scores, decimals near powers of ten and random doubles. */
    GArray *v = g_array_new(FALSE, FALSE, sizeof(double));
    for (int num = -500; num <= 500; num++) {
        for (int den = 2; den <= 12; den++) {
            double x = (double) num / den;
            g_array_append_val(v, x);
            x = 100.0 * num / (4.0 * den); /* POMP-like */
            g_array_append_val(v, x);
        }
    }
    const double edge[] = { 0.001, 0.0010000000000000002, 0.00099999999999999998, 0.01, 0.1,
                            0.3, 2.675, 9.9999999999999982, 9.999999999999998, 99.999999999999986,
                            1e14 + 0.5, 999999999999999.9, 123456.789, -0.5, 1e-5, 3e-4,
                            1.0000000000000002, 5e-324, 1e300, -7.25e-3, 0.1 + 0.2 };
    for (gsize i = 0; i < G_N_ELEMENTS(edge); i++) {
        g_array_append_val(v, edge[i]);
    }
    guint64 s = 88172645463325252ULL;
    for (int i = 0; i < 20000; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        double u = (double) (s >> 11) / 9007199254740992.0;
        double x = ldexp(u, (int) (s % 70) - 20); /* 1e-6 .. 1e15 or so */
        g_array_append_val(v, x);
    }
    ImpactTable *t = impact_table_new();
    CU_ASSERT_TRUE_FATAL(impact_table_add_numeric(t, "x", (const double *) (void *) v->data,
                                                  v->len, NULL));
    gsize bad = 0;
    for (guint i = 0; i < v->len; i++) {
        char ref[64];
        reference_format(ref, sizeof ref, g_array_index(v, double, i));
        g_autofree char *got = impact_table_cell_string(t, 0, i);
        if (strcmp(ref, got) != 0) {
            if (bad < 5) {
                fprintf(stderr, "format %.17g: got %s, printf gives %s\n",
                        g_array_index(v, double, i), got, ref);
            }
            bad++;
        }
    }
    CU_ASSERT_EQUAL(bad, 0);
    impact_table_free(t);
    g_array_free(v, TRUE);
}

static void
test_four_answers_at_once(void)
{
    /* Runs of one-digit answers are converted four at a time; every value,
     * missing answer, range check and error must be as one field at a time.
     * Expected values are the digits of the text (hand-checked). */
    const char *cb6 = "item,scale,domain,min,max,reverse\n"
                      "a1,s,team,1,5,0\na2,s,team,1,5,0\na3,s,team,1,5,0\n"
                      "a4,s,team,0,9,0\na5,s,team,1,5,0\na6,s,team,1,5,0\n";
    ImpactCodebook *cb = test_codebook(cb6);
    const char *csv = "id;a1;a2;a3;a4;a5;a6\r\n"
                      "A;1;2;3;4;5;1\r\n"
                      "B;5;4;3;0;1;5\r\n"
                      "C;1;;3;9;5;2\r\n"
                      "D;2;3;4;5;2.5;3\r\n"
                      "E;7;2;3;4;5;1\r\n";
    const double want[5][6] = { { 1, 2, 3, 4, 5, 1 },
                                { 5, 4, 3, 0, 1, 5 },
                                { 1, NAN, 3, 9, 5, 2 },
                                { 2, 3, 4, 5, 2.5, 3 },
                                { NAN, 2, 3, 4, 5, 1 } };
    ImpactReadOptions ro = IMPACT_READ_OPTIONS_INIT;
    ro.delimiter = ';';
    ro.out_of_range = IMPACT_OUT_OF_RANGE_MISSING;
    ImpactTable *t = NULL;
    GError *err = NULL;
    CU_ASSERT_TRUE_FATAL(impact_responses_read_buffer(&t, csv, strlen(csv), "four.csv", cb, &ro,
                                                      &err));
    CU_ASSERT_EQUAL(impact_table_n_rows(t), 5);
    for (gsize i = 0; i < 5; i++) {
        for (gsize j = 0; j < 6; j++) {
            double x = impact_table_numeric(t, j + 1)[i];
            CU_ASSERT(isnan(want[i][j]) ? isnan(x) : x == want[i][j]);
        }
    }
    CU_ASSERT_EQUAL(impact_table_n_recoded(t, 1), 1); /* the 7 of row E */
    impact_table_free(t);
    /* out of range is an error by default, naming line 6, column 2 */
    ro.out_of_range = IMPACT_OUT_OF_RANGE_ERROR;
    t = NULL;
    CU_ASSERT_FALSE(impact_responses_read_buffer(&t, csv, strlen(csv), "four.csv", cb, &ro, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "four.csv:6:2: answer 7 to item 'a1'");
    /* a 0 where the range starts at 1, inside a run: line 2, column 4 */
    const char *bad = "id,a1,a2,a3,a4,a5,a6\nA,1,2,0,4,5,1\n";
    CU_ASSERT_FALSE(impact_responses_read_buffer(&t, bad, strlen(bad), "z.csv", cb, NULL, &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "z.csv:2:4: answer 0 to item 'a3'");
    /* a letter inside a run */
    const char *letter = "id,a1,a2,a3,a4,a5,a6\nA,1,2,x,4,5,1\n";
    CU_ASSERT_FALSE(impact_responses_read_buffer(&t, letter, strlen(letter), "x.csv", cb, NULL,
                                                 &err));
    ASSERT_ERROR(&err, IMPACT_ERROR_DATA, "x.csv:2:4: value 'x' of item 'a3' is not a number");
    CU_ASSERT_PTR_NULL(t);
    impact_codebook_free(cb);
}


/* Participant ids in the orders the reader treats differently: sorted (a
 * sorted run of levels, joined across parts by a shift of codes), reversed
 * and shuffled (the hash path), pre rows then post rows (a run that closes
 * half-way), long ids (more than 8 bytes: hashed and compared), and text
 * fields holding a NUL byte (levels interned through the column's index).
 * @order: 0 sorted, 1 reversed, 2 shuffled, 3 waves one after the other. */
static GString *
make_ids_csv(guint rows, guint order, gboolean long_ids, gboolean nul)
{
    GString *s = g_string_new("id,q1,team,q2,q3,wave\n");
    guint32 x = 777;
    guint n_ids = rows / 2;
    for (guint i = 0; i < rows; i++) {
        guint id = i / 2, wave = i % 2;
        if (order == 1) {
            id = n_ids - 1 - i / 2;
        } else if (order == 2) {
            id = (guint) (((guint64) (i / 2) * 7919u) % n_ids); /* 7919 prime: a permutation */
        } else if (order == 3) {
            id = i % n_ids;
            wave = i / n_ids;
        }
        x = x * 1103515245u + 12345u;
        g_string_append_printf(s, long_ids ? "participant-%06u," : "P%05u,", id);
        g_string_append_printf(s, "%u,", (x >> 16) % 5 + 1);
        if (nul && i % 1000 == 17) {
            g_string_append_len(s, "T\0x", 3);
        } else {
            g_string_append_printf(s, "T%u", (x >> 8) % 60);
        }
        g_string_append_printf(s, ",%u,%u,%s\n", (x >> 4) % 5 + 1, (x >> 12) % 11,
                               wave ? "post" : "pre");
    }
    return s;
}

static void
test_level_orders(void)
{
    for (guint order = 0; order < 4; order++) {
        for (int variant = 0; variant < 3; variant++) {
            gboolean long_ids = variant == 1, nul = variant == 2;
            GString *csv = make_ids_csv(16000, order, long_ids, nul);
            CU_ASSERT(csv->len > 4 * 64 * 1024); /* really split into 4 parts */
            check_equal_reads_len(csv->str, csv->len, NULL);
            GError *err = NULL;
            ImpactTable *t = read_len(csv->str, csv->len, 3, NULL, &err);
            CU_ASSERT_PTR_NOT_NULL_FATAL(t);
            /* 8,000 participants; levels in order of first appearance */
            CU_ASSERT_EQUAL(impact_table_n_levels(t, 0), 8000);
            const char *first = impact_table_level(t, 0, 0);
            const char *want = order == 1 ? (long_ids ? "participant-007999" : "P07999")
                                          : (long_ids ? "participant-000000" : "P00000");
            CU_ASSERT_STRING_EQUAL(first, want);
            /* shuffled: the second participant is 7919 mod 8000 */
            if (order == 2) {
                CU_ASSERT_STRING_EQUAL(impact_table_level(t, 0, 1),
                                       long_ids ? "participant-007919" : "P07919");
            }
            /* a field with a NUL byte keeps it: level "T\0x" has length 3 */
            if (nul) {
                guint32 code = impact_table_codes(t, 2)[17];
                const char *lv = impact_table_level(t, 2, code);
                CU_ASSERT(lv[0] == 'T' && lv[1] == '\0');
                CU_ASSERT_EQUAL(impact_table_codes(t, 2)[15017], code);
            }
            impact_table_free(t);
            g_string_free(csv, TRUE);
        }
    }
}

static CU_TestInfo tests[] = {
    { "small and header-only files", test_small_and_header_only },
    { "split reads equal one-thread reads", test_equal_plain },
    { "blank lines, CRLF, no final line end", test_equal_blank_crlf_noeol },
    { "missing codes, out-of-range recoding, options version 1", test_equal_options },
    { "the same first error, with its line", test_same_errors },
    { "quoted line ends: one-thread fallback", test_quotes_fall_back },
    { "a mapped file with a byte-order mark", test_file },
    { "chunks of a mapped file after its pages are released", test_chunks_release },
    { "number formatting: the fast path equals printf", test_format_numbers },
    { "four one-digit answers at a time", test_four_answers_at_once },
    { "ids sorted, reversed, shuffled, by wave, long; NUL in a field", test_level_orders },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "read-threads", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int
main(void)
{
    return test_run(suites);
}
