//! Arrival rates over time: constant, or a per-interval profile in local time (the form WFM
//! tools export), and the cursor that turns unit-exponential draws into arrival instants of the
//! non-homogeneous Poisson process with that rate.
//!
//! The cursor inverts the integrated rate exactly: a draw `E ~ Exp(1)` is spent across the
//! piecewise-constant rate until it is used up. Unlike thinning it takes exactly one random draw
//! per arrival, so customer k of a segment always consumes draw k of the segment's stream.

use jiff::civil::Time;

use super::calendar::Calendar;

/// How a profile's intervals repeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// One day of intervals, the same every day.
    Daily,
    /// Seven days of intervals, Monday first.
    Weekly,
}

/// A per-interval rate profile in the scenario's local time.
#[derive(Debug, Clone, PartialEq)]
pub struct RateProfile {
    /// Interval length, minutes (15, 30 or 60).
    pub interval_min: u32,
    /// Rate in each interval, per hour; `24·60/interval_min` values (daily) or seven times that
    /// (weekly, Monday first).
    pub rates_per_h: Vec<f64>,
    /// Daily or weekly.
    pub repeat: Repeat,
}

/// The arrival rate of a segment.
#[derive(Debug, Clone, PartialEq)]
pub enum ArrivalRate {
    /// The same rate at all times.
    Constant {
        /// Arrivals per hour.
        rate_per_h: f64,
    },
    /// A profile in local time.
    Profile(RateProfile),
    /// Dated volumes (a WFM forecast): the rate of each stretch the forecast covers, zero
    /// everywhere else.
    Dated(DatedRates),
}

/// Rates over absolute stretches of the run, as a dated forecast gives them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DatedRates {
    /// Sorted stretches that do not overlap, with their rate; gaps have no arrivals.
    pub pieces: Vec<RatePiece>,
}

impl DatedRates {
    /// Rates from stretches that carry `volume` arrivals each, `(start_ms, end_ms, volume)`:
    /// each volume spreads evenly over its stretch, and where stretches overlap (the hour a DST
    /// change skips, read as the next hour) their rates add up, so every volume arrives in full.
    pub fn from_volumes(stretches: &[(i64, i64, f64)]) -> Self {
        let mut edges: Vec<(i64, f64)> = Vec::with_capacity(stretches.len() * 2);
        for &(start, end, volume) in stretches {
            if end > start && volume > 0.0 {
                let rate = volume / (end - start) as f64;
                edges.push((start, rate));
                edges.push((end, -rate));
            }
        }
        edges.sort_by_key(|e| e.0);
        let mut pieces: Vec<RatePiece> = Vec::new();
        let mut rate = 0.0_f64;
        let mut i = 0;
        while i < edges.len() {
            let at = edges[i].0;
            while i < edges.len() && edges[i].0 == at {
                rate += edges[i].1;
                i += 1;
            }
            // Sums of ± the same rates may leave a rounding residue where nothing remains.
            if rate.abs() < 1e-15 {
                rate = 0.0;
            }
            if let Some(next) = edges.get(i).map(|e| e.0)
                && rate > 0.0
            {
                match pieces.last_mut() {
                    Some(last) if last.end_ms == at && last.rate_per_ms == rate => {
                        last.end_ms = next;
                    }
                    _ => pieces.push(RatePiece {
                        start_ms: at,
                        end_ms: next,
                        rate_per_ms: rate,
                    }),
                }
            }
        }
        Self { pieces }
    }

    /// The expected arrivals in `[from, to)`, ms since the start.
    fn integral(&self, from: i64, to: i64) -> f64 {
        let first = self.pieces.partition_point(|p| p.end_ms <= from);
        self.pieces[first..]
            .iter()
            .take_while(|p| p.start_ms < to)
            .map(|p| (p.end_ms.min(to) - p.start_ms.max(from)).max(0) as f64 * p.rate_per_ms)
            .sum()
    }
}

/// A mean that changes over absolute stretches of the run: a forecast's average handle time per
/// interval, read at the moment a customer arrives.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DatedMeans {
    /// Sorted stretches `(start_ms, end_ms, mean_ms)` that do not overlap.
    pub pieces: Vec<(i64, i64, f64)>,
    /// The mean over every stretch, weighted by the arrivals each carries (`None` when there
    /// are none): what the run header and staffing use as the handle time.
    pub mean_ms: Option<f64>,
}

impl DatedMeans {
    /// The mean of the stretch holding `at_ms`, if a stretch does.
    pub fn at(&self, at_ms: u64) -> Option<f64> {
        let at = at_ms as i64;
        let i = self.pieces.partition_point(|p| p.1 <= at);
        self.pieces.get(i).filter(|p| p.0 <= at).map(|p| p.2)
    }
}

/// A stretch of constant rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatePiece {
    /// Start, ms since the scenario start (may be negative for the first day).
    pub start_ms: i64,
    /// End, exclusive.
    pub end_ms: i64,
    /// Arrivals per ms.
    pub rate_per_ms: f64,
}

const MS_PER_H: f64 = 3_600_000.0;

