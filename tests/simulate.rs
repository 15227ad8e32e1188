//! `mapi-shutdown simulate` as a real child process: every shipped scenario
//! (assets/scenarios/*.toml, so new ones are covered) under the default
//! policy and each forced one, checked against what the scenario implies;
//! then scenario-specific facts, `--json`, and bad scenarios
//! (tests/data/scenarios/*.toml, each marking its bad line with
//! `# <- error` and naming the field in an `# expect-field:` comment).

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::Command;

use mapi_shutdown::hresult::HRESULT;
use mapi_shutdown::mapi::ProviderKind;
use mapi_shutdown::policy::FastShutdownBehavior;
use mapi_shutdown::simulate::{
    ClientEnd, KILLED_EXIT_CODE, OnQueryError, Scenario, ShutdownMethod, ShutdownSupport,
};
use mapi_shutdown::trace::codec::read_all;
use mapi_shutdown::trace::{Caller, Method, PolicySource, ProviderDecl, Record};

const BIN: &str = env!("CARGO_BIN_EXE_mapi-shutdown");

/// The binary, sending to an endpoint no monitor listens on (a socket in
/// a directory that does not exist), so that a developer's running monitor
/// never receives test traffic; nothing is spooled.
/// The binary, pointed at an endpoint no monitor listens on, so that a
/// developer's running monitor gets no test traffic. On Unix that is a
/// socket path in a directory that does not exist; on Windows a pipe name
/// (an endpoint there is a name, not a path).
fn bin() -> Command {
    let mut cmd = Command::new(BIN);
    let endpoint = if cfg!(windows) {
        format!("test-none-{}", std::process::id())
    } else {
        std::env::temp_dir()
            .join(format!("mapi-shutdown-test-none-{}", std::process::id()))
            .join("none.sock")
            .display()
            .to_string()
    };
    cmd.env("MAPI_SHUTDOWN_ENDPOINT", endpoint)
        .env_remove("MAPI_SHUTDOWN_SPOOL_DIR");
    cmd
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

fn scenarios() -> Vec<PathBuf> {
    let files = toml_files(&manifest_dir().join("assets/scenarios"));
    assert!(files.len() >= 7, "shipped scenarios: {files:?}");
    files
}

fn scenario(name: &str) -> PathBuf {
    let path = manifest_dir()
        .join("assets/scenarios")
        .join(format!("{name}.toml"));
    assert!(path.exists(), "{} is shipped", path.display());
    path
}

/// One traced call, paired from its enter and exit records.
#[derive(Debug, Clone)]
struct Call {
    call: u64,
    parent: Option<u64>,
    caller: Caller,
    method: Method,
    provider: Option<u32>,
    hresult: Option<HRESULT>,
    enter_ns: u64,
    exit_ns: Option<u64>,
}

impl Call {
    fn duration_ms(&self) -> Option<f64> {
        self.exit_ns
            .map(|x| (x - self.enter_ns) as f64 / 1_000_000.0)
    }
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    records: Vec<Record>,
}

impl Run {
    fn calls(&self) -> Vec<Call> {
        let mut calls: Vec<Call> = Vec::new();
        let mut index = HashMap::new();
        for r in &self.records {
            match r {
                Record::Enter(e) => {
                    index.insert(e.call, calls.len());
                    calls.push(Call {
                        call: e.call,
                        parent: e.parent,
                        caller: e.caller,
                        method: e.method,
                        provider: e.provider,
                        hresult: None,
                        enter_ns: e.t_ns,
                        exit_ns: None,
                    });
                }
                Record::Exit(x) => {
                    let i = index[&x.call];
                    calls[i].hresult = Some(x.hresult);
                    calls[i].exit_ns = Some(x.t_ns);
                }
                _ => {}
            }
        }
        calls
    }

    fn client_calls(&self) -> Vec<Call> {
        self.calls()
            .into_iter()
            .filter(|c| c.caller == Caller::Client)
            .collect()
    }

    fn client_call(&self, method: Method) -> Option<Call> {
        self.client_calls().into_iter().find(|c| c.method == method)
    }

    /// The provider calls made inside client call `parent`, in order.
    fn children(&self, parent: u64) -> Vec<Call> {
        self.calls()
            .into_iter()
            .filter(|c| c.parent == Some(parent))
            .collect()
    }

    fn providers(&self) -> Vec<ProviderDecl> {
        self.records
            .iter()
            .filter_map(|r| match r {
                Record::Provider(p) => Some(p.clone()),
                _ => None,
            })
            .collect()
    }

    fn provider_named(&self, name: &str) -> ProviderDecl {
        self.providers()
            .into_iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("no provider {name}"))
    }

    fn client_exit(&self) -> Option<i32> {
        self.records.iter().find_map(|r| match r {
            Record::ClientExit(c) => Some(c.code),
            _ => None,
        })
    }
}

