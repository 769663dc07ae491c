//! Unit tests of the platform actor through a recording context.
use crate::actors::{PlatformMsg, QueueMsg};

use super::*;
use crate::actors::History;
use crate::actors::ONE_TIME;
use crate::actors::testing::Recorded;
use crate::actors::{ApiAnswer, ApiCall, ApiCaller};
use crate::actors::{BotMsg, Msg};
use crate::model::centre::testing::centre;
use crate::model::ids::SegmentIx;
use crate::model::priority::{LineKey, Priority};
use crate::model::status::DefaultStatus;

const CAT: ChannelCategory = ChannelCategory::LiveMessaging;

fn conv(slot: u32) -> ConvId {
    ConvId {
        slot,
        generation: 1,
    }
}

/// A new conversation `slot` waits in `queue` (as routing leaves it there).
fn wait(p: &mut Platform, ctx: &mut Recorded, queue: u32, slot: u32, priority: Priority) {
    let key = LineKey::new(priority, ctx.now_ms, u64::from(slot));
    p.waits(
        queue,
        key,
        conv(slot),
        (CAT, History::new(ONE_TIME), None),
        ctx,
    );
}

/// Agent `agent` sets Available.
fn log_in(p: &mut Platform, ctx: &mut Recorded, agent: u32) {
    let status = DefaultStatus::Available;
    p.handle(
        PlatformMsg::StatusSet {
            agent: AgentIx(agent),
            status,
        },
        ctx,
    );
}

