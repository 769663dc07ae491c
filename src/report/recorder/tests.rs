//! Unit tests of the recorder: interval splitting, warm-up, arrival-interval attribution.

use super::*;
use crate::actors::AssignedBy;
use crate::model::centre::testing::centre;
use crate::model::channel::ChannelCategory;

const MIN: u64 = 60_000;

fn spec() -> CentreSpec {
    // 90 minutes, 30-minute intervals, 30-minute warm-up, one agent with 2 slots.
    centre(1, &[(&[0], 2)], 90, 30, 30)
}

#[test]
fn levels_are_split_across_intervals_and_warmup() {
    let mut r = Recorder::new(&spec());
    // On shift 10..70 min with 2 slots; one conversation 20..80 min (finished after the
    // shift, so the agent stays staffed until 80).
    r.record(10 * MIN, Metric::AgentShift { agent: 0, on: true });
    // The platform shows the agent Available as its shift starts (a break would not count).
    r.record(
        10 * MIN,
        Metric::AgentStatus {
            agent: 0,
            status: DefaultStatus::Available,
        },
    );
    r.record(
        20 * MIN,
        Metric::AgentBusy {
            agent: 0,
            busy_slots: 1,
            category: ChannelCategory::LiveMessaging,
            in_category: 1,
            assigned: true,
        },
    );
    r.record(
        70 * MIN,
        Metric::AgentShift {
            agent: 0,
            on: false,
        },
    );
    r.record(
        80 * MIN,
        Metric::AgentBusy {
            agent: 0,
            busy_slots: 0,
            category: ChannelCategory::LiveMessaging,
            in_category: 0,
            assigned: true,
        },
    );
    let stats = r.finish(90 * MIN, 0);
    let row = |i: usize| stats.intervals[i * 2];
    assert_eq!(row(0).staffed_slot_ms, 2 * 20 * MIN);
    assert_eq!(row(0).busy_slot_ms, 10 * MIN);
    assert_eq!(row(1).staffed_slot_ms, 2 * 30 * MIN);
    assert_eq!(row(2).staffed_slot_ms, 2 * 20 * MIN);
    assert_eq!(row(2).busy_slot_ms, 20 * MIN);
    assert_eq!(row(2).on_shift_agent_ms, 10 * MIN);
    // Totals start at the 30-minute warm-up: busy 30..80, staffed 30..80.
    assert_eq!(stats.totals[0].busy_slot_ms, 50 * MIN);
    assert_eq!(stats.totals[0].staffed_slot_ms, 2 * 50 * MIN);
    // The centre scope sees the same.
    assert_eq!(stats.totals[1].busy_slot_ms, stats.totals[0].busy_slot_ms);
}

#[test]
fn customers_count_in_their_arrival_interval_and_after_warmup_only() {
    let mut r = Recorder::new(&spec());
    r.record(
        5 * MIN,
        Metric::Offered {
            queue: 0,
            segment: 0,
            arrived_ms: 5 * MIN,
        },
    );
    r.record(
        35 * MIN,
        Metric::Answered {
            queue: 0,
            segment: 0,
            agent: 0,
            by: AssignedBy::Weighted,
            arrived_ms: 5 * MIN,
            wait_ms: 30 * MIN,
        },
    );
    r.record(
        40 * MIN,
        Metric::Offered {
            queue: 0,
            segment: 0,
            arrived_ms: 40 * MIN,
        },
    );
    r.record(
        40 * MIN,
        Metric::Answered {
            queue: 0,
            segment: 0,
            agent: 0,
            by: AssignedBy::Weighted,
            arrived_ms: 40 * MIN,
            wait_ms: 15_000,
        },
    );
    let stats = r.finish(90 * MIN, 0);
    assert_eq!(stats.intervals[0].arrivals, 1);
    assert_eq!(
        stats.intervals[0].answered, 1,
        "credited to the arrival interval"
    );
    assert_eq!(stats.intervals[0].answered_within_threshold, 0);
    assert_eq!(stats.intervals[2].answered_within_threshold, 1);
    assert_eq!(
        stats.totals[0].offered, 1,
        "the warm-up arrival is left out"
    );
    assert_eq!(stats.totals[0].answered_within_threshold, 1);
}

#[test]
fn an_interval_row_stays_small() {
    // The interval table is what grows with simulated time (README "Memory", and the limit
    // on report rows in scenario::build): a tripwire for the figures written there.
    assert_eq!(std::mem::size_of::<IntervalRow>(), 160);
}

/// The interval a time falls in is the one its division gives, whatever order times come in
/// (metrics carry arrival times from earlier intervals between ones of the current instant).
#[test]
fn the_remembered_interval_answers_as_the_division_does() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    let interval_ms = 30 * MIN;
    let mut of = IntervalOf::new(interval_ms);
    let mut now_ms = 0u64;
    for _ in 0..100_000 {
        now_ms += rng.next_u64() % (10 * MIN);
        // Now, a time up to three intervals back, or either side of a boundary.
        let at_ms = match rng.next_u64() % 4 {
            0 => now_ms,
            1 => now_ms.saturating_sub(rng.next_u64() % (3 * interval_ms)),
            2 => now_ms - now_ms % interval_ms,
            _ => (now_ms - now_ms % interval_ms).saturating_sub(1),
        };
        assert_eq!(of.index_of(at_ms), at_ms / interval_ms, "at {at_ms}");
        assert_eq!(of.end_of(at_ms), (at_ms / interval_ms + 1) * interval_ms);
    }
}
