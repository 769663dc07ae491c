//! Automatic assignment (AA rules): which available agent takes a conversation.
//!
//! - [`workload`]: an agent's workload (AA-6) from its occupancy and capacity per category.
//! - [`scorer`]: the weighted-sum method as the document describes it (AA-7, AA-8): a plain
//!   reference that scores every candidate.
//! - [`rules`]: modes, sticky agents, triggers, bulk assignment, exclusions, queue changes
//!   (AA-1, AA-2, AA-4, AA-9..12).
//! - [`index`]: a fast index that gives the same pick as the reference on every input, for
//!   queues with thousands of agents.
//! - [`history`]: what a conversation carries through assignment (customer, past agents).
//! - [`assigner`]: the assignment service itself — agents' availability, every queue's waiting
//!   conversations, sticky memory and exclusions — which turns each event (a conversation
//!   waits, an agent frees a slot, a queue opens, …) into the offers to make. The platform
//!   actor, in the simulation and on the live human side, is a thin adapter around it.
//!
//! Everything takes time as an argument and reads nothing else.

pub mod assigner;
pub mod history;
pub mod index;
pub mod rules;
pub mod scorer;
pub mod workload;

pub use assigner::{Assigner, Decision, Decisions, Offer, Waiting};
pub use history::{History, ONE_TIME_CUSTOMER};

/// An agent that may take the conversation, as the scorer sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// Dense agent index; the last tie-break (lower wins).
    pub agent: u32,
    /// Workload, 0..=100 (AA-6).
    pub workload: f64,
    /// When the agent was last assigned a conversation, ms. Unserved time is now − this.
    pub last_assigned_ms: u64,
}

/// How an agent was chosen for a conversation (for the report's assignments by mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignedBy {
    /// The weighted sum among available agents (AA-7).
    Weighted,
    /// The customer's sticky agent (AA-2).
    Sticky,
    /// An agent that became available took the best waiting conversation (AA-10).
    Bulk,
    /// The queue has automatic assignment off; an agent took it by hand.
    Manual,
    /// The bot's integration named the agent (004: routing avoided, capacity not applied).
    Direct,
}

impl AssignedBy {
    /// Every way, in report order.
    pub const ALL: [AssignedBy; 5] = [
        AssignedBy::Weighted,
        AssignedBy::Sticky,
        AssignedBy::Bulk,
        AssignedBy::Manual,
        AssignedBy::Direct,
    ];

    /// The name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            AssignedBy::Weighted => "weighted",
            AssignedBy::Sticky => "sticky",
            AssignedBy::Bulk => "bulk",
            AssignedBy::Manual => "manual",
            AssignedBy::Direct => "direct",
        }
    }
}
