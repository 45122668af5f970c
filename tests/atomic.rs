//! An interrupted run (kill -9 at any moment) leaves every output either as it was before or
//! complete, never half written: outputs go to a hidden temporary file that is renamed.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::*;

fn outputs(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| !n.starts_with('.'))
        .collect();
    v.sort();
    v
}

#[test]
fn kill_minus_nine_never_leaves_half_files() {
    let d = tmpdir("atomic");
    let data = d.join("data");
    let o = jixiao::synth::SynthOptions {
        districts: 6,
        units: 20,
        years: 3,
        projects: 8,
        seed: 5,
        last_year: 2024,
    };
    jixiao::synth::generate(&data, &o).unwrap();
    let reference = d.join("ref");
    assert!(Command::new(bin())
        .args([
            "bench",
            data.to_str().unwrap(),
            "--out",
            reference.to_str().unwrap()
        ])
        .status()
        .unwrap()
        .success());
    let names = outputs(&reference);
    assert!(names.len() >= 11);

    let mut interrupted = 0;
    for (k, ms) in [2u64, 10, 25, 50, 80, 120, 170, 230, 300, 400]
        .iter()
        .enumerate()
    {
        for previous in [true, false] {
            let out = d.join(format!("out-{k}-{previous}"));
            std::fs::create_dir_all(&out).unwrap();
            if previous {
                for n in &names {
                    std::fs::copy(reference.join(n), out.join(n)).unwrap();
                }
            }
            let mut child = Command::new(bin())
                .args([
                    "bench",
                    data.to_str().unwrap(),
                    "--out",
                    out.to_str().unwrap(),
                ])
                .spawn()
                .unwrap();
            std::thread::sleep(Duration::from_millis(*ms));
            if child.try_wait().unwrap().is_none() {
                interrupted += 1;
            }
            let _ = child.kill(); // SIGKILL
            let _ = child.wait();
            for n in outputs(&out) {
                assert!(names.contains(&n), "unexpected output {n}");
                let got = std::fs::read(out.join(&n)).unwrap();
                let want = std::fs::read(reference.join(&n)).unwrap();
                assert!(got == want, "{n} is half written after kill at {ms} ms");
            }
            if previous {
                assert_eq!(
                    outputs(&out),
                    names,
                    "previous outputs lost after kill at {ms} ms"
                );
            }
        }
    }
    assert!(
        interrupted >= 4,
        "the kills must land while bench runs ({interrupted})"
    );
}
