//! `simulate`: scenario files (TOML) describing a MAPI client and its
//! providers, and the client that runs a scenario on the instrumented
//! subsystem, then summarizes the shutdown from its own trace.
//!
//! - [`scenario`]: the scenario file format, its parsing and validation,
//!   with errors naming the file, line and field (documented in
//!   `docs/scenarios.md`).
//! - [`run`](mod@run): the simulated client: loads the scenario's sessions and
//!   providers into a [`crate::mapi::Subsystem`], performs the shutdown the
//!   scenario describes, and (when asked) has the process killed in the
//!   middle of `DoFastShutdown`.
//! - [`summary`]: what `simulate` prints, derived from the trace records
//!   alone: each call with its HRESULT and duration, the policy, whether
//!   fast shutdown was taken, and best-practice warnings.

pub mod run;
pub mod scenario;
pub mod summary;

pub use run::{KILLED_EXIT_CODE, Kill, KillHook, RunError, RunOptions, run};
pub use scenario::{
    ClientEnd, ClientSpec, Delays, OnQueryError, ProviderSpec, Scenario, ScenarioError,
    ScenarioIssue, SessionSpec, ShutdownMethod, ShutdownSupport,
};
pub use summary::{
    CallSummary, ProcessEnd, ScenarioRef, Severity, ShutdownPath, Summary, TraceInfo, Warning,
    WarningKind,
};
