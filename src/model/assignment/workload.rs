//! Workload (AA-6): the mean, over the agent's channel categories, of occupancy ÷ capacity × 100.
//!
//! The documents' table gives 1/5 chat and 5/10 messaging → 35, and 15/20 and 1/5 → 47.5
//! (shown as 48). **(decision)** Categories in which the agent has no capacity (it serves no
//! channel of that category) are left out of the mean, so an agent who only chats is not made
//! to look half idle by an empty email box. An agent with no category at all has workload 0.

/// Workload of an agent with these (occupancy, capacity) pairs, one per category it serves.
/// Pairs with capacity 0 are left out.
pub fn workload(loads: &[(u32, u32)]) -> f64 {
    workload_of(loads.iter().copied())
}

/// [`workload`] over any sequence of pairs (no allocation on the assignment path).
pub fn workload_of(loads: impl IntoIterator<Item = (u32, u32)>) -> f64 {
    let mut sum = 0.0;
    let mut n = 0u32;
    for (occupied, capacity) in loads {
        if capacity > 0 {
            sum += f64::from(occupied) / f64::from(capacity) * 100.0;
            n += 1;
        }
    }
    if n == 0 { 0.0 } else { sum / f64::from(n) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aa_6_documents_table_workloads() {
        // Agent 2: Live Chat 1/5, Live Messaging 5/10 → (20 + 50) / 2 = 35.
        assert_eq!(workload(&[(1, 5), (5, 10)]), 35.0);
        // Agent 3: Live Chat 15/20, Live Messaging 1/5 → (75 + 20) / 2 = 47.5 ≈ 48.
        assert_eq!(workload(&[(15, 20), (1, 5)]), 47.5);
        // The occupancy/capacity example of the text: 2/4 = 50 against 3/8 = 37.5.
        assert!(workload(&[(3, 8)]) < workload(&[(2, 4)]));
    }

    #[test]
    fn aa_6_categories_without_capacity_are_left_out() {
        assert_eq!(workload(&[(2, 4), (0, 0)]), 50.0);
        assert_eq!(workload(&[]), 0.0);
    }
}
