//! Word and PDF reports as they arrive: the hazard fixtures (tests/fixtures/hazards, made by
//! scripts/make_report_fixtures.sh) give the facts checked by eye in expected.csv, files that
//! cannot be read are refused with their reason, and mutated PDF and Word bytes never take the
//! extractor down (set JIXIAO_FUZZ_ITERS for a long session).

mod common;

use common::facts::{check, read_facts};
use common::*;
use jixiao::extract;

fn run(dir: &std::path::Path) -> extract::Extracted {
    let files = extract::collect_inputs(&[dir.to_path_buf()]).unwrap();
    extract::extract_files(&files, &|| {})
}

#[test]
fn hazards_give_their_facts() {
    let dir = repo().join("tests/fixtures/hazards");
    let ex = run(&dir);
    let facts = read_facts(&dir.join("expected.csv"));
    // Every fixture is in the manifest, each with the reader that read it.
    let files: std::collections::BTreeSet<&str> = facts.iter().map(|f| f.file.as_str()).collect();
    for f in &files {
        assert!(
            ex.manifest.iter().any(|m| m.file.ends_with(f)),
            "{f} not in the manifest"
        );
    }
    let (ok, misses) = check(&ex, &facts);
    eprintln!("hazard facts: {ok}/{}", facts.len());
    for m in &misses {
        eprintln!("  miss: {m}");
    }
    assert!(facts.len() > 150, "too few facts: {}", facts.len());
    assert!(
        misses.is_empty(),
        "{} facts missed: {misses:#?}",
        misses.len()
    );
}

#[test]
fn each_refusal_names_its_reason() {
    let ex = run(&repo().join("tests/fixtures/hazards"));
    let of = |f: &str| {
        ex.manifest
            .iter()
            .find(|m| m.file.ends_with(f))
            .unwrap_or_else(|| panic!("{f}"))
    };
    for (file, reason) in [
        ("scanned.pdf", "no text layer (scanned)"),
        ("encrypted.pdf", "encrypted"),
        ("truncated.pdf", "truncated or damaged"),
        ("truncated.docx", "truncated or damaged"),
        ("not_a_pdf.pdf", "not a PDF"),
    ] {
        let m = of(file);
        assert_eq!(m.status, "unreadable", "{file}");
        assert!(m.note.contains(reason), "{file}: {}", m.note);
        assert_eq!(m.evaluations, 0);
    }
    // The PDFs read say so, with their pages and tables.
    let m = of("page_break_table.pdf");
    assert_eq!(m.reader, "pdf");
    assert!(m.pages.unwrap_or(0) >= 2, "{m:?}");
    assert!(m.tables >= 2, "{m:?}");
    assert_eq!(of("merged_cells.docx").reader, "docx");
}

#[test]
fn non_embedded_chinese_font_comes_out_exactly() {
    let dir = tmpdir("stsong-layer");
    let f = repo().join("tests/fixtures/hazards/stsong.pdf");
    extract::output::write_text_layers(&[f], &dir).unwrap();
    let text = std::fs::read_to_string(dir.join("stsong.pdf.layer.txt")).unwrap();
    for want in [
        "项目支出绩效自评表",
        "2021年度老旧小区完善类改造项目",
        "改善老旧小区上下水、室内线缆管槽，楼外线缆梳理、环境整治",
        "服务对象满意度指标",
        "949.821024",
    ] {
        assert!(text.contains(want), "{want} not in:\n{text}");
    }
    // Table rows come out as rows, each line with its page and line.
    assert!(text.contains("stsong.pdf:p1:"));
    assert!(text
        .lines()
        .any(|l| l.ends_with("\t投诉率\t≤5%\t≤5%\t10\t9\t")
            || l.contains("\t投诉率\t≤5%\t≤5%\t10\t9")));
}

#[test]
fn formats_not_read_are_listed_with_how_to_convert() {
    let dir = tmpdir("unsupported");
    // An old binary Word file, one renamed .docx, a WPS file, and a note that is not a report.
    let ole = [0xD0u8, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0];
    std::fs::write(dir.join("old.doc"), ole).unwrap();
    std::fs::write(dir.join("renamed.docx"), ole).unwrap();
    std::fs::write(dir.join("report.wps"), b"anything").unwrap();
    std::fs::write(dir.join("README.md"), b"notes").unwrap();
    let ex = run(&dir);
    assert_eq!(ex.manifest.len(), 3, "{:?}", ex.manifest);
    for m in &ex.manifest {
        assert_eq!(m.status, "unsupported", "{m:?}");
        assert!(m.note.contains(".docx"), "{m:?}");
    }
}

