//! Workflows in the simulation (WF-1..5): the automations planners use, run by the platform on
//! the conversations' real events. Every run goes through the invariant checker.

use ccsim::report::summary::{Measures, Summary};
use ccsim::scenario::Scenario;

use crate::common::{parse_toml, run_checked};

/// WhatsApp threads into one desk of 6 agents; `CONVERSATION` and `[conversations]` settings
/// vary; `WORKFLOWS` adds workflows.
const DESK: &str = r#"name = "workflows"
start = "2026-03-02T00:00"
time_zone = "UTC"
duration_days = 3
seed = 31
replications = 3

[[channels]]
name = "wa"
kind = "whatsapp"
agent_reply = { dist = "exponential", mean_s = 60 }
auto_resolve_after_h = 2000

[capacity]
live_messaging = 3

[[queues]]
name = "desk"

[[agents]]
group = "team"
count = 6
queues = ["desk"]

[[arrivals]]
name = "wa"
queue = "desk"
channel = "wa"
rate_per_h = 20
conversation = CONVERSATION

[conversations]
POLICY

WORKFLOWS
"#;

const TALKATIVE: &str = r#"{ exchanges = { dist = "geometric", mean = 3 }, think = { dist = "exponential", mean_s = 90 } }"#;
const SILENT: &str = r#"{ exchanges = { dist = "constant", value = 3 }, think = { dist = "exponential", mean_s = 90 }, silent_share = 1.0 }"#;

fn desk(conversation: &str, policy: &str, workflows: &str) -> Scenario {
    parse_toml(
        &DESK
            .replace("CONVERSATION", conversation)
            .replace("POLICY", policy)
            .replace("WORKFLOWS", workflows),
    )
}

fn summary(s: &Scenario) -> Summary {
    Summary::new(s, &run_checked(s, 2))
}

fn runs(s: &Summary, name: &str) -> f64 {
    s.workflows
        .iter()
        .find(|w| w.name == name)
        .unwrap()
        .runs
        .mean
}

#[test]
fn wf_4_customer_did_not_reply_closes_the_conversation() {
    // Customers go silent after the first reply; agents would wait two days before solving.
    let s = desk(
        SILENT,
        "solve_silent_after_min = 2880",
        r#"[[workflows]]
name = "close silent customers"
triggers = [{ when = "customer_not_replied", after_min = 60 }]
actions = [{ do = "send_message" }, { do = "close" }]
"#,
    );
    let sum = summary(&s);
    let o: &Measures = &sum.overall;
    let closed = o.conversations.workflows.closed.mean;
    // Everyone answered before the last hour of the run is closed an hour after the reply,
    // with a last message first; nobody is solved.
    assert!(
        closed > 0.9 * o.answered.mean,
        "{closed} of {}",
        o.answered.mean
    );
    assert_eq!(o.conversations.workflows.messages.mean, closed);
    assert_eq!(runs(&sum, "close silent customers"), closed);
    assert_eq!(o.conversations.solved.mean, 0.0);
    // Those waiting were never answered: the trigger counts from the first agent message.
    assert_eq!(o.conversations.workflows.closed_while_waiting.mean, 0.0);
}

#[test]
fn wf_4_solved_for_two_hours_closes_the_conversation() {
    let s = desk(
        TALKATIVE,
        "close_solved_after_min = 10000",
        r#"[[workflows]]
name = "close solved"
triggers = [{ when = "solved", after_min = 120 }]
actions = [{ do = "close" }]
"#,
    );
    let o = summary(&s).overall;
    let closed = o.conversations.closed.mean;
    assert_eq!(o.conversations.workflows.closed.mean, closed);
    // Every conversation solved at least two hours before the end is closed by it.
    assert!(
        closed > 0.95 * (o.conversations.solved.mean - 2.0 * 20.0),
        "{closed}"
    );
}

#[test]
fn wf_4_agent_did_not_reply_raises_the_priority_of_long_waiting_conversations() {
    // An overloaded day with a VIP stream at HIGH priority: normal customers who waited ten
    // minutes are raised to URGENT and overtake the VIPs.
    let text = DESK
        .replace("CONVERSATION", TALKATIVE)
        .replace("POLICY", "close_solved_after_min = 1")
        .replace("rate_per_h = 20", "rate_per_h = 40")
        .replace("count = 6", "count = 2")
        + r#"
[[arrivals]]
name = "vip"
queue = "desk"
channel = "wa"
priority = "high"
rate_per_h = 10
conversation = { exchanges = { dist = "geometric", mean = 3 }, think = { dist = "exponential", mean_s = 90 } }
"#;
    let raise = r#"[[workflows]]
name = "raise"
triggers = [{ when = "agent_not_replied", after_min = 10 }]
conditions = [[{ if = "assigned", value = false }]]
actions = [{ do = "set_priority", priority = "urgent" }]
"#;
    let plain = parse_toml(&text.replace("WORKFLOWS", ""));
    let raised = parse_toml(&text.replace("WORKFLOWS", raise));
    let (a, b) = (summary(&plain), summary(&raised));
    assert!(b.overall.conversations.workflows.priority_changes.mean > 50.0);
    // The same customers; the longest waits shrink, at the VIPs' expense.
    assert_eq!(a.overall.offered.mean, b.overall.offered.mean);
    assert!(b.overall.wait_p99_s.mean < a.overall.wait_p99_s.mean);
}

