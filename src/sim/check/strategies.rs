//! The waiting-strategy checks of the [`InvariantChecker`]: a strategy starts when its
//! conversation enters the queue inside working hours (WS-1, WH-4), and each step belongs to a
//! running strategy and falls when the strategy allows (WS-2..6).

use super::{Cached, InvariantChecker};
use crate::actors::ConvId;
use crate::model::waiting_strategy::{ONE_HOUR_MS, StrategyKind, StrategyStep};

impl InvariantChecker {
    /// WS-1, WH-4: a strategy starts when its conversation enters the queue, inside hours.
    pub(super) fn strategy_started(
        &mut self,
        now_ms: u64,
        conv: ConvId,
        (queue, segment): (u32, u32),
        entered_ms: u64,
    ) {
        if now_ms != entered_ms {
            self.fail(format!(
                "{now_ms} ms: a waiting strategy started {} ms after its conversation entered queue {queue} (WS-1)",
                now_ms.saturating_sub(entered_ms)
            ));
        }
        let spec = &self.spec;
        let hours = &spec.queues[queue as usize].hours.calendar;
        let open = Cached::lookup(&mut self.queue_open[queue as usize], now_ms, || {
            hours.state_at(&spec.calendar, now_ms)
        });
        if !open {
            self.fail(format!(
                "{now_ms} ms: a waiting strategy started in queue {queue} outside its working hours (WH-4)"
            ));
        }
        self.strategies.insert(conv, (queue, segment, now_ms, 0));
    }

    /// WS-2..6: a step belongs to a running strategy and falls when the strategy allows.
    pub(super) fn strategy_step(
        &mut self,
        now_ms: u64,
        conv: ConvId,
        queue: u32,
        step: StrategyStep,
    ) {
        let Some(&(started_in, segment, started_ms, announced)) = self.strategies.get(&conv) else {
            self.fail(format!(
                "{now_ms} ms: waiting-strategy {step:?} in queue {queue} for a conversation that is not waiting with a running strategy (WS-5)"
            ));
            return;
        };
        if started_in != queue {
            self.fail(format!(
                "{now_ms} ms: waiting-strategy {step:?} in queue {queue}, started in {started_in}"
            ));
        }
        let strategy = self.spec.segments[segment as usize].waiting_strategy;
        let waited = now_ms - started_ms;
        match (step, strategy) {
            (StrategyStep::Welcome, _) if waited != 0 => self.fail(format!(
                "{now_ms} ms: welcome message {waited} ms after the start (WS-2)"
            )),
            (StrategyStep::Announcement { n }, Some(s)) => {
                let messaging = s.kind == StrategyKind::Messaging;
                let limit = s.announcements.and_then(|a| a.max_count);
                if n != announced + 1
                    || (messaging && waited > ONE_HOUR_MS)
                    || limit.is_some_and(|max| n > max)
                {
                    self.fail(format!(
                        "{now_ms} ms: announcement {n} after {waited} ms (WS-3)"
                    ));
                }
                if let Some(entry) = self.strategies.get_mut(&conv) {
                    entry.3 = n;
                }
            }
            (StrategyStep::MaxWait, Some(s)) if s.max_wait_ms != Some(waited) => {
                self.fail(format!(
                    "{now_ms} ms: maximum wait after {waited} ms, set to {:?} ms (WS-4)",
                    s.max_wait_ms
                ));
            }
            (StrategyStep::Silent, _) if waited != ONE_HOUR_MS => self.fail(format!(
                "{now_ms} ms: strategy fell silent after {waited} ms, not one hour (WS-5)"
            )),
            _ => {}
        }
    }
}
