//! The jixiao binary: parse arguments, dispatch, map errors to exit codes. Nothing else.

use clap::Parser;
use jixiao::cmd::{Cli, Command};
use jixiao::error::exit;

fn main() {
    let cli = Cli::parse();
    jixiao::cmd::set_ui(jixiao::cmd::Ui {
        quiet: cli.quiet,
        verbose: cli.verbose,
        json: cli.json,
    });
    if let Err(e) = jixiao::config::Config::init(cli.config.as_deref()) {
        eprintln!("error: {e}");
        std::process::exit(e.code);
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
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(e.code);
        }
    }
}
