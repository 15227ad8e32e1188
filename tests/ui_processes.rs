//! The Processes panel, clicked through on the real application
//! (egui_kittest, by accessible label) with an injected scanner over fixed
//! process and module lists (`ui_support::fake_processes`): the MAPI
//! processes listed and the others hidden, "All processes", the filter,
//! sorting by a column header, selecting a process to see its providers by
//! kind and its modules, the module filter, Find DLL, access denied shown,
//! and auto-refresh pause; the panel in French and Chinese. The rendered
//! snapshot is in `ui_snapshots.rs`.

#![cfg(feature = "gui")]

mod ui_support;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mapi_shutdown::ui::{App, Tab};
use ui_support::{Fixture, wait_for_scan};

/// The application on the Processes tab, after its first scan finished.
fn processes_tab(fx: &Fixture) -> Harness<'static, App> {
    let mut h = fx.harness_sized(egui::vec2(1280.0, 900.0), None);
    h.get_by_label("Processes").click();
    wait_for_scan(&mut h);
    h
}

/// Replace the text of the `nth` text box labelled `label` with `text`:
/// focus it, delete what it holds, type.
fn type_into(h: &mut Harness<'static, App>, label: &str, nth: usize, text: &str) {
    let role = egui::accesskit::Role::TextInput;
    let node = |h: &Harness<'static, App>| {
        h.query_all_by_role_and_label(role, label)
            .nth(nth)
            .unwrap_or_else(|| panic!("no text box {nth} labelled {label}"))
            .value()
            .unwrap_or_default()
    };
    h.query_all_by_role_and_label(role, label)
        .nth(nth)
        .unwrap()
        .focus();
    h.run_steps(2);
    let old = node(h).chars().count();
    h.key_press(egui::Key::End);
    for _ in 0..old {
        h.key_press(egui::Key::Backspace);
    }
    h.run_steps(1);
    h.query_all_by_role_and_label(role, label)
        .nth(nth)
        .unwrap()
        .type_text(text);
    h.run_steps(2);
    assert_eq!(node(h), text, "typing into {label}");
}

/// The vertical position of the row labelled `name`.
fn row_y(h: &Harness<'static, App>, name: &str) -> f32 {
    h.get_by_label(name).rect().center().y
}

#[test]
fn lists_mapi_processes_and_hides_the_others_until_asked() {
    let fx = Fixture::new();
    let mut h = processes_tab(&fx);
    assert_eq!(h.state().state().tab, Tab::Processes);
    h.get_by_label("OUTLOOK.EXE");
    h.get_by_label("MFCMAPI.exe");
    assert!(h.query_by_label("notepad.exe").is_none());
    assert!(h.query_by_label("svchost.exe").is_none());
    h.get_by_label("2 MAPI processes among 5");
    // The elevated process is not silently skipped.
    h.get_by_label_contains("1 could not be inspected (1 access denied)");

    h.get_by_label("All processes").click();
    h.run_steps(2);
    h.get_by_label("notepad.exe");
    h.get_by_label("svchost.exe");
    // In the summary and in svchost's subsystem cell.
    assert_eq!(h.query_all_by_label_contains("access denied").count(), 2);
}

#[test]
fn the_filter_matches_name_pid_user_and_dll() {
    let fx = Fixture::new();
    let mut h = processes_tab(&fx);
    type_into(&mut h, "Filter:", 0, "mfc");
    h.get_by_label("MFCMAPI.exe");
    assert!(h.query_by_label("OUTLOOK.EXE").is_none());

    // A provider DLL finds the process that has it loaded.
    type_into(&mut h, "Filter:", 0, "emsmdb");
    h.get_by_label("OUTLOOK.EXE");
    assert!(h.query_by_label("MFCMAPI.exe").is_none());

    type_into(&mut h, "Filter:", 0, "nothing-like-this");
    h.get_by_label_contains("No process matches the filter.");
}

#[test]
fn clicking_a_header_sorts_and_clicking_again_reverses() {
    let fx = Fixture::new();
    let mut h = processes_tab(&fx);
    // By name (the default): MFCMAPI.exe before OUTLOOK.EXE.
    assert!(row_y(&h, "MFCMAPI.exe") < row_y(&h, "OUTLOOK.EXE"));
    // By memory: the biggest first (Outlook, 412 MB).
    h.get_by_label("Memory").click();
    h.run_steps(2);
    assert!(row_y(&h, "OUTLOOK.EXE") < row_y(&h, "MFCMAPI.exe"));
    h.get_by_label("Memory ⏷");
    h.get_by_label("Memory ⏷").click();
    h.run_steps(2);
    assert!(row_y(&h, "MFCMAPI.exe") < row_y(&h, "OUTLOOK.EXE"));
    h.get_by_label("Memory ⏶");
    // By pid.
    h.get_by_label("PID").click();
    h.run_steps(2);
    assert!(row_y(&h, "OUTLOOK.EXE") < row_y(&h, "MFCMAPI.exe"));
}

