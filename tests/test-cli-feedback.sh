# test-cli-feedback.sh — `impact feedback` (sourced by test-cli.sh: uses its
# check/contains helpers, $tmp, $IMPACT, $IMPACT_TOP_SRCDIR).
# Values are those of tests/test-feedback.c (hand fixture, R references there).
fbd="$IMPACT_TOP_SRCDIR/tests/data"
fb() { "$IMPACT" feedback -c "$fbd/feedback-codebook.csv" -d "$fbd/feedback-hand.csv" \
  --participant leader --rater who --role-map "mgr=manager,peer=peer,dr=direct report" "$@"; }

check "feedback help" 0 "$IMPACT" feedback --help && contains "feedback help" "$tmp/out" "--min-raters"
check "feedback listed" 0 "$IMPACT" --help && contains "feedback listed" "$tmp/out" "feedback"
check "feedback no participant" 2 "$IMPACT" feedback -c "$fbd/feedback-codebook.csv" -d "$fbd/feedback-hand.csv" --rater who
contains "feedback no participant" "$tmp/err" "--participant is required"
check "feedback bad policy" 2 fb --policy drop
contains "feedback bad policy" "$tmp/err" "--policy must be merge or suppress, not 'drop'"
check "feedback bad k" 2 fb --min-raters 0
check "feedback bad map" 2 fb --role-map "mgr"
contains "feedback bad map" "$tmp/err" "role map entry 'mgr' is not of the form label=role"

# JSON: P1 others lead 14/6, gap 3.5 - 14/6; direct reports suppressed, peers complementary
check "feedback json" 0 fb --exempt manager --importance-suffix _imp -f json
contains "feedback json others" "$tmp/out" '"others": 2.3333333333333335'
contains "feedback json gap" "$tmp/out" '"gap": 1.1666666666666665'
contains "feedback json suppressed" "$tmp/out" '"role": "direct report"'
contains "feedback json importance" "$tmp/out" '"importance": 3.1666666666666665'
contains "feedback json icc" "$tmp/out" '"icc": 0.42051282051282'
# a suppressed role has no mean anywhere: "direct report" appears 3 times:
# once in "suppressed" (P1) and in P2's two scales, where it is shown
n_dr=$(grep -c '"role": "direct report"' "$tmp/out")
n=$((n + 1)); [ "$n_dr" = 3 ] || { echo "FAIL: direct report appears $n_dr times, want 3"; fails=$((fails + 1)); }

# CSV: one row per participant and scale
check "feedback csv" 0 fb --exempt manager --importance-suffix _imp -f csv
contains "feedback csv header" "$tmp/out" "participant,scale,self,others,n_others,gap,rank"
contains "feedback csv P2" "$tmp/out" "P2,lead,4,3.3125,8,0.6875,"
# suppress policy: P1 others = manager + peers = 2.75
check "feedback suppress" 0 fb --exempt manager --importance-suffix _imp --policy suppress -f csv
contains "feedback suppress" "$tmp/out" "P1,lead,3.5,2.75,4,0.75,"
# text
check "feedback text" 0 fb --exempt manager
contains "feedback text" "$tmp/out" "Roles not shown (anonymity)"
contains "feedback text cohort" "$tmp/out" "Cohort"

# data errors name the lines (data row + 1; header = line 1)
printf 'leader,who,l1,l2,l_imp,c1,c2,t1\nP1,self,1,1,1,1,1,\nP2,peer,1,1,1,1,1,\nP2,peer,2,2,2,2,2,\n' > "$tmp/noself.csv"
check "feedback no self" 1 "$IMPACT" feedback -c "$fbd/feedback-codebook.csv" -d "$tmp/noself.csv" --participant leader --rater who
contains "feedback no self" "$tmp/err" "participant 'P2' has no self-rating (rater label 'self'); its forms are on lines 3, 4"
check "feedback allow missing self" 0 "$IMPACT" feedback -c "$fbd/feedback-codebook.csv" -d "$tmp/noself.csv" --participant leader --rater who --allow-missing-self --min-raters 2 -f csv
contains "feedback allow missing self" "$tmp/out" "P2,lead,,1.5,2,,"
check "feedback unknown label" 1 fb --role-map "mgr=manager,peer=peer"
contains "feedback unknown label" "$tmp/err" "lines 7, 8, 15, 16, 17: rater label 'dr' (column 'who') is not in the role map"
check "feedback unknown column" 1 fb --wave period
contains "feedback unknown column" "$tmp/err" "unknown column 'period'"
# --self, --wave, repeated --exempt; k = 2
printf 'id,w,r,l1,l2,l_imp,c1,c2,t1\nA,pre,me,2,2,2,2,2,\nA,pre,p,3,3,3,3,3,\nA,pre,p,4,4,4,4,4,\nA,pre,boss,1,1,1,1,1,\nA,post,me,3,3,3,3,3,\nA,post,p,4,4,4,4,4,\nA,post,p,4,4,4,4,4,\n' > "$tmp/w.csv"
check "feedback waves" 0 "$IMPACT" feedback -c "$fbd/feedback-codebook.csv" -d "$tmp/w.csv" --participant id --rater r --self me --wave w --min-raters 2 --exempt boss --exempt x,y -f csv
contains "feedback waves pre" "$tmp/out" "A,pre,lead,2,2.6666666666666665,3,-0.6666666666666665,"
contains "feedback waves post" "$tmp/out" "A,post,lead,3,4,2,-1,"
