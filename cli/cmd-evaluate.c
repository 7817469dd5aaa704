/* cmd-evaluate.c — `impact evaluate`: the three-domain impact profile.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

static char *design_path = NULL;
static gboolean demo = FALSE;
static gint replicates = -1;
static gint threads = 0;
static char *table = NULL;
static volatile sig_atomic_t interrupted = 0;

static void
on_sigint(int sig)
{
    (void) sig;
    interrupted = 1;
}

typedef struct {
    gboolean tty;
    int last;
} ProgressState;

static gboolean
progress(double f, gpointer data)
{
    ProgressState *p = data;
    if (p->tty) {
        int pct = (int) floor(100.0 * f);
        if (pct != p->last) {
            fprintf(stderr, "\rimpact: evaluating %3d%%", pct);
            fflush(stderr);
            p->last = pct;
        }
    }
    return !interrupted;
}

/* The bundled example: the source tree (build tree runs), else pkgdatadir. */
static char *
demo_dir(void)
{
    const char *env = g_getenv("IMPACT_EXAMPLE_DIR");
    const char *cands[] = { env, IMPACT_SRCDIR "/data/example", IMPACT_DATADIR "/example", NULL };
    for (gsize i = 0; i < G_N_ELEMENTS(cands); i++) {
        if (cands[i] == NULL) {
            continue;
        }
        g_autofree char *probe = g_build_filename(cands[i], "design.ini", NULL);
        if (g_file_test(probe, G_FILE_TEST_IS_REGULAR)) {
            return g_strdup(cands[i]);
        }
    }
    return NULL;
}

static void
num(GString *s, double v, int decimals, gboolean percent)
{
    if (isfinite(v)) {
        g_string_append_printf(s, "%.*f%s", decimals, v, percent ? "%" : "");
    } else {
        g_string_append(s, "n/a");
    }
}

static gboolean
add_table(GString *s, const ImpactResult *r, const char *title, const char *path, GError **error)
{
    if (impact_result_length(r, path) == 0 && strchr(path, '*') == NULL) {
        return TRUE;
    }
    g_autofree char *t = impact_result_format_table(r, path, IMPACT_TABLE_TEXT, error);
    if (t == NULL) {
        return FALSE;
    }
    g_string_append_printf(s, "\n%s\n%s", title, t);
    return TRUE;
}

