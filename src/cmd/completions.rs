//! `jixiao completions SHELL`: shell completion script on stdout.

use clap::CommandFactory;

use crate::error::Result;

/// Print a shell completion script.
///
/// Print a completion script for bash, zsh, fish, elvish or powershell, e.g.
/// `jixiao completions bash > /etc/bash_completion.d/jixiao`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The shell
    pub shell: clap_complete::Shell,
}

pub fn run(a: Args) -> Result<()> {
    let mut cmd = super::Cli::command();
    // Made whole first: clap_complete panics on a write error.
    let mut script = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "jixiao", &mut script);
    super::print_out(script)
}
