//! The Live panel on the real application (egui_kittest) with an
//! in-process monitor on a fresh endpoint: shipped scenarios run by the
//! real `mapi-shutdown simulate` (one through the panel's "Run scenario"
//! button) arrive as sessions with the verdicts their scenarios imply;
//! clicking a session shows its verdict and findings; a finding selects its
//! calls; a recorded trace opens through the (scripted) file dialog.
//! Unix only: the endpoint is a socket path in a private temporary
//! directory (the Windows pipe is covered by tests/monitor_ipc.rs).

#![cfg(all(unix, feature = "gui"))]

mod ui_support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mapi_shutdown::monitor::analysis::Outcome;
use mapi_shutdown::monitor::store::ConnState;
use mapi_shutdown::trace::Endpoint;
use mapi_shutdown::ui::App;
use mapi_shutdown::ui::tasks::TaskKind;
use ui_support::{Fixture, live_config, settle};

fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/scenarios")
        .join(format!("{name}.toml"))
}

/// Step until the Live panel lists a closed session (the monitor's
/// reader thread delivers it); panics after `ui_support::STEP_TIMEOUT`.
fn wait_for_a_closed_session(h: &mut Harness<'static, App>) {
    ui_support::step_until(h, "a closed session", |app| {
        app.live()
            .sessions()
            .iter()
            .any(|s| s.state == ConnState::Closed)
    });
}

#[test]
fn scenarios_stream_in_with_their_verdicts_and_a_click_explains_one() {
    let fx = Fixture::new();
    let (config, endpoint) = live_config(fx.dir.path());
    let mut h = fx.harness_with_live(config);
    h.get_by_label("Live").click();
    h.run();
    h.get_by_label_contains("Listening on");

    let expected = [
        ("third-party-store-opts-out", Outcome::Normal),
        ("client-ignores-query-error", Outcome::DataLossRisk),
        ("outlook-2016-exchange-pst-oab", Outcome::Fast),
    ];
    let mut pids = Vec::new();
    for (name, outcome) in expected {
        let child = Command::new(env!("CARGO_BIN_EXE_mapi-shutdown"))
            .args(["--registry", "memory", "--endpoint", &endpoint, "simulate"])
            .arg(scenario(name))
            .output()
            .unwrap();
        assert!(child.status.success(), "{name}: {child:?}");
        pids.push((name, outcome));
    }
    // The fourth through the panel's button (its default scenario).
    h.get_by_label("▶ Run scenario").click();
    h.step();

    let deadline = Instant::now() + ui_support::STEP_TIMEOUT;
    loop {
        // step, not run: the monitor's wake-ups keep requesting frames.
        h.step();
        let live = h.state().live();
        let closed = live
            .sessions()
            .iter()
            .filter(|s| s.state == ConnState::Closed)
            .count();
        if closed >= 4 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "sessions so far: {:?}",
            live.sessions()
                .iter()
                .map(|s| (&s.process, s.verdict.outcome))
                .collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    let sessions = h.state().live().sessions().to_vec();
    let count = |o: Outcome| sessions.iter().filter(|s| s.verdict.outcome == o).count();
    assert_eq!(count(Outcome::Fast), 2, "{sessions:#?}");
    assert_eq!(count(Outcome::Normal), 1);
    assert_eq!(count(Outcome::DataLossRisk), 1);

    // Click the data-loss-risk session: its reason and findings show.
    let risky = sessions
        .iter()
        .find(|s| s.verdict.outcome == Outcome::DataLossRisk)
        .unwrap();
    let pid = risky.pid.unwrap();
    h.get_by_label_contains(&format!("pid {pid}: data-loss risk"))
        .click();
    h.run();
    assert_eq!(
        h.state()
            .live()
            .selected()
            .iter()
            .copied()
            .collect::<Vec<_>>(),
        vec![risky.conn]
    );
    h.get_by_label("✖ DATA-LOSS RISK");
    h.get_by_label_contains(&risky.verdict.reason[1..]);
    let finding = &risky.verdict.findings[0];
    let finding_label = format!("✖ {} — {}", finding.kind.as_str(), finding.message);
    h.get_by_label(&finding_label).click();
    h.run();
    let chosen: Vec<u64> = h.state().live().calls_selected().iter().copied().collect();
    let mut want = finding.calls.clone();
    want.sort_unstable();
    assert_eq!(chosen, want);
    assert!(!chosen.is_empty());

    // Save what was received; a new window opens it with the same verdicts.
    let saved = fx.dir.path().join("saved.jsonl");
    fx.dialogs.answer(Some(saved.clone()));
    h.get_by_label("💾 Save recording…").click();
    settle(&mut h);
    h.get_by_label_contains("Saved 4 sessions");
    let fx2 = Fixture::new();
    let (mut config2, _) = live_config(fx2.dir.path());
    config2.endpoint = Err("not listening".into());
    let mut h2 = fx2.harness_with_live(config2);
    h2.state_mut().live_mut().open(&saved);
    let mut before: Vec<_> = sessions
        .iter()
        .map(|s| (s.pid, s.verdict.outcome, s.verdict.reason.clone()))
        .collect();
    let mut after: Vec<_> = h2
        .state()
        .live()
        .sessions()
        .iter()
        .map(|s| (s.pid, s.verdict.outcome, s.verdict.reason.clone()))
        .collect();
    before.sort_by_key(|b| b.0);
    after.sort_by_key(|a| a.0);
    assert_eq!(after, before);
    let analyzed = Command::new(env!("CARGO_BIN_EXE_mapi-shutdown"))
        .args(["analyze", "--json"])
        .arg(&saved)
        .output()
        .unwrap();
    assert!(analyzed.status.success(), "{analyzed:?}");

    // The policy link leads to the Policy panel.
    h.get_by_label("Change it in the Policy panel").click();
    h.run();
    assert_eq!(h.state().state().tab, mapi_shutdown::ui::Tab::Policy);
}

/// The Live panel of a window whose monitor could not listen (files only).
fn offline_live_panel(fx: &Fixture) -> Harness<'static, App> {
    let (mut config, _) = live_config(fx.dir.path());
    config.endpoint = Err("not listening in this test".to_string());
    let mut h = fx.harness_with_live(config);
    h.get_by_label("Live").click();
    h.run();
    h
}