impl RateProfile {
    /// Intervals per local day.
    pub fn intervals_per_day(&self) -> usize {
        (24 * 60 / self.interval_min) as usize
    }

    /// The pieces of local day `day` (counted from the start's date), in time order. On a day
    /// with a DST change, a local interval that does not exist is left out and a repeated one is
    /// as long as the clock says.
    pub fn pieces_for_day(&self, cal: &Calendar, day: i64) -> Vec<RatePiece> {
        let date = cal.date_after_start(day);
        let per_day = self.intervals_per_day();
        let offset = match self.repeat {
            Repeat::Daily => 0,
            Repeat::Weekly => per_day * (date.weekday().to_monday_zero_offset() as usize),
        };
        let mut pieces = Vec::with_capacity(per_day);
        for i in 0..per_day {
            let start_min = i as i64 * i64::from(self.interval_min);
            let start =
                date.to_datetime(Time::midnight()) + jiff::SignedDuration::from_mins(start_min);
            let end = start + jiff::SignedDuration::from_mins(i64::from(self.interval_min));
            let (s, e) = (cal.ms_of_local(start), cal.ms_of_local(end));
            if e > s {
                pieces.push(RatePiece {
                    start_ms: s,
                    end_ms: e,
                    rate_per_ms: self.rates_per_h[offset + i] / MS_PER_H,
                });
            }
        }
        pieces
    }
}

impl ArrivalRate {
    /// The highest rate it reaches, per hour (a run's open conversations at the peak).
    pub fn peak_per_h(&self) -> f64 {
        match self {
            ArrivalRate::Constant { rate_per_h } => rate_per_h.max(0.0),
            ArrivalRate::Profile(p) => p.rates_per_h.iter().copied().fold(0.0, f64::max),
            ArrivalRate::Dated(d) => d
                .pieces
                .iter()
                .map(|p| p.rate_per_ms * MS_PER_H)
                .fold(0.0, f64::max),
        }
    }

    /// The expected number of arrivals in `[from_ms, to_ms)` (ms since the start): the
    /// integral of the rate (staffing's offered load).
    pub fn expected_arrivals(&self, cal: &Calendar, from_ms: u64, to_ms: u64) -> f64 {
        if to_ms <= from_ms {
            return 0.0;
        }
        match self {
            ArrivalRate::Constant { rate_per_h } => {
                rate_per_h.max(0.0) * (to_ms - from_ms) as f64 / MS_PER_H
            }
            ArrivalRate::Profile(p) => {
                let (from, to) = (from_ms as i64, to_ms as i64);
                let mut sum = 0.0;
                // A local day's pieces may start before its index's midnight (DST); look one
                // day either side.
                for day in cal.day_index(from_ms) - 1..=cal.day_index(to_ms) + 1 {
                    for piece in p.pieces_for_day(cal, day) {
                        let overlap = piece.end_ms.min(to) - piece.start_ms.max(from);
                        if overlap > 0 {
                            sum += overlap as f64 * piece.rate_per_ms;
                        }
                    }
                }
                sum
            }
            ArrivalRate::Dated(d) => d.integral(from_ms as i64, to_ms as i64),
        }
    }
}

/// Where a segment's arrival process stands.
#[derive(Debug, Clone)]
pub struct ArrivalCursor {
    /// The exact (unrounded) time of the last arrival, ms.
    time_ms: f64,
    pieces: Vec<RatePiece>,
    piece: usize,
    day: i64,
}

impl ArrivalCursor {
    /// A cursor at the scenario start.
    pub fn new() -> Self {
        Self {
            time_ms: 0.0,
            pieces: Vec::new(),
            piece: 0,
            day: -1,
        }
    }

    /// The next arrival instant (ms, rounded) after spending `unit_exp` (a draw of Exp(1)), or
    /// `None` if it falls at or past `horizon_ms`.
    pub fn next_arrival_ms(
        &mut self,
        rate: &ArrivalRate,
        cal: &Calendar,
        mut unit_exp: f64,
        horizon_ms: u64,
    ) -> Option<u64> {
        let horizon = horizon_ms as f64;
        match rate {
            ArrivalRate::Constant { rate_per_h } => {
                if *rate_per_h <= 0.0 {
                    return None;
                }
                self.time_ms += unit_exp * MS_PER_H / rate_per_h;
            }
            ArrivalRate::Profile(profile) => loop {
                if self.time_ms >= horizon {
                    return None;
                }
                if self.piece >= self.pieces.len() {
                    self.day += 1;
                    self.pieces = profile.pieces_for_day(cal, self.day);
                    self.piece = 0;
                    continue;
                }
                let p = self.pieces[self.piece];
                let from = self.time_ms.max(p.start_ms as f64);
                let end = p.end_ms as f64;
                if from >= end {
                    self.piece += 1;
                    continue;
                }
                let budget = (end - from) * p.rate_per_ms;
                if unit_exp <= budget && p.rate_per_ms > 0.0 {
                    self.time_ms = from + unit_exp / p.rate_per_ms;
                    break;
                }
                unit_exp -= budget;
                self.time_ms = end;
                self.piece += 1;
            },
            ArrivalRate::Dated(dated) => loop {
                // Past the last stretch nothing more arrives.
                let p = *dated.pieces.get(self.piece)?;
                if self.time_ms >= horizon {
                    return None;
                }
                let from = self.time_ms.max(p.start_ms as f64);
                let end = p.end_ms as f64;
                let budget = (end - from).max(0.0) * p.rate_per_ms;
                if unit_exp <= budget && p.rate_per_ms > 0.0 {
                    self.time_ms = from + unit_exp / p.rate_per_ms;
                    break;
                }
                unit_exp -= budget;
                self.time_ms = self.time_ms.max(end);
                self.piece += 1;
            },
        }
        let at = self.time_ms.round();
        (at < horizon).then_some(at as u64)
    }
}

