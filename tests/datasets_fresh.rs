//! The committed datasets are what the documented commands make today
//! (scripts/regenerate_datasets.sh): re-running gives byte-identical files.

mod common;

use std::process::Command;

use common::*;

fn same_files(committed: &std::path::Path, fresh: &std::path::Path) {
    let mut names: Vec<_> = std::fs::read_dir(fresh)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert!(!names.is_empty());
    for n in names {
        let a = std::fs::read(committed.join(&n)).unwrap_or_else(|_| {
            panic!(
                "{} is missing from {}: run scripts/regenerate_datasets.sh",
                n.to_string_lossy(),
                committed.display()
            )
        });
        let b = std::fs::read(fresh.join(&n)).unwrap();
        assert!(
            a == b,
            "{} in {} is stale: run scripts/regenerate_datasets.sh",
            n.to_string_lossy(),
            committed.display()
        );
    }
}

#[test]
fn extracted_dataset_is_fresh() {
    let out = tmpdir("fresh-extract");
    let st = Command::new(bin())
        .current_dir(repo())
        .args([
            "extract",
            "datasets/reports",
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ])
        .status()
        .unwrap();
    assert!(st.success());
    same_files(&repo().join("datasets/extracted"), &out);
}

#[test]
fn synthetic_dataset_is_fresh_and_deterministic() {
    let out = tmpdir("fresh-synth");
    let st = Command::new(bin())
        .current_dir(repo())
        .args(["synth", "--out", out.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(st.success());
    same_files(&repo().join("datasets/synthetic"), &out);
}
