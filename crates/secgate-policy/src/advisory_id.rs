//! What an ignore `id` must look like: an advisory id or alias, `PREFIX-REST` with an uppercase
//! prefix (`RUSTSEC-2023-0071`, `GHSA-c38w-74pg-36hr`, `CVE-2023-49092`, `PYSEC-2021-19`,
//! `OSV-2020-111`, `GO-2023-1234`, ...), with the exact shape checked for the `RUSTSEC`, `GHSA`
//! and `CVE` prefixes. Empty ids, ids with whitespace and plain package names are rejected: an
//! ignore that can never match is a typo, not a policy.

/// Checks that `id` looks like an advisory id: `PREFIX-REST` with an uppercase prefix, and the
/// exact shape for the well-known prefixes.
pub(crate) fn check_id(id: &str) -> Result<(), (String, Option<String>)> {
    let example = || {
        Some(
            "advisory ids look like `RUSTSEC-2023-0071`, `GHSA-c38w-74pg-36hr` or `CVE-2023-49092`"
                .to_owned(),
        )
    };
    if id.is_empty() {
        return Err(("empty ignore `id`".to_owned(), example()));
    }
    if id.chars().any(char::is_whitespace) {
        return Err((format!("ignore id `{id}` contains whitespace"), example()));
    }
    let Some((prefix, rest)) = id.split_once('-') else {
        return Err((
            format!("`{id}` does not look like an advisory id"),
            example(),
        ));
    };
    let prefix_ok = prefix.starts_with(|c: char| c.is_ascii_uppercase())
        && prefix
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if !prefix_ok {
        let hint = if !prefix.is_empty() && prefix.chars().all(|c| c.is_ascii_alphanumeric()) {
            let upper = prefix.to_ascii_uppercase();
            Some(format!(
                "advisory id prefixes are uppercase: `{upper}-{rest}`"
            ))
        } else {
            example()
        };
        return Err((format!("`{id}` does not look like an advisory id"), hint));
    }
    let digits = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let well_formed = match prefix {
        "RUSTSEC" => rest
            .split_once('-')
            .is_some_and(|(y, n)| digits(y, 4, 4) && digits(n, 4, 4)),
        "CVE" => rest
            .split_once('-')
            .is_some_and(|(y, n)| digits(y, 4, 4) && digits(n, 4, 12)),
        "GHSA" => {
            let groups: Vec<&str> = rest.split('-').collect();
            groups.len() == 3
                && groups.iter().all(|g| {
                    g.len() == 4
                        && g.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                })
        }
        _ => {
            !rest.is_empty()
                && rest
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        }
    };
    if well_formed {
        return Ok(());
    }
    let shape = match prefix {
        "RUSTSEC" => "`RUSTSEC-YYYY-NNNN`",
        "CVE" => "`CVE-YYYY-NNNN`",
        "GHSA" => "`GHSA-xxxx-xxxx-xxxx` (lowercase letters and digits)",
        _ => {
            return Err((
                format!("`{id}` does not look like an advisory id"),
                example(),
            ));
        }
    };
    Err((
        format!("`{id}` is not a valid {prefix} id"),
        Some(format!("{prefix} ids look like {shape}")),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advisory_ids_of_every_known_shape_are_accepted() {
        for id in [
            "RUSTSEC-2023-0071",
            "GHSA-c38w-74pg-36hr",
            "CVE-2023-49092",
            "CVE-2021-1234567",
            "PYSEC-2021-19",
            "OSV-2020-111",
            "GO-2023-1234",
            "MAL-2024-1",
            "RHSA-2023:1234",
        ] {
            assert_eq!(check_id(id), Ok(()), "{id}");
        }
    }

    #[test]
    fn obviously_wrong_ids_are_rejected_with_a_reason() {
        let msg = |id| check_id(id).unwrap_err().0;
        assert_eq!(msg(""), "empty ignore `id`");
        assert_eq!(
            msg("RUSTSEC 2023-0071"),
            "ignore id `RUSTSEC 2023-0071` contains whitespace"
        );
        assert_eq!(msg("rsa"), "`rsa` does not look like an advisory id");
        assert_eq!(
            msg("RUSTSEC-2023-71"),
            "`RUSTSEC-2023-71` is not a valid RUSTSEC id"
        );
        assert_eq!(
            msg("GHSA-C38W-74PG-36HR"),
            "`GHSA-C38W-74PG-36HR` is not a valid GHSA id"
        );
        assert_eq!(msg("CVE-23-1"), "`CVE-23-1` is not a valid CVE id");
        assert_eq!(
            msg("PREFIX-"),
            "`PREFIX-` does not look like an advisory id"
        );
        let (m, hint) = check_id("rustsec-2023-0071").unwrap_err();
        assert_eq!(m, "`rustsec-2023-0071` does not look like an advisory id");
        assert_eq!(
            hint.unwrap(),
            "advisory id prefixes are uppercase: `RUSTSEC-2023-0071`"
        );
    }
}
