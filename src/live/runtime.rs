//! The live runtime: the simulation's sans-IO actors on wall-clock time, each hosted in an
//! actix actor. `ccsim load`, `ccsim bot` and `ccsim demo` all run their actors here; the
//! simulation engine (`sim::engine`) is the other driver of the same actors.
//!
//! An actor handles a message inside its host; what it asks of its [`Context`](crate::actors::Context) is carried out
//! when it returns:
//! - a message sent goes to the recipient's host (its actix address), through the run's
//!   [`Routes`], which also name the boundaries: what is for the Infobip platform's bot side
//!   goes to the mock (`ccsim load`), what the bot asks of the platform goes over HTTP
//!   (`ccsim bot`);
//! - a message scheduled is a timer of the scheduling actor's host, kept by its [`TimerId`](crate::actors::TimerId)
//!   until it fires or is cancelled; the host arms one actix timer (`AsyncContext::run_later`)
//!   for the earliest of them (`Timers` says why not one each);
//! - a metric goes where the run's [`Routes::record`] sends it: the load's recorder actor
//!   (`load::humans::HumansRecorder`), the reference bot's statistics;
//! - a random draw comes from the simulation's named stream of that id (`sim::rng`'s registry,
//!   replication 0), so a seed draws the same numbers live as simulated.
//!
//! # Ordering rule
//!
//! Every host runs on one actix arbiter (one thread), handling one message at a time. Messages
//! from one actor to another are handled in the order they were sent (actix mailboxes are
//! FIFO). A scheduled message is handed to its recipient's mailbox when its timer fires, no
//! earlier than its due time, or handled in place when the recipient is the actor that set
//! it; a host's timers fire in order of due time; a cancelled timer never fires. A message carries its intended
//! time: an actor handles it as of that time (its `now_ms`), however late the thread got to
//! it, and what it sends or schedules is due from then, so a busy runtime delays messages but
//! does not shift the scenario's clock (no coordinated omission). Time never runs backwards,
//! as in the simulation: a message whose intended time is before one already handled (by any
//! actor of the run) is handled as of that later time, since what it reads may have been made
//! then (a conversation created after the timer that offers it was due). There is no order between
//! messages of different senders beyond that, and none between a timer and a message arriving
//! at the same instant: unlike virtual time, the live runtime is not deterministic, and the
//! actors do not rely on it (a stale timer or a late offer is recognised and ignored, as in
//! the simulation).
//!
//! One exception to "a cancelled timer never fires": a timer that fired and whose message is
//! already in the recipient's mailbox is delivered. The actors treat such a message as stale,
//! exactly as they do a timer that fires at the same instant as the event that cancels it in
//! virtual time.

use std::cell::{Cell, RefCell};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix::{Actor, ActorContext, AsyncContext, Context as ActixContext, Handler, SpawnHandle};

use super::context::{LiveContext, Outbox, Streams};
use crate::actors::agent::Agent;
use crate::actors::bot::Bot;
use crate::actors::customer::Customers;
use crate::actors::platform::Platform;
use crate::actors::queue::Queue;
use crate::actors::{Metric, Msg};
use crate::model::centre::CentreSpec;

/// The run's clock: wall-clock time since its start, mapped to simulated time (optionally
/// compressed: `compress` 60 is a simulated minute per second).
#[derive(Debug, Clone, Copy)]
pub struct LiveClock {
    /// When the run started.
    pub started: Instant,
    /// The simulated time the run starts at, ms since the scenario's start.
    pub start_ms: u64,
    /// Simulated time per wall-clock time.
    pub compress: f64,
}

impl LiveClock {
    /// A clock started now at simulated `start_ms`, running `compress` times real time.
    pub fn new(start_ms: u64, compress: f64) -> Self {
        Self {
            started: Instant::now(),
            start_ms,
            compress,
        }
    }

    /// Simulated ms at `at`.
    pub fn virtual_ms(&self, at: Instant) -> u64 {
        let wall = at.saturating_duration_since(self.started);
        self.start_ms + (wall.as_secs_f64() * 1000.0 * self.compress) as u64
    }

