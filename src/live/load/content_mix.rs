//! Which content type each of a load run's customer messages takes (the scenario's
//! `[load.inbound_content]` shares): text, or an image, a location, a list reply… as
//! [`InboundType`] shapes them, so a system under test meets its non-text branches.

use crate::actors::Intent;
use crate::live::mock::inbound::InboundType;

/// The shares, and how many messages could have taken a type other than text so far. The
/// `n`th such message falls at `frac(n × φ)` on the shares laid end to end (a golden-ratio
/// sequence): every share is met closely at any length of run, and the same run sends the same
/// types in the same order.
#[derive(Debug, Default)]
pub(super) struct ContentMix {
    shares: Vec<(InboundType, f64)>,
    n: u64,
}

impl ContentMix {
    /// A mix of `shares` (the rest text).
    pub(super) fn new(shares: Vec<(InboundType, f64)>) -> Self {
        Self { shares, n: 0 }
    }

    /// The type of the next message of a customer whose intent is `intent`, and its number
    /// (for ids and links that differ from message to message). A goodbye and a request for
    /// a human stay text: the system under test reads them from the words.
    pub(super) fn next(&mut self, intent: Intent) -> (InboundType, u64) {
        self.n += 1;
        if intent != Intent::Continue || self.shares.is_empty() {
            return (InboundType::Text, self.n);
        }
        let at = (self.n as f64 * 0.618_033_988_749_894_9).fract();
        let mut edge = 0.0;
        for (kind, share) in &self.shares {
            edge += share;
            if at < edge {
                return (*kind, self.n);
            }
        }
        (InboundType::Text, self.n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_met_and_goodbyes_and_handoff_requests_stay_text() {
        let mut mix = ContentMix::new(vec![
            (InboundType::Image, 0.2),
            (InboundType::Location, 0.05),
            (InboundType::ListReply, 0.1),
        ]);
        let mut counts = std::collections::HashMap::new();
        for _ in 0..10_000 {
            *counts.entry(mix.next(Intent::Continue).0).or_insert(0) += 1;
        }
        for (kind, share) in [
            (InboundType::Image, 0.2),
            (InboundType::Location, 0.05),
            (InboundType::ListReply, 0.1),
            (InboundType::Text, 0.65),
        ] {
            let got = f64::from(counts[&kind]) / 10_000.0;
            assert!((got - share).abs() < 0.005, "{kind:?}: {got} for {share}");
        }
        for intent in [Intent::WantsHuman, Intent::Satisfied] {
            assert_eq!(mix.next(intent).0, InboundType::Text);
        }
        let none = ContentMix::new(Vec::new()).next(Intent::Continue).0;
        assert_eq!(none, InboundType::Text);
    }
}
