//! Charts as inline SVG text (no scripts, no fonts, no network), for the self-contained HTML
//! reports: line charts over report intervals with optional confidence bands, and dot charts
//! of estimates with their intervals. Output depends only on the numbers given, so reports stay
//! byte-identical run to run.

use std::fmt::Write as _;

use super::svg_axes::{clip_at, log_span, ticks};

/// Colours of series, in order (colour-blind safe, Okabe–Ito).
pub const PALETTE: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
];

/// One line of a line chart.
#[derive(Debug, Clone)]
pub struct Series {
    /// Legend text.
    pub name: String,
    /// One value per x (NaN: a gap).
    pub values: Vec<f64>,
    /// Optional band (low, high) per x, drawn under the line.
    pub band: Option<Vec<(f64, f64)>>,
    /// Dashed line.
    pub dashed: bool,
}

impl Series {
    /// A plain line.
    pub fn line(name: impl Into<String>, values: Vec<f64>) -> Self {
        Self {
            name: name.into(),
            values,
            band: None,
            dashed: false,
        }
    }
}

/// How the y axis reads, and its unit (the axis title).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum YAxis {
    /// Shares 0–1 shown as percent; the axis spans 0–100 %.
    Percent,
    /// Plain numbers from 0 up, in `unit`. A tail far above the rest (a night's waits next to
    /// the day's) clips the axis so the day stays readable; the points above are marked.
    Number {
        /// What the numbers count, e.g. "seconds".
        unit: &'static str,
    },
    /// Differences, either side of a zero line (shares shown as percentage points).
    Change {
        /// The metric is a share.
        share: bool,
        /// The unit of a difference that is not a share.
        unit: &'static str,
    },
}

impl YAxis {
    /// The axis title.
    fn title(self) -> String {
        match self {
            YAxis::Percent => "%".into(),
            YAxis::Number { unit } => unit.into(),
            YAxis::Change { share: true, .. } => "difference, % points".into(),
            YAxis::Change { unit, .. } => format!("difference, {unit}"),
        }
    }
}

const W: f64 = 900.0;
const H: f64 = 280.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 56.0;
/// Width of one character of the charts' 11 px labels, px (generous, so nothing is cut).
const CHAR_W: f64 = 6.6;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub(super) fn nice_max(max: f64) -> f64 {
    if !(max.is_finite() && max > 0.0) {
        return 1.0;
    }
    let mag = 10f64.powf(max.log10().floor());
    for step in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if step * mag >= max {
            return step * mag;
        }
    }
    10.0 * mag
}

fn label(v: f64, y: YAxis) -> String {
    match y {
        YAxis::Percent => format!("{:.0} %", v * 100.0),
        YAxis::Change { share: true, .. } => format!("{:+.1}", v * 100.0),
        YAxis::Change { share: false, .. } => format!("{v:+.1}"),
        YAxis::Number { .. } if v >= 100.0 || v == v.round() => format!("{v:.0}"),
        YAxis::Number { .. } => format!("{v:.1}"),
    }
}

