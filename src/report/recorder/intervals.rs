//! Which report interval a time falls in, for the recorder's interval rows.

/// Which report interval a time falls in, remembering the last interval asked about: most
/// metrics of an event fall in the interval of its instant (or of an arrival moments before),
/// and a comparison costs less than the division it saves (an M/M/20 customer asks about a
/// dozen times).
#[derive(Debug, Clone, Copy)]
pub(super) struct IntervalOf {
    interval_ms: u64,
    /// The last interval asked about: `[start_ms, end_ms)`, number `index`.
    start_ms: u64,
    end_ms: u64,
    index: u64,
}

impl IntervalOf {
    pub(super) fn new(interval_ms: u64) -> Self {
        Self {
            interval_ms,
            start_ms: 0,
            end_ms: interval_ms,
            index: 0,
        }
    }

    /// The number of the interval `at_ms` falls in.
    #[inline]
    pub(super) fn index_of(&mut self, at_ms: u64) -> u64 {
        if at_ms >= self.start_ms && at_ms < self.end_ms {
            return self.index;
        }
        self.index = at_ms / self.interval_ms;
        self.start_ms = self.index * self.interval_ms;
        self.end_ms = self.start_ms.saturating_add(self.interval_ms);
        self.index
    }

    /// Where the interval `at_ms` falls in ends.
    #[inline]
    pub(super) fn end_of(&mut self, at_ms: u64) -> u64 {
        self.index_of(at_ms);
        self.end_ms
    }
}
