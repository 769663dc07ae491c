//! Signals during a load run: the first SIGINT (Ctrl-C) or SIGTERM asks the run to stop
//! taking new work and finish what is in flight, so the reports it writes are true (and marked
//! interrupted); a second one ends the process at once with exit code 130.
//!
//! The HTTP servers of a load run (the mock, the reference bot) are started with actix's own
//! signal handling off, so a signal never stops them under a load that is still posting: the
//! run, not the servers, decides when serving ends.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Notify;

/// The exit code of a command cut short by a signal (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;

/// Whether a signal came, and a wake-up for the loop that waits on it.
#[derive(Debug, Clone, Default)]
pub struct Interrupt {
    raised: Arc<AtomicBool>,
    wake: Arc<Notify>,
}

impl Interrupt {
    /// Listens for SIGINT and SIGTERM on the current runtime (inside an actix system).
    pub fn listen() -> Self {
        let interrupt = Self::default();
        let shared = interrupt.clone();
        actix_web::rt::spawn(async move {
            if !next_signal().await {
                return;
            }
            shared.raise();
            if next_signal().await {
                eprintln!("ccsim: interrupted again: quitting at once, nothing written");
                std::process::exit(i32::from(EXIT_INTERRUPTED));
            }
        });
        interrupt
    }

    /// Marks the run interrupted (what a signal does).
    pub fn raise(&self) {
        self.raised.store(true, Ordering::SeqCst);
        // A stored permit: a loop not waiting right now sees it on its next wait.
        self.wake.notify_one();
    }

    /// Whether a signal came.
    pub fn raised(&self) -> bool {
        self.raised.load(Ordering::SeqCst)
    }

    /// Resolves when a signal comes (at once if one came unseen).
    pub async fn notified(&self) {
        self.wake.notified().await;
    }
}

/// Waits for the next SIGINT or SIGTERM; `false` when signals cannot be listened to.
async fn next_signal() -> bool {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut int), Ok(mut term)) = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        ) else {
            return false;
        };
        tokio::select! {
            _ = int.recv() => true,
            _ = term.recv() => true,
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await.is_ok()
    }
}
