//! The API's semantics, operation by operation (docs/platform-api.md §1–2, BOT-8, CC-1,
//! CC-2, WIN-1).

use super::*;

const H: u64 = 3_600_000;

fn store() -> Store {
    let mut s = Store::new(WindowMode::FailOnDelivery);
    s.open(1, true, 0);
    s
}

#[test]
fn bot_8_a_closed_conversation_takes_no_write() {
    let mut s = store();
    s.inbound(1, 12, 0).unwrap();
    let close = Update {
        status: Some(ConversationStatus::Closed),
        ..Update::default()
    };
    assert_eq!(s.update(1, &close, 10).unwrap().closed_ms, Some(10));
    assert_eq!(
        s.create_message(1, Author::Bot, Content::FreeForm, 5, 11),
        Err(ApiError::Closed)
    );
    assert_eq!(s.update(1, &close, 12).unwrap_err(), ApiError::Closed);
    assert_eq!(
        s.assign(1, Assignee::Bot("ai".into())).unwrap_err(),
        ApiError::Closed
    );
    assert_eq!(s.unassign(1).unwrap_err(), ApiError::Closed);
    assert_eq!(s.route(1).unwrap_err(), ApiError::Closed);
    s.create_tag("vip").unwrap();
    assert_eq!(s.add_tag(1, "vip"), Err(ApiError::Closed));
    assert_eq!(s.add_note(1, "ai", 10, 13), Err(ApiError::Closed));
    assert_eq!(s.inbound(1, 3, 14), Err(ApiError::Closed));
    let e = ApiError::Closed;
    assert_eq!((e.status(), e.message_id()), (400, "BAD_REQUEST"));
    assert_eq!(e.to_string(), "Closed conversation cannot be changed");
    // Reading still works.
    assert_eq!(s.messages(1, 0, 10).unwrap().total, 1);
}

#[test]
fn unknown_conversations_and_tags_are_named() {
    let mut s = store();
    let e = s.unassign(7).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Invalid id '7' given! No such entity exists."
    );
    assert_eq!((e.status(), e.message_id()), (404, "NOT_FOUND"));
    assert_eq!(
        s.add_tag(1, "nope").unwrap_err().to_string(),
        "Invalid tagName 'nope' given! No such entity exists."
    );
    s.create_tag("opencx_handed_off").unwrap();
    assert_eq!(s.create_tag("opencx_handed_off"), Err(ApiError::TagExists));
    assert!(matches!(
        s.create_tag("no spaces"),
        Err(ApiError::Validation(_))
    ));
    assert!(matches!(
        s.create_tag(&"x".repeat(101)),
        Err(ApiError::Validation(_))
    ));
}

#[test]
fn field_limits_are_validation_errors() {
    let mut s = store();
    let too_long = s.create_message(1, Author::Agent, Content::FreeForm, 4097, 0);
    let Err(ApiError::Validation(fields)) = too_long else {
        panic!("expected a validation error, got {too_long:?}")
    };
    assert_eq!(
        fields["content"],
        vec!["size cannot be longer than 4096 characters.".to_string()]
    );
    assert!(matches!(
        s.create_message(1, Author::Agent, Content::FreeForm, 0, 0),
        Err(ApiError::Validation(_))
    ));
    let update = Update {
        topic_len: Some(1001),
        summary_len: Some(4001),
        ..Update::default()
    };
    let Err(ApiError::Validation(fields)) = s.update(1, &update, 0) else {
        panic!("expected validation errors")
    };
    assert_eq!(fields.len(), 2);
    assert!(matches!(
        s.add_note(1, "a", 4001, 0),
        Err(ApiError::Validation(_))
    ));
    assert!(matches!(
        s.assign(1, Assignee::Agent(String::new())),
        Err(ApiError::Validation(_))
    ));
    assert!(matches!(
        s.set_webhook(&"u".repeat(256)),
        Err(ApiError::Validation(_))
    ));
}

#[test]
fn cc_2_get_messages_pages_at_most_999() {
    let mut s = store();
    for k in 0..2500u64 {
        s.inbound(1, 1, k).unwrap();
    }
    assert!(matches!(
        s.messages(1, 0, 1000),
        Err(ApiError::Validation(_))
    ));
    assert!(matches!(s.messages(1, 0, 0), Err(ApiError::Validation(_))));
    let page = s.messages(1, 2, 999).unwrap();
    assert_eq!((page.messages.len(), page.total), (502, 2500));
    assert_eq!(page.messages[0].created_ms, 1998);
    assert!(s.messages(1, 9, 999).unwrap().messages.is_empty());
    // The translation layer reads at most 1,000 messages: two calls of 999.
    assert_eq!(pages_to_read(2500, 999, 1000), 2);
    assert_eq!(pages_to_read(30, 10, 1000), 3);
}

#[test]
fn cc_1_one_account_webhook_setting_it_again_replaces_it() {
    let mut s = store();
    assert_eq!(
        s.webhook(),
        None,
        "no webhook: nobody hears inbound messages (BOT-1)"
    );
    s.set_webhook("https://bot.example/hook").unwrap();
    s.set_webhook("https://layer.example/inbound").unwrap();
    assert_eq!(s.webhook(), Some("https://layer.example/inbound"));
    s.set_webhook("").unwrap();
    assert_eq!(s.webhook(), None);
}

#[test]
fn win_1_free_form_outside_the_window_fails_as_the_mode_says() {
    let mut s = store();
    s.inbound(1, 5, 0).unwrap();
    let late = s
        .create_message(1, Author::Agent, Content::FreeForm, 5, 25 * H)
        .unwrap();
    assert!(late.undeliverable, "accepted, then undeliverable");
    let template = s
        .create_message(1, Author::Agent, Content::Template, 5, 25 * H)
        .unwrap();
    assert!(!template.undeliverable);
    let mut strict = Store::new(WindowMode::RejectAtOnce);
    strict.open(2, true, 0);
    strict.inbound(2, 5, 0).unwrap();
    assert_eq!(
        strict.create_message(2, Author::Agent, Content::FreeForm, 5, 25 * H),
        Err(ApiError::OutsideWindow)
    );
    // The customer's next message reopens it.
    strict.inbound(2, 5, 26 * H).unwrap();
    assert!(
        strict
            .create_message(2, Author::Agent, Content::FreeForm, 5, 26 * H + 1)
            .is_ok()
    );
    // Channels without a window never fail.
    let mut chat = Store::new(WindowMode::RejectAtOnce);
    chat.open(3, false, 0);
    assert!(
        chat.create_message(3, Author::Agent, Content::FreeForm, 5, 100 * H)
            .is_ok()
    );
    assert!(within_window(0, 24 * H - 1) && !within_window(0, 24 * H));
}

#[test]
fn metadata_put_replaces_patch_merges_and_route_unassigns() {
    let mut s = store();
    let kv = |k: &str, v: &str| BTreeMap::from([(k.to_string(), v.to_string())]);
    s.set_metadata(1, kv("a", "1"), false).unwrap();
    s.set_metadata(1, kv("b", "2"), false).unwrap();
    assert_eq!(s.get(1).unwrap().metadata.len(), 2);
    s.set_metadata(1, kv("c", "3"), true).unwrap();
    assert_eq!(s.get(1).unwrap().metadata, kv("c", "3"));
    s.assign(1, Assignee::Bot("ai".into())).unwrap();
    assert_eq!(s.route(1).unwrap().assignee, None);
}
