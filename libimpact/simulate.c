/* simulate.c — seeded, realistic evaluation data with known true effects.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include "design-private.h"

struct _ImpactSimulation {
    ImpactCodebook *codebook;
    ImpactTable *responses;
    ImpactDesign *design;
    ImpactResult *truth;
};

/* The instrument: scale, domain, items, reversed item (1-based, 0 none),
 * baseline level, programme effect and comparison trend at the last wave
 * (scale points). */
typedef struct {
    const char *scale;
    ImpactDomain domain;
    const char *prefix;
    int n_items;
    int reversed;
    double level;
    double effect;
    double trend;
    const char *label;
} SimScale;

static const SimScale scales[] = {
    { "inspiring_vision", IMPACT_DOMAIN_INDIVIDUAL, "iv", 3, 0, 3.1, 0.35, 0.05,
      "Inspires a shared purpose" },
    { "engaging_team", IMPACT_DOMAIN_INDIVIDUAL, "ie", 3, 3, 3.2, 0.30, 0.05,
      "Engages the team" },
    { "developing_capability", IMPACT_DOMAIN_INDIVIDUAL, "id", 3, 0, 3.0, 0.25, 0.05,
      "Develops capability" },
    { "holding_to_account", IMPACT_DOMAIN_INDIVIDUAL, "ia", 3, 0, 3.0, 0.20, 0.05,
      "Holds to account" },
    { "manager_support", IMPACT_DOMAIN_INDIVIDUAL, "ms", 3, 0, 3.0, 0.0, 0.0,
      "Line manager supports the leader's development" },
    { "team_climate", IMPACT_DOMAIN_TEAM, "tc", 4, 4, 3.3, 0.20, 0.03, "Team climate" },
    { "psychological_safety", IMPACT_DOMAIN_TEAM, "ps", 4, 2, 3.2, 0.15, 0.03,
      "Psychological safety" },
    { "staff_engagement", IMPACT_DOMAIN_ORGANISATION, "se", 3, 0, 3.4, 0.10, 0.02,
      "Staff engagement" },
    { "organisational_culture", IMPACT_DOMAIN_ORGANISATION, "oc", 3, 3, 3.2, 0.08, 0.02,
      "Organisational culture" },
};
#define N_SCALES G_N_ELEMENTS(scales)
#define SUPPORT 4

enum { C_FORM, C_PART, C_RATER, C_TEAM, C_ORG, C_WAVE, C_ARM, C_COHORT, C_CLUSTER, N_TEXT };
static const char *const text_names[N_TEXT] = { "form", "participant", "rater", "team",
                                                "organisation", "wave", "arm", "cohort",
                                                "cluster" };

typedef struct {
    GRand *rng;
    gboolean have_spare;
    double spare;
} Rng;

static double
unif(Rng *r)
{
    return g_rand_double(r->rng);
}

