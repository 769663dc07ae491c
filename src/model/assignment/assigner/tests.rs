//! The assignment service, event by event.

use super::*;
use crate::model::assignment::ONE_TIME_CUSTOMER;
use crate::model::priority::Priority;

const WA: ChannelCategory = ChannelCategory::LiveMessaging;
const CHAT: ChannelCategory = ChannelCategory::LiveChat;
const VOICE: ChannelCategory = ChannelCategory::VoiceVideo;

/// Agents with `(queues, capacity per category)`; every queue has `mode`.
fn service(
    agents: &[(&[u32], [u32; 4])],
    queues: usize,
    mode: Option<AssignmentMode>,
) -> Assigner<u32> {
    let setup: Vec<AgentSetup> = agents
        .iter()
        .map(|(qs, capacity)| AgentSetup {
            capacity: *capacity,
            serves: capacity.map(|c| c > 0),
            queues: qs.to_vec(),
        })
        .collect();
    Assigner::new(&setup, &vec![mode; queues], CountedStatuses::default())
}

fn cap(category: ChannelCategory, n: u32) -> [u32; 4] {
    let mut c = [0; 4];
    c[category.index()] = n;
    c
}

fn waiting(conv: u32, category: ChannelCategory) -> Waiting<u32> {
    Waiting {
        conv,
        category,
        history: History::new(ONE_TIME_CUSTOMER | u64::from(conv)),
        status: ConversationStatus::Open,
    }
}

fn key(conv: u32, priority: Priority, created_ms: u64) -> LineKey {
    LineKey::new(priority, created_ms, u64::from(conv))
}

fn offered(out: &mut Decisions<u32>) -> Vec<(u32, u32)> {
    let got = out.offers().map(|o| (o.agent, o.conv)).collect();
    out.list.retain(|d| !matches!(d, Decision::Offer(_)));
    got
}

fn take_offers(out: &mut Decisions<u32>) -> Vec<Offer<u32>> {
    let got = out.offers().collect();
    out.list.clear();
    got
}

const ANY: Option<AssignmentMode> = Some(AssignmentMode::AnyAvailable);

#[test]
fn aa_10_cap_2_a_waiting_call_does_not_block_a_whatsapp_conversation() {
    // Departure 1 of issue 13: one agent (1 call, 3 WhatsApp), a call in progress, a second
    // call waiting; the WhatsApp conversation behind it goes to the agent at once.
    let mut caps = cap(VOICE, 1);
    caps[WA.index()] = 3;
    let mut s = service(&[(&[0], caps)], 1, ANY);
    let mut out = Decisions::default();
    s.agent_status(0, DefaultStatus::Available, 0, &mut out);
    s.conversation_waits(
        0,
        key(1, Priority::Normal, 0),
        waiting(1, VOICE),
        0,
        &mut out,
    );
    assert_eq!(offered(&mut out), vec![(0, 1)]);
    s.conversation_waits(
        0,
        key(2, Priority::Normal, 5),
        waiting(2, VOICE),
        5,
        &mut out,
    );
    assert_eq!(offered(&mut out), vec![]);
    assert!(
        out.list
            .contains(&Decision::Unserved(0, 2, key(2, Priority::Normal, 5)))
    );
    s.conversation_waits(
        0,
        key(3, Priority::Normal, 15),
        waiting(3, WA),
        15,
        &mut out,
    );
    assert_eq!(offered(&mut out), vec![(0, 3)]);
    // The call ends: the waiting call goes to the agent.
    s.slot_freed(0, VOICE, 100, &mut out);
    assert_eq!(offered(&mut out), vec![(0, 2)]);
}

