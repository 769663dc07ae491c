//! The platform: it routes every new conversation to its queue (RT-1), and holds every
//! agent's availability (one owner, as Infobip runs one
//! assignment at a time) and each queue's head, and gives waiting conversations to free slots.
//!
//! - A queue's new head is offered to a free member agent chosen by
//!   [`crate::model::handover::pick_agent`]: the seam where issue 3's automatic assignment
//!   replaces the minimal policy.
//! - An agent with a free slot (shift start, conversation finished) takes the best head among
//!   its queues: higher priority, then older (the order of bulk assignment).
//!
//! An offer reserves the slot at once, so two offers never share a slot; a declined offer (the
//! customer left at the same instant) gives it back.

use std::sync::Arc;

use super::{Context, ConvId, Head, Layout, Metric, Msg, RoutedVia};
use crate::model::centre::{AttrDraw, CentreSpec, SegmentDestination};
use crate::model::channel::ChannelCategory;
use crate::model::handover::{Candidate, pick_agent};
use crate::model::priority::LineKey;
use crate::model::routing;

#[derive(Debug, Clone)]
struct AgentView {
    online: bool,
    /// Capacity minus held and reserved conversations, per category.
    free: [u32; 4],
    last_assigned_ms: u64,
    queues: Vec<u32>,
}

#[derive(Debug, Clone, Default)]
struct QueueView {
    members: Vec<u32>,
    head: Option<Head>,
    /// The conversation for which an offer is out, if any.
    offered: Option<ConvId>,
}

/// The platform actor.
#[derive(Debug)]
pub struct Platform {
    spec: Arc<CentreSpec>,
    layout: Layout,
    agents: Vec<AgentView>,
    queues: Vec<QueueView>,
}

impl Platform {
    /// The platform of `spec`: every agent offline, every queue empty.
    pub fn new(spec: &Arc<CentreSpec>, layout: Layout) -> Self {
        let mut queues = vec![QueueView::default(); spec.queues.len()];
        let agents = spec
            .agents
            .iter()
            .enumerate()
            .map(|(i, a)| {
                for &q in &a.queues {
                    queues[q as usize].members.push(i as u32);
                }
                AgentView {
                    online: false,
                    free: ChannelCategory::ALL.map(|c| a.capacity.of(c)),
                    last_assigned_ms: 0,
                    queues: a.queues.clone(),
                }
            })
            .collect();
        Self {
            spec: Arc::clone(spec),
            layout,
            agents,
            queues,
        }
    }

    /// Handles one message.
    pub fn handle<C: Context>(&mut self, msg: Msg, ctx: &mut C) {
        match msg {
            Msg::Inbound {
                conv,
                segment,
                arrival_seq,
                draw,
            } => self.route(conv, segment, arrival_seq, &draw, ctx),
            Msg::HeadChanged { queue, head } => {
                let q = &mut self.queues[queue as usize];
                q.head = head;
                q.offered = None;
                self.offer_head(queue, ctx);
            }
            Msg::Declined {
                agent,
                queue,
                conv,
                category,
            } => {
                self.agents[agent as usize].free[category.index()] += 1;
                let q = &mut self.queues[queue as usize];
                if q.offered == Some(conv) {
                    q.offered = None;
                }
                self.fill_agent(agent, ctx);
                self.offer_head(queue, ctx);
            }
            Msg::SlotFreed { agent, category } => {
                self.agents[agent as usize].free[category.index()] += 1;
                self.fill_agent(agent, ctx);
            }
            Msg::AgentOnline { agent } => {
                self.agents[agent as usize].online = true;
                self.fill_agent(agent, ctx);
            }
            Msg::AgentOffline { agent } => self.agents[agent as usize].online = false,
            _ => debug_assert!(false, "platform actor got {msg:?}"),
        }
    }

    /// RT-1: routes a new conversation (or sends it straight to its segment's queue) and puts it
    /// in line there.
    fn route<C: Context>(
        &mut self,
        conv: ConvId,
        segment: u32,
        arrival_seq: u64,
        draw: &AttrDraw,
        ctx: &mut C,
    ) {
        let spec = &self.spec;
        let seg = &spec.segments[segment as usize];
        let (via, queue, priority) = match seg.destination {
            SegmentDestination::Queue(q) => (RoutedVia::Direct, q, seg.priority),
            SegmentDestination::Routed => {
                let default = spec
                    .default_queue
                    .expect("routed segments imply a Default queue");
                let d = routing::route(&spec.routes, &seg.attributes_of(draw), default);
                let via = d
                    .route
                    .map_or(RoutedVia::Default, |r| RoutedVia::Route(r as u32));
                (via, d.queue, d.priority)
            }
        };
        let now = ctx.now_ms();
        ctx.record(Metric::Routed {
            via,
            queue,
            arrived_ms: now,
        });
        let key = LineKey::new(priority, now, arrival_seq);
        let category = seg.category();
        let enqueue = Msg::Enqueue {
            conv,
            key,
            segment,
            category,
        };
        ctx.send(self.layout.queue(queue), enqueue);
        ctx.send(Layout::CUSTOMERS, Msg::Routed { conv, queue, key });
    }

