//! Trace replay in: a CSV of historical conversations (see `file::TraceFile` for the columns),
//! checked cell by cell — every problem is reported with its line — and turned into the model's
//! [`Trace`]. Attribute values the segments do not draw are added to them with share 0, so a
//! replayed customer can carry any value while drawn customers never get it.

use std::collections::HashMap;
use std::path::Path;

use super::csv_input::{open_csv, shown_column};
use super::error::{FieldPath, Problem};
use super::input_file::excerpt;
use super::routing::{AttrNames, text_value};
use crate::model::calendar::Calendar;
use crate::model::centre::{
    AttrDraw, MAX_SEGMENT_ATTRIBUTES, NO_VALUE, SegmentAttribute, SegmentSpec,
};
use crate::model::routing::AttrValue;
use crate::model::trace::{TRACE_CUSTOMER, Trace, TracePatience, TraceRow};

/// The columns every trace may have besides attributes.
const FIXED: [&str; 7] = [
    "arrival",
    "channel",
    "sender",
    "messages",
    "outcome",
    "wait_s",
    "patience_s",
];

/// Reads the trace at `path` for segments whose channels are `segment_channels` (by name, in
/// segment order). Adds the attribute values the trace uses to the segments.
pub(super) fn read(
    path: &Path,
    field: &FieldPath,
    segments: &mut [SegmentSpec],
    segment_channels: &[&str],
    names: &AttrNames,
    calendar: &Calendar,
    horizon_ms: u64,
) -> Result<Trace, Vec<Problem>> {
    let (mut reader, headers, _) = open_csv(path, "trace", field, None)?;
    let at = |line: usize, message: String| Problem {
        path: field.clone(),
        message,
        in_file: Some((path.to_path_buf(), line)),
    };
    let mut problems = Vec::new();
    let column = |name: &str| headers.iter().position(|h| h == name);
    for required in ["arrival", "channel"] {
        if column(required).is_none() {
            problems.push(at(
                1,
                format!("no '{required}' column: a trace needs arrival and channel"),
            ));
        }
    }
    // Attribute columns, by the scenario's attribute ids.
    let mut attribute_columns = Vec::new();
    for (k, h) in headers.iter().enumerate() {
        if FIXED.contains(&h) {
            continue;
        }
        match names.id(h) {
            Some(id) if h != "channel" => attribute_columns.push((k, id, h.to_string())),
            _ => problems.push(at(
                1,
                format!(
                    "unknown column '{h}': expected {} or an attribute the scenario uses ({})",
                    FIXED.join(", "),
                    names
                        .sorted()
                        .into_iter()
                        .filter(|n| *n != "channel")
                        .collect::<Vec<_>>()
                        .join(", "),
                    h = shown_column(h)
                ),
            )),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let col = |name: &str| column(name);
    let mut first_segment: HashMap<&str, u32> = HashMap::new();
    for (i, ch) in segment_channels.iter().enumerate().rev() {
        first_segment.insert(ch, i as u32);
    }
    let mut senders: HashMap<String, u64> = HashMap::new();
    let mut rows = Vec::new();
    for (k, record) in reader.records().enumerate() {
        let line = k + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(at(line, format!("bad CSV row: {e}")));
                continue;
            }
        };
        let cell = |name: &str| col(name).and_then(|c| record.get(c)).unwrap_or("");
        let arrival = cell("arrival");
        let at_ms = match arrival.parse::<jiff::civil::DateTime>() {
            Ok(dt) => {
                let ms = calendar.ms_of_local(dt);
                if ms < 0 || ms as u64 >= horizon_ms {
                    problems.push(at(
                        line,
                        format!(
                            "arrival '{arrival}' is outside the scenario's run ({} to {})",
                            calendar.zoned(0).strftime("%Y-%m-%dT%H:%M"),
                            calendar.zoned(horizon_ms).strftime("%Y-%m-%dT%H:%M"),
                            arrival = excerpt(arrival)
                        ),
                    ));
                    continue;
                }
                ms as u64
            }
            Err(_) => {
                problems.push(at(
                    line,
                    format!(
                        "arrival '{arrival}': expected a local date-time such as 2026-01-05T08:03",
                        arrival = excerpt(arrival)
                    ),
                ));
                continue;
            }
        };
        let channel = cell("channel");
        let Some(&segment) = first_segment.get(channel) else {
            problems.push(at(
                line,
                format!(
                    "channel '{channel}': no arrival segment of the scenario is on it (segments' channels: {})",
                    segment_channels.join(", "), channel = excerpt(channel)),
            ));
            continue;
        };
        let seg = &mut segments[segment as usize];
        let number = |name: &str| -> Result<Option<f64>, String> {
            let text = cell(name);
            if text.is_empty() {
                return Ok(None);
            }
            text.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .map(Some)
                .ok_or_else(|| {
                    format!(
                        "{name} '{text}': expected a number ≥ 0",
                        text = excerpt(text)
                    )
                })
        };
        let exchanges = match number("messages") {
            Ok(Some(m)) if m >= 1.0 && m.fract() == 0.0 => {
                if seg.behaviour.is_none() {
                    problems.push(at(
                        line,
                        format!(
                            "messages given, but segment '{}' of channel '{channel}' has no conversation model: its conversations hold an agent for a handle time",
                            seg.name, channel = excerpt(channel)),
                    ));
                    continue;
                }
                Some(m as u32)
            }
            Ok(None) => None,
            Ok(Some(m)) => {
                problems.push(at(
                    line,
                    format!("messages '{m}': expected a whole number ≥ 1"),
                ));
                continue;
            }
            Err(m) => {
                problems.push(at(line, m));
                continue;
            }
        };
        let (wait, patience) = match (number("wait_s"), number("patience_s")) {
            (Ok(w), Ok(p)) => (w, p),
            (Err(m), _) | (_, Err(m)) => {
                problems.push(at(line, m));
                continue;
            }
        };
        let ms = |s: f64| (s * 1000.0).round() as u64;
        let patience = match (cell("outcome"), wait, patience) {
            (_, _, Some(p)) => TracePatience::Exactly(ms(p)),
            ("abandoned", Some(w), None) => TracePatience::Exactly(ms(w)),
            ("answered", Some(w), None) => TracePatience::AtLeast(ms(w)),
            ("" | "answered" | "abandoned", _, None) => TracePatience::Model,
            (other, _, _) => {
                problems.push(at(
                    line,
                    format!(
                        "outcome '{other}': expected answered, abandoned or nothing",
                        other = excerpt(other)
                    ),
                ));
                continue;
            }
        };
        let sender = cell("sender");
        let customer = (!sender.is_empty()).then(|| {
            let next = senders.len() as u64;
            TRACE_CUSTOMER | *senders.entry(sender.to_string()).or_insert(next)
        });
        let mut draw: AttrDraw = [NO_VALUE; MAX_SEGMENT_ATTRIBUTES];
        let mut bad = false;
        for (c, id, name) in &attribute_columns {
            let text = record.get(*c).unwrap_or("");
            if text.is_empty() {
                continue;
            }
            let k = match seg.attributes.iter().position(|a| a.attribute == *id) {
                Some(k) => k,
                None if seg.attributes.len() < MAX_SEGMENT_ATTRIBUTES => {
                    seg.attributes.push(SegmentAttribute {
                        attribute: *id,
                        options: Vec::new(),
                    });
                    seg.attributes.len() - 1
                }
                None => {
                    problems.push(at(
                        line,
                        format!(
                            "{name}: segment '{}' already carries {MAX_SEGMENT_ATTRIBUTES} attributes, the most one may",
                            seg.name
                        ),
                    ));
                    bad = true;
                    break;
                }
            };
            let attribute = &mut seg.attributes[k];
            let value = parse_like(text, attribute);
            let option = match attribute.options.iter().position(|(_, v)| *v == value) {
                Some(o) => o,
                None if attribute.options.len() + 1 < usize::from(NO_VALUE) => {
                    // Share 0: the last cumulative share again, so no draw ever picks it.
                    let last = attribute.options.last().map_or(0.0, |(c, _)| *c);
                    attribute.options.push((last, value));
                    attribute.options.len() - 1
                }
                None => {
                    problems.push(at(line, format!("{name}: too many distinct values")));
                    bad = true;
                    break;
                }
            };
            draw[k] = option as u8;
        }
        if bad {
            continue;
        }
        rows.push(TraceRow {
            at_ms,
            segment,
            customer,
            draw,
            exchanges,
            patience,
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if rows.is_empty() {
        return Err(vec![at(2, "the trace has no rows".into())]);
    }
    // Arrival order; ties keep file order (a stable sort).
    rows.sort_by_key(|r| r.at_ms);
    Ok(Trace {
        source: path.display().to_string(),
        rows,
    })
}

/// A cell as the attribute's values read: true/false where they are booleans, `;`-separated
/// where they are lists, else text as the model compares it.
fn parse_like(text: &str, attribute: &SegmentAttribute) -> AttrValue {
    match attribute.options.first().map(|(_, v)| v) {
        Some(AttrValue::Bool(_)) if text.eq_ignore_ascii_case("true") => AttrValue::Bool(true),
        Some(AttrValue::Bool(_)) if text.eq_ignore_ascii_case("false") => AttrValue::Bool(false),
        Some(AttrValue::List(_)) => AttrValue::List(
            text.split(';')
                .map(|t| t.trim().to_lowercase())
                .filter(|t| !t.is_empty())
                .collect(),
        ),
        _ => text_value(text),
    }
}
