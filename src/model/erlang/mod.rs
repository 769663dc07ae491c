//! Queueing theory closed forms: Erlang C (M/M/n) and Erlang A (Palm's M/M/n+M).
//!
//! Used to validate the simulator (tests/it/erlang_fidelity.rs) and as the first guess of the
//! staffing search (`ccsim staff`) and `ccsim erlang` ([`agents_for`], [`Traffic::measures`],
//! [`scheduled_for`]). Rates are
//! per second, times in seconds.
//!
//! **Service level** everywhere here is the report's definition: the share of *offered*
//! customers who are answered within `t`; customers who abandon count as misses.
//!
//! Erlang A is computed exactly from its birth–death chain rather than from the incomplete-gamma
//! closed form (same numbers, better conditioned at 500 servers):
//!
//! - states `k` = customers in system, birth rate λ, death rate `min(k,n)·μ + max(k−n,0)·θ`;
//!   arrivals see the stationary distribution (PASTA);
//! - a customer who finds `j` others waiting advances through stages `i = j, j−1, …, 0` at rates
//!   `r_i = n·μ + i·θ` (a service completion or an abandonment of someone ahead), and is served
//!   on leaving stage 0 unless its own patience (rate θ) runs out first. So
//!   `P(served | j) = Π r_i/(r_i+θ)` and `E[V·1{served} | j] = P(served | j)·Σ 1/(r_i+θ)`;
//! - `P(served within t | j)` solves `u_i' = r_i·(u_{i−1} − u_i) − θ·u_i`, `u_{−1} = 1`,
//!   `u_i(0) = 0`, integrated with RK4.
//!
//! With θ = 0 the same chain is Erlang C; a test checks it against the closed form.

/// An M/M/n(+M) system.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mmn {
    /// λ, arrivals per second.
    pub arrival_rate_per_s: f64,
    /// μ, services per second per server.
    pub service_rate_per_s: f64,
    /// n, the number of servers (for chat agents with concurrency k: agents × k).
    pub servers: u32,
    /// θ, the abandonment rate per waiting customer per second (1 / mean patience); 0 for none.
    pub patience_rate_per_s: f64,
}

/// Steady-state measures of a queue, as fractions and seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueueMeasures {
    /// Probability that an arriving customer waits (finds every server busy).
    pub p_wait: f64,
    /// Mean wait of the customers who are answered, s.
    pub mean_wait_answered_s: f64,
    /// Probability that an arriving customer abandons.
    pub p_abandon: f64,
    /// Share of offered customers answered within the threshold.
    pub service_level: f64,
    /// Server utilisation: carried load ÷ servers.
    pub occupancy: f64,
}

/// Erlang B blocking probability for `servers` and offered load `a` erlangs, by the stable
/// recursion `B(k) = a·B(k−1) / (k + a·B(k−1))`.
pub fn erlang_b(servers: u32, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=servers {
        b = a * b / (f64::from(k) + a * b);
    }
    b
}

/// Erlang C probability of waiting; 1 when the load reaches the server count.
pub fn erlang_c(servers: u32, a: f64) -> f64 {
    let n = f64::from(servers);
    if a >= n {
        return 1.0;
    }
    let b = erlang_b(servers, a);
    n * b / (n - a * (1.0 - b))
}

impl Mmn {
    /// Offered load a = λ/μ, erlangs.
    pub fn offered_load(&self) -> f64 {
        self.arrival_rate_per_s / self.service_rate_per_s
    }

    /// Erlang C's probability of waiting and the rate nμ − λ at which the queue drains;
    /// `None` if the queue is unstable (a ≥ n).
    fn erlang_c_and_drain(&self) -> Option<(f64, f64)> {
        let n = f64::from(self.servers);
        let a = self.offered_load();
        (a < n).then(|| {
            let drain = n * self.service_rate_per_s - self.arrival_rate_per_s;
            (erlang_c(self.servers, a), drain)
        })
    }

