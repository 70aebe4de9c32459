"""The benchmark report: Markdown tables, the verdict against DESIGN.md's performance targets,
the machine it ran on, and the data bench/plot.gp draws."""
import dataclasses
import datetime
import os

# DESIGN.md, "Performance targets".
AUDIT_TARGET = 0.5
CHECK_TARGET = 0.1
SBOM_TARGET = 0.1
RSS_TARGET_MIB = 64

# What each table is about, under its heading.
ABOUT = {
    "audit": "Both read the same RustSec snapshot from disk, no network. secgate runs warm (its "
             "prebuilt index exists after the first run, as in CI after `secgate db fetch`); "
             "the last column adds the OSV crates.io tree as a second source.",
    "licenses": "Same projects, same cargo registry cache, offline. cargo-deny loads the crate "
                "graph with `cargo metadata`, so only projects it can load are compared: this "
                "workspace, the licence gate's fixture project, the single-crate corpus "
                "projects (a copy with empty targets), and for the largest, a project that "
                "depends on each of omicron's 1,127 crates.io packages at its locked version "
                "(the corpus lacks omicron's workspace members; seeded with its lockfile, the "
                "project resolves to exactly those crates).",
    "check": "`secgate check` (advisories, licences, pins, and on this workspace, whose policy "
             "enables it, secrets) against `cargo deny check` (advisories, bans, licences, "
             "sources); same projects, same RustSec snapshot (a git copy for cargo-deny, which "
             "needs one), same cargo registry cache, offline.",
    "sbom": "CycloneDX JSON from the lockfile (`syft scan dir:PROJECT -o cyclonedx-json`), both "
            "offline with an empty cargo cache.",
    "secrets": "Each tool runs inside the tree on `.`. Both trees hold only public data "
               "(published projects' dependency files, public advisories), so every finding "
               "there is a false positive.",
}
TITLES = {
    "audit": "Advisories: `secgate audit` against `cargo audit`",
    "licenses": "Licences: `secgate licenses` against `cargo deny check licenses`",
    "check": "Full check: `secgate check` against `cargo deny check`",
    "sbom": "SBOM: `secgate sbom` against syft",
    "secrets": "Secrets: `secgate secrets` against `detect-secrets scan --all-files`",
}


@dataclasses.dataclass
class Row:
    """One input measured: median times in seconds, largest peak RSS in MiB."""
    name: str
    size: int
    ours: float
    theirs: float
    rss_ours: float
    rss_theirs: float
    extra: list

    @property
    def ratio(self):
        """secgate's median time over the incumbent's (lower is better)."""
        return self.ours / self.theirs


@dataclasses.dataclass
class Table:
    """One comparison: secgate's command against an incumbent's, over several inputs."""
    key: str
    ours: str
    theirs: str
    subject: str
    size: str
    rows: list
    extra: list = dataclasses.field(default_factory=list)


def table_markdown(table):
    """The comparison as a Markdown table."""
    header = [table.subject, table.size, f"{table.ours} (ms)", f"{table.theirs} (ms)",
              "time ratio", "secgate peak RSS (MiB)",
              f"{table.theirs.split(' check')[0]} peak RSS (MiB)",
              *table.extra]
    lines = ["| " + " | ".join(header) + " |",
             "|---|" + "---:|" * (len(header) - 1)]
    for r in table.rows:
        cells = [r.name, str(r.size), f"{r.ours * 1000:.1f}", f"{r.theirs * 1000:.1f}",
                 f"{r.ratio:.3f}", f"{r.rss_ours:.1f}", f"{r.rss_theirs:.1f}", *r.extra]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine():
    """CPUs available (as `nproc` counts them), CPU model, and the date, in one line."""
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    cpus = len(os.sched_getaffinity(0))
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"{cpus} CPUs (`nproc`), {model}, {date}"


def ratio_verdict(what, ratio, target, where):
    """One verdict line for a time-ratio target."""
    if ratio <= target:
        return f"- **met**: {what} at {ratio:.3f}× on {where} (target ≤ {target}×)."
    over = (ratio / target - 1) * 100
    cut = (1 - target / ratio) * 100
    return (f"- **missed by {over:.0f}%**: {what} at {ratio:.3f}× on {where} (target ≤ "
            f"{target}×: secgate's time must drop by {cut:.0f}% to meet it).")


