//! The `policy`, `addins`, `watch`, `analyze`, `processes` and `report`
//! subcommands of the binary: their clap arguments, and thin drivers over the library
//! (`policy` does the reading, validation, safe writes, backups and `.reg`
//! transfer; `monitor` the live capture; `processes` the scan; `report`
//! the report model and its formats) that print
//! for people or as JSON. Exit codes: 0 success, 1 failure (the
//! reason on stderr), 2 bad usage (clap's own errors too), 3 done in part:
//! `policy import` wrote (or with `--dry-run` would write) what it could
//! and refused the rest, listed on stdout.

mod addins;
mod capture;
pub(crate) mod clap_text;
pub(crate) mod help_text;
mod live;
pub(crate) mod out;
mod policy;
mod processes;
mod report;

pub use capture::{CaptureArgs, run_capture};
pub use live::{AnalyzeArgs, WatchArgs, run_analyze, run_watch};
pub use processes::{ProcessesArgs, run_processes};
pub use report::{ReportArgs, run_report};

use std::process::ExitCode;

use out::errln;

use clap::{Args, Subcommand};

use mapi_shutdown::policy::OfficeVersion;
use mapi_shutdown::policy::addins::View;
use mapi_shutdown::policy::backup::BackupDir;
use mapi_shutdown::policy::edit::{EditError, access_denied_advice};
use mapi_shutdown::policy::store::{Hive, RegistryStore, StoreError, StoreSpec};

/// `mapi-shutdown policy …`.
#[derive(Debug, Args)]
pub struct PolicyArgs {
    #[command(subcommand)]
    command: PolicyCommand,
}

