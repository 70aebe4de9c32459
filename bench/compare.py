"""Times secgate against the incumbent tools, side by side in one run on one machine.

Five comparisons, each command timed alternately with its incumbent, warm, offline:
- audit: `secgate audit` against `cargo audit` on the corpus lockfiles (small to large); the
  last column adds the OSV crates.io tree as a second source. secgate runs warm: its prebuilt
  index for the database exists after the first run, as it does in CI after `secgate db fetch`.
- licenses and check: `secgate licenses` / `secgate check` against `cargo deny check licenses` /
  `cargo deny check` on the projects cargo-deny can load (see `projects`).
- sbom: `secgate sbom` against syft (CycloneDX JSON) on the corpus lockfiles.
- secrets: `secgate secrets` against `detect-secrets scan --all-files` (and gitleaks when it is
  installed) on the corpus and the advisory snapshots.

Prints the Markdown report (see report.py) and, with --out, writes it to a file; with
--plot-data, writes the time-vs-packages data that bench/plot.gp draws.
"""
import argparse
import dataclasses
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib

# report.py sits next to this script; importing it must leave no __pycache__ in the repository.
sys.dont_write_bytecode = True
import report  # noqa: E402

LOCKFILES = [
    ("cargo-xi-editor-2023/rust/Cargo.lock", 164),
    ("cargo-bat/Cargo.lock", 317),
    ("cargo-nushell/Cargo.lock", 1035),
    ("cargo-large-omicron/Cargo.lock", 1425),
]
COMPARISONS = ("audit", "licenses", "check", "sbom", "secrets")


@dataclasses.dataclass
class Command:
    """One command to time, the exit codes that mean it ran, and where it runs."""
    argv: list
    ok: tuple = (0, 1)
    cwd: str = None
    env: dict = None


@dataclasses.dataclass
class Timing:
    """Median wall time (s) and largest peak RSS (MiB) over the timed runs, and what the
    warm-up run wrote to stdout."""
    median: float
    rss: float
    stdout: bytes


def timed(cmd, out, err):
    """Wall time in seconds and peak RSS in KiB of one run; stdout goes to the file `out`,
    stderr to `err`.

    The RSS comes from GNU time, a small C program that forks and execs the command: measured
    from Python, the fork would count the interpreter's own memory as the child's peak.
    """
    with tempfile.NamedTemporaryFile("r") as rss:
        start = time.perf_counter()
        # An empty pipe as stdin: cargo (run by cargo-deny) hands its stdin to `rustc -`, which
        # must see end-of-file at once, whatever the caller's stdin is. Output goes to a file,
        # never the null device (an ordinary shared file in some sandboxes).
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name, *cmd.argv],
                              input=b"", stdout=out, stderr=err, cwd=cmd.cwd,
                              env={**os.environ, **(cmd.env or {})})
        elapsed = time.perf_counter() - start
        if proc.returncode not in cmd.ok:
            raise SystemExit(f"{cmd.argv[0]} exited {proc.returncode}: {' '.join(cmd.argv)}")
        return elapsed, int(rss.read().split()[-1])


def alternate(runs, commands):
    """Runs each command once to warm the page cache and secgate's index, then `runs` rounds
    of all of them in turn, so that load on the machine hits each tool alike."""
    samples = [[] for _ in commands]
    outputs = []
    with tempfile.TemporaryFile() as sink:
        for cmd in commands:
            with tempfile.TemporaryFile() as out:
                timed(cmd, out, sink)
                out.seek(0)
                outputs.append(out.read())
        for _ in range(runs):
            for cmd, times in zip(commands, samples):
                sink.seek(0)
                sink.truncate()
                times.append(timed(cmd, sink, sink))
    return [Timing(statistics.median(t for t, _ in times), max(r for _, r in times) / 1024, out)
            for times, out in zip(samples, outputs)]


def row(name, size, ours, theirs, extra=()):
    """A table row from the timings of secgate and the incumbent."""
    return report.Row(name, size, ours.median, theirs.median, ours.rss, theirs.rss, list(extra))


