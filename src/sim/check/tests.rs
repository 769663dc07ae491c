//! Each check of the invariant checker fails on a planted bug: metrics a broken platform would
//! emit.

use super::*;
use crate::model::calendar::{WeeklyPattern, WeeklySpan};
use crate::model::centre::testing::centre;
use crate::model::channel::ChannelCategory;
use crate::model::waiting_strategy::{StrategyKind, StrategyStep, WaitingStrategy};
use crate::model::working_hours::WorkingHours;
use jiff::civil::Weekday;

const MIN: u64 = 60_000;
const CONV: ConvId = ConvId {
    slot: 0,
    generation: 1,
};

/// Two queues; agent 0 in queue 0 only, agent 1 in both; queue 0 open Mondays 08:00–16:00
/// (the run starts Monday 00:00); queue 0's sender has a strategy with a 20-minute maximum
/// wait and announcements every 5 minutes, at most 2.
fn checker() -> InvariantChecker {
    let mut spec = centre(2, &[(&[0], 3), (&[0, 1], 3)], 24 * 60, 30, 0);
    spec.queues[0].hours.calendar = WorkingHours {
        dated: None,
        weekly: WeeklyPattern {
            spans: vec![WeeklySpan {
                weekday: Weekday::Monday,
                start: "08:00".parse().unwrap(),
                length_min: 8 * 60,
            }],
        },
        holidays: Vec::new(),
        zone: None,
    };
    spec.segments[0].waiting_strategy = Some(WaitingStrategy {
        kind: StrategyKind::Messaging,
        welcome: true,
        announcements: Some(crate::model::waiting_strategy::Announcements {
            interval_ms: 5 * MIN,
            max_count: Some(2),
            position_in_queue: false,
        }),
        max_wait_ms: Some(20 * MIN),
    });
    InvariantChecker::new(Arc::new(spec))
}

fn started(at_ms: u64) -> Metric {
    Metric::StrategyStarted {
        conv: CONV,
        queue: 0,
        entered_ms: at_ms,
        segment: 0,
    }
}

fn step(step: StrategyStep) -> Metric {
    Metric::StrategyStep {
        conv: CONV,
        queue: 0,
        step,
        position: None,
    }
}

fn problems(c: &mut InvariantChecker) -> Vec<String> {
    std::mem::take(&mut c.problems)
}

#[test]
fn wh_4_a_strategy_started_outside_hours_is_caught() {
    let mut c = checker();
    c.observe(3 * 60 * MIN, &started(3 * 60 * MIN));
    assert!(problems(&mut c)[0].contains("WH-4"));
    c.observe(9 * 60 * MIN, &started(9 * 60 * MIN));
    assert!(problems(&mut c).is_empty());
    // Started later than the conversation entered.
    c.observe(9 * 60 * MIN + 5, &started(9 * 60 * MIN));
    assert!(problems(&mut c)[0].contains("WS-1"));
}

#[test]
fn ws_steps_out_of_place_are_caught() {
    let t0 = 9 * 60 * MIN;
    let mut c = checker();
    c.observe(t0, &started(t0));
    c.observe(t0, &step(StrategyStep::Welcome));
    c.observe(t0 + 5 * MIN, &step(StrategyStep::Announcement { n: 1 }));
    c.observe(t0 + 10 * MIN, &step(StrategyStep::Announcement { n: 2 }));
    assert!(problems(&mut c).is_empty());
    // WS-3: a third announcement past the count.
    c.observe(t0 + 15 * MIN, &step(StrategyStep::Announcement { n: 3 }));
    assert!(problems(&mut c)[0].contains("WS-3"));
    // WS-4: the maximum wait at the wrong time.
    c.observe(t0 + 21 * MIN, &step(StrategyStep::MaxWait));
    assert!(problems(&mut c)[0].contains("WS-4"));
    // WS-5: anything after the assignment.
    c.observe(
        t0 + 22 * MIN,
        &Metric::Assigned {
            conv: CONV,
            customer: ONE_TIME_CUSTOMER,
            queue: 0,
            agent: 0,
            by: AssignedBy::Weighted,
            category: ChannelCategory::LiveMessaging,
        },
    );
    problems(&mut c); // (agent 0 was never set Available)
    c.observe(t0 + 25 * MIN, &step(StrategyStep::Announcement { n: 3 }));
    assert!(problems(&mut c)[0].contains("WS-5"));
}

