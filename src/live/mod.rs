//! The live driver: the same platform logic on wall-clock time, over HTTP. This is the only
//! part of ccsim that opens sockets or reads the clock.
//!
//! - [`bot_server`]: `ccsim bot`, the reference system under test: the bot actor on
//!   wall-clock time, calling the platform over HTTP.
//! - [`context`]: the actors' context on wall-clock time.
//! - [`load`]: `ccsim load`, the scenario's customers on wall-clock time against a system
//!   under test, measured from each message's intended time.
//! - [`mock`]: the Infobip Conversations API served on loopback (`ccsim mock`).
//! - [`webhook`]: delivery of inbound messages to the account webhook (timeouts, redelivery,
//!   injected duplicates).

mod bot_api;
pub mod bot_server;
pub mod context;
pub mod load;
pub mod mock;
pub mod runtime;
pub mod webhook;

/// Why an address could not be listened on, in the user's words.
pub fn bind_failure(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::AddrInUse => {
            "the address is already in use (another program listens there): choose another port"
                .into()
        }
        ErrorKind::AddrNotAvailable => "the address is not one of this machine's".into(),
        ErrorKind::PermissionDenied => {
            "permission denied (ports below 1024 need privileges): choose a port above 1023".into()
        }
        _ => e.to_string(),
    }
}
