//! The validated policy: the `[advisories]` settings (ignores, sources, severity threshold,
//! database `max-age`), the `[licenses]`, `[pins]`, `[signatures]`, `[paths]` and `[secrets]`
//! sections and the level of every finding code. A [`Policy`] only exists when its
//! file had no problem at all; otherwise parsing returns every problem.

use crate::cfg;
use crate::db_urls::DbUrls;
use crate::error::PolicyError;
use crate::ignore::Ignore;
use crate::licenses::LicensesPolicy;
use crate::max_age::format_duration;
use crate::paths::PathsPolicy;
use crate::pins::PinsPolicy;
use crate::secrets::SecretsPolicy;
use crate::signatures::SignaturesPolicy;
use crate::sources::Source;
use crate::threshold::thresholded;
use secgate_core::{Code, Finding, Level, Location, Severity};
use std::collections::BTreeMap;
use std::time::Duration;

/// The commented default policy shipped in `policies/default.toml`.
pub const DEFAULT_POLICY: &str = include_str!("../../../policies/default.toml");

/// A validated policy.
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    /// The policy file as given, for messages; `None` for the embedded default.
    pub path: Option<String>,
    /// The `[advisories]` section.
    pub advisories: AdvisoriesPolicy,
    /// The `[licenses]` section; the `default` preset alone when the file has none.
    pub licenses: LicensesPolicy,
    /// The `[pins]` section; every rule on, no ignores, when the file has none.
    pub pins: PinsPolicy,
    /// The `[signatures]` section; off when the file has none.
    pub signatures: SignaturesPolicy,
    /// The `[paths]` section; nothing excluded when the file has none.
    pub paths: PathsPolicy,
    /// The `[secrets]` section; off, 1 MiB, entropy 3.5, nothing allowed when the file has none.
    pub secrets: SecretsPolicy,
    /// Levels set by the policy (`[advisories]` shortcuts and `[levels]`).
    levels: BTreeMap<Code, Level>,
}

/// The `[advisories]` section. Each setting that can be left out has its default when it is,
/// and the location of its value in the policy file when it is not, so a finding about it (a
/// `db-stale` database, say) can point at the line that set it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdvisoriesPolicy {
    /// Accepted advisories, in file order.
    pub ignore: Vec<Ignore>,
    /// The advisory sources `audit` reads, in file order, each once; never empty.
    /// Default [`Source::DEFAULT`] (`rustsec`, `osv`).
    pub sources: Vec<Source>,
    /// Where `sources` was set.
    pub sources_location: Option<Location>,
    /// Vulnerabilities of a known severity below this one are lowered from `deny` to `warn`
    /// (see [`Policy::level_for`]). Default `None`: every vulnerability keeps its level.
    pub severity_threshold: Option<Severity>,
    /// Where `severity-threshold` was set.
    pub severity_threshold_location: Option<Location>,
    /// How old a fetched advisory database may be before it is `db-stale`; always positive.
    /// Default [`AdvisoriesPolicy::DEFAULT_MAX_AGE`] (7 days).
    pub max_age: Duration,
    /// Where `max-age` was set.
    pub max_age_location: Option<Location>,
    /// Base URLs of the databases and online sources (`[advisories.db-urls]`).
    pub db_urls: DbUrls,
    /// Whether packages a lockfile marks development-only (npm `dev`, poetry's dev groups,
    /// Pipfile `develop`) are audited. Default `true`, as `npm audit` does.
    pub include_dev: bool,
}

impl AdvisoriesPolicy {
    /// `max-age` when the policy does not set it: 7 days.
    pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(7 * 24 * 60 * 60);

    /// `max_age` in the policy-file syntax, for messages: `"7d"`, `"36h"`, `"90s"`.
    pub fn max_age_text(&self) -> String {
        format_duration(self.max_age)
    }
}

impl Default for AdvisoriesPolicy {
    /// No ignores, the default sources, no severity threshold, a `max-age` of 7 days.
    fn default() -> Self {
        AdvisoriesPolicy {
            ignore: Vec::new(),
            sources: Source::DEFAULT.to_vec(),
            sources_location: None,
            severity_threshold: None,
            severity_threshold_location: None,
            max_age: Self::DEFAULT_MAX_AGE,
            max_age_location: None,
            db_urls: DbUrls::default(),
            include_dev: true,
        }
    }
}