#[test]
fn selecting_a_process_shows_its_providers_by_kind_and_its_modules() {
    let fx = Fixture::new();
    let mut h = processes_tab(&fx);
    h.get_by_label_contains("Select a process");
    h.get_by_label("OUTLOOK.EXE").click();
    h.run_steps(2);
    assert_eq!(h.state().processes().selected(), Some(4120));
    h.get_by_label("OUTLOOK.EXE (pid 4120)");
    h.get_by_label("version 16.0.17928.20114");
    h.get_by_label("Transport providers (1)");
    h.get_by_label("Address book providers (3)");
    h.get_by_label("Message store providers (2)");
    // Exchange is listed under each of its three kinds, PST under two.
    assert_eq!(h.query_all_by_label("emsmdb32.dll").count(), 3);
    assert_eq!(h.query_all_by_label("emsabp32.dll").count(), 1);
    assert_eq!(h.query_all_by_label("mspst32.dll").count(), 2);
    h.get_by_label("Modules (7 of 7)");

    // The module filter (the second "Filter:" box).
    type_into(&mut h, "Filter:", 1, "ntdll");
    h.get_by_label("Modules (1 of 7)");
    h.get_by_label(r"C:\Windows\System32\ntdll.dll");
}

#[test]
fn find_dll_lists_every_process_with_it_loaded() {
    let fx = Fixture::new();
    let mut h = processes_tab(&fx);
    type_into(&mut h, "Find DLL:", 0, "mapi32");
    h.get_by_label("Find DLL \"mapi32\": 2 processes");
    // A non-MAPI process found by its DLL is selectable too.
    type_into(&mut h, "Find DLL:", 0, "ntdll.dll");
    h.get_by_label("Find DLL \"ntdll.dll\": 3 processes");
    h.get_by_label("notepad.exe (pid 6100)").click();
    h.run_steps(2);
    assert_eq!(h.state().processes().selected(), Some(6100));
    // "All processes" turned on so that the selection is visible.
    h.get_by_label("notepad.exe");
    h.get_by_label_contains("none loaded");
}

#[test]
fn an_access_denied_process_says_how_to_inspect_it() {
    let fx = Fixture::new();
    let mut h = processes_tab(&fx);
    h.get_by_label("All processes").click();
    h.run_steps(2);
    h.get_by_label("svchost.exe").click();
    h.run_steps(2);
    h.get_by_label("Its modules cannot be read: access denied.");
    h.get_by_label_contains("Run as administrator");
}

#[test]
fn pause_stops_auto_refresh_and_refresh_scans_again() {
    let fx = Fixture::new();
    let mut h = processes_tab(&fx);
    h.get_by_label("⏸ Pause auto-refresh").click();
    h.run_steps(2);
    assert!(h.state().processes().paused());
    h.get_by_label_contains("Auto-refresh paused");
    let before = h.state().processes().scan().unwrap().clone();
    h.get_by_label("⟳ Refresh").click();
    h.step();
    wait_for_scan(&mut h);
    let after = h.state().processes().scan().unwrap().clone();
    assert!(
        !std::sync::Arc::ptr_eq(&before, &after),
        "Refresh did not scan"
    );
    h.get_by_label("▶ Resume auto-refresh").click();
    h.run_steps(2);
    assert!(!h.state().processes().paused());
}

