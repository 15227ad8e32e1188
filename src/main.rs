//! The `mapi-shutdown` binary: the command line (clap), and with no
//! subcommand the desktop application.
//!
//! Exit codes: 0 success; 1 a run failed (e.g. the trace file cannot be
//! created); 2 bad usage (clap's errors printed as ours, `mapi-shutdown:
//! …`) or a bad scenario file; 3 done in part (`policy import` refused
//! some entries and applied the rest); 137
//! ([`mapi_shutdown::simulate::KILLED_EXIT_CODE`]) a `simulate` run whose
//! scenario kills the client during `DoFastShutdown`. A closed standard
//! output (`… | head -1`) ends any subcommand quietly with 0 (`cli::out`).
//!
//! The Windows release build is a Windows-subsystem program (no console
//! window when the application starts); its subcommands print to the
//! console they were started from ([`console`]).

// Debug builds stay console programs: the tests run them and read their
// output, and a developer sees panics.
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

mod cli;
mod console;

use mapi_shutdown::i18n::{self, Lang};
use mapi_shutdown::policy::FastShutdownBehavior;
use mapi_shutdown::simulate::{self, Kill, RunOptions, Scenario, ScenarioError, Summary};
use mapi_shutdown::tr;
use mapi_shutdown::trace::Endpoint;
use mapi_shutdown::trace::spool::spool_dir_from_env;

/// Edit, watch and explain MAPI client fast shutdown.
#[derive(Debug, Parser)]
#[command(name = "mapi-shutdown", version, about)]
struct Cli {
    // The options an environment variable can give are read from it after
    // parsing (`Cli::with_env`), not through clap's `env`: clap would show
    // them as required in every usage line once the variable is set.
    /// Name of the local endpoint the monitor listens on and instrumented
    /// clients connect to (default: MAPI_SHUTDOWN_ENDPOINT, else one per
    /// user).
    #[arg(long, global = true, value_name = "NAME")]
    endpoint: Option<String>,

    /// Registry store: `windows`, `file:PATH` or `memory` (default:
    /// MAPI_SHUTDOWN_REGISTRY, else the platform's).
    #[arg(long, global = true, value_name = "SPEC")]
    registry: Option<String>,

    /// Renderer of the window when no subcommand is given: `auto` (wgpu
    /// on Windows, OpenGL under Wine and elsewhere, the other one when the
    /// first cannot start), `wgpu` or `glow`. MAPI_SHUTDOWN_RENDERER
    /// overrides it.
    #[arg(long, value_name = "auto|wgpu|glow", default_value = "auto")]
    renderer: String,

    /// Language of the window and of the human output: en, fr or zh-CN
    /// (any locale name works: fr-CA, zh_TW.UTF-8). Default:
    /// MAPI_SHUTDOWN_LANG, else the window's remembered choice, else the OS
    /// user's language. JSON output is the same in every language.
    #[arg(long, global = true, value_name = "en|fr|zh-CN")]
    lang: Option<Lang>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a MAPI client described by a scenario file (TOML, see
    /// docs/scenarios.md) on the instrumented subsystem, in this process:
    /// its sessions and providers, the shutdown it performs, the trace it
    /// writes; then print a summary of every call and whether fast
    /// shutdown was taken. Exits 0, 2 for a bad scenario, 137 when the
    /// scenario has the client killed during DoFastShutdown.
    Simulate(SimulateArgs),
    /// Read, check and edit the per-user fast-shutdown policy
    /// (FastShutdownBehavior, AddinFastShutdownBehavior,
    /// allowshutdownwithexternalreferences) of Office 14.0, 15.0 and 16.0
    /// in the registry store (--registry), with backups, undo and .reg
    /// import/export (docs/policy.md).
    Policy(cli::PolicyArgs),
    /// List Outlook's COM add-ins and set their RequireShutdownNotification.
    Addins(cli::AddinsArgs),
    /// Listen on the endpoint (--endpoint) as the monitor: print each
    /// instrumented client as it connects and its shutdown verdict when its
    /// connection closes (outcome, reason, findings, duration); optionally
    /// record every stream (--out) for `analyze` (docs/live-capture.md).
    Watch(cli::WatchArgs),
    /// Print the shutdown verdicts of recorded traces: a trace file
    /// (simulate --trace-out), a recording (watch --out) or a spool
    /// directory (MAPI_SHUTDOWN_SPOOL_DIR).
    Analyze(cli::AnalyzeArgs),
    /// List the MAPI processes (a MAPI subsystem DLL loaded: mapi32,
    /// olmapi32, msmapi32, exmapi32) with their subsystem and the MAPI
    /// providers they have loaded; --all for every process, --find-dll to
    /// find the processes that have a DLL loaded (docs/processes.md).
    Processes(cli::ProcessesArgs),
    /// Write a report for a ticket or an audit: the shutdown sessions of
    /// traces, recordings or spool directories, with --policy the policy
    /// of every Office version and the add-ins' settings, with --processes
    /// the MAPI processes running now; as html, csv, json or chrome (a
    /// Chrome trace for Perfetto) (docs/reports.md).
    Report(cli::ReportArgs),
    /// Capture real MAPI clients: `launch` starts a client with the
    /// capture agent loaded from its first instruction, `attach` loads it
    /// into a running one (Windows; docs/capture.md). The verdicts appear
    /// in `watch` and the Live panel.
    Capture(cli::CaptureArgs),
}

#[derive(Debug, Args)]
struct SimulateArgs {
    /// The scenario file (TOML).
    #[arg(value_name = "SCENARIO.toml")]
    scenario: PathBuf,

