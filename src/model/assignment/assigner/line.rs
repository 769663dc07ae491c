//! One waiting line of the assignment service: conversations of one queue and capacity
//! category in (priority, age) order (RT-5). The order is a B-tree from places to slots and
//! the conversations sit in a slab beside it, so the tree moves small entries, not whole
//! conversations, and a place taken and freed again allocates nothing.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use super::Waiting;
use crate::model::priority::LineKey;

#[derive(Debug, Clone)]
pub(super) struct Line<Id> {
    order: BTreeMap<LineKey, u32>,
    slots: Vec<Waiting<Id>>,
    free: Vec<u32>,
}

impl<Id> Default for Line<Id> {
    fn default() -> Self {
        Self {
            order: BTreeMap::new(),
            slots: Vec::new(),
            free: Vec::new(),
        }
    }
}

impl<Id: Copy> Line<Id> {
    /// `w` waits at `key`; returns what waited there before (nothing, in a consistent line).
    pub(super) fn insert(&mut self, key: LineKey, w: Waiting<Id>) -> Option<Waiting<Id>> {
        match self.order.entry(key) {
            Entry::Occupied(e) => {
                let slot = &mut self.slots[*e.get() as usize];
                Some(std::mem::replace(slot, w))
            }
            Entry::Vacant(e) => {
                let slot = match self.free.pop() {
                    Some(slot) => {
                        self.slots[slot as usize] = w;
                        slot
                    }
                    None => {
                        self.slots.push(w);
                        (self.slots.len() - 1) as u32
                    }
                };
                e.insert(slot);
                None
            }
        }
    }

    /// What waits at `key`.
    pub(super) fn get(&self, key: &LineKey) -> Option<&Waiting<Id>> {
        self.order.get(key).map(|&slot| &self.slots[slot as usize])
    }

    /// What waits at `key`, to change it in place.
    pub(super) fn get_mut(&mut self, key: &LineKey) -> Option<&mut Waiting<Id>> {
        self.order
            .get(key)
            .map(|&slot| &mut self.slots[slot as usize])
    }

    /// Takes what waits at `key` out of the line.
    pub(super) fn remove(&mut self, key: &LineKey) -> Option<Waiting<Id>> {
        let slot = self.order.remove(key)?;
        self.free.push(slot);
        Some(self.slots[slot as usize])
    }

    /// The first place in line.
    pub(super) fn first_key(&self) -> Option<LineKey> {
        self.order.first_key_value().map(|(&key, _)| key)
    }

    /// The line from place `key` on, in order.
    pub(super) fn from(&self, key: LineKey) -> impl Iterator<Item = (LineKey, &Waiting<Id>)> {
        self.order
            .range(key..)
            .map(|(&k, &slot)| (k, &self.slots[slot as usize]))
    }

    /// The whole line, in order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (LineKey, &Waiting<Id>)> {
        self.order
            .iter()
            .map(|(&k, &slot)| (k, &self.slots[slot as usize]))
    }
}