/// A value for the `data-values` attribute a test reads the chart's numbers from.
fn data_value(v: f64) -> String {
    if v.is_finite() {
        let s = format!("{v:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        "nan".into()
    }
}

/// A line chart over `x_labels` (interval starts give weekday and date ticks). Each series
/// carries its values in a `data-values` attribute (what the chart draws, for tests).
pub fn line_chart(title: &str, x_labels: &[String], series: &[Series], y: YAxis) -> String {
    let n = x_labels.len().max(1);
    let all = || {
        series
            .iter()
            .flat_map(|s| {
                s.values.iter().copied().chain(
                    s.band
                        .iter()
                        .flat_map(|b| b.iter().flat_map(|&(lo, hi)| [lo, hi])),
                )
            })
            .filter(|v| v.is_finite())
    };
    let lines: Vec<f64> = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .collect();
    // A tail of a few far points clips the axis; a spread over orders of magnitude (the day's
    // waits of seconds, the night's of hours) takes a log axis instead.
    let log = match y {
        YAxis::Number { .. } => log_span(&lines),
        _ => None,
    };
    let clipped = match y {
        YAxis::Number { .. } if log.is_none() => clip_at(&lines),
        _ => None,
    };
    let (min, max) = match (y, log) {
        (_, Some((lo, hi))) => (f64::from(lo), f64::from(hi)),
        (YAxis::Percent, _) => (0.0, 1.0),
        (YAxis::Number { .. }, _) => (
            0.0,
            clipped.unwrap_or_else(|| nice_max(all().fold(0.0, f64::max))),
        ),
        (YAxis::Change { .. }, _) => {
            let m = nice_max(all().fold(0.0, |m: f64, v| m.max(v.abs())));
            (-m, m)
        }
    };
    // Where a value sits on the axis (its exponent on a log axis; 0 and below at the foot).
    let pos = |v: f64| match log {
        Some((lo, _)) if v > 0.0 => v.log10().max(f64::from(lo)),
        Some((lo, _)) => f64::from(lo),
        None => v,
    };
    let tick_values: Vec<f64> = match log {
        Some((lo, hi)) => (lo..=hi).map(|e| 10f64.powi(e)).collect(),
        None => (0..=4)
            .map(|k| min + (max - min) * f64::from(k) / 4.0)
            .collect(),
    };
    let y_labels: Vec<String> = tick_values.iter().map(|&v| label(v, y)).collect();
    // Room for the longest tick label and the rotated axis title.
    let left = 30.0
        + CHAR_W
            * y_labels
                .iter()
                .map(|l| l.chars().count())
                .max()
                .unwrap_or(1) as f64;
    let plot_w = W - left - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let x = |i: usize| left + plot_w * (i as f64 + 0.5) / n as f64;
    let yv = |v: f64| TOP + plot_h * (1.0 - ((pos(v) - min) / (max - min)).clamp(-0.02, 1.02));
    let above: Vec<f64> = clipped.map_or(Vec::new(), |c| {
        lines.iter().copied().filter(|v| *v > c).collect()
    });
    let full_title = match clipped {
        Some(c) if !above.is_empty() => format!(
            "{title} — axis cut at {}: {} point{} above, up to {} (▲)",
            label(c, y),
            above.len(),
            if above.len() == 1 { "" } else { "s" },
            label(above.iter().copied().fold(0.0, f64::max), y)
        ),
        _ if log.is_some() => format!("{title} — log scale"),
        _ => title.to_string(),
    };
    let mut s = format!(
        r#"<svg class="chart" viewBox="0 0 {W} {H}" width="100%" role="img" aria-label="{t}" xmlns="http://www.w3.org/2000/svg"><title>{t}</title><text x="8" y="18" class="ct">{t}</text>"#,
        t = escape(&full_title)
    );
    let _ = write!(
        s,
        r#"<text transform="translate(12 {:.1}) rotate(-90)" text-anchor="middle" class="yt">{}</text>"#,
        TOP + plot_h / 2.0,
        escape(&if log.is_some() {
            format!("{}, log scale", y.title())
        } else {
            y.title()
        })
    );
    for (k, (text, &v)) in y_labels.iter().zip(&tick_values).enumerate() {
        let yy = yv(v);
        let _ = write!(
            s,
            r##"<line x1="{left:.1}" x2="{:.1}" y1="{yy:.1}" y2="{yy:.1}" stroke="{}"/><text x="{:.1}" y="{:.1}" class="yl">{}</text>"##,
            W - RIGHT,
            if matches!(y, YAxis::Change { .. }) && k == 2 {
                "#888"
            } else {
                "#ddd"
            },
            left - 4.0,
            yy + 4.0,
            text
        );
    }
    for (i, l) in ticks(x_labels) {
        let xx = x(i);
        let _ = write!(
            s,
            r##"<line x1="{xx:.1}" x2="{xx:.1}" y1="{TOP}" y2="{:.1}" stroke="#f0f0f0"/><text x="{:.1}" y="{:.1}" class="xl">{}</text>"##,
            TOP + plot_h,
            // A tick near either edge is anchored inside the chart.
            xx.clamp(
                left + CHAR_W * l.chars().count() as f64 / 2.0,
                W - RIGHT - CHAR_W * l.chars().count() as f64 / 2.0
            ),
            H - BOTTOM + 14.0,
            escape(&l)
        );
    }
    for (k, ser) in series.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let values: Vec<String> = ser.values.iter().map(|v| data_value(*v)).collect();
        let _ = write!(
            s,
            r#"<g data-series="{}" data-values="{}">"#,
            escape(&ser.name),
            values.join(" ")
        );
        if let Some(band) = &ser.band {
            for run in runs(
                band.iter()
                    .map(|&(lo, hi)| lo.is_finite() && hi.is_finite()),
            ) {
                let mut pts = String::new();
                for i in run.clone() {
                    let _ = write!(pts, "{:.1},{:.1} ", x(i), yv(band[i].1));
                }
                for i in run.rev() {
                    let _ = write!(pts, "{:.1},{:.1} ", x(i), yv(band[i].0));
                }
                let _ = write!(
                    s,
                    r#"<polygon points="{}" fill="{colour}" fill-opacity="0.18" stroke="none"/>"#,
                    pts.trim_end()
                );
            }
        }
        for run in runs(ser.values.iter().map(|v| v.is_finite())) {
            let mut pts = String::new();
            for i in run {
                let _ = write!(pts, "{:.1},{:.1} ", x(i), yv(ser.values[i]));
            }
            let _ = write!(
                s,
                r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="1.6"{}/>"#,
                pts.trim_end(),
                if ser.dashed {
                    r#" stroke-dasharray="5 3""#
                } else {
                    ""
                }
            );
        }
        if let Some(c) = clipped {
            for (i, v) in ser.values.iter().enumerate().filter(|(_, v)| **v > c) {
                let _ = write!(
                    s,
                    r#"<text x="{:.1}" y="{:.1}" class="clip" fill="{colour}">▲<title>{}</title></text>"#,
                    x(i) - 4.0,
                    TOP + 8.0,
                    label(*v, y)
                );
            }
        }
        s.push_str("</g>");
        // Legend entries side by side, each as wide as its text.
        let lx = left
            + series[..k]
                .iter()
                .map(|s| 30.0 + CHAR_W * s.name.chars().count() as f64)
                .sum::<f64>();
        let _ = write!(
            s,
            r#"<rect x="{lx:.1}" y="{:.1}" width="10" height="10" fill="{colour}"/><text x="{:.1}" y="{:.1}" class="lg">{}</text>"#,
            H - 16.0,
            lx + 14.0,
            H - 7.0,
            escape(&ser.name)
        );
    }
    s.push_str("</svg>");
    s
}

