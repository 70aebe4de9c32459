//! `secgate`: the supply-chain gate for CI.
fn main() -> std::process::ExitCode {
    cargo_secgate::main()
}
