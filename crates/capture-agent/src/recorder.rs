//! What the agent knows about the client process and how it turns what it
//! sees into trace records: the MAPI sessions, the providers and their
//! `IMAPIProviderShutdown` objects by address, the call ids, the parent of
//! a provider call (the client call open on the same thread), and the order
//! of the stream (`hello` and `policy` first, a provider after its
//! session). It makes no OS call: the Windows hooks (`win`) feed it, and
//! its unit tests drive it directly on any host.
//!
//! Sources for the rules it encodes: "Fast Shutdown Overview" (the
//! subsystem calls providers from inside the client's call, so a provider
//! call made on a thread while a client call is open on it is that call's
//! child), MAPISPI.h (a provider's kind is the entry point that made it).

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use mapi_trace::clock::{Clock, rfc3339};
use mapi_trace::hresult::HRESULT;
use mapi_trace::model::{OfficeVersion, ProviderKind};
use mapi_trace::{
    AttachMode, CallEnter, CallExit, Caller, Capture, ClientExit, Emitter, Hello, Interface,
    Method, PROTOCOL_VERSION, PolicyRecord, ProviderDecl, Record, SessionDecl,
};

/// What the agent learnt about the process and its subsystem, for the
/// `hello` record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessFacts {
    /// The OS process id.
    pub pid: u32,
    /// The executable's file name, `OUTLOOK.EXE`.
    pub exe: String,
    /// Pointer size of the process in bits: 32 or 64.
    pub bits: u32,
    /// Full path of the instrumented subsystem DLL.
    pub subsystem_path: String,
    /// Its file version, `16.0.17928.20114`, when it has a version resource.
    pub subsystem_version: Option<String>,
    /// Loaded before the client ran (`capture launch`) or into a running
    /// client (`capture attach`).
    pub attach: AttachMode,
    /// The computer's name (the `hello`'s `host`), read once when the
    /// agent started; `None` when the OS gave none.
    pub host: Option<String>,
}

impl ProcessFacts {
    /// The Office version whose policy key applies, from the subsystem's
    /// file version major number (14, 15, 16); `None` when the DLL has no
    /// version or an unknown major number.
    ///
    /// Source: "Fast Shutdown User Options" (one key per Office version).
    pub fn office_version(&self) -> Option<OfficeVersion> {
        let major = self.subsystem_version.as_deref()?.split('.').next()?;
        major.parse::<OfficeVersion>().ok()
    }

    /// The file name of the subsystem DLL, `olmapi32.dll`.
    pub fn subsystem_dll(&self) -> &str {
        file_name(&self.subsystem_path)
    }

    /// The `hello` record for these facts, started at `started_at`
    /// (RFC 3339). An unknown Office version is written as 16.0, the key
    /// the agent reads its policy from, with
    /// `capture.office_version_known = false`.
    pub fn hello(&self, started_at: String) -> Hello {
        let known = self.office_version();
        Hello {
            protocol: PROTOCOL_VERSION,
            pid: self.pid,
            exe: self.exe.clone(),
            office_version: known.unwrap_or(OfficeVersion::V16),
            subsystem: self.subsystem_dll().to_string(),
            started_at,
            capture: Some(Capture {
                attach: self.attach,
                agent: env!("CARGO_PKG_VERSION").to_string(),
                bits: self.bits,
                subsystem_path: self.subsystem_path.clone(),
                subsystem_version: self.subsystem_version.clone(),
                office_version_known: known.is_some(),
            }),
            host: self.host.clone(),
        }
    }
}

/// The last component of a Windows or Unix path.
pub fn file_name(path: &str) -> &str {
    path.rsplit(['\\', '/']).next().unwrap_or(path)
}

/// The three provider entry points of MAPISPI.h and the kind each makes.
pub const PROVIDER_ENTRY_POINTS: [(&str, ProviderKind); 3] = [
    ("XPProviderInit", ProviderKind::Transport),
    ("ABProviderInit", ProviderKind::AddressBook),
    ("MSProviderInit", ProviderKind::MessageStore),
];

/// The subsystem DLLs the agent instruments by name ("Well-known MAPI
/// DLLs" in docs/domain.md); the DLL the default mail client's `DLLPathEx`
/// names is instrumented too. Never `mapi32.dll`, the stub.
pub const SUBSYSTEM_DLLS: [&str; 3] = ["olmapi32.dll", "msmapi32.dll", "exmapi32.dll"];