def bench_audit(a):
    """`secgate audit` (RustSec, then RustSec + OSV) against `cargo audit` on the lockfiles."""
    db = f"{a.shared}/advisory-data/rustsec"
    osv = f"{a.shared}/advisory-data/osv/crates.io"
    rows = []
    for rel, packages in LOCKFILES:
        lock = f"{a.shared}/corpus/{rel}"
        ours = [a.secgate, "audit", lock, "--db", db, "--offline", "--format", "json"]
        theirs = [a.cargo_audit, "audit", "--no-fetch", "--stale", "--no-yanked", "--db", db,
                  "-f", lock, "--json"]
        t_ours, t_theirs, t_both = alternate(a.runs, [Command(ours), Command(theirs),
                                                      Command([*ours, "--db", osv])])
        rows.append(row(rel, packages, t_ours, t_theirs, [f"{t_both.median * 1000:.1f}"]))
    return report.Table("audit", "secgate audit", "cargo audit", "lockfile", "packages", rows,
                        ["secgate RustSec+OSV (ms)"])


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
    with tempfile.TemporaryFile() as sink:
        subprocess.run([secgate, "licenses", project, "--fetch", "-q"], env=env, input=b"",
                       stdout=sink, stderr=sink, check=False)
        # cargo-deny runs `cargo metadata` with the null device as stdin, and cargo passes it on
        # to `rustc -` unless `target/.rustc_info.json` already caches rustc's answers: run it
        # once with an empty stdin so that every timed run finds the cache, as a built project
        # would.
        subprocess.run(["cargo", "metadata", "--offline", "--format-version", "1",
                        "--manifest-path", os.path.join(project, "Cargo.toml")], env=env,
                       input=b"", stdout=sink, check=True)
    return project


def registry_crates_project(name, lockfile, work, cargo_home):
    """A project depending on every crates.io package of `lockfile` at its locked version,
    seeded with that lockfile, so Cargo resolves it to exactly those crates: how cargo-deny
    gets to check the crates of a workspace whose members the corpus lacks (omicron).
    `tests/cli_licenses_corpus.rs` builds the same project and checks both tools' verdicts."""
    project = os.path.join(work, name)
    os.makedirs(os.path.join(project, "src"))
    with open(lockfile, "rb") as f:
        packages = tomllib.load(f)["package"]
    lines = ['[package]', 'name = "registry-crates"', 'version = "0.0.0"', 'edition = "2021"',
             'publish = false', 'license = "MIT"', '', '[workspace]', '', '[dependencies]']
    registry = [p for p in packages if p.get("source", "").startswith("registry+")]
    for i, p in enumerate(registry):
        version = p["version"].split("+")[0]
        lines.append(f'd{i} = {{ package = "{p["name"]}", version = "={version}", '
                     f'default-features = false }}')
    with open(os.path.join(project, "Cargo.toml"), "w") as manifest:
        manifest.write("\n".join(lines) + "\n")
    shutil.copy(lockfile, os.path.join(project, "Cargo.lock"))
    open(os.path.join(project, "src", "lib.rs"), "w").close()
    env = {**os.environ, "CARGO_HOME": cargo_home}
    with tempfile.TemporaryFile() as sink:
        # Not --locked: Cargo drops the workspace's own and git packages from the lockfile.
        subprocess.run(["cargo", "fetch", "--quiet"], cwd=project, env=env, input=b"",
                       stdout=sink, stderr=sink, check=True)
        subprocess.run(["cargo", "metadata", "--offline", "--format-version", "1"],
                       cwd=project, env=env, input=b"", stdout=sink, check=True)
    return project


