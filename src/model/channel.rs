//! Channels and the capacity category each belongs to (CAP-2).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A channel a conversation arrives on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// SMS (Live Messaging).
    Sms,
    /// WhatsApp (Live Messaging).
    Whatsapp,
    /// Viber (Live Messaging).
    Viber,
    /// Telegram (Live Messaging).
    Telegram,
    /// Google's Business Messages (Live Messaging).
    GoogleBusinessMessages,
    /// Apple Messages for Business (Live Messaging).
    AppleMessagesForBusiness,
    /// Facebook Messenger (Live Messaging).
    Messenger,
    /// Web or in-app live chat (Live Chat).
    LiveChat,
    /// Email (Email).
    Email,
    /// Phone call (Voice/Video).
    Voice,
    /// Video call (Voice/Video).
    Video,
}

/// The capacity categories of CAP-2. Capacity and occupancy are counted per category.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ChannelCategory {
    /// SMS, WhatsApp, Viber, Telegram, Google's Business Messages, Apple Messages for Business,
    /// Messenger.
    LiveMessaging,
    /// Live chat.
    LiveChat,
    /// Email.
    Email,
    /// Voice and video calls.
    VoiceVideo,
}

impl ChannelCategory {
    /// Every category, in a fixed order used for dense per-category arrays.
    pub const ALL: [ChannelCategory; 4] = [
        ChannelCategory::LiveMessaging,
        ChannelCategory::LiveChat,
        ChannelCategory::Email,
        ChannelCategory::VoiceVideo,
    ];

    /// Position in [`ChannelCategory::ALL`].
    #[inline]
    pub fn index(self) -> usize {
        self as usize
    }

    /// The name used in scenario files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelCategory::LiveMessaging => "live_messaging",
            ChannelCategory::LiveChat => "live_chat",
            ChannelCategory::Email => "email",
            ChannelCategory::VoiceVideo => "voice_video",
        }
    }
}

impl ChannelKind {
    /// The name used in scenario files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Sms => "sms",
            ChannelKind::Whatsapp => "whatsapp",
            ChannelKind::Viber => "viber",
            ChannelKind::Telegram => "telegram",
            ChannelKind::GoogleBusinessMessages => "google_business_messages",
            ChannelKind::AppleMessagesForBusiness => "apple_messages_for_business",
            ChannelKind::Messenger => "messenger",
            ChannelKind::LiveChat => "live_chat",
            ChannelKind::Email => "email",
            ChannelKind::Voice => "voice",
            ChannelKind::Video => "video",
        }
    }

    /// The capacity category of the channel (CAP-2).
    pub fn category(self) -> ChannelCategory {
        match self {
            ChannelKind::Sms
            | ChannelKind::Whatsapp
            | ChannelKind::Viber
            | ChannelKind::Telegram
            | ChannelKind::GoogleBusinessMessages
            | ChannelKind::AppleMessagesForBusiness
            | ChannelKind::Messenger => ChannelCategory::LiveMessaging,
            ChannelKind::LiveChat => ChannelCategory::LiveChat,
            ChannelKind::Email => ChannelCategory::Email,
            ChannelKind::Voice | ChannelKind::Video => ChannelCategory::VoiceVideo,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cap_2_channels_fall_into_the_documented_categories() {
        use ChannelKind::*;
        for kind in [
            Sms,
            Whatsapp,
            Viber,
            Telegram,
            GoogleBusinessMessages,
            AppleMessagesForBusiness,
            Messenger,
        ] {
            assert_eq!(kind.category(), ChannelCategory::LiveMessaging, "{kind:?}");
        }
        assert_eq!(LiveChat.category(), ChannelCategory::LiveChat);
        assert_eq!(Email.category(), ChannelCategory::Email);
        assert_eq!(Voice.category(), ChannelCategory::VoiceVideo);
        assert_eq!(Video.category(), ChannelCategory::VoiceVideo);
    }

    #[test]
    fn names_match_the_scenario_format() {
        for kind in [
            ChannelKind::Sms,
            ChannelKind::GoogleBusinessMessages,
            ChannelKind::LiveChat,
        ] {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
    }
}
