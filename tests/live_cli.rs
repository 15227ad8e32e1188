//! Live capture through the real binaries: a `watch --json --out` child
//! process on a fresh endpoint receiving 16 concurrent `simulate`
//! processes over the shipped scenarios, each session's verdict checked
//! against what its scenario implies and against `analyze` of the
//! recording; a killed client; `simulate` with no monitor (dropping, or
//! spooling for `analyze DIR`); a second `watch` on a live endpoint; a bad
//! file for `analyze`.
//!
//! Every wait is bounded by a generous deadline; nothing asserts timing.
//!
//! Unix only: these tests name the endpoint by a socket path in a temp
//! directory and wait for the socket file to appear. On Windows the
//! endpoint is a named pipe (no file to wait for, and a path is not a pipe
//! name), so this file does not run in the Wine stage; the pipe endpoint,
//! the monitor and the socket sink are exercised there by
//! `tests/monitor_ipc.rs`.

#![cfg(unix)]

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_mapi-shutdown");

/// Generous bound for anything that should take a second or two.
const PATIENCE: Duration = Duration::from_secs(30);

fn scenarios() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/scenarios");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    v.sort();
    v
}

/// `mapi-shutdown` on `endpoint`, no spool directory, an empty registry.
fn bin(endpoint: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env("MAPI_SHUTDOWN_ENDPOINT", endpoint)
        .env_remove("MAPI_SHUTDOWN_SPOOL_DIR")
        .env("MAPI_SHUTDOWN_REGISTRY", "memory");
    cmd
}

/// Wait for `child` to exit, killing it after [`PATIENCE`]; its stdout and
/// stderr (read on threads so that pipes never fill).
fn finish(mut child: Child) -> (Option<i32>, String, String) {
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_t = thread::spawn(move || {
        let mut s = String::new();
        out.read_to_string(&mut s).unwrap();
        s
    });
    let err_t = thread::spawn(move || {
        let mut s = String::new();
        err.read_to_string(&mut s).unwrap();
        s
    });
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            let _ = child.wait();
            panic!(
                "child did not exit in time; stderr: {}",
                err_t.join().unwrap()
            );
        }
        thread::sleep(Duration::from_millis(20));
    };
    (status.code(), out_t.join().unwrap(), err_t.join().unwrap())
}

fn wait_for_socket(path: &Path) {
    let deadline = Instant::now() + PATIENCE;
    while !path.exists() {
        assert!(
            Instant::now() < deadline,
            "{} never appeared",
            path.display()
        );
        thread::sleep(Duration::from_millis(10));
    }
}

/// What the scenario file implies under the default policy (opt-out).
fn check_verdict(scenario: &str, s: &Value) {
    let outcome = s["outcome"].as_str().unwrap();
    let kinds: Vec<&str> = s["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    let expected = match scenario {
        "outlook-2016-exchange-pst-oab"
        | "legacy-provider-no-interface"
        | "large-profile"
        | "slow-store-do-fast-shutdown"
        | "mapi-call-after-do-fast-shutdown" => "fast",
        "third-party-store-opts-out" | "mfcmapi-notify-only" => "normal",
        "client-ignores-query-error" | "killed-during-do-fast-shutdown" => "data-loss-risk",
        other => panic!("no expectation for scenario {other}"),
    };
    assert_eq!(outcome, expected, "{scenario}: {s:#}");
    assert_eq!(s["closed"], Value::Bool(true), "{scenario}: {s:#}");
    match scenario {
        // 400 ms in DoFastShutdown: a finding only if it went over the
        // 500 ms threshold (a loaded machine).
        "slow-store-do-fast-shutdown" if kinds.contains(&"slow-provider") => {
            assert!(s["duration_ms"].as_f64().unwrap() > 500.0, "{s:#}");
        }
        "mfcmapi-notify-only" => {
            let f = s["findings"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["kind"] == "ignored-query-error")
                .unwrap_or_else(|| panic!("{s:#}"));
            assert_eq!(f["severity"], "warning", "{s:#}");
        }
        "mapi-call-after-do-fast-shutdown" => {
            assert!(kinds.contains(&"call-after-do-fast-shutdown"), "{s:#}");
        }
        "killed-during-do-fast-shutdown" => {
            assert!(kinds.contains(&"process-exited-during-shutdown"), "{s:#}");
        }
        _ => {}
    }
}