/// Whether a module whose path is `path` is a MAPI subsystem to instrument:
/// one of [`SUBSYSTEM_DLLS`], or the file `dll_path_ex` names (compared
/// without case, by full path when both are full paths, else by file
/// name); never the `mapi32.dll` stub.
pub fn is_subsystem(path: &str, dll_path_ex: Option<&str>) -> bool {
    let name = file_name(path);
    if name.eq_ignore_ascii_case("mapi32.dll") {
        return false;
    }
    if SUBSYSTEM_DLLS.iter().any(|s| s.eq_ignore_ascii_case(name)) {
        return true;
    }
    match dll_path_ex {
        Some(ex) if ex.contains(['\\', '/']) && path.contains(['\\', '/']) => {
            normalise(ex) == normalise(path)
        }
        Some(ex) => file_name(ex).eq_ignore_ascii_case(name),
        None => false,
    }
}

fn normalise(path: &str) -> String {
    path.replace('/', "\\").to_ascii_lowercase()
}

/// The `a.b.c.d` file version in a `VS_VERSION_INFO` block: the first
/// 4-byte-aligned `VS_FIXEDFILEINFO` signature, then `dwStrucVersion`,
/// `dwFileVersionMS`, `dwFileVersionLS`.
pub fn fixed_file_version(bytes: &[u8]) -> Option<String> {
    let word = |at: usize| -> Option<u32> {
        Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
    };
    let at = (0..bytes.len().saturating_sub(16))
        .step_by(4)
        .find(|&i| word(i) == Some(0xFEEF_04BD))?;
    let (ms, ls) = (word(at + 8)?, word(at + 12)?);
    Some(format!(
        "{}.{}.{}.{}",
        ms >> 16,
        ms & 0xFFFF,
        ls >> 16,
        ls & 0xFFFF
    ))
}

/// A provider object the agent saw made by a `*ProviderInit` entry point.
#[derive(Clone, Debug)]
struct ProviderEntry {
    id: u32,
    session: Option<u32>,
    kind: ProviderKind,
    dll: String,
    implements_shutdown: bool,
    declared: bool,
}

#[derive(Default)]
struct State {
    facts: Option<ProcessFacts>,
    hello_sent: bool,
    policy: Option<PolicyRecord>,
    next_session: u32,
    next_provider: u32,
    /// `IMAPISession` address -> session id.
    sessions: HashMap<usize, u32>,
    /// `IMAPIClientShutdown` address -> session id.
    client_shutdowns: HashMap<usize, u32>,
    /// Provider object address (`IXPProvider`, ...) -> provider.
    providers: HashMap<usize, ProviderEntry>,
    /// `IMAPIProviderShutdown` address -> provider object address.
    provider_shutdowns: HashMap<usize, usize>,
}

thread_local! {
    /// Open client calls on this thread, innermost last.
    static OPEN_CALLS: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
    /// Provider objects made on this thread while a `MAPILogonEx` is open
    /// on it (they belong to the session it returns).
    static LOGON: RefCell<Option<Vec<usize>>> = const { RefCell::new(None) };
}

/// A call the agent is tracing: give it back to [`Recorder::exit`].
#[derive(Debug)]
#[must_use]
pub struct OpenCall {
    id: u64,
    client: bool,
}

/// The agent's bookkeeping over one [`Emitter`]. Every method is cheap
/// (a short lock, a map lookup, a queued record) and never blocks on I/O.
pub struct Recorder {
    emitter: Emitter,
    clock: Arc<dyn Clock>,
    next_call: AtomicU64,
    state: Mutex<State>,
}

