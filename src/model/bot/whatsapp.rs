//! The AI's WhatsApp messages (WIN-4..6), and what of them goes through Infobip (BOT-7).
//!
//! - WIN-4: the AI picks a format per reply: quick-reply buttons for 1–3 short options, a list
//!   for 4–10, a CTA URL button for a reply that is one link, plain text otherwise. The limits
//!   are the platform's too: [`check`] is what the platform (the simulation's, and the HTTP mock
//!   through the same constants) enforces on a send.
//! - WIN-5: attachments go one per message, then the text, a short pause between each.
//! - WIN-6: voice notes are transcribed, images, video and documents attached, locations turned
//!   into map links; stickers and system messages are not processed.
//! - BOT-7: through Infobip's Conversations API the AI's replies are text only: attachments are
//!   not sent, and options are written into the text.
//!
//! Which way a reply goes is the scenario's ([`SendPath`]): the Conversations API (the Infobip
//! integration, the default) or WhatsApp's own send API (the AI's WhatsApp channel, WhatsApp
//! conversations only).

use super::{ReplyContent, bot_may_send};

/// Most quick-reply buttons (WIN-4).
pub const MAX_BUTTONS: u32 = 3;
/// Longest quick-reply button title, characters (WIN-4).
pub const BUTTON_TITLE_CHARS: u32 = 20;
/// Fewest rows the AI puts in a list menu (WIN-4: "4–10 options").
pub const MIN_LIST_ROWS: u32 = 4;
/// Most rows of a list menu (WIN-4; the platform's limit too).
pub const MAX_LIST_ROWS: u32 = 10;
/// Longest list row title, characters (WIN-4).
pub const ROW_TITLE_CHARS: u32 = 24;
/// Longest body of an interactive message, CTA URL included, characters (WIN-4).
pub const INTERACTIVE_BODY_CHARS: u32 = 1024;
/// Longest CTA URL button label, characters (WIN-4).
pub const CTA_LABEL_CHARS: u32 = 20;
/// Longest text message, characters (the platform's limit).
pub const TEXT_CHARS: u32 = 4096;
/// The pause between the parts of a reply, ms (WIN-5). **(decision)** The document says "a
/// short pause"; one second.
pub const PART_PAUSE_MS: u64 = 1_000;
/// The length of a media URL the simulation writes, characters.
pub const MEDIA_URL_CHARS: u32 = 60;

/// What the AI wants to say in one reply: its text, the options it offers, a link, files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReplyShape {
    /// The text's length, characters.
    pub text_chars: u32,
    /// Options offered to pick from (0: none).
    pub options: u32,
    /// The longest option title, characters.
    pub option_chars: u32,
    /// The reply is one actionable link, with a label of `link_label_chars`.
    pub link: bool,
    /// The link's label, characters.
    pub link_label_chars: u32,
    /// Files sent with it.
    pub attachments: u32,
}

/// The format of a reply's text part (WIN-4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text (options and link written in it).
    Text,
    /// Quick-reply buttons.
    QuickReplies,
    /// A list menu.
    List,
    /// A CTA URL button.
    CtaUrl,
}

impl Format {
    /// Every format, in report order.
    pub const ALL: [Format; 4] = [
        Format::Text,
        Format::QuickReplies,
        Format::List,
        Format::CtaUrl,
    ];

    /// The name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::QuickReplies => "quick_replies",
            Format::List => "list",
            Format::CtaUrl => "cta_url",
        }
    }

    /// The length of the message that carries `shape` in this format: plain text writes the
    /// options (one line each) and the link into the text.
    pub fn text_chars(self, shape: &ReplyShape) -> u32 {
        match self {
            Format::Text => {
                let options = shape.options * (shape.option_chars + 4);
                let link = if shape.link { 40 } else { 0 };
                shape.text_chars + options + link
            }
            _ => shape.text_chars,
        }
    }
}