def verdicts(tables):
    """The verdict against DESIGN.md's targets, one Markdown list item per target."""
    by_key = {t.key: t for t in tables}
    lines = []
    audit = by_key.get("audit")
    if audit and audit.rows:
        largest = max(audit.rows, key=lambda r: r.size)
        lines.append(ratio_verdict("`secgate audit` against `cargo audit`", largest.ratio,
                                   AUDIT_TARGET,
                                   f"the largest lockfile, {largest.size} packages"))
    else:
        lines.append("- not measured in this run: `secgate audit` ≤ 0.5× `cargo audit`.")
    for key, what, target in (("check", "`secgate check` against `cargo deny check`",
                               CHECK_TARGET),
                              ("sbom", "`secgate sbom` against syft", SBOM_TARGET)):
        table = by_key.get(key)
        if table and table.rows:
            worst = max(table.rows, key=lambda r: r.ratio)
            lines.append(ratio_verdict(what, worst.ratio, target,
                                       f"its worst input, {worst.name} with {worst.size} "
                                       f"{table.size}"))
        else:
            lines.append(f"- not measured in this run: {what} ≤ {target}×.")
    peaks = [(r.rss_ours, t.ours, r.name) for t in tables for r in t.rows]
    if peaks:
        rss, command, name = max(peaks)
        verdict = "**met**" if rss <= RSS_TARGET_MIB else \
            f"**missed by {(rss / RSS_TARGET_MIB - 1) * 100:.0f}%**"
        lines.append(f"- {verdict}: secgate's peak RSS at most {rss:.1f} MiB over every run "
                     f"above (`{command}` on {name}; target ≤ {RSS_TARGET_MIB} MiB).")
    return "\n".join(lines)


def document(tables, runs, command, machine_line, versions, plot):
    """The whole report: how it was made, the verdict, one section per comparison, the plot."""
    parts = [
        "# secgate benchmark",
        "",
        f"Made by `{command} {runs}`: {runs} timed runs of every command on every input, "
        "after one warm-up run, alternately with its incumbent so that load on the machine hits "
        "both alike; times are medians, ratios are secgate / incumbent (lower is better), peak "
        "RSS is the largest of the runs as GNU time reports it (for a tool that forks workers, "
        "its largest process). Timings on a shared machine are noisy; compare ratios, not "
        "milliseconds.",
        "",
        f"Machine: {machine_line}.",
        "",
        f"Tools: {', '.join(versions)}.",
        "",
        "## Verdict against DESIGN.md's performance targets",
        "",
        verdicts(tables),
    ]
    for table in tables:
        parts += ["", f"## {TITLES[table.key]}", "", ABOUT[table.key], "",
                  table_markdown(table)]
    if plot:
        parts += ["", "## Time against package count", "",
                  "![Median time against packages, per tool and comparison]"
                  "(time-vs-packages.png)"]
    return "\n".join(parts) + "\n"


# The comparisons over package counts, in the order of bench/plot.gp's panels.
PLOTTED = ("audit", "sbom", "check", "licenses")


def plot_data(tables):
    """Median milliseconds against packages: one gnuplot data block per comparison in PLOTTED
    order (columns: packages, secgate, incumbent), sorted by packages; a comparison not run
    gets an empty block so that the indices stay put."""
    by_key = {t.key: t for t in tables}
    blocks = []
    for key in PLOTTED:
        lines = [f"# {key}: packages, secgate ms, incumbent ms"]
        table = by_key.get(key)
        for r in sorted(table.rows if table else [], key=lambda r: r.size):
            lines.append(f"{r.size}\t{r.ours * 1000:.2f}\t{r.theirs * 1000:.2f}")
        blocks.append("\n".join(lines))
    # Two blank lines separate gnuplot's data blocks (`index`).
    return "\n\n\n".join(blocks) + "\n"
