#!/bin/sh
# bench-evaluate.sh — the evaluation at scale (not part of make check):
# a 20,000-participant, 3-wave simulated evaluation (about 1M responses:
# 360 forms, team surveys of ~10 members, staff surveys) evaluated with 1,000
# bootstrap replicates on 2 threads. Target: <= 10 s wall clock, reading the
# CSV included.
#
#   bench/bench-evaluate.sh [BUILDDIR] [PARTICIPANTS] [REPLICATES]
set -eu
build=${1:-build}
n=${2:-20000}
b=${3:-1000}
impact="$build/cli/impact"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$impact" simulate --dir "$dir" --participants "$n" --organisations 100 --team-size 10 --seed 1
rows=$(($(wc -l < "$dir/responses.csv") - 1))
echo "responses: $rows rows, $(du -h "$dir/responses.csv" | cut -f1)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (a shared machine: compare CPU time too)"
/usr/bin/time -f "impact evaluate ($n participants, $rows responses, $b replicates, 2 threads): %e s wall, %U s user, %S s sys, %M KB max RSS" \
  "$impact" evaluate -c "$dir/codebook.csv" -d "$dir/responses.csv" --design "$dir/design.ini" \
  --replicates "$b" --threads 2 -f json -o "$dir/result.json"
# where the time goes after reading (scores, units/pairs/cells, bootstrap, modules)
G_MESSAGES_DEBUG=all "$impact" evaluate -c "$dir/codebook.csv" -d "$dir/responses.csv" \
  --design "$dir/design.ini" --replicates "$b" --threads 2 -f json -o "$dir/result.json" 2>&1 |
  sed -n 's/.*evaluate: /  /p'
