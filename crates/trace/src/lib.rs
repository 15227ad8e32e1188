//! The trace: what an instrumented MAPI subsystem (ours, or the capture
//! agent inside a real client) says about a process's shutdown. This crate
//! is what the agent and any embedder link: it depends on serde,
//! serde_json, thiserror, interprocess, crossbeam-channel, humantime and
//! the OS crates only (no policy store, no Fluent, no CLI or GUI crate), and
//! its version is the protocol's contract.
//!
//! It owns the MAPI names a record carries ([`model`]), `HRESULT`s
//! ([`hresult`]), the clock behind a trait ([`clock`]), the record model (one JSON object per line,
//! documented field by field in `docs/trace-format.md`), the versioned
//! codec ([`codec`]), the non-blocking emitter ([`emitter`]), the sinks
//! records are written to ([`sink`]), and live capture's client side: the
//! local endpoint ([`endpoint`]), the private directories and safely
//! created files it and the crates above share ([`files`]), the sink that sends to the monitor
//! ([`socket`]) and the spool files it falls back to ([`spool`]).
//!
//! A stream is: one [`Hello`] line naming the protocol version and the
//! process, then declarations ([`SessionDecl`], [`ProviderDecl`]), the
//! [`PolicyRecord`] the subsystem used, call [`CallEnter`]/[`CallExit`]
//! pairs, [`Dropped`] counts, and the [`ClientExit`] (absent when the
//! process was killed). Timestamps `t_ns` are nanoseconds of a monotonic
//! clock since the process's trace started (`Hello::started_at`, wall clock).

mod canonical;
pub mod clock;
pub mod codec;
pub mod emitter;
pub mod endpoint;
pub mod files;
pub mod host;
pub mod hresult;
pub mod model;
pub mod sink;
pub mod socket;
pub mod spool;

use serde::{Deserialize, Serialize};

use crate::hresult::HRESULT;
use crate::model::{FastShutdownBehavior, OfficeVersion, ProviderKind, Setting};

pub use codec::{CompactRecord, DecodeError, Decoder, MAX_LINE_BYTES, PROTOCOL_VERSION};
pub use emitter::{Emitter, FLUSH_BOUND};
pub use endpoint::{ENDPOINT_ENV, Endpoint, EndpointError};
pub use socket::{Delivery, SinkStatus, SocketSink, connect_sink};
pub use spool::SPOOL_DIR_ENV;

/// One line of a trace stream. Serialized with a `"type"` tag naming the
/// variant in snake case (`"hello"`, `"provider"`, `"enter"`, …).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Record {
    /// First line of every stream.
    Hello(Hello),
    /// A MAPI session was opened (`MAPILogonEx`).
    Session(SessionDecl),
    /// A provider was loaded into a session.
    Provider(ProviderDecl),
    /// The fast-shutdown policy the subsystem read, and what it used.
    Policy(PolicyRecord),
    /// A call started.
    Enter(CallEnter),
    /// A call returned.
    Exit(CallExit),
    /// Records were dropped because the emitter's queue was full.
    Dropped(Dropped),
    /// The client process exited normally (absent when it was killed).
    ClientExit(ClientExit),
}

impl Record {
    /// The record's timestamp in ns since the trace started; `0` for
    /// [`Record::Hello`], which carries a wall-clock time instead.
    pub fn t_ns(&self) -> u64 {
        match self {
            Record::Hello(_) => 0,
            Record::Session(r) => r.t_ns,
            Record::Provider(r) => r.t_ns,
            Record::Policy(r) => r.t_ns,
            Record::Enter(r) => r.t_ns,
            Record::Exit(r) => r.t_ns,
            Record::Dropped(r) => r.t_ns,
            Record::ClientExit(r) => r.t_ns,
        }
    }

    /// The `"type"` tag this record is written with.
    pub fn type_name(&self) -> &'static str {
        match self {
            Record::Hello(_) => "hello",
            Record::Session(_) => "session",
            Record::Provider(_) => "provider",
            Record::Policy(_) => "policy",
            Record::Enter(_) => "enter",
            Record::Exit(_) => "exit",
            Record::Dropped(_) => "dropped",
            Record::ClientExit(_) => "client_exit",
        }
    }
}