#[test]
fn a_recorded_trace_opens_like_live_data() {
    let fx = Fixture::new();
    let mut h = offline_live_panel(&fx);
    h.get_by_label_contains("No session yet.");
    fx.dialogs.answer(Some(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/live/third-party-store-opts-out.jsonl"),
    ));
    h.get_by_label("📂 Open recording…").click();
    settle(&mut h);
    let sessions = h.state().live().sessions().to_vec();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].verdict.outcome, Outcome::Normal);
    h.get_by_label_contains("Opened");
    h.get_by_label("ℹ NORMAL");

    // A file that is not a trace says why and changes nothing.
    let bad = fx.dir.path().join("bad.jsonl");
    std::fs::write(&bad, "this is not json\n").unwrap();
    fx.dialogs.answer(Some(bad));
    h.get_by_label("📂 Open recording…").click();
    settle(&mut h);
    h.get_by_label_contains("bad.jsonl cannot be opened");
    assert_eq!(h.state().live().sessions().len(), 1);
}

/// Opening reads the file on a task's thread: a file whose reading blocks
/// (a FIFO nobody writes to yet) leaves the window drawing, with the task
/// named in the status bar, and its sessions arrive once it is read.
/// (Before the task registry, the click's frame blocked in `read`.)
#[test]
fn opening_a_file_reads_it_off_the_ui_thread() {
    let fx = Fixture::new();
    let mut h = offline_live_panel(&fx);
    let fifo = fx.dir.path().join("slow.jsonl");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let trace = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/live/third-party-store-opts-out.jsonl"),
    )
    .unwrap();
    // Should the UI thread block on the FIFO after all, this writer
    // unblocks it after 15 s (with nothing), and the asserts below fail
    // instead of the test hanging.
    let written = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    {
        let (fifo, written) = (fifo.clone(), std::sync::Arc::clone(&written));
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(15));
            if !written.load(std::sync::atomic::Ordering::SeqCst) {
                let _ = std::fs::OpenOptions::new().write(true).open(&fifo);
            }
        });
    }
    fx.dialogs.answer(Some(fifo.clone()));
    let clicked = Instant::now();
    h.get_by_label("📂 Open recording…").click();
    h.run_steps(2);
    assert!(clicked.elapsed() < Duration::from_secs(10));
    assert_eq!(h.state().tasks().running().len(), 1);
    h.get_by_label("Working: slow.jsonl");
    assert!(h.state().live().sessions().is_empty());
    written.store(true, std::sync::atomic::Ordering::SeqCst);
    std::fs::write(&fifo, &trace).unwrap();
    settle(&mut h);
    let sessions = h.state().live().sessions().to_vec();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].verdict.outcome, Outcome::Normal);
    h.get_by_label_contains("Opened");
}