#[test]
fn aa_9_a_conversation_excluding_the_only_agent_does_not_block_the_next() {
    // Departure 2: the first in line had agent 0 before; the one behind it gets agent 0.
    let mut s = service(&[(&[0], cap(WA, 3))], 1, ANY);
    let mut out = Decisions::default();
    let had = Waiting {
        history: History::new(7).with(0),
        ..waiting(1, WA)
    };
    s.conversation_waits(0, key(1, Priority::Normal, 0), had, 0, &mut out);
    s.conversation_waits(0, key(2, Priority::Normal, 1), waiting(2, WA), 1, &mut out);
    assert_eq!(offered(&mut out), vec![]);
    s.agent_status(0, DefaultStatus::Available, 10, &mut out);
    assert_eq!(offered(&mut out), vec![(0, 2)]);
    // It stays, for another agent.
    assert_eq!(s.waiting(0).len(), 1);
}

#[test]
fn aa_12_a_conversation_that_does_not_occupy_agents_waits_until_it_does() {
    let lean = CountedStatuses {
        waiting: false,
        solved: true,
    };
    let setup = [AgentSetup {
        capacity: cap(WA, 3),
        serves: [false, true, false, false],
        queues: vec![0],
    }];
    let mut s: Assigner<u32> = Assigner::new(&setup, &[ANY], lean);
    let mut out = Decisions::default();
    s.agent_status(0, DefaultStatus::Available, 0, &mut out);
    let parked = Waiting {
        status: ConversationStatus::Waiting,
        ..waiting(1, WA)
    };
    let k = key(1, Priority::Normal, 0);
    s.conversation_waits(0, k, parked, 5, &mut out);
    assert_eq!(offered(&mut out), vec![]);
    // A freed slot does not take it either.
    s.slot_taken(0, WA, &mut out);
    s.slot_freed(0, WA, 6, &mut out);
    assert_eq!(offered(&mut out), vec![]);
    // The customer writes: Open again, and it is assigned (AA-4).
    s.conversation_status(0, k, 1, ConversationStatus::Open, 9, &mut out);
    assert_eq!(offered(&mut out), vec![(0, 1)]);
}

#[test]
fn aa_10_a_freed_agent_takes_every_conversation_it_may_have_best_first() {
    // Two queues; agent 0 serves both with 3 WhatsApp slots and 1 voice slot.
    let mut caps = cap(WA, 3);
    caps[VOICE.index()] = 1;
    let mut s = service(&[(&[0, 1], caps)], 2, ANY);
    let mut out = Decisions::default();
    s.conversation_waits(
        0,
        key(1, Priority::Normal, 10),
        waiting(1, WA),
        10,
        &mut out,
    );
    s.conversation_waits(1, key(2, Priority::High, 50), waiting(2, WA), 50, &mut out);
    s.conversation_waits(
        0,
        key(3, Priority::Normal, 5),
        waiting(3, VOICE),
        50,
        &mut out,
    );
    s.conversation_waits(
        0,
        key(4, Priority::Normal, 6),
        waiting(4, VOICE),
        50,
        &mut out,
    );
    s.conversation_waits(
        1,
        key(5, Priority::Urgent, 90),
        waiting(5, WA),
        90,
        &mut out,
    );
    s.conversation_waits(
        0,
        key(6, Priority::Normal, 95),
        waiting(6, WA),
        95,
        &mut out,
    );
    assert_eq!(offered(&mut out), vec![]);
    s.agent_status(0, DefaultStatus::Available, 100, &mut out);
    // URGENT, HIGH, then the oldest NORMAL ones: the 5 s call before the 10 s WhatsApp; the
    // second call finds the voice slot taken; the third WhatsApp conversation makes 3/3 and
    // Full Capacity (ST-2), so the last one waits.
    assert_eq!(offered(&mut out), vec![(0, 5), (0, 2), (0, 3), (0, 1)]);
    assert_eq!(s.shown_status(0), DefaultStatus::FullCapacity);
    assert_eq!(
        out.list.last(),
        Some(&Decision::Status(0, DefaultStatus::FullCapacity)),
        "Full Capacity follows the offer that filled the agent"
    );
}

