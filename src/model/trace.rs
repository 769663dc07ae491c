//! Historical conversations replayed as arrivals: each row of a trace is one customer at a
//! fixed instant on a channel, with the attributes, identity, message count and patience the
//! history gives. The scenario's routing, bot, staffing and conversation models act on them
//! exactly as on drawn customers; what the trace leaves open is drawn as usual.

use super::centre::AttrDraw;

/// The customer id of trace sender `k` (its k-th distinct sender): the same sender is the same
/// person (sticky agent, come-backs, the bot's memory).
pub const TRACE_CUSTOMER: u64 = 1 << 61;

/// How long a replayed customer waits before giving up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TracePatience {
    /// Drawn from the segment's patience, as for any customer.
    Model,
    /// Drawn from the segment's patience, but at least this long (ms): they were answered
    /// after waiting this long, so they would have waited at least as long.
    AtLeast(u64),
    /// Exactly this long (ms): the trace gives it, or they abandoned after it.
    Exactly(u64),
}

/// One replayed customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceRow {
    /// Arrival, ms since the scenario start.
    pub at_ms: u64,
    /// The segment whose behaviour (destination, conversation model) it takes: the first of
    /// its channel.
    pub segment: u32,
    /// The sender's customer id, if the trace names one.
    pub customer: Option<u64>,
    /// Its attributes, as option indices of the segment's attributes.
    pub draw: AttrDraw,
    /// Customer messages (exchanges) of a threaded conversation, if given.
    pub exchanges: Option<u32>,
    /// Patience.
    pub patience: TracePatience,
}

/// A trace: rows in arrival order (ties in file order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    /// Where it came from, for reports.
    pub source: String,
    /// The rows.
    pub rows: Vec<TraceRow>,
}

impl TracePatience {
    /// The patience to use, given the segment's drawn one (`None`: never gives up).
    pub fn resolve(self, drawn_ms: Option<u64>) -> Option<u64> {
        match self {
            TracePatience::Model => drawn_ms,
            TracePatience::AtLeast(floor) => drawn_ms.map(|d| d.max(floor)),
            TracePatience::Exactly(ms) => Some(ms),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patience_from_the_history_wins_or_bounds_the_draw() {
        assert_eq!(TracePatience::Model.resolve(Some(5)), Some(5));
        assert_eq!(TracePatience::Model.resolve(None), None);
        assert_eq!(TracePatience::AtLeast(9).resolve(Some(5)), Some(9));
        assert_eq!(TracePatience::AtLeast(3).resolve(Some(5)), Some(5));
        assert_eq!(TracePatience::AtLeast(3).resolve(None), None);
        assert_eq!(TracePatience::Exactly(7).resolve(None), Some(7));
    }
}