    /// Force the FastShutdownBehavior policy: 0|opt-out, 1|opt-in,
    /// 2|disabled. Without it the policy is read from the registry store
    /// (--registry) for the scenario's Office version; when that store
    /// cannot be read, the documented default applies (opt-out).
    #[arg(long, value_name = "BEHAVIOR")]
    fast_shutdown_behavior: Option<FastShutdownBehavior>,

    /// Also write the trace (JSON Lines) to FILE. The trace is sent to the
    /// monitor on the endpoint (--endpoint) in any case; with no monitor
    /// it is spooled to MAPI_SHUTDOWN_SPOOL_DIR when set, else dropped.
    #[arg(long, value_name = "FILE")]
    trace_out: Option<PathBuf>,

    /// Print the summary as one JSON document instead of text.
    #[arg(long)]
    json: bool,
}

impl Cli {
    /// Fill what the command line left out from the environment:
    /// MAPI_SHUTDOWN_ENDPOINT, MAPI_SHUTDOWN_REGISTRY, MAPI_SHUTDOWN_LANG
    /// (an empty variable is unset).
    fn with_env(mut self) -> Result<Self, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        self.endpoint = self.endpoint.or_else(|| var("MAPI_SHUTDOWN_ENDPOINT"));
        self.registry = self.registry.or_else(|| var("MAPI_SHUTDOWN_REGISTRY"));
        if self.lang.is_none()
            && let Some(value) = var("MAPI_SHUTDOWN_LANG")
        {
            self.lang = Some(
                value
                    .parse()
                    .map_err(|e: <Lang as std::str::FromStr>::Err| {
                        tr!(
                            "cli-env-invalid",
                            var = "MAPI_SHUTDOWN_LANG",
                            value = value.as_str(),
                            error = e.to_string()
                        )
                    })?,
            );
        }
        Ok(self)
    }
}

/// Parse the command line; clap's own errors are printed in our voice
/// (`mapi-shutdown: …`, exit 2), its help (in the run's language:
/// `cli::help_text`) and version as clap does.
fn parse_cli() -> Result<Cli, ExitCode> {
    use clap::error::ErrorKind;
    // The language of the run as far as the arguments say, before they are
    // parsed: our value parsers' messages and clap's errors speak it.
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let env_lang = std::env::var("MAPI_SHUTDOWN_LANG").ok();
    let lang = cli::clap_text::early_lang(&args, env_lang.as_deref());
    i18n::set_lang(lang);
    // `--help` in that language too (English: clap's own, untouched).
    let parsed = cli::help_text::localize(Cli::command(), lang)
        .try_get_matches_from(std::env::args_os())
        .and_then(|mut matches| {
            Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut Cli::command()))
        });
    match parsed {
        Ok(cli) => cli.with_env().map_err(|message| {
            cli::out::errln!("mapi-shutdown: {message}");
            ExitCode::from(2)
        }),
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) =>
        {
            e.exit()
        }
        Err(e) => {
            cli::out::errln!("mapi-shutdown: {}", cli::clap_text::render(&e, lang));
            Err(ExitCode::from(2))
        }
    }
}

