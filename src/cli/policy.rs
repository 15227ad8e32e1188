//! `mapi-shutdown policy show|set|unset|export|import|history|undo`.

use std::fmt::Write as _;

use mapi_shutdown::policy::backup::{Backup, BackupKind};
use mapi_shutdown::policy::edit::{self, PlannedChange, WriteOutcome};
use mapi_shutdown::policy::settings::{
    SettingReport, SettingState, ShutdownValue, VersionReport, read_policy,
};
use mapi_shutdown::policy::store::{Hive, Location, RegistryStore, show_data};
use mapi_shutdown::policy::transfer::{self, describe_data};
use mapi_shutdown::policy::{OfficeVersion, RegistryData};

use super::{CliError, PolicyCommand, backups, command_line, open_store, print_json};

pub(super) fn run(command: &PolicyCommand, registry: Option<&str>) -> Result<(), CliError> {
    match command {
        PolicyCommand::Show { office, json } => show(registry, *office, *json),
        PolicyCommand::Set {
            name,
            value,
            office,
            expect,
        } => {
            let which =
                ShutdownValue::policy_by_name(name).map_err(|e| CliError::Usage(e.to_string()))?;
            let dword = which
                .parse_setting(value)
                .map_err(|e| CliError::Usage(e.to_string()))?;
            set(
                registry,
                which,
                Some(RegistryData::Dword(dword)),
                office.unwrap_or(OfficeVersion::V16),
                expect.as_deref(),
            )
        }
        PolicyCommand::Unset {
            name,
            office,
            expect,
        } => {
            let which =
                ShutdownValue::policy_by_name(name).map_err(|e| CliError::Usage(e.to_string()))?;
            set(
                registry,
                which,
                None,
                office.unwrap_or(OfficeVersion::V16),
                expect.as_deref(),
            )
        }
        PolicyCommand::Export { file, office } => export(registry, file, *office),
        PolicyCommand::Import { file, dry_run } => import(registry, file, *dry_run),
        PolicyCommand::History { json } => history(*json),
        PolicyCommand::Undo => undo(registry),
    }
}

/// `--expect DATA`: `absent`, a decimal number or `dword:XXXXXXXX`.
pub(super) fn parse_expect(text: &str) -> Result<Option<RegistryData>, CliError> {
    let t = text.trim().to_ascii_lowercase();
    if matches!(t.as_str(), "absent" | "none" | "not-configured") {
        return Ok(None);
    }
    let parsed = match t.strip_prefix("dword:") {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => t.parse::<u32>().ok(),
    };
    parsed.map(|v| Some(RegistryData::Dword(v))).ok_or_else(|| {
        CliError::Usage(format!(
            "`{text}` is not an expected value: use absent, a number, or dword:XXXXXXXX"
        ))
    })
}

fn state_line(s: &SettingReport) -> String {
    match s.state {
        SettingState::NotConfigured => format!("not configured (in force: {})", s.effective),
        SettingState::Valid => format!("{} = {}", show_data(s.raw.as_ref()), s.effective),
        SettingState::Invalid => format!(
            "INVALID {} (in force: {})",
            show_data(s.raw.as_ref()),
            s.effective
        ),
    }
}

fn render_version(v: &VersionReport) -> String {
    let mut out = String::new();
    let installed = if v.installed {
        "installed".to_string()
    } else {
        format!(
            "not installed for this user (no HKEY_CURRENT_USER\\{})",
            v.office.outlook_key()
        )
    };
    let _ = writeln!(out, "Office {} ({}): {installed}", v.office, v.products);
    let key_note = if v.key_exists { "" } else { " (key absent)" };
    let _ = writeln!(out, "  {}{key_note}", v.key);
    for s in &v.settings {
        let _ = writeln!(out, "  {}: {}", s.name, state_line(s));
        if let Some(reason) = &s.reason {
            let _ = writeln!(out, "      why invalid: {reason}");
        }
        let _ = writeln!(out, "      {}", s.meaning);
        if let Some(policy) = s.admx_policy {
            let state = s
                .admx_state
                .as_deref()
                .map(|st| format!(": {st}"))
                .unwrap_or_default();
            let _ = writeln!(out, "      ADMX \"{policy}\"{state}");
        }
        if let Some(fix) = &s.fix {
            let _ = writeln!(out, "      fix: {fix}");
        }
    }
    out
}

