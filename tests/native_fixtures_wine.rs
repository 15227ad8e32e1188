//! The native MAPI fixtures (fixtures/native, docs/native-fixtures.md) under
//! Wine, 64-bit and 32-bit, WITHOUT the capture agent: the C stand-in for
//! `olmapi32.dll`, registered as the default mail client's `DLLPathEx`, is
//! reached through Wine's `mapi32.dll` stub by the three fixture clients
//! (Outlook, MFCMAPI's "Fast shutdown", LeakMAPI), and answers as the rules
//! of docs/domain.md say for each `FastShutdownBehavior` (opt-out, opt-in,
//! disabled). The expectations are computed here from those rules (a small
//! model of the subsystem and of each client), never copied from a run.
//!
//! Needs Wine with wine32 (a WoW64 prefix) and the fixtures built by
//! `fixtures/native/build.sh OUTDIR`: `scripts/check` stage 8 sets
//! `MAPI_SHUTDOWN_NATIVE_FIXTURES=OUTDIR` and `WINEPREFIX`, and fails if
//! this test printed `not run:`. Without the variable the test says it did
//! not run and passes.

#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock, mpsc};
use std::time::{Duration, Instant};

/// The build.sh OUTDIR (holding `x64/` and `x86/`).
const FIXTURES_ENV: &str = "MAPI_SHUTDOWN_NATIVE_FIXTURES";
/// The Wine loader (default `/usr/bin/wine`, which runs both bitnesses).
const WINE_ENV: &str = "MAPI_SHUTDOWN_WINE";
/// How long one client run may take before it is killed.
const RUN_BOUND: Duration = Duration::from_secs(60);

const S_OK: u32 = 0x0000_0000;
const MAPI_E_NO_SUPPORT: u32 = 0x8004_0102;
const MAPI_E_CALL_FAILED: u32 = 0x8000_4005;
const MAPI_E_NOT_FOUND: u32 = 0x8004_010F;

const POLICY_KEY: &str = r"HKCU\Software\Policies\Microsoft\Office\16.0\Outlook\Options\Shutdown";

// --- the model: providers, profiles, policies, clients --------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Transport,
    AddressBook,
    MessageStore,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Transport => "transport",
            Kind::AddressBook => "address-book",
            Kind::MessageStore => "message-store",
        }
    }
}

/// Which provider DLL (fxp_*.dll), i.e. how it behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Behaviour {
    Supports,
    OptOut,
    NoIface,
    Slow,
    Hang,
}

impl Behaviour {
    fn dll(self) -> &'static str {
        match self {
            Behaviour::Supports => "fxp_supports.dll",
            Behaviour::OptOut => "fxp_optout.dll",
            Behaviour::NoIface => "fxp_noiface.dll",
            Behaviour::Slow => "fxp_slow.dll",
            Behaviour::Hang => "fxp_hang.dll",
        }
    }
    fn implements(self) -> bool {
        self != Behaviour::NoIface
    }
    /// Its `IMAPIProviderShutdown::QueryFastShutdown` answer.
    fn query(self) -> u32 {
        match self {
            Behaviour::OptOut => MAPI_E_NO_SUPPORT,
            _ => S_OK,
        }
    }
}

/// The profiles file: name, then (kind, behaviour, display name) in file
/// (load) order. Load order deliberately differs from call order.
/// One provider line: kind, behaviour (its DLL), display name.
type ProviderLine = (Kind, Behaviour, &'static str);

const PROFILES: &[(&str, &[ProviderLine])] = &[
    (
        "Mixed",
        &[
            (
                Kind::MessageStore,
                Behaviour::OptOut,
                "Contoso Archive Vault",
            ),
            (Kind::Transport, Behaviour::Supports, "Contoso Transport"),
            (Kind::AddressBook, Behaviour::NoIface, "Legacy Address Book"),
        ],
    ),
    (
        "Legacy",
        &[
            (Kind::AddressBook, Behaviour::NoIface, "Legacy Address Book"),
            (Kind::MessageStore, Behaviour::Supports, "Personal Folders"),
            (Kind::Transport, Behaviour::Supports, "Internet Mail"),
        ],
    ),
    (
        "Exchange",
        &[
            (Kind::MessageStore, Behaviour::Supports, "Mailbox"),
            (
                Kind::AddressBook,
                Behaviour::Supports,
                "Offline Address Book",
            ),
            (Kind::Transport, Behaviour::Supports, "Exchange Transport"),
        ],
    ),
    (
        "Archive",
        &[
            (Kind::Transport, Behaviour::Supports, "Archive Transport"),
            (Kind::MessageStore, Behaviour::Supports, "Archive Store"),
            (Kind::AddressBook, Behaviour::Supports, "Archive Contacts"),
        ],
    ),
    (
        "Slow",
        &[
            (Kind::MessageStore, Behaviour::Slow, "Slow Store"),
            (Kind::Transport, Behaviour::Supports, "Transport"),
        ],
    ),
    (
        "Hang",
        &[
            (Kind::MessageStore, Behaviour::Hang, "Hanging Store"),
            (Kind::Transport, Behaviour::Supports, "Transport"),
        ],
    ),
];

fn profile(name: &str) -> &'static [ProviderLine] {
    PROFILES
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no profile {name}"))
        .1
}

