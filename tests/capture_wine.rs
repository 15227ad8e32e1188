//! Real capture under Wine, 64-bit and 32-bit (issue "Real capture";
//! docs/capture.md): the Windows build of `mapi-shutdown capture launch`
//! and `capture attach` put the capture agent into the native fixture
//! clients (fixtures/native: Outlook, MFCMAPI's "Fast shutdown", LeakMAPI),
//! which reach the fixture subsystem through Wine's `mapi32.dll` stub; the
//! Windows build of `watch` is the monitor. Each verdict is the one the
//! rules imply for the fixture's providers and policy (written here from
//! docs/domain.md, never copied from a run), and the client behaves the
//! same, to the `HRESULT` and the exit code, with and without the agent.
//!
//! Needs a WoW64 Wine prefix (`WINEPREFIX`), the fixtures
//! (`MAPI_SHUTDOWN_NATIVE_FIXTURES`, build.sh's OUTDIR) and the capture
//! files (`MAPI_SHUTDOWN_CAPTURE_DIR`: `mapi-shutdown.exe`, both agents and
//! both helpers): `scripts/check` stage 8 sets them and fails if this test
//! printed `not run:`. Without them it says so and passes.

#![cfg(target_os = "linux")]

mod wine_support;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard, mpsc};
use std::time::Duration;

use serde_json::Value;
use wine_support::{Run, register_subsystem, run_bounded, set_policy, wait_bounded, wine, winpath};

const FIXTURES_ENV: &str = "MAPI_SHUTDOWN_NATIVE_FIXTURES";
const CAPTURE_ENV: &str = "MAPI_SHUTDOWN_CAPTURE_DIR";
/// The longest one Wine program may run here.
const BOUND: Duration = Duration::from_secs(90);

/// The profiles every run can log on to (fixture subsystem format,
/// docs/native-fixtures.md), in load order.
const PROFILES: &str = "\
[Good]
message-store fxp_supports.dll Personal Folders
transport fxp_supports.dll Internet Mail
address-book fxp_noiface.dll Legacy Address Book

[Mixed]
transport fxp_supports.dll Internet Mail
message-store fxp_optout.dll Contoso Archive Vault

[Hang]
transport fxp_supports.dll Internet Mail
message-store fxp_hang.dll Stuck Store
";

/// Wine shares one registry (the policy) between the tests: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

struct Env {
    fixtures: PathBuf,
    capture: PathBuf,
    dir: tempfile::TempDir,
    endpoint: String,
    _serial: MutexGuard<'static, ()>,
}

fn env(test: &str) -> Option<Env> {
    let (Some(fixtures), Some(capture)) = (
        std::env::var_os(FIXTURES_ENV),
        std::env::var_os(CAPTURE_ENV),
    ) else {
        eprintln!(
            "not run: set {FIXTURES_ENV} (fixtures/native/build.sh OUTDIR), {CAPTURE_ENV} (the capture files) and WINEPREFIX (scripts/check stage 8)"
        );
        return None;
    };
    let serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let fixtures = PathBuf::from(fixtures);
    register_subsystem(&fixtures);
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("profiles.ini"), PROFILES).expect("profiles");
    Some(Env {
        fixtures,
        capture: PathBuf::from(capture),
        endpoint: format!("capture-test-{}-{test}", std::process::id()),
        dir,
        _serial: serial,
    })
}

impl Env {
    /// A Wine command with the fixtures' and the monitor's environment.
    fn wine(&self, program: &Path) -> Command {
        let mut c = Command::new(wine());
        c.arg(winpath(program))
            .env("WINEDEBUG", "-all")
            .env(
                "MAPIFX_PROFILES",
                winpath(&self.dir.path().join("profiles.ini")),
            )
            .env("MAPI_SHUTDOWN_ENDPOINT", &self.endpoint)
            .env("MAPI_SHUTDOWN_AGENT_DIR", winpath(&self.capture))
            .env("MAPI_SHUTDOWN_LANG", "en")
            .env_remove("MAPI_SHUTDOWN_SPOOL_DIR");
        c
    }