impl Default for ArrivalCursor {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::tz::TimeZone;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, Exp1};

    fn utc_calendar() -> Calendar {
        Calendar::new("2026-01-05T00:00".parse().unwrap(), TimeZone::UTC).unwrap()
    }

    #[test]
    fn profile_counts_follow_the_rates() {
        // 60-minute intervals: 0 arrivals/h at night, 600/h from 09:00 to 10:00 only.
        let mut rates = vec![0.0; 24];
        rates[9] = 600.0;
        let rate = ArrivalRate::Profile(RateProfile {
            interval_min: 60,
            rates_per_h: rates,
            repeat: Repeat::Daily,
        });
        let cal = utc_calendar();
        let mut cursor = ArrivalCursor::new();
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let horizon = 10 * 86_400_000;
        let mut per_hour = [0u32; 24];
        let mut n = 0;
        while let Some(t) = cursor.next_arrival_ms(&rate, &cal, Exp1.sample(&mut rng), horizon) {
            per_hour[((t / 3_600_000) % 24) as usize] += 1;
            n += 1;
        }
        assert_eq!(per_hour.iter().sum::<u32>(), n);
        assert_eq!(n, per_hour[9], "arrivals only between 09:00 and 10:00");
        // 10 days × 600 expected; Poisson sd ≈ 77.
        assert!((5_700..6_300).contains(&n), "{n}");
    }

    #[test]
    fn dated_rates_spread_each_volume_over_its_stretch_and_add_overlaps() {
        // Two half-hours of 30 and 60 arrivals, a gap, and an overlapping pair.
        let h = 1_800_000;
        let d = DatedRates::from_volumes(&[
            (0, h, 30.0),
            (h, 2 * h, 60.0),
            (4 * h, 5 * h, 10.0),
            (4 * h, 5 * h, 20.0),
        ]);
        assert_eq!(d.pieces.len(), 3, "{d:?}");
        let rate = ArrivalRate::Dated(d);
        let cal = utc_calendar();
        let e = |a: u64, b: u64| rate.expected_arrivals(&cal, a, b);
        assert!((e(0, 2 * h as u64) - 90.0).abs() < 1e-9);
        assert!(
            (e(2 * h as u64, 4 * h as u64)).abs() < 1e-12,
            "the gap has none"
        );
        assert!((e(0, 10 * h as u64) - 120.0).abs() < 1e-9);
        assert!(
            (rate.peak_per_h() - 120.0).abs() < 1e-9,
            "60 in half an hour"
        );
    }

    #[test]
    fn dated_arrivals_fall_only_inside_the_forecast_stretches() {
        let h = 3_600_000_i64;
        // 09:00–10:00 on day 0 and day 2 only, 500 each.
        let rate = ArrivalRate::Dated(DatedRates::from_volumes(&[
            (9 * h, 10 * h, 500.0),
            (57 * h, 58 * h, 500.0),
        ]));
        let cal = utc_calendar();
        let mut cursor = ArrivalCursor::new();
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut per_day = [0u32; 7];
        while let Some(t) =
            cursor.next_arrival_ms(&rate, &cal, Exp1.sample(&mut rng), 7 * 86_400_000)
        {
            assert_eq!((t / 3_600_000) % 24, 9, "at {t}");
            per_day[(t / 86_400_000) as usize] += 1;
        }
        assert_eq!(per_day[1] + per_day[3..].iter().sum::<u32>(), 0);
        // Poisson(500): sd ≈ 22.
        assert!((420..580).contains(&per_day[0]), "{per_day:?}");
        assert!((420..580).contains(&per_day[2]), "{per_day:?}");
    }

    #[test]
    fn weekly_profile_uses_the_weekday_block() {
        // 2026-01-05 is a Monday. Only Sunday has traffic.
        let mut rates = vec![0.0; 7 * 24];
        for h in 0..24 {
            rates[6 * 24 + h] = 100.0;
        }
        let rate = ArrivalRate::Profile(RateProfile {
            interval_min: 60,
            rates_per_h: rates,
            repeat: Repeat::Weekly,
        });
        let cal = utc_calendar();
        let mut cursor = ArrivalCursor::new();
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        while let Some(t) =
            cursor.next_arrival_ms(&rate, &cal, Exp1.sample(&mut rng), 14 * 86_400_000)
        {
            assert_eq!(cal.local(t).date().weekday(), jiff::civil::Weekday::Sunday);
        }
    }
}
