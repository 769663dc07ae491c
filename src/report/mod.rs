//! Reports out: the per-replication recorder, the run's aggregate of replications, the summary with confidence intervals, the
//! interval CSV, the terminal table, and writing them so that a report folder is either
//! complete or untouched.

pub mod aggregate;
mod aggregate_bot;
pub mod channel_intervals;
pub mod channels;
pub mod decisions;
pub mod html;
pub mod html_run;
pub mod intervals;
pub mod moments;
pub mod open_hours;
pub mod recorder;
pub mod stats;
pub mod summary;
mod summary_bot;
pub mod svg;
mod svg_axes;
pub mod table;

use std::io::{BufWriter, Write};
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

/// A report file to write: its name and a function that writes its content.
pub type FileWriter<'a> = (&'a str, &'a dyn Fn(&mut dyn Write) -> std::io::Result<()>);

/// Writes `files` into `dir`, creating it. Every file is first written in full under a
/// temporary name; only when all are complete are they renamed into place, so a failure leaves
/// the folder's earlier report as it was and a reader never sees half a file.
pub fn write_files(dir: &Path, files: &[FileWriter<'_>]) -> Result<(), WriteError> {
    let err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| WriteError { path, source }
    };
    std::fs::create_dir_all(dir).map_err(err(dir))?;
    let mut written = Vec::new();
    for (name, write) in files {
        let tmp = dir.join(format!(".{name}.tmp"));
        let result = std::fs::File::create(&tmp).and_then(|f| {
            let mut out = BufWriter::new(f);
            write(&mut out)?;
            out.into_inner().map_err(|e| e.into_error())?.sync_all()
        });
        if let Err(source) = result {
            let _ = std::fs::remove_file(&tmp);
            for (tmp, _) in &written {
                let _ = std::fs::remove_file(tmp);
            }
            return Err(WriteError { path: tmp, source });
        }
        written.push((tmp, dir.join(name)));
    }
    for (tmp, dest) in &written {
        std::fs::rename(tmp, dest).map_err(err(dest))?;
    }
    Ok(())
}
