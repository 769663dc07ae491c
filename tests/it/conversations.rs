//! The life of a conversation end to end: exchanges, bursts, replies, Solved and Closed,
//! silences, come-backs, and which statuses count toward capacity (CAP-4). Every run goes
//! through the invariant checker.

use ccsim::report::summary::Summary;
use ccsim::scenario::Scenario;

use crate::common::{parse_toml, run_checked};

/// WhatsApp customers 08:00–16:00 on one day (nobody arrives later, so every conversation
/// ends within the run), eight agents of capacity 3, and a conversation model given by
/// `CONVERSATION`; `[conversations]` settings in `POLICY`.
const THREADS: &str = r#"name = "threads"
start = "2026-03-02T00:00"
time_zone = "UTC"
duration_days = 1
seed = 11
replications = 3

POLICY

[[channels]]
name = "wa"
kind = "whatsapp"
agent_reply = { dist = "exponential", mean_s = 45 }

[capacity]
live_messaging = 3

[[queues]]
name = "desk"
ASSIGNMENT

[[agents]]
group = "team"
count = 8
queues = ["desk"]

[[arrivals]]
name = "wa"
queue = "desk"
channel = "wa"
POPULATION
profile = { interval_min = 60, rates_per_h = [0, 0, 0, 0, 0, 0, 0, 0, 70, 70, 70, 70, 70, 70, 70, 70, 0, 0, 0, 0, 0, 0, 0, 0] }
conversation = CONVERSATION
"#;

fn threads(conversation: &str, policy: &str) -> Scenario {
    parse_toml(
        &THREADS
            .replace("CONVERSATION", conversation)
            .replace("POLICY", policy)
            .replace("ASSIGNMENT", "")
            .replace("POPULATION", ""),
    )
}

fn summary(s: &Scenario) -> Summary {
    Summary::new(s, &run_checked(s, 2))
}

#[test]
fn every_exchange_gets_one_reply_and_every_conversation_is_solved_then_closed() {
    let s = threads(
        r#"{ exchanges = { dist = "constant", value = 3 }, think = { dist = "exponential", mean_s = 60 }, burst_messages = { dist = "constant", value = 2 } }"#,
        "[conversations]\nclose_solved_after_min = 30",
    );
    let c = summary(&s).overall;
    let offered = c.offered.mean;
    assert!(offered > 400.0, "{offered}");
    // Nobody abandons and the day ends empty: three turns of two messages, three replies, one
    // Solved and one Closed per conversation — exactly.
    assert_eq!(c.answered.mean, offered);
    let conv = &c.conversations;
    assert_eq!(conv.customer_messages.mean, 6.0 * offered);
    assert_eq!(conv.agent_replies.mean, 3.0 * offered);
    assert_eq!(conv.solved.mean, offered);
    assert_eq!(conv.closed.mean, offered);
    assert_eq!(conv.reopened.mean, 0.0);
    // Later replies take the agents' reply time (mean 45 s); the first includes the wait.
    let next = conv.next_reply_mean_s.mean;
    assert!((next - 45.0).abs() < 5.0, "next reply {next} s");
    assert!(conv.first_reply_mean_s.mean >= next - 5.0);
}

#[test]
fn silent_customers_are_solved_after_the_agents_patience() {
    let s = threads(
        r#"{ exchanges = { dist = "constant", value = 4 }, think = { dist = "constant", value_s = 30 }, silent_share = 1.0 }"#,
        "[conversations]\nsolve_silent_after_min = 10\nclose_solved_after_min = 5",
    );
    let c = summary(&s).overall;
    // Each customer stops after the first reply: one reply each, all solved by silence.
    assert_eq!(c.conversations.agent_replies.mean, c.offered.mean);
    assert_eq!(c.conversations.solved.mean, c.offered.mean);
    assert!(c.conversations.next_reply_mean_s.mean.is_nan());
}

#[test]
fn cap_4_excluding_solved_frees_agents_for_new_conversations() {
    let conversation = r#"{ exchanges = { dist = "geometric", mean = 3 }, think = { dist = "exponential", mean_s = 90 } }"#;
    let counted = threads(conversation, "[conversations]\nclose_solved_after_min = 60");
    let lean = threads(
        conversation,
        "[conversations]\nclose_solved_after_min = 60\ncounted_statuses = { waiting = true, solved = false }",
    );
    let (a, b) = (summary(&counted).overall, summary(&lean).overall);
    // The same customers arrive in both runs.
    assert_eq!(a.offered.mean, b.offered.mean);
    // With Solved counting, a solved conversation holds its slot for an hour: the agents are
    // full far more often and customers wait far longer.
    let full = |m: &ccsim::report::summary::Measures| m.agent_hours_by_status["full_capacity"].mean;
    assert!(full(&a) > 2.0 * full(&b), "{} vs {}", full(&a), full(&b));
    assert!(
        a.mean_wait_answered_s.mean > 2.0 * b.mean_wait_answered_s.mean,
        "{} vs {}",
        a.mean_wait_answered_s.mean,
        b.mean_wait_answered_s.mean
    );
    assert!(a.occupancy.mean > b.occupancy.mean);
}