    /// Offers queue `queue`'s head to a free member, if it has one and no offer is out.
    fn offer_head<C: Context>(&mut self, queue: u32, ctx: &mut C) {
        let q = &self.queues[queue as usize];
        let Some(head) = q.head.filter(|_| q.offered.is_none()) else {
            return;
        };
        let cat = head.category.index();
        let agents = &self.agents;
        let candidates = q
            .members
            .iter()
            .filter(|&&a| agents[a as usize].online && agents[a as usize].free[cat] > 0)
            .map(|&a| Candidate {
                agent: a,
                last_assigned_ms: agents[a as usize].last_assigned_ms,
            });
        if let Some(agent) = pick_agent(candidates) {
            self.reserve(agent, queue, head, ctx);
        }
    }

    /// Gives agent `agent`'s free slots to the best heads of its queues.
    fn fill_agent<C: Context>(&mut self, agent: u32, ctx: &mut C) {
        loop {
            let view = &self.agents[agent as usize];
            if !view.online {
                return;
            }
            let best = view
                .queues
                .iter()
                .filter_map(|&q| {
                    let qv = &self.queues[q as usize];
                    qv.head
                        .filter(|h| qv.offered.is_none() && view.free[h.category.index()] > 0)
                        .map(|h| (h.key, q, h))
                })
                .min_by_key(|(key, _, _)| *key);
            let Some((_, queue, head)) = best else { return };
            self.reserve(agent, queue, head, ctx);
        }
    }

