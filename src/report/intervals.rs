//! `intervals.csv`: one row per report interval and queue (plus `(all)`), pooled over
//! replications. Columns in docs/report-format.md.

use super::recorder::ReplicationStats;
use crate::scenario::Scenario;

/// The CSV header.
pub const HEADER: &str = "interval_start,start_ms,queue,arrivals,answered,abandoned,mean_wait_s,service_level,max_queue_length,agents_on_shift,occupancy";

/// Renders the CSV into memory (see [`write`]).
pub fn render(scenario: &Scenario, reps: &[ReplicationStats]) -> String {
    let mut bytes = Vec::new();
    write(scenario, reps, &mut bytes).expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("every field is UTF-8")
}

/// Writes the CSV row by row to `sink` (nothing but the current row is held in memory). Counts
/// are means per replication; ratios pool every replication (Σ numerator ÷ Σ denominator),
/// empty where the denominator is 0.
pub fn write<W: std::io::Write>(
    scenario: &Scenario,
    reps: &[ReplicationStats],
    sink: W,
) -> Result<(), csv::Error> {
    let centre = &scenario.centre;
    let scopes = centre.queues.len() + 1;
    let r = reps.len() as f64;
    let mut out = csv::Writer::from_writer(sink);
    out.write_record(HEADER.split(','))?;
    for i in 0..centre.interval_count() {
        let start_ms = i as u64 * centre.interval_ms;
        let label = centre
            .calendar
            .zoned(start_ms)
            .strftime("%Y-%m-%dT%H:%M%:z")
            .to_string();
        let length_ms = (centre.horizon_ms - start_ms).min(centre.interval_ms) as f64;
        for scope in 0..scopes {
            let name = centre
                .queues
                .get(scope)
                .map_or("(all)", |q| q.name.as_str());
            let rows = reps.iter().map(|rep| &rep.intervals[i * scopes + scope]);
            let (mut arrivals, mut answered, mut abandoned, mut within, mut wait_ms) =
                (0, 0, 0, 0, 0);
            let (mut max_len, mut on_shift, mut busy, mut staffed) = (0u64, 0.0, 0.0, 0.0);
            for row in rows {
                arrivals += row.arrivals;
                answered += row.answered;
                abandoned += row.abandoned;
                within += row.answered_within_threshold;
                wait_ms += row.answered_wait_sum_ms;
                max_len += u64::from(row.max_queue_length);
                on_shift += row.on_shift_agent_ms;
                busy += row.busy_slot_ms;
                staffed += row.staffed_slot_ms;
            }
            let opt = |num: f64, den: f64, digits: usize| {
                if den > 0.0 {
                    format!("{:.*}", digits, num / den)
                } else {
                    String::new()
                }
            };
            let record = [
                label.clone(),
                start_ms.to_string(),
                name.to_string(),
                format!("{:.3}", arrivals as f64 / r),
                format!("{:.3}", answered as f64 / r),
                format!("{:.3}", abandoned as f64 / r),
                opt(wait_ms as f64 / 1000.0, answered as f64, 3),
                opt(within as f64, arrivals as f64, 4),
                format!("{:.3}", max_len as f64 / r),
                format!("{:.3}", on_shift / (length_ms * r)),
                opt(busy, staffed, 4),
            ];
            out.write_record(&record)?;
        }
    }
    out.flush()?;
    Ok(())
}
