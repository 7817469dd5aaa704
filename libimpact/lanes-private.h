/* lanes-private.h — four lanes of doubles for the hot kernels (score.c,
 * reliability.c); not installed.
 *
 * A q4 holds four doubles as two SSE2 vectors (lanes 0, 1 and 2, 3), built
 * on GCC vector extensions. Every operation is lane by lane (no FMA, no
 * reassociation), so a kernel gives the same bits in the baseline x86-64
 * build and in its AVX2 build, where the same source is compiled a second
 * time with q4 standing for one 32-byte vector (lanes-wide-begin.h, the
 * qw_* helpers below) and chosen at run time. Two 16-byte vectors for the
 * baseline: without AVX, GCC keeps a 32-byte vector variable in memory (a
 * store and a load for every operation: three times slower than plain
 * scalar code); one 32-byte vector for AVX2: two 16-byte ones would halve
 * the width there.
 *
 * The helpers are always inlined, so that they are built for the kernel's
 * instruction set.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#ifndef IMPACT_LANES_PRIVATE_H
#define IMPACT_LANES_PRIVATE_H

#include <string.h>
#include <glib.h>

typedef double impact_v2d __attribute__((vector_size(16)));
typedef gint64 impact_v2l __attribute__((vector_size(16)));

typedef struct {
    impact_v2d lo, hi;
} q4;

/* lane masks: all ones (true) or 0 */
typedef struct {
    impact_v2l lo, hi;
} q4m;

#define Q4_INLINE static inline __attribute__((always_inline))

Q4_INLINE q4
q_load(const double *p)
{
    q4 v;
    memcpy(&v.lo, p, sizeof v.lo);
    memcpy(&v.hi, p + 2, sizeof v.hi);
    return v;
}

Q4_INLINE void
q_store(double *p, q4 v)
{
    memcpy(p, &v.lo, sizeof v.lo);
    memcpy(p + 2, &v.hi, sizeof v.hi);
}

/* the four lanes from four doubles */
Q4_INLINE q4
q_make(double a, double b, double c, double d)
{
    return (q4) { { a, b }, { c, d } };
}

Q4_INLINE q4
q_set(double a)
{
    return q_make(a, a, a, a);
}

Q4_INLINE q4
q_add(q4 a, q4 b)
{
    return (q4) { a.lo + b.lo, a.hi + b.hi };
}

Q4_INLINE q4
q_sub(q4 a, q4 b)
{
    return (q4) { a.lo - b.lo, a.hi - b.hi };
}

Q4_INLINE q4
q_mul(q4 a, q4 b)
{
    return (q4) { a.lo * b.lo, a.hi * b.hi };
}

Q4_INLINE q4
q_div(q4 a, q4 b)
{
    return (q4) { a.lo / b.lo, a.hi / b.hi };
}

/* lane l */
Q4_INLINE double
q_lane(q4 a, int l)
{
    return l < 2 ? a.lo[l] : a.hi[l - 2];
}

/* the four lanes of a sum in the fixed order (l0 + l2) + (l1 + l3) */
Q4_INLINE double
q_lanes(q4 a)
{
    return (a.lo[0] + a.hi[0]) + (a.lo[1] + a.hi[1]);
}

/* true where v is a number, false where it is NaN (missing) */
Q4_INLINE q4m
q_answered(q4 v)
{
    return (q4m) { v.lo == v.lo, v.hi == v.hi };
}

Q4_INLINE q4m
q_gt(q4 a, q4 b)
{
    return (q4m) { a.lo > b.lo, a.hi > b.hi };
}

Q4_INLINE q4m
q_lt(q4 a, q4 b)
{
    return (q4m) { a.lo < b.lo, a.hi < b.hi };
}

Q4_INLINE q4m
q_eq(q4 a, q4 b)
{
    return (q4m) { a.lo == b.lo, a.hi == b.hi };
}

Q4_INLINE q4m
q_ne(q4 a, q4 b)
{
    return (q4m) { a.lo != b.lo, a.hi != b.hi };
}

Q4_INLINE q4m
q_and(q4m a, q4m b)
{
    return (q4m) { a.lo & b.lo, a.hi & b.hi };
}

Q4_INLINE q4m
q_or(q4m a, q4m b)
{
    return (q4m) { a.lo | b.lo, a.hi | b.hi };
}

Q4_INLINE gboolean
q_all(q4m m)
{
    return (m.lo[0] & m.lo[1] & m.hi[0] & m.hi[1]) != 0;
}

/* v where @m is true, +0.0 where it is false */
Q4_INLINE q4
q_select(q4 v, q4m m)
{
    return (q4) { (impact_v2d) ((impact_v2l) v.lo & m.lo), (impact_v2d) ((impact_v2l) v.hi & m.hi) };
}

