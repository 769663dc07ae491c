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
