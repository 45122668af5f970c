//! Excel in and out: import score sheets into the contract (calamine), export datasets and
//! benchmark tables as formatted workbooks (rust_xlsxwriter).

pub mod evaluator;
pub mod export;
pub mod headers;
pub mod import;
pub mod write;
