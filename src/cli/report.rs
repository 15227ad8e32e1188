//! The `report` subcommand: read traces, recordings or spool directories
//! (the same readers as `analyze`, many files in parallel with progress on
//! stderr: [`gather`]), add the fleet summary when they come from several
//! machines (`--detail` decides whether each session is kept in full),
//! optionally read the
//! policy (`--policy`, from the `--registry` store) and scan the MAPI
//! processes (`--processes`), build one [`ReportModel`] and write it in the
//! chosen format (docs/reports.md). The output file is written aside and
//! renamed into place ([`write_atomically`]): a failed run leaves no
//! partial file.
//!
//! Unlike `analyze`, `report` refuses input it cannot report faithfully: a
//! missing file, a file that is not a trace, a trace cut in the middle of a
//! line. It refuses, too, to be asked for what the format cannot hold
//! (`--policy` or `--processes` with CSV, `--processes` with the Chrome
//! trace) rather than write a file without it. Exit codes: 0 written, 1
//! bad input or a failed write (the reason on stderr, naming the file and
//! line), 2 bad usage.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use clap::Args;

use mapi_shutdown::clock::MonotonicClock;
use mapi_shutdown::monitor::analysis::AnalysisOptions;
use mapi_shutdown::processes::{MapiSvcChoice, ScanOptions, Scanner, default_system32};
use mapi_shutdown::report::gather::{GatherError, GatherOptions, Progress, gather};
use mapi_shutdown::report::{
    Content, Detail, Format, Gathered, HostInfo, RenderOptions, ReportModel, SessionChoice,
    Sources, render, write_atomically,
};

use super::out::errln;
use super::{CliError, finish, open_store};

/// `mapi-shutdown report …`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Trace files (`simulate --trace-out`), recordings (`watch --out`) or
    /// spool directories: their shutdown sessions go into the report.
    #[arg(value_name = "TRACE")]
    traces: Vec<PathBuf>,
    /// The format: html (one self-contained page), csv (one row per call),
    /// json (the whole report) or chrome (Chrome Trace Event JSON for
    /// Perfetto and chrome://tracing).
    #[arg(long, value_name = "html|csv|json|chrome")]
    format: Format,
    /// The file to write (replaced if it exists; written aside first, so a
    /// failure leaves nothing behind).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Include the policy of every Office version and the add-ins'
    /// RequireShutdownNotification, read from the registry store
    /// (--registry). Not with csv (its rows are calls).
    #[arg(long)]
    policy: bool,
    /// Include the MAPI processes running now and their providers. html
    /// and json only.
    #[arg(long)]
    processes: bool,
    /// CSV only: start the file with a UTF-8 byte order mark, so that
    /// Excel reads it as UTF-8.
    #[arg(long)]
    bom: bool,
    /// Only the sessions of this process id.
    #[arg(long, value_name = "PID")]
    pid: Option<u32>,
    /// How much of each session: full (every call, timeline and finding),
    /// summary (the fleet summary and one line per session; the csv is
    /// then the fleet table), or auto (full up to 200 sessions, summary
    /// above). The fleet summary is added whenever the sessions name more
    /// than one machine (the traces' computer names), and to every summary.
    #[arg(long, value_name = "auto|full|summary", default_value = "auto")]
    detail: Detail,
    /// Show the reading progress on stderr even when it is not a terminal
    /// (on a terminal it is always shown).
    #[arg(long)]
    progress: bool,
    /// Threads reading the files (default: one per CPU, at most 8).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(usize))]
    threads: Option<usize>,
}

/// The progress line on stderr: rewritten in place (`\r`) on a terminal,
/// a line every [`PROGRESS_EVERY`] otherwise (`--progress` into a file or
/// pipe); nothing unless stderr is a terminal or `--progress` was given.
struct ProgressLine {
    terminal: bool,
    last: Mutex<Option<Instant>>,
}

/// How often the progress line is written, at most.
const PROGRESS_EVERY: Duration = Duration::from_millis(200);

