//! Automatic assignment (AA rules): which available agent takes a conversation.
//!
//! - [`workload`]: an agent's workload (AA-6) from its occupancy and capacity per category.
//! - [`scorer`]: the weighted-sum method as the document describes it (AA-7, AA-8): a plain
//!   reference that scores every candidate.
//! - [`rules`]: modes, sticky agents, triggers, bulk assignment, exclusions, queue changes
//!   (AA-1, AA-2, AA-4, AA-9..12).
//! - [`index`]: a fast index that gives the same pick as the reference on every input, for
//!   queues with thousands of agents.
//!
//! Both take time as an argument and read nothing else.

pub mod index;
pub mod rules;
pub mod scorer;
pub mod workload;

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
