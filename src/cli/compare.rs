//! `ccsim compare BASE CANDIDATE [--gate FILE]`: paired comparison on common random numbers,
//! and the regression gate (exit 3).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::{
    EXIT_OK, EXIT_REGRESSION, bad_input, internal, load_scenario, plan_error, progress,
    threads_or_cores,
};
use crate::plan::compare::compare;
use crate::plan::compare_report;
use crate::plan::gate::{self, Gate};
use crate::plan::plan_file::{BaseScenario, is_variation_file, load_variation};
use crate::report::{FileWriter, write_files};

/// Flags of `ccsim compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The base scenario (.toml or .json).
    base: PathBuf,
    /// The candidate: another scenario, or a variation file of the base (`name` and a `[set]`
    /// table of path = value settings).
    candidate: PathBuf,
    /// Gate file: per-metric limits on worsening; a broken limit exits with code 3.
    #[arg(long)]
    gate: Option<PathBuf>,
    /// Folder for the outputs; default reports/compare-<base>-<candidate>/.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace the base's seed (both run on it).
    #[arg(long)]
    seed: Option<u64>,
    /// Replace the base's replications (both run as many).
    #[arg(long)]
    replications: Option<u32>,
    /// Worker threads; default: the machine's cores. Never changes results.
    #[arg(long)]
    threads: Option<usize>,
    /// Print only errors and regressions; no progress bar.
    #[arg(long, short)]
    quiet: bool,
}

pub(super) fn compare_cmd(args: CompareArgs) -> ExitCode {
    let base = match load_scenario(Some(&args.base), args.seed, args.replications, &[]) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let (candidate, candidate_name) = if is_variation_file(&args.candidate) {
        let variation = match load_variation(&args.candidate) {
            Ok(v) => v,
            Err(e) => return plan_error(&e),
        };
        let doc = match BaseScenario::load(&args.base, super::allow_outside_files()) {
            Ok(d) => d,
            Err(e) => return plan_error(&e),
        };
        match doc.vary(&variation, None, None) {
            Ok(s) => (s, variation.name.clone()),
            Err(e) => return plan_error(&e),
        }
    } else {
        match super::load_file(&args.candidate) {
            Ok(s) => {
                let name = s.name.clone();
                (s, name)
            }
            Err(e) => return bad_input(&e),
        }
    };
    // The candidate runs the base's replications.
    let mut probe = [candidate.clone()];
    probe[0].replications = base.replications;
    if let Err(code) = super::within_budget(&mut probe, &args.candidate) {
        return code;
    }
    let mut candidate = candidate;
    candidate.budget = probe[0].budget;
    let gate = match args.gate.as_deref().map(Gate::load).transpose() {
        Ok(g) => g,
        Err(e) => return plan_error(&e),
    };
    if let (Some(g), Some(path)) = (&gate, args.gate.as_deref()) {
        let mut queues: Vec<&str> = base.centre.queues.iter().map(|q| q.name.as_str()).collect();
        for q in &candidate.centre.queues {
            if !queues.contains(&q.name.as_str()) {
                queues.push(&q.name);
            }
        }
        if let Err(e) = g.check_against(path, &queues, base.replications) {
            return plan_error(&e);
        }
    }
    if !args.quiet {
        outln!(
            "ccsim {} compare: base '{}' ({}) against candidate '{}' ({}) — seed {}, {} paired replications{}",
            env!("CARGO_PKG_VERSION"),
            base.name,
            args.base.display(),
            candidate_name,
            args.candidate.display(),
            base.seed,
            base.replications,
            args.gate
                .as_ref()
                .map_or(String::new(), |g| format!(", gate {}", g.display()))
        );
    }
    let bar = progress::bar(
        u64::from(base.replications),
        "replication pairs",
        args.quiet,
    );
    let threads = threads_or_cores(args.threads);
    let cmp = match compare(&base, &candidate, &candidate_name, threads, &|| bar.inc(1)) {
        Ok(cmp) => cmp,
        Err(hit) => return super::budget_hit(&hit),
    };
    bar.finish_and_clear();
    let verdict = gate.as_ref().map(|g| gate::judge(g, &cmp));

    let md = compare_report::markdown(&cmp, verdict.as_ref());
    let json = compare_report::json(&cmp, verdict.as_ref());
    let csv = compare_report::intervals_csv(&cmp);
    let page = compare_report::html(&cmp, verdict.as_ref());
    let junit = match (&gate, &verdict) {
        (Some(g), Some(v)) => Some(compare_report::junit(&cmp, g, v)),
        _ => None,
    };
    let out = args.out.clone().unwrap_or_else(|| {
        Path::new("reports").join(format!("compare-{}-{}", base.name, candidate_name))
    });
    let w_md = |o: &mut dyn Write| o.write_all(md.as_bytes());
    let w_json = |o: &mut dyn Write| o.write_all(json.as_bytes());
    let w_csv = |o: &mut dyn Write| o.write_all(csv.as_bytes());
    let w_html = |o: &mut dyn Write| o.write_all(page.as_bytes());
    let junit_text = junit.unwrap_or_default();
    let w_junit = |o: &mut dyn Write| o.write_all(junit_text.as_bytes());
    let mut files: Vec<FileWriter<'_>> = vec![
        ("compare.md", &w_md),
        ("compare.json", &w_json),
        ("compare_intervals.csv", &w_csv),
        ("report.html", &w_html),
    ];
    if gate.is_some() {
        files.push(("junit.xml", &w_junit));
    }
    if let Err(e) = write_files(&out, &files) {
        return internal(&e.into());
    }
    // On GitHub Actions the summary goes on the job's page as well.
    if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY") {
        let appended = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(&path)
            .and_then(|mut f| f.write_all(md.as_bytes()));
        if let Err(e) = appended {
            eprintln!("warning: cannot append to $GITHUB_STEP_SUMMARY: {e}");
        }
    }
    if !args.quiet {
        outln!();
        out!("{md}");
        outln!("\nreports in {}", out.display());
    }
    for u in verdict.iter().flat_map(|v| &v.unmatched) {
        eprintln!("warning: {u}: check the gate's scope against the queues' names");
    }
    match verdict {
        Some(v) if !v.passed() => {
            let worst = compare_report::worst_failures(&v);
            eprintln!(
                "regression: {} of {} gate checks failed; the first:",
                worst.len(),
                v.checks.len()
            );
            for c in worst.iter().take(5) {
                eprintln!("  {}", compare_report::failure_line(c));
            }
            ExitCode::from(EXIT_REGRESSION)
        }
        _ => ExitCode::from(EXIT_OK),
    }
}
