//! The life of a conversation: its statuses and the moves between them (Open, Waiting, Solved,
//! Closed), which of them occupy the agent (CAP-4), what a customer does in a messaging
//! conversation (exchanges, think time, bursts, falling silent, coming back) and how a call is
//! handled (talk, then wrap-up that holds no capacity: CAP-3, ST-4).
//!
//! A messaging conversation is a thread: the customer's opening burst, the agent's reply, the
//! customer's next burst after a think time, and so on for the number of exchanges the customer
//! needs. After the last reply the customer confirms and the agent sets Solved; a customer who
//! falls silent is solved by the agent after a while. A Solved conversation is closed after
//! `close_solved_after_ms` (the planners' usual "solved for 2 h → close" rule); a customer who
//! writes before that reopens it with the same agent, one who writes later starts a new
//! conversation (which a sticky queue gives back to the same agent, AA-2).

use rand::{Rng, RngExt};

use super::distribution::DurationDist;
use super::status::{ConversationStatus, CountedStatuses};

/// A distribution of whole counts (exchanges, messages per burst), always at least 1.
#[derive(Debug, Clone, PartialEq)]
pub enum CountDist {
    /// Always the same count.
    Constant {
        /// The count, ≥ 1.
        value: u32,
    },
    /// Geometric on 1, 2, 3 … with the given mean (≥ 1): memoryless, like "one more question
    /// with probability 1 − 1/mean".
    Geometric {
        /// Mean, ≥ 1.
        mean: f64,
    },
    /// Drawn uniformly from observed counts.
    Empirical {
        /// Observations, each ≥ 1; never empty.
        values: Vec<u32>,
    },
}

impl CountDist {
    /// One count.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> u32 {
        match self {
            CountDist::Constant { value } => *value,
            CountDist::Geometric { mean } => {
                if *mean <= 1.0 {
                    return 1;
                }
                // Inversion: P(N > n) = (1 − p)^n with p = 1 / mean.
                let u: f64 = rng.random();
                let q = 1.0 - 1.0 / mean;
                let n = ((1.0 - u).ln() / q.ln()).floor() as u64 + 1;
                n.min(u64::from(u32::MAX)) as u32
            }
            CountDist::Empirical { values } => {
                values[(rng.next_u64() % values.len() as u64) as usize]
            }
        }
    }

    /// The mean.
    pub fn mean(&self) -> f64 {
        match self {
            CountDist::Constant { value } => f64::from(*value),
            CountDist::Geometric { mean } => mean.max(1.0),
            CountDist::Empirical { values } => {
                values.iter().map(|&v| f64::from(v)).sum::<f64>() / values.len() as f64
            }
        }
    }
}

/// What the customers of a segment do in a messaging conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerBehaviour {
    /// Customer messages (bursts) that each need an agent reply, the opening one included.
    pub exchanges: CountDist,
    /// From an agent's reply to the customer's next message.
    pub think: DurationDist,
    /// Messages in one customer turn (a burst: "hi" / "my order" / "is late").
    pub burst_messages: CountDist,
    /// Chance, at each turn after the first, that the customer never replies again.
    pub silent_share: f64,
    /// Customers who come back after their conversation was solved.
    pub come_back: Option<ComeBack>,
}

/// Customers who write again after Solved: into the same conversation while it is not closed,
/// else as a new one.
#[derive(Debug, Clone, PartialEq)]
pub struct ComeBack {
    /// Share of solved conversations whose customer writes again, 0..=1.
    pub share: f64,
    /// How long after Solved.
    pub after: DurationDist,
}

/// One customer turn, drawn when the agent's reply reaches the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerTurn {
    /// The customer answers after `think_ms` with a burst of `messages`.
    Reply {
        /// Think time, ms.
        think_ms: u64,
        /// Messages in the burst, ≥ 1.
        messages: u32,
    },
    /// All the customer's questions are answered: the customer says so and the agent solves.
    Satisfied,
    /// The customer stops replying.
    Silent,
}

impl CustomerBehaviour {
    /// The customer's next move after an agent reply, with `exchanges_left` exchanges still
    /// needed (0: everything answered).
    pub fn next_turn<R: Rng + ?Sized>(&self, exchanges_left: u32, rng: &mut R) -> CustomerTurn {
        if exchanges_left == 0 {
            return CustomerTurn::Satisfied;
        }
        let silent: f64 = rng.random();
        if silent < self.silent_share {
            return CustomerTurn::Silent;
        }
        CustomerTurn::Reply {
            think_ms: self.think.sample_ms(rng),
            messages: self.burst_messages.sample(rng).max(1),
        }
    }

