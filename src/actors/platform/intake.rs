//! The platform's intake: working hours of queues (WH-1..4) and the routing of new
//! conversations (RT-1), with the away message outside the hours (WH-3).

use super::Platform;
use crate::actors::{Context, ConvId, Fate, History, Metric, Msg, RoutedVia, WorkItem};
use crate::actors::{CustomerMsg, PlatformMsg, QueueMsg};
use crate::model::centre::{AttrDraw, SegmentDestination};
use crate::model::ids::{QueueIx, SegmentIx};
use crate::model::priority::LineKey;
use crate::model::routing::{self, Tagged};
use crate::model::working_hours::outside_hours;

impl Platform {
    /// WH-1, WH-4: opens or closes a queue by its calendar; when it opens, its waiting
    /// conversations are assigned (bulk, AA-10).
    pub(super) fn check_hours<C: Context>(&mut self, queue_ix: QueueIx, ctx: &mut C) {
        let queue = queue_ix.0;
        let now = ctx.now_ms();
        let spec = &self.spec;
        let state = spec.queues[queue_ix.index()]
            .hours
            .calendar
            .state_at(&spec.calendar, now);
        if let Some(next) = state.next_change_ms.filter(|&t| t < spec.horizon_ms) {
            let check = PlatformMsg::QueueHoursCheck { queue: queue_ix };
            ctx.schedule(next - now, check);
        }
        let mut out = self.take_decisions();
        self.assigner.queue_hours(queue, state.on, now, &mut out);
        self.carry_out(out, ctx);
    }

    /// RT-1: routes a new conversation (or sends it straight to its segment's queue); outside
    /// the queue's hours it gets the away message and may be closed (WH-3); else it joins the
    /// line. `first_contact`: the customer's opening message arrives with it (not a bot's
    /// handoff of a conversation already under way); `added_tags`: the tags the bot put on it
    /// (BOT-3).
    pub(super) fn route<C: Context>(
        &mut self,
        conv: ConvId,
        segment: u32,
        arrival_seq: u64,
        history: History,
        (draw, first_contact, added_tags, to_agent): (
            &AttrDraw,
            bool,
            &[String],
            Option<(u32, u32)>,
        ),
        ctx: &mut C,
    ) {
        let spec = &self.spec;
        let seg = &spec.segments[segment as usize];
        // A handoff the integration assigned straight to an agent (004): no routing; it is in
        // the queue that stands for "no queue".
        let direct_queue = to_agent.map(|(queue, _)| queue);
        // A handoff (the bot's tags are on it) left unrouted: no routing picks it up; it waits
        // in the unassigned list for an agent to take it by hand.
        let unrouted = spec
            .bot
            .as_ref()
            .and_then(|b| b.unrouted_queue)
            .filter(|_| !added_tags.is_empty());
        let (via, queue, priority) = match (direct_queue.or(unrouted), seg.destination) {
            (Some(q), _) => (RoutedVia::Direct, q, seg.priority),
            (None, SegmentDestination::Queue(q)) => (RoutedVia::Direct, q, seg.priority),
            (None, SegmentDestination::Routed) => {
                let default = spec
                    .default_queue
                    .expect("routed segments imply a Default queue");
                // BOT-3: what the bot tagged is part of the conversation routing reads.
                let attributes = Tagged::new(seg.attributes_of(draw), self.tags_attr, added_tags);
                let d = routing::route(&spec.routes, &attributes, default);
                let via = d
                    .route
                    .map_or(RoutedVia::Default, |r| RoutedVia::Route(r as u32));
                (via, d.queue, d.priority)
            }
        };
        let now = ctx.now_ms();
        ctx.record(Metric::Routed {
            conv,
            segment,
            draw: *draw,
            handoff_tagged: !added_tags.is_empty(),
            via,
            queue,
            arrived_ms: now,
        });
        if !self.assigner.is_open(queue) {
            let hours = &spec.queues[queue as usize].hours;
            let outside = outside_hours(true, hours.away_message, hours.close_after_away);
            if outside.send_away_message {
                ctx.record(Metric::AwayMessage {
                    conv,
                    queue,
                    arrived_ms: now,
                    closed: outside.close,
                });
            }
            if outside.close {
                if first_contact {
                    let fate = Fate::RejectedOutsideHours;
                    ctx.record(Metric::TurnFate { conv, fate });
                }
                ctx.send(CustomerMsg::Left { conv });
                return;
            }
        }
        let key = LineKey::new(priority, now, arrival_seq);
        let category = seg.category();
        let enqueue = QueueMsg::Enqueue {
            item: WorkItem {
                conv,
                key,
                segment: SegmentIx(segment),
                category,
                history,
            },
            in_hours: self.assigner.is_open(queue),
        };
        ctx.send(Msg::Queue(QueueIx(queue), enqueue));
        if first_contact {
            let fate = Fate::ToQueue;
            ctx.record(Metric::TurnFate { conv, fate });
        }
        ctx.send(CustomerMsg::Routed {
            conv,
            queue: QueueIx(queue),
            key,
        });
        // Workflows see the new conversation first: one may have moved it to another place
        // in line (a priority) or ended it, and assignment must see what they left.
        let Some(key) = self.workflow_start(conv, (queue, key, segment), ctx) else {
            return;
        };
        // AA-4: a new conversation starts an assignment (or the integration's, 004).
        let direct = to_agent.map(|(_, agent)| agent);
        self.waits(queue, key, conv, (category, history, direct), ctx);
    }
}
