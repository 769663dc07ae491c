//! WhatsApp's window and sessions in the simulation (WIN-1..3). The invariant checker watches
//! every run.

use ccsim::report::summary::{Measures, Summary};
use ccsim::scenario::Scenario;

use crate::common::{parse_toml, run_checked};

/// Friday to Tuesday; the desk works weekdays 09:00–17:00, so Friday evening's customers wait
/// for Monday, more than 24 hours. Customers never give up.
const WEEKEND: &str = r#"name = "weekend"
start = "2026-03-06T00:00"
time_zone = "UTC"
duration_days = 5
seed = 8
replications = 2

[[channels]]
name = "chat"
kind = "KIND"
agent_reply = { dist = "exponential", mean_s = 60 }
AUTO

[[working_hours]]
name = "office"
default = true
hours = [{ days = ["mon", "tue", "wed", "thu", "fri"], start = "09:00", end = "17:00" }]

[[queues]]
name = "desk"

[[agents]]
group = "team"
count = 4
queues = ["desk"]
shift = [{ days = ["mon", "tue", "wed", "thu", "fri"], start = "09:00", end = "17:00" }]

[[arrivals]]
name = "chat"
queue = "desk"
channel = "chat"
rate_per_h = 6
conversation = { exchanges = { dist = "constant", value = 2 }, think = { dist = "exponential", mean_s = 120 }, silent_share = SILENT }

[conversations]
solve_silent_after_min = 2880
close_solved_after_min = 10
"#;

fn run(kind: &str, auto: &str, silent: f64) -> Measures {
    let s: Scenario = parse_toml(
        &WEEKEND
            .replace("KIND", kind)
            .replace("AUTO", auto)
            .replace("SILENT", &silent.to_string()),
    );
    Summary::new(&s, &run_checked(&s, 2)).overall
}

#[test]
fn win_1_replies_after_24_hours_go_out_as_templates_on_whatsapp_only() {
    let wa = run("whatsapp", "", 0.0);
    let templates = wa.conversations.templates_instead_of_free_form.mean;
    // Everyone who wrote between Friday 17:00 and Sunday 09:00 is answered on Monday from
    // 09:00, more than 24 hours later: about 40 hours × 6 customers an hour.
    assert!(templates > 200.0 && templates < 280.0, "{templates}");
    // The customer's reply reopens the window: the rest of the thread is free-form, so there
    // is at most one template per conversation.
    assert!(templates <= wa.answered.mean);
    let chat = run("live_chat", "", 0.0);
    assert_eq!(chat.conversations.templates_instead_of_free_form.mean, 0.0);
}

#[test]
fn win_3_silent_whatsapp_conversations_resolve_themselves_after_12_hours() {
    // Agents would wait two days for a silent customer; WhatsApp resolves it after 12 hours.
    let wa = run("whatsapp", "", 1.0);
    assert!(wa.conversations.auto_resolved.mean > 50.0);
    assert_eq!(
        wa.conversations.auto_resolved.mean,
        wa.conversations.solved.mean
    );
    // Configurable: with 72 hours the agent's two days come first.
    let patient = run("whatsapp", "auto_resolve_after_h = 72", 1.0);
    assert_eq!(patient.conversations.auto_resolved.mean, 0.0);
}

#[test]
fn win_2_a_customer_writing_again_continues_the_open_session_or_starts_a_new_one() {
    // See also conversations.rs: while the conversation is open (Solved), the customer's
    // message continues it; once closed, it starts a new conversation routed afresh.
    let s = parse_toml(
        &WEEKEND
            .replace("KIND", "whatsapp")
            .replace("AUTO", "")
            .replace("SILENT", "0.0")
            .replace(
                "silent_share = 0.0",
                "come_back = { share = 1.0, after = { dist = \"constant\", value_s = 300 } }",
            )
            .replace("close_solved_after_min = 10", "close_solved_after_min = 2"),
    );
    let m = Summary::new(&s, &run_checked(&s, 2)).overall;
    // Back after 5 minutes, closed after 2: every come-back is a new session.
    assert!(m.conversations.came_back.mean > 100.0);
    assert_eq!(m.conversations.reopened.mean, 0.0);
}
