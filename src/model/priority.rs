//! Conversation priorities (RT-5) and the order of a waiting line: priority first, then
//! creation time.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// RT-5: LOW, NORMAL, HIGH, URGENT. Ordered, so `Urgent > Low`.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// LOW.
    Low,
    /// NORMAL, the default.
    #[default]
    Normal,
    /// HIGH.
    High,
    /// URGENT.
    Urgent,
}

/// The position of a waiting conversation: compares so that the one to serve next is smallest:
/// higher priority first, then earlier creation, then the arrival sequence (a unique tie-break,
/// so the order is total and deterministic).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LineKey {
    /// `Reverse` so that URGENT sorts first.
    pub priority: std::cmp::Reverse<Priority>,
    /// Creation time, ms since the scenario start.
    pub created_ms: u64,
    /// Unique arrival number.
    pub arrival_seq: u64,
}

impl LineKey {
    /// The key of a conversation of `priority` created at `created_ms`.
    pub fn new(priority: Priority, created_ms: u64, arrival_seq: u64) -> Self {
        Self {
            priority: std::cmp::Reverse(priority),
            created_ms,
            arrival_seq,
        }
    }

    /// The same conversation's key at another priority (RT-5: it can be changed later).
    pub fn with_priority(self, priority: Priority) -> Self {
        Self {
            priority: std::cmp::Reverse(priority),
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rt_5_higher_priority_first_then_oldest() {
        let urgent_late = LineKey::new(Priority::Urgent, 500, 9);
        let normal_early = LineKey::new(Priority::Normal, 10, 1);
        let normal_later = LineKey::new(Priority::Normal, 20, 2);
        let low_first = LineKey::new(Priority::Low, 0, 0);
        let mut keys = vec![low_first, normal_later, urgent_late, normal_early];
        keys.sort();
        assert_eq!(
            keys,
            vec![urgent_late, normal_early, normal_later, low_first]
        );
    }
}
