"""Times secgate and cargo-audit alternately on each corpus lockfile; prints medians and ratios.
Then times `secgate check` against `cargo deny check` on the projects both can run on, and
`secgate sbom` against syft on the corpus lockfiles.

secgate runs warm: its prebuilt index for the database exists after the first run, as it does
in CI after `secgate db fetch`. The last column adds the OSV crates.io tree as a second source.

cargo-deny needs a workspace `cargo metadata` can load (every member's manifest and sources).
The corpus keeps only each project's root Cargo.toml and Cargo.lock, which is enough for the
single-crate projects (bat, spotify-tui: a copy gets empty `src/main.rs` and `src/lib.rs`) but
not for the workspaces (omicron, nushell, whose members are missing). So `check` and
`licenses` are compared on bat, spotify-tui, this repository's own workspace and the licence
gate's 34-crate fixture project. Both tools read the same RustSec snapshot (for cargo-deny: a
git repository made from it, as it requires) and the same cargo registry cache, offline.
"""
import argparse
import os
import shutil
import tempfile
import statistics
import subprocess
import time

# Output of the timed commands. Not the null device: where `/dev/null` is an ordinary shared file
# (some sandboxes), what is written there comes back to the next `rustc -` cargo starts.
SINK = tempfile.TemporaryFile()

LOCKFILES = [
    ("cargo-xi-editor-2023/rust/Cargo.lock", 164),
    ("cargo-bat/Cargo.lock", 317),
    ("cargo-nushell/Cargo.lock", 1035),
    ("cargo-large-omicron/Cargo.lock", 1425),
]


def timed(cmd, ok=(0, 1)):
    """Wall time in seconds and peak RSS in KiB of one run.

    The RSS comes from GNU time, a small C program that forks and execs the command: measured
    from Python, the fork would count the interpreter's own memory as the child's peak.
    """
    with tempfile.NamedTemporaryFile("r") as rss:
        start = time.perf_counter()
        # An empty pipe as stdin: cargo (run by cargo-deny) hands its stdin to `rustc -`, which
        # must see end-of-file at once, whatever the caller's stdin is.
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name, *cmd], input=b"",
                              stdout=SINK, stderr=SINK)
        elapsed = time.perf_counter() - start
        if proc.returncode not in ok:
            raise SystemExit(f"{cmd[0]} exited {proc.returncode}: {' '.join(cmd)}")
        return elapsed, int(rss.read().split()[-1])


# cargo-deny keeps each database in `<db-path>/<name>-<hash of its URL>`; this is the one for
# the default RustSec URL.
DENY_DB_DIR = "advisory-db-3157b0e258782691"
DENY_CONFIG = """[advisories]
db-path = "{dbs}"
db-urls = ["https://github.com/rustsec/advisory-db"]
[licenses]
allow = ["MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "ISC", "0BSD", "Zlib", "Unicode-3.0",
         "Unicode-DFS-2016", "CC0-1.0", "BSL-1.0", "Apache-2.0 WITH LLVM-exception",
         "CDLA-Permissive-2.0", "BlueOak-1.0.0"]
"""


def deny_setup(shared, work):
    """A git copy of the RustSec snapshot where cargo-deny looks for it, and its config."""
    dbs = os.path.join(work, "dbs")
    repo = os.path.join(dbs, DENY_DB_DIR)
    shutil.copytree(f"{shared}/advisory-data/rustsec", repo)
    git = ["git", "-C", repo, "-c", "user.name=bench", "-c", "user.email=bench@invalid"]
    subprocess.run(["git", "init", "-q", repo], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "snapshot"], check=True)
    config = os.path.join(work, "deny.toml")
    with open(config, "w") as f:
        f.write(DENY_CONFIG.format(dbs=dbs))
    return config


def buildable_project(name, src, work, secgate, cargo_home):
    """A copy of `src`'s Cargo.toml and Cargo.lock that cargo can load (empty targets), its
    crates fetched into `cargo_home`."""
    project = os.path.join(work, name)
    os.makedirs(os.path.join(project, "src"))
    for file in ("Cargo.toml", "Cargo.lock"):
        shutil.copy(os.path.join(src, file), project)
    open(os.path.join(project, "src", "lib.rs"), "w").close()
    with open(os.path.join(project, "src", "main.rs"), "w") as main:
        main.write("fn main() {}\n")
    env = {**os.environ, "CARGO_HOME": cargo_home}
    env.pop("SECGATE_OFFLINE", None)
    subprocess.run([secgate, "licenses", project, "--fetch", "-q"], env=env, input=b"",
                   stdout=SINK, stderr=SINK, check=False)
    # cargo-deny runs `cargo metadata` with the null device as stdin, and cargo passes it on to
    # `rustc -` unless `target/.rustc_info.json` already caches rustc's answers: run it once
    # with an empty stdin so that every timed run finds the cache, as a built project would.
    subprocess.run(["cargo", "metadata", "--offline", "--format-version", "1", "--manifest-path",
                    os.path.join(project, "Cargo.toml")], env=env, input=b"",
                   stdout=SINK, check=True)
    return project


