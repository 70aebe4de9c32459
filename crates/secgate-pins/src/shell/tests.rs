//! Unit tests of the shell rules: each rule in its failing and passing forms.

use super::*;

/// (code, flagged text) of every hit.
fn hits(script: &str) -> Vec<(Code, &str)> {
    scan(script)
        .into_iter()
        .map(|h| (h.code, &script[h.span]))
        .collect()
}

const P: Code = Code::CurlPipeShell;
const I: Code = Code::InstallUnlocked;

#[test]
fn curl_piped_into_a_shell() {
    assert_eq!(
        hits("curl -fsSL https://x.invalid/i.sh | sh"),
        [(P, "curl -fsSL https://x.invalid/i.sh | sh")]
    );
    assert_eq!(
        hits("wget -qO- https://x | sudo -E bash -"),
        [(P, "wget -qO- https://x | sudo -E bash")]
    );
    assert_eq!(
        hits("curl -L x | sudo sh -s -- -y"),
        [(P, "curl -L x | sudo sh")]
    );
    assert_eq!(
        hits("curl x | tee log | python3"),
        [(P, "curl x | tee log | python3")]
    );
    assert_eq!(hits("curl x |\n  bash"), [(P, "curl x |\n  bash")]);
    assert_eq!(hits("curl x \\\n  | zsh"), [(P, "curl x \\\n  | zsh")]);
    assert_eq!(
        hits("set -e; FOO=1 curl x | perl"),
        [(P, "FOO=1 curl x | perl")]
    );
    assert_eq!(
        hits("if curl x | sh; then echo ok; fi"),
        [(P, "curl x | sh")]
    );
    assert_eq!(
        hits("/usr/bin/curl x | /bin/sh"),
        [(P, "/usr/bin/curl x | /bin/sh")]
    );
    assert_eq!(hits("curl x | node"), [(P, "curl x | node")]);
    assert_eq!(hits("curl x | ruby"), [(P, "curl x | ruby")]);
    assert_eq!(hits("curl x | dash"), [(P, "curl x | dash")]);
    assert_eq!(hits("curl x | ksh"), [(P, "curl x | ksh")]);
    let found = scan("curl x | sh");
    assert!(found[0].message.contains("`curl`") && found[0].message.contains("`sh`"));
    assert!(found[0].fix.as_deref().unwrap().contains("sha256sum -c"));
}

#[test]
fn substituted_downloads_run_as_programs() {
    assert_eq!(
        hits("sh -c \"$(curl -fsSL https://x/install.sh)\""),
        [(P, "sh -c \"$(curl -fsSL https://x/install.sh)\"")]
    );
    assert_eq!(
        hits("bash -c \"$(wget -O- x)\""),
        [(P, "bash -c \"$(wget -O- x)\"")]
    );
    assert_eq!(hits("bash <(curl -s x)"), [(P, "bash <(curl -s x)")]);
    assert_eq!(hits("source <(curl -s x)"), [(P, "source <(curl -s x)")]);
    assert_eq!(
        hits("eval \"$(curl -s x)\""),
        [(P, "eval \"$(curl -s x)\"")]
    );
    assert_eq!(hits("sudo bash -c `curl x`"), [(P, "bash -c `curl x`")]);
    // A pipe inside a substitution is found at its own place.
    assert_eq!(hits("echo \"$(curl x | sh)\""), [(P, "curl x | sh")]);
    assert_eq!(hits("sh -c 'curl x | sh'"), [(P, "curl x | sh")]);
}

#[test]
fn downloads_used_as_data_are_fine() {
    assert_eq!(
        hits("curl -fsSL -o install.sh https://x\nsha256sum -c sums\nsh install.sh"),
        []
    );
    assert_eq!(
        hits("curl https://api/x | python3 -c 'import json,sys; print(1)'"),
        []
    );
    assert_eq!(hits("curl https://api/x | python3 -m json.tool"), []);
    assert_eq!(hits("curl x | jq .tag_name | xargs echo"), []);
    assert_eq!(hits("wget -qO - x | grep url | xargs -I{} wget {}"), []);
    assert_eq!(hits("bash script.sh \"$(curl -s api)\""), []);
    assert_eq!(hits("echo 'curl x | sh'"), []);
    assert_eq!(hits("# curl x | sh"), []);
    assert_eq!(hits("curl x > f; sh f"), []);
    assert_eq!(hits("cat <<EOF\ncurl x | sh\nEOF\necho done"), []);
    assert_eq!(hits("cat <<-'EOF' > f\n\tcurl x | sh\n\tEOF\n"), []);
    assert_eq!(hits("sh -c 'echo $(date)'"), []);
}

