# test-cli-agreement.sh — `impact agreement` (sourced by test-cli.sh, which
# provides check, contains, $tmp and $IMPACT). Values: multilevel 2.7 on its
# cohesion data (tests/data/agreement-make.R, agreement-reference.txt).
ad="$IMPACT_TOP_SRCDIR/tests/data"
acb="$ad/agreement-cohesion-codebook.csv"
adata="$ad/agreement-cohesion.csv"

check "agreement help" 0 "$IMPACT" agreement --help && contains "agreement help" "$tmp/out" "--min-group"
check "agreement listed" 0 "$IMPACT" --help && contains "agreement listed" "$tmp/out" "agreement"
check "agreement no group" 2 "$IMPACT" agreement -c "$acb" -d "$adata"
contains "agreement no group" "$tmp/err" "--group"
check "agreement bad k" 2 "$IMPACT" agreement -c "$acb" -d "$adata" -g PLATOON --min-group 0
check "agreement bad policy" 2 "$IMPACT" agreement -c "$acb" -d "$adata" -g PLATOON --missing-policy some
contains "agreement bad policy" "$tmp/err" "listwise or pairwise, not 'some'"
check "agreement bad null" 2 "$IMPACT" agreement -c "$acb" -d "$adata" -g PLATOON --null bimodal
contains "agreement bad null" "$tmp/err" "unknown null distribution 'bimodal'"
check "agreement unknown column" 1 "$IMPACT" agreement -c "$acb" -d "$adata" -g TEAM
contains "agreement unknown column" "$tmp/err" "unknown column 'TEAM'"

# ICC1(aov(rowMeans ~ platoon)) = 0.10051720260850008 (15 digits checked), listwise; k = 1 shows all
# groups: rwg.j(cohesion[,3:7], paste(UNIT, PLATOON), ranvar = 2) for 1044C 2ND
# = 0.90909090909090906
check "agreement json" 0 "$IMPACT" agreement -c "$acb" -d "$adata" -g PLATOON -w UNIT -k 1 -f json
contains "agreement json group column" "$tmp/out" '"group_column": "PLATOON"'
contains "agreement json icc1" "$tmp/out" '"icc1": 0.100517202608500'
contains "agreement json rwg_j" "$tmp/out" '"rwg_j": 0.9090909090909091'
contains "agreement json parent" "$tmp/out" '"parent": "1044C"'
# --missing pairwise: 1044B 1ST by hand (R) 0.68181818181818188
check "agreement pairwise" 0 "$IMPACT" agreement -c "$acb" -d "$adata" -g PLATOON -w UNIT -k 1 --missing pairwise -f json
contains "agreement pairwise" "$tmp/out" '"rwg_j": 0.681818181818181'
contains "agreement pairwise policy" "$tmp/out" '"missing": "pairwise"'
check "agreement contradiction" 2 "$IMPACT" agreement -c "$acb" -d "$adata" -g PLATOON --missing pairwise --missing-policy listwise
# k = 3: the 1ST platoons (2 people) are primary, the 2ND complementary
check "agreement suppression" 0 "$IMPACT" agreement -c "$acb" -d "$adata" -g PLATOON -w UNIT -f json
contains "agreement suppression" "$tmp/out" '"reason": "complementary"'
contains "agreement suppression groups" "$tmp/out" '"groups": [],'
# CSV: one row per published group
check "agreement csv" 0 "$IMPACT" agreement -c "$acb" -d "$adata" -g PLATOON -w UNIT -k 1 -f csv
contains "agreement csv header" "$tmp/out" "scale,domain,group,parent,n,mean,sd,rwg_j,ad_mean,ad_median,awg"
contains "agreement csv row" "$tmp/out" "cohesion,team,2ND,1044C,3,2.3333333333333335,"
check "agreement text" 0 "$IMPACT" agreement -c "$acb" -d "$adata" -g PLATOON -w UNIT
contains "agreement text" "$tmp/out" "Suppressed groups"
# skewed null on a 5-option scale; Lindell
check "agreement null" 0 "$IMPACT" agreement -c "$acb" -d "$adata" -g UNIT --null slight --lindell -f json
contains "agreement null" "$tmp/out" '"null_variance": 1.34'
contains "agreement lindell" "$tmp/out" '"lindell": true'
# pooled statistics: over the published groups (none at k = 3: null), or
# all groups with --pool-all (ICC1(aov(rowMeans ~ platoon)) as above)
check "agreement pooled published" 0 "$IMPACT" agreement -c "$acb" -d "$adata" -g PLATOON -w UNIT -f json
contains "agreement pooled published" "$tmp/out" '"icc1": null'
check "agreement pool all" 0 "$IMPACT" agreement -c "$acb" -d "$adata" -g PLATOON -w UNIT --pool-all -f json
contains "agreement pool all" "$tmp/out" '"icc1": 0.100517202608500'
contains "agreement pool all flag" "$tmp/out" '"pool_all": true'