/// This test process connects to the application's monitor as an
/// instrumented client (hello and provider declarations of a recorded
/// trace, then a call left open) and stays connected.
#[cfg(unix)]
fn connect_as_instrumented_client(endpoint: &str) -> impl std::io::Write {
    use std::io::Write as _;
    let endpoint = mapi_shutdown::trace::Endpoint::from_name(Some(endpoint)).unwrap();
    let mut stream = endpoint
        .connect(std::time::Duration::from_secs(5))
        .expect("connect to the application's monitor");
    let trace = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/live/third-party-store-opts-out.jsonl"),
    )
    .unwrap();
    // Up to the first call, which stays open; the hello's pid is ours.
    for line in trace
        .lines()
        .take_while(|l| !l.contains(r#""type":"exit""#))
    {
        let mut record: serde_json::Value = serde_json::from_str(line).unwrap();
        if record["type"] == "hello" {
            record["pid"] = std::process::id().into();
        }
        writeln!(stream, "{record}").unwrap();
    }
    stream.flush().unwrap();
    stream
}

#[cfg(unix)]
#[test]
fn an_instrumented_client_is_listed_with_its_declarations_and_leads_to_its_sessions() {
    let fx = Fixture::new();
    let (config, endpoint) = ui_support::live_config(fx.dir.path());
    let mut h = fx.harness_with_live(config);
    let _client = connect_as_instrumented_client(&endpoint);
    // The monitor has the client once its session shows in the Live panel.
    let pid = std::process::id();
    ui_support::step_until(
        &mut h,
        "the client's MAPI session in the Live panel",
        |app| app.live().sessions().iter().any(|s| s.pid == Some(pid)),
    );
    h.get_by_label("Processes").click();
    h.step();
    wait_for_scan(&mut h);
    h.get_by_label("⟳ Refresh").click();
    h.step();
    wait_for_scan(&mut h);
    h.get_by_label("3 MAPI processes among 5");
    h.get_by_label("NWSYNC.EXE").click();
    h.run_steps(2);
    // emsmdb32.dll is loaded and declared (shown under each of its kinds);
    // the archive store and the Outlook Address Book were declared but are
    // not loaded.
    h.get_by_label_contains("the OS and the client's trace disagree");
    assert_eq!(
        h.query_all_by_label_contains("declared by the client, not loaded")
            .count(),
        2
    );
    h.get_by_label("Declared by the client as: Contoso Archive Vault (message store)");
    assert!(
        h.query_all_by_label_contains("Microsoft Exchange Transport (transport)")
            .count()
            >= 1
    );

    h.get_by_label_contains("Show its live sessions").click();
    h.run_steps(3);
    assert_eq!(h.state().state().tab, Tab::Live);
    assert_eq!(h.state().live().filter().text, pid.to_string());
    let selected: Vec<_> = h.state().live().selected().iter().copied().collect();
    let session = h
        .state()
        .live()
        .sessions()
        .iter()
        .find(|s| s.pid == Some(pid))
        .unwrap()
        .conn;
    assert_eq!(selected, vec![session]);
}

#[test]
fn the_panel_speaks_french_and_chinese() {
    use mapi_shutdown::i18n::{Lang, set_thread_lang};
    let fx = Fixture::new();
    let mut h = processes_tab(&fx);
    set_thread_lang(Some(Lang::Fr));
    h.run_steps(2);
    h.get_by_label("Processus MAPI");
    h.get_by_label("2 processus MAPI sur 5");
    h.get_by_label_contains("1 n’a pas pu être inspecté (dont 1 pour accès refusé)");
    h.get_by_label("Mémoire");
    h.get_by_label("OUTLOOK.EXE").click();
    h.run_steps(2);
    h.get_by_label("OUTLOOK.EXE (PID 4120)");
    h.get_by_label("Fournisseurs de transport (1)");
    h.get_by_label("Fournisseurs de banque de messages (2)");
    h.get_by_label("Tous les processus").click();
    h.run_steps(2);
    h.get_by_label("svchost.exe").click();
    h.run_steps(2);
    h.get_by_label("Impossible de lire ses modules\u{a0}: accès refusé.");

    // The window draws Chinese with the system's CJK font (kittest panics
    // on a glyph no font has; scripts/check installs fonts-wqy-microhei).
    set_thread_lang(Some(Lang::ZhCn));
    h.run_steps(2);
    h.get_by_label("MAPI 进程");
    h.get_by_label("所有进程");
    h.get_by_label("内存");
    h.get_by_label("无法读取其模块：拒绝访问。");
    set_thread_lang(Some(Lang::En));
}

/// "Capture shutdown" on the selected MAPI process attaches the capture
/// agent (through the injected capturer, off the UI thread) and says what
/// a late attach can see; a refusal is shown with its reason.
#[test]
fn capture_shutdown_attaches_to_the_selected_process_and_says_what_it_sees() {
    let fx = Fixture::new();
    let mut h = processes_tab(&fx);
    h.get_by_label("OUTLOOK.EXE").click();
    h.run_steps(2);
    h.get_by_label("⏺ Capture shutdown").click();
    h.step();
    ui_support::settle(&mut h);
    assert_eq!(*fx.capturer.calls.lock().unwrap(), ["attach 4120"]);
    h.get_by_label_contains("capture agent loaded into process 4120 (32-bit). Late attach");

    fx.capturer.refuse.lock().unwrap().push(4120);
    h.get_by_label("⏺ Capture shutdown").click();
    h.step();
    ui_support::settle(&mut h);
    h.get_by_label_contains("could not be loaded into process 4120: Access is denied");
    assert!(
        h.query_by_label_contains("Late attach").is_none(),
        "the old message is replaced"
    );
}
