//! The monitor side of live capture: turning trace streams into verdicts.
//! For now it holds the [`analysis`] (outcome, reason, findings and timings
//! of one process's shutdown, derived only from its trace).

pub mod analysis;
