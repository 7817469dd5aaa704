#!/bin/sh
# The `impact` CLI: exit codes, error messages, atomic output, formats.
# Values checked here are hand calculations (see tests/test-score.c).
set -u
: "${IMPACT:?}" "${IMPACT_TOP_SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
n=0
check() { # check NAME EXPECTED_STATUS CMD...
  name=$1 want=$2; shift 2
  n=$((n + 1))
  "$@" > "$tmp/out" 2> "$tmp/err"
  got=$?
  if [ "$got" != "$want" ]; then
    echo "FAIL: $name: exit $got, want $want"; sed 's/^/  /' "$tmp/err"; fails=$((fails + 1))
    return 1
  fi
  return 0
}
contains() { # contains NAME FILE TEXT
  n=$((n + 1))
  if ! grep -qF -- "$3" "$2"; then
    echo "FAIL: $1: '$3' not in:"; sed 's/^/  /' "$2"; fails=$((fails + 1))
  fi
}

cat > "$tmp/cb.csv" <<'CSV'
item,scale,domain,min,max,reverse,weight
a1,s,team,1,5,0,1
a2,s,team,1,5,1,1
a3,s,team,1,5,0,2
a4,s,team,1,5,0,1
b1,t,organisation,0,10,0,1
CSV
printf 'id,a1,a2,a3,a4,b1\nA,3,2,5,1,7\nB,1,-99,2,,0\n' > "$tmp/d.csv"

check "version" 0 "$IMPACT" --version && contains "version" "$tmp/out" "impact (libimpact) "
check "help" 0 "$IMPACT" --help && contains "help" "$tmp/out" "score"
check "command help" 0 "$IMPACT" score --help && contains "command help" "$tmp/out" "--min-answered"
check "no command" 2 "$IMPACT"
check "unknown command" 2 "$IMPACT" frobnicate && contains "unknown command" "$tmp/err" "unknown command 'frobnicate'"
check "missing --id" 2 "$IMPACT" score -c "$tmp/cb.csv" -d "$tmp/d.csv"
check "bad option" 2 "$IMPACT" score --nope
check "bad format" 2 "$IMPACT" describe -c "$tmp/cb.csv" -d "$tmp/d.csv" --format xml

# scores: A = 18/5 = 3.6, B = (1 + 2*2)/3 with -99 missing
check "score" 0 "$IMPACT" score -c "$tmp/cb.csv" -d "$tmp/d.csv" --id id --missing=-99
contains "score header" "$tmp/out" "id,s,t"
contains "score A" "$tmp/out" "A,3.6,7"
contains "score B" "$tmp/out" "B,1.6666666666666667,0"
check "score json" 0 "$IMPACT" score -c "$tmp/cb.csv" -d "$tmp/d.csv" --id id --missing=-99 -f json
contains "score json" "$tmp/out" '"id": "A", "s": 3.6, "t": 7'
check "score pomp" 0 "$IMPACT" score -c "$tmp/cb.csv" -d "$tmp/d.csv" --id id --missing=-99 --kind pomp
contains "score pomp" "$tmp/out" "A,65,70"

# data errors: exit 1, FILE:LINE:COL
check "non-numeric" 1 "$IMPACT" score -c "$tmp/cb.csv" -d "$tmp/d.csv" --id id
contains "non-numeric" "$tmp/err" "impact: $tmp/d.csv:3:3: answer -99 to item 'a2' is outside its range 1 to 5"
printf 'id,a1,a2,a3,a4,b1\nA,3,2,5,1,17\n' > "$tmp/range.csv"
check "out of range" 1 "$IMPACT" score -c "$tmp/cb.csv" -d "$tmp/range.csv" --id id
contains "out of range" "$tmp/err" "range.csv:2:6: answer 17 to item 'b1' is outside its range 0 to 10"
check "out of range as missing" 0 "$IMPACT" score -c "$tmp/cb.csv" -d "$tmp/range.csv" --id id --out-of-range missing
contains "out of range as missing" "$tmp/out" "A,3.6,"
check "missing file" 1 "$IMPACT" score -c "$tmp/cb.csv" -d "$tmp/none.csv" --id id
contains "missing file" "$tmp/err" "none.csv: cannot read"

# atomic output: an error leaves no file, a success replaces the file whole
echo "old" > "$tmp/out.csv"
check "atomic error" 1 "$IMPACT" score -c "$tmp/cb.csv" -d "$tmp/range.csv" --id id -o "$tmp/out.csv"
contains "atomic keeps old" "$tmp/out.csv" "old"
check "no partial new file" 1 "$IMPACT" score -c "$tmp/cb.csv" -d "$tmp/range.csv" --id id -o "$tmp/new.csv"
n=$((n + 1)); [ ! -e "$tmp/new.csv" ] || { echo "FAIL: partial file written"; fails=$((fails + 1)); }
check "output file" 0 "$IMPACT" score -c "$tmp/cb.csv" -d "$tmp/range.csv" --id id --out-of-range missing -o "$tmp/out.csv"
contains "output file" "$tmp/out.csv" "id,s,t"

# describe
check "describe" 0 "$IMPACT" describe -c "$tmp/cb.csv" -d "$tmp/d.csv" --missing -99
contains "describe text" "$tmp/out" "Item descriptives"
check "describe csv" 0 "$IMPACT" describe -c "$tmp/cb.csv" -d "$tmp/d.csv" --missing -99 -f csv
contains "describe csv" "$tmp/out" "a1,s,team,false,2,0,2,1.4142135623730951,1,3"
check "describe json" 0 "$IMPACT" describe -c "$tmp/cb.csv" -d "$tmp/d.csv" --missing -99 -f json
contains "describe json" "$tmp/out" '"mean": 2.0,'

# further commands register their own checks in test-cli-*.sh
for extra in "$IMPACT_TOP_SRCDIR"/tests/test-cli-*.sh; do
  [ -f "$extra" ] && . "$extra"
done

echo "cli: $n checks, $fails failed"
[ "$fails" = 0 ]