    /// Wall-clock ms since the start at `at`.
    pub fn wall_ms(&self, at: Instant) -> u64 {
        at.saturating_duration_since(self.started).as_millis() as u64
    }

    /// The wall-clock instant of simulated `ms` (not before the start).
    pub fn instant_of(&self, ms: u64) -> Instant {
        let since_ms = ms.saturating_sub(self.start_ms) as f64 / self.compress;
        self.started + Duration::from_secs_f64(since_ms / 1000.0)
    }

    /// The wall-clock length of `delay_ms` simulated.
    pub fn wall(&self, delay_ms: u64) -> Duration {
        Duration::from_secs_f64(delay_ms as f64 / 1000.0 / self.compress)
    }
}

/// A message on its way to an actor, with the time it is due (its sender's intended time, or
/// its timer's due time).
#[derive(Debug, Clone, Copy, actix::Message)]
#[rtype(result = "()")]
pub struct Deliver {
    /// The actors' message.
    pub msg: Msg,
    /// When it is due.
    pub due: Instant,
}

/// The hosted actor's first moves (its `start`), due at the run's start.
#[derive(Debug, Clone, Copy, actix::Message)]
#[rtype(result = "()")]
pub struct Start;

/// Where a run's messages and metrics go: its hosts' addresses and its boundaries.
pub trait Routes {
    /// Hands `msg`, due at `due`, to its recipient.
    fn deliver(&self, msg: Msg, due: Instant);
    /// Takes in a metric an actor recorded at simulated `now_ms`.
    fn record(&self, metric: Metric, now_ms: u64);
    /// Whether `msg` is still wanted: a run may stop some messages (the load stops arrivals
    /// when its arrival window ends). [`Routes::deliver`] drops what this refuses; a host
    /// asks it before handling its own timer's message in place.
    fn admits(&self, _msg: &Msg) -> bool {
        true
    }
}

/// What every host of one run shares: the clock, the named random streams, the timer counter
/// and the routes. All hosts run on one thread, so this is shared by `Rc` without locks.
pub struct Runtime {
    clock: LiveClock,
    /// The latest simulated time an actor has handled a message at: no actor sees time run
    /// backwards (see the ordering rule).
    latest_ms: Cell<u64>,
    streams: RefCell<Streams>,
    next_timer: Cell<u64>,
    routes: RefCell<Option<Rc<dyn Routes>>>,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("clock", &self.clock)
            .field("next_timer", &self.next_timer.get())
            .finish_non_exhaustive()
    }
}

impl Runtime {
    /// A runtime for `spec`'s actors with `seed`'s streams, on `clock`. Its routes are set once
    /// its hosts are started ([`Runtime::connect`]).
    pub fn new(spec: Arc<CentreSpec>, seed: u64, clock: LiveClock) -> Rc<Self> {
        Rc::new(Self {
            latest_ms: Cell::new(clock.start_ms),
            clock,
            streams: RefCell::new(Streams::new(seed, spec)),
            next_timer: Cell::new(0),
            routes: RefCell::new(None),
        })
    }

    /// The run's clock.
    pub fn clock(&self) -> &LiveClock {
        &self.clock
    }

    /// Sets where messages go (the hosts' addresses exist only once they are started).
    pub fn connect(&self, routes: Rc<dyn Routes>) {
        *self.routes.borrow_mut() = Some(routes);
    }

    /// Ends the run: routes are dropped (and with them the hosts' addresses, so the hosts stop),
    /// and nothing is delivered any more.
    pub fn shut_down(&self) {
        self.routes.borrow_mut().take();
    }

    /// Whether the run is still on.
    pub fn is_running(&self) -> bool {
        self.routes.borrow().is_some()
    }

    /// Whether the run still wants `msg` ([`Routes::admits`]); nothing once it is over.
    fn admits(&self, msg: &Msg) -> bool {
        self.routes.borrow().as_ref().is_some_and(|r| r.admits(msg))
    }

