//! Synthetic shutdown traces of many machines, for the fleet summary's
//! tests, its benchmark (docs/benchmarks.md: 10,000 recordings, about a
//! million calls) and demonstrations. A [`SyntheticSession`] says what a
//! client and its providers do; [`SyntheticSession::records`] writes the
//! trace our subsystem would write for it, following the policy rules of
//! docs/domain.md (opt-out: a provider's error refuses; opt-in: a provider
//! without `IMAPIProviderShutdown` refuses too; disabled: no provider is
//! asked). [`fleet_session`] picks a varied, reproducible session for an
//! index (hosts, Office versions, policies, providers that opt out, lack
//! the interface, are slow or hang in `DoFastShutdown`), and
//! [`write_spool`] writes a folder of them as a share of spool files.
//!
//! Nothing here is a measurement: the figures only shape test data.

use std::io::{self, Write};
use std::path::Path;

use crate::hresult::HRESULT;
use crate::mapi::ProviderKind;
use crate::policy::{FastShutdownBehavior, OfficeVersion, Setting};
use crate::trace::{
    CallEnter, CallExit, Caller, ClientExit, Hello, Interface, Method, PROTOCOL_VERSION,
    PolicyRecord, PolicySource, ProviderDecl, Record, SessionDecl,
};

/// A provider as the synthetic client loads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntheticProvider {
    /// Its DLL (`emsmdb32.dll`).
    pub dll: String,
    /// Its display name.
    pub name: String,
    /// Its kind.
    pub kind: ProviderKind,
    /// Whether it implements `IMAPIProviderShutdown`.
    pub implements_shutdown: bool,
    /// What its `QueryFastShutdown` returns.
    pub query: HRESULT,
    /// Its `DoFastShutdown` time, ns; `None`: it never returns (the
    /// process ends, or its trace stops, while it runs).
    pub do_ns: Option<u64>,
}

/// What one client process does at shutdown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntheticSession {
    /// The computer's name (`hello.host`); `None`: an old trace without it.
    pub host: Option<String>,
    /// The client's pid.
    pub pid: u32,
    /// Its executable.
    pub exe: String,
    /// The Office version.
    pub office: OfficeVersion,
    /// The policy in force.
    pub policy: FastShutdownBehavior,
    /// MAPI sessions (profiles) it logs on to; each loads `providers`.
    pub mapi_sessions: u32,
    /// The providers of each MAPI session, in the order the subsystem
    /// calls them.
    pub providers: Vec<SyntheticProvider>,
    /// The process ends (an `ExitProcess` the agent sees) while a
    /// provider's `DoFastShutdown` runs; else the trace just stops there.
    pub exits_during_do: bool,
}

/// Writes calls with increasing ids and times.
struct Calls {
    out: Vec<Record>,
    t: u64,
    id: u64,
}

impl Calls {
    fn enter(
        &mut self,
        parent: Option<u64>,
        caller: Caller,
        interface: Interface,
        method: Method,
        session: Option<u32>,
        provider: Option<u32>,
    ) -> u64 {
        self.id += 1;
        self.t += 2_000;
        self.out.push(Record::Enter(CallEnter {
            t_ns: self.t,
            call: self.id,
            parent,
            caller,
            interface,
            method,
            session,
            provider,
        }));
        self.id
    }

    fn exit(&mut self, call: u64, took_ns: u64, hresult: HRESULT) {
        self.t += took_ns;
        self.out.push(Record::Exit(CallExit {
            t_ns: self.t,
            call,
            hresult,
        }));
    }
}

