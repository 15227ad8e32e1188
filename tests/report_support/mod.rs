//! The fixed inputs of the report tests: two recorded traces from
//! `tests/data/live` (a fast shutdown of Outlook 2016 with Exchange, PST
//! and an offline address book; a client that ignores the query error),
//! one machine (a memory registry store with valid, invalid and absent
//! policy values and three add-ins, one of them with markup in its name),
//! a process scan over fixed process and module lists, a manual clock and
//! a hand-filled host. The same inputs always give the same report.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use mapi_shutdown::clock::ManualClock;
use mapi_shutdown::monitor::analysis::{AnalysisOptions, ProcessTrace, StreamState};
use mapi_shutdown::monitor::read_streams;
use mapi_shutdown::policy::RegistryData;
use mapi_shutdown::policy::memory::MemoryStore;
use mapi_shutdown::policy::store::{Hive, RegistryStore};
use mapi_shutdown::processes::{
    FixedModules, FixedProcesses, InstrumentedClient, MapiSvcChoice, Module, ModulesError,
    ProcessInfo, Scan, ScanOptions, Scanner,
};
use mapi_shutdown::report::{Content, HostInfo, ReportModel, SessionChoice, SessionInput, Sources};

/// The traces, in session order.
pub const TRACES: [&str; 2] = [
    "tests/data/live/outlook-2016-exchange-pst-oab.jsonl",
    "tests/data/live/client-ignores-query-error.jsonl",
];

/// A repository file.
pub fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The host of every golden report.
pub fn host() -> HostInfo {
    HostInfo {
        host_name: "WS-0042".into(),
        user: r"CONTOSO\jdoe".into(),
        os: "Windows 11 Pro (26100)".into(),
        product: "mapi-shutdown (golden test)".into(),
    }
}

/// 2026-11-21T09:30:00.000Z, and the clock 1.5 s past it.
pub fn clock() -> ManualClock {
    let c = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_253_400));
    c.advance(Duration::from_millis(1_500));
    c
}

