//! The AI's messages on WhatsApp in the simulation (WIN-4..6), what of them goes through
//! Infobip's Conversations API (BOT-7), and a bot that cannot connect (BOT-11). Every run goes
//! through the invariant checker.

use crate::bot::{bot, desk, run};

/// Reply kinds: three short options, six longer ones, one link, three options too long for
/// buttons; the rest plain text.
const SHAPES: &str = r#"reply_shapes = [
  { share = 0.2, options = 3, option_chars = 15 },
  { share = 0.2, options = 6, option_chars = 22 },
  { share = 0.1, link = true, link_label_chars = 12, text_chars = 200 },
  { share = 0.1, options = 3, option_chars = 30 },
]"#;

fn share(n: f64, of: f64) -> f64 {
    n / of
}

#[test]
fn win_4_whatsapp_replies_take_buttons_lists_and_links_by_what_they_hold() {
    let s = run(&desk(&format!("reply_path = \"whatsapp_api\"\n{SHAPES}")));
    let b = bot(&s);
    let replies: f64 = b.reply_formats.values().map(|e| e.mean).sum();
    assert!(replies > 1000.0, "{replies}");
    let f = |k: &str| share(b.reply_formats[k].mean, replies);
    // 1–3 options of at most 20 characters: buttons; 4–10 of at most 24: a list; one link: a
    // CTA URL button; options too long for buttons: text (with the 40 % of plain replies).
    assert!(
        (f("quick_replies") - 0.2).abs() < 0.03,
        "{}",
        f("quick_replies")
    );
    assert!((f("list") - 0.2).abs() < 0.03, "{}", f("list"));
    assert!((f("cta_url") - 0.1).abs() < 0.02, "{}", f("cta_url"));
    assert!((f("text") - 0.5).abs() < 0.03, "{}", f("text"));
    // Every reply goes on WhatsApp's own API, and the platform takes every format the AI picks.
    let sent = b.api_calls["send_whatsapp"].mean;
    assert!(
        sent >= b.replies.mean,
        "{sent} sends, {} replies",
        b.replies.mean
    );
    assert_eq!(b.api_calls["create_message"].mean, 0.0);
    assert_eq!(b.writes_rejected.mean, 0.0);
}

#[test]
fn bot_7_through_the_conversations_api_replies_are_text_only() {
    let shapes = SHAPES.replace(
        "{ share = 0.2, options = 3",
        "{ share = 0.2, attachments = 2, options = 3",
    );
    let s = run(&desk(&shapes));
    let b = bot(&s);
    let replies: f64 = b.reply_formats.values().map(|e| e.mean).sum();
    assert!(replies > 1000.0);
    assert_eq!(b.reply_formats["text"].mean, replies, "text only");
    assert_eq!(b.attachments_sent.mean, 0.0);
    // The files the AI wanted to send (2 in a fifth of its replies) do not go.
    let dropped = share(b.attachments_not_sent.mean, replies);
    assert!((dropped - 0.4).abs() < 0.06, "{dropped}");
    assert_eq!(b.api_calls["send_whatsapp"].mean, 0.0);
    assert_eq!(b.writes_rejected.mean, 0.0);
}

#[test]
fn win_5_attachments_go_first_one_message_each_with_a_pause() {
    let plain = run(&desk("reply_path = \"whatsapp_api\""));
    let with_files = run(&desk(
        "reply_path = \"whatsapp_api\"\nreply_shapes = [{ share = 1.0, attachments = 2 }]",
    ));
    let (p, w) = (bot(&plain), bot(&with_files));
    assert_eq!(p.attachments_sent.mean, 0.0);
    let replies: f64 = w.reply_formats.values().map(|e| e.mean).sum();
    assert!((w.attachments_sent.mean - 2.0 * replies).abs() < 1e-9);
    // Two files, each followed by a one-second pause, before the text: the customer reads the
    // reply about two seconds later.
    let added = w.reply_p50_s.mean - p.reply_p50_s.mean;
    assert!((added - 2.0).abs() < 0.6, "{added}");
    // Three messages per reply on WhatsApp's API.
    let sends = w.api_calls["send_whatsapp"].mean;
    assert!(sends >= 3.0 * w.replies.mean, "{sends}");
}