#[test]
fn watch_receives_sixteen_concurrent_clients_and_analyze_agrees() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("m.sock");
    let rec = dir.path().join("rec.jsonl");
    let watch = bin(&socket)
        .args([
            "watch",
            "--json",
            "--count",
            "16",
            "--timeout",
            "25",
            "--out",
        ])
        .arg(&rec)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_socket(&socket);

    // A second monitor on the live endpoint fails, naming it.
    let second = bin(&socket).arg("watch").output().unwrap();
    assert_eq!(second.status.code(), Some(1));
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(
        err.contains("another monitor") && err.contains(&socket.display().to_string()),
        "{err}"
    );

    let all = scenarios();
    assert!(all.len() >= 9, "{all:?}");
    let mut clients = Vec::new();
    for i in 0..16 {
        let scenario = all[i % all.len()].clone();
        let child = bin(&socket)
            .args(["simulate", "--json"])
            .arg(&scenario)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        clients.push((scenario, child));
    }
    // pid -> scenario name
    let mut by_pid: HashMap<u64, String> = HashMap::new();
    for (scenario, child) in clients {
        let pid = u64::from(child.id());
        let name = scenario.file_stem().unwrap().to_string_lossy().to_string();
        let (code, out, err) = finish(child);
        let summary: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
        if name == "killed-during-do-fast-shutdown" {
            assert_eq!(code, Some(137), "{err}");
        } else {
            assert_eq!(code, Some(0), "{name}: {err}");
            assert_eq!(summary["trace"]["delivery"]["to"], "monitor", "{out}");
        }
        by_pid.insert(pid, name);
    }

    let (code, out, err) = finish(watch);
    assert_eq!(code, Some(0), "{err}");
    let live: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(live.len(), 16, "{out}\n{err}");
    let mut live_by_pid = HashMap::new();
    for s in &live {
        let pid = s["pid"].as_u64().unwrap();
        let name = by_pid
            .get(&pid)
            .unwrap_or_else(|| panic!("unknown pid {pid}: {s:#}"));
        check_verdict(name, s);
        for field in ["process", "session", "reason", "duration_ms"] {
            assert!(s.get(field).is_some(), "{field} in {s:#}");
        }
        live_by_pid.insert(pid, s.clone());
    }
    assert_eq!(live_by_pid.len(), 16);

    // The recording gives the same verdicts.
    let analyzed = Command::new(BIN)
        .args(["analyze", "--json"])
        .arg(&rec)
        .output()
        .unwrap();
    assert!(
        analyzed.status.success(),
        "{}",
        String::from_utf8_lossy(&analyzed.stderr)
    );
    let doc: Value = serde_json::from_slice(&analyzed.stdout).unwrap();
    let sessions = doc["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 16);
    for s in sessions {
        let pid = s["pid"].as_u64().unwrap();
        let l = &live_by_pid[&pid];
        for field in ["outcome", "reason", "process", "session", "findings"] {
            assert_eq!(s[field], l[field], "{field} of pid {pid}");
        }
    }

    // The killed client's events up to the kill were kept.
    let recording = mapi_shutdown::monitor::read_recording(&rec).unwrap();
    let killed_pid = by_pid
        .iter()
        .find(|(_, n)| n.as_str() == "killed-during-do-fast-shutdown")
        .map(|(p, _)| *p)
        .unwrap();
    let stream = recording
        .streams
        .iter()
        .find(|s| {
            s.records.iter().any(|r| {
                matches!(r, mapi_shutdown::trace::Record::Hello(h) if u64::from(h.pid) == killed_pid)
            })
        })
        .unwrap();
    assert!(stream.closed);
    assert!(stream.records.iter().any(|r| matches!(
        r,
        mapi_shutdown::trace::Record::Enter(e)
            if e.method == mapi_shutdown::trace::Method::DoFastShutdown
    )));
    assert_eq!(live_by_pid[&killed_pid]["outcome"], "data-loss-risk");
}

