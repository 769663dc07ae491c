//! ST-3 end to end: agents who stop working without logging out keep being given
//! conversations until the platform logs them out; those go back to their queue and never to
//! the same agent again (AA-9). The invariant checker watches the whole run.

use ccsim::report::summary::Summary;

use crate::common::{parse_toml, run_checked};

const DESK: &str = r#"name = "drop-outs"
start = "2026-03-02T00:00"
time_zone = "UTC"
duration_days = 5
seed = 5
replications = 4

[[channels]]
name = "chat"
kind = "live_chat"

[capacity]
live_chat = 2

[[queues]]
name = "desk"
handle_time = { dist = "exponential", mean_s = 300 }

[[agents]]
group = "team"
count = 6
queues = ["desk"]
shift = [{ days = ["mon", "tue", "wed", "thu", "fri"], start = "08:00", end = "16:00" }]
DROP_OUT

[[arrivals]]
name = "chat"
queue = "desk"
channel = "chat"
profile = { interval_min = 60, rates_per_h = [0, 0, 0, 0, 0, 0, 0, 0, 60, 60, 60, 60, 60, 60, 60, 60, 0, 0, 0, 0, 0, 0, 0, 0] }
"#;

#[test]
fn st_3_inactive_agents_are_logged_out_and_their_conversations_go_to_others() {
    let with = parse_toml(&DESK.replace(
        "DROP_OUT",
        "drop_out = { share_of_shifts = 0.4, logout_after_min = 15 }",
    ));
    let without = parse_toml(&DESK.replace("DROP_OUT", ""));
    // run_checked fails on any broken invariant, among them AA-9 and every customer answered once.
    let (run_with, run_without) = (run_checked(&with, 2), run_checked(&without, 2));
    let (s_with, s_without) = (
        Summary::new(&with, &run_with),
        Summary::new(&without, &run_without),
    );
    let taken_back = s_with.overall.unassigned_after_logout.mean;
    assert!(taken_back > 5.0, "{taken_back} conversations taken back");
    assert_eq!(s_without.overall.unassigned_after_logout.mean, 0.0);
    // The same customers arrive in both runs; the drop-outs cost waiting time and agent time.
    assert_eq!(s_with.overall.offered.mean, s_without.overall.offered.mean);
    assert!(s_with.overall.mean_wait_answered_s.mean > s_without.overall.mean_wait_answered_s.mean);
    let offline = |s: &Summary| s.overall.agent_hours_by_status["offline"].mean;
    assert!(offline(&s_with) > offline(&s_without));
}

#[test]
fn aa_9_conversations_taken_back_overnight_do_not_return_to_their_agent() {
    // The platform's logout is slower than the shift: what the inactive agents were given goes
    // back at the end of the shift, waits overnight, and the whole team (the previous agents
    // among them) logs in together in the morning. The checker fails the run if a conversation
    // goes back to an agent that had it (AA-9).
    let s = parse_toml(&DESK.replace(
        "DROP_OUT",
        "drop_out = { share_of_shifts = 0.5, logout_after_min = 600 }",
    ));
    let run = run_checked(&s, 2);
    let summary = Summary::new(&s, &run);
    assert!(summary.overall.unassigned_after_logout.mean > 5.0);
}

#[test]
fn st_3_an_agent_who_leaves_busy_keeps_its_status_and_is_not_logged_out() {
    // Half the team is Busy for its whole shift; every agent drops out on every shift. Only
    // the ones showing Available are logged out: the Busy ones keep Busy until their shift
    // ends (ST-3: "an agent who leaves without logging out keeps the status set").
    let busy_team = r#"
[[agents]]
group = "back-office"
count = 3
queues = ["desk"]
shift = [{ days = ["mon", "tue", "wed", "thu", "fri"], start = "08:00", end = "16:00" }]
status_schedule = [{ days = ["mon", "tue", "wed", "thu", "fri"], start = "08:00", end = "16:00", status = "busy" }]
DROP_OUT
"#;
    let desk = DESK.replace("\n[[arrivals]]", &format!("{busy_team}\n[[arrivals]]"));
    let drop = "drop_out = { share_of_shifts = 1.0, logout_after_min = 15 }";
    let with = parse_toml(&desk.replace("DROP_OUT", drop));
    let without = parse_toml(&desk.replace("DROP_OUT", ""));
    let (run_with, run_without) = (run_checked(&with, 2), run_checked(&without, 2));
    let (s_with, s_without) = (
        Summary::new(&with, &run_with),
        Summary::new(&without, &run_without),
    );
    let hours = |s: &Summary, status: &str| s.overall.agent_hours_by_status[status].mean;
    // 3 agents × 8 h × 5 days Busy, drop-outs or not.
    assert!((hours(&s_without, "busy") - 120.0).abs() < 1e-6);
    assert!(
        (hours(&s_with, "busy") - 120.0).abs() < 1e-6,
        "busy hours with drop-outs: {}",
        hours(&s_with, "busy")
    );
    // The Available ones are logged out: Offline time grows.
    assert!(hours(&s_with, "offline") > hours(&s_without, "offline") + 5.0);
}