#[derive(Debug, Subcommand)]
enum PolicyCommand {
    /// Show the fast-shutdown policy of every Office version (14.0, 15.0,
    /// 16.0): each value not configured, valid or invalid, with its raw
    /// data, what the subsystem or Outlook does with it, its ADMX policy,
    /// and a fix for invalid data.
    Show {
        /// Only this Office version (14.0, 15.0, 16.0; or 2010, 2013,
        /// 2016, 2019, 2021, 365).
        #[arg(long, value_name = "VER", value_parser = parse_office)]
        office: Option<OfficeVersion>,
        /// Print one JSON document.
        #[arg(long)]
        json: bool,
    },
    /// Write a policy value (a REG_DWORD), after backing up the old one.
    /// NAME: FastShutdownBehavior, AddinFastShutdownBehavior or
    /// allowshutdownwithexternalreferences (any case). VALUE:
    /// FastShutdownBehavior 0|opt-out, 1|opt-in, 2|disabled;
    /// AddinFastShutdownBehavior 1|on (Outlook calls its add-ins'
    /// OnBeginShutdown/OnDisconnection) or 0|off;
    /// allowshutdownwithexternalreferences 1|on|allow (shut down even with
    /// external references; the ADMX policy "Prevent shutdown if external
    /// references exist" Disabled) or 0|off|prevent (block shutdown; the
    /// ADMX policy Enabled).
    Set {
        /// The value's name.
        name: String,
        /// The setting (number or word).
        value: String,
        /// The Office version (default 16.0): 14.0, 15.0, 16.0, or 2010,
        /// 2013, 2016, 2019, 2021, 365.
        #[arg(long, value_name = "VER", value_parser = parse_office)]
        office: Option<OfficeVersion>,
        /// Write only if the value is currently DATA (`absent`, a number,
        /// or `dword:XXXXXXXX`); else stop and show both.
        #[arg(long, value_name = "DATA")]
        expect: Option<String>,
    },
    /// Delete a policy value (back to "not configured"), after backing it up.
    Unset {
        /// The value's name (any case).
        name: String,
        /// The Office version (default 16.0): 14.0, 15.0, 16.0, or 2010,
        /// 2013, 2016, 2019, 2021, 365.
        #[arg(long, value_name = "VER", value_parser = parse_office)]
        office: Option<OfficeVersion>,
        /// Delete only if the value is currently DATA (see `set`).
        #[arg(long, value_name = "DATA")]
        expect: Option<String>,
    },
    /// Export the shutdown settings as a regedit .reg file (UTF-16LE, what
    /// `reg import` and regedit read): every Office version and the add-ins'
    /// RequireShutdownNotification, or one version's policy key. With
    /// `--format pol` (or a FILE ending in .pol): the three policies as a
    /// Group Policy Registry.pol, for a GPO's User\Registry.pol (add-ins
    /// are not policies and are left out; invalid data is left out and
    /// listed).
    Export {
        /// The file to write (.reg, or Registry.pol with --format pol).
        file: std::path::PathBuf,
        /// Only this Office version's policy key (14.0, 15.0, 16.0; or
        /// 2010, 2013, 2016, 2019, 2021, 365).
        #[arg(long, value_name = "VER", value_parser = parse_office)]
        office: Option<OfficeVersion>,
        /// reg (regedit) or pol (Group Policy Registry.pol). Default: pol
        /// when FILE ends in .pol, else reg.
        #[arg(long, value_name = "reg|pol", value_parser = parse_export_format)]
        format: Option<ExportFormat>,
        /// pol only: write a "delete" record (**del.) for each policy that
        /// is not configured, so that the GPO removes a value set earlier.
        #[arg(long)]
        delete_unset: bool,
    },
    /// Import shutdown settings from a .reg file or a Group Policy
    /// Registry.pol (told by its content): show the diff against the
    /// current values, then apply only the shutdown values (the three
    /// policy values under a Shutdown key, RequireShutdownNotification
    /// under a registered add-in's key); anything else is listed and
    /// refused: foreign keys and values apart from invalid data for a
    /// shutdown setting. A Registry.pol's keys apply to HKEY_CURRENT_USER
    /// (a GPO's User\Registry.pol). Exits 0 when everything was imported,
    /// 3 when some entries were refused (the rest imported), 1 when
    /// nothing could be.
    Import {
        /// The .reg file (regedit 5 UTF-16 or REGEDIT4) or Registry.pol.
        file: std::path::PathBuf,
        /// Show the diff, write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// List the backups of this registry store (--registry) taken before
    /// writes, newest first.
    History {
        /// Print one JSON document.
        #[arg(long)]
        json: bool,
        /// The backups of every registry store, not only this one.
        #[arg(long)]
        all: bool,
    },
    /// Restore the newest backup of this registry store not undone yet
    /// and mark it undone (a key the change created is removed again when
    /// empty); says when no older change is left.
    Undo,
    /// Reapply what the last undo of this registry store restored, until a
    /// new change is made.
    Redo,
}

/// `mapi-shutdown addins …`.
#[derive(Debug, Args)]
pub struct AddinsArgs {
    #[command(subcommand)]
    command: AddinsCommand,
}

#[derive(Debug, Subcommand)]
enum AddinsCommand {
    /// List Outlook's COM add-ins (HKCU, HKLM, HKLM WOW6432Node) with
    /// RequireShutdownNotification, LoadBehavior and FriendlyName.
    List {
        /// Print one JSON document.
        #[arg(long)]
        json: bool,
    },
    /// Set an add-in's RequireShutdownNotification (1 gives it the
    /// blocking shutdown callbacks and slows shutdown, KB 2790282), after
    /// backing up the old value. The add-in's key must exist.
    Set {
        /// The add-in's ProgID (its key's name).
        prog_id: String,
        /// on (1) or off (0).
        #[arg(long, value_name = "on|off")]
        require_shutdown_notification: String,
        /// hkcu or hklm.
        #[arg(long, default_value = "hkcu")]
        hive: Hive,
        /// Under HKLM: native or wow6432node (32-bit Office on 64-bit
        /// Windows); default: where the add-in is registered.
        #[arg(long)]
        view: Option<View>,
    },
}

/// `--office`: a registry version (`14.0`, `15`) or the product's year,
/// as admins name it: 2010 is 14.0, 2013 15.0, and 2016, 2019, 2021 and
/// 365 all share 16.0.
pub(crate) fn parse_office(text: &str) -> Result<OfficeVersion, String> {
    let version = match text.trim() {
        "2010" => "14.0",
        "2013" => "15.0",
        "2016" | "2019" | "2021" | "365" => "16.0",
        other => other,
    };
    version
        .parse()
        .map_err(|_| mapi_shutdown::tr!("cli-bad-office", given = text))
}

/// What `policy export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ExportFormat {
    /// A regedit `.reg` file.
    Reg,
    /// A Group Policy `Registry.pol`.
    Pol,
}

