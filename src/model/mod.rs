//! The production logic of the contact centre as plain data and functions: no clock reads, no
//! I/O, no randomness of its own (generators are passed in). Everything here could be lifted
//! into a service unchanged.
//!
//! | module | owns | rules |
//! |---|---|---|
//! | [`channel`] | channels and their capacity categories | CAP-2 |
//! | [`capacity`] | capacity per category, defaults, Full Capacity | CAP-1, CAP-3, ST-2 |
//! | [`platform_api`] | the Conversations API's store and operations, errors, limits, webhook | BOT-8, CC-1, CC-2, WIN-1 |
//! | [`priority`] | priorities and the waiting-line order | RT-5 |
//! | [`routing`] | routes, conditions, operators, first match, Default queue | RT-1..6 |
//! | [`status`] | agent status groups, Full Capacity, inactivity, call stages, counted statuses | ST-1..4, CAP-4, AA-5 |
//! | [`handover`] | which free agent takes a waiting conversation (seam for AA) | — |
//! | [`ids`] | typed indices of agents, queues and segments | — |
//! | [`assignment`] | workload, the weighted-sum scorer and its fast index | AA-6, AA-7, AA-8 |
//! | [`bot`] | the AI agent: when it answers, debounce, dedupe, handoff, resolve, media, actions | BOT-1..11, ACT-1 |
//! | [`calendar`] | virtual time ↔ local time, weekly patterns (shifts) | — |
//! | [`arrival_rate`] | constant and profiled arrival rates, exact NHPP inversion | — |
//! | [`distribution`] | handle-time and patience distributions | — |
//! | [`conversation`] | conversation statuses and moves, customer behaviour, call wrap-up | CAP-3, CAP-4, ST-4, WF-2 |
//! | [`sla`] | SLA policies, severities, clocks, breaches | SLA-1..7 |
//! | [`survey`] | surveys on Solved, message sentiment, conversation score | SUR-1..2 |
//! | [`translation`] | the translation layer to an external contact centre | CC-2..6 |
//! | [`waiting_strategy`] | messages to waiting customers, maximum wait | WS-1..6 |
//! | [`centre`] | the validated description of a centre the actors run | — |
//! | [`window`] | the WhatsApp 24-hour window, sessions, auto-resolution | WIN-1..3 |
//! | [`workflow`] | workflows: triggers, conditions, actions, pending states | WF-1..5 |
//! | [`working_hours`] | queue hours, holidays, switched-off days, away messages | WH-1..4 |
//! | [`erlang`] | Erlang C and Erlang A closed forms | — |

/// A hash map with foldhash's fixed hasher, for the simulation's own ids (customers,
/// conversations, agents) on the per-event path, where the standard library's SipHash was
/// 1.3 % of a large centre's instructions (docs/performance.md). The same run hashes the same
/// way. The keys are ids the simulation numbers itself, never text from input files, so a
/// fixed seed gives nobody a handle on collisions. Nothing may depend on a map's order.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

/// The set of [`FastMap`].
pub type FastSet<K> = std::collections::HashSet<K, foldhash::fast::FixedState>;

pub mod arrival_rate;
pub mod assignment;
pub mod bot;
pub mod calendar;
pub mod capacity;
pub mod centre;
pub mod channel;
pub mod conversation;
pub mod distribution;
pub mod erlang;
pub mod handover;
pub mod ids;
pub mod platform_api;
pub mod priority;
pub mod routing;
pub mod sla;
pub mod status;
pub mod survey;
pub mod trace;
pub mod translation;
pub mod waiting_strategy;
pub mod window;
pub mod workflow;
pub mod working_hours;
