//! The `report` subcommand: read traces, recordings or spool directories
//! (the same readers as `analyze`: [`read_streams`]), optionally read the
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

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use mapi_shutdown::clock::MonotonicClock;
use mapi_shutdown::monitor::analysis::{AnalysisOptions, ProcessTrace};
use mapi_shutdown::monitor::{FileStream, read_streams};
use mapi_shutdown::processes::{MapiSvcChoice, ScanOptions, Scanner, default_system32};
use mapi_shutdown::report::{
    Content, Format, HostInfo, RenderOptions, ReportModel, SessionChoice, SessionInput, Sources,
    render, write_atomically,
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
}

/// One session read from the files, owning what [`SessionInput`] borrows.
struct Loaded {
    trace: ProcessTrace,
    stream: FileStream,
    source: String,
}

/// Read every input, refusing what `report` cannot show faithfully.
fn load(paths: &[PathBuf]) -> Result<Vec<Loaded>, CliError> {
    let mut loaded = Vec::new();
    for path in paths {
        let streams = read_streams(path).map_err(|e| CliError::Failure(e.to_string()))?;
        if let Some(s) = streams.iter().find(|s| s.truncated.is_some()) {
            return Err(CliError::Failure(mapi_shutdown::tr!(
                "report-cli-truncated",
                file = s.file.display().to_string(),
                why = s
                    .truncated
                    .clone()
                    .unwrap_or_else(|| mapi_shutdown::tr!("report-cli-truncated-why"))
            )));
        }
        if streams.iter().all(|s| s.records.is_empty()) {
            return Err(CliError::Failure(mapi_shutdown::tr!(
                "report-cli-not-a-trace",
                file = path.display().to_string()
            )));
        }
        let several = streams.len() > 1;
        for stream in streams {
            let source = if several && path.is_file() {
                mapi_shutdown::tr!(
                    "report-cli-source-connection",
                    file = stream.file.display().to_string(),
                    conn = stream.conn.to_string()
                )
            } else {
                stream.file.display().to_string()
            };
            loaded.push(Loaded {
                trace: ProcessTrace::from_records(&stream.records),
                stream,
                source,
            });
        }
    }
    Ok(loaded)
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
    let loaded = load(&args.traces)?;
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
    let inputs: Vec<SessionInput<'_>> = loaded
        .iter()
        .enumerate()
        .map(|(i, l)| SessionInput {
            session: u64::try_from(i + 1).unwrap_or(u64::MAX),
            trace: &l.trace,
            state: l.stream.state,
            peer_pid: l.stream.peer_pid,
            error: l.stream.error.as_deref(),
            records: u64::try_from(l.stream.records.len()).unwrap_or(u64::MAX),
            dropped: 0,
            source: Some(&l.source),
        })
        .collect();
    let content = Content {
        policy: args.policy,
        processes: args.processes,
        sessions: match (args.traces.is_empty(), args.pid) {
            (true, _) => SessionChoice::None,
            (false, Some(pid)) => SessionChoice::Pid { pid },
            (false, None) => SessionChoice::All,
        },
    };
    let sources = Sources {
        registry: store.as_deref(),
        scan: scan.as_ref(),
        sessions: &inputs,
        analysis: AnalysisOptions::default(),
    };
    let model = ReportModel::build(
        &MonotonicClock::new(),
        &HostInfo::gather(),
        &content,
        &sources,
    );
    let options = RenderOptions {
        csv_bom: args.bom,
        lang: mapi_shutdown::i18n::current(),
    };
    let bytes =
        render(&model, args.format, &options).map_err(|e| CliError::Failure(e.to_string()))?;
    write_atomically(&args.out, &bytes).map_err(|e| CliError::Failure(e.to_string()))?;
    let calls: usize = model.sessions.iter().map(|s| s.calls.len()).sum();
    let mut what = vec![
        args.format.as_str().to_string(),
        mapi_shutdown::tr!("common-sessions", count = model.sessions.len()),
        mapi_shutdown::tr!("report-cli-calls", count = calls),
    ];
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