def projects(a, work):
    """(name, project dir, cargo home) of every project both secgate and cargo-deny can load.

    cargo-deny needs a workspace `cargo metadata` can load (every member's manifest and
    sources). The corpus keeps only each project's root Cargo.toml and Cargo.lock, which is
    enough for the single-crate projects (bat, spotify-tui: a copy gets empty `src/main.rs` and
    `src/lib.rs`) but not for the workspaces (omicron, nushell, whose members are missing). So
    these are bat, spotify-tui, this repository's own workspace, the licence gate's 34-crate
    fixture project, and for the largest, a project made of omicron's 1,127 crates.io packages
    (see `registry_crates_project`).
    """
    home = os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo"))
    fixture_home = f"{a.repo}/target/secgate-test-cargo-home"
    fixture = buildable_project(
        "fixture", f"{a.repo}/crates/secgate-licenses/tests/fixtures/registry-varied-licenses",
        work, a.secgate, fixture_home)
    found = [("secgate workspace", a.repo, home), ("licence fixture", fixture, fixture_home)]
    for corpus in ("cargo-old-spotify-tui", "cargo-bat"):
        project = buildable_project(corpus, f"{a.shared}/corpus/{corpus}", work, a.secgate,
                                    fixture_home)
        found.append((f"{corpus} (corpus)", project, fixture_home))
    omicron = registry_crates_project(
        "omicron", f"{a.shared}/corpus/cargo-large-omicron/Cargo.lock", work, fixture_home)
    found.append(("cargo-large-omicron's crates.io packages (corpus)", omicron, fixture_home))
    return found


def bench_deny(a, wanted):
    """`secgate licenses` / `secgate check` against `cargo deny check licenses` / `cargo deny
    check`, offline, on the same projects and cargo cache, both reading the same RustSec
    snapshot (for cargo-deny: a git repository made from it, as it requires)."""
    db = f"{a.shared}/advisory-data/rustsec"
    # cargo-deny's exit code is a bit set of the checks that failed (licenses = 4).
    deny_ok = tuple(range(16))
    tables = []
    with tempfile.TemporaryDirectory() as work:
        config = deny_setup(a.shared, work)
        found = projects(a, work)
        for key in wanted:
            rows = []
            for name, project, cargo_home in found:
                manifest = f"{project}/Cargo.toml"
                with open(f"{project}/Cargo.lock") as lock:
                    packages = lock.read().count("[[package]]")
                env = {"CARGO_HOME": cargo_home}
                deny = [a.cargo_deny, "--manifest-path", manifest, "--config", config,
                        "--offline", "check"]
                ours = [a.secgate, key, manifest, "--offline", "--format", "json"]
                if key == "check":
                    ours[3:3] = ["--db", db]
                else:
                    deny.append("licenses")
                t_ours, t_theirs = alternate(a.runs, [Command(ours, env=env),
                                                      Command(deny, deny_ok, env=env)])
                rows.append(row(name, packages, t_ours, t_theirs))
            theirs = "cargo deny check" + (" licenses" if key == "licenses" else "")
            tables.append(report.Table(key, f"secgate {key}", theirs, "project", "packages",
                                       rows))
    return tables


def bench_sbom(a):
    """`secgate sbom` against `syft` (CycloneDX JSON) on the corpus lockfiles, offline, both
    with an empty cargo cache (no licence texts for either)."""
    rows = []
    with tempfile.TemporaryDirectory() as empty_home:
        # No update check, no remote lookups: syft reads the lockfile like secgate does.
        env = {"CARGO_HOME": empty_home, "SYFT_CHECK_FOR_APP_UPDATE": "false"}
        for rel, packages in LOCKFILES:
            project = os.path.dirname(f"{a.shared}/corpus/{rel}")
            ours = [a.secgate, "sbom", project, "--offline", "--format", "cyclonedx"]
            theirs = [a.syft, "scan", f"dir:{project}", "-q", "-o", "cyclonedx-json"]
            t_ours, t_theirs = alternate(a.runs, [Command(ours, (0,), env=env),
                                                  Command(theirs, (0,), env=env)])
            rows.append(row(rel, packages, t_ours, t_theirs))
    return report.Table("sbom", "secgate sbom", "syft", "lockfile", "packages", rows)


