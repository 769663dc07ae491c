//! Workflows in a scenario (WF-1..5): triggers, conditions over queue, status, tags and
//! assignment, and actions; tag names interned to bits (at most 64 tags).

use std::collections::HashMap;

use super::checks::Checker;
use super::error::FieldPath;
use super::file::{
    WorkflowActionFile, WorkflowConditionFile, WorkflowFieldFile, WorkflowFile, WorkflowTriggerFile,
};
use crate::model::status::ConversationStatus;
use crate::model::workflow::{Action, Condition, Event, Pending, Trigger, Workflow};

/// Most distinct tags the workflows of a scenario may use.
pub const MAX_TAGS: usize = 64;

impl Checker<'_> {
    /// Checks and converts the workflows; returns them and the tag names by bit.
    pub(super) fn workflows(
        &mut self,
        root: &FieldPath,
        files: &[WorkflowFile],
        queue_index: &HashMap<&str, u32>,
    ) -> (Vec<Workflow>, Vec<String>) {
        let path = root.key("workflows");
        self.unique(&path, "name", files.iter().map(|w| w.name.as_str()));
        let mut tags: Vec<String> = Vec::new();
        let mut out = Vec::new();
        for (i, f) in files.iter().enumerate() {
            let p = path.index(i);
            let mut ok = true;
            let triggers: Vec<Trigger> = f
                .triggers
                .iter()
                .map(|t| {
                    let after = |pending, min: f64| Trigger::After {
                        pending,
                        after_ms: if min.is_finite() && min >= 0.0 {
                            (min * 60_000.0).round() as u64
                        } else {
                            0
                        },
                    };
                    match t {
                        WorkflowTriggerFile::CustomerNotReplied { after_min } => {
                            after(Pending::CustomerReply, *after_min)
                        }
                        WorkflowTriggerFile::AgentNotReplied { after_min } => {
                            after(Pending::AgentReply, *after_min)
                        }
                        WorkflowTriggerFile::Solved { after_min } => {
                            after(Pending::Solved, *after_min)
                        }
                        WorkflowTriggerFile::SolvedUnmodified { after_min } => {
                            after(Pending::SolvedUnmodified, *after_min)
                        }
                        WorkflowTriggerFile::Waiting { after_min } => {
                            after(Pending::Waiting, *after_min)
                        }
                        WorkflowTriggerFile::StatusChanged { to } => {
                            Trigger::On(Event::StatusChanged(*to))
                        }
                        WorkflowTriggerFile::QueueChanged => Trigger::On(Event::QueueChanged),
                        WorkflowTriggerFile::TagChanged => Trigger::On(Event::TagChanged),
                        WorkflowTriggerFile::InboundMessage => Trigger::On(Event::InboundMessage),
                        WorkflowTriggerFile::OutboundAgentMessage => {
                            Trigger::On(Event::OutboundAgentMessage)
                        }
                    }
                })
                .collect();
            for (j, t) in f.triggers.iter().enumerate() {
                if let WorkflowTriggerFile::StatusChanged {
                    to: ConversationStatus::Closed,
                } = t
                {
                    self.fail(
                        p.key("triggers").index(j).key("to"),
                        "closed: expected open, waiting or solved (workflows act on conversations that are not closed, WF-2)",
                    );
                    ok = false;
                }
            }
            let mut conditions = Vec::new();
            for (g, group) in f.conditions.iter().enumerate() {
                let mut converted = Vec::new();
                for (j, c) in group.iter().enumerate() {
                    let cp = p.key("conditions").index(g).index(j);
                    match self.workflow_condition(&cp, c, queue_index, &mut tags) {
                        Some(c) => converted.push(c),
                        None => ok = false,
                    }
                }
                conditions.push(converted);
            }
            let mut actions = Vec::new();
            for (j, a) in f.actions.iter().enumerate() {
                let ap = p.key("actions").index(j);
                let mut bits = |c: &mut Self, names: &[String]| -> u64 {
                    let mut b = 0;
                    for (k, n) in names.iter().enumerate() {
                        match tag_bit(&mut tags, n) {
                            Some(bit) => b |= bit,
                            None => {
                                c.fail(
                                    ap.key("tags").index(k),
                                    format!("'{n}' is tag number {}: expected at most {MAX_TAGS} tags across the workflows", MAX_TAGS + 1),
                                );
                            }
                        }
                    }
                    b
                };
                actions.push(match a {
                    WorkflowActionFile::SendMessage => Action::SendMessage,
                    WorkflowActionFile::AddTags { tags: t } => Action::AddTags(bits(self, t)),
                    WorkflowActionFile::RemoveTags { tags: t } => Action::RemoveTags(bits(self, t)),
                    WorkflowActionFile::SetSolved => Action::SetSolved,
                    WorkflowActionFile::SetPriority { priority } => Action::SetPriority(*priority),
                    WorkflowActionFile::Unassign => Action::Unassign,
                    WorkflowActionFile::Close => Action::Close,
                    WorkflowActionFile::CallApi => Action::CallApi,
                });
            }
            let workflow = Workflow {
                name: f.name.clone(),
                enabled: f.enabled,
                triggers,
                conditions,
                actions,
            };
            if let Err(e) = workflow.validate() {
                let at = match e {
                    crate::model::workflow::WorkflowError::NoTrigger
                    | crate::model::workflow::WorkflowError::DelayOutOfRange(_) => {
                        p.key("triggers")
                    }
                    _ => p.key("actions"),
                };
                self.fail(at, e.to_string());
                ok = false;
            }
            if ok {
                out.push(workflow);
            }
        }
        (out, tags)
    }

    fn workflow_condition(
        &mut self,
        cp: &FieldPath,
        c: &WorkflowConditionFile,
        queue_index: &HashMap<&str, u32>,
        tags: &mut Vec<String>,
    ) -> Option<Condition> {
        let list = match (&c.in_list, &c.not_in_list, c.value, c.field) {
            (None, None, Some(v), WorkflowFieldFile::Assigned) => {
                return Some(Condition::Assigned(v));
            }
            (Some(l), None, None, f) if !matches!(f, WorkflowFieldFile::Assigned) => (l, false),
            (None, Some(l), None, f) if !matches!(f, WorkflowFieldFile::Assigned) => (l, true),
            _ => {
                self.fail(
                    cp.clone(),
                    "expected `value` for `assigned`, or one of `in_list` / `not_in_list` for queue, status and tag",
                );
                return None;
            }
        };
        let (values, negate) = list;
        let key = if negate { "not_in_list" } else { "in_list" };
        Some(match c.field {
            WorkflowFieldFile::Queue => Condition::Queue {
                queues: values
                    .iter()
                    .enumerate()
                    .filter_map(|(k, q)| self.queue(cp.key(key).index(k), q, queue_index))
                    .collect(),
                negate,
            },
            WorkflowFieldFile::Status => {
                let mut statuses = Vec::new();
                for (k, v) in values.iter().enumerate() {
                    match v.as_str() {
                        "open" => statuses.push(ConversationStatus::Open),
                        "waiting" => statuses.push(ConversationStatus::Waiting),
                        "solved" => statuses.push(ConversationStatus::Solved),
                        other => self.fail(
                            cp.key(key).index(k),
                            format!("unknown status '{other}': expected open, waiting or solved"),
                        ),
                    }
                }
                Condition::Status { statuses, negate }
            }
            WorkflowFieldFile::Tag => {
                let mut bits = 0;
                for (k, n) in values.iter().enumerate() {
                    match tag_bit(tags, n) {
                        Some(b) => bits |= b,
                        None => self.fail(
                            cp.key(key).index(k),
                            format!("too many tags: expected at most {MAX_TAGS}"),
                        ),
                    }
                }
                Condition::Tag { tags: bits, negate }
            }
            WorkflowFieldFile::Assigned => unreachable!("handled above"),
        })
    }
}

/// The bit of tag `name`, interning it; `None` past [`MAX_TAGS`].
fn tag_bit(tags: &mut Vec<String>, name: &str) -> Option<u64> {
    let i = match tags.iter().position(|t| t == name) {
        Some(i) => i,
        None if tags.len() < MAX_TAGS => {
            tags.push(name.to_string());
            tags.len() - 1
        }
        None => return None,
    };
    Some(1 << i)
}
