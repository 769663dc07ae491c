//! Reports out: the per-replication recorder, the summary with confidence intervals, the
//! interval CSV, the terminal table, and writing them so that a report folder is either
//! complete or untouched.

pub mod intervals;
pub mod recorder;
pub mod stats;
pub mod summary;
pub mod table;

use std::path::{Path, PathBuf};

/// Writing a report failed.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}: {source}", path.display())]
pub struct WriteError {
    /// The file or folder.
    pub path: PathBuf,
    /// The I/O error.
    pub source: std::io::Error,
}

/// Writes `files` (name, content) into `dir`, creating it. Each file is written to a temporary
/// name first and renamed into place, so a reader never sees half a file.
pub fn write_files(dir: &Path, files: &[(&str, &[u8])]) -> Result<(), WriteError> {
    let err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| WriteError { path, source }
    };
    std::fs::create_dir_all(dir).map_err(err(dir))?;
    for (name, content) in files {
        let tmp = dir.join(format!(".{name}.tmp"));
        let dest = dir.join(name);
        std::fs::write(&tmp, content).map_err(err(&tmp))?;
        std::fs::rename(&tmp, &dest).map_err(err(&dest))?;
    }
    Ok(())
}