#[test]
fn without_a_monitor_simulate_drops_or_spools_and_analyze_reads_the_spool() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("none.sock");
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/scenarios/third-party-store-opts-out.toml");

    let out = bin(&socket)
        .arg("simulate")
        .arg(&scenario)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("no monitor is listening") && text.contains("dropped"),
        "{text}"
    );

    let spool = dir.path().join("spool");
    let out = bin(&socket)
        .env("MAPI_SHUTDOWN_SPOOL_DIR", &spool)
        .args(["simulate", "--json"])
        .arg(&scenario)
        .output()
        .unwrap();
    assert!(out.status.success());
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["trace"]["delivery"]["to"], "spooled", "{summary:#}");

    let analyzed = Command::new(BIN)
        .args(["analyze", "--json"])
        .arg(&spool)
        .output()
        .unwrap();
    assert!(analyzed.status.success());
    let doc: Value = serde_json::from_slice(&analyzed.stdout).unwrap();
    let sessions = doc["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 1, "{doc:#}");
    assert_eq!(sessions[0]["outcome"], "normal");
    assert_eq!(sessions[0]["process"], summary["client"]["exe"]);

    // Human output: one block per session.
    let human = Command::new(BIN)
        .arg("analyze")
        .arg(&spool)
        .output()
        .unwrap();
    assert!(human.status.success());
    assert!(String::from_utf8_lossy(&human.stdout).contains(": normal"));
}

#[test]
fn analyze_names_a_bad_file_and_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "this is not json\n").unwrap();
    let out = Command::new(BIN).arg("analyze").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&bad.display().to_string()) && err.contains("line 1"),
        "{err}"
    );
    // The decoder's reason speaks the run's language too (the JSON
    // parser's own words inside stay as serde wrote them).
    for (lang, want) in [
        ("fr", "ligne 1 : pas un enregistrement valide"),
        ("zh-CN", "第 1 行：不是有效的记录"),
    ] {
        let out = Command::new(BIN)
            .env("MAPI_SHUTDOWN_LANG", lang)
            .arg("analyze")
            .arg(&bad)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(want) && !err.contains("invalid record"),
            "{lang}: {err}"
        );
    }
}

/// Ctrl-C (SIGINT) on a running `watch`: it stops the monitor, prints the
/// completed session and the one still connected (as `in-progress`), says
/// it was interrupted, exits 130, and leaves a complete recording.
#[test]
fn watch_stops_cleanly_on_sigint() {
    use std::io::{BufRead, BufReader, Write};
    use std::os::unix::net::UnixStream;

    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("m.sock");
    let rec = dir.path().join("rec.jsonl");
    let mut watch = bin(&socket)
        .args(["watch", "--timeout", "25", "--out"])
        .arg(&rec)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Stdout lines as they come, so the test knows what `watch` has seen.
    let (line_tx, line_rx) = std::sync::mpsc::channel::<String>();
    let stdout = watch.stdout.take().unwrap();
    let out_t = thread::spawn(move || {
        let mut all = String::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            all.push_str(&line);
            all.push('\n');
            let _ = line_tx.send(line);
        }
        all
    });
    let wait_line = |what: &str| {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match line_rx.recv_timeout(left) {
                Ok(line) if line.contains(what) => return,
                Ok(_) => {}
                Err(e) => panic!("watch never printed {what:?}: {e}"),
            }
        }
    };
    wait_for_socket(&socket);

    // One session that completes...
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/scenarios/outlook-2016-exchange-pst-oab.toml");
    let sim = bin(&socket)
        .arg("simulate")
        .arg(&scenario)
        .output()
        .unwrap();
    assert!(
        sim.status.success(),
        "{}",
        String::from_utf8_lossy(&sim.stderr)
    );
    wait_line(": fast");

    // ...and one still connected, in the middle of QueryFastShutdown: the
    // fixture's header, declarations and first call, and no more.
    let fixture = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/trace-v1.jsonl"),
    )
    .unwrap();
    let head: String = fixture.lines().take(8).map(|l| format!("{l}\n")).collect();
    assert!(head.contains("\"method\":\"QueryFastShutdown\""), "{head}");
    let mut open_client = UnixStream::connect(&socket).unwrap();
    open_client.write_all(head.as_bytes()).unwrap();
    wait_line(&format!(
        "OUTLOOK.EXE (pid {}) connected",
        std::process::id()
    ));

    // SAFETY: kill has no memory-safety preconditions; the pid is our child's.
    let rc = unsafe { libc::kill(watch.id() as libc::pid_t, libc::SIGINT) };
    assert_eq!(rc, 0, "kill: {}", std::io::Error::last_os_error());

    let mut err = String::new();
    let mut stderr = watch.stderr.take().unwrap();
    let err_t = thread::spawn(move || {
        stderr.read_to_string(&mut err).unwrap();
        err
    });
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(status) = watch.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            watch.kill().unwrap();
            let _ = watch.wait();
            panic!("watch did not exit after SIGINT");
        }
        thread::sleep(Duration::from_millis(20));
    };
    drop(open_client);
    let out = out_t.join().unwrap();
    let err = err_t.join().unwrap();
    assert_eq!(status.code(), Some(130), "{out}\n{err}");
    assert!(err.contains("interrupted"), "{err}");
    // The open session, with its verdict so far, then the summary line.
    // The raw client is this test process: the OS's pid is shown, and the
    // pid its hello claims beside it.
    let label = format!(
        "OUTLOOK.EXE (pid {}; its trace claims pid 4242)",
        std::process::id()
    );
    let open_block = out
        .split(&format!("{label}, connection "))
        .nth(1)
        .unwrap_or_else(|| panic!("no verdict for the open session:\n{out}"));
    assert!(open_block.contains(": in-progress"), "{out}");
    assert!(open_block.contains("QueryFastShutdown is running"), "{out}");
    assert!(
        out.trim_end().lines().last().unwrap().starts_with(&format!(
            "interrupted: 1 session completed, 1 still connected ({label})"
        )),
        "{out}"
    );

    // The recording is complete: both streams, each closed.
    let recording = mapi_shutdown::monitor::read_recording(&rec).unwrap();
    assert_eq!(recording.streams.len(), 2, "{recording:?}");
    assert!(recording.streams.iter().all(|s| s.closed));
    let open = recording
        .streams
        .iter()
        .find(|s| {
            s.records
                .iter()
                .any(|r| matches!(r, mapi_shutdown::trace::Record::Hello(h) if h.pid == 4242))
        })
        .unwrap();
    assert_eq!(open.records.len(), 8);
    let analyzed = Command::new(BIN)
        .args(["analyze", "--json"])
        .arg(&rec)
        .output()
        .unwrap();
    assert!(analyzed.status.success());
    let doc: Value = serde_json::from_slice(&analyzed.stdout).unwrap();
    let outcomes: Vec<&str> = doc["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["outcome"].as_str().unwrap())
        .collect();
    assert!(outcomes.contains(&"fast"), "{doc:#}");
    // The file says the stream ended (closed by the stop) mid-Query.
    assert!(outcomes.contains(&"incomplete"), "{doc:#}");
}

