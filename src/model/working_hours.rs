//! Working hours of a queue (WH-1..4): a weekly pattern in a time zone, switched-off days,
//! holidays, and what happens to conversations that arrive outside the hours.

use jiff::civil::{Date, Time};

use super::calendar::{Calendar, PatternState, WeeklyPattern, merge, state_in};

/// A holiday: closed from 00:00 of `first` to 24:00 of `last`, both days included (WH-2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    /// Name, for reports.
    pub name: String,
    /// First day off.
    pub first: Date,
    /// Last day off (inclusive).
    pub last: Date,
}

/// A queue's working hours (WH-1), or an agent's shifts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingHours {
    /// Open spans per weekday; a switched-off weekday simply has none (WH-2).
    pub weekly: WeeklyPattern,
    /// Dated spans that replace the weekly pattern (an agent's roster from a WFM schedule,
    /// with its days off), as merged, sorted `[start, end)` ms since the scenario start;
    /// `None`: the weekly pattern.
    pub dated: Option<Vec<(i64, i64)>>,
    /// Days off, whatever the weekday.
    pub holidays: Vec<Holiday>,
    /// Its own time zone (WH-1: queues and agents in different markets), read from the same
    /// start instant; `None`: the scenario's.
    pub zone: Option<Calendar>,
}

impl WorkingHours {
    /// Open at all times, no holidays: a queue without working hours.
    pub fn always() -> Self {
        Self {
            weekly: WeeklyPattern::always(),
            dated: None,
            holidays: Vec::new(),
            zone: None,
        }
    }

    /// The calendar its local times are read in: its own zone's, else `scenario`.
    pub fn calendar<'a>(&'a self, scenario: &'a Calendar) -> &'a Calendar {
        self.zone.as_ref().unwrap_or(scenario)
    }

    /// Whether the queue is open at `at_ms` and when that next changes (its weekdays, hours and
    /// holidays are local to its own zone, WH-1).
    pub fn state_at(&self, cal: &Calendar, at_ms: u64) -> PatternState {
        let cal = self.calendar(cal);
        let (open, window_end) = match &self.dated {
            // The spans from the one holding (or following) `at_ms`, a few at a time; past the
            // last one nothing changes any more.
            Some(spans) => {
                let from = spans.partition_point(|s| s.1 <= at_ms as i64);
                let to = (from + 16).min(spans.len());
                let window_end = if to < spans.len() {
                    spans[to - 1].1
                } else {
                    i64::MAX
                };
                (spans[from..to].to_vec(), window_end)
            }
            None => self.weekly.intervals_around(cal, at_ms),
        };
        let closed = merge(
            self.holidays
                .iter()
                .map(|h| {
                    let start = cal.ms_of_local(h.first.to_datetime(Time::midnight()));
                    let end = h.last.tomorrow().map_or(i64::MAX, |d| {
                        cal.ms_of_local(d.to_datetime(Time::midnight()))
                    });
                    (start, end)
                })
                .collect(),
        );
        state_in(&subtract(&open, &closed), at_ms, window_end)
    }

    /// Whether the queue is open at `at_ms`.
    pub fn is_open(&self, cal: &Calendar, at_ms: u64) -> bool {
        self.state_at(cal, at_ms).on
    }
}

/// `open` minus `closed`, both merged and sorted.
fn subtract(open: &[(i64, i64)], closed: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut out = Vec::with_capacity(open.len());
    for &(mut s, e) in open {
        for &(cs, ce) in closed {
            if ce <= s || cs >= e {
                continue;
            }
            if cs > s {
                out.push((s, cs));
            }
            s = s.max(ce);
        }
        if s < e {
            out.push((s, e));
        }
    }
    out
}

/// What the platform does with a conversation that reaches a queue outside its hours (WH-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutsideHours {
    /// Send the queue's away message on the conversation's channel.
    pub send_away_message: bool,
    /// Close the conversation at once after it.
    pub close: bool,
    /// Start a waiting strategy (never outside hours, WH-4).
    pub start_waiting_strategy: bool,
}

