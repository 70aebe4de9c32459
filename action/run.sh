#!/usr/bin/env bash
# The action's run step: run secgate once with JSON, SARIF and Markdown renderings of the same
# run, append the Markdown to the job summary, set the step outputs, and turn secgate's exit
# code into the step's result under `fail-on`.
#
# secgate exit codes: 0 passed, 1 a finding at level deny, 2 could not check. Exit 2 (and any
# other unexpected code) always fails the step: a gate that did not run must never pass.
set -euo pipefail

error() {
  echo "::error title=secgate::$*" >&2
}

: "${RUNNER_TEMP:?RUNNER_TEMP is not set}"
: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
command=${INPUT_COMMAND:-check}
path=${INPUT_PATH:-.}
format=${INPUT_FORMAT:-human}
fail_on=${INPUT_FAIL_ON:-deny}
sarif=${INPUT_SARIF_FILE-secgate.sarif}
summary=${INPUT_SUMMARY:-true}

case "$fail_on" in
  deny | warn | never) ;;
  *)
    error "fail-on must be deny, warn or never, got '$fail_on'"
    echo "exit-code=2" >>"$GITHUB_OUTPUT"
    exit 2
    ;;
esac

# `args`: one argument per line when the value has several lines (arguments with spaces),
# else split on whitespace. Never evaluated: quotes, `$` and globs stay literal.
extra=()
if [[ "${INPUT_ARGS:-}" == *$'\n'* ]]; then
  while IFS= read -r line; do
    line="${line#"${line%%[![:space:]]*}"}"
    line="${line%"${line##*[![:space:]]}"}"
    [ -z "$line" ] || extra+=("$line")
  done <<<"$INPUT_ARGS"
else
  read -r -a extra <<<"${INPUT_ARGS:-}"
fi

work=$(mktemp -d "$RUNNER_TEMP/secgate-run.XXXXXX")
json="$work/report.json"
markdown="$work/summary.md"

cmd=(secgate "$command")
# Subcommands that take the checked PATH; `verify`'s own subcommand and operands come in args.
case "$command" in
  check | audit | licenses | pins | secrets | sbom) cmd+=("$path") ;;
esac
cmd+=("${extra[@]}")
[ -z "${INPUT_CONFIG:-}" ] || cmd+=(--config "$INPUT_CONFIG")
cmd+=(--format "$format")
# Subcommands whose findings make a report: all renderings come from this one run.
reports=false
case "$command" in
  check | audit | licenses | pins | secrets | verify)
    reports=true
    cmd+=(--report "json=$json")
    [ "$summary" != true ] || cmd+=(--report "markdown=$markdown")
    if [ -n "$sarif" ]; then
      mkdir -p "$(dirname "$sarif")"
      cmd+=(--report "sarif=$sarif")
    fi
    ;;
esac

echo "secgate: ${cmd[*]}"
set +e
"${cmd[@]}"
code=$?
set -e

# The count of `"<level>": N` in the JSON report's summary (the only place those keys occur
# in secgate's version 1 JSON report).
summary_count() {
  local n
  n=$(grep -oE "\"$1\": [0-9]+" "$json" | head -n 1 | grep -oE '[0-9]+$') || n=0
  echo "${n:-0}"
}

findings=0
warnings=0
if [ -f "$json" ]; then
  warnings=$(summary_count warn)
  findings=$(($(summary_count deny) + warnings + $(summary_count allow)))
fi
written_sarif=""
if [ "$reports" = true ] && [ -n "$sarif" ] && [ -f "$sarif" ]; then
  written_sarif=$sarif
fi
{
  echo "exit-code=$code"
  echo "findings=$findings"
  echo "sarif-file=$written_sarif"
} >>"$GITHUB_OUTPUT"

if [ "$summary" = true ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  if [ -f "$markdown" ]; then
    # A blank line first, so the report never runs into what earlier steps wrote.
    { echo; cat "$markdown"; } >>"$GITHUB_STEP_SUMMARY"
  elif [ "$code" -ne 0 ] && [ "$code" -ne 1 ]; then
    printf '\n## secgate\n\n**could not check** (exit %s): see the step log\n' "$code" >>"$GITHUB_STEP_SUMMARY"
  fi
fi
rm -rf "$work"

case "$code" in
  0)
    if [ "$fail_on" = warn ] && [ "$warnings" -gt 0 ]; then
      error "$warnings finding(s) at level warn, and fail-on is warn"
      exit 1
    fi
    ;;
  1)
    if [ "$fail_on" = never ]; then
      echo "::warning title=secgate::findings at level deny, but fail-on is never"
    else
      error "findings at level deny (see the report above and the job summary)"
      exit 1
    fi
    ;;
  2)
    error "secgate could not check (exit 2): fails whatever fail-on says"
    exit 2
    ;;
  *)
    error "secgate ended with unexpected exit code $code"
    exit "$code"
    ;;
esac