fn main() -> ExitCode {
    // Before anything is printed (clap's --help and errors included).
    let console = console::attach_parent();
    let cli = match parse_cli() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    if let Some(lang) = cli.lang {
        i18n::force_lang(lang);
    }
    match cli.command {
        None => gui(&cli, console),
        Some(Command::Simulate(args)) => {
            simulate_command(&args, cli.registry.as_deref(), cli.endpoint.as_deref())
        }
        Some(Command::Policy(args)) => cli::run_policy(&args, cli.registry.as_deref()),
        Some(Command::Addins(args)) => cli::run_addins(&args, cli.registry.as_deref()),
        Some(Command::Watch(args)) => cli::run_watch(&args, cli.endpoint.as_deref()),
        Some(Command::Analyze(args)) => cli::run_analyze(&args),
        Some(Command::Processes(args)) => cli::run_processes(&args),
        Some(Command::Report(args)) => cli::run_report(&args, cli.registry.as_deref()),
        Some(Command::Capture(args)) => cli::run_capture(&args),
    }
}

/// The desktop application (no subcommand).
#[cfg(feature = "gui")]
fn gui(cli: &Cli, console: console::Console) -> ExitCode {
    use std::sync::Arc;

    use mapi_shutdown::policy::backup::BackupDir;
    use mapi_shutdown::policy::store::StoreSpec;
    use mapi_shutdown::ui::{self, Backends, Renderer};

    let renderer: Renderer = match cli.renderer.parse() {
        Ok(r) => r,
        Err(e) => {
            console::report_error(&e.to_string());
            return ExitCode::from(2);
        }
    };
    // Open what the window needs before it exists, so that a bad
    // --registry is reported on the console with exit code 2.
    let store = match StoreSpec::from_option(cli.registry.as_deref()) {
        Ok(spec) => match spec.open() {
            Ok(s) => s,
            Err(e) => {
                console::report_error(&tr!(
                    "cli-store-open-failed",
                    store = spec.to_string(),
                    error = e.to_string()
                ));
                return ExitCode::from(1);
            }
        },
        Err(e) => {
            console::report_error(&e.to_string());
            return ExitCode::from(2);
        }
    };
    let backups = match BackupDir::from_env() {
        Ok(b) => b,
        Err(e) => {
            console::report_error(&e.to_string());
            return ExitCode::from(1);
        }
    };
    let exe = std::env::current_exe().ok();
    let live = ui::live::LiveConfig {
        endpoint: Endpoint::from_name(cli.endpoint.as_deref()).map_err(|e| e.to_string()),
        endpoint_name: cli.endpoint.clone(),
        scenarios_dir: ui::live::LiveConfig::find_scenarios_dir(exe.as_deref()),
        simulate_exe: exe,
    };
    let make = move || Backends {
        store: Arc::from(store),
        backups,
        dialogs: Box::new(ui::dialogs::NativeDialogs),
        live,
        clock: Arc::new(mapi_shutdown::clock::MonotonicClock::new()),
        host: mapi_shutdown::report::HostInfo::gather(),
        capture: Arc::new(ui::capture::SystemCapturer),
        scanner: Box::new(|| {
            use mapi_shutdown::processes::{ScanOptions, Scanner, default_system32};
            Scanner::system(ScanOptions {
                system32: default_system32(),
                ..ScanOptions::default()
            })
        }),
    };
    // A Ctrl+C typed later in the console this was started from must not
    // end the window.
    console.detach();
    match ui::run(make, renderer) {
        Ok(None) => ExitCode::SUCCESS,
        Ok(Some(code)) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(e) => {
            console::attach_parent();
            console::report_error(&e.to_string());
            ExitCode::from(1)
        }
    }
}

/// Built without the `gui` feature: only the subcommands exist.
#[cfg(not(feature = "gui"))]
fn gui(_cli: &Cli, _console: console::Console) -> ExitCode {
    cli::out::errln!("mapi-shutdown: {}", tr!("cli-no-gui"));
    ExitCode::from(2)
}