#[test]
fn cap_4_waiting_excluded_while_agents_set_waiting() {
    let conversation = r#"{ exchanges = { dist = "constant", value = 4 }, think = { dist = "exponential", mean_s = 600 } }"#;
    let open = threads(conversation, "[conversations]\nclose_solved_after_min = 1");
    let waiting = threads(
        conversation,
        "[conversations]\nclose_solved_after_min = 1\nagent_sets_waiting = true\ncounted_statuses = { waiting = false, solved = true }",
    );
    let (a, b) = (summary(&open).overall, summary(&waiting).overall);
    // Customers think for ten minutes between turns: counting that time keeps agents full.
    assert!(a.occupancy.mean > 1.5 * b.occupancy.mean);
    assert!(a.mean_wait_answered_s.mean > b.mean_wait_answered_s.mean);
}

#[test]
fn come_backs_reopen_a_solved_conversation_or_start_a_new_one_once_it_is_closed() {
    let conversation = |after_min: u32| {
        format!(
            r#"{{ exchanges = {{ dist = "constant", value = 1 }}, think = {{ dist = "constant", value_s = 30 }}, come_back = {{ share = 0.5, after = {{ dist = "constant", value_s = {} }} }} }}"#,
            after_min * 60
        )
    };
    // Back after 10 minutes, closed after 30: into the Solved conversation, same agent.
    let reopen = summary(&threads(
        &conversation(10),
        "[conversations]\nclose_solved_after_min = 30",
    ))
    .overall;
    // Each time a conversation is solved, its customer comes back with probability 0.5.
    let share = reopen.conversations.reopened.mean / reopen.conversations.solved.mean;
    assert!((share - 0.5).abs() < 0.03, "{share}");
    assert_eq!(reopen.conversations.came_back.mean, 0.0);
    // Back after 60 minutes, closed after 30: a new conversation, routed and queued afresh.
    let anew = summary(&threads(
        &conversation(60),
        "[conversations]\nclose_solved_after_min = 30",
    ))
    .overall;
    assert_eq!(anew.conversations.reopened.mean, 0.0);
    let came_back = anew.conversations.came_back.mean;
    assert!(came_back > 0.2 * anew.offered.mean, "{came_back}");
}

#[test]
fn aa_2_customers_who_come_back_after_closing_get_their_sticky_agent() {
    let s = parse_toml(
        &THREADS
            .replace(
                "CONVERSATION",
                r#"{ exchanges = { dist = "constant", value = 2 }, think = { dist = "constant", value_s = 30 }, come_back = { share = 0.6, after = { dist = "exponential", mean_s = 5400 } } }"#,
            )
            .replace("POLICY", "[conversations]\nclose_solved_after_min = 20")
            .replace("ASSIGNMENT", "assignment = { mode = \"sticky\", look_back = \"days30\" }")
            .replace("POPULATION", "")
            .replace("70, ", "30, ")
            .replace("70]", "30]"),
    );
    // The checker fails any sticky assignment that is not the customer's last agent.
    let c = summary(&s).overall;
    assert!(c.conversations.came_back.mean > 50.0);
    assert!(c.answered_by["sticky"].mean > 20.0, "{:?}", c.answered_by);
}

#[test]
fn st_4_wrap_up_after_calls_is_agent_time_but_holds_no_capacity() {
    let calls = |wrap_up: &str| {
        parse_toml(&format!(
            r#"name = "calls"
start = "2026-03-02T00:00"
time_zone = "UTC"
duration_days = 2
seed = 4
replications = 3

[[channels]]
name = "phone"
kind = "voice"
{wrap_up}

[[queues]]
name = "desk"
handle_time = {{ dist = "exponential", mean_s = 240 }}

[[agents]]
group = "team"
count = 6
queues = ["desk"]

[[arrivals]]
name = "calls"
queue = "desk"
channel = "phone"
rate_per_h = 75
patience = {{ dist = "exponential", mean_s = 120 }}
"#
        ))
    };
    let plain = summary(&calls("")).overall;
    let wrapped = summary(&calls(r#"wrap_up = { dist = "constant", value_s = 60 }"#)).overall;
    // One minute of wrap-up per answered call, counted as agent time …
    let hours = wrapped.conversations.wrap_up_agent_hours.mean;
    let expected = wrapped.answered.mean / 60.0;
    // (Less the calls still under way at the end, at most one per agent.)
    assert!(
        hours <= expected && hours > expected - 6.0 / 60.0,
        "{hours} h for {expected} h"
    );
    assert_eq!(plain.conversations.wrap_up_agent_hours.mean, 0.0);
    // … and none of the capacity (CAP-3): the same callers, the same waits to the millisecond.
    assert_eq!(plain.answered.mean, wrapped.answered.mean);
    assert_eq!(
        plain.mean_wait_answered_s.mean,
        wrapped.mean_wait_answered_s.mean
    );
    assert_eq!(plain.occupancy.mean, wrapped.occupancy.mean);
}