/// WIN-4: the format the AI picks for `shape` on WhatsApp.
pub fn choose_format(shape: &ReplyShape) -> Format {
    if shape.options > 0 {
        if shape.options <= MAX_BUTTONS && shape.option_chars <= BUTTON_TITLE_CHARS {
            Format::QuickReplies
        } else if (MIN_LIST_ROWS..=MAX_LIST_ROWS).contains(&shape.options)
            && shape.option_chars <= ROW_TITLE_CHARS
        {
            Format::List
        } else {
            Format::Text
        }
    } else if shape.link
        && shape.text_chars <= INTERACTIVE_BODY_CHARS
        && shape.link_label_chars <= CTA_LABEL_CHARS
    {
        Format::CtaUrl
    } else {
        Format::Text
    }
}

/// Which API the AI's replies take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SendPath {
    /// Infobip's Conversations API (Create Message): text only (BOT-7).
    #[default]
    ConversationsApi,
    /// WhatsApp's own send API for WhatsApp conversations (WIN-4, WIN-5); other channels still
    /// go through the Conversations API.
    WhatsappApi,
}

/// One message of a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// A file (WIN-5).
    Attachment,
    /// The text part, in its format.
    Reply(Format),
}

/// What a reply becomes on its way out: its attachments, one message each, then the text part
/// (WIN-5); and the attachments the path cannot carry (BOT-7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outbound {
    /// Attachments sent, one message each, before the text.
    pub attachments: u32,
    /// Attachments not sent: the Conversations API takes text only (BOT-7).
    pub attachments_dropped: u32,
    /// The text part's format.
    pub format: Format,
}

impl Outbound {
    /// The `k`-th message of the reply (from 0): attachments first, then the text.
    pub fn part(&self, k: u32) -> Option<Part> {
        match k.cmp(&self.attachments) {
            std::cmp::Ordering::Less => Some(Part::Attachment),
            std::cmp::Ordering::Equal => Some(Part::Reply(self.format)),
            std::cmp::Ordering::Greater => None,
        }
    }
}

/// WIN-4, WIN-5, BOT-7: how `shape` goes out on `path` for a conversation that is (`whatsapp`)
/// or is not on WhatsApp.
pub fn outbound(shape: &ReplyShape, path: SendPath, whatsapp: bool) -> Outbound {
    if path == SendPath::WhatsappApi && whatsapp {
        Outbound {
            attachments: shape.attachments,
            attachments_dropped: 0,
            format: choose_format(shape),
        }
    } else {
        // BOT-7: text only through Infobip.
        let media = bot_may_send(ReplyContent::Media);
        Outbound {
            attachments: if media { shape.attachments } else { 0 },
            attachments_dropped: if media { 0 } else { shape.attachments },
            format: Format::Text,
        }
    }
}

/// A send the platform refuses: the field, and what it expected (in Infobip's words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    /// The field path of the send's body.
    pub field: &'static str,
    /// What was wrong.
    pub expected: &'static str,
}

/// The platform's side of WIN-4: whether a text part of `shape` in `format` is within the
/// limits of its send.
pub fn check(format: Format, shape: &ReplyShape) -> Result<(), Refusal> {
    let refuse = |field, expected| Err(Refusal { field, expected });
    match format {
        Format::Text if format.text_chars(shape) > TEXT_CHARS => {
            refuse("content.text", "size must be between 1 and 4096")
        }
        Format::Text => Ok(()),
        _ if shape.text_chars == 0 || shape.text_chars > INTERACTIVE_BODY_CHARS => {
            refuse("content.body.text", "size must be between 1 and 1024")
        }
        Format::QuickReplies if !(1..=MAX_BUTTONS).contains(&shape.options) => {
            refuse("content.action.buttons", "size must be between 1 and 3")
        }
        Format::QuickReplies if shape.option_chars > BUTTON_TITLE_CHARS => refuse(
            "content.action.buttons[].title",
            "size must be between 1 and 20",
        ),
        Format::List if !(1..=MAX_LIST_ROWS).contains(&shape.options) => refuse(
            "content.action.sections",
            "must hold at most 10 rows in all",
        ),
        Format::List if shape.option_chars > ROW_TITLE_CHARS => refuse(
            "content.action.sections[].rows[].title",
            "size must be between 1 and 24",
        ),
        Format::CtaUrl if !shape.link => refuse("content.action.url", "must not be null"),
        Format::CtaUrl if shape.link_label_chars > CTA_LABEL_CHARS => refuse(
            "content.action.displayText",
            "size must be between 1 and 20",
        ),
        _ => Ok(()),
    }
}