/* v where @m is false, +0.0 where it is true */
Q4_INLINE q4
q_select_not(q4 v, q4m m)
{
    return (q4) { (impact_v2d) ((impact_v2l) v.lo & ~m.lo),
                  (impact_v2d) ((impact_v2l) v.hi & ~m.hi) };
}

/* a where @m is true, b where it is false */
Q4_INLINE q4
q_blend(q4 a, q4 b, q4m m)
{
    q4 x = q_select(a, m), y = q_select_not(b, m);
    return (q4) { (impact_v2d) ((impact_v2l) x.lo | (impact_v2l) y.lo),
                  (impact_v2d) ((impact_v2l) x.hi | (impact_v2l) y.hi) };
}

/* the bits of a XOR the bits of b (b = −0.0 flips the sign exactly) */
Q4_INLINE q4
q_xor(q4 a, q4 b)
{
    return (q4) { (impact_v2d) ((impact_v2l) a.lo ^ (impact_v2l) b.lo),
                  (impact_v2d) ((impact_v2l) a.hi ^ (impact_v2l) b.hi) };
}

/* ---- the same four lanes as one 32-byte vector, for AVX2 builds -------
 * LANES_WIDE where a kernel can be built a second time for AVX2 (the
 * conditions of IMPACT_HOT, impact-private.h) and chosen at run time
 * (__builtin_cpu_supports); the helpers qw_* mirror q_* operation by
 * operation, and exist only inside the AVX2 target region. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__) \
    && !defined(__SANITIZE_ADDRESS__) && !defined(IMPACT_NO_CLONES)
#define LANES_WIDE 1
#else
#define LANES_WIDE 0
#endif

#if LANES_WIDE
#pragma GCC push_options
#pragma GCC target("avx2")

typedef double q4w __attribute__((vector_size(32)));
typedef gint64 q4wm __attribute__((vector_size(32)));

Q4_INLINE q4w
qw_load(const double *p)
{
    q4w v;
    memcpy(&v, p, sizeof v);
    return v;
}

Q4_INLINE void
qw_store(double *p, q4w v)
{
    memcpy(p, &v, sizeof v);
}

Q4_INLINE q4w
qw_make(double a, double b, double c, double d)
{
    return (q4w) { a, b, c, d };
}

Q4_INLINE q4w
qw_set(double a)
{
    return (q4w) { a, a, a, a };
}

Q4_INLINE q4w
qw_add(q4w a, q4w b)
{
    return a + b;
}

Q4_INLINE q4w
qw_sub(q4w a, q4w b)
{
    return a - b;
}

Q4_INLINE q4w
qw_mul(q4w a, q4w b)
{
    return a * b;
}

Q4_INLINE q4w
qw_div(q4w a, q4w b)
{
    return a / b;
}

Q4_INLINE double
qw_lane(q4w a, int l)
{
    return a[l];
}

Q4_INLINE double
qw_lanes(q4w a)
{
    return (a[0] + a[2]) + (a[1] + a[3]);
}

Q4_INLINE q4wm
qw_answered(q4w v)
{
    return v == v;
}

Q4_INLINE q4wm
qw_gt(q4w a, q4w b)
{
    return a > b;
}

Q4_INLINE q4wm
qw_lt(q4w a, q4w b)
{
    return a < b;
}

Q4_INLINE q4wm
qw_eq(q4w a, q4w b)
{
    return a == b;
}

Q4_INLINE q4wm
qw_ne(q4w a, q4w b)
{
    return a != b;
}

Q4_INLINE q4wm
qw_and(q4wm a, q4wm b)
{
    return a & b;
}

Q4_INLINE q4wm
qw_or(q4wm a, q4wm b)
{
    return a | b;
}

Q4_INLINE gboolean
qw_all(q4wm m)
{
    return (m[0] & m[1] & m[2] & m[3]) != 0;
}

Q4_INLINE q4w
qw_select(q4w v, q4wm m)
{
    return (q4w) ((q4wm) v & m);
}

Q4_INLINE q4w
qw_select_not(q4w v, q4wm m)
{
    return (q4w) ((q4wm) v & ~m);
}

Q4_INLINE q4w
qw_blend(q4w a, q4w b, q4wm m)
{
    return (q4w) (((q4wm) a & m) | ((q4wm) b & ~m));
}

Q4_INLINE q4w
qw_xor(q4w a, q4w b)
{
    return (q4w) ((q4wm) a ^ (q4wm) b);
}

#pragma GCC pop_options
#endif /* LANES_WIDE */

#endif /* IMPACT_LANES_PRIVATE_H */