#[test]
fn st_2_bulk_stops_when_the_summed_occupancy_reaches_90() {
    // 5 WhatsApp and 5 chat slots: 4/5 + 1/5 = 100 % after five conversations.
    let mut caps = cap(WA, 5);
    caps[CHAT.index()] = 5;
    let mut s = service(&[(&[0], caps)], 1, ANY);
    let mut out = Decisions::default();
    for c in 0..6 {
        let cat = if c == 1 { CHAT } else { WA };
        s.conversation_waits(
            0,
            key(c, Priority::Normal, u64::from(c)),
            waiting(c, cat),
            9,
            &mut out,
        );
    }
    s.agent_status(0, DefaultStatus::Available, 10, &mut out);
    assert_eq!(offered(&mut out).len(), 5);
    assert_eq!(s.shown_status(0), DefaultStatus::FullCapacity);
}

#[test]
fn wh_4_aa_10_an_opening_queue_assigns_past_conversations_nobody_may_take() {
    let mut s = service(&[(&[0], cap(WA, 2)), (&[0], cap(CHAT, 1))], 1, ANY);
    let mut out = Decisions::default();
    s.queue_hours(0, false, 0, &mut out);
    s.agent_status(0, DefaultStatus::Available, 0, &mut out);
    s.agent_status(1, DefaultStatus::Available, 0, &mut out);
    let excluded_both = Waiting {
        history: History::new(1).with(0).with(1),
        ..waiting(1, WA)
    };
    s.conversation_waits(0, key(1, Priority::Normal, 1), excluded_both, 1, &mut out);
    s.conversation_waits(0, key(2, Priority::Normal, 2), waiting(2, WA), 2, &mut out);
    s.conversation_waits(
        0,
        key(3, Priority::Normal, 3),
        waiting(3, CHAT),
        3,
        &mut out,
    );
    s.conversation_waits(0, key(4, Priority::Normal, 4), waiting(4, WA), 4, &mut out);
    s.conversation_waits(0, key(5, Priority::Normal, 5), waiting(5, WA), 5, &mut out);
    assert_eq!(offered(&mut out), vec![], "closed: nothing is assigned");
    s.queue_hours(0, true, 100, &mut out);
    let offers = take_offers(&mut out);
    let got: Vec<_> = offers.iter().map(|o| (o.agent, o.conv, o.by)).collect();
    assert_eq!(
        got,
        vec![
            (0, 2, AssignedBy::Bulk),
            (1, 3, AssignedBy::Bulk),
            (0, 4, AssignedBy::Bulk)
        ]
    );
    assert_eq!(
        s.waiting(0).len(),
        2,
        "the excluded one and the one past capacity wait"
    );
}

#[test]
fn aa_7_a_new_conversation_goes_to_the_longest_unserved_of_equal_workload() {
    let mut s = service(&[(&[0], cap(WA, 2)), (&[0], cap(WA, 2))], 1, ANY);
    let mut out = Decisions::default();
    s.agent_status(0, DefaultStatus::Available, 0, &mut out);
    s.agent_status(1, DefaultStatus::Available, 0, &mut out);
    s.conversation_waits(
        0,
        key(1, Priority::Normal, 100),
        waiting(1, WA),
        100,
        &mut out,
    );
    assert_eq!(
        offered(&mut out),
        vec![(0, 1)],
        "a tie goes to the lower id"
    );
    s.conversation_waits(
        0,
        key(2, Priority::Normal, 200),
        waiting(2, WA),
        200,
        &mut out,
    );
    assert_eq!(offered(&mut out), vec![(1, 2)]);
}

