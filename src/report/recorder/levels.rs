//! The recorder's time-weighted levels: each agent's shown status, whether it counts in
//! `agents_on_shift` (on shift and not on a scheduled break), whether it is present (on shift or
//! finishing conversations after it: its staffed slots), and the busy, staffed and on-shift
//! levels of each scope, credited as exact integer areas to the interval rows and, after the
//! warm-up, to the totals.

use super::{LevelKind, Recorder, status_slot};
use crate::model::status::DefaultStatus;

impl Recorder {
    /// Credits agent `a`'s time in its current status up to `now_ms` (after warm-up) to its
    /// scopes, then moves it to `status` (or keeps it, for a final flush).
    pub(super) fn status_change(&mut self, now_ms: u64, a: usize, status: Option<DefaultStatus>) {
        let (old, since) = self.agent_status[a];
        let end = now_ms.min(self.horizon_ms);
        let credited = end.saturating_sub(since.max(self.warmup_ms));
        for i in 0..self.agent_scopes[a].len() {
            let scope = self.agent_scopes[a][i];
            self.totals[scope].status_agent_ms[status_slot(old)] += credited;
        }
        self.agent_status[a] = (status.unwrap_or(old), now_ms);
    }

    /// Whether agent `a` counts in `agents_on_shift`: on shift and not on a break its status
    /// schedule sets (Away, Busy or Offline: no new work comes to it).
    pub(super) fn working(&self, a: usize) -> bool {
        self.agent_on_shift[a]
            && !matches!(
                self.agent_status[a].0,
                DefaultStatus::Away | DefaultStatus::Busy | DefaultStatus::Offline
            )
    }

    /// Moves agent `a` in or out of its scopes' `agents_on_shift` when that changed.
    pub(super) fn update_working(&mut self, now_ms: u64, a: usize, was_working: bool) {
        let working = self.working(a);
        if working != was_working {
            let delta = if working { 1 } else { -1 };
            self.shift_agent_levels(now_ms, a, LevelKind::OnShift, delta);
        }
    }

    /// Whether agent `a` is working: on shift, or finishing conversations after it.
    pub(super) fn present(&self, a: usize) -> bool {
        self.agent_on_shift[a] || self.agent_busy[a] > 0
    }

    /// Moves agent `a`'s staffed slots in or out of its scopes when its presence changed.
    pub(super) fn update_presence(&mut self, now_ms: u64, a: usize, was_present: bool) {
        let present = self.present(a);
        if present != was_present {
            let slots = self.agent_slots[a] as i64;
            let delta = if present { slots } else { -slots };
            self.shift_agent_levels(now_ms, a, LevelKind::Staffed, delta);
        }
    }

    /// Adds `delta` to a level of every scope agent `a` belongs to.
    pub(super) fn shift_agent_levels(
        &mut self,
        now_ms: u64,
        a: usize,
        kind: LevelKind,
        delta: i64,
    ) {
        for i in 0..self.agent_scopes[a].len() {
            let scope = self.agent_scopes[a][i];
            self.shift_level(now_ms, scope, kind, delta);
        }
    }

    /// Adds `delta` to a level after crediting the time it spent at its old value.
    fn shift_level(&mut self, now_ms: u64, scope: usize, kind: LevelKind, delta: i64) {
        self.integrate(now_ms, scope, kind);
        let level = &mut self.levels[scope][kind as usize];
        level.value = level
            .value
            .checked_add_signed(delta)
            .expect("levels never go negative");
    }

    /// Credits the level's value × time since its last change to the intervals it spans and,
    /// after warm-up, to the totals.
    pub(super) fn integrate(&mut self, now_ms: u64, scope: usize, kind: LevelKind) {
        let level = self.levels[scope][kind as usize];
        let end_ms = now_ms.min(self.horizon_ms);
        self.levels[scope][kind as usize].since_ms = now_ms;
        if level.value == 0 || end_ms <= level.since_ms {
            return;
        }
        // Areas are exact integers (slot·ms), so sums over replications do not depend on the
        // order in which replications finish.
        let value = level.value;
        let after_warmup = end_ms.saturating_sub(level.since_ms.max(self.warmup_ms));
        let t = &mut self.totals[scope];
        match kind {
            LevelKind::Busy => t.busy_slot_ms += value * after_warmup,
            LevelKind::Staffed => t.staffed_slot_ms += value * after_warmup,
            LevelKind::OnShift => {}
        }
        let mut from = level.since_ms;
        while from < end_ms {
            let i = self.intervals.index_of(from);
            let to = self.intervals.end_of(from).min(end_ms);
            let area = value * (to - from);
            let row = &mut self.rows[i as usize * self.scopes + scope];
            match kind {
                LevelKind::Busy => row.busy_slot_ms += area,
                LevelKind::Staffed => row.staffed_slot_ms += area,
                LevelKind::OnShift => row.on_shift_agent_ms += area,
            }
            from = to;
        }
    }
}
