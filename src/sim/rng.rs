//! Named random streams: one ChaCha generator per source of randomness.
//!
//! A stream is keyed by the run's seed and replication and by a [`StreamIdentity`] that names
//! what is drawn ("arrivals of segment `sales-whatsapp`", "handle times of agent `ana`"). The
//! identity goes into ChaCha's 64-bit stream number, the seed and replication into its key, so
//! every stream is an independent ChaCha sequence. Identities use scenario names, never
//! positions: adding an agent or a queue creates new streams and leaves every existing one, and
//! so every customer's arrival time and patience, exactly as it was. That is what makes a
//! baseline and a candidate comparable draw for draw.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The generator behind every stream. ChaCha8 passes the statistical test batteries with a wide
/// margin and is about three times faster than ChaCha20, which matters at millions of draws per
/// second.
pub type StreamRng = ChaCha8Rng;

/// What a stream draws, named stably.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamIdentity<'a> {
    /// The kind of draw, e.g. `"arrivals"`, `"patience"`, `"handle"`.
    pub purpose: &'a str,
    /// The scenario name of the owner (segment, agent, queue).
    pub owner: &'a str,
}

/// FNV-1a over the identity: stable across platforms, builds and Rust versions (unlike std's
/// `DefaultHasher`), which the determinism contract needs. A 0xff byte separates the fields so
/// that ("ab", "c") and ("a", "bc") differ.
fn identity_hash(identity: &StreamIdentity<'_>) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for byte in identity
        .purpose
        .bytes()
        .chain(std::iter::once(0xff))
        .chain(identity.owner.bytes())
    {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(PRIME);
    }
    hash
}

/// The generator for `identity` in replication `replication` of a run seeded with `seed`.
pub fn stream(seed: u64, replication: u32, identity: StreamIdentity<'_>) -> StreamRng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..12].copy_from_slice(&replication.to_le_bytes());
    // The remaining bytes spell the purpose of the key, so no other use of ChaCha with this seed
    // in this program shares it.
    key[16..].copy_from_slice(b"ccsim-streams-v1");
    let mut rng = StreamRng::from_seed(key);
    rng.set_stream(identity_hash(&identity));
    rng
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    fn first(seed: u64, rep: u32, purpose: &str, owner: &str) -> u64 {
        stream(seed, rep, StreamIdentity { purpose, owner }).next_u64()
    }

    #[test]
    fn streams_differ_by_every_part_of_their_key() {
        let base = first(1, 0, "arrivals", "sales");
        assert_eq!(base, first(1, 0, "arrivals", "sales"));
        assert_ne!(base, first(2, 0, "arrivals", "sales"));
        assert_ne!(base, first(1, 1, "arrivals", "sales"));
        assert_ne!(base, first(1, 0, "patience", "sales"));
        assert_ne!(base, first(1, 0, "arrivals", "support"));
        assert_ne!(first(1, 0, "ab", "c"), first(1, 0, "a", "bc"));
    }
}
