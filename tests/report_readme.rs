//! Every example command in the README runs, as a newcomer would type it: each line of a
//! fenced `sh` block, in order, in a scratch folder holding a copy of `datasets/`, with the
//! built binary first on the PATH as `jixiao` (what `cargo install --path .` gives).
//! `cargo run --release -- ARGS` lines run as `jixiao ARGS`, the same program.
//!
//! Not run, and why:
//! - `scripts/test.sh`: it is this test suite (it would run itself);
//! - `cargo install --path .`: it installs into ~/.cargo/bin, outside the test's scratch
//!   folder; the binary under test stands in for the installed one;
//! - `cargo run --release --example …`: a separate build of an example program, not a command
//!   of jixiao (the sample it makes is committed and read by tests/excel.rs);
//! - `scripts/*` other than test.sh: maintenance scripts with their own set-up (Python, Spark).
//!
//! A `--format … pdf` example needs the headless browser; without one (and with
//! JIXIAO_SKIP_BROWSER set) its `pdf` is dropped from the line.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

/// The example lines of the README's ```sh blocks, comments removed.
fn examples(readme: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_sh = false;
    for line in readme.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            in_sh = t == "```sh";
            continue;
        }
        if !in_sh {
            continue;
        }
        let cmd = strip_comment(t).trim().to_string();
        if !cmd.is_empty() {
            out.push(cmd);
        }
    }
    out
}

/// A `#` outside quotes starts a comment.
fn strip_comment(s: &str) -> &str {
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (c, quote) {
            ('"' | '\'', None) => quote = Some(c),
            (q, Some(open)) if q == open => quote = None,
            ('#', None) if i == 0 || s[..i].ends_with(' ') => return &s[..i],
            _ => {}
        }
    }
    s
}

fn skipped(cmd: &str) -> Option<&'static str> {
    if cmd.starts_with("scripts/test.sh") {
        Some("the test suite itself")
    } else if cmd.starts_with("cargo install") {
        Some("installs into ~/.cargo/bin; the binary under test stands in")
    } else if cmd.starts_with("cargo run --release --example") {
        Some("builds an example program, not a jixiao command")
    } else if cmd.starts_with("scripts/") {
        Some("a maintenance script")
    } else {
        None
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn readme_examples_parse() {
    let ex = examples("text\n```sh\njixiao a --x 1   # comment\n\nscripts/test.sh\n```\n```toml\nk = 1 # no\n```\n```sh\njixiao report d --title \"A # B\"\n```\n");
    assert_eq!(
        ex,
        [
            "jixiao a --x 1",
            "scripts/test.sh",
            "jixiao report d --title \"A # B\""
        ]
    );
}

#[test]
fn every_readme_example_runs() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let all = examples(&readme);
    assert!(all.len() >= 8, "README examples: {all:?}");
    let scratch = tmpdir("readme-examples");
    copy_dir(&repo().join("datasets"), &scratch.join("datasets"));
    let bin_dir = Path::new(bin()).parent().unwrap().to_path_buf();
    let path = std::env::join_paths(
        std::iter::once(bin_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let has_browser = jixiao::report::pdf::browser().is_some();
    let mut ran = 0;
    for cmd in &all {
        if let Some(why) = skipped(cmd) {
            eprintln!("README example not run ({why}): {cmd}");
            continue;
        }
        let mut line = match cmd.strip_prefix("cargo run --release -- ") {
            Some(rest) => format!("jixiao {rest}"),
            None => cmd.clone(),
        };
        assert!(
            line.starts_with("jixiao "),
            "a README example that is neither jixiao nor listed as skipped: {cmd}"
        );
        if !has_browser && line.contains("pdf") {
            assert!(
                std::env::var("JIXIAO_SKIP_BROWSER").is_ok(),
                "no chromium for a pdf example: scripts/test.sh installs it"
            );
            line = line.replace(",pdf", "").replace("pdf,", "");
        }
        let out = Command::new("sh")
            .current_dir(&scratch)
            .env("PATH", &path)
            .args(["-c", &format!("{line} --quiet")])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "README example failed ({}): {cmd}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        ran += 1;
    }
    assert!(ran >= 8, "only {ran} examples ran");
    // What the report example promises is there.
    assert!(scratch.join("out/report.html").is_file());
}
