//! The simulation driver: virtual time, the event queue, dispatch, replications.
//!
//! - [`engine`]: the generic event loop and its ordering guarantee (read its docs).
//! - [`pending_events`]: the pending-event set, a 4-ary heap ([`event_queue`]) while small and a
//!   monotone radix heap ([`radix_heap`]) once large.
//! - [`rng`]: one ChaCha stream per named source of randomness.
//! - [`centre`]: the contact-centre world: builds the actors from a scenario and gives them a
//!   context backed by the engine.
//! - [`replicate`]: runs replications on threads and merges them in replication order.
//! - [`check`]: the invariant checker that watches a replication's metrics.
//!
//! This is the only layer that knows how events are ordered.

pub mod centre;
pub mod check;
pub mod engine;
pub mod event_queue;
pub mod pending_events;
pub mod radix_heap;
pub mod replicate;
pub mod rng;
pub mod swarm;
