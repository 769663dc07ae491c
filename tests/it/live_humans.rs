//! The human side of a live load, on the live runtime: what the reference bot hands over
//! (BOT-3) is answered by the scenario's agents, whose replies reach the mock's conversation
//! as an Infobip agent's would; after the arrivals end, the agents finish what they hold
//! within the grace period, and what the grace cuts is counted.

use std::sync::Arc;

use ccsim::live::load::{LoadReport, run_with_reference_bot};
use ccsim::model::centre::CentreSpec;

use crate::common::{free_port, parse_toml, whatsapp_load};

/// WhatsApp customers at 60× (a simulated minute a second): 12 a second meet the bot, which
/// hands every one over after its first reply. Agents reply in 30 simulated seconds (0.5 s),
/// customers need two answers and think 6 simulated seconds; Solved conversations close
/// after 12 simulated seconds. A conversation is with its agent for about 1.3 s.
const SCENARIO: &str = r#"name = "live-humans"
start = "2026-03-02T00:00"
time_zone = "UTC"
duration_days = 1
seed = 5

[conversations]
close_solved_after_min = 0.2

[[channels]]
name = "wa"
kind = "whatsapp"
agent_reply = { dist = "constant", value_s = 30 }

[[queues]]
name = "desk"

[[agents]]
group = "team"
count = 10
queues = ["desk"]

[[arrivals]]
name = "wa"
queue = "desk"
channel = "wa"
rate_per_h = 720
patience = { dist = "constant", value_s = 3600 }
conversation = { exchanges = { dist = "constant", value = 2 }, think = { dist = "constant", value_s = 6 } }

[bot]
name = "ai"
channels = ["wa"]
debounce_s = 0.02
reply = { dist = "constant", value_s = 0.02 }
turns = { dist = "constant", value = 1 }
outcomes = [{ resolve_share = 0.0, handoff_share = 1.0 }]
"#;

fn spec(text: &str) -> Arc<CentreSpec> {
    parse_toml(text).centre
}

async fn run(duration_ms: u64, grace_ms: u64) -> LoadReport {
    run_scenario(SCENARIO, duration_ms, grace_ms).await
}

async fn run_scenario(text: &str, duration_ms: u64, grace_ms: u64) -> LoadReport {
    let config = whatsapp_load(spec(text), 5, 60.0, (duration_ms, grace_ms), 2_000);
    let (report, _) = run_with_reference_bot(config, Vec::new(), "live-humans".into(), free_port())
        .await
        .unwrap();
    report
}

// BOT-3, ST-1: the agents take every handoff and their replies are written into the mock's
// conversation (the agent its assignee, each reply an outbound message from it, which the
// mock accepts only from the conversation's assignee).
// And the grace: the arrivals stop after a second, yet every conversation the agents hold
// then is finished (answered twice, Solved, closed) within the grace period.
#[actix_web::test]
async fn bot_3_handed_over_conversations_are_finished_by_agents_within_the_grace() {
    let r = run(1_000, 8_000).await;
    let h = &r.humans;
    assert!(h.handed_over >= 3, "{h:?}");
    assert_eq!(h.handed_over, r.load.handoffs, "{h:?} {:?}", r.load);
    assert_eq!(h.answered, h.handed_over, "{h:?}");
    assert_eq!(
        h.agent_replies,
        2 * h.handed_over,
        "two answers each: {h:?}"
    );
    assert_eq!(h.agent_messages_on_mock, h.agent_replies, "{h:?}");
    assert_eq!(h.open_at_end, 0, "{h:?}");
}

// The grace cuts what the agents hold when it ends, and says so: conversations handed over
// in the last moments of the arrivals cannot be finished in 0.2 s.
#[actix_web::test]
async fn bot_3_a_short_grace_counts_the_conversations_it_cuts() {
    let r = run(1_500, 200).await;
    let h = &r.humans;
    assert!(h.handed_over > 0, "{h:?}");
    assert!(h.open_at_end > 0, "{h:?}");
    assert!(h.open_at_end <= h.handed_over, "{h:?}");
}

// BOT-2 live: an agent gives every handed-over conversation back to the bot after its first
// reply; the mock assigns it to the bot again, the customer writes to it, and the reference
// bot — which stays out of conversations it left — sees it is the assignee again and answers.
// Every customer message is answered, those after the give-back too.
#[actix_web::test]
async fn bot_2_a_conversation_given_back_by_its_agent_is_resumed_by_the_bot() {
    let text = SCENARIO
        .replace(
            "outcomes = [{ resolve_share = 0.0, handoff_share = 1.0 }]",
            "outcomes = [{ resolve_share = 0.5, handoff_share = 0.5 }]\ngive_back_share = 1.0",
        )
        .replace("rate_per_h = 720", "rate_per_h = 1440");
    let r = run_scenario(&text, 1_000, 8_000).await;
    let h = &r.humans;
    assert!(h.given_back > 0, "{h:?}");
    assert_eq!(r.load.given_back, h.given_back, "{:?} {h:?}", r.load);
    assert_eq!(h.given_back, h.handed_over, "every agent gives back: {h:?}");
    assert_eq!(r.load.unanswered, 0, "{:?}", r.load);
    assert_eq!(h.open_at_end, 0, "{h:?}");
}