impl ProgressLine {
    fn show(&self, p: Progress) {
        let done = p.files_done == p.files;
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        if !done && last.is_some_and(|t| t.elapsed() < PROGRESS_EVERY) {
            return;
        }
        *last = Some(Instant::now());
        let text = mapi_shutdown::tr!(
            "fleet-cli-progress",
            done = p.files_done,
            files = p.files,
            sessions = p.sessions
        );
        let mut err = std::io::stderr().lock();
        // Progress is a courtesy: a failed write to stderr is not an error.
        let _ = if self.terminal {
            write!(
                err,
                "\rmapi-shutdown: {text}\x1b[K{}",
                if done { "\n" } else { "" }
            )
        } else {
            writeln!(err, "mapi-shutdown: {text}")
        };
    }
}

/// Read every input in parallel ([`gather`]), refusing what `report`
/// cannot show faithfully.
fn load(args: &ReportArgs, detail: Detail) -> Result<Gathered, CliError> {
    let terminal = std::io::stderr().is_terminal();
    let line = (terminal || args.progress).then(|| ProgressLine {
        terminal,
        last: Mutex::new(None),
    });
    let options = GatherOptions {
        detail,
        sessions: match args.pid {
            Some(pid) => SessionChoice::Pid { pid },
            None => SessionChoice::All,
        },
        analysis: AnalysisOptions::default(),
        threads: args.threads.unwrap_or(0),
    };
    let progress = |p: Progress| {
        if let Some(line) = &line {
            line.show(p);
        }
    };
    gather(&args.traces, &options, &progress).map_err(|e| {
        CliError::Failure(match e {
            GatherError::Truncated { file, why } => mapi_shutdown::tr!(
                "report-cli-truncated",
                file = file.display().to_string(),
                why = why
            ),
            GatherError::NotATrace { path } => {
                mapi_shutdown::tr!("report-cli-not-a-trace", file = path.display().to_string())
            }
            GatherError::Read(e) => e.text().to_string(),
            other => other.to_string(),
        })
    })
}

