//! Issue 16, finding 5: every report file labels its intervals with the UTC offset, so the hour
//! the clocks go back does not give two intervals the same label (compare, staffing and sweep
//! files had none).

use ccsim::plan::sweep::interval_label;

#[test]
fn interval_labels_stay_distinct_across_the_october_clock_change() {
    let text = crate::common::one_queue_scenario(
        "{ dist = \"exponential\", mean_s = 300 }",
        2,
        "rate_per_h = 4",
    )
    .replace(
        "start = \"2026-01-05T00:00\"",
        "start = \"2026-10-24T00:00\"",
    )
    .replace("time_zone = \"UTC\"", "time_zone = \"Europe/Berlin\"")
    .replace("duration_days = 1", "duration_days = 2");
    let s = crate::common::parse_toml(&text);
    let labels: Vec<String> = (0..s.centre.interval_count())
        .map(|i| interval_label(&s, i))
        .collect();
    // 48 hours of half-hours, one of them lived twice on the 25th.
    assert_eq!(labels.len(), 96);
    let unique: std::collections::BTreeSet<&String> = labels.iter().collect();
    assert_eq!(unique.len(), labels.len(), "{labels:?}");
    assert!(labels.contains(&"2026-10-25T02:30+02:00".to_string()));
    assert!(labels.contains(&"2026-10-25T02:30+01:00".to_string()));
    // The run's intervals.csv writes the same labels.
    let run = crate::common::run_checked(&s, 1);
    let csv = ccsim::report::intervals::render(&s, &run);
    let first_column: Vec<&str> = csv
        .lines()
        .skip(1)
        .filter(|l| l.contains(",(all),"))
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(first_column, labels);
}
