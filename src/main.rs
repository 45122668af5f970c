//! The jixiao binary: parse arguments, dispatch, map errors to exit codes. Nothing else.

#![forbid(unsafe_code)]

use clap::Parser;
use jixiao::cmd::{Cli, Command};
use jixiao::error::{exit, JxError};

/// The exit code of each kind of error (README "Exit codes").
fn exit_code(e: &JxError) -> i32 {
    match e {
        JxError::Data { .. } => exit::DATA_ERRORS,
        JxError::Usage { .. } => exit::USAGE,
        JxError::Input { .. } => exit::BAD_INPUT,
        JxError::Output { .. } => exit::CANNOT_WRITE,
        JxError::Engine(_) | JxError::Internal { .. } => exit::INTERNAL,
        // The reader of our output went away (`jixiao sql | head`): what it wanted it has.
        JxError::BrokenPipe => exit::OK,
    }
}

fn fail(e: JxError) -> ! {
    if !matches!(e, JxError::BrokenPipe) {
        eprintln!("error: {e}");
    }
    std::process::exit(exit_code(&e));
}

fn main() {
    let cli = Cli::parse();
    if let Err(e) = jixiao::cmd::init(&cli) {
        fail(e);
    }
    let result = match cli.command {
        Command::Validate(a) => jixiao::cmd::validate::run(a),
        Command::Extract(a) => jixiao::cmd::extract::run(a),
        Command::Bench(a) => jixiao::cmd::bench::run(a),
        Command::Charts(a) => jixiao::cmd::charts::run(a),
        Command::Report(a) => jixiao::cmd::report::run(a),
        Command::Review(a) => jixiao::cmd::review::run(a),
        Command::Synth(a) => jixiao::cmd::synth::run(a),
        Command::Calibrate(a) => jixiao::cmd::calibrate::run(a),
        Command::ImportXlsx(a) => jixiao::cmd::xlsx::import(a),
        Command::ExportXlsx(a) => jixiao::cmd::xlsx::export(a),
        Command::Sql(a) => jixiao::cmd::sql::run(a),
        Command::Completions(a) => jixiao::cmd::completions::run(a),
    };
    match result {
        Ok(()) => std::process::exit(exit::OK),
        Err(e) => fail(e),
    }
}
