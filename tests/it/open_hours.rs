//! Issue 16, finding 1: headline figures over the hours the centre is open, the all-hours ones
//! beside them, and SLA compliance that does not count a customer who gave up as a success.

use ccsim::report::intervals;

use crate::common::interval_column as column;
use ccsim::report::summary::Summary;
use ccsim::scenario;

#[test]
fn the_headline_is_over_open_hours_and_matches_the_interval_rows_with_agents_on_shift() {
    let mut s = scenario::quickstart().unwrap();
    s.replications = 3;
    let run = crate::common::run_checked(&s, 2);
    let summary = Summary::new(&s, &run);
    let csv = intervals::render(&s, &run);
    let (queue, arrivals, on_shift) = (
        column("queue"),
        column("offered_per_rep"),
        column("agents_on_shift"),
    );
    for q in &summary.queues {
        // The open-hours offered count is the interval rows' arrivals where an agent of the
        // queue was on shift (rows are means over replications, to 3 decimals).
        let (mut open_offered, mut open_rows) = (0.0, 0);
        for line in csv.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            if f[queue] == q.name && f[on_shift].parse::<f64>().unwrap() > 0.0 {
                open_offered += f[arrivals].parse::<f64>().unwrap();
                open_rows += 1;
            }
        }
        let open = &q.measures.open_hours;
        assert!(
            (open.offered.mean - open_offered).abs() < 0.001 * f64::from(open_rows) + 1e-9,
            "{}: {} against the rows' {open_offered}",
            q.name,
            open.offered.mean
        );
        assert!((open.open_h.mean - f64::from(open_rows) * 0.5).abs() < 1e-9);
        // The quickstart is closed at night and keeps its night customers waiting: while open
        // it serves them far better than over all hours.
        assert!(open.offered.mean < q.measures.offered.mean, "{}", q.name);
        assert!(
            open.service_level.mean > q.measures.service_level.mean + 0.1,
            "{}: {} open against {} over all hours",
            q.name,
            open.service_level.mean,
            q.measures.service_level.mean
        );
        assert!(
            open.abandon_rate.mean < q.measures.abandon_rate.mean,
            "{}",
            q.name
        );
    }
    // The table leads with the open-hours figures and names both.
    let table = ccsim::report::table::render(&summary);
    assert!(table.contains("while open (an agent on shift)"), "{table}");
    assert!(table.contains("all hours"), "{table}");
}

#[test]
fn sla_3_an_interval_where_every_customer_gave_up_early_has_no_sla_compliance_not_100_percent() {
    let mut s = scenario::quickstart().unwrap();
    s.replications = 2;
    let run = crate::common::run_checked(&s, 1);
    let csv = intervals::render(&s, &run);
    let cols = [
        "sla_first_response_met_per_rep",
        "sla_first_response_breached_per_rep",
        "sla_next_reply_met_per_rep",
        "sla_next_reply_breached_per_rep",
        "sla_resolution_met_per_rep",
        "sla_resolution_breached_per_rep",
    ]
    .map(column);
    let (queue, answered, abandoned, compliance) = (
        column("queue"),
        column("answered_per_rep"),
        column("abandoned_per_rep"),
        column("sla_compliance"),
    );
    // Centre-wide intervals where nobody was answered (nights): every customer gave up, none
    // got a reply or was Solved. No verdict, so no compliance — not 100 %.
    let mut nights = 0;
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f[queue] != "(all)" || f[answered] != "0" || f[abandoned] == "0" {
            continue;
        }
        nights += 1;
        for &c in &cols {
            assert_eq!(f[c], "0", "closing is not solving (SLA-3): {line}");
        }
        assert_eq!(f[compliance], "", "{line}");
    }
    assert!(
        nights > 10,
        "night intervals where everyone gave up: {nights}"
    );
    // Elsewhere, compliance is the share of conversations with a verdict and no breach.
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let n = |i: usize| f[cols[i]].parse::<f64>().unwrap();
        if (0..6).all(|i| n(i) == 0.0) {
            assert_eq!(f[compliance], "", "{line}");
        } else {
            let c: f64 = f[compliance].parse().unwrap();
            assert!((0.0..=1.0).contains(&c), "{line}");
        }
    }
    // Over the run, the summary counts the undecided apart.
    let summary = Summary::new(&s, &run);
    assert!(summary.overall.sla.undecided.mean > 0.0);
}

#[test]
fn agents_on_shift_leaves_out_a_scheduled_break() {
    // Issue 16, finding 9: a break in a status schedule still counted the agent as on shift.
    let text = crate::common::one_queue_scenario("{ dist = \"exponential\", mean_s = 300 }", 3, "rate_per_h = 10")
        .replace(
            "queues = [\"support\"]",
            "queues = [\"support\"]\nshift = [{ days = [\"mon\"], start = \"08:00\", end = \"16:00\" }]\n\
             status_schedule = [{ days = [\"mon\"], start = \"12:00\", end = \"13:00\", status = \"away\" }]",
        );
    let s = crate::common::parse_toml(&text);
    let run = crate::common::run_checked(&s, 1);
    let csv = intervals::render(&s, &run);
    let (start, queue, on_shift) = (
        column("interval_start"),
        column("queue"),
        column("agents_on_shift"),
    );
    let at = |time: &str| -> f64 {
        csv.lines()
            .skip(1)
            .map(|l| l.split(',').collect::<Vec<_>>())
            .find(|f| f[queue] == "support" && f[start].contains(time))
            .unwrap_or_else(|| panic!("no row at {time}"))[on_shift]
            .parse()
            .unwrap()
    };
    assert_eq!(at("T11:30"), 3.0);
    assert_eq!(at("T12:00"), 0.0, "the team is on its break");
    assert_eq!(at("T12:30"), 0.0);
    assert_eq!(at("T13:00"), 3.0);
    assert_eq!(at("T20:00"), 0.0);
}
