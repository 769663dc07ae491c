//! The actors' [`Context`] on wall-clock time: an actor handles a message at its intended time
//! and what it asks for — sends, timers, cancellations, metrics — is collected in an [`Outbox`]
//! that the live runtime ([`super::runtime`]) then carries out. Random streams are the
//! simulation's named streams (`sim::rng`'s registry, replication 0): one seed draws the same
//! numbers live and simulated.

use std::collections::HashMap;
use std::sync::Arc;

use crate::actors::{Context, Metric, Msg, StreamId, TimerId};
use crate::model::centre::CentreSpec;
use crate::sim::rng::{StreamRng, identity_of, stream};

/// What an actor asked for while handling one message.
#[derive(Debug, Default)]
pub struct Outbox {
    /// Messages to deliver now, in order.
    pub sent: Vec<Msg>,
    /// Messages to deliver later: (delay, message, its timer).
    pub scheduled: Vec<(u64, Msg, TimerId)>,
    /// Timers to drop.
    pub cancelled: Vec<TimerId>,
    /// Metrics.
    pub metrics: Vec<Metric>,
}

/// One random generator per stream, made on first use from the stream's name.
#[derive(Debug)]
pub struct Streams {
    seed: u64,
    spec: Arc<CentreSpec>,
    rngs: HashMap<StreamId, StreamRng>,
}

impl Streams {
    /// The streams of `spec`'s actors for `seed`.
    pub fn new(seed: u64, spec: Arc<CentreSpec>) -> Self {
        Self {
            seed,
            spec,
            rngs: HashMap::new(),
        }
    }

    /// The generator of stream `id`: the simulation's named stream of that id in replication 0.
    pub fn get(&mut self, id: StreamId) -> &mut StreamRng {
        let (seed, spec) = (self.seed, &self.spec);
        self.rngs.entry(id).or_insert_with(|| {
            let identity = identity_of(spec, id).expect("an actor draws from a registered stream");
            stream(seed, 0, identity)
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
    type Rng = StreamRng;

    fn now_ms(&self) -> u64 {
        self.now_ms
    }

    fn send(&mut self, msg: impl Into<Msg>) {
        self.out.sent.push(msg.into());
    }

    fn schedule(&mut self, delay_ms: u64, msg: impl Into<Msg>) -> TimerId {
        *self.next_timer += 1;
        let timer = TimerId {
            seq: *self.next_timer,
            slot: 0,
        };
        self.out.scheduled.push((delay_ms, msg.into(), timer));
        timer
    }

    fn cancel(&mut self, timer: TimerId) {
        self.out.cancelled.push(timer);
    }

    fn rng(&mut self, stream: StreamId) -> &mut StreamRng {
        self.streams.get(stream)
    }

    fn record(&mut self, metric: Metric) {
        self.out.metrics.push(metric);
    }
}

#[cfg(test)]
mod tests {
    use rand::Rng;

    use super::*;
    use crate::sim::centre::replication_streams;

    #[test]
    fn streams_the_live_driver_draws_what_the_simulation_draws() {
        let scenario = crate::scenario::load(std::path::Path::new("scenarios/external-ccaas.toml"))
            .expect("the bundled scenario");
        let spec = Arc::clone(&scenario.centre);
        let mut sim = replication_streams(&spec, 42, 0);
        let mut live = Streams::new(42, Arc::clone(&spec));
        assert_eq!(sim.len() as u32, crate::sim::rng::stream_count(&spec));
        // Every stream, asked for in any order (the live side makes them on first use).
        for id in (0..sim.len() as u32).rev() {
            assert_eq!(
                live.get(id).next_u64(),
                sim[id as usize].next_u64(),
                "stream {id}"
            );
        }
        let mut other = Streams::new(43, spec);
        assert_ne!(
            other.get(0).next_u64(),
            Streams::new(42, Arc::clone(&other.spec)).get(0).next_u64()
        );
    }
}
