//! Runs a simulation with the GIL released and keeps the caller informed on its own thread.
//!
//! The work runs on a worker thread (its own replications spread over more threads inside).
//! The calling thread waits for the work's events with the GIL released, and takes the GIL
//! only to call the progress callback (so a tqdm bar or a notebook widget is driven from the
//! thread that made it) and, every 100 ms, to check for signals: Ctrl-C (a notebook's
//! interrupt) cancels the run, which stops taking replications, and raises
//! `KeyboardInterrupt` once the replications under way have finished.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::Duration;

use ccsim::sim::replicate::Progress;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

/// What the work tells the calling thread.
enum Event {
    /// One more unit done.
    Step,
    /// Progress set outright: units done and a note (a staffing round and its cells short).
    At(u64, String),
    /// The work is over.
    Finished,
}

/// The work's side: reports progress and hears cancellation.
pub struct Reporter {
    tx: Sender<Event>,
    cancelled: AtomicBool,
}

impl Reporter {
    /// Progress set outright.
    pub fn at(&self, done: u64, note: String) {
        let _ = self.tx.send(Event::At(done, note));
    }
}

impl Progress for Reporter {
    fn done(&self) {
        let _ = self.tx.send(Event::Step);
    }

    fn cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}

/// Runs `work` with the GIL released; `callback(done, total, note)` hears its progress.
pub fn drive<T: Send>(
    py: Python<'_>,
    callback: Option<Py<PyAny>>,
    total: u64,
    work: impl FnOnce(&Reporter) -> T + Send,
) -> PyResult<T> {
    let (tx, rx) = mpsc::channel();
    let reporter = Reporter {
        tx: tx.clone(),
        cancelled: AtomicBool::new(false),
    };
    let (outcome, raised) = py.detach(move || {
        std::thread::scope(|scope| {
            let worker = scope.spawn(|| {
                let out = work(&reporter);
                let _ = tx.send(Event::Finished);
                out
            });
            let mut done = 0u64;
            let mut note = String::new();
            let mut raised: Option<PyErr> = None;
            loop {
                let shown = match rx.recv_timeout(Duration::from_millis(100)) {
                    Ok(Event::Finished) | Err(RecvTimeoutError::Disconnected) => break,
                    Ok(Event::Step) => {
                        done += 1;
                        true
                    }
                    Ok(Event::At(d, n)) => {
                        done = d;
                        note = n;
                        true
                    }
                    Err(RecvTimeoutError::Timeout) => false,
                };
                if raised.is_some() {
                    continue;
                }
                let heard = Python::attach(|py| -> PyResult<()> {
                    py.check_signals()?;
                    if let (true, Some(cb)) = (shown, &callback) {
                        cb.call1(py, (done, total, note.as_str()))?;
                    }
                    Ok(())
                });
                if let Err(e) = heard {
                    // An interrupt, or a callback that raised: stop taking work.
                    reporter.cancelled.store(true, Ordering::Relaxed);
                    raised = Some(e);
                }
            }
            (worker.join(), raised)
        })
    });
    if let Some(e) = raised {
        return Err(e);
    }
    outcome.map_err(|_| PyRuntimeError::new_err("internal error: the simulation thread panicked"))
}
