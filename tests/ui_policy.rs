//! The Policy panel, clicked through on the real application (egui_kittest,
//! by accessible label) with a memory registry store, a temporary backups
//! directory and scripted file dialogs: change each setting, apply, see the
//! store change, undo, see it restored; invalid data shown and fixed;
//! access denied shown without a write; a concurrent change detected;
//! import and export; the add-in toggle; the other tabs. Rendered
//! snapshots (light and dark) are in `ui_snapshots.rs`.

#![cfg(feature = "gui")]

mod ui_support;

use std::path::PathBuf;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mapi_shutdown::policy::RegistryData;
use mapi_shutdown::policy::memory::Failure;
use mapi_shutdown::policy::store::{Hive, Operation, RegistryStore};
use mapi_shutdown::policy::transfer::ImportFormat;
use mapi_shutdown::ui::App;
use ui_support::{ADDIN_KEY, Fixture, POLICY16};

fn dword(v: u32) -> Option<RegistryData> {
    Some(RegistryData::Dword(v))
}

#[test]
fn change_each_setting_apply_then_undo_restores_the_store() {
    let fx = Fixture::new();
    let mut h = fx.harness();

    h.get_by_label("Office 16.0 FastShutdownBehavior: Disabled (2)")
        .click();
    h.run();
    h.get_by_label("Office 16.0 AddinFastShutdownBehavior: On (1): call add-ins at shutdown")
        .click();
    h.run();
    h.get_by_label("Office 16.0 allowshutdownwithexternalreferences: Prevent shutdown (0)")
        .click();
    h.run();
    assert_eq!(h.state().policy().pending().len(), 3);
    h.get_by_label("3 pending changes, not written yet");
    // Nothing is written before Apply.
    assert_eq!(fx.read16("FastShutdownBehavior"), None);

    h.get_by_label("Apply").click();
    h.run();
    assert_eq!(fx.read16("FastShutdownBehavior"), dword(2));
    assert_eq!(fx.read16("AddinFastShutdownBehavior"), dword(1));
    assert_eq!(fx.read16("allowshutdownwithexternalreferences"), dword(0));
    h.get_by_label("Wrote 3 values and read them back.");
    assert!(h.state().policy().pending().is_empty());

    // A second change on top, then undo twice.
    h.get_by_label("Office 16.0 FastShutdownBehavior: Opt-in (1)")
        .click();
    h.run();
    h.get_by_label("Apply").click();
    h.run();
    assert_eq!(fx.read16("FastShutdownBehavior"), dword(1));

    h.get_by_label("↺ Undo last change").click();
    h.run();
    assert_eq!(fx.read16("FastShutdownBehavior"), dword(2));
    assert_eq!(fx.read16("AddinFastShutdownBehavior"), dword(1));
    h.get_by_label("↺ Undo last change").click();
    h.run();
    assert_eq!(fx.read16("FastShutdownBehavior"), None);
    assert_eq!(fx.read16("AddinFastShutdownBehavior"), None);
    assert_eq!(fx.read16("allowshutdownwithexternalreferences"), None);
    h.get_by_label_contains("Restored 3 values");
}

#[test]
fn revert_forgets_pending_changes_without_writing() {
    let fx = Fixture::new();
    let mut h = fx.harness();
    h.get_by_label("Office 16.0 FastShutdownBehavior: Opt-in (1)")
        .click();
    h.run();
    h.get_by_label("Revert").click();
    h.run();
    assert!(h.state().policy().pending().is_empty());
    assert!(
        !fx.store
            .key_exists(
                Hive::CurrentUser,
                &mapi_shutdown::policy::OfficeVersion::V16.shutdown_policy_key()
            )
            .unwrap()
    );
    assert!(fx.backups().list().unwrap().is_empty());
}

