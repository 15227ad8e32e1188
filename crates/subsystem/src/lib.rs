//! The instrumented MAPI subsystem: a real implementation of the fast-shutdown
//! contract for MAPI clients and providers written in Rust, and the policy
//! read it needs ([`policy`], through the registry stores of [`registry`]).
//! A provider vendor links this crate (and the trace crate) alone to test a
//! provider against the subsystem, with no GUI, Fluent or CLI crate.
//! It owns the
//! provider model ([`ProviderKind`], [`ProviderShutdown`], [`Provider`]),
//! the process-wide [`Subsystem`] with its [`Session`]s, the client's
//! [`ClientShutdown`] interface (`IMAPIClientShutdown`), the policy decision
//! rules, and the tracing of every call in both directions.
//!
//! The rules, from "Client Shutdown in MAPI", "Fast Shutdown Overview",
//! "Fast Shutdown User Options" and the IMAPIClientShutdown /
//! IMAPIProviderShutdown reference pages (see `docs/domain.md`):
//! - the subsystem calls providers of every session of the process; within
//!   each session in the order transport, address book, message store ("Fast
//!   Shutdown Overview"; load order within a kind). The order across
//!   sessions is not specified: this subsystem goes kind by kind across the
//!   sessions (every session's transports, then every address book, then
//!   every store), one of the valid orders;
//! - opt-out answers `S_OK` unless a provider's `QueryFastShutdown` fails
//!   (providers without the interface do not block); opt-in answers `S_OK`
//!   only if every provider implements the interface and answers `S_OK`;
//!   disabled answers `MAPI_E_NO_SUPPORT` and never calls a provider's
//!   `QueryFastShutdown` or `DoFastShutdown`;
//! - absent or invalid policy data means the default (opt-out), and the
//!   trace's policy record says so;
//! - after `DoFastShutdown` every MAPI call fails with `MAPI_E_CALL_FAILED`.
//!
//! Calls a careful client would not make (Notify/Do after a failed query,
//! MAPI after `DoFastShutdown`) are still possible, answered as the real
//! subsystem would, and traced so the analysis can flag them.

pub mod policy;
pub mod registry;
#[cfg(any(test, feature = "scripted"))]
mod scripted;

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use mapi_trace::clock::{Clock, rfc3339};
use mapi_trace::hresult::HRESULT;
use mapi_trace::model::{FastShutdownBehavior, OfficeVersion, Setting};
use mapi_trace::{
    CallEnter, CallExit, Caller, ClientExit, Emitter, FLUSH_BOUND, Hello, Interface, Method,
    PROTOCOL_VERSION, PolicyRecord, PolicySource, ProviderDecl, Record, SessionDecl,
};

pub use mapi_trace::model::ProviderKind;
#[cfg(any(test, feature = "scripted"))]
pub use scripted::{CallLog, ProviderBehaviour, ScriptedProvider};

/// `IMAPIProviderShutdown`, implemented by a provider and called only by
/// the subsystem. Each method returns the provider's `HRESULT`.
///
/// Source: the IMAPIProviderShutdown reference page.
pub trait ProviderShutdown: Send {
    /// `S_OK` when the provider supports fast shutdown, `MAPI_E_NO_SUPPORT`
    /// to prevent it.
    fn query_fast_shutdown(&mut self) -> HRESULT;
    /// The process is about to shut down; `S_OK`.
    fn notify_process_shutdown(&mut self) -> HRESULT;
    /// Persist what must be saved now; `S_OK` when ready for exit.
    fn do_fast_shutdown(&mut self) -> HRESULT;
}

/// A provider as loaded into a session.
pub struct Provider {
    /// Display name (`PR_DISPLAY_NAME`).
    pub name: String,
    /// Transport, address book or message store.
    pub kind: ProviderKind,
    /// The DLL, e.g. `emsmdb32.dll`.
    pub dll: String,
    /// The provider's `IMAPIProviderShutdown`, or `None` when
    /// `QueryInterface` for it fails (the provider does not implement it).
    pub shutdown: Option<Box<dyn ProviderShutdown>>,
}

impl fmt::Debug for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Provider")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("dll", &self.dll)
            .field("implements_shutdown", &self.shutdown.is_some())
            .finish()
    }
}

/// Who the client process is, for the trace's `hello` record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessInfo {
    /// Process id.
    pub pid: u32,
    /// Executable name, e.g. `OUTLOOK.EXE`.
    pub exe: String,
    /// Office version whose policy applies.
    pub office_version: OfficeVersion,
    /// The subsystem DLL name the client loaded, e.g. `olmapi32.dll`.
    pub subsystem_dll: String,
    /// The computer's name for the `hello` record's `host`
    /// ([`mapi_trace::host::computer_name`]); `None` leaves it out.
    pub host: Option<String>,
}