static char *
text_report(const ImpactResult *r, GError **error)
{
    GString *s = g_string_new(NULL);
    g_string_append_printf(
        s, "Impact evaluation: %s to %s, %s\n", impact_result_string(r, "design/baseline"),
        impact_result_string(r, "design/follow_up"),
        impact_result_string(r, "design/comparison") ? "programme against comparison"
                                                      : "programme only (no comparison group)");
    g_string_append_printf(s,
                           "Uncertainty: %g bootstrap replicates of %g %s clusters%s, %g%% "
                           "percentile intervals; anonymity k = %g\n",
                           impact_result_number(r, "design/bootstrap/replicates"),
                           impact_result_number(r, "design/bootstrap/n_clusters"),
                           impact_result_string(r, "design/bootstrap/cluster"),
                           impact_result_boolean(r, "design/bootstrap/stratified")
                               ? " (stratified by arm)"
                               : "",
                           100 * impact_result_number(r, "design/bootstrap/level"),
                           impact_result_number(r, "design/k"));
    g_string_append(s, "\nFindings\n");
    for (gsize i = 0; i < impact_result_length(r, "statements"); i++) {
        g_autofree char *p = g_strdup_printf("statements/%zu", i);
        g_string_append_printf(s, "  * %s\n", impact_result_string(r, p));
    }
    if (!add_table(s, r, "Domains (impact index = weighted mean Hedges' g)", "domains", error) ||
        !add_table(s, r, "Scales (g: controlled d_ppc2 or g_av; effect: scale points)",
                   "domains/*/scales", error) ||
        !add_table(s, r, "Breakdowns (programme units of each group)", "breakdowns", error)) {
        g_string_free(s, TRUE);
        return NULL;
    }
    if (impact_result_type(r, "roi") == IMPACT_VALUE_OBJECT) {
        const char *cur = impact_result_string(r, "roi/currency");
        cur = cur ? cur : "";
        g_string_append(s, "\nValue for money\n  costs ");
        num(s, impact_result_number(r, "roi/costs"), 0, FALSE);
        g_string_append_printf(s, " %s; cost per participant ", cur);
        num(s, impact_result_number(r, "roi/cost_per_participant"), 0, FALSE);
        g_string_append(s, "; benefits ");
        num(s, impact_result_number(r, "roi/benefits"), 0, FALSE);
        g_string_append(s, " [");
        num(s, impact_result_number(r, "roi/benefits_ci/0"), 0, FALSE);
        g_string_append(s, ", ");
        num(s, impact_result_number(r, "roi/benefits_ci/1"), 0, FALSE);
        g_string_append(s, "]\n  ROI ");
        num(s, impact_result_number(r, "roi/roi_percent"), 1, TRUE);
        g_string_append(s, " [");
        num(s, impact_result_number(r, "roi/roi_percent_ci/0"), 1, TRUE);
        g_string_append(s, ", ");
        num(s, impact_result_number(r, "roi/roi_percent_ci/1"), 1, TRUE);
        g_string_append(s, "]; benefit-cost ratio ");
        num(s, impact_result_number(r, "roi/bcr"), 2, FALSE);
        g_string_append(s, " [");
        num(s, impact_result_number(r, "roi/bcr_ci/0"), 2, FALSE);
        g_string_append(s, ", ");
        num(s, impact_result_number(r, "roi/bcr_ci/1"), 2, FALSE);
        g_string_append(s, "]; cost per participant per unit of g ");
        num(s, impact_result_number(r, "roi/cost_per_g"), 0, FALSE);
        g_string_append_c(s, '\n');
    }
    gsize ns = impact_result_length(r, "suppressed");
    g_string_append_printf(s, "\nSuppressed for anonymity: %zu\n", ns);
    for (gsize i = 0; i < ns; i++) {
        g_string_append(s, "  ");
        g_autofree char *p = g_strdup_printf("suppressed/%zu", i);
        for (gsize m = 0; m < impact_result_length(r, p); m++) {
            const char *key = impact_result_key(r, p, m);
            g_autofree char *kp = g_strdup_printf("%s/%s", p, key);
            if (impact_result_type(r, kp) == IMPACT_VALUE_STRING) {
                g_string_append_printf(s, "%s%s=%s", m ? " " : "", key,
                                       impact_result_string(r, kp));
            } else if (impact_result_type(r, kp) == IMPACT_VALUE_NUMBER) {
                g_string_append_printf(s, "%s%s=%g", m ? " " : "", key,
                                       impact_result_number(r, kp));
            }
        }
        g_string_append_c(s, '\n');
    }
    gsize nw = impact_result_length(r, "warnings");
    if (nw) {
        g_string_append(s, "\nWarnings\n");
        for (gsize i = 0; i < nw; i++) {
            g_autofree char *p = g_strdup_printf("warnings/%zu", i);
            g_string_append_printf(s, "  ! %s\n", impact_result_string(r, p));
        }
    }
    return g_string_free(s, FALSE);
}

