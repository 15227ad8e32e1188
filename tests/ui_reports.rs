//! The Reports panel on the real application (egui_kittest, by label),
//! over the memory registry store, the fixed process list of
//! `ui_support::fake_processes` and scripted file dialogs: the preview
//! follows the content chosen (policy, processes scanned on demand,
//! sessions opened from a recording), each format is exported through the
//! save dialog on a worker thread and found on disk, "Show in folder"
//! reaches the file manager trait, and the Policy and Live panels' Report
//! buttons open the panel preset.

#![cfg(feature = "gui")]

mod ui_support;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mapi_shutdown::report::{self, Format};
use mapi_shutdown::ui::{App, Tab};
use ui_support::{Fixture, settle};

/// Step until `done` holds (worker threads: the scan, the export).
fn wait(h: &mut Harness<'static, App>, what: &str, done: impl Fn(&App) -> bool) {
    ui_support::step_until(h, what, done);
    h.run_steps(2);
}

fn recording() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/live/client-ignores-query-error.jsonl")
}

/// The application with one session opened from a recorded trace.
fn with_a_session(fx: &Fixture) -> Harness<'static, App> {
    let mut h = fx.harness_sized(egui::vec2(1280.0, 900.0), None);
    h.state_mut().live_mut().open(&recording());
    h.run_steps(2);
    h
}

#[test]
fn the_preview_follows_the_content_and_processes_are_scanned_on_demand() {
    let fx = Fixture::new();
    let mut h = with_a_session(&fx);
    h.get_by_label("Reports").click();
    h.step();
    // The processes are wanted: a scan runs although their panel is hidden.
    wait(&mut h, "the process scan", |app| {
        app.reports()
            .preview()
            .is_some_and(|m| m.processes.is_some())
    });
    let model = h.state().reports().preview().unwrap().clone();
    assert!(model.policy.is_some());
    assert_eq!(model.processes.as_ref().unwrap().processes.len(), 2);
    assert_eq!(model.sessions.len(), 1);
    h.get_by_label("Policy (memory)");
    h.get_by_label("MAPI processes (2)");
    h.get_by_label("Shutdown sessions (1)");

    h.get_by_label("Policy and add-ins").click();
    h.get_by_label("None").click();
    settle(&mut h);
    let model = h.state().reports().preview().unwrap();
    assert!(model.policy.is_none());
    assert!(model.sessions.is_empty());
}

#[test]
fn each_format_is_exported_to_the_chosen_file() {
    let fx = Fixture::new();
    let mut h = with_a_session(&fx);
    h.get_by_label("Reports").click();
    h.step();
    for format in Format::ALL {
        let path = fx
            .dir
            .path()
            .join(format!("report-{}.{}", format.as_str(), format.extension()));
        h.get_by_label(&format.label().to_string()).click();
        h.run_steps(2);
        assert_eq!(h.state().reports().format(), format);
        fx.dialogs.answer(Some(path.clone()));
        h.get_by_label("💾 Export…").click();
        h.step();
        wait(&mut h, "the export", |app| {
            !app.reports().exporting() && app.reports().last_export() == Some(path.as_path())
        });
        h.get_by_label_contains("Exported ");
        let bytes = std::fs::read(&path).unwrap();
        match format {
            Format::Html => {
                let text = String::from_utf8(bytes).unwrap();
                assert!(
                    text.contains("<title>MAPI fast shutdown report"),
                    "{format}"
                );
                assert!(text.contains("NWSYNC.EXE"), "{format}");
            }
            Format::Csv => {
                // The byte order mark is on by default (Excel).
                assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
                let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
                assert!(text.lines().count() > 5, "{text}");
            }
            Format::Json => {
                let model = report::read_json(&bytes).unwrap();
                assert_eq!(model.sessions.len(), 1);
            }
            Format::Chrome => {
                report::chrome::read(&bytes).unwrap();
            }
        }
    }
    let asked = fx.dialogs.asked();
    assert_eq!(asked.len(), 4);
    assert!(asked[0].file_name.ends_with(".html"), "{:?}", asked[0]);
    h.get_by_label("📂 Show in folder").click();
    h.run_steps(2);
    assert_eq!(fx.dialogs.shown().len(), 1);
}

/// A format that cannot hold the policy or the processes says so where the
/// format is chosen (the CLI refuses those options for it).
#[test]
fn a_format_says_what_it_leaves_out() {
    let fx = Fixture::new();
    let mut h = with_a_session(&fx);
    h.get_by_label("Reports").click();
    settle(&mut h);
    let leaves = "leaves out";
    assert!(
        h.query_by_label_contains(leaves).is_none(),
        "HTML holds all"
    );
    h.get_by_label("CSV (one row per call)").click();
    settle(&mut h);
    h.get_by_label(
        "⚠ CSV (one row per call) leaves out: Policy and add-ins, MAPI processes and their \
         providers. Choose HTML or JSON to keep them.",
    );
    h.get_by_label("Chrome trace (Perfetto)").click();
    settle(&mut h);
    h.get_by_label(
        "⚠ Chrome trace (Perfetto) leaves out: MAPI processes and their providers. Choose \
         HTML or JSON to keep them.",
    );
    h.get_by_label("JSON (whole report)").click();
    settle(&mut h);
    assert!(
        h.query_by_label_contains(leaves).is_none(),
        "JSON holds all"
    );
}