impl Policy {
    /// Parses and validates a policy text. `path` is the file as it should appear in messages
    /// and in the locations of ignore findings.
    pub fn parse(text: &str, path: &str) -> Result<Policy, PolicyError> {
        match cfg::parse(text, path) {
            Ok(parsed) => Ok(Policy {
                path: Some(path.to_owned()),
                advisories: parsed.advisories,
                licenses: parsed.licenses,
                pins: parsed.pins,
                signatures: parsed.signatures,
                paths: parsed.paths,
                secrets: parsed.secrets,
                levels: parsed.levels,
            }),
            Err(problems) => Err(PolicyError::Invalid {
                path: path.to_owned(),
                text: text.to_owned(),
                problems,
            }),
        }
    }

    /// The policy used when the repository has no policy file: [`DEFAULT_POLICY`].
    pub fn embedded_default() -> Policy {
        let mut policy = Policy::parse(DEFAULT_POLICY, "policies/default.toml")
            .expect("policies/default.toml is valid (checked by a unit test)");
        policy.path = None;
        policy
    }

    /// The level of findings with `code`: the policy's setting, else the code's default.
    pub fn level(&self, code: Code) -> Level {
        self.levels
            .get(&code)
            .copied()
            .unwrap_or_else(|| code.default_level())
    }

    /// The level `finding` gets under the policy: [`Policy::level`] of its code, except that a
    /// `vulnerability` whose severity is known and below `severity-threshold` is lowered from
    /// `deny` to `warn` (like `npm audit --audit-level`: reported, not hidden). A vulnerability
    /// of unknown severity keeps its level (fail closed), a level set to `warn` or `allow` is
    /// never raised, and findings of other codes are not affected by the threshold.
    pub fn level_for(&self, finding: &Finding) -> Level {
        thresholded(
            self.level(finding.code),
            self.advisories.severity_threshold,
            finding,
        )
    }

    /// The levels the policy sets explicitly, by code.
    pub fn overrides(&self) -> impl Iterator<Item = (Code, Level)> + '_ {
        self.levels.iter().map(|(c, l)| (*c, *l))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_default_parses_and_writes_out_every_default_level() {
        let policy = Policy::embedded_default();
        assert_eq!(policy.path, None);
        assert!(policy.advisories.ignore.is_empty());
        for &code in Code::ALL {
            assert_eq!(
                policy.overrides().find(|(c, _)| *c == code),
                Some((code, code.default_level())),
                "policies/default.toml must set `{code}` to its default level"
            );
        }
    }

    #[test]
    fn embedded_default_writes_out_the_default_advisory_settings() {
        let advisories = Policy::embedded_default().advisories;
        let defaults = AdvisoriesPolicy::default();
        assert_eq!(advisories.sources, defaults.sources);
        assert_eq!(advisories.sources, [Source::Rustsec, Source::Osv]);
        assert_eq!(advisories.max_age, defaults.max_age);
        assert_eq!(advisories.max_age_text(), "7d");
        // No threshold is the default: the key is shown commented out.
        assert_eq!(advisories.severity_threshold, None);
        for location in [&advisories.sources_location, &advisories.max_age_location] {
            let location = location.as_ref().expect("written out, so located");
            assert_eq!(location.path, "policies/default.toml");
        }
    }

    #[test]
    fn embedded_default_uses_the_default_licence_preset() {
        let licenses = Policy::embedded_default().licenses;
        let defaults = LicensesPolicy::default();
        assert_eq!(licenses.preset, "default");
        assert_eq!(licenses.policy, defaults.policy);
        assert!(
            (licenses.confidence_threshold - defaults.confidence_threshold).abs() < f32::EPSILON
        );
        let location = licenses.location.expect("written out, so located");
        assert_eq!(location.path, "policies/default.toml");
    }

    #[test]
    fn level_falls_back_to_the_code_default() {
        let policy = Policy::parse("[levels]\nunsound = \"deny\"\n", "p.toml")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(policy.path.as_deref(), Some("p.toml"));
        assert_eq!(policy.level(Code::Unsound), Level::Deny);
        assert_eq!(policy.level(Code::Unmaintained), Level::Warn);
        assert_eq!(policy.level(Code::Vulnerability), Level::Deny);
        assert_eq!(policy.overrides().count(), 1);
    }

    #[test]
    fn invalid_policy_keeps_path_and_text_for_snippets() {
        let text = "[advisories]\nignroe = []\n";
        let Err(PolicyError::Invalid {
            path,
            text: kept,
            problems,
        }) = Policy::parse(text, "secgate.toml")
        else {
            panic!("expected an invalid policy");
        };
        assert_eq!(path, "secgate.toml");
        assert_eq!(kept, text);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].hint.as_deref(), Some("did you mean `ignore`?"));
    }
}
