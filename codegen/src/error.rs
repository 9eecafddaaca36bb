//! The one error type of the pipeline: every failure names the file, the
//! place in it and what to do about it.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in a spec a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A YAML syntax or shape error, 1-based.
    LineColumn { line: usize, column: usize },
    /// A JSON pointer into the document (RFC 6901), e.g. `/paths/~1members/post`.
    Pointer(String),
    /// The file as a whole (it could not be read, or it is empty).
    File,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::LineColumn { line, column } => write!(f, "line {line}, column {column}"),
            Location::Pointer(p) if p.is_empty() => f.write_str("the document root"),
            Location::Pointer(p) => write!(f, "{p}"),
            Location::File => f.write_str("the whole file"),
        }
    }
}

/// A spec the pipeline cannot turn into a client, or an output it cannot
/// write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// The spec file (or output file, for write errors).
    pub file: PathBuf,
    /// Where in the file.
    pub location: Location,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub fix: String,
}

impl SpecError {
    pub(crate) fn new(
        file: &Path,
        location: Location,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        SpecError {
            file: file.to_path_buf(),
            location,
            message: message.into(),
            fix: fix.into(),
        }
    }

    pub(crate) fn at(
        file: &Path,
        pointer: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self::new(file, Location::Pointer(pointer.into()), message, fix)
    }

    /// The message on one line, as build.rs prints it after `cargo::error=`.
    pub fn one_line(&self) -> String {
        self.to_string().replace('\n', " ")
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at {}: {}; fix: {}",
            self.file.display(),
            self.location,
            self.message,
            self.fix
        )
    }
}

impl std::error::Error for SpecError {}

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Joins tokens into a JSON pointer.
pub fn pointer<'a>(tokens: impl IntoIterator<Item = &'a str>) -> String {
    tokens
        .into_iter()
        .map(|t| format!("/{}", pointer_token(t)))
        .collect()
}
