#!/bin/sh
# The library exports exactly the symbols listed in libimpact/libimpact.sym:
# hidden visibility by default, IMPACT_API on every public declaration.
# After adding a public function, add it to libimpact.sym (sorted).
set -eu
lib="$IMPACT_TOP_BUILDDIR/libimpact/.libs/libimpact.so"
[ -f "$lib" ] || { echo "no $lib (shared library disabled?)"; exit 77; }
nm -D --defined-only "$lib" | awk '$2 ~ /^[TDRB]$/ { print $3 }' | sort > symbols.actual
LC_ALL=C sort "$IMPACT_TOP_SRCDIR/libimpact/libimpact.sym" > symbols.expected
LC_ALL=C sort symbols.actual -o symbols.actual
if ! diff -u symbols.expected symbols.actual; then
  echo "exported symbols differ from libimpact/libimpact.sym (- listed, + exported)"
  exit 1
fi
echo "exported symbols: $(wc -l < symbols.actual), as listed"
rm -f symbols.actual symbols.expected