static int
run(CliCommon *c)
{
    g_autofree char *dir = NULL;
    if (demo) {
        if (c->codebook || c->data || design_path) {
            return cli_usage_error("evaluate", "--demo takes no --codebook, --data or --design");
        }
        dir = demo_dir();
        if (dir == NULL) {
            fprintf(stderr, "impact: the example evaluation is not installed (looked in %s and "
                            "%s)\n",
                    IMPACT_SRCDIR "/data/example", IMPACT_DATADIR "/example");
            return CLI_EXIT_DATA;
        }
        c->codebook = g_build_filename(dir, "codebook.csv", NULL);
        c->data = g_build_filename(dir, "responses.csv", NULL);
        design_path = g_build_filename(dir, "design.ini", NULL);
    }
    if (!cli_require(design_path, "design", "evaluate")) {
        return CLI_EXIT_USAGE;
    }
    if (replicates < -1) {
        return cli_usage_error("evaluate", "--replicates must be >= 0");
    }
    if (threads < 0) {
        return cli_usage_error("evaluate", "--threads must be >= 0");
    }
    const char *csv_path = table ? table : "domains/*/scales";
    GError *error = NULL;
    g_autoptr(ImpactDesign) design = NULL;
    if (!impact_design_read_file(&design, design_path, &error)) {
        return cli_fail(error);
    }
    g_autoptr(ImpactCodebook) cb = NULL;
    g_autoptr(ImpactTable) data = NULL;
    int rc = cli_load(c, &cb, &data);
    if (rc != CLI_EXIT_OK) {
        return rc;
    }
    ProgressState ps = { isatty(STDERR_FILENO), -1 };
    ImpactEvaluateOptions eo = IMPACT_EVALUATE_OPTIONS_INIT;
    eo.replicates = replicates;
    eo.threads = (guint) threads;
    eo.progress = progress;
    eo.progress_data = &ps;
    struct sigaction sa = { 0 }, old;
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old);
    g_autoptr(ImpactResult) res = NULL;
    gboolean ok = impact_evaluate(&res, data, cb, design, &eo, &error);
    sigaction(SIGINT, &old, NULL);
    if (ps.tty && ps.last >= 0) {
        fputs("\r                        \r", stderr);
    }
    if (!ok) {
        if (error && error->code == IMPACT_ERROR_CANCELLED) {
            fprintf(stderr, "impact: interrupted; nothing written\n");
            g_error_free(error);
            return 130;
        }
        return cli_fail(error);
    }
    g_autofree char *text = NULL;
    if (c->format == CLI_FORMAT_TEXT) {
        text = text_report(res, &error);
    } else {
        text = cli_render(c, res, csv_path, NULL, &error);
    }
    if (text == NULL) {
        return cli_fail(error);
    }
    return cli_write(c, text);
}

int
cli_cmd_evaluate(int argc, char **argv)
{
    CliCommon c = { 0 };
    int rc = CLI_EXIT_OK;
    const GOptionEntry extra[] = {
        { "design", 0, 0, G_OPTION_ARG_FILENAME, &design_path,
          "Design file (INI: column roles, waves, arms, raters, anonymity, bootstrap, costs, "
          "values)",
          "FILE" },
        { "demo", 0, 0, G_OPTION_ARG_NONE, &demo,
          "Evaluate the bundled example (codebook, responses and design)", NULL },
        { "replicates", 0, 0, G_OPTION_ARG_INT, &replicates,
          "Bootstrap replicates (default: the design's, 1000)", "B" },
        { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "Bootstrap threads (0 = all cores)", "N" },
        { "table", 0, 0, G_OPTION_ARG_STRING, &table,
          "CSV: which table (domains, domains/*/scales [default], breakdowns, suppressed, "
          "roi/benefit_lines)",
          "PATH" },
        { NULL }
    };
    if (cli_parse(&argc, &argv, "evaluate", "--codebook CB --data D --design FILE | --demo",
                  "The programme's impact across the individual, team and organisation "
                  "domains: reliability, agreement, change and effect sizes with cluster-"
                  "bootstrap intervals, impact indices, breakdowns, value for money, and what "
                  "was suppressed for anonymity. Ctrl-C cancels cleanly.",
                  extra, &c, &rc)) {
        rc = run(&c);
    }
    g_clear_pointer(&design_path, g_free);
    g_clear_pointer(&table, g_free);
    demo = FALSE;
    cli_common_clear(&c);
    return rc;
}