/// The stream header: protocol version and the process that writes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    /// Protocol version of the stream ([`PROTOCOL_VERSION`] when written).
    pub protocol: u32,
    /// Process id of the MAPI client.
    pub pid: u32,
    /// Executable name of the client, e.g. `OUTLOOK.EXE`.
    pub exe: String,
    /// Office version whose policy the subsystem reads.
    pub office_version: OfficeVersion,
    /// The subsystem DLL the client is using, e.g. `olmapi32.dll`.
    pub subsystem: String,
    /// Wall-clock time at which `t_ns = 0`, RFC 3339 UTC with ms.
    pub started_at: String,
    /// Set when the trace was captured from a real client by the capture
    /// agent; absent for our own (simulated) subsystem. Additive within
    /// protocol 1: older readers ignore it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capture: Option<Capture>,
    /// The computer the client runs on ([`host::computer_name`]: Windows'
    /// `GetComputerNameW`, `gethostname` elsewhere), so that a report
    /// across machines groups its sessions by machine. Additive within
    /// protocol 1: older readers ignore it, and older traces lack it (a
    /// report then names the machine by the trace's file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
}

impl Hello {
    /// The Office version the client is known to use: `office_version`,
    /// except for a captured trace whose subsystem DLL carries no Office
    /// version (`capture.office_version_known == false`): `None`.
    pub fn known_office_version(&self) -> Option<OfficeVersion> {
        match &self.capture {
            Some(c) if !c.office_version_known => None,
            _ => Some(self.office_version),
        }
    }

    /// Whether the trace was captured from a real client by the agent
    /// (else it comes from our own subsystem: simulated).
    pub fn is_captured(&self) -> bool {
        self.capture.is_some()
    }
}

/// How a captured trace was taken (`hello.capture`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capture {
    /// Whether the agent was in the process from its start or came late.
    pub attach: AttachMode,
    /// The capture agent's version (the workspace version).
    pub agent: String,
    /// The pointer size of the client process, in bits: 32 or 64.
    pub bits: u32,
    /// Full path of the subsystem DLL instrumented.
    pub subsystem_path: String,
    /// The subsystem DLL's file version (`16.0.17928.20114`), when it has
    /// one; `office_version` is derived from its major number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subsystem_version: Option<String>,
    /// False when the subsystem DLL carries no Office file version: then
    /// `office_version` is only the key the agent read its policy from
    /// (16.0), not something the client said, and the analysis says the
    /// Office version is unknown.
    pub office_version_known: bool,
}

/// When the capture agent entered the client process.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AttachMode {
    /// `capture launch`: loaded before the client's first instruction ran;
    /// the trace sees every logon and every provider.
    Launch,
    /// `capture attach`: loaded into a running client; sessions opened and
    /// providers loaded before it are not in the trace.
    Late,
}

impl AttachMode {
    /// `launch` or `late`.
    pub fn as_str(self) -> &'static str {
        match self {
            AttachMode::Launch => "launch",
            AttachMode::Late => "late",
        }
    }
}

/// A MAPI session of the process.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionDecl {
    /// ns since the trace started.
    pub t_ns: u64,
    /// Session id, unique within the process, from 1.
    pub session: u32,
    /// The MAPI profile the session logged on to.
    pub profile: String,
}

/// A provider loaded into a session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderDecl {
    /// ns since the trace started.
    pub t_ns: u64,
    /// The MAPI session it belongs to; `None` when the writer cannot tell
    /// (the capture agent, for a provider made outside any `MAPILogonEx`
    /// while several MAPI sessions, or none it saw, are open). Our own
    /// subsystem always knows it. Absent from the line when `None`:
    /// relaxed within protocol 1 (a reader from before it refuses such a
    /// line; every trace it could read reads the same here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<u32>,
    /// Provider id, unique within the process, from 1.
    pub provider: u32,
    /// Display name (`PR_DISPLAY_NAME`).
    pub name: String,
    /// Transport, address book or message store.
    pub kind: ProviderKind,
    /// The provider DLL, e.g. `emsmdb32.dll`.
    pub dll: String,
    /// Whether `QueryInterface(IID_IMAPIProviderShutdown)` succeeds.
    pub implements_shutdown: bool,
}

impl ProviderDecl {
    /// Whether the provider is named by its DLL (ASCII case ignored): the
    /// capture agent's providers are, when it cannot learn a display
    /// name. Then the name is said once (`fxp_supports.dll`), not as
    /// `fxp_supports.dll (fxp_supports.dll)`.
    pub fn named_by_dll(&self) -> bool {
        self.name.eq_ignore_ascii_case(&self.dll)
    }
}

/// Where the subsystem's `FastShutdownBehavior` came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum PolicySource {
    /// Read from a registry store.
    Registry {
        /// Which store (`windows`, `file:PATH`, `memory`).
        store: String,
        /// Full key path with hive, `HKEY_CURRENT_USER\Software\…\Shutdown`.
        key: String,
        /// The value name, `FastShutdownBehavior`.
        value: String,
    },
    /// Forced by the caller (e.g. `simulate --fast-shutdown-behavior`).
    Override,
    /// No store was consulted; the documented default applies.
    Default,
}