impl ProcessInfo {
    /// This process, with the given executable name and versions.
    pub fn current(exe: &str, office_version: OfficeVersion, subsystem_dll: &str) -> Self {
        ProcessInfo {
            pid: std::process::id(),
            exe: exe.to_string(),
            office_version,
            subsystem_dll: subsystem_dll.to_string(),
            host: mapi_trace::host::computer_name(),
        }
    }
}

/// The policy the subsystem was given: where it came from and what was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShutdownPolicy {
    /// Registry store, override, or default.
    pub source: PolicySource,
    /// The value as read (absent, valid, invalid raw data).
    pub setting: Setting<FastShutdownBehavior>,
}

impl ShutdownPolicy {
    /// A policy forced by the caller.
    pub fn forced(option: FastShutdownBehavior) -> Self {
        ShutdownPolicy {
            source: PolicySource::Override,
            setting: Setting::Valid { value: option },
        }
    }

    /// No store consulted: the documented default.
    pub fn default_policy() -> Self {
        ShutdownPolicy {
            source: PolicySource::Default,
            setting: Setting::NotConfigured,
        }
    }

    /// The option in force: a valid setting, else opt-out ("Fast Shutdown
    /// User Options": absent means opt-out; invalid data is treated the same).
    pub fn effective(&self) -> FastShutdownBehavior {
        self.setting.effective(FastShutdownBehavior::DEFAULT)
    }
}

struct ProviderSlot {
    id: u32,
    session: u32,
    kind: ProviderKind,
    shutdown: Option<Box<dyn ProviderShutdown>>,
}

struct Inner {
    emitter: Emitter,
    clock: Arc<dyn Clock>,
    policy: FastShutdownBehavior,
    providers: Vec<ProviderSlot>,
    next_session: u32,
    next_provider: u32,
    next_call: u64,
    /// `DoFastShutdown` has completed: every further call fails.
    fast_shutdown_done: bool,
}

impl Inner {
    fn enter(
        &mut self,
        parent: Option<u64>,
        caller: Caller,
        interface: Interface,
        method: Method,
        session: Option<u32>,
        provider: Option<u32>,
    ) -> u64 {
        self.next_call += 1;
        let call = self.next_call;
        self.emitter.emit(Record::Enter(CallEnter {
            t_ns: self.clock.now_ns(),
            call,
            parent,
            caller,
            interface,
            method,
            session,
            provider,
        }));
        call
    }

    fn exit(&self, call: u64, hresult: HRESULT) -> HRESULT {
        self.emitter.emit(Record::Exit(CallExit {
            t_ns: self.clock.now_ns(),
            call,
            hresult,
        }));
        hresult
    }

    /// Indices of providers that implement the interface, in call order.
    fn call_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.providers.len()).collect();
        order.sort_by_key(|&i| (self.providers[i].kind, self.providers[i].id));
        order
    }

    /// Call `method` on every provider implementing the interface, in call
    /// order, each traced under `parent`. Returns each provider's answer
    /// (`None` for providers without the interface), in call order.
    fn call_providers(&mut self, parent: u64, method: Method) -> Vec<Option<HRESULT>> {
        let order = self.call_order();
        let mut answers = Vec::with_capacity(order.len());
        for i in order {
            if self.providers[i].shutdown.is_none() {
                answers.push(None);
                continue;
            }
            let (id, session) = (self.providers[i].id, self.providers[i].session);
            let call = self.enter(
                Some(parent),
                Caller::Subsystem,
                Interface::ProviderShutdown,
                method,
                Some(session),
                Some(id),
            );
            let hr = match self.providers[i].shutdown.as_mut() {
                Some(p) => match method {
                    Method::QueryFastShutdown => p.query_fast_shutdown(),
                    Method::NotifyProcessShutdown => p.notify_process_shutdown(),
                    Method::DoFastShutdown => p.do_fast_shutdown(),
                    Method::MapiLogonEx | Method::MapiUninitialize => HRESULT::MAPI_E_NO_SUPPORT,
                },
                None => HRESULT::MAPI_E_NO_SUPPORT,
            };
            answers.push(Some(self.exit(call, hr)));
        }
        answers
    }
}

/// The MAPI subsystem of one client process (what `MAPIInitialize` sets up).
/// Cheap to clone; clones share the same state, like COM references.
///
/// Provider methods run while the subsystem's lock is held, so a provider
/// must not call back into the subsystem (real providers do not).
#[derive(Clone)]
pub struct Subsystem {
    inner: Arc<Mutex<Inner>>,
    emitter: Emitter,
}

impl fmt::Debug for Subsystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subsystem")
            .field("emitter", &self.emitter)
            .finish_non_exhaustive()
    }
}

