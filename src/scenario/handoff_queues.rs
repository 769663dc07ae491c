//! The queues that stand for where a bot's handoff goes outside routing: the unassigned list
//! of handoffs left unrouted (000), and the conversations the bot's integration assigned
//! straight to an agent (004). Each is a queue of its own in the centre, so the report shows
//! them like any other.

use std::collections::HashMap;
use std::ops::Range;

use super::checks::Checker;
use super::error::FieldPath;
use super::file::{AgentGroupFile, DirectAssignFile, HandoffsFile, ScenarioFile};
use crate::model::bot::{BotSpec, DirectAssignSpec};
use crate::model::centre::{AgentSpec, QueueHours, QueueSpec};

impl Checker<'_> {
    /// Adds the queues `bot`'s handoffs need besides routing (none when they are all routed).
    pub(super) fn handoff_queues(
        &mut self,
        root: &FieldPath,
        (bot, file): (&mut BotSpec, &ScenarioFile),
        group_ranges: &[Range<usize>],
        queues: &mut Vec<QueueSpec>,
        agents: &mut [AgentSpec],
        queue_index: &HashMap<&str, u32>,
    ) {
        let Some(bf) = file.bot.as_ref() else {
            return;
        };
        let has_external_centre = file.external_centre.is_some();
        if bf.handoffs == HandoffsFile::Unrouted {
            self.unrouted_queue(root, bot, queues, agents, queue_index, has_external_centre);
        }
        if let Some(d) = &bf.direct_assign {
            let groups = (file.agents.as_slice(), group_ranges);
            self.direct_assign_queue(root, bot, d, groups, queues, agents, queue_index);
            if has_external_centre {
                self.fail(
                    root.key("bot").key("direct_assign"),
                    "direct assignment with an [external_centre]: its layer takes every handoff",
                );
            }
        }
    }
}

/// The queue of handoffs left unrouted (the unassigned list).
pub const UNROUTED_QUEUE: &str = "Unassigned";

impl Checker<'_> {
    /// Handoffs left unrouted wait in the unassigned list: a queue of its own, taken by hand
    /// (no automatic assignment), every agent a member, always open. Adds it to `queues` and
    /// to every agent, and tells the bot where it is.
    pub(super) fn unrouted_queue(
        &mut self,
        root: &FieldPath,
        bot: &mut BotSpec,
        queues: &mut Vec<QueueSpec>,
        agents: &mut [AgentSpec],
        queue_index: &HashMap<&str, u32>,
        has_external_centre: bool,
    ) {
        let p = root.key("bot").key("handoffs");
        if has_external_centre {
            self.fail(
                p,
                "unrouted handoffs with an [external_centre]: its layer takes every handoff",
            );
            return;
        }
        if queue_index.contains_key(UNROUTED_QUEUE) {
            self.fail(
                p,
                format!("unrouted handoffs wait in a queue named '{UNROUTED_QUEUE}': a queue already has that name"),
            );
            return;
        }
        let q = queues.len() as u32;
        queues.push(side_queue(UNROUTED_QUEUE));
        for agent in agents {
            agent.queues.push(q);
        }
        bot.unrouted_queue = Some(q);
    }
}

/// The queue of handoffs the bot's integration assigned straight to an agent.
pub const DIRECT_QUEUE: &str = "Assigned by the bot";

impl Checker<'_> {
    /// Handoffs assigned straight to an agent (004) have no queue; the report shows them in a
    /// queue of their own: the group's agents its members, no automatic assignment (one put
    /// back unassigned waits there for them), always open. Adds it and tells the bot.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn direct_assign_queue(
        &mut self,
        root: &FieldPath,
        bot: &mut BotSpec,
        file: &DirectAssignFile,
        (groups, ranges): (&[AgentGroupFile], &[Range<usize>]),
        queues: &mut Vec<QueueSpec>,
        agents: &mut [AgentSpec],
        queue_index: &HashMap<&str, u32>,
    ) {
        let p = root.key("bot").key("direct_assign");
        let share_ok = self.share(p.key("share"), file.share, "share");
        let Some(g) = groups.iter().position(|g| g.group == file.group) else {
            let known: Vec<&str> = groups.iter().map(|g| g.group.as_str()).collect();
            self.fail(
                p.key("group"),
                format!(
                    "unknown agent group '{}': expected one of {}",
                    file.group,
                    known.join(", ")
                ),
            );
            return;
        };
        if queue_index.contains_key(DIRECT_QUEUE) {
            self.fail(
                p,
                format!("handoffs assigned by the bot show as a queue named '{DIRECT_QUEUE}': a queue already has that name"),
            );
            return;
        }
        if !share_ok {
            return;
        }
        let q = queues.len() as u32;
        queues.push(side_queue(DIRECT_QUEUE));
        for agent in &mut agents[ranges[g].clone()] {
            agent.queues.push(q);
        }
        bot.direct_assign = Some(DirectAssignSpec {
            share: file.share,
            queue: q,
            group: file.group.clone(),
        });
    }
}

/// A queue of handoffs outside routing: no automatic assignment, always open, no transfers.
fn side_queue(name: &str) -> QueueSpec {
    QueueSpec {
        name: name.to_string(),
        service_level_threshold_ms: 60_000,
        channel_thresholds_ms: Vec::new(),
        handle_time: None,
        assignment: None,
        hours: QueueHours::always(),
        transfers: Vec::new(),
        agent_transfer_share: 0.0,
    }
}
