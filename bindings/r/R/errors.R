# Conditions of class "impact_error".
#
# Errors from C arrive already classed (raised by the SWIG layer after the C
# resources are freed, see impact-r.i). impact_abort() raises the same kind
# of condition for arguments the R layer checks before calling C.

impact_condition <- function(message, code_name = "invalid", call = NULL) {
  codes <- c(failed = 0L, io = 1L, parse = 2L, codebook = 3L, data = 4L,
             invalid = 5L, insufficient = 6L, cancelled = 7L)
  structure(
    list(message = message, call = call, code = unname(codes[code_name]),
         code_name = code_name),
    class = c(paste0("impact_", code_name, "_error"), "impact_error", "error",
              "condition"))
}

impact_abort <- function(message, code_name = "invalid") {
  stop(impact_condition(message, code_name))
}