#[test]
fn invalid_data_is_shown_raw_and_fixed_in_one_click() {
    let fx = Fixture::new();
    fx.store.create_key(Hive::CurrentUser, POLICY16).unwrap();
    fx.store
        .set_value(
            Hive::CurrentUser,
            POLICY16,
            "FastShutdownBehavior",
            &RegistryData::String("2".into()),
        )
        .unwrap();
    let mut h = fx.harness();
    h.get_by_label_contains("Stored data: REG_SZ \"2\"");
    h.get_by_label("Fix: delete the invalid FastShutdownBehavior (back to not configured)")
        .click();
    h.run();
    assert_eq!(fx.read16("FastShutdownBehavior"), None);
    assert!(h.query_by_label_contains("Stored data: REG_SZ").is_none());
    // The fix is backed up: undo brings the invalid data back.
    let backups = fx.backups().list().unwrap();
    assert_eq!(backups.len(), 1);
    assert_eq!(
        backups[0].entries[0].data,
        Some(RegistryData::String("2".into()))
    );
}

#[test]
fn access_denied_writes_nothing_and_offers_a_reg_file() {
    let fx = Fixture::new();
    fx.store.inject(Failure::AccessDenied {
        hive: Hive::CurrentUser,
        key: r"Software\Policies".into(),
        value: None,
        op: Some(Operation::Write),
    });
    let mut h = fx.harness();
    h.get_by_label("Office 16.0 FastShutdownBehavior: Disabled (2)")
        .click();
    h.run();
    h.get_by_label("Apply").click();
    h.run();
    h.get_by_label("Access denied: nothing was written.");
    h.get_by_label_contains("Run as administrator");
    assert_eq!(fx.read16("FastShutdownBehavior"), None);
    assert!(
        fx.backups().list().unwrap().is_empty(),
        "the unused backup is removed"
    );
    assert_eq!(
        h.state().policy().pending().len(),
        1,
        "the change stays pending"
    );

    let out = fx.dir.path().join("pending.reg");
    fx.dialogs.answer(Some(out.clone()));
    h.get_by_label("Export the pending changes as .reg…")
        .click();
    h.run();
    let text = ui_support::read_utf16(&out);
    assert!(
        text.starts_with("Windows Registry Editor Version 5.00"),
        "{text}"
    );
    assert!(
        text.contains(&format!("[HKEY_CURRENT_USER\\{POLICY16}]")),
        "{text}"
    );
    assert!(
        text.contains("\"FastShutdownBehavior\"=dword:00000002"),
        "{text}"
    );
    h.get_by_label_contains("Saved 1 pending change");
}

#[test]
fn a_value_changed_by_someone_else_stops_the_write_and_shows_both() {
    let fx = Fixture::new();
    let mut h = fx.harness();
    h.get_by_label("Office 16.0 FastShutdownBehavior: Disabled (2)")
        .click();
    h.run();
    // Another admin (or a Group Policy refresh) writes in the meantime.
    fx.store.create_key(Hive::CurrentUser, POLICY16).unwrap();
    fx.store
        .set_dword(Hive::CurrentUser, POLICY16, "FastShutdownBehavior", 1)
        .unwrap();
    h.get_by_label("Apply").click();
    h.run();
    h.get_by_label("Another program changed this value since it was shown: nothing was written.");
    let m = h.state().policy().message().cloned().unwrap();
    assert!(
        m.detail
            .as_deref()
            .unwrap_or("")
            .contains("it was not configured (absent), it is now REG_DWORD 0x00000001 (1)"),
        "{m:?}"
    );
    assert_eq!(fx.read16("FastShutdownBehavior"), dword(1));

    // F5 shows the current value; the pending change now starts from it.
    h.key_press(egui::Key::F5);
    h.run();
    let pending = h.state().policy().pending().to_vec();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].before, dword(1));
    h.get_by_label("Apply").click();
    h.run();
    assert_eq!(fx.read16("FastShutdownBehavior"), dword(2));
}

