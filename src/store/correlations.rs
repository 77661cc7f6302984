//! The correlation index: each correlation id once, with the ascending slots of its stored
//! events.
//!
//! The runtime gives every command that has no correlation of its own the id `cmd-<n>`, numbered
//! in the order it decides them, so a store holds about one correlation per command, each with
//! one or two events (none left locally once a scavenge has moved them to the archive). The index
//! is therefore kept small per id:
//! - an id's text is kept once, in its entry;
//! - ids of the form `cmd-<n>` that come in ascending order of `n` are kept in that order and
//!   found by a binary search, with no hash map; any other id is found through a hash map;
//! - up to two slots are kept inline in the entry, more in a list of their own.
//!
//! An entry stays when its events go (as interned names do), so that archived copies, which
//! keep the entry's handle, are still found by a read of the correlation.

use std::mem::size_of;

use super::catalog::{to_u32, Names};
use super::chunked::ChunkedVec;
use super::read::Slots;

/// The prefix of the ids the runtime gives commands; see [`command_number`].
const COMMAND_PREFIX: &str = "cmd-";

/// Set in the handle of an id that is not in the ascending run of command ids.
const OTHER: u32 = 1 << 31;

/// Every correlation id, by handle: an index into `commands`, or [`OTHER`] plus an index into
/// `others`.
#[derive(Debug, Default)]
pub(crate) struct Correlations {
    /// Ids `cmd-<n>`, in ascending order of `n`.
    commands: ChunkedVec<Entry>,
    /// Every other id, in the order first seen.
    others: ChunkedVec<Entry>,
    other_ids: Names,
}

#[derive(Debug)]
struct Entry {
    name: Box<str>,
    slots: SlotList,
}

/// Ascending slots, the first two inline.
#[derive(Debug)]
enum SlotList {
    Few { len: u8, slots: [u32; 2] },
    Many(Box<ChunkedVec<u32>>),
}

impl Default for SlotList {
    fn default() -> Self {
        SlotList::Few { len: 0, slots: [0; 2] }
    }
}

impl SlotList {
    fn push(&mut self, slot: u32) {
        match self {
            SlotList::Few { len, slots } if usize::from(*len) < slots.len() => {
                slots[usize::from(*len)] = slot;
                *len += 1;
            }
            SlotList::Few { slots, .. } => {
                let mut list = ChunkedVec::default();
                slots.iter().for_each(|&s| list.push(s));
                list.push(slot);
                *self = SlotList::Many(Box::new(list));
            }
            SlotList::Many(list) => list.push(slot),
        }
    }

    fn as_slots(&self) -> Slots<'_> {
        match self {
            SlotList::Few { len, slots } => Slots::Few(slots.get(..usize::from(*len)).unwrap_or_default()),
            SlotList::Many(list) => Slots::List(list),
        }
    }

    fn heap_bytes(&self) -> usize {
        match self {
            SlotList::Few { .. } => 0,
            SlotList::Many(list) => size_of::<ChunkedVec<u32>>() + list.heap_bytes(),
        }
    }
}

impl Correlations {
    /// The handle of an id, if some event ever carried it.
    pub fn find(&self, name: &str) -> Option<u32> {
        if let Some(number) = command_number(name) {
            let index = self
                .commands
                .partition_point(|entry| command_number(&entry.name) < Some(number));
            if self.commands.get(index).is_some_and(|entry| *entry.name == *name) {
                return Some(to_u32(index));
            }
        }
        self.other_ids.get(name).map(|&index| OTHER | index)
    }

