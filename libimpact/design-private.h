/* design-private.h — the parsed design, shared by design.c, evaluate.c and
 * simulate.c; not installed.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#ifndef IMPACT_DESIGN_PRIVATE_H
#define IMPACT_DESIGN_PRIVATE_H

#include "impact-private.h"

G_BEGIN_DECLS

/* Column roles, in the order of the [columns] group. */
typedef enum {
    IMPACT_I_ROLE_PARTICIPANT = 0,
    IMPACT_I_ROLE_TEAM,
    IMPACT_I_ROLE_ORGANISATION,
    IMPACT_I_ROLE_WAVE,
    IMPACT_I_ROLE_ARM,
    IMPACT_I_ROLE_RATER,
    IMPACT_I_ROLE_COHORT,
    IMPACT_I_ROLE_CLUSTER,
    IMPACT_I_N_ROLES
} ImpactIRole;

typedef enum {
    IMPACT_I_SOURCE_OTHERS = 0,
    IMPACT_I_SOURCE_SELF = 1,
    IMPACT_I_SOURCE_ALL = 2
} ImpactISource;

struct _ImpactDesign {
    char *columns[IMPACT_I_N_ROLES]; /* NULL = role not used */
    GStrv waves;                     /* NULL-terminated, baseline first */
    char *primary;                   /* NULL = last wave */
    GStrv programme;                 /* NULL = every arm but the comparison */
    char *comparison;
    char *self_label;                /* default "self" */
    GStrv role_map;                  /* "raw=role" strings */
    GStrv exempt;
    ImpactISource source;
    guint k;                         /* default 3 */
    gboolean suppress;               /* policy: FALSE merge, TRUE suppress */
    guint replicates;                /* default 1000 */
    guint64 seed;                    /* default 1 */
    double level;                    /* default 0.95 */
    int boot_role;                   /* -1 = default */
    gboolean bca;                    /* interval: FALSE percentile, TRUE BCa */
    double cost_total;               /* NaN = not given */
    double cost_per_participant;     /* NaN = not given */
    char *currency;
    GPtrArray *value_scales;         /* char * */
    GArray *values;                  /* double, parallel */
    char *support;
    double domain_weight[IMPACT_N_DOMAINS];
    GPtrArray *entries;              /* "group\nkey\nvalue" set, in order */
    char *file;                      /* file read (its name), or NULL */
    GHashTable *lines;               /* "group\nkey" -> line in the file */
};

/* Name of role @r as in the [columns] group. */
const char *impact_i_role_name(ImpactIRole r);

/* Whether a design file's [waves] labels and [columns] wave are set. */
gboolean impact_i_design_complete(const ImpactDesign *d, const char *name, GError **error);

G_END_DECLS

#endif