/// What a customer sends on WhatsApp (WIN-6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InboundKind {
    /// Text.
    Text,
    /// A voice note.
    VoiceNote,
    /// An image.
    Image,
    /// A video.
    Video,
    /// A document.
    Document,
    /// A location pin.
    Location,
    /// A sticker.
    Sticker,
    /// A system message (e.g. the customer changed number).
    System,
}

impl InboundKind {
    /// The kinds a customer's turn may carry besides text, in scenario order.
    pub const MEDIA: [InboundKind; 5] = [
        InboundKind::VoiceNote,
        InboundKind::Image,
        InboundKind::Video,
        InboundKind::Document,
        InboundKind::Location,
    ];

    /// The name in scenarios and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            InboundKind::Text => "text",
            InboundKind::VoiceNote => "voice_note",
            InboundKind::Image => "image",
            InboundKind::Video => "video",
            InboundKind::Document => "document",
            InboundKind::Location => "location",
            InboundKind::Sticker => "sticker",
            InboundKind::System => "system",
        }
    }
}

/// How the AI reads an inbound message (WIN-6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Read as it is.
    Text,
    /// Transcribed, then read.
    Transcript,
    /// Attached to the conversation (copied to the AI's storage, BOT-6).
    Attachment,
    /// Turned into a map link.
    MapLink,
    /// Not processed.
    Ignored,
}

impl Reading {
    /// Every reading, in report order.
    pub const ALL: [Reading; 5] = [
        Reading::Text,
        Reading::Transcript,
        Reading::Attachment,
        Reading::MapLink,
        Reading::Ignored,
    ];

    /// The name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Reading::Text => "text",
            Reading::Transcript => "transcribed",
            Reading::Attachment => "attached",
            Reading::MapLink => "map_link",
            Reading::Ignored => "ignored",
        }
    }

    /// Whether the AI stores a file for it (BOT-6 applies): voice notes and attachments.
    pub fn stores_a_file(self) -> bool {
        matches!(self, Reading::Transcript | Reading::Attachment)
    }
}