#[test]
fn wf_3_workflows_run_in_list_order_and_trigger_only_later_ones() {
    let tag = r#"[[workflows]]
name = "tag solved"
triggers = [{ when = "status_changed", to = "solved" }]
actions = [{ do = "add_tags", tags = ["done"] }]
"#;
    let notify = r#"[[workflows]]
name = "notify"
triggers = [{ when = "tag_changed" }]
conditions = [[{ if = "tag", in_list = ["done"] }]]
actions = [{ do = "call_api" }]
"#;
    let forward = summary(&desk(TALKATIVE, "", &format!("{tag}\n{notify}")));
    let tagged = runs(&forward, "tag solved");
    assert!(tagged > 100.0);
    // The tag added by the first triggers the second, later in the list (a conversation solved
    // again after a reopening has the tag already: no change, no trigger) …
    let notified = runs(&forward, "notify");
    assert!(
        notified <= tagged && notified > 0.95 * tagged,
        "{notified} of {tagged}"
    );
    assert_eq!(
        forward.overall.conversations.workflows.api_calls.mean,
        notified
    );
    // … but never one earlier in the list.
    let backward = summary(&desk(TALKATIVE, "", &format!("{notify}\n{tag}")));
    assert_eq!(runs(&backward, "notify"), 0.0);
    assert_eq!(runs(&backward, "tag solved"), tagged);
}

#[test]
fn wf_5_unassign_puts_the_conversation_back_for_another_agent() {
    // Slow agents: a conversation whose agent has not replied for 3 minutes goes back to the
    // line, never to the same agent (AA-9, checked).
    let s = parse_toml(
        &DESK
            .replace("CONVERSATION", TALKATIVE)
            .replace("POLICY", "close_solved_after_min = 1")
            .replace("mean_s = 60 }\nauto", "mean_s = 400 }\nauto")
            .replace(
                "WORKFLOWS",
                r#"[[workflows]]
name = "reassign"
triggers = [{ when = "agent_not_replied", after_min = 3 }]
conditions = [[{ if = "assigned", value = true }]]
actions = [{ do = "unassign" }]
"#,
            ),
    );
    let o = summary(&s).overall;
    assert!(o.conversations.workflows.unassigned.mean > 50.0);
    // Logouts are counted apart.
    assert_eq!(o.unassigned_after_logout.mean, 0.0);
}

#[test]
fn win_1_a_workflow_message_outside_the_window_fails() {
    let message = |after_min: u32| {
        format!(
            "[[workflows]]\nname = \"nudge\"\ntriggers = [{{ when = \"customer_not_replied\", after_min = {after_min} }}]\nactions = [{{ do = \"send_message\" }}]\n"
        )
    };
    // Silent customers; agents set Waiting, which does not hold their capacity, and would
    // wait almost three days before solving.
    let policy = "solve_silent_after_min = 4000\nagent_sets_waiting = true\ncounted_statuses = { waiting = false, solved = true }";
    let within = summary(&desk(SILENT, policy, &message(23 * 60)));
    let outside = summary(&desk(SILENT, policy, &message(25 * 60)));
    let w = &within.overall.conversations.workflows;
    let o = &outside.overall.conversations.workflows;
    assert!(w.messages.mean > 100.0 && w.messages_failed.mean == 0.0);
    assert!(o.messages_failed.mean > 100.0 && o.messages.mean == 0.0);
}

#[test]
fn sla_4_a_workflow_solving_a_conversation_owed_a_reply_pauses_its_clocks() {
    // Slow agents; a workflow solves conversations whose agent has not replied for 5 minutes.
    // The checker (with the SLA book) fails the run if any SLA clock runs while Solved.
    let s = parse_toml(
        &DESK
            .replace("CONVERSATION", TALKATIVE)
            .replace("POLICY", "close_solved_after_min = 30")
            .replace("mean_s = 60 }\nauto", "mean_s = 500 }\nauto")
            .replace(
                "WORKFLOWS",
                r#"[[workflows]]
name = "give up"
triggers = [{ when = "agent_not_replied", after_min = 5 }]
conditions = [[{ if = "assigned", value = true }]]
actions = [{ do = "set_solved" }]

[[sla_policies]]
name = "all"
conditions = [[{ attribute = "channel", operator = "is", value = "whatsapp" }]]
severities = [{ name = "default", first_response_min = 10, next_reply_min = 10, resolution_min = 120 }]
"#,
            ),
    );
    let o = summary(&s).overall;
    assert!(o.conversations.workflows.solved.mean > 50.0);
    assert!(o.sla.conversations.mean > 100.0);
}
