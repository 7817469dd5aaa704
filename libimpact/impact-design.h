/* impact-design.h — the design of an evaluation: column roles, waves, arms,
 * rater roles, anonymity, bootstrap, costs and monetary values.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#if !defined(IMPACT_INSIDE) && !defined(IMPACT_COMPILATION)
#error "Only <libimpact/impact.h> can be included directly."
#endif

#ifndef IMPACT_DESIGN_H
#define IMPACT_DESIGN_H

#include <glib.h>
#include <libimpact/impact-macros.h>
#include <libimpact/impact-codebook.h>
#include <libimpact/impact-table.h>

G_BEGIN_DECLS

/**
 * The design of an evaluation: which response column plays which role and
 * how the programme was run. A design is read from a small INI (GKeyFile)
 * file or built key by key through impact_design_set(); both routes go
 * through the same validation, so a setting means the same either way.
 *
 * File format (every group and key optional unless marked; lists are
 * separated by ';'; "#" starts a comment line):
 *
 *     [columns]                 column of each role in the response file
 *     participant = participant   unit of the individual domain (required
 *                                 for individual scales)
 *     team = team                 unit of the team domain
 *     organisation = organisation unit of the organisation domain
 *     wave = wave                 (required)
 *     arm = arm                   programme / comparison arm
 *     rater = rater               360 rater role of the form
 *     cohort = cohort
 *     cluster = cluster           learning set / pair / leader cluster;
 *                                 empty = a lone participant
 *     [waves]
 *     labels = baseline;month6;month12   (required) in order, baseline first
 *     primary = month12           follow-up of the impact index (default: last)
 *     [arms]
 *     programme = programme       programme arm label(s) (default: every arm
 *                                 but the comparison)
 *     comparison = comparison     comparison arm label (optional)
 *     [raters]
 *     self = self                 label of self ratings (default "self")
 *     roles = manager=line manager;peer=peers   map of raw labels to roles
 *     exempt = line manager       roles shown even below k (one named rater)
 *     source = others             ratings of an individual unit's score:
 *                                 others (default), self or all
 *     [anonymity]
 *     k = 3                       minimum respondents of a published group
 *                                 (default 3, >= 2)
 *     policy = merge              small 360 role groups: merge or suppress
 *     [bootstrap]
 *     replicates = 1000           0 = no bootstrap (default 1000)
 *     seed = 1
 *     level = 0.95
 *     cluster = organisation      role whose values are resampled: participant,
 *                                 team, organisation or cluster (default:
 *                                 organisation if given, else participant)
 *     interval = percentile       or bca (bias-corrected and accelerated)
 *     [costs]
 *     total = 250000              programme cost, or:
 *     per_participant = 5000      cost per programme participant
 *     currency = GBP
 *     [value]
 *     SCALE = 1200                money per scale point of (controlled)
 *                                 change, per unit of the scale's domain
 *     [support]
 *     scale = manager_support     moderator scale (not an outcome)
 *     [domains]
 *     individual = 1              weights of the domains in the overall
 *     team = 1                    index (default equal; >= 0)
 *     organisation = 1
 *
 * Errors in a file name "FILE:LINE: [group] key: ..." (IMPACT_ERROR_PARSE
 * for malformed files, IMPACT_ERROR_INVALID for bad values, unknown groups
 * or keys). A design is checked against data by impact_design_check().
 */
typedef struct _ImpactDesign ImpactDesign;

/** A new empty design (no roles; defaults above). Free with impact_design_free(). */
IMPACT_API ImpactDesign *impact_design_new(void);

/** Frees a design. NULL is accepted. */
IMPACT_API void impact_design_free(ImpactDesign *design);

/**
 * Sets one key of @group (the file's groups and keys above) from its text
 * form, as if it were a line of a design file. A [value] key names a scale;
 * every other unknown group or key is an error.
 *
 * Errors: IMPACT_ERROR_INVALID naming "[group] key" and the value (not a
 * number, out of range, unknown role, unknown group or key). The design is
 * unchanged on error. Complexity O(length of value).
 */
IMPACT_API gboolean impact_design_set(ImpactDesign *design, const char *group, const char *key,
                                      const char *value, GError **error);

/**
 * The text form of a key (newly allocated; g_free()), as impact_design_set()
 * accepts it and impact_design_to_data() writes it, or NULL when the key is
 * not set (defaults are not reported).
 */
IMPACT_API char *impact_design_get(const ImpactDesign *design, const char *group,
                                   const char *key);

/**
 * Reads a design file (INI / GKeyFile syntax, UTF-8).
 *
 * @param out on success a new design (caller's); untouched on error
 *
 * Errors: IMPACT_ERROR_IO (unreadable), IMPACT_ERROR_PARSE (not a key file;
 * "FILE:LINE: ..."), IMPACT_ERROR_INVALID ("FILE:LINE: [group] key: ..."),
 * and the checks of a complete design: [waves] labels and [columns] wave
 * are required.
 */
IMPACT_API gboolean impact_design_read_file(ImpactDesign **out, const char *path,
                                            GError **error);

/** As impact_design_read_file() from @len bytes; @name stands for the file name. */
IMPACT_API gboolean impact_design_read_buffer(ImpactDesign **out, const char *data, gsize len,
                                              const char *name, GError **error);

/** The design as the text of a design file (newly allocated; g_free()). */
IMPACT_API char *impact_design_to_data(const ImpactDesign *design);

/**
 * Checks a design against a codebook and a response table: every named
 * column exists and is a text column; wave labels occur in the wave column;
 * arm labels occur in the arm column; each domain with scales in the
 * codebook has its unit column; [value] and [support] scales exist in the
 * codebook; costs are not given twice.
 *
 * Errors: IMPACT_ERROR_INVALID (the design contradicts itself), or
 * IMPACT_ERROR_DATA naming the column, label or scale that is missing.
 */
IMPACT_API gboolean impact_design_check(const ImpactDesign *design,
                                        const ImpactCodebook *codebook,
                                        const ImpactTable *responses, GError **error);

#ifndef SWIG
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImpactDesign, impact_design_free)
#endif

G_END_DECLS

#endif /* IMPACT_DESIGN_H */
