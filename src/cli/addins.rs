//! `mapi-shutdown addins list|set`.

use mapi_shutdown::i18n;
use mapi_shutdown::policy::RegistryData;
use mapi_shutdown::policy::addins::{AddinRoot, ROOTS, View, list_addins};
use mapi_shutdown::policy::backup::BackupKind;
use mapi_shutdown::policy::edit::{self, PlannedChange};
use mapi_shutdown::policy::settings::{SettingState, ShutdownValue};
use mapi_shutdown::policy::store::{Hive, Location, RegistryStore};
use mapi_shutdown::policy::transfer::{data_text, describe_data};
use mapi_shutdown::tr;

use super::out::errln;
use super::out::outln;
use super::{AddinsCommand, CliError, backups, command_line, open_store, print_json};

pub(super) fn run(command: &AddinsCommand, registry: Option<&str>) -> Result<(), CliError> {
    match command {
        AddinsCommand::List { json } => list(registry, *json),
        AddinsCommand::Set {
            prog_id,
            require_shutdown_notification,
            hive,
            view,
        } => set(
            registry,
            prog_id,
            require_shutdown_notification,
            *hive,
            *view,
        ),
    }
}

fn list(registry: Option<&str>, json: bool) -> Result<(), CliError> {
    let store = open_store(registry)?;
    let list = list_addins(store.as_ref())?;
    for e in &list.errors {
        errln!(
            "mapi-shutdown: {}",
            tr!("policy-cli-warning", message = e.as_str())
        );
    }
    if json {
        return print_json(&list);
    }
    outln!("{}", tr!("policy-cli-store", store = list.backend.as_str()));
    if list.addins.is_empty() {
        outln!("{}", tr!("policy-cli-addins-none"));
        return Ok(());
    }
    let lang = i18n::current();
    for a in &list.addins {
        let name = a
            .friendly_name
            .as_deref()
            .map(|n| format!(" \"{n}\""))
            .unwrap_or_default();
        outln!();
        outln!("{}{name}  ({} {})", a.prog_id, a.hive.short_name(), a.view);
        outln!("  {}", a.key);
        match &a.load_behavior {
            Some(lb) => outln!("  LoadBehavior: {}", lb.meaning.render(lang)),
            None => outln!("  LoadBehavior: {}", tr!("policy-cli-absent")),
        }
        // The words (meaning, fix) in the language in force.
        let r = &a.require_shutdown_notification;
        let state = match r.state {
            SettingState::NotConfigured => {
                tr!("policy-cli-state-not-configured", effective = r.effective)
            }
            SettingState::Valid => format!("{} = {}", data_text(r.raw.as_ref()), r.effective),
            SettingState::Invalid => tr!(
                "policy-cli-state-invalid",
                data = data_text(r.raw.as_ref()).render(lang),
                effective = r.effective
            ),
        };
        outln!("  RequireShutdownNotification: {state}");
        outln!("      {}", r.meaning.render(lang));
        if let Some(fix) = &r.fix {
            outln!("      {}", tr!("policy-cli-fix", fix = fix.render(lang)));
        }
    }
    Ok(())
}

/// The add-in's name as its key stores it under `root` (the typed name
/// may differ in case), when it is registered there.
fn stored_name(
    store: &dyn RegistryStore,
    root: &AddinRoot,
    prog_id: &str,
) -> Result<Option<String>, CliError> {
    if !store.key_exists(root.hive, &root.addin_key(prog_id))? {
        return Ok(None);
    }
    let names = store.subkeys(root.hive, root.key).unwrap_or_default();
    Ok(Some(
        names
            .into_iter()
            .find(|n| n.eq_ignore_ascii_case(prog_id))
            .unwrap_or_else(|| prog_id.to_string()),
    ))
}

/// The root to write for `--hive`/`--view`: where the add-in is
/// registered, with the add-in's name as stored.
fn pick_root(
    store: &dyn RegistryStore,
    prog_id: &str,
    hive: Hive,
    view: Option<View>,
) -> Result<(AddinRoot, String), CliError> {
    if hive == Hive::CurrentUser && view == Some(View::Wow6432node) {
        return Err(CliError::Usage(tr!("policy-cli-view-hkcu")));
    }
    let chosen = |r: &AddinRoot| r.hive == hive && view.is_none_or(|v| v == r.view);
    let mut found = Vec::new();
    let mut elsewhere = Vec::new();
    for r in ROOTS {
        if let Some(name) = stored_name(store, &r, prog_id)? {
            if chosen(&r) {
                found.push((r, name));
            } else {
                elsewhere.push((r, name));
            }
        }
    }
    if found.len() == 1 {
        return Ok(found.remove(0));
    }
    if found.len() > 1 {
        return Err(CliError::Usage(tr!(
            "policy-cli-both-views",
            prog_id = found[0].1.as_str()
        )));
    }
    let places = ROOTS
        .iter()
        .filter(|r| chosen(r))
        .map(|r| r.hive.full_path(r.key))
        .collect::<Vec<_>>()
        .join(&tr!("policy-cli-or"));
    let missing = tr!(
        "policy-cli-no-addin",
        prog_id = prog_id,
        places = places,
        store = store.describe()
    );
    // Registered under the other hive or view: say where, and how to
    // write there.
    let hints: Vec<String> = elsewhere
        .iter()
        .map(|(r, name)| {
            tr!(
                "policy-cli-addin-elsewhere",
                key = r.hive.full_path(&r.addin_key(name)),
                args = match r.set_args().trim() {
                    "" => "--hive hkcu".to_string(),
                    args => args.to_string(),
                }
            )
        })
        .collect();
    Err(CliError::Failure(if hints.is_empty() {
        missing
    } else {
        format!("{missing}\n{}", hints.join("\n"))
    }))
}

fn set(
    registry: Option<&str>,
    prog_id: &str,
    word: &str,
    hive: Hive,
    view: Option<View>,
) -> Result<(), CliError> {
    let value = ShutdownValue::RequireShutdownNotification;
    let dword = value
        .parse_setting(word)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let store = open_store(registry)?;
    let backups = backups()?;
    let (root, prog_id) = pick_root(store.as_ref(), prog_id, hive, view)?;
    let key = root.addin_key(&prog_id);
    let before = store.read_value(root.hive, &key, value.name())?;
    let at = Location::value(root.hive, &key, value.name());
    let change = PlannedChange::new(at.clone(), before, Some(RegistryData::Dword(dword)));
    let outcome = edit::write(
        store.as_ref(),
        &backups,
        &command_line(),
        BackupKind::Change,
        vec![change],
    )?;
    match outcome.written.first() {
        Some(c) => {
            outln!(
                "{}: {}",
                at,
                tr!(
                    "policy-cli-addin-written",
                    before = describe_data(&at, c.before.as_ref()),
                    after = describe_data(&at, c.after.as_ref()),
                    store = store.describe()
                )
            );
            if let Some(b) = &outcome.backup {
                outln!(
                    "{}",
                    tr!(
                        "policy-cli-addin-backup",
                        path = b.path.display().to_string()
                    )
                );
            }
        }
        None => outln!(
            "{}",
            tr!(
                "policy-cli-addin-already",
                at = at.to_string(),
                data = describe_data(&at, Some(&RegistryData::Dword(dword)))
            )
        ),
    }
    Ok(())
}
