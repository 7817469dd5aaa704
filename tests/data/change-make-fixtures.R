# change-make-fixtures.R — writes the change-* fixtures from data that ship
# with R on Debian 12 (R 4.2.2; MASS 7.3-58.2; multilevel 2.7):
#   Rscript change-make-fixtures.R     (run in tests/data)
# change-sleep.csv     R's sleep: 10 patients, extra sleep on drug 1 (wave
#                      "pre") and drug 2 (wave "post"), paired by ID
# change-anorexia.csv  MASS::anorexia: 72 patients, weight before ("pre")
#                      and after ("post") treatment; arm CBT, FT or Cont
# change-univbct.csv   multilevel::univbct: 495 soldiers, job satisfaction,
#                      commitment and readiness at times 0, 1, 2, in
#                      companies within battalions (team = BTN-COMPANY)
sl <- data.frame(id = paste0("p", sleep$ID),
                 wave = ifelse(sleep$group == 1, "pre", "post"),
                 extra = sleep$extra)
write.csv(sl, "change-sleep.csv", row.names = FALSE, quote = FALSE)

data(anorexia, package = "MASS")
an <- anorexia; an$id <- sprintf("a%02d", seq_len(nrow(an)))
long <- rbind(data.frame(id = an$id, arm = an$Treat, wave = "pre", weight = an$Prewt),
              data.frame(id = an$id, arm = an$Treat, wave = "post", weight = an$Postwt))
write.csv(long, "change-anorexia.csv", row.names = FALSE, quote = FALSE)

data(univbct, package = "multilevel")
u <- univbct
out <- data.frame(subnum = paste0("s", u$SUBNUM), btn = paste0("b", u$BTN),
                  team = paste0("b", u$BTN, "-", u$COMPANY), time = u$TIME,
                  jsat = round(u$JSAT, 6), commit = round(u$COMMIT, 6), ready = round(u$READY, 6))
write.csv(out, "change-univbct.csv", row.names = FALSE, quote = FALSE, na = "")

# change-bfi.csv       psych::bfi answers (via tests/data/bfi.csv, rows 1-300):
#                      rows 1-150 as wave "pre" and rows 151-300 as wave "post"
#                      of units u1..u150 — real multi-item answers paired
#                      artificially, for the RCI with alpha at baseline
b <- read.csv("bfi.csv", colClasses = c(id = "character"))[1:300, ]
b$unit <- paste0("u", rep(1:150, 2)); b$wave <- rep(c("pre", "post"), each = 150)
write.csv(b[, c("unit", "wave", colnames(b)[2:26])], "change-bfi.csv", row.names = FALSE,
          quote = FALSE, na = "")
