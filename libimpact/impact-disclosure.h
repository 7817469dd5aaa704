/* impact-disclosure.h — disclosure control for group statistics:
 * k-anonymity with primary and complementary suppression.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#if !defined(IMPACT_INSIDE) && !defined(IMPACT_COMPILATION)
#error "Only <libimpact/impact.h> can be included directly."
#endif

#ifndef IMPACT_DISCLOSURE_H
#define IMPACT_DISCLOSURE_H

#include <glib.h>
#include <libimpact/impact-macros.h>

G_BEGIN_DECLS

/**
 * What may be published of a unit (a team, an organisation, any group).
 */
typedef enum {
    IMPACT_DISCLOSURE_PUBLISHED = 0,    /**< its statistics and n are shown */
    IMPACT_DISCLOSURE_PRIMARY = 1,      /**< suppressed: fewer than k people (n < k) */
    IMPACT_DISCLOSURE_COMPLEMENTARY = 2 /**< suppressed although n >= k, so that no
                                             combination of published numbers reveals
                                             the statistics of fewer than k people */
} ImpactDisclosureStatus;

/** Options of impact_disclosure_decide(); initialise with IMPACT_DISCLOSURE_OPTIONS_INIT. */
typedef struct {
    guint version;            /**< 1 */
    gsize min_group;          /**< k: the fewest people whose statistics may be shown (>= 1; default 3) */
    gboolean total_published; /**< the total over all units (grand mean and N) is, or may
                                   be, public elsewhere; default TRUE (the safe assumption) */
} ImpactDisclosureOptions;

#define IMPACT_DISCLOSURE_OPTIONS_VERSION 1
#define IMPACT_DISCLOSURE_OPTIONS_INIT { IMPACT_DISCLOSURE_OPTIONS_VERSION, 3, TRUE }

/** "published", "primary" or "complementary" (static string). */
IMPACT_API const char *impact_disclosure_status_name(ImpactDisclosureStatus status);

/**
 * Decides which units of a hierarchy may be published.
 *
 * The units form a forest: unit i has @n[i] people and lies inside unit
 * @parent[i] (or directly under the total when @parent[i] is -1), for
 * example teams (parent = their organisation) and organisations (parent -1).
 * A parent may hold people who are in none of its children, so
 * n[p] >= Σ n[children of p]. For each unit the caller would publish additive
 * statistics (n, sum = mean × n, sum of squares = f(SD, mean, n)) and
 * within-unit statistics (rwg, AD...).
 *
 * Rule (checked by impact_disclosure_verify()):
 *  1. primary: a unit with n < k is suppressed;
 *  2. residuals: for every published unit v (and the total, if
 *     @options->total_published), let D(v) be its maximal published proper
 *     descendants (published units below v with no published unit between)
 *     and R(v) = n(v) − Σ_{d ∈ D(v)} n(d) the people of v in no published unit
 *     below it. Then R(v) = 0 or R(v) >= k.
 *
 * Proof that the rule protects every group of fewer than k people. Let the
 * data be a vector x over people; a published additive statistic of unit v
 * is the linear functional 1_v·x (sum) or 1_v·x² etc. The residual sets
 * R(v) of the published units are pairwise disjoint, and each published
 * indicator is 1_v = 1_{R(v)} + Σ_{d ∈ D(v)} 1_d, a triangular system: so the
 * span of the published indicators equals the span of the residual
 * indicators {1_{R(v)}}. Any number computable by linear combination of
 * published sums is therefore Σ_v a_v·(sum over R(v)): every person gets
 * the same weight as everyone else in their residual, which holds 0 or at
 * least k people. No combination isolates the sum (hence the mean) of any
 * set of fewer than k people, nor of a suppressed unit unless that unit
 * coincides with a residual of at least k people. Counts follow the same
 * argument with the units whose n is shown (see @n_shown).
 *
 * Complementary suppression (the choice of which further units to hide) is
 * greedy and deterministic: units are visited deepest first, then the
 * total; while 0 < R(v) < k, among the maximal published descendants d of v
 * with R(d) > 0 the one with the smallest R(d) that alone makes R(v) >= k
 * is suppressed (adding R(d) to R(v)), or if none suffices the one with the
 * smallest R(d) (ties: lowest index); if every R(d) is 0 the smallest d is
 * suppressed so its descendants become candidates. It always terminates with
 * a valid answer (at worst R(v) = n(v) >= k). It is not guaranteed to hide
 * the fewest people (that is a knapsack problem).
 *
 * Whether n itself may be shown (@n_shown): TRUE for published units;
 * FALSE for primary units (the size of a group of fewer than k people is
 * treated as sensitive: with n = 1 it tells who answered); for complementary
 * units TRUE unless showing it would make the count of a set of fewer than k
 * people derivable — the counts then obey the same residual rule over the
 * units whose n is shown, so no primary unit's n can be derived.
 *
 * @param status  out: n_units statuses (caller's buffer); untouched on error
 * @param n_shown out: n_units flags (caller's buffer; may be NULL)
 * @param n       people per unit (whole numbers >= 0; double so counts are
 *                R-safe and beyond 2^32, as ImpactMoments)
 * @param parent  parent index per unit, or -1; must form a forest
 * @param n_units number of units (0 is allowed: nothing to do)
 * @param options NULL for defaults
 *
 * Errors: IMPACT_ERROR_INVALID for a bad option (k = 0, version), a count
 * that is not a whole number >= 0, a parent index out of range, a cycle, or
 * a parent with fewer people than its children together (naming the unit).
 *
 * Complexity: O(n_units · depth) for the rule plus O(size of the subtree)
 * per extra suppression; memory O(n_units).
 */
IMPACT_API gboolean impact_disclosure_decide(ImpactDisclosureStatus *status, gboolean *n_shown,
                                             const double *n, const gint *parent, gsize n_units,
                                             const ImpactDisclosureOptions *options,
                                             GError **error);

/**
 * Checks a disclosure decision against the rule of impact_disclosure_decide()
 * (for decisions made elsewhere, or by hand).
 *
 * @param status   n_units statuses to check (PRIMARY and COMPLEMENTARY both
 *                 mean suppressed)
 * @param n_shown  n_units flags or NULL (then every published unit shows n
 *                 and no suppressed unit does)
 * @return TRUE if the decision is safe; FALSE with IMPACT_ERROR_INSUFFICIENT
 *   naming the first offending unit ("unit 4 is published with n = 2 < k = 3",
 *   "the people of unit 2 outside its published units number 1 (< k = 3)",
 *   "the count of unit 5 (n = 2 < k) is shown") or IMPACT_ERROR_INVALID for
 *   malformed input as impact_disclosure_decide().
 *
 * Complexity O(n_units · depth).
 */
IMPACT_API gboolean impact_disclosure_verify(const ImpactDisclosureStatus *status,
                                             const gboolean *n_shown, const double *n,
                                             const gint *parent, gsize n_units,
                                             const ImpactDisclosureOptions *options,
                                             GError **error);

G_END_DECLS

#endif /* IMPACT_DISCLOSURE_H */
