//! Every rule on fake credentials assembled at test time: found at the secret's line and
//! column with the right code and rule id, masked everywhere; and the look-alikes that must not
//! be reported.

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{ALNUM, BASE64, Fakes, assert_masked, scan, summary, tree};
use hmac::{Hmac, Mac};
use secgate_core::Code;
use secgate_secrets::{fingerprint, mask};
use sha2::Sha256;

const UPPER_DIGITS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// An HS256 JWT signed with `key`.
fn jwt(key: &str) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(br#"{"sub":"1234567890","name":"ci"}"#);
    let input = format!("{header}.{payload}");
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(input.as_bytes());
    let sig = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{input}.{sig}")
}

/// A line of the scanned file: its text, the secret on it (empty for none), code and rule id.
type Line = (String, String, Code, &'static str);

/// One fake of every rule, cloud credentials first, in file order.
fn fakes() -> Vec<Line> {
    let mut f = Fakes::new(0x5ec9_a7e5);
    let mut out = cloud_fakes(&mut f);
    out.extend(token_fakes(&mut f));
    out
}

/// AWS, Google and Azure credentials.
fn cloud_fakes(f: &mut Fakes) -> Vec<Line> {
    let mut out = Vec::new();
    let mut add = |line: String, secret: String, code, id| out.push((line, secret, code, id));
    let aws_id = format!("AKIA{}", f.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16));
    add(
        format!("aws_access_key_id = {aws_id}"),
        aws_id,
        Code::CloudCredential,
        "aws-access-key-id",
    );
    let aws_secret = format!("A1b{}", f.chars(BASE64, 37));
    add(
        format!("aws_secret_access_key = {aws_secret}"),
        aws_secret,
        Code::CloudCredential,
        "aws-secret-access-key",
    );
    let google = format!("AIza{}", f.chars(&format!("{ALNUM}_-"), 35));
    add(
        format!("GOOGLE_MAPS: \"{google}\""),
        google,
        Code::CloudCredential,
        "google-api-key",
    );
    let azure = format!("{}==", f.chars(BASE64, 86));
    add(
        format!(
            "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={azure};EndpointSuffix=core.windows.net"
        ),
        azure,
        Code::CloudCredential,
        "azure-storage-key",
    );
    out
}

/// Service tokens, a generic password and a JWT signing key with its JWT.
fn token_fakes(f: &mut Fakes) -> Vec<Line> {
    let mut out = Vec::new();
    let mut add = |line: String, secret: String, code, id| out.push((line, secret, code, id));
    let ghp = f.crc_token("ghp_");
    add(
        format!("github: {ghp}"),
        ghp,
        Code::ApiToken,
        "github-token",
    );
    let pat = format!("github_pat_{}_{}", f.alnum(22), f.alnum(59));
    add(
        format!("pat = \"{pat}\""),
        pat,
        Code::ApiToken,
        "github-token",
    );
    let npm = f.crc_token("npm_");
    add(
        format!("//registry.npmjs.org/:_authToken={npm}"),
        npm,
        Code::ApiToken,
        "npm-token",
    );
    let gitlab = format!("glpat-{}", f.alnum(20));
    add(
        format!("GITLAB_TOKEN={gitlab}"),
        gitlab,
        Code::ApiToken,
        "gitlab-token",
    );
    let slack = format!(
        "xoxb-{}-{}-{}",
        f.chars("0123456789", 12),
        f.chars("0123456789", 13),
        f.alnum(24)
    );
    add(
        format!("slack_bot = \"{slack}\""),
        slack,
        Code::ApiToken,
        "slack-token",
    );
    let hook = format!(
        "https://hooks.slack.com/services/T{}/B{}/{}",
        f.chars(UPPER_DIGITS, 8),
        f.chars(UPPER_DIGITS, 10),
        f.alnum(24)
    );
    add(
        format!("webhook: {hook}"),
        hook,
        Code::ApiToken,
        "slack-webhook",
    );
    let stripe = format!("sk_live_{}", f.alnum(24));
    add(
        format!("stripe = '{stripe}'"),
        stripe,
        Code::ApiToken,
        "stripe-secret-key",
    );
    let pypi = format!("pypi-AgEIcHlwaS5vcmc{}", f.chars(&format!("{ALNUM}_-"), 60));
    add(
        format!("    password: {pypi}"),
        pypi,
        Code::ApiToken,
        "pypi-token",
    );
    let password = f.chars(&format!("{ALNUM}!#%&*"), 20);
    add(
        format!("db_password = \"{password}\""),
        password,
        Code::GenericSecret,
        "generic-secret",
    );
    let key = f.alnum(24);
    add(
        format!("const jwtKey = \"{key}\";"),
        key.clone(),
        Code::ApiToken,
        "jwt-with-secret",
    );
    out.push((
        format!("const session = \"{}\";", jwt(&key)),
        String::new(),
        Code::ApiToken,
        "",
    ));
    out
}