#[test]
fn the_endpoint_in_use_is_reported_and_the_panel_still_opens_files() {
    let fx = Fixture::new();
    let (config, name) = live_config(fx.dir.path());
    let endpoint = Endpoint::from_name(Some(&name)).unwrap();
    let other = mapi_shutdown::monitor::server::Monitor::start(&endpoint, Default::default(), None)
        .unwrap();
    let h = fx.harness_with_live(config);
    h.get_by_label_contains("Endpoint in use by another monitor");
    other.shutdown();
}

/// A client whose trace claims another pid than the OS reported is listed
/// under the OS's pid, and its verdict card says what it claimed (issue
/// 17: names from the peer, not from the claim).
#[test]
fn a_client_claiming_another_pid_is_shown_with_the_os_pid_and_the_claim() {
    use std::io::Write;
    let fx = Fixture::new();
    let (config, endpoint) = live_config(fx.dir.path());
    let mut h = fx.harness_with_live(config);
    h.get_by_label("Live").click();
    h.run();
    let fixture = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/trace-v1.jsonl"),
    )
    .unwrap();
    assert!(
        fixture.contains("\"pid\":4242"),
        "the fixture's hello claims 4242"
    );
    let mut client = std::os::unix::net::UnixStream::connect(&endpoint).unwrap();
    client.write_all(fixture.as_bytes()).unwrap();
    drop(client);
    let me = std::process::id();
    wait_for_a_closed_session(&mut h);
    h.run_steps(2);
    let s = h.state().live().sessions()[0].clone();
    assert_eq!((s.pid, s.claimed_pid), (Some(me), Some(4242)));
    h.get_by_label(&format!(
        "⚠ Its trace claims pid 4242; the OS reports pid {me} (shown)."
    ));
}

/// Record (Ctrl+R or the button) writes everything received from then on
/// to the file the (scripted) save dialog names, in the `watch --out`
/// format; Stop ends it and says where it is.
#[test]
fn record_writes_what_arrives_until_stopped() {
    let fx = Fixture::new();
    let (config, endpoint) = live_config(fx.dir.path());
    let mut h = fx.harness_with_live(config);
    h.get_by_label("Live").click();
    h.run();
    let recording = fx.dir.path().join("recorded.jsonl");
    fx.dialogs.answer(Some(recording.clone()));
    h.get_by_label("⏺ Record…").click();
    settle(&mut h);
    assert_eq!(h.state().live().recording(), Some(recording.as_path()));
    h.get_by_label_contains("REC recorded.jsonl");

    let run = Command::new(env!("CARGO_BIN_EXE_mapi-shutdown"))
        .args(["--registry", "memory", "--endpoint", &endpoint, "simulate"])
        .arg(scenario("third-party-store-opts-out"))
        .output()
        .unwrap();
    assert!(run.status.success(), "{run:?}");
    wait_for_a_closed_session(&mut h);
    h.get_by_label("⏹ Stop recording").click();
    h.step();
    h.step();
    assert_eq!(h.state().live().recording(), None);
    h.get_by_label_contains("Recording stopped;");

    let rec = mapi_shutdown::monitor::read_recording(&recording).unwrap();
    assert_eq!(rec.streams.len(), 1, "{rec:?}");
    let trace =
        mapi_shutdown::monitor::analysis::ProcessTrace::from_records(&rec.streams[0].records);
    let shown = &h.state().live().sessions()[0];
    assert_eq!(&trace, shown.trace.as_ref());
    assert_eq!(shown.verdict.outcome, Outcome::Normal);
}

