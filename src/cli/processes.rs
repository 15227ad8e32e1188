//! The `processes` subcommand: one scan of this machine
//! ([`mapi_shutdown::processes::Scanner`]) printed as a table or as JSON:
//! the MAPI processes (default), every process (`--all`), or the processes
//! that have one DLL loaded (`--find-dll`, Process Explorer's "Find DLL").
//! Processes whose modules could not be read are listed with the reason
//! under `--all` and counted on stderr otherwise; malformed `MAPISVC.INF`
//! lines are warnings on stderr. Exit codes: 0 success (also when nothing
//! matched), 1 the scan failed or `--mapisvc` cannot be read.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use mapi_shutdown::i18n::KindText;
use mapi_shutdown::mapi::ProviderKind;
use mapi_shutdown::processes::{
    Difference, MapiSvcChoice, ModulesError, ProcessEntry, ScanOptions, Scanner, decimal,
    default_system32,
};
use mapi_shutdown::tr;

use super::out::{errln, out, outln};
use super::{CliError, finish, print_json};

/// `mapi-shutdown processes …`.
#[derive(Debug, Args)]
pub struct ProcessesArgs {
    /// List every process, not only MAPI processes (those with a MAPI
    /// subsystem DLL loaded); processes whose modules cannot be read are
    /// shown with the reason ("access denied").
    #[arg(long)]
    all: bool,
    /// List the processes that have this DLL loaded (file name, any case;
    /// `.dll` may be left off), whatever they are.
    #[arg(long, value_name = "NAME")]
    find_dll: Option<String>,
    /// Print one JSON array: `[{"pid","name","path","user","subsystem",
    /// "providers","instrumented","modules_error",…}]`.
    #[arg(long)]
    json: bool,
    /// Extend the provider catalog from this MAPISVC.INF (default: the one
    /// next to each subsystem DLL, else System32).
    #[arg(long, value_name = "PATH")]
    mapisvc: Option<PathBuf>,
}

/// The subsystem, as printed.
#[derive(Debug, Serialize)]
struct SubsystemJson<'a> {
    dll: &'a str,
    path: &'a str,
    version: Option<&'a str>,
    stub_loaded: bool,
}

/// A provider, as printed.
#[derive(Debug, Serialize)]
struct ProviderJson<'a> {
    dll: &'a str,
    path: Option<&'a str>,
    kinds: &'a [ProviderKind],
    name: &'a str,
    description: Option<&'a str>,
    loaded: bool,
    /// Display names the instrumented client declared for this DLL.
    declared: Vec<&'a str>,
    difference: Option<Difference>,
}

/// A process, as `processes --json` prints it.
#[derive(Debug, Serialize)]
struct ProcessJson<'a> {
    pid: u32,
    name: &'a str,
    path: Option<&'a str>,
    user: Option<&'a str>,
    subsystem: Option<SubsystemJson<'a>>,
    providers: Vec<ProviderJson<'a>>,
    instrumented: bool,
    modules_error: Option<String>,
    /// Start time, seconds since the Unix epoch (0: unknown).
    start_time: u64,
    /// Resident memory, bytes.
    memory: u64,
    /// A Wine process seen from Linux (`name`/`path` are the Windows ones).
    wine: bool,
    /// Number of modules listed.
    modules: usize,
    /// With `--find-dll`: the paths of the matching modules.
    #[serde(skip_serializing_if = "Option::is_none")]
    found: Option<Vec<&'a str>>,
}

fn to_json<'a>(p: &'a ProcessEntry, find: Option<&str>) -> ProcessJson<'a> {
    ProcessJson {
        pid: p.info.pid,
        name: &p.info.name,
        path: p.info.path.as_deref(),
        user: p.info.user.as_deref(),
        subsystem: p.subsystem.as_ref().map(|s| SubsystemJson {
            dll: &s.dll,
            path: &s.path,
            version: s.version.as_deref(),
            stub_loaded: s.stub_loaded,
        }),
        providers: p
            .providers
            .iter()
            .map(|r| ProviderJson {
                dll: &r.dll,
                path: r.path.as_deref(),
                kinds: &r.kinds,
                name: &r.name,
                description: r.description.as_deref(),
                loaded: r.loaded,
                declared: r.declared.iter().map(|d| d.name.as_str()).collect(),
                difference: r.difference,
            })
            .collect(),
        instrumented: p.instrumented,
        modules_error: p.modules_error().map(ToString::to_string),
        start_time: p.info.start_time,
        memory: p.info.memory,
        wine: p.info.wine,
        modules: p.module_list().len(),
        found: find.map(|n| p.find_dll(n).iter().map(|m| m.path.as_str()).collect()),
    }
}

