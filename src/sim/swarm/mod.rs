//! The swarm, in the spirit of TigerBeetle's VOPR: seeds → random valid scenarios
//! ([`generate`]) → each run under the full invariant checker (capacity, statuses, working
//! hours, every customer and message accounted for, work conservation).
//!
//! A seed fails when its scenario does not validate (the generator promises valid ones, so
//! that is a bug on one side or the other), when the checker finds a broken invariant, when a
//! second run of the same scenario differs from the first (determinism), or when anything
//! panics. A failure carries the seed and the scenario text, which `ccsim swarm` writes to a
//! file that `ccsim run --check` replays.

mod bot;
mod draw;
pub mod files;
pub mod generate;
mod sla;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::scenario::input_file::FileRoot;
use crate::scenario::{self, locate::Format};
use crate::sim::centre::Centre;

/// What went wrong with one seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The generated scenario did not validate.
    Invalid(String),
    /// The checker found broken invariants (the first few).
    Invariants(Vec<String>),
    /// Two runs of the same scenario and seed differed.
    Nondeterministic,
    /// The run panicked, with the panic's message.
    Panic(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Invalid(e) => write!(f, "the generated scenario is invalid: {e}"),
            Failure::Invariants(v) => {
                write!(f, "{} broken invariant(s)", v.len())?;
                for p in v.iter().take(5) {
                    write!(f, "\n    {p}")?;
                }
                Ok(())
            }
            Failure::Nondeterministic => {
                write!(f, "two runs of the same scenario and seed differ")
            }
            Failure::Panic(m) => write!(f, "panicked: {m}"),
        }
    }
}

/// One seed's result.
#[derive(Debug, Clone)]
pub struct SeedOutcome {
    /// The seed.
    pub seed: u64,
    /// The features its scenario has.
    pub features: Vec<&'static str>,
    /// Conversations offered to the queues.
    pub offered: u64,
    /// Conversations the bot took.
    pub bot_conversations: u64,
    /// What broke, if anything.
    pub failure: Option<Failure>,
    /// The scenario file (TOML).
    pub toml: String,
    /// The files it names, to write beside it.
    pub files: Vec<files::GeneratedFile>,
}

/// How a seed's scenario is checked.
#[derive(Debug, Clone, Copy, Default)]
pub struct Checks {
    /// Also run it a second time and compare the two traces (determinism); about doubles the
    /// cost.
    pub twice: bool,
}

/// Parses a generated scenario. The files it names are written to a folder of their own
/// under the system's temporary folder, read, and removed again.
pub fn parse_generated(
    seed: u64,
    generated: &generate::Generated,
) -> Result<scenario::Scenario, String> {
    static FOLDERS: AtomicUsize = AtomicUsize::new(0);
    let origin = format!("swarm-{seed}.toml");
    if generated.files.is_empty() {
        return scenario::parse(
            &generated.toml,
            Format::Toml,
            Path::new(&origin),
            &FileRoot::new(Path::new("."), false),
        )
        .map_err(|e| e.to_string());
    }
    let dir = std::env::temp_dir().join(format!(
        "ccsim-swarm-{}-{}",
        std::process::id(),
        FOLDERS.fetch_add(1, Ordering::Relaxed)
    ));
    let written = std::fs::create_dir_all(&dir).and_then(|()| {
        generated
            .files
            .iter()
            .try_for_each(|(name, text)| std::fs::write(dir.join(name), text))
    });
    let parsed = match written {
        Err(e) => Err(format!(
            "cannot write the scenario's files to {}: {e}",
            dir.display()
        )),
        Ok(()) => scenario::parse(
            &generated.toml,
            Format::Toml,
            &dir.join(&origin),
            &FileRoot::strict(&dir),
        )
        .map_err(|e| e.to_string()),
    };
    let _ = std::fs::remove_dir_all(&dir);
    parsed
}

/// Runs the scenario of `seed` under the checker.
pub fn run_seed(seed: u64, checks: Checks) -> SeedOutcome {
    let generated = generate::scenario(seed);
    let parsed = parse_generated(seed, &generated);
    let mut outcome = SeedOutcome {
        seed,
        features: generated.features,
        offered: 0,
        bot_conversations: 0,
        failure: None,
        toml: generated.toml,
        files: generated.files,
    };
    let s = match parsed {
        Ok(s) => s,
        Err(e) => {
            outcome.failure = Some(Failure::Invalid(e));
            return outcome;
        }
    };
    let once = || {
        Centre::new(s.centre.clone(), s.seed, 0)
            .with_invariant_checks()
            .run_traced()
    };
    match catch_unwind(AssertUnwindSafe(once)) {
        Err(payload) => outcome.failure = Some(Failure::Panic(panic_message(&payload))),
        Ok((stats, trace)) => {
            outcome.offered = stats.totals.iter().map(|t| t.offered).sum();
            outcome.bot_conversations = stats.bot.conversations;
            if !stats.violations.is_empty() {
                let first: Vec<String> = stats.violations.iter().take(20).cloned().collect();
                outcome.failure = Some(Failure::Invariants(first));
            } else if checks.twice {
                match catch_unwind(AssertUnwindSafe(once)) {
                    Err(payload) => {
                        outcome.failure = Some(Failure::Panic(panic_message(&payload)));
                    }
                    Ok((_, again)) if again != trace => {
                        outcome.failure = Some(Failure::Nondeterministic);
                    }
                    Ok(_) => {}
                }
            }
        }
    }
    outcome
}

fn panic_message(payload: &Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_string())
}

/// Runs `count` seeds from `first` on `threads` threads; `done` is called after each seed
/// (progress). The outcomes come back in seed order, whatever the threads.
pub fn run_seeds(
    first: u64,
    count: u64,
    threads: usize,
    checks: Checks,
    done: &(dyn Fn(&SeedOutcome) + Sync),
) -> Vec<SeedOutcome> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<SeedOutcome>> = Mutex::new(Vec::with_capacity(count as usize));
    let results = Arc::new(results);
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed) as u64;
                    if i >= count {
                        break;
                    }
                    let outcome = run_seed(first.wrapping_add(i), checks);
                    done(&outcome);
                    results
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push(outcome);
                }
            });
        }
    });
    let mut out = std::mem::take(
        &mut *results
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    out.sort_by_key(|o| o.seed);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_names_its_scenario() {
        assert_eq!(generate::scenario(7).toml, generate::scenario(7).toml);
        assert_ne!(generate::scenario(7).toml, generate::scenario(8).toml);
    }

    #[test]
    fn every_generated_scenario_validates() {
        let mut with_files = 0;
        for seed in 0..200 {
            let g = generate::scenario(seed);
            with_files += usize::from(!g.files.is_empty());
            let parsed = parse_generated(seed, &g);
            assert!(
                parsed.is_ok(),
                "seed {seed}: {}\n{}\n{:?}",
                parsed.unwrap_err(),
                g.toml,
                g.files
            );
        }
        assert!(with_files > 20, "{with_files} of 200 seeds name files");
    }
}