fn show(registry: Option<&str>, office: Option<OfficeVersion>, json: bool) -> Result<(), CliError> {
    let store = open_store(registry)?;
    let versions: Vec<OfficeVersion> = match office {
        Some(v) => vec![v],
        None => OfficeVersion::ALL.to_vec(),
    };
    let report = read_policy(store.as_ref(), &versions)?;
    if json {
        return print_json(&report);
    }
    let mut out = format!("Registry store: {}\n", report.backend);
    for v in &report.versions {
        out.push('\n');
        out.push_str(&render_version(v));
    }
    print!("{out}");
    Ok(())
}

fn print_changes(title: &str, changes: &[PlannedChange]) {
    if changes.is_empty() {
        return;
    }
    if !title.is_empty() {
        println!("{title}");
    }
    let mut last_key = String::new();
    for c in changes {
        let key = c.at.full_key();
        if key != last_key {
            println!("  {key}");
            last_key = key;
        }
        let name = c.at.value.as_deref().unwrap_or("");
        if c.is_noop() {
            println!(
                "    {name}: {} (unchanged)",
                describe_data(&c.at, c.before.as_ref())
            );
        } else {
            println!(
                "    {name}: {} -> {}",
                describe_data(&c.at, c.before.as_ref()),
                describe_data(&c.at, c.after.as_ref())
            );
        }
    }
}

fn print_backup(backup: Option<&Backup>) {
    if let Some(b) = backup {
        println!(
            "Backup of the previous values: {} (`mapi-shutdown policy undo` restores them)",
            b.path.display()
        );
    }
}

fn report_outcome(outcome: &WriteOutcome, store: &dyn RegistryStore) {
    if outcome.written.is_empty() {
        println!(
            "Nothing to write in {}: every value already holds that data.",
            store.describe()
        );
        print_changes("", &outcome.unchanged);
        return;
    }
    print_changes(
        &format!(
            "Written to {} (verified by reading back):",
            store.describe()
        ),
        &outcome.written,
    );
    print_changes("Unchanged:", &outcome.unchanged);
    print_backup(outcome.backup.as_ref());
}

fn set(
    registry: Option<&str>,
    which: ShutdownValue,
    after: Option<RegistryData>,
    office: OfficeVersion,
    expect: Option<&str>,
) -> Result<(), CliError> {
    let expected = expect.map(parse_expect).transpose()?;
    let store = open_store(registry)?;
    let backups = backups()?;
    let key = office.shutdown_policy_key();
    let before = match expected {
        Some(e) => e,
        None => store.read_value(Hive::CurrentUser, &key, which.name())?,
    };
    if !store.key_exists(Hive::CurrentUser, &office.outlook_key())? {
        eprintln!(
            "mapi-shutdown: note: Outlook {office} is not installed for this user (no \
             HKEY_CURRENT_USER\\{}); writing its policy anyway",
            office.outlook_key()
        );
    }
    let change = PlannedChange::new(
        Location::value(Hive::CurrentUser, &key, which.name()),
        before,
        after,
    );
    let outcome = edit::write(
        store.as_ref(),
        &backups,
        &command_line(),
        BackupKind::Change,
        vec![change],
    )?;
    report_outcome(&outcome, store.as_ref());
    Ok(())
}

fn export(
    registry: Option<&str>,
    file: &std::path::Path,
    office: Option<OfficeVersion>,
) -> Result<(), CliError> {
    let store = open_store(registry)?;
    let (versions, with_addins) = match office {
        Some(v) => (vec![v], false),
        None => (OfficeVersion::ALL.to_vec(), true),
    };
    let reg = transfer::export(store.as_ref(), &versions, with_addins)?;
    transfer::write_reg_file(&reg, file)?;
    let values: usize = reg.keys().values().map(|k| k.values().len()).sum();
    println!(
        "Exported {values} value(s) in {} key(s) from {} to {}",
        reg.keys().len(),
        store.describe(),
        file.display()
    );
    Ok(())
}

