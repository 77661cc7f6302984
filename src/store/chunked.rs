//! A growable sequence that never reallocates one giant buffer.
//!
//! WebAssembly memory never shrinks: when a big `Vec` doubles, the old copy stays as dead memory.
//! A [`ChunkedVec`] keeps its first chunk growing like a `Vec` (so small lists stay small) up to
//! [`CHUNK_LEN`] elements, then adds fixed chunks of exactly that many.

use std::mem::size_of;

/// Elements per full chunk.
pub(crate) const CHUNK_LEN: usize = 1 << 16;

#[derive(Debug, Clone)]
pub(crate) struct ChunkedVec<T> {
    head: Vec<T>,
    rest: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for ChunkedVec<T> {
    fn default() -> Self {
        ChunkedVec {
            head: Vec::new(),
            rest: Vec::new(),
            len: 0,
        }
    }
}

impl<T> ChunkedVec<T> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn push(&mut self, value: T) {
        let chunk = if self.len < CHUNK_LEN {
            &mut self.head
        } else {
            if self.len.is_multiple_of(CHUNK_LEN) {
                self.rest.push(Vec::with_capacity(CHUNK_LEN));
            }
            match self.rest.last_mut() {
                Some(chunk) => chunk,
                None => &mut self.head,
            }
        };
        if chunk.len() == chunk.capacity() {
            let wanted = (chunk.capacity() * 2).clamp(4, CHUNK_LEN);
            chunk.reserve_exact(wanted.saturating_sub(chunk.len()));
        }
        chunk.push(value);
        self.len += 1;
    }

    pub fn get(&self, index: usize) -> Option<&T> {
        if index < CHUNK_LEN {
            self.head.get(index)
        } else {
            self.rest.get(index / CHUNK_LEN - 1)?.get(index % CHUNK_LEN)
        }
    }

    pub fn get_mut(&mut self, index: usize) -> Option<&mut T> {
        if index < CHUNK_LEN {
            self.head.get_mut(index)
        } else {
            self.rest.get_mut(index / CHUNK_LEN - 1)?.get_mut(index % CHUNK_LEN)
        }
    }

    pub fn last(&self) -> Option<&T> {
        self.len.checked_sub(1).and_then(|index| self.get(index))
    }

    /// The index of the first element for which `pred` is false; `pred` must be true for a
    /// prefix and false after it, as for [`slice::partition_point`].
    pub fn partition_point(&self, pred: impl Fn(&T) -> bool) -> usize {
        // Chunks are searched as slices: skip every chunk whose last element passes.
        let mut before = 0;
        for chunk in std::iter::once(&self.head).chain(&self.rest) {
            match chunk.last() {
                Some(last) if pred(last) => before += chunk.len(),
                _ => return before + chunk.partition_point(&pred),
            }
        }
        before
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + '_ {
        self.head.iter().chain(self.rest.iter().flatten())
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> + '_ {
        self.head.iter_mut().chain(self.rest.iter_mut().flatten())
    }

    /// Heap bytes held, counting capacity rather than length.
    pub fn heap_bytes(&self) -> usize {
        let chunks: usize = self.rest.iter().map(Vec::capacity).sum();
        (self.head.capacity() + chunks) * size_of::<T>() + self.rest.capacity() * size_of::<Vec<T>>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_get_and_search_across_chunks() {
        let mut list = ChunkedVec::default();
        let n = CHUNK_LEN * 2 + 17;
        for i in 0..n {
            list.push(i as u32 * 2);
        }
        assert_eq!(list.len(), n, "length");
        for i in [0, 1, CHUNK_LEN - 1, CHUNK_LEN, CHUNK_LEN + 1, 2 * CHUNK_LEN, n - 1] {
            assert_eq!(list.get(i).copied(), Some(i as u32 * 2), "get({i})");
        }
        assert_eq!(list.get(n), None, "get past the end");
        assert_eq!(list.last().copied(), Some((n as u32 - 1) * 2), "last");
        for target in [0u32, 1, 2, 131_072, 131_073, (n as u32) * 2 + 5] {
            let want = (0..n).position(|i| i as u32 * 2 >= target).unwrap_or(n);
            assert_eq!(
                list.partition_point(|&v| v < target),
                want,
                "partition_point(< {target})"
            );
        }
        assert!(list.iter().copied().eq((0..n).map(|i| i as u32 * 2)), "iter in order");
        if let Some(value) = list.get_mut(CHUNK_LEN + 1) {
            *value += 1;
        }
        assert_eq!(
            list.get(CHUNK_LEN + 1).copied(),
            Some((CHUNK_LEN as u32 + 1) * 2 + 1),
            "get_mut"
        );
        list.iter_mut().for_each(|value| *value &= !1);
        assert!(
            list.iter().rev().copied().eq((0..n).rev().map(|i| i as u32 * 2)),
            "iter backwards"
        );
    }

    #[test]
    fn full_chunks_are_exactly_chunk_sized() {
        let mut list = ChunkedVec::default();
        for i in 0..CHUNK_LEN * 3 {
            list.push(i as u8);
        }
        assert_eq!(
            list.heap_bytes(),
            CHUNK_LEN * 3 + 4 * size_of::<Vec<u8>>(),
            "no slack beyond the outer vec"
        );
    }
}
