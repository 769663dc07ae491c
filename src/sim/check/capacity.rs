//! CAP-1 with CAP-4 and ST-1 for the invariant checker: how far above capacity an agent may
//! legitimately be, instant by instant (capacity limits automatic assignment only).

use super::InvariantChecker;

/// See [`InvariantChecker::capacity_allows`].
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct OverCapacity {
    allowed: u32,
    /// Reopens and transfers: increases that capacity does not limit.
    uncapped: u32,
    instant_ms: u64,
}

impl InvariantChecker {
    /// CAP-1 with CAP-4: whether agent `a` may hold `now` conversations of category `c`
    /// (it held `before`). Capacity limits automatic assignment only: a colleague's transfer
    /// (ST-1), or a customer writing into a conversation whose status did not count (Solved or
    /// Waiting, CAP-4), takes it past capacity, and that excess may stay. The agent's conversations and the platform's
    /// assignments are two streams of events; within one instant the platform may see an
    /// agent's reopen after slots it freed earlier in the instant (even after slots freed
    /// later) and fill those first, which is a valid order of the same events (each assignment
    /// saw a free slot). So an assignment may land above capacity by at most the excess carried
    /// into the instant (shrunk by the slots freed since, but never below this instant's
    /// reopens and transfers) plus the reopens and transfers of this instant. That the platform never counts the agent's
    /// slots wrong is checked apart, when the instant settles
    /// ([`super::conservation::ConservationCheck`] compares the two counts).
    pub(super) fn capacity_allows(
        &mut self,
        (a, c): (usize, usize),
        now_ms: u64,
        (before, now): (u32, u32),
        capacity: u32,
        assigned: bool,
    ) -> bool {
        let counted = self.spec.status_policy.counted;
        let reopens = !(counted.waiting && counted.solved);
        let transfer = now > before && !assigned && self.transfers_due[a][c] > 0;
        if transfer {
            self.transfers_due[a][c] -= 1;
        }
        let o = &mut self.over_allowed[a][c];
        if o.instant_ms != now_ms {
            *o = OverCapacity {
                allowed: before.saturating_sub(capacity),
                uncapped: 0,
                instant_ms: now_ms,
            };
        }
        if now < before {
            o.allowed = o.allowed.min(now.saturating_sub(capacity)).max(o.uncapped);
        } else if now > before && !assigned {
            if !transfer && !reopens {
                // Nothing reopens into counting when every status counts.
                return now <= capacity;
            }
            // A colleague's transfer (ST-1) or a reopen: allowed however full the agent is,
            // and, like a reopen, it may cross assignments of the same instant.
            o.allowed += 1;
            o.uncapped += 1;
            return true;
        }
        now <= capacity + o.allowed
    }
}
