//! An agent: on and off shift by its weekly pattern, setting Away or Busy for scheduled spans, holding conversations up to its capacity
//! per category (the platform enforces the limit; the agent asserts it), drawing the handle time
//! of each conversation from its own random stream.

use std::sync::Arc;

use super::{Context, Layout, Metric, Msg, StreamId};
use crate::model::centre::CentreSpec;
use crate::model::channel::ChannelCategory;
use crate::model::status::DefaultStatus;

/// One agent.
#[derive(Debug)]
pub struct Agent {
    index: u32,
    spec: Arc<CentreSpec>,
    layout: Layout,
    handle_stream: StreamId,
    on_shift: bool,
    /// The status it last set.
    status: DefaultStatus,
    busy: [u32; 4],
}

impl Agent {
    /// Agent `index` of `spec`, off shift and idle.
    pub fn new(index: u32, spec: Arc<CentreSpec>, layout: Layout) -> Self {
        let handle_stream = Layout::handle_stream(spec.segments.len() as u32, index);
        Self {
            index,
            spec,
            layout,
            handle_stream,
            on_shift: false,
            status: DefaultStatus::Offline,
            busy: [0; 4],
        }
    }

    /// Conversations held, all categories.
    pub fn busy_slots(&self) -> u32 {
        self.busy.iter().sum()
    }

    /// Conversations held per category, in `ChannelCategory::ALL` order.
    pub fn busy_per_category(&self) -> [u32; 4] {
        self.busy
    }

    /// Whether the agent is on shift.
    pub fn on_shift(&self) -> bool {
        self.on_shift
    }

    /// Handles one message.
    pub fn handle<C: Context>(&mut self, msg: Msg, ctx: &mut C) {
        match msg {
            Msg::ShiftCheck => self.check_shift(ctx),
            Msg::Serve {
                conv,
                segment,
                queue,
                category,
            } => {
                let held = &mut self.busy[category.index()];
                *held += 1;
                debug_assert!(
                    *held <= self.spec.agents[self.index as usize].capacity.of(category),
                    "agent {} above capacity in {category:?}",
                    self.index
                );
                self.record_busy(category, ctx);
                let handle_ms = self
                    .spec
                    .handle_time(segment, queue)
                    .sample_ms(ctx.rng(self.handle_stream));
                let me = self.layout.agent(self.index);
                ctx.schedule(handle_ms, me, Msg::ServiceDone { conv, category });
            }
            Msg::ServiceDone { conv, category } => {
                self.busy[category.index()] -= 1;
                self.record_busy(category, ctx);
                let agent = self.index;
                ctx.send(Layout::PLATFORM, Msg::SlotFreed { agent, category });
                ctx.send(Layout::CUSTOMERS, Msg::Finished { conv });
            }
            _ => debug_assert!(false, "agent actor got {msg:?}"),
        }
    }

    fn record_busy<C: Context>(&self, category: ChannelCategory, ctx: &mut C) {
        ctx.record(Metric::AgentBusy {
            agent: self.index,
            busy_slots: self.busy_slots(),
            category,
            in_category: self.busy[category.index()],
        });
    }

    fn check_shift<C: Context>(&mut self, ctx: &mut C) {
        let now = ctx.now_ms();
        let spec = &self.spec;
        let (status, next) = spec.agents[self.index as usize].status_at(&spec.calendar, now);
        if let Some(next) = next.filter(|&t| t < spec.horizon_ms) {
            ctx.schedule(next - now, self.layout.agent(self.index), Msg::ShiftCheck);
        }
        let agent = self.index;
        let on = status != DefaultStatus::Offline;
        if on != self.on_shift {
            self.on_shift = on;
            ctx.record(Metric::AgentShift { agent, on });
        }
        if status != self.status {
            self.status = status;
            ctx.send(Layout::PLATFORM, Msg::StatusSet { agent, status });
        }
    }
}
