//! Scanner tests over injected process and module lists.

use super::*;

fn info(pid: u32, name: &str) -> ProcessInfo {
    ProcessInfo {
        pid,
        name: name.to_owned(),
        path: Some(format!(r"C:\Program Files\{name}")),
        user: Some("alice".to_owned()),
        start_time: 1_700_000_000,
        memory: 1 << 20,
        wine: false,
    }
}

fn module(dir: &str, name: &str) -> Module {
    Module {
        name: name.to_owned(),
        path: format!(r"{dir}\{name}"),
    }
}

const OFFICE: &str = r"C:\Program Files\Microsoft Office\root\Office16";
const SYS32: &str = r"C:\Windows\System32";

/// Outlook (olmapi32 + stub + Exchange + PST), notepad, a denied process,
/// a process that exits mid-scan, and a non-MAPI process that happens to
/// load a provider DLL name.
fn fake() -> (FixedProcesses, FixedModules) {
    let procs = FixedProcesses(vec![
        info(300, "OUTLOOK.EXE"),
        info(100, "notepad.exe"),
        info(200, "secret.exe"),
        info(400, "gone.exe"),
        info(500, "indexer.exe"),
    ]);
    let mut modules = FixedModules::default();
    modules.modules.insert(
        300,
        Ok(vec![
            module(OFFICE, "OUTLOOK.EXE"),
            module(SYS32, "ntdll.dll"),
            module(SYS32, "MAPI32.DLL"),
            module(OFFICE, "OLMAPI32.DLL"),
            module(OFFICE, "EMSMDB32.DLL"),
            module(OFFICE, "mspst32.dll"),
            module(OFFICE, "acmearc32.dll"),
        ]),
    );
    modules.modules.insert(
        100,
        Ok(vec![
            module(SYS32, "notepad.exe"),
            module(SYS32, "ntdll.dll"),
        ]),
    );
    modules.modules.insert(200, Err(ModulesError::AccessDenied));
    modules
        .modules
        .insert(500, Ok(vec![module(OFFICE, "mspst32.dll")]));
    modules.versions.insert(
        format!(r"{OFFICE}\OLMAPI32.DLL"),
        "16.0.17928.20114".to_owned(),
    );
    (procs, modules)
}

fn scanner(options: ScanOptions) -> Scanner {
    let (procs, modules) = fake();
    Scanner::new(Box::new(procs), Box::new(modules), options)
}

fn off() -> ScanOptions {
    ScanOptions {
        mapisvc: MapiSvcChoice::Off,
        system32: None,
    }
}

#[test]
fn classifies_subsystem_and_providers() {
    let scan = scanner(off()).scan(&[]).expect("scan");
    let pids: Vec<u32> = scan.processes.iter().map(|p| p.info.pid).collect();
    assert_eq!(pids, vec![100, 200, 300, 400, 500], "every process, by pid");
    let mapi: Vec<u32> = scan.mapi_processes().map(|p| p.info.pid).collect();
    assert_eq!(mapi, vec![300]);

    let outlook = &scan.processes[2];
    let sub = outlook.subsystem.as_ref().expect("subsystem");
    assert_eq!(
        sub.dll, "OLMAPI32.DLL",
        "the real subsystem before the stub"
    );
    assert_eq!(sub.version.as_deref(), Some("16.0.17928.20114"));
    assert!(sub.stub_loaded);
    let dlls: Vec<&str> = outlook.providers.iter().map(|p| p.dll.as_str()).collect();
    // Call order of the first kind (transport first), then name; the
    // unknown acmearc32.dll is not a provider without MAPISVC.INF.
    assert_eq!(dlls, vec!["emsmdb32.dll", "mspst32.dll"]);
    assert_eq!(outlook.provider_counts(), [1, 2, 2]);
    assert!(
        outlook
            .providers
            .iter()
            .all(|p| p.loaded && p.difference.is_none())
    );
    assert_eq!(outlook.providers[0].name, "Microsoft Exchange");
    assert!(!outlook.has_differences());

    // A provider DLL name in a process without a subsystem is no provider.
    assert!(scan.processes[4].providers.is_empty());
    assert!(!scan.processes[4].is_mapi());
}

#[test]
fn access_denied_and_exited_processes_are_kept_with_the_reason() {
    let scan = scanner(off()).scan(&[]).expect("scan");
    let uninspected: Vec<(u32, String)> = scan
        .uninspected()
        .map(|(p, e)| (p.info.pid, e.to_string()))
        .collect();
    assert_eq!(
        uninspected,
        vec![
            (200, "access denied".to_owned()),
            (400, "process exited".to_owned())
        ]
    );
    assert!(scan.processes[1].module_list().is_empty());
}