/// (queue, agent, conversation slot) of each offer sent.
fn offers(sent: &[Msg]) -> Vec<(u32, u32, u32)> {
    sent.iter()
        .filter_map(|m| match *m {
            Msg::Queue(queue, QueueMsg::Offer { agent, conv, .. }) => {
                Some((queue.0, agent.0, conv.slot))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn cap_1_offers_go_to_online_agents_with_a_free_slot_only() {
    // Two agents in queue 0, capacity 1 each.
    let spec = Arc::new(centre(1, &[(&[0], 1), (&[0], 1)], 60, 30, 0));
    let mut p = Platform::new(&spec);
    let mut ctx = Recorded::default();
    // Nobody online: the head waits.
    wait(&mut p, &mut ctx, 0, 1, Priority::Normal);
    assert!(offers(&ctx.take_sent()).is_empty());
    // Agent 1 comes online and takes it (bulk: a free agent takes the waiting head).
    ctx.now_ms = 5;
    log_in(&mut p, &mut ctx, 1);
    assert_eq!(offers(&ctx.take_sent()), vec![(0, 1, 1)]);
    // The next head: agent 1 is full (capacity 1), agent 0 is offline.
    wait(&mut p, &mut ctx, 0, 2, Priority::Normal);
    assert!(offers(&ctx.take_sent()).is_empty());
    // Agent 1 finishes: its slot goes to the waiting head.
    ctx.now_ms = 9;
    p.handle(
        PlatformMsg::SlotFreed {
            agent: AgentIx(1),
            category: CAT,
        },
        &mut ctx,
    );
    assert_eq!(offers(&ctx.take_sent()), vec![(0, 1, 2)]);
}

#[test]
fn longest_unserved_agent_gets_the_new_head_and_a_free_agent_takes_the_best_head() {
    // Agent 0 serves queues 0 and 1; agent 1 only queue 0. Capacity 2 each.
    let spec = Arc::new(centre(2, &[(&[0, 1], 2), (&[0], 2)], 60, 30, 0));
    let mut p = Platform::new(&spec);
    let mut ctx = Recorded::default();
    log_in(&mut p, &mut ctx, 0);
    log_in(&mut p, &mut ctx, 1);
    ctx.now_ms = 100;
    wait(&mut p, &mut ctx, 0, 1, Priority::Normal);
    // Both never served: tie → lower id.
    assert_eq!(offers(&ctx.take_sent()), vec![(0, 0, 1)]);
    ctx.now_ms = 200;
    wait(&mut p, &mut ctx, 0, 2, Priority::Normal);
    // Agent 0 was served at 100, agent 1 never: agent 1 has waited longest.
    assert_eq!(offers(&ctx.take_sent()), vec![(0, 1, 2)]);

    // Fill everything, then queue both heads: a freed agent 0 takes the HIGH one of queue 1
    // before the older NORMAL one of queue 0.
    wait(&mut p, &mut ctx, 0, 3, Priority::Normal);
    wait(&mut p, &mut ctx, 0, 4, Priority::Normal);
    ctx.take_sent();
    wait(&mut p, &mut ctx, 0, 5, Priority::Normal);
    wait(&mut p, &mut ctx, 1, 6, Priority::High);
    assert!(offers(&ctx.take_sent()).is_empty(), "everyone is full");
    p.handle(
        PlatformMsg::SlotFreed {
            agent: AgentIx(0),
            category: CAT,
        },
        &mut ctx,
    );
    assert_eq!(offers(&ctx.take_sent()), vec![(1, 0, 6)]);
    // A declined offer gives the slot back and the other head is offered.
    let declined = PlatformMsg::Declined {
        agent: AgentIx(0),
        queue: QueueIx(1),
        conv: ConvId {
            slot: 6,
            generation: 1,
        },
        category: CAT,
    };
    p.handle(declined, &mut ctx);
    assert_eq!(offers(&ctx.take_sent()), vec![(0, 0, 5)]);
}

#[test]
fn aa_3_one_assignment_at_a_time_never_double_books_a_slot() {
    // One agent with one slot serves two queues; both heads change at the same instant.
    let spec = Arc::new(centre(2, &[(&[0, 1], 1)], 60, 30, 0));
    let mut p = Platform::new(&spec);
    let mut ctx = Recorded::default();
    log_in(&mut p, &mut ctx, 0);
    wait(&mut p, &mut ctx, 0, 1, Priority::Normal);
    wait(&mut p, &mut ctx, 1, 2, Priority::Urgent);
    // The first run took the only slot; the second found none.
    assert_eq!(offers(&ctx.take_sent()), vec![(0, 0, 1)]);
}

#[test]
fn bot_8_the_api_answers_each_call_and_refuses_writes_to_a_closed_conversation() {
    let spec = crate::actors::testing::bot_centre();
    let mut p = Platform::new(&spec);
    let mut ctx = Recorded::default();
    let conv = ConvId {
        slot: 3,
        generation: 1,
    };
    let draw = [crate::model::centre::NO_VALUE; crate::model::centre::MAX_SEGMENT_ATTRIBUTES];
    let inbound = PlatformMsg::Inbound {
        conv,
        segment: SegmentIx(0),
        arrival_seq: 0,
        customer: ONE_TIME,
        draw,
    };
    p.handle(inbound, &mut ctx);
    ctx.take_sent();
    let bot = ApiCaller::Bot;
    for call in [
        ApiCall::GetConversation,
        ApiCall::CreateMessage { chars: 80 },
        ApiCall::Close,
        ApiCall::CreateMessage { chars: 80 },
    ] {
        p.handle(
            PlatformMsg::Api {
                conv,
                call,
                caller: bot,
            },
            &mut ctx,
        );
    }
    let stranger = ConvId {
        slot: 4,
        generation: 1,
    };
    let call = ApiCall::Unassign;
    p.handle(
        PlatformMsg::Api {
            conv: stranger,
            call,
            caller: bot,
        },
        &mut ctx,
    );
    let answers: Vec<_> = ctx
        .take_sent()
        .into_iter()
        .filter_map(|m| match m {
            Msg::Bot(BotMsg::ApiResult { result, .. }) => Some(result),
            _ => None,
        })
        .collect();
    use crate::model::platform_api::ApiErrorKind;
    assert_eq!(
        answers,
        [
            // The platform assigned it to the bot (BOT-1).
            Ok(ApiAnswer::Conversation {
                assigned_to_caller: true
            }),
            Ok(ApiAnswer::Done),
            Ok(ApiAnswer::Done),
            Err(ApiErrorKind::Closed),
            Err(ApiErrorKind::NotFound),
        ]
    );
    assert_eq!(ApiErrorKind::NotFound.status(), 404);
    let rejected = ctx
        .metrics
        .iter()
        .filter(|m| matches!(m, Metric::ApiCall { rejected: true, .. }))
        .count();
    assert_eq!(rejected, 2, "each refusal counted");
}