/// The policy the subsystem used for this process.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyRecord {
    /// ns since the trace started.
    pub t_ns: u64,
    /// The Office version whose key was read.
    pub office_version: OfficeVersion,
    /// Where the value came from.
    pub source: PolicySource,
    /// The value as read: not configured, valid, or invalid with raw data.
    pub setting: Setting<FastShutdownBehavior>,
    /// The option in force (the default for absent or invalid data).
    pub effective: FastShutdownBehavior,
}

/// Who made a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Caller {
    /// The MAPI client (calls `IMAPIClientShutdown` and MAPI functions).
    Client,
    /// The MAPI subsystem (calls `IMAPIProviderShutdown`).
    Subsystem,
}

/// The interface a traced method belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Interface {
    /// Implemented by the subsystem, called by the client.
    #[serde(rename = "IMAPIClientShutdown")]
    ClientShutdown,
    /// Implemented by a provider, called by the subsystem.
    #[serde(rename = "IMAPIProviderShutdown")]
    ProviderShutdown,
    /// A flat MAPI function (`MAPIUninitialize`, `MAPILogonEx`).
    #[serde(rename = "MAPI")]
    Mapi,
}

/// A traced method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Method {
    /// `QueryFastShutdown`
    QueryFastShutdown,
    /// `NotifyProcessShutdown`
    NotifyProcessShutdown,
    /// `DoFastShutdown`
    DoFastShutdown,
    /// `MAPILogonEx` (only traced when it fails after `DoFastShutdown`).
    #[serde(rename = "MAPILogonEx")]
    MapiLogonEx,
    /// `MAPIUninitialize`
    #[serde(rename = "MAPIUninitialize")]
    MapiUninitialize,
}

/// Records the unit tests of several modules (of this crate and the crates
/// built on it) share. Not part of the protocol.
#[doc(hidden)]
pub mod test_records {
    use super::{Hello, PROTOCOL_VERSION, Record};
    use crate::model::OfficeVersion;

    /// An Outlook 2016 `hello` of process `pid`, started
    /// 2026-11-20T10:00:00Z.
    pub fn hello(pid: u32) -> Record {
        Record::Hello(Hello {
            host: None,
            protocol: PROTOCOL_VERSION,
            pid,
            exe: "OUTLOOK.EXE".into(),
            office_version: OfficeVersion::V16,
            subsystem: "olmapi32.dll".into(),
            started_at: "2026-11-20T10:00:00.000Z".into(),
            capture: None,
        })
    }
}

impl Interface {
    /// The interface's name as in the MAPI reference (`MAPI` for the flat
    /// functions).
    pub fn as_str(self) -> &'static str {
        match self {
            Interface::ClientShutdown => "IMAPIClientShutdown",
            Interface::ProviderShutdown => "IMAPIProviderShutdown",
            Interface::Mapi => "MAPI",
        }
    }
}

impl Method {
    /// The method's name as in the MAPI reference.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::QueryFastShutdown => "QueryFastShutdown",
            Method::NotifyProcessShutdown => "NotifyProcessShutdown",
            Method::DoFastShutdown => "DoFastShutdown",
            Method::MapiLogonEx => "MAPILogonEx",
            Method::MapiUninitialize => "MAPIUninitialize",
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A call started.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallEnter {
    /// ns since the trace started.
    pub t_ns: u64,
    /// Call id, unique within the process, from 1; the matching
    /// [`CallExit`] has the same id.
    pub call: u64,
    /// The enclosing call (a provider call's client call), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<u64>,
    /// Who called.
    pub caller: Caller,
    /// The interface of the method.
    pub interface: Interface,
    /// The method.
    pub method: Method,
    /// The session the call went through (client calls) or the provider's
    /// session (provider calls).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<u32>,
    /// The provider called (provider calls only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<u32>,
}

/// A call returned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallExit {
    /// ns since the trace started.
    pub t_ns: u64,
    /// The id of the matching [`CallEnter`].
    pub call: u64,
    /// What the method returned.
    pub hresult: HRESULT,
}

/// A count of records the emitter dropped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dropped {
    /// ns since the trace started.
    pub t_ns: u64,
    /// Records dropped since the stream began (cumulative).
    pub count: u64,
}

/// The client process exited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientExit {
    /// ns since the trace started.
    pub t_ns: u64,
    /// The process exit code.
    pub code: i32,
}