impl Subsystem {
    /// `MAPIInitialize`: set up the subsystem for `process` with `policy`,
    /// tracing to `emitter` with timestamps from `clock`. Emits the stream's
    /// `hello` and the `policy` record.
    pub fn initialize(
        process: &ProcessInfo,
        policy: &ShutdownPolicy,
        emitter: Emitter,
        clock: Arc<dyn Clock>,
    ) -> Subsystem {
        emitter.emit(Record::Hello(Hello {
            protocol: PROTOCOL_VERSION,
            pid: process.pid,
            exe: process.exe.clone(),
            office_version: process.office_version,
            subsystem: process.subsystem_dll.clone(),
            started_at: rfc3339(clock.origin()),
            capture: None,
            host: process.host.clone(),
        }));
        emitter.emit(Record::Policy(PolicyRecord {
            t_ns: clock.now_ns(),
            office_version: process.office_version,
            source: policy.source.clone(),
            setting: policy.setting.clone(),
            effective: policy.effective(),
        }));
        Subsystem {
            inner: Arc::new(Mutex::new(Inner {
                emitter: emitter.clone(),
                clock,
                policy: policy.effective(),
                providers: Vec::new(),
                next_session: 0,
                next_provider: 0,
                next_call: 0,
                fast_shutdown_done: false,
            })),
            emitter,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A provider that panicked leaves the state consistent enough to
        // go on tracing: recover rather than propagate the poison.
        match self.inner.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The option in force for this process.
    pub fn effective_policy(&self) -> FastShutdownBehavior {
        self.lock().policy
    }

    /// The emitter this subsystem traces to.
    pub fn emitter(&self) -> &Emitter {
        &self.emitter
    }

    /// `MAPILogonEx`: open a session on `profile`.
    ///
    /// # Errors
    /// `MAPI_E_CALL_FAILED` after `DoFastShutdown` (the failed call is traced).
    pub fn logon(&self, profile: &str) -> Result<Session, HRESULT> {
        let mut inner = self.lock();
        if inner.fast_shutdown_done {
            let call = inner.enter(
                None,
                Caller::Client,
                Interface::Mapi,
                Method::MapiLogonEx,
                None,
                None,
            );
            return Err(inner.exit(call, HRESULT::MAPI_E_CALL_FAILED));
        }
        inner.next_session += 1;
        let id = inner.next_session;
        let t_ns = inner.clock.now_ns();
        inner.emitter.emit(Record::Session(SessionDecl {
            t_ns,
            session: id,
            profile: profile.to_string(),
        }));
        Ok(Session {
            subsystem: self.clone(),
            id,
        })
    }

    /// `MAPIUninitialize`. `S_OK`, or `MAPI_E_CALL_FAILED` after
    /// `DoFastShutdown` (best practice: no MAPI call after it). Traced.
    pub fn uninitialize(&self) -> HRESULT {
        let mut inner = self.lock();
        let call = inner.enter(
            None,
            Caller::Client,
            Interface::Mapi,
            Method::MapiUninitialize,
            None,
            None,
        );
        let hr = if inner.fast_shutdown_done {
            HRESULT::MAPI_E_CALL_FAILED
        } else {
            HRESULT::S_OK
        };
        inner.exit(call, hr)
    }

    /// The process exits with `code`: emit `client_exit` and flush the
    /// trace, waiting at most [`FLUSH_BOUND`]. Returns whether the flush
    /// finished in time.
    pub fn exit(&self, code: i32) -> bool {
        let t_ns = self.lock().clock.now_ns();
        self.emitter
            .emit(Record::ClientExit(ClientExit { t_ns, code }));
        self.emitter.flush(FLUSH_BOUND)
    }
}

/// A MAPI session (`IMAPISession`) of the process.
#[derive(Clone, Debug)]
pub struct Session {
    subsystem: Subsystem,
    id: u32,
}

impl Session {
    /// The session id used in the trace.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// Load a provider into this session (as the profile's services are
    /// started). Returns its provider id in the trace.
    ///
    /// # Errors
    /// `MAPI_E_CALL_FAILED` after `DoFastShutdown`.
    pub fn load_provider(&self, provider: Provider) -> Result<u32, HRESULT> {
        let mut inner = self.subsystem.lock();
        if inner.fast_shutdown_done {
            return Err(HRESULT::MAPI_E_CALL_FAILED);
        }
        inner.next_provider += 1;
        let id = inner.next_provider;
        let t_ns = inner.clock.now_ns();
        inner.emitter.emit(Record::Provider(ProviderDecl {
            t_ns,
            session: Some(self.id),
            provider: id,
            name: provider.name,
            kind: provider.kind,
            dll: provider.dll,
            implements_shutdown: provider.shutdown.is_some(),
        }));
        inner.providers.push(ProviderSlot {
            id,
            session: self.id,
            kind: provider.kind,
            shutdown: provider.shutdown,
        });
        Ok(id)
    }

    /// `QueryInterface(IID_IMAPIClientShutdown)` on this session.
    pub fn client_shutdown(&self) -> ClientShutdown {
        ClientShutdown {
            subsystem: self.subsystem.clone(),
            session: self.id,
        }
    }
}

/// `IMAPIClientShutdown`, implemented by the subsystem and obtained from a
/// session. The calls act on every session of the process.
///
/// Source: the IMAPIClientShutdown reference page and "Client Shutdown in
/// MAPI".
#[derive(Clone, Debug)]
pub struct ClientShutdown {
    subsystem: Subsystem,
    session: u32,
}

impl ClientShutdown {
    /// Ask whether fast shutdown is possible. `S_OK` or
    /// `MAPI_E_NO_SUPPORT` per the policy rules (module docs);
    /// `MAPI_E_CALL_FAILED` after `DoFastShutdown`.
    pub fn query_fast_shutdown(&self) -> HRESULT {
        let mut inner = self.subsystem.lock();
        let call = inner.enter(
            None,
            Caller::Client,
            Interface::ClientShutdown,
            Method::QueryFastShutdown,
            Some(self.session),
            None,
        );
        if inner.fast_shutdown_done {
            return inner.exit(call, HRESULT::MAPI_E_CALL_FAILED);
        }
        let answer = match inner.policy {
            FastShutdownBehavior::Disabled => HRESULT::MAPI_E_NO_SUPPORT,
            FastShutdownBehavior::OptOut => {
                let answers = inner.call_providers(call, Method::QueryFastShutdown);
                if answers.iter().flatten().any(|hr| hr.is_failure()) {
                    HRESULT::MAPI_E_NO_SUPPORT
                } else {
                    HRESULT::S_OK
                }
            }
            FastShutdownBehavior::OptIn => {
                let answers = inner.call_providers(call, Method::QueryFastShutdown);
                if answers.iter().all(|a| *a == Some(HRESULT::S_OK)) {
                    HRESULT::S_OK
                } else {
                    HRESULT::MAPI_E_NO_SUPPORT
                }
            }
        };
        inner.exit(call, answer)
    }

    /// Tell providers the process is shutting down: calls every
    /// implementing provider's `NotifyProcessShutdown` (under every policy:
    /// the rules only forbid Query and Do when disabled) and answers
    /// `S_OK`; `MAPI_E_CALL_FAILED` after `DoFastShutdown`.
    pub fn notify_process_shutdown(&self) -> HRESULT {
        let mut inner = self.subsystem.lock();
        let call = inner.enter(
            None,
            Caller::Client,
            Interface::ClientShutdown,
            Method::NotifyProcessShutdown,
            Some(self.session),
            None,
        );
        if inner.fast_shutdown_done {
            return inner.exit(call, HRESULT::MAPI_E_CALL_FAILED);
        }
        inner.call_providers(call, Method::NotifyProcessShutdown);
        inner.exit(call, HRESULT::S_OK)
    }

    /// Have every provider persist its data: calls each implementing
    /// provider's `DoFastShutdown` and answers `S_OK` when all answered
    /// `S_OK` (else `MAPI_E_NO_SUPPORT`); from then on every MAPI call
    /// fails. Disabled: `MAPI_E_NO_SUPPORT` with no provider call.
    /// `MAPI_E_CALL_FAILED` when called again. Ends by flushing the trace
    /// for at most [`FLUSH_BOUND`].
    pub fn do_fast_shutdown(&self) -> HRESULT {
        let mut inner = self.subsystem.lock();
        let call = inner.enter(
            None,
            Caller::Client,
            Interface::ClientShutdown,
            Method::DoFastShutdown,
            Some(self.session),
            None,
        );
        let hr = if inner.fast_shutdown_done {
            HRESULT::MAPI_E_CALL_FAILED
        } else if inner.policy == FastShutdownBehavior::Disabled {
            HRESULT::MAPI_E_NO_SUPPORT
        } else {
            let answers = inner.call_providers(call, Method::DoFastShutdown);
            inner.fast_shutdown_done = true;
            if answers.iter().flatten().all(|hr| *hr == HRESULT::S_OK) {
                HRESULT::S_OK
            } else {
                HRESULT::MAPI_E_NO_SUPPORT
            }
        };
        inner.exit(call, hr);
        drop(inner);
        self.subsystem.emitter.flush(FLUSH_BOUND);
        hr
    }
}

#[cfg(test)]
mod tests;