#[test]
fn cargo_install_needs_locked() {
    assert_eq!(
        hits("cargo install cargo-audit"),
        [(I, "cargo install cargo-audit")]
    );
    assert_eq!(
        hits("cargo +nightly install --path ."),
        [(I, "cargo +nightly install --path .")]
    );
    assert_eq!(
        hits("cargo install cross \\\n  --git https://g/c --rev 588b3c9"),
        [(
            I,
            "cargo install cross \\\n  --git https://g/c --rev 588b3c9"
        )]
    );
    let found = scan("cargo install cargo-audit");
    assert_eq!(
        found[0].fix.as_deref(),
        Some("`cargo install --locked cargo-audit`, with an exact version (`NAME@X.Y.Z`)")
    );
    assert_eq!(hits("cargo install --locked cargo-audit@0.22.2"), []);
    assert_eq!(hits("cargo install --path . --locked --force"), []);
    assert_eq!(hits("cargo install cargo-audit --frozen"), []);
    assert_eq!(hits("cargo binstall cargo-audit"), []);
    assert_eq!(hits("cargo build --release"), []);
    assert_eq!(hits("cargo install --list"), []);
}

#[test]
fn npm_install_should_be_npm_ci_or_exact() {
    assert_eq!(hits("npm install"), [(I, "npm install")]);
    assert_eq!(hits("npm i --no-audit"), [(I, "npm i --no-audit")]);
    assert_eq!(
        hits("cd web && npm install && npm test"),
        [(I, "npm install")]
    );
    assert_eq!(
        scan("npm install")[0]
            .fix
            .as_deref()
            .unwrap()
            .split(' ')
            .next(),
        Some("`npm")
    );
    assert!(
        scan("npm install")[0]
            .fix
            .as_deref()
            .unwrap()
            .starts_with("`npm ci`")
    );
    assert_eq!(
        hits("npm install -g foo @scope/bar@^1 baz@latest"),
        [(I, "foo"), (I, "@scope/bar@^1"), (I, "baz@latest")]
    );
    assert_eq!(
        hits("sudo npm add -g github:o/r#main"),
        [(I, "github:o/r#main")]
    );
    assert_eq!(
        hits("npm install -g foo@1.2.3 @scope/bar@2.0.0 ./local x.tgz"),
        []
    );
    assert_eq!(hits(&format!("npm i -g github:o/r#{}", "a".repeat(40))), []);
    assert_eq!(hits("npm i -g alias@npm:foo@1.0.0"), []);
    assert_eq!(hits("npm i -g \"$PKG\""), []);
    assert_eq!(hits("npm ci"), []);
    assert_eq!(hits("npm install --package-lock-only"), []);
    assert_eq!(hits("npm run install"), []);
    assert!(
        scan("npm i -g foo")[0]
            .fix
            .as_deref()
            .unwrap()
            .contains("`npm install foo@X.Y.Z`")
    );
}

#[test]
fn yarn_pnpm_and_bun_need_a_frozen_lockfile() {
    assert_eq!(hits("yarn install"), [(I, "yarn install")]);
    assert_eq!(hits("yarn"), [(I, "yarn")]);
    assert_eq!(hits("yarn global add serve"), [(I, "serve")]);
    assert_eq!(hits("pnpm install"), [(I, "pnpm install")]);
    assert_eq!(
        hits("pnpm i --prefer-offline"),
        [(I, "pnpm i --prefer-offline")]
    );
    assert_eq!(hits("pnpm add -g turbo"), [(I, "turbo")]);
    assert_eq!(hits("bun install"), [(I, "bun install")]);
    assert_eq!(hits("yarn install --frozen-lockfile"), []);
    assert_eq!(hits("yarn --immutable"), []);
    assert_eq!(hits("yarn build"), []);
    assert_eq!(hits("yarn --version"), []);
    assert_eq!(hits("pnpm install --frozen-lockfile"), []);
    assert_eq!(hits("pnpm add -g turbo@2.1.0"), []);
    assert_eq!(hits("bun install --frozen-lockfile"), []);
    assert_eq!(hits("pnpm run build"), []);
}

