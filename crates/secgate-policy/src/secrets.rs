//! `[secrets]`: the secret gate's policy. `enabled` makes `secgate check` run the gate
//! (`secgate secrets` always does), `max-file-size` skips larger files, `entropy-threshold` is
//! how random a generic `password = "..."` value must look to be reported, and `allow` accepts
//! findings by path, rule or fingerprint, each with a reason.

mod allow;
mod size;

pub use allow::SecretAllow;

use crate::cfg::unknown_key;
use crate::error::Problems;
use toml_span::Value;
use toml_span::value::{Table, ValueInner};

/// The `[secrets]` section.
#[derive(Clone, Debug, PartialEq)]
pub struct SecretsPolicy {
    /// Whether `secgate check` runs the secret gate. Default `false`.
    pub enabled: bool,
    /// Files larger than this many bytes are not scanned. Default 1 MiB.
    pub max_file_size: u64,
    /// Minimum Shannon entropy, in bits per character, of a generic secret value; between 1
    /// and 8. Default 3.5.
    pub entropy_threshold: f64,
    /// Findings the policy accepts, in file order.
    pub allow: Vec<SecretAllow>,
}

impl SecretsPolicy {
    /// `max-file-size` when the policy does not set it: 1 MiB.
    pub const DEFAULT_MAX_FILE_SIZE: u64 = 1024 * 1024;
    /// `entropy-threshold` when the policy does not set it.
    pub const DEFAULT_ENTROPY_THRESHOLD: f64 = 3.5;
}

impl Default for SecretsPolicy {
    /// Off, 1 MiB, an entropy threshold of 3.5, nothing allowed.
    fn default() -> Self {
        SecretsPolicy {
            enabled: false,
            max_file_size: Self::DEFAULT_MAX_FILE_SIZE,
            entropy_threshold: Self::DEFAULT_ENTROPY_THRESHOLD,
            allow: Vec::new(),
        }
    }
}

const KEYS: &[&str] = &["enabled", "max-file-size", "entropy-threshold", "allow"];

/// Parses the `[secrets]` table; `path` is the policy file, for the allow entries' locations.
pub(crate) fn parse_secrets(
    table: &Table<'_>,
    path: &str,
    problems: &mut Problems<'_>,
) -> SecretsPolicy {
    let mut secrets = SecretsPolicy::default();
    for (key, value) in table {
        match key.name.as_ref() {
            "enabled" => match value.as_bool() {
                Some(enabled) => secrets.enabled = enabled,
                None => problems.push(
                    value.span,
                    format!(
                        "`enabled` must be true or false, found {}",
                        value.as_ref().type_str()
                    ),
                    Some("write `enabled = true` or `enabled = false`".to_owned()),
                ),
            },
            "max-file-size" => {
                if let Some(size) = size::parse_max_file_size(value, problems) {
                    secrets.max_file_size = size;
                }
            }
            "entropy-threshold" => {
                if let Some(threshold) = entropy_threshold(value, problems) {
                    secrets.entropy_threshold = threshold;
                }
            }
            "allow" => secrets.allow = allow::parse(value, path, problems),
            _ => unknown_key(key, Some("secrets"), KEYS, problems),
        }
    }
    secrets
}

/// `entropy-threshold`: a number from 1 to 8 (bits per character; 8 is the most a byte can carry).
fn entropy_threshold(value: &Value<'_>, problems: &mut Problems<'_>) -> Option<f64> {
    const EXAMPLE: &str =
        "write a number of bits per character from 1 to 8, e.g. `entropy-threshold = 3.5`";
    let number = match value.as_ref() {
        ValueInner::Float(f) => *f,
        // Small whole numbers convert exactly; anything large is out of range either way.
        #[allow(clippy::cast_precision_loss)]
        ValueInner::Integer(n) => *n as f64,
        other => {
            let hint = match other {
                ValueInner::String(s) if s.trim().parse::<f64>().is_ok() => {
                    format!(
                        "write it without quotes: `entropy-threshold = {}`",
                        s.trim()
                    )
                }
                _ => EXAMPLE.to_owned(),
            };
            problems.push(
                value.span,
                format!(
                    "`entropy-threshold` must be a number, found {}",
                    other.type_str()
                ),
                Some(hint),
            );
            return None;
        }
    };
    if (1.0..=8.0).contains(&number) {
        Some(number)
    } else {
        problems.push(
            value.span,
            format!("`entropy-threshold` must be from 1 to 8, found `{number}`"),
            Some(EXAMPLE.to_owned()),
        );
        None
    }
}
