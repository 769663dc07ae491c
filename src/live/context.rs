//! The live driver's [`Context`]: an actor handles a message at the wall-clock time and what it
//! asks for — sends, timers, cancellations, metrics — is collected in an [`Outbox`] that the
//! driver then carries out (over HTTP, with tokio timers). Random streams are ChaCha generators
//! seeded from (seed, stream), as in the simulation.

use std::collections::HashMap;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::actors::{ActorId, Context, Metric, Msg, StreamId, TimerId};

/// What an actor asked for while handling one message.
#[derive(Debug, Default)]
pub struct Outbox {
    /// Messages to deliver now, in order.
    pub sent: Vec<(ActorId, Msg)>,
    /// Messages to deliver later: (delay, to, message, its timer).
    pub scheduled: Vec<(u64, ActorId, Msg, TimerId)>,
    /// Timers to drop.
    pub cancelled: Vec<TimerId>,
    /// Metrics.
    pub metrics: Vec<Metric>,
}

/// One random generator per stream, made on first use.
#[derive(Debug)]
pub struct Streams {
    seed: u64,
    rngs: HashMap<StreamId, ChaCha8Rng>,
}

impl Streams {
    /// Streams of `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            seed,
            rngs: HashMap::new(),
        }
    }

    fn get(&mut self, stream: StreamId) -> &mut ChaCha8Rng {
        let seed = self.seed;
        self.rngs.entry(stream).or_insert_with(|| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(u64::from(stream));
            rng
        })
    }
}

/// The context of one `handle` call.
#[derive(Debug)]
pub struct LiveContext<'a> {
    now_ms: u64,
    out: &'a mut Outbox,
    streams: &'a mut Streams,
    next_timer: &'a mut u64,
}

impl<'a> LiveContext<'a> {
    /// A context at `now_ms` (ms since the driver started) collecting into `out`.
    pub fn new(
        now_ms: u64,
        out: &'a mut Outbox,
        streams: &'a mut Streams,
        next_timer: &'a mut u64,
    ) -> Self {
        Self {
            now_ms,
            out,
            streams,
            next_timer,
        }
    }
}

impl Context for LiveContext<'_> {
    type Rng = ChaCha8Rng;

    fn now_ms(&self) -> u64 {
        self.now_ms
    }

    fn send(&mut self, to: ActorId, msg: Msg) {
        self.out.sent.push((to, msg));
    }

    fn schedule(&mut self, delay_ms: u64, to: ActorId, msg: Msg) -> TimerId {
        *self.next_timer += 1;
        let timer = TimerId {
            seq: *self.next_timer,
            slot: 0,
        };
        self.out.scheduled.push((delay_ms, to, msg, timer));
        timer
    }

    fn cancel(&mut self, timer: TimerId) {
        self.out.cancelled.push(timer);
    }

    fn rng(&mut self, stream: StreamId) -> &mut ChaCha8Rng {
        self.streams.get(stream)
    }

    fn record(&mut self, metric: Metric) {
        self.out.metrics.push(metric);
    }
}