#[test]
fn export_then_import_restores_the_exported_values() {
    let fx = Fixture::new();
    fx.store.create_key(Hive::CurrentUser, POLICY16).unwrap();
    fx.store
        .set_dword(Hive::CurrentUser, POLICY16, "FastShutdownBehavior", 2)
        .unwrap();
    let mut h = fx.harness();
    let file = fx.dir.path().join("export.reg");
    fx.dialogs.answer(Some(file.clone()));
    h.get_by_label("💾 Export .reg…").click();
    h.run();
    h.get_by_label_contains("Exported to");
    assert!(ui_support::read_utf16(&file).contains("\"FastShutdownBehavior\"=dword:00000002"));

    fx.store
        .set_dword(Hive::CurrentUser, POLICY16, "FastShutdownBehavior", 0)
        .unwrap();
    fx.dialogs.answer(Some(file.clone()));
    h.get_by_label("📂 Import .reg or .pol…").click();
    h.run();
    h.get_by_label_contains("Importing changes 1 value");
    h.get_by_label("Apply import").click();
    h.run();
    assert_eq!(fx.read16("FastShutdownBehavior"), dword(2));
    assert!(h.state().policy().import_review().is_none());
    let asked = fx.dialogs.asked();
    assert_eq!(asked.len(), 2);
    assert_eq!(asked[0].filter.1, vec!["reg".to_string()]);
}

/// Export a `Registry.pol` to a file of the fixture's directory through
/// the Group Policy menu, clicking `items` in turn (a submenu, then the
/// export); returns the file the save dialog was answered with.
fn export_pol(fx: &Fixture, h: &mut Harness<'static, App>, items: &[&str]) -> PathBuf {
    let file = fx.dir.path().join("Registry.pol");
    fx.dialogs.answer(Some(file.clone()));
    h.get_by_label("💾 Group Policy").click();
    h.run();
    for item in items {
        h.get_by_label(item).click();
        h.run();
    }
    file
}

#[test]
fn group_policy_export_and_import_preview_per_office_version() {
    let fx = Fixture::new();
    fx.store.create_key(Hive::CurrentUser, POLICY16).unwrap();
    fx.store
        .set_dword(Hive::CurrentUser, POLICY16, "FastShutdownBehavior", 2)
        .unwrap();
    let mut h = fx.harness();
    // Each version's card says who owns Software\Policies values and
    // where the Group Policy editor shows them.
    h.get_by_label_contains(
        "Microsoft Outlook 2016 > Miscellaneous > Miscellaneous (outlk16.admx)",
    );
    let file = export_pol(
        &fx,
        &mut h,
        &["Export Registry.pol, deleting what is not configured…"],
    );
    h.get_by_label_contains("Exported 1 policy value and 2 deletions to");
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"PReg"));
    assert_eq!(fx.dialogs.asked()[0].filter.1, vec!["pol".to_string()]);

    // On a machine where the value differs, the import shows what the GPO
    // sets, under its Office version, before anything is written.
    fx.store
        .set_dword(Hive::CurrentUser, POLICY16, "FastShutdownBehavior", 0)
        .unwrap();
    fx.store
        .set_dword(Hive::CurrentUser, POLICY16, "AddinFastShutdownBehavior", 1)
        .unwrap();
    fx.dialogs.answer(Some(file.clone()));
    h.get_by_label("📂 Import .reg or .pol…").click();
    h.run();
    h.get_by_label_contains("Import the Group Policy file");
    h.get_by_label_contains("Importing changes 2 values");
    h.get_by_label("Office 16.0");
    assert_eq!(
        fx.read16("FastShutdownBehavior"),
        dword(0),
        "nothing written yet"
    );
    assert_eq!(
        h.state().policy().import_review().unwrap().format,
        ImportFormat::Pol
    );
    h.get_by_label("Apply import").click();
    h.run();
    assert_eq!(fx.read16("FastShutdownBehavior"), dword(2));
    assert_eq!(fx.read16("AddinFastShutdownBehavior"), None);
    let asked = fx.dialogs.asked();
    assert_eq!(
        asked[1].filter.1,
        vec!["reg".to_string(), "pol".to_string()]
    );
}

#[test]
fn group_policy_export_of_one_office_version() {
    let fx = Fixture::new();
    let mut h = fx.harness();
    let file = export_pol(
        &fx,
        &mut h,
        &[
            "One Office version",
            "Office 15.0, deleting what is not configured…",
        ],
    );
    h.get_by_label_contains("Exported 0 policy values and 3 deletions to");
    let pol = mapi_shutdown::policy::gpo::read_file(&file).unwrap();
    assert_eq!(pol.records.len(), 3);
    assert!(
        pol.records
            .iter()
            .all(|r| r.key.contains("15.0") && r.value.starts_with("**del.")),
        "{pol:?}"
    );
}

