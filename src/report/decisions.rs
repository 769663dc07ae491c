//! The decisions a run relied on (docs/decisions.md): where the documents are silent or
//! contradict each other and ccsim had to choose, each listed in `summary.json` (and under the
//! console table) when this run's scenario or figures show it applied, with what it applied to.
//! A planner reading a figure sees which reading of the documents stands behind it.

use serde::Serialize;

use super::summary::Summary;
use crate::model::bot::whatsapp::PART_PAUSE_MS;
use crate::model::capacity::FULL_CAPACITY_PERCENT;
use crate::scenario::Scenario;

/// One decision that applied.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DecisionApplied {
    /// The rules it reads.
    pub rules: &'static str,
    /// What ccsim decided.
    pub decision: String,
    /// Where it showed in this run.
    pub applied: String,
}

/// The decisions `summary`'s run relied on, in the order of docs/decisions.md.
pub fn applied(scenario: &Scenario, summary: &Summary) -> Vec<DecisionApplied> {
    let centre = &scenario.centre;
    let mut out = Vec::new();
    let mut add = |rules, decision: String, applied: String| {
        out.push(DecisionApplied {
            rules,
            decision,
            applied,
        });
    };
    let full_h = summary
        .overall
        .agent_hours_by_status
        .get("full_capacity")
        .map_or(0.0, |e| e.mean);
    if full_h > 0.0 {
        add(
            "ST-2",
            format!(
                "Full Capacity from {FULL_CAPACITY_PERCENT} % of summed occupancy, Under Capacity again below {FULL_CAPACITY_PERCENT} % (one threshold both ways)"
            ),
            format!("agents showed Full Capacity for {full_h:.1} agent-hours (mean)"),
        );
    }
    let counted = centre.status_policy.counted;
    if !counted.waiting || !counted.solved {
        let excluded = match (counted.waiting, counted.solved) {
            (false, false) => "Waiting and Solved",
            (false, true) => "Waiting",
            _ => "Solved",
        };
        add(
            "CAP-4, AA-5",
            "the configured statuses decide what counts toward capacity; capacity limits automatic assignment only".into(),
            format!(
                "{excluded} do not count: a customer writing into one gives it back to its agent, past capacity if need be"
            ),
        );
    }
    if let Some(bot) = &centre.bot {
        if let Some(q) = bot.unrouted_queue {
            // The summary lists the queues in the scenario's order.
            let waited = summary
                .queues
                .get(q as usize)
                .map_or(0.0, |q| q.measures.offered.mean);
            add(
                "BOT-3",
                "handoffs left unrouted wait in the unassigned list (queue Unassigned), taken by hand, longest idle agent first".into(),
                format!("{waited:.1} handoffs (mean) waited there"),
            );
        }
        if let Some(d) = &bot.direct_assign {
            let assigned = summary
                .queues
                .get(d.queue as usize)
                .map_or(0.0, |q| q.measures.offered.mean);
            add(
                "BOT-3",
                format!(
                    "{:.0} % of handoffs go straight to an agent of group {} (004): the integration picks one signed in and not on a break holding the fewest conversations, past capacity if need be; with nobody so, it routes the handoff",
                    d.share * 100.0,
                    d.group
                ),
                format!(
                    "{assigned:.1} handoffs (mean) were assigned so (queue Assigned by the bot)"
                ),
            );
        }
        if !centre.sla_policies.is_empty() {
            add(
                "SLA-1, SLA-5",
                "a conversation with the bot is in no queue: only policies for every queue apply to it, and working-hours clocks count all the time until it is routed".into(),
                "the bot's conversations were judged so".into(),
            );
        }
        if let Some(b) = &summary.bot {
            if b.attachments_sent.mean > 0.0 {
                add(
                    "WIN-5",
                    format!(
                        "the short pause between the parts of a reply is {} s",
                        PART_PAUSE_MS / 1000
                    ),
                    format!(
                        "{:.1} attachments (mean) went before their replies' text",
                        b.attachments_sent.mean
                    ),
                );
            }
            let ignored = b.messages_read_as.get("ignored").map_or(0.0, |e| e.mean);
            if ignored > 0.0 {
                add(
                    "WIN-6",
                    "stickers and system messages follow a customer's message; they never carry its turn".into(),
                    format!("{ignored:.1} (mean) were left unprocessed"),
                );
            }
            if bot.connection().is_err() {
                add(
                    "BOT-11",
                    "a bot that cannot connect hears its webhook but has every API call refused"
                        .into(),
                    format!("{:.1} calls (mean) refused", b.writes_rejected.mean),
                );
            }
        }
    }
    out
}