/// The note about `count` processes whose modules could not be read
/// (`denied` of them refused): running as root, "run as root" is no advice.
fn uninspected_note(count: usize, denied: usize, root: bool) -> String {
    if root {
        tr!(
            "processes-cli-uninspected-root",
            count = count,
            denied = denied
        )
    } else {
        tr!("processes-cli-uninspected", count = count, denied = denied)
    }
}

/// Run `processes …`.
pub fn run_processes(args: &ProcessesArgs) -> std::process::ExitCode {
    finish(run(args))
}

fn run(args: &ProcessesArgs) -> Result<(), CliError> {
    if args
        .find_dll
        .as_deref()
        .is_some_and(|n| n.trim().is_empty())
    {
        return Err(CliError::Usage(tr!("processes-cli-find-dll-empty")));
    }
    let options = ScanOptions {
        mapisvc: match &args.mapisvc {
            Some(p) => MapiSvcChoice::File(p.clone()),
            None => MapiSvcChoice::Auto,
        },
        system32: default_system32(),
    };
    let mut scanner = Scanner::system(options).map_err(|e| CliError::Failure(e.localized()))?;
    // The CLI is not the monitor: no instrumented clients are known here
    // (the GUI passes the monitor's).
    let scan = scanner
        .scan(&[])
        .map_err(|e| CliError::Failure(e.localized()))?;
    for w in &scan.warnings {
        errln!(
            "{}",
            tr!("processes-cli-warning", warning = w.text().to_string())
        );
    }
    let find = args.find_dll.as_deref();
    let shown: Vec<&ProcessEntry> = scan
        .processes
        .iter()
        .filter(|p| match find {
            Some(name) => !p.find_dll(name).is_empty(),
            None => args.all || p.is_mapi(),
        })
        .collect();

    // Processes not inspected are listed under --all; otherwise say how
    // many could not be classified, so that none is skipped silently.
    if !args.all {
        let denied = scan
            .uninspected()
            .filter(|(_, e)| **e == ModulesError::AccessDenied)
            .count();
        let other = scan
            .uninspected()
            .filter(|(_, e)| !matches!(e, ModulesError::AccessDenied | ModulesError::Gone))
            .count();
        if denied + other > 0 {
            let n = denied + other;
            #[cfg(unix)]
            let root = mapi_shutdown::trace::files::euid() == 0;
            #[cfg(not(unix))]
            let root = false;
            errln!("{}", uninspected_note(n, denied, root));
        }
    }

    if args.json {
        let rows: Vec<ProcessJson<'_>> = shown.iter().map(|p| to_json(p, find)).collect();
        return print_json(&rows);
    }
    out!("{}", render_table(&shown, find));
    if shown.is_empty() {
        match find {
            Some(name) => outln!("{}", tr!("processes-cli-dll-not-loaded", dll = name)),
            None => outln!("{}", tr!("processes-cli-no-mapi")),
        }
    }
    if !scan.mapisvc_files.is_empty() {
        let files: Vec<String> = scan
            .mapisvc_files
            .iter()
            .map(|f| f.display().to_string())
            .collect();
        outln!(
            "{}",
            tr!("processes-cli-catalog-extended", files = files.join(", "))
        );
    }
    Ok(())
}

/// `12.3 MB` (French: `12,3 Mo`).
fn megabytes(bytes: u64) -> String {
    tr!(
        "processes-size-mb",
        value = decimal(bytes as f64 / 1_048_576.0, 1)
    )
}

