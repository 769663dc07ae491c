//! Issue 16, finding 3: WFM files as the tools export them — dated long-format forecasts with a
//! column mapping, any separator, `HH:MM:SS`, missing intervals as zero, one error per real
//! problem — and dated rosters with days off.

use std::path::Path;

use ccsim::model::arrival_rate::ArrivalRate;
use ccsim::report::intervals;
use ccsim::scenario::error::ScenarioError;
use ccsim::scenario::{self, Scenario, input_file::FileRoot, locate::Format};

use crate::common::interval_column as column;

/// Parses `toml` with `files` (name, text) beside it.
fn with_files(
    toml: &str,
    files: &[(&str, &str)],
) -> (Result<Scenario, ScenarioError>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let s = scenario::parse(
        toml,
        Format::Toml,
        Path::new("test.toml"),
        &FileRoot::strict(dir.path()),
    );
    (s, dir)
}

fn valid(toml: &str, files: &[(&str, &str)]) -> (Scenario, tempfile::TempDir) {
    let (s, dir) = with_files(toml, files);
    (s.unwrap_or_else(|e| panic!("valid: {e}")), dir)
}

fn problems(toml: &str, files: &[(&str, &str)]) -> String {
    match with_files(toml, files).0 {
        Ok(_) => panic!("expected problems"),
        Err(e) => e.to_string(),
    }
}

/// Two queues fed by one segment each, in Berlin, with `extra` appended (a `[forecast]`).
fn two_queues(days: u32, extra: &str) -> String {
    format!(
        r#"name = "wfm"
start = "2026-10-19T00:00"
time_zone = "Europe/Berlin"
duration_days = {days}
seed = 3
replications = 1
report_interval_min = 30

[[channels]]
name = "phone"
kind = "voice"

[[channels]]
name = "chat"
kind = "live_chat"

[[queues]]
name = "billing"
handle_time = {{ dist = "constant", value_s = 60 }}

[[queues]]
name = "tech"
handle_time = {{ dist = "constant", value_s = 60 }}

[[agents]]
group = "a"
count = 40
queues = ["billing", "tech"]

[[arrivals]]
name = "billing-calls"
queue = "billing"
channel = "phone"

[[arrivals]]
name = "tech-chats"
queue = "tech"
channel = "chat"
{extra}"#
    )
}

/// The interval rows' arrivals of `queue`, by interval label.
fn arrivals_by_interval(s: &Scenario, queue: &str) -> Vec<(String, f64)> {
    let run = crate::common::run_checked(s, 1);
    let csv = intervals::render(s, &run);
    let (label, q, arrivals) = (
        column("interval_start"),
        column("queue"),
        column("offered_per_rep"),
    );
    csv.lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f[q] == queue)
        .map(|f| (f[label].to_string(), f[arrivals].parse().unwrap()))
        .collect()
}

#[test]
fn f3_a_dated_pipe_separated_iex_style_forecast_puts_each_volume_on_its_date_and_interval() {
    // NICE IEX style: pipe-separated, dates as mmddyyyy, periods as HH:MM:SS, its own column
    // names, rows only where something is forecast, over two weeks.
    let forecast = "Date|Period|CT|Offered|AHT\n\
                    10202026|09:00:00|billing|300|\n\
                    10202026|09:30:00|tech|200|\n\
                    10282026|14:00:00|billing|250|\n";
    let toml = two_queues(
        14,
        r#"[forecast]
csv = "f.csv"
date_format = "%m%d%Y"
columns = { date = "Date", start = "Period", queue = "CT", volume = "Offered", aht = "AHT" }
"#,
    );
    let (s, _dir) = valid(&toml, &[("f.csv", forecast)]);
    let billing = arrivals_by_interval(&s, "billing");
    let tech = arrivals_by_interval(&s, "tech");
    let at = |rows: &[(String, f64)], label: &str| {
        rows.iter()
            .find(|r| r.0.starts_with(label))
            .map(|r| r.1)
            .unwrap()
    };
    // Poisson(300): sd ≈ 17.
    assert!(
        (240.0..360.0).contains(&at(&billing, "2026-10-20T09:00")),
        "{billing:?}"
    );
    assert!((200.0..300.0).contains(&at(&billing, "2026-10-28T14:00")));
    assert!((150.0..250.0).contains(&at(&tech, "2026-10-20T09:30")));
    // Nothing anywhere else: a missing row is no volume.
    let elsewhere: f64 = billing
        .iter()
        .filter(|r| !r.0.starts_with("2026-10-20T09:00") && !r.0.starts_with("2026-10-28T14:00"))
        .map(|r| r.1)
        .sum();
    assert_eq!(elsewhere, 0.0);
    assert_eq!(tech.iter().map(|r| r.1).filter(|&v| v > 0.0).count(), 1);
}

