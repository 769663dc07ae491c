//! The rulebook table, `docs/rulebook.md`: for every rule of `docs/rules.md`, the model files
//! that hold its logic, the simulation files that run it, and the tests named after it. It is
//! computed here from the source tree and must match the committed file (regenerate it with
//! `CCSIM_BLESS=1 cargo test rulebook`), so coverage of the rules is counted, not claimed.
//!
//! A rule is found in a file when its id appears there as a word (`AA-1` not inside `AA-10`); a
//! test checks a rule when its name starts with the rule (`aa_7_…`) or a `// AA-7` comment sits
//! in its body. Every rule must have a test, except the ones listed in [`NOT_MODELLED`], which
//! must have none (so the list cannot go stale).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Rules the simulation does not model yet, and why.
const NOT_MODELLED: &[(&str, &str)] = &[];

struct Rule {
    id: String,
    family: String,
    text: String,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rules() -> Vec<Rule> {
    let text = std::fs::read_to_string(root().join("docs/rules.md")).expect("docs/rules.md");
    let mut family = String::new();
    let mut out = Vec::new();
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            family = h.to_string();
        } else if let Some(rest) = line.strip_prefix("- ")
            && let Some((id, text)) = rest.split_once(' ')
            && id.contains('-')
            && id
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        {
            out.push(Rule {
                id: id.to_string(),
                family: family.clone(),
                text: text.to_string(),
            });
        }
    }
    out
}

