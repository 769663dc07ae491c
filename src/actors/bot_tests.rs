//! Unit tests of the bot actor through a recording context: it goes on from each API result.
use crate::actors::{BotMsg, Msg, PlatformMsg};

use super::*;
use crate::actors::testing::{Recorded, bot_centre};
use crate::model::ids::SegmentIx;
use crate::model::platform_api::ApiErrorKind;

const CONV: ConvId = ConvId {
    slot: 7,
    generation: 1,
};

fn bot() -> Bot {
    Bot::new(bot_centre())
}

/// The customer's message reaches the bot and its debounce runs out.
fn turn(b: &mut Bot, ctx: &mut Recorded, message: u64, intent: Intent) {
    let delivery = BotMsg::WebhookDelivery {
        conv: CONV,
        message,
        intent,
        sent_ms: ctx.now_ms,
        segment: SegmentIx(0),
        kind: crate::model::bot::whatsapp::InboundKind::Text,
    };
    b.handle(delivery, ctx);
    let (delay_ms, debounce) = ctx.pop_bot_timer().expect("a debounce timer");
    ctx.now_ms += delay_ms;
    b.handle(debounce, ctx);
}

/// The API calls the bot made since the last look.
fn calls(ctx: &mut Recorded) -> Vec<ApiCall> {
    ctx.take_sent()
        .into_iter()
        .filter_map(|m| match m {
            Msg::Platform(PlatformMsg::Api {
                call,
                caller: ApiCaller::Bot,
                ..
            }) => Some(call),
            _ => None,
        })
        .collect()
}

fn result(call: ApiCall, result: Result<ApiAnswer, ApiErrorKind>) -> BotMsg {
    BotMsg::ApiResult {
        conv: CONV,
        call,
        result,
    }
}

/// Replies to the customer's first question: returns the bot.
fn answering(ctx: &mut Recorded) -> Bot {
    let mut b = bot();
    turn(&mut b, ctx, 1, Intent::Continue);
    let (reply_ms, ready) = ctx.pop_bot_timer().expect("the reply timer");
    assert_eq!(reply_ms, 2_000);
    b.handle(ready, ctx);
    assert_eq!(
        calls(ctx),
        [ApiCall::CreateMessage { chars: 80 }],
        "BOT-7: a text message"
    );
    b
}

#[test]
fn bot_8_a_reply_refused_by_a_closed_conversation_ends_the_session() {
    let mut ctx = Recorded::default();
    let mut b = answering(&mut ctx);
    b.handle(
        result(
            ApiCall::CreateMessage { chars: 80 },
            Err(ApiErrorKind::Closed),
        ),
        &mut ctx,
    );
    assert_eq!(
        b.sessions(),
        0,
        "the bot stays out of a closed conversation"
    );
    assert!(ctx.scheduled.is_empty(), "no inactivity timer for it");
    // A delivered reply keeps the session and starts the inactivity clock (WIN-3: 12 h).
    let mut ctx = Recorded::default();
    let mut b = answering(&mut ctx);
    b.handle(
        result(ApiCall::CreateMessage { chars: 80 }, Ok(ApiAnswer::Done)),
        &mut ctx,
    );
    assert_eq!(b.sessions(), 1);
    let (after_ms, timer) = ctx.pop_bot_timer().expect("an inactivity timer");
    assert_eq!(after_ms, 12 * 3_600_000);
    assert!(matches!(timer, BotMsg::Inactive { .. }));
}

#[test]
fn bot_3_each_handoff_step_waits_for_the_one_before_and_a_refusal_stops_it() {
    let mut ctx = Recorded::default();
    let mut b = bot();
    turn(&mut b, &mut ctx, 1, Intent::WantsHuman);
    let reason = HandoffReason::Customer;
    let steps = [
        ApiCall::Unassign,
        ApiCall::AddTag,
        ApiCall::AddNote { reason },
        ApiCall::Route,
    ];
    for (k, step) in steps.iter().enumerate() {
        assert_eq!(calls(&mut ctx), [*step], "step {k}");
        b.handle(result(*step, Ok(ApiAnswer::Done)), &mut ctx);
    }
    assert!(calls(&mut ctx).is_empty(), "routed: the handoff is done");
    assert_eq!(b.sessions(), 0);
    // The tag refused (closed meanwhile, BOT-8): no note, no route.
    let mut ctx = Recorded::default();
    let mut b = bot();
    turn(&mut b, &mut ctx, 1, Intent::WantsHuman);
    assert_eq!(calls(&mut ctx), [ApiCall::Unassign]);
    b.handle(result(ApiCall::Unassign, Ok(ApiAnswer::Done)), &mut ctx);
    assert_eq!(calls(&mut ctx), [ApiCall::AddTag]);
    let closed = Err(ApiErrorKind::Closed);
    b.handle(result(ApiCall::AddTag, closed), &mut ctx);
    assert!(calls(&mut ctx).is_empty());
}

#[test]
fn bot_4_a_resolve_closes_only_a_conversation_still_the_bots() {
    let resolved = |owned: bool| {
        let mut ctx = Recorded::default();
        let mut b = bot();
        turn(&mut b, &mut ctx, 1, Intent::Satisfied);
        assert_eq!(calls(&mut ctx), [ApiCall::GetConversation]);
        let answer = ApiAnswer::Conversation {
            assigned_to_caller: owned,
        };
        b.handle(result(ApiCall::GetConversation, Ok(answer)), &mut ctx);
        if owned {
            assert_eq!(calls(&mut ctx), [ApiCall::Close]);
            b.handle(result(ApiCall::Close, Ok(ApiAnswer::Done)), &mut ctx);
        }
        let told: Vec<Msg> = ctx.take_sent();
        assert_eq!(b.sessions(), 0);
        told
    };
    let closed = |closed| {
        Msg::Platform(PlatformMsg::BotResolved {
            conv: CONV,
            auto: false,
            closed,
        })
    };
    assert_eq!(resolved(true), [closed(true)]);
    assert_eq!(resolved(false), [closed(false)], "a human owns it now");
}

#[test]
fn bot_5_a_repeated_delivery_changes_nothing() {
    let mut ctx = Recorded::default();
    let mut b = answering(&mut ctx);
    let again = BotMsg::WebhookDelivery {
        conv: CONV,
        message: 1,
        intent: Intent::Continue,
        sent_ms: 0,
        segment: SegmentIx(0),
        kind: crate::model::bot::whatsapp::InboundKind::Text,
    };
    b.handle(again, &mut ctx);
    assert!(ctx.scheduled.is_empty() && calls(&mut ctx).is_empty());
}
