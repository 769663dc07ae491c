//! The load's drivers: what each arrival segment's conversations hold an agent's slot for, part
//! by part (CAP-4: handle, replies, the customer's think time, Solved until closed), and a
//! warning when a documented default the scenario does not set is the largest part. Infobip
//! counts Solved conversations toward capacity by default, and with the usual "Solved for two
//! hours → close" rule a WhatsApp conversation of eight minutes' work holds its slot for over
//! two hours: right for a centre that works that way, a surprise for one that does not, and
//! invisible unless it is spelled out.

use serde::Serialize;

use super::file::ConversationsFile;
use crate::model::centre::CentreSpec;
use crate::model::conversation::SlotTime;

/// Something in a valid scenario the user should know before trusting its results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    /// The setting that changes it, as written in the scenario file.
    pub field: String,
    /// What it is and what to do, in the user's words.
    pub message: String,
}

/// One segment's slot time, for the run header and `summary.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentSlotTime {
    /// The segment's name.
    pub segment: String,
    /// Its mean slot time, part by part, served from the first queue it can reach.
    pub slot: SlotTime,
}

/// Each segment's mean slot time, served from the first queue it can reach.
pub fn slot_times(centre: &CentreSpec) -> Vec<SegmentSlotTime> {
    (0..centre.segments.len() as u32)
        .map(|s| {
            let queue = centre.possible_queues(s).first().copied().unwrap_or(0);
            SegmentSlotTime {
                segment: centre.segments[s as usize].name.clone(),
                slot: centre.mean_slot_time(s, queue),
            }
        })
        .collect()
}

/// The parts of a slot time that are there, for a sentence: `" = replies 270 s + customer
/// thinking 200 s + Solved until closed 7200 s"`; empty when there is one part only.
pub fn describe_parts(slot: &SlotTime) -> String {
    let parts: Vec<String> = slot
        .parts()
        .into_iter()
        .filter(|&(_, ms)| ms > 0.0)
        .map(|(name, ms)| format!("{} {:.0} s", name.replace('_', " "), ms / 1000.0))
        .collect();
    if parts.len() < 2 {
        String::new()
    } else {
        format!(" = {}", parts.join(" + "))
    }
}

/// The warnings of a built centre whose `[conversations]` section reads `conversations`.
pub fn warnings(centre: &CentreSpec, conversations: &ConversationsFile) -> Vec<Warning> {
    let policy = &centre.status_policy;
    let mut out = Vec::new();
    for SegmentSlotTime { segment, slot } in slot_times(centre) {
        let total_ms = slot.total_ms();
        let (largest, part_ms) = slot.largest();
        if total_ms <= 0.0 {
            continue;
        }
        let share = 100.0 * part_ms / total_ms;
        let head = format!(
            "segment '{segment}': a conversation holds an agent's slot {:.0} s on average, {:.0} s \
             ({share:.0} %) of it",
            total_ms / 1000.0,
            part_ms / 1000.0
        );
        match largest {
            "solved_until_closed"
                if conversations.counted_statuses.is_none()
                    || conversations.close_solved_after_min.is_none() =>
            {
                out.push(Warning {
                    field: "conversations.counted_statuses.solved, \
                            conversations.close_solved_after_min"
                        .into(),
                    message: format!(
                        "{head} Solved until closed — Infobip's default (CAP-4: Solved \
                         conversations count toward capacity) with Solved conversations closed \
                         after {:.0} minutes. If your agents' Solved conversations do not hold a \
                         slot, set [conversations] counted_statuses = {{ solved = false }}; if \
                         they are closed sooner, set close_solved_after_min",
                        policy.close_solved_after_ms as f64 / 60_000.0
                    ),
                });
            }
            "customer_thinking"
                if conversations.agent_sets_waiting.is_none()
                    && conversations.counted_statuses.is_none() =>
            {
                out.push(Warning {
                    field: "conversations.agent_sets_waiting".into(),
                    message: format!(
                        "{head} the customer's think time between replies, which holds the slot \
                         because agents do not set Waiting by default (and Waiting counts, \
                         CAP-4). If your agents set Waiting while the customer owes a reply and \
                         Waiting does not count, set [conversations] agent_sets_waiting = true \
                         and counted_statuses = {{ waiting = false }}"
                    ),
                });
            }
            _ => {}
        }
    }
    out
}
