//! Published forms of other provinces (tests/realworld: 项目支出绩效自评表, 部门整体支出绩效自评表
//! and 评价指标 tables as their web pages render them, each with its source address in
//! sources.csv) against the facts read off them by eye (facts.csv). Files 01-26 were collected
//! before the form recognisers were written, 27-42 later as a held-out set by someone who never
//! ran jixiao; README lists every fact still missed and why.
//!
//! Issue 17 asks for 90% of these facts. The test holds that share and, above it, the figure
//! last measured (tests/realworld/README.md) as a floor: a change that loses real-world facts
//! fails here. Raise MEASURED when the extractor improves.

mod common;

use common::facts::measure_corpus;
use common::*;

/// Facts found when the floor was last raised (of 635).
const MEASURED: usize = 574;

#[test]
fn realworld_forms_keep_the_facts_last_measured() {
    let (ok, total) = measure_corpus(&repo().join("tests/realworld"), "real-world facts");
    let share = ok as f64 / total as f64;
    assert!(total >= 300, "too few facts: {total}");
    assert!(
        share >= 0.90,
        "{ok} of {total} facts found ({:.1}%), below issue 17's 90%",
        share * 100.0
    );
    assert!(
        ok >= MEASURED,
        "{ok} facts found, fewer than the {MEASURED} last measured"
    );
}