#[test]
fn find_dll_is_case_insensitive_and_takes_the_name_without_dll() {
    let scan = scanner(off()).scan(&[]).expect("scan");
    let pids = |name: &str| scan.find_dll(name).map(|p| p.info.pid).collect::<Vec<_>>();
    assert_eq!(pids("ntdll.dll"), vec![100, 300]);
    assert_eq!(pids("NTDLL"), vec![100, 300]);
    assert_eq!(pids("mspst32.dll"), vec![300, 500]);
    assert_eq!(
        pids("mapi32.dll"),
        vec![300],
        "no substring match on olmapi32"
    );
    assert!(pids("nothere.dll").is_empty());
}

#[test]
fn instrumented_clients_are_mapi_processes_and_differences_are_flagged() {
    let outlook = InstrumentedClient {
        pid: 300,
        exe: Some("OUTLOOK.EXE".to_owned()),
        providers: vec![
            DeclaredProvider {
                dll: "emsmdb32.dll".to_owned(),
                name: "Mailbox".to_owned(),
                kind: ProviderKind::MessageStore,
            },
            DeclaredProvider {
                dll: "Contoso32.dll".to_owned(),
                name: "Contoso CRM".to_owned(),
                kind: ProviderKind::AddressBook,
            },
        ],
    };
    let notepad = InstrumentedClient {
        pid: 100,
        exe: None,
        providers: Vec::new(),
    };
    let gone = InstrumentedClient {
        pid: 9999,
        ..InstrumentedClient::default()
    };
    let scan = scanner(off())
        .scan(&[outlook, notepad, gone])
        .expect("scan");
    assert_eq!(scan.unmatched_clients, vec![9999]);

    let np = &scan.processes[0];
    assert!(np.instrumented && np.is_mapi() && np.subsystem.is_none());
    assert!(np.providers.is_empty() && !np.has_differences());

    let ol = &scan.processes[2];
    assert!(ol.instrumented && ol.has_differences());
    let row = |dll: &str| ol.providers.iter().find(|p| p.dll == dll).expect(dll);
    assert_eq!(row("emsmdb32.dll").difference, None);
    assert_eq!(row("emsmdb32.dll").declared.len(), 1);
    assert_eq!(
        row("mspst32.dll").difference,
        Some(Difference::LoadedNotDeclared)
    );
    let crm = row("contoso32.dll");
    assert_eq!(crm.difference, Some(Difference::DeclaredNotLoaded));
    assert_eq!((crm.loaded, crm.path.as_deref()), (false, None));
    assert_eq!(crm.kinds, vec![ProviderKind::AddressBook]);
    assert_eq!(crm.name, "Contoso CRM");
}

#[test]
fn mapisvc_next_to_the_subsystem_extends_the_catalog() {
    let dir = tempfile::tempdir().expect("tempdir");
    let office = dir.path().join("Office16");
    std::fs::create_dir(&office).expect("mkdir");
    std::fs::copy(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
            .join("tests/data/mapisvc/MAPISVC.INF"),
        office.join("MAPISVC.INF"),
    )
    .expect("copy fixture");
    let olmapi = office.join("olmapi32.dll").to_string_lossy().into_owned();
    let procs = FixedProcesses(vec![info(7, "OUTLOOK.EXE")]);
    let mut modules = FixedModules::default();
    modules.modules.insert(
        7,
        Ok(vec![
            Module {
                name: "olmapi32.dll".to_owned(),
                path: olmapi,
            },
            module(OFFICE, "AcmeArc32.dll"),
        ]),
    );
    let mut scanner = Scanner::new(Box::new(procs), Box::new(modules), ScanOptions::default());
    let scan = scanner.scan(&[]).expect("scan");
    assert_eq!(scan.mapisvc_files, vec![office.join("MAPISVC.INF")]);
    assert!(scan.warnings.is_empty(), "{:?}", scan.warnings);
    let p = &scan.processes[0].providers;
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].dll, "acmearc32.dll");
    assert_eq!(p[0].kinds, vec![ProviderKind::MessageStore]);
    assert_eq!(p[0].name, "Acme Archive");
}

