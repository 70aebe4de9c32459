//! `install-unlocked` for the JavaScript package managers: `npm install` with no packages
//! (which re-resolves instead of `npm ci`), `yarn`/`pnpm`/`bun install` without a frozen
//! lockfile, and `npm i -g`, `yarn global add`, `pnpm add` of packages without an exact
//! version (one finding per package, at its argument).

use super::ShellHit;
use super::install::{has_extension, has_flag, hit, is_commit, positionals, span_of};
use super::lex::Word;

/// npm options that take the next word as their value.
const NPM_VALUE: &[&str] = &[
    "--prefix",
    "--registry",
    "--cache",
    "--tag",
    "-w",
    "--workspace",
    "--userconfig",
    "--loglevel",
    "--install-strategy",
    "--omit",
    "--include",
    "--save-prefix",
    "--before",
    "--location",
    "--os",
    "--cpu",
];

/// `npm install` with no packages (use `npm ci`), or of packages without an exact version.
pub(crate) fn npm(words: &[Word], hits: &mut Vec<ShellHit>) {
    let args = words.get(1..).unwrap_or_default();
    let positional = positionals(args, NPM_VALUE);
    let Some(sub) = positional.first() else {
        return;
    };
    let install = [
        "install", "i", "add", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal",
        "isntall",
    ];
    if !install.contains(&sub.text.as_str())
        || has_flag(args, &["--package-lock-only", "--help", "-h"])
    {
        return;
    }
    let packages = positional.get(1..).unwrap_or_default();
    if packages.is_empty() {
        hit(
            hits,
            "npm-install".to_owned(),
            span_of(words),
            "`npm install` resolves package.json ranges again and may rewrite package-lock.json \
             instead of installing exactly what it records"
                .to_owned(),
            "`npm ci` (installs exactly package-lock.json, and fails when it is out of date)"
                .to_owned(),
        );
    }
    packages_without_version(packages, "npm install", hits);
}

/// `yarn` / `yarn install` without a frozen lockfile; `yarn [global] add` of loose packages.
pub(crate) fn yarn(words: &[Word], hits: &mut Vec<ShellHit>) {
    let args = words.get(1..).unwrap_or_default();
    let positional = positionals(
        args,
        &[
            "--cwd",
            "--modules-folder",
            "--cache-folder",
            "--network-timeout",
            "--mutex",
        ],
    );
    let sub = positional.first().map(|w| w.text.as_str());
    match sub {
        None | Some("install")
            if !has_flag(
                args,
                &[
                    "--frozen-lockfile",
                    "--immutable",
                    "--version",
                    "-v",
                    "--help",
                    "-h",
                ],
            ) =>
        {
            hit(
                hits,
                "yarn-install".to_owned(),
                span_of(words),
                "`yarn install` without `--frozen-lockfile` updates yarn.lock instead of \
                 failing when it does not match package.json"
                    .to_owned(),
                "`yarn install --frozen-lockfile` (Yarn 1) or `yarn install --immutable` \
                 (Yarn 2+)"
                    .to_owned(),
            );
        }
        Some("add") => {
            packages_without_version(positional.get(1..).unwrap_or_default(), "yarn add", hits);
        }
        Some("global") if positional.get(1).is_some_and(|w| w.text == "add") => {
            let packages = positional.get(2..).unwrap_or_default();
            packages_without_version(packages, "yarn global add", hits);
        }
        _ => {}
    }
}

/// `pnpm install` without `--frozen-lockfile`; `pnpm add` of loose packages.
pub(crate) fn pnpm(words: &[Word], hits: &mut Vec<ShellHit>) {
    frozen_or_exact(
        words,
        "pnpm",
        &["--frozen-lockfile", "--lockfile-only"],
        hits,
    );
}

/// `bun install` without `--frozen-lockfile`; `bun add` of loose packages.
pub(crate) fn bun(words: &[Word], hits: &mut Vec<ShellHit>) {
    frozen_or_exact(
        words,
        "bun",
        &["--frozen-lockfile", "--lockfile-only"],
        hits,
    );
}

fn frozen_or_exact(words: &[Word], tool: &str, frozen: &[&str], hits: &mut Vec<ShellHit>) {
    let args = words.get(1..).unwrap_or_default();
    let positional = positionals(args, &["-C", "--dir", "--filter", "-F", "--cwd"]);
    let Some(sub) = positional.first().map(|w| w.text.as_str()) else {
        return;
    };
    let packages = positional.get(1..).unwrap_or_default();
    match sub {
        // With nothing to add, a frozen install is fine and falls through to a no-op below.
        "install" | "i"
            if packages.is_empty()
                && !has_flag(args, frozen)
                && !has_flag(args, &["--help", "-h"]) =>
        {
            hit(
                hits,
                format!("{tool}-install"),
                span_of(words),
                format!(
                    "`{tool} install` without `--frozen-lockfile` updates the lockfile instead \
                     of failing when it does not match package.json"
                ),
                format!("`{tool} install --frozen-lockfile`"),
            );
        }
        "install" | "i" | "add" => {
            packages_without_version(packages, &format!("{tool} {sub}"), hits);
        }
        _ => {}
    }
}

/// One finding per npm package spec that is not an exact version.
fn packages_without_version(packages: &[&Word], tool: &str, hits: &mut Vec<ShellHit>) {
    for package in packages.iter().filter(|w| !w.dynamic) {
        if let Some((name, why)) = npm_spec_unpinned(&package.text) {
            hit(
                hits,
                format!("{tool} {}", package.text),
                package.span.clone(),
                format!("`{tool}` of `{}` {why}", package.text),
                format!("`{tool} {name}@X.Y.Z` with the exact version you test with"),
            );
        }
    }
}

/// (name, why) when an npm package spec does not name one exact version or commit.
fn npm_spec_unpinned(spec: &str) -> Option<(&str, &'static str)> {
    let local = spec.starts_with(['.', '/', '~'])
        || spec.starts_with("file:")
        || (!spec.contains("://")
            && (has_extension(spec, ".tgz") || has_extension(spec, ".tar.gz")));
    // A tarball URL names one artifact; its integrity is the lockfile's business.
    if local || spec.starts_with("https://") || spec.starts_with("http://") {
        return None;
    }
    let git = secgate_inventory::npm::is_git_specifier(spec)
        || (!spec.starts_with('@') && spec.contains('/') && !spec.contains('@'));
    if git {
        let commit = spec.rsplit_once('#').map(|(_, c)| c);
        return (!commit.is_some_and(is_commit))
            .then_some((spec, "follows a git branch or tag instead of a commit"));
    }
    let (name, version) = match spec.get(1..).and_then(|rest| rest.rfind('@')) {
        Some(at) => (&spec[..=at], &spec[at + 2..]),
        None => (spec, ""),
    };
    if let Some(aliased) = version.strip_prefix("npm:") {
        return npm_spec_unpinned(aliased);
    }
    if version.is_empty() {
        return Some((
            name,
            "has no version, so whatever `latest` is at the time is installed",
        ));
    }
    let exact = version.trim_start_matches(['=', 'v']);
    if semver::Version::parse(exact).is_ok() {
        None
    } else {
        Some((name, "accepts a range or a tag, not one exact version"))
    }
}