/// WIN-6: how the AI reads a message of `kind`.
pub fn reading(kind: InboundKind) -> Reading {
    match kind {
        InboundKind::Text => Reading::Text,
        InboundKind::VoiceNote => Reading::Transcript,
        InboundKind::Image | InboundKind::Video | InboundKind::Document => Reading::Attachment,
        InboundKind::Location => Reading::MapLink,
        InboundKind::Sticker | InboundKind::System => Reading::Ignored,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(n: u32, chars: u32) -> ReplyShape {
        ReplyShape {
            text_chars: 80,
            options: n,
            option_chars: chars,
            ..ReplyShape::default()
        }
    }

    #[test]
    fn win_4_buttons_for_one_to_three_short_options_a_list_for_four_to_ten() {
        assert_eq!(choose_format(&options(1, 20)), Format::QuickReplies);
        assert_eq!(choose_format(&options(3, 20)), Format::QuickReplies);
        assert_eq!(choose_format(&options(3, 21)), Format::Text, "too long");
        assert_eq!(choose_format(&options(4, 24)), Format::List);
        assert_eq!(choose_format(&options(10, 24)), Format::List);
        assert_eq!(choose_format(&options(10, 25)), Format::Text);
        assert_eq!(
            choose_format(&options(11, 10)),
            Format::Text,
            "past 10 rows"
        );
        assert_eq!(choose_format(&ReplyShape::default()), Format::Text);
    }

    #[test]
    fn win_4_one_link_is_a_cta_button_within_1024_and_20() {
        let link = ReplyShape {
            text_chars: 1024,
            link: true,
            link_label_chars: 20,
            ..ReplyShape::default()
        };
        assert_eq!(choose_format(&link), Format::CtaUrl);
        let long = ReplyShape {
            text_chars: 1025,
            ..link
        };
        assert_eq!(choose_format(&long), Format::Text);
        let label = ReplyShape {
            link_label_chars: 21,
            ..link
        };
        assert_eq!(choose_format(&label), Format::Text);
    }

    #[test]
    fn win_4_the_platform_refuses_what_breaks_the_limits() {
        for n in 1..=12 {
            for chars in [10, 20, 24, 30] {
                let s = options(n, chars);
                assert_eq!(check(choose_format(&s), &s), Ok(()), "the AI's choice");
            }
        }
        assert_eq!(
            check(Format::QuickReplies, &options(4, 10))
                .unwrap_err()
                .field,
            "content.action.buttons"
        );
        assert!(check(Format::QuickReplies, &options(2, 21)).is_err());
        assert!(check(Format::List, &options(11, 10)).is_err());
        assert!(check(Format::List, &options(5, 25)).is_err());
        assert!(check(Format::CtaUrl, &options(0, 0)).is_err());
        let long = ReplyShape {
            text_chars: 4_090,
            ..ReplyShape::default()
        };
        assert_eq!(check(Format::Text, &long), Ok(()));
        assert!(check(Format::Text, &options(12, 30)).is_ok());
        let too_long = ReplyShape {
            text_chars: 4_097,
            ..ReplyShape::default()
        };
        assert!(check(Format::Text, &too_long).is_err());
    }

    #[test]
    fn win_5_attachments_one_per_message_then_the_text() {
        let s = ReplyShape {
            attachments: 2,
            ..options(2, 10)
        };
        let out = outbound(&s, SendPath::WhatsappApi, true);
        let parts: Vec<_> = (0..4).map(|k| out.part(k)).collect();
        assert_eq!(
            parts,
            [
                Some(Part::Attachment),
                Some(Part::Attachment),
                Some(Part::Reply(Format::QuickReplies)),
                None
            ]
        );
    }

    #[test]
    fn bot_7_through_infobip_replies_are_text_only() {
        let s = ReplyShape {
            attachments: 2,
            ..options(2, 10)
        };
        let out = outbound(&s, SendPath::ConversationsApi, true);
        assert_eq!(out.attachments, 0);
        assert_eq!(out.attachments_dropped, 2);
        assert_eq!(out.format, Format::Text);
        assert_eq!(out.part(0), Some(Part::Reply(Format::Text)));
        // Other channels than WhatsApp take the Conversations API whatever the path.
        let other = outbound(&s, SendPath::WhatsappApi, false);
        assert_eq!(other, out);
    }

    #[test]
    fn win_6_voice_is_transcribed_media_attached_locations_linked_stickers_ignored() {
        assert_eq!(reading(InboundKind::VoiceNote), Reading::Transcript);
        for k in [
            InboundKind::Image,
            InboundKind::Video,
            InboundKind::Document,
        ] {
            assert_eq!(reading(k), Reading::Attachment);
        }
        assert_eq!(reading(InboundKind::Location), Reading::MapLink);
        assert_eq!(reading(InboundKind::Sticker), Reading::Ignored);
        assert_eq!(reading(InboundKind::System), Reading::Ignored);
        assert_eq!(reading(InboundKind::Text), Reading::Text);
        assert!(!Reading::MapLink.stores_a_file());
        assert!(Reading::Transcript.stores_a_file());
    }
}
