//! Waiting strategies (WS-1..6): the messages a conversation gets while it waits unassigned in a
//! queue, and when the strategy gives up on it.
//!
//! Messaging (WS-1..5): a welcome message once on entering, announcements at an interval of at
//! least a minute (optionally limited in number) within the first hour only, and a maximum wait
//! of at most an hour after which the maximum-wait message goes out and the conversation is
//! closed. Without a maximum wait, the strategy falls silent after an hour and the conversation
//! stays open. Voice (WS-6): a greeting, hold music, announcements that may give the caller's
//! position in the queue, and a maximum wait after which a message is played and the call is
//! dropped.
//!
//! The strategy runs from the moment the conversation waits unassigned: it never starts for one
//! that entered outside working hours (WH-4), and it ends when the conversation is assigned.
//! **(decision)** A conversation that goes back to a line after it was assigned (its agent was
//! logged out, or a transfer to a queue its agent does not belong to) does not start a new
//! strategy: WS-1 names entering the contact centre, and the strategy ended at the assignment
//! (WS-5).

/// One hour, ms: the longest announcements run and the longest maximum wait (WS-3, WS-4).
pub const ONE_HOUR_MS: u64 = 3_600_000;
/// The shortest announcement interval, ms (WS-3).
pub const MIN_ANNOUNCEMENT_INTERVAL_MS: u64 = 60_000;

/// Periodic announcements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Announcements {
    /// Time between announcements, ms; the first comes one interval after the start.
    pub interval_ms: u64,
    /// At most this many (messaging); `None` for no limit.
    pub max_count: Option<u32>,
    /// Voice: the announcement states the caller's position in the queue.
    pub position_in_queue: bool,
}

/// Which kind of channel the strategy serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrategyKind {
    /// Text channels (WS-1..5).
    Messaging,
    /// Calls (WS-6).
    Voice {
        /// Hold music plays between the messages.
        hold_music: bool,
    },
}

/// A sender's waiting strategy (one per sender, WS-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitingStrategy {
    /// Messaging or voice.
    pub kind: StrategyKind,
    /// Welcome message (greeting, for calls) on entering.
    pub welcome: bool,
    /// Periodic announcements.
    pub announcements: Option<Announcements>,
    /// Close (drop, for calls) after this long unassigned, ms.
    pub max_wait_ms: Option<u64>,
}

/// What the strategy does at a moment of a conversation's wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrategyStep {
    /// The welcome message or greeting (at the start only).
    Welcome,
    /// The `n`-th announcement (1-based).
    Announcement {
        /// Which one.
        n: u32,
    },
    /// The maximum-wait message; the conversation is closed (the call dropped) and leaves the
    /// queue (WS-4, WS-6).
    MaxWait,
    /// An hour has passed without a maximum wait: no more messages; the conversation stays
    /// open and waiting (WS-5).
    Silent,
}

/// Why a strategy's settings cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StrategyError {
    /// WS-1: nothing enabled.
    #[error(
        "no message enabled: expected at least one of welcome, announcements or max_wait (WS-1)"
    )]
    NothingEnabled,
    /// WS-3: interval under a minute.
    #[error("announcement interval of {0} s: expected at least 60 s (WS-3)")]
    IntervalTooShort(u64),
    /// WS-3: a count of zero or more than fit in an hour.
    #[error("announcement count {0}: expected 1 to 60 (WS-3)")]
    BadCount(u32),
    /// WS-4: a maximum wait of zero or over an hour.
    #[error("maximum wait of {0} s: expected more than 0 and at most 3600 s (WS-4)")]
    BadMaxWait(u64),
}

impl WaitingStrategy {
    /// Checks the settings against WS-1, WS-3 and WS-4 (the hour limits bind messaging only;
    /// voice has no documented limit).
    pub fn validate(&self) -> Result<(), StrategyError> {
        let voice_music = matches!(self.kind, StrategyKind::Voice { hold_music: true });
        if !self.welcome
            && self.announcements.is_none()
            && self.max_wait_ms.is_none()
            && !voice_music
        {
            return Err(StrategyError::NothingEnabled);
        }
        if let Some(a) = self.announcements {
            if a.interval_ms < MIN_ANNOUNCEMENT_INTERVAL_MS {
                return Err(StrategyError::IntervalTooShort(a.interval_ms / 1000));
            }
            if let Some(n) = a.max_count
                && !(1..=60).contains(&n)
            {
                return Err(StrategyError::BadCount(n));
            }
        }
        if let Some(w) = self.max_wait_ms {
            let limit = match self.kind {
                StrategyKind::Messaging => ONE_HOUR_MS,
                StrategyKind::Voice { .. } => u64::MAX,
            };
            if w == 0 || w > limit {
                return Err(StrategyError::BadMaxWait(w / 1000));
            }
        }
        Ok(())
    }

