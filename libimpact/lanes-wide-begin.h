/* lanes-wide-begin.h — included (after lanes-private.h, where LANES_WIDE)
 * before a second inclusion of a kernel source: what follows is AVX2 code
 * and q4 means the 32-byte vector q4w (every q_* helper its qw_* twin).
 * lanes-wide-end.h ends it. Not installed.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#pragma GCC push_options
#pragma GCC target("avx2")
#define q4 q4w
#define q4m q4wm
#define q_load qw_load
#define q_store qw_store
#define q_make qw_make
#define q_set qw_set
#define q_add qw_add
#define q_sub qw_sub
#define q_mul qw_mul
#define q_div qw_div
#define q_lane qw_lane
#define q_lanes qw_lanes
#define q_answered qw_answered
#define q_gt qw_gt
#define q_lt qw_lt
#define q_eq qw_eq
#define q_ne qw_ne
#define q_and qw_and
#define q_or qw_or
#define q_all qw_all
#define q_select qw_select
#define q_select_not qw_select_not
#define q_blend qw_blend
#define q_xor qw_xor