fn fuzz_iters() -> u64 {
    std::env::var("JIXIAO_FUZZ_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40)
}

/// A small deterministic generator (no dependency needed for mutation).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() as usize) % n.max(1)
    }
}

fn mutate(bytes: &[u8], rng: &mut Lcg) -> Vec<u8> {
    let mut b = bytes.to_vec();
    match rng.below(5) {
        0 => b.truncate(rng.below(b.len())),
        1 => {
            for _ in 0..1 + rng.below(16) {
                let k = rng.below(b.len());
                b[k] = rng.next() as u8;
            }
        }
        2 => {
            let k = rng.below(b.len());
            let n = rng.below(4096).min(b.len() - k);
            b.drain(k..k + n);
        }
        3 => {
            let k = rng.below(b.len());
            let chunk: Vec<u8> = b[rng.below(b.len())..].iter().take(512).copied().collect();
            b.splice(k..k, chunk);
        }
        _ => {
            // Flip bytes inside the (compressed) content: most damage lands in streams.
            let from = b.len() / 4;
            for _ in 0..1 + rng.below(64) {
                let k = from + rng.below(b.len() - from);
                b[k] ^= 1 << rng.below(8);
            }
        }
    }
    b
}

#[test]
fn mutated_pdf_and_word_files_never_take_the_extractor_down() {
    let seeds = [
        "tests/fixtures/hazards/wrapped_cell.pdf",
        "tests/fixtures/hazards/stsong.pdf",
        "tests/fixtures/hazards/merged_cells.docx",
        "tests/fixtures/reports/pdf-type0/003_42ea0c3de7c87117.pdf",
    ];
    let dir = tmpdir("fuzz-formats");
    let mut rng = Lcg(20261201);
    let mut paths = Vec::new();
    for i in 0..fuzz_iters() {
        for s in seeds {
            let src = std::fs::read(repo().join(s)).unwrap();
            let ext = s.rsplit('.').next().unwrap();
            let p = dir.join(format!("m{i:05}_{}.{ext}", paths.len()));
            std::fs::write(&p, mutate(&src, &mut rng)).unwrap();
            paths.push(p);
        }
    }
    let ex = extract::extract_files(&paths, &|| {});
    assert_eq!(ex.manifest.len(), paths.len(), "every file accounted for");
    for m in &ex.manifest {
        assert!(
            ["extracted", "partial", "nothing found", "unreadable"].contains(&m.status),
            "{m:?}"
        );
        if m.status == "unreadable" {
            assert!(!m.note.is_empty(), "{m:?}");
        }
    }
}

/// The main job's own Word and PDF reports (datasets/reports: two published forms of other
/// provinces laid out as Word tables, sources in SOURCES.md) give the facts read off their pages,
/// and the manifest names the reader, pages and tables of each.
#[test]
fn word_and_pdf_reports_of_the_main_job_give_their_facts() {
    let dir = repo().join("datasets/reports");
    let ex = run(&dir);
    let facts = read_facts(&repo().join("tests/fixtures/dataset_reports.csv"));
    let (ok, misses) = check(&ex, &facts);
    eprintln!("dataset report facts: {ok}/{}", facts.len());
    assert!(facts.len() >= 40, "too few facts: {}", facts.len());
    assert!(misses.is_empty(), "{misses:#?}");
    let docx = ex
        .manifest
        .iter()
        .find(|m| m.file.ends_with(".docx"))
        .unwrap();
    assert_eq!((docx.reader, docx.tables), ("docx", 1));
    let pdf = ex
        .manifest
        .iter()
        .find(|m| m.file.ends_with(".pdf"))
        .unwrap();
    assert_eq!((pdf.reader, pdf.pages, pdf.tables), ("pdf", Some(1), 1));
    // The 其中… sub-rows are set aside with their line, not glued to the indicator's name.
    let sub = ex
        .audit
        .iter()
        .filter(|a| a.check == "blank_points" && a.message.contains("其中"))
        .count();
    assert_eq!(sub, 7);
}
