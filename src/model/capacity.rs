//! Agent capacity per channel category (CAP-1, CAP-3) and the Full Capacity status (ST-2).

use super::channel::ChannelCategory;

/// The system default for Live Messaging, from the documents (CAP-1).
pub const DEFAULT_LIVE_MESSAGING_CAPACITY: u32 = 5;
/// **(decision)** The documents give a system default only for Live Messaging; Live Chat and
/// Email take the same 5 until a scenario says otherwise.
pub const DEFAULT_LIVE_CHAT_CAPACITY: u32 = 5;
/// **(decision)** See [`DEFAULT_LIVE_CHAT_CAPACITY`].
pub const DEFAULT_EMAIL_CAPACITY: u32 = 5;
/// Voice/Video capacity is always 1 and cannot be changed (CAP-3).
pub const VOICE_CAPACITY: u32 = 1;
/// ST-2: at this summed percentage the agent is at Full Capacity.
pub const FULL_CAPACITY_PERCENT: f64 = 90.0;

/// Most open conversations an agent may hold at once, per category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity {
    per_category: [u32; 4],
}

/// A capacity given for some categories only; the rest falls through to the next level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CapacityOverride {
    /// Live Messaging, if set.
    pub live_messaging: Option<u32>,
    /// Live Chat, if set.
    pub live_chat: Option<u32>,
    /// Email, if set.
    pub email: Option<u32>,
}

impl Default for Capacity {
    fn default() -> Self {
        Self::system_default()
    }
}

impl Capacity {
    /// The documented system defaults (CAP-1, CAP-3).
    pub const fn system_default() -> Self {
        Self {
            per_category: [
                DEFAULT_LIVE_MESSAGING_CAPACITY,
                DEFAULT_LIVE_CHAT_CAPACITY,
                DEFAULT_EMAIL_CAPACITY,
                VOICE_CAPACITY,
            ],
        }
    }

    /// `over` wins where it is set, `self` elsewhere (CAP-1: the agent's own capacity first,
    /// the default where the agent has none). Voice stays 1 (CAP-3).
    pub fn overridden_by(self, over: &CapacityOverride) -> Self {
        let [lm, lc, em, voice] = self.per_category;
        Self {
            per_category: [
                over.live_messaging.unwrap_or(lm),
                over.live_chat.unwrap_or(lc),
                over.email.unwrap_or(em),
                voice,
            ],
        }
    }

    /// Capacity in `category`.
    #[inline]
    pub fn of(&self, category: ChannelCategory) -> u32 {
        self.per_category[category.index()]
    }
}

/// ST-2: whether an agent with these (occupancy, capacity) pairs for Email, Live Messaging and
/// Live Chat is at Full Capacity: the percentages occupancy/capacity are added up and compared
/// with 90. Percentages are rounded to whole numbers first, as the document's example does
/// (2/6 counts as 33). Categories with zero capacity add nothing.
pub fn is_full_capacity(loads: &[(u32, u32)]) -> bool {
    summed_percent(loads) >= FULL_CAPACITY_PERCENT
}

/// The summed, rounded percentage of ST-2.
pub fn summed_percent(loads: &[(u32, u32)]) -> f64 {
    // Each percentage rounded half up, in integers: floor(100·o/c + ½) = (200·o + c) div 2c.
    // The same numbers as rounding the float, without it (this runs at every assignment).
    loads
        .iter()
        .filter(|(_, capacity)| *capacity > 0)
        .map(|&(occupied, capacity)| {
            let (o, c) = (u64::from(occupied), u64::from(capacity));
            (200 * o + c) / (2 * c)
        })
        .sum::<u64>() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cap_1_default_live_messaging_is_5_and_agent_value_wins() {
        let default = Capacity::system_default();
        assert_eq!(default.of(ChannelCategory::LiveMessaging), 5);
        let agent = default.overridden_by(&CapacityOverride {
            live_messaging: Some(3),
            ..Default::default()
        });
        assert_eq!(agent.of(ChannelCategory::LiveMessaging), 3);
        assert_eq!(
            agent.of(ChannelCategory::LiveChat),
            DEFAULT_LIVE_CHAT_CAPACITY
        );
    }

    #[test]
    fn cap_3_voice_capacity_is_always_one() {
        let agent = Capacity::system_default().overridden_by(&CapacityOverride {
            live_messaging: Some(9),
            live_chat: Some(9),
            email: Some(9),
        });
        assert_eq!(agent.of(ChannelCategory::VoiceVideo), 1);
    }

    #[test]
    fn st_2_worked_example_83_then_93_percent() {
        // Live Messaging 2/6, Live Chat 1/5, Email 3/10 = 33 + 20 + 30 = 83: not full.
        let before = [(2, 6), (1, 5), (3, 10)];
        assert_eq!(summed_percent(&before), 83.0);
        assert!(!is_full_capacity(&before));
        // One more email: 33 + 20 + 40 = 93: full.
        let after = [(2, 6), (1, 5), (4, 10)];
        assert_eq!(summed_percent(&after), 93.0);
        assert!(is_full_capacity(&after));
    }
}
