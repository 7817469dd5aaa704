/* lanes-wide-end.h — ends what lanes-wide-begin.h began. Not installed.
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#undef q4
#undef q4m
#undef q_load
#undef q_store
#undef q_make
#undef q_set
#undef q_add
#undef q_sub
#undef q_mul
#undef q_div
#undef q_lane
#undef q_lanes
#undef q_answered
#undef q_gt
#undef q_lt
#undef q_eq
#undef q_ne
#undef q_and
#undef q_or
#undef q_all
#undef q_select
#undef q_select_not
#undef q_blend
#undef q_xor
#pragma GCC pop_options
