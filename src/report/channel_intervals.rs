//! `intervals_by_channel.csv`: per report interval, queue (plus `(all)`) and channel, the
//! customer figures of that channel alone, each against the channel's threshold in the queue
//! (`service_level_s_by_channel`, else the queue's). A queue that takes calls and chats shows
//! when each channel's promise slips, which `intervals.csv` mixes into one row. Long format
//! (one row per channel), so a spreadsheet's pivot or pandas reads it as it is. Channels a
//! scope was never offered are left out. Columns in docs/report-format.md.

use super::aggregate::RunAggregate;
use super::channels::{ChannelTotals, channels_of};
use super::intervals::per_rep;
use crate::scenario::Scenario;

/// The CSV header.
pub const HEADER: &str = "interval_start,date,time,start_ms,queue,channel,threshold_s,offered_per_rep,answered_per_rep,abandoned_per_rep,asa_s,service_level,abandon_rate";

/// Writes the CSV row by row to `sink`. Counts are means per replication; ratios pool every
/// replication (Σ numerator ÷ Σ denominator), empty where the denominator is 0.
pub fn write<W: std::io::Write>(
    scenario: &Scenario,
    run: &RunAggregate,
    sink: W,
) -> Result<(), csv::Error> {
    let centre = &scenario.centre;
    let kinds = channels_of(centre);
    let scopes = centre.queues.len() + 1;
    let intervals = centre.interval_count();
    let r = run.replications().max(1) as f64;
    // The channels each scope was ever offered, in `channels_of` order.
    let offered_in: Vec<Vec<usize>> = (0..scopes)
        .map(|scope| {
            (0..kinds.len())
                .filter(|&c| (0..intervals).any(|i| run.channel_interval(i, scope, c).offered > 0))
                .collect()
        })
        .collect();
    let mut out = csv::Writer::from_writer(sink);
    out.write_record(HEADER.split(','))?;
    for i in 0..intervals {
        let start_ms = i as u64 * centre.interval_ms;
        let label = crate::plan::sweep::interval_label(scenario, i);
        let (date, time) = crate::plan::sweep::date_time_cells(&label);
        for (scope, channels) in offered_in.iter().enumerate() {
            let queue = centre.queues.get(scope);
            let name = queue.map_or("(all)", |q| q.name.as_str());
            for &c in channels {
                let t: ChannelTotals = run.channel_interval(i, scope, c);
                let opt = |num: f64, den: u64, digits: usize| {
                    if den > 0 {
                        format!("{:.*}", digits, num / den as f64)
                    } else {
                        String::new()
                    }
                };
                let threshold =
                    queue.map_or(String::new(), |q| per_rep(q.threshold_ms(kinds[c]), 1000.0));
                out.write_record([
                    label.as_str(),
                    date,
                    time,
                    &start_ms.to_string(),
                    name,
                    kinds[c].as_str(),
                    &threshold,
                    &per_rep(t.offered, r),
                    &per_rep(t.answered, r),
                    &per_rep(t.abandoned, r),
                    &opt(t.wait_sum_ms as f64 / 1000.0, t.answered, 3),
                    &opt(t.within_threshold as f64, t.offered, 4),
                    &opt(t.abandoned as f64, t.offered, 4),
                ])?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
