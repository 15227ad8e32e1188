//! `mapi-shutdown policy show|set|unset|export|import|history|undo|redo`.

use std::fmt::Write as _;

use mapi_shutdown::i18n;
use mapi_shutdown::policy::backup::{Backup, BackupKind};
use mapi_shutdown::policy::edit::{self, EditError, PlannedChange, WriteOutcome};
use mapi_shutdown::policy::gpo;
use mapi_shutdown::policy::settings::{
    SettingReport, SettingState, ShutdownValue, VersionReport, read_policy,
};
use mapi_shutdown::policy::store::{Hive, Location, RegistryStore};
use mapi_shutdown::policy::transfer::{self, ImportFormat, RefusalKind, data_text, describe_data};
use mapi_shutdown::policy::{OfficeVersion, RegistryData};
use mapi_shutdown::tr;

use super::out::{errln, out, outln};
use super::{CliError, ExportFormat, PolicyCommand, backups, command_line, open_store, print_json};

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
        PolicyCommand::Export {
            file,
            office,
            format,
            delete_unset,
        } => {
            let pol_name = file
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("pol"));
            match format.unwrap_or(if pol_name {
                ExportFormat::Pol
            } else {
                ExportFormat::Reg
            }) {
                ExportFormat::Pol => export_pol(registry, file, *office, *delete_unset),
                ExportFormat::Reg if *delete_unset => {
                    Err(CliError::Usage(tr!("policy-cli-delete-unset-pol-only")))
                }
                ExportFormat::Reg => export(registry, file, *office),
            }
        }
        PolicyCommand::Import { file, dry_run } => import(registry, file, *dry_run),
        PolicyCommand::History { json, all } => history(registry, *json, *all),
        PolicyCommand::Undo => undo(registry, false),
        PolicyCommand::Redo => undo(registry, true),
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
    parsed
        .map(|v| Some(RegistryData::Dword(v)))
        .ok_or_else(|| CliError::Usage(tr!("policy-cli-bad-expect", text = text)))
}

fn state_line(s: &SettingReport) -> String {
    match s.state {
        SettingState::NotConfigured => {
            tr!("policy-cli-state-not-configured", effective = s.effective)
        }
        SettingState::Valid => format!("{} = {}", data_text(s.raw.as_ref()), s.effective),
        SettingState::Invalid => tr!(
            "policy-cli-state-invalid",
            data = data_text(s.raw.as_ref()).to_string(),
            effective = s.effective
        ),
    }
}

