//! Erlang C and A against their closed forms and worked examples, and the fewest agents for a
//! target.

use super::*;

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

/// The fewest agents for a service level of `target` within `t` s.
fn agents_for_service_level(
    lambda: f64,
    mu: f64,
    theta: f64,
    k: u32,
    t: f64,
    target: f64,
    max: u32,
) -> Option<u32> {
    let traffic = Traffic {
        arrival_rate_per_s: lambda,
        service_rate_per_s: mu,
        patience_rate_per_s: theta,
        concurrency: f64::from(k),
    };
    agents_for(
        &traffic,
        &Target {
            service_level: Some(ServiceLevelTarget::single(target, t)),
            ..Target::default()
        },
        max,
    )
}

#[test]
fn asa_and_occupancy_targets_each_hold_and_all_parts_must() {
    // 100 contacts per 30 min, 180 s: 10 erlangs.
    let traffic = Traffic {
        arrival_rate_per_s: 100.0 / 1800.0,
        service_rate_per_s: 1.0 / 180.0,
        patience_rate_per_s: 0.0,
        concurrency: 1.0,
    };
    let asa = |s: f64| Target {
        asa_s: Some(s),
        ..Target::default()
    };
    let n = agents_for(&traffic, &asa(20.0), 100).unwrap();
    let wait = |n| traffic.measures(n, 0.0).unwrap().mean_wait_answered_s;
    assert!(
        wait(n) <= 20.0 && wait(n - 1) > 20.0,
        "{n}: {} {}",
        wait(n),
        wait(n - 1)
    );
    // 85 % occupancy at most: 10 / 0.85 = 11.8 → 12 agents.
    let occ = Target {
        max_occupancy: Some(0.85),
        ..Target::default()
    };
    assert_eq!(agents_for(&traffic, &occ, 100), Some(12));
    // Both: the larger of the two answers.
    let both = Target {
        asa_s: Some(20.0),
        max_occupancy: Some(0.85),
        ..Target::default()
    };
    assert_eq!(agents_for(&traffic, &both, 100), Some(n.max(12)));
    // Mixed concurrency: 1.5 conversations per agent gives ⌊agents × 1.5⌋ servers.
    let mixed = Traffic {
        concurrency: 1.5,
        ..traffic
    };
    assert_eq!(mixed.with_agents(5).servers, 7);
}

#[test]
fn staffing_finds_the_smallest_agent_count() {
    // 100 contacts per 30 min, 180 s handle, 80 % in 20 s: the classic worked example
    // needs 14 agents (13 give 79.6 %, 14 give 88.8 %).
    let lambda = 100.0 / 1800.0;
    let mu = 1.0 / 180.0;
    let n = agents_for_service_level(lambda, mu, 0.0, 1, 20.0, 0.8, 100).unwrap();
    assert_eq!(n, 14);
    let sl = |n| {
        Mmn {
            arrival_rate_per_s: lambda,
            service_rate_per_s: mu,
            servers: n,
            patience_rate_per_s: 0.0,
        }
        .erlang_c(20.0)
        .unwrap()
        .service_level
    };
    assert!(sl(13) < 0.8 && sl(14) >= 0.8, "{} {}", sl(13), sl(14));
    // Chat agents holding 3 at once: servers come in threes.
    let chats = agents_for_service_level(lambda, mu, 0.0, 3, 20.0, 0.8, 100).unwrap();
    assert_eq!(chats, 5, "15 servers ≥ 14, 12 < 14");
    assert_eq!(
        agents_for_service_level(0.0, mu, 0.0, 1, 20.0, 0.8, 100),
        Some(0)
    );
    assert_eq!(
        agents_for_service_level(lambda, mu, 0.0, 1, 20.0, 0.8, 10),
        None
    );
    // Patience lets some leave, so Erlang A never needs more than Erlang C here.
    let a = agents_for_service_level(lambda, mu, 1.0 / 120.0, 1, 20.0, 0.8, 100).unwrap();
    assert!(a <= 14, "{a}");
    assert_eq!(scheduled_for(14, 0.3), 20);
    assert_eq!(scheduled_for(10, 0.2), 13);
    assert_eq!(scheduled_for(8, 0.2), 10);
    assert_eq!(scheduled_for(0, 0.3), 0);
}