#[test]
fn aa_2_sticky_returning_customer_gets_its_last_agent() {
    let sticky = Some(AssignmentMode::Sticky {
        look_back: super::super::rules::LookBack::Days30,
    });
    let mut s = service(&[(&[0], cap(WA, 3)), (&[0], cap(WA, 3))], 1, sticky);
    let mut out = Decisions::default();
    s.agent_status(0, DefaultStatus::Available, 0, &mut out);
    s.agent_status(1, DefaultStatus::Available, 0, &mut out);
    let returning = |conv| Waiting {
        history: History::new(42),
        ..waiting(conv, WA)
    };
    s.conversation_waits(0, key(1, Priority::Normal, 0), returning(1), 0, &mut out);
    s.conversation_waits(0, key(2, Priority::Normal, 0), waiting(2, WA), 0, &mut out);
    assert_eq!(offered(&mut out), vec![(0, 1), (1, 2)]);
    s.conversation_waits(0, key(3, Priority::Normal, 9), returning(3), 9, &mut out);
    let offers = take_offers(&mut out);
    assert_eq!((offers[0].agent, offers[0].by), (0, AssignedBy::Sticky));
}

#[test]
fn aa_9_past_four_agents_every_one_stays_excluded() {
    let agents: Vec<(&[u32], [u32; 4])> = (0..6).map(|_| (&[0u32][..], cap(WA, 1))).collect();
    let mut s = service(&agents, 1, ANY);
    let mut history = History::new(3);
    for a in 0..5 {
        history = s.exclude(9, history, a);
    }
    assert!(history.overflowed());
    let mut out = Decisions::default();
    for a in 0..6 {
        s.agent_status(a, DefaultStatus::Available, 0, &mut out);
    }
    let w = Waiting {
        history,
        ..waiting(9, WA)
    };
    s.conversation_waits(0, key(9, Priority::Normal, 1), w, 1, &mut out);
    assert_eq!(offered(&mut out), vec![(5, 9)]);
}

#[test]
fn aa_1_with_assignment_off_the_longest_idle_member_takes_it_by_hand() {
    let mut s = service(&[(&[0], cap(WA, 1)), (&[0], cap(WA, 1))], 1, None);
    let mut out = Decisions::default();
    s.agent_status(1, DefaultStatus::Available, 0, &mut out);
    s.agent_status(0, DefaultStatus::Available, 0, &mut out);
    s.conversation_waits(0, key(1, Priority::Normal, 0), waiting(1, WA), 0, &mut out);
    let offers = take_offers(&mut out);
    assert_eq!((offers[0].agent, offers[0].by), (0, AssignedBy::Manual));
}

#[test]
fn rt_5_a_new_priority_moves_a_conversation_ahead() {
    let mut s = service(&[(&[0], cap(WA, 1))], 1, ANY);
    let mut out = Decisions::default();
    let (k1, k2) = (key(1, Priority::Normal, 0), key(2, Priority::Normal, 1));
    s.conversation_waits(0, k1, waiting(1, WA), 0, &mut out);
    s.conversation_waits(0, k2, waiting(2, WA), 1, &mut out);
    s.conversation_rekeyed(0, k2, k2.with_priority(Priority::Urgent), 2);
    s.agent_status(0, DefaultStatus::Available, 5, &mut out);
    assert_eq!(offered(&mut out), vec![(0, 2)]);
    assert!(s.conversation_left(0, k1, 1));
    assert!(!s.conversation_left(0, k1, 1));
    assert!(s.waiting(0).is_empty());
}

#[test]
fn aa_5_a_declined_offer_gives_the_slot_back() {
    let mut s = service(&[(&[0], cap(WA, 1))], 1, ANY);
    let mut out = Decisions::default();
    s.agent_status(0, DefaultStatus::Available, 0, &mut out);
    s.conversation_waits(0, key(1, Priority::Normal, 0), waiting(1, WA), 0, &mut out);
    s.conversation_waits(0, key(2, Priority::Normal, 0), waiting(2, WA), 0, &mut out);
    assert_eq!(offered(&mut out), vec![(0, 1)]);
    s.offer_declined(0, WA, 0, &mut out);
    assert_eq!(offered(&mut out), vec![(0, 2)]);
}