    /// Erlang C measures (patience ignored); `None` if the queue is unstable (a ≥ n).
    pub fn erlang_c(&self, threshold_s: f64) -> Option<QueueMeasures> {
        let (c, drain) = self.erlang_c_and_drain()?;
        let (a, n) = (self.offered_load(), f64::from(self.servers));
        Some(QueueMeasures {
            p_wait: c,
            mean_wait_answered_s: c / drain,
            p_abandon: 0.0,
            service_level: 1.0 - c * (-drain * threshold_s).exp(),
            occupancy: a / n,
        })
    }

    /// Erlang C: the `p`-quantile of the wait of all customers (all are answered), s, from
    /// `P(W ≤ t) = 1 − C·e^{−(nμ−λ)t}`; 0 when at least a share `p` is answered at once.
    /// `None` if the queue is unstable.
    pub fn erlang_c_wait_quantile_s(&self, p: f64) -> Option<f64> {
        let (c, drain) = self.erlang_c_and_drain()?;
        Some(if 1.0 - c >= p {
            0.0
        } else {
            -((1.0 - p) / c).ln() / drain
        })
    }

    /// Erlang A measures (Erlang C when θ = 0 and a < n); `None` when θ = 0 and a ≥ n.
    pub fn erlang_a(&self, threshold_s: f64) -> Option<QueueMeasures> {
        let theta = self.patience_rate_per_s;
        let n = self.servers as usize;
        let lambda = self.arrival_rate_per_s;
        let mu = self.service_rate_per_s;
        if theta <= 0.0 && self.offered_load() >= n as f64 {
            return None;
        }
        let pi = stationary(lambda, mu, theta, n);
        let n_mu = n as f64 * mu;
        let waiting = pi.len().saturating_sub(n);
        // Stage rates r_i for i = 0..waiting.
        let rates: Vec<f64> = (0..waiting).map(|i| n_mu + i as f64 * theta).collect();

        let mut p_wait = 0.0;
        let mut p_abandon = 0.0;
        let mut wait_served_sum = 0.0;
        let mut served_prob = 1.0; // Π_{i≤j} r_i/(r_i+θ)
        let mut inverse_sum = 0.0; // Σ_{i≤j} 1/(r_i+θ)
        for (j, &r) in rates.iter().enumerate() {
            served_prob *= r / (r + theta);
            inverse_sum += 1.0 / (r + theta);
            let p = pi[n + j];
            p_wait += p;
            p_abandon += p * (1.0 - served_prob);
            wait_served_sum += p * served_prob * inverse_sum;
        }
        let within = served_within(&rates, theta, threshold_s);
        let immediate: f64 = pi[..n.min(pi.len())].iter().sum();
        let service_level = immediate + (0..waiting).map(|j| pi[n + j] * within[j]).sum::<f64>();
        let p_served = 1.0 - p_abandon;
        Some(QueueMeasures {
            p_wait,
            mean_wait_answered_s: if p_served > 0.0 {
                wait_served_sum / p_served
            } else {
                0.0
            },
            p_abandon,
            service_level,
            occupancy: lambda * p_served / mu / n as f64,
        })
    }
}

/// The traffic of one queue in one interval, as staffing and `ccsim erlang` see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Traffic {
    /// λ, arrivals per second.
    pub arrival_rate_per_s: f64,
    /// μ, 1 / the mean time a conversation holds an agent's slot, per second.
    pub service_rate_per_s: f64,
    /// θ, 1 / mean patience, per second; 0 for customers who never abandon (Erlang C).
    pub patience_rate_per_s: f64,
    /// Conversations an agent holds at once: 1 for calls; for a queue whose channels differ,
    /// the mean of theirs weighted by the load each brings (servers = ⌊agents × concurrency⌋).
    pub concurrency: f64,
}

/// What a staffing answer must reach; every part given must hold.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Target {
    /// Share of offered customers answered within their threshold.
    pub service_level: Option<ServiceLevelTarget>,
    /// Most mean wait of the answered (average speed of answer), s.
    pub asa_s: Option<f64>,
    /// Most occupancy (carried load ÷ servers), 0–1.
    pub max_occupancy: Option<f64>,
}

