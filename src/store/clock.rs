//! The simulated clock: milliseconds that move only when the simulation says so.
//!
//! There is no wall clock in the store. Every appended event is stamped with the clock's current
//! value, and `max_age` retention is measured against it. The clock never goes backwards, so
//! timestamps never decrease along the log.

use super::error::{Error, Result};

/// A monotonic simulated clock in milliseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Clock {
    now_ms: i64,
}

impl Clock {
    pub fn starting_at(ms: i64) -> Self {
        Clock { now_ms: ms }
    }

    pub fn now_ms(self) -> i64 {
        self.now_ms
    }

    /// Moves the clock forward by `ms`, returning the new time.
    pub fn advance(&mut self, ms: u64) -> Result<i64> {
        let next = i64::try_from(ms)
            .ok()
            .and_then(|ms| self.now_ms.checked_add(ms))
            .ok_or_else(|| {
                Error::invalid(
                    format!("clock advance of {ms} ms"),
                    format!("it overflows the clock at {} ms", self.now_ms),
                )
            })?;
        self.now_ms = next;
        Ok(next)
    }

    /// Sets the clock; setting it to an earlier time is an error.
    pub fn set(&mut self, ms: i64) -> Result<()> {
        if ms < self.now_ms {
            return Err(Error::invalid(
                format!("clock time {ms} ms"),
                format!("the clock never goes backwards and is at {} ms", self.now_ms),
            ));
        }
        self.now_ms = ms;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_moves_forward_only() {
        let mut clock = Clock::starting_at(1_000);
        assert_eq!(clock.advance(500).ok(), Some(1_500), "advance adds");
        assert!(clock.set(1_500).is_ok(), "setting the same time is allowed");
        assert!(clock.set(2_000).is_ok(), "setting a later time is allowed");
        let error = clock.set(1_999).err().map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some("invalid clock time 1999 ms: the clock never goes backwards and is at 2000 ms"),
            "setting an earlier time"
        );
        assert_eq!(clock.now_ms(), 2_000, "a rejected set changes nothing");
        assert!(clock.advance(u64::MAX).is_err(), "overflow is rejected");
        assert!(
            clock.advance(i64::MAX as u64).is_err(),
            "overflow of the sum is rejected"
        );
        assert_eq!(clock.now_ms(), 2_000, "a rejected advance changes nothing");
    }
}
