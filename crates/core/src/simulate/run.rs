//! The simulated MAPI client: runs a [`Scenario`] in this process on the
//! instrumented subsystem. It logs on the scenario's sessions, loads each
//! provider (a [`ScriptedProvider`] with the scenario's answer, delays and
//! hang, or no `IMAPIProviderShutdown` at all), performs the shutdown the
//! client is described to do, and returns the [`Summary`] derived from its
//! own trace (collected through a memory sink teed with the optional trace
//! file).
//!
//! The client's shutdown ("Client Shutdown in MAPI", "Best Practices for
//! Fast Shutdown"):
//! 1. `QueryFastShutdown`;
//! 2. on `S_OK`: `NotifyProcessShutdown`, then `DoFastShutdown`; on an error,
//!    per `on_query_error`: `stop` calls neither, `notify-only` calls only
//!    `NotifyProcessShutdown`, `continue` calls both;
//! 3. `MAPIUninitialize` (the normal path) when `DoFastShutdown` was not
//!    called or did not answer `S_OK`, or when the client `calls_mapi_after_do`;
//! 4. exit with code 0 (`client_exit`, trace flushed).
//!
//! When the scenario says the client is killed during `DoFastShutdown`, a
//! watchdog thread started as the client calls `DoFastShutdown` waits
//! `kill_after_ms`; if `DoFastShutdown` has not returned by then it derives
//! the summary from what the trace writer has written so far and calls the
//! [`KillHook`], which for the binary prints it and ends the process with
//! [`KILLED_EXIT_CODE`] (`std::process::exit`). Before that the watchdog,
//! being the killer, writes the kill into the trace as a `client_exit`
//! with code 137 and flushes it, so that `analyze` and `report` of the
//! trace see the process end inside `DoFastShutdown` (and when), as
//! `simulate` does.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use crate::clock::{Clock, MonotonicClock};
use crate::hresult::HRESULT;
use crate::mapi::{
    ClientShutdown, ProcessInfo, Provider, ProviderBehaviour, ProviderShutdown, ScriptedProvider,
    ShutdownPolicy, Subsystem,
};
use crate::policy::store::{SpecError, StoreSpec};
use crate::policy::{FastShutdownBehavior, OfficeVersion};
use crate::trace::emitter::DEFAULT_CAPACITY;
use crate::trace::sink::{FileSink, MemorySink, Sink, TeeSink};
use crate::trace::socket::{Delivery, SinkStatus, connect_sink};
use crate::trace::{ClientExit, Emitter, Endpoint, Method, Record};
pub use mapi_subsystem::policy::policy_from_store;

use super::scenario::{ClientEnd, OnQueryError, ProviderSpec, Scenario, ShutdownSupport};
use super::summary::{ScenarioRef, Severity, Summary, TraceInfo, Warning, WarningKind};

/// The exit code of a process killed during `DoFastShutdown`: 137, what a
/// shell reports for a process ended by SIGKILL (128 + 9).
pub const KILLED_EXIT_CODE: i32 = 137;

/// How long the runner waits, after the client's own bounded flush at
/// exit, for the trace writer to hand the rest to the sinks before it
/// derives the summary: 5 s.
pub const SUMMARY_FLUSH_BOUND: Duration = Duration::from_secs(5);

/// How `simulate` picks its policy: `forced` (`--fast-shutdown-behavior`)
/// wins; otherwise `FastShutdownBehavior` is read through the store that
/// `registry` names (`--registry` / `MAPI_SHUTDOWN_REGISTRY`; the
/// platform's default store when `None`). When that store cannot be read
/// (a malformed file, access denied, no such store here) the run goes on
/// with the default policy (source `Default`) and the second element says
/// why, for stderr. A `registry` that names no store is the caller's usage
/// error.
pub fn choose_policy(
    forced: Option<FastShutdownBehavior>,
    registry: Option<&str>,
    office: OfficeVersion,
) -> Result<(ShutdownPolicy, Option<String>), SpecError> {
    let spec = StoreSpec::from_option(registry);
    if let Some(b) = forced {
        return Ok((ShutdownPolicy::forced(b), None));
    }
    let spec = match spec {
        Ok(spec) => spec,
        // A bad --registry is a usage error; no default store (no home
        // directory) is only a reason to fall back.
        Err(e @ SpecError::NoConfigDir) if registry.is_none() => {
            return Ok((
                ShutdownPolicy::default_policy(),
                Some(format!("{e}; using the default policy (opt-out)")),
            ));
        }
        Err(e) => return Err(e),
    };
    let read = spec
        .open()
        .and_then(|store| policy_from_store(store.as_ref(), office));
    match read {
        Ok(policy) => Ok((policy, None)),
        Err(e) => Ok((
            ShutdownPolicy::default_policy(),
            Some(format!(
                "cannot read the policy from the registry store {}: {e}; using the default \
                 policy (opt-out)",
                spec.describe()
            )),
        )),
    }
}

