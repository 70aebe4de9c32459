//! The validated policy: advisory ignores and the level of every finding code. A [`Policy`]
//! only exists when its file had no problem at all; otherwise parsing returns every problem.

use crate::cfg;
use crate::error::PolicyError;
use crate::ignore::Ignore;
use secgate_core::{Code, Level};
use std::collections::BTreeMap;

/// The commented default policy shipped in `policies/default.toml`.
pub const DEFAULT_POLICY: &str = include_str!("../../../policies/default.toml");

/// A validated policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// The policy file as given, for messages; `None` for the embedded default.
    pub path: Option<String>,
    /// The `[advisories]` section.
    pub advisories: AdvisoriesPolicy,
    /// Levels set by the policy (`[advisories]` shortcuts and `[levels]`).
    levels: BTreeMap<Code, Level>,
}

/// The `[advisories]` section.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AdvisoriesPolicy {
    /// Accepted advisories, in file order.
    pub ignore: Vec<Ignore>,
}

impl Policy {
    /// Parses and validates a policy text. `path` is the file as it should appear in messages
    /// and in the locations of ignore findings.
    pub fn parse(text: &str, path: &str) -> Result<Policy, PolicyError> {
        match cfg::parse(text, path) {
            Ok(parsed) => Ok(Policy {
                path: Some(path.to_owned()),
                advisories: AdvisoriesPolicy {
                    ignore: parsed.ignore,
                },
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