impl Recorder {
    /// A recorder writing to `emitter`, stamping with `clock`.
    pub fn new(emitter: Emitter, clock: Arc<dyn Clock>) -> Recorder {
        Recorder {
            emitter,
            clock,
            next_call: AtomicU64::new(0),
            state: Mutex::new(State::default()),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while the lock was held (caught at the FFI entry) leaves
        // maps that are still consistent: each update is one insert.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The emitter records go to (for a bounded flush).
    pub fn emitter(&self) -> &Emitter {
        &self.emitter
    }

    /// Say which subsystem is instrumented and the policy the agent read
    /// for it, and write `hello` and `policy` at once: the monitor then
    /// lists the client (the Processes panel's "Instrumented") from the
    /// moment its subsystem is found, not only from its first logon. The
    /// first call wins (one subsystem per trace). `policy` is `None` when
    /// the Office version is unknown: the agent does not guess which key
    /// the subsystem reads. Only queues records (safe under the loader
    /// lock).
    pub fn set_facts(&self, facts: ProcessFacts, policy: Option<PolicyRecord>) {
        let mut st = self.state();
        if st.facts.is_none() {
            st.facts = Some(facts);
            st.policy = policy;
            self.ensure_hello(&mut st);
        }
    }

    /// Whether [`Recorder::set_facts`] was called.
    pub fn has_facts(&self) -> bool {
        self.state().facts.is_some()
    }

    fn ensure_hello(&self, st: &mut State) -> bool {
        if st.hello_sent {
            return true;
        }
        let Some(facts) = &st.facts else {
            return false;
        };
        self.emitter
            .emit(Record::Hello(facts.hello(rfc3339(self.clock.origin()))));
        if let Some(mut policy) = st.policy.take() {
            policy.t_ns = self.clock.now_ns();
            self.emitter.emit(Record::Policy(policy));
        }
        st.hello_sent = true;
        true
    }

    /// `MAPILogonEx` starts on this thread: providers made until
    /// [`Recorder::logon_end`] belong to its session.
    pub fn logon_begin(&self) {
        LOGON.with(|l| *l.borrow_mut() = Some(Vec::new()));
    }

    /// `MAPILogonEx` returned `hr` with `session` (its `IMAPISession`
    /// address, 0 when none) for `profile`. On success the session and
    /// the providers made during the logon are declared; returns the
    /// session id.
    pub fn logon_end(&self, hr: HRESULT, session: usize, profile: &str) -> Option<u32> {
        let made = LOGON.with(|l| l.borrow_mut().take()).unwrap_or_default();
        if hr.is_failure() || session == 0 {
            return None;
        }
        let mut st = self.state();
        if !self.ensure_hello(&mut st) {
            return None;
        }
        st.next_session += 1;
        let id = st.next_session;
        st.sessions.insert(session, id);
        self.emitter.emit(Record::Session(SessionDecl {
            t_ns: self.clock.now_ns(),
            session: id,
            profile: profile.to_string(),
        }));
        for object in made {
            if let Some(p) = st.providers.get_mut(&object) {
                p.session = Some(id);
            }
            self.declare(&mut st, object);
        }
        Some(id)
    }

    /// A `*ProviderInit` entry point of `dll` made provider object
    /// `object` of `kind`. Inside a `MAPILogonEx` on this thread it is
    /// declared when the logon returns, in that MAPI session; outside one
    /// it is declared now, in [`Recorder::session_outside_logon`]'s
    /// session (or none).
    pub fn provider_made(&self, object: usize, kind: ProviderKind, dll: &str) {
        if object == 0 {
            return;
        }
        let in_logon = LOGON.with(|l| match l.borrow_mut().as_mut() {
            Some(made) => {
                made.push(object);
                true
            }
            None => false,
        });
        let mut st = self.state();
        st.next_provider += 1;
        let id = st.next_provider;
        let session = if in_logon {
            None
        } else {
            Self::session_outside_logon(&st)
        };
        st.providers.insert(
            object,
            ProviderEntry {
                id,
                session,
                kind,
                dll: dll.to_string(),
                implements_shutdown: false,
                declared: false,
            },
        );
        if !in_logon {
            self.declare(&mut st, object);
        }
    }

    /// The MAPI session of a provider made outside any `MAPILogonEx` (a
    /// message store opened after the logon, say): the only MAPI session
    /// the agent saw, when it was there from the client's start and saw
    /// exactly one; else none, for the trace to say it is unknown rather
    /// than guess (a late attach cannot know the sessions opened before
    /// it, and with two sessions either could have loaded it). The
    /// analysis copes with a provider of no session: it is left out of the
    /// per-session provider-order rule.
    fn session_outside_logon(st: &State) -> Option<u32> {
        let from_start = st
            .facts
            .as_ref()
            .is_some_and(|f| f.attach == AttachMode::Launch);
        match (from_start, st.sessions.len()) {
            (true, 1) => st.sessions.values().next().copied(),
            _ => None,
        }
    }

    fn declare(&self, st: &mut State, object: usize) {
        if !self.ensure_hello(st) {
            return;
        }
        let Some(p) = st.providers.get_mut(&object) else {
            return;
        };
        p.declared = true;
        self.emitter.emit(Record::Provider(ProviderDecl {
            t_ns: self.clock.now_ns(),
            session: p.session,
            provider: p.id,
            name: p.dll.clone(),
            kind: p.kind,
            dll: p.dll.clone(),
            implements_shutdown: p.implements_shutdown,
        }));
    }

    /// `QueryInterface(IID_IMAPIProviderShutdown)` on provider object
    /// `object` handed out `shutdown`. A provider declared before without
    /// the interface is declared again with it (same id).
    pub fn provider_shutdown_seen(&self, object: usize, shutdown: usize) {
        let mut st = self.state();
        let Some(p) = st.providers.get_mut(&object) else {
            return;
        };
        let redeclare = p.declared && !p.implements_shutdown;
        p.implements_shutdown = true;
        st.provider_shutdowns.insert(shutdown, object);
        if redeclare {
            self.declare(&mut st, object);
        }
    }

    /// Whether `object` is a provider object the agent saw made.
    pub fn is_provider(&self, object: usize) -> bool {
        self.state().providers.contains_key(&object)
    }

    /// `QueryInterface(IID_IMAPIClientShutdown)` on session `session`
    /// handed out `shutdown`.
    pub fn client_shutdown_seen(&self, session: usize, shutdown: usize) {
        let mut st = self.state();
        if let Some(id) = st.sessions.get(&session).copied() {
            st.client_shutdowns.insert(shutdown, id);
        }
    }

    /// Whether `session` is a MAPI session the agent saw returned.
    pub fn is_session(&self, session: usize) -> bool {
        self.state().sessions.contains_key(&session)
    }

    /// A client call on `IMAPIClientShutdown` object `this` starts.
    /// `None` for an object the agent did not see handed out.
    pub fn client_enter(&self, this: usize, method: Method) -> Option<OpenCall> {
        let mut st = self.state();
        let session = *st.client_shutdowns.get(&this)?;
        self.enter(
            &mut st,
            Caller::Client,
            Interface::ClientShutdown,
            method,
            Some(session),
            None,
        )
    }

    /// A flat MAPI function (`MAPIUninitialize`) called by the client.
    pub fn mapi_enter(&self, method: Method) -> Option<OpenCall> {
        let mut st = self.state();
        self.enter(&mut st, Caller::Client, Interface::Mapi, method, None, None)
    }

    /// The subsystem calls `IMAPIProviderShutdown` object `this`. `None`
    /// for an object the agent did not see handed out.
    pub fn provider_enter(&self, this: usize, method: Method) -> Option<OpenCall> {
        let mut st = self.state();
        let object = *st.provider_shutdowns.get(&this)?;
        let p = st.providers.get(&object)?;
        let (session, provider, declared) = (p.session, p.id, p.declared);
        if !declared {
            return None;
        }
        self.enter(
            &mut st,
            Caller::Subsystem,
            Interface::ProviderShutdown,
            method,
            session,
            Some(provider),
        )
    }

    fn enter(
        &self,
        st: &mut State,
        caller: Caller,
        interface: Interface,
        method: Method,
        session: Option<u32>,
        provider: Option<u32>,
    ) -> Option<OpenCall> {
        if !self.ensure_hello(st) {
            return None;
        }
        let id = self.next_call.fetch_add(1, Ordering::Relaxed) + 1;
        let client = caller == Caller::Client;
        let parent = if client {
            None
        } else {
            OPEN_CALLS.with(|c| c.borrow().last().copied())
        };
        if client {
            OPEN_CALLS.with(|c| c.borrow_mut().push(id));
        }
        self.emitter.emit(Record::Enter(CallEnter {
            t_ns: self.clock.now_ns(),
            call: id,
            parent,
            caller,
            interface,
            method,
            session,
            provider,
        }));
        Some(OpenCall { id, client })
    }

    /// The call returned `hr`.
    pub fn exit(&self, call: OpenCall, hr: HRESULT) {
        if call.client {
            OPEN_CALLS.with(|c| {
                let mut c = c.borrow_mut();
                if let Some(pos) = c.iter().rposition(|&id| id == call.id) {
                    c.remove(pos);
                }
            });
        }
        self.emitter.emit(Record::Exit(CallExit {
            t_ns: self.clock.now_ns(),
            call: call.id,
            hresult: hr,
        }));
    }

    /// The process exits with `code` (`ExitProcess`): a `client_exit`,
    /// when the trace has begun.
    pub fn client_exit(&self, code: i32) {
        let st = self.state();
        if st.hello_sent {
            self.emitter.emit(Record::ClientExit(ClientExit {
                t_ns: self.clock.now_ns(),
                code,
            }));
        }
    }
}

#[cfg(test)]
mod tests;
