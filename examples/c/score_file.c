/* score_file.c — score a survey file with libimpact, the way a C tool would.
 *
 * Usage: score_file [CODEBOOK DATA]   (defaults: the bundled bfi fixture)
 * Prints the number of responses and each scale's mean score.
 */
#include <stdio.h>
#include <math.h>
#include <libimpact/impact.h>

int
main(int argc, char **argv)
{
    const char *top = g_getenv("IMPACT_TOP_SRCDIR");
    g_autofree char *cbpath = argc > 2 ? g_strdup(argv[1])
                                       : g_build_filename(top ? top : "..", "tests", "data",
                                                          "bfi-codebook.csv", NULL);
    g_autofree char *datapath = argc > 2 ? g_strdup(argv[2])
                                         : g_build_filename(top ? top : "..", "tests", "data",
                                                            "bfi.csv", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(ImpactCodebook) codebook = NULL;
    g_autoptr(ImpactTable) responses = NULL;
    g_autoptr(ImpactTable) scores = NULL;

    if (!impact_codebook_read_csv(&codebook, cbpath, &error) ||
        !impact_responses_read(&responses, datapath, codebook, NULL, &error) ||
        !impact_score_table(&scores, responses, codebook, "id", NULL, &error)) {
        fprintf(stderr, "score_file: %s\n", error->message);
        return 1;
    }
    printf("%zu responses\n", (size_t) impact_table_n_rows(scores));
    for (gsize s = 0; s < impact_codebook_n_scales(codebook); s++) {
        double mean;
        gsize n;
        impact_stats_mean_var(impact_table_numeric(scores, s + 1), impact_table_n_rows(scores),
                              &mean, NULL, &n);
        printf("%-20s n = %4zu  mean = %.4f\n", impact_codebook_scale_name(codebook, s),
               (size_t) n, mean);
    }
    return 0;
}
