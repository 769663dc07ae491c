//! The Conversations API as the bot and the translation layer call it: each [`PlatformMsg::Api`] is one
//! operation on the platform's conversation store (`model::platform_api`), counted by operation
//! with refusals as writes rejected, and answered to its caller with [`Msg::ApiResult`] — what
//! it returned or the API's error (a closed conversation, BOT-8; an unknown id). What a
//! successful call changes beyond the store happens here too: a reply reaches the customer and
//! is measured from the customer's oldest unanswered message; a route ends the bot's part and
//! hands the conversation to Infobip's queues or to the external centre (BOT-3, CC-2).

use super::Platform;
use super::bot_side::{BotConversation, External, store_id};
use crate::actors::{ApiAnswer, ApiCall, ApiCaller, Context, ConvId, Metric};
use crate::actors::{CustomerMsg, ExternalMsg};
use crate::model::bot::whatsapp::{self, MEDIA_URL_CHARS, Part};
use crate::model::bot::{HANDOFF_TAG, HandoffReason};
use crate::model::platform_api::{ApiError, ApiErrorKind, Assignee, Author, Content, Update};
use crate::model::status::{ConversationStatus, DefaultStatus};
use crate::model::translation::Context as RoutingContext;

/// Length of the internal note the simulation writes (inside the API's limits; the HTTP mock
/// takes real texts).
const NOTE_CHARS: usize = 400;

impl Platform {
    /// Carries out one API call and answers the caller.
    pub(super) fn api_call<C: Context>(
        &mut self,
        conv: ConvId,
        call: ApiCall,
        caller: ApiCaller,
        ctx: &mut C,
    ) {
        let now = ctx.now_ms();
        let id = store_id(conv);
        let author = match caller {
            ApiCaller::Bot => Author::Bot,
            ApiCaller::Layer => Author::Agent,
        };
        // BOT-11: a bot that could not connect (wrong base URL, or a key without
        // `conversations:manage`) has every call refused.
        let result = if caller == ApiCaller::Bot && !self.bot_connected {
            Err(ApiErrorKind::Unauthorized)
        } else {
            self.store_call(id, call, caller, author, now)
                .map_err(|e| e.kind())
        };
        ctx.record(Metric::ApiCall {
            conv,
            op: call.op(),
            rejected: result.is_err(),
        });
        ctx.send(caller.answer(conv, call, result));
        if result.is_ok() {
            self.api_applied(conv, call, caller, now, ctx);
        } else if result == Err(ApiErrorKind::Closed)
            && caller == ApiCaller::Bot
            && !self.bot_conversations.contains_key(&conv)
        {
            // BOT-8: the bot learnt that a human closed it; nobody needs it in the store now.
            self.store.forget(id);
        }
    }

    /// The call on the conversation store.
    fn store_call(
        &mut self,
        id: u64,
        call: ApiCall,
        caller: ApiCaller,
        author: Author,
        now: u64,
    ) -> Result<ApiAnswer, ApiError> {
        match call {
            ApiCall::CreateMessage { chars } => self
                .store
                .create_message(id, author, Content::FreeForm, chars as usize, now)
                .map(|_| ApiAnswer::Done),
            // WIN-5: an attachment is a message of its own (its media URL).
            ApiCall::SendWhatsapp {
                part: Part::Attachment,
                ..
            } => self
                .store
                .create_message(id, author, Content::FreeForm, MEDIA_URL_CHARS as usize, now)
                .map(|_| ApiAnswer::Done),
            // WIN-4: the platform checks the format's limits.
            ApiCall::SendWhatsapp {
                part: Part::Reply(format),
                shape,
            } => match whatsapp::check(format, &shape) {
                Err(refusal) => Err(ApiError::Validation(
                    [(
                        refusal.field.to_string(),
                        vec![refusal.expected.to_string()],
                    )]
                    .into(),
                )),
                Ok(()) => {
                    let chars = format.text_chars(&shape) as usize;
                    self.store
                        .create_message(id, author, Content::FreeForm, chars, now)
                        .map(|_| ApiAnswer::Done)
                }
            },
            ApiCall::GetMessages { page, limit } => self
                .store
                .messages(id, page as usize, limit as usize)
                .map(|p| ApiAnswer::Page {
                    got: p.messages.len() as u32,
                    total: p.total as u32,
                }),
            ApiCall::GetConversation => {
                let bot = self.spec.bot.as_ref().map(|b| b.name.as_str());
                self.store.get(id).map(|c| ApiAnswer::Conversation {
                    assigned_to_caller: caller == ApiCaller::Bot
                        && matches!(&c.assignee, Some(Assignee::Bot(b)) if Some(b.as_str()) == bot),
                })
            }
            ApiCall::Close => {
                let close = Update {
                    status: Some(ConversationStatus::Closed),
                    ..Update::default()
                };
                self.store.update(id, &close, now).map(|_| ApiAnswer::Done)
            }
            ApiCall::Unassign => self.store.unassign(id).map(|_| ApiAnswer::Done),
            ApiCall::AddTag => self
                .store
                .add_tag(id, HANDOFF_TAG)
                .map(|()| ApiAnswer::Done),
            ApiCall::AddNote { .. } => self
                .store
                .add_note(id, "bot", NOTE_CHARS, now)
                .map(|()| ApiAnswer::Done),
            ApiCall::Route => self.store.route(id).map(|_| ApiAnswer::Done),
            ApiCall::Assign => match self.direct_agent() {
                Some(agent) => {
                    let name = self.spec.agents[agent as usize].name.clone();
                    self.store
                        .assign(id, Assignee::Agent(name))
                        .map(|_| ApiAnswer::Done)
                }
                None => Err(ApiError::NotFound(
                    "no agent of the group is signed in and Available".into(),
                )),
            },
        }
    }

