//! An exact least-recently-used order over numbered slots: a doubly linked list threaded through an array, O(1) to
//! touch, insert or remove a slot, with no allocation once the array has grown to the largest slot number.
//!
//! The cache's [`super::EntryTable`] keeps its entries in numbered slots (so the JavaScript package can keep the
//! keys in a JS `Map` and hand wasm only numbers); this list is the order it evicts in.

/// A slot number.
pub type SlotId = u32;

/// "No slot": the end of the list.
const NIL: SlotId = SlotId::MAX;

#[derive(Debug, Clone, Copy)]
struct Links {
    /// Towards the most recently used end.
    newer: SlotId,
    /// Towards the least recently used end.
    older: SlotId,
}

/// The recency order of the slots that are in it (see the module docs).
#[derive(Debug, Clone)]
pub struct RecencyList {
    links: Vec<Links>,
    newest: SlotId,
    oldest: SlotId,
}

impl Default for RecencyList {
    fn default() -> Self {
        RecencyList {
            links: Vec::new(),
            newest: NIL,
            oldest: NIL,
        }
    }
}

impl RecencyList {
    /// Puts `slot` (not in the list) at the most recently used end.
    pub fn push_newest(&mut self, slot: SlotId) {
        let i = slot as usize;
        if i >= self.links.len() {
            self.links.resize(
                i + 1,
                Links {
                    newer: NIL,
                    older: NIL,
                },
            );
        }
        let previous = self.newest;
        self.links[i] = Links {
            newer: NIL,
            older: previous,
        };
        match previous {
            NIL => self.oldest = slot,
            previous => self.links[previous as usize].newer = slot,
        }
        self.newest = slot;
    }

    /// Takes `slot` (in the list) out of it.
    pub fn remove(&mut self, slot: SlotId) {
        let Links { newer, older } = self.links[slot as usize];
        match newer {
            NIL => self.newest = older,
            newer => self.links[newer as usize].older = older,
        }
        match older {
            NIL => self.oldest = newer,
            older => self.links[older as usize].newer = newer,
        }
    }

    /// Moves `slot` (in the list) to the most recently used end.
    pub fn touch(&mut self, slot: SlotId) {
        if self.newest != slot {
            self.remove(slot);
            self.push_newest(slot);
        }
    }

    /// The least recently used slot.
    pub fn oldest(&self) -> Option<SlotId> {
        (self.oldest != NIL).then_some(self.oldest)
    }

    /// The slots from most to least recently used.
    pub fn newest_first(&self) -> impl Iterator<Item = SlotId> + '_ {
        std::iter::successors(Some(self.newest).filter(|&s| s != NIL), move |&s| {
            Some(self.links[s as usize].older).filter(|&s| s != NIL)
        })
    }

    /// Empties the list.
    pub fn clear(&mut self) {
        self.links.clear();
        self.newest = NIL;
        self.oldest = NIL;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_exact_recency_order() {
        let mut list = RecencyList::default();
        for slot in [3, 0, 7, 1] {
            list.push_newest(slot);
        }
        list.touch(0);
        list.remove(7);
        list.touch(1);
        list.push_newest(7);
        assert_eq!(list.newest_first().collect::<Vec<_>>(), [7, 1, 0, 3]);
        assert_eq!(list.oldest(), Some(3));
        for slot in [3, 0, 1, 7] {
            list.remove(slot);
        }
        assert_eq!(list.oldest(), None);
        assert_eq!(list.newest_first().count(), 0);
    }
}
