//! `intervals.csv`: one row per report interval and queue (plus `(all)`), pooled over
//! replications. Columns in docs/report-format.md.

use super::aggregate::RunAggregate;
use crate::scenario::Scenario;

/// The CSV header.
pub const HEADER: &str = "interval_start,start_ms,queue,arrivals,answered,abandoned,closed_by_strategy,closed_by_workflow,mean_wait_s,service_level,max_queue_length,agents_on_shift,occupancy,sla_compliance,sla_first_response_met,sla_first_response_breached,sla_next_reply_met,sla_next_reply_breached,sla_resolution_met,sla_resolution_breached";

/// Renders the CSV into memory (see [`write()`]).
pub fn render(scenario: &Scenario, run: &RunAggregate) -> String {
    let mut bytes = Vec::new();
    write(scenario, run, &mut bytes).expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("every field is UTF-8")
}

/// Writes the CSV row by row to `sink` (nothing but the current row is held in memory). Counts
/// are means per replication; ratios pool every replication (Σ numerator ÷ Σ denominator),
/// empty where the denominator is 0.
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
            let record = [
                label.clone(),
                start_ms.to_string(),
                name.to_string(),
                format!("{:.3}", sums.arrivals as f64 / r),
                format!("{:.3}", sums.answered as f64 / r),
                format!("{:.3}", sums.abandoned as f64 / r),
                format!("{:.3}", sums.closed_by_strategy as f64 / r),
                format!("{:.3}", sums.closed_by_workflow as f64 / r),
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
                format!("{:.3}", sums.max_queue_length as f64 / r),
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
                .map(|x| format!("{:.3}", x as f64 / r));
            let record: Vec<String> = record.into_iter().chain(counts).collect();
            out.write_record(&record)?;
        }
    }
    out.flush()?;
    Ok(())
}
