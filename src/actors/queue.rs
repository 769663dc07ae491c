//! A queue's waiting line: higher priority first, then the oldest (RT-5). The queue is the
//! authority on a conversation's fate in it (answered or abandoned) and records both, so no
//! conversation is counted twice when an answer and an abandonment meet at the same instant.

use std::collections::BTreeMap;

use super::{Context, ConvId, Head, Layout, Metric, Msg};
use crate::model::channel::ChannelCategory;
use crate::model::priority::LineKey;

#[derive(Debug, Clone, Copy)]
struct Waiting {
    conv: ConvId,
    segment: u32,
    category: ChannelCategory,
}

/// One queue.
#[derive(Debug)]
pub struct Queue {
    index: u32,
    layout: Layout,
    line: BTreeMap<LineKey, Waiting>,
}

impl Queue {
    /// Queue number `index`, empty.
    pub fn new(index: u32, layout: Layout) -> Self {
        Self {
            index,
            layout,
            line: BTreeMap::new(),
        }
    }

    /// Conversations waiting.
    pub fn len(&self) -> usize {
        self.line.len()
    }

    /// Whether nobody waits.
    pub fn is_empty(&self) -> bool {
        self.line.is_empty()
    }

    fn head(&self) -> Option<Head> {
        self.line.first_key_value().map(|(key, w)| Head {
            conv: w.conv,
            key: *key,
            category: w.category,
        })
    }

    fn announce_head<C: Context>(&self, ctx: &mut C) {
        ctx.send(
            Layout::PLATFORM,
            Msg::HeadChanged {
                queue: self.index,
                head: self.head(),
            },
        );
    }

    fn record_length<C: Context>(&self, ctx: &mut C) {
        ctx.record(Metric::QueueLength {
            queue: self.index,
            len: self.line.len() as u32,
        });
    }

    /// Handles one message.
    pub fn handle<C: Context>(&mut self, msg: Msg, ctx: &mut C) {
        match msg {
            Msg::Enqueue {
                conv,
                key,
                segment,
                category,
            } => {
                ctx.record(Metric::Offered {
                    queue: self.index,
                    arrived_ms: key.created_ms,
                });
                let becomes_head = self.line.first_key_value().is_none_or(|(k, _)| key < *k);
                self.line.insert(
                    key,
                    Waiting {
                        conv,
                        segment,
                        category,
                    },
                );
                self.record_length(ctx);
                if becomes_head {
                    self.announce_head(ctx);
                }
            }
            Msg::Abandon { conv, key } => {
                let was_head = self.line.first_key_value().is_some_and(|(k, _)| *k == key);
                match self.line.get(&key) {
                    Some(w) if w.conv == conv => {}
                    _ => return, // already answered
                }
                self.line.remove(&key);
                ctx.record(Metric::Abandoned {
                    queue: self.index,
                    arrived_ms: key.created_ms,
                    wait_ms: ctx.now_ms() - key.created_ms,
                });
                self.record_length(ctx);
                ctx.send(Layout::CUSTOMERS, Msg::Left { conv });
                if was_head {
                    self.announce_head(ctx);
                }
            }
            Msg::Offer {
                agent,
                conv,
                key,
                category,
            } => {
                let still_waiting = self.line.get(&key).is_some_and(|w| w.conv == conv);
                if !still_waiting {
                    // It left (abandoned at this instant): give the slot back.
                    let queue = self.index;
                    let declined = Msg::Declined {
                        agent,
                        queue,
                        conv,
                        category,
                    };
                    ctx.send(Layout::PLATFORM, declined);
                    return;
                }
                let was_head = self.line.first_key_value().is_some_and(|(k, _)| *k == key);
                let Some(w) = self.line.remove(&key) else {
                    return;
                };
                ctx.record(Metric::Answered {
                    queue: self.index,
                    arrived_ms: key.created_ms,
                    wait_ms: ctx.now_ms() - key.created_ms,
                });
                self.record_length(ctx);
                let serve = Msg::Serve {
                    conv,
                    segment: w.segment,
                    category: w.category,
                };
                ctx.send(self.layout.agent(agent), serve);
                ctx.send(Layout::CUSTOMERS, Msg::Answered { conv });
                if was_head {
                    self.announce_head(ctx);
                }
            }
            _ => debug_assert!(false, "queue actor got {msg:?}"),
        }
    }
}