/// The columns a string takes in a terminal (unicode-width: two for each
/// East Asian wide character, one for the others).
fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// `s` padded with spaces to `width` terminal columns, on the right
/// (`left`) or on the left.
fn pad(s: &str, width: usize, left: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(display_width(s)));
    if left {
        format!("{s}{fill}")
    } else {
        format!("{fill}{s}")
    }
}

/// The table: one row per process, then its providers indented under it
/// (or, with `--find-dll`, the matching module paths).
fn render_table(rows: &[&ProcessEntry], find: Option<&str>) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|p| {
            let subsystem = match (&p.subsystem, p.modules_error()) {
                (_, Some(e)) => format!("({})", e.localized()),
                (Some(s), None) => match &s.version {
                    Some(v) => format!("{} {v}", s.dll),
                    None => s.dll.clone(),
                },
                (None, None) => "-".to_owned(),
            };
            let [t, a, m] = p.provider_counts();
            let providers = if p.is_mapi() {
                tr!(
                    "processes-cli-provider-counts",
                    transport = t,
                    address_book = a,
                    message_store = m
                )
            } else {
                "-".to_owned()
            };
            [
                p.info.pid.to_string(),
                p.info.name.clone(),
                p.info.user.clone().unwrap_or_else(|| "?".to_owned()),
                megabytes(p.info.memory),
                subsystem,
                if p.instrumented {
                    tr!("processes-cli-instrumented", providers = providers)
                } else {
                    providers
                },
            ]
        })
        .collect();
    let header = [
        tr!("processes-cli-col-pid"),
        tr!("processes-cli-col-name"),
        tr!("processes-cli-col-user"),
        tr!("processes-cli-col-memory"),
        tr!("processes-cli-col-subsystem"),
        tr!("processes-cli-col-providers"),
    ];
    let mut widths = header.each_ref().map(|h| display_width(h));
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(display_width(c));
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, row: &[&str]| {
        let mut text = String::new();
        for (i, (c, w)) in row.iter().zip(widths).enumerate() {
            // Numbers (pid, memory) to the right.
            text.push_str(&pad(c, w, !(i == 0 || i == 3)));
            text.push_str("  ");
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&mut out, &header.each_ref().map(String::as_str));
    for (p, row) in rows.iter().zip(&cells) {
        line(&mut out, &row.each_ref().map(String::as_str));
        if let Some(name) = find {
            for m in p.find_dll(name) {
                let _ = writeln!(out, "      {}", m.path);
            }
            continue;
        }
        for r in &p.providers {
            let kinds: Vec<String> = r.kinds.iter().map(|k| k.localized()).collect();
            let _ = write!(out, "      {} ({}): {}", r.dll, kinds.join(", "), r.name);
            if let Some(d) = r.difference {
                let _ = write!(out, "  [{}]", d.localized());
            }
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn root_is_not_told_to_run_as_root() {
        mapi_shutdown::i18n::set_thread_lang(Some(mapi_shutdown::i18n::Lang::En));
        let user = super::uninspected_note(2, 1, false);
        assert!(user.contains("root on Linux"), "{user}");
        let root = super::uninspected_note(2, 1, true);
        assert!(!root.contains("Run as"), "{root}");
        assert!(
            root.contains("even as root") && root.contains("--all"),
            "{root}"
        );
        mapi_shutdown::i18n::set_thread_lang(None);
    }

    use super::*;
    use mapi_shutdown::processes::{
        FixedModules, FixedProcesses, Module, ProcessInfo, ScanOptions,
    };

    fn scan() -> mapi_shutdown::processes::Scan {
        let info = |pid, name: &str| ProcessInfo {
            pid,
            name: name.to_owned(),
            path: None,
            user: Some("bob".to_owned()),
            start_time: 0,
            memory: 3 * 1_048_576,
            wine: false,
        };
        let mut modules = FixedModules::default();
        let m = |n: &str| Module {
            name: n.to_owned(),
            path: format!("/x/{n}"),
        };
        modules
            .modules
            .insert(10, Ok(vec![m("olmapi32.dll"), m("mspst32.dll")]));
        modules.modules.insert(11, Err(ModulesError::AccessDenied));
        let mut s = Scanner::new(
            Box::new(FixedProcesses(vec![info(10, "OUTLOOK.EXE"), info(11, "x")])),
            Box::new(modules),
            ScanOptions {
                mapisvc: MapiSvcChoice::Off,
                system32: None,
            },
        );
        s.scan(&[]).expect("scan")
    }

    #[test]
    fn json_has_the_fields_of_the_issue() {
        let scan = scan();
        let v = serde_json::to_value(to_json(&scan.processes[0], None)).expect("json");
        for key in [
            "pid",
            "name",
            "path",
            "user",
            "subsystem",
            "providers",
            "instrumented",
            "modules_error",
        ] {
            assert!(v.get(key).is_some(), "{key} in {v}");
        }
        assert_eq!(v["subsystem"]["dll"], "olmapi32.dll");
        assert_eq!(v["subsystem"]["version"], serde_json::Value::Null);
        assert_eq!(v["providers"][0]["dll"], "mspst32.dll");
        assert_eq!(
            v["providers"][0]["kinds"],
            serde_json::json!(["address-book", "message-store"])
        );
        assert_eq!(v["providers"][0]["name"], "Personal Folders");
        assert_eq!(v["modules_error"], serde_json::Value::Null);
        let denied = serde_json::to_value(to_json(&scan.processes[1], None)).expect("json");
        assert_eq!(denied["modules_error"], "access denied");
        assert_eq!(denied["subsystem"], serde_json::Value::Null);
    }

    #[test]
    fn table_lists_providers_and_access_denied() {
        mapi_shutdown::i18n::set_thread_lang(Some(mapi_shutdown::i18n::Lang::En));
        let scan = scan();
        let rows: Vec<&ProcessEntry> = scan.processes.iter().collect();
        let text = render_table(&rows, None);
        assert!(text.starts_with("PID  NAME"), "{text}");
        assert!(text.contains("olmapi32.dll"), "{text}");
        assert!(text.contains("0 xp / 1 ab / 1 ms"), "{text}");
        assert!(
            text.contains("mspst32.dll (address book, message store): Personal Folders"),
            "{text}"
        );
        assert!(text.contains("(access denied)"), "{text}");
        assert!(text.contains("3.0 MB"), "{text}");
    }

    #[test]
    fn table_speaks_french_and_chinese_and_stays_aligned() {
        use mapi_shutdown::i18n::{Lang, set_thread_lang};
        let scan = scan();
        let rows: Vec<&ProcessEntry> = scan.processes.iter().collect();
        set_thread_lang(Some(Lang::Fr));
        let text = render_table(&rows, None);
        assert!(text.starts_with("PID  NOM"), "{text}");
        assert!(text.contains("(accès refusé)"), "{text}");
        assert!(
            text.contains("mspst32.dll (carnet d’adresses, banque de messages)"),
            "{text}"
        );
        assert!(text.contains("3,0\u{a0}Mo"), "{text}");
        set_thread_lang(Some(Lang::ZhCn));
        let text = render_table(&rows, None);
        assert!(text.contains("(拒绝访问)"), "{text}");
        // The user column starts at the same terminal column on each
        // line: the header's CJK words count two columns a character.
        let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with("      ")).collect();
        assert_eq!(lines.len(), 3, "{text}");
        let column_of = |line: &str, word: &str| {
            let at = line
                .find(word)
                .unwrap_or_else(|| panic!("{word} in {line}"));
            display_width(&line[..at])
        };
        let user = column_of(lines[0], "用户");
        assert_eq!(column_of(lines[1], "bob"), user, "{text}");
        assert_eq!(column_of(lines[2], "bob"), user, "{text}");
        let memory_end = |line: &str, word: &str| column_of(line, word) + display_width(word);
        assert_eq!(
            memory_end(lines[0], "内存"),
            memory_end(lines[1], "3.0 MB"),
            "{text}"
        );
        set_thread_lang(None);
    }

    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(display_width("PID"), 3);
        assert_eq!(display_width("提供程序"), 8);
        assert_eq!(display_width("mémoire"), 7);
        assert_eq!(pad("名称", 6, true), "名称  ");
        assert_eq!(pad("12", 4, false), "  12");
    }
}
