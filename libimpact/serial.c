/* serial.c — the portable byte format of the mergeable accumulators
 * (reliability, change): little-endian 64-bit integers and IEEE doubles,
 * strings as length + 1 (0 for NULL) then the bytes. Readers check every
 * length against the bytes left, so truncated or corrupt input is an error,
 * never a read past the end.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include "config.h"
#include <string.h>
#include "impact-private.h"

void
impact_i_put_u64(GByteArray *b, guint64 v)
{
    v = GUINT64_TO_LE(v);
    g_byte_array_append(b, (const guint8 *) &v, 8);
}

void
impact_i_put_double(GByteArray *b, double d)
{
    guint64 v;
    memcpy(&v, &d, 8);
    impact_i_put_u64(b, v);
}

void
impact_i_put_string(GByteArray *b, const char *s)
{
    if (s == NULL) {
        impact_i_put_u64(b, 0);
        return;
    }
    gsize len = strlen(s);
    impact_i_put_u64(b, (guint64) len + 1);
    g_byte_array_append(b, (const guint8 *) s, (guint) len);
}

gboolean
impact_i_get_u64(ImpactSerialReader *r, guint64 *v)
{
    if (r->end - r->p < 8) {
        return FALSE;
    }
    memcpy(v, r->p, 8);
    *v = GUINT64_FROM_LE(*v);
    r->p += 8;
    return TRUE;
}

gboolean
impact_i_get_double(ImpactSerialReader *r, double *d)
{
    guint64 v;
    if (!impact_i_get_u64(r, &v)) {
        return FALSE;
    }
    memcpy(d, &v, 8);
    return TRUE;
}

gboolean
impact_i_get_string(ImpactSerialReader *r, char **out)
{
    guint64 n;
    *out = NULL;
    if (!impact_i_get_u64(r, &n)) {
        return FALSE;
    }
    if (n == 0) {
        return TRUE;
    }
    if ((guint64) (r->end - r->p) < n - 1 || memchr(r->p, 0, n - 1) != NULL) {
        return FALSE;
    }
    *out = g_strndup((const char *) r->p, n - 1);
    r->p += n - 1;
    return TRUE;
}
