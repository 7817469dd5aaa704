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

/* The bundled example: $IMPACT_EXAMPLE_DIR if set; for a program run from
 * the build tree (cli/impact, cli/.libs/lt-impact) the source tree first;
 * for an installed program pkgdatadir first. */
static char *
demo_dir(void)
{
    const char *env = g_getenv("IMPACT_EXAMPLE_DIR");
    g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
    g_autofree char *exe_dir = exe ? g_path_get_dirname(exe) : NULL;
    gboolean in_build = exe_dir && (g_str_has_suffix(exe_dir, "/cli") ||
                                    g_str_has_suffix(exe_dir, "/cli/.libs"));
    const char *src = IMPACT_SRCDIR "/data/example", *inst = IMPACT_DATADIR "/example";
    const char *cands[] = { env, in_build ? src : inst, in_build ? inst : src };
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

/* "v [lo, hi]" of member @key and @key_ci of the record at @p */
static void
ci(GString *s, const ImpactResult *r, const char *p, const char *key)
{
    g_autofree char *v = g_strdup_printf("%s/%s", p, key);
    g_autofree char *lo = g_strdup_printf("%s/%s_ci/0", p, key);
    g_autofree char *hi = g_strdup_printf("%s/%s_ci/1", p, key);
    num(s, impact_result_number(r, v), 2, FALSE);
    if (impact_result_type(r, lo) == IMPACT_VALUE_NUMBER) {
        g_string_append(s, " [");
        num(s, impact_result_number(r, lo), 2, FALSE);
        g_string_append(s, ", ");
        num(s, impact_result_number(r, hi), 2, FALSE);
        g_string_append(s, "]");
    }
}

static void
pad(GString *s, gsize from, gsize width)
{
    gsize len = s->len - from;
    do {
        g_string_append_c(s, ' ');
    } while (++len < width);
}

/* A number with 2 decimals, or "" (static buffer: one use per call). */
static const char *
fixed(double v)
{
    static char buf[4][32];
    static int i = 0;
    i = (i + 1) % 4;
    if (!isfinite(v)) {
        return "";
    }
    g_snprintf(buf[i], sizeof buf[i], "%.2f", v);
    return buf[i];
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
                           "%s intervals; anonymity k = %g\n",
                           impact_result_number(r, "design/bootstrap/replicates"),
                           impact_result_number(r, "design/bootstrap/n_clusters"),
                           impact_result_string(r, "design/bootstrap/cluster"),
                           impact_result_boolean(r, "design/bootstrap/stratified")
                               ? " (stratified by arm)"
                               : "",
                           100 * impact_result_number(r, "design/bootstrap/level"),
                           impact_result_string(r, "design/bootstrap/interval"),
                           impact_result_number(r, "design/k"));
    g_string_append(s, "\nFindings\n");
    for (gsize i = 0; i < impact_result_length(r, "statements"); i++) {
        g_autofree char *p = g_strdup_printf("statements/%zu", i);
        g_string_append_printf(s, "  * %s\n", impact_result_string(r, p));
    }
    g_string_append(s, "\nDomains (impact index: weighted mean Hedges' g of the domain's scales)\n");
    g_string_append_printf(s, "  %-13s %-13s %8s %8s  %-22s\n", "domain", "unit", "units",
                           "weight", "impact index [CI]");
    for (gsize d = 0; d < impact_result_length(r, "domains"); d++) {
        g_autofree char *p = g_strdup_printf("domains/%zu", d);
        g_autofree char *pd = g_strdup_printf("%s/domain", p);
        g_autofree char *pu = g_strdup_printf("%s/unit", p);
        g_autofree char *pn = g_strdup_printf("%s/n_units", p);
        g_autofree char *pw = g_strdup_printf("%s/weight", p);
        g_string_append_printf(s, "  %-13s %-13s %8.0f %8.2f  ", impact_result_string(r, pd),
                               impact_result_string(r, pu), impact_result_number(r, pn),
                               impact_result_number(r, pw));
        ci(s, r, p, "impact_index");
        g_string_append_c(s, '\n');
    }
    if (impact_result_length(r, "trajectory") > 1) {
        g_string_append(s, "\nTrajectory (every follow-up against the baseline)\n");
        g_string_append_printf(s, "  %-12s", "follow-up");
        for (gsize d = 0; d < impact_result_length(r, "domains"); d++) {
            g_autofree char *pd = g_strdup_printf("domains/%zu/domain", d);
            g_string_append_printf(s, "  %-22s", impact_result_string(r, pd));
        }
        g_string_append_printf(s, "  %s\n", "overall");
        for (gsize w = 0; w < impact_result_length(r, "trajectory"); w++) {
            g_autofree char *pw = g_strdup_printf("trajectory/%zu/wave", w);
            g_string_append_printf(s, "  %-12s", impact_result_string(r, pw));
            for (gsize d = 0; d < impact_result_length(r, "domains"); d++) {
                g_autofree char *p = g_strdup_printf("trajectory/%zu/domains/%zu", w, d);
                g_string_append(s, "  ");
                gsize before = s->len;
                ci(s, r, p, "impact_index");
                pad(s, before, 22);
            }
            g_autofree char *po = g_strdup_printf("trajectory/%zu/overall", w);
            g_string_append(s, "  ");
            ci(s, r, po, "impact_index");
            g_string_append_c(s, '\n');
        }
    }
    g_string_append(s, "\nScales (effect: change in scale points, controlled = difference in "
                       "differences; g: Morris d_ppc2, or g_av without comparison;\n  alpha at "
                       "baseline; gap360: mean self - others at baseline; rwg_j, ICC1: agreement "
                       "at baseline)\n");
    g_string_append_printf(s, "  %-24s %5s %5s %5s  %-22s %-22s %6s %6s %6s %6s %s\n", "scale",
                           "n_T", "n_C", "unp", "effect [CI]", "g [CI]", "alpha", "gap360",
                           "rwg_j", "ICC1", "aggregation");
    for (gsize d = 0; d < impact_result_length(r, "domains"); d++) {
        g_autofree char *sc = g_strdup_printf("domains/%zu/scales", d);
        for (gsize j = 0; j < impact_result_length(r, sc); j++) {
            g_autofree char *p = g_strdup_printf("%s/%zu", sc, j);
            g_autofree char *a = g_strdup_printf("%s/scale", p);
            g_autofree char *nt = g_strdup_printf("%s/n_programme", p);
            g_autofree char *nc = g_strdup_printf("%s/n_comparison", p);
            g_autofree char *nu = g_strdup_printf("%s/unpaired", p);
            g_autofree char *al = g_strdup_printf("%s/reliability/alpha", p);
            g_autofree char *rw = g_strdup_printf("%s/agreement/mean_rwg_j", p);
            g_autofree char *ic = g_strdup_printf("%s/agreement/icc1", p);
            g_autofree char *ag = g_strdup_printf("%s/agreement/aggregation_justified", p);
            g_autofree char *gp = g_strdup_printf("%s/feedback/mean_gap", p);
            g_string_append_printf(s, "  %-24s %5.0f %5.0f %5.0f  ", impact_result_string(r, a),
                                   impact_result_number(r, nt), impact_result_number(r, nc),
                                   impact_result_number(r, nu));
            gsize before = s->len;
            ci(s, r, p, "effect");
            pad(s, before, 23);
            before = s->len;
            ci(s, r, p, "g");
            pad(s, before, 23);
            g_string_append_printf(s, "%6s %6s %6s %6s %s\n", fixed(impact_result_number(r, al)),
                                   fixed(impact_result_number(r, gp)),
                                   fixed(impact_result_number(r, rw)),
                                   fixed(impact_result_number(r, ic)),
                                   impact_result_type(r, ag) == IMPACT_VALUE_BOOLEAN
                                       ? (impact_result_boolean(r, ag) ? "justified"
                                                                       : "NOT justified")
                                       : "");
        }
    }
    g_string_append(s, "\nBreakdowns (programme units of each group against the whole "
                       "comparison arm)\n");
    for (gsize i = 0; i < impact_result_length(r, "breakdowns"); i++) {
        g_autofree char *p = g_strdup_printf("breakdowns/%zu", i);
        g_autofree char *bd = g_strdup_printf("%s/breakdown", p);
        g_autofree char *gr = g_strdup_printf("%s/group", p);
        g_autofree char *dm = g_strdup_printf("%s/domain", p);
        g_autofree char *nn = g_strdup_printf("%s/n_programme", p);
        g_autofree char *sp = g_strdup_printf("%s/suppressed", p);
        g_string_append_printf(s, "  %-11s %-16s %-12s n = %4.0f  ", impact_result_string(r, bd),
                               impact_result_string(r, gr), impact_result_string(r, dm),
                               impact_result_number(r, nn));
        if (impact_result_boolean(r, sp)) {
            g_string_append(s, "suppressed (fewer than k units)\n");
        } else {
            ci(s, r, p, "impact_index");
            g_string_append_c(s, '\n');
        }
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
    g_string_append_printf(s, "\nSuppressed for anonymity: %zu", ns);
    /* counts by source and reason, then the first entries */
    g_autoptr(GHashTable) counts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GPtrArray) order = g_ptr_array_new();
    for (gsize i = 0; i < ns; i++) {
        g_autofree char *ps = g_strdup_printf("suppressed/%zu/source", i);
        g_autofree char *pr = g_strdup_printf("suppressed/%zu/reason", i);
        const char *src = impact_result_string(r, ps), *why = impact_result_string(r, pr);
        char *key = g_strdup_printf("%s: %s", src ? src : "?", why ? why : "?");
        gpointer v = g_hash_table_lookup(counts, key);
        if (v == NULL) {
            g_ptr_array_add(order, key);
        }
        g_hash_table_insert(counts, key, GUINT_TO_POINTER(GPOINTER_TO_UINT(v) + 1)); /* keeps the old key */
    }
    for (guint i = 0; i < order->len; i++) {
        g_string_append_printf(s, "%s%s (%u)", i ? "; " : " — ", (const char *) order->pdata[i],
                               GPOINTER_TO_UINT(g_hash_table_lookup(counts, order->pdata[i])));
    }
    g_string_append_c(s, '\n');
    const gsize show = 12;
    for (gsize i = 0; i < MIN(ns, show); i++) {
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
    if (ns > show) {
        g_string_append_printf(s, "  ... %zu more (--format json, or --format csv --table "
                                  "suppressed, lists them all)\n",
                               ns - show);
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
    const char *csv_path = table ? table : "domains/*/scales";
    GError *error = NULL;
    g_autoptr(ImpactDesign) design = NULL;
    if (!impact_design_read_file(&design, design_path, &error)) {
        return cli_fail(error);
    }
    g_autoptr(ImpactCodebook) cb = NULL;
    g_autoptr(ImpactTable) data = NULL;
    ProgressState ps = { isatty(STDERR_FILENO), -1 };
    if (ps.tty) {
        fprintf(stderr, "impact: reading %s ...", c->data ? c->data : "");
        fflush(stderr);
    }
    int rc = cli_load(c, &cb, &data);
    if (ps.tty && rc == CLI_EXIT_OK) {
        fputs("\r\033[K", stderr); /* on error the message follows on the same line */
    }
    if (rc != CLI_EXIT_OK) {
        return rc;
    }
    ImpactEvaluateOptions eo = IMPACT_EVALUATE_OPTIONS_INIT;
    eo.replicates = replicates;
    eo.threads = (guint) c->threads;
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
        fputs("\r\033[K", stderr);
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
