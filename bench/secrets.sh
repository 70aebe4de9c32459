#!/usr/bin/env bash
# Side-by-side timing of the secret gate: `secgate secrets DIR` against `detect-secrets scan
# --all-files DIR` (and `gitleaks dir DIR` when gitleaks is installed) on the real-world corpus
# and on the advisory snapshots, in one run on one machine. Prints a Markdown table of medians,
# findings, and the ratio secgate/incumbent (lower is better).
# Usage: bench/secrets.sh [RUNS]   (default 5 runs per command and tree)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-5}
shared=$(cd "${SECGATE_SHARED:-../shared}" && pwd)
venv=${SECGATE_BENCH_VENV:-$HOME/.cache/secgate-bench-venv}
if [ ! -x "$venv/bin/detect-secrets" ]; then
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet detect-secrets==1.5.0
fi
cargo build --release --locked --quiet
target=${CARGO_TARGET_DIR:-target}
target=$(cd "$target" && pwd)
secgate=("$target/release/secgate" secrets)
gitleaks=$(command -v gitleaks || true)
exec python3 - "$runs" "$shared" "$venv/bin/detect-secrets" "${gitleaks:-}" "${secgate[@]}" <<'PY'
import json, statistics, subprocess, sys, tempfile, time

runs, shared, detect_secrets, gitleaks = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
secgate = sys.argv[5:]
# Output goes to a temp file, never the null device (an ordinary shared file in some sandboxes).
sink = tempfile.TemporaryFile()
trees = [("corpus", f"{shared}/corpus"), ("advisory-data", f"{shared}/advisory-data")]

# Every tool runs inside the tree on `.`: detect-secrets scans nothing when given a directory
# outside its working directory.
def median_ms(cmd, cwd, ok=(0, 1)):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, stdin=subprocess.PIPE, stdout=sink, stderr=sink)
        times.append(time.perf_counter() - start)
        if proc.returncode not in ok:
            raise SystemExit(f"{cmd[0]} exited {proc.returncode}: {' '.join(cmd)}")
    return statistics.median(times) * 1000

def detect_secrets_findings(path):
    out = subprocess.run([detect_secrets, "scan", "--all-files", "."], cwd=path,
                         stdin=subprocess.PIPE, capture_output=True, check=True)
    return sum(len(v) for v in json.loads(out.stdout)["results"].values())

header = "| tree | secgate (ms) | detect-secrets (ms) | ratio | detect-secrets findings |"
rule = "|---|---:|---:|---:|---:|"
if gitleaks:
    header += " gitleaks (ms) | ratio |"
    rule += "---:|---:|"
print(f"Median of {runs} runs; ratio = secgate / incumbent (lower is better).\n")
print(header)
print(rule)
for name, path in trees:
    ours = median_ms([*secgate, "."], path)
    ds = median_ms([detect_secrets, "scan", "--all-files", "."], path, ok=(0,))
    row = f"| {name} | {ours:.0f} | {ds:.0f} | {ours / ds:.3f} | {detect_secrets_findings(path)} |"
    if gitleaks:
        gl = median_ms([gitleaks, "dir", "--no-banner", "--exit-code", "0", "."], path, ok=(0,))
        row += f" {gl:.0f} | {ours / gl:.3f} |"
    print(row)
PY
