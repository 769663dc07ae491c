//! The bot section of a scenario (BOT-1..11): its channels, settings, timing and results per
//! topic.

use std::collections::{BTreeMap, HashMap};

use super::checks::Checker;
use super::error::FieldPath;
use super::file::{BotFile, ExternalCentreFile, ReplyPathFile, ReplyShapeFile};
use super::routing::{AttrNames, text_value};
use crate::model::bot::whatsapp::{InboundKind, ReplyShape, SendPath, TEXT_CHARS};
use crate::model::bot::{
    ActionSpec, BotSettings, BotSpec, MediaSpec, PLAIN_REPLY, REQUIRED_SCOPE, TopicOutcomes,
};
use crate::model::channel::{ChannelCategory, ChannelKind};
use crate::model::distribution::DurationDist;
use crate::model::translation::{AgentFeed, ExternalQueue, ExternalSpec, MAX_EXTERNAL_QUEUES};

impl Checker<'_> {
    /// Checks and converts the `[bot]` section.
    pub(super) fn bot(
        &mut self,
        root: &FieldPath,
        file: &BotFile,
        channels: &HashMap<&str, ChannelKind>,
        names: &mut AttrNames,
    ) -> Option<BotSpec> {
        let p = root.key("bot");
        let mut ok = true;
        let mut kinds = Vec::new();
        for (i, name) in file.channels.iter().enumerate() {
            match channels.get(name.as_str()) {
                Some(kind) if kind.category() == ChannelCategory::VoiceVideo => {
                    self.fail(
                        p.key("channels").index(i),
                        format!("'{name}' is a voice channel: the bot answers text channels"),
                    );
                    ok = false;
                }
                Some(kind) => kinds.push(*kind),
                None => {
                    self.fail(
                        p.key("channels").index(i),
                        format!("unknown channel '{name}'"),
                    );
                    ok = false;
                }
            }
        }
        let debounce_ms = match file.debounce_s {
            None => 3_000,
            Some(s) if s.is_finite() && (0.0..=600.0).contains(&s) => (s * 1000.0).round() as u64,
            Some(s) => {
                self.fail(
                    p.key("debounce_s"),
                    format!("{s}: expected 0 to 600 seconds"),
                );
                ok = false;
                0
            }
        };
        let webhook_replaced_at_ms = match file.webhook_replaced_after_h {
            None => None,
            Some(h) if h.is_finite() && h >= 0.0 => Some((h * 3_600_000.0).round() as u64),
            Some(h) => {
                self.fail(
                    p.key("webhook_replaced_after_h"),
                    format!("{h}: expected hours from the start, 0 or more"),
                );
                ok = false;
                None
            }
        };
        let reply = self.dist(p.key("reply"), &file.reply);
        let webhook_delay = match &file.webhook_delay {
            Some(d) => self.dist(p.key("webhook_delay"), d),
            None => Some(DurationDist::Constant { ms: 0 }),
        };
        ok &= self.share(
            p.key("duplicate_share"),
            file.duplicate_share,
            "duplicate_share",
        );
        ok &= self.share(
            p.key("give_back_share"),
            file.give_back_share,
            "give_back_share",
        );
        let topic_attribute = match &file.topic_attribute {
            Some(a) if self.attribute_name(p.key("topic_attribute"), a) => Some(names.intern(a)),
            Some(_) => {
                ok = false;
                None
            }
            None => None,
        };
        if file.outcomes.is_empty() {
            self.fail(p.key("outcomes"), "no outcomes: expected at least one row");
            ok = false;
        }
        let mut outcomes = Vec::new();
        for (i, o) in file.outcomes.iter().enumerate() {
            let op = p.key("outcomes").index(i);
            let shares_ok = self.share(op.key("resolve_share"), o.resolve_share, "resolve_share")
                & self.share(op.key("handoff_share"), o.handoff_share, "handoff_share");
            if shares_ok && o.resolve_share + o.handoff_share > 1.0 + 1e-9 {
                self.fail(
                    op.clone(),
                    "resolve_share + handoff_share above 1: expected at most 1 (the rest drop)",
                );
                ok = false;
            }
            if o.topic.is_some() && topic_attribute.is_none() {
                self.fail(
                    op.key("topic"),
                    "a topic without bot.topic_attribute: expected the attribute that carries it",
                );
                ok = false;
            }
            ok &= shares_ok;
            outcomes.push((
                o.topic.as_deref().map(text_value),
                TopicOutcomes {
                    resolve_share: o.resolve_share,
                    handoff_share: o.handoff_share,
                },
            ));
        }
        let turns = self.count(p.key("turns"), &file.turns);
        let actions = match &file.actions {
            None => Some(None),
            Some(a) => {
                let ap = p.key("actions");
                let shares =
                    self.share(ap.key("share_of_turns"), a.share_of_turns, "share_of_turns")
                        & self.share(ap.key("failure_share"), a.failure_share, "failure_share");
                let latency = self.dist(ap.key("latency"), &a.latency);
                latency.filter(|_| shares).map(|latency| {
                    Some(ActionSpec {
                        share_of_turns: a.share_of_turns,
                        latency,
                        failure_share: a.failure_share,
                        handoff_after: a.handoff_after_failures,
                    })
                })
            }
        };
        let media = match &file.media {
            None => Some(None),
            Some(m) => {
                let mp = p.key("media");
                let ok =
                    self.share(
                        mp.key("share_of_messages"),
                        m.share_of_messages,
                        "share_of_messages",
                    ) & self.share(
                        mp.key("rehost_failure_share"),
                        m.rehost_failure_share,
                        "rehost_failure_share",
                    ) & self.positive(mp.key("link_life_min"), m.link_life_min, "link_life_min");
                let extras = self.share(mp.key("sticker_share"), m.sticker_share, "sticker_share")
                    & self.share(mp.key("system_share"), m.system_share, "system_share");
                let kind_weights = self.media_kinds(&mp, m.kinds.as_ref());
                match kind_weights {
                    Some(kind_weights) if ok && extras => Some(Some(MediaSpec {
                        share_of_messages: m.share_of_messages,
                        rehost_failure_share: m.rehost_failure_share,
                        link_life_ms: (m.link_life_min * 60_000.0).round() as u64,
                        kind_weights,
                        sticker_share: m.sticker_share,
                        system_share: m.system_share,
                    })),
                    _ => None,
                }
            }
        };
        let reply_shapes = self.reply_shapes(&p, &file.reply_shapes);
        let closed_by_humans = match &file.closed_by_humans {
            None => Some(None),
            Some(h) => {
                let hp = p.key("closed_by_humans");
                let share = self.share(hp.key("share"), h.share, "share");
                let after = self.dist(hp.key("after"), &h.after);
                after.filter(|_| share).map(|after| Some((h.share, after)))
            }
        };
        let api_key_scopes = file
            .api_key_scopes
            .clone()
            .unwrap_or_else(|| vec![REQUIRED_SCOPE.to_string()]);
        // BOT-11: the configured base URL must be the account's (when both are given).
        let base_url_ok = match (&file.base_url, &file.account_base_url) {
            (Some(a), Some(b)) => same_url(a, b),
            _ => true,
        };
        let (
            Some(reply),
            Some(webhook_delay),
            Some(turns),
            Some(actions),
            Some(media),
            Some(reply_shapes),
            Some(closed_by_humans),
            true,
        ) = (
            reply,
            webhook_delay,
            turns,
            actions,
            media,
            reply_shapes,
            closed_by_humans,
            ok,
        )
        else {
            return None;
        };
        Some(BotSpec {
            name: file.name.clone(),
            settings: BotSettings {
                autopilot: file.autopilot,
                handle_unassigned: file.handle_unassigned,
                close_when_resolved: file.close_when_resolved,
                debounce_ms,
            },
            webhook: file.webhook,
            webhook_replaced_at_ms,
            channels: kinds,
            assigned: file.assigned,
            give_back_share: file.give_back_share,
            memory_turns_saved: file.memory_turns_saved,
            reply,
            webhook_delay,
            duplicate_share: file.duplicate_share,
            topic_attribute,
            outcomes,
            turns,
            actions,
            media,
            reply_path: match file.reply_path {
                ReplyPathFile::ConversationsApi => SendPath::ConversationsApi,
                ReplyPathFile::WhatsappApi => SendPath::WhatsappApi,
            },
            reply_shapes,
            api_key_scopes,
            base_url_ok,
            // Set once the queues are known (`scenario::build`).
            unrouted_queue: None,
            direct_assign: None,
            closed_by_humans,
        })
    }

    /// WIN-6: the weights of the attachment kinds (default: images).
    fn media_kinds(
        &mut self,
        p: &FieldPath,
        kinds: Option<&BTreeMap<String, f64>>,
    ) -> Option<[f64; 5]> {
        let Some(kinds) = kinds else {
            return Some([0.0, 1.0, 0.0, 0.0, 0.0]);
        };
        let kp = p.key("kinds");
        let mut weights = [0.0; 5];
        let mut ok = true;
        for (name, w) in kinds {
            let Some(k) = InboundKind::MEDIA.iter().position(|k| k.as_str() == name) else {
                self.fail(
                    kp.key(name),
                    format!(
                        "unknown kind '{name}': expected voice_note, image, video, document or \
                         location (stickers and system messages have their own shares)"
                    ),
                );
                ok = false;
                continue;
            };
            if w.is_finite() && (0.0..=1e6).contains(w) {
                weights[k] = *w;
            } else {
                self.fail(kp.key(name), format!("{w}: expected a weight of 0 or more"));
                ok = false;
            }
        }
        if ok && weights.iter().all(|w| *w == 0.0) {
            self.fail(
                kp,
                "every weight is 0: expected at least one kind with weight",
            );
            ok = false;
        }
        ok.then_some(weights)
    }

    /// WIN-4, WIN-5: the kinds of reply, each a share of replies.
    fn reply_shapes(
        &mut self,
        p: &FieldPath,
        rows: &[ReplyShapeFile],
    ) -> Option<Vec<(f64, ReplyShape)>> {
        let mut ok = true;
        let mut total = 0.0;
        let mut shapes = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            let rp = p.key("reply_shapes").index(i);
            ok &= self.share(rp.key("share"), r.share, "share");
            total += r.share;
            let text_chars = r.text_chars.unwrap_or(PLAIN_REPLY.text_chars);
            let bounds = [
                ("text_chars", text_chars, 1, TEXT_CHARS),
                ("options", r.options, 0, 100),
                ("option_chars", r.option_chars, 0, 1_000),
                ("link_label_chars", r.link_label_chars, 0, 1_000),
                ("attachments", r.attachments, 0, 10),
            ];
            for (field, value, low, high) in bounds {
                if !(low..=high).contains(&value) {
                    self.fail(rp.key(field), format!("{value}: expected {low} to {high}"));
                    ok = false;
                }
            }
            if r.options > 0 && r.option_chars == 0 {
                self.fail(
                    rp.key("option_chars"),
                    "options without a length: expected the longest option's characters (1 or more)",
                );
                ok = false;
            }
            shapes.push((
                r.share,
                ReplyShape {
                    text_chars,
                    options: r.options,
                    option_chars: r.option_chars,
                    link: r.link,
                    link_label_chars: r.link_label_chars,
                    attachments: r.attachments,
                },
            ));
        }
        if ok && total > 1.0 + 1e-9 {
            self.fail(
                p.key("reply_shapes"),
                format!(
                    "the shares add up to {total:.3}: expected at most 1 (the rest is plain text)"
                ),
            );
            ok = false;
        }
        ok.then_some(shapes)
    }
}