/// Every `.rs` file below `dir`, relative to the crate root, sorted.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("readable folder")
        .map(|e| e.expect("readable entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// A file's code and test code: test files whole, and in source files what follows the test
/// module's `#[cfg(test)]`.
fn split(path: &Path, text: &str) -> (String, String) {
    let rel = path.strip_prefix(root()).unwrap_or(path);
    let is_test_file = rel.starts_with("tests")
        || rel.starts_with("benches")
        || rel
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n == "tests.rs" || n.ends_with("_tests.rs"))
        || rel.components().any(|c| c.as_os_str() == "tests");
    if is_test_file {
        return (String::new(), text.to_string());
    }
    match text.find("#[cfg(test)]\nmod tests {") {
        Some(i) => (text[..i].to_string(), text[i..].to_string()),
        None => (text.to_string(), String::new()),
    }
}

/// Whether `id` appears in `text` as a word.
fn mentions(text: &str, id: &str) -> bool {
    text.match_indices(id).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + id.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

/// Test functions: (name, body).
fn test_fns(code: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = code.lines().collect();
    let is_test = |l: &str| {
        let l = l.trim_start();
        l.starts_with("#[test]") || l.starts_with("#[tokio::test")
    };
    let mut out = Vec::new();
    for (i, _) in lines.iter().enumerate().filter(|(_, l)| is_test(l)) {
        let signature = lines[i + 1..].iter().take(3).find_map(|l| {
            let l = l.trim_start();
            l.strip_prefix("fn ")
                .or_else(|| l.strip_prefix("async fn "))
        });
        let Some(signature) = signature else { continue };
        let name: String = signature
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        // The body: up to the next test.
        let body = lines[i + 1..]
            .iter()
            .take_while(|l| !is_test(l))
            .copied()
            .collect::<Vec<_>>()
            .join("\n");
        out.push((name, body));
    }
    out
}

struct Coverage {
    model: Vec<String>,
    runs: Vec<String>,
    tests: Vec<String>,
}

fn coverage(rules: &[Rule]) -> BTreeMap<String, Coverage> {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    rust_files(&root().join("tests"), &mut files);
    let mut out: BTreeMap<String, Coverage> = rules
        .iter()
        .map(|r| {
            let c = Coverage {
                model: Vec::new(),
                runs: Vec::new(),
                tests: Vec::new(),
            };
            (r.id.clone(), c)
        })
        .collect();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable source");
        let rel = path
            .strip_prefix(root().join("src"))
            .unwrap_or(&path)
            .display()
            .to_string();
        let (code, tests) = split(&path, &text);
        let fns = test_fns(&tests);
        for rule in rules {
            let c = out.get_mut(&rule.id).expect("every rule has a row");
            if mentions(&code, &rule.id) {
                if rel.starts_with("model/") {
                    c.model.push(rel.clone());
                } else if ["actors/", "sim/", "report/", "live/"]
                    .iter()
                    .any(|p| rel.starts_with(p))
                {
                    c.runs.push(rel.clone());
                }
            }
            let prefix = format!("{}_", rule.id.to_lowercase().replace('-', "_"));
            for (name, body) in &fns {
                let named = name.starts_with(&prefix) || name.contains(&format!("_{prefix}"));
                let commented = body
                    .lines()
                    .any(|l| l.trim_start().starts_with("//") && mentions(l, &rule.id));
                if (named || commented) && !c.tests.contains(name) {
                    c.tests.push(name.clone());
                }
            }
        }
    }
    out
}

fn cell(items: &[String], most: usize) -> String {
    if items.is_empty() {
        return "—".to_string();
    }
    let mut shown: Vec<String> = items.iter().take(most).map(|s| format!("`{s}`")).collect();
    if items.len() > most {
        shown.push(format!("+{} more", items.len() - most));
    }
    shown.join("<br>")
}

fn render(rules: &[Rule], cov: &BTreeMap<String, Coverage>) -> String {
    let mut md = String::from(
        "# Rulebook coverage\n\n\
         Generated by `tests/it/rulebook.rs` from the source tree (`CCSIM_BLESS=1 cargo test \
         rulebook` rewrites it; `cargo test` fails when it is stale). For each rule of \
         [rules.md](rules.md): the model files (`src/model/`, plain data and functions) that \
         hold its logic, the files of the simulation and live drivers (`src/actors/`, `src/sim/`, \
         `src/report/`, `src/live/`) that run it, and the tests that check it (named after it, or \
         with a `// RULE` line). A dash under Run by means no driver file names the rule: its \
         model function is called without the rule's name beside the call (routing, for one, \
         runs in `actors/platform/intake.rs`). Decisions where the documents are silent or \
         contradict each other: [decisions.md](decisions.md).\n",
    );
    let mut family = "";
    let (mut tested, mut total) = (0, 0);
    for rule in rules {
        if rule.family != family {
            family = &rule.family;
            md.push_str(&format!(
                "\n## {family}\n\n| Rule | Model | Run by | Tests |\n|---|---|---|---|\n"
            ));
        }
        let c = &cov[&rule.id];
        total += 1;
        let tests = match NOT_MODELLED.iter().find(|(id, _)| *id == rule.id) {
            Some((_, why)) => format!("not modelled yet: {why}"),
            None => {
                tested += usize::from(!c.tests.is_empty());
                format!("{} ({})", cell(&c.tests, 3), c.tests.len())
            }
        };
        let short: String = rule.text.chars().take(70).collect();
        let ellipsis = if rule.text.chars().count() > 70 {
            "…"
        } else {
            ""
        };
        md.push_str(&format!(
            "| **{}** {short}{ellipsis} | {} | {} | {tests} |\n",
            rule.id,
            cell(&c.model, 3),
            cell(&c.runs, 4),
        ));
    }
    md.push_str(&format!(
        "\n{tested} of {total} rules are checked by tests named after them; {} are not \
         modelled yet.\n",
        NOT_MODELLED.len()
    ));
    md
}

#[test]
fn rulebook_every_rule_is_tested_and_the_table_is_current() {
    let rules = rules();
    assert!(rules.len() > 70, "docs/rules.md lists the rules");
    let cov = coverage(&rules);
    let untested: Vec<&str> = rules
        .iter()
        .filter(|r| cov[&r.id].tests.is_empty())
        .map(|r| r.id.as_str())
        .filter(|id| !NOT_MODELLED.iter().any(|(n, _)| n == id))
        .collect();
    assert!(untested.is_empty(), "rules without a test: {untested:?}");
    for (id, _) in NOT_MODELLED {
        assert!(
            cov[*id].tests.is_empty(),
            "{id} has tests now: take it off NOT_MODELLED"
        );
    }
    let md = render(&rules, &cov);
    let path = root().join("docs/rulebook.md");
    if std::env::var_os("CCSIM_BLESS").is_some() {
        std::fs::write(&path, &md).expect("docs/rulebook.md written");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == md,
        "docs/rulebook.md is stale: run CCSIM_BLESS=1 cargo test rulebook"
    );
}
