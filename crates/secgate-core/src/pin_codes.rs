//! The explanations of the pinning gate's codes, kept apart from `code.rs` so neither grows long.

use crate::Code;

/// What a pinning code means and how to fix or ignore it.
pub(crate) fn explanation(code: Code) -> &'static str {
    match code {
        Code::LockfileMissing => {
            "A Cargo workspace or an npm package has a manifest (`Cargo.toml`, `package.json`) but \
             no lockfile next to it or above it. Without a committed lockfile every build resolves \
             dependencies afresh, so a newly published (or compromised) version gets in unseen, and \
             nothing here can audit what is actually built.\n\n\
             Fix: commit the lockfile (`cargo generate-lockfile`, `npm install \
             --package-lock-only`, `pnpm install --lockfile-only`, `yarn install`). To accept a \
             library without one, add `[pins] ignore = [{ path = \"Cargo.toml\", code = \
             \"lockfile-missing\", reason = \"...\" }]`."
        }
        Code::LockfileStale => {
            "`Cargo.lock` does not satisfy the manifests: a dependency's version requirement is \
             not met by the locked version, a dependency or workspace member is missing from the \
             lock, or a member's version changed. `cargo build --locked` fails on it, and a plain \
             `cargo build` silently rewrites the lock with versions nobody reviewed.\n\n\
             Fix: run `cargo update -w` (or `cargo generate-lockfile`), review the diff, and \
             commit the lockfile. secgate confirms with `cargo metadata --locked` when cargo is \
             installed."
        }
        Code::GitUnpinned => {
            "A git dependency follows a branch or tag instead of a commit (`git = \"...\"` without \
             `rev`), or a locked git source records no commit. Branches and tags move: the code \
             you build can change without any change in your repository.\n\n\
             Fix: add `rev = \"<full commit sha>\"` to the dependency (and keep the branch in a \
             comment), or depend on a published release."
        }
        Code::VersionWildcard => {
            "A dependency of a published crate has the requirement `*` (or `1.*`): any future \
             version satisfies it, including incompatible or malicious ones, and crates.io \
             refuses to publish such a manifest.\n\n\
             Fix: write the lowest version you support (`serde = \"1.0.200\"`). Crates with \
             `publish = false` are not checked."
        }
        Code::ActionUnpinned => {
            "A workflow step or job `uses:` an action or reusable workflow by tag or branch \
             (`actions/checkout@v4`). Tags and branches can be moved by whoever controls the \
             action's repository, so a compromised action runs in your CI with your secrets. \
             Only a full 40-hex commit SHA is immutable (OpenSSF Scorecard, zizmor).\n\n\
             Fix: pin to the commit and keep the version in a comment: `uses: \
             actions/checkout@<40-hex sha> # v4.2.2` (Dependabot and Renovate update both). Local \
             actions (`./...`) and `docker://...@sha256:` are fine. To trust an owner's tags, \
             set `[pins] allow-tags = [\"actions/*\"]`."
        }
        Code::ActionTagMismatch => {
            "An action is pinned to a commit SHA with a trailing version comment (`@<sha> # \
             v4.2.2`), but the comment is not a version, or (online) the tag it names points to \
             a different commit. Reviewers trust the comment, so a wrong one hides what really \
             runs.\n\n\
             Fix: set the comment to the tag the SHA belongs to, or the SHA to the tag's commit \
             (`git ls-remote https://github.com/OWNER/REPO refs/tags/TAG`). Online checks use the \
             GitHub API (`GITHUB_TOKEN` raises its rate limit)."
        }
        Code::ImageUnpinned => {
            "A Dockerfile `FROM` names an image by tag only (`rust:1.80`). Tags are mutable: the \
             image you build on can change, or be replaced by a malicious one, between two \
             builds.\n\n\
             Fix: pin the digest and keep the tag for readers: `FROM \
             rust:1.80@sha256:<digest>` (`docker buildx imagetools inspect rust:1.80` shows it). \
             Stage aliases and `scratch` need no digest."
        }
        Code::RequirementUnpinned => {
            "A line of a pip requirements file does not pin one exact version: a bare name, \
             `>=`, `~=`, `<`, a wildcard `==1.*`, or an editable/VCS requirement without a commit. \
             Each install may then get a different version.\n\n\
             Fix: pin with `==` (pip-compile or `uv pip compile` write the whole set, with \
             `--generate-hashes` for hashes); a VCS requirement needs `@<commit sha>`."
        }
        Code::HashMissing => {
            "A pinned package carries no integrity hash: a requirements line without `--hash` \
             when the policy asks for hashes (`[pins] python = \"exact-with-hashes\"`), or a \
             `package-lock.json` entry without `integrity`. Without a hash a tampered download \
             installs silently.\n\n\
             Fix: regenerate with hashes (`pip-compile --generate-hashes`, `uv pip compile \
             --generate-hashes`; `npm install --package-lock-only` refills `integrity`)."
        }
        Code::InstallUnlocked => {
            "A CI step or script installs packages without the lockfile: `cargo install` without \
             `--locked`, `npm install` / `npm i` instead of `npm ci`, or `pip install NAME` \
             without an exact `==` version. What gets installed then changes from run to run.\n\n\
             Fix: `cargo install --locked NAME@VERSION`, `npm ci`, `pip install NAME==VERSION` \
             (or `pip install -r requirements.txt` with pinned, hashed requirements)."
        }
        Code::CurlPipeShell => {
            "A script is downloaded and executed in one step (`curl ... | sh`, `wget -O- | \
             bash`). Whatever the server returns at that moment runs, with no pin and no \
             checksum, and a truncated download runs half a script.\n\n\
             Fix: download to a file, check it against a pinned sha256 (`sha256sum -c`), then run \
             it; or install from a package manager with a locked version."
        }
        _ => unreachable!("only called for pinning codes"),
    }
}