/// A checker whose segment 0 is a WhatsApp thread.
fn thread_checker() -> InvariantChecker {
    let mut spec = centre(2, &[(&[0], 3), (&[0, 1], 3)], 24 * 60, 30, 0);
    spec.segments[0].behaviour = Some(crate::model::conversation::CustomerBehaviour {
        exchanges: crate::model::conversation::CountDist::Constant { value: 2 },
        think: crate::model::distribution::DurationDist::Constant { ms: 1000 },
        burst_messages: crate::model::conversation::CountDist::Constant { value: 1 },
        silent_share: 0.0,
        come_back: None,
    });
    InvariantChecker::new(Arc::new(spec))
}

const NO_DRAW: crate::model::centre::AttrDraw =
    [crate::model::centre::NO_VALUE; crate::model::centre::MAX_SEGMENT_ATTRIBUTES];

fn routed() -> Metric {
    Metric::Routed {
        conv: CONV,
        segment: 0,
        draw: NO_DRAW,
        handoff_tagged: false,
        via: crate::actors::RoutedVia::Direct,
        queue: 0,
        arrived_ms: 0,
    }
}

fn reply(template: bool) -> Metric {
    Metric::AgentReply {
        conv: CONV,
        agent: 0,
        queue: 0,
        first: true,
        latency_ms: 0,
        template,
    }
}

#[test]
fn win_1_a_free_form_reply_outside_the_window_is_caught() {
    let h = 3_600_000;
    let mut c = thread_checker();
    c.observe(0, &routed());
    c.observe(23 * h, &reply(false));
    assert!(problems(&mut c).is_empty());
    c.observe(25 * h, &reply(false));
    assert!(problems(&mut c)[0].contains("WIN-1"));
    // A template where the window is open is wrong too.
    c.observe(
        26 * h,
        &Metric::CustomerMessages {
            conv: CONV,
            queue: 0,
            messages: 1,
        },
    );
    c.observe(27 * h, &reply(true));
    assert!(problems(&mut c)[0].contains("WIN-1"));
    c.observe(27 * h + 1, &reply(false));
    assert!(problems(&mut c).is_empty());
}

#[test]
fn bot_8_a_message_into_a_closed_conversation_is_caught() {
    let mut c = thread_checker();
    c.observe(0, &routed());
    c.observe(1, &reply(false));
    c.observe(
        2,
        &Metric::ConversationStatus {
            conv: CONV,
            agent: 0,
            queue: 0,
            from: crate::model::status::ConversationStatus::Solved,
            to: crate::model::status::ConversationStatus::Closed,
        },
    );
    assert!(problems(&mut c).is_empty());
    c.observe(3, &reply(false));
    assert!(problems(&mut c)[0].contains("closed conversation"));
}

#[test]
fn aa_11_keeping_a_conversation_outside_the_new_queue_is_caught() {
    let mut c = checker();
    let moved = |agent, kept| Metric::Transferred {
        conv: CONV,
        agent,
        from: 0,
        to: 1,
        kept,
    };
    c.observe(0, &moved(1, true));
    c.observe(0, &moved(0, false));
    assert!(problems(&mut c).is_empty());
    c.observe(0, &moved(0, true));
    c.observe(0, &moved(1, false));
    let p = problems(&mut c);
    assert_eq!(p.len(), 2);
    assert!(p.iter().all(|m| m.contains("AA-11")));
}

/// Agent 0 holds `in_category` live-messaging conversations (`assigned`: by automatic
/// assignment).
fn busy(in_category: u32, assigned: bool) -> Metric {
    Metric::AgentBusy {
        agent: 0,
        busy_slots: in_category,
        category: ChannelCategory::LiveMessaging,
        in_category,
        assigned,
    }
}

