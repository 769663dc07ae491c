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

/// Runs `ccsim` with `args` in `dir`, which must succeed.
fn ccsim_in(dir: &std::path::Path, args: &[&str]) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ccsim"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The header and rows of a CSV file.
fn read_csv(path: &std::path::Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    (header, rows)
}

#[test]
fn f5_every_interval_file_speaks_one_vocabulary_with_spreadsheet_dates_and_counts_per_rep() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let scenario = crate::common::one_queue_scenario(
        "{ dist = \"exponential\", mean_s = 300 }",
        3,
        "rate_per_h = 20\npatience = { dist = \"exponential\", mean_s = 300 }",
    )
    .replace("replications = 2", "replications = 1");
    std::fs::write(d.join("one.toml"), &scenario).unwrap();
    std::fs::write(
        d.join("two.toml"),
        scenario.replace("count = 3", "count = 4"),
    )
    .unwrap();
    std::fs::write(
        d.join("grid.sweep.toml"),
        "name = \"grid\"\nscenario = \"one.toml\"\nreplications = 2\n\n[[grid]]\npath = \"agents.team.count\"\nvalues = [3, 4]\n",
    )
    .unwrap();
    ccsim_in(d, &["run", "one.toml", "--out", "run", "-q"]);
    ccsim_in(
        d,
        &["compare", "one.toml", "two.toml", "--out", "cmp", "-q"],
    );
    ccsim_in(d, &["sweep", "grid.sweep.toml", "--out", "sweep", "-q"]);
    ccsim_in(
        d,
        &[
            "staff",
            "one.toml",
            "--out",
            "staff",
            "-q",
            "--replications",
            "2",
            "--max-rounds",
            "2",
        ],
    );
    let files = [
        ("run", d.join("run/intervals.csv")),
        ("channel", d.join("run/intervals_by_channel.csv")),
        ("compare", d.join("cmp/compare_intervals.csv")),
        ("sweep", d.join("sweep/intervals.csv")),
        ("staff", d.join("staff/staffing.csv")),
    ];
    let doc = std::fs::read_to_string("docs/report-format.md").unwrap();
    // Names retired because another file called the same measure otherwise.
    let retired = [
        "arrivals",
        "mean_wait_s",
        "staffed_slots_mean",
        "busy_slots_mean",
        "max_queue_length_mean",
        "offered",
    ];
    for (what, path) in &files {
        let (header, rows) = read_csv(path);
        let at = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .unwrap_or_else(|| panic!("{what}: no column {name} in {header:?}"))
        };
        let (start, date, time) = (at("interval_start"), at("date"), at("time"));
        assert_eq!((date, time), (start + 1, start + 2), "{what}");
        for row in &rows {
            // 2026-01-05T08:30+00:00 → 2026-01-05 and 08:30.
            assert_eq!(row[start].len(), 22, "{what}: {row:?}");
            assert_eq!(row[date], row[start][..10], "{what}");
            assert_eq!(row[time], row[start][11..16], "{what}");
        }
        for h in &header {
            assert!(!retired.contains(&h.as_str()), "{what}: retired name {h}");
            assert!(
                doc.contains(&format!("`{h}`")),
                "{what}: column {h} is not in docs/report-format.md"
            );
        }
        // The same measure has the same name everywhere it appears.
        if *what != "compare" {
            assert!(header.contains(&"asa_s".to_string()), "{what}");
            assert!(header.contains(&"service_level".to_string()), "{what}");
        }
    }
    // Counts per replication: with one replication, whole numbers.
    let (header, rows) = read_csv(&files[0].1);
    let offered = header.iter().position(|h| h == "offered_per_rep").unwrap();
    let (channel_header, _) = read_csv(&files[1].1);
    assert_eq!(
        channel_header[offered + 2],
        "offered_per_rep",
        "channel: after channel, threshold_s"
    );
    assert!(
        rows.iter().all(|r| !r[offered].contains('.')),
        "one replication: counts"
    );
    // Compare's long format names the same measure offered_per_rep.
    let (header, rows) = read_csv(&files[2].1);
    let metric = header.iter().position(|h| h == "metric").unwrap();
    assert!(rows.iter().any(|r| r[metric] == "offered_per_rep"));
}