    /// The step at the start of the wait (WS-2): the welcome message, if enabled.
    pub fn on_start(&self) -> Option<StrategyStep> {
        self.welcome.then_some(StrategyStep::Welcome)
    }

    /// The next step after `announced` announcements of a wait that started at `started_ms`:
    /// when it falls and what it is; `None` when the strategy has nothing more to do.
    ///
    /// WS-3: announcement k falls at start + k × interval while k ≤ the count limit and, for
    /// messaging, within the first hour (so at most 60). WS-4: the maximum wait closes it;
    /// **(decision)** an announcement due at the same instant as the maximum wait is not sent.
    /// WS-5: without a maximum wait, messaging falls silent at one hour.
    pub fn next_step(&self, started_ms: u64, announced: u32) -> Option<(u64, StrategyStep)> {
        let messaging = self.kind == StrategyKind::Messaging;
        let announcement = self.announcements.and_then(|a| {
            let n = announced + 1;
            let at = started_ms + a.interval_ms * u64::from(n);
            let within_count = a.max_count.is_none_or(|max| n <= max);
            let within_hour = !messaging || at <= started_ms + ONE_HOUR_MS;
            (within_count && within_hour).then_some((at, StrategyStep::Announcement { n }))
        });
        let end = match self.max_wait_ms {
            Some(w) => Some((started_ms + w, StrategyStep::MaxWait)),
            None if messaging => Some((started_ms + ONE_HOUR_MS, StrategyStep::Silent)),
            None => None,
        };
        match (announcement, end) {
            // An announcement due at the hour still falls within the first hour.
            (Some(a), Some(e)) if a.0 < e.0 || (a.0 == e.0 && e.1 == StrategyStep::Silent) => {
                Some(a)
            }
            (Some(_), Some(e)) => Some(e),
            (a, e) => a.or(e),
        }
    }