#[test]
fn a_cancelled_dialog_writes_nothing() {
    let fx = Fixture::new();
    let mut h = with_a_session(&fx);
    h.get_by_label("Reports").click();
    h.run_steps(2);
    fx.dialogs.answer(None);
    h.get_by_label("💾 Export…").click();
    h.run_steps(3);
    assert!(!h.state().reports().exporting());
    assert_eq!(h.state().reports().last_export(), None);
    assert_eq!(std::fs::read_dir(fx.dir.path()).unwrap().count(), 0);
}

#[test]
fn report_buttons_of_the_policy_and_live_panels_preset_the_content() {
    let fx = Fixture::new();
    let mut h = with_a_session(&fx);
    h.get_by_label("➡ Report…").click();
    settle(&mut h);
    assert_eq!(h.state().state().tab, Tab::Reports);
    let model = h.state().reports().preview().unwrap();
    assert!(model.policy.is_some() && model.processes.is_none());
    assert!(model.sessions.is_empty());

    h.get_by_label("Live").click();
    h.run_steps(2);
    h.get_by_label("➡ Report…").click();
    settle(&mut h);
    assert_eq!(h.state().state().tab, Tab::Reports);
    let model = h.state().reports().preview().unwrap();
    assert!(model.policy.is_none());
    assert_eq!(model.sessions.len(), 1, "the selected session");
}

#[test]
fn the_panel_and_its_html_export_follow_the_language() {
    use mapi_shutdown::i18n::{Lang, set_thread_lang};
    let fx = Fixture::new();
    let mut h = with_a_session(&fx);
    h.get_by_label("Reports").click();
    h.run_steps(2);
    set_thread_lang(Some(Lang::Fr));
    h.run_steps(2);
    h.get_by_label("Stratégie et compléments");
    h.get_by_label("Sessions d’arrêt (1)");
    let path = fx.dir.path().join("rapport.html");
    fx.dialogs.answer(Some(path.clone()));
    h.get_by_label("💾 Exporter…").click();
    h.step();
    wait(&mut h, "the export", |app| {
        !app.reports().exporting() && app.reports().last_export() == Some(path.as_path())
    });
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("<html lang=\"fr\">"), "the page in French");
    assert!(text.contains("<h2>Résumé</h2>"));

    set_thread_lang(Some(Lang::ZhCn));
    h.run_steps(2);
    h.get_by_label("策略和加载项");
    set_thread_lang(Some(Lang::En));
}

/// Many machines' files at once (issue 19, part 3): two spool folders and
/// a recording added through the dialogs are read on a worker (the
/// preview's task says how far it is), and the preview shows the fleet
/// summary with the costliest provider DLL first; the HTML export holds
/// the fleet section.
#[test]
fn files_of_many_machines_give_a_fleet_summary() {
    let fx = Fixture::new();
    let share_a = fx.dir.path().join("share-a");
    let share_b = fx.dir.path().join("share-b");
    mapi_shutdown::report::corpus::write_spool(&share_a, 120, 30).unwrap();
    mapi_shutdown::report::corpus::write_spool(&share_b, 90, 30).unwrap();
    let mut h = fx.harness_sized(egui::vec2(1280.0, 900.0), None);
    h.get_by_label("Reports").click();
    settle(&mut h);
    h.get_by_label("Policy and add-ins").click();
    h.get_by_label("MAPI processes and their providers").click();
    settle(&mut h);
    fx.dialogs.answer(Some(share_a.clone()));
    h.get_by_label("📂 Add a spool folder…").click();
    h.run_steps(2);
    fx.dialogs.answer(Some(share_b.clone()));
    h.get_by_label("📂 Add a spool folder…").click();
    h.run_steps(2);
    fx.dialogs.answer(Some(recording()));
    h.get_by_label("📂 Add a recording…").click();
    h.run_steps(2);
    assert_eq!(h.state().reports().files().len(), 3);
    h.get_by_label("From files: 3 files and folders");
    wait(&mut h, "the fleet preview", |app| {
        app.reports()
            .preview()
            .is_some_and(|m| m.fleet.as_ref().is_some_and(|f| f.sessions == 211))
    });
    let model = h.state().reports().preview().unwrap().clone();
    // 211 sessions: above 200, so Auto keeps the summary only.
    assert!(model.summarized());
    let fleet = model.fleet.as_ref().unwrap();
    let first = &fleet.providers[0];
    assert!(
        fleet
            .providers
            .iter()
            .all(|p| p.stats.cost <= first.stats.cost)
    );
    h.get_by_label("Fleet summary");
    h.get_by_label(&first.dll);
    // Every call asked for: the sessions come back in full.
    h.get_by_label("Every call").click();
    wait(&mut h, "the full preview", |app| {
        app.reports()
            .preview()
            .is_some_and(|m| m.sessions.len() == 211)
    });
    h.get_by_label("Summary only").click();
    wait(&mut h, "the summary again", |app| {
        app.reports().preview().is_some_and(|m| m.summarized())
    });
    let path = fx.dir.path().join("fleet.html");
    fx.dialogs.answer(Some(path.clone()));
    h.get_by_label("💾 Export…").click();
    h.step();
    wait(&mut h, "the export", |app| {
        !app.reports().exporting() && app.reports().last_export() == Some(path.as_path())
    });
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.contains("Fleet summary"));
    assert!(html.contains("<svg class=\"fleet-chart\""));
    // Clearing the files goes back to the Live panel's sessions.
    h.get_by_label("Clear the files").click();
    h.run_steps(2);
    assert!(h.state().reports().files().is_empty());
}