static double
norm(Rng *r)
{
    if (r->have_spare) {
        r->have_spare = FALSE;
        return r->spare;
    }
    double u, v, s;
    do {
        u = 2.0 * g_rand_double(r->rng) - 1.0;
        v = 2.0 * g_rand_double(r->rng) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    double f = sqrt(-2.0 * log(s) / s);
    r->spare = v * f;
    r->have_spare = TRUE;
    return u * f;
}

typedef struct {
    GPtrArray *strings;      /* interned labels, owned */
    GHashTable *intern;      /* label -> borrowed */
    GArray *text[N_TEXT];    /* const char * per row */
    GArray **items;          /* double per row, one per item */
    gsize n_items;
    gsize rows;
    gsize first_item[N_SCALES]; /* first item column of each scale */
} Builder;

static const char *
intern(Builder *b, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static const char *
intern(Builder *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    const char *hit = g_hash_table_lookup(b->intern, s);
    if (hit) {
        g_free(s);
        return hit;
    }
    g_ptr_array_add(b->strings, s);
    g_hash_table_insert(b->intern, s, s);
    return s;
}

static void
add_row(Builder *b, const char *const text[N_TEXT], Rng *r, const double *truth, gboolean *mask,
        double lean, double noise, double missing)
{
    for (int c = 0; c < N_TEXT; c++) {
        g_array_append_val(b->text[c], text[c]);
    }
    for (gsize s = 0; s < N_SCALES; s++) {
        for (int j = 0; j < scales[s].n_items; j++) {
            double x = NAN;
            if (mask[s] && unif(r) >= missing) {
                double v = truth[s] + lean + noise * norm(r);
                v = CLAMP(floor(v + 0.5), 1.0, 5.0);
                x = scales[s].reversed == j + 1 ? 6.0 - v : v;
            }
            g_array_append_val(b->items[b->first_item[s] + j], x);
        }
    }
    b->rows++;
}

static gboolean
check_options(const ImpactSimulateOptions *o, GError **error)
{
    const char *bad = NULL;
    if (o->version != 1) {
        bad = "version must be 1";
    } else if (o->participants < 4) {
        bad = "participants must be at least 4";
    } else if (o->organisations < 2) {
        bad = "organisations must be at least 2";
    } else if (o->waves < 2 || o->waves > 20) {
        bad = "waves must be from 2 to 20";
    } else if (o->cohorts < 1) {
        bad = "cohorts must be at least 1";
    } else if (!(o->comparison_share > 0 && o->comparison_share < 1)) {
        bad = "comparison_share must be in (0, 1)";
    } else if (!(o->clustered_share >= 0 && o->clustered_share < 1)) {
        bad = "clustered_share must be in [0, 1)";
    } else if (o->cluster_size < 2) {
        bad = "cluster_size must be at least 2";
    } else if (!(o->missing >= 0 && o->missing < 1) ||
               !(o->form_missing >= 0 && o->form_missing < 1) ||
               !(o->dropout >= 0 && o->dropout < 1)) {
        bad = "missing, form_missing and dropout must be in [0, 1)";
    } else if (!isfinite(o->effect_scale)) {
        bad = "effect_scale must be finite";
    } else if ((double) o->participants * (double) o->waves *
                   (double) (1 + 1 + o->peers + o->reports + o->team_size + 2) +
                   (double) o->organisations * (double) o->waves * (double) o->staff >
               1e7) {
        bad = "more than 10 million rows would be simulated";
    }
    if (bad) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_INVALID, "simulate: %s", bad);
        return FALSE;
    }
    return TRUE;
}

