//! Unit tests of the queue actor: line order, fates, waiting strategies.
use crate::actors::{AgentMsg, CustomerMsg, PlatformMsg, QueueMsg};

use super::*;
use crate::actors::AssignedBy;
use crate::actors::ONE_TIME;
use crate::actors::WorkItem;
use crate::actors::testing::Recorded;
use crate::model::ids::{AgentIx, SegmentIx};
use crate::model::priority::Priority;

const CAT: ChannelCategory = ChannelCategory::LiveMessaging;

fn conv(slot: u32) -> ConvId {
    ConvId {
        slot,
        generation: 1,
    }
}

fn spec() -> Arc<CentreSpec> {
    Arc::new(crate::model::centre::testing::centre(1, &[], 60, 30, 0))
}

/// The next scheduled strategy step: (due at, message).
fn next_due(ctx: &mut Recorded, now: u64) -> Option<(u64, QueueMsg)> {
    ctx.scheduled
        .drain(..)
        .rev()
        .find_map(|(delay, m)| match m {
            Msg::Queue(QueueIx(0), due @ QueueMsg::StrategyDue { .. }) => Some((now + delay, due)),
            _ => None,
        })
}

/// Runs a waiting conversation (entered at 7 min) through its strategy until it has
/// nothing more to do; returns every step with the time the queue took it.
fn run_strategy(strategy: WaitingStrategy) -> (Vec<(u64, StrategyStep)>, Recorded) {
    let mut centre = crate::model::centre::testing::centre(1, &[], 600, 30, 0);
    centre.segments[0].waiting_strategy = Some(strategy);
    let mut q = Queue::new(QueueIx(0), Arc::new(centre));
    let mut ctx = Recorded::default();
    let entered = 7 * 60_000;
    enqueue(&mut q, &mut ctx, 1, Priority::Normal, entered);
    // Nobody can take it: the platform says so, and the strategy starts (WS-1).
    let key = LineKey::new(Priority::Normal, entered, 1);
    q.handle(QueueMsg::Unserved { conv: conv(1), key }, &mut ctx);
    // Each step, with the time at which the queue recorded it.
    let mut timed = Vec::new();
    let mut seen = 0;
    let mut collect = |ctx: &Recorded, now: u64, seen: &mut usize| {
        for m in &ctx.metrics[*seen..] {
            if let Metric::StrategyStep { step, .. } = m {
                timed.push((now, *step));
            }
        }
        *seen = ctx.metrics.len();
    };
    collect(&ctx, entered, &mut seen);
    let mut now = entered;
    while let Some((at, msg)) = next_due(&mut ctx, now) {
        now = at;
        ctx.now_ms = at;
        q.handle(msg, &mut ctx);
        collect(&ctx, now, &mut seen);
    }
    (timed, ctx)
}

#[test]
fn ws_4_the_maximum_wait_closes_an_unassigned_conversation_at_exactly_its_limit() {
    let (steps, ctx) = run_strategy(WaitingStrategy {
        kind: StrategyKind::Messaging,
        welcome: true,
        announcements: Some(crate::model::waiting_strategy::Announcements {
            interval_ms: 10 * 60_000,
            max_count: None,
            position_in_queue: false,
        }),
        max_wait_ms: Some(25 * 60_000),
    });
    // Welcome at 0, announcements at 10 and 20 min, closed at exactly 25 min.
    let min = |m: u64| (7 + m) * 60_000;
    assert_eq!(
        steps,
        vec![
            (min(0), StrategyStep::Welcome),
            (min(10), StrategyStep::Announcement { n: 1 }),
            (min(20), StrategyStep::Announcement { n: 2 }),
            (min(25), StrategyStep::MaxWait),
        ]
    );
    assert!(ctx.metrics.contains(&Metric::ClosedByStrategy {
        conv: conv(1),
        queue: 0,
        arrived_ms: 7 * 60_000,
        wait_ms: 25 * 60_000,
    }));
    assert!(
        ctx.sent
            .contains(&Msg::Customers(CustomerMsg::Left { conv: conv(1) }))
    );
}

#[test]
fn ws_5_announcements_stop_at_one_hour_and_the_conversation_stays() {
    let (steps, ctx) = run_strategy(WaitingStrategy {
        kind: StrategyKind::Messaging,
        welcome: false,
        announcements: Some(crate::model::waiting_strategy::Announcements {
            interval_ms: 25 * 60_000,
            max_count: None,
            position_in_queue: false,
        }),
        max_wait_ms: None,
    });
    // 25 and 50 min, then silence at 60 — and nothing after.
    let kinds: Vec<StrategyStep> = steps.iter().map(|s| s.1).collect();
    assert_eq!(
        kinds,
        vec![
            StrategyStep::Announcement { n: 1 },
            StrategyStep::Announcement { n: 2 },
            StrategyStep::Silent
        ]
    );
    assert_eq!(steps[2].0, 7 * 60_000 + 3_600_000);
    assert!(
        !ctx.metrics
            .iter()
            .any(|m| matches!(m, Metric::ClosedByStrategy { .. }))
    );
}

