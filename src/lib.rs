//! jixiao (绩效): benchmarks for China's public-spending performance evaluations.
//!
//! The pipeline reads down the module list: reports → [`extract`] → [`dataset`] (the data
//! contract of SCHEMA.md) → [`bench`] (one module per benchmark) → charts and report.
//! [`engine`] runs it as every command does (load → validate → benchmark tables → sinks);
//! [`synth`] makes synthetic panels with planted truth; [`cmd`] holds the thin subcommands,
//! which parse their flags, call [`engine`] and print. ARCHITECTURE.md draws it.

#![forbid(unsafe_code)]

pub mod bench;
pub mod charts;
pub mod cmd;
pub mod config;
pub mod dataset;
pub mod encoding;
pub mod engine;
pub mod error;
pub mod excel;
pub mod extract;
pub mod profile;
pub mod report;
pub mod review;
pub mod synth;
