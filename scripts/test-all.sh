#!/usr/bin/env bash
# `npm test`: every test of the project, in order, stopping at the first failure.
#   Python env -> pytest (training/tests) -> vitest -> typecheck -> next build -> browser e2e
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export NEXT_TELEMETRY_DISABLED=1

section() {
  printf '\n==== %s ====\n' "$1"
}

fail() {
  printf '\nnpm test: FAILED in "%s"\n' "$1" >&2
  exit 1
}

section "1/6 Python environment"
bash scripts/python-env.sh || fail "Python environment"

section "2/6 pytest (training/tests)"
status=0
.venv/bin/python -m pytest training/tests -q || status=$?
# Exit 5 means "no tests collected": not a failure while the suite is being written.
if [[ $status -ne 0 && $status -ne 5 ]]; then fail "pytest"; fi

section "3/6 vitest"
npx vitest run || fail "vitest"

section "4/6 typecheck (tsc --noEmit)"
npx tsc --noEmit || fail "typecheck"

section "5/6 next build"
npx next build || fail "next build"

section "6/6 browser end-to-end (Chromium: WebGPU, WASM)"
node test/e2e/run.mjs --no-build || fail "e2e"

printf '\nnpm test: all passed\n'