/// A service-level target: a share of offered customers answered within their threshold. A
/// queue whose channels have their own thresholds (a call in 20 s, a chat in 300 s) gives
/// each threshold the share of arrivals it applies to; the customers of one queue wait in one
/// first-come line, so each sees the same wait distribution, and the queue's service level is
/// the arrival-weighted mean of that distribution at each threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceLevelTarget {
    /// Share to answer within the threshold, 0–1.
    pub share: f64,
    /// `(weight, threshold s)`: the thresholds and the share of arrivals each applies to (the
    /// weights need not add up to 1; they are normalised).
    pub thresholds_s: Vec<(f64, f64)>,
}

impl ServiceLevelTarget {
    /// `share` within one threshold for everyone.
    pub fn single(share: f64, threshold_s: f64) -> Self {
        Self {
            share,
            thresholds_s: vec![(1.0, threshold_s)],
        }
    }
}

impl Traffic {
    /// Offered load, erlangs.
    pub fn offered_load(&self) -> f64 {
        self.arrival_rate_per_s / self.service_rate_per_s
    }

    /// The M/M/n(+M) system with `agents` agents.
    pub fn with_agents(&self, agents: u32) -> Mmn {
        Mmn {
            arrival_rate_per_s: self.arrival_rate_per_s,
            service_rate_per_s: self.service_rate_per_s,
            servers: (f64::from(agents) * self.concurrency.max(1.0) + 1e-9).floor() as u32,
            patience_rate_per_s: self.patience_rate_per_s,
        }
    }

    /// Its measures with `agents` agents (Erlang A with patience, else Erlang C); `None` when
    /// the queue cannot keep up (Erlang C at or above capacity).
    pub fn measures(&self, agents: u32, threshold_s: f64) -> Option<QueueMeasures> {
        let m = self.with_agents(agents);
        if self.patience_rate_per_s > 0.0 {
            m.erlang_a(threshold_s)
        } else {
            m.erlang_c(threshold_s)
        }
    }

    /// Its measures with `agents` agents where customers are judged against several
    /// thresholds (`(weight, threshold s)`, see [`ServiceLevelTarget`]): the service level is
    /// the weighted mean of the service levels at each threshold, the rest as [`Self::measures`].
    pub fn measures_mixed(
        &self,
        agents: u32,
        thresholds_s: &[(f64, f64)],
    ) -> Option<QueueMeasures> {
        let (&(_, first_s), rest) = thresholds_s.split_first()?;
        let first = self.measures(agents, first_s)?;
        if rest.is_empty() {
            return Some(first);
        }
        let total: f64 = thresholds_s.iter().map(|&(w, _)| w).sum();
        if total <= 0.0 {
            return Some(first);
        }
        let mut within = 0.0;
        for &(w, t) in thresholds_s {
            within += w * self.measures(agents, t)?.service_level;
        }
        Some(QueueMeasures {
            service_level: within / total,
            ..first
        })
    }

    /// Whether `agents` reach `target`.
    pub fn meets(&self, agents: u32, target: &Target) -> bool {
        let measures = match &target.service_level {
            Some(sl) => self.measures_mixed(agents, &sl.thresholds_s),
            None => self.measures(agents, 0.0),
        };
        measures.is_some_and(|q| {
            target
                .service_level
                .as_ref()
                .is_none_or(|sl| q.service_level >= sl.share)
                && target.asa_s.is_none_or(|asa| q.mean_wait_answered_s <= asa)
                && target.max_occupancy.is_none_or(|most| q.occupancy <= most)
        })
    }
}