/// Run `simulate` on `scenario` with `--trace-out` in a temp dir, reading
/// the policy from an empty in-memory registry store (`--registry memory`),
/// so that no test depends on the user's own store.
fn simulate(scenario: &Path, behavior: Option<&str>, extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace.jsonl");
    let mut cmd = bin();
    cmd.args(["--registry", "memory"])
        .arg("simulate")
        .arg(scenario)
        .arg("--trace-out")
        .arg(&trace);
    if let Some(b) = behavior {
        cmd.args(["--fast-shutdown-behavior", b]);
    }
    cmd.args(extra);
    let out = cmd.output().unwrap();
    let records = read_all(BufReader::new(File::open(&trace).unwrap()))
        .unwrap_or_else(|e| panic!("{}: trace does not decode: {e}", scenario.display()));
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
        records,
    }
}

// ---------------------------------------------------------------------------
// Every scenario under every policy, against what the scenario implies.

/// What the subsystem answers the client's QueryFastShutdown ("Fast
/// Shutdown User Options").
fn expected_query(s: &Scenario, policy: FastShutdownBehavior) -> HRESULT {
    let supports = s
        .providers()
        .map(|(_, p)| p.shutdown)
        .collect::<Vec<ShutdownSupport>>();
    let ok = match policy {
        FastShutdownBehavior::Disabled => false,
        FastShutdownBehavior::OptOut => !supports.contains(&ShutdownSupport::OptsOut),
        FastShutdownBehavior::OptIn => supports.iter().all(|s| *s == ShutdownSupport::Supports),
    };
    if ok {
        HRESULT::S_OK
    } else {
        HRESULT::MAPI_E_NO_SUPPORT
    }
}

