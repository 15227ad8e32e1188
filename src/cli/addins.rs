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

/// The root to write for `--hive`/`--view`: where the add-in is registered.
fn pick_root(
    store: &dyn RegistryStore,
    prog_id: &str,
    hive: Hive,
    view: Option<View>,
) -> Result<AddinRoot, CliError> {
    if hive == Hive::CurrentUser && view == Some(View::Wow6432node) {
        return Err(CliError::Usage(tr!("policy-cli-view-hkcu")));
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
                .join(&tr!("policy-cli-or"));
            Err(CliError::Failure(tr!(
                "policy-cli-no-addin",
                prog_id = prog_id,
                places = where_,
                store = store.describe()
            )))
        }
        _ => Err(CliError::Usage(tr!(
            "policy-cli-both-views",
            prog_id = prog_id
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
