# `impact reliability` — sourced by test-cli.sh (uses its check/contains, $tmp).
# Reference values: R 4.2.2, psych 2.2.9 (see tests/data/reliability-ref.h and
# tests/data/reliability-make.R):
#   a <- psych::alpha(bfi[, c("A1","A2","A3","A4","A5")], keys = c("A1"))
#   a$total$raw_alpha = 0.70301844605730412, a$feldt$lower.ci = 0.68526432588639818
#   psych::alpha(na.omit(bfi[, c("A1",...,"A5")]), keys = c("A1"))$total$raw_alpha
#     = 0.71248... (REF_BFI_A_LISTWISE)
rd="$IMPACT_TOP_SRCDIR/tests/data"
check "reliability help" 0 "$IMPACT" reliability --help && contains "reliability help" "$tmp/out" "--ci-level"
check "reliability json" 0 "$IMPACT" reliability -c "$rd/bfi-codebook.csv" -d "$rd/bfi.csv" -f json
contains "reliability json alpha" "$tmp/out" '"alpha": 0.70301844605730'
contains "reliability json ci" "$tmp/out" '0.68526432588639'
# omega: psych's o$omega.tot = 0.72294313647; the minres optimum (Newton-polished in R) 0.72294314068
contains "reliability json omega" "$tmp/out" '"omega_total": 0.72294314068'
contains "reliability json missing" "$tmp/out" '"missing": "pairwise"'
contains "reliability json warnings" "$tmp/out" '"warnings": []'
check "reliability text" 0 "$IMPACT" reliability -c "$rd/bfi-codebook.csv" -d "$rd/bfi.csv"
contains "reliability text title" "$tmp/out" "Scale reliability (pairwise deletion; alpha_ci: Feldt 95% CI"
contains "reliability text items" "$tmp/out" "Items (keyed with the codebook range)"
contains "reliability text row" "$tmp/out" "agreeableness      individual  2800        5             5  0.703        0.685        0.720"
check "reliability csv" 0 "$IMPACT" reliability -c "$rd/bfi-codebook.csv" -d "$rd/bfi.csv" -f csv
contains "reliability csv header" "$tmp/out" "scale,domain,item,reversed,n,mean,sd,raw_r,r_drop,alpha_if_dropped"
# (the CSV writes round-trip doubles; compare the first 13 significant digits)
contains "reliability csv A1" "$tmp/out" "agreeableness,individual,A1,true,2784,4.58656609195"
check "reliability listwise" 0 "$IMPACT" reliability -c "$rd/bfi-codebook.csv" -d "$rd/bfi.csv" -f json --missing listwise
contains "reliability listwise" "$tmp/out" '"missing": "listwise"'
contains "reliability listwise n" "$tmp/out" '"n": 2709,'
check "reliability deletion" 0 "$IMPACT" reliability -c "$rd/bfi-codebook.csv" -d "$rd/bfi.csv" -f json --deletion listwise --ci-level 0.9 --no-omega
contains "reliability deletion" "$tmp/out" '"ci_level": 0.9,'
contains "reliability no omega" "$tmp/out" '"omega_total": null,'
# k = 1 and k = 2 (sat.act): warnings, in the text table too
check "reliability k=1" 0 "$IMPACT" reliability -c "$rd/reliability-satact-codebook.csv" -d "$rd/reliability-satact.csv"
contains "reliability k=1" "$tmp/out" "act    the scale has one item: alpha and omega are not defined"
contains "reliability k=2" "$tmp/out" "sat    two items: alpha if item dropped is not defined"
# a missed reverse key: negative r_drop warned about (bfi A1 unkeyed)
sed 's/^"A1","agreeableness","individual",1,6,1,1/"A1","agreeableness","individual",1,6,0,1/' "$rd/bfi-codebook.csv" > "$tmp/bfi-nokey.csv"
check "reliability missed key" 0 "$IMPACT" reliability -c "$tmp/bfi-nokey.csv" -d "$rd/bfi.csv" -f json
contains "reliability missed key" "$tmp/out" "item 'A1' correlates negatively with the rest of the scale (r_drop = -0.308): check its reverse key"
# usage and data errors
check "reliability bad deletion" 2 "$IMPACT" reliability -c "$rd/bfi-codebook.csv" -d "$rd/bfi.csv" --deletion sometimes
contains "reliability bad deletion" "$tmp/err" "--deletion must be pairwise or listwise, not 'sometimes'"
check "reliability bad level" 2 "$IMPACT" reliability -c "$rd/bfi-codebook.csv" -d "$rd/bfi.csv" --ci-level 95
contains "reliability bad level" "$tmp/err" "the CI level must be between 0 and 1, not 95"
check "reliability no data" 2 "$IMPACT" reliability -c "$rd/bfi-codebook.csv"
printf 'id,A1\n1,2\n' > "$tmp/short.csv"
check "reliability missing item" 1 "$IMPACT" reliability -c "$rd/bfi-codebook.csv" -d "$tmp/short.csv"
# --threads: the reader splits bfi.csv (181 KB) into parts of >= 64 KB; the
# output is byte-identical whatever the number of threads
check "reliability threads 1" 0 "$IMPACT" reliability -c "$rd/bfi-codebook.csv" -d "$rd/bfi.csv" -f json --threads 1 -o "$tmp/t1.json"
check "reliability threads 3" 0 "$IMPACT" reliability -c "$rd/bfi-codebook.csv" -d "$rd/bfi.csv" -f json --threads 3 -o "$tmp/t3.json"
n=$((n + 1)); cmp -s "$tmp/t1.json" "$tmp/t3.json" || { echo "FAIL: reliability differs with --threads"; fails=$((fails + 1)); }
check "reliability bad threads" 2 "$IMPACT" reliability -c "$rd/bfi-codebook.csv" -d "$rd/bfi.csv" --threads -1
contains "reliability bad threads" "$tmp/err" "--threads must be 0 (one per core) or more, not -1"