    fn reserve<C: Context>(&mut self, agent: u32, queue: u32, head: Head, ctx: &mut C) {
        let view = &mut self.agents[agent as usize];
        view.free[head.category.index()] -= 1;
        view.last_assigned_ms = ctx.now_ms();
        self.queues[queue as usize].offered = Some(head.conv);
        let offer = Msg::Offer {
            agent,
            conv: head.conv,
            key: head.key,
            category: head.category,
        };
        ctx.send(self.layout.queue(queue), offer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::ActorId;
    use crate::actors::testing::Recorded;
    use crate::model::centre::testing::centre;
    use crate::model::priority::{LineKey, Priority};

    const CAT: ChannelCategory = ChannelCategory::LiveMessaging;

    fn head(slot: u32, priority: Priority, created_ms: u64) -> Head {
        Head {
            conv: ConvId {
                slot,
                generation: 1,
            },
            key: LineKey::new(priority, created_ms, u64::from(slot)),
            category: CAT,
        }
    }

    fn offers(sent: &[(ActorId, Msg)]) -> Vec<(ActorId, u32, u32)> {
        sent.iter()
            .filter_map(|(to, m)| match *m {
                Msg::Offer { agent, conv, .. } => Some((*to, agent, conv.slot)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn cap_1_offers_go_to_online_agents_with_a_free_slot_only() {
        // Two agents in queue 0, capacity 1 each.
        let spec = Arc::new(centre(1, &[(&[0], 1), (&[0], 1)], 60, 30, 0));
        let layout = Layout {
            queues: 1,
            agents: 2,
        };
        let mut p = Platform::new(&spec, layout);
        let mut ctx = Recorded::default();
        // Nobody online: the head waits.
        p.handle(
            Msg::HeadChanged {
                queue: 0,
                head: Some(head(1, Priority::Normal, 0)),
            },
            &mut ctx,
        );
        assert!(offers(&ctx.take_sent()).is_empty());
        // Agent 1 comes online and takes it (bulk: a free agent takes the waiting head).
        ctx.now_ms = 5;
        p.handle(Msg::AgentOnline { agent: 1 }, &mut ctx);
        assert_eq!(offers(&ctx.take_sent()), vec![(layout.queue(0), 1, 1)]);
        // The next head: agent 1 is full (capacity 1), agent 0 is offline.
        p.handle(
            Msg::HeadChanged {
                queue: 0,
                head: Some(head(2, Priority::Normal, 3)),
            },
            &mut ctx,
        );
        assert!(offers(&ctx.take_sent()).is_empty());
        // Agent 1 finishes: its slot goes to the waiting head.
        ctx.now_ms = 9;
        p.handle(
            Msg::SlotFreed {
                agent: 1,
                category: CAT,
            },
            &mut ctx,
        );
        assert_eq!(offers(&ctx.take_sent()), vec![(layout.queue(0), 1, 2)]);
    }

    #[test]
    fn longest_unserved_agent_gets_the_new_head_and_a_free_agent_takes_the_best_head() {
        // Agent 0 serves queues 0 and 1; agent 1 only queue 0. Capacity 2 each.
        let spec = Arc::new(centre(2, &[(&[0, 1], 2), (&[0], 2)], 60, 30, 0));
        let layout = Layout {
            queues: 2,
            agents: 2,
        };
        let mut p = Platform::new(&spec, layout);
        let mut ctx = Recorded::default();
        p.handle(Msg::AgentOnline { agent: 0 }, &mut ctx);
        p.handle(Msg::AgentOnline { agent: 1 }, &mut ctx);
        ctx.now_ms = 100;
        p.handle(
            Msg::HeadChanged {
                queue: 0,
                head: Some(head(1, Priority::Normal, 100)),
            },
            &mut ctx,
        );
        // Both never served: tie → lower id.
        assert_eq!(offers(&ctx.take_sent()), vec![(layout.queue(0), 0, 1)]);
        ctx.now_ms = 200;
        p.handle(
            Msg::HeadChanged {
                queue: 0,
                head: Some(head(2, Priority::Normal, 200)),
            },
            &mut ctx,
        );
        // Agent 0 was served at 100, agent 1 never: agent 1 has waited longest.
        assert_eq!(offers(&ctx.take_sent()), vec![(layout.queue(0), 1, 2)]);

        // Fill everything, then queue both heads: a freed agent 0 takes the HIGH one of queue 1
        // before the older NORMAL one of queue 0.
        p.handle(
            Msg::HeadChanged {
                queue: 0,
                head: Some(head(3, Priority::Normal, 210)),
            },
            &mut ctx,
        );
        p.handle(
            Msg::HeadChanged {
                queue: 0,
                head: Some(head(4, Priority::Normal, 220)),
            },
            &mut ctx,
        );
        ctx.take_sent();
        p.handle(
            Msg::HeadChanged {
                queue: 0,
                head: Some(head(5, Priority::Normal, 230)),
            },
            &mut ctx,
        );
        p.handle(
            Msg::HeadChanged {
                queue: 1,
                head: Some(head(6, Priority::High, 240)),
            },
            &mut ctx,
        );
        assert!(offers(&ctx.take_sent()).is_empty(), "everyone is full");
        p.handle(
            Msg::SlotFreed {
                agent: 0,
                category: CAT,
            },
            &mut ctx,
        );
        assert_eq!(offers(&ctx.take_sent()), vec![(layout.queue(1), 0, 6)]);
        // A declined offer gives the slot back and the other head is offered.
        let declined = Msg::Declined {
            agent: 0,
            queue: 1,
            conv: ConvId {
                slot: 6,
                generation: 1,
            },
            category: CAT,
        };
        p.handle(
            Msg::HeadChanged {
                queue: 1,
                head: None,
            },
            &mut ctx,
        );
        p.handle(declined, &mut ctx);
        assert_eq!(offers(&ctx.take_sent()), vec![(layout.queue(0), 0, 5)]);
    }

    #[test]
    fn aa_3_one_assignment_at_a_time_never_double_books_a_slot() {
        // One agent with one slot serves two queues; both heads change at the same instant.
        let spec = Arc::new(centre(2, &[(&[0, 1], 1)], 60, 30, 0));
        let layout = Layout {
            queues: 2,
            agents: 1,
        };
        let mut p = Platform::new(&spec, layout);
        let mut ctx = Recorded::default();
        p.handle(Msg::AgentOnline { agent: 0 }, &mut ctx);
        p.handle(
            Msg::HeadChanged {
                queue: 0,
                head: Some(head(1, Priority::Normal, 0)),
            },
            &mut ctx,
        );
        p.handle(
            Msg::HeadChanged {
                queue: 1,
                head: Some(head(2, Priority::Urgent, 0)),
            },
            &mut ctx,
        );
        // The first run took the only slot; the second found none.
        assert_eq!(offers(&ctx.take_sent()), vec![(layout.queue(0), 0, 1)]);
    }
}
