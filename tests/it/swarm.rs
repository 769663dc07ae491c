//! The swarm in `cargo test`: a fixed set of generated scenarios, and every scenario the swarm
//! ever failed on, each run under the full invariant checker (capacity and the platform's
//! count of it, statuses, working hours, work conservation, every customer and message
//! accounted for). `ccsim swarm --seeds N` runs as many more as asked.

use std::path::Path;

use ccsim::sim::swarm::{Checks, run_seeds};

use crate::common::{parse_toml, run_checked};

/// Seeds from 0, a few hundred milliseconds of simulated centres each; every tenth also runs
/// twice and must give the same trace (determinism).
const FIXED_SEEDS: u64 = 160;

#[test]
fn swarm_fixed_seeds_break_no_invariant() {
    for twice in [false, true] {
        let (first, count) = if twice {
            (FIXED_SEEDS, 16)
        } else {
            (0, FIXED_SEEDS)
        };
        let outcomes = run_seeds(first, count, 2, Checks { twice }, &|_| {});
        assert_eq!(outcomes.len() as u64, count);
        let failures: Vec<String> = outcomes
            .iter()
            .filter_map(|o| {
                o.failure.as_ref().map(|f| {
                    format!(
                        "seed {} failed: {f}\nreplay: ccsim swarm --first {} --seeds 1\n{}",
                        o.seed, o.seed, o.toml
                    )
                })
            })
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
        // The swarm exercises what it says it does, WFM files included (issue 16, finding 3).
        for feature in ["dated_forecast", "dated_schedule"] {
            let n = outcomes
                .iter()
                .filter(|o| o.features.contains(&feature))
                .count();
            assert!(n > count as usize / 20, "{feature}: {n} seeds");
        }
        let offered: u64 = outcomes.iter().map(|o| o.offered).sum();
        assert!(
            offered > 1000 * count,
            "only {offered} conversations offered"
        );
    }
}

/// Replays a scenario the swarm failed on before issue 13's fixes (its header says what broke)
/// under the checker: it must run clean now.
fn replay(seed: u64) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/swarm/swarm-{seed}.toml"));
    let text = std::fs::read_to_string(&file).expect("the regression scenario is there");
    let run = run_checked(&parse_toml(&text), 1);
    let all = run.scopes() - 1;
    let offered: f64 = run.values(all, |v| v.offered).iter().sum();
    assert!(offered > 0.0, "{}: customers came", file.display());
}

#[test]
fn cap_1_cap_4_a_reopen_crossing_assignments_in_one_instant_swarm_195() {
    replay(195);
}

#[test]
fn cap_1_cap_4_a_slot_freed_after_the_reopens_of_the_instant_swarm_547() {
    replay(547);
}

#[test]
fn aa_9_agents_stay_excluded_after_the_bot_hands_off_again_swarm_535() {
    replay(535);
}

#[test]
fn wf_2_no_workflow_message_after_the_bot_closed_a_given_back_conversation_swarm_936() {
    replay(936);
}

#[test]
fn win_1_a_message_written_while_waiting_opens_the_window_when_written_swarm_1607() {
    replay(1607);
}

#[test]
fn win_1_the_next_agent_knows_the_customers_last_message_swarm_12073() {
    replay(12073);
}

#[test]
fn aa_10_rt_5_a_priority_set_by_a_workflow_on_arrival_keeps_the_conversation_assignable_swarm_1617()
{
    replay(1617);
}

#[test]
fn customer_one_turn_per_reply_after_an_unassignment_swarm_330() {
    replay(330);
}

#[test]
fn customer_a_satisfied_customer_stays_satisfied_when_unassigned_swarm_4231() {
    replay(4231);
}

#[test]
fn customer_patience_with_the_bot_ends_at_the_handoff_swarm_9064() {
    replay(9064);
}

#[test]
fn every_regression_scenario_has_its_test() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/swarm");
    let mut seeds: Vec<u64> = std::fs::read_dir(&dir)
        .expect("tests/swarm exists")
        .filter_map(|e| {
            let name = e.expect("readable entry").file_name().into_string().ok()?;
            name.strip_prefix("swarm-")?
                .strip_suffix(".toml")?
                .parse()
                .ok()
        })
        .collect();
    seeds.sort_unstable();
    let this = include_str!("swarm.rs");
    for seed in seeds {
        assert!(
            this.contains(&format!("replay({seed});")),
            "tests/swarm/swarm-{seed}.toml has no test here"
        );
    }
}

#[test]
fn f3_a_seed_with_wfm_files_is_written_with_its_files_and_replays() {
    use ccsim::sim::swarm::generate;
    // The first seed whose scenario has both a dated forecast and a dated schedule.
    let seed = (0..)
        .find(|&s| {
            let f = generate::scenario(s).features;
            f.contains(&"dated_forecast") && f.contains(&"dated_schedule")
        })
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kept");
    let ccsim = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_ccsim"))
            .args(args)
            .output()
            .unwrap()
    };
    let kept = ccsim(&[
        "swarm",
        "--first",
        &seed.to_string(),
        "--seeds",
        "1",
        "--keep-all",
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(kept.status.success(), "{kept:?}");
    let scenario = out.join(format!("swarm-{seed}.toml"));
    let forecast = out.join(format!("swarm-{seed}-forecast.csv"));
    assert!(
        forecast.exists(),
        "the forecast is written beside the scenario"
    );
    // The forecast gives the run its customers: without it the segment has no rate.
    let text = std::fs::read_to_string(&scenario).unwrap();
    assert!(
        text.contains(&format!("csv = \"swarm-{seed}-forecast.csv\"")),
        "{text}"
    );
    let replayed = ccsim(&[
        "run",
        "--check",
        "--replications",
        "1",
        "-q",
        "--out",
        dir.path().join("run").to_str().unwrap(),
        scenario.to_str().unwrap(),
    ]);
    assert!(replayed.status.success(), "{replayed:?}");
    std::fs::remove_file(&forecast).unwrap();
    let missing = ccsim(&["validate", scenario.to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2), "{missing:?}");
}
