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
start=$(date +%s.%N)
"$impact" evaluate -c "$dir/codebook.csv" -d "$dir/responses.csv" --design "$dir/design.ini" \
  --replicates "$b" --threads 2 -f json -o "$dir/result.json"
end=$(date +%s.%N)
echo "impact evaluate ($n participants, $rows responses, $b replicates, 2 threads): $(echo "$end - $start" | bc) s"
