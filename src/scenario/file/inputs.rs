//! The sections that point at files exported by other tools: a dated WFM forecast and a trace
//! of historical conversations (see `docs/wfm-files.md`).

use schemars::JsonSchema;
use serde::Deserialize;

use super::default_scale;

/// The `[trace]` section: a CSV of historical conversations.
///
/// Columns (header names, any order): `arrival` (local date-time, `2026-01-05T08:03` or with
/// seconds), `channel` (a channel name; the first arrival segment of that channel gives the
/// conversation its destination and model), optional `sender` (the same sender is the same
/// person), `messages` (customer messages of a threaded conversation), `outcome` (`answered`
/// or `abandoned`) with `wait_s` (how long they waited), `patience_s` (overrides both), and one
/// column per customer attribute the scenario knows (e.g. `person.custom.tier`). Any other
/// column, and every bad cell, is an error with its line.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TraceFile {
    /// The CSV file, relative to the scenario.
    pub csv: String,
}

/// The `[forecast]` section: a long-format CSV with one row per date, interval and queue or
/// segment, over any number of weeks. Intervals without a row have no arrivals.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ForecastFile {
    /// The CSV file, relative to the scenario.
    pub csv: String,
    /// Length of each row's interval, minutes: 15, 30 or 60; default the report interval.
    #[serde(default)]
    pub interval_min: Option<u32>,
    /// The cell separator: `,`, `;`, `|` or `tab`; default: detected from the first line.
    #[serde(default)]
    pub delimiter: Option<String>,
    /// How dates are written, as strftime codes: `%m%d%Y` (NICE IEX), `%d.%m.%Y`, `%m/%d/%Y`;
    /// default `%Y-%m-%d`.
    #[serde(default)]
    pub date_format: Option<String>,
    /// IANA time zone of the file's dates and times (e.g. `UTC` for Voximplant exports);
    /// default the scenario's.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Multiplies every volume (what-if volume changes).
    #[serde(default = "default_scale")]
    pub scale: f64,
    /// Which of the file's columns holds what.
    #[serde(default)]
    pub columns: ForecastColumnsFile,
}

/// The names of a forecast file's columns (matched ignoring case). Other columns are ignored.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ForecastColumnsFile {
    /// The interval's date. Leave the column out of the file when `start` holds date and time.
    pub date: String,
    /// The interval's start: `HH:MM`, `HH:MM:SS`, an interval number counted from 1, or a date
    /// and time (`2026-01-05 08:30`, `2026-01-05T08:30+01:00`).
    pub start: String,
    /// An arrival segment's name, or the name of a queue that one segment feeds. May be left
    /// out of the file when the scenario has one arrival segment.
    pub queue: String,
    /// Contacts arriving in the interval.
    pub volume: String,
    /// Average handle time in the interval: seconds, `MM:SS` or `HH:MM:SS`. Optional in the
    /// file; a blank cell keeps the segment's handle time.
    pub aht: String,
}

impl Default for ForecastColumnsFile {
    fn default() -> Self {
        Self {
            date: "date".into(),
            start: "start".into(),
            queue: "queue".into(),
            volume: "volume".into(),
            aht: "aht_s".into(),
        }
    }
}