fn simulate_command(
    args: &SimulateArgs,
    registry: Option<&str>,
    endpoint: Option<&str>,
) -> ExitCode {
    let endpoint = match Endpoint::from_name(endpoint) {
        Ok(e) => e,
        Err(e) => {
            cli::out::errln!("mapi-shutdown: {e}");
            return ExitCode::from(2);
        }
    };
    let scenario = match Scenario::load(&args.scenario) {
        Ok(s) => s,
        Err(e) => {
            match e {
                ScenarioError::Invalid(_) => {
                    cli::out::errln!(
                        "mapi-shutdown: {}",
                        tr!("cli-bad-scenario", error = e.to_string())
                    )
                }
                ScenarioError::Read { .. } => cli::out::errln!("mapi-shutdown: {e}"),
            }
            return ExitCode::from(2);
        }
    };
    let policy = match simulate::run::choose_policy(
        args.fast_shutdown_behavior,
        registry,
        scenario.client.office_version,
    ) {
        Ok((policy, None)) => policy,
        Ok((policy, Some(why))) => {
            cli::out::errln!(
                "mapi-shutdown: {}",
                tr!("cli-warning", message = why.to_string())
            );
            policy
        }
        Err(e) => {
            cli::out::errln!("mapi-shutdown: {e}");
            return ExitCode::from(2);
        }
    };
    let options = RunOptions {
        policy,
        trace_out: args.trace_out.clone(),
        endpoint: Some(endpoint),
        spool_dir: spool_dir_from_env(),
    };
    let json = args.json;
    let on_kill = Box::new(move |kill: Kill| {
        cli::out::errln!(
            "mapi-shutdown: {}",
            tr!("cli-simulate-killed", ms = kill.after_ms, code = kill.code)
        );
        // Best effort: the process ends now whatever happens to stdout
        // (a closed stdout ends it at once, with code 0).
        let _ = print_summary(&kill.summary, json);
        std::process::exit(kill.code);
    });
    match simulate::run(&scenario, &options, on_kill) {
        Ok(summary) => match print_summary(&summary, json) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                cli::out::errln!(
                    "mapi-shutdown: {}",
                    tr!("cli-summary-print-failed", error = format!("{e:#}"))
                );
                ExitCode::from(1)
            }
        },
        Err(e) => {
            cli::out::errln!("mapi-shutdown: simulate {}: {e}", args.scenario.display());
            ExitCode::from(1)
        }
    }
}

fn print_summary(summary: &Summary, json: bool) -> anyhow::Result<()> {
    if json {
        let mut doc = serde_json::to_string_pretty(summary)?;
        doc.push('\n');
        cli::out::json(&doc);
    } else {
        cli::out::text(&summary.render_text(i18n::current()));
    }
    Ok(())
}

#[cfg(test)]
mod readme_tests {
    use clap::Parser;

    use super::Cli;

    const README: &str = include_str!("../README.md");

    /// The command lines the README shows (in code blocks, starting with
    /// `mapi-shutdown`), as words; quotes are not used there.
    fn commands() -> Vec<Vec<String>> {
        let mut in_code = false;
        let mut out = Vec::new();
        for line in README.lines() {
            if line.starts_with("```") {
                in_code = !in_code;
                continue;
            }
            let line = line.split(" #").next().unwrap_or(line).trim();
            if in_code && line.starts_with("mapi-shutdown ") {
                out.push(line.split_whitespace().map(str::to_string).collect());
            }
        }
        out
    }

    /// Every command the README teaches parses as this build's command
    /// line: a renamed option or subcommand fails here.
    #[test]
    fn every_command_in_the_readme_parses() {
        let commands = commands();
        assert!(commands.len() >= 8, "{commands:?}");
        for words in commands {
            if let Err(e) = Cli::try_parse_from(&words) {
                panic!("README: `{}`: {e}", words.join(" "));
            }
        }
    }

    /// The README is for administrators: its first screen says what the
    /// tool does, shows it, installs it, and gives the first three things
    /// to do with their commands; backups and the safe store follow; the
    /// build and the CI stages come last (the stages in TESTING.md, which
    /// scripts/check's header points to).
    #[test]
    fn the_readme_opens_for_administrators() {
        let at = |what: &str| {
            README
                .find(what)
                .unwrap_or_else(|| panic!("README lacks {what:?}"))
        };
        let first_screen = at("## The first three things to do");
        for early in ["](tests/snapshots/", "## Install", "msiexec /i"] {
            assert!(at(early) < first_screen, "{early} before the first steps");
        }
        for step in [
            "mapi-shutdown policy show",
            "mapi-shutdown watch --out",
            "mapi-shutdown report shutdown.jsonl",
            "MAPI_SHUTDOWN_DATA_DIR",
            "--registry file:",
        ] {
            assert!(at(step) < at("## Building from source"), "{step}");
        }
        assert!(at("Needs Rust") > at("## Building from source"));
        assert!(
            !README.contains("1. **deps**"),
            "CI stages live in TESTING.md"
        );
        let testing = include_str!("../TESTING.md");
        for stage in [
            "1. **deps**",
            "2. **lint**",
            "3. **test**",
            "4. **windows**",
            "5. **installer**",
            "6. **smoke**",
            "7. **fuzz**",
        ] {
            assert!(testing.contains(stage), "TESTING.md lacks {stage}");
        }
        assert!(include_str!("../scripts/check").contains("TESTING.md"));
    }
}