#[test]
fn a_damaged_registry_pol_names_its_offset_and_nothing_changes() {
    let fx = Fixture::new();
    let file = fx.dir.path().join("Registry.pol");
    std::fs::write(&file, b"PReg\x01\x00\x00\x00[\x00").unwrap();
    let mut h = fx.harness();
    fx.dialogs.answer(Some(file));
    h.get_by_label("📂 Import .reg or .pol…").click();
    h.run();
    h.get_by_label_contains("Registry.pol cannot be imported.");
    let m = h.state().policy().message().cloned().unwrap();
    assert!(
        m.detail
            .as_deref()
            .unwrap_or("")
            .contains("at byte offset 10"),
        "{m:?}"
    );
    assert!(h.state().policy().import_review().is_none());
}

#[test]
fn a_bad_import_file_is_reported_with_its_line_and_nothing_changes() {
    let fx = Fixture::new();
    let file = fx.dir.path().join("bad.reg");
    std::fs::write(
        &file,
        "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software]\r\n\"x\"=dword:zz\r\n",
    )
    .unwrap();
    let mut h = fx.harness();
    fx.dialogs.answer(Some(file));
    h.get_by_label("📂 Import .reg or .pol…").click();
    h.run();
    h.get_by_label_contains("bad.reg cannot be imported.");
    let m = h.state().policy().message().cloned().unwrap();
    assert!(
        m.detail
            .as_deref()
            .unwrap_or("")
            .contains("bad.reg:4: dword data"),
        "{m:?}"
    );
    assert!(h.state().policy().import_review().is_none());
}

#[test]
fn cancelled_dialogs_do_nothing() {
    let fx = Fixture::new();
    let mut h = fx.harness();
    h.get_by_label("💾 Export .reg…").click();
    h.run();
    h.get_by_label("📂 Import .reg or .pol…").click();
    h.run();
    assert!(h.state().policy().message().is_none());
    assert_eq!(fx.dialogs.asked().len(), 2);
}

#[test]
fn the_addin_toggle_writes_require_shutdown_notification() {
    let fx = Fixture::new();
    fx.add_addin();
    let mut h = fx.harness();
    h.get_by_label_contains("makes Outlook wait for that add-in");
    h.get_by_label("RequireShutdownNotification of Contoso.Archive (HKCU)")
        .click();
    h.run();
    h.get_by_label("Apply").click();
    h.run();
    assert_eq!(
        fx.store
            .read_value(Hive::CurrentUser, ADDIN_KEY, "RequireShutdownNotification")
            .unwrap(),
        dword(1)
    );
}

#[test]
fn keyboard_apply_and_tab_shortcuts() {
    let fx = Fixture::new();
    let mut h = fx.harness();
    h.get_by_label("Office 16.0 FastShutdownBehavior: Opt-in (1)")
        .click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run();
    assert_eq!(fx.read16("FastShutdownBehavior"), dword(1));

    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num3);
    h.run();
    assert_eq!(h.state().state().tab, mapi_shutdown::ui::Tab::Live);
    h.get_by_label("Live shutdown sequences");
}

#[test]
fn the_status_bar_names_the_store_and_the_endpoint() {
    let fx = Fixture::new();
    let h = fx.harness();
    h.get_by_label("memory");
    h.get_by_label_contains("Not listening: no monitor in this test");
}

