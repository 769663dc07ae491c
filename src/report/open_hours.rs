//! Figures over open hours: a queue's customer measures counted only over the report intervals
//! in which at least one of its agents was on shift and not on a scheduled break (the
//! interval's `agents_on_shift` is above zero). A centre closed at night still gets
//! customers (and, without working hours, keeps them waiting until morning or until they give
//! up); over all hours those nights dominate the service level and the abandonment, and a
//! planner asking "how do we do while we are open?" gets the wrong answer. The all-hours
//! figures stay beside these, under their own names.
//!
//! A customer belongs to the interval of its arrival (as everywhere in the reports), so a
//! customer who arrived in the last open interval and was answered after closing counts here;
//! one who arrived at night and was answered in the morning does not. The whole centre's
//! figures add each queue's open intervals (a queue open while another is closed counts its
//! own customers only). Intervals before the warm-up are left out, as in the totals.
//!
//! Each channel's figures inside a scope are counted over the same open intervals.
//!
//! Wait percentiles need each customer's wait, which the interval rows do not keep: they are
//! reported over all hours only.

use super::aggregate::ratio;
use super::channels::{ChannelTotals, ChannelValues};
use super::recorder::{IntervalRow, SlaTotals};

/// One replication's measures of one scope over its open intervals. Ratios with nothing to
/// divide by are NaN.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenHoursValues {
    /// Hours open (intervals with an agent on shift, after warm-up).
    pub open_h: f64,
    /// Customers offered in open intervals.
    pub offered: f64,
    /// Of those, answered.
    pub answered: f64,
    /// Of those, abandoned.
    pub abandoned: f64,
    /// Abandoned ÷ offered.
    pub abandon_rate: f64,
    /// Answered within the threshold ÷ offered.
    pub service_level: f64,
    /// Mean wait of the answered, s.
    pub mean_wait_answered_s: f64,
    /// Share of conversations with an SLA verdict that had no breach.
    pub sla_compliance: f64,
    /// Per channel, in [`super::channels::channels_of`] order.
    pub channels: Vec<ChannelValues>,
}

/// Counts of one scope over its open intervals.
#[derive(Debug, Clone, Default)]
struct OpenCounts {
    open_ms: u64,
    offered: u64,
    answered: u64,
    abandoned: u64,
    within: u64,
    wait_sum_ms: u64,
    sla: SlaTotals,
    channels: Vec<ChannelTotals>,
}

impl OpenCounts {
    fn add(&mut self, row: &IntervalRow, channel_rows: &[ChannelTotals]) {
        for (sum, c) in self.channels.iter_mut().zip(channel_rows) {
            sum.add(c);
        }
        self.offered += row.arrivals;
        self.answered += row.answered;
        self.abandoned += row.abandoned;
        self.within += row.answered_within_threshold;
        self.wait_sum_ms += row.answered_wait_sum_ms;
        self.sla.merge(&row.sla);
    }

    fn values(&self) -> OpenHoursValues {
        OpenHoursValues {
            open_h: self.open_ms as f64 / 3_600_000.0,
            offered: self.offered as f64,
            answered: self.answered as f64,
            abandoned: self.abandoned as f64,
            abandon_rate: ratio(self.abandoned, self.offered),
            service_level: ratio(self.within, self.offered),
            mean_wait_answered_s: ratio(self.wait_sum_ms, self.answered) / 1000.0,
            sla_compliance: ratio(
                self.sla.conversations - self.sla.breached.min(self.sla.conversations),
                self.sla.conversations,
            ),
            channels: self.channels.iter().map(ChannelValues::of).collect(),
        }
    }
}

/// Whether a scope's row counts as open: an agent of the scope was on shift in it.
pub fn is_open(row: &IntervalRow) -> bool {
    row.on_shift_agent_ms > 0
}

/// The open-hours measures of one replication, per scope (the queues, then the whole centre),
/// from its interval rows (row-major, `scopes` per interval) and their per-channel counts
/// (`channels` per row). Intervals are `interval_ms` long, the last one cut at `horizon_ms`;
/// those starting before `warmup_ms` are left out.
pub fn of_rows(
    rows: &[IntervalRow],
    channel_rows: &[ChannelTotals],
    channels: usize,
    scopes: usize,
    interval_ms: u64,
    horizon_ms: u64,
    warmup_ms: u64,
) -> Vec<OpenHoursValues> {
    let queues = scopes - 1;
    let mut counts = vec![
        OpenCounts {
            channels: vec![ChannelTotals::default(); channels],
            ..OpenCounts::default()
        };
        scopes
    ];
    let mut any_open_ms = 0;
    for (i, interval) in rows.chunks(scopes).enumerate() {
        let start_ms = i as u64 * interval_ms;
        if start_ms < warmup_ms {
            continue;
        }
        let length_ms = horizon_ms.saturating_sub(start_ms).min(interval_ms);
        let mut any_open = false;
        for (q, row) in interval[..queues].iter().enumerate() {
            if is_open(row) {
                any_open = true;
                let at = (i * scopes + q) * channels;
                let by_channel = channel_rows.get(at..at + channels).unwrap_or(&[]);
                counts[q].open_ms += length_ms;
                counts[q].add(row, by_channel);
                counts[queues].add(row, by_channel);
            }
        }
        any_open_ms += if any_open { length_ms } else { 0 };
    }
    counts[queues].open_ms = any_open_ms;
    counts.iter().map(OpenCounts::values).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(arrivals: u64, answered: u64, within: u64, on_shift_agent_ms: u64) -> IntervalRow {
        IntervalRow {
            arrivals,
            answered,
            abandoned: arrivals - answered,
            answered_within_threshold: within,
            answered_wait_sum_ms: answered * 10_000,
            on_shift_agent_ms,
            ..IntervalRow::default()
        }
    }

    #[test]
    fn only_intervals_with_an_agent_on_shift_count_each_queue_by_its_own() {
        const H: u64 = 3_600_000;
        // Two queues and the centre, three one-hour intervals; the first is warm-up.
        let rows = [
            // warm-up: left out
            row(5, 5, 5, H),
            row(5, 5, 5, H),
            row(10, 10, 10, 2 * H),
            // night for queue 0, open for queue 1
            row(4, 0, 0, 0),
            row(2, 2, 1, H),
            row(6, 2, 1, H),
            // day for both
            row(10, 9, 8, H),
            row(10, 10, 10, H),
            row(20, 19, 18, 2 * H),
        ];
        let v = of_rows(&rows, &[], 0, 3, H, 3 * H, H);
        assert_eq!((v[0].offered, v[0].open_h), (10.0, 1.0));
        assert!((v[0].service_level - 0.8).abs() < 1e-12);
        assert!((v[0].abandon_rate - 0.1).abs() < 1e-12);
        assert_eq!((v[1].offered, v[1].open_h), (12.0, 2.0));
        // The centre: queue 0's night customers are out, queue 1's are in.
        assert_eq!(
            (v[2].offered, v[2].answered, v[2].open_h),
            (22.0, 21.0, 2.0)
        );
        assert!((v[2].service_level - 19.0 / 22.0).abs() < 1e-12);
        assert!((v[2].mean_wait_answered_s - 10.0).abs() < 1e-12);
        assert!(v[2].sla_compliance.is_nan());
    }
}
