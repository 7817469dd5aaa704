#!/bin/sh
# Runs the Python suite with the interpreter configure found (never a bare
# `pytest`), without writing caches or bytecode into the (read-only under
# distcheck) source tree.
exec "$PYTHON" -m pytest -p no:cacheprovider -q "$IMPACT_PY_TESTS"
