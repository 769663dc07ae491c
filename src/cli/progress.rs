//! Progress bars of long runs (replications, sweeps, staffing searches): indicatif on stderr,
//! with an ETA. Hidden with `--quiet`; indicatif draws nothing when stderr is not a terminal,
//! so logs and pipes stay clean.

use indicatif::{ProgressBar, ProgressStyle};

/// A bar of `total` steps named by `unit` (e.g. "replications"), hidden when `quiet`.
pub fn bar(total: u64, unit: &str, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    let template =
        format!("{{elapsed_precise}} [{{bar:30}}] {{pos}}/{{len}} {unit}, ETA {{eta}}  {{msg}}");
    let style =
        ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}