/// What the caller chooses about a run.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// The policy the subsystem uses: read from a registry store
    /// ([`choose_policy`], [`policy_from_store`]), forced
    /// (`ShutdownPolicy::forced(..)`) or the default.
    pub policy: ShutdownPolicy,
    /// Write the trace (JSON Lines) to this file too.
    pub trace_out: Option<PathBuf>,
    /// Also send the trace to the monitor at this endpoint (the binary:
    /// `--endpoint`, `MAPI_SHUTDOWN_ENDPOINT`, else the user's default),
    /// through [`connect_sink`]: with no monitor the run goes on at full
    /// speed, spooling to `spool_dir` or dropping and counting. `None`:
    /// no monitor at all (library callers, unit tests).
    pub endpoint: Option<Endpoint>,
    /// Where the socket sink spools when no monitor listens
    /// (`MAPI_SHUTDOWN_SPOOL_DIR`, see `trace::spool::spool_dir_from_env`).
    pub spool_dir: Option<PathBuf>,
}

/// What the watchdog hands to the [`KillHook`] when it kills the process.
#[derive(Clone, Debug)]
pub struct Kill {
    /// ms after the client's `DoFastShutdown` call.
    pub after_ms: u64,
    /// The exit code the process should end with ([`KILLED_EXIT_CODE`]).
    pub code: i32,
    /// The summary of what was traced until now (end: killed).
    pub summary: Summary,
}

/// Called on the watchdog thread to kill the process. The binary's hook
/// reports and calls `std::process::exit`; if a hook returns, the
/// watchdog just ends (the client stays wherever it was).
pub type KillHook = Box<dyn FnOnce(Kill) + Send>;

