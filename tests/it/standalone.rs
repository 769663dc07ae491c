//! Issue 15, finding 9: the repository stands on its own. No test, doc, script or comment may
//! need a file outside the checkout — the team's reference folder beside it in particular: a user clones the repository alone. CI also runs the whole suite from a copy
//! with nothing beside it (`.ci/run`); this test names the offending line at once.

use std::path::Path;

/// Text that points outside the repository (spelled in pieces, so this file does not hold it).
const OUTSIDE: [&str; 4] = [
    concat!("..", "/shared/"),
    concat!("shared", "/infobip-platform.md"),
    concat!("shared", "/infobip-openapi"),
    concat!("shared", "/spec/"),
];

fn scan(dir: &Path, found: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if !["target", "node_modules", ".git", "reports"].contains(&name) {
                scan(&path, found);
            }
            continue;
        }
        if name == "standalone.rs" {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            if OUTSIDE.iter().any(|o| line.contains(o)) {
                found.push(format!("{}:{}: {}", path.display(), i + 1, line.trim()));
            }
        }
    }
}

#[test]
fn finding_9_nothing_in_the_repository_reaches_outside_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for part in [
        "src",
        "tests",
        "benches",
        "docs",
        "scripts",
        "scenarios",
        ".ci",
    ] {
        scan(&root.join(part), &mut found);
    }
    for file in ["README.md", "Cargo.toml"] {
        let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
        for (i, line) in text.lines().enumerate() {
            if OUTSIDE.iter().any(|o| line.contains(o)) {
                found.push(format!("{file}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "outside the repository:\n{}",
        found.join("\n")
    );
    // The facts the contract tests read are in the repository.
    for f in [
        "operations.json",
        "conversations.schemas.json",
        "document-bugs.json",
    ] {
        assert!(
            root.join("tests/data/infobip-openapi").join(f).is_file(),
            "{f}"
        );
    }
}