#[test]
fn f3_semicolons_decimal_commas_hh_mm_ss_and_queue_names_read_as_a_european_spreadsheet_saves_them()
{
    // With the byte-order mark Excel writes at the start of a UTF-8 file.
    let forecast = "\u{feff}date;start;queue;volume;aht_s\n\
                    2026-10-19;08:00:00;billing;10,5;05:00\n\
                    2026-10-19;08:30:00;billing;12,5;300\n";
    let toml = two_queues(1, "[forecast]\ncsv = \"f.csv\"\n").replace(
        "name = \"tech-chats\"",
        "name = \"tech-chats\"\nrate_per_h = 2",
    );
    let (s, _dir) = valid(&toml, &[("f.csv", forecast)]);
    let seg = &s.centre.segments[0];
    assert!(matches!(seg.rate, ArrivalRate::Dated(_)));
    let expected = seg
        .rate
        .expected_arrivals(&s.centre.calendar, 0, s.centre.horizon_ms);
    assert!((expected - 23.0).abs() < 1e-9, "{expected}");
    // The segment with its own rate keeps it.
    assert!(matches!(
        s.centre.segments[1].rate,
        ArrivalRate::Constant { rate_per_h } if rate_per_h == 2.0
    ));
}

#[test]
fn f3_a_segment_the_forecast_does_not_name_and_that_has_no_rate_is_told_what_to_add() {
    let forecast = "date,start,queue,volume\n2026-10-19,08:00,billing,5\n";
    let text = problems(
        &two_queues(1, "[forecast]\ncsv = \"f.csv\"\n"),
        &[("f.csv", forecast)],
    );
    assert!(text.contains("arrivals[1]"), "{text}");
    assert!(text.contains("the [forecast] has no rows for it"), "{text}");
    assert!(
        text.contains("'tech-chats'") && text.contains("'tech'"),
        "{text}"
    );
}

#[test]
fn f3_one_mistake_on_every_row_is_reported_a_few_times_and_counted_not_once_per_row() {
    // 300 rows with a 15-minute grid read as 30-minute intervals: every other start is off
    // the grid. And 100 rows that name a queue the scenario does not have.
    let mut forecast = String::from("date,start,queue,volume\n");
    for k in 0..300 {
        let minutes = k * 15;
        forecast.push_str(&format!(
            "2026-10-19,{:02}:{:02},billing,1\n",
            (minutes / 60) % 24,
            minutes % 60
        ));
    }
    for k in 0..100 {
        forecast.push_str(&format!("2026-10-20,{:02}:00,sales,1\n", k % 24));
    }
    let text = problems(
        &two_queues(2, "[forecast]\ncsv = \"f.csv\"\n"),
        &[("f.csv", &forecast)],
    );
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("f.csv:")).collect();
    assert!(lines.len() <= 8, "{} lines:\n{text}", lines.len());
    assert!(
        text.contains("not the start of a 30-minute interval"),
        "{text}"
    );
    assert!(text.contains("more rows with the same problem"), "{text}");
    // The unknown queue: one error, with its count and first line.
    let sales: Vec<&&str> = lines.iter().filter(|l| l.contains("'sales'")).collect();
    assert_eq!(sales.len(), 1, "{text}");
    assert!(
        sales[0].contains("on 100 rows") && sales[0].contains("f.csv:302"),
        "{text}"
    );
}

#[test]
fn f3_a_semicolon_file_with_wrong_column_names_says_how_it_was_read_once() {
    let forecast = "Datum;Intervall;Warteschlange;Anrufe\n2026-10-19;08:00;billing;3\n";
    let text = problems(
        &two_queues(1, "[forecast]\ncsv = \"f.csv\"\n"),
        &[("f.csv", forecast)],
    );
    assert!(text.contains("semicolon, detected"), "{text}");
    assert!(
        text.contains("Datum, Intervall, Warteschlange, Anrufe"),
        "{text}"
    );
    assert!(text.contains("[forecast.columns]"), "{text}");
}

