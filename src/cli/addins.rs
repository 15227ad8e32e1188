//! `mapi-shutdown addins list|set`.

use mapi_shutdown::policy::RegistryData;
use mapi_shutdown::policy::addins::{AddinRoot, ROOTS, View, list_addins};
use mapi_shutdown::policy::backup::BackupKind;
use mapi_shutdown::policy::edit::{self, PlannedChange};
use mapi_shutdown::policy::settings::{SettingState, ShutdownValue};
use mapi_shutdown::policy::store::{Hive, Location, RegistryStore, show_data};
use mapi_shutdown::policy::transfer::describe_data;

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
        eprintln!("mapi-shutdown: warning: {e}");
    }
    if json {
        return print_json(&list);
    }
    println!("Registry store: {}", list.backend);
    if list.addins.is_empty() {
        println!("No COM add-ins registered for Outlook.");
        return Ok(());
    }
    for a in &list.addins {
        let name = a
            .friendly_name
            .as_deref()
            .map(|n| format!(" \"{n}\""))
            .unwrap_or_default();
        println!();
        println!("{}{name}  ({} {})", a.prog_id, a.hive.short_name(), a.view);
        println!("  {}", a.key);
        match &a.load_behavior {
            Some(lb) => println!("  LoadBehavior: {}", lb.meaning),
            None => println!("  LoadBehavior: absent"),
        }
        let r = &a.require_shutdown_notification;
        let state = match r.state {
            SettingState::NotConfigured => format!("not configured (in force: {})", r.effective),
            SettingState::Valid => format!("{} = {}", show_data(r.raw.as_ref()), r.effective),
            SettingState::Invalid => format!(
                "INVALID {} (in force: {})",
                show_data(r.raw.as_ref()),
                r.effective
            ),
        };
        println!("  RequireShutdownNotification: {state}");
        println!("      {}", r.meaning);
        if let Some(fix) = &r.fix {
            println!("      fix: {fix}");
        }
    }
    Ok(())
}

/// The root to write for `--hive`/`--view`: where the add-in is registered.
fn pick_root(
    store: &dyn RegistryStore,
    prog_id: &str,
    hive: Hive,
    view: Option<View>,
) -> Result<AddinRoot, CliError> {
    if hive == Hive::CurrentUser && view == Some(View::Wow6432node) {
        return Err(CliError::Usage(
            "--view wow6432node exists only under --hive hklm (HKCU is shared by both views)"
                .to_string(),
        ));
    }
    let candidates: Vec<AddinRoot> = ROOTS
        .into_iter()
        .filter(|r| r.hive == hive && view.is_none_or(|v| v == r.view))
        .collect();
    let mut found = Vec::new();
    for r in &candidates {
        if store.key_exists(r.hive, &r.addin_key(prog_id))? {
            found.push(*r);
        }
    }
    match found.as_slice() {
        [one] => Ok(*one),
        [] => {
            let where_ = candidates
                .iter()
                .map(|r| r.hive.full_path(r.key))
                .collect::<Vec<_>>()
                .join(" or ");
            Err(CliError::Failure(format!(
                "no add-in {prog_id} under {where_} in {} (see `mapi-shutdown addins list`)",
                store.describe()
            )))
        }
        _ => Err(CliError::Usage(format!(
            "{prog_id} is registered in both HKLM views: choose --view native or --view wow6432node"
        ))),
    }
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
    let root = pick_root(store.as_ref(), prog_id, hive, view)?;
    let key = root.addin_key(prog_id);
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
            println!(
                "{}: {} -> {} (verified by reading back) in {}",
                at,
                describe_data(&at, c.before.as_ref()),
                describe_data(&at, c.after.as_ref()),
                store.describe()
            );
            if let Some(b) = &outcome.backup {
                println!(
                    "Backup of the previous value: {} (`mapi-shutdown policy undo` restores it)",
                    b.path.display()
                );
            }
        }
        None => println!(
            "{at} already holds {}: nothing written",
            describe_data(&at, Some(&RegistryData::Dword(dword)))
        ),
    }
    Ok(())
}