    fn exe(&self) -> PathBuf {
        self.capture.join("mapi-shutdown.exe")
    }

    fn client(&self, bits: u32, client: &str) -> PathBuf {
        let arch = if bits == 32 { "x86" } else { "x64" };
        self.fixtures.join(arch).join(format!("fx_{client}.exe"))
    }

    /// `watch --json --count 1` (and `--out FILE`), once it listens.
    fn watch(&self, out: Option<&Path>) -> Child {
        let mut c = self.wine(&self.exe());
        c.args(["watch", "--json", "--count", "1", "--timeout", "80"]);
        if let Some(out) = out {
            c.arg("--out").arg(winpath(out));
        }
        let mut child = c
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start watch under Wine");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if line.contains("watching") {
                    let _ = tx.send(());
                }
            }
        });
        rx.recv_timeout(BOUND)
            .expect("the Windows watch did not start listening under Wine");
        child
    }

    fn capture_launch(&self, bits: u32, client: &str, args: &[&str]) -> Run {
        let mut c = self.wine(&self.exe());
        c.args(["capture", "launch", "--"])
            .arg(winpath(&self.client(bits, client)))
            .args(args);
        run_bounded(&mut c, BOUND)
    }
}

/// The one JSON verdict `watch --json --count 1` printed.
fn verdict(watch: Child) -> Value {
    let run = wait_bounded(watch, BOUND);
    assert_eq!(run.code(), 0, "watch failed: {}", run.stderr);
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with('{'))
        .unwrap_or_else(|| panic!("no verdict from watch; stderr:\n{}", run.stderr));
    serde_json::from_str(line).expect("watch --json line")
}

/// The client's own account of its calls: its `CALL …` lines.
fn calls(run: &Run) -> Vec<String> {
    run.stdout
        .lines()
        .filter(|l| l.starts_with("CALL "))
        .map(str::to_string)
        .collect()
}

const S_OK: &str = "0x00000000";
const NO_SUPPORT: &str = "0x80040102";

/// What the rules say for the `Good` profile (a transport and a store that
/// support fast shutdown, an address book without `IMAPIProviderShutdown`):
/// opt-out answers `S_OK` (a provider without the interface does not
/// block), opt-in and disabled `MAPI_E_NO_SUPPORT` ("Fast Shutdown User
/// Options"). Then each client as it really behaves (docs/domain.md, "Best
/// practices"): Outlook stops on an error, MFCMAPI notifies anyway, LeakMAPI
/// never notifies. Returns (client's shutdown calls, outcome, a finding
/// kind that must be there).
fn expected(client: &str, policy: u32) -> (Vec<String>, &'static str, Option<&'static str>) {
    let query = if policy == 0 { S_OK } else { NO_SUPPORT };
    let fast = query == S_OK;
    let mut calls = vec![format!("CALL QueryFastShutdown {query}")];
    let notify = match client {
        "outlook" => fast,
        "mfcmapi" => true,
        _ => false,
    };
    if notify {
        calls.push(format!("CALL NotifyProcessShutdown {S_OK}"));
    }
    if fast {
        calls.push(format!("CALL DoFastShutdown {S_OK}"));
    }
    let finding = (client == "mfcmapi" && !fast).then_some("ignored-query-error");
    (calls, if fast { "fast" } else { "normal" }, finding)
}

fn shutdown_calls(run: &Run) -> Vec<String> {
    calls(run)
        .into_iter()
        .filter(|c| {
            [
                "QueryFastShutdown",
                "NotifyProcessShutdown",
                "DoFastShutdown",
            ]
            .iter()
            .any(|m| c.starts_with(&format!("CALL {m} ")))
        })
        .collect()
}

