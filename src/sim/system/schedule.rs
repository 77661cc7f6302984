//! The simulated clock's agenda and the seeded randomness of the faults.
//!
//! Work that happens later (a delivery, a retry, an outbox relay, a timeout, an external system's
//! answer) is a [`Task`] due at a time; tasks due at the same time run in the order they were
//! scheduled. Together with one random sequence drawn only while tasks run, this makes a run
//! depend on the seed and the inputs, never on how the clock was stepped.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Something to do at a time.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Task {
    /// Hand message `message` to subscriber `subscriber`.
    Deliver {
        subscriber: usize,
        message: usize,
        /// 1 for the first delivery, 2 for the first retry, …
        attempt: u32,
        /// The broker's own second copy of a delivery.
        duplicate: bool,
        /// The delivery's trace node (its index in the journal), when it is a retry of one.
        retry_of: Option<usize>,
    },
    /// Publish what module `module`'s outbox holds (or its changes, by change data capture).
    Relay { module: usize },
    /// A process instance's deadline.
    Timeout {
        process: usize,
        instance: String,
        name: String,
        id: String,
    },
    /// An external system answers call `call`.
    Answer { call: usize },
}

/// A task with its time and its place in the order tasks were scheduled.
#[derive(Debug)]
struct Entry {
    due: i64,
    seq: u64,
    task: Task,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        (self.due, self.seq) == (other.due, other.seq)
    }
}

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.due, self.seq).cmp(&(other.due, other.seq))
    }
}

/// The tasks waiting for their time, soonest first.
#[derive(Debug, Default)]
pub(super) struct Agenda {
    queue: BinaryHeap<Reverse<Entry>>,
    scheduled: u64,
}

impl Agenda {
    /// Schedules `task` at `due`.
    pub fn at(&mut self, due: i64, task: Task) {
        self.scheduled += 1;
        self.queue.push(Reverse(Entry {
            due,
            seq: self.scheduled,
            task,
        }));
    }

    /// The time of the next task, if any.
    pub fn next_due(&self) -> Option<i64> {
        self.queue.peek().map(|Reverse(entry)| entry.due)
    }

    /// The next task if it is due by `until`.
    pub fn pop_until(&mut self, until: i64) -> Option<(i64, Task)> {
        if self.next_due()? > until {
            return None;
        }
        self.queue.pop().map(|Reverse(entry)| (entry.due, entry.task))
    }

    /// How many tasks wait.
    pub fn len(&self) -> usize {
        self.queue.len()
    }

    /// The tasks waiting, in no particular order.
    pub fn tasks(&self) -> impl Iterator<Item = &Task> + '_ {
        self.queue.iter().map(|Reverse(entry)| &entry.task)
    }

    /// The tasks waiting with when each falls due, in no particular order.
    pub fn entries(&self) -> impl Iterator<Item = (i64, &Task)> + '_ {
        self.queue.iter().map(|Reverse(entry)| (entry.due, &entry.task))
    }

    /// Removes the tasks `drop` picks.
    pub fn remove_where(&mut self, mut drop: impl FnMut(&Task) -> bool) {
        self.queue.retain(|Reverse(entry)| !drop(&entry.task));
    }
}

/// A seeded random sequence (SplitMix64): small, fast and the same everywhere.
#[derive(Debug, Clone)]
pub(super) struct Dice(u64);

impl Dice {
    /// A sequence for a seed.
    pub fn new(seed: u64) -> Self {
        Dice(seed ^ 0x5DEE_CE66_D1CE_F00D)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Whether something with probability `share` happens; draws nothing when it cannot.
    pub fn chance(&mut self, share: f64) -> bool {
        share > 0.0 && self.unit() < share
    }

    /// A whole number in `[0, bound]`; draws nothing when `bound` is 0.
    pub fn upto(&mut self, bound: u64) -> u64 {
        if bound == 0 {
            0
        } else {
            self.next() % (bound + 1)
        }
    }
}