#[test]
fn the_panel_speaks_french() {
    use mapi_shutdown::i18n::{Lang, set_thread_lang};
    let fx = Fixture::new();
    fx.store.create_key(Hive::CurrentUser, POLICY16).unwrap();
    fx.store
        .set_value(
            Hive::CurrentUser,
            POLICY16,
            "AddinFastShutdownBehavior",
            &RegistryData::Dword(7),
        )
        .unwrap();
    let mut h = fx.harness();
    set_thread_lang(Some(Lang::Fr));
    // A frame is drawn even when egui asked for none.
    h.run_steps(2);
    h.get_by_label("Stratégie d’arrêt rapide");
    h.get_by_label_contains("Données stockées\u{a0}: REG_DWORD 0x00000007 (7)");
    h.get_by_label_contains("hors plage");
    // The ADMX policy by the English template's name, said to be so (no
    // French outlk16.adml could be read: docs/i18n.md).
    h.get_by_label_contains(
        "ADMX\u{a0}: «\u{a0}Configure fast shutdown behavior for add-ins\u{a0}» (nom du modèle anglais)",
    );
    // The radio buttons are named in French; the ADMX option label too.
    h.get_by_label("Office 16.0 FastShutdownBehavior\u{a0}: Désactivé (2)")
        .click();
    h.run();
    h.get_by_label("1 modification en attente, pas encore écrite");
    h.get_by_label("Appliquer").click();
    h.run();
    assert_eq!(fx.read16("FastShutdownBehavior"), dword(2));
    h.get_by_label("1 valeur écrite et relue.");
    // The JSON-facing report stays English whatever the language.
    let report = h.state().policy().data().report.as_ref().unwrap().clone();
    let s = &report.versions[2].settings[0];
    assert_eq!(
        s.admx_state.as_ref().map(|t| t.render(Lang::En)).as_deref(),
        Some("Enabled, \"Never\"")
    );
    set_thread_lang(Some(Lang::En));
}

#[test]
fn the_panel_switches_to_chinese_then_french_at_run_time() {
    use mapi_shutdown::i18n::{Lang, set_thread_lang};
    let fx = Fixture::new();
    let mut h = fx.harness();
    h.get_by_label("Fast-shutdown policy");
    set_thread_lang(Some(Lang::ZhCn));
    h.run_steps(2);
    h.get_by_label("快速关闭策略");
    h.get_by_label("COM 加载项");
    h.get_by_label("Office 16.0 FastShutdownBehavior：已禁用 (2)")
        .click();
    h.run();
    h.get_by_label("1 个挂起的更改，尚未写入");
    h.get_by_label("应用").click();
    h.run();
    assert_eq!(fx.read16("FastShutdownBehavior"), dword(2));
    h.get_by_label("已写入 1 个值并已回读验证。");
    // The same harness, now in French: the labels follow at once.
    set_thread_lang(Some(Lang::Fr));
    h.run_steps(2);
    h.get_by_label("Stratégie d’arrêt rapide");
    assert!(h.query_by_label("快速关闭策略").is_none());
    set_thread_lang(Some(Lang::En));
    h.run_steps(2);
    h.get_by_label("Fast-shutdown policy");
}

/// Issue 17, item 3 (the GUI's half): an undo restores only shutdown
/// settings, and the Policy panel lists what the backup held beyond them
/// and was not restored, as `policy undo` does (it said only "Restored
/// 1 value").
#[test]
fn undo_lists_the_backup_entries_it_refused() {
    use mapi_shutdown::policy::regfile;
    let fx = Fixture::new();
    let mut h = fx.harness();
    h.get_by_label("Office 16.0 FastShutdownBehavior: Disabled (2)")
        .click();
    h.run();
    h.get_by_label("Apply").click();
    h.run();
    assert_eq!(fx.read16("FastShutdownBehavior"), dword(2));
    // Someone adds a foreign key to the backup the write made.
    let backups = fx.backups().list().unwrap();
    assert_eq!(backups.len(), 1);
    let path = &backups[0].path;
    let mut text = regfile::decode(&std::fs::read(path).unwrap()).unwrap();
    text.push_str(
        "\r\n[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run]\r\n\
         \"Updater\"=\"C:\\\\evil.exe\"\r\n",
    );
    std::fs::write(path, regfile::encode_regedit5(&text)).unwrap();

    h.get_by_label("↺ Undo last change").click();
    h.run();
    let m = h.state().policy().message().cloned().unwrap();
    assert_eq!(fx.read16("FastShutdownBehavior"), None, "{m:?}");
    h.get_by_label_contains("Restored 1 value");
    h.get_by_label_contains("Not restored (not shutdown settings):");
    h.get_by_label_contains("CurrentVersion\\Run value \"Updater\"");
    let m = h.state().policy().message().cloned().unwrap();
    assert_eq!(m.tone, mapi_shutdown::ui::theme::Tone::Warning);
}