fn profiles_file() -> String {
    let mut s = String::from("# written by tests/native_fixtures_wine.rs\n");
    for (name, providers) in PROFILES {
        s.push_str(&format!("\n[{name}]\n"));
        for (kind, b, display) in *providers {
            s.push_str(&format!("{} {} {display}\n", kind.name(), b.dll()));
        }
    }
    s
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Policy {
    OptOut,
    OptIn,
    Disabled,
}

impl Policy {
    fn name(self) -> &'static str {
        match self {
            Policy::OptOut => "opt-out",
            Policy::OptIn => "opt-in",
            Policy::Disabled => "disabled",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Client {
    Outlook,
    Mfcmapi,
    LeakMapi,
}

impl Client {
    fn exe(self) -> &'static str {
        match self {
            Client::Outlook => "fx_outlook.exe",
            Client::Mfcmapi => "fx_mfcmapi.exe",
            Client::LeakMapi => "fx_leakmapi.exe",
        }
    }
    /// Does it call NotifyProcessShutdown after this query answer?
    fn notifies(self, query_ok: bool) -> bool {
        match self {
            Client::Outlook => query_ok,
            Client::Mfcmapi => true,
            Client::LeakMapi => false,
        }
    }
}

/// A provider as loaded: its process-wide id (load order across sessions).
#[derive(Clone, Debug)]
struct Loaded {
    id: u32,
    session: u32,
    kind: Kind,
    behaviour: Behaviour,
}

fn load(profiles: &[&str]) -> Vec<Loaded> {
    let mut out = Vec::new();
    for (s, name) in profiles.iter().enumerate() {
        for (kind, behaviour, _) in profile(name) {
            out.push(Loaded {
                id: out.len() as u32 + 1,
                session: s as u32 + 1,
                kind: *kind,
                behaviour: *behaviour,
            });
        }
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Method {
    Query,
    Notify,
    Do,
}

impl Method {
    fn name(self) -> &'static str {
        match self {
            Method::Query => "QueryFastShutdown",
            Method::Notify => "NotifyProcessShutdown",
            Method::Do => "DoFastShutdown",
        }
    }
}

/// The subsystem of docs/domain.md (as crates/subsystem implements it).
struct Model {
    policy: Policy,
    providers: Vec<Loaded>,
    done: bool,
    /// Expected provider-call log lines, in order.
    provider_log: Vec<String>,
}

impl Model {
    fn new(policy: Policy, profiles: &[&str]) -> Model {
        Model {
            policy,
            providers: load(profiles),
            done: false,
            provider_log: Vec::new(),
        }
    }

    /// Calls every implementing provider: kind by kind across sessions,
    /// load order within a kind (within each session: transport, address
    /// book, store). Returns each provider's answer, `None` for those
    /// without the interface.
    fn call_providers(&mut self, m: Method) -> Vec<Option<u32>> {
        let mut order: Vec<&Loaded> = self.providers.iter().collect();
        order.sort_by_key(|p| (p.kind, p.id));
        let mut answers = Vec::new();
        for p in order {
            if !p.behaviour.implements() {
                answers.push(None);
                continue;
            }
            let hr = match m {
                Method::Query => p.behaviour.query(),
                Method::Notify | Method::Do => S_OK,
            };
            self.provider_log.push(format!(
                "provider {} {} enter session={} kind={}",
                p.id,
                m.name(),
                p.session,
                p.kind.name()
            ));
            self.provider_log
                .push(format!("provider {} {} -> 0x{hr:08X}", p.id, m.name()));
            answers.push(Some(hr));
        }
        answers
    }

    fn call(&mut self, m: Method) -> u32 {
        if self.done {
            return MAPI_E_CALL_FAILED;
        }
        match (m, self.policy) {
            (Method::Query | Method::Do, Policy::Disabled) => MAPI_E_NO_SUPPORT,
            (Method::Query, Policy::OptOut) => {
                let a = self.call_providers(m);
                if a.iter().flatten().any(|hr| hr & 0x8000_0000 != 0) {
                    MAPI_E_NO_SUPPORT
                } else {
                    S_OK
                }
            }
            (Method::Query, Policy::OptIn) => {
                let a = self.call_providers(m);
                if a.iter().all(|hr| *hr == Some(S_OK)) {
                    S_OK
                } else {
                    MAPI_E_NO_SUPPORT
                }
            }
            (Method::Notify, _) => {
                self.call_providers(m);
                S_OK
            }
            (Method::Do, _) => {
                let a = self.call_providers(m);
                self.done = true;
                if a.iter().flatten().all(|hr| *hr == S_OK) {
                    S_OK
                } else {
                    MAPI_E_NO_SUPPORT
                }
            }
        }
    }
}

/// What a client prints (stdout) and the provider calls the subsystem logs,
/// per the client's documented behaviour and the model.
fn expect(
    client: Client,
    policy: Policy,
    profiles: &[&str],
    ignore_query_error: bool,
    mapi_after_do: bool,
) -> (Vec<String>, Vec<String>) {
    let mut m = Model::new(policy, profiles);
    let mut out = vec![format!("CALL MAPIInitialize 0x{S_OK:08X}")];
    for p in profiles {
        out.push(format!("CALL MAPILogonEx {p} 0x{S_OK:08X}"));
    }
    out.push(format!(
        "CALL QueryInterface(IID_IMAPIClientShutdown) 0x{S_OK:08X}"
    ));
    let q = m.call(Method::Query);
    out.push(format!("CALL QueryFastShutdown 0x{q:08X}"));
    let fast = q == S_OK || ignore_query_error;
    if client.notifies(fast) {
        let hr = m.call(Method::Notify);
        out.push(format!("CALL NotifyProcessShutdown 0x{hr:08X}"));
    }
    if fast {
        let hr = m.call(Method::Do);
        out.push(format!("CALL DoFastShutdown 0x{hr:08X}"));
        if mapi_after_do {
            for method in [Method::Query, Method::Notify, Method::Do] {
                let hr = m.call(method);
                out.push(format!("CALL {} 0x{hr:08X}", method.name()));
            }
            let after = if m.done { MAPI_E_CALL_FAILED } else { S_OK };
            out.push(format!("CALL MAPIInitialize 0x{after:08X}"));
            // (A second logon before Do is not modelled: the option is
            // only used once Do has made every call fail.)
            assert!(m.done, "--mapi-after-do is for a completed DoFastShutdown");
            out.push(format!("CALL MAPILogonEx {} 0x{after:08X}", profiles[0]));
            out.push("CALL MAPIUninitialize".to_string());
        }
    } else {
        out.push("CALL Release IMAPIClientShutdown".to_string());
        for i in 1..=profiles.len() {
            out.push(format!("CALL Release session {i}"));
        }
        out.push("CALL MAPIUninitialize".to_string());
    }
    out.push("EXIT 0".to_string());
    (out, m.provider_log)
}

// --- Wine plumbing -----------------------------------------------------------

struct Env {
    wine: PathBuf,
    fixtures: PathBuf,
    run_dir: PathBuf,
    profiles_win: String,
}

static ENV: OnceLock<Option<Env>> = OnceLock::new();
/// The policy lives in HKCU (shared by every run): one run at a time.
static PREFIX_LOCK: Mutex<()> = Mutex::new(());
static RUN_COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A Linux path as Wine sees it (drive Z: is /).
fn winpath(p: &Path) -> String {
    format!("Z:{}", p.display()).replace('/', "\\")
}

fn wine_cmd(wine: &Path) -> Command {
    let mut c = Command::new(wine);
    c.env("WINEDEBUG", "-all")
        .env("WINEDLLOVERRIDES", "mscoree,mshtml=;winemenubuilder.exe=d");
    c
}

/// Runs a Wine command with its output in files, not pipes: the first Wine
/// process of a prefix starts Wine's services, which inherit its standard
/// handles and would hold a pipe open long after the command exited.
fn wine_quiet(e_wine: &Path, out_dir: &Path, args: &[&str]) -> (bool, String) {
    let n = RUN_COUNTER.fetch_add(1, Ordering::SeqCst);
    let out_path = out_dir.join(format!("wine-{n}.out"));
    let out = std::fs::File::create(&out_path).expect("create an output file");
    let err = out.try_clone().expect("clone the output file");
    let status = wine_cmd(e_wine)
        .args(args)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .status()
        .unwrap_or_else(|e| panic!("run wine {}: {e}", args.join(" ")));
    let text = std::fs::read_to_string(&out_path).unwrap_or_default();
    (status.success(), text)
}

fn reg(wine: &Path, out_dir: &Path, args: &[&str]) {
    let mut all = vec!["reg"];
    all.extend_from_slice(args);
    let (ok, text) = wine_quiet(wine, out_dir, &all);
    assert!(ok, "wine reg {}: {text}", args.join(" "));
}

/// The fixtures, registered in both registry views; `None` (test not run)
/// without the environment variable.
fn env() -> Option<&'static Env> {
    ENV.get_or_init(|| {
        let fixtures = PathBuf::from(std::env::var_os(FIXTURES_ENV)?);
        let fixtures = fixtures
            .canonicalize()
            .unwrap_or_else(|e| panic!("{FIXTURES_ENV}={}: {e}", fixtures.display()));
        assert!(
            std::env::var_os("WINEPREFIX").is_some(),
            "{FIXTURES_ENV} is set but WINEPREFIX is not (a WoW64 prefix: scripts/check stage 8)"
        );
        let wine = std::env::var_os(WINE_ENV).map_or_else(|| "/usr/bin/wine".into(), PathBuf::from);
        for arch in ["x64", "x86"] {
            for f in ["olmapi32.dll", "fx_outlook.exe", "fxp_hang.dll"] {
                let p = fixtures.join(arch).join(f);
                assert!(
                    p.is_file(),
                    "{} missing: run fixtures/native/build.sh",
                    p.display()
                );
            }
        }
        let run_dir = fixtures.join("test-run");
        let _ = std::fs::remove_dir_all(&run_dir);
        std::fs::create_dir_all(&run_dir).expect("create the run directory");
        // One wineserver for the whole test (kept 60 s after the last
        // client): each client then starts in about 0.1 s.
        // Its standard handles are not ours: a daemon holding the test's
        // stdout would keep a `| tee` waiting.
        let _ = Command::new(wineserver(&wine))
            .arg("-p60")
            .env("WINEDEBUG", "-all")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        // Start Wine's services now, with files as their standard handles
        // (see wine_quiet), so that no client's stdout pipe is inherited.
        let _ = wine_quiet(&wine, &run_dir, &["reg", "query", r"HKCU\Software"]);
        // The subsystem as the default mail client, in each registry view:
        // Wine's mapi32.dll of each bitness reads its own view (a 32-bit
        // process sees HKLM\Software\WOW6432Node). /reg:64 is explicit:
        // under /usr/bin/wine a plain `reg` is the 32-bit one.
        for (arch, view) in [("x64", "/reg:64"), ("x86", "/reg:32")] {
            let dll = winpath(&fixtures.join(arch).join("olmapi32.dll"));
            reg(
                &wine,
                &run_dir,
                &[
                    "add",
                    r"HKLM\Software\Clients\Mail",
                    "/ve",
                    "/d",
                    "MAPIFX",
                    "/f",
                    view,
                ],
            );
            reg(
                &wine,
                &run_dir,
                &[
                    "add",
                    r"HKLM\Software\Clients\Mail\MAPIFX",
                    "/v",
                    "DLLPathEx",
                    "/d",
                    &dll,
                    "/f",
                    view,
                ],
            );
        }
        let profiles = run_dir.join("profiles.ini");
        std::fs::write(&profiles, profiles_file()).expect("write the profiles file");
        Some(Env {
            wine,
            fixtures,
            profiles_win: winpath(&profiles),
            run_dir,
        })
    })
    .as_ref()
}

/// `wineserver` next to the loader (`/usr/bin/wine` -> `/usr/bin/wineserver`,
/// `wine64` -> `wineserver64`).
fn wineserver(wine: &Path) -> PathBuf {
    let name = if wine.ends_with("wine64") {
        "wineserver64"
    } else {
        "wineserver"
    };
    wine.with_file_name(name)
}

fn lock() -> MutexGuard<'static, ()> {
    PREFIX_LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// The policy value under HKCU (shared by both registry views).
#[derive(Clone, Copy, Debug)]
enum PolicyValue {
    Absent,
    Dword(u32),
    /// A REG_SZ "1": not a valid setting (the default applies).
    InvalidString,
}

fn set_policy(e: &Env, v: PolicyValue) {
    match v {
        PolicyValue::Absent => {
            // Fails when already absent: check the outcome instead.
            let _ = wine_quiet(
                &e.wine,
                &e.run_dir,
                &[
                    "reg",
                    "delete",
                    POLICY_KEY,
                    "/v",
                    "FastShutdownBehavior",
                    "/f",
                ],
            );
            let (present, _) = wine_quiet(
                &e.wine,
                &e.run_dir,
                &["reg", "query", POLICY_KEY, "/v", "FastShutdownBehavior"],
            );
            assert!(!present, "FastShutdownBehavior still set");
        }
        PolicyValue::Dword(n) => reg(
            &e.wine,
            &e.run_dir,
            &[
                "add",
                POLICY_KEY,
                "/v",
                "FastShutdownBehavior",
                "/t",
                "REG_DWORD",
                "/d",
                &n.to_string(),
                "/f",
            ],
        ),
        PolicyValue::InvalidString => reg(
            &e.wine,
            &e.run_dir,
            &[
                "add",
                POLICY_KEY,
                "/v",
                "FastShutdownBehavior",
                "/t",
                "REG_SZ",
                "/d",
                "1",
                "/f",
            ],
        ),
    }
}

fn policy_value(p: Policy) -> PolicyValue {
    match p {
        Policy::OptOut => PolicyValue::Dword(0),
        Policy::OptIn => PolicyValue::Dword(1),
        Policy::Disabled => PolicyValue::Dword(2),
    }
}

/// A running fixture client: stdout lines with their arrival time.
struct Running {
    child: Child,
    stderr: PathBuf,
    lines: mpsc::Receiver<(Instant, String)>,
    log: PathBuf,
    started: Instant,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(
    e: &Env,
    arch: &str,
    client: Client,
    args: &[&str],
    extra_env: &[(&str, &str)],
) -> Running {
    let n = RUN_COUNTER.fetch_add(1, Ordering::SeqCst);
    let log = e
        .run_dir
        .join(format!("run-{n}-{arch}-{}.log", client.exe()));
    let stderr = log.with_extension("err");
    let err_file = std::fs::File::create(&stderr).expect("create the stderr file");
    let exe = e.fixtures.join(arch).join(client.exe());
    let mut cmd = wine_cmd(&e.wine);
    cmd.arg(&exe)
        .args(args)
        .env("MAPIFX_PROFILES", &e.profiles_win)
        .env("MAPIFX_LOG", winpath(&log))
        .env_remove("MAPIFX_SLOW_MS")
        .envs(extra_env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(err_file);
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|err| panic!("cannot start {} {}: {err}", e.wine.display(), exe.display()));
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let line = line.trim_end_matches('\r').to_string();
            if tx.send((Instant::now(), line)).is_err() {
                break;
            }
        }
    });
    Running {
        child,
        stderr,
        lines: rx,
        log,
        started,
    }
}