#[test]
fn f3_the_night_the_clocks_go_back_the_repeated_half_hours_take_two_rows_each() {
    // Berlin, Sunday 2026-10-25: 02:00–03:00 happens twice. Rows for 02:00 and 02:30 each
    // appear twice (first and second pass), plus 03:00 once.
    let forecast = "date,start,queue,volume\n\
                    2026-10-25,02:00,billing,10\n\
                    2026-10-25,02:30,billing,20\n\
                    2026-10-25,02:00,billing,30\n\
                    2026-10-25,02:30,billing,40\n\
                    2026-10-25,03:00,billing,50\n";
    let toml = two_queues(7, "[forecast]\ncsv = \"f.csv\"\n").replace(
        "name = \"tech-chats\"",
        "name = \"tech-chats\"\nrate_per_h = 1",
    );
    let (s, _dir) = valid(&toml, &[("f.csv", forecast)]);
    let rate = &s.centre.segments[0].rate;
    let cal = &s.centre.calendar;
    // 2026-10-25T02:00+02:00 (first pass) is 6 days and 2 hours after the start.
    let first = 6 * 86_400_000 + 2 * 3_600_000;
    let half = 1_800_000;
    let e = |k: u64| rate.expected_arrivals(cal, first + k * half, first + (k + 1) * half);
    let got: Vec<f64> = (0..5).map(e).collect();
    for (g, want) in got.iter().zip([10.0, 20.0, 30.0, 40.0, 50.0]) {
        assert!((g - want).abs() < 1e-9, "{got:?}");
    }
    // A third row for a repeated half hour is a mistake.
    let three = format!("{forecast}2026-10-25,02:00,billing,1\n");
    let text = problems(&toml, &[("f.csv", &three)]);
    assert!(
        text.contains("f.csv:7") && text.contains("line 2"),
        "{text}"
    );
    // On any other day, a repeated row is one too.
    let twice = "date,start,queue,volume\n2026-10-20,09:00,billing,1\n2026-10-20,09:00,billing,1\n";
    let text = problems(&toml, &[("f.csv", twice)]);
    assert!(
        text.contains("f.csv:3") && text.contains("appears again"),
        "{text}"
    );
}

#[test]
fn f3_rows_outside_the_run_are_left_out_with_a_warning_and_a_forecast_that_misses_it_is_an_error() {
    let forecast = "date,start,queue,volume\n\
                    2026-10-19,09:00,billing,5\n\
                    2026-11-30,09:00,billing,7\n";
    let toml = two_queues(3, "[forecast]\ncsv = \"f.csv\"\n").replace(
        "name = \"tech-chats\"",
        "name = \"tech-chats\"\nrate_per_h = 1",
    );
    let (s, _dir) = valid(&toml, &[("f.csv", forecast)]);
    let w: Vec<&str> = s.warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(
        w.iter()
            .any(|m| m.contains("1 rows of f.csv (7 contacts) fall outside the run")),
        "{w:?}"
    );
    let late = "date,start,queue,volume\n2027-01-04,09:00,billing,5\n";
    let text = problems(&toml, &[("f.csv", late)]);
    assert!(text.contains("none falls inside it"), "{text}");
    // A run longer than the forecast is a warning naming the last date.
    let (s, _dir) = valid(
        &toml,
        &[(
            "f.csv",
            "date,start,queue,volume\n2026-10-19,09:00,billing,5\n",
        )],
    );
    assert!(
        s.warnings
            .iter()
            .any(|w| w.field == "duration_days" && w.message.contains("ends on 2026-10-19")),
        "{:?}",
        s.warnings
    );
}

#[test]
fn f3_a_segment_with_its_own_rate_and_forecast_rows_is_one_error() {
    let forecast = "date,start,queue,volume\n2026-10-19,09:00,tech,5\n2026-10-19,09:00,billing,5\n";
    let toml = two_queues(1, "[forecast]\ncsv = \"f.csv\"\n").replace(
        "name = \"tech-chats\"",
        "name = \"tech-chats\"\nrate_per_h = 1",
    );
    let text = problems(&toml, &[("f.csv", forecast)]);
    assert!(
        text.contains("segment 'tech-chats' its arrivals, but the segment has its own rate_per_h"),
        "{text}"
    );
    assert!(text.contains("f.csv:2"), "{text}");
}

