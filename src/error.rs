//! Errors that end a command, each with the exit code the README documents.

use std::fmt;

/// Exit codes (documented in README "Exit codes").
pub mod exit {
    /// Everything ran; outputs written.
    pub const OK: i32 = 0;
    /// The data itself has errors (validate found errors; bench refuses to run).
    pub const DATA_ERRORS: i32 = 1;
    /// Command-line usage error (clap's own code).
    pub const USAGE: i32 = 2;
    /// An input could not be read: missing path, unreadable file, missing required column.
    pub const BAD_INPUT: i32 = 3;
    /// An output could not be written.
    pub const CANNOT_WRITE: i32 = 4;
    /// A bug in jixiao (an internal error that should never happen).
    pub const INTERNAL: i32 = 70;
}

/// A failure that stops a command. The message names the file (and row/column where known)
/// and says what to do.
#[derive(Debug)]
pub struct JxError {
    pub code: i32,
    pub message: String,
}

impl JxError {
    pub fn input(message: impl Into<String>) -> Self {
        JxError {
            code: exit::BAD_INPUT,
            message: message.into(),
        }
    }
    pub fn output(message: impl Into<String>) -> Self {
        JxError {
            code: exit::CANNOT_WRITE,
            message: message.into(),
        }
    }
    pub fn data(message: impl Into<String>) -> Self {
        JxError {
            code: exit::DATA_ERRORS,
            message: message.into(),
        }
    }
    /// A combination of options that cannot work (exit 2, like clap's usage errors).
    pub fn usage_like(message: impl Into<String>) -> Self {
        JxError {
            code: exit::USAGE,
            message: message.into(),
        }
    }
    pub fn internal(message: impl Into<String>) -> Self {
        JxError {
            code: exit::INTERNAL,
            message: message.into(),
        }
    }
}

impl fmt::Display for JxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for JxError {}

/// Polars errors inside a computation are bugs or resource failures, not user input problems
/// (user input is checked before it reaches the engine).
impl From<polars::error::PolarsError> for JxError {
    fn from(e: polars::error::PolarsError) -> Self {
        JxError::internal(format!("engine error: {e}"))
    }
}

pub type Result<T> = std::result::Result<T, JxError>;
