//! Rendered snapshots of the main screens (wgpu on a software adapter:
//! Mesa llvmpipe or lavapipe), compared with the PNGs in
//! `tests/snapshots/`; refresh them with `UPDATE_SNAPSHOTS=1` after a
//! deliberate change and look at them before committing. The Policy,
//! Processes, Live (data-loss risk) and Reports screens are also taken in
//! French (`*_fr.png`) and Chinese (`*_zh.png`). Needs the
//! `snapshot-tests` feature (scripts/check turns it on with
//! `--all-features`); not run for the Windows build under Wine, whose
//! Direct3D 12 translation cannot run wgpu (docs/gui.md).

#![cfg(all(feature = "snapshot-tests", not(windows)))]

mod ui_support;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mapi_shutdown::i18n::{self, Lang};
use mapi_shutdown::ui::App;

use mapi_shutdown::policy::RegistryData;
use mapi_shutdown::policy::store::{Hive, RegistryStore};
use ui_support::{Fixture, POLICY16, wait_for_scan};

/// A realistic Policy panel: 16.0 configured (opt-in, add-in callbacks
/// on), 15.0 holding invalid data, two add-ins.
fn policy_fixture() -> Fixture {
    let fx = Fixture::new();
    let s = &fx.store;
    s.create_key(Hive::CurrentUser, POLICY16).unwrap();
    s.set_dword(Hive::CurrentUser, POLICY16, "FastShutdownBehavior", 1)
        .unwrap();
    s.set_dword(Hive::CurrentUser, POLICY16, "AddinFastShutdownBehavior", 1)
        .unwrap();
    let p15 = r"Software\Policies\Microsoft\Office\15.0\Outlook\Options\Shutdown";
    s.create_key(Hive::CurrentUser, p15).unwrap();
    s.set_value(
        Hive::CurrentUser,
        p15,
        "FastShutdownBehavior",
        &RegistryData::String("2".into()),
    )
    .unwrap();
    fx.add_addin();
    fx
}

/// Snapshot `name` in English, then `name_fr` and `name_zh` with the
/// window switched to French and Chinese (the Chinese text drawn with the
/// system's CJK font: scripts/check installs fonts-wqy-microhei). The
/// screen is set up in English, whose labels the clicks use.
fn snapshot_in_every_language(h: &mut Harness<'static, App>, name: &str) {
    h.snapshot(name);
    for (lang, suffix) in [(Lang::Fr, "fr"), (Lang::ZhCn, "zh")] {
        i18n::set_thread_lang(Some(lang));
        h.run_steps(3);
        h.snapshot(format!("{name}_{suffix}"));
    }
    i18n::set_thread_lang(Some(Lang::En));
}

fn snapshot(theme: egui::Theme, name: &str, languages: bool) {
    let fx = policy_fixture();
    let mut h = fx.harness_sized(egui::vec2(1100.0, 1500.0), Some(theme));
    // A pending change, so the diff banner is in the picture.
    h.get_by_label("Office 16.0 FastShutdownBehavior: Disabled (2)")
        .click();
    h.run();
    if languages {
        snapshot_in_every_language(&mut h, name);
    } else {
        h.snapshot(name);
    }
}

/// The Policy panel reviewing a GPO's `Registry.pol`: what it sets per
/// Office version against this machine, and what it holds that is refused
/// (a foreign key, invalid data).
#[test]
fn policy_import_registry_pol() {
    let fx = policy_fixture();
    let file = fx.dir.path().join("Registry.pol");
    let key16 = POLICY16;
    let key14 = r"Software\Policies\Microsoft\Office\14.0\Outlook\Options\Shutdown";
    let mut pol = preg::PolicyFile::new();
    for (key, value, data) in [
        (key16, "fastshutdownbehavior", preg::RegData::Dword(0)),
        (
            key16,
            "**del.addinfastshutdownbehavior",
            preg::RegData::Sz(" ".into()),
        ),
        (key14, "fastshutdownbehavior", preg::RegData::Dword(2)),
        (
            key14,
            "allowshutdownwithexternalreferences",
            preg::RegData::Dword(7),
        ),
        (
            r"Software\Policies\Microsoft\Windows\System",
            "DisableCMD",
            preg::RegData::Dword(1),
        ),
    ] {
        pol.entries.push(preg::PolicyEntry::new(key, value, data));
    }
    std::fs::write(&file, pol.to_bytes()).unwrap();
    let mut h = fx.harness_sized(egui::vec2(1100.0, 900.0), None);
    fx.dialogs.answer(Some(file));
    h.get_by_label("📂 Import .reg or .pol…").click();
    h.run();
    snapshot_in_every_language(&mut h, "policy_import_pol");
}

#[test]
fn policy_panel_light() {
    snapshot(egui::Theme::Light, "policy_panel_light", true);
}

#[test]
fn policy_panel_dark() {
    snapshot(egui::Theme::Dark, "policy_panel_dark", false);
}