/// Switching the language at run time relabels the panel: French, then
/// Chinese (a CJK font is loaded by the window).
#[test]
fn the_panel_speaks_french_and_chinese() {
    use mapi_shutdown::i18n::{Lang, set_thread_lang};
    let fx = Fixture::new();
    let mut h = offline_live_panel(&fx);
    h.get_by_label("📂 Open recording…");

    set_thread_lang(Some(Lang::Fr));
    h.run();
    h.get_by_label("📂 Ouvrir un enregistrement…");
    h.get_by_label("Séquences d’arrêt en direct");
    h.get_by_label_contains("Aucune session pour l’instant.");
    fx.dialogs.answer(Some(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/live/third-party-store-opts-out.jsonl"),
    ));
    h.get_by_label("📂 Ouvrir un enregistrement…").click();
    h.run();
    h.get_by_label_contains("ouvert\u{a0}: 1 session.");
    h.get_by_label("ℹ NORMAL");
    h.get_by_label("Stratégie en vigueur\u{a0}:");
    h.get_by_label("Appels");

    set_thread_lang(Some(Lang::ZhCn));
    h.run();
    h.get_by_label("📂 打开录制…");
    // The heading and the row badge (Chinese has no upper case).
    assert!(h.get_all_by_label("ℹ 正常").count() >= 2);
    h.get_by_label("生效的策略：");
    h.get_by_label("调用");
    h.get_by_label_contains("1 / 1 个会话。");
    set_thread_lang(Some(Lang::En));
}

/// "Launch with capture…" asks for a program, starts it through the
/// injected capturer off the UI thread, and says the capture sees it from
/// its start; a cancelled dialog starts nothing.
#[test]
fn launch_with_capture_starts_the_chosen_program_and_says_so() {
    let fx = Fixture::new();
    let mut h = offline_live_panel(&fx);
    fx.dialogs.answer(None);
    h.get_by_label("⏺ Launch with capture…").click();
    h.run_steps(3);
    assert!(fx.capturer.calls.lock().unwrap().is_empty());

    let outlook = PathBuf::from(r"C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE");
    fx.dialogs.answer(Some(outlook.clone()));
    h.get_by_label("⏺ Launch with capture…").click();
    ui_support::step_until(&mut h, "the capturer's launch", |_| {
        !fx.capturer.calls.lock().unwrap().is_empty()
    });
    settle(&mut h);
    assert_eq!(
        *fx.capturer.calls.lock().unwrap(),
        [format!("launch {}", outlook.display())]
    );
    let asked = fx.dialogs.asked();
    assert_eq!(asked.last().unwrap().filter.1, ["exe"]);
    h.get_by_label_contains("(pid 4242, 64-bit) from its start");

    // The window waits for the client: the status bar lists it (no
    // spinner), and when it ends the panel says so, with its exit code,
    // and filters the list on its pid.
    h.get_by_label_contains("OUTLOOK.EXE (pid 4242) runs with capture");
    assert_eq!(h.state().tasks().count(TaskKind::ClientRun), 1);
    fx.capturer.end_client(3);
    ui_support::step_until(&mut h, "the client's end", |app| {
        app.tasks().count(TaskKind::ClientRun) == 0
    });
    settle(&mut h);
    h.get_by_label_contains("OUTLOOK.EXE (pid 4242) ended with exit code 3");
    assert!(h.query_by_label_contains("runs with capture").is_none());
    assert_eq!(h.state().live().filter().text, "4242");
}