fn run(args: &ReportArgs, registry: Option<&str>) -> Result<(), CliError> {
    if args.bom && args.format != Format::Csv {
        return Err(CliError::Usage(mapi_shutdown::tr!(
            "report-cli-bom-csv-only",
            format = args.format.as_str()
        )));
    }
    // A format that cannot hold what was asked for is refused rather than
    // written without it (docs/reports.md).
    let unheld: Vec<&str> = [
        (args.policy && !args.format.holds_policy(), "--policy"),
        (
            args.processes && !args.format.holds_processes(),
            "--processes",
        ),
    ]
    .into_iter()
    .filter_map(|(unheld, option)| unheld.then_some(option))
    .collect();
    if !unheld.is_empty() {
        let holds = match args.format {
            Format::Chrome => mapi_shutdown::tr!("report-cli-holds-chrome"),
            _ => mapi_shutdown::tr!("report-cli-holds-csv"),
        };
        return Err(CliError::Usage(mapi_shutdown::tr!(
            "report-cli-cannot-hold",
            options = unheld.join(" "),
            format = args.format.as_str(),
            holds = holds
        )));
    }
    if args.traces.is_empty() && !args.policy && !args.processes {
        return Err(CliError::Usage(mapi_shutdown::tr!("report-cli-nothing")));
    }
    if args.pid.is_some() && args.traces.is_empty() {
        return Err(CliError::Usage(mapi_shutdown::tr!(
            "report-cli-pid-needs-traces"
        )));
    }
    if args.detail == Detail::Summary && args.format == Format::Chrome {
        return Err(CliError::Usage(mapi_shutdown::tr!(
            "fleet-cli-chrome-summary"
        )));
    }
    // A Chrome trace is its calls: it never summarizes.
    let detail = match args.format {
        Format::Chrome => Detail::Full,
        _ => args.detail,
    };
    let gathered = if args.traces.is_empty() {
        Gathered::default()
    } else {
        load(args, detail)?
    };
    let store = if args.policy {
        Some(open_store(registry)?)
    } else {
        None
    };
    let scan = if args.processes {
        let options = ScanOptions {
            mapisvc: MapiSvcChoice::Auto,
            system32: default_system32(),
        };
        let mut scanner = Scanner::system(options).map_err(|e| CliError::Failure(e.to_string()))?;
        // Traces are of processes that have usually exited: none of the
        // running processes is marked instrumented from them.
        Some(
            scanner
                .scan(&[])
                .map_err(|e| CliError::Failure(e.to_string()))?,
        )
    } else {
        None
    };
    let content = Content {
        policy: args.policy,
        processes: args.processes,
        sessions: match (args.traces.is_empty(), args.pid) {
            (true, _) => SessionChoice::None,
            (false, Some(pid)) => SessionChoice::Pid { pid },
            (false, None) => SessionChoice::All,
        },
        detail,
    };
    let sources = Sources {
        registry: store.as_deref(),
        scan: scan.as_ref(),
        sessions: &[],
        analysis: AnalysisOptions::default(),
    };
    let model = ReportModel::build_gathered(
        &MonotonicClock::new(),
        &HostInfo::gather(),
        &content,
        &sources,
        gathered,
    );
    let options = RenderOptions {
        csv_bom: args.bom,
        lang: mapi_shutdown::i18n::current(),
    };
    let bytes =
        render(&model, args.format, &options).map_err(|e| CliError::Failure(e.to_string()))?;
    write_atomically(&args.out, &bytes).map_err(|e| CliError::Failure(e.to_string()))?;
    let calls: usize = model.sessions.iter().map(|s| s.calls.len()).sum();
    let mut what = vec![args.format.as_str().to_string()];
    match &model.fleet {
        Some(f) if model.summarized() => {
            what.push(mapi_shutdown::tr!(
                "common-sessions",
                count = f.session_rows.len()
            ));
            what.push(mapi_shutdown::tr!(
                "fleet-cli-with-fleet",
                machines = f.machines
            ));
        }
        fleet => {
            what.push(mapi_shutdown::tr!(
                "common-sessions",
                count = model.sessions.len()
            ));
            what.push(mapi_shutdown::tr!("report-cli-calls", count = calls));
            if let Some(f) = fleet {
                what.push(mapi_shutdown::tr!(
                    "fleet-cli-with-fleet",
                    machines = f.machines
                ));
            }
        }
    }
    if model.policy.is_some() {
        what.push(mapi_shutdown::tr!("report-cli-with-policy"));
    }
    if model.processes.is_some() {
        what.push(mapi_shutdown::tr!("report-cli-with-processes"));
    }
    errln!(
        "mapi-shutdown: {}",
        mapi_shutdown::tr!(
            "report-cli-wrote",
            path = args.out.display().to_string(),
            what = what.join(", ")
        )
    );
    if let Some(f) = model.fleet.as_ref().filter(|f| f.summarized) {
        errln!(
            "mapi-shutdown: {}",
            mapi_shutdown::tr!(
                "report-cli-note",
                note = mapi_shutdown::tr!("fleet-summarized-note", count = f.sessions)
            )
        );
    }
    for note in &model.notes {
        errln!(
            "mapi-shutdown: {}",
            mapi_shutdown::tr!("report-cli-note", note = note.as_str())
        );
    }
    Ok(())
}

/// Run `report …` against the store `registry` names (for `--policy`).
pub fn run_report(args: &ReportArgs, registry: Option<&str>) -> ExitCode {
    finish(run(args, registry).map_err(|e| match e {
        CliError::Failure(m) => CliError::Failure(format!("report: {m}")),
        CliError::Usage(m) => CliError::Usage(format!("report: {m}")),
        CliError::Partial(m) => CliError::Partial(format!("report: {m}")),
    }))
}
