//! The GitHub REST API, for one question: which commit does a tag of an action's repository
//! point at? `GET {api}/repos/{owner}/{repo}/commits/{tag}` with `Accept:
//! application/vnd.github.sha` answers with the commit SHA alone (annotated tags are peeled by
//! the server), so one small request settles each (repository, tag) pair.

use crate::http::{Client, check_url};
use crate::options::join_url;
use crate::{FetchError, FetchOptions};

/// The commit `tag` of `owner/repo` points at: `Some(sha)`, or `None` when the repository or
/// the tag does not exist (`404`, `422`). `token` (a `GITHUB_TOKEN`) raises the rate limit.
/// Any other answer is an error: a gate must not guess.
pub fn tag_commit(
    api: &str,
    repo: &str,
    tag: &str,
    token: Option<&str>,
    opts: &FetchOptions,
) -> Result<Option<String>, FetchError> {
    let repo_ok = repo.matches('/').count() == 1
        && repo.split('/').all(|part| {
            !part.is_empty()
                && part != ".."
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        });
    if !repo_ok {
        return Err(FetchError::InvalidName {
            kind: "repository",
            name: repo.to_owned(),
        });
    }
    // Tags may hold `/` (`release/v1`), which the API accepts in the path; nothing that would
    // end the path or start a query may pass.
    let tag_ok = !tag.is_empty()
        && !tag.contains("..")
        && tag
            .bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'?' | b'#' | b'%' | b'\\'));
    if !tag_ok {
        return Err(FetchError::InvalidName {
            kind: "tag",
            name: tag.to_owned(),
        });
    }
    let url = join_url(api, &format!("repos/{repo}/commits/{tag}"));
    check_url(&url)?;
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![
        ("Accept", "application/vnd.github.sha"),
        ("X-GitHub-Api-Version", "2022-11-28"),
    ];
    if let Some(auth) = &auth {
        headers.push(("Authorization", auth));
    }
    let (status, body) = Client::shared(opts).get_status(&url, &headers)?;
    match status {
        200 => {
            let sha = String::from_utf8_lossy(&body).trim().to_ascii_lowercase();
            if sha.len() == 40 && sha.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok(Some(sha))
            } else {
                Err(FetchError::UnexpectedResponse {
                    url,
                    reason: "the answer is not a commit SHA",
                })
            }
        }
        404 | 422 => Ok(None),
        status => Err(FetchError::Http { url, status }),
    }
}
