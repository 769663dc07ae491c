//! Integration tests: one binary, one file per behaviour.

mod bad_input;
mod bot;
mod bundled_scenarios;
mod cli;
mod common;
mod conversations;
mod determinism;
mod drop_outs;
mod erlang_fidelity;
mod external;
mod invariants;
mod live_bot;
mod live_load;
mod mock_api;
mod routing;
mod sla;
mod sticky;
mod streams;
mod surveys;
mod transfers;
mod waiting_strategies;
mod webhook_delivery;
mod whatsapp;
mod workflows;
mod working_hours;
