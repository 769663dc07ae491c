//! AA-11 end to end: agents move conversations to another queue after their first reply. An
//! agent of the new queue keeps the conversation; any other is unassigned from it, and it waits
//! in the new queue for one of that queue's agents — never its former agent (AA-9). The
//! invariant checker fails any other outcome.

use ccsim::report::summary::Summary;

use crate::common::{parse_toml, run_checked};

const DESKS: &str = r#"name = "transfers"
start = "2026-03-02T00:00"
time_zone = "UTC"
duration_days = 2
seed = 9
replications = 4

[[channels]]
name = "wa"
kind = "whatsapp"
agent_reply = { dist = "exponential", mean_s = 40 }

[capacity]
live_messaging = 3

[[queues]]
name = "sales"
transfers = [{ to = "billing", share = 0.3 }]
SALES_ASSIGNMENT

[[queues]]
name = "billing"
BILLING_ASSIGNMENT

[[agents]]
group = "sales"
count = 5
queues = ["sales"]

[[agents]]
group = "billing"
count = 3
queues = ["billing"]

[[agents]]
group = "floater"
count = 1
queues = ["sales", "billing"]

[[arrivals]]
name = "wa"
queue = "sales"
channel = "wa"
rate_per_h = 40
conversation = { exchanges = { dist = "geometric", mean = 3 }, think = { dist = "exponential", mean_s = 60 } }

[conversations]
close_solved_after_min = 10
"#;

#[test]
fn aa_11_a_member_of_the_new_queue_keeps_it_anyone_else_is_unassigned() {
    let s = parse_toml(
        &DESKS
            .replace("SALES_ASSIGNMENT", "")
            .replace("BILLING_ASSIGNMENT", ""),
    );
    let sum = Summary::new(&s, &run_checked(&s, 2));
    let (sales, billing) = (&sum.queues[0].measures, &sum.queues[1].measures);
    let out = sales.conversations.transfers_out.mean;
    // About 30 % of the conversations sales answers are moved (a moved one is not moved back).
    let share = out / sales.answered.mean;
    assert!((share - 0.3).abs() < 0.03, "{share}");
    assert_eq!(billing.conversations.transfers_in.mean, out);
    // Only the floater belongs to both: it keeps what it moves (about one in nine).
    let kept = sales.conversations.transfers_kept.mean;
    assert!(kept > 0.0 && kept < 0.3 * out, "{kept} of {out}");
    // The rest waited in billing for billing's agents (the checker saw each go to a member of
    // billing that never had it).
    assert_eq!(billing.offered.mean, 0.0);
}

#[test]
fn aa_11_with_assignment_off_in_the_new_queue_it_waits_for_an_agent_to_take_it() {
    let s = parse_toml(
        &DESKS
            .replace("SALES_ASSIGNMENT", "")
            .replace("BILLING_ASSIGNMENT", "automatic_assignment = false"),
    );
    let sum = Summary::new(&s, &run_checked(&s, 2));
    let billing = &sum.queues[1].measures;
    assert!(billing.conversations.transfers_in.mean > 50.0);
    // Nobody is assigned automatically in billing: its agents take the moved conversations by
    // hand, and the replies go on there.
    assert!(billing.conversations.agent_replies.mean > billing.conversations.transfers_in.mean);
}