fn import(registry: Option<&str>, file: &std::path::Path, dry_run: bool) -> Result<(), CliError> {
    let reg = transfer::read_import_file(file)?;
    let store = open_store(registry)?;
    let plan = transfer::plan_import(store.as_ref(), &reg)?;
    println!("Import of {} into {}:", file.display(), store.describe());
    if plan.changes.is_empty() {
        println!("  no shutdown settings in the file");
    }
    let (unchanged, changes): (Vec<_>, Vec<_>) = plan
        .changes
        .iter()
        .cloned()
        .partition(PlannedChange::is_noop);
    print_changes("Changes:", &changes);
    print_changes("Unchanged:", &unchanged);
    if !plan.refused.is_empty() {
        println!("Refused (not shutdown settings; not imported):");
        for r in &plan.refused {
            match &r.value {
                Some(v) => println!("  {} value \"{v}\": {}", r.key, r.reason),
                None => println!("  [{}]: {}", r.key, r.reason),
            }
        }
        eprintln!(
            "mapi-shutdown: warning: {} entr{} of {} refused (see the list above)",
            plan.refused.len(),
            if plan.refused.len() == 1 { "y" } else { "ies" },
            file.display()
        );
    }
    if plan.changes.is_empty() && !plan.refused.is_empty() {
        return Err(CliError::Failure(format!(
            "nothing imported: {} holds no shutdown setting",
            file.display()
        )));
    }
    if dry_run {
        println!("Dry run: nothing written.");
        return Ok(());
    }
    if changes.is_empty() {
        println!("Nothing to write: every value already holds that data.");
        return Ok(());
    }
    let backups = backups()?;
    let outcome = edit::write(
        store.as_ref(),
        &backups,
        &command_line(),
        BackupKind::Change,
        plan.changes,
    )?;
    println!(
        "Imported {} value(s) into {} (verified by reading back).",
        outcome.written.len(),
        store.describe()
    );
    print_backup(outcome.backup.as_ref());
    Ok(())
}

fn history(json: bool) -> Result<(), CliError> {
    let backups = backups()?;
    let list = backups
        .list()
        .map_err(|e| CliError::Failure(e.to_string()))?;
    if json {
        return print_json(&list);
    }
    if list.is_empty() {
        println!("No backups in {}.", backups.dir().display());
        return Ok(());
    }
    println!("Backups in {} (newest first):", backups.dir().display());
    for b in &list {
        let status = match (b.undone, b.kind) {
            (true, _) => " [undone]",
            (false, BackupKind::Undo) => " [taken by undo]",
            (false, BackupKind::Change) => "",
        };
        println!("{}  {}  {}{status}", b.id, b.store, b.command);
        for e in &b.entries {
            println!("    {} was {}", e.at, show_data(e.data.as_ref()));
        }
    }
    Ok(())
}

fn undo(registry: Option<&str>) -> Result<(), CliError> {
    let store = open_store(registry)?;
    let backups = backups()?;
    let out = edit::undo(store.as_ref(), &backups)?;
    println!(
        "Restored backup {} ({}) in {}:",
        out.restored.id,
        out.restored.command,
        store.describe()
    );
    print_changes("", &out.write.written);
    print_changes("Already as in the backup:", &out.write.unchanged);
    println!("Marked undone: {}", out.restored.path.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expect_values() {
        assert_eq!(parse_expect("absent").ok(), Some(None));
        assert_eq!(parse_expect("2").ok(), Some(Some(RegistryData::Dword(2))));
        assert_eq!(
            parse_expect("dword:0000000a").ok(),
            Some(Some(RegistryData::Dword(10)))
        );
        assert!(parse_expect("two").is_err());
    }
}