def bench_secrets(a):
    """`secgate secrets` against `detect-secrets scan --all-files` (and `gitleaks dir` when
    gitleaks is installed) on the corpus and the advisory snapshots.

    Every tool runs inside the tree on `.`: detect-secrets scans nothing when given a directory
    outside its working directory.
    """
    gitleaks = shutil.which("gitleaks")
    extra = ["secgate findings", "detect-secrets findings"]
    if gitleaks:
        extra += ["gitleaks (ms)", "ratio to gitleaks"]
    rows = []
    for name in ("corpus", "advisory-data"):
        tree = f"{a.shared}/{name}"
        files = sum(len(names) for _, _, names in os.walk(tree))
        commands = [Command([a.secgate, "secrets", ".", "--format", "json"], cwd=tree),
                    Command([a.detect_secrets, "scan", "--all-files", "."], (0,), cwd=tree)]
        if gitleaks:
            commands.append(Command([gitleaks, "dir", "--no-banner", "--exit-code", "0", "."],
                                    (0,), cwd=tree))
        timings = alternate(a.runs, commands)
        ours, theirs = timings[0], timings[1]
        cells = [str(len(json.loads(ours.stdout).get("findings", []))),
                 str(sum(len(v) for v in json.loads(theirs.stdout)["results"].values()))]
        if gitleaks:
            cells += [f"{timings[2].median * 1000:.1f}",
                      f"{ours.median / timings[2].median:.3f}"]
        rows.append(row(name, files, ours, theirs, cells))
    return report.Table("secrets", "secgate secrets", "detect-secrets", "tree", "files", rows,
                        extra)


def tool_versions(a):
    """`name version` of every tool compared, as each reports it."""
    found = []
    for argv in ([a.secgate, "--version"], [a.cargo_audit, "audit", "--version"],
                 [a.cargo_deny, "--version"], [a.syft, "--version"],
                 [a.detect_secrets, "--version"]):
        out = subprocess.run(argv, input=b"", capture_output=True, check=False).stdout
        lines = out.decode(errors="replace").strip().splitlines()
        name = os.path.basename(argv[0])
        version = lines[0] if lines else "(unknown version)"
        # detect-secrets prints its version number alone.
        found.append(version if version.startswith(name) else f"{name} {version}")
    # cargo-audit names itself after the subcommand it was given.
    return [v.replace("cargo-audit-audit", "cargo-audit") for v in found]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--secgate", required=True)
    ap.add_argument("--cargo-audit", required=True)
    ap.add_argument("--cargo-deny", required=True)
    ap.add_argument("--syft", required=True)
    ap.add_argument("--detect-secrets", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--only", nargs="*", choices=COMPARISONS, default=COMPARISONS,
                    help="the comparisons to run (default: all)")
    ap.add_argument("--command", default="bash bench/run.sh",
                    help="the command line to name in the report")
    ap.add_argument("--out", help="also write the Markdown report to this file")
    ap.add_argument("--plot-data", help="write time against packages for bench/plot.gp here")
    a = ap.parse_args()
    # The secrets comparison runs every tool from inside the scanned tree.
    for tool in ("secgate", "cargo_audit", "cargo_deny", "syft", "detect_secrets"):
        setattr(a, tool, os.path.abspath(getattr(a, tool)))
    tables = []

    def done(found):
        for table in found:
            print(f"{table.ours} against {table.theirs}:", file=sys.stderr)
            print(report.table_markdown(table), file=sys.stderr)
        tables.extend(found)

    if "audit" in a.only:
        done([bench_audit(a)])
    deny = [key for key in ("licenses", "check") if key in a.only]
    if deny:
        done(bench_deny(a, deny))
    if "sbom" in a.only:
        done([bench_sbom(a)])
    if "secrets" in a.only:
        done([bench_secrets(a)])
    text = report.document(tables, a.runs, a.command, report.machine(), tool_versions(a),
                           plot=bool(a.plot_data))
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
    if a.plot_data:
        with open(a.plot_data, "w") as f:
            f.write(report.plot_data(tables))


if __name__ == "__main__":
    main()
