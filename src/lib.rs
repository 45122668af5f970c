//! jixiao (绩效): benchmarks for China's public-spending performance evaluations.
//!
//! The pipeline reads down the module list: reports → [`extract`] → [`dataset`] (the data
//! contract of SCHEMA.md) → [`bench`] (one module per benchmark) → charts and report.
//! [`engine`] runs it as every command does (load → validate → benchmark tables → sinks);
//! [`synth`] makes synthetic panels with planted truth; [`cmd`] holds the thin subcommands,
//! which parse their flags, call [`engine`] and print. ARCHITECTURE.md draws it.

#![forbid(unsafe_code)]

// The pipeline's stages (in its order: extract, dataset, bench, engine, charts, report,
// review), the synthetic panels, the subcommands over them and the error kinds.
pub mod bench;
pub mod charts;
pub mod cmd;
pub mod dataset;
pub mod engine;
pub mod error;
pub mod extract;
pub mod report;
pub mod review;
pub mod synth;

// Helpers the stages share; not part of the library's interface.
mod config;
mod encoding;
mod excel;
mod profile;
