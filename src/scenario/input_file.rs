//! Files named by inputs, read as hostile: where they may be, what they may be, how much of
//! them is read, and how little of them an error shows.
//!
//! A scenario, plan or variation may name other files (CSV profiles, durations, rosters,
//! traces; a plan's base scenario). CI runs such inputs from pull requests, so a file named
//! inside an input:
//!
//! - is resolved against the folder of the file that names it;
//! - may not be an absolute path, nor lead out of that folder (by `..` or by a symbolic link),
//!   unless the command was given `--allow-outside-files`;
//! - must be a regular file (never a device, a pipe or a folder: `/dev/zero` or a FIFO would
//!   exhaust memory or block forever) of at most [`MAX_INPUT_BYTES`].
//!
//! Files named on the command line are the user's choice and take no path rule, but the same
//! regular-file rule and size cap. An error quotes at most a short, printable excerpt of a
//! file ([`excerpt`]), so `csv = "/proc/self/environ"` can never print the environment.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// The largest file any input may name or be: 64 MiB.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// The longest excerpt of a file's content an error message quotes, in characters.
const EXCERPT_CHARS: usize = 40;

/// The folder files named inside an input resolve against, and whether they may leave it.
#[derive(Debug, Clone)]
pub struct FileRoot {
    dir: PathBuf,
    allow_outside: bool,
}

impl FileRoot {
    /// Files named inside `naming_file` resolve against its folder.
    pub fn of(naming_file: &Path, allow_outside: bool) -> Self {
        Self::new(
            naming_file.parent().unwrap_or(Path::new(".")),
            allow_outside,
        )
    }

    /// Files resolve against `dir`.
    pub fn new(dir: &Path, allow_outside: bool) -> Self {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        Self {
            dir: dir.to_path_buf(),
            allow_outside,
        }
    }

    /// Files resolve against `dir` and may not leave it.
    pub fn strict(dir: &Path) -> Self {
        Self::new(dir, false)
    }

    /// Whether files may lie outside the folder.
    pub fn allow_outside(&self) -> bool {
        self.allow_outside
    }

    /// The file `named` (as written in the input) resolved by the path rules, or why it is
    /// refused.
    pub fn resolve(&self, named: &str) -> Result<PathBuf, String> {
        if named.trim().is_empty() {
            return Err("the file name is empty: expected a file in the input's folder".into());
        }
        let shown = excerpt(named);
        let relative = Path::new(named);
        if self.allow_outside {
            return Ok(self.dir.join(relative));
        }
        let hint = "expected a file in the input's folder or below it (pass \
                    --allow-outside-files to allow others)";
        let mut depth = 0usize;
        for part in relative.components() {
            match part {
                Component::Prefix(_) | Component::RootDir => {
                    return Err(format!("'{shown}' is an absolute path: {hint}"));
                }
                Component::ParentDir if depth == 0 => {
                    return Err(format!("'{shown}' leads out of the input's folder: {hint}"));
                }
                Component::ParentDir => depth -= 1,
                Component::CurDir => {}
                Component::Normal(_) => depth += 1,
            }
        }
        let path = self.dir.join(relative);
        // A symbolic link inside the folder may point out of it; a file that does not exist
        // is left to the read, which says so.
        if let (Ok(real), Ok(root)) = (path.canonicalize(), self.dir.canonicalize())
            && !real.starts_with(&root)
        {
            return Err(format!(
                "'{shown}' leads out of the input's folder through a symbolic link: {hint}"
            ));
        }
        Ok(path)
    }
}

/// The bytes of `path`, if it is a regular file of at most [`MAX_INPUT_BYTES`]; otherwise
/// why not, in words.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| describe_io(&e))?;
    if !meta.is_file() {
        return Err(if meta.is_dir() {
            "it is a folder: expected a regular file".into()
        } else {
            "it is not a regular file (a device, a pipe or a socket): expected a regular file"
                .into()
        });
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(too_large(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| describe_io(&e))?;
    // Some files (those of /proc) report a size of 0 and are longer: the cap holds anyway.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| describe_io(&e))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Why text is not UTF-8: its line and column (1-based) and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotUtf8 {
    /// 1-based line of the first invalid byte.
    pub line: usize,
    /// 1-based column (in characters) of the first invalid byte.
    pub column: usize,
}

impl std::fmt::Display for NotUtf8 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "not UTF-8 text: an invalid byte at line {}, column {} (save the file as UTF-8)",
            self.line, self.column
        )
    }
}

/// `bytes` as text, or where the first byte that is not UTF-8 is.
pub fn utf8(bytes: Vec<u8>) -> Result<String, NotUtf8> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let good = &e.as_bytes()[..valid];
        // Safe: the prefix up to `valid_up_to` is UTF-8 by definition.
        let text = std::str::from_utf8(good).unwrap_or("");
        let line = text.matches('\n').count() + 1;
        let column = text.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        NotUtf8 { line, column }
    })
}

/// A short, printable excerpt of `text` for an error message: control characters shown as
/// `�`, at most 40 characters, `…` when cut.
pub fn excerpt(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == EXCERPT_CHARS {
            out.push('…');
            break;
        }
        out.push(if c.is_control() { '�' } else { c });
    }
    out
}

fn too_large(bytes: u64) -> String {
    format!(
        "it is {} MiB or more: input files are limited to {} MiB",
        bytes / (1024 * 1024),
        MAX_INPUT_BYTES / (1024 * 1024)
    )
}

fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strict() -> FileRoot {
        FileRoot::new(Path::new("scenarios"), false)
    }

    #[test]
    fn absolute_paths_and_escapes_are_refused_by_default() {
        assert!(
            strict()
                .resolve("/etc/shadow")
                .unwrap_err()
                .contains("absolute")
        );
        assert!(
            strict()
                .resolve("../secrets.csv")
                .unwrap_err()
                .contains("out of")
        );
        assert!(
            strict()
                .resolve("data/../../x.csv")
                .unwrap_err()
                .contains("out of")
        );
        assert_eq!(
            strict().resolve("data/../data/trace-week.csv").unwrap(),
            Path::new("scenarios/data/../data/trace-week.csv")
        );
        let open = FileRoot::new(Path::new("scenarios"), true);
        assert_eq!(open.resolve("/etc/hosts").unwrap(), Path::new("/etc/hosts"));
    }

    #[test]
    fn devices_pipes_and_folders_are_not_read() {
        assert!(
            read_bytes(Path::new("/dev/zero"))
                .unwrap_err()
                .contains("not a regular file")
        );
        assert!(read_bytes(Path::new("src")).unwrap_err().contains("folder"));
        assert_eq!(
            read_bytes(Path::new("no/such.csv")).unwrap_err(),
            "no such file"
        );
    }

    #[test]
    fn an_excerpt_is_short_and_printable() {
        let environ = "PATH=/bin\0SECRET=hunter2\0HOME=/root\0MORE=0123456789012345678";
        let e = excerpt(environ);
        assert_eq!(e.chars().count(), 41);
        assert!(e.ends_with('…'));
        assert!(!e.contains('\0'));
    }

    #[test]
    fn invalid_utf8_is_located() {
        let e = utf8(b"name = \"a\"\nseed = \xff1\n".to_vec()).unwrap_err();
        assert_eq!((e.line, e.column), (2, 8));
    }
}
