//! The simulation driver: virtual time, the event queue, dispatch, replications.
//!
//! - [`engine`]: the generic event loop and its ordering guarantee (read its docs).
//! - [`event_queue`]: the pending-event set (a 4-ary heap, measured against std's).
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
pub mod replicate;
pub mod rng;
pub mod swarm;
