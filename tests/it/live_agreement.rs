//! Same actors, same answers: one scenario run in simulation and, compressed 600×, live on the
//! live runtime against the mock with the reference bot. The customers, the bot's decisions,
//! the platform, queues and agents are the same actor code in both; the distributions they
//! produce must agree within what sampling allows.

use ccsim::live::load::run_with_reference_bot;
use ccsim::report::stats::Estimate;
use ccsim::report::summary::Summary;

use crate::common::{free_port, parse_toml, run_checked, whatsapp_load};

/// WhatsApp customers meet the bot, which answers twice and then resolves 60 % of them
/// (closing the conversation) and hands 40 % over; four agents with four chat slots each
/// take the handoffs (busy enough that some wait).
const SCENARIO: &str = r#"name = "agreement"
start = "2026-03-02T00:00"
time_zone = "UTC"
duration_days = 0.0625
seed = 8
replications = 40

[conversations]
close_solved_after_min = 0.5

[[channels]]
name = "wa"
kind = "whatsapp"
agent_reply = { dist = "exponential", mean_s = 40 }

[[queues]]
name = "desk"

[capacity]
live_messaging = 4

[[agents]]
group = "team"
count = 4
queues = ["desk"]

[[arrivals]]
name = "wa"
queue = "desk"
channel = "wa"
rate_per_h = 960
patience = { dist = "constant", value_s = 7200 }
conversation = { exchanges = { dist = "constant", value = 2 }, think = { dist = "constant", value_s = 20 } }

[bot]
name = "ai"
channels = ["wa"]
close_when_resolved = true
debounce_s = 0.02
reply = { dist = "constant", value_s = 0.02 }
turns = { dist = "constant", value = 2 }
outcomes = [{ resolve_share = 0.6, handoff_share = 0.4 }]
"#;

/// The spread of one replication's figure, from the estimate of its mean over `n`
/// replications (its 95 % half-width is about 2.02 standard errors at 40).
fn one_run_sd(e: &Estimate, n: f64) -> f64 {
    e.half_width / 2.02 * n.sqrt()
}

// BOT-3, BOT-4: containment, handoffs and the agents' waits agree between the simulation and
// the live runtime. The live run is one simulated hour (6 s at 600×, about 960 conversations),
// so it is compared with 40 simulated runs of that hour (1.5 h each, so that the last
// arrivals are answered as the live grace lets them be):
// - shares (containment, handoffs): within 0.06, beyond 3.5 standard errors of a share
//   over 960 conversations;
// - waits for an agent, p50 and p90 in simulated seconds: within 3 standard deviations of
//   one simulated hour's figure (a queue's hour varies more than its conversations do).
#[actix_web::test]
async fn bot_3_containment_handoffs_and_waits_agree_between_simulation_and_live() {
    let hour = parse_toml(SCENARIO);
    let reps = f64::from(hour.replications);
    let sim = Summary::new(&hour, &run_checked(&hour, 2));
    let sim_bot = sim.bot.as_ref().expect("a bot");
    let mut config = whatsapp_load(hour.centre.clone(), 8, 600.0, (6_000, 10_000), 2_000);
    config.interval_ms = 1_000;
    let (live, _) = run_with_reference_bot(config, Vec::new(), "agreement".into(), free_port())
        .await
        .unwrap();
    let n = live.load.conversations as f64;
    assert!(n >= 700.0, "{:?}", live.load);
    let live_containment = live.load.closed as f64 / n;
    let live_handoffs = live.load.handoffs as f64 / n;
    let (p50, p90) = (&sim.overall.wait_p50_s, &sim.overall.wait_p90_s);
    let h = &live.humans;
    let report = format!(
        "containment sim {:.3} live {live_containment:.3}; handoffs sim {:.3} live \
         {live_handoffs:.3}; wait p50 sim {:.1} (sd {:.1}) live {:.1} s; p90 sim {:.1} (sd \
         {:.1}) live {:.1} s; {h:?}",
        sim_bot.containment.mean,
        sim_bot.handoff_rate.mean,
        p50.mean,
        one_run_sd(p50, reps),
        h.wait_p50_s,
        p90.mean,
        one_run_sd(p90, reps),
        h.wait_p90_s,
    );
    assert!(
        (live_containment - sim_bot.containment.mean).abs() < 0.06,
        "{report}"
    );
    assert!(
        (live_handoffs - sim_bot.handoff_rate.mean).abs() < 0.06,
        "{report}"
    );
    assert_eq!(h.handed_over, live.load.handoffs, "{report}");
    assert_eq!(h.answered, h.handed_over, "{report}");
    assert_eq!(h.open_at_end, 0, "{report}");
    assert_eq!(live.load.unanswered, 0, "{report}");
    assert!(
        (h.wait_p50_s - p50.mean).abs() < 3.0 * one_run_sd(p50, reps),
        "{report}"
    );
    assert!(
        (h.wait_p90_s - p90.mean).abs() < 3.0 * one_run_sd(p90, reps),
        "{report}"
    );
    // The waits are real: the one agent's four slots are busy enough that some wait.
    assert!(p90.mean > 10.0 && h.wait_p90_s > 1.0, "{report}");
}
