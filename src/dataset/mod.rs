//! The dataset contract (SCHEMA.md): load, type, check and write the three tables.

pub mod contract;
pub(crate) mod csv_chunks;
pub(crate) mod csv_rows;
pub mod decimal;
pub mod enrich;
pub mod findings;
pub mod grading;
pub(crate) mod keys;
pub mod load;
pub(crate) mod parquet_writer;
pub mod schema;
pub mod validate;
pub mod write;

/// The encoding a caller can force on every table read (`ReadOptions::encoding`, the CLI's
/// `--encoding`).
pub use crate::encoding::Forced as Encoding;
pub use findings::{Finding, Severity};
pub use load::{load, Dataset};