impl SyntheticSession {
    /// The trace of this session, as our subsystem writes it (times in
    /// ns from 0, 2 µs between calls plus each call's own time).
    pub fn records(&self) -> Vec<Record> {
        let mut c = Calls {
            out: Vec::new(),
            t: 0,
            id: 0,
        };
        c.out.push(Record::Hello(Hello {
            protocol: PROTOCOL_VERSION,
            pid: self.pid,
            exe: self.exe.clone(),
            office_version: self.office,
            subsystem: "olmapi32.dll".into(),
            started_at: "2026-12-01T17:30:00.000Z".into(),
            capture: None,
            host: self.host.clone(),
        }));
        c.out.push(Record::Policy(PolicyRecord {
            t_ns: 1_000,
            office_version: self.office,
            source: PolicySource::Default,
            setting: Setting::Valid { value: self.policy },
            effective: self.policy,
        }));
        // (session, provider id, provider)
        let mut loaded = Vec::new();
        for s in 1..=self.mapi_sessions {
            let logon = c.enter(
                None,
                Caller::Client,
                Interface::Mapi,
                Method::MapiLogonEx,
                None,
                None,
            );
            c.out.push(Record::Session(SessionDecl {
                t_ns: c.t,
                session: s,
                profile: format!("Profile {s}"),
            }));
            for p in &self.providers {
                let id = u32::try_from(loaded.len() + 1).unwrap_or(u32::MAX);
                c.out.push(Record::Provider(ProviderDecl {
                    t_ns: c.t,
                    session: Some(s),
                    provider: id,
                    name: p.name.clone(),
                    kind: p.kind,
                    dll: p.dll.clone(),
                    implements_shutdown: p.implements_shutdown,
                }));
                loaded.push((s, id, p));
            }
            c.exit(logon, 50_000, HRESULT::S_OK);
        }
        let shutdown = |m| (Caller::Client, Interface::ClientShutdown, m);
        let (caller, interface, method) = shutdown(Method::QueryFastShutdown);
        let query = c.enter(None, caller, interface, method, None, None);
        let mut refused = self.policy == FastShutdownBehavior::Disabled;
        if !refused {
            for (s, id, p) in loaded.iter().filter(|(_, _, p)| p.implements_shutdown) {
                let q = c.enter(
                    Some(query),
                    Caller::Subsystem,
                    Interface::ProviderShutdown,
                    Method::QueryFastShutdown,
                    Some(*s),
                    Some(*id),
                );
                c.exit(q, 20_000, p.query);
                refused |= p.query.is_failure();
            }
            refused |= self.policy == FastShutdownBehavior::OptIn
                && loaded.iter().any(|(_, _, p)| !p.implements_shutdown);
        }
        let answer = if refused {
            HRESULT::MAPI_E_NO_SUPPORT
        } else {
            HRESULT::S_OK
        };
        c.exit(query, 5_000, answer);
        if refused {
            // The client takes the long way: MAPIUninitialize, then exit.
            let u = c.enter(
                None,
                Caller::Client,
                Interface::Mapi,
                Method::MapiUninitialize,
                None,
                None,
            );
            c.exit(u, 300_000_000, HRESULT::S_OK);
            c.out
                .push(Record::ClientExit(ClientExit { t_ns: c.t, code: 0 }));
            return c.out;
        }
        for method in [Method::NotifyProcessShutdown, Method::DoFastShutdown] {
            let (caller, interface, method) = shutdown(method);
            let parent = c.enter(None, caller, interface, method, None, None);
            for (s, id, p) in loaded.iter().filter(|(_, _, p)| p.implements_shutdown) {
                let call = c.enter(
                    Some(parent),
                    Caller::Subsystem,
                    Interface::ProviderShutdown,
                    method,
                    Some(*s),
                    Some(*id),
                );
                match (method, p.do_ns) {
                    (Method::DoFastShutdown, None) => {
                        // It never returns: the process ends (or its
                        // trace stops) while it runs.
                        c.t += 2_000_000_000;
                        if self.exits_during_do {
                            c.out
                                .push(Record::ClientExit(ClientExit { t_ns: c.t, code: 1 }));
                        }
                        return c.out;
                    }
                    (Method::DoFastShutdown, Some(ns)) => c.exit(call, ns, HRESULT::S_OK),
                    _ => c.exit(call, 10_000, HRESULT::S_OK),
                }
            }
            c.exit(parent, 5_000, HRESULT::S_OK);
        }
        c.out
            .push(Record::ClientExit(ClientExit { t_ns: c.t, code: 0 }));
        c.out
    }
}

/// A small reproducible generator (xorshift64*), so a corpus is the same
/// on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// 0 to 99.
    fn percent(&mut self) -> u64 {
        self.next() % 100
    }
}