/// `watch` says once that it listens and once that it records (the
/// monitor's own start lines are not repeated after ours).
#[test]
fn watch_says_once_that_it_listens_and_records() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("m.sock");
    let rec = dir.path().join("rec.jsonl");
    let child = bin(&socket)
        .env("MAPI_SHUTDOWN_LANG", "en")
        .args(["watch", "--timeout", "1", "--out"])
        .arg(&rec)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (code, _out, err) = finish(child);
    assert_eq!(code, Some(0), "{err}");
    let mentions = |what: &Path| {
        err.lines()
            .filter(|l| l.contains(&what.display().to_string()))
            .count()
    };
    assert_eq!(mentions(&socket), 1, "the endpoint once:\n{err}");
    assert_eq!(mentions(&rec), 1, "the recording once:\n{err}");
}

/// Issue 17, items 12 and 13: the monitor's log lines that `watch`
/// prints are in the user's language (they were English in every
/// language), and `watch` tells the monitor's own start lines (that it
/// listens, that it records) by their kind, not by their English words:
/// in French and Chinese too it says each once.
#[test]
fn watch_prints_the_monitor_log_in_the_language_and_its_start_once() {
    for (lang, connected) in [
        ("fr", "connexion 1\u{a0}: client connecté"),
        ("zh-CN", "连接 1：客户端已连接"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("m.sock");
        let rec = dir.path().join("rec.jsonl");
        let child = bin(&socket)
            .env("MAPI_SHUTDOWN_LANG", lang)
            .args(["watch", "--timeout", "2", "--out"])
            .arg(&rec)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        wait_for_socket(&socket);
        {
            let _client = std::os::unix::net::UnixStream::connect(&socket).unwrap();
            thread::sleep(Duration::from_millis(300));
        }
        let (code, _out, err) = finish(child);
        assert_eq!(code, Some(0), "{err}");
        assert!(err.contains(connected), "{lang}:\n{err}");
        assert!(!err.contains("client connected"), "{lang}:\n{err}");
        let mentions = |what: &Path| {
            err.lines()
                .filter(|l| l.contains(&what.display().to_string()))
                .count()
        };
        assert_eq!(mentions(&socket), 1, "{lang}: the endpoint once:\n{err}");
        assert_eq!(mentions(&rec), 1, "{lang}: the recording once:\n{err}");
    }
}

/// `watch --event-log` has no Windows Event Log to write to here: refused
/// as usage (exit 2) before listening, saying what to use instead.
#[test]
fn watch_event_log_is_refused_off_windows() {
    let dir = tempfile::tempdir().unwrap();
    let endpoint = dir.path().join("ep/mapi.sock");
    let out = bin(&endpoint)
        .env("MAPI_SHUTDOWN_LANG", "en")
        .args(["watch", "--event-log", "--timeout", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the Windows Event Log exists only on Windows") && err.contains("--json"),
        "{err}"
    );
    assert!(!endpoint.exists(), "it did not start listening");
}
