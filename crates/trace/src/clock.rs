//! Time sources behind a small trait so tests inject them: a monotonic clock
//! in ns since an origin, plus the wall-clock time of that origin.

use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

/// A clock: monotonic ns since its origin, and the wall-clock origin.
pub trait Clock: Send + Sync + Debug {
    /// Nanoseconds since the origin; never decreases.
    fn now_ns(&self) -> u64;
    /// Wall-clock time of the origin (`now_ns() == 0`).
    fn origin(&self) -> SystemTime;
}

/// The real clock: [`Instant`] since creation.
#[derive(Debug)]
pub struct MonotonicClock {
    start: Instant,
    wall: SystemTime,
}

impl MonotonicClock {
    /// A clock whose origin is now.
    pub fn new() -> Self {
        MonotonicClock {
            start: Instant::now(),
            wall: SystemTime::now(),
        }
    }
}

impl Default for MonotonicClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for MonotonicClock {
    fn now_ns(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    fn origin(&self) -> SystemTime {
        self.wall
    }
}

/// A clock that moves only when told to, for tests.
#[derive(Debug)]
pub struct ManualClock {
    ns: AtomicU64,
    wall: SystemTime,
}

impl ManualClock {
    /// A clock at 0 ns whose origin is `wall`.
    pub fn new(wall: SystemTime) -> Self {
        ManualClock {
            ns: AtomicU64::new(0),
            wall,
        }
    }

    /// Move forward by `by`.
    pub fn advance(&self, by: Duration) {
        let ns = u64::try_from(by.as_nanos()).unwrap_or(u64::MAX);
        self.ns.fetch_add(ns, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ns(&self) -> u64 {
        self.ns.load(Ordering::SeqCst)
    }

    fn origin(&self) -> SystemTime {
        self.wall
    }
}

/// RFC 3339 UTC with milliseconds: `2026-11-20T10:00:00.000Z`.
pub fn rfc3339(t: SystemTime) -> String {
    humantime::format_rfc3339_millis(t).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_when_told() {
        let c = ManualClock::new(SystemTime::UNIX_EPOCH);
        assert_eq!(c.now_ns(), 0);
        c.advance(Duration::from_micros(3));
        assert_eq!(c.now_ns(), 3_000);
        assert_eq!(rfc3339(c.origin()), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn monotonic_clock_never_goes_back() {
        let c = MonotonicClock::new();
        let a = c.now_ns();
        let b = c.now_ns();
        assert!(b >= a);
    }
}
