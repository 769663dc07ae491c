//! Unit tests of the mock's state.

use super::*;

const DAY_MS: u64 = 24 * 3_600_000;

fn said(t: &str) -> (InboundType, Value) {
    (InboundType::Text, serde_json::json!({ "text": t }))
}

fn reply(content_type: &str, content: Value) -> CreateMessage {
    CreateMessage {
        channel: Some("WHATSAPP".into()),
        from: Some("385100".into()),
        to: Some("447700".into()),
        content_type: Some(content_type.into()),
        content: Some(content),
    }
}

#[test]
fn win_1_free_form_outside_the_window_fails_as_configured_and_templates_pass() {
    for mode in [WindowMode::RejectAtOnce, WindowMode::FailOnDelivery] {
        let mut p = MockPlatform::new(mode, Vec::new());
        let inbound = p
            .inbound("WHATSAPP", "447700", "385100", said("hi"), 0)
            .unwrap();
        let conv = inbound.conversation_id.clone();
        let text = reply("TEXT", serde_json::json!({ "text": "answer" }));
        let inside = p.create_message(&conv, &text, None, DAY_MS - 1).unwrap();
        assert_eq!(p.undeliverable(&conv, &inside.id), Some(false));
        let late = p.create_message(&conv, &text, None, DAY_MS + 1);
        match mode {
            WindowMode::RejectAtOnce => {
                assert_eq!(late, Err(MockError::Api(ApiError::OutsideWindow)));
            }
            WindowMode::FailOnDelivery => {
                let m = late.unwrap();
                assert_eq!(p.undeliverable(&conv, &m.id), Some(true));
            }
        }
        let template = reply(
            "TEMPLATE",
            serde_json::json!({ "templateName": "follow_up" }),
        );
        let t = p
            .create_message(&conv, &template, None, DAY_MS + 2)
            .unwrap();
        assert_eq!(t.content_type, "TEXT", "a template comes back as its text");
        assert_eq!(p.undeliverable(&conv, &t.id), Some(false));
        // The customer writes again: the window reopens.
        p.inbound("WHATSAPP", "447700", "385100", said("again"), DAY_MS + 3)
            .unwrap();
        let m = p.create_message(&conv, &text, None, DAY_MS + 4).unwrap();
        assert_eq!(p.undeliverable(&conv, &m.id), Some(false));
    }
}

#[test]
fn win_2_messages_thread_by_customer_and_business_number_until_closed() {
    let mut p = MockPlatform::new(WindowMode::FailOnDelivery, Vec::new());
    let a = p
        .inbound("WHATSAPP", "447700", "385100", said("hi"), 0)
        .unwrap();
    let b = p
        .inbound("WHATSAPP", "447700", "385100", said("more"), 10)
        .unwrap();
    assert_eq!(
        a.conversation_id, b.conversation_id,
        "the open session continues"
    );
    let other_number = p
        .inbound("WHATSAPP", "447700", "385999", said("hi"), 20)
        .unwrap();
    assert_ne!(a.conversation_id, other_number.conversation_id);
    let close = ConversationIn {
        status: Some("CLOSED".into()),
        ..ConversationIn::default()
    };
    p.update_conversation(&a.conversation_id, &close, false, 30)
        .unwrap();
    let c = p
        .inbound("WHATSAPP", "447700", "385100", said("back"), 40)
        .unwrap();
    assert_ne!(
        c.conversation_id, a.conversation_id,
        "a closed one starts anew"
    );
    assert_eq!(c.direction, "INBOUND");
    assert_eq!(c.author_type, "CUSTOMER");
}

#[test]
fn closed_conversations_are_forgotten_after_the_retention_and_open_ones_kept() {
    let mut p = MockPlatform::new(WindowMode::FailOnDelivery, Vec::new());
    p.retain_closed_for(Some(1_000));
    let a = p
        .inbound("WHATSAPP", "447700", "385100", said("hi"), 0)
        .unwrap();
    let open = p
        .inbound("WHATSAPP", "447711", "385100", said("hi"), 0)
        .unwrap();
    let close = ConversationIn {
        status: Some("CLOSED".into()),
        ..ConversationIn::default()
    };
    p.update_conversation(&a.conversation_id, &close, false, 10)
        .unwrap();
    p.inbound("WHATSAPP", "447722", "385100", said("hi"), 1_009)
        .unwrap();
    assert!(
        p.conversation(&a.conversation_id).is_ok(),
        "kept for the retention"
    );
    assert_eq!(p.held(), 3);
    p.inbound("WHATSAPP", "447733", "385100", said("hi"), 1_010)
        .unwrap();
    assert!(matches!(
        p.conversation(&a.conversation_id),
        Err(MockError::Api(ApiError::NotFound(_)))
    ));
    assert!(
        p.conversation(&open.conversation_id).is_ok(),
        "open ones stay"
    );
    assert_eq!(p.held(), 3);
    assert_eq!(p.messages.len(), 3, "its messages went with it");
    let back = p
        .inbound("WHATSAPP", "447700", "385100", said("back"), 2_000)
        .unwrap();
    assert_ne!(back.conversation_id, a.conversation_id);
}

#[test]
fn put_resets_what_it_leaves_out_and_patch_keeps_it() {
    let mut p = MockPlatform::new(WindowMode::FailOnDelivery, Vec::new());
    let body = ConversationIn {
        topic: Some("refund".into()),
        priority: Some("HIGH".into()),
        ..ConversationIn::default()
    };
    let c = p.create_conversation(&body, 0).unwrap();
    let patch = ConversationIn {
        status: Some("WAITING".into()),
        ..ConversationIn::default()
    };
    let patched = p.update_conversation(&c.id, &patch, false, 1).unwrap();
    assert_eq!(
        (
            patched.topic.as_deref(),
            patched.priority.as_str(),
            patched.status.as_str()
        ),
        (Some("refund"), "HIGH", "WAITING")
    );
    let put = p.update_conversation(&c.id, &patch, true, 2).unwrap();
    assert_eq!(
        (
            put.topic.as_deref(),
            put.priority.as_str(),
            put.status.as_str()
        ),
        (None, "NORMAL", "WAITING")
    );
}
