#!/usr/bin/env bash
# `npm test`: every test of the project. Every section runs even when an earlier one fails (one
# red section must not hide the state of the rest), then a summary table is printed and the exit
# status is non-zero if any section failed.
#   Python env -> pytest (training/tests) -> vitest -> typecheck -> next build -> browser e2e
# A section that needs an earlier one (pytest needs the Python env; e2e needs the build) is
# marked "skipped" when that one failed.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export NEXT_TELEMETRY_DISABLED=1

logs="$root/test-results/sections"
mkdir -p "$logs"
names=()
results=()
counts=()
times=()

# run_section NAME LOG-NAME COMMAND...: runs it with its output shown and kept in a log, records the outcome.
run_section() {
  local name="$1" log="$logs/$2.log"
  shift 2
  printf '\n==== %s ====\n' "$name"
  local start=$SECONDS status
  "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  names+=("$name")
  times+=("$((SECONDS - start))")
  counts+=("$(count_tests "$log")")
  if [[ $status -eq 0 ]]; then results+=("passed"); else results+=("FAILED"); fi
  return "$status"
}

skip_section() {
  printf '\n==== %s ====\nskipped: %s\n' "$1" "$2"
  names+=("$1"); results+=("skipped"); counts+=("$2"); times+=("0")
}

# Pulls "N passed, N failed, N skipped" out of a section's log, whichever runner wrote it.
count_tests() {
  local text
  text="$(sed 's/\x1b\[[0-9;]*m//g' "$1")"
  local line
  line="$(grep -E '^[= ]*[0-9]+ (passed|failed)' <<<"$text" | tail -n 1)"                  # pytest
  [[ -z "$line" ]] && line="$(grep -E '^ +Tests +' <<<"$text" | tail -n 1)"                # vitest
  [[ -z "$line" ]] && line="$(grep -E '^[0-9]+ passed, [0-9]+ failed' <<<"$text" | tail -n 1)"  # e2e
  local passed failed skipped
  passed="$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+' || true)"
  failed="$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+' || true)"
  skipped="$(grep -oE '[0-9]+ skipped' <<<"$line" | grep -oE '[0-9]+' || true)"
  if [[ -z "$passed$failed" ]]; then echo "-"; return; fi
  echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
}

pytest_section() {
  local status=0
  .venv/bin/python -m pytest training/tests -q || status=$?
  # Exit 5 means "no tests collected": not a failure while the suite is being written.
  if [[ $status -eq 5 ]]; then return 0; fi
  return "$status"
}

if run_section "1/6 Python environment" python-env bash scripts/python-env.sh; then
  run_section "2/6 pytest (training/tests)" pytest pytest_section
else
  skip_section "2/6 pytest (training/tests)" "the Python environment failed"
fi
run_section "3/6 vitest" vitest npx vitest run
run_section "4/6 typecheck (tsc --noEmit)" typecheck npx tsc --noEmit
if run_section "5/6 next build" next-build npx next build; then
  run_section "6/6 browser end-to-end (Chromium: WebGPU, WASM)" e2e node test/e2e/run.mjs --no-build
else
  skip_section "6/6 browser end-to-end (Chromium: WebGPU, WASM)" "next build failed"
fi

failed=0
printf '\n==== summary ====\n'
printf '%-50s %-8s %-36s %6s\n' "section" "result" "tests" "time"
for i in "${!names[@]}"; do
  printf '%-50s %-8s %-36s %5ss\n' "${names[$i]}" "${results[$i]}" "${counts[$i]}" "${times[$i]}"
  [[ "${results[$i]}" == "passed" ]] || failed=1
done
printf '(logs of each section: test-results/sections/)\n'
if [[ $failed -ne 0 ]]; then
  printf '\nnpm test: FAILED\n' >&2
  exit 1
fi
printf '\nnpm test: all passed\n'
