//! The live driver: the same platform logic on wall-clock time, over HTTP. This is the only
//! part of ccsim that opens sockets or reads the clock (`ARCHITECTURE.md`: `live/`).
//!
//! - [`mock`]: the Infobip Conversations API served on loopback (`ccsim mock`).
//! - [`webhook`]: delivery of inbound messages to the account webhook (timeouts, redelivery,
//!   injected duplicates).

pub mod mock;
pub mod webhook;