#[test]
fn launch_captures_every_client_under_every_policy_in_both_bitnesses() {
    let Some(env) = env("launch") else {
        return;
    };
    for bits in [64, 32] {
        for policy in [0, 1, 2] {
            set_policy(Some(policy));
            for client in ["outlook", "mfcmapi", "leakmapi"] {
                let case = format!("{bits}-bit {client}, FastShutdownBehavior={policy}");
                let watch = env.watch(None);
                let run = env.capture_launch(bits, client, &["Good"]);
                assert_eq!(run.code(), 0, "{case}: {}{}", run.stdout, run.stderr);
                assert!(
                    run.stdout.contains(&format!("{bits}-bit) from its start")),
                    "{case}: {}",
                    run.stdout
                );
                let v = verdict(watch);
                let (want_calls, outcome, finding) = expected(client, policy);
                assert_eq!(
                    shutdown_calls(&run),
                    want_calls,
                    "{case}: the client's calls"
                );
                assert_eq!(v["outcome"], outcome, "{case}: {v}");
                assert_eq!(v["closed"], true, "{case}: {v}");
                assert_eq!(v["process"], format!("fx_{client}.exe"), "{case}: {v}");
                // The agent read the subsystem's file version (16.0.4500)
                // and so the policy of Office 16.0, which the reason names.
                assert_eq!(v["office_version"], "16.0", "{case}: {v}");
                assert!(
                    v["reason"]
                        .as_str()
                        .is_some_and(|r| r.contains(&format!("FastShutdownBehavior={policy}"))),
                    "{case}: {v}"
                );
                let kinds: Vec<&str> = v["findings"]
                    .as_array()
                    .map(|f| f.iter().filter_map(|x| x["kind"].as_str()).collect())
                    .unwrap_or_default();
                if let Some(kind) = finding {
                    assert!(kinds.contains(&kind), "{case}: {kind} missing in {v}");
                }
                assert!(!kinds.contains(&"provider-order"), "{case}: {v}");
                assert!(!kinds.contains(&"dropped-events"), "{case}: {v}");
            }
        }
    }
    set_policy(None);
}

/// The host-unchanged proof: the same client, profile and policy give the
/// same calls, `HRESULT`s, order and exit code with and without the agent,
/// as the client sees them (its `CALL` lines) and as the subsystem and the
/// providers do (the fixture subsystem's own log, `MAPIFX_LOG`: every call
/// it received or made, provider loading, `QueryInterface` results). No
/// monitor listens: the agent's writes go nowhere and must not delay or
/// alter anything.
#[test]
fn the_client_behaves_the_same_with_and_without_the_agent() {
    let Some(env) = env("same") else {
        return;
    };
    for bits in [64, 32] {
        for (policy, profile) in [(0, "Good"), (0, "Mixed"), (1, "Good"), (2, "Mixed")] {
            set_policy(Some(policy));
            for client in ["outlook", "mfcmapi", "leakmapi"] {
                let case = format!("{bits}-bit {client}, {profile}, FastShutdownBehavior={policy}");
                let log = |name: &str| {
                    env.dir
                        .path()
                        .join(format!("{name}-{bits}-{client}-{profile}-{policy}.log"))
                };
                let (log_without, log_with) = (log("without"), log("with"));
                let without = run_bounded(
                    env.wine(&env.client(bits, client))
                        .env("MAPIFX_LOG", winpath(&log_without))
                        .arg(profile),
                    BOUND,
                );
                let with = run_bounded(
                    env.wine(&env.exe())
                        .env("MAPIFX_LOG", winpath(&log_with))
                        .args(["capture", "launch", "--"])
                        .arg(winpath(&env.client(bits, client)))
                        .arg(profile),
                    BOUND,
                );
                assert_eq!(with.code(), without.code(), "{case}: exit code");
                assert!(!calls(&without).is_empty(), "{case}: {}", without.stdout);
                assert_eq!(calls(&with), calls(&without), "{case}: calls and HRESULTs");
                let read = |p: &Path| {
                    std::fs::read_to_string(p)
                        .unwrap_or_else(|e| panic!("{case}: {}: {e}", p.display()))
                };
                let (subsystem_without, subsystem_with) = (read(&log_without), read(&log_with));
                assert!(
                    subsystem_without.contains("provider 1 load"),
                    "{case}: {subsystem_without}"
                );
                assert_eq!(
                    subsystem_with, subsystem_without,
                    "{case}: what the subsystem and the providers did and answered"
                );
            }
        }
    }
    set_policy(None);
}

