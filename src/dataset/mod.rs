//! The dataset contract (SCHEMA.md): load, type, check and write the three tables.

pub mod contract;
pub mod csv_chunks;
pub mod csv_rows;
pub mod decimal;
pub mod enrich;
pub mod findings;
pub mod grading;
pub mod keys;
pub mod load;
pub mod parquet_writer;
pub mod schema;
pub mod validate;
pub mod write;

pub use findings::{Finding, Severity};
pub use load::{load, Dataset};
