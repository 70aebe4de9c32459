//! `password = "..."`-style assignments whose value looks like a real credential: long enough,
//! high entropy, not a placeholder, and not in a test fixture.

use crate::detect::Hit;
use crate::mask::shannon_entropy;
use regex::Regex;
use secgate_core::Code;
use std::sync::LazyLock;

/// Shortest value the rule considers.
const MIN_LEN: usize = 12;

/// A key (optionally quoted, optionally with a `db_`/`spring.datasource.` prefix) ending in one
/// of the secret words, a separator, and a quoted or bare value.
static ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?mi)(?:^|[^A-Za-z0-9_.-])["']?(?:[A-Za-z0-9]+[_.-])*(?:password|passwd|pwd|secret|secret[_-]key|client[_-]secret|api[_-]?key|token|auth[_-]token|access[_-]token)["']?[ \t]*(?::=|=>|=|:)[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([A-Za-z0-9+/=_.~!@#$%^&*:-]+)(?:[ \t,;]|$))"#,
    )
    .expect("valid assignment pattern")
});

/// Words in a value that mark it as a stand-in.
const PLACEHOLDER_WORDS: &[&str] = &[
    "changeme",
    "example",
    "xxxx",
    "process.env",
    "os.environ",
    "getenv",
    "placeholder",
    "redacted",
    "your_",
    "your-",
];

/// Whether `value` is a placeholder, a variable reference or a template, not a credential.
pub(crate) fn is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let mut chars = value.chars();
    let first = chars.next();
    value.starts_with("${")
        || value.starts_with('$')
            && value
                .chars()
                .nth(1)
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        || value.contains("{{")
        || value.starts_with('<') && value.ends_with('>')
        || first.is_some_and(|f| chars.all(|c| c == f))
        || PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w))
}

/// Whether a bare value reads like code (`self.config.token_value`), not like a credential.
fn looks_like_identifier(value: &str) -> bool {
    value
        .bytes()
        .all(|b| b.is_ascii_alphabetic() || b == b'_' || b == b'.')
}

/// Whether `path` is a test fixture, where fake credentials are expected.
pub(crate) fn is_test_fixture(path: &str) -> bool {
    let mut components = path.split('/').peekable();
    while let Some(component) = components.next() {
        let is_file = components.peek().is_none();
        let fixture = if is_file {
            let stem = component.split('.').next().unwrap_or(component);
            stem.ends_with("_test")
                || component.contains(".test.")
                || component.starts_with("test_")
        } else {
            matches!(
                component,
                "test" | "tests" | "testdata" | "fixtures" | "__tests__" | "spec" | "examples"
            )
        };
        if fixture {
            return true;
        }
    }
    false
}

/// Every high-entropy secret assignment in `text`.
pub(crate) fn find(text: &str, entropy_threshold: f64) -> Vec<Hit> {
    let mut hits = Vec::new();
    for caps in ASSIGNMENT.captures_iter(text) {
        let (value, bare) = match (caps.get(1), caps.get(2), caps.get(3)) {
            (Some(v), _, _) | (None, Some(v), _) => (v, false),
            (None, None, Some(v)) => (v, true),
            _ => continue,
        };
        let s = value.as_str();
        if s.chars().count() < MIN_LEN
            || s.chars().any(char::is_whitespace)
            || is_placeholder(s)
            // A JWT alone is a bearer token of unknown life; the JWT rule judges it.
            || s.starts_with("eyJ")
            || bare && looks_like_identifier(s)
            || shannon_entropy(s) < entropy_threshold
        {
            continue;
        }
        hits.push(Hit::masked(
            "generic-secret",
            "secret assignment",
            Code::GenericSecret,
            s,
            value.start(),
        ));
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<String> {
        find(text, 3.5).into_iter().map(|h| h.secret).collect()
    }

    #[test]
    fn assignment_forms_are_recognized() {
        let v = "Zq8#rT2!mK9pL4xW";
        for text in [
            format!("password = \"{v}\""),
            format!("DB_PASSWORD={v}"),
            format!("  client_secret: {v}"),
            format!("{{\"api_key\": \"{v}\"}}"),
            format!("export AUTH_TOKEN='{v}'"),
            format!("spring.datasource.password={v}"),
        ] {
            assert_eq!(values(&text), [v], "{text}");
        }
    }

    #[test]
    fn code_placeholders_and_low_entropy_are_not_secrets() {
        for text in [
            "token = self.generate_access_token(user)",
            "password = request.form.password_field",
            "password: ${{ secrets.DB_PASSWORD }}",
            "api_key = \"<your api key here>\"",
            "secret = os.environ['APP_SECRET_VALUE']",
            "password = \"aaaaaaaaaaaaaaaa\"",
            "password = \"passwordpassword\"",
            "token: $GITHUB_TOKEN_VALUE",
            "password = \"changeme-Zq8#rT2!\"",
            "\"password\": \"Enter your password here please\"",
            "token_count = 1234567890123",
        ] {
            assert!(values(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn test_fixture_paths() {
        for path in [
            "tests/config.env",
            "src/testdata/a.json",
            "pkg/__tests__/x.js",
            "a/b_test.go",
            "web/app.test.ts",
            "test_settings.py",
            "examples/demo/.env",
        ] {
            assert!(is_test_fixture(path), "{path}");
        }
        for path in ["src/config.py", "latest/app.env", "contest.py", "tests"] {
            assert!(!is_test_fixture(path), "{path}");
        }
    }
}
