//! Conversations leaving their agent: queue changes (AA-11) and the full list of agents a
//! conversation had, past what its history carries inline (AA-9).

use super::Platform;
use crate::actors::{Context, ConvId, History, Layout, Metric, Msg};
use crate::model::assignment::rules::{QueueChange, on_queue_change};
use crate::model::channel::ChannelCategory;
use crate::model::priority::LineKey;

impl Platform {
    /// The history of `conv` with `agent` added; past the inline list, the platform keeps every
    /// agent that had it (AA-9: never again, however many).
    pub(super) fn history_with(&mut self, conv: ConvId, history: History, agent: u32) -> History {
        let added = history.with(agent);
        if added.overflowed() {
            self.overflow
                .entry(conv)
                .or_insert_with(|| history.as_slice().to_vec())
                .push(agent);
        }
        added
    }

    /// AA-11: agent `agent` moves `conv` from one queue to another. An agent of the new queue
    /// keeps it; otherwise it is unassigned and waits in the new queue, where assignment runs
    /// (or, with assignment off there, agents take it by hand).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn change_queue<C: Context>(
        &mut self,
        agent: u32,
        conv: ConvId,
        (from, to): (u32, u32),
        key: LineKey,
        segment: u32,
        category: ChannelCategory,
        history: History,
        ctx: &mut C,
    ) {
        let q = &self.queues[to as usize];
        let change = on_queue_change(Some(agent), &q.members, q.assignment.is_some());
        let kept = change == QueueChange::Keep;
        ctx.record(Metric::Transferred {
            conv,
            agent,
            from,
            to,
            kept,
        });
        let me = self.layout.agent(agent);
        if kept {
            ctx.send(me, Msg::TransferKept { conv, queue: to });
            self.workflow_holder(conv, Some(agent), to, ctx);
            return;
        }
        self.agents[agent as usize].held[category.index()] -= 1;
        self.agent_changed(agent, ctx);
        ctx.send(me, Msg::Released { conv });
        let history = self.history_with(conv, history, agent);
        let requeue = Msg::Requeue {
            conv,
            key,
            segment,
            category,
            history,
        };
        ctx.send(self.layout.queue(to), requeue);
        ctx.send(Layout::CUSTOMERS, Msg::Requeued { conv });
        self.workflow_holder(conv, None, to, ctx);
        self.fill_agent(agent, ctx);
    }
}
