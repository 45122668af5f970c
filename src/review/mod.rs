//! `review`: which self-evaluations (自评) a finance bureau (财政局) should re-check first
//! (自评抽查复核), and why. `target` reads 年度指标值 against 实际完成值.

pub mod target;
