//! Global build args: `ARG NAME=default` before the first `FROM`, and their substitution into
//! an image reference (`$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME:+alt}`). An arg without a
//! default, or a substitution form the gate does not evaluate, makes the image unresolvable,
//! with the reason.

use std::collections::HashMap;

/// Global build args: name → default (`None` when declared without one).
pub(crate) type Args = HashMap<String, Option<String>>;

/// Records `ARG a=1 b` (before the first `FROM`); defaults may use earlier args.
pub(crate) fn declare(args: &mut Args, words: &[(&str, std::ops::Range<usize>)]) {
    for (word, _) in words {
        let (name, value) = match word.split_once('=') {
            Some((name, value)) => {
                let value = value
                    .strip_prefix('"')
                    .and_then(|v| v.strip_suffix('"'))
                    .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                    .unwrap_or(value);
                (
                    name,
                    Some(substitute(value, args).unwrap_or_else(|_| value.to_owned())),
                )
            }
            None => (*word, None),
        };
        args.insert(name.to_owned(), value);
    }
}

/// `image` with the global args' defaults substituted, or why it cannot be.
pub(crate) fn substitute(image: &str, args: &Args) -> Result<String, String> {
    let mut out = String::with_capacity(image.len());
    let mut rest = image;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (expression, tail) = if let Some(braced) = after.strip_prefix('{') {
            let close = braced
                .find('}')
                .ok_or_else(|| format!("`{image}` has an unclosed `${{`"))?;
            (&braced[..close], &braced[close + 1..])
        } else {
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..len], &after[len..])
        };
        out.push_str(&expand(expression, args)?);
        rest = tail;
    }
    out.push_str(rest);
    Ok(out)
}

/// The value of one `NAME`, `NAME:-word` or `NAME:+word` expression.
fn expand(expression: &str, args: &Args) -> Result<String, String> {
    let len = expression
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(expression.len());
    let (name, modifier) = expression.split_at(len);
    if name.is_empty() {
        return Err(format!("`${{{expression}}}` is not a build arg reference"));
    }
    let value = args.get(name);
    let set = value.and_then(Option::as_deref).filter(|v| !v.is_empty());
    match modifier {
        "" => match value {
            Some(Some(v)) => Ok(v.clone()),
            Some(None) => Err(format!(
                "build arg `{name}` has no default, so the image is whatever \
                 `--build-arg {name}=...` says"
            )),
            None => Err(format!(
                "`{name}` is not a build arg declared before the first `FROM`"
            )),
        },
        _ if modifier.starts_with(":-") || modifier.starts_with('-') => {
            let word = modifier
                .trim_start_matches(':')
                .get(1..)
                .unwrap_or_default();
            match set {
                Some(v) => Ok(v.to_owned()),
                None => substitute(word, args),
            }
        }
        _ if modifier.starts_with(":+") || modifier.starts_with('+') => {
            let word = modifier
                .trim_start_matches(':')
                .get(1..)
                .unwrap_or_default();
            match (value, set) {
                (Some(None), _) => Err(format!(
                    "build arg `{name}` has no default, so `${{{expression}}}` depends on \
                     `--build-arg`"
                )),
                (_, Some(_)) => substitute(word, args),
                (_, None) => Ok(String::new()),
            }
        }
        _ => Err(format!(
            "`${{{expression}}}` uses a substitution the gate does not evaluate"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(pairs: &[(&str, Option<&str>)]) -> Args {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.map(str::to_owned)))
            .collect()
    }

    #[test]
    fn substitution_of_defaults() {
        let a = args(&[("PY", Some("3.12")), ("NONE", None), ("EMPTY", Some(""))]);
        assert_eq!(
            substitute("python:${PY}-slim", &a).unwrap(),
            "python:3.12-slim"
        );
        assert_eq!(substitute("python:$PY", &a).unwrap(), "python:3.12");
        assert_eq!(substitute("${NONE:-alpine:3}", &a).unwrap(), "alpine:3");
        assert_eq!(substitute("${EMPTY:-x}", &a).unwrap(), "x");
        assert_eq!(substitute("a${PY:+-b}", &a).unwrap(), "a-b");
        assert_eq!(substitute("a${MISSING:+-b}", &a).unwrap(), "a");
        assert!(
            substitute("${NONE}", &a)
                .unwrap_err()
                .contains("no default")
        );
        assert!(
            substitute("$MISSING", &a)
                .unwrap_err()
                .contains("not a build arg")
        );
        assert!(
            substitute("${PY#3}", &a)
                .unwrap_err()
                .contains("does not evaluate")
        );
        assert!(substitute("${PY", &a).unwrap_err().contains("unclosed"));
        assert!(substitute("$", &a).is_err());
    }

    #[test]
    fn declarations_resolve_earlier_args_and_quotes() {
        let mut a = Args::new();
        declare(
            &mut a,
            &[("V=1", 0..0), ("IMG=\"x:${V}\"", 0..0), ("B", 0..0)],
        );
        assert_eq!(a["IMG"].as_deref(), Some("x:1"));
        assert_eq!(a["B"], None);
    }
}