#[test]
fn f3_the_forecast_aht_sets_the_mean_handle_time_of_its_interval() {
    // Constant handle time of 60 s as the shape: a customer of the 09:00 interval is handled
    // for exactly that interval's AHT.
    let forecast = "date,start,queue,volume,aht_s\n\
                    2026-10-19,09:00,billing,10,120\n\
                    2026-10-19,09:30,billing,30,04:00\n";
    let toml = two_queues(1, "[forecast]\ncsv = \"f.csv\"\n").replace(
        "name = \"tech-chats\"",
        "name = \"tech-chats\"\nrate_per_h = 1",
    );
    let (s, _dir) = valid(&toml, &[("f.csv", forecast)]);
    let c = &s.centre;
    let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(1);
    let nine = 9 * 3_600_000;
    assert_eq!(c.sample_handle_ms(0, 0, nine + 1, &mut rng), Some(120_000));
    assert_eq!(
        c.sample_handle_ms(0, 0, nine + 1_800_000, &mut rng),
        Some(240_000)
    );
    // Outside the forecast's rows the queue's own handle time holds.
    assert_eq!(c.sample_handle_ms(0, 0, 0, &mut rng), Some(60_000));
    // The run header and staffing use the volume-weighted mean: (10·120 + 30·240) / 40.
    let slot = c.mean_slot_time(0, 0);
    assert!((slot.handle_ms - 210_000.0).abs() < 1e-6, "{slot:?}");
}

/// One group of two agents on a weekday shift, with a dated schedule beside it.
fn scheduled(group_shift: bool) -> String {
    format!(
        r#"name = "roster"
start = "2026-01-05T00:00"
time_zone = "Europe/Berlin"
duration_days = 7
seed = 1
replications = 1
report_interval_min = 30

[[channels]]
name = "chat"
kind = "live_chat"

[[queues]]
name = "q"
handle_time = {{ dist = "constant", value_s = 60 }}

[[agents]]
group = "a"
count = 2
queues = ["q"]
schedule_csv = "schedule.csv"
{shift}

[[arrivals]]
name = "web"
queue = "q"
channel = "chat"
rate_per_h = 1
"#,
        shift = if group_shift {
            r#"shift = [{ days = ["mon", "tue", "wed", "thu", "fri"], start = "08:00", end = "16:00" }]"#
        } else {
            ""
        }
    )
}

fn on_shift_at(s: &Scenario, label: &str) -> f64 {
    let run = crate::common::run_checked(s, 1);
    let csv = intervals::render(s, &run);
    let (l, q, on) = (
        column("interval_start"),
        column("queue"),
        column("agents_on_shift"),
    );
    csv.lines()
        .skip(1)
        .map(|line| line.split(',').collect::<Vec<_>>())
        .find(|f| f[q] == "q" && f[l].starts_with(label))
        .map(|f| f[on].parse().unwrap())
        .unwrap_or_else(|| panic!("no row {label}"))
}

#[test]
fn f3_a_dated_schedule_replaces_the_weekly_shift_on_its_dates_with_days_off_and_extra_shifts() {
    // a-1: Tuesday off, Saturday 10:00–12:00 extra, Thursday a late shift instead of the
    // early one. a-2: no rows, the weekly shift.
    let schedule = "agent_id;date;start;end\n\
                    a-1;2026-01-06;off;off\n\
                    a-1;2026-01-10;10:00;12:00\n\
                    a-1;2026-01-08;14:00:00;22:00:00\n";
    let (s, _dir) = valid(&scheduled(true), &[("schedule.csv", schedule)]);
    assert_eq!(on_shift_at(&s, "2026-01-05T09:00"), 2.0, "Monday: both");
    assert_eq!(on_shift_at(&s, "2026-01-06T09:00"), 1.0, "Tuesday: a-1 off");
    assert_eq!(
        on_shift_at(&s, "2026-01-08T09:00"),
        1.0,
        "Thursday morning: a-1 late"
    );
    assert_eq!(
        on_shift_at(&s, "2026-01-08T20:00"),
        1.0,
        "Thursday evening: a-1"
    );
    assert_eq!(
        on_shift_at(&s, "2026-01-10T10:30"),
        1.0,
        "Saturday: a-1's extra"
    );
    assert_eq!(on_shift_at(&s, "2026-01-10T13:00"), 0.0);
}

