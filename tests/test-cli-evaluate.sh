# impact evaluate / impact simulate (sourced by test-cli.sh: check, contains, $tmp)

check "evaluate help" 0 "$IMPACT" evaluate --help && contains "evaluate help" "$tmp/out" "--demo"
check "evaluate demo" 0 "$IMPACT" evaluate --demo --replicates 200
contains "demo findings" "$tmp/out" "Findings"
contains "demo individual" "$tmp/out" "Individual impact (inspiring_vision"
contains "demo team" "$tmp/out" "against comparison teams"
contains "demo roi" "$tmp/out" "Value for money"
contains "demo trajectory" "$tmp/out" "Trajectory (every follow-up against the baseline)"
contains "demo suppressed" "$tmp/out" "Suppressed for anonymity:"
check "evaluate demo json" 0 "$IMPACT" evaluate --demo --replicates 100 -f json
for key in '"domains": [' '"impact_index": ' '"impact_index_ci": [' '"overall": {' '"roi": {' \
           '"suppressed": [' '"breakdowns": [' '"statements": [' '"trajectory": [' '"unit": "team"'; do
  contains "demo json $key" "$tmp/out" "$key"
done
check "evaluate demo csv" 0 "$IMPACT" evaluate --demo --replicates 0 -f csv
contains "demo csv header" "$tmp/out" "domain,unit,statement,scale,weight,controlled,n_programme,n_comparison,unpaired,effect"
check "evaluate demo csv breakdowns" 0 "$IMPACT" evaluate --demo --replicates 0 -f csv --table breakdowns
contains "demo csv breakdowns" "$tmp/out" "clustering,clustered,individual"
check "evaluate demo with data" 2 "$IMPACT" evaluate --demo --codebook x.csv
check "evaluate no design" 2 "$IMPACT" evaluate -c "$tmp/cb.csv" -d "$tmp/d.csv"
contains "evaluate no design" "$tmp/err" "--design is required"
printf '[columns]\nwave = wave\n[waves]\nlabels = a;b\n[bootstrap]\nreplicates = many\n' > "$tmp/bad.ini"
check "evaluate bad design" 2 "$IMPACT" evaluate -c "$tmp/cb.csv" -d "$tmp/d.csv" --design "$tmp/bad.ini"
contains "evaluate bad design" "$tmp/err" "bad.ini:6: [bootstrap] replicates: must be a whole number"
check "evaluate missing design" 1 "$IMPACT" evaluate -c "$tmp/cb.csv" -d "$tmp/d.csv" --design "$tmp/none.ini"
contains "evaluate missing design" "$tmp/err" "none.ini: cannot read"

# simulate, then evaluate the simulated data; same seed, same files
check "simulate" 0 "$IMPACT" simulate --dir "$tmp/sim" --participants 40 --organisations 4 --seed 5
contains "simulate design" "$tmp/sim/design.ini" "[bootstrap]"
contains "simulate truth" "$tmp/sim/truth.json" '"true_did"'
check "simulate again" 0 "$IMPACT" simulate --dir "$tmp/sim2" --participants 40 --organisations 4 --seed 5
n=$((n + 1)); cmp -s "$tmp/sim/responses.csv" "$tmp/sim2/responses.csv" || { echo "FAIL: simulate not deterministic"; fails=$((fails + 1)); }
check "simulate bad" 2 "$IMPACT" simulate --dir "$tmp/sim3" --participants 2
contains "simulate bad" "$tmp/err" "participants must be at least 4"
check "simulate no dir" 2 "$IMPACT" simulate
check "evaluate simulated" 0 "$IMPACT" evaluate -c "$tmp/sim/codebook.csv" -d "$tmp/sim/responses.csv" \
  --design "$tmp/sim/design.ini" --replicates 50 -f json -o "$tmp/ev.json"
contains "evaluate simulated" "$tmp/ev.json" '"domain": "organisation"'