struct Finished {
    status: ExitStatus,
    lines: Vec<(Instant, String)>,
    stderr: String,
    log: Vec<String>,
    elapsed: Duration,
}

impl Finished {
    fn stdout(&self) -> Vec<String> {
        self.lines.iter().map(|(_, l)| l.clone()).collect()
    }
    fn at(&self, line: &str) -> Instant {
        self.lines
            .iter()
            .find(|(_, l)| l == line)
            .unwrap_or_else(|| panic!("no stdout line {line:?} in {:#?}", self.stdout()))
            .0
    }
}

fn read_log(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

/// Waits for the client to exit within RUN_BOUND (killed and failed after).
fn finish(mut r: Running) -> Finished {
    let deadline = r.started + RUN_BOUND;
    let status = loop {
        if let Some(s) = r.child.try_wait().expect("try_wait") {
            break s;
        }
        assert!(
            Instant::now() < deadline,
            "the client did not exit within {RUN_BOUND:?} (killed); log: {:#?}",
            read_log(&r.log)
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = r.started.elapsed();
    if std::env::var_os("MAPIFX_TEST_TIMES").is_some() {
        eprintln!("run {} took {elapsed:?}", r.log.display());
    }
    let stderr = std::fs::read_to_string(&r.stderr).unwrap_or_default();
    // Every line was written before the exit; Wine's services may hold the
    // pipe open longer, so do not wait for its end.
    let mut lines = Vec::new();
    while let Ok(l) = r.lines.recv_timeout(Duration::from_millis(500)) {
        lines.push(l);
    }
    Finished {
        status,
        lines,
        stderr,
        log: read_log(&r.log),
        elapsed,
    }
}

fn run(e: &Env, arch: &str, client: Client, args: &[&str]) -> Finished {
    finish(start(e, arch, client, args, &[]))
}

/// The provider-call lines of the subsystem's log (`provider N METHOD ...`
/// for the three shutdown methods), in order.
fn provider_calls(log: &[String]) -> Vec<String> {
    log.iter()
        .filter(|l| {
            l.starts_with("provider ")
                && [
                    "QueryFastShutdown",
                    "NotifyProcessShutdown",
                    "DoFastShutdown",
                ]
                .iter()
                .any(|m| l.split(' ').nth(2) == Some(*m))
        })
        .cloned()
        .collect()
}

/// The rule itself, checked on the log independently of the model: inside
/// each client call, within each session, providers are called transport,
/// then address book, then store.
fn assert_kind_order_within_sessions(log: &[String], ctx: &str) {
    let mut last: Vec<(u32, usize)> = Vec::new(); // (session, rank) per client call
    for l in log {
        if l.starts_with("client ") && l.contains(" enter") {
            last.clear();
            continue;
        }
        if !(l.starts_with("provider ") && l.contains(" enter session=")) {
            continue;
        }
        let field = |k: &str| {
            l.split(' ')
                .find_map(|w| w.strip_prefix(k))
                .unwrap_or_else(|| panic!("{ctx}: no {k} in {l}"))
                .to_string()
        };
        let session: u32 = field("session=").parse().expect("session id");
        let rank = ["transport", "address-book", "message-store"]
            .iter()
            .position(|k| *k == field("kind="))
            .expect("kind");
        if let Some((_, prev)) = last.iter().find(|(s, _)| *s == session) {
            assert!(
                *prev <= rank,
                "{ctx}: session {session} called a {} after a later kind: {log:#?}",
                field("kind=")
            );
        }
        last.retain(|(s, _)| *s != session);
        last.push((session, rank));
    }
}

fn not_run() -> bool {
    if env().is_none() {
        eprintln!(
            "not run: set {FIXTURES_ENV} to the fixtures built by fixtures/native/build.sh, and WINEPREFIX to a WoW64 prefix (scripts/check stage 8)"
        );
        return true;
    }
    false
}

const ARCHES: [&str; 2] = ["x64", "x86"];

// --- the tests ---------------------------------------------------------------

/// Every client x every policy x three profile sets (mixed providers; a
/// legacy provider without the interface; two sessions), in both bitnesses:
/// the client's calls and HRESULTs, and the subsystem's provider calls.
#[test]
fn each_client_under_each_policy_in_both_bitnesses() {
    if not_run() {
        return;
    }
    let e = env().expect("env");
    let _g = lock();
    let sets: [&[&str]; 3] = [&["Mixed"], &["Legacy"], &["Exchange", "Archive"]];
    let mut fast_paths = 0;
    for policy in [Policy::OptOut, Policy::OptIn, Policy::Disabled] {
        set_policy(e, policy_value(policy));
        for arch in ARCHES {
            for client in [Client::Outlook, Client::Mfcmapi, Client::LeakMapi] {
                for profiles in sets {
                    let ctx = format!("{arch} {} {} {profiles:?}", client.exe(), policy.name());
                    let f = run(e, arch, client, profiles);
                    let (want_out, want_calls) = expect(client, policy, profiles, false, false);
                    assert_eq!(f.stdout(), want_out, "{ctx}: stdout; stderr: {}", f.stderr);
                    assert_eq!(f.status.code(), Some(0), "{ctx}: exit code");
                    assert!(
                        f.log.contains(&format!(
                            "policy FastShutdownBehavior={} effective={}",
                            policy_value_digit(policy),
                            policy.name()
                        )),
                        "{ctx}: policy line: {:#?}",
                        f.log
                    );
                    assert_eq!(provider_calls(&f.log), want_calls, "{ctx}: provider calls");
                    assert_kind_order_within_sessions(&f.log, &ctx);
                    if want_out
                        .iter()
                        .any(|l| l.starts_with("CALL DoFastShutdown"))
                    {
                        fast_paths += 1;
                        // Nothing after DoFastShutdown: no Release, no
                        // MAPIUninitialize.
                        assert_eq!(
                            f.log.last().map(String::as_str),
                            Some("client DoFastShutdown -> 0x00000000"),
                            "{ctx}: a MAPI call after DoFastShutdown"
                        );
                    } else {
                        assert_eq!(
                            f.log.last().map(String::as_str),
                            Some("client MAPIUninitialize -> 0x00000000"),
                            "{ctx}"
                        );
                    }
                }
            }
        }
    }
    // Opt-out lets Legacy and Exchange+Archive through, opt-in only
    // Exchange+Archive: 3 clients x 2 bitnesses x 3 fast cases.
    assert_eq!(fast_paths, 18, "fast paths taken");
}

fn policy_value_digit(p: Policy) -> &'static str {
    match p {
        Policy::OptOut => "0",
        Policy::OptIn => "1",
        Policy::Disabled => "2",
    }
}

/// Literal expectations for a few cases, written from docs/domain.md by
/// hand (a check on the model above).
#[test]
fn hand_written_cases() {
    if not_run() {
        return;
    }
    let e = env().expect("env");
    let _g = lock();
    for arch in ARCHES {
        // Opt-in, a provider without the interface (Legacy: provider 1 the
        // address book, 2 the store, 3 the transport): the subsystem asks
        // the transport then the store, and refuses; Outlook stops there.
        set_policy(e, PolicyValue::Dword(1));
        let f = run(e, arch, Client::Outlook, &["Legacy"]);
        assert_eq!(
            f.stdout(),
            [
                "CALL MAPIInitialize 0x00000000",
                "CALL MAPILogonEx Legacy 0x00000000",
                "CALL QueryInterface(IID_IMAPIClientShutdown) 0x00000000",
                "CALL QueryFastShutdown 0x80040102",
                "CALL Release IMAPIClientShutdown",
                "CALL Release session 1",
                "CALL MAPIUninitialize",
                "EXIT 0",
            ],
            "{arch}"
        );
        assert_eq!(
            provider_calls(&f.log),
            [
                "provider 3 QueryFastShutdown enter session=1 kind=transport",
                "provider 3 QueryFastShutdown -> 0x00000000",
                "provider 2 QueryFastShutdown enter session=1 kind=message-store",
                "provider 2 QueryFastShutdown -> 0x00000000",
            ],
            "{arch}"
        );
        assert!(
            f.log.iter().any(|l| l.starts_with(
                "provider 1 load session=1 kind=address-book dll=fxp_noiface.dll implements=no"
            )),
            "{arch}: {:#?}",
            f.log
        );

        // Disabled: MFCMAPI still notifies (providers are called), and no
        // provider is queried.
        set_policy(e, PolicyValue::Dword(2));
        let f = run(e, arch, Client::Mfcmapi, &["Exchange", "Archive"]);
        assert_eq!(
            f.stdout()[4..7],
            [
                "CALL QueryFastShutdown 0x80040102",
                "CALL NotifyProcessShutdown 0x00000000",
                "CALL Release IMAPIClientShutdown",
            ],
            "{arch}"
        );
        // Transports of both sessions (ids 3 and 4), address books (2, 6),
        // stores (1, 5).
        let ids: Vec<String> = provider_calls(&f.log)
            .iter()
            .filter(|l| l.contains(" enter "))
            .map(|l| l.split(' ').nth(1).unwrap_or_default().to_string())
            .collect();
        assert_eq!(ids, ["3", "4", "2", "6", "1", "5"], "{arch}: {:#?}", f.log);
        assert!(
            provider_calls(&f.log)
                .iter()
                .all(|l| l.contains("NotifyProcessShutdown")),
            "{arch}"
        );
    }
}

/// Absent and invalid policy data mean opt-out: Legacy (a provider without
/// the interface) then gets fast shutdown.
#[test]
fn absent_or_invalid_policy_is_opt_out() {
    if not_run() {
        return;
    }
    let e = env().expect("env");
    let _g = lock();
    for (value, raw) in [
        (PolicyValue::Absent, "absent"),
        (PolicyValue::InvalidString, "invalid"),
        (PolicyValue::Dword(7), "invalid"),
    ] {
        set_policy(e, value);
        for arch in ARCHES {
            let f = run(e, arch, Client::Outlook, &["Legacy"]);
            let (want, _) = expect(Client::Outlook, Policy::OptOut, &["Legacy"], false, false);
            assert_eq!(f.stdout(), want, "{arch} {value:?}");
            assert!(
                f.log.contains(&format!(
                    "policy FastShutdownBehavior={raw} effective=opt-out"
                )),
                "{arch} {value:?}: {:#?}",
                f.log
            );
        }
    }
}

/// Calls a careful client does not make, answered as the rules say: Do
/// after a failed query (disabled: MAPI_E_NO_SUPPORT, no provider called;
/// opt-in: providers told anyway), and every call after DoFastShutdown
/// failing with MAPI_E_CALL_FAILED, MAPILogonEx included.
#[test]
fn careless_clients_get_the_documented_answers() {
    if not_run() {
        return;
    }
    let e = env().expect("env");
    let _g = lock();
    for arch in ARCHES {
        for policy in [Policy::Disabled, Policy::OptIn] {
            set_policy(e, policy_value(policy));
            for client in [Client::Outlook, Client::LeakMapi] {
                let ctx = format!(
                    "{arch} {} {} --ignore-query-error",
                    client.exe(),
                    policy.name()
                );
                let f = run(e, arch, client, &["--ignore-query-error", "Mixed"]);
                let (want, calls) = expect(client, policy, &["Mixed"], true, false);
                assert_eq!(f.stdout(), want, "{ctx}");
                assert_eq!(provider_calls(&f.log), calls, "{ctx}");
                if policy == Policy::Disabled {
                    assert!(
                        want.contains(&"CALL DoFastShutdown 0x80040102".to_string()),
                        "{ctx}"
                    );
                    assert!(
                        !f.log
                            .iter()
                            .any(|l| l.contains("provider") && l.contains("DoFastShutdown")),
                        "{ctx}: a provider's DoFastShutdown was called while disabled"
                    );
                }
            }
        }
        set_policy(e, PolicyValue::Dword(0));
        let f = run(e, arch, Client::Outlook, &["--mapi-after-do", "Exchange"]);
        let (want, calls) = expect(Client::Outlook, Policy::OptOut, &["Exchange"], false, true);
        assert_eq!(f.stdout(), want, "{arch} --mapi-after-do");
        assert_eq!(provider_calls(&f.log), calls, "{arch} --mapi-after-do");
        let tail: Vec<&str> = f.log.iter().rev().take(2).map(String::as_str).collect();
        assert_eq!(
            tail,
            [
                "client MAPIUninitialize -> 0x80004005",
                "client MAPIUninitialize enter"
            ],
            "{arch}: MAPIUninitialize after DoFastShutdown"
        );
        assert!(
            !f.log.iter().any(|l| l.starts_with("session 2")),
            "{arch}: MAPILogonEx opened a session after DoFastShutdown"
        );
    }
}

/// An unknown profile: MAPI_E_NOT_FOUND, no session, exit 2 naming it; no
/// profile at all: a usage error.
#[test]
fn unknown_profile_and_usage_errors() {
    if not_run() {
        return;
    }
    let e = env().expect("env");
    let _g = lock();
    for arch in ARCHES {
        let f = run(e, arch, Client::Mfcmapi, &["NoSuchProfile"]);
        assert_eq!(f.status.code(), Some(2), "{arch}");
        assert_eq!(
            f.stdout(),
            [
                "CALL MAPIInitialize 0x00000000".to_string(),
                format!("CALL MAPILogonEx NoSuchProfile 0x{MAPI_E_NOT_FOUND:08X}"),
            ],
            "{arch}"
        );
        assert!(f.stderr.contains("0x8004010F"), "{arch}: {}", f.stderr);
        assert!(!f.log.iter().any(|l| l.starts_with("session ")), "{arch}");
        let f = run(e, arch, Client::Outlook, &[]);
        assert_eq!(f.status.code(), Some(2), "{arch}");
        assert!(f.stderr.contains("usage"), "{arch}: {}", f.stderr);
        assert!(f.stdout().is_empty(), "{arch}");
    }
}

/// --wait-before-logon / --wait-before-shutdown stop where they say, until
/// a line comes on stdin.
#[test]
fn wait_points() {
    if not_run() {
        return;
    }
    let e = env().expect("env");
    let _g = lock();
    set_policy(e, PolicyValue::Dword(0));
    for arch in ARCHES {
        let mut r = start(
            e,
            arch,
            Client::Outlook,
            &["--wait-before-logon", "--wait-before-shutdown", "Exchange"],
            &[],
        );
        let (_, l) = r.lines.recv_timeout(RUN_BOUND).expect("READY");
        let pid = r.child.id();
        assert!(l.starts_with("READY pid="), "{arch}: {l}");
        std::thread::sleep(Duration::from_millis(300));
        assert!(
            read_log(&r.log).is_empty(),
            "{arch}: MAPI called before the line"
        );
        assert!(
            r.child.try_wait().expect("try_wait").is_none(),
            "{arch}: {pid} exited"
        );
        let mut stdin = r.child.stdin.take().expect("stdin");
        writeln!(stdin, "go").expect("write");
        let (_, l) = r.lines.recv_timeout(RUN_BOUND).expect("MAPIInitialize");
        assert_eq!(l, "CALL MAPIInitialize 0x00000000", "{arch}");
        let (_, l) = r.lines.recv_timeout(RUN_BOUND).expect("logon");
        assert_eq!(l, "CALL MAPILogonEx Exchange 0x00000000", "{arch}");
        let (_, l) = r.lines.recv_timeout(RUN_BOUND).expect("LOGGED-ON");
        assert!(l.starts_with("LOGGED-ON pid="), "{arch}: {l}");
        std::thread::sleep(Duration::from_millis(300));
        assert!(
            !read_log(&r.log)
                .iter()
                .any(|l| l.contains("QueryFastShutdown")),
            "{arch}: shutdown began before the line"
        );
        writeln!(stdin, "go").expect("write");
        drop(stdin);
        let f = finish(r);
        assert_eq!(f.status.code(), Some(0), "{arch}");
        assert_eq!(
            f.stdout().last().map(String::as_str),
            Some("EXIT 0"),
            "{arch}"
        );
    }
}

/// A slow store delays DoFastShutdown by at least MAPIFX_SLOW_MS (and by
/// the default 300 ms when unset).
#[test]
fn slow_provider_delays_do_fast_shutdown() {
    if not_run() {
        return;
    }
    let e = env().expect("env");
    let _g = lock();
    set_policy(e, PolicyValue::Dword(0));
    for arch in ARCHES {
        for (slow, env_ms) in [(1500u64, Some("1500")), (300, None)] {
            let extra: Vec<(&str, &str)> =
                env_ms.map(|v| ("MAPIFX_SLOW_MS", v)).into_iter().collect();
            let f = finish(start(e, arch, Client::Outlook, &["Slow"], &extra));
            let (want, calls) = expect(Client::Outlook, Policy::OptOut, &["Slow"], false, false);
            assert_eq!(f.stdout(), want, "{arch}");
            assert_eq!(provider_calls(&f.log), calls, "{arch}");
            let took = f
                .at("CALL DoFastShutdown 0x00000000")
                .duration_since(f.at("CALL NotifyProcessShutdown 0x00000000"));
            assert!(
                took >= Duration::from_millis(slow),
                "{arch}: DoFastShutdown took {took:?}, expected at least {slow} ms"
            );
            assert!(f.elapsed >= Duration::from_millis(slow), "{arch}");
        }
    }
}

/// A store hanging in DoFastShutdown keeps the client from exiting: the
/// transport (called first) returned, the store entered and never came
/// back, the client never printed DoFastShutdown's answer. Killed after a
/// bound.
#[test]
fn hanging_provider_keeps_the_client_alive() {
    if not_run() {
        return;
    }
    let e = env().expect("env");
    let _g = lock();
    set_policy(e, PolicyValue::Dword(0));
    for arch in ARCHES {
        let mut r = start(e, arch, Client::Outlook, &["Hang"], &[]);
        // Provider 1 is the store (fxp_hang), provider 2 the transport.
        let entered = "provider 1 DoFastShutdown enter session=1 kind=message-store";
        let deadline = Instant::now() + RUN_BOUND;
        while !read_log(&r.log).iter().any(|l| l == entered) {
            assert!(
                Instant::now() < deadline,
                "{arch}: the store's DoFastShutdown never began: {:#?}",
                read_log(&r.log)
            );
            assert!(
                r.child.try_wait().expect("try_wait").is_none(),
                "{arch}: exited before DoFastShutdown: {:#?}",
                read_log(&r.log)
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let bound = Duration::from_secs(3);
        std::thread::sleep(bound);
        assert!(
            r.child.try_wait().expect("try_wait").is_none(),
            "{arch}: the client exited although a provider hangs in DoFastShutdown"
        );
        let log = read_log(&r.log);
        assert!(
            log.contains(&"provider 2 DoFastShutdown -> 0x00000000".to_string()),
            "{arch}: {log:#?}"
        );
        assert!(
            !log.iter()
                .any(|l| l.starts_with("provider 1 DoFastShutdown ->")
                    || l.starts_with("client DoFastShutdown ->")),
            "{arch}: {log:#?}"
        );
        let mut seen = Vec::new();
        while let Ok((_, l)) = r.lines.try_recv() {
            seen.push(l);
        }
        assert_eq!(
            seen.last().map(String::as_str),
            Some("CALL NotifyProcessShutdown 0x00000000"),
            "{arch}: {seen:#?}"
        );
        r.child.kill().expect("kill the hung client");
        let status = r.child.wait().expect("wait");
        assert!(!status.success(), "{arch}: {status}");
    }
}