    /// The handle of an id, adding it when it is new.
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(handle) = self.find(name) {
            return handle;
        }
        let entry = Entry {
            name: name.into(),
            slots: SlotList::default(),
        };
        let last = self.commands.last().and_then(|entry| command_number(&entry.name));
        let next = to_u32(self.commands.len());
        if command_number(name) > last && next < OTHER {
            self.commands.push(entry);
            return next;
        }
        let index = to_u32(self.others.len()) & !OTHER;
        self.others.push(entry);
        self.other_ids.insert(name.into(), index);
        OTHER | index
    }

    /// The id of a handle.
    pub fn name(&self, handle: u32) -> Option<&str> {
        self.entry(handle).map(|entry| &*entry.name)
    }

    /// The slots of the events stored with a handle's id, ascending.
    pub fn slots(&self, handle: u32) -> Slots<'_> {
        self.entry(handle).map_or(Slots::Empty, |entry| entry.slots.as_slots())
    }

    /// Every id, each once.
    pub fn names(&self) -> impl Iterator<Item = &str> + '_ {
        self.commands.iter().chain(self.others.iter()).map(|entry| &*entry.name)
    }

    /// Adds a stored event's slot, above every slot the id has.
    pub fn push(&mut self, handle: u32, slot: u32) {
        let entry = match handle & OTHER {
            0 => self.commands.get_mut(handle as usize),
            _ => self.others.get_mut((handle & !OTHER) as usize),
        };
        if let Some(entry) = entry {
            entry.slots.push(slot);
        }
    }

    /// Forgets every slot, keeping the ids and their handles.
    pub fn clear_slots(&mut self) {
        for entry in self.commands.iter_mut().chain(self.others.iter_mut()) {
            entry.slots = SlotList::default();
        }
    }

    /// Heap bytes held (map nodes estimated at 1.5 times their entries).
    pub fn heap_bytes(&self) -> usize {
        let entries: usize = self
            .commands
            .iter()
            .chain(self.others.iter())
            .map(|entry| entry.name.len() + entry.slots.heap_bytes())
            .sum();
        let names: usize = self.other_ids.keys().map(|name| name.len()).sum();
        entries
            + names
            + self.commands.heap_bytes()
            + self.others.heap_bytes()
            + self.other_ids.capacity() * (size_of::<(Box<str>, u32)>() + 1)
    }

    fn entry(&self, handle: u32) -> Option<&Entry> {
        match handle & OTHER {
            0 => self.commands.get(handle as usize),
            _ => self.others.get((handle & !OTHER) as usize),
        }
    }
}

/// `n` when `name` is `cmd-<n>` written as the runtime writes it (decimal digits, no sign and no
/// leading zero), so that two ids with the same number are the same text.
fn command_number(name: &str) -> Option<u64> {
    let digits = name.strip_prefix(COMMAND_PREFIX)?;
    let canonical = digits.bytes().all(|b| b.is_ascii_digit()) && (digits == "0" || !digits.starts_with('0'));
    canonical.then(|| digits.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_numbers_are_canonical_only() {
        let cases = [
            ("cmd-1", Some(1)),
            ("cmd-0", Some(0)),
            ("cmd-120", Some(120)),
            ("cmd-18446744073709551615", Some(u64::MAX)),
            ("cmd-18446744073709551616", None),
            ("cmd-01", None),
            ("cmd-00", None),
            ("cmd-", None),
            ("cmd-+1", None),
            ("cmd-1a", None),
            ("cmd-١", None),
            ("cmd1", None),
            ("books-1", None),
        ];
        for (name, want) in cases {
            assert_eq!(command_number(name), want, "command_number({name:?})");
        }
    }

    #[test]
    fn ids_in_any_order_keep_their_handles_and_slots() {
        let names = [
            "cmd-2", "cmd-5", "x", "cmd-3", "cmd-05", "cmd-9", "cmd-5", "books-1", "cmd-2",
        ];
        let mut index = Correlations::default();
        let mut handles = Vec::new();
        for (slot, name) in names.iter().enumerate() {
            let handle = index.intern(name);
            index.push(handle, slot as u32);
            handles.push(handle);
        }
        for (name, &handle) in names.iter().zip(&handles) {
            assert_eq!(index.find(name), Some(handle), "find({name:?})");
            assert_eq!(index.name(handle), Some(*name), "name of {name:?}");
        }
        assert_eq!(index.find("cmd-4"), None, "an id never seen");
        assert_eq!(index.find("cmd-10"), None, "an id past the last");
        let mut distinct: Vec<&str> = index.names().collect();
        distinct.sort_unstable();
        assert_eq!(
            distinct,
            ["books-1", "cmd-05", "cmd-2", "cmd-3", "cmd-5", "cmd-9", "x"],
            "each id once"
        );
        let slots_of = |name: &str| {
            let handle = index.find(name).unwrap_or(u32::MAX);
            let slots = index.slots(handle);
            (0..slots.len()).filter_map(|i| slots.get(i)).collect::<Vec<_>>()
        };
        assert_eq!(slots_of("cmd-5"), [1, 6], "two slots inline");
        assert_eq!(slots_of("cmd-3"), [3], "out of order, in the map");
    }

    #[test]
    fn many_slots_spill_and_clear() {
        let mut index = Correlations::default();
        let handle = index.intern("cmd-1");
        for slot in 0..5 {
            index.push(handle, slot * 3);
        }
        let slots = index.slots(handle);
        assert!(
            (0..5).map(|i| slots.get(i)).eq((0..5).map(|s| Some(s * 3))),
            "five slots in order"
        );
        index.clear_slots();
        assert_eq!(index.slots(handle).len(), 0, "cleared");
        assert_eq!(index.find("cmd-1"), Some(handle), "the id stays");
    }
}