fn render_version(v: &VersionReport) -> String {
    let mut out = String::new();
    let installed = if v.installed {
        tr!("policy-cli-installed")
    } else {
        tr!(
            "policy-cli-not-installed",
            key = format!("HKEY_CURRENT_USER\\{}", v.office.outlook_key())
        )
    };
    let _ = writeln!(
        out,
        "{}",
        tr!(
            "policy-cli-version",
            version = v.office.as_str(),
            products = v.products,
            installed = installed
        )
    );
    let key_line = if v.key_exists {
        v.key.clone()
    } else {
        tr!("policy-cli-key-absent", key = v.key.as_str())
    };
    let _ = writeln!(out, "  {key_line}");
    let lang = i18n::current();
    for s in &v.settings {
        // The words (meaning, reason, fix, ADMX) in the language in force.
        let _ = writeln!(out, "  {}: {}", s.name, state_line(s));
        if let Some(reason) = &s.reason {
            let _ = writeln!(
                out,
                "      {}",
                tr!("policy-cli-why-invalid", reason = reason.render(lang))
            );
        }
        let _ = writeln!(out, "      {}", s.meaning.render(lang));
        if let Some(policy) = s.admx_policy.as_ref().map(|p| p.render(lang)) {
            let line = match s.admx_state.as_ref().map(|st| st.render(lang)) {
                Some(st) => tr!("policy-cli-admx-state", policy = policy, state = st),
                None => tr!("policy-cli-admx", policy = policy),
            };
            let _ = writeln!(out, "      {line}");
        }
        if let Some(fix) = &s.fix {
            let _ = writeln!(
                out,
                "      {}",
                tr!("policy-cli-fix", fix = fix.render(lang))
            );
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
    let mut out = format!(
        "{}\n",
        tr!("policy-cli-store", store = report.backend.as_str())
    );
    for v in &report.versions {
        out.push('\n');
        out.push_str(&render_version(v));
    }
    out!("{out}");
    Ok(())
}

fn print_changes(title: &str, changes: &[PlannedChange]) {
    if changes.is_empty() {
        return;
    }
    if !title.is_empty() {
        outln!("{title}");
    }
    let mut last_key = String::new();
    for c in changes {
        let key = c.at.full_key();
        if key != last_key {
            outln!("  {key}");
            last_key = key;
        }
        let name = c.at.value.as_deref().unwrap_or("");
        if c.is_noop() {
            outln!(
                "    {name}: {}",
                tr!(
                    "policy-cli-unchanged-value",
                    data = describe_data(&c.at, c.before.as_ref())
                )
            );
        } else {
            outln!(
                "    {name}: {} -> {}",
                describe_data(&c.at, c.before.as_ref()),
                describe_data(&c.at, c.after.as_ref())
            );
        }
    }
}

fn print_backup(backup: Option<&Backup>) {
    if let Some(b) = backup {
        outln!(
            "{}",
            tr!("policy-cli-backup", path = b.path.display().to_string())
        );
    }
}

fn report_outcome(outcome: &WriteOutcome, store: &dyn RegistryStore) {
    if outcome.written.is_empty() {
        outln!(
            "{}",
            tr!("policy-cli-nothing-to-write-in", store = store.describe())
        );
        print_changes("", &outcome.unchanged);
        return;
    }
    print_changes(
        &tr!("policy-cli-written-to", store = store.describe()),
        &outcome.written,
    );
    print_changes(&tr!("policy-cli-unchanged"), &outcome.unchanged);
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
    let now = store.read_value(Hive::CurrentUser, &key, which.name())?;
    let at = Location::value(Hive::CurrentUser, &key, which.name());
    if let Some(expected) = &expected
        && *expected != now
    {
        // Not a race: the value is simply not what the caller expected.
        let again = match &now {
            None => tr!("policy-cli-expect-again", expect = "absent"),
            Some(RegistryData::Dword(v)) => tr!("policy-cli-expect-again", expect = v.to_string()),
            Some(_) => tr!("policy-cli-expect-again-without"),
        };
        return Err(CliError::Failure(format!(
            "{}\n{again}",
            tr!(
                "policy-cli-expect-mismatch",
                at = at.to_string(),
                found = describe_data(&at, now.as_ref()),
                expected = describe_data(&at, expected.as_ref())
            )
        )));
    }
    let before = expected.unwrap_or(now);
    if !store.key_exists(Hive::CurrentUser, &office.outlook_key())? {
        errln!(
            "mapi-shutdown: {}",
            tr!(
                "policy-cli-note-not-installed",
                version = office.as_str(),
                key = format!("HKEY_CURRENT_USER\\{}", office.outlook_key())
            )
        );
    }
    let change = PlannedChange::new(at, before, after);
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
    outln!(
        "{}",
        tr!(
            "policy-cli-exported",
            values = values,
            keys = reg.keys().len(),
            store = store.describe(),
            path = file.display().to_string()
        )
    );
    Ok(())
}

/// `policy export --format pol`: the three policies as a Group Policy
/// `Registry.pol` (docs/group-policy.md).
fn export_pol(
    registry: Option<&str>,
    file: &std::path::Path,
    office: Option<OfficeVersion>,
    delete_unset: bool,
) -> Result<(), CliError> {
    let store = open_store(registry)?;
    let versions = match office {
        Some(v) => vec![v],
        None => OfficeVersion::ALL.to_vec(),
    };
    let out = gpo::export(store.as_ref(), &versions, delete_unset)?;
    for (at, data) in &out.skipped {
        errln!(
            "{}",
            tr!(
                "policy-cli-pol-skipped-invalid",
                at = at.to_string(),
                data = data.to_string()
            )
        );
    }
    gpo::write_file(&out.file, file)?;
    outln!(
        "{}",
        tr!(
            "policy-cli-exported-pol",
            values = out.values,
            deletions = out.deletions,
            store = store.describe(),
            path = file.display().to_string()
        )
    );
    Ok(())
}

fn import(registry: Option<&str>, file: &std::path::Path, dry_run: bool) -> Result<(), CliError> {
    let store = open_store(registry)?;
    let (format, plan) = transfer::plan_import_file(store.as_ref(), file)?;
    let (path, into) = (file.display().to_string(), store.describe());
    outln!(
        "{}",
        match format {
            ImportFormat::Reg => tr!("policy-cli-import-title", path = path, store = into),
            ImportFormat::Pol => tr!("policy-cli-import-pol-title", path = path, store = into),
        }
    );
    if plan.changes.is_empty() {
        outln!("  {}", tr!("policy-cli-import-empty"));
    }
    let (unchanged, changes): (Vec<_>, Vec<_>) = plan
        .changes
        .iter()
        .cloned()
        .partition(PlannedChange::is_noop);
    print_changes(&tr!("policy-cli-changes"), &changes);
    print_changes(&tr!("policy-cli-unchanged"), &unchanged);
    print_refused(&plan.refused);
    // Scripts tell a partial import by its exit code (3).
    let partial = || {
        if plan.refused.is_empty() {
            Ok(())
        } else {
            Err(CliError::Partial(tr!(
                "policy-cli-refused-warning",
                count = plan.refused.len(),
                path = file.display().to_string()
            )))
        }
    };
    if plan.changes.is_empty() && !plan.refused.is_empty() {
        return Err(CliError::Failure(tr!(
            "policy-cli-nothing-imported",
            path = file.display().to_string()
        )));
    }
    if dry_run {
        outln!("{}", tr!("policy-cli-dry-run"));
        return partial();
    }
    if changes.is_empty() {
        outln!("{}", tr!("policy-cli-nothing-to-write"));
        return partial();
    }
    let backups = backups()?;
    let outcome = edit::write(
        store.as_ref(),
        &backups,
        &command_line(),
        BackupKind::Change,
        plan.changes.clone(),
    )?;
    outln!(
        "{}",
        tr!(
            "policy-cli-imported",
            count = outcome.written.len(),
            store = store.describe()
        )
    );
    print_backup(outcome.backup.as_ref());
    partial()
}

/// The refused entries of an import or a restored backup, by kind: not
/// shutdown settings (foreign keys and values), invalid data for a
/// shutdown setting, shutdown keys not written that way; one line each.
fn print_refused(refused: &[transfer::Refusal]) {
    for kind in RefusalKind::ALL {
        let of_kind: Vec<&transfer::Refusal> = refused.iter().filter(|r| r.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        outln!(
            "{}",
            match kind {
                RefusalKind::Foreign => tr!("policy-cli-refused-foreign-title"),
                RefusalKind::InvalidData => tr!("policy-cli-refused-invalid-title"),
                RefusalKind::NotWritable => tr!("policy-cli-refused-not-writable-title"),
            }
        );
        print_refusal_lines(&of_kind);
    }
}

fn print_refusal_lines(refused: &[&transfer::Refusal]) {
    for r in refused {
        let reason = r.reason.to_string();
        match &r.value {
            Some(v) => outln!(
                "  {}",
                tr!(
                    "policy-cli-refused-value",
                    key = r.key.as_str(),
                    value = v.as_str(),
                    reason = reason
                )
            ),
            None => outln!("  [{}]: {reason}", r.key),
        }
    }
}

fn history(registry: Option<&str>, json: bool, all: bool) -> Result<(), CliError> {
    let store = open_store(registry)?.describe();
    let backups = backups()?;
    let mut list = backups
        .list()
        .map_err(|e| CliError::Failure(e.to_string()))?;
    let total = list.len();
    if !all {
        list.retain(|b| b.store == store);
    }
    if json {
        return print_json(&list);
    }
    let dir = backups.dir().display().to_string();
    match (list.is_empty(), all) {
        (true, true) => outln!("{}", tr!("policy-cli-no-backups", dir = dir.as_str())),
        (true, false) => outln!(
            "{}",
            tr!(
                "policy-cli-no-backups-of",
                store = store.as_str(),
                dir = dir.as_str()
            )
        ),
        (false, true) => outln!("{}", tr!("policy-cli-backups-in", dir = dir.as_str())),
        (false, false) => outln!(
            "{}",
            tr!(
                "policy-cli-backups-of",
                store = store.as_str(),
                dir = dir.as_str()
            )
        ),
    }
    for b in &list {
        let status = match (b.undone, b.kind) {
            (true, BackupKind::Undo) => format!(" [{}]", tr!("policy-cli-backup-redone")),
            (true, _) => format!(" [{}]", tr!("policy-cli-backup-undone")),
            (false, BackupKind::Undo) => format!(" [{}]", tr!("policy-cli-backup-by-undo")),
            (false, BackupKind::Redo) => format!(" [{}]", tr!("policy-cli-backup-by-redo")),
            (false, BackupKind::Change) => String::new(),
        };
        if all {
            outln!("{}  {}  {}{status}", b.id, b.store, b.command);
        } else {
            outln!("{}  {}{status}", b.id, b.command);
        }
        for e in &b.entries {
            outln!(
                "    {}",
                tr!(
                    "policy-history-was",
                    name = e.at.to_string(),
                    data = data_text(e.data.as_ref()).to_string()
                )
            );
        }
    }
    let others = total - list.len();
    if others > 0 {
        outln!("{}", tr!("policy-cli-backups-other", count = others));
    }
    Ok(())
}

/// `policy undo`, or with `redo` `policy redo`.
fn undo(registry: Option<&str>, redo: bool) -> Result<(), CliError> {
    let store = open_store(registry)?;
    let backups = backups()?;
    let dir = backups.dir().display().to_string();
    let result = if redo {
        edit::redo(store.as_ref(), &backups)
    } else {
        edit::undo(store.as_ref(), &backups)
    };
    let out = match result {
        Ok(out) => out,
        Err(EditError::NothingToUndo { store, undone, .. }) => {
            return Err(CliError::Failure(if undone == 0 {
                tr!("policy-cli-nothing-to-undo", store = store, dir = dir)
            } else {
                tr!(
                    "policy-cli-nothing-to-undo-all-undone",
                    store = store,
                    dir = dir,
                    count = undone
                )
            }));
        }
        Err(EditError::NothingToRedo { store, .. }) => {
            return Err(CliError::Failure(tr!(
                "policy-cli-nothing-to-redo",
                store = store
            )));
        }
        Err(e) => return Err(e.into()),
    };
    outln!(
        "{}",
        tr!(
            "policy-cli-restored",
            id = out.restored.id.as_str(),
            command = out.restored.command.as_str(),
            store = store.describe()
        )
    );
    print_changes("", &out.write.written);
    print_changes(&tr!("policy-cli-already-as-backup"), &out.write.unchanged);
    for key in &out.removed_keys {
        outln!("{}", tr!("policy-cli-undo-removed-key", key = key.as_str()));
    }
    if !out.refused.is_empty() {
        outln!("{}", tr!("policy-cli-undo-refused-title"));
        print_refusal_lines(&out.refused.iter().collect::<Vec<_>>());
        errln!(
            "mapi-shutdown: {}",
            tr!(
                "policy-cli-undo-refused-warning",
                count = out.refused.len(),
                path = out.restored.path.display().to_string()
            )
        );
    }
    let path = out.restored.path.display().to_string();
    if redo {
        outln!("{}", tr!("policy-cli-marked-redone", path = path));
    } else {
        outln!("{}", tr!("policy-cli-marked-undone", path = path));
    }
    if let Some(b) = &out.write.backup {
        let path = b.path.display().to_string();
        if redo {
            outln!("{}", tr!("policy-cli-redo-backup", path = path));
        } else {
            outln!("{}", tr!("policy-cli-undo-backup", path = path));
        }
    }
    if out.last {
        if redo {
            outln!("{}", tr!("policy-cli-redo-last", store = store.describe()));
        } else {
            outln!("{}", tr!("policy-cli-undo-last", store = store.describe()));
        }
    }
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