/// Why a run could not be performed.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The trace file could not be created (the message names it).
    #[error("{0}")]
    TraceFile(#[source] std::io::Error),
    /// A thread (trace writer or watchdog) could not be started.
    #[error("cannot start the {what} thread: {source}")]
    Thread {
        /// Which thread.
        what: &'static str,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// `MAPILogonEx` failed.
    #[error("MAPILogonEx on profile \"{profile}\" failed: {hresult}")]
    Logon {
        /// The profile.
        profile: String,
        /// What the subsystem answered.
        hresult: HRESULT,
    },
    /// Loading a provider failed.
    #[error("loading provider \"{name}\" failed: {hresult}")]
    LoadProvider {
        /// The provider.
        name: String,
        /// What the subsystem answered.
        hresult: HRESULT,
    },
}

/// The scenario's provider as loaded into a session.
fn provider(spec: &ProviderSpec) -> Provider {
    let shutdown: Option<Box<dyn ProviderShutdown>> = match spec.shutdown {
        ShutdownSupport::NotImplemented => None,
        support => {
            let behaviour = if support == ShutdownSupport::OptsOut {
                ProviderBehaviour::OptsOut
            } else {
                ProviderBehaviour::Supports
            };
            let mut p = ScriptedProvider::new(&spec.name, behaviour)
                .with_delay(
                    Method::QueryFastShutdown,
                    Duration::from_millis(spec.delays.query_ms),
                )
                .with_delay(
                    Method::NotifyProcessShutdown,
                    Duration::from_millis(spec.delays.notify_ms),
                )
                .with_delay(
                    Method::DoFastShutdown,
                    Duration::from_millis(spec.delays.do_ms),
                );
            if let Some(hang) = spec.hang {
                p = p.with_hang(hang.method());
            }
            Some(Box::new(p))
        }
    };
    Provider {
        name: spec.name.clone(),
        kind: spec.kind,
        dll: spec.dll.clone(),
        shutdown,
    }
}

/// Run `scenario` in this process and summarize it. `on_kill` is called
/// (on the watchdog thread) only when the scenario asks for a kill during
/// `DoFastShutdown` and it has not returned after `kill_after_ms`.
///
/// # Errors
/// [`RunError`] when the trace file, a thread, a logon or a provider load
/// fails; nothing the simulated client does is an error.
pub fn run(
    scenario: &Scenario,
    options: &RunOptions,
    on_kill: KillHook,
) -> Result<Summary, RunError> {
    let clock: Arc<dyn Clock> = Arc::new(MonotonicClock::new());
    let memory = MemorySink::new();
    let mut sinks: Vec<Box<dyn Sink>> = vec![Box::new(memory.clone())];
    if let Some(path) = &options.trace_out {
        sinks.push(Box::new(
            FileSink::create(path).map_err(RunError::TraceFile)?,
        ));
    }
    let delivery = options.endpoint.as_ref().map(|endpoint| {
        let (sink, status) = connect_sink(endpoint, options.spool_dir.clone());
        sinks.push(sink);
        status
    });
    let emitter = Emitter::spawn(
        Box::new(TeeSink::new(sinks)),
        DEFAULT_CAPACITY,
        Arc::clone(&clock),
    )
    .map_err(|source| RunError::Thread {
        what: "trace writer",
        source,
    })?;

    let client = &scenario.client;
    let process = ProcessInfo::current(&client.exe, client.office_version, &client.subsystem_dll);
    let kill_clock = Arc::clone(&clock);
    let subsystem = Subsystem::initialize(&process, &options.policy, emitter.clone(), clock);

    let mut first_session = None;
    for s in &scenario.sessions {
        let session = subsystem
            .logon(&s.profile)
            .map_err(|hresult| RunError::Logon {
                profile: s.profile.clone(),
                hresult,
            })?;
        for p in &s.providers {
            session
                .load_provider(provider(p))
                .map_err(|hresult| RunError::LoadProvider {
                    name: p.name.clone(),
                    hresult,
                })?;
        }
        first_session.get_or_insert(session);
    }
    let Some(session) = first_session else {
        // Validation guarantees a session; a scenario built by hand may not.
        return Ok(finish(
            scenario,
            options,
            &subsystem,
            &memory,
            &emitter,
            delivery.as_ref(),
            Vec::new(),
        ));
    };
    let shutdown = session.client_shutdown();

    let mut client_run = ClientRun {
        scenario,
        options,
        memory: &memory,
        emitter: emitter.clone(),
        clock: kill_clock,
        delivery: delivery.clone(),
        on_kill: Some(on_kill),
        notes: Vec::new(),
    };
    client_run.shut_down(&shutdown, &subsystem)?;
    let notes = client_run.notes;
    subsystem.exit(0);
    Ok(finish(
        scenario,
        options,
        &subsystem,
        &memory,
        &emitter,
        delivery.as_ref(),
        notes,
    ))
}

/// The client's side of the run.
struct ClientRun<'a> {
    scenario: &'a Scenario,
    options: &'a RunOptions,
    memory: &'a MemorySink,
    /// The trace, for the kill record.
    emitter: Emitter,
    clock: Arc<dyn Clock>,
    delivery: Option<SinkStatus>,
    on_kill: Option<KillHook>,
    notes: Vec<Warning>,
}

