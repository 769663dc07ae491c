//! The axes of the charts: x ticks from interval starts (weekday and date at midnights, or
//! every few hours), and where a y axis clips a far tail or turns logarithmic.

use super::svg::nice_max;

/// The x ticks of labels that are interval starts (`2026-01-05T08:00+01:00`): at local
/// midnights, named by weekday and date, when the chart spans more than two days (every k-th
/// day, at most 14); else every few hours with the weekday. Other labels: every n-th.
pub(super) fn ticks(labels: &[String]) -> Vec<(usize, String)> {
    let parsed: Vec<Option<jiff::civil::DateTime>> = labels
        .iter()
        .map(|l| l.get(..16).and_then(|t| t.parse().ok()))
        .collect();
    if labels.is_empty() || parsed.iter().any(Option::is_none) {
        let every = labels.len().div_ceil(12).max(1);
        return labels
            .iter()
            .enumerate()
            .step_by(every)
            .map(|(i, l)| (i, l.clone()))
            .collect();
    }
    let dt: Vec<jiff::civil::DateTime> = parsed.into_iter().flatten().collect();
    let days = dt
        .iter()
        .map(|d| d.date())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    if days > 2 {
        let every = days.div_ceil(14).max(1);
        let mut out = Vec::new();
        let mut day = 0;
        for (i, d) in dt.iter().enumerate() {
            if i == 0 || d.date() != dt[i - 1].date() {
                if day % every == 0 {
                    out.push((i, d.strftime("%a %d %b").to_string()));
                }
                day += 1;
            }
        }
        out
    } else {
        // More than a day of points: every 3 hours; less: every hour.
        let step_h = if days > 1 || dt.len() > 24 { 3 } else { 1 };
        dt.iter()
            .enumerate()
            .filter(|(_, d)| d.minute() == 0 && i32::from(d.hour()) % step_h == 0)
            .map(|(i, d)| (i, d.strftime("%a %H:%M").to_string()))
            .collect()
    }
}

/// The value a clipped axis stops at: when the largest value is over three times the 95th
/// percentile of the values, the axis ends a little above that percentile.
pub(super) fn clip_at(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.len() < 20 {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let p95 = v[(v.len() as f64 * 0.95) as usize - 1];
    let max = *v.last()?;
    (p95 > 0.0 && max > 3.0 * p95).then(|| nice_max(p95 * 1.25))
}

/// The exponents a log axis spans, when the positive values spread over more than two orders
/// of magnitude between their lower quartile and their largest (and some reach 100): the
/// night's long waits are then a third of the points, not a tail to clip.
pub(super) fn log_span(values: &[f64]) -> Option<(i32, i32)> {
    let mut v: Vec<f64> = values
        .iter()
        .copied()
        .filter(|x| x.is_finite() && *x > 0.0)
        .collect();
    if v.len() < 20 {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let (quartile, max) = (v[v.len() / 4], *v.last()?);
    if max < 100.0 || max < 100.0 * quartile {
        return None;
    }
    let lo = v[v.len() / 20].log10().floor().clamp(-3.0, 0.0) as i32;
    Some((lo, max.log10().ceil() as i32))
}