static ImpactDesign *
make_design(const ImpactSimulateOptions *o, const char *const *waves)
{
    ImpactDesign *d = impact_design_new();
    g_autofree char *labels = g_strjoinv(";", (char **) waves);
    struct {
        const char *g, *k, *v;
    } kv[] = {
        { "columns", "participant", "participant" },
        { "columns", "team", "team" },
        { "columns", "organisation", "organisation" },
        { "columns", "wave", "wave" },
        { "columns", "arm", "arm" },
        { "columns", "rater", "rater" },
        { "columns", "cohort", "cohort" },
        { "columns", "cluster", "cluster" },
        { "waves", "labels", labels },
        { "arms", "programme", "programme" },
        { "arms", "comparison", "comparison" },
        { "raters", "self", "self" },
        { "raters", "roles", "manager=line manager;peer=peers;report=direct reports" },
        { "raters", "exempt", "line manager" },
        { "raters", "source", "others" },
        { "anonymity", "k", "3" },
        { "anonymity", "policy", "merge" },
        { "bootstrap", "replicates", "1000" },
        { "bootstrap", "seed", "1" },
        { "bootstrap", "cluster", "organisation" },
        { "costs", "per_participant", "4500" },
        { "costs", "currency", "GBP" },
        { "value", "engaging_team", "2000" },
        { "value", "team_climate", "15000" },
        { "value", "staff_engagement", "500000" },
        { "support", "scale", "manager_support" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(kv); i++) {
        gboolean ok = impact_design_set(d, kv[i].g, kv[i].k, kv[i].v, NULL);
        g_assert(ok);
    }
    return d;
}

gboolean
impact_simulate(ImpactSimulation **out, const ImpactSimulateOptions *options, GError **error)
{
    g_return_val_if_fail(out != NULL, FALSE);
    ImpactSimulateOptions o = IMPACT_SIMULATE_OPTIONS_INIT;
    if (options) {
        o = *options;
    }
    if (!check_options(&o, error)) {
        return FALSE;
    }
    /* codebook */
    g_autoptr(ImpactCodebook) cb = impact_codebook_new();
    Builder b = { 0 };
    gsize n_items = 0;
    for (gsize s = 0; s < N_SCALES; s++) {
        b.first_item[s] = n_items;
        for (int j = 0; j < scales[s].n_items; j++) {
            g_autofree char *item = g_strdup_printf("%s%d", scales[s].prefix, j + 1);
            g_autofree char *label = g_strdup_printf("%s (%d)", scales[s].label, j + 1);
            gboolean ok = impact_codebook_add_item(cb, item, scales[s].scale, scales[s].domain, 1,
                                                   5, scales[s].reversed == j + 1, 1.0, label,
                                                   NULL);
            g_assert(ok);
            n_items++;
        }
    }
    g_autoptr(GPtrArray) wave_names = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(wave_names, g_strdup("baseline"));
    for (gsize w = 1; w < o.waves; w++) {
        g_ptr_array_add(wave_names, g_strdup_printf("month%" G_GSIZE_FORMAT, 6 * w));
    }
    g_ptr_array_add(wave_names, NULL);

    b.strings = g_ptr_array_new_with_free_func(g_free);
    b.intern = g_hash_table_new(g_str_hash, g_str_equal);
    for (int c = 0; c < N_TEXT; c++) {
        b.text[c] = g_array_new(FALSE, FALSE, sizeof(const char *));
    }
    b.n_items = n_items;
    b.items = g_new(GArray *, n_items);
    for (gsize i = 0; i < n_items; i++) {
        b.items[i] = g_array_new(FALSE, FALSE, sizeof(double));
    }
    Rng r = { g_rand_new_with_seed_array((const guint32[]) { (guint32) o.seed,
                                                             (guint32) (o.seed >> 32) },
                                         2),
              FALSE, 0 };

    /* organisations: arm, level per scale */
    gsize n_org = o.organisations;
    gsize n_comp = (gsize) floor(o.comparison_share * (double) n_org + 0.5);
    n_comp = CLAMP(n_comp, 1, n_org - 1);
    g_autofree gboolean *org_comp = g_new0(gboolean, n_org);
    g_autofree double *org_shift = g_new0(double, n_org * N_SCALES);
    for (gsize g = 0; g < n_org; g++) {
        org_comp[g] = g >= n_org - n_comp; /* last organisations: comparison */
        double common = norm(&r);
        for (gsize s = 0; s < N_SCALES; s++) {
            org_shift[g * N_SCALES + s] = 0.15 * common + 0.10 * norm(&r);
        }
    }
    /* participants */
    gsize n_p = o.participants;
    g_autofree gsize *p_org = g_new(gsize, n_p);
    g_autofree gsize *p_cohort = g_new(gsize, n_p);
    g_autofree gssize *p_cluster = g_new(gssize, n_p);
    g_autofree double *p_mult = g_new(double, n_p);
    g_autofree double *p_level = g_new(double, n_p * N_SCALES);
    g_autofree double *t_level = g_new(double, n_p * N_SCALES);
    g_autofree double *p_support = g_new(double, n_p);
    g_autofree gsize *p_last = g_new(gsize, n_p); /* last wave present */
    gssize next_cluster = 0;
    gsize open_cluster_members = 0;
    gssize open_cluster = -1;
    gsize open_cluster_org = G_MAXSIZE;
    const double cs = o.clustered_share;
    for (gsize p = 0; p < n_p; p++) {
        p_org[p] = (p * n_org) / n_p;
        p_cohort[p] = (gsize) (unif(&r) * (double) o.cohorts);
        p_cohort[p] = MIN(p_cohort[p], o.cohorts - 1);
        p_support[p] = norm(&r);
        gboolean clustered = !org_comp[p_org[p]] && cs > 0 && unif(&r) < cs;
        if (clustered) {
            if (open_cluster < 0 || open_cluster_org != p_org[p] ||
                open_cluster_members >= o.cluster_size) {
                open_cluster = next_cluster++;
                open_cluster_members = 0;
                open_cluster_org = p_org[p];
            }
            p_cluster[p] = open_cluster;
            open_cluster_members++;
        } else {
            p_cluster[p] = -1;
        }
        /* multiplier with expectation 1 over programme leaders:
         * clustered 1 + 0.2(1 − cs), lone 1 − 0.2 cs; support 1 + 0.4 z */
        double mc = clustered ? 1.0 + 0.2 * (1.0 - cs) : 1.0 - 0.2 * cs;
        p_mult[p] = mc * (1.0 + 0.4 * p_support[p]);
        double common = norm(&r);
        for (gsize s = 0; s < N_SCALES; s++) {
            double base = scales[s].level + org_shift[p_org[p] * N_SCALES + s];
            if (s == SUPPORT) {
                p_level[p * N_SCALES + s] = 3.0 + 0.7 * p_support[p];
            } else {
                p_level[p * N_SCALES + s] = base + 0.30 * common + 0.25 * norm(&r);
            }
            t_level[p * N_SCALES + s] = base + 0.35 * norm(&r);
        }
        p_last[p] = o.waves - 1;
        for (gsize w = 1; w < o.waves; w++) {
            if (unif(&r) < o.dropout) {
                p_last[p] = w - 1;
                break;
            }
        }
    }
    const char *const role_raw[4] = { "self", "manager", "peer", "report" };
    const double role_shift[4] = { 0.30, 0.0, 0.0, 0.10 };
    gboolean mask_ind[N_SCALES] = { 0 }, mask_self[N_SCALES] = { 0 }, mask_team[N_SCALES] = { 0 },
             mask_org[N_SCALES] = { 0 };
    for (gsize s = 0; s < N_SCALES; s++) {
        mask_ind[s] = scales[s].domain == IMPACT_DOMAIN_INDIVIDUAL && s != SUPPORT;
        mask_self[s] = scales[s].domain == IMPACT_DOMAIN_INDIVIDUAL;
        mask_team[s] = scales[s].domain == IMPACT_DOMAIN_TEAM;
        mask_org[s] = scales[s].domain == IMPACT_DOMAIN_ORGANISATION;
    }
    double truth[N_SCALES];
    for (gsize w = 0; w < o.waves; w++) {
        const double tw = (double) w / (double) (o.waves - 1);
        const char *wave = g_ptr_array_index(wave_names, w);
        for (gsize p = 0; p < n_p; p++) {
            if (w > p_last[p]) {
                continue;
            }
            gboolean comp = org_comp[p_org[p]];
            const char *text[N_TEXT];
            text[C_PART] = intern(&b, "P%05" G_GSIZE_FORMAT, p + 1);
            text[C_TEAM] = intern(&b, "T%05" G_GSIZE_FORMAT, p + 1);
            text[C_ORG] = intern(&b, "O%03" G_GSIZE_FORMAT, p_org[p] + 1);
            text[C_WAVE] = wave;
            text[C_ARM] = comp ? "comparison" : "programme";
            text[C_COHORT] = intern(&b, "cohort%" G_GSIZE_FORMAT, p_cohort[p] + 1);
            text[C_CLUSTER] = p_cluster[p] >= 0
                                  ? intern(&b, "LS%03" G_GSIZE_FORMAT, (gsize) p_cluster[p] + 1)
                                  : NULL;
            /* 360 forms */
            for (gsize s = 0; s < N_SCALES; s++) {
                double change = comp ? scales[s].trend
                                     : scales[s].trend + (scales[s].effect - scales[s].trend) *
                                                             o.effect_scale * p_mult[p];
                truth[s] = p_level[p * N_SCALES + s] + tw * change;
            }
            text[C_FORM] = "360";
            gsize n_raters = 2 + o.peers + o.reports;
            for (gsize k = 0; k < n_raters; k++) {
                int role = k == 0 ? 0 : k == 1 ? 1 : k < 2 + o.peers ? 2 : 3;
                if (role != 0 && unif(&r) < o.form_missing) {
                    continue;
                }
                text[C_RATER] = role_raw[role];
                double lean = role == 0 ? role_shift[0] : role_shift[role] + 0.30 * norm(&r);
                add_row(&b, text, &r, truth, role == 0 ? mask_self : mask_ind, lean, 0.55,
                        o.missing);
            }
            /* team survey: 4..8 members around team_size, a new draw each wave */
            text[C_FORM] = "team";
            text[C_RATER] = NULL;
            for (gsize s = 0; s < N_SCALES; s++) {
                double change = comp ? scales[s].trend
                                     : scales[s].trend + (scales[s].effect - scales[s].trend) *
                                                             o.effect_scale * p_mult[p];
                truth[s] = t_level[p * N_SCALES + s] + tw * change;
            }
            gssize members = (gssize) o.team_size - 2 + (gssize) (unif(&r) * 5.0);
            for (gssize m = 0; m < MAX(members, 1); m++) {
                add_row(&b, text, &r, truth, mask_team, 0.45 * norm(&r), 0.50, o.missing);
            }
        }
        /* staff surveys */
        for (gsize g = 0; g < n_org; g++) {
            const char *text[N_TEXT] = { "staff", NULL, NULL, NULL, NULL, wave, NULL, NULL, NULL };
            text[C_ORG] = intern(&b, "O%03" G_GSIZE_FORMAT, g + 1);
            text[C_ARM] = org_comp[g] ? "comparison" : "programme";
            for (gsize s = 0; s < N_SCALES; s++) {
                double change = org_comp[g] ? scales[s].trend
                                            : scales[s].trend + (scales[s].effect - scales[s].trend) *
                                                                    o.effect_scale;
                truth[s] = scales[s].level + org_shift[g * N_SCALES + s] + tw * change;
            }
            for (gsize m = 0; m < o.staff; m++) {
                add_row(&b, text, &r, truth, mask_org, 0.55 * norm(&r), 0.50, o.missing);
            }
        }
    }
    g_rand_free(r.rng);

    /* the table */
    g_autoptr(ImpactTable) t = impact_table_new();
    gboolean ok = TRUE;
    for (int c = 0; ok && c < N_TEXT; c++) {
        ok = impact_table_add_text(t, text_names[c], (const char *const *) b.text[c]->data,
                                   b.rows, error);
    }
    for (gsize i = 0; ok && i < n_items; i++) {
        ok = impact_table_add_numeric(t, impact_codebook_item_name(cb, i),
                                      (const double *) b.items[i]->data, b.rows, error);
    }
    for (int c = 0; c < N_TEXT; c++) {
        g_array_unref(b.text[c]);
    }
    for (gsize i = 0; i < n_items; i++) {
        g_array_unref(b.items[i]);
    }
    g_free(b.items);
    g_hash_table_unref(b.intern);
    g_ptr_array_unref(b.strings);
    if (!ok) {
        return FALSE;
    }
    /* the truth */
    g_autoptr(JsonBuilder) jb = json_builder_new();
    json_builder_begin_object(jb);
    impact_i_json_int(jb, "seed", (gint64) o.seed);
    json_builder_set_member_name(jb, "scales");
    json_builder_begin_array(jb);
    for (gsize s = 0; s < N_SCALES; s++) {
        if (s == SUPPORT) {
            continue;
        }
        double prog = scales[s].trend + (scales[s].effect - scales[s].trend) * o.effect_scale;
        json_builder_begin_object(jb);
        impact_i_json_string(jb, "scale", scales[s].scale);
        impact_i_json_string(jb, "domain", impact_domain_name(scales[s].domain));
        impact_i_json_double(jb, "true_change_programme", prog);
        impact_i_json_double(jb, "true_change_comparison", scales[s].trend);
        impact_i_json_double(jb, "true_did", prog - scales[s].trend);
        json_builder_end_object(jb);
    }
    json_builder_end_array(jb);
    json_builder_end_object(jb);

    ImpactSimulation *sim = g_new0(ImpactSimulation, 1);
    sim->codebook = g_steal_pointer(&cb);
    sim->responses = g_steal_pointer(&t);
    sim->design = make_design(&o, (const char *const *) wave_names->pdata);
    sim->truth = impact_i_result_new(json_builder_get_root(jb));
    *out = sim;
    return TRUE;
}

void
impact_simulation_free(ImpactSimulation *sim)
{
    if (sim == NULL) {
        return;
    }
    impact_codebook_free(sim->codebook);
    impact_table_free(sim->responses);
    impact_design_free(sim->design);
    impact_result_free(sim->truth);
    g_free(sim);
}

const ImpactCodebook *
impact_simulation_codebook(const ImpactSimulation *sim)
{
    return sim ? sim->codebook : NULL;
}

const ImpactTable *
impact_simulation_responses(const ImpactSimulation *sim)
{
    return sim ? sim->responses : NULL;
}

const ImpactDesign *
impact_simulation_design(const ImpactSimulation *sim)
{
    return sim ? sim->design : NULL;
}

const ImpactResult *
impact_simulation_truth(const ImpactSimulation *sim)
{
    return sim ? sim->truth : NULL;
}

static void
csv_field(GString *s, const char *v)
{
    if (v == NULL) {
        return;
    }
    if (strpbrk(v, ",\"\r\n") == NULL) {
        g_string_append(s, v);
        return;
    }
    g_string_append_c(s, '"');
    for (const char *p = v; *p; p++) {
        if (*p == '"') {
            g_string_append_c(s, '"');
        }
        g_string_append_c(s, *p);
    }
    g_string_append_c(s, '"');
}

char *
impact_codebook_to_csv(const ImpactCodebook *cb)
{
    GString *s = g_string_new("item,scale,domain,min,max,reverse,weight,label\n");
    for (gsize i = 0; cb && i < impact_codebook_n_items(cb); i++) {
        char lo[32], hi[32], w[32];
        gsize sc = impact_codebook_item_scale(cb, i);
        impact_i_format_double(lo, sizeof lo, impact_codebook_item_min(cb, i));
        impact_i_format_double(hi, sizeof hi, impact_codebook_item_max(cb, i));
        impact_i_format_double(w, sizeof w, impact_codebook_item_weight(cb, i));
        csv_field(s, impact_codebook_item_name(cb, i));
        g_string_append_c(s, ',');
        csv_field(s, impact_codebook_scale_name(cb, sc));
        g_string_append_printf(s, ",%s,%s,%s,%d,%s,",
                               impact_domain_name(impact_codebook_scale_domain(cb, sc)), lo, hi,
                               impact_codebook_item_reverse(cb, i) ? 1 : 0, w);
        csv_field(s, impact_codebook_item_label(cb, i));
        g_string_append_c(s, '\n');
    }
    return g_string_free(s, FALSE);
}

static gboolean
write_file(const char *dir, const char *name, const char *text, GError **error)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);
    g_autoptr(GError) e = NULL;
    if (!g_file_set_contents(path, text, -1, &e)) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_IO, "%s: cannot write: %s", path,
                    e->message);
        return FALSE;
    }
    return TRUE;
}

gboolean
impact_simulation_write(const ImpactSimulation *sim, const char *dir, GError **error)
{
    g_return_val_if_fail(sim && dir, FALSE);
    if (g_mkdir_with_parents(dir, 0755) != 0) {
        g_set_error(error, IMPACT_ERROR, IMPACT_ERROR_IO, "%s: cannot create directory: %s", dir,
                    g_strerror(errno));
        return FALSE;
    }
    g_autofree char *cb = impact_codebook_to_csv(sim->codebook);
    g_autofree char *resp = impact_table_to_csv(sim->responses);
    g_autofree char *design = impact_design_to_data(sim->design);
    g_autofree char *truth = impact_result_to_json(sim->truth, TRUE);
    return write_file(dir, "codebook.csv", cb, error) &&
           write_file(dir, "responses.csv", resp, error) &&
           write_file(dir, "design.ini", design, error) &&
           write_file(dir, "truth.json", truth, error);
}