/// The registry: 16.0 opt-in (valid), 15.0 FastShutdownBehavior as a
/// REG_SZ "1" (invalid) with the external-references policy enabled,
/// 14.0 absent; Outlook 16.0 installed; three add-ins.
pub fn registry() -> MemoryStore {
    let s = MemoryStore::new();
    let cu = Hive::CurrentUser;
    let k16 = r"Software\Policies\Microsoft\Office\16.0\Outlook\Options\Shutdown";
    let k15 = r"Software\Policies\Microsoft\Office\15.0\Outlook\Options\Shutdown";
    s.create_key(cu, r"Software\Microsoft\Office\16.0\Outlook")
        .unwrap();
    s.create_key(cu, k16).unwrap();
    s.set_dword(cu, k16, "FastShutdownBehavior", 1).unwrap();
    s.set_dword(cu, k16, "AddinFastShutdownBehavior", 0)
        .unwrap();
    s.create_key(cu, k15).unwrap();
    s.set_value(
        cu,
        k15,
        "FastShutdownBehavior",
        &RegistryData::String("1".into()),
    )
    .unwrap();
    s.set_dword(cu, k15, "allowshutdownwithexternalreferences", 0)
        .unwrap();

    let user_addin = r"Software\Microsoft\Office\Outlook\Addins\Contoso.Crm";
    s.create_key(cu, user_addin).unwrap();
    s.set_value(
        cu,
        user_addin,
        "FriendlyName",
        &RegistryData::String(r#"Contoso <CRM> & "Sync""#.into()),
    )
    .unwrap();
    s.set_dword(cu, user_addin, "LoadBehavior", 3).unwrap();
    s.set_dword(cu, user_addin, "RequireShutdownNotification", 1)
        .unwrap();
    let machine_addin = r"Software\WOW6432Node\Microsoft\Office\Outlook\Addins\Fabrikam.Archiver";
    s.create_key(Hive::LocalMachine, machine_addin).unwrap();
    s.set_dword(Hive::LocalMachine, machine_addin, "LoadBehavior", 3)
        .unwrap();
    s.set_dword(
        Hive::LocalMachine,
        machine_addin,
        "RequireShutdownNotification",
        2,
    )
    .unwrap();
    let plain = r"Software\Microsoft\Office\Outlook\Addins\Northwind.Toolbar";
    s.create_key(Hive::LocalMachine, plain).unwrap();
    s.set_dword(Hive::LocalMachine, plain, "LoadBehavior", 2)
        .unwrap();
    s
}

fn info(pid: u32, name: &str, user: &str) -> ProcessInfo {
    ProcessInfo {
        pid,
        name: name.into(),
        path: Some(format!(
            r"C:\Program Files\Microsoft Office\root\Office16\{name}"
        )),
        user: Some(user.into()),
        start_time: 1_795_250_000,
        memory: 412 << 20,
        wine: false,
    }
}

fn module(dir: &str, name: &str) -> Module {
    Module {
        name: name.into(),
        path: format!(r"{dir}\{name}"),
    }
}

/// Outlook (pid 26110, instrumented: it declared its providers) with the
/// subsystem, Exchange and PST loaded; a process of another user whose
/// modules cannot be read; Notepad (no MAPI).
pub fn scan(instrumented: &[InstrumentedClient]) -> Scan {
    const OFFICE: &str = r"C:\Program Files\Microsoft Office\root\Office16";
    const SYS32: &str = r"C:\Windows\System32";
    let procs = FixedProcesses(vec![
        info(26110, "OUTLOOK.EXE", r"CONTOSO\jdoe"),
        info(4242, "SearchProtocolHost.exe", "SYSTEM"),
        info(777, "notepad.exe", r"CONTOSO\jdoe"),
    ]);
    let mut modules = FixedModules::default();
    modules.modules.insert(
        26110,
        Ok(vec![
            module(OFFICE, "OUTLOOK.EXE"),
            module(SYS32, "MAPI32.DLL"),
            module(OFFICE, "OLMAPI32.DLL"),
            module(OFFICE, "EMSMDB32.DLL"),
            module(OFFICE, "MSPST32.DLL"),
        ]),
    );
    modules
        .modules
        .insert(4242, Err(ModulesError::AccessDenied));
    modules
        .modules
        .insert(777, Ok(vec![module(SYS32, "notepad.exe")]));
    modules
        .versions
        .insert(format!(r"{OFFICE}\OLMAPI32.DLL"), "16.0.17928.20114".into());
    let mut scanner = Scanner::new(
        Box::new(procs),
        Box::new(modules),
        ScanOptions {
            mapisvc: MapiSvcChoice::Off,
            system32: None,
        },
    );
    scanner.scan(instrumented).unwrap()
}

/// The traces, read with the library's reader.
pub fn traces() -> Vec<(String, ProcessTrace)> {
    TRACES
        .iter()
        .map(|rel| {
            let streams = read_streams(&repo_file(rel)).unwrap();
            assert_eq!(streams.len(), 1, "{rel}");
            (
                (*rel).to_string(),
                ProcessTrace::from_records(&streams[0].records),
            )
        })
        .collect()
}

/// The report of the fixed inputs with `content`.
pub fn model_with(content: &Content) -> ReportModel {
    let traces = traces();
    let inputs: Vec<SessionInput<'_>> = traces
        .iter()
        .enumerate()
        .map(|(i, (file, trace))| SessionInput {
            session: i as u64 + 1,
            trace,
            state: StreamState::Closed,
            peer_pid: None,
            error: None,
            records: 40,
            dropped: 0,
            source: Some(file),
            file: Some(file),
        })
        .collect();
    let instrumented: Vec<InstrumentedClient> = traces
        .iter()
        .filter_map(|(_, t)| {
            let h = t.hello.as_ref()?;
            Some(InstrumentedClient::from_decls(
                h.pid,
                Some(h.exe.clone()),
                &t.providers,
            ))
        })
        .collect();
    let scan = scan(&instrumented);
    let store = registry();
    let sources = Sources {
        registry: Some(&store as &dyn RegistryStore),
        scan: Some(&scan),
        sessions: &inputs,
        analysis: AnalysisOptions::default(),
    };
    ReportModel::build(&clock(), &host(), content, &sources)
}

/// Everything: policy, processes, both sessions.
pub fn full_model() -> ReportModel {
    model_with(&Content {
        policy: true,
        processes: true,
        sessions: SessionChoice::All,
        detail: Default::default(),
    })
}
