//! BOT-1..11 and ACT-1, rule by rule.

use super::*;
use crate::model::channel::ChannelKind;

const SETTINGS: BotSettings = BotSettings {
    autopilot: true,
    handle_unassigned: false,
    close_when_resolved: true,
    debounce_ms: 3_000,
};

fn bot() -> Assignee {
    Assignee::Bot("ai".into())
}

#[test]
fn bot_1_no_webhook_no_answer_and_unassigned_only_when_configured() {
    let open = ConversationStatus::Open;
    assert_eq!(
        answers(&SETTINGS, false, true, "ai", Some(&bot()), open),
        Err(Silence::NoWebhook)
    );
    assert_eq!(
        answers(&SETTINGS, true, true, "ai", Some(&bot()), open),
        Ok(())
    );
    assert_eq!(
        answers(&SETTINGS, true, true, "ai", None, open),
        Err(Silence::Unassigned)
    );
    let eager = BotSettings {
        handle_unassigned: true,
        ..SETTINGS
    };
    assert_eq!(answers(&eager, true, true, "ai", None, open), Ok(()));
}

#[test]
fn bot_2_a_human_owner_or_closed_keeps_the_bot_out_until_given_back() {
    let human = Assignee::Agent("ana".into());
    let open = ConversationStatus::Open;
    assert_eq!(
        answers(&SETTINGS, true, true, "ai", Some(&human), open),
        Err(Silence::HumanOwns)
    );
    assert_eq!(
        answers(
            &SETTINGS,
            true,
            true,
            "ai",
            Some(&bot()),
            ConversationStatus::Closed
        ),
        Err(Silence::Closed)
    );
    // Assigned back to the bot: it answers again.
    assert_eq!(
        answers(&SETTINGS, true, true, "ai", Some(&bot()), open),
        Ok(())
    );
    assert_eq!(
        answers(
            &SETTINGS,
            true,
            true,
            "ai",
            Some(&Assignee::Bot("other".into())),
            open
        ),
        Err(Silence::OtherBot)
    );
}

#[test]
fn bot_3_a_handoff_unassigns_tags_notes_then_routes() {
    assert_eq!(
        HANDOFF,
        [
            HandoffStep::Unassign,
            HandoffStep::Tag,
            HandoffStep::Note,
            HandoffStep::Route
        ]
    );
    assert_eq!(HANDOFF_TAG, "opencx_handed_off");
}

#[test]
fn bot_4_resolve_closes_only_if_configured_and_still_owned() {
    assert!(closes_on_resolve(&SETTINGS, "ai", Some(&bot())));
    assert!(!closes_on_resolve(
        &SETTINGS,
        "ai",
        Some(&Assignee::Agent("ana".into()))
    ));
    assert!(!closes_on_resolve(&SETTINGS, "ai", None));
    let keep = BotSettings {
        close_when_resolved: false,
        ..SETTINGS
    };
    assert!(!closes_on_resolve(&keep, "ai", Some(&bot())));
}

#[test]
fn bot_5_repeated_deliveries_are_ignored_for_24_hours() {
    let h = 3_600_000;
    let mut d = Dedupe::default();
    assert!(d.first(7, 0));
    assert!(!d.first(7, 5_000));
    assert!(!d.first(7, 24 * h - 1));
    assert!(d.first(8, 10));
    // After the window the same id counts again (and old ids are forgotten).
    assert!(d.first(7, 24 * h));
    assert!(d.first(9, 49 * h));
    assert_eq!(d.len(), 1, "7 and 8 pruned");
}

#[test]
fn bot_6_failed_rehosting_keeps_the_expiring_link() {
    let copied = Media::rehost(true, 0, 60_000);
    assert!(copied.readable(u64::MAX));
    let link = Media::rehost(false, 1_000, 60_000);
    assert!(link.readable(60_999));
    assert!(!link.readable(61_000));
}

#[test]
fn bot_7_replies_are_text_only() {
    assert!(bot_may_send(ReplyContent::Text));
    assert!(!bot_may_send(ReplyContent::Media));
}

#[test]
fn bot_9_autopilot_and_the_numbers_toggle_both_needed() {
    let open = ConversationStatus::Open;
    let off = BotSettings {
        autopilot: false,
        ..SETTINGS
    };
    assert_eq!(
        answers(&off, true, true, "ai", Some(&bot()), open),
        Err(Silence::AutopilotOff)
    );
    assert_eq!(
        answers(&SETTINGS, true, false, "ai", Some(&bot()), open),
        Err(Silence::NumberOff)
    );
}

#[test]
fn bot_10_a_burst_gets_one_reply_after_the_last_message() {
    let mut d = Debounce::default();
    let first = d.message(0, 3_000);
    let second = d.message(1_000, 3_000);
    let third = d.message(2_500, 3_000);
    assert_eq!(d.fire(first), None, "moved by later messages");
    assert_eq!(d.fire(second), None);
    assert_eq!(third, 5_500);
    assert_eq!(d.fire(third), Some(3), "one reply for the three");
    assert_eq!(d.fire(third), None);
}

#[test]
fn bot_11_connecting_needs_the_base_url_and_the_scope() {
    assert_eq!(connect(true, &["conversations:manage"]), Ok(()));
    assert_eq!(
        connect(true, &["conversations:read"]),
        Err(ConnectError::MissingScope)
    );
    assert_eq!(
        connect(false, &["conversations:manage"]),
        Err(ConnectError::WrongBaseUrl)
    );
}

#[test]
fn bot_outcomes_split_by_topic_shares_and_whatsapp_remembers() {
    let t = TopicOutcomes {
        resolve_share: 0.4,
        handoff_share: 0.5,
    };
    assert_eq!(t.pick(0.1), Outcome::Resolve);
    assert_eq!(t.pick(0.4), Outcome::Handoff);
    assert_eq!(t.pick(0.95), Outcome::Drop);
    assert!(remembers_across_sessions(ChannelKind::Whatsapp));
    assert!(!remembers_across_sessions(ChannelKind::LiveChat));
}

#[test]
fn act_1_sixty_second_timeout_no_retries_and_a_handoff_after_repeated_failures() {
    assert_eq!(
        ActionResult::of(800, false, 500),
        ActionResult::Ok { latency_ms: 800 }
    );
    assert_eq!(
        ActionResult::of(800, true, 503),
        ActionResult::Failed {
            status: 503,
            latency_ms: 800
        }
    );
    let slow = ActionResult::of(61_000, false, 200);
    assert_eq!(slow, ActionResult::TimedOut);
    assert_eq!(slow.heard_after_ms(), 60_000);
    let mut streak = FailureStreak::default();
    assert!(!streak.record(slow, 3));
    assert!(
        !streak.record(ActionResult::Ok { latency_ms: 5 }, 3),
        "a success resets"
    );
    assert!(!streak.record(slow, 3));
    assert!(!streak.record(ActionResult::of(5, true, 500), 3));
    assert!(streak.record(slow, 3), "third failure in a row: hand off");
}