#[test]
fn win_6_voice_notes_transcribed_media_attached_locations_linked_stickers_ignored() {
    let media = r#"media = { share_of_messages = 0.5, rehost_failure_share = 0.0, link_life_min = 60, kinds = { voice_note = 1, image = 1, document = 1, location = 1 }, sticker_share = 0.2, system_share = 0.05 }"#;
    let s = run(&desk(media));
    let b = bot(&s);
    let read = |k: &str| b.messages_read_as[k].mean;
    let media_messages = read("transcribed") + read("attached") + read("map_link");
    assert!(media_messages > 1000.0, "{media_messages}");
    // A quarter of the media are voice notes, half images or documents, a quarter locations.
    assert!((share(read("transcribed"), media_messages) - 0.25).abs() < 0.03);
    assert!((share(read("attached"), media_messages) - 0.5).abs() < 0.03);
    assert!((share(read("map_link"), media_messages) - 0.25).abs() < 0.03);
    // Stickers and system messages follow a quarter of the messages (half as many as media),
    // and are not processed.
    assert!((share(read("ignored"), media_messages) - 0.5).abs() < 0.06);
    // The bot keeps a file for voice notes and attachments (BOT-6), not for map links.
    let files = b.media_received.mean;
    assert!((files - read("transcribed") - read("attached")).abs() < 1e-9);
    // A message delivered twice is read once (BOT-5).
    let twice = run(&desk(&format!("duplicate_share = 0.5\n{media}")));
    let t = bot(&twice);
    assert!(t.duplicates_ignored.mean > 100.0);
    let read_twice = t.messages_read_as["transcribed"].mean + t.messages_read_as["attached"].mean;
    assert!((t.media_received.mean - read_twice).abs() < 1e-9);
    // Ignored messages move no reply: as many replies as without them.
    let without = run(&desk(
        &media.replace("sticker_share = 0.2, system_share = 0.05", ""),
    ));
    let (r1, r0) = (b.replies.mean, bot(&without).replies.mean);
    assert!((r1 / r0 - 1.0).abs() < 0.03, "{r1} vs {r0}");
}

#[test]
fn bot_11_a_key_without_conversations_manage_has_every_call_refused() {
    let good = run(&desk(""));
    assert_eq!(bot(&good).connection, "connected");
    for bad in [
        r#"api_key_scopes = ["conversations:read"]"#,
        "base_url = \"https://x1.api.infobip.com\"\naccount_base_url = \"https://y2.api.infobip.com\"",
    ] {
        let s = run(&desk(bad));
        let b = bot(&s);
        assert!(
            b.connection.starts_with("cannot connect"),
            "{}",
            b.connection
        );
        // The bot hears every message, but every call it makes is refused: no reply reaches
        // a customer, nothing is resolved or handed over.
        let calls: f64 = b.api_calls.values().map(|e| e.mean).sum();
        assert!(calls > 100.0);
        assert_eq!(b.writes_rejected.mean, calls);
        assert_eq!(b.replies.mean, 0.0);
        assert_eq!(b.containment.mean, 0.0);
        assert_eq!(b.handoff_rate.mean, 0.0);
        assert_eq!(s.overall.answered.mean, 0.0, "{bad}");
    }
    // The same base URL written another way connects.
    let same = run(&desk(
        "base_url = \"https://X1.api.infobip.com/\"\naccount_base_url = \"https://x1.api.infobip.com\"",
    ));
    assert_eq!(bot(&same).connection, "connected");
}

#[test]
fn bot_8_conversations_humans_close_in_infobip_take_no_more_bot_replies() {
    // 000: "the conversation was … closed in Infobip … the AI stays out", and "Infobip rejects
    // writes to closed conversations; the AI cannot reply until the conversation is reopened".
    let calm = run(&desk(""));
    let s = run(&desk(
        "closed_by_humans = { share = 0.3, after = { dist = \"exponential\", mean_s = 20 } }",
    ));
    let (c, b) = (bot(&calm), bot(&s));
    assert_eq!(c.closed_by_humans.mean, 0.0);
    assert_eq!(c.writes_rejected.mean, 0.0);
    // Most of the drawn 30 % are still the bot's when the human closes them.
    let share = b.closed_by_humans.mean / b.conversations.mean;
    assert!(share > 0.15 && share <= 0.3, "{share}");
    // Replies under way when the human closed them are refused, and the bot stays out.
    assert!(b.writes_rejected.mean > 0.0);
    assert!(b.replies.mean < c.replies.mean);
    assert!(b.containment.mean < c.containment.mean);
}
