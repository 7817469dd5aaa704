test_that("read_codebook reads items, scales, keys and ranges", {
  cb <- read_codebook(bfi_codebook_path())
  expect_s3_class(cb, "impact_codebook")
  expect_equal(length(cb), 25L)
  df <- as.data.frame(cb)
  expect_identical(df$item, sub("^-", "", bfi_keys))
  expect_identical(df$reverse, startsWith(bfi_keys, "-"))
  expect_identical(unique(df$scale), c("agreeableness", "conscientiousness", "extraversion",
                                       "neuroticism", "openness"))
  expect_true(all(df$domain == "individual"))
  expect_true(all(df$min == 1 & df$max == 6 & df$weight == 1))
  expect_output(print(cb), "25 items in 5 scales")
})

test_that("impact_codebook builds the same codebook from a data.frame", {
  cb <- read_codebook(bfi_codebook_path())
  df <- as.data.frame(cb)
  cb2 <- impact_codebook(df)
  expect_identical(as.data.frame(cb2), df)
  # defaults: reverse FALSE, weight 1, no label; domains in any spelling
  cb3 <- impact_codebook(data.frame(item = c("q1", "q2", "q3"), scale = c("a", "a", "b"),
                                    domain = c("Team", "team", " organization "),
                                    min = 1, max = 5))
  d3 <- as.data.frame(cb3)
  expect_identical(d3$domain, c("team", "team", "organisation"))
  expect_identical(d3$reverse, c(FALSE, FALSE, FALSE))
  expect_identical(d3$weight, c(1, 1, 1))
  expect_identical(d3$label, rep(NA_character_, 3))
  # reverse as text, labels kept
  cb4 <- impact_codebook(data.frame(item = c("q1", "q2"), scale = "a", domain = "individual",
                                    min = 0, max = 4, reverse = c("yes", "no"),
                                    weight = c(2, 1), label = c("I listen", "I decide")))
  d4 <- as.data.frame(cb4)
  expect_identical(d4$reverse, c(TRUE, FALSE))
  expect_identical(d4$weight, c(2, 1))
  expect_identical(d4$label, c("I listen", "I decide"))
})

test_that("contradictory codebooks are impact_codebook_error conditions", {
  base <- data.frame(item = c("q1", "q1"), scale = "a", domain = "team", min = 1, max = 5)
  expect_error(impact_codebook(base), class = "impact_codebook_error")
  expect_error(impact_codebook(base), "q1")
  bad_range <- data.frame(item = "q1", scale = "a", domain = "team", min = 5, max = 1)
  expect_error(impact_codebook(bad_range), class = "impact_codebook_error")
  two_domains <- data.frame(item = c("q1", "q2"), scale = "a", domain = c("team", "individual"),
                            min = 1, max = 5)
  expect_error(impact_codebook(two_domains), class = "impact_codebook_error")
  expect_error(impact_codebook(data.frame(item = "q1", scale = "a", domain = "galaxy",
                                          min = 1, max = 5)),
               class = "impact_invalid_error")
  expect_error(impact_codebook(data.frame(item = "q1", scale = "a", min = 1, max = 5)),
               "missing column 'domain'", class = "impact_codebook_error")
  expect_error(impact_codebook(list()), class = "impact_invalid_error")
})

test_that("a codebook file with errors names file and line", {
  p <- tmp_csv(c("item,scale,domain,min,max", "q1,a,team,1,5", "q1,a,team,1,5"))
  e <- expect_error(read_codebook(p), class = "impact_codebook_error")
  expect_match(conditionMessage(e), basename(p), fixed = TRUE)
  expect_error(read_codebook(tempfile()), class = "impact_io_error")
  expect_error(read_codebook(tmp_csv(c("item,scale"))), class = "impact_parse_error")
})
