//! The monitor side of live capture: receiving trace streams from
//! instrumented clients and turning them into verdicts.
//! - [`server`]: listens on the local endpoint, one reader thread per
//!   client, decoding with the codec's limits, a bounded queue to the store;
//! - [`store`]: the sessions received (one entry per connection, grouped by
//!   process), capped and evicting the oldest completed first, shared with
//!   the GUI through a generation counter;
//! - [`footprint`]: what the store's byte cap is measured in (the heap a
//!   stored trace and its entry hold);
//! - [`recording`]: the file that holds every stream a monitor received
//!   (`watch --out`), and its readers;
//! - [`lanes`]: the one lane model (lanes, their order, the subsystem
//!   lane, tick steps) of the timeline, the HTML report and the Chrome
//!   trace;
//! - [`analysis`]: outcome, reason, findings and timings of one process's
//!   shutdown, derived only from its trace.

pub mod analysis;
pub mod footprint;
pub mod lanes;
pub mod recording;
pub mod server;
pub mod store;

pub use recording::{
    FileStream, RecordedStream, Recorder, Recording, RecordingError, read_recording, read_streams,
    read_trace_or_recording,
};
pub use server::{
    IDLE_TIMEOUT, Monitor, MonitorError, MonitorHandle, MonitorOptions, Notify, RecordingFailure,
    STOPPED_WHILE_CONNECTED,
};
pub use store::{
    ConnId, ConnState, Entry, LogKind, LogLine, PUBLISH_INTERVAL, ProcessGroup, SessionSnapshot,
    SharedStore, SnapshotCursor, Store, StoreGuard, StoreOptions, StoreSnapshot, StoreStats,
    StreamError,
};
