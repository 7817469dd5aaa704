/* impact-macros.h — export and linkage macros shared by every public header.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#if !defined(IMPACT_INSIDE) && !defined(IMPACT_COMPILATION)
#error "Only <libimpact/impact.h> can be included directly."
#endif

#ifndef IMPACT_MACROS_H
#define IMPACT_MACROS_H

/* Every public declaration carries IMPACT_API; the library is built with
 * -fvisibility=hidden so nothing else is exported (tests/test-symbols.sh
 * compares the exported set with libimpact/libimpact.sym). */
#if defined(IMPACT_COMPILATION) && defined(__GNUC__)
#define IMPACT_API __attribute__((visibility("default"))) extern
#else
#define IMPACT_API extern
#endif

#endif /* IMPACT_MACROS_H */
