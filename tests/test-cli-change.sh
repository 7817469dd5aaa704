# test-cli-change.sh — `impact change` (sourced by test-cli.sh: uses its
# check and contains helpers, $tmp, $IMPACT). Reference values: R's sleep
# and MASS::anorexia, tests/data/change-reference.R (R 4.2.2, effectsize 0.8.3).
d="$IMPACT_TOP_SRCDIR/tests/data"
sleep_args="-c $d/change-sleep-codebook.csv -d $d/change-sleep.csv --unit id --wave wave --pre pre"
ano_args="-c $d/change-anorexia-codebook.csv -d $d/change-anorexia.csv --unit id --wave wave --pre pre --post post"

check "change help" 0 "$IMPACT" change --help && contains "change help" "$tmp/out" "--bootstrap"
check "change listed" 0 "$IMPACT" --help && contains "change listed" "$tmp/out" "change"
# usage errors: exit 2
check "change no unit" 2 "$IMPACT" change -c "$d/change-sleep-codebook.csv" -d "$d/change-sleep.csv" --wave wave --pre pre
contains "change no unit" "$tmp/err" "--unit is required"
check "change control without arm" 2 "$IMPACT" change $sleep_args --control x
contains "change control without arm" "$tmp/err" "--control needs --arm"
check "change bad rho" 2 "$IMPACT" change $sleep_args --rho sideways
contains "change bad rho" "$tmp/err" "--rho must be pooled-rows or within-arm"
check "change bad bootstrap" 2 "$IMPACT" change $sleep_args --bootstrap -5
check "change bad reliability" 2 "$IMPACT" change $sleep_args --reliability 1.5
contains "change bad reliability" "$tmp/err" "reliability 1.5 is not in [0, 1)"
check "change unknown scale" 2 "$IMPACT" change $sleep_args --scale dreams
# data errors: exit 1
check "change unknown wave" 1 "$IMPACT" change $sleep_args --post later
contains "change unknown wave" "$tmp/err" "follow-up wave 'later' not found in column 'wave' (waves are: 'pre', 'post')"
check "change unknown column" 1 "$IMPACT" change $sleep_args --arm group
contains "change unknown column" "$tmp/err" "unknown column 'group'"

# sleep: t.test(post, pre, paired = TRUE): t 4.0621276833820366, df 9;
# cohens_d(paired) 1.2845575625910546; RCI with r_xx .8: 2 improved, 8 unchanged
check "change sleep csv" 0 "$IMPACT" change $sleep_args --reliability 0.8 -f csv
contains "change sleep csv header" "$tmp/out" "scale,domain,pre,post,reliability_source,arm,n_pairs,n_pre_only,n_post_only,mean_pre"
contains "change sleep csv row" "$tmp/out" "sleep,individual,pre,post,given,all,10,0,0,0.75,"
contains "change sleep t" "$tmp/out" ",4.06212768338203"
contains "change sleep d_z" "$tmp/out" ",1.28455756259105"
contains "change sleep rci" "$tmp/out" ",2,8,0"
check "change sleep json" 0 "$IMPACT" change $sleep_args --reliability 0.8 -f json
contains "change sleep json arm" "$tmp/out" '"arm": "all"'
contains "change sleep json df" "$tmp/out" '"df": 9,'
contains "change sleep json rci" "$tmp/out" '"improved": 2,'
check "change sleep text" 0 "$IMPACT" change $sleep_args
contains "change sleep text" "$tmp/out" "Change per arm"

# anorexia: FT against Cont: DiD 7.7147058823529413 (Welch), d_ppc2 1.38998245698661194
check "change anorexia" 0 "$IMPACT" change $ano_args --arm arm --control Cont -f json
contains "change anorexia did" "$tmp/out" '"did": 7.7147058823529'
contains "change anorexia d_ppc2" "$tmp/out" '"d_ppc2": 1.389982456986'
contains "change anorexia treated" "$tmp/out" '"treated": "FT"'
check "change anorexia text" 0 "$IMPACT" change $ano_args --arm arm --control Cont
contains "change anorexia text" "$tmp/out" "Against the control arm"
check "change anorexia unknown control" 1 "$IMPACT" change $ano_args --arm arm --control Placebo
contains "change anorexia unknown control" "$tmp/err" "control arm 'Placebo' has no unit"

# bootstrap: same output whatever the thread count; no progress when stderr is a file
check "change boot 1" 0 "$IMPACT" change $ano_args --arm arm --control Cont --bootstrap 300 --seed 7 --threads 1 -f json -o "$tmp/b1.json"
check "change boot 2" 0 "$IMPACT" change $ano_args --arm arm --control Cont --bootstrap 300 --seed 7 --threads 2 -f json -o "$tmp/b2.json"
n=$((n + 1)); cmp -s "$tmp/b1.json" "$tmp/b2.json" || { echo "FAIL: change bootstrap differs with threads"; fails=$((fails + 1)); }
contains "change boot json" "$tmp/b1.json" '"replicates": 300'
contains "change boot bca" "$tmp/b1.json" '"bca_ci": ['
n=$((n + 1)); [ ! -s "$tmp/err" ] || { echo "FAIL: change bootstrap wrote to a non-terminal stderr"; fails=$((fails + 1)); }
check "change boot text" 0 "$IMPACT" change $ano_args --arm arm --control Cont --bootstrap 50
contains "change boot text" "$tmp/out" "Cluster bootstrap against the control arm"