#[test]
fn pip_installs_need_exact_versions() {
    assert_eq!(hits("pip install virtualenv"), [(I, "virtualenv")]);
    assert_eq!(hits("pip install --upgrade pip"), [(I, "pip")]);
    assert_eq!(
        hits("python -m pip install -U pip setuptools==70.0.0 wheel"),
        [(I, "pip"), (I, "wheel")]
    );
    assert_eq!(
        hits("sudo pip3 install 'ansible>=2'"),
        [(I, "'ansible>=2'")]
    );
    assert_eq!(
        hits("uv pip install --system 'numpy==1.*'"),
        [(I, "'numpy==1.*'")]
    );
    assert_eq!(
        hits("pip install -e git+https://g/o/r.git@main#egg=r"),
        [(I, "git+https://g/o/r.git@main#egg=r")]
    );
    let found = scan("python3 -m pip install black");
    assert_eq!(
        found[0].message,
        "`python3 -m pip install` of `black` has no version, so whatever is newest is installed"
    );
    assert!(
        found[0]
            .fix
            .as_deref()
            .unwrap()
            .starts_with("`python3 -m pip install black==X.Y.Z`")
    );
    assert_eq!(hits("pip install -r requirements.txt"), []);
    assert_eq!(
        hits("pip install --require-hashes -r requirements/main.txt -c c.txt"),
        []
    );
    assert_eq!(hits("pip install ."), []);
    assert_eq!(hits("pip install -e '.[test]'"), []);
    assert_eq!(
        hits("pip install --no-deps dist/pkg-1.0-py3-none-any.whl"),
        []
    );
    assert_eq!(hits("pip install black==24.1.0 'ruff===0.4.0'"), []);
    assert_eq!(hits("pip install -i https://x/simple foo==1.0"), []);
    assert_eq!(hits("pip install \"torch==${TORCH}\" $EXTRA"), []);
    assert_eq!(hits("pip download foo"), []);
    assert_eq!(hits("pip-install -r requirements/deploy.txt"), []);
}

#[test]
fn gem_and_go_installs_need_versions() {
    assert_eq!(hits("gem install bundler"), [(I, "bundler")]);
    assert_eq!(hits("gem install bundler -v 2.5.0"), []);
    assert_eq!(hits("gem install bundler:2.5.0"), []);
    assert_eq!(
        hits("go install golang.org/x/tools/gopls@latest"),
        [(I, "golang.org/x/tools/gopls@latest")]
    );
    assert_eq!(hits("go install golang.org/x/tools/gopls@v0.16.1"), []);
    assert_eq!(hits("go install ./cmd/tool"), []);
}

#[test]
fn lexing_survives_odd_input() {
    for script in [
        "",
        "\\",
        "'",
        "\"",
        "$(",
        "`",
        "<(",
        "${",
        "$'",
        "cat <<",
        "a |",
        "| sh",
        "((",
        "2>",
        "curl x | $(",
        "echo \"unterminated $(curl x | sh",
        "é | ü",
        "curl é | sh ü",
    ] {
        let _ = scan(script);
    }
    assert_eq!(hits("curl x|sh"), [(P, "curl x|sh")]);
    assert_eq!(
        hits("curl x 2>/dev/null | sh"),
        [(P, "curl x 2>/dev/null | sh")]
    );
    assert_eq!(hits("(( x = 1 << 2 ))\nnpm install"), [(I, "npm install")]);
    assert_eq!(hits("x=$((1 << 2)); npm i"), [(I, "npm i")]);
    assert_eq!(hits("echo \"a\\\"b\" && npm i"), [(I, "npm i")]);
    assert_eq!(hits("curl x |& sh"), [(P, "curl x |& sh")]);
    assert_eq!(hits("curl x\r\n| sh\r\n"), []);
}
