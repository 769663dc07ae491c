//! `intervals.csv`: one row per report interval and queue (plus `(all)`), pooled over
//! replications. Columns in docs/report-format.md.

use super::aggregate::RunAggregate;
use crate::scenario::Scenario;

/// The CSV header.
pub const HEADER: &str = "interval_start,date,time,start_ms,queue,offered_per_rep,answered_per_rep,abandoned_per_rep,closed_by_strategy_per_rep,closed_by_workflow_per_rep,asa_s,service_level,max_queue_length_per_rep,agents_on_shift,occupancy,sla_compliance,sla_first_response_met_per_rep,sla_first_response_breached_per_rep,sla_next_reply_met_per_rep,sla_next_reply_breached_per_rep,sla_resolution_met_per_rep,sla_resolution_breached_per_rep";

/// Renders the CSV into memory (see [`write()`]).
pub fn render(scenario: &Scenario, run: &RunAggregate) -> String {
    let mut bytes = Vec::new();
    write(scenario, run, &mut bytes).expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("every field is UTF-8")
}

/// Writes the CSV row by row to `sink` (nothing but the current row is held in memory). Counts
/// are means per replication (`_per_rep`: whole numbers with one replication); ratios pool
/// every replication (Σ numerator ÷ Σ denominator), empty where the denominator is 0.
pub fn write<W: std::io::Write>(
    scenario: &Scenario,
    run: &RunAggregate,
    sink: W,
) -> Result<(), csv::Error> {
    let centre = &scenario.centre;
    let scopes = centre.queues.len() + 1;
    let r = run.replications().max(1) as f64;
    let mut out = csv::Writer::from_writer(sink);
    out.write_record(HEADER.split(','))?;
    for i in 0..centre.interval_count() {
        let start_ms = i as u64 * centre.interval_ms;
        let label = crate::plan::sweep::interval_label(scenario, i);
        let length_ms = (centre.horizon_ms - start_ms).min(centre.interval_ms) as f64;
        for scope in 0..scopes {
            let name = centre
                .queues
                .get(scope)
                .map_or("(all)", |q| q.name.as_str());
            let sums = &run.interval(i)[scope];
            let opt = |num: f64, den: f64, digits: usize| {
                if den > 0.0 {
                    format!("{:.*}", digits, num / den)
                } else {
                    String::new()
                }
            };
            let per_rep = |count: u64| per_rep(count, r);
            let (date, time) = crate::plan::sweep::date_time_cells(&label);
            let record = [
                label.clone(),
                date.to_string(),
                time.to_string(),
                start_ms.to_string(),
                name.to_string(),
                per_rep(sums.arrivals),
                per_rep(sums.answered),
                per_rep(sums.abandoned),
                per_rep(sums.closed_by_strategy),
                per_rep(sums.closed_by_workflow),
                opt(
                    sums.answered_wait_sum_ms as f64 / 1000.0,
                    sums.answered as f64,
                    3,
                ),
                opt(
                    sums.answered_within_threshold as f64,
                    sums.arrivals as f64,
                    4,
                ),
                per_rep(sums.max_queue_length),
                format!("{:.3}", sums.on_shift_agent_ms as f64 / (length_ms * r)),
                opt(sums.busy_slot_ms as f64, sums.staffed_slot_ms as f64, 4),
                opt(
                    (sums.sla.conversations - sums.sla.breached) as f64,
                    sums.sla.conversations as f64,
                    4,
                ),
            ];
            let sla = &sums.sla;
            let counts = [sla.first_response, sla.next_reply, sla.resolution]
                .into_iter()
                .flat_map(|(n, b)| [n - b, b])
                .map(per_rep);
            let record: Vec<String> = record.into_iter().chain(counts).collect();
            out.write_record(&record)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// A count's mean per replication, to 3 decimals without trailing zeros (`2`, `2.2`).
pub(super) fn per_rep(count: u64, replications: f64) -> String {
    let s = format!("{:.3}", count as f64 / replications);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}