#[test]
fn cap_1_an_assignment_past_capacity_is_caught_a_reopen_only_when_everything_counts() {
    let mut c = checker();
    c.observe(0, &busy(4, true));
    assert!(problems(&mut c)[0].contains("CAP-1"));
    // Every status counts by default: nothing may take an agent past its capacity.
    c.observe(0, &busy(4, false));
    assert!(problems(&mut c)[0].contains("CAP-1"));
    // With Solved not counting, a reopened conversation may (CAP-4) …
    let mut spec = (*c.spec).clone();
    spec.status_policy.counted.solved = false;
    let spec = Arc::new(spec);
    let mut c = InvariantChecker::new(Arc::clone(&spec));
    c.observe(0, &busy(2, true));
    c.observe(0, &busy(3, false)); // reopened: at capacity
    // … and so may the assignment that had reserved the slot before the reopening.
    c.observe(0, &busy(4, true));
    assert!(problems(&mut c).is_empty());
    // The excess may stay into later instants, but once a slot is free there, an assignment
    // past capacity is a bug.
    c.observe(10, &busy(3, false));
    c.observe(10, &busy(4, true));
    assert!(problems(&mut c)[0].contains("CAP-1"));
    c.observe(20, &busy(2, false));
    c.observe(20, &busy(3, true));
    c.observe(20, &busy(4, true));
    assert!(problems(&mut c)[0].contains("CAP-1"));

    // Swarm seed 547: at full capacity (3), the agent frees three slots by replying and two
    // customers write into their Waiting conversations, then a reply frees one more; the
    // platform saw the three frees first and filled them, then the reopens. Both orders are
    // the same events of one instant: four assignments may land.
    let mut c = InvariantChecker::new(spec);
    c.observe(0, &busy(3, true));
    for (held, assigned) in [(2, false), (1, false), (0, false), (1, false), (2, false)] {
        c.observe(5, &busy(held, assigned));
    }
    c.observe(5, &busy(1, false));
    for held in 2..=5 {
        c.observe(5, &busy(held, true));
    }
    assert!(problems(&mut c).is_empty());
    // A sixth would be one past what the platform could have seen free.
    c.observe(5, &busy(6, true));
    assert!(problems(&mut c)[0].contains("CAP-1"));
}

#[test]
fn bot_2_an_answer_after_the_handoff_is_caught() {
    let mut c = checker();
    c.observe(
        0,
        &Metric::BotConversation {
            conv: CONV,
            segment: 0,
            draw: NO_DRAW,
            arrived_ms: 0,
        },
    );
    c.observe(
        5,
        &Metric::BotReplied {
            conv: CONV,
            latency_ms: 5,
        },
    );
    let handoff = Metric::BotHandoff {
        conv: CONV,
        reason: crate::model::bot::HandoffReason::Customer,
    };
    c.observe(9, &handoff);
    assert!(problems(&mut c).is_empty());
    c.observe(
        12,
        &Metric::BotReplied {
            conv: CONV,
            latency_ms: 3,
        },
    );
    assert!(problems(&mut c)[0].contains("BOT-2"));
    c.observe(13, &handoff);
    assert!(problems(&mut c)[0].contains("ended twice"));
}

#[test]
fn bot_1_an_answer_without_the_webhook_is_caught() {
    let mut c = checker();
    c.observe(
        0,
        &Metric::BotConversation {
            conv: CONV,
            segment: 0,
            draw: NO_DRAW,
            arrived_ms: 0,
        },
    );
    c.observe(0, &Metric::BotSilent { conv: CONV });
    c.observe(
        5,
        &Metric::BotReplied {
            conv: CONV,
            latency_ms: 5,
        },
    );
    assert!(problems(&mut c)[0].contains("BOT-1"));
}

#[test]
fn bot_3_a_direct_assignment_may_pass_capacity_and_aa_9_but_not_a_break() {
    // 004: the bot's integration names the agent; capacity and AA-9 rule automatic assignment.
    let assigned = |agent, by| Metric::Assigned {
        conv: CONV,
        customer: ONE_TIME_CUSTOMER,
        queue: 0,
        agent,
        by,
        category: ChannelCategory::LiveMessaging,
    };
    let available = Metric::AgentStatus {
        agent: 0,
        status: DefaultStatus::Available,
    };
    let full = Metric::AgentStatus {
        agent: 0,
        status: DefaultStatus::FullCapacity,
    };
    let had_it = Metric::Unassigned {
        by_workflow: true,
        conv: CONV,
        agent: 0,
        queue: 0,
    };
    // Agent 0 (capacity 3) is full and had the conversation before.
    let mut c = checker();
    let nine_am = 9 * 60 * MIN;
    c.observe(nine_am, &available);
    c.observe(nine_am, &busy(3, true));
    c.observe(nine_am, &full);
    c.observe(nine_am, &had_it);
    problems(&mut c);
    c.observe(nine_am + 1, &assigned(0, AssignedBy::Direct));
    c.observe(nine_am + 1, &busy(4, false));
    assert!(problems(&mut c).is_empty());
    // Automatic assignment there breaks three rules.
    c.observe(nine_am + 2, &assigned(0, AssignedBy::Weighted));
    c.observe(nine_am + 2, &busy(5, true));
    let found = problems(&mut c).join("\n");
    assert!(found.contains("AA-9") && found.contains("AA-5") && found.contains("CAP-1"));
    // A direct assignment to an agent on a break is caught.
    c.observe(
        nine_am + 3,
        &Metric::AgentStatus {
            agent: 0,
            status: DefaultStatus::Away,
        },
    );
    c.observe(nine_am + 3, &assigned(0, AssignedBy::Direct));
    assert!(problems(&mut c)[0].contains("004"));
}