impl ClientRun<'_> {
    fn shut_down(
        &mut self,
        shutdown: &ClientShutdown,
        subsystem: &Subsystem,
    ) -> Result<(), RunError> {
        let client = &self.scenario.client;
        let query = shutdown.query_fast_shutdown();
        let (notify, call_do) = if query == HRESULT::S_OK {
            (true, true)
        } else {
            match client.on_query_error {
                OnQueryError::Stop => (false, false),
                OnQueryError::NotifyOnly => (true, false),
                OnQueryError::Continue => (true, true),
            }
        };
        if notify {
            shutdown.notify_process_shutdown();
        }
        let mut do_ok = false;
        if call_do {
            do_ok = self.do_fast_shutdown(shutdown)? == HRESULT::S_OK;
        } else if let ClientEnd::KilledDuringDoFastShutdown { kill_after_ms } = client.end {
            self.notes.push(Warning {
                kind: WarningKind::KillNotPerformed,
                severity: Severity::Info,
                call: None,
                message: format!(
                    "the scenario asks for a kill {kill_after_ms} ms into DoFastShutdown, but \
                     the client did not call DoFastShutdown (QueryFastShutdown answered {query}, \
                     on_query_error = {}): no kill",
                    client.on_query_error.as_str()
                ),
            });
        }
        if !do_ok || client.calls_mapi_after_do {
            subsystem.uninitialize();
        }
        Ok(())
    }

    /// `DoFastShutdown`, under the kill watchdog when the scenario asks.
    fn do_fast_shutdown(&mut self, shutdown: &ClientShutdown) -> Result<HRESULT, RunError> {
        let ClientEnd::KilledDuringDoFastShutdown { kill_after_ms } = self.scenario.client.end
        else {
            return Ok(shutdown.do_fast_shutdown());
        };
        let Some(hook) = self.on_kill.take() else {
            return Ok(shutdown.do_fast_shutdown());
        };
        let (done_tx, done_rx) = mpsc::channel::<()>();
        let memory = self.memory.clone();
        let emitter = self.emitter.clone();
        let clock = Arc::clone(&self.clock);
        let scenario_ref = scenario_ref(self.scenario);
        let trace_file = trace_file(self.options);
        let delivery = self.delivery.clone();
        let started = Instant::now();
        let fired = Arc::new(AtomicBool::new(false));
        let watchdog_fired = Arc::clone(&fired);
        thread::Builder::new()
            .name("simulate-kill-watchdog".to_string())
            .spawn(move || {
                match done_rx.recv_timeout(Duration::from_millis(kill_after_ms)) {
                    Err(RecvTimeoutError::Timeout) => {}
                    // DoFastShutdown returned (or the run is over): no kill.
                    Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
                }
                watchdog_fired.store(true, Ordering::SeqCst);
                // The kill record: the watchdog is the killer, so the trace
                // says what ended the process and when (a `client_exit`
                // with the killed exit code), and every reader (`analyze`,
                // `report`, a monitor) sees the process end inside
                // DoFastShutdown. A real killed client writes nothing; a
                // monitor then sees only its connection close.
                emitter.emit(Record::ClientExit(ClientExit {
                    t_ns: clock.now_ns(),
                    code: KILLED_EXIT_CODE,
                }));
                emitter.flush(SUMMARY_FLUSH_BOUND);
                let records = memory.records();
                let mut summary = Summary::from_records(&records);
                summary.scenario = Some(scenario_ref);
                summary.killed(kill_after_ms, KILLED_EXIT_CODE);
                summary.trace = Some(TraceInfo {
                    file: trace_file,
                    records: records.len(),
                    delivery: delivery.as_ref().map(SinkStatus::get),
                });
                hook(Kill {
                    after_ms: kill_after_ms,
                    code: KILLED_EXIT_CODE,
                    summary,
                });
            })
            .map_err(|source| RunError::Thread {
                what: "kill watchdog",
                source,
            })?;
        let hr = shutdown.do_fast_shutdown();
        let took_ms = started.elapsed().as_millis();
        // The watchdog may already be gone (it timed out): nothing to tell.
        let _ = done_tx.send(());
        if fired.load(Ordering::SeqCst) {
            return Ok(hr);
        }
        self.notes.push(Warning {
            kind: WarningKind::KillNotPerformed,
            severity: Severity::Info,
            call: None,
            message: format!(
                "the scenario asks for a kill {kill_after_ms} ms into DoFastShutdown, but \
                 DoFastShutdown returned {hr} after {took_ms} ms: no kill"
            ),
        });
        Ok(hr)
    }
}

fn scenario_ref(scenario: &Scenario) -> ScenarioRef {
    ScenarioRef {
        name: scenario.name.clone(),
        file: scenario.file.display().to_string(),
        description: scenario.description.clone(),
    }
}

fn trace_file(options: &RunOptions) -> Option<String> {
    options.trace_out.as_ref().map(|p| p.display().to_string())
}