def projects(a, repo, work):
    """(name, project dir, cargo home) of every project both tools can load."""
    home = os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo"))
    fixture_home = f"{repo}/target/secgate-test-cargo-home"
    fixture = buildable_project(
        "fixture", f"{repo}/crates/secgate-licenses/tests/fixtures/registry-varied-licenses",
        work, a.secgate, fixture_home)
    found = [("secgate workspace", repo, home), ("licence fixture", fixture, fixture_home)]
    for corpus in ("cargo-old-spotify-tui", "cargo-bat"):
        project = buildable_project(corpus, f"{a.shared}/corpus/{corpus}", work, a.secgate,
                                    fixture_home)
        found.append((f"{corpus} (corpus)", project, fixture_home))
    return found


def compare(a, rows, header):
    """Times each (name, packages, ours, theirs, theirs_ok) alternately; prints one table."""
    print()
    print(header)
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, packages, ours, theirs, theirs_ok, cargo_home in rows:
        os.environ["CARGO_HOME"] = cargo_home
        timed(ours), timed(theirs, theirs_ok)
        r_ours, r_theirs = [], []
        for _ in range(a.runs):
            r_ours.append(timed(ours))
            r_theirs.append(timed(theirs, theirs_ok))
        m_ours = statistics.median(t for t, _ in r_ours)
        m_theirs = statistics.median(t for t, _ in r_theirs)
        rss_ours = max(r for _, r in r_ours) / 1024
        rss_theirs = max(r for _, r in r_theirs) / 1024
        print(f"| {name} | {packages} | {m_ours * 1000:.1f} | {m_theirs * 1000:.1f} | "
              f"{m_ours / m_theirs:.3f} | {rss_ours:.1f} | {rss_theirs:.1f} |")


def bench_check(a, repo):
    """`secgate check` / `secgate licenses` against `cargo deny check` / `cargo deny check
    licenses`, offline, on the same projects and cargo cache."""
    db = f"{a.shared}/advisory-data/rustsec"
    home = os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo"))
    # cargo-deny's exit code is a bit set of the checks that failed (licenses = 4).
    deny_ok = range(16)
    with tempfile.TemporaryDirectory() as work:
        config = deny_setup(a.shared, work)
        found = projects(a, repo, work)
        check_rows, license_rows = [], []
        for name, project, cargo_home in found:
            manifest = f"{project}/Cargo.toml"
            with open(f"{project}/Cargo.lock") as lock:
                packages = lock.read().count("[[package]]")
            deny = [a.cargo_deny, "--manifest-path", manifest, "--config", config, "--offline",
                    "check"]
            check_rows.append((name, packages,
                               [a.secgate, "check", manifest, "--db", db, "--offline",
                                "--format", "json"], deny, deny_ok, cargo_home))
            license_rows.append((name, packages,
                                 [a.secgate, "licenses", manifest, "--offline", "--format",
                                  "json"], [*deny, "licenses"], deny_ok, cargo_home))
        compare(a, check_rows,
                "| project | packages | secgate check (ms) | cargo deny check (ms) | time ratio | "
                "secgate peak RSS (MiB) | cargo deny peak RSS (MiB) |")
        compare(a, license_rows,
                "| project | packages | secgate licenses (ms) | cargo deny check licenses (ms) | "
                "time ratio | secgate peak RSS (MiB) | cargo deny peak RSS (MiB) |")
    os.environ["CARGO_HOME"] = home


def bench_sbom(a):
    """`secgate sbom` against `syft` (CycloneDX JSON) on the corpus projects, offline."""
    # No update check, no remote lookups: syft reads the lockfile like secgate does.
    os.environ["SYFT_CHECK_FOR_APP_UPDATE"] = "false"
    home = os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo"))
    with tempfile.TemporaryDirectory() as empty_home:
        # An empty cargo cache: no licence texts for either.
        rows = []
        for rel, packages in LOCKFILES:
            project = os.path.dirname(f"{a.shared}/corpus/{rel}")
            rows.append((rel, packages,
                         [a.secgate, "sbom", project, "--offline", "--format", "cyclonedx"],
                         [a.syft, "scan", f"dir:{project}", "-q", "-o", "cyclonedx-json"],
                         (0,), empty_home))
        compare(a, rows,
                "| project | packages | secgate sbom (ms) | syft (ms) | time ratio | "
                "secgate peak RSS (MiB) | syft peak RSS (MiB) |")
    os.environ["CARGO_HOME"] = home


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--secgate", required=True)
    ap.add_argument("--cargo-audit", required=True)
    ap.add_argument("--cargo-deny", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--syft", required=True)
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
    bench_check(a, a.repo)
    bench_sbom(a)


if __name__ == "__main__":
    main()