/// Two base URLs name the same host and path (scheme and case aside, a trailing slash too).
fn same_url(a: &str, b: &str) -> bool {
    let norm = |u: &str| {
        let u = u.trim().to_ascii_lowercase();
        let u = u
            .strip_prefix("https://")
            .or_else(|| u.strip_prefix("http://"))
            .map_or(u.clone(), str::to_string);
        u.trim_end_matches('/').to_string()
    };
    norm(a) == norm(b)
}

impl Checker<'_> {
    /// Checks and converts the `[external_centre]` section (it takes the bot's handoffs, so it
    /// needs a bot).
    pub(super) fn external_centre(
        &mut self,
        root: &FieldPath,
        file: &ExternalCentreFile,
        has_bot: bool,
        names: &mut AttrNames,
    ) -> Option<ExternalSpec> {
        let p = root.key("external_centre");
        let mut ok = true;
        if !has_bot {
            self.fail(
                p.clone(),
                "an external centre without a [bot]: it takes the bot's handoffs (CC-2)",
            );
            ok = false;
        }
        let capacity = file.capacity.unwrap_or(3);
        if file.agents == 0 || capacity == 0 {
            self.fail(
                p.key("agents"),
                "no agent or no capacity: expected at least one of each",
            );
            ok = false;
        }
        let reply = self.dist(p.key("reply"), &file.reply);
        let feed = match file.poll_s {
            None => AgentFeed::Push,
            Some(s) if s.is_finite() && s > 0.0 => AgentFeed::Poll {
                interval_ms: (s * 1000.0).round() as u64,
            },
            Some(s) => {
                self.fail(p.key("poll_s"), format!("{s}: expected seconds > 0"));
                ok = false;
                AgentFeed::Push
            }
        };
        let history_page = file.history_page.unwrap_or(100);
        if !(1..=999).contains(&history_page) {
            self.fail(
                p.key("history_page"),
                format!("{history_page}: expected 1 to 999"),
            );
            ok = false;
        }
        ok &= self.share(
            p.key("forget_close_share"),
            file.forget_close_share,
            "forget_close_share",
        );
        let silence_min = file.silence_min.unwrap_or(30.0);
        ok &= self.positive(p.key("silence_min"), silence_min, "silence_min");
        // CC-3: named queues, reached by the routing context the conversation carries.
        let mut queues = vec![ExternalQueue {
            name: "default".to_string(),
            slots: file.agents.saturating_mul(capacity),
        }];
        if file.queues.len() >= MAX_EXTERNAL_QUEUES {
            self.fail(
                p.key("queues"),
                format!(
                    "{} queues: expected at most {} beside the default one",
                    file.queues.len(),
                    MAX_EXTERNAL_QUEUES - 1
                ),
            );
            ok = false;
        }
        for (i, q) in file.queues.iter().enumerate().take(MAX_EXTERNAL_QUEUES - 1) {
            let qp = p.key("queues").index(i);
            if q.agents == 0 {
                self.fail(qp.key("agents"), "no agent: expected at least one");
                ok = false;
            }
            if queues.iter().any(|known| known.name == q.name) {
                self.fail(
                    qp.key("name"),
                    format!("'{}' is named twice (the first queue is 'default')", q.name),
                );
                ok = false;
            }
            queues.push(ExternalQueue {
                name: q.name.clone(),
                slots: q.agents.saturating_mul(capacity),
            });
        }
        let queue_attribute = match (&file.queue_attribute, file.queues.is_empty()) {
            (Some(a), false) if self.attribute_name(p.key("queue_attribute"), a) => {
                Some(names.intern(a))
            }
            (Some(_), false) => {
                ok = false;
                None
            }
            (Some(_), true) => {
                self.fail(
                    p.key("queue_attribute"),
                    "a queue attribute without queues: expected named queues to route to",
                );
                ok = false;
                None
            }
            (None, false) => {
                self.fail(
                    p.key("queues"),
                    "named queues without queue_attribute: expected the attribute whose value names the queue",
                );
                ok = false;
                None
            }
            (None, true) => None,
        };
        let reply = reply?;
        ok.then(|| ExternalSpec {
            queues,
            queue_attribute,
            reply,
            feed,
            history_page: history_page as usize,
            forget_close_share: file.forget_close_share,
            silence_ms: (silence_min * 60_000.0).round() as u64,
        })
    }
}