    /// The mean time a conversation holds a slot of its agent (CAP-4), given the agents' mean
    /// reply time, part by part: its replies, the customer's think times between them (unless
    /// the agent sets Waiting and Waiting does not count) and its time in Solved until closing
    /// (if Solved counts). Silences and come-backs are left out: a planning figure, not a
    /// promise.
    pub fn mean_slot_time(&self, reply_mean_ms: f64, policy: &StatusPolicy) -> SlotTime {
        let n = self.exchanges.mean();
        let thinking_counts = !policy.agent_sets_waiting || policy.counted.waiting;
        SlotTime {
            handle_ms: 0.0,
            replies_ms: n * reply_mean_ms,
            thinking_ms: if thinking_counts {
                (n - 1.0) * self.think.mean_ms()
            } else {
                0.0
            },
            solved_ms: if policy.counted.solved {
                policy.close_solved_after_ms as f64
            } else {
                0.0
            },
        }
    }

    /// After Solved: whether and when the customer writes again.
    pub fn come_back_after_ms<R: Rng + ?Sized>(&self, rng: &mut R) -> Option<u64> {
        let come_back = self.come_back.as_ref()?;
        let u: f64 = rng.random();
        (u < come_back.share).then(|| come_back.after.sample_ms(rng))
    }
}

/// What a conversation's mean time on an agent's slot is made of (CAP-4): a planning figure,
/// the load's drivers in view.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SlotTime {
    /// A handle time (calls, and conversations without a conversation model), ms.
    pub handle_ms: f64,
    /// The agent's replies, ms.
    pub replies_ms: f64,
    /// The customer's think times between them, while the conversation counts (Open, or
    /// Waiting when Waiting counts), ms.
    pub thinking_ms: f64,
    /// Solved until closed, when Solved counts, ms.
    pub solved_ms: f64,
}

impl SlotTime {
    /// The whole, ms.
    pub fn total_ms(&self) -> f64 {
        self.handle_ms + self.replies_ms + self.thinking_ms + self.solved_ms
    }

    /// The parts with their names, in a fixed order.
    pub fn parts(&self) -> [(&'static str, f64); 4] {
        [
            ("handle", self.handle_ms),
            ("replies", self.replies_ms),
            ("customer_thinking", self.thinking_ms),
            ("solved_until_closed", self.solved_ms),
        ]
    }

    /// The largest part's name and size, ms.
    pub fn largest(&self) -> (&'static str, f64) {
        self.parts().into_iter().fold(
            ("handle", f64::MIN),
            |best, p| if p.1 > best.1 { p } else { best },
        )
    }
}

/// The centre-wide rules for conversation statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusPolicy {
    /// Which statuses occupy the agent (CAP-4).
    pub counted: CountedStatuses,
    /// Agents set Waiting while the customer owes a reply.
    pub agent_sets_waiting: bool,
    /// An agent solves a conversation whose customer has not replied for this long, ms.
    pub solve_silent_after_ms: u64,
    /// A Solved conversation is closed after this long unless the customer writes, ms.
    pub close_solved_after_ms: u64,
}

impl Default for StatusPolicy {
    fn default() -> Self {
        Self {
            counted: CountedStatuses::default(),
            agent_sets_waiting: false,
            solve_silent_after_ms: 15 * 60_000,
            close_solved_after_ms: 2 * 3_600_000,
        }
    }
}

/// Something that happens to a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConversationEvent {
    /// A customer message (reopens a Waiting or Solved conversation).
    CustomerMessage,
    /// The agent replied and now waits for the customer.
    AgentReplied,
    /// The agent (or a workflow) sets Solved.
    Solve,
    /// The agent, a workflow or a waiting strategy closes it.
    Close,
}

/// A move the statuses do not allow: a Closed conversation takes nothing more (WF-2, BOT-8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("conversation is closed: {event:?} rejected")]
pub struct Rejected {
    /// What was attempted.
    pub event: ConversationEvent,
}

impl StatusPolicy {
    /// The status after `event` happens to a conversation in `status`.
    pub fn next_status(
        &self,
        status: ConversationStatus,
        event: ConversationEvent,
    ) -> Result<ConversationStatus, Rejected> {
        use ConversationEvent as E;
        use ConversationStatus as S;
        if status == S::Closed {
            return Err(Rejected { event });
        }
        Ok(match event {
            E::CustomerMessage => S::Open,
            E::AgentReplied if self.agent_sets_waiting && status == S::Open => S::Waiting,
            E::AgentReplied => status,
            E::Solve => S::Solved,
            E::Close => S::Closed,
        })
    }

    /// How the agent's counted occupancy changes when a conversation moves `from` → `to`
    /// (CAP-4): +1, 0 or −1.
    pub fn occupancy_change(&self, from: ConversationStatus, to: ConversationStatus) -> i32 {
        i32::from(self.counted.counts(to)) - i32::from(self.counted.counts(from))
    }
}

