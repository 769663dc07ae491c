//! The customer's side of a conversation with the bot (BOT-1..11): its need, drawn at arrival
//! from its own generator, its patience until the bot's first reply, and its turns — another
//! question, thanks, a request for a human, or silence.

use crate::actors::{CustomerMsg, PlatformMsg};
use std::sync::Arc;

use rand::RngExt;

use super::{Customers, Phase, Slot};
use crate::actors::{Context, ConvId, Intent, ONE_TIME_CUSTOMER, RETURNING_UNNAMED};
use crate::model::bot::Outcome;
use crate::model::centre::CentreSpec;
use crate::model::routing::Attributes;

impl Customers {
    /// With a bot in front of the segment's channel: how many answers the customer wants from
    /// it and whether it can be helped there, drawn from the customer's own generator (the same
    /// customer with or without the bot).
    pub(super) fn plan_bot(spec: &CentreSpec, slot: &mut Slot, met_before: bool) {
        let seg = &spec.segments[slot.segment.index()];
        let Some(bot) = spec.bot.as_ref().filter(|b| b.meets_first(seg.channel)) else {
            return;
        };
        let Some(rng) = slot.rng.as_deref_mut() else {
            return;
        };
        let topic = bot
            .topic_attribute
            .and_then(|a| seg.attributes_of(&slot.draw).get(a).cloned());
        let uniform: f64 = rng.random();
        slot.bot_outcome = Some(bot.outcomes_for(topic.as_ref()).pick(uniform));
        let turns = bot.turns.sample(rng);
        slot.bot_turns_left = bot.turns_needed(turns, seg.channel, met_before);
        slot.bot_intent = Intent::Continue;
        slot.phase = Phase::WithBot;
    }

    /// A conversation with the bot: the customer's patience runs until its first reply.
    pub(super) fn wait_for_bot<C: Context>(&mut self, conv: ConvId, ctx: &mut C) {
        let Some(slot) = self.slot_mut(conv) else {
            return;
        };
        if slot.phase != Phase::WithBot {
            return;
        }
        self.start_patience(conv, ctx);
    }

    /// The bot's reply arrived: another question, or the outcome the customer's need decided
    /// at arrival (thanks, a human please, or silence).
    pub(super) fn bot_replied<C: Context>(&mut self, conv: ConvId, ctx: &mut C) {
        let spec = Arc::clone(&self.spec);
        let Some(slot) = self.slot_mut(conv) else {
            return;
        };
        if let Some(timer) = slot.patience_timer.take() {
            ctx.cancel(timer);
        }
        if slot.phase != Phase::WithBot {
            return;
        }
        slot.bot_turns_left = slot.bot_turns_left.saturating_sub(1);
        slot.bot_intent = match (slot.bot_turns_left, slot.bot_outcome) {
            (n, _) if n > 0 => Intent::Continue,
            (_, Some(Outcome::Resolve)) => Intent::Satisfied,
            (_, Some(Outcome::Handoff)) => Intent::WantsHuman,
            // Drops out: the bot's session resolves itself after inactivity (WIN-3).
            _ => return,
        };
        let behaviour = spec.segments[slot.segment.index()]
            .behaviour
            .as_ref()
            .expect("the bot's segments have a conversation model");
        let Some(rng) = slot.rng.as_deref_mut() else {
            return;
        };
        let think_ms = behaviour.think.sample_ms(rng);
        slot.burst = behaviour.burst_messages.sample(rng).max(1);
        ctx.schedule(think_ms, CustomerMsg::CustomerWrites { conv });
    }

    /// Cross-session memory: once a customer has talked to the bot, its later sessions start
    /// with the bot knowing it. Kept in the slot (carried into a come-back) and, for customers of
    /// a population who return under their own id, in a set bounded by the population.
    pub(super) fn remember_bot(&mut self, conv: ConvId, customer: u64) {
        let Some(slot) = self.slot_mut(conv) else {
            return;
        };
        if slot.phase != Phase::WithBot {
            return;
        }
        slot.met_bot = true;
        if customer & (ONE_TIME_CUSTOMER | RETURNING_UNNAMED) == 0 {
            self.met_bot.insert(customer);
        }
    }

    /// BOT-2: a human gave the conversation back to the bot. The customer has a new need of it
    /// (drawn from its own generator), rejoins it, and writes its next message after a think.
    pub(super) fn back_to_bot<C: Context>(&mut self, conv: ConvId, ctx: &mut C) {
        let spec = Arc::clone(&self.spec);
        let Some(slot) = self.slot_mut(conv) else {
            return;
        };
        let arrival_seq = slot.waiting_in.map_or(0, |(_, key)| key.arrival_seq);
        // A new need within the same session: the thread is the bot's context on every channel,
        // so cross-session memory saves nothing here.
        Self::plan_bot(&spec, slot, false);
        if slot.phase != Phase::WithBot {
            return;
        }
        let (segment, customer, draw) = (slot.segment, slot.customer, slot.draw);
        ctx.send(PlatformMsg::RejoinBot {
            conv,
            segment,
            arrival_seq,
            customer,
            draw,
        });
        let behaviour = spec.segments[segment.index()]
            .behaviour
            .as_ref()
            .expect("the bot's segments have a conversation model");
        let Some(slot) = self.slot_mut(conv) else {
            return;
        };
        let Some(rng) = slot.rng.as_deref_mut() else {
            return;
        };
        let think_ms = behaviour.think.sample_ms(rng);
        slot.burst = behaviour.burst_messages.sample(rng).max(1);
        ctx.schedule(think_ms, CustomerMsg::CustomerWrites { conv });
    }
}