/// Wait for the writer, then derive the summary and add the runner's notes.
fn finish(
    scenario: &Scenario,
    options: &RunOptions,
    subsystem: &Subsystem,
    memory: &MemorySink,
    emitter: &Emitter,
    delivery: Option<&SinkStatus>,
    notes: Vec<Warning>,
) -> Summary {
    // The client's own flush at exit is bounded (FLUSH_BOUND); the summary
    // wants every record, so wait longer here (the client has "exited").
    subsystem.emitter().flush(SUMMARY_FLUSH_BOUND);
    let records = memory.records();
    let mut summary = Summary::from_records(&records);
    summary.scenario = Some(scenario_ref(scenario));
    let delivery: Option<Delivery> = delivery.map(SinkStatus::get);
    summary.trace = Some(TraceInfo {
        file: trace_file(options),
        records: records.len(),
        delivery,
    });
    summary.warnings.extend(notes);
    if let Some(error) = emitter.sink_error() {
        summary.warnings.push(Warning {
            kind: WarningKind::TraceError,
            severity: Severity::Warning,
            call: None,
            message: format!("writing the trace failed: {error}"),
        });
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::FastShutdownBehavior;
    use crate::simulate::summary::ShutdownPath;
    use crate::trace::Caller;
    use std::path::Path;

    fn scenario(on_query_error: &str, extra_provider: &str) -> Scenario {
        let text = format!(
            r#"
[client]
exe = "OUTLOOK.EXE"
office_version = "16.0"
on_query_error = "{on_query_error}"

[[sessions]]
profile = "Outlook"
providers = [
  {{ name = "Personal Folders", kind = "message-store", dll = "mspst32.dll" }},
  {{ name = "Exchange Transport", kind = "transport", dll = "emsmdb32.dll" }},
  {extra_provider}
]
"#
        );
        Scenario::parse(&text, Path::new("test.toml")).unwrap()
    }

    fn no_kill() -> KillHook {
        Box::new(|_| panic!("no kill expected"))
    }

    fn run_with(s: &Scenario, policy: ShutdownPolicy) -> Summary {
        let options = RunOptions {
            policy,
            trace_out: None,
            endpoint: None,
            spool_dir: None,
        };
        run(s, &options, no_kill()).unwrap()
    }

    fn client_methods(s: &Summary) -> Vec<(Method, HRESULT)> {
        s.calls
            .iter()
            .filter(|c| c.caller == Caller::Client)
            .map(|c| (c.method, c.hresult.unwrap()))
            .collect()
    }

    #[test]
    fn supports_all_takes_fast_path_in_kind_order() {
        let s = scenario("stop", "");
        let sum = run_with(&s, ShutdownPolicy::default_policy());
        assert_eq!(sum.path, ShutdownPath::Fast);
        assert_eq!(
            sum.end,
            super::super::summary::ProcessEnd::Exited { code: 0 }
        );
        assert_eq!(
            client_methods(&sum),
            vec![
                (Method::QueryFastShutdown, HRESULT::S_OK),
                (Method::NotifyProcessShutdown, HRESULT::S_OK),
                (Method::DoFastShutdown, HRESULT::S_OK),
            ]
        );
        // Transport (loaded second) is called before the store.
        let first = sum.calls[1].provider.as_ref().unwrap();
        assert_eq!(first.dll, "emsmdb32.dll");
        assert!(sum.warnings.is_empty(), "{:?}", sum.warnings);
    }

    #[test]
    fn stop_goes_the_normal_path() {
        let s = scenario(
            "stop",
            r#"{ name = "Vault", kind = "message-store", dll = "vault32.dll", shutdown = "opts-out" }"#,
        );
        let sum = run_with(&s, ShutdownPolicy::default_policy());
        assert_eq!(
            client_methods(&sum),
            vec![
                (Method::QueryFastShutdown, HRESULT::MAPI_E_NO_SUPPORT),
                (Method::MapiUninitialize, HRESULT::S_OK),
            ]
        );
        assert_eq!(sum.path, ShutdownPath::Normal);
    }

    #[test]
    fn notify_only_and_continue() {
        use crate::monitor::analysis::{FindingKind, Severity as AnalysisSeverity};
        let opt_out = r#"{ name = "Vault", kind = "message-store", dll = "vault32.dll", shutdown = "opts-out" }"#;
        let sum = run_with(
            &scenario("notify-only", opt_out),
            ShutdownPolicy::default_policy(),
        );
        let methods: Vec<Method> = client_methods(&sum).into_iter().map(|(m, _)| m).collect();
        assert_eq!(
            methods,
            vec![
                Method::QueryFastShutdown,
                Method::NotifyProcessShutdown,
                Method::MapiUninitialize
            ]
        );
        let only = |sum: &Summary| -> Vec<(FindingKind, AnalysisSeverity)> {
            sum.verdict
                .findings
                .iter()
                .map(|f| (f.kind, f.severity))
                .collect()
        };
        assert_eq!(
            only(&sum),
            vec![(FindingKind::IgnoredQueryError, AnalysisSeverity::Warning)]
        );

        let sum = run_with(
            &scenario("continue", opt_out),
            ShutdownPolicy::default_policy(),
        );
        assert_eq!(sum.path, ShutdownPath::FastAfterFailedQuery);
        assert!(only(&sum).contains(&(FindingKind::IgnoredQueryError, AnalysisSeverity::Error)));
    }

    #[test]
    fn legacy_provider_depends_on_policy() {
        let legacy = r#"{ name = "Old Fax", kind = "transport", dll = "oldfax32.dll", shutdown = "not-implemented" }"#;
        let s = scenario("stop", legacy);
        let out = run_with(&s, ShutdownPolicy::forced(FastShutdownBehavior::OptOut));
        assert!(out.fast_shutdown_taken);
        let inn = run_with(&s, ShutdownPolicy::forced(FastShutdownBehavior::OptIn));
        assert!(!inn.fast_shutdown_taken);
        assert_eq!(
            inn.client_call(Method::QueryFastShutdown).unwrap().hresult,
            Some(HRESULT::MAPI_E_NO_SUPPORT)
        );
    }

    #[test]
    fn trace_file_gets_the_same_records() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.jsonl");
        let options = RunOptions {
            policy: ShutdownPolicy::default_policy(),
            trace_out: Some(path.clone()),
            endpoint: None,
            spool_dir: None,
        };
        let sum = run(&scenario("stop", ""), &options, no_kill()).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        let records = crate::trace::codec::read_all(std::io::BufReader::new(file)).unwrap();
        assert_eq!(sum.trace.as_ref().unwrap().records, records.len());
        assert_eq!(Summary::from_records(&records).calls, sum.calls);
    }

    #[test]
    fn choose_policy_falls_back_on_an_unreadable_store() {
        use crate::policy::OfficeVersion;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.reg");
        std::fs::write(&path, "not a reg file\n").unwrap();
        let spec = format!("file:{}", path.display());
        let (p, why) = choose_policy(None, Some(&spec), OfficeVersion::V16).unwrap();
        assert_eq!(p, ShutdownPolicy::default_policy());
        let why = why.unwrap();
        assert!(why.contains(&format!("{}:1:", path.display())), "{why}");

        let (p, why) = choose_policy(
            Some(FastShutdownBehavior::OptIn),
            Some(&spec),
            OfficeVersion::V16,
        )
        .unwrap();
        assert_eq!(p, ShutdownPolicy::forced(FastShutdownBehavior::OptIn));
        assert!(why.is_none());

        assert!(choose_policy(None, Some("bogus"), OfficeVersion::V16).is_err());
        let (p, _) = choose_policy(None, Some("memory"), OfficeVersion::V16).unwrap();
        assert!(matches!(
            p.source,
            crate::trace::PolicySource::Registry { .. }
        ));
    }

    #[test]
    fn unwritable_trace_file_is_an_error() {
        let options = RunOptions {
            policy: ShutdownPolicy::default_policy(),
            trace_out: Some(PathBuf::from("/nonexistent-dir/t.jsonl")),
            endpoint: None,
            spool_dir: None,
        };
        let err = run(&scenario("stop", ""), &options, no_kill()).unwrap_err();
        assert!(
            err.to_string().contains("/nonexistent-dir/t.jsonl"),
            "{err}"
        );
    }
}
