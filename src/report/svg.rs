//! Charts as inline SVG text (no scripts, no fonts, no network), for the self-contained HTML
//! reports: line charts over report intervals with optional confidence bands, and dot charts
//! of estimates with their intervals. Output depends only on the numbers given, so reports stay
//! byte-identical run to run.

use std::fmt::Write as _;

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

/// How the y axis reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum YAxis {
    /// Shares 0–1 shown as percent; the axis spans 0–100 %.
    Percent,
    /// Plain numbers from 0 up.
    Number,
    /// Differences, either side of a zero line (shares shown as percentage points).
    Change {
        /// The metric is a share.
        share: bool,
    },
}

const W: f64 = 900.0;
const H: f64 = 260.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 40.0;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn nice_max(max: f64) -> f64 {
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
        YAxis::Change { share: true } => format!("{:+.1} pts", v * 100.0),
        YAxis::Change { share: false } => format!("{v:+.1}"),
        YAxis::Number if v >= 100.0 || v == v.round() => format!("{v:.0}"),
        YAxis::Number => format!("{v:.1}"),
    }
}

/// A line chart over `x_labels` (every `label_every`-th label shown).
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
    let (min, max) = match y {
        YAxis::Percent => (0.0, 1.0),
        YAxis::Number => (0.0, nice_max(all().fold(0.0, f64::max))),
        YAxis::Change { .. } => {
            let m = nice_max(all().fold(0.0, |m: f64, v| m.max(v.abs())));
            (-m, m)
        }
    };
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let x = |i: usize| LEFT + plot_w * (i as f64 + 0.5) / n as f64;
    let yv = |v: f64| TOP + plot_h * (1.0 - ((v - min) / (max - min)).clamp(-0.02, 1.02));
    let mut s = format!(
        r#"<svg class="chart" viewBox="0 0 {W} {H}" width="100%" role="img" aria-label="{t}" xmlns="http://www.w3.org/2000/svg"><title>{t}</title><text x="{LEFT}" y="18" class="ct">{t}</text>"#,
        t = escape(title)
    );
    for k in 0..=4 {
        let v = min + (max - min) * f64::from(k) / 4.0;
        let yy = yv(v);
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" x2="{:.1}" y1="{yy:.1}" y2="{yy:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" class="yl">{}</text>"##,
            W - RIGHT,
            LEFT - 4.0,
            yy + 4.0,
            label(v, y)
        );
    }
    let every = n.div_ceil(12).max(1);
    for (i, l) in x_labels.iter().enumerate().step_by(every) {
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" class="xl">{}</text>"#,
            x(i),
            H - BOTTOM + 14.0,
            escape(l)
        );
    }
    for (k, ser) in series.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
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
        // Legend entries side by side, each as wide as its text.
        let lx = LEFT
            + 8.0
            + series[..k]
                .iter()
                .map(|s| 30.0 + 6.2 * s.name.chars().count() as f64)
                .sum::<f64>();
        let _ = write!(
            s,
            r#"<rect x="{lx:.1}" y="{:.1}" width="10" height="10" fill="{colour}"/><text x="{:.1}" y="{:.1}" class="lg">{}</text>"#,
            H - 14.0,
            lx + 14.0,
            H - 5.0,
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
    let label_w = 260.0;
    let h = TOP + row_h * dots.len().max(1) as f64 + 30.0;
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
    let plot_w = W - label_w - RIGHT;
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
            h - 24.0,
            if zero_line && k == 2 { "#888" } else { "#ddd" },
            h - 10.0,
            label(v, y)
        );
    }
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
