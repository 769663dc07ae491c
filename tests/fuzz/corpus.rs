//! The seed files each target mutates: what the repository ships and its tests use.

use std::path::Path;

fn files(dir: &str, ext: &str) -> Vec<Vec<u8>> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == ext))
                .filter_map(|p| Some((p.display().to_string(), std::fs::read(&p).ok()?)))
                .collect()
        })
        .unwrap_or_default();
    // Directory order is the file system's: sort, so a seed replays the same stream.
    out.sort();
    out.into_iter().map(|(_, bytes)| bytes).collect()
}

/// Scenario files in TOML: the bundled ones, the broken ones of tests/bad, the swarm's.
pub fn scenarios_toml() -> Vec<Vec<u8>> {
    let mut all = files("scenarios", "toml");
    all.retain(|f| !String::from_utf8_lossy(f).contains("\n[[points]]"));
    all.extend(files("tests/bad", "toml"));
    all.extend(files("tests/swarm", "toml"));
    all
}

/// The bundled scenarios as JSON (the same fields).
pub fn scenarios_json() -> Vec<Vec<u8>> {
    files("scenarios", "toml")
        .into_iter()
        .filter_map(|bytes| {
            let table: toml::Table = String::from_utf8(bytes).ok()?.parse().ok()?;
            serde_json::to_vec_pretty(&table).ok()
        })
        .collect()
}

/// CSV files: forecasts, handle times, rosters, traces.
pub fn csvs() -> Vec<Vec<u8>> {
    let mut all = files("scenarios/data", "csv");
    all.extend(files("tests/bad/data", "csv"));
    // The trace is large; its head is enough to seed from.
    for f in &mut all {
        f.truncate(8 * 1024);
    }
    all
}

/// Sweep plans and variations.
pub fn plans() -> Vec<Vec<u8>> {
    let mut all: Vec<Vec<u8>> = files("scenarios", "toml")
        .into_iter()
        .filter(|f| {
            String::from_utf8_lossy(f).contains("\n[[points]]")
                || String::from_utf8_lossy(f).contains("\n[[grid]]")
        })
        .collect();
    all.extend(
        files("scenarios/plans", "toml")
            .into_iter()
            .filter(|f| !String::from_utf8_lossy(f).contains("[[rule]]")),
    );
    all
}

/// Gate files.
pub fn gates() -> Vec<Vec<u8>> {
    files("scenarios/plans", "toml")
        .into_iter()
        .filter(|f| String::from_utf8_lossy(f).contains("[[rule]]"))
        .collect()
}

/// A folder holding the files the fuzzed inputs may name: the quickstart beside plans, the
/// bundled data beside scenarios.
pub fn workspace(name: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fuzz-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("data")).expect("a temporary folder");
    for f in ["quickstart.toml", "bot-containment.toml", "wfm-export.toml"] {
        std::fs::copy(Path::new("scenarios").join(f), dir.join(f)).expect("a bundled scenario");
    }
    for entry in std::fs::read_dir("scenarios/data").expect("the bundled data") {
        let p = entry.expect("an entry").path();
        std::fs::copy(&p, dir.join("data").join(p.file_name().expect("a name")))
            .expect("a data file");
    }
    dir
}
