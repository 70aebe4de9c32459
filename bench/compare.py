"""Times secgate and cargo-audit alternately on each corpus lockfile; prints medians and ratios.

secgate runs warm: its prebuilt index for the database exists after the first run, as it does
in CI after `secgate db fetch`. The last column adds the OSV crates.io tree as a second source.
"""
import argparse
import tempfile
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
    """Wall time in seconds and peak RSS in KiB of one run.

    The RSS comes from GNU time, a small C program that forks and execs the command: measured
    from Python, the fork would count the interpreter's own memory as the child's peak.
    """
    with tempfile.NamedTemporaryFile("r") as rss:
        start = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name, *cmd],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elapsed = time.perf_counter() - start
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{cmd[0]} exited {proc.returncode}: {' '.join(cmd)}")
        return elapsed, int(rss.read().split()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--secgate", required=True)
    ap.add_argument("--cargo-audit", required=True)
    ap.add_argument("--shared", required=True)
    a = ap.parse_args()
    db = f"{a.shared}/advisory-data/rustsec"
    osv = f"{a.shared}/advisory-data/osv/crates.io"
    print("| lockfile | packages | secgate audit (ms) | cargo audit (ms) | time ratio | "
          "secgate peak RSS (MiB) | cargo audit peak RSS (MiB) | secgate RustSec+OSV (ms) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for rel, packages in LOCKFILES:
        lock = f"{a.shared}/corpus/{rel}"
        ours = [a.secgate, "audit", lock, "--db", db, "--offline", "--format", "json"]
        theirs = [a.cargo_audit, "audit", "--no-fetch", "--stale", "--no-yanked", "--db", db,
                  "-f", lock, "--json"]
        both = [*ours, "--db", osv]
        timed(ours), timed(theirs), timed(both)  # warm the page cache and secgate's index
        r_ours, r_theirs, r_both = [], [], []
        for _ in range(a.runs):
            r_ours.append(timed(ours))
            r_theirs.append(timed(theirs))
            r_both.append(timed(both))
        m_both = statistics.median(t for t, _ in r_both)
        m_ours = statistics.median(t for t, _ in r_ours)
        m_theirs = statistics.median(t for t, _ in r_theirs)
        rss_ours = max(r for _, r in r_ours) / 1024
        rss_theirs = max(r for _, r in r_theirs) / 1024
        print(f"| {rel} | {packages} | {m_ours * 1000:.1f} | {m_theirs * 1000:.1f} | "
              f"{m_ours / m_theirs:.2f} | {rss_ours:.1f} | {rss_theirs:.1f} | {m_both * 1000:.1f} |")


if __name__ == "__main__":
    main()
