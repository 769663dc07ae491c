//! Conversations leaving their agent for another queue (AA-11) or another agent (ST-1).

use super::Platform;
use crate::actors::{AgentMsg, CustomerMsg};
use crate::actors::{Context, Metric, Msg, WorkItem};
use crate::model::assignment::rules::{QueueChange, on_queue_change};
use crate::model::ids::{AgentIx, QueueIx};
use crate::model::status::ConversationStatus;

impl Platform {
    /// AA-11: agent `agent` moves `conv` from one queue to another. An agent of the new queue
    /// keeps it; otherwise it is unassigned and waits in the new queue, where assignment runs
    /// (or, with assignment off there, agents take it by hand).
    pub(super) fn change_queue<C: Context>(
        &mut self,
        agent: AgentIx,
        (from, to): (QueueIx, QueueIx),
        item: WorkItem,
        ctx: &mut C,
    ) {
        let conv = item.conv;
        let members = self.assigner.members(to.0);
        let change = on_queue_change(Some(agent.0), members, self.assigner.automatic(to.0));
        let kept = change == QueueChange::Keep;
        ctx.record(Metric::Transferred {
            conv,
            agent: agent.0,
            from: from.0,
            to: to.0,
            kept,
        });
        if kept {
            ctx.send(Msg::Agent(
                agent,
                AgentMsg::TransferKept { conv, queue: to },
            ));
            self.workflow_holder(conv, Some(agent.0), to.0, ctx);
            return;
        }
        ctx.send(Msg::Agent(agent, AgentMsg::Released { conv }));
        let mut out = self.take_decisions();
        self.assigner.release(agent.0, item.category, &mut out);
        let history = self.assigner.exclude(conv, item.history, agent.0);
        // The agent moves a conversation at its first reply: it is Open.
        let open = ConversationStatus::Open;
        self.requeue(to, WorkItem { history, ..item }, open, &mut out, ctx);
        // AA-4: the agent's occupancy dropped.
        self.assigner.fill_agent(agent.0, ctx.now_ms(), &mut out);
        self.carry_out(out, ctx);
    }

    /// ST-1: agent `agent` hands `conv` to another agent of `queue`: one whose status takes
    /// transferred conversations (Busy and Away too), whatever its capacity. With nobody to
    /// take it, the agent keeps it.
    pub(super) fn transfer_to_agent<C: Context>(
        &mut self,
        agent: AgentIx,
        queue: QueueIx,
        item: WorkItem,
        ctx: &mut C,
    ) {
        let WorkItem {
            conv,
            category,
            history,
            ..
        } = item;
        let Some(to) = self
            .assigner
            .transfer_target(queue.0, agent.0, category)
            .map(AgentIx)
        else {
            ctx.send(Msg::Agent(agent, AgentMsg::TransferKept { conv, queue }));
            return;
        };
        ctx.record(Metric::AgentTransferred {
            conv,
            queue: queue.0,
            from: agent.0,
            to: to.0,
            category,
        });
        ctx.send(Msg::Agent(agent, AgentMsg::Released { conv }));
        // AA-9: never again assigned automatically to the agent who had it.
        let history = self.assigner.exclude(conv, history, agent.0);
        let handed = AgentMsg::Serve {
            item: WorkItem { history, ..item },
            queue,
            assigned: false,
        };
        ctx.send(Msg::Agent(to, handed));
        ctx.send(CustomerMsg::Answered {
            conv,
            agent: to,
            queue,
        });
        self.workflow_holder(conv, Some(to.0), queue.0, ctx);
        let now = ctx.now_ms();
        let mut out = self.take_decisions();
        self.assigner
            .agent_transfer(agent.0, to.0, category, now, &mut out);
        self.carry_out(out, ctx);
    }
}
