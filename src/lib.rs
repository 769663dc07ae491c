//! # ccsim: a digital twin of a contact centre on Infobip Conversations
//!
//! ccsim simulates customers, queues, agents and the platform between them on deterministic
//! virtual time, and reports queue load, waits, service level, abandonment and occupancy per
//! interval with confidence intervals over replications.
//!
//! ```text
//!  main.rs / cli/          thin: parse flags, call the library, print, exit code
//!    │
//!  plan/ · live/           planning (variations, sweeps and shards, compare and gate,
//!    │                     staffing) and the wall-clock side (mock, bot, load), both
//!    │                     driving the layers below
//!  sim/                    virtual time, event queue, dispatch, replications
//!    │
//!  actors/                 customer, queue, agent, platform: sans-IO state machines
//!    │
//!  model/                  the production logic: capacity, channels, priorities, calendars,
//!    │                     arrival rates, hand-over, Erlang C/A
//!  scenario/ · report/     files in (validated once) and reports out
//! ```
//!
//! A tour: a [`scenario::Scenario`] is loaded and checked once; [`sim::replicate`] runs its
//! replications, each a [`sim::centre::Centre`] of actors on a [`sim::engine::Engine`];
//! every actor talks only through [`actors::Context`]; the
//! [`report::recorder::Recorder`] turns their metrics into totals and interval rows that
//! [`report::summary`] and [`report::intervals`] aggregate.
//!
//! Determinism: the same scenario, seed and build give byte-identical reports, whatever the
//! thread count (see [`sim::engine`] for the event order and [`sim::rng`] for the streams).

#![warn(missing_docs)]

pub mod actors;
pub mod cli;
pub mod live;
pub mod model;
pub mod plan;
pub mod report;
pub mod scenario;
pub mod sim;
