//! A mutation fuzzer on stable Rust for every parser that reads hostile input (issue 14):
//! scenarios in TOML and in JSON, the CSV readers (profiles, durations, rosters, traces),
//! sweep plans and variations, gate files, and the mock's request handling.
//!
//! Each target starts from a corpus of real files (the bundled scenarios, plans, gates and
//! CSVs, valid mock requests), mutates them with a seeded ChaCha stream (bytes flipped,
//! inserted, deleted, ranges duplicated, files spliced, tokens a parser finds hard: huge and
//! negative numbers, `nan`, brackets, quotes, invalid UTF-8), and runs the parser on each. A
//! target fails on a panic, on an input that takes longer than [`SLOW`], on an error message
//! without a line to point at, or on a mock answer of 5xx; the failing input is written to
//! `target/fuzz-failures/` with the seed to replay it. A hang is caught by a watchdog that
//! writes the input and aborts the run.
//!
//! `cargo test` runs each target for a few seconds; longer on demand:
//!
//! ```sh
//! CCSIM_FUZZ_SECS=600 cargo test --release --test fuzz -- --test-threads 2
//! CCSIM_FUZZ_SEED=7 cargo test --test fuzz scenario_toml      # another stream
//! ```

mod corpus;
mod mutate;
mod targets;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// An input slower than this is a finding (the hostile-input budget: parsing never takes long).
const SLOW: Duration = Duration::from_secs(5);
/// An input still running after this is a hang: the watchdog aborts the run.
const HANG: Duration = Duration::from_secs(60);

/// Seconds per target: `CCSIM_FUZZ_SECS`, 3 by default (the budget of a `cargo test`).
fn budget() -> Duration {
    let secs = std::env::var("CCSIM_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .unwrap_or(3.0);
    Duration::from_secs_f64(secs)
}

fn seed() -> u64 {
    std::env::var("CCSIM_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
}

/// What a target says of one input: fine, or what is wrong with how it was handled.
pub type Verdict = Result<(), String>;

/// Runs `check` on mutations of `corpus` for the budget; panics (the test fails) with the
/// seed, the input's number and the file it was saved to on the first finding.
pub fn fuzz(target: &str, corpus: &[Vec<u8>], mut check: impl FnMut(&[u8]) -> Verdict) {
    assert!(!corpus.is_empty(), "{target}: an empty corpus");
    let seed = seed();
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ fxhash(target));
    let budget = budget();
    let current = Arc::new(Mutex::new(Vec::<u8>::new()));
    let started_ms = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let origin = Instant::now();
    let watchdog = {
        let (current, started_ms, done) = (current.clone(), started_ms.clone(), done.clone());
        let target = target.to_string();
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(200));
                let since = started_ms.load(Ordering::Relaxed);
                let now = origin.elapsed().as_millis() as u64;
                if since > 0 && now.saturating_sub(since) > HANG.as_millis() as u64 {
                    let input = current.lock().map(|c| c.clone()).unwrap_or_default();
                    let file = save(&target, seed, "hang", &input);
                    eprintln!(
                        "fuzz {target}: an input ran for more than {HANG:?} (seed {seed}); saved to {}",
                        file.display()
                    );
                    std::process::abort();
                }
            }
        })
    };
    let mut runs = 0u64;
    let began = Instant::now();
    let mut finding = None;
    while began.elapsed() < budget || runs == 0 {
        let input = mutate::mutate(&mut rng, corpus);
        if let Ok(mut c) = current.lock() {
            c.clone_from(&input);
        }
        started_ms.store(origin.elapsed().as_millis() as u64 + 1, Ordering::Relaxed);
        let t = Instant::now();
        let verdict = catch_unwind(AssertUnwindSafe(|| check(&input)));
        let took = t.elapsed();
        started_ms.store(0, Ordering::Relaxed);
        runs += 1;
        let problem = match verdict {
            Err(panic) => Some(format!("panicked: {}", panic_text(&panic))),
            Ok(Err(why)) => Some(why),
            Ok(Ok(())) if took > SLOW => Some(format!("took {took:?} (more than {SLOW:?})")),
            Ok(Ok(())) => None,
        };
        if let Some(problem) = problem {
            finding = Some((runs, problem, save(target, seed, &runs.to_string(), &input)));
            break;
        }
    }
    done.store(true, Ordering::Relaxed);
    let _ = watchdog.join();
    eprintln!(
        "fuzz {target}: {runs} inputs in {:.1} s (seed {seed})",
        began.elapsed().as_secs_f64()
    );
    if let Some((n, problem, file)) = finding {
        panic!(
            "fuzz {target}: input {n} (seed {seed}) {problem}; saved to {}",
            file.display()
        );
    }
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_string()))
        .unwrap_or_else(|| "(no message)".into())
}

fn save(target: &str, seed: u64, what: &str, input: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join(format!("{target}-seed{seed}-{what}.bin"));
    let _ = std::fs::write(&file, input);
    file
}

fn fxhash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}