#[test]
fn a_late_attach_sees_the_sessions_opened_after_it() {
    let Some(env) = env("attach") else {
        return;
    };
    set_policy(Some(0));
    for bits in [64, 32] {
        let rec = env.dir.path().join(format!("attach-{bits}.jsonl"));
        let watch = env.watch(Some(&rec));
        let mut client = env
            .wine(&env.client(bits, "outlook"))
            .args(["--wait-before-logon", "Good"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the client");
        let mut stdout = BufReader::new(client.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("READY line");
        let pid: u32 = line
            .trim()
            .strip_prefix("READY pid=")
            .unwrap_or_else(|| panic!("{bits}-bit: expected READY pid=…, got {line:?}"))
            .parse()
            .expect("pid");
        let attach = run_bounded(
            env.wine(&env.exe())
                .args(["capture", "attach", &pid.to_string()]),
            BOUND,
        );
        assert_eq!(
            attach.code(),
            0,
            "{bits}-bit attach: {}{}",
            attach.stdout,
            attach.stderr
        );
        assert!(attach.stdout.contains("Late attach"), "{}", attach.stdout);
        // A second agent (attach again) stands down: the trace stays one.
        let again = run_bounded(
            env.wine(&env.exe())
                .args(["capture", "attach", &pid.to_string()]),
            BOUND,
        );
        assert_eq!(
            again.code(),
            0,
            "{bits}-bit second attach: {}",
            again.stderr
        );
        client
            .stdin
            .take()
            .expect("stdin")
            .write_all(b"\n")
            .expect("resume the client");
        let rest = {
            let mut s = String::new();
            let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
            s
        };
        let status = client.wait().expect("client exit");
        assert!(status.success(), "{bits}-bit client: {rest}");
        let v = verdict(watch);
        assert_eq!(v["outcome"], "fast", "{bits}-bit: {v}");
        let text = std::fs::read_to_string(&rec).expect("recording");
        let hellos: Vec<Value> = text
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|v| v["line"]["type"] == "hello")
            .collect();
        assert_eq!(hellos.len(), 1, "{bits}-bit: one stream, one hello: {text}");
        let capture = &hellos[0]["line"]["capture"];
        assert_eq!(capture["attach"], "late", "{capture}");
        assert_eq!(capture["bits"], bits, "{capture}");
        assert_eq!(capture["subsystem_version"], "16.0.4500.1000", "{capture}");
        assert_eq!(capture["office_version_known"], true, "{capture}");
        let sessions = text
            .lines()
            .filter(|l| l.contains(r#""type":"session""#))
            .count();
        assert_eq!(sessions, 1, "{bits}-bit: {text}");
    }
    set_policy(None);
}

/// A provider hangs in `DoFastShutdown` and the client is killed there:
/// everything before the kill reaches the monitor and the verdict is a
/// data-loss risk ("Best Practices for Fast Shutdown": the process ended
/// before every provider returned).
#[test]
fn a_client_killed_during_do_fast_shutdown_is_a_data_loss_risk() {
    let Some(env) = env("kill") else {
        return;
    };
    set_policy(Some(0));
    for bits in [64, 32] {
        let watch = env.watch(None);
        let mut launch = env
            .wine(&env.exe())
            .args(["capture", "launch", "--"])
            .arg(winpath(&env.client(bits, "outlook")))
            .arg("Hang")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("capture launch");
        let stdout = BufReader::new(launch.stdout.take().expect("stdout"));
        let mut pid = None;
        for line in stdout.lines().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("capturing ") {
                pid = rest
                    .split("(pid ")
                    .nth(1)
                    .and_then(|s| s.split(',').next())
                    .and_then(|s| s.parse::<u32>().ok());
            }
            if line.starts_with("CALL NotifyProcessShutdown") {
                break;
            }
        }
        let pid = pid.expect("capture launch names the client's pid");
        // DoFastShutdown is next and never returns: give it time to start.
        std::thread::sleep(Duration::from_millis(1500));
        let kill = run_bounded(
            Command::new(wine())
                .args(["taskkill", "/f", "/pid", &pid.to_string()])
                .env("WINEDEBUG", "-all"),
            BOUND,
        );
        assert_eq!(kill.code(), 0, "taskkill: {}{}", kill.stdout, kill.stderr);
        let _ = wait_bounded(launch, BOUND);
        let v = verdict(watch);
        assert_eq!(v["outcome"], "data-loss-risk", "{bits}-bit: {v}");
    }
    set_policy(None);
}

/// With no monitor, a spool directory (MAPI_SHUTDOWN_SPOOL_DIR) receives
/// the trace, which `analyze` reads.
#[test]
fn with_no_monitor_the_trace_is_spooled() {
    let Some(env) = env("spool") else {
        return;
    };
    set_policy(Some(0));
    let spool = env.dir.path().join("spool");
    std::fs::create_dir(&spool).expect("spool dir");
    for bits in [64, 32] {
        let mut c = env.wine(&env.exe());
        c.env("MAPI_SHUTDOWN_SPOOL_DIR", winpath(&spool))
            .args(["capture", "launch", "--"])
            .arg(winpath(&env.client(bits, "leakmapi")))
            .arg("Good");
        let run = run_bounded(&mut c, BOUND);
        assert_eq!(run.code(), 0, "{bits}-bit: {}", run.stderr);
    }
    let out = Command::new(env!("CARGO_BIN_EXE_mapi-shutdown"))
        .args(["analyze", "--json"])
        .arg(&spool)
        .output()
        .expect("analyze");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let sessions = doc["sessions"].as_array().expect("sessions");
    assert_eq!(sessions.len(), 2, "{doc}");
    for s in sessions {
        assert_eq!(s["outcome"], "fast", "{s}");
        assert_eq!(s["process"], "fx_leakmapi.exe", "{s}");
    }
    set_policy(None);
}

/// A capture's records, from a `watch --out` recording (one stream).
fn recorded_records(path: &Path) -> Vec<mapi_shutdown::trace::Record> {
    std::fs::read_to_string(path)
        .expect("recording")
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| serde_json::from_value(v["line"].clone()).ok())
        .collect()
}

/// What a trace says happened, without what may differ between our
/// subsystem and a captured one (times, ids, display names, the policy's
/// source): each call in stream order with its caller, method, MAPI
/// session, the provider's kind and DLL, the client call it is nested in,
/// and its `HRESULT`.
fn normalized(records: &[mapi_shutdown::trace::Record]) -> Vec<String> {
    use mapi_shutdown::trace::Record;
    use std::collections::HashMap;
    let providers: HashMap<u32, (String, String)> = records
        .iter()
        .filter_map(|r| match r {
            Record::Provider(p) => Some((p.provider, (p.kind.to_string(), p.dll.clone()))),
            _ => None,
        })
        .collect();
    let mut methods = HashMap::new();
    let mut results = HashMap::new();
    for r in records {
        if let Record::Exit(x) = r {
            results.insert(x.call, x.hresult.hex());
        }
    }
    let mut out = Vec::new();
    for r in records {
        if let Record::Enter(e) = r {
            methods.insert(e.call, e.method.as_str());
            let provider = e
                .provider
                .and_then(|p| providers.get(&p))
                .map(|(k, d)| format!(" {k} {d}"))
                .unwrap_or_default();
            let parent = e
                .parent
                .and_then(|p| methods.get(&p))
                .map(|m| format!(" under {m}"))
                .unwrap_or_default();
            out.push(format!(
                "{:?} {} session={:?}{provider}{parent} -> {}",
                e.caller,
                e.method.as_str(),
                e.session,
                results.get(&e.call).map_or("(no exit)", String::as_str)
            ));
        }
    }
    out
}

/// The differential test: the same shutdown run by `simulate` (our
/// subsystem) and by the native fixtures under capture gives the same
/// normalized trace (calls, order within each MAPI session, nesting,
/// `HRESULT`s) and the same verdict (outcome, findings).
#[test]
fn simulate_and_a_capture_of_the_same_shutdown_agree() {
    let Some(env) = env("differential") else {
        return;
    };
    for (client, exe, on_query_error) in [
        ("outlook", "fx_outlook.exe", "stop"),
        ("mfcmapi", "fx_mfcmapi.exe", "notify-only"),
    ] {
        // The `Good` profile, as a scenario: same load order, same DLLs.
        let scenario = env.dir.path().join(format!("{client}.toml"));
        std::fs::write(
            &scenario,
            format!(
                r#"name = "differential-{client}"
[client]
exe = "{exe}"
office_version = "16.0"
on_query_error = "{on_query_error}"

[[sessions]]
profile = "Good"

[[sessions.providers]]
name = "Personal Folders"
kind = "message-store"
dll = "fxp_supports.dll"

[[sessions.providers]]
name = "Internet Mail"
kind = "transport"
dll = "fxp_supports.dll"

[[sessions.providers]]
name = "Legacy Address Book"
kind = "address-book"
dll = "fxp_noiface.dll"
shutdown = "not-implemented"
"#
            ),
        )
        .expect("scenario");
        for policy in [0u32, 1, 2] {
            for bits in [64, 32] {
                let case = format!("{bits}-bit {client}, FastShutdownBehavior={policy}");
                set_policy(Some(policy));
                let rec = env
                    .dir
                    .path()
                    .join(format!("diff-{client}-{policy}-{bits}.jsonl"));
                let watch = env.watch(Some(&rec));
                let run = env.capture_launch(bits, client, &["Good"]);
                assert_eq!(run.code(), 0, "{case}: {}", run.stderr);
                let captured_verdict = verdict(watch);

                let trace = env
                    .dir
                    .path()
                    .join(format!("sim-{client}-{policy}-{bits}.jsonl"));
                let sim = Command::new(env!("CARGO_BIN_EXE_mapi-shutdown"))
                    .arg("simulate")
                    .arg(&scenario)
                    .args(["--fast-shutdown-behavior", &policy.to_string(), "--json"])
                    .arg("--trace-out")
                    .arg(&trace)
                    .env("MAPI_SHUTDOWN_ENDPOINT", format!("{}-nobody", env.endpoint))
                    .env("MAPI_SHUTDOWN_LANG", "en")
                    .env_remove("MAPI_SHUTDOWN_SPOOL_DIR")
                    .output()
                    .expect("simulate");
                assert!(
                    sim.status.success(),
                    "{case}: {}",
                    String::from_utf8_lossy(&sim.stderr)
                );
                let simulated_verdict: Value = serde_json::from_slice(&sim.stdout).expect("JSON");
                let simulated = mapi_shutdown::trace::codec::read_all(std::io::BufReader::new(
                    std::fs::File::open(&trace).expect("simulate's trace"),
                ))
                .expect("simulate's trace reads");
                let captured = recorded_records(&rec);
                assert_eq!(normalized(&captured), normalized(&simulated), "{case}");
                assert!(!normalized(&captured).is_empty(), "{case}");
                let findings = |v: &Value| -> Vec<(String, String)> {
                    v["findings"]
                        .as_array()
                        .map(|f| {
                            f.iter()
                                .map(|x| (x["kind"].to_string(), x["severity"].to_string()))
                                .collect()
                        })
                        .unwrap_or_default()
                };
                // `simulate --json` carries the one verdict shape at its top.
                assert!(captured_verdict["outcome"].is_string(), "{case}");
                assert_eq!(
                    captured_verdict["outcome"], simulated_verdict["outcome"],
                    "{case}"
                );
                assert_eq!(
                    findings(&captured_verdict),
                    findings(&simulated_verdict),
                    "{case}"
                );
            }
        }
    }
    set_policy(None);
}

/// The monitor goes away while a captured client runs: the client's
/// shutdown goes on as without the agent (same calls and `HRESULT`s, exit
/// code 0), its writes failing quietly.
#[test]
fn the_monitor_killed_mid_capture_does_not_disturb_the_client() {
    let Some(env) = env("monitor-killed") else {
        return;
    };
    set_policy(Some(0));
    for bits in [64, 32] {
        let mut watch = env.watch(None);
        let mut launch = env
            .wine(&env.exe())
            .args(["capture", "launch", "--"])
            .arg(winpath(&env.client(bits, "outlook")))
            .args(["--wait-before-shutdown", "Good"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("capture launch");
        let mut stdout = BufReader::new(launch.stdout.take().expect("stdout"));
        let mut seen = Vec::new();
        loop {
            let mut line = String::new();
            if stdout.read_line(&mut line).expect("read") == 0 {
                panic!("{bits}-bit: the client ended before logging on: {seen:?}");
            }
            let logged_on = line.starts_with("LOGGED-ON");
            seen.push(line);
            if logged_on {
                break;
            }
        }
        let _ = watch.kill();
        let _ = watch.wait();
        launch
            .stdin
            .take()
            .expect("stdin")
            .write_all(b"\n")
            .expect("let the client shut down");
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut rest).expect("rest of the output");
        let run = wait_bounded(launch, BOUND);
        assert_eq!(run.code(), 0, "{bits}-bit: {rest}{}", run.stderr);
        let calls: Vec<&str> = rest.lines().filter(|l| l.starts_with("CALL ")).collect();
        assert_eq!(
            calls
                .iter()
                .filter(|c| c.contains("FastShutdown") || c.contains("NotifyProcessShutdown"))
                .copied()
                .collect::<Vec<_>>(),
            [
                "CALL QueryFastShutdown 0x00000000",
                "CALL NotifyProcessShutdown 0x00000000",
                "CALL DoFastShutdown 0x00000000"
            ],
            "{bits}-bit: {rest}"
        );
    }
    set_policy(None);
}

/// `capture launch --watch` is its own monitor: it prints the client's
/// verdict as `watch` does, on a private endpoint (no `watch` running).
#[test]
fn launch_with_watch_prints_the_verdict() {
    let Some(env) = env("launch-watch") else {
        return;
    };
    set_policy(Some(0));
    for bits in [64, 32] {
        let mut c = env.wine(&env.exe());
        c.args(["capture", "launch", "--watch", "--"])
            .arg(winpath(&env.client(bits, "outlook")))
            .arg("Good");
        let run = run_bounded(&mut c, BOUND);
        assert_eq!(run.code(), 0, "{bits}-bit: {}{}", run.stdout, run.stderr);
        let verdict = run
            .stdout
            .lines()
            .find(|l| l.starts_with("fx_outlook.exe (pid") && l.contains(": fast in"))
            .unwrap_or_else(|| {
                panic!(
                    "{bits}-bit: no verdict line:\n{}\n{}",
                    run.stdout, run.stderr
                )
            });
        assert!(verdict.contains("connection 1"), "{verdict}");
        assert!(
            run.stdout
                .contains("policy: FastShutdownBehavior=0 (opt-out) for Office 16.0"),
            "{}",
            run.stdout
        );
    }
    set_policy(None);
}
