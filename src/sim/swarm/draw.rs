//! The generator's draws: chances, numbers, picks and the file snippets (distributions,
//! counts, weekly hours) built from them, all from one ChaCha stream.

use rand::RngExt;

use crate::sim::rng::StreamRng;

/// Days of the week as scenario files spell them.
pub(super) const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

pub(super) struct Draw {
    pub(super) rng: StreamRng,
}

impl Draw {
    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.rng.random::<f64>() < p
    }

    /// An integer in `lo..=hi`.
    pub(super) fn int(&mut self, lo: u32, hi: u32) -> u32 {
        self.rng.random_range(lo..=hi)
    }

    /// A real in `[lo, hi)`, rounded to two decimals (so the file reads well).
    pub(super) fn real(&mut self, lo: f64, hi: f64) -> f64 {
        let x = lo + (hi - lo) * self.rng.random::<f64>();
        (x * 100.0).round() / 100.0
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.random_range(0..items.len())]
    }

    /// A non-empty subset of `items`, in their order.
    pub(super) fn some_of<'a>(&mut self, items: &[&'a str]) -> Vec<&'a str> {
        let mut out: Vec<&str> = items.iter().copied().filter(|_| self.chance(0.5)).collect();
        if out.is_empty() {
            out.push(*self.pick(items));
        }
        out
    }

    /// A duration distribution around `mean_s`.
    pub(super) fn dist(&mut self, mean_s: f64) -> String {
        let mean_s = self.real(mean_s * 0.5, mean_s * 1.5).max(0.5);
        match self.int(0, 3) {
            0 => format!("{{ dist = \"exponential\", mean_s = {mean_s} }}"),
            1 => format!(
                "{{ dist = \"lognormal\", mean_s = {mean_s}, sd_s = {} }}",
                self.real(mean_s * 0.2, mean_s * 1.5).max(0.1)
            ),
            2 => format!("{{ dist = \"constant\", value_s = {mean_s} }}"),
            _ => format!(
                "{{ dist = \"empirical\", values_s = [{}, {}, {}] }}",
                self.real(1.0, mean_s),
                mean_s,
                self.real(mean_s, 2.0 * mean_s)
            ),
        }
    }

    /// A count distribution (exchanges, turns) with mean about `mean`.
    pub(super) fn count(&mut self, mean: f64) -> String {
        match self.int(0, 2) {
            0 => format!(
                "{{ dist = \"geometric\", mean = {} }}",
                self.real(1.0, mean)
            ),
            1 => format!(
                "{{ dist = \"constant\", value = {} }}",
                self.int(1, mean as u32)
            ),
            _ => format!(
                "{{ dist = \"empirical\", values = [1, {}, {}] }}",
                self.int(1, mean as u32),
                self.int(1, 2 * mean as u32)
            ),
        }
    }

    /// Weekly hours: a block on some days, `HH:MM` in quarter hours.
    pub(super) fn hours(&mut self) -> String {
        let mut blocks = Vec::new();
        for _ in 0..self.int(1, 2) {
            let days = self.some_of(&DAYS);
            let start_q = self.int(0, 60);
            let end_q = (start_q + self.int(8, 50)).min(96);
            let hhmm = |q: u32| {
                if q == 96 {
                    "24:00".to_string()
                } else {
                    format!("{:02}:{:02}", q / 4, (q % 4) * 15)
                }
            };
            blocks.push(format!(
                "{{ days = [{}], start = \"{}\", end = \"{}\" }}",
                quoted(&days),
                hhmm(start_q),
                hhmm(end_q)
            ));
        }
        format!("[{}]", blocks.join(", "))
    }
}

pub(super) fn quoted(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ")
}
