#!/usr/bin/env bash
# The action's install step: make `secgate` available to the next steps.
#
# - binary: download INPUT_BINARY_URL, check its sha256 against INPUT_BINARY_SHA256 before it is
#   ever executed, then (with INPUT_BUNDLE_URL) its Sigstore bundle with `secgate verify
#   artifact`; only then is it installed.
# - cargo: `cargo install --locked` of this action's own source (GITHUB_ACTION_PATH).
# - false: use the secgate already on PATH.
# - auto: binary when INPUT_BINARY_URL is set, else the secgate on PATH when it is this
#   action's version, else cargo.
# The install directory is added to GITHUB_PATH, as the runner expects.
set -euo pipefail

# Whether a program is on PATH (prints nothing).
have() {
  [ -n "$(type -P "$1")" ]
}

die() {
  echo "::error title=secgate install::$*" >&2
  exit 1
}

: "${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}"
: "${RUNNER_TEMP:?RUNNER_TEMP is not set}"
: "${GITHUB_PATH:?GITHUB_PATH is not set}"
mode=${INPUT_INSTALL:-auto}
root="$RUNNER_TEMP/secgate"

# The version of secgate this action's ref builds: the workspace version in its Cargo.toml.
wanted_version() {
  sed -n 's/^version = "\([^"]*\)".*/\1/p' "$GITHUB_ACTION_PATH/Cargo.toml" | head -n 1
}

sha256_of() {
  if have sha256sum; then
    sha256sum "$1" | cut -d ' ' -f 1
  else
    shasum -a 256 "$1" | cut -d ' ' -f 1
  fi
}

download() {
  curl --fail --silent --show-error --location --retry 3 --proto '=https,http' \
    --output "$2" "$1"
}

install_binary() {
  [ -n "${INPUT_BINARY_URL:-}" ] || die "install: binary needs binary-url"
  local expected
  expected=$(printf '%s' "${INPUT_BINARY_SHA256:-}" | tr '[:upper:]' '[:lower:]')
  [[ "$expected" =~ ^[0-9a-f]{64}$ ]] ||
    die "binary-sha256 must be the 64 hex digits of the binary's sha256, got '${INPUT_BINARY_SHA256:-}'"
  local staging
  staging=$(mktemp -d "$RUNNER_TEMP/secgate-download.XXXXXX")
  download "$INPUT_BINARY_URL" "$staging/secgate" || die "cannot download $INPUT_BINARY_URL"
  local actual
  actual=$(sha256_of "$staging/secgate")
  if [ "$actual" != "$expected" ]; then
    rm -rf "$staging"
    die "sha256 mismatch for $INPUT_BINARY_URL: expected $expected, got $actual; the binary was not run"
  fi
  chmod +x "$staging/secgate"
  if [ -n "${INPUT_BUNDLE_URL:-}" ]; then
    [ -n "${INPUT_CERTIFICATE_IDENTITY:-}" ] && [ -n "${INPUT_CERTIFICATE_OIDC_ISSUER:-}" ] ||
      die "bundle-url needs certificate-identity and certificate-oidc-issuer"
    download "$INPUT_BUNDLE_URL" "$staging/secgate.sigstore.json" ||
      die "cannot download $INPUT_BUNDLE_URL"
    "$staging/secgate" verify artifact "$staging/secgate" \
      --bundle "$staging/secgate.sigstore.json" \
      --certificate-identity "$INPUT_CERTIFICATE_IDENTITY" \
      --certificate-oidc-issuer "$INPUT_CERTIFICATE_OIDC_ISSUER" ||
      die "the Sigstore bundle does not verify the downloaded binary"
  fi
  mkdir -p "$root/bin"
  mv "$staging/secgate" "$root/bin/secgate"
  rm -rf "$staging"
  # `cargo secgate` finds the same binary under its cargo subcommand name.
  ln -sf secgate "$root/bin/cargo-secgate"
  echo "$root/bin" >>"$GITHUB_PATH"
  echo "secgate: installed $("$root/bin/secgate" --version) from $INPUT_BINARY_URL (sha256 $actual)"
}

install_cargo() {
  have cargo || die "install: cargo needs a Rust toolchain on the runner"
  cargo install --locked --path "$GITHUB_ACTION_PATH" --root "$root"
  echo "$root/bin" >>"$GITHUB_PATH"
  echo "secgate: installed $("$root/bin/secgate" --version) from $GITHUB_ACTION_PATH"
}

# Whether the secgate on PATH reports the version this action builds.
on_path_at_wanted_version() {
  have secgate || return 1
  local have
  have=$(secgate --version 2>&1) || return 1
  [ "$have" = "secgate $(wanted_version)" ]
}

case "$mode" in
  binary) install_binary ;;
  cargo) install_cargo ;;
  false | none)
    have secgate || die "install: false, but secgate is not on PATH"
    echo "secgate: using $(secgate --version) from PATH"
    ;;
  auto)
    if [ -n "${INPUT_BINARY_URL:-}" ]; then
      install_binary
    elif on_path_at_wanted_version; then
      echo "secgate: $(secgate --version) already on PATH"
    else
      install_cargo
    fi
    ;;
  *) die "install must be auto, cargo, binary or false, got '$mode'" ;;
esac