#[test]
fn every_rule_finds_its_fake_at_the_right_line_and_column_masked() {
    let fakes = fakes();
    let text: String = fakes.iter().map(|(line, ..)| line.clone() + "\n").collect();
    let dir = tree(&[("deploy/app.env", &text)]);
    let scan = scan(dir.path());
    let expected: Vec<String> = fakes
        .iter()
        .enumerate()
        .filter(|(_, (_, secret, ..))| !secret.is_empty())
        .map(|(i, (line, secret, code, id))| {
            let column = line.find(secret.as_str()).expect("secret is on its line") + 1;
            format!("deploy/app.env:{}:{column} {code} {id}", i + 1)
        })
        .collect();
    assert_eq!(summary(&scan.findings), expected);
    assert_eq!(scan.files, 1);
    for ((_, secret, ..), finding) in fakes.iter().filter(|f| !f.1.is_empty()).zip(&scan.findings) {
        assert_masked(&scan.findings, secret);
        assert!(
            finding.message.contains(&mask(secret)),
            "{}",
            finding.message
        );
        assert!(
            finding.message.contains(&fingerprint(secret)),
            "{}",
            finding.message
        );
        assert!(finding.location.span.is_none());
        assert_eq!(finding.level, finding.code.default_level());
        assert!(finding.fix.is_some());
    }
    let jwt_line = fakes.len();
    let jwt_finding = scan.findings.last().expect("the JWT key is found");
    assert!(
        jwt_finding
            .message
            .contains(&format!("JWT on line {jwt_line}")),
        "{}",
        jwt_finding.message
    );
}

#[test]
fn look_alikes_are_not_reported() {
    let mut f = Fakes::new(7);
    let good = f.crc_token("ghp_");
    let last = good.chars().last().expect("non-empty");
    let bad_checksum = format!("{}{}", &good[..39], if last == 'a' { 'b' } else { 'a' });
    let bad_npm = format!("npm_{}", f.alnum(36));
    let high_entropy = f.chars(&format!("{ALNUM}!#%&*"), 20);
    let aws_example = ["AKIA", "IOSFODNN7", "EXAMPLE"].concat();
    let lone_jwt = jwt(&f.alnum(24));
    let dir = tree(&[
        (
            "docs/keys.md",
            "Paste the `-----BEGIN RSA PRIVATE KEY-----` block into the CI secret.\n\nThen save it.\n",
        ),
        (
            "docs/aws.md",
            &format!("aws_access_key_id = {aws_example}\n"),
        ),
        (
            "src/gh.txt",
            &format!("token: {bad_checksum}\nnpm: {bad_npm}\n"),
        ),
        (
            "config/low.env",
            "password = \"abababababababab\"\nsecret: aaaaaaaaaaaaaaaaaaaa\n",
        ),
        (
            "config/placeholders.env",
            "password = \"${DB_PASSWORD}\"\napi_key: <your-api-key-goes-here>\nTOKEN=$GITHUB_TOKEN\nsecret = \"{{ vault_secret_value }}\"\nclient_secret = process.env.CLIENT_SECRET\npassword = \"changeme-Zq8r2mK9\"\n",
        ),
        (
            "tests/fixtures/app.env",
            &format!("password = \"{high_entropy}\"\n"),
        ),
        (
            "web/login.test.ts",
            &format!("const password = \"{high_entropy}\";\n"),
        ),
        (
            "src/session.js",
            &format!("const token = \"{lone_jwt}\";\n"),
        ),
    ]);
    let scan = scan(dir.path());
    assert_eq!(summary(&scan.findings), Vec::<String>::new());
    assert_eq!(scan.files, 8);
    // The same password outside a test fixture is reported: the path alone made the difference.
    let dir = tree(&[(
        "config/app.env",
        &format!("password = \"{high_entropy}\"\n"),
    )]);
    assert_eq!(
        summary(&common::scan(dir.path()).findings),
        ["config/app.env:1:13 generic-secret generic-secret"]
    );
}

#[test]
fn entropy_threshold_is_an_option() {
    let dir = tree(&[("app.env", "password = \"Summer2024Summer\"\n")]);
    let strict = secgate_secrets::scan_tree(dir.path(), &common::opts(), &[]).expect("runs");
    assert!(strict.findings.is_empty());
    let opts = secgate_secrets::ScanOptions {
        entropy_threshold: 2.5,
        ..common::opts()
    };
    let lax = secgate_secrets::scan_tree(dir.path(), &opts, &[]).expect("runs");
    assert_eq!(
        summary(&lax.findings),
        ["app.env:1:13 generic-secret generic-secret"]
    );
}