fn check_scenario(path: &Path, behavior: Option<FastShutdownBehavior>) {
    let what = format!("{} under {behavior:?}", path.display());
    let s = Scenario::load(path).unwrap_or_else(|e| panic!("{e}"));
    let policy = behavior.unwrap_or(FastShutdownBehavior::OptOut);
    let arg = behavior.map(|b| b.as_str());
    let run = simulate(path, arg, &[]);

    // hello, policy, declarations.
    let Record::Hello(hello) = &run.records[0] else {
        panic!("{what}: first record is not hello");
    };
    assert_eq!(hello.exe, s.client.exe, "{what}");
    assert_eq!(hello.office_version, s.client.office_version, "{what}");
    assert_eq!(hello.subsystem, s.client.subsystem_dll, "{what}");
    let policy_record = run
        .records
        .iter()
        .find_map(|r| match r {
            Record::Policy(p) => Some(p.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(policy_record.effective, policy, "{what}");
    // Not forced: read from the (empty) memory store, for the scenario's
    // Office version.
    let want_source = if behavior.is_some() {
        PolicySource::Override
    } else {
        PolicySource::Registry {
            store: "memory".to_string(),
            key: format!(
                "HKEY_CURRENT_USER\\{}",
                s.client.office_version.shutdown_policy_key()
            ),
            value: "FastShutdownBehavior".to_string(),
        }
    };
    assert_eq!(policy_record.source, want_source, "{what}");
    let decls = run.providers();
    let specs: Vec<_> = s.providers().collect();
    assert_eq!(decls.len(), specs.len(), "{what}");
    for (d, (session, spec)) in decls.iter().zip(&specs) {
        assert_eq!(
            (&d.name, d.kind, &d.dll, d.session),
            (&spec.name, spec.kind, &spec.dll, Some(*session as u32 + 1)),
            "{what}: load order"
        );
        assert_eq!(
            d.implements_shutdown,
            spec.shutdown != ShutdownSupport::NotImplemented,
            "{what}: {}",
            d.name
        );
    }
    let kind_of: HashMap<u32, ProviderKind> = decls.iter().map(|d| (d.provider, d.kind)).collect();
    let implementing: Vec<u32> = decls
        .iter()
        .filter(|d| d.implements_shutdown)
        .map(|d| d.provider)
        .collect();

    // The client's calls.
    let query = expected_query(&s, policy);
    let (notify, call_do) = if query == HRESULT::S_OK {
        (true, true)
    } else {
        match s.client.on_query_error {
            OnQueryError::Stop => (false, false),
            OnQueryError::NotifyOnly => (true, false),
            OnQueryError::Continue => (true, true),
        }
    };
    let providers_do = call_do && policy != FastShutdownBehavior::Disabled;
    let killed = match s.client.end {
        ClientEnd::Normal => false,
        ClientEnd::KilledDuringDoFastShutdown { kill_after_ms } => {
            let implementing_specs = specs
                .iter()
                .filter(|(_, p)| p.shutdown != ShutdownSupport::NotImplemented);
            let hangs = implementing_specs
                .clone()
                .any(|(_, p)| p.hang == Some(ShutdownMethod::DoFastShutdown));
            let delays: u64 = implementing_specs.map(|(_, p)| p.delays.do_ms).sum();
            providers_do && (hangs || delays > kill_after_ms)
        }
    };
    let do_ok = providers_do && !killed;
    let uninitialize = !killed && (!do_ok || s.client.calls_mapi_after_do);

    let client: Vec<(Method, Option<HRESULT>)> = run
        .client_calls()
        .iter()
        .map(|c| (c.method, c.hresult))
        .collect();
    let mut want = vec![(Method::QueryFastShutdown, Some(query))];
    if notify {
        want.push((Method::NotifyProcessShutdown, Some(HRESULT::S_OK)));
    }
    if call_do {
        let answer = if killed {
            None
        } else if do_ok {
            Some(HRESULT::S_OK)
        } else {
            Some(HRESULT::MAPI_E_NO_SUPPORT)
        };
        want.push((Method::DoFastShutdown, answer));
    }
    if uninitialize {
        let answer = if providers_do {
            HRESULT::MAPI_E_CALL_FAILED
        } else {
            HRESULT::S_OK
        };
        want.push((Method::MapiUninitialize, Some(answer)));
    }
    assert_eq!(client, want, "{what}: client calls\n{}", run.stdout);

    // Provider calls: only from the subsystem, inside a client call of the
    // same method, every implementing provider in kind order (transport,
    // address book, store; load order within a kind).
    for c in run.client_calls() {
        let children = run.children(c.call);
        for child in &children {
            assert_eq!(child.caller, Caller::Subsystem, "{what}");
            assert_eq!(child.method, c.method, "{what}");
        }
        let order: Vec<(ProviderKind, u32)> = children
            .iter()
            .map(|p| {
                let id = p.provider.unwrap();
                (kind_of[&id], id)
            })
            .collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted, "{what}: {} call order", c.method);
        let called: Vec<u32> = order.iter().map(|(_, id)| *id).collect();
        let asked = match c.method {
            Method::QueryFastShutdown | Method::DoFastShutdown => {
                policy != FastShutdownBehavior::Disabled
            }
            Method::NotifyProcessShutdown => true,
            Method::MapiLogonEx | Method::MapiUninitialize => false,
        };
        let mut every: Vec<u32> = if asked { implementing.clone() } else { vec![] };
        every.sort_by_key(|id| (kind_of[id], *id));
        if killed && c.method == Method::DoFastShutdown {
            assert!(
                every.starts_with(&called),
                "{what}: {called:?} of {every:?}"
            );
        } else {
            assert_eq!(called, every, "{what}: providers called in {}", c.method);
        }
    }

    // How it ended.
    if killed {
        assert_eq!(run.code, Some(KILLED_EXIT_CODE), "{what}: {}", run.stderr);
        // The kill record simulate's watchdog writes (issue 16, item 9).
        assert_eq!(run.client_exit(), Some(KILLED_EXIT_CODE), "{what}");
        assert!(
            run.stderr.contains("killed") && run.stderr.contains("DoFastShutdown"),
            "{what}: {}",
            run.stderr
        );
    } else {
        assert_eq!(run.code, Some(0), "{what}: {}", run.stderr);
        assert_eq!(run.client_exit(), Some(0), "{what}");
        assert!(
            matches!(run.records.last(), Some(Record::ClientExit(_))),
            "{what}"
        );
    }
    let taken = query == HRESULT::S_OK && do_ok;
    if !killed && (taken || !call_do) {
        assert_eq!(
            run.stdout.contains("fast: QueryFastShutdown returned S_OK and every provider returned from DoFastShutdown"),
            taken,
            "{what}:\n{}",
            run.stdout
        );
    }
}

fn check_all(behavior: Option<FastShutdownBehavior>) {
    for path in scenarios() {
        check_scenario(&path, behavior);
    }
}

#[test]
fn every_scenario_under_the_default_policy() {
    check_all(None);
}

#[test]
fn every_scenario_forced_opt_out() {
    check_all(Some(FastShutdownBehavior::OptOut));
}

#[test]
fn every_scenario_forced_opt_in() {
    check_all(Some(FastShutdownBehavior::OptIn));
}

#[test]
fn every_scenario_forced_disabled() {
    check_all(Some(FastShutdownBehavior::Disabled));
}

// ---------------------------------------------------------------------------
// Scenario-specific facts.

#[test]
fn supports_all_takes_the_fast_path_in_kind_order() {
    let run = simulate(&scenario("outlook-2016-exchange-pst-oab"), None, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let query = run.client_call(Method::QueryFastShutdown).unwrap();
    assert_eq!(query.hresult, Some(HRESULT::S_OK));
    let kinds: Vec<ProviderKind> = run
        .children(query.call)
        .iter()
        .map(|c| {
            run.providers()
                .into_iter()
                .find(|p| Some(p.provider) == c.provider)
                .unwrap()
                .kind
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            ProviderKind::Transport,
            ProviderKind::AddressBook,
            ProviderKind::AddressBook,
            ProviderKind::MessageStore,
            ProviderKind::MessageStore,
        ]
    );
    // The store was loaded first but is called after the transport.
    assert_eq!(run.providers()[0].kind, ProviderKind::MessageStore);
    let do_call = run.client_call(Method::DoFastShutdown).unwrap();
    assert_eq!(do_call.hresult, Some(HRESULT::S_OK));
    assert_eq!(run.children(do_call.call).len(), 5);
    assert_eq!(run.client_exit(), Some(0));
    assert!(run.client_call(Method::MapiUninitialize).is_none());
    assert!(
        run.stdout.contains(
            "fast: QueryFastShutdown returned S_OK and every provider returned from DoFastShutdown"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Warnings  none"), "{}", run.stdout);
}

#[test]
fn third_party_store_opting_out_sends_outlook_the_normal_way() {
    let run = simulate(&scenario("third-party-store-opts-out"), None, &[]);
    let vault = run.provider_named("Contoso Archive Vault");
    let query = run.client_call(Method::QueryFastShutdown).unwrap();
    assert_eq!(query.hresult, Some(HRESULT::MAPI_E_NO_SUPPORT));
    let refusal = run
        .children(query.call)
        .into_iter()
        .find(|c| c.provider == Some(vault.provider))
        .unwrap();
    assert_eq!(refusal.hresult, Some(HRESULT::MAPI_E_NO_SUPPORT));
    let methods: Vec<Method> = run.client_calls().iter().map(|c| c.method).collect();
    assert_eq!(
        methods,
        vec![Method::QueryFastShutdown, Method::MapiUninitialize]
    );
    assert!(
        run.stdout.contains(
            "because provider 'Contoso Archive Vault' (message store, cavault32.dll) returned"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn legacy_provider_answers_differ_between_opt_out_and_opt_in() {
    let path = scenario("legacy-provider-no-interface");
    let opt_out = simulate(&path, Some("opt-out"), &[]);
    let opt_in = simulate(&path, Some("1"), &[]);
    let legacy = opt_out.provider_named("Fabrikam Fax Transport");
    assert!(!legacy.implements_shutdown);
    assert_eq!(
        opt_out
            .client_call(Method::QueryFastShutdown)
            .unwrap()
            .hresult,
        Some(HRESULT::S_OK)
    );
    assert_eq!(
        opt_in
            .client_call(Method::QueryFastShutdown)
            .unwrap()
            .hresult,
        Some(HRESULT::MAPI_E_NO_SUPPORT)
    );
    // The legacy provider is never called, under either policy.
    for run in [&opt_out, &opt_in] {
        assert!(
            run.calls()
                .iter()
                .all(|c| c.provider != Some(legacy.provider))
        );
    }
    assert!(opt_out.stdout.contains(
        "fast: QueryFastShutdown returned S_OK and every provider returned from DoFastShutdown"
    ));
    assert!(
        opt_in
            .stdout
            .contains("(transport, fbfax32.dll) does not implement IMAPIProviderShutdown and the policy is opt-in (1)"),
        "{}",
        opt_in.stdout
    );
}

#[test]
fn disabled_never_asks_providers_query_or_do() {
    for name in [
        "outlook-2016-exchange-pst-oab",
        "client-ignores-query-error",
    ] {
        let run = simulate(&scenario(name), Some("disabled"), &[]);
        assert_eq!(run.code, Some(0));
        let provider_calls: Vec<Method> = run
            .calls()
            .iter()
            .filter(|c| c.caller == Caller::Subsystem)
            .map(|c| c.method)
            .collect();
        assert!(
            !provider_calls.contains(&Method::QueryFastShutdown)
                && !provider_calls.contains(&Method::DoFastShutdown),
            "{name}: {provider_calls:?}"
        );
        assert_eq!(
            run.client_call(Method::QueryFastShutdown).unwrap().hresult,
            Some(HRESULT::MAPI_E_NO_SUPPORT)
        );
    }
}

#[test]
fn killed_during_do_fast_shutdown() {
    let run = simulate(&scenario("killed-during-do-fast-shutdown"), None, &[]);
    assert_eq!(run.code, Some(137), "{}", run.stderr);
    assert_eq!(KILLED_EXIT_CODE, 137);
    assert!(
        run.stderr
            .contains("killed the client 250 ms into DoFastShutdown, as the scenario asked"),
        "{}",
        run.stderr
    );
    // The kill record simulate's watchdog writes (issue 16, item 9).
    assert_eq!(run.client_exit(), Some(137));
    let do_call = run.client_call(Method::DoFastShutdown).unwrap();
    assert_eq!(
        do_call.hresult, None,
        "the client's DoFastShutdown never returned"
    );
    let pst = run.provider_named("Personal Folders (\\\\fileserver\\home\\jdoe\\outlook.pst)");
    let children = run.children(do_call.call);
    let stuck: Vec<&Call> = children.iter().filter(|c| c.hresult.is_none()).collect();
    assert_eq!(stuck.len(), 1);
    assert_eq!(stuck[0].provider, Some(pst.provider));
    let archive = run.provider_named("Archive Folders");
    assert!(
        children
            .iter()
            .all(|c| c.provider != Some(archive.provider))
    );
    // The summary printed before the kill says so too.
    assert!(run.stdout.contains("(did not return)"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("data-loss risk: the process ended before provider 'Personal Folders"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("never called: provider 'Archive Folders'"),
        "{}",
        run.stdout
    );
}

#[test]
fn killed_with_json_prints_a_killed_summary() {
    let run = simulate(
        &scenario("killed-during-do-fast-shutdown"),
        None,
        &["--json"],
    );
    assert_eq!(run.code, Some(137));
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["end"]["kind"], "killed");
    assert_eq!(v["end"]["after_ms"], 250);
    assert_eq!(v["end"]["code"], 137);
    assert_eq!(v["path"], "do-fast-shutdown-interrupted");
    // The verdict is the analysis': the process ended inside
    // DoFastShutdown (issue 16, item 2).
    assert_eq!(v["outcome"], "data-loss-risk");
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "process-exited-during-shutdown" && f["severity"] == "error"),
        "{v:#}"
    );
}

#[test]
fn slow_store_do_fast_shutdown_takes_at_least_its_delay() {
    let path = scenario("slow-store-do-fast-shutdown");
    let s = Scenario::load(&path).unwrap();
    let spec = s
        .providers()
        .map(|(_, p)| p)
        .find(|p| p.delays.do_ms >= 300)
        .expect("a slow store");
    let run = simulate(&path, None, &[]);
    let slow = run.provider_named(&spec.name);
    assert_eq!(slow.kind, ProviderKind::MessageStore);
    let do_call = run.client_call(Method::DoFastShutdown).unwrap();
    let call = run
        .children(do_call.call)
        .into_iter()
        .find(|c| c.provider == Some(slow.provider))
        .unwrap();
    let ms = call.duration_ms().unwrap();
    assert!(
        ms >= spec.delays.do_ms as f64,
        "{ms} ms < {}",
        spec.delays.do_ms
    );
    assert!(do_call.duration_ms().unwrap() >= ms);
    assert_eq!(do_call.hresult, Some(HRESULT::S_OK));
}

#[test]
fn client_ignoring_the_error_calls_do_after_a_failed_query() {
    let run = simulate(&scenario("client-ignores-query-error"), None, &[]);
    let client = run.client_calls();
    assert_eq!(client[0].method, Method::QueryFastShutdown);
    assert_eq!(client[0].hresult, Some(HRESULT::MAPI_E_NO_SUPPORT));
    let do_call = run.client_call(Method::DoFastShutdown).unwrap();
    assert!(do_call.enter_ns > client[0].exit_ns.unwrap());
    let vault = run.provider_named("Contoso Archive Vault");
    // The store that refused is told to finish now anyway.
    assert!(
        run.children(do_call.call)
            .iter()
            .any(|c| c.provider == Some(vault.provider))
    );
    assert!(
        run.stdout.contains("[error] ignored-query-error: "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("data-loss risk: the client called DoFastShutdown after QueryFastShutdown")
    );
}

#[test]
fn mfcmapi_notifies_but_does_not_do() {
    let run = simulate(&scenario("mfcmapi-notify-only"), None, &["--json"]);
    let methods: Vec<Method> = run.client_calls().iter().map(|c| c.method).collect();
    assert_eq!(
        methods,
        vec![
            Method::QueryFastShutdown,
            Method::NotifyProcessShutdown,
            Method::MapiUninitialize
        ]
    );
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["outcome"], "normal");
    assert_eq!(v["findings"][0]["kind"], "ignored-query-error");
    assert_eq!(v["findings"][0]["severity"], "warning");
}

#[test]
fn mapi_call_after_do_fast_shutdown_fails_and_is_flagged() {
    let run = simulate(&scenario("mapi-call-after-do-fast-shutdown"), None, &[]);
    let client = run.client_calls();
    let last = client.last().unwrap();
    assert_eq!(last.method, Method::MapiUninitialize);
    assert_eq!(last.hresult, Some(HRESULT::MAPI_E_CALL_FAILED));
    assert!(
        run.stdout
            .contains("the client called MAPIUninitialize after DoFastShutdown"),
        "{}",
        run.stdout
    );
}

#[test]
fn large_profile_calls_every_session_in_kind_order() {
    let run = simulate(&scenario("large-profile"), None, &[]);
    assert_eq!(run.code, Some(0));
    let decls = run.providers();
    assert!(decls.len() >= 20, "{} providers", decls.len());
    let sessions: Vec<u32> = run
        .records
        .iter()
        .filter_map(|r| match r {
            Record::Session(s) => Some(s.session),
            _ => None,
        })
        .collect();
    assert!(sessions.len() >= 2);
    // Loaded in mixed order...
    let load_kinds: Vec<ProviderKind> = decls.iter().map(|d| d.kind).collect();
    assert!(!load_kinds.is_sorted(), "load order should be mixed");
    for kind in ProviderKind::ALL {
        assert!(load_kinds.contains(&kind));
    }
    // ...called transport, address book, store across both sessions.
    let kind_of: HashMap<u32, &ProviderDecl> = decls.iter().map(|d| (d.provider, d)).collect();
    for c in run.client_calls() {
        if c.method == Method::MapiUninitialize {
            continue;
        }
        let called: Vec<&ProviderDecl> = run
            .children(c.call)
            .iter()
            .map(|p| kind_of[&p.provider.unwrap()])
            .collect();
        let keys: Vec<(ProviderKind, u32)> = called.iter().map(|d| (d.kind, d.provider)).collect();
        assert!(keys.is_sorted(), "{}: {keys:?}", c.method);
        let first_store = called
            .iter()
            .position(|d| d.kind == ProviderKind::MessageStore)
            .unwrap();
        // Session 2's transports come before session 1's stores.
        assert!(
            called[..first_store]
                .iter()
                .any(|d| d.session == Some(2) && d.kind == ProviderKind::Transport)
        );
        assert_eq!(
            called.len(),
            decls.iter().filter(|d| d.implements_shutdown).count()
        );
    }
    assert_eq!(
        run.client_call(Method::DoFastShutdown).unwrap().hresult,
        Some(HRESULT::S_OK)
    );
}

// ---------------------------------------------------------------------------
// Output formats and errors.

#[test]
fn json_output_is_one_document() {
    let run = simulate(
        &scenario("outlook-2016-exchange-pst-oab"),
        Some("opt-in"),
        &["--json"],
    );
    assert_eq!(run.code, Some(0));
    let v: serde_json::Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}:\n{}", run.stdout));
    assert_eq!(v["scenario"]["name"], "outlook-2016-exchange-pst-oab");
    assert_eq!(v["client"]["exe"], "OUTLOOK.EXE");
    assert_eq!(v["client"]["office_version"], "16.0");
    assert_eq!(v["policy"]["effective"], "opt-in");
    assert_eq!(v["policy"]["dword"], 1);
    assert_eq!(v["policy"]["source"]["kind"], "override");
    assert_eq!(v["path"], "fast");
    assert_eq!(v["fast_shutdown_taken"], true);
    assert_eq!(v["end"]["kind"], "exited");
    assert_eq!(v["end"]["code"], 0);
    assert_eq!(v["trace"]["records"], run.records.len());
    let calls = v["calls"].as_array().unwrap();
    assert_eq!(calls.len(), run.calls().len());
    assert_eq!(calls[0]["caller"], "client");
    assert_eq!(calls[0]["method"], "QueryFastShutdown");
    assert_eq!(calls[0]["hresult"], "0x00000000");
    assert_eq!(calls[0]["hresult_name"], "S_OK");
    assert!(calls[0]["duration_ms"].is_f64());
    assert_eq!(calls[1]["depth"], 1);
    assert_eq!(calls[1]["provider"]["kind"], "transport");
    assert_eq!(calls[1]["provider"]["dll"], "emsmdb32.dll");
}

#[test]
fn text_output_aligns_columns() {
    let run = simulate(&scenario("large-profile"), None, &[]);
    let rows: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains("0x00000000 (S_OK)"))
        .collect();
    assert!(rows.len() > 20);
    let col = |l: &str| l.find("0x").unwrap();
    assert!(
        rows.iter().all(|l| col(l) == col(rows[0])),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(" ms\n"));
}

/// (line, field) a fixture declares: the line marked `# <- error`, the
/// field in `# expect-field:`.
fn fixture_expectation(path: &Path) -> (usize, String) {
    let text = std::fs::read_to_string(path).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("# <- error"))
        .unwrap_or_else(|| panic!("{} has no `# <- error` line", path.display()))
        + 1;
    let field = text
        .lines()
        .find_map(|l| l.strip_prefix("# expect-field: "))
        .unwrap_or_else(|| panic!("{} has no `# expect-field:`", path.display()))
        .trim()
        .to_string();
    (line, field)
}

#[test]
fn bad_scenarios_name_file_line_and_field_and_exit_2() {
    let fixtures = toml_files(&manifest_dir().join("tests/data/scenarios"));
    assert!(fixtures.len() >= 8);
    for path in fixtures {
        let (line, field) = fixture_expectation(&path);
        let out = bin().arg("simulate").arg(&path).output().unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{}: {stderr}", path.display());
        assert!(out.stdout.is_empty());
        let head = format!("{}:{line}:", path.display());
        assert!(
            stderr.contains(&head),
            "{}: want {head} in {stderr}",
            path.display()
        );
        assert!(
            stderr.contains(&format!("field `{field}`")),
            "{}: want field `{field}` in {stderr}",
            path.display()
        );
        // The library says the same.
        let err = Scenario::load(&path).unwrap_err().to_string();
        assert!(err.contains(&head) && err.contains(&field), "{err}");
    }
}

#[test]
fn usage_errors_exit_2() {
    let missing = bin()
        .args(["simulate", "/nonexistent/scenario.toml"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/scenario.toml"));

    let bad_behavior = bin()
        .arg("simulate")
        .arg(scenario("large-profile"))
        .args(["--fast-shutdown-behavior", "sometimes"])
        .output()
        .unwrap();
    assert_eq!(bad_behavior.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_behavior.stderr).contains("sometimes"));

    // With no subcommand the window opens; a bad --renderer is a usage
    // error reported before any window exists.
    let bad_renderer = bin().args(["--renderer", "vulkan"]).output().unwrap();
    assert_eq!(bad_renderer.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_renderer.stderr).contains("vulkan"));
}

/// Regression: without a display the window's failure named "no renderer"
/// (both renderers tried); it now says there is no display, at once.
#[cfg(all(unix, feature = "gui"))]
#[test]
fn no_display_says_so_and_exits_1() {
    let out = bin()
        .args(["--registry", "memory"])
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("WAYLAND_SOCKET")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no display"), "{err}");
    assert!(err.contains("xvfb-run"), "{err}");
}

#[test]
fn unwritable_trace_file_exits_1() {
    let out = bin()
        .arg("simulate")
        .arg(scenario("outlook-2016-exchange-pst-oab"))
        .args(["--trace-out", "/nonexistent-dir/trace.jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent-dir/trace.jsonl"));
}
