//! Issue 16, finding 4: charts that tell the truth — each queue's offered load from its own
//! work, and the numbers a chart draws are the numbers of `intervals.csv`.

use std::process::Command;

use crate::common::interval_column as column;

/// The `data-values` of the series `series` in the chart whose title starts with `title`.
fn chart_values(html: &str, title: &str, series: &str) -> Vec<f64> {
    let start = html
        .find(&format!("<title>{title}"))
        .unwrap_or_else(|| panic!("no chart {title}"));
    let chart = &html[start..start + html[start..].find("</svg>").unwrap()];
    let key = format!("data-series=\"{series}\" data-values=\"");
    let at = chart
        .find(&key)
        .unwrap_or_else(|| panic!("no series {series} in {title}"))
        + key.len();
    chart[at..at + chart[at..].find('"').unwrap()]
        .split(' ')
        .map(|v| {
            if v == "nan" {
                f64::NAN
            } else {
                v.parse().unwrap()
            }
        })
        .collect()
}

#[test]
fn f4_the_run_page_draws_the_numbers_of_intervals_csv_and_each_queues_own_load() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ccsim"))
        .args(["run", "-q", "--replications", "3", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    let csv = std::fs::read_to_string(dir.path().join("intervals.csv")).unwrap();
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let of = |queue: &str, col: &str| -> Vec<f64> {
        rows.iter()
            .filter(|r| r[column("queue")] == queue)
            .map(|r| r[column(col)].parse().unwrap_or(f64::NAN))
            .collect()
    };
    // Service level per interval: the chart's numbers are the CSV's (4 decimals there).
    for (queue, chart) in [("(all)", "all"), ("sales", "sales"), ("Default", "Default")] {
        let drawn = chart_values(&html, &format!("{chart}: service level"), "service level");
        let written = of(queue, "service_level");
        assert_eq!(drawn.len(), written.len(), "{queue}");
        for (i, (d, w)) in drawn.iter().zip(&written).enumerate() {
            assert!(
                (d.is_nan() && w.is_nan()) || (d - w).abs() < 5e-5,
                "{queue} interval {i}: drawn {d}, written {w}"
            );
        }
    }
    // Average speed of answer: the same.
    let drawn = chart_values(&html, "average speed of answer", "sales");
    for (d, w) in drawn.iter().zip(of("sales", "asa_s")) {
        assert!(
            (d.is_nan() && w.is_nan()) || (d - w).abs() <= 1e-3,
            "{d} {w}"
        );
    }
    // Offered load: each queue's from its own conversations. Default takes a few customers an
    // hour, so its load stays small; the centre's is the sum of the queues'.
    let load = |scope: &str| {
        chart_values(
            &html,
            &format!("{scope}: offered load"),
            "offered load (arrivals × mean hold)",
        )
    };
    let (default, sales, support, all) =
        (load("Default"), load("sales"), load("support"), load("all"));
    let peak = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
    assert!(
        peak(&default) < 3.0,
        "Default's offered load peaks at {}",
        peak(&default)
    );
    for i in 0..all.len() {
        assert!(
            (all[i] - (default[i] + sales[i] + support[i])).abs() < 1e-5,
            "{i}"
        );
    }
    // It follows the queue's arrivals: offered per interval × one hold time.
    let arrivals = of("Default", "offered_per_rep");
    let ratio: Vec<f64> = default
        .iter()
        .zip(&arrivals)
        .filter(|(_, a)| **a > 0.0)
        .map(|(l, a)| l / a)
        .collect();
    // (The CSV's counts are rounded to 3 decimals.)
    assert!(
        ratio.windows(2).all(|w| (w[0] - w[1]).abs() < 5e-3 * w[0]),
        "{ratio:?}"
    );
    // Ticks name weekdays; axes have titles.
    assert!(html.contains(">Mon 05 Jan<") && html.contains(">Sun 11 Jan<"));
    assert!(
        html.contains(">seconds</text>") && html.contains(">slots (conversations at once)</text>")
    );
}
