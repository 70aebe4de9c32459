//! The base URLs of every remote source: built-in defaults, then the policy's
//! `[advisories.db-urls]`, then the `SECGATE_*_URL` environment variables.

use secgate_fetch::Endpoints;
use secgate_policy::Policy;

/// Endpoints for a run under `policy`.
pub fn endpoints(policy: &Policy) -> Endpoints {
    let mut e = Endpoints::default();
    let urls = &policy.advisories.db_urls;
    let pairs = [
        (&mut e.rustsec_archive, &urls.rustsec),
        (&mut e.osv_base, &urls.osv),
        (&mut e.osv_api, &urls.osv_api),
        (&mut e.crates_index, &urls.crates_index),
        (&mut e.github_api, &urls.github_api),
    ];
    for (slot, set) in pairs {
        if let Some(url) = set {
            slot.clone_from(url);
        }
    }
    e.from_env()
}