/// The Live panel with the four recorded sessions open, `selected` last
/// (so selected).
fn live_panel_with(fx: &Fixture, selected: &str) -> Harness<'static, App> {
    let mut h = fx.harness_sized(egui::vec2(1280.0, 900.0), Some(egui::Theme::Light));
    h.get_by_label("Live").click();
    h.run();
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/live");
    let mut files = [
        "outlook-2016-exchange-pst-oab",
        "third-party-store-opts-out",
        "client-ignores-query-error",
        "stream-cut-after-query",
    ]
    .to_vec();
    // The one to show is opened last, so it is the one selected.
    files.retain(|f| *f != selected);
    files.push(selected);
    for f in files {
        h.state_mut()
            .live_mut()
            .open(&data.join(format!("{f}.jsonl")));
    }
    h.state_mut().live_mut().dismiss_message();
    h.run();
    h
}

/// The Live panel showing one recorded session (its verdict, timeline and
/// calls), with the three others of the set listed.
fn live_snapshot(selected: &str, name: &str, languages: bool) {
    let fx = Fixture::new();
    let mut h = live_panel_with(&fx, selected);
    if languages {
        snapshot_in_every_language(&mut h, name);
    } else {
        h.snapshot(name);
    }
}

#[test]
fn live_panel_fast() {
    live_snapshot("outlook-2016-exchange-pst-oab", "live_fast", false);
}

#[test]
fn live_panel_normal() {
    live_snapshot("third-party-store-opts-out", "live_normal", false);
}

#[test]
fn live_panel_data_loss_risk() {
    live_snapshot("client-ignores-query-error", "live_data_loss_risk", true);
}

#[test]
fn live_panel_incomplete() {
    live_snapshot("stream-cut-after-query", "live_incomplete", false);
}

/// "Launch with capture…" from the Live panel: while the client runs the
/// status bar lists it (no spinner); when it ends the panel says how, with
/// its exit code, filters the list on its pid and selects its session.
#[test]
fn live_panel_launched_client() {
    use mapi_shutdown::ui::tasks::TaskKind;
    let fx = Fixture::new();
    // The pid of the recorded Outlook session, as if it were this client.
    fx.capturer
        .launch_pid
        .store(26110, std::sync::atomic::Ordering::SeqCst);
    let mut h = live_panel_with(&fx, "client-ignores-query-error");
    fx.dialogs
        .answer(Some(std::path::PathBuf::from("/opt/office/OUTLOOK.EXE")));
    h.get_by_label("⏺ Launch with capture…").click();
    let wait = |h: &mut Harness<'static, App>, running: usize| {
        ui_support::step_until(h, "the launched client's tasks", |app| {
            app.tasks().count(TaskKind::ClientRun) == running
                && app.tasks().count(TaskKind::Capture) == 0
        });
        h.run_steps(3);
    };
    wait(&mut h, 1);
    h.snapshot("live_launched_running");
    fx.capturer.end_client(0);
    wait(&mut h, 0);
    snapshot_in_every_language(&mut h, "live_launched_ended");
}

/// The Processes panel over the fixed process list, Outlook selected.
#[test]
fn processes_panel() {
    let fx = Fixture::new();
    let mut h = fx.harness_sized(egui::vec2(1280.0, 860.0), Some(egui::Theme::Light));
    h.get_by_label("Processes").click();
    wait_for_scan(&mut h);
    h.get_by_label("⏸ Pause auto-refresh").click();
    h.run_steps(2);
    h.get_by_label("OUTLOOK.EXE").click();
    h.run_steps(3);
    snapshot_in_every_language(&mut h, "processes_panel");
}

/// The Reports panel: a recorded data-loss-risk session, the policy and
/// the fixed process list, HTML chosen.
#[test]
fn reports_panel() {
    let fx = Fixture::new();
    let mut h = fx.harness_sized(egui::vec2(1280.0, 860.0), Some(egui::Theme::Light));
    h.state_mut().live_mut().open(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/live/client-ignores-query-error.jsonl"),
    );
    h.state_mut().live_mut().dismiss_message();
    h.get_by_label("Reports").click();
    ui_support::step_until(&mut h, "the Reports preview", |app| {
        app.reports()
            .preview()
            .is_some_and(|m| m.processes.is_some())
    });
    h.run_steps(3);
    snapshot_in_every_language(&mut h, "reports_panel");
}

/// The Reports panel with the files of many machines (two generated
/// spool shares, 211 sessions): the files listed, Auto detail, and the
/// fleet summary in the preview.
#[test]
fn reports_panel_fleet() {
    let fx = Fixture::new();
    for (name, count) in [("share-a", 120), ("share-b", 91)] {
        mapi_shutdown::report::corpus::write_spool(&fx.dir.path().join(name), count, 30).unwrap();
    }
    let mut h = fx.harness_sized(egui::vec2(1280.0, 860.0), Some(egui::Theme::Light));
    h.get_by_label("Reports").click();
    h.run_steps(2);
    for name in ["share-a", "share-b"] {
        fx.dialogs.answer(Some(fx.dir.path().join(name)));
        h.get_by_label("📂 Add a spool folder…").click();
        h.run_steps(2);
    }
    ui_support::step_until(&mut h, "the fleet summary of 211 sessions", |app| {
        app.reports()
            .preview()
            .is_some_and(|m| m.fleet.is_some() && m.processes.is_some())
    });
    h.run_steps(3);
    snapshot_in_every_language(&mut h, "reports_panel_fleet");
}