#[test]
fn find_mapisvc_falls_back_to_system32() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sys32 = dir.path().join("System32");
    let office = dir.path().join("Office");
    std::fs::create_dir(&sys32).expect("mkdir");
    std::fs::create_dir(&office).expect("mkdir");
    std::fs::write(sys32.join("mapisvc.inf"), "[Services]\n").expect("write");
    // On Windows the file system ignores case: the first spelling tried
    // (MAPISVC.INF) finds the file.
    let found = find_mapisvc([office.clone(), office.clone()], Some(&sys32));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].parent(), Some(sys32.as_path()));
    assert!(
        found[0]
            .file_name()
            .is_some_and(|n| n.eq_ignore_ascii_case("mapisvc.inf")),
        "{found:?}"
    );
    std::fs::write(office.join("MAPISVC.INF"), "[Services]\n").expect("write");
    assert_eq!(
        find_mapisvc([office.clone()], Some(&sys32)),
        vec![office.join("MAPISVC.INF")]
    );
    assert!(find_mapisvc(Vec::new(), None).is_empty());
}

#[test]
fn an_explicit_mapisvc_that_cannot_be_read_is_an_error_and_bad_lines_are_warnings() {
    let mut s = scanner(ScanOptions {
        mapisvc: MapiSvcChoice::File(PathBuf::from("/nonexistent/MAPISVC.INF")),
        system32: None,
    });
    assert!(matches!(s.scan(&[]), Err(ScanError::MapiSvc(_))));
    let bad = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .join("tests/data/mapisvc/malformed.inf");
    s.set_options(ScanOptions {
        mapisvc: MapiSvcChoice::File(bad.clone()),
        system32: None,
    });
    let scan = s.scan(&[]).expect("malformed lines are not fatal");
    assert_eq!(scan.warnings.len(), 5, "{:?}", scan.warnings);
    assert!(
        scan.warnings[0]
            .to_string()
            .starts_with(&format!("{}:2:", bad.display()))
    );
    assert_eq!(scan.mapisvc_files, vec![bad]);
}

#[test]
fn from_decls_copies_the_trace_declarations() {
    let decl = ProviderDecl {
        t_ns: 5,
        session: Some(1),
        provider: 2,
        name: "Personal Folders".to_owned(),
        kind: ProviderKind::MessageStore,
        dll: "mspst32.dll".to_owned(),
        implements_shutdown: true,
    };
    let c = InstrumentedClient::from_decls(42, Some("OUTLOOK.EXE".to_owned()), &[decl]);
    assert_eq!(c.pid, 42);
    assert_eq!(c.providers[0].dll, "mspst32.dll");
    assert_eq!(c.providers[0].kind, ProviderKind::MessageStore);
}

#[test]
fn the_os_scanner_finds_this_process() {
    let mut scanner = Scanner::system(off()).expect("scanner");
    let scan = scanner.scan(&[]).expect("scan");
    let me = scan
        .processes
        .iter()
        .find(|p| p.info.pid == std::process::id())
        .expect("this process");
    assert!(!me.module_list().is_empty(), "{me:?}");
}

#[test]
fn descriptions_follow_the_language_and_display_stays_english() {
    use crate::i18n::{Lang, set_thread_lang};
    let svc = mapisvc::parse(
        Path::new("m.inf"),
        "Stray=1\n[A]\nPR_RESOURCE_TYPE=BANANA\nPR_PROVIDER_DLL_NAME=a.dll\n",
    );
    let before = &svc.warnings[0];
    let unknown = &svc.warnings[1];
    set_thread_lang(Some(Lang::Fr));
    assert_eq!(
        before.text().to_string(),
        "m.inf:1: entrée avant la première [section]\u{a0}: \"Stray=1\""
    );
    assert_eq!(
        before.to_string(),
        "m.inf:1: entry before the first [section]: \"Stray=1\""
    );
    assert_eq!(
        unknown.text().to_string(),
        "m.inf:3: PR_RESOURCE_TYPE inconnu \"BANANA\""
    );
    assert_eq!(ModulesError::AccessDenied.localized(), "accès refusé");
    assert_eq!(ModulesError::AccessDenied.to_string(), "access denied");
    assert_eq!(
        Difference::DeclaredNotLoaded.localized(),
        "déclaré par le client, non chargé"
    );
    assert_eq!(
        Difference::DeclaredNotLoaded.describe(),
        "declared by the client, not loaded"
    );
    set_thread_lang(Some(Lang::ZhCn));
    assert_eq!(ModulesError::Gone.localized(), "进程已退出");
    assert_eq!(ModulesError::Other("EIO".into()).localized(), "EIO");
    set_thread_lang(None);
}
