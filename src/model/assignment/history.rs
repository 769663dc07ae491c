//! What a conversation carries through assignment: its customer (for the sticky agent, AA-2),
//! the agents that had it before, never chosen for it again automatically (AA-9), and when its
//! customer last wrote (the next agent's WhatsApp window, WIN-1).

/// The top bit of a customer id that never returns.
pub const ONE_TIME_CUSTOMER: u64 = 1 << 63;

/// What a conversation carries with it: the customer it belongs to (for the sticky agent,
/// AA-2) and the agents that had it before, never chosen for it again automatically (AA-9; kept
/// inline: a conversation rarely loses more than a couple of agents).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct History {
    /// The customer; ids with the top bit set belong to one-time customers who never return.
    pub customer: u64,
    agents: [u32; 4],
    len: u8,
    transfers: u8,
    /// More agents had it than fit here; the platform keeps the full list (AA-9).
    overflowed: bool,
    /// When the customer last wrote, as far as an agent saw (0: only its opening message).
    last_inbound_ms: u64,
}

impl History {
    /// A conversation of `customer` that no agent has had yet.
    pub fn new(customer: u64) -> Self {
        Self {
            customer,
            agents: [0; 4],
            len: 0,
            transfers: 0,
            overflowed: false,
            last_inbound_ms: 0,
        }
    }

    /// When the customer last wrote, once an agent saw a message after the opening one; else
    /// 0 (the conversation's creation is its last inbound message).
    pub fn last_inbound_ms(&self) -> u64 {
        self.last_inbound_ms
    }

    /// The customer wrote at `at_ms` (WIN-1 for whoever has the conversation next).
    pub fn wrote(mut self, at_ms: u64) -> Self {
        self.last_inbound_ms = self.last_inbound_ms.max(at_ms);
        self
    }

    /// Whether the customer can come back (and so has a sticky agent to remember).
    pub fn returning_customer(&self) -> bool {
        self.customer & ONE_TIME_CUSTOMER == 0
    }

    /// Adds `agent` (the oldest is dropped past four, and the history marked
    /// [`History::overflowed`]).
    pub fn with(mut self, agent: u32) -> Self {
        if usize::from(self.len) == self.agents.len() {
            self.agents.rotate_left(1);
            self.len -= 1;
            self.overflowed = true;
        }
        self.agents[usize::from(self.len)] = agent;
        self.len += 1;
        self
    }

    /// The agents, oldest first.
    pub fn as_slice(&self) -> &[u32] {
        &self.agents[..usize::from(self.len)]
    }

    /// Whether agents were dropped from the inline list (the platform keeps them all).
    pub fn overflowed(&self) -> bool {
        self.overflowed
    }

    /// How often the conversation was moved to another queue (AA-11).
    pub fn transfers(&self) -> u8 {
        self.transfers
    }

    /// Counts one more transfer.
    pub fn transferred(mut self) -> Self {
        self.transfers = self.transfers.saturating_add(1);
        self
    }

    /// Whether `agent` is among them.
    pub fn contains(&self, agent: u32) -> bool {
        self.as_slice().contains(&agent)
    }
}
