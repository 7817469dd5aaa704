# data.frame -> ImpactTable -> data.frame

test_that("read_responses reads items as numbers and the rest as text", {
  cb <- read_codebook(bfi_codebook_path())
  d <- read_responses(bfi_path(), cb)
  expect_identical(dim(d), c(400L, 29L))
  expect_type(d$A1, "double")
  expect_type(d$id, "character")
  expect_type(d$gender, "character")
  ref <- read.csv(bfi_path())
  expect_identical(d$A1, as.double(ref$A1))
  expect_identical(is.na(d$education), is.na(ref$education))
})

test_that("missing codes and out-of-range answers", {
  cb <- impact_codebook(data.frame(item = c("q1", "q2"), scale = "s", domain = "team",
                                   min = 1, max = 5))
  p <- tmp_csv(c("id,team,q1,q2", "1,x,1,-99", "2,y,9,3", "3,,NA,4"))
  expect_error(read_responses(p, cb), class = "impact_data_error")
  e <- tryCatch(read_responses(p, cb), impact_error = identity)
  expect_match(conditionMessage(e), "-99")
  d <- read_responses(p, cb, missing = "-99", out_of_range = "missing")
  expect_identical(d$q1, c(1, NA, NA))
  expect_identical(d$q2, c(NA, 3, 4))
  expect_identical(d$team, c("x", "y", NA))
})

test_that("factors, characters, integers and logicals become table columns", {
  cb <- impact_codebook(data.frame(item = c("q1", "q2"), scale = "s", domain = "team",
                                   min = 1, max = 5))
  d <- data.frame(
    id = c(10, 20, 1e5),                                   # numeric ids -> text
    team = factor(c("b", NA, "a"), levels = c("z", "a", "b")), # unused level dropped
    role = c("self", "peer", NA),
    q1 = c(1L, 2L, NA),                                    # integer items -> double
    q2 = c(NA, NA, NA))                                    # all-missing item
  s <- score_scales(d, cb, id = "id", min_answered = 1)
  expect_identical(s$id, c("10", "20", "100000"))
  expect_identical(s$s, c(1, 2, NA))
  # without a codebook numbers stay numbers
  tab <- impact:::as_impact_table(d)
  back <- impact:::table_df(tab)
  expect_identical(back$team, c("b", NA, "a"))
  expect_identical(back$role, c("self", "peer", NA))
  expect_identical(back$id, c(10, 20, 1e5))
  expect_identical(back$q1, c(1, 2, NA))
  expect_error(impact:::as_impact_table(list(a = 1)), class = "impact_invalid_error")
})

test_that("numeric columns reach C without a copy", {
  skip_if_not(capabilities("profmem"))
  cb <- read_codebook(bfi_codebook_path())
  d <- read.csv(bfi_path())
  for (it in as.data.frame(cb)$item) d[[it]] <- as.double(d[[it]])
  x <- d$A1
  out <- capture.output({
    tracemem(x)
    tab <- impact:::as_impact_table(d, cb)
    untracemem(x)
  })
  expect_false(any(grepl("tracemem\\[", out)))
})

test_that("empty strings are missing ids, as empty CSV fields (read.csv keeps them as \"\")", {
  cb <- impact_codebook(data.frame(item = c("q1", "q2"), scale = "s", domain = "team",
                                   min = 1, max = 5))
  d <- data.frame(team = c("a", "a", "a", "", "b", "b", "b"),
                  q1 = c(1, 2, 2, 5, 4, 4, 5), q2 = c(2, 2, 3, 5, 4, 5, 5))
  with_na <- d
  with_na$team[with_na$team == ""] <- NA
  a <- agreement(d, cb, group = "team")
  b <- agreement(with_na, cb, group = "team")
  expect_identical(a$groups, b$groups)
  expect_identical(sort(unique(a$groups$group)), c("a", "b"))
})
