//! The secgate command line: argument parsing, one module per subcommand, and the wiring from
//! inventory to checkers to policy to report. No domain logic lives here.

mod action_tags;
mod audit;
mod check;
mod cli;
mod databases;
mod db;
mod endpoints;
mod exit;
mod explain;
mod fail;
mod init;
mod license_graph;
mod licenses;
mod listing;
mod osv_api;
mod output;
mod parallel;
mod pins;
mod project;
mod sbom;
mod secrets;
mod signatures;
mod verify;
mod yanked;

use clap::Parser;
use std::process::ExitCode;

pub use exit::{EXIT_DENIED, EXIT_ERROR, EXIT_OK};

/// Entry point shared by the `secgate` and `cargo-secgate` binaries.
pub fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse_from(cli::args()) {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout with success, usage errors to stderr.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_ERROR } else { EXIT_OK });
        }
    };
    let color = cli.global.color_stderr();
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            fail::print(&err, color);
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn run(cli: &cli::Cli) -> anyhow::Result<u8> {
    match &cli.command {
        cli::Command::Check(args) => check::run(&cli.global, args),
        cli::Command::Init(args) => init::run(&cli.global, args),
        cli::Command::Secrets(args) => secrets::run(&cli.global, args),
        cli::Command::Audit(args) => audit::run(&cli.global, args),
        cli::Command::Pins(args) => pins::run(&cli.global, args),
        cli::Command::Licenses(args) => licenses::run(&cli.global, args),
        cli::Command::Verify(args) => verify::run(&cli.global, args),
        cli::Command::Sbom(args) => sbom::run(&cli.global, args),
        cli::Command::Explain(args) => explain::run(&cli.global, args),
        cli::Command::Db(args) => db::run(&cli.global, args),
    }
}