    /// Every step of a wait that lasts `wait_ms` unassigned, with its time: what a customer
    /// who waits that long receives.
    pub fn steps_within(&self, wait_ms: u64) -> Vec<(u64, StrategyStep)> {
        let mut steps: Vec<(u64, StrategyStep)> =
            self.on_start().map(|s| (0, s)).into_iter().collect();
        let mut announced = 0;
        while let Some((at, step)) = self.next_step(0, announced) {
            if at > wait_ms {
                break;
            }
            steps.push((at, step));
            match step {
                StrategyStep::Announcement { n } => announced = n,
                StrategyStep::MaxWait | StrategyStep::Silent => break,
                StrategyStep::Welcome => {}
            }
        }
        steps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: u64 = 60_000;

    fn messaging(
        welcome: bool,
        every_min: Option<u64>,
        max_count: Option<u32>,
        max_wait_min: Option<u64>,
    ) -> WaitingStrategy {
        WaitingStrategy {
            kind: StrategyKind::Messaging,
            welcome,
            announcements: every_min.map(|m| Announcements {
                interval_ms: m * MIN,
                max_count,
                position_in_queue: false,
            }),
            max_wait_ms: max_wait_min.map(|m| m * MIN),
        }
    }

    fn announcements(steps: &[(u64, StrategyStep)]) -> usize {
        steps
            .iter()
            .filter(|(_, s)| matches!(s, StrategyStep::Announcement { .. }))
            .count()
    }

    #[test]
    fn ws_1_at_least_one_message_must_be_enabled() {
        assert_eq!(
            messaging(false, None, None, None).validate(),
            Err(StrategyError::NothingEnabled)
        );
        assert_eq!(messaging(true, None, None, None).validate(), Ok(()));
        assert_eq!(messaging(false, None, None, Some(30)).validate(), Ok(()));
        let music = WaitingStrategy {
            kind: StrategyKind::Voice { hold_music: true },
            ..messaging(false, None, None, None)
        };
        assert_eq!(music.validate(), Ok(()));
    }

    #[test]
    fn ws_2_the_welcome_message_goes_once_at_the_start() {
        let s = messaging(true, Some(5), None, None);
        let steps = s.steps_within(30 * MIN);
        assert_eq!(steps[0], (0, StrategyStep::Welcome));
        assert_eq!(
            steps
                .iter()
                .filter(|(_, s)| *s == StrategyStep::Welcome)
                .count(),
            1
        );
        assert_eq!(messaging(false, Some(5), None, None).on_start(), None);
    }

    #[test]
    fn ws_3_announcements_every_interval_within_the_first_hour_at_most_60() {
        // Every minute, no limit: 60 announcements, the last at exactly one hour.
        let s = messaging(false, Some(1), None, None);
        let steps = s.steps_within(3 * ONE_HOUR_MS);
        assert_eq!(announcements(&steps), 60);
        assert_eq!(
            steps[59],
            (ONE_HOUR_MS, StrategyStep::Announcement { n: 60 })
        );
        // Every 7 minutes: 8 of them (7 … 56 min).
        let s = messaging(false, Some(7), None, None);
        assert_eq!(announcements(&s.steps_within(3 * ONE_HOUR_MS)), 8);
        // A count limit stops them earlier.
        let s = messaging(true, Some(2), Some(3), None);
        let steps = s.steps_within(3 * ONE_HOUR_MS);
        assert_eq!(announcements(&steps), 3);
        assert_eq!(steps[3], (6 * MIN, StrategyStep::Announcement { n: 3 }));
        // Limits are validated.
        assert_eq!(
            WaitingStrategy {
                announcements: Some(Announcements {
                    interval_ms: 59_000,
                    max_count: None,
                    position_in_queue: false
                }),
                ..s
            }
            .validate(),
            Err(StrategyError::IntervalTooShort(59))
        );
        assert_eq!(
            messaging(false, Some(1), Some(61), None).validate(),
            Err(StrategyError::BadCount(61))
        );
        assert_eq!(
            messaging(false, Some(1), Some(0), None).validate(),
            Err(StrategyError::BadCount(0))
        );
    }

    #[test]
    fn ws_4_the_maximum_wait_closes_and_is_at_most_an_hour() {
        let s = messaging(true, Some(5), None, Some(20));
        let steps = s.steps_within(3 * ONE_HOUR_MS);
        // 5, 10, 15 min, then the maximum wait at 20 (the announcement due then is not sent).
        assert_eq!(announcements(&steps), 3);
        assert_eq!(*steps.last().unwrap(), (20 * MIN, StrategyStep::MaxWait));
        assert_eq!(
            messaging(true, None, None, Some(61)).validate(),
            Err(StrategyError::BadMaxWait(61 * 60))
        );
        assert_eq!(
            messaging(true, None, None, Some(0)).validate(),
            Err(StrategyError::BadMaxWait(0))
        );
        assert_eq!(messaging(true, None, None, Some(60)).validate(), Ok(()));
    }

    #[test]
    fn ws_5_without_a_maximum_wait_it_falls_silent_after_an_hour() {
        let s = messaging(true, Some(10), None, None);
        let steps = s.steps_within(3 * ONE_HOUR_MS);
        assert_eq!(announcements(&steps), 6);
        // The sixth announcement is due at the hour itself, so it goes out and the strategy
        // then has only its silence left.
        assert_eq!(s.next_step(0, 6), Some((ONE_HOUR_MS, StrategyStep::Silent)));
        assert_eq!(*steps.last().unwrap(), (ONE_HOUR_MS, StrategyStep::Silent));
        // A short wait sees only what fell inside it.
        assert_eq!(s.steps_within(25 * MIN).len(), 3);
    }

    #[test]
    fn ws_6_voice_announces_past_an_hour_and_drops_at_the_maximum_wait() {
        let s = WaitingStrategy {
            kind: StrategyKind::Voice { hold_music: true },
            welcome: true,
            announcements: Some(Announcements {
                interval_ms: 30 * MIN,
                max_count: None,
                position_in_queue: true,
            }),
            max_wait_ms: Some(2 * ONE_HOUR_MS),
        };
        assert_eq!(s.validate(), Ok(()));
        let steps = s.steps_within(10 * ONE_HOUR_MS);
        assert_eq!(announcements(&steps), 3); // 30, 60, 90 min; the one at 120 is the drop
        assert_eq!(
            *steps.last().unwrap(),
            (2 * ONE_HOUR_MS, StrategyStep::MaxWait)
        );
        // Without a maximum wait a call just keeps hearing announcements.
        let open_ended = WaitingStrategy {
            max_wait_ms: None,
            ..s
        };
        assert_eq!(
            open_ended.next_step(0, 10),
            Some((330 * MIN, StrategyStep::Announcement { n: 11 }))
        );
    }
}