fn enqueue(
    q: &mut Queue,
    ctx: &mut Recorded,
    slot: u32,
    priority: Priority,
    at_ms: u64,
) -> LineKey {
    ctx.now_ms = at_ms;
    let key = LineKey::new(priority, at_ms, u64::from(slot));
    q.handle(
        QueueMsg::Enqueue {
            item: WorkItem {
                conv: conv(slot),
                key,
                segment: SegmentIx(0),
                category: CAT,
                history: History::new(ONE_TIME),
            },
            in_hours: true,
        },
        ctx,
    );
    key
}

fn left_lines(sent: &[Msg]) -> Vec<ConvId> {
    sent.iter()
        .filter_map(|m| match m {
            Msg::Platform(PlatformMsg::LeftLine { conv, .. }) => Some(*conv),
            _ => None,
        })
        .collect()
}

#[test]
fn rt_5_the_line_keeps_priority_then_age_and_tells_assignment_what_left() {
    let mut q = Queue::new(QueueIx(0), spec());
    let mut ctx = Recorded::default();
    let normal_old = enqueue(&mut q, &mut ctx, 1, Priority::Normal, 0);
    enqueue(&mut q, &mut ctx, 2, Priority::Normal, 10);
    let urgent = enqueue(&mut q, &mut ctx, 3, Priority::Urgent, 20);
    // The line is in (priority, age) order; the platform decides who gets what.
    let order: Vec<ConvId> = q.waiting().map(|(_, c, ..)| c).collect();
    assert_eq!(order, vec![conv(3), conv(1), conv(2)]);
    assert!(
        ctx.take_sent().is_empty(),
        "entering says nothing to the platform"
    );

    ctx.now_ms = 30;
    q.handle(
        QueueMsg::Offer {
            agent: AgentIx(1),
            by: AssignedBy::Weighted,
            conv: conv(3),
            key: urgent,
            category: CAT,
        },
        &mut ctx,
    );
    let sent = ctx.take_sent();
    assert!(sent.contains(&Msg::Agent(
        AgentIx(1),
        AgentMsg::Serve {
            item: WorkItem {
                conv: conv(3),
                key: urgent,
                segment: SegmentIx(0),
                category: CAT,
                history: History::new(ONE_TIME),
            },
            queue: QueueIx(0),
            assigned: true,
        }
    )));
    assert!(sent.contains(&Msg::Customers(CustomerMsg::Answered {
        conv: conv(3),
        agent: AgentIx(1),
        queue: QueueIx(0)
    })));
    assert!(
        left_lines(&sent).is_empty(),
        "an answered conversation did not leave"
    );
    assert!(ctx.metrics.contains(&Metric::Answered {
        queue: 0,
        segment: 0,
        agent: 1,
        by: AssignedBy::Weighted,
        arrived_ms: 20,
        wait_ms: 10
    }));

    // One abandons: assignment is told it left.
    ctx.now_ms = 40;
    q.handle(
        QueueMsg::Abandon {
            conv: conv(1),
            key: normal_old,
        },
        &mut ctx,
    );
    let sent = ctx.take_sent();
    assert_eq!(left_lines(&sent), vec![conv(1)]);
    assert!(sent.contains(&Msg::Customers(CustomerMsg::Left { conv: conv(1) })));
    assert!(ctx.metrics.contains(&Metric::Abandoned {
        conv: conv(1),
        queue: 0,
        segment: 0,
        arrived_ms: 0,
        wait_ms: 40
    }));
    assert_eq!(q.len(), 1);
}

#[test]
fn an_offer_for_a_conversation_that_left_is_declined_and_counted_once() {
    let mut q = Queue::new(QueueIx(0), spec());
    let mut ctx = Recorded::default();
    let key = enqueue(&mut q, &mut ctx, 1, Priority::Normal, 0);
    ctx.now_ms = 50;
    q.handle(QueueMsg::Abandon { conv: conv(1), key }, &mut ctx);
    ctx.take_sent();
    // The platform's offer crossed the abandonment at the same instant.
    q.handle(
        QueueMsg::Offer {
            agent: AgentIx(0),
            by: AssignedBy::Weighted,
            conv: conv(1),
            key,
            category: CAT,
        },
        &mut ctx,
    );
    assert_eq!(
        ctx.take_sent(),
        vec![Msg::Platform(PlatformMsg::Declined {
            agent: AgentIx(0),
            queue: QueueIx(0),
            conv: conv(1),
            category: CAT
        })]
    );
    // A late abandonment of an answered conversation is ignored.
    q.handle(QueueMsg::Abandon { conv: conv(1), key }, &mut ctx);
    assert!(ctx.take_sent().is_empty());
    let outcomes = ctx
        .metrics
        .iter()
        .filter(|m| matches!(m, Metric::Answered { .. } | Metric::Abandoned { .. }))
        .count();
    assert_eq!(outcomes, 1);
}
