"""Times secgate and cargo-audit alternately on each corpus lockfile; prints medians and ratios."""
import argparse
import statistics
import subprocess
import time

LOCKFILES = [
    ("cargo-xi-editor-2023/rust/Cargo.lock", 164),
    ("cargo-bat/Cargo.lock", 317),
    ("cargo-nushell/Cargo.lock", 1035),
    ("cargo-large-omicron/Cargo.lock", 1425),
]


def timed(cmd):
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd[0]} exited {proc.returncode}: {' '.join(cmd)}")
    return elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--secgate", required=True)
    ap.add_argument("--cargo-audit", required=True)
    ap.add_argument("--shared", required=True)
    a = ap.parse_args()
    db = f"{a.shared}/advisory-data/rustsec"
    print(f"| lockfile | packages | secgate audit (ms) | cargo audit (ms) | ratio |")
    print("|---|---:|---:|---:|---:|")
    for rel, packages in LOCKFILES:
        lock = f"{a.shared}/corpus/{rel}"
        ours = [a.secgate, "audit", lock, "--db", db, "--offline", "--format", "json"]
        theirs = [a.cargo_audit, "audit", "--no-fetch", "--stale", "--no-yanked", "--db", db,
                  "-f", lock, "--json"]
        timed(ours), timed(theirs)  # warm the page cache for both
        t_ours, t_theirs = [], []
        for _ in range(a.runs):
            t_ours.append(timed(ours))
            t_theirs.append(timed(theirs))
        m_ours, m_theirs = statistics.median(t_ours), statistics.median(t_theirs)
        print(f"| {rel} | {packages} | {m_ours * 1000:.1f} | {m_theirs * 1000:.1f} | "
              f"{m_ours / m_theirs:.2f} |")


if __name__ == "__main__":
    main()