/// AA-11: a customer moved to a queue whose agents are too few waits there for an answer, with
/// the patience it drew at arrival, and may give up. It was answered once (by sales), so it is
/// counted apart from the queue's abandonments, and the checker still accounts for every
/// customer. Without patience nobody gives up there.
#[test]
fn aa_11_a_moved_customer_waits_with_its_patience_and_its_giving_up_is_counted_apart() {
    let scenario = |patience: &str| {
        let text = DESKS
            .replace("SALES_ASSIGNMENT", "")
            .replace("BILLING_ASSIGNMENT", "")
            // One billing agent, without the floater: the moved conversations queue there.
            .replace(
                "group = \"billing\"\ncount = 3",
                "group = \"billing\"\ncount = 1",
            )
            .replace("queues = [\"sales\", \"billing\"]", "queues = [\"sales\"]")
            .replace(
                "rate_per_h = 40\n",
                &format!("rate_per_h = 40\n{patience}\n"),
            );
        parse_toml(&text)
    };
    let impatient = scenario("patience = { dist = \"exponential\", mean_s = 300 }");
    let sum = Summary::new(&impatient, &run_checked(&impatient, 2));
    let (sales, billing) = (&sum.queues[0].measures, &sum.queues[1].measures);
    let moved = billing.conversations.transfers_in.mean;
    let gave_up = billing.conversations.abandoned_after_requeue.mean;
    assert!(moved > 50.0, "{moved}");
    // Some of the moved customers gave up in billing, not all of them.
    assert!(
        gave_up > 0.05 * moved && gave_up < moved,
        "{gave_up} of {moved}"
    );
    assert_eq!(
        sum.overall.conversations.abandoned_after_requeue.mean,
        gave_up
    );
    assert_eq!(sales.conversations.abandoned_after_requeue.mean, 0.0);
    // Billing offered nobody: its giving up is not a customer's abandonment of the queue.
    assert_eq!(billing.abandoned.mean, 0.0);
    assert_eq!(sum.overall.abandoned.mean, sales.abandoned.mean);

    let patient = scenario("");
    let sum = Summary::new(&patient, &run_checked(&patient, 2));
    assert!(sum.queues[1].measures.conversations.transfers_in.mean > 50.0);
    assert_eq!(sum.overall.conversations.abandoned_after_requeue.mean, 0.0);
}

/// ST-1: one Available agent answers everything and hands a third of it to colleagues who are
/// Busy all day (a back office). Busy agents take no new conversations, but they do receive
/// transferred ones, past their capacity if need be (capacity limits automatic assignment
/// only); the checker fails a transfer to anyone not in the Available, Busy or Away group.
const BACK_OFFICE: &str = r#"name = "agent-transfers"
start = "2026-03-02T00:00"
time_zone = "UTC"
duration_days = 1
seed = 4
replications = 3

[[channels]]
name = "wa"
kind = "whatsapp"
agent_reply = { dist = "exponential", mean_s = 30 }

[capacity]
live_messaging = 4

[conversations]
close_solved_after_min = 1

[[queues]]
name = "desk"
transfers_to_agents = 0.3

[[agents]]
group = "front"
count = 1
queues = ["desk"]

[[agents]]
group = "back-office"
count = 2
queues = ["desk"]
BACK_OFFICE_STATUS

[[arrivals]]
name = "wa"
queue = "desk"
channel = "wa"
rate_per_h = 6
conversation = { exchanges = { dist = "constant", value = 2 }, think = { dist = "exponential", mean_s = 60 } }
"#;

#[test]
fn st_1_busy_and_away_agents_receive_transferred_conversations() {
    for status in ["busy", "away"] {
        let schedule = format!(
            "status_schedule = [{{ days = [\"mon\"], start = \"00:00\", end = \"23:59\", status = \"{status}\" }}]"
        );
        let s = parse_toml(&BACK_OFFICE.replace("BACK_OFFICE_STATUS", &schedule));
        let summary = Summary::new(&s, &run_checked(&s, 2));
        let o = &summary.overall;
        // The front agent answered every customer itself (the back office takes no new ones) …
        assert!(o.offered.mean > 100.0);
        let answered: f64 = o.answered_by.values().map(|e| e.mean).sum();
        assert!(answered > 0.9 * o.offered.mean, "{answered} answered");
        // … and a third of them went to the back office, which received them while
        // showing `status`.
        let share = o.conversations.transfers_to_agents.mean / o.offered.mean;
        assert!((0.2..0.4).contains(&share), "{status}: {share} transferred");
    }
}

#[test]
fn st_1_with_nobody_to_take_it_the_agent_keeps_the_conversation() {
    // The back office is off shift all Monday (ST-1: Unavailable agents receive nothing): no
    // transfer.
    let shift = "shift = [{ days = [\"sun\"], start = \"08:00\", end = \"16:00\" }]";
    let s = parse_toml(&BACK_OFFICE.replace("BACK_OFFICE_STATUS", shift));
    let summary = Summary::new(&s, &run_checked(&s, 2));
    let o = &summary.overall;
    assert!(o.offered.mean > 100.0);
    assert_eq!(o.conversations.transfers_to_agents.mean, 0.0);
    assert!(o.conversations.agent_replies.mean > 2.0 * o.offered.mean * 0.9);
}