    /// What a successful call changes outside the store.
    fn api_applied<C: Context>(
        &mut self,
        conv: ConvId,
        call: ApiCall,
        caller: ApiCaller,
        now: u64,
        ctx: &mut C,
    ) {
        match (call, caller) {
            // The reply's text part (after its attachments, WIN-5) answers the customer.
            (
                ApiCall::CreateMessage { .. }
                | ApiCall::SendWhatsapp {
                    part: Part::Reply(_),
                    ..
                },
                ApiCaller::Bot,
            ) => {
                // A customer who left before the bot's answer does not read it; the message is
                // in the conversation all the same.
                if let Some(c) = self.bot_conversations.get_mut(&conv) {
                    let latency_ms = c.turn_started_ms.take().map_or(0, |t| now - t);
                    ctx.record(Metric::BotReplied { conv, latency_ms });
                    ctx.send(CustomerMsg::BotReplied { conv });
                }
            }
            (ApiCall::CreateMessage { .. }, ApiCaller::Layer) => {
                if let Some(External::Active {
                    turn_started_ms, ..
                }) = self.external_conversations.get_mut(&conv)
                {
                    let latency_ms = turn_started_ms.take().map_or(0, |t| now - t);
                    ctx.record(Metric::ExternalReplied { conv, latency_ms });
                    ctx.send(CustomerMsg::AgentReplied { conv });
                }
            }
            (ApiCall::AddNote { reason }, ApiCaller::Bot) => {
                if let Some(c) = self.bot_conversations.get_mut(&conv) {
                    c.handoff_reason = Some(reason);
                }
            }
            (ApiCall::Route, _) => self.routed(conv, now, ctx),
            (ApiCall::Assign, ApiCaller::Bot) => self.assigned_to_agent(conv, ctx),
            _ => {}
        }
    }

    /// The agent the bot's integration assigns a handoff to (004), standing for its own lookup
    /// **(decision)**: of the direct-assignment group, an agent signed in and not on a break
    /// (showing Available or Full Capacity) holding the fewest conversations, the first listed
    /// on a tie. Capacity does not rule it out: it limits automatic assignment only.
    fn direct_agent(&self) -> Option<u32> {
        let direct = self.spec.bot.as_ref()?.direct_assign.as_ref()?;
        self.assigner
            .members(direct.queue)
            .iter()
            .copied()
            .filter(|&a| {
                matches!(
                    self.assigner.shown_status(a),
                    DefaultStatus::Available | DefaultStatus::FullCapacity
                )
            })
            .min_by_key(|&a| (self.assigner.held(a).iter().sum::<u32>(), a))
    }

    /// 004: the integration made an agent the assignee: the handoff is done, routing avoided.
    /// The conversation is the agent's at once, in the queue that stands for "no queue".
    fn assigned_to_agent<C: Context>(&mut self, conv: ConvId, ctx: &mut C) {
        let agent = self.direct_agent();
        let queue = self
            .spec
            .bot
            .as_ref()
            .and_then(|b| b.direct_assign.as_ref())
            .map(|d| d.queue);
        let id = store_id(conv);
        let (Some(c), Some(agent), Some(queue)) =
            (self.bot_conversations.remove(&conv), agent, queue)
        else {
            // Its customer had left: nobody is there to serve.
            self.store.forget(id);
            return;
        };
        let reason = c.handoff_reason.unwrap_or(HandoffReason::Customer);
        ctx.record(Metric::BotHandoff { conv, reason });
        self.hand_to_humans(conv, &c, Some((queue, agent)), ctx);
    }

    /// Infobip's own agents take the bot's conversation `c` from here: routed on what the bot
    /// tagged (BOT-3), or in the queue standing for a direct assignment to `to_agent` (004).
    /// The store's part is done.
    fn hand_to_humans<C: Context>(
        &mut self,
        conv: ConvId,
        c: &BotConversation,
        to_agent: Option<(u32, u32)>,
        ctx: &mut C,
    ) {
        let id = store_id(conv);
        let tags = self
            .store
            .get(id)
            .map(|s| s.tags.clone())
            .unwrap_or_default();
        self.store.forget(id);
        let draw = (&c.draw, false, tags.as_slice(), to_agent);
        self.route(conv, c.segment, c.arrival_seq, c.history, draw, ctx);
    }

    /// BOT-3: the bot's conversation was routed: the handoff is done. Infobip's own queues take
    /// it, or the translation layer for the external centre (CC-2).
    fn routed<C: Context>(&mut self, conv: ConvId, now: u64, ctx: &mut C) {
        let Some(c) = self.bot_conversations.remove(&conv) else {
            // Its customer had left: nobody is there to serve.
            self.store.forget(store_id(conv));
            return;
        };
        let reason = c.handoff_reason.unwrap_or(HandoffReason::Customer);
        ctx.record(Metric::BotHandoff { conv, reason });
        if let Some(ext) = &self.spec.external {
            // CC-3: the tags and metadata on the conversation carry the routing context the
            // layer reads to pick the external queue.
            let context = self.store.get(store_id(conv)).map_or_else(
                |_| RoutingContext::default(),
                |s| RoutingContext {
                    tags: s.tags.clone(),
                    metadata: s.metadata.clone(),
                },
            );
            let queue = ext.queue_for(&context) as u16;
            let segment = c.segment;
            let turn_started_ms = Some(now);
            self.external_conversations.insert(
                conv,
                External::Active {
                    segment,
                    turn_started_ms,
                },
            );
            ctx.send(ExternalMsg::Handover { conv, queue });
        } else {
            self.hand_to_humans(conv, &c, None, ctx);
        }
    }
}
