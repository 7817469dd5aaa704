/* impact-simulate.h — seeded, realistic evaluation data with known true effects.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#if !defined(IMPACT_INSIDE) && !defined(IMPACT_COMPILATION)
#error "Only <libimpact/impact.h> can be included directly."
#endif

#ifndef IMPACT_SIMULATE_H
#define IMPACT_SIMULATE_H

#include <glib.h>
#include <libimpact/impact-macros.h>
#include <libimpact/impact-codebook.h>
#include <libimpact/impact-table.h>
#include <libimpact/impact-result.h>
#include <libimpact/impact-design.h>

G_BEGIN_DECLS

/**
 * Options of the simulator; initialise with IMPACT_SIMULATE_OPTIONS_INIT.
 *
 * The simulated programme: organisations are assigned to the programme or
 * the comparison arm; every participant (a leader) works in one organisation
 * and leads one team, joins one cohort, and (programme participants, with
 * probability @clustered_share) is developed in a learning set of
 * @cluster_size leaders from the same organisation. At every wave each
 * participant is rated on four 360 scales by self, line manager, peers and
 * direct reports (each form not returned with probability @form_missing;
 * self always returns), also rates the line manager's support
 * (manager_support, the moderator), and is lost for good at each follow-up
 * with probability @dropout. Team members (a new draw of 4 to 8 people each
 * wave, about @team_size) rate two team scales; @staff employees per
 * organisation and wave answer two organisation scales. Every answer is
 * missing with probability @missing.
 *
 * Generative model (scale points on 1..5; answers are rounded and clamped
 * to 1..5): a unit's true score is its baseline level plus, at follow-up w
 * of W − 1, the fraction w/(W − 1) of its change. The programme's true
 * change on scale s is effect_s · effect_scale · m_p, the comparison arm's
 * a secular trend; m_p = (1 ± 0.2 for clustered / lone leaders, centred so
 * E = 1) · (1 + 0.4 z_support) has expectation 1, so the true difference in
 * differences of a scale at the last wave is (effect_s − trend_s) ·
 * effect_scale exactly (reported by impact_simulation_truth()).
 */
typedef struct {
    guint version;          /**< 1 */
    guint64 seed;           /**< default 1; the same seed gives the same data */
    gsize participants;     /**< default 150 */
    gsize organisations;    /**< default 10 (>= 2) */
    double comparison_share;/**< share of organisations in the comparison arm, default 0.4 */
    gsize cohorts;          /**< default 3 */
    gsize waves;            /**< default 3 (baseline, month6, month12; >= 2) */
    double clustered_share; /**< share of programme leaders in learning sets, default 0.5 */
    gsize cluster_size;     /**< default 4 */
    gsize peers;            /**< peers invited per participant, default 3 */
    gsize reports;          /**< direct reports invited, default 3 */
    gsize team_size;        /**< mean team survey respondents per wave, default 6 */
    gsize staff;            /**< staff survey respondents per organisation and wave, default 30 */
    double missing;         /**< item non-response, default 0.03 */
    double form_missing;    /**< unreturned non-self 360 form, default 0.10 */
    double dropout;         /**< participant lost at each follow-up, default 0.08 */
    double effect_scale;    /**< multiplies every programme effect, default 1 */
} ImpactSimulateOptions;

#define IMPACT_SIMULATE_OPTIONS_INIT \
    { 1, 1, 150, 10, 0.4, 3, 3, 0.5, 4, 3, 3, 6, 30, 0.03, 0.10, 0.08, 1.0 }

/** A simulated evaluation: codebook, responses, design and the truth. */
typedef struct _ImpactSimulation ImpactSimulation;

/**
 * Simulates an evaluation (see ImpactSimulateOptions for the model).
 *
 * @param out on success a new simulation (caller's; impact_simulation_free())
 *
 * Errors: IMPACT_ERROR_INVALID naming the option (participants < 4,
 * organisations < 2, waves < 2, shares outside [0, 1), cluster_size < 2,
 * more than 10 million rows). Deterministic for a seed: the generator is
 * GLib's Mersenne Twister with Box–Muller normals, used in a fixed order.
 * Complexity O(rows × items).
 */
IMPACT_API gboolean impact_simulate(ImpactSimulation **out, const ImpactSimulateOptions *options,
                                    GError **error);

/** Frees a simulation. NULL is accepted. */
IMPACT_API void impact_simulation_free(ImpactSimulation *sim);

/** The codebook (borrowed, valid while @sim lives). */
IMPACT_API const ImpactCodebook *impact_simulation_codebook(const ImpactSimulation *sim);
/** The responses, one row per form (borrowed). */
IMPACT_API const ImpactTable *impact_simulation_responses(const ImpactSimulation *sim);
/** The design (borrowed). */
IMPACT_API const ImpactDesign *impact_simulation_design(const ImpactSimulation *sim);
/**
 * The true effects (borrowed): {"seed", "scales": [{"scale", "domain",
 * "true_change_programme", "true_change_comparison", "true_did"}]}, the
 * expected change of the unit scores between baseline and the last wave,
 * in scale points, before rounding and clamping of answers.
 */
IMPACT_API const ImpactResult *impact_simulation_truth(const ImpactSimulation *sim);

/**
 * Writes codebook.csv, responses.csv, design.ini and truth.json into
 * directory @dir (created if needed; each file written atomically).
 * Errors: IMPACT_ERROR_IO naming the file.
 */
IMPACT_API gboolean impact_simulation_write(const ImpactSimulation *sim, const char *dir,
                                            GError **error);

/**
 * A codebook as CSV text (item, scale, domain, min, max, reverse, weight,
 * label), which impact_codebook_read_buffer() reads back to the same
 * codebook. Newly allocated; g_free().
 */
IMPACT_API char *impact_codebook_to_csv(const ImpactCodebook *codebook);

#ifndef SWIG
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImpactSimulation, impact_simulation_free)
#endif

G_END_DECLS

#endif /* IMPACT_SIMULATE_H */