#[test]
fn staffing_search_equals_a_linear_scan() {
    // The bracketing search finds the same count as trying 1, 2, 3, … in turn.
    let linear = |lambda: f64, mu: f64, theta: f64, k: u32, t: f64, target: f64| {
        (1..=400u32).find(|&n| {
            let m = Mmn {
                arrival_rate_per_s: lambda,
                service_rate_per_s: mu,
                servers: n * k,
                patience_rate_per_s: theta,
            };
            let q = if theta > 0.0 {
                m.erlang_a(t)
            } else {
                m.erlang_c(t)
            };
            q.is_some_and(|q| q.service_level >= target)
        })
    };
    for (load, k, theta, t, target) in [
        (0.3, 1, 0.0, 20.0, 0.8),
        (5.0, 1, 0.0, 30.0, 0.75),
        (13.3, 1, 1.0 / 120.0, 20.0, 0.85),
        (15.0, 3, 0.0, 30.0, 0.85),
        (42.0, 2, 1.0 / 300.0, 60.0, 0.9),
        (80.0, 1, 0.0, 10.0, 0.95),
        (7.5, 4, 1.0 / 60.0, 15.0, 0.6),
    ] {
        let mu = 1.0 / 180.0;
        let lambda = load * mu;
        assert_eq!(
            agents_for_service_level(lambda, mu, theta, k, t, target, 400),
            linear(lambda, mu, theta, k, t, target),
            "load {load}, k {k}, θ {theta}"
        );
    }
}

#[test]
fn erlang_c_textbook_value() {
    // 10 servers, 8 erlangs: C = 0.409 (standard tables).
    assert!(close(erlang_c(10, 8.0), 0.4092, 5e-4));
    // One server: C = ρ.
    assert!(close(erlang_c(1, 0.7), 0.7, 1e-12));
}

#[test]
fn erlang_c_wait_quantile_inverts_the_service_level() {
    let q = Mmn {
        arrival_rate_per_s: 18.0 / 300.0,
        service_rate_per_s: 1.0 / 300.0,
        servers: 20,
        patience_rate_per_s: 0.0,
    };
    let t = q.erlang_c_wait_quantile_s(0.9).unwrap();
    assert!(t > 0.0);
    assert!((q.erlang_c(t).unwrap().service_level - 0.9).abs() < 1e-9);
    assert_eq!(q.erlang_c_wait_quantile_s(0.1), Some(0.0));
}

#[test]
fn erlang_a_without_patience_equals_erlang_c() {
    for (servers, rho) in [(1, 0.5), (10, 0.8), (100, 0.95), (500, 0.97)] {
        let q = Mmn {
            arrival_rate_per_s: rho * f64::from(servers) / 180.0,
            service_rate_per_s: 1.0 / 180.0,
            servers,
            patience_rate_per_s: 0.0,
        };
        let c = q.erlang_c(20.0).unwrap();
        let a = q.erlang_a(20.0).unwrap();
        assert!(close(c.p_wait, a.p_wait, 1e-9), "{servers}: {c:?} {a:?}");
        assert!(close(
            c.mean_wait_answered_s,
            a.mean_wait_answered_s,
            1e-6 * c.mean_wait_answered_s.max(1.0)
        ));
        assert!(
            close(c.service_level, a.service_level, 1e-6),
            "{servers}: {c:?} {a:?}"
        );
        assert!(a.p_abandon.abs() < 1e-12);
    }
}

#[test]
fn erlang_a_single_server_matches_hand_computation() {
    // M/M/1+M with λ = μ = θ = 1: π_k = π_0 / k!  → π_0 = 1/e.
    // Abandonment rate θ·E[queue] = Σ_k (k−1)π_k = (e − 1 − (e − 1) + ...) computed directly.
    let q = Mmn {
        arrival_rate_per_s: 1.0,
        service_rate_per_s: 1.0,
        servers: 1,
        patience_rate_per_s: 1.0,
    };
    let m = q.erlang_a(0.0).unwrap();
    let e = std::f64::consts::E;
    assert!(close(m.p_wait, 1.0 - 1.0 / e, 1e-9));
    // E[queue] = Σ_{k≥1} (k−1)/k! /e = (1 − (1 − 1/e)) ... = 1/e; P(ab) = θ E[Q] / λ = 1/e.
    assert!(close(m.p_abandon, 1.0 / e, 1e-9), "{m:?}");
    // Flow balance: served rate = μ·P(busy).
    assert!(close(1.0 - m.p_abandon, m.p_wait, 1e-9));
    assert!(
        close(m.service_level, 1.0 / e, 1e-9),
        "t = 0: only the immediately served"
    );
}
