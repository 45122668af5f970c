//! The errors that end a command: one enum whose variants are the kinds a caller can tell
//! apart (the data, the input, the output, the usage, the engine, a bug, a closed stdout),
//! each keeping the error it came from. The binary maps the kinds to the exit codes the README
//! documents (`main.rs`); the library never exits.

/// A lower-level error kept as the cause of a [`JxError`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Exit codes (documented in README "Exit codes"), mapped from [`JxError`] kinds in `main`.
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
/// and says what to do; it is the whole of what is printed, so a message that quotes its
/// cause keeps that cause as `source` too, for a caller that wants the error itself.
#[derive(Debug, thiserror::Error)]
pub enum JxError {
    /// The data has errors (findings.csv lists them): validate found some, or bench, review
    /// and charts refuse to run on them.
    #[error("{message}")]
    Data { message: String },
    /// A combination of options that cannot work (like clap's own usage errors).
    #[error("{message}")]
    Usage { message: String },
    /// An input cannot be read: a missing path, an unreadable or damaged file, a missing
    /// column, a bad settings file, a broken row under --strict.
    #[error("{message}")]
    Input {
        message: String,
        #[source]
        source: Option<BoxError>,
    },
    /// An output cannot be written.
    #[error("{message}")]
    Output {
        message: String,
        #[source]
        source: Option<BoxError>,
    },
    /// Polars failed inside a computation: the input was checked before it reached the
    /// engine, so this is a bug or a resource failure, not a problem with the data.
    #[error("engine error: {0}")]
    Engine(#[from] polars::error::PolarsError),
    /// A bug in jixiao: something that should never happen did.
    #[error("{message}")]
    Internal {
        message: String,
        #[source]
        source: Option<BoxError>,
    },
    /// Standard output was closed by its reader (`jixiao sql | head`): nothing more to say.
    #[error("standard output was closed")]
    BrokenPipe,
}

impl JxError {
    pub fn input(message: impl Into<String>) -> Self {
        JxError::Input {
            message: message.into(),
            source: None,
        }
    }
    pub fn output(message: impl Into<String>) -> Self {
        JxError::Output {
            message: message.into(),
            source: None,
        }
    }
    pub fn data(message: impl Into<String>) -> Self {
        JxError::Data {
            message: message.into(),
        }
    }
    /// A combination of options that cannot work (exit 2, like clap's usage errors).
    pub fn usage_like(message: impl Into<String>) -> Self {
        JxError::Usage {
            message: message.into(),
        }
    }
    pub fn internal(message: impl Into<String>) -> Self {
        JxError::Internal {
            message: message.into(),
            source: None,
        }
    }

    /// Keep `cause` as this error's source (the message stays as it is).
    pub fn caused_by(mut self, cause: impl Into<BoxError>) -> Self {
        match &mut self {
            JxError::Input { source, .. }
            | JxError::Output { source, .. }
            | JxError::Internal { source, .. } => *source = Some(cause.into()),
            JxError::Data { .. }
            | JxError::Usage { .. }
            | JxError::Engine(_)
            | JxError::BrokenPipe => {}
        }
        self
    }

    /// The same error with its message rewritten (a file name given as a full path).
    pub fn map_message(mut self, f: impl FnOnce(String) -> String) -> Self {
        match &mut self {
            JxError::Data { message }
            | JxError::Usage { message }
            | JxError::Input { message, .. }
            | JxError::Output { message, .. }
            | JxError::Internal { message, .. } => *message = f(std::mem::take(message)),
            JxError::Engine(_) | JxError::BrokenPipe => {}
        }
        self
    }

    /// An error writing to standard output: a closed pipe is [`JxError::BrokenPipe`].
    pub fn stdout(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            JxError::BrokenPipe
        } else {
            JxError::output(format!("cannot write to standard output: {e}")).caused_by(e)
        }
    }
}

pub type Result<T> = std::result::Result<T, JxError>;
