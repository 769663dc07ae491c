//! Which of the scenario's conversations the bot side follows, and which mock conversation each
//! one is: plain data, no I/O, so its rules can be tested apart from the actors.
//!
//! A conversation is followed from its arrival (or from an agent giving it back to the bot,
//! BOT-2) until the system under test routes it, closes it, or its customer leaves. What it
//! needs then — its segment and customer for the next message, its arrival to replay to the
//! human side at a handoff — sits in **one** entry. Kept in separate maps, a close once dropped
//! the arrival but kept the rest: a message the customer had written before hearing of the
//! close then opened a new mock conversation, and when the system under test routed that one
//! the handoff was counted with no arrival to hand over.
//!
//! A message written after the end (the customer had not heard of it yet) is not sent: the
//! customer's side takes it for unsent, as its next message goes to its agent or opens a new
//! conversation of its own.

use std::collections::HashMap;

use crate::actors::{ConvId, PlatformMsg};

/// A followed conversation.
#[derive(Debug, Clone)]
pub(super) struct Followed {
    /// Its segment and customer (its channel and numbers on the mock).
    pub segment: u32,
    pub customer: u64,
    /// Its arrival, replayed to the human side at a handoff.
    pub arrival: PlatformMsg,
    /// Its conversation on the mock, once a message was stored there.
    pub public: Option<String>,
}

/// The bot side's followed conversations, by the scenario's id and by the mock's.
#[derive(Debug, Default)]
pub(super) struct FollowedConversations {
    by_conv: HashMap<ConvId, Followed>,
    by_public: HashMap<String, ConvId>,
}

impl FollowedConversations {
    /// `conv` arrived (or came back to the bot) and is followed from now.
    pub fn follow(&mut self, conv: ConvId, followed: Followed) {
        let public = followed.public.clone();
        if let Some(old) = self.by_conv.insert(conv, followed) {
            self.forget_public(conv, old.public);
        }
        if let Some(p) = public {
            self.claim(p, conv);
        }
    }

    /// Where a message of `conv` goes: its segment and customer, or `None` when it is no longer
    /// followed (routed, closed or left).
    pub fn target(&self, conv: ConvId) -> Option<(u32, u64)> {
        self.by_conv.get(&conv).map(|f| (f.segment, f.customer))
    }

    /// A message of `conv` was stored in mock conversation `public`.
    pub fn stored(&mut self, conv: ConvId, public: &str) {
        let Some(f) = self.by_conv.get_mut(&conv) else {
            return;
        };
        if f.public.as_deref() == Some(public) {
            return;
        }
        let old = f.public.replace(public.to_string());
        self.forget_public(conv, old);
        self.claim(public.to_string(), conv);
    }

    /// The followed conversation that is `public` on the mock.
    pub fn conv_of(&self, public: &str) -> Option<ConvId> {
        self.by_public.get(public).copied()
    }

    /// The system under test closed or routed `public`: no longer followed. Returns the
    /// conversation and what it held (its arrival, for a handoff).
    pub fn end(&mut self, public: &str) -> Option<(ConvId, Followed)> {
        let conv = self.by_public.remove(public)?;
        let followed = self.by_conv.remove(&conv)?;
        Some((conv, followed))
    }

    /// The customer of `conv` left: no longer followed. Returns its mock conversation.
    pub fn left(&mut self, conv: ConvId) -> Option<String> {
        let public = self.by_conv.remove(&conv)?.public?;
        self.by_public.remove(&public);
        Some(public)
    }

    /// `public` is `conv`'s now. Two open conversations of one customer share the mock's
    /// conversation with that customer: the later one takes it over, and the mock's events
    /// about it are the later one's.
    fn claim(&mut self, public: String, conv: ConvId) {
        if let Some(before) = self.by_public.insert(public, conv)
            && before != conv
            && let Some(f) = self.by_conv.get_mut(&before)
        {
            f.public = None;
        }
    }

    fn forget_public(&mut self, conv: ConvId, public: Option<String>) {
        if let Some(p) = public
            && self.by_public.get(&p) == Some(&conv)
        {
            self.by_public.remove(&p);
        }
    }

    /// Every mock conversation maps to a followed conversation that names it back.
    #[cfg(test)]
    fn consistent(&self) -> bool {
        self.by_public
            .iter()
            .all(|(p, c)| self.by_conv.get(c).and_then(|f| f.public.as_deref()) == Some(p))
            && self.by_conv.iter().all(|(c, f)| {
                f.public
                    .as_ref()
                    .is_none_or(|p| self.by_public.get(p) == Some(c))
            })
    }
}

#[cfg(test)]
mod tests {
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;

    fn conv(slot: u32) -> ConvId {
        ConvId {
            slot,
            generation: 0,
        }
    }

    fn arrival(c: ConvId) -> PlatformMsg {
        PlatformMsg::CustomerLeft { conv: c }
    }

    fn followed(c: ConvId, public: Option<&str>) -> Followed {
        Followed {
            segment: 0,
            customer: u64::from(c.slot),
            arrival: arrival(c),
            public: public.map(String::from),
        }
    }

    /// BOT-3: the flake's path. A close ends the conversation as a handoff does; the message
    /// the customer wrote before hearing of it finds nothing to go to, so no second mock
    /// conversation opens, and a later route of it cannot be counted without its arrival.
    #[test]
    fn bot_3_a_message_written_after_the_close_is_not_sent_and_no_handoff_lacks_its_arrival() {
        let mut f = FollowedConversations::default();
        let c = conv(1);
        f.follow(c, followed(c, None));
        f.stored(c, "p1");
        let (ended, held) = f.end("p1").expect("followed");
        assert_eq!((ended, held.arrival), (c, arrival(c)));
        assert_eq!(f.target(c), None, "not sent after the close");
        assert!(f.end("p2").is_none());
        assert!(f.consistent());
    }

    /// BOT-2: given back, it is followed again under the same mock conversation.
    #[test]
    fn bot_2_a_conversation_given_back_is_followed_again_under_its_mock_id() {
        let mut f = FollowedConversations::default();
        let c = conv(2);
        f.follow(c, followed(c, None));
        f.stored(c, "p");
        assert!(f.end("p").is_some());
        f.follow(c, followed(c, Some("p")));
        assert_eq!(f.conv_of("p"), Some(c));
        assert_eq!(f.left(c).as_deref(), Some("p"));
        assert_eq!(f.conv_of("p"), None);
        assert!(f.consistent());
    }

    /// Whatever order arrivals, stores, closes, routes, leaves and give-backs come in, every
    /// mock conversation maps to a followed one that names it back, and every end returns the
    /// conversation's own arrival.
    #[test]
    fn any_order_of_moves_keeps_both_maps_in_step() {
        for seed in 0..50 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let mut f = FollowedConversations::default();
            for step in 0..2_000 {
                let c = conv(rng.random_range(0..12));
                let public = format!("p{}", rng.random_range(0..20));
                match rng.random_range(0..5) {
                    0 => f.follow(c, followed(c, None)),
                    1 => f.stored(c, &public),
                    2 => {
                        if let Some((ended, held)) = f.end(&public) {
                            assert_eq!(held.arrival, arrival(ended), "seed {seed} step {step}");
                            assert_eq!(f.target(ended), None, "seed {seed} step {step}");
                        }
                    }
                    3 => {
                        f.left(c);
                        assert_eq!(f.target(c), None, "seed {seed} step {step}");
                    }
                    _ => f.follow(c, followed(c, Some(&public))),
                }
                assert!(f.consistent(), "seed {seed} step {step}: {f:?}");
            }
        }
    }
}
