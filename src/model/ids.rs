//! Typed indices of a centre's agents, queues and arrival segments: positions in
//! [`CentreSpec`](super::centre::CentreSpec)'s lists. The actors' messages carry these, so an
//! agent's index cannot be passed where a queue's is meant; the model's plain-data functions
//! take the bare position (`.0`, or [`AgentIx::index`] for a list) at their boundary.

macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        #[repr(transparent)]
        pub struct $name(pub u32);

        impl $name {
            /// The position in its list.
            #[inline]
            pub const fn index(self) -> usize {
                self.0 as usize
            }

            /// Every index of a list of `count`.
            #[inline]
            pub fn all(count: usize) -> impl Iterator<Item = Self> {
                (0..count as u32).map(Self)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

index_type!(
    /// An agent: its position in the centre's list of agents.
    AgentIx
);
index_type!(
    /// A queue: its position in the centre's list of queues.
    QueueIx
);
index_type!(
    /// An arrival segment (an arrival stream with its channel and attributes): its position in
    /// the centre's list of segments.
    SegmentIx
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_is_its_position() {
        assert_eq!(AgentIx(3).index(), 3);
        assert_eq!(
            QueueIx::all(3).collect::<Vec<_>>(),
            [QueueIx(0), QueueIx(1), QueueIx(2)]
        );
        assert_eq!(SegmentIx(7).to_string(), "7");
    }
}