/// How a call is handled: talk, then wrap-up. Only the talk occupies the agent's voice
/// capacity (CAP-3, ST-4); wrap-up is after-call work the agent does while it could already
/// take the next call.
#[derive(Debug, Clone, PartialEq)]
pub struct CallHandling {
    /// Wrap-up after each call; `None` for none.
    pub wrap_up: Option<DurationDist>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use ConversationEvent as E;
    use ConversationStatus as S;

    #[test]
    fn cap_4_open_always_counts_closed_never_waiting_and_solved_as_configured() {
        let lean = StatusPolicy {
            counted: CountedStatuses {
                waiting: false,
                solved: false,
            },
            ..StatusPolicy::default()
        };
        let full = StatusPolicy::default();
        // Solving frees a slot only when Solved is excluded.
        assert_eq!(lean.occupancy_change(S::Open, S::Solved), -1);
        assert_eq!(full.occupancy_change(S::Open, S::Solved), 0);
        // Reopening takes it again.
        assert_eq!(lean.occupancy_change(S::Solved, S::Open), 1);
        assert_eq!(full.occupancy_change(S::Waiting, S::Open), 0);
        // Closing frees it in every configuration (Closed never counts).
        assert_eq!(full.occupancy_change(S::Solved, S::Closed), -1);
        assert_eq!(lean.occupancy_change(S::Solved, S::Closed), 0);
        assert_eq!(lean.occupancy_change(S::Open, S::Closed), -1);
    }

    #[test]
    fn statuses_move_as_the_platform_moves_them() {
        let waiting = StatusPolicy {
            agent_sets_waiting: true,
            ..StatusPolicy::default()
        };
        let plain = StatusPolicy::default();
        assert_eq!(
            waiting.next_status(S::Open, E::AgentReplied),
            Ok(S::Waiting)
        );
        assert_eq!(plain.next_status(S::Open, E::AgentReplied), Ok(S::Open));
        assert_eq!(
            waiting.next_status(S::Waiting, E::CustomerMessage),
            Ok(S::Open)
        );
        // A customer writing into a Solved conversation reopens it.
        assert_eq!(
            plain.next_status(S::Solved, E::CustomerMessage),
            Ok(S::Open)
        );
        assert_eq!(plain.next_status(S::Waiting, E::Solve), Ok(S::Solved));
        assert_eq!(plain.next_status(S::Solved, E::Close), Ok(S::Closed));
    }

    #[test]
    fn wf_2_a_closed_conversation_takes_nothing_more() {
        let p = StatusPolicy::default();
        for event in [E::CustomerMessage, E::AgentReplied, E::Solve, E::Close] {
            assert_eq!(p.next_status(S::Closed, event), Err(Rejected { event }));
        }
    }

    #[test]
    fn geometric_exchanges_have_the_asked_mean_and_start_at_one() {
        let d = CountDist::Geometric { mean: 4.0 };
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let n = 200_000;
        let draws: Vec<u32> = (0..n).map(|_| d.sample(&mut rng)).collect();
        assert!(draws.iter().all(|&x| x >= 1));
        let mean = draws.iter().map(|&x| f64::from(x)).sum::<f64>() / f64::from(n);
        // Var = (1 − p) / p² = 12; the standard error of the mean is √(12 / n) ≈ 0.0077.
        assert!(
            (mean - 4.0).abs() < 5.0 * (12.0 / f64::from(n)).sqrt(),
            "{mean}"
        );
        let ones = draws.iter().filter(|&&x| x == 1).count() as f64 / f64::from(n);
        assert!((ones - 0.25).abs() < 0.005, "{ones}");
        assert_eq!(CountDist::Geometric { mean: 1.0 }.sample(&mut rng), 1);
    }

    #[test]
    fn a_customer_is_satisfied_when_no_exchange_is_left() {
        let b = CustomerBehaviour {
            exchanges: CountDist::Constant { value: 3 },
            think: DurationDist::Constant { ms: 30_000 },
            burst_messages: CountDist::Constant { value: 2 },
            silent_share: 0.0,
            come_back: None,
        };
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        assert_eq!(b.next_turn(0, &mut rng), CustomerTurn::Satisfied);
        assert_eq!(
            b.next_turn(2, &mut rng),
            CustomerTurn::Reply {
                think_ms: 30_000,
                messages: 2
            }
        );
        let silent = CustomerBehaviour {
            silent_share: 1.0,
            ..b
        };
        assert_eq!(silent.next_turn(2, &mut rng), CustomerTurn::Silent);
        assert_eq!(silent.come_back_after_ms(&mut rng), None);
    }
}