/// Maximal runs of consecutive `true`s.
fn runs(ok: impl Iterator<Item = bool>) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    let mut i = 0;
    for good in ok {
        match (good, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
        i += 1;
    }
    if let Some(s) = start {
        out.push(s..i);
    }
    out
}

/// One estimate of a dot chart: label, mean and interval.
#[derive(Debug, Clone)]
pub struct Dot {
    /// Row label.
    pub label: String,
    /// Mean.
    pub mean: f64,
    /// Interval.
    pub low: f64,
    /// Interval.
    pub high: f64,
}

/// Horizontal dot-and-whisker chart: one row per estimate. With `zero_line`, values may be
/// negative (differences) and a line marks 0.
pub fn dot_chart(title: &str, dots: &[Dot], y: YAxis, zero_line: bool) -> String {
    let row_h = 22.0;
    // Wide enough for the longest row label, so none is cut.
    let label_w = (16.0
        + CHAR_W
            * dots
                .iter()
                .map(|d| d.label.chars().count())
                .max()
                .unwrap_or(1) as f64)
        .clamp(120.0, 560.0);
    let h = TOP + row_h * dots.len().max(1) as f64 + 46.0;
    let finite = |v: f64| v.is_finite().then_some(v);
    let lo = dots
        .iter()
        .filter_map(|d| finite(d.low).or(finite(d.mean)))
        .fold(0.0, f64::min);
    let hi = dots
        .iter()
        .filter_map(|d| finite(d.high).or(finite(d.mean)))
        .fold(0.0, f64::max);
    let (lo, hi) = if zero_line {
        let m = nice_max(lo.abs().max(hi.abs()));
        (-m, m)
    } else if y == YAxis::Percent {
        (0.0, 1.0)
    } else {
        (0.0, nice_max(hi))
    };
    // The end labels are centred on their ticks: keep half a label of room either side.
    let plot_w = W - label_w - RIGHT - 4.0 * CHAR_W;
    let xv = |v: f64| label_w + plot_w * ((v - lo) / (hi - lo)).clamp(0.0, 1.0);
    let mut s = format!(
        r#"<svg class="chart" viewBox="0 0 {W} {h:.0}" width="100%" role="img" aria-label="{t}" xmlns="http://www.w3.org/2000/svg"><title>{t}</title><text x="8" y="18" class="ct">{t}</text>"#,
        t = escape(title)
    );
    for k in 0..=4 {
        let v = lo + (hi - lo) * f64::from(k) / 4.0;
        let xx = xv(v);
        let _ = write!(
            s,
            r##"<line x1="{xx:.1}" x2="{xx:.1}" y1="{TOP}" y2="{:.1}" stroke="{}"/><text x="{xx:.1}" y="{:.1}" class="xl">{}</text>"##,
            h - 40.0,
            if zero_line && k == 2 { "#888" } else { "#ddd" },
            h - 26.0,
            label(v, y)
        );
    }
    let _ = write!(
        s,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" class="yt">{}</text>"#,
        label_w + plot_w / 2.0,
        h - 8.0,
        escape(&y.title())
    );
    for (i, d) in dots.iter().enumerate() {
        let yy = TOP + row_h * (i as f64 + 0.5);
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" class="rl">{}</text>"#,
            label_w - 8.0,
            yy + 4.0,
            escape(&d.label)
        );
        if d.low.is_finite() && d.high.is_finite() {
            let _ = write!(
                s,
                r##"<line x1="{:.1}" x2="{:.1}" y1="{yy:.1}" y2="{yy:.1}" stroke="#0072B2" stroke-width="2"/>"##,
                xv(d.low),
                xv(d.high)
            );
        }
        if d.mean.is_finite() {
            let _ = write!(
                s,
                r##"<circle cx="{:.1}" cy="{yy:.1}" r="4" fill="#0072B2"><title>{}: {}</title></circle>"##,
                xv(d.mean),
                escape(&d.label),
                label(d.mean, y)
            );
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_split_lines_and_bands() {
        let s = Series {
            name: "a".into(),
            values: vec![0.5, f64::NAN, 0.7, 0.8],
            band: Some(vec![
                (0.4, 0.6),
                (f64::NAN, f64::NAN),
                (0.6, 0.8),
                (0.7, 0.9),
            ]),
            dashed: false,
        };
        let svg = line_chart(
            "t",
            &["1".into(), "2".into(), "3".into(), "4".into()],
            &[s],
            YAxis::Percent,
        );
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert_eq!(svg.matches("<polygon").count(), 2);
        assert!(!svg.contains("NaN"));
    }

    #[test]
    fn a_tail_far_above_the_day_clips_the_axis_and_marks_the_points_above() {
        // A day of small waits and two nights of huge ones.
        let mut v = vec![10.0; 48];
        v[2] = 900.0;
        v[3] = 800.0;
        let labels: Vec<String> = (0..48)
            .map(|i| format!("2026-01-05T{:02}:{:02}+01:00", i / 2, (i % 2) * 30))
            .collect();
        let svg = line_chart(
            "asa",
            &labels,
            &[Series::line("q", v)],
            YAxis::Number { unit: "seconds" },
        );
        assert!(
            svg.contains("axis cut at 20: 2 points above, up to 900"),
            "{svg}"
        );
        assert_eq!(svg.matches("▲<title>").count(), 2);
        assert!(svg.contains(">seconds</text>"), "the axis title");
        // Ticks every 3 hours with the weekday, for a day.
        assert!(svg.contains(">Mon 03:00<"), "{svg}");
        assert!(svg.contains(r#"data-values="10 10 900 800"#));
    }

    #[test]
    fn values_over_orders_of_magnitude_take_a_log_axis() {
        // Daytime waits of seconds, night waits of hours.
        let v: Vec<f64> = (0..48)
            .map(|i| {
                if (16..40).contains(&i) {
                    5.0 + f64::from(i)
                } else {
                    30_000.0
                }
            })
            .collect();
        let labels: Vec<String> = (0..48).map(|i| i.to_string()).collect();
        let svg = line_chart(
            "asa",
            &labels,
            &[Series::line("q", v)],
            YAxis::Number { unit: "seconds" },
        );
        assert!(svg.contains("— log scale"), "{svg}");
        assert!(svg.contains(">seconds, log scale</text>"));
        for tick in [">1<", ">10<", ">100<", ">1000<", ">10000<", ">100000<"] {
            assert!(svg.contains(tick), "{tick}");
        }
    }

    #[test]
    fn a_long_chart_ticks_at_midnight_with_weekday_and_date() {
        let labels: Vec<String> = (0..7 * 48)
            .map(|i| {
                format!(
                    "2026-01-{:02}T{:02}:{:02}+01:00",
                    5 + i / 48,
                    (i % 48) / 2,
                    (i % 2) * 30
                )
            })
            .collect();
        let t = ticks(&labels);
        assert_eq!(t.len(), 7);
        assert_eq!(t[0], (0, "Mon 05 Jan".to_string()));
        assert_eq!(t[6], (6 * 48, "Sun 11 Jan".to_string()));
    }

    #[test]
    fn labels_are_escaped() {
        let svg = dot_chart(
            "a<b",
            &[Dot {
                label: "x&y".into(),
                mean: 0.1,
                low: 0.0,
                high: 0.2,
            }],
            YAxis::Percent,
            false,
        );
        assert!(svg.contains("a&lt;b") && svg.contains("x&amp;y"));
    }
}
