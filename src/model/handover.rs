//! Which free agent takes a waiting conversation: the minimal hand-over of the first version.
//!
//! This is the seam where Infobip's automatic assignment (AA rules: workload, unserved time,
//! sticky agents, exclusions) plugs in. The platform actor gathers the candidates and calls
//! [`pick_agent`]; nothing else decides.
//!
//! The policy here: the candidate whose last assignment is oldest ("longest unserved") wins;
//! ties go to the lower agent id. Any work-conserving choice gives the same queueing results on
//! M/M/c, which is what the Erlang validation checks.

/// An agent with at least one free slot for the conversation's category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// Dense agent index.
    pub agent: u32,
    /// When the agent was last given a conversation, ms (0 if never).
    pub last_assigned_ms: u64,
}

/// The agent to hand the conversation to, if any.
pub fn pick_agent(candidates: impl IntoIterator<Item = Candidate>) -> Option<u32> {
    candidates
        .into_iter()
        .min_by_key(|c| (c.last_assigned_ms, c.agent))
        .map(|c| c.agent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_unserved_wins_then_lower_id() {
        let c = |agent, last_assigned_ms| Candidate {
            agent,
            last_assigned_ms,
        };
        assert_eq!(pick_agent([c(3, 50), c(1, 20), c(2, 20)]), Some(1));
        assert_eq!(pick_agent(Vec::new()), None);
    }
}