/// The session of index `i` of a synthetic fleet of `machines` machines:
/// reproducible, and varied as a real fleet is. Four sessions per machine
/// on average; 2 % of the traces without `host` (older agents); Office
/// 16.0 mostly, some 15.0 and 14.0; opt-out 70 %, opt-in 20 %, disabled
/// 10 %; seven MAPI sessions (profiles, shared mailboxes) of 8 providers
/// each: about 100 calls per session on average (157 in a fast shutdown,
/// 58 when a provider refuses, 9 when the policy disables it): Exchange (`emsmdb32.dll`), PST (`mspst32.dll`), the Outlook
/// address book (`contab32.dll`, without `IMAPIProviderShutdown`), a CRM
/// store that opts out in a third of the sessions (`acmecrm32.dll`), an
/// archiver whose `DoFastShutdown` is slow (`slowarch32.dll`, 600 ms in a
/// quarter of the sessions) and hangs in 3 % of them.
pub fn fleet_session(i: usize, machines: usize) -> SyntheticSession {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15 ^ (i as u64).wrapping_mul(0xD1B5_4A32_D192_ED03) | 1);
    for _ in 0..4 {
        r.next();
    }
    let machine = (r.next() as usize) % machines.max(1);
    let host = (r.percent() >= 2).then(|| format!("DESKTOP-{machine:05}"));
    let office = match r.percent() {
        0..=74 => OfficeVersion::V16,
        75..=94 => OfficeVersion::V15,
        _ => OfficeVersion::V14,
    };
    let policy = match r.percent() {
        0..=69 => FastShutdownBehavior::OptOut,
        70..=89 => FastShutdownBehavior::OptIn,
        _ => FastShutdownBehavior::Disabled,
    };
    let p = |dll: &str, name: &str, kind, implements, query, do_ns| SyntheticProvider {
        dll: dll.into(),
        name: name.into(),
        kind,
        implements_shutdown: implements,
        query,
        do_ns,
    };
    let ok = HRESULT::S_OK;
    let fast = Some(3_000_000 + r.next() % 40_000_000);
    let crm_query = if r.percent() < 33 {
        HRESULT::MAPI_E_NO_SUPPORT
    } else {
        ok
    };
    let arch_do = match r.percent() {
        0..=2 => None,
        3..=27 => Some(600_000_000 + r.next() % 300_000_000),
        _ => Some(80_000_000 + r.next() % 100_000_000),
    };
    let providers = vec![
        p(
            "emsmdb32.dll",
            "Microsoft Exchange Transport",
            ProviderKind::Transport,
            true,
            ok,
            fast,
        ),
        p(
            "EMSMDB32.DLL",
            "Microsoft Exchange Directory",
            ProviderKind::AddressBook,
            true,
            ok,
            fast,
        ),
        p(
            "contab32.dll",
            "Outlook Address Book",
            ProviderKind::AddressBook,
            false,
            ok,
            None,
        ),
        p(
            "emsmdb32.dll",
            "Mailbox",
            ProviderKind::MessageStore,
            true,
            ok,
            fast,
        ),
        p(
            "mspst32.dll",
            "Personal Folders",
            ProviderKind::MessageStore,
            true,
            ok,
            fast,
        ),
        p(
            "mspst32.dll",
            "Archive Folders",
            ProviderKind::MessageStore,
            true,
            ok,
            fast,
        ),
        p(
            "acmecrm32.dll",
            "Acme CRM Store",
            ProviderKind::MessageStore,
            true,
            crm_query,
            fast,
        ),
        p(
            "slowarch32.dll",
            "Archiver",
            ProviderKind::MessageStore,
            true,
            ok,
            arch_do,
        ),
    ];
    SyntheticSession {
        host,
        pid: 1_000 + u32::try_from(i % 60_000).unwrap_or(0),
        exe: "OUTLOOK.EXE".into(),
        office,
        policy,
        mapi_sessions: 7,
        providers,
        exits_during_do: r.percent() < 50,
    }
}

/// Write `count` sessions of a fleet of `machines` machines into `dir`,
/// one spool file each (`OUTLOOK.EXE-<pid>-<i>.jsonl`), as desktops drop
/// them on a share. Returns the number of calls written.
///
/// # Errors
/// The I/O error of a file.
pub fn write_spool(dir: &Path, count: usize, machines: usize) -> io::Result<u64> {
    std::fs::create_dir_all(dir)?;
    let mut calls = 0u64;
    for i in 0..count {
        let s = fleet_session(i, machines);
        let records = s.records();
        calls += records
            .iter()
            .filter(|r| matches!(r, Record::Enter(_)))
            .count() as u64;
        let path = dir.join(format!("{}-{}-{i:06}.jsonl", s.exe, s.pid));
        let mut f = io::BufWriter::new(std::fs::File::create(&path)?);
        for r in &records {
            f.write_all(crate::trace::codec::encode(r).as_bytes())?;
        }
        f.flush()?;
    }
    Ok(calls)
}