    /// Hands `msg` to its recipient, due at `due` (nothing once the run is over).
    pub fn deliver(&self, msg: Msg, due: Instant) {
        let routes = self.routes.borrow().clone();
        if let Some(routes) = routes {
            routes.deliver(msg, due);
        }
    }

    fn record(&self, metric: Metric, now_ms: u64) {
        let routes = self.routes.borrow().clone();
        if let Some(routes) = routes {
            routes.record(metric, now_ms);
        }
    }

    /// Runs `f` with a context as of `due`, then carries out what it asked for: its metrics
    /// recorded, its messages routed, its timers kept in (or cancelled from) `host`'s timers.
    /// The caller re-arms the host.
    fn run<A: Hosted>(
        self: &Rc<Self>,
        host: &mut Host<A>,
        due: Instant,
        f: impl FnOnce(&mut A, &mut LiveContext<'_>),
    ) {
        let (mut now_ms, latest_ms) = (self.clock.virtual_ms(due), self.latest_ms.get());
        // Time never runs backwards: a message due before the latest handled is handled as of
        // then, and what it schedules is due from then.
        let due = if now_ms < latest_ms {
            now_ms = latest_ms;
            due.max(self.clock.instant_of(latest_ms))
        } else {
            due
        };
        self.latest_ms.set(now_ms);
        let mut out = Outbox::default();
        {
            let mut streams = self.streams.borrow_mut();
            let mut next_timer = self.next_timer.get();
            let mut live = LiveContext::new(now_ms, &mut out, &mut streams, &mut next_timer);
            f(&mut host.actor, &mut live);
            self.next_timer.set(next_timer);
        }
        for metric in out.metrics {
            self.record(metric, now_ms);
        }
        for timer in out.cancelled {
            host.timers.cancel(timer.seq);
        }
        for (delay_ms, msg, timer) in out.scheduled {
            let fire_at = due + self.clock.wall(delay_ms);
            host.timers.add(timer.seq, fire_at, msg);
        }
        for msg in out.sent {
            self.deliver(msg, due);
        }
    }

    /// `host`'s actor handles `msg` due at `due` (not yet re-armed: the caller arms).
    fn handle_in<A: Hosted>(self: &Rc<Self>, host: &mut Host<A>, msg: Msg, due: Instant) {
        self.run(host, due, |actor, live| actor.handle(msg, live));
    }
}

/// A sans-IO actor the runtime can host.
pub trait Hosted: Sized + Unpin + 'static {
    /// Handles one message addressed to it.
    fn handle(&mut self, msg: Msg, ctx: &mut LiveContext<'_>);
    /// Its first moves, at the run's start.
    fn start(&mut self, _ctx: &mut LiveContext<'_>) {}
    /// Whether `msg` is addressed to this actor, so its own timer's message is handled in
    /// place when it fires instead of going round its mailbox (a hop less for every
    /// arrival). The default routes everything.
    fn owns(&self, _msg: &Msg) -> bool {
        false
    }
}

impl Hosted for Customers {
    fn handle(&mut self, msg: Msg, ctx: &mut LiveContext<'_>) {
        if let Msg::Customers(m) = msg {
            Customers::handle(self, m, ctx);
        }
    }
    fn owns(&self, msg: &Msg) -> bool {
        matches!(msg, Msg::Customers(_))
    }
    fn start(&mut self, ctx: &mut LiveContext<'_>) {
        Customers::start(self, ctx);
    }
}

impl Hosted for Platform {
    fn handle(&mut self, msg: Msg, ctx: &mut LiveContext<'_>) {
        if let Msg::Platform(m) = msg {
            Platform::handle(self, m, ctx);
        }
    }
    fn start(&mut self, ctx: &mut LiveContext<'_>) {
        Platform::start(self, ctx);
    }
}

impl Hosted for Queue {
    fn handle(&mut self, msg: Msg, ctx: &mut LiveContext<'_>) {
        if let Msg::Queue(_, m) = msg {
            Queue::handle(self, m, ctx);
        }
    }
}

impl Hosted for Agent {
    fn handle(&mut self, msg: Msg, ctx: &mut LiveContext<'_>) {
        if let Msg::Agent(_, m) = msg {
            Agent::handle(self, m, ctx);
        }
    }
}

impl Hosted for Bot {
    fn handle(&mut self, msg: Msg, ctx: &mut LiveContext<'_>) {
        if let Msg::Bot(m) = msg {
            Bot::handle(self, m, ctx);
        }
    }
    fn owns(&self, msg: &Msg) -> bool {
        matches!(msg, Msg::Bot(_))
    }
}

/// The timers one host's actor scheduled: a heap by due time, and the messages of those not
/// cancelled by their sequence number. A cancelled timer's key stays in the heap until its time
/// (or the next rebuild) and is then skipped.
///
/// Why not one actix timer per message: an actix context polls every future spawned in it
/// each time the actor wakes, so with 30,000 patience timers pending in the customers' host,
/// each message cost 30,000 polls (measured: the load generator's scheduling lag at 2,000
/// webhooks/s went from p99 1.6 ms to 2.3 s). The host arms one actix timer, for its earliest
/// due time.
#[derive(Default)]
struct Timers {
    heap: BinaryHeap<Reverse<(Instant, u64)>>,
    pending: HashMap<u64, Msg>,
}

impl Timers {
    fn add(&mut self, seq: u64, fire_at: Instant, msg: Msg) {
        self.heap.push(Reverse((fire_at, seq)));
        self.pending.insert(seq, msg);
    }

    fn cancel(&mut self, seq: u64) {
        if self.pending.remove(&seq).is_some() && self.heap.len() > 2 * self.pending.len() + 1024 {
            // Mostly cancelled keys: rebuild from the live ones (order is by unique keys).
            let pending = &self.pending;
            self.heap
                .retain(|Reverse((_, seq))| pending.contains_key(seq));
        }
    }

    /// The earliest due time of a live timer (cancelled keys at the top are dropped).
    fn next_due(&mut self) -> Option<Instant> {
        while let Some(&Reverse((at, seq))) = self.heap.peek() {
            if self.pending.contains_key(&seq) {
                return Some(at);
            }
            self.heap.pop();
        }
        None
    }

    /// The next timer due by `now`: its message and due time.
    fn pop_due(&mut self, now: Instant) -> Option<(Msg, Instant)> {
        while let Some(&Reverse((at, seq))) = self.heap.peek() {
            if at > now {
                return None;
            }
            self.heap.pop();
            if let Some(msg) = self.pending.remove(&seq) {
                return Some((msg, at));
            }
        }
        None
    }
}

/// The actix actor that hosts one sans-IO actor, with the timers it scheduled.
pub struct Host<A: Hosted> {
    actor: A,
    runtime: Rc<Runtime>,
    timers: Timers,
    /// The actix timer armed for the earliest due time, and that time.
    armed: Option<(Instant, SpawnHandle)>,
}

impl<A: Hosted> Host<A> {
    /// Starts `actor` in a host of `runtime` on the current arbiter.
    pub fn start(actor: A, runtime: &Rc<Runtime>) -> actix::Addr<Self> {
        Actor::start(Self {
            actor,
            runtime: Rc::clone(runtime),
            timers: Timers::default(),
            armed: None,
        })
    }

    /// Arms the host's actix timer for its earliest due time, if that changed. A timer due
    /// already fires now: an actix (tokio) timer would wait for the next millisecond tick,
    /// and a chain of timers each set from the last one's due time (a segment's arrivals)
    /// would then advance one a tick, falling ever further behind (measured: 930 arrivals a
    /// second handled when 1,000 were due).
    fn arm(&mut self, ctx: &mut ActixContext<Self>) {
        let next = self.timers.next_due();
        if self.armed.as_ref().map(|&(at, _)| at) == next {
            return;
        }
        if let Some((_, handle)) = self.armed.take() {
            ctx.cancel_future(handle);
        }
        if next.is_some_and(|at| at <= Instant::now()) {
            self.fire_due(ctx);
            return;
        }
        if let Some(at) = next {
            let wait = at.saturating_duration_since(Instant::now());
            let handle = ctx.run_later(wait, |host: &mut Self, ctx| {
                host.armed = None;
                host.fire_due(ctx);
            });
            self.armed = Some((at, handle));
        }
    }

    /// Hands every timer due by now to its recipient (as of its due time), then re-arms. A
    /// message to this host's own actor is handled here, in due order with the others; its
    /// own new timers already due are fired in the same pass.
    fn fire_due(&mut self, ctx: &mut ActixContext<Self>) {
        let runtime = Rc::clone(&self.runtime);
        let now = Instant::now();
        while let Some((msg, at)) = self.timers.pop_due(now) {
            if !self.actor.owns(&msg) {
                runtime.deliver(msg, at);
            } else if runtime.admits(&msg) {
                runtime.handle_in(self, msg, at);
            }
        }
        self.arm(ctx);
    }
}

impl<A: Hosted> Actor for Host<A> {
    type Context = ActixContext<Self>;
}

impl<A: Hosted> Handler<Deliver> for Host<A> {
    type Result = ();

    fn handle(&mut self, d: Deliver, ctx: &mut Self::Context) {
        if !self.runtime.is_running() {
            ctx.stop();
            return;
        }
        let runtime = Rc::clone(&self.runtime);
        runtime.handle_in(self, d.msg, d.due);
        self.arm(ctx);
    }
}

impl<A: Hosted> Handler<Start> for Host<A> {
    type Result = ();

    fn handle(&mut self, _: Start, ctx: &mut Self::Context) {
        let runtime = Rc::clone(&self.runtime);
        let due = runtime.clock.started;
        runtime.run(self, due, |actor, live| actor.start(live));
        self.arm(ctx);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::CustomerMsg;
    use crate::model::ids::SegmentIx;

    fn arrival(segment: u32) -> Msg {
        Msg::Customers(CustomerMsg::NextArrival {
            segment: SegmentIx(segment),
        })
    }

    #[test]
    fn timers_fire_in_due_order_and_cancelled_ones_never() {
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        let mut timers = Timers::default();
        timers.add(1, at(30), arrival(1));
        timers.add(2, at(10), arrival(2));
        timers.add(3, at(20), arrival(3));
        timers.add(4, at(10), arrival(4));
        timers.cancel(3);
        assert_eq!(timers.next_due(), Some(at(10)));
        assert!(timers.pop_due(at(5)).is_none(), "nothing is due yet");
        let fired: Vec<Msg> =
            std::iter::from_fn(|| timers.pop_due(at(40)).map(|(m, _)| m)).collect();
        // Equal due times fire in the order they were set (their sequence numbers).
        assert_eq!(fired, vec![arrival(2), arrival(4), arrival(1)]);
        assert_eq!(timers.next_due(), None);
    }

    #[test]
    fn a_heap_of_mostly_cancelled_timers_is_rebuilt_without_them() {
        let t0 = Instant::now();
        let mut timers = Timers::default();
        for seq in 0..5_000 {
            timers.add(seq, t0 + Duration::from_millis(seq), arrival(0));
        }
        for seq in 0..4_900 {
            timers.cancel(seq);
        }
        assert!(timers.heap.len() <= 2 * timers.pending.len() + 1024);
        assert_eq!(timers.next_due(), Some(t0 + Duration::from_millis(4_900)));
        let left = std::iter::from_fn(|| timers.pop_due(t0 + Duration::from_secs(10))).count();
        assert_eq!(left, 100);
    }

    #[test]
    fn the_clock_maps_simulated_time_both_ways() {
        let clock = LiveClock::new(3_600_000, 60.0);
        // A wall second is a simulated minute after the start.
        let one_s = clock.started + Duration::from_secs(1);
        assert_eq!(clock.virtual_ms(one_s), 3_660_000);
        assert_eq!(clock.instant_of(3_660_000), one_s);
        assert_eq!(clock.instant_of(0), clock.started, "never before the start");
        assert_eq!(clock.wall(60_000), Duration::from_secs(1));
    }
}