/// The fewest agents for which `traffic` reaches `target` (every part of it: service level,
/// ASA, maximum occupancy). 0 when nobody arrives; `None` when even `max_agents` do not.
pub fn agents_for(traffic: &Traffic, target: &Target, max_agents: u32) -> Option<u32> {
    if traffic.arrival_rate_per_s <= 0.0 {
        return Some(0);
    }
    let k = traffic.concurrency.max(1.0);
    let meets = |agents: u32| traffic.meets(agents, target);
    // Each part only improves with agents, so search: up from the stability point (a / k:
    // Erlang C needs more, and below it Erlang A loses whoever waits long) by doubling, then
    // halve the bracket. Erlang A solves a chain per count, so this matters: at 500 erlangs it
    // is a dozen solutions instead of hundreds.
    let stable = ((traffic.offered_load() / k).floor() as u32 + 1).clamp(1, max_agents.max(1));
    let (mut lo, mut hi) = if meets(stable) {
        (0, stable) // lo fails (0 agents answer nobody), hi meets
    } else {
        let mut lo = stable;
        let mut step = stable.max(1);
        loop {
            let hi = lo.saturating_add(step).min(max_agents);
            if meets(hi) {
                break (lo, hi);
            }
            if hi >= max_agents {
                return None;
            }
            lo = hi;
            step = step.saturating_mul(2);
        }
    };
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if meets(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi).filter(|&n| n <= max_agents)
}

/// Agents to schedule so that `agents` are available after `shrinkage` (the share of paid time
/// lost to breaks, training, absence: 0 ≤ shrinkage < 1): ⌈agents ÷ (1 − shrinkage)⌉.
pub fn scheduled_for(agents: u32, shrinkage: f64) -> u32 {
    if agents == 0 {
        return 0;
    }
    // The small tolerance keeps 10 ÷ 0.8 = 12.500000000000002 from becoming 13.
    (f64::from(agents) / (1.0 - shrinkage) - 1e-9).ceil() as u32
}

/// Stationary distribution of the M/M/n+M birth–death chain, truncated where the tail is below
/// 1e-15 of the mass.
fn stationary(lambda: f64, mu: f64, theta: f64, n: usize) -> Vec<f64> {
    // Log-weights avoid overflow at hundreds of servers.
    let mut log_w = vec![0.0f64];
    let mut max_log = 0.0f64;
    let mut k = 0usize;
    loop {
        k += 1;
        let death = k.min(n) as f64 * mu + k.saturating_sub(n) as f64 * theta;
        let next = log_w[k - 1] + (lambda / death).ln();
        log_w.push(next);
        max_log = max_log.max(next);
        // Past n the weights decrease geometrically once death > λ; stop when negligible.
        if k > n && death > lambda && next < max_log - 36.0 {
            break;
        }
        if k > 50_000_000 {
            break; // unreachable for stable inputs; a guard, not a limit callers rely on
        }
    }
    let weights: Vec<f64> = log_w.iter().map(|l| (l - max_log).exp()).collect();
    let total: f64 = weights.iter().sum();
    weights.into_iter().map(|w| w / total).collect()
}

/// `P(served within t | j waiting ahead)` for every j, by RK4 on the stage chain.
fn served_within(rates: &[f64], theta: f64, t_s: f64) -> Vec<f64> {
    let m = rates.len();
    if m == 0 || t_s <= 0.0 {
        return vec![0.0; m];
    }
    let fastest = rates[m - 1] + theta;
    let steps = ((t_s * fastest * 20.0).ceil() as usize).max(200);
    let h = t_s / steps as f64;
    let deriv = |u: &[f64], out: &mut [f64]| {
        for i in 0..m {
            let ahead = if i == 0 { 1.0 } else { u[i - 1] };
            out[i] = rates[i] * (ahead - u[i]) - theta * u[i];
        }
    };
    let mut u = vec![0.0; m];
    let (mut k1, mut k2, mut k3, mut k4) = (vec![0.0; m], vec![0.0; m], vec![0.0; m], vec![0.0; m]);
    let mut tmp = vec![0.0; m];
    for _ in 0..steps {
        deriv(&u, &mut k1);
        for i in 0..m {
            tmp[i] = u[i] + h / 2.0 * k1[i];
        }
        deriv(&tmp, &mut k2);
        for i in 0..m {
            tmp[i] = u[i] + h / 2.0 * k2[i];
        }
        deriv(&tmp, &mut k3);
        for i in 0..m {
            tmp[i] = u[i] + h * k3[i];
        }
        deriv(&tmp, &mut k4);
        for i in 0..m {
            u[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
        }
    }
    u
}

#[cfg(test)]
mod tests;