#[test]
fn f3_an_agent_without_a_weekly_shift_works_only_its_dated_shifts() {
    let schedule = "agent_id,date,start,end\n\
                    a-1,2026-01-07,22:00,06:00\n\
                    a-2,2026-01-07,,\n";
    let (s, _dir) = valid(&scheduled(false), &[("schedule.csv", schedule)]);
    assert_eq!(
        on_shift_at(&s, "2026-01-05T09:00"),
        0.0,
        "no rows: not on shift"
    );
    assert_eq!(on_shift_at(&s, "2026-01-07T23:00"), 1.0, "a night shift");
    assert_eq!(on_shift_at(&s, "2026-01-08T05:30"), 1.0, "past midnight");
    assert_eq!(on_shift_at(&s, "2026-01-08T06:00"), 0.0);
    // a-2's only row is a day off: with no weekly shift it works nothing at all.
    assert_eq!(on_shift_at(&s, "2026-01-09T12:00"), 0.0);
}

#[test]
fn f3_schedule_mistakes_are_located_once_each() {
    let schedule = "agent_id,date,start,end\n\
                    a-1,07.01.2026,08:00,16:00\n\
                    a-9,2026-01-07,08:00,16:00\n\
                    a-9,2026-01-08,08:00,16:00\n\
                    a-2,2026-01-07,08:00,\n";
    let text = problems(&scheduled(true), &[("schedule.csv", schedule)]);
    assert!(
        text.contains("schedule.csv:2") && text.contains("expected a date written as YYYY-MM-DD"),
        "{text}"
    );
    assert!(
        text.contains("schedule.csv:5") && text.contains("start '08:00' and end ''"),
        "{text}"
    );
    let (bad_id, _dir) = with_files(
        &scheduled(true),
        &[(
            "schedule.csv",
            "agent_id,date,start,end\na-9,2026-01-07,08:00,16:00\na-9,2026-01-08,08:00,16:00\n",
        )],
    );
    let text = bad_id.err().unwrap().to_string();
    assert_eq!(text.matches("'a-9'").count(), 1, "{text}");
    assert!(
        text.contains("schedule.csv:2") && text.contains("a-1 … a-N"),
        "{text}"
    );
}

#[test]
fn f3_a_weekly_profile_of_opening_hours_only_in_hh_mm_ss_with_semicolons_reads() {
    // The finding's files: opening hours only (264 errors before), HH:MM:SS (336), semicolons
    // (an unknown column 'weekday;start;volume').
    let mut profile = String::from("weekday;start;volume\n");
    for day in ["mon", "tue", "wed", "thu", "fri"] {
        for h in 8..18 {
            profile.push_str(&format!("{day};{h:02}:00:00;20\n{day};{h:02}:30:00;20\n"));
        }
    }
    let toml = crate::common::one_queue_scenario(
        "{ dist = \"constant\", value_s = 60 }",
        5,
        "profile = { interval_min = 30, csv = \"p.csv\" }",
    );
    let (s, _dir) = valid(&toml, &[("p.csv", &profile)]);
    let ArrivalRate::Profile(p) = &s.centre.segments[0].rate else {
        panic!("a profile")
    };
    assert_eq!(p.rates_per_h.len(), 7 * 48);
    assert_eq!(p.rates_per_h[16], 40.0, "Monday 08:00: 20 per half hour");
    assert_eq!(p.rates_per_h[15], 0.0, "Monday 07:30: no row, no volume");
    assert_eq!(p.rates_per_h[5 * 48 + 20], 0.0, "Saturday: no rows");
    // One missing row in the middle is not an error at all now, and a repeated one is one
    // error naming both lines.
    let repeated = profile.replacen("mon;08:30:00;20\n", "mon;08:00:00;20\n", 1);
    let text = problems(&toml, &[("p.csv", &repeated)]);
    assert_eq!(text.matches("p.csv:").count(), 1, "{text}");
    assert!(text.contains("appears twice: on line 2"), "{text}");
}

#[test]
fn f3_the_bundled_planner_scenario_reads_its_forecast_and_schedule() {
    let s = scenario::load(Path::new("scenarios/planner-forecast.toml")).unwrap();
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    // The forecast's volumes within the run (27 days), from the file's own numbers.
    let text = std::fs::read_to_string("scenarios/data/forecast-4weeks.csv").unwrap();
    let mut by_queue = [0.0_f64; 2];
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(';').collect();
        let q = usize::from(f[2] == "tech");
        by_queue[q] += f[3].replace(',', ".").parse::<f64>().unwrap();
    }
    for (i, want) in by_queue.iter().enumerate() {
        let got =
            s.centre.segments[i]
                .rate
                .expected_arrivals(&s.centre.calendar, 0, s.centre.horizon_ms);
        assert!(
            (got - want).abs() < 1e-6,
            "segment {i}: {got} against {want}"
        );
    }
}