/// WH-3, WH-4: the away message goes only to a *new* conversation that opens outside hours
/// (replies inside an open conversation never trigger it), closing it when the queue says so;
/// no waiting strategy starts outside hours, and the conversation waits for the bulk
/// assignment at the start of the hours unless it was closed.
pub fn outside_hours(
    new_conversation: bool,
    has_away_message: bool,
    close_after_away: bool,
) -> OutsideHours {
    let away = new_conversation && has_away_message;
    OutsideHours {
        send_away_message: away,
        close: away && close_after_away,
        start_waiting_strategy: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::calendar::WeeklySpan;
    use jiff::civil::Weekday;
    use jiff::tz::TimeZone;

    const H: u64 = 3_600_000;

    fn calendar() -> Calendar {
        // Monday 2026-12-21, Europe/Berlin.
        Calendar::new(
            "2026-12-21T00:00".parse().unwrap(),
            TimeZone::get("Europe/Berlin").unwrap(),
        )
        .unwrap()
    }

    /// Monday to Friday 09:00–17:00; Saturday and Sunday switched off.
    fn office() -> WorkingHours {
        WorkingHours {
            dated: None,
            weekly: WeeklyPattern {
                spans: [
                    Weekday::Monday,
                    Weekday::Tuesday,
                    Weekday::Wednesday,
                    Weekday::Thursday,
                    Weekday::Friday,
                ]
                .into_iter()
                .map(|weekday| WeeklySpan {
                    weekday,
                    start: "09:00".parse().unwrap(),
                    length_min: 8 * 60,
                })
                .collect(),
            },
            holidays: vec![Holiday {
                name: "Christmas".into(),
                first: "2026-12-24".parse().unwrap(),
                last: "2026-12-25".parse().unwrap(),
            }],
            zone: None,
        }
    }

    #[test]
    fn wh_1_hours_follow_the_weekday_pattern_in_the_time_zone() {
        let cal = calendar();
        let wh = office();
        assert!(!wh.is_open(&cal, 8 * H));
        assert!(wh.is_open(&cal, 9 * H));
        assert!(wh.is_open(&cal, 17 * H - 1));
        assert!(!wh.is_open(&cal, 17 * H));
        assert_eq!(wh.state_at(&cal, 10 * H).next_change_ms, Some(17 * H));
    }

    #[test]
    fn wh_1_a_queue_in_its_own_zone_keeps_its_local_hours_through_both_clock_changes() {
        // A Berlin scenario from Monday 2 March 2026; a New York office 09:00–17:00. New York
        // moves its clocks on 8 March, Berlin on 29 March: 6 hours apart, then 5, then 6.
        let berlin = Calendar::new(
            "2026-03-02T00:00".parse().unwrap(),
            jiff::tz::TimeZone::get("Europe/Berlin").unwrap(),
        )
        .unwrap();
        let new_york = berlin.in_zone(jiff::tz::TimeZone::get("America/New_York").unwrap());
        assert_eq!(new_york.local(0).to_string(), "2026-03-01T18:00:00");
        let wh = WorkingHours {
            zone: Some(new_york),
            ..office()
        };
        let day = 24 * H;
        // Monday 2 March: opens 15:00 Berlin.
        assert!(!wh.is_open(&berlin, 15 * H - 1));
        assert!(wh.is_open(&berlin, 15 * H));
        assert!(!wh.is_open(&berlin, 23 * H));
        // Monday 9 March: 14:00 Berlin.
        assert!(!wh.is_open(&berlin, 7 * day + 14 * H - 1));
        assert!(wh.is_open(&berlin, 7 * day + 14 * H));
        assert_eq!(
            wh.state_at(&berlin, 7 * day + 14 * H).next_change_ms,
            Some(7 * day + 22 * H)
        );
        // Monday 30 March: 15:00 Berlin again (one hour fewer since the start: Berlin's change).
        assert!(wh.is_open(&berlin, 28 * day + 14 * H));
        assert!(!wh.is_open(&berlin, 28 * day + 14 * H - 1));
    }

    #[test]
    fn wh_2_holidays_include_both_days_and_switched_off_days_are_closed() {
        let cal = calendar();
        let wh = office();
        let day = 24 * H;
        // Wednesday 23rd open; Thursday 24th and Friday 25th (the last day, included) closed.
        assert!(wh.is_open(&cal, 2 * day + 10 * H));
        assert!(!wh.is_open(&cal, 3 * day + 10 * H));
        assert!(!wh.is_open(&cal, 4 * day + 16 * H));
        // Saturday and Sunday are switched off; Monday 28th opens at 09:00.
        assert!(!wh.is_open(&cal, 5 * day + 10 * H));
        let after_wednesday = wh.state_at(&cal, 2 * day + 17 * H);
        assert_eq!(after_wednesday.next_change_ms, Some(7 * day + 9 * H));
    }

    #[test]
    fn wh_3_away_message_only_for_new_conversations_and_close_when_configured() {
        let new = outside_hours(true, true, true);
        assert!(new.send_away_message && new.close);
        let keep_open = outside_hours(true, true, false);
        assert!(keep_open.send_away_message && !keep_open.close);
        let reply = outside_hours(false, true, true);
        assert!(!reply.send_away_message && !reply.close);
    }

    #[test]
    fn wh_4_no_waiting_strategy_outside_hours() {
        for (new, away, close) in [
            (true, true, true),
            (true, false, false),
            (false, true, false),
        ] {
            assert!(!outside_hours(new, away, close).start_waiting_strategy);
        }
    }

    #[test]
    fn always_open_has_no_holidays() {
        let cal = calendar();
        assert!(WorkingHours::always().is_open(&cal, 3 * 24 * H + 3 * H));
    }
}
