//! `cargo-secgate`: the same gate as `secgate`, run by cargo as `cargo secgate ...`.
fn main() -> std::process::ExitCode {
    cargo_secgate::main()
}
