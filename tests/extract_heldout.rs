//! Held-out sets of published forms, each collected and read by eye by someone who never ran
//! jixiao, and measured before any rule was written for them: how the extractor does on forms
//! nobody tuned it to. tests/realworld2 (files 43-54): 55 of 127 before any work;
//! tests/realworld3 (files 55-62): 33 of 72 before any work (their READMEs). Rules written since
//! are general, each with its own unit test; each floor is the figure last measured, so a change
//! that loses these facts fails here.

mod common;

use common::facts::measure_corpus;
use common::*;

/// Read a held-out set and hold it to the facts last measured (and to enough facts to mean it).
fn keeps_its_floor(folder: &str, label: &str, min_facts: usize, measured: usize) {
    let (ok, total) = measure_corpus(&repo().join(folder), label);
    assert!(total >= min_facts, "too few facts in {folder}: {total}");
    assert!(
        ok >= measured,
        "{folder}: {ok} facts found, fewer than the {measured} last measured"
    );
}

#[test]
fn second_heldout_set_keeps_the_facts_last_measured() {
    // Of 127; 55 before any work on them.
    keeps_its_floor("tests/realworld2", "held-out set 2", 100, 97);
}

#[test]
fn third_heldout_set_keeps_the_facts_last_measured() {
    // Of 72; 33 before any work on them.
    keeps_its_floor("tests/realworld3", "held-out set 3", 60, 55);
}
