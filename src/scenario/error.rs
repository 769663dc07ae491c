//! Problems found in a scenario, each located by file, line, column and field path.

use std::fmt;
use std::path::PathBuf;

/// One step of a field path: a table key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSeg {
    /// A key of a table / object.
    Key(String),
    /// An index of an array.
    Index(usize),
}

/// A field path such as `agents[2].queues[0]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldPath(pub Vec<PathSeg>);

impl FieldPath {
    /// The root.
    pub fn root() -> Self {
        Self(Vec::new())
    }
    /// This path with `key` appended.
    pub fn key(&self, key: &str) -> Self {
        let mut p = self.clone();
        p.0.push(PathSeg::Key(key.to_string()));
        p
    }
    /// This path with `index` appended.
    pub fn index(&self, index: usize) -> Self {
        let mut p = self.clone();
        p.0.push(PathSeg::Index(index));
        p
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(top level)");
        }
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                PathSeg::Key(k) if i == 0 => write!(f, "{k}")?,
                PathSeg::Key(k) => write!(f, ".{k}")?,
                PathSeg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A problem before it is located in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Where, as a field path.
    pub path: FieldPath,
    /// What is wrong and what was expected, lower-case.
    pub message: String,
    /// A file other than the scenario (a CSV profile), with its own line, if the problem is
    /// there.
    pub in_file: Option<(PathBuf, usize)>,
}

impl Problem {
    /// A problem at `path`.
    pub fn new(path: FieldPath, message: impl Into<String>) -> Self {
        Self {
            path,
            message: message.into(),
            in_file: None,
        }
    }
}

/// A located problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    /// The file the problem is in.
    pub file: PathBuf,
    /// 1-based line; 0 when the problem is in something built in memory, with no text.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Field path in the scenario.
    pub path: FieldPath,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Line 0: no text to point into (a plan or scenario built in memory).
        if self.line == 0 {
            return write!(
                f,
                "{}: {}: {}",
                self.file.display(),
                self.path,
                self.message
            );
        }
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.path,
            self.message
        )
    }
}

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("{}: cannot read the scenario: {reason}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why, in words.
        reason: String,
    },
    /// The file's extension says neither TOML nor JSON.
    #[error("{}: unknown scenario format: expected a .toml or .json file", path.display())]
    Format {
        /// The file.
        path: PathBuf,
    },
    /// One or more problems in the content.
    #[error("{}", render(problems))]
    Invalid {
        /// Every problem found, in file order.
        problems: Vec<Located>,
    },
}

fn render(problems: &[Located]) -> String {
    let mut s = format!(
        "the scenario has {} problem{}:",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in problems {
        s.push_str("\n  ");
        s.push_str(&p.to_string());
    }
    s
}