/// `--format` of `policy export`: `reg` or `pol` (any case).
pub(crate) fn parse_export_format(text: &str) -> Result<ExportFormat, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "reg" => Ok(ExportFormat::Reg),
        "pol" => Ok(ExportFormat::Pol),
        _ => Err(mapi_shutdown::tr!("cli-bad-export-format", given = text)),
    }
}

/// A failure to report: usage (exit 2), done in part (exit 3: the
/// command did what it could and lists the rest) or anything else (exit 1).
enum CliError {
    Usage(String),
    Failure(String),
    Partial(String),
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        if e.is_access_denied() {
            CliError::Failure(format!("{e}\n{}", access_denied_advice()))
        } else {
            CliError::Failure(e.to_string())
        }
    }
}

impl From<EditError> for CliError {
    fn from(e: EditError) -> Self {
        match e {
            EditError::Store(s) => {
                let concurrent = matches!(s, StoreError::ConcurrentChange { .. });
                let mut err = CliError::from(s);
                if concurrent && let CliError::Failure(m) = &mut err {
                    m.push('\n');
                    m.push_str(&mapi_shutdown::tr!("cli-concurrent-change"));
                }
                err
            }
            other => CliError::Failure(other.to_string()),
        }
    }
}

fn finish(result: Result<(), CliError>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Usage(m)) => {
            errln!("mapi-shutdown: {m}");
            ExitCode::from(2)
        }
        Err(CliError::Failure(m)) => {
            errln!("mapi-shutdown: {m}");
            ExitCode::from(1)
        }
        Err(CliError::Partial(m)) => {
            errln!("mapi-shutdown: {m}");
            ExitCode::from(3)
        }
    }
}

/// The store `--registry` chose.
fn open_store(registry: Option<&str>) -> Result<Box<dyn RegistryStore>, CliError> {
    let spec = StoreSpec::from_option(registry).map_err(|e| CliError::Usage(e.to_string()))?;
    Ok(spec.open()?)
}

fn backups() -> Result<BackupDir, CliError> {
    BackupDir::from_env().map_err(|e| CliError::Failure(e.to_string()))
}

/// The command line, for the backup's record.
fn command_line() -> String {
    std::env::args().skip(1).collect::<Vec<_>>().join(" ")
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| {
        CliError::Failure(mapi_shutdown::tr!(
            "cli-json-encode-failed",
            error = e.to_string()
        ))
    })?;
    out::json(&format!("{text}\n"));
    Ok(())
}

/// Run `policy …` against the store `registry` names.
pub fn run_policy(args: &PolicyArgs, registry: Option<&str>) -> ExitCode {
    finish(policy::run(&args.command, registry))
}

/// Run `addins …` against the store `registry` names.
pub fn run_addins(args: &AddinsArgs, registry: Option<&str>) -> ExitCode {
    finish(addins::run(&args.command, registry))
}

#[cfg(test)]
mod tests {
    use super::*;
    use mapi_shutdown::policy::store::{Location, Operation};

    fn message(e: CliError) -> (bool, String) {
        match e {
            CliError::Usage(m) => (true, m),
            CliError::Failure(m) | CliError::Partial(m) => (false, m),
        }
    }

    #[test]
    fn access_denied_offers_the_alternatives() {
        let denied = EditError::Store(StoreError::AccessDenied {
            at: Location::value(
                Hive::CurrentUser,
                r"Software\Policies\Microsoft\Office\16.0\Outlook\Options\Shutdown",
                "FastShutdownBehavior",
            ),
            op: Operation::Write,
        });
        let (usage, m) = message(CliError::from(denied));
        assert!(!usage);
        assert!(
            m.starts_with("access denied writing HKEY_CURRENT_USER\\Software\\Policies"),
            "{m}"
        );
        assert!(m.contains("value \"FastShutdownBehavior\""), "{m}");
        for alternative in ["elevated", "policy export", "reg import", "Group Policy"] {
            assert!(m.contains(alternative), "{alternative} in {m}");
        }
    }

    #[test]
    fn concurrent_change_says_what_to_do() {
        let e = EditError::Store(StoreError::ConcurrentChange {
            at: Location::value(Hive::CurrentUser, "K", "V"),
            expected: None,
            found: Some(mapi_shutdown::policy::RegistryData::Dword(1)),
        });
        let (_, m) = message(CliError::from(e));
        assert!(m.contains("not configured (absent)") && m.contains("REG_DWORD 0x00000001 (1)"));
        assert!(m.contains("policy show"), "{m}");
    }
}
