//! The Live panel: the monitor the application runs on the user's endpoint
//! from start, the sessions it receives (newest first, live, filterable,
//! pausable), and for the selected ones the verdict (outcome, reason,
//! findings, the policy in force, timings per provider), the timeline and
//! the event table. Recorded files and spool directories open into the
//! same view; "Run a scenario" starts `mapi-shutdown simulate` with a
//! shipped scenario and the current policy.
//!
//! Ingest happens on the monitor's threads ([`crate::monitor::server`]):
//! its store thread publishes each session as an immutable snapshot with
//! its verdict ([`StoreSnapshot`]) and calls back, and the application
//! requests a repaint then, so an idle window draws nothing.
//! [`LivePanel::refresh`] (from `App::logic`) swaps in the newest snapshot
//! when it moved and the view is not paused: pointer copies, no store lock
//! and no analysis on the UI thread. [`LivePanel::ui`] draws from it, takes
//! a [`PanelContext`] (dialogs, the registry, the background tasks), starts
//! file reading and writing, recordings and scenario runs as tasks
//! ([`super::tasks`]) whose results come back through
//! [`LivePanel::task_done`], and returns [`LiveCommand`]s for the shell.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::SystemTime;

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::PanelContext;
use super::capitalize;
use super::dialogs::FileRequest;
use super::tasks::{TaskKind, TaskOutput, Tasks, file_label};
use super::theme::{self, Tone, icon};
use super::timeline::{self, TimelineData, TimelineView};
use crate::i18n::KindText;
use crate::i18n::text::Text;
use crate::i18n::{self, Lang};
use crate::monitor::analysis::{
    Outcome, ProcessTrace, Severity, StreamState, Verdict, describe_policy, format_ns,
};
use crate::monitor::recording::decode_error_text;
use crate::monitor::recording::read_trace_or_recording;
use crate::monitor::server::{Monitor, MonitorError, MonitorHandle, MonitorOptions};
use crate::monitor::store::{
    ConnId, ConnState, SessionSnapshot, SharedStore, StoreOptions, StoreSnapshot,
};
use crate::policy::settings::ShutdownValue;
use crate::policy::store::{Hive, RegistryStore};
use crate::policy::{OfficeVersion, RegistryData};
use crate::trace::spool::read_spool_dir;
use crate::trace::{Caller, Endpoint, EndpointError, Method};

/// What the Live panel needs from outside.
pub struct LiveConfig {
    /// The endpoint to listen on, or why there is none.
    pub endpoint: Result<Endpoint, String>,
    /// The `--endpoint` name it came from (`None`: the per-user default),
    /// passed on to the scenarios it runs.
    pub endpoint_name: Option<String>,
    /// Where the shipped scenarios are (`assets/scenarios`, or `scenarios`
    /// beside the installed exe); `None`: "Run a scenario" is unavailable.
    pub scenarios_dir: Option<PathBuf>,
    /// The `mapi-shutdown` executable that runs scenarios (the running
    /// one in the application; the built binary in tests).
    pub simulate_exe: Option<PathBuf>,
}

impl LiveConfig {
    /// The shipped scenarios: `scenarios` beside the executable (the
    /// installed layout), else the source tree's `assets/scenarios` (a
    /// development build).
    pub fn find_scenarios_dir(exe: Option<&Path>) -> Option<PathBuf> {
        let beside = exe
            .and_then(Path::parent)
            .map(|d| d.join("scenarios"))
            .filter(|d| d.is_dir());
        beside.or_else(|| {
            let dev = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/scenarios");
            dev.is_dir().then_some(dev)
        })
    }
}

/// Whether the monitor listens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListenStatus {
    /// Listening on this endpoint.
    Listening(String),
    /// Another monitor (another window, `watch`) has the endpoint.
    InUse(String),
    /// A process of another user holds the endpoint (the endpoint, and who
    /// holds it: pid and user): clients refuse it, the window cannot
    /// listen.
    Squatted(String, String),
    /// The monitor could not start, with why.
    Error(String),
}

impl ListenStatus {
    /// The status-bar text and its tone.
    pub fn describe(&self) -> (Tone, String) {
        match self {
            ListenStatus::Listening(e) => (
                Tone::Good,
                crate::tr!("live-listening", endpoint = e.as_str()),
            ),
            ListenStatus::InUse(e) => (
                Tone::Warning,
                crate::tr!("live-endpoint-in-use", endpoint = e.as_str()),
            ),
            ListenStatus::Squatted(e, holder) => (
                Tone::Error,
                crate::tr!(
                    "live-endpoint-squatted",
                    endpoint = e.as_str(),
                    holder = holder.as_str()
                ),
            ),
            ListenStatus::Error(e) => (
                Tone::Error,
                crate::tr!("live-not-listening", error = e.as_str()),
            ),
        }
    }
}

/// What the panel asks of the shell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LiveCommand {
    /// Open the Policy panel (to change the policy in force).
    ShowPolicy,
    /// Open the Reports panel set to the selected sessions.
    ReportSelected,
    /// Start this program with the capture agent from its start.
    LaunchCapture(PathBuf),
}

/// One session as the panel shows it: a copy of its trace and verdict.
#[derive(Clone, Debug)]
pub struct SessionView {
    /// The store's connection id.
    pub conn: ConnId,
    /// `OUTLOOK.EXE`, or `connection N` before its `hello`.
    pub process: String,
    /// The client's pid (the one the OS reported, else its `hello`'s).
    pub pid: Option<u32>,
    /// The pid its `hello` claims when that is not the OS's.
    pub claimed_pid: Option<u32>,
    /// The Office version of its policy.
    pub office: Option<OfficeVersion>,
    /// When the connection opened (or the file was opened).
    pub opened_at: SystemTime,
    /// When the client's trace started (its `hello`), RFC 3339 UTC.
    pub started_at: Option<String>,
    /// Connected or closed.
    pub state: ConnState,
    /// Why the connection ended badly, if it did (English: the data a
    /// saved recording keeps).
    pub error: Option<String>,
    /// The same for people ([`Entry::error_text`]).
    pub error_text: Option<Text>,
    /// Its trace.
    pub trace: Arc<ProcessTrace>,
    /// Its verdict.
    pub verdict: Verdict,
    changed: u64,
}

impl SessionView {
    /// The view of a published session (its trace shared, not copied).
    fn of(s: &SessionSnapshot) -> SessionView {
        let e = &s.entry;
        SessionView {
            conn: e.conn,
            process: e.exe().map_or_else(|| e.label(), str::to_string),
            pid: e.pid(),
            claimed_pid: e.pid_mismatch(),
            office: e
                .trace
                .hello
                .as_ref()
                .and_then(|h| h.known_office_version()),
            opened_at: e.opened_at,
            started_at: e.trace.hello.as_ref().map(|h| h.started_at.clone()),
            state: e.state,
            error: e.error.clone(),
            error_text: e.error_text(),
            trace: Arc::clone(&e.trace),
            verdict: s.verdict.clone(),
            changed: e.changed,
        }
    }
}

/// The outcome's badge: tone and words in the user's language
/// ([`Outcome::localized`]; icon added by the theme).
pub fn outcome_badge(outcome: Outcome) -> (Tone, String) {
    (outcome_tone(outcome), outcome.localized())
}

/// The outcome's tone.
pub fn outcome_tone(outcome: Outcome) -> Tone {
    match outcome {
        Outcome::Fast => Tone::Good,
        Outcome::Normal => Tone::Info,
        Outcome::DataLossRisk => Tone::Error,
        Outcome::Incomplete => Tone::Warning,
        Outcome::InProgress => Tone::Muted,
    }
}

fn severity_tone(s: Severity) -> Tone {
    match s {
        Severity::Info => Tone::Info,
        Severity::Warning => Tone::Warning,
        Severity::Error => Tone::Error,
    }
}

/// The sessions filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Text matched (case-insensitive) against process, pid, reason.
    pub text: String,
    /// Only this outcome.
    pub outcome: Option<Outcome>,
}

impl Filter {
    fn matches(&self, s: &SessionView) -> bool {
        if self.outcome.is_some_and(|o| o != s.verdict.outcome) {
            return false;
        }
        let t = self.text.trim().to_lowercase();
        t.is_empty()
            || s.process.to_lowercase().contains(&t)
            || s.pid.is_some_and(|p| p.to_string().contains(&t))
            || s.verdict.reason.to_lowercase().contains(&t)
            || s.verdict
                .reason_text()
                .to_string()
                .to_lowercase()
                .contains(&t)
    }
}

/// The timeline built for the selected sessions: its language, the
/// sessions and their versions it was built from, and the lanes.
type TimelineCache = (Lang, Vec<(ConnId, u64)>, TimelineData);

/// The Live panel's state.
pub struct LivePanel {
    config: LiveConfig,
    /// Shared with a task that starts a recording.
    monitor: Option<Arc<MonitorHandle>>,
    store: Arc<SharedStore>,
    status: ListenStatus,
    seen_generation: u64,
    sessions: Vec<SessionView>,
    paused: bool,
    filter: Filter,
    selected: BTreeSet<ConnId>,
    /// Select each new session as it arrives, until the user picks one.
    follow_newest: bool,
    scenarios: Vec<PathBuf>,
    scenario: usize,
    message: Option<(Tone, String)>,
    timeline_view: TimelineView,
    calls_selected: BTreeSet<u64>,
    timeline_cache: Option<TimelineCache>,
    /// The file the monitor records to, as the panel last saw it.
    recording: Option<PathBuf>,
    /// A recording being started (its task runs).
    recording_starts: Option<PathBuf>,
}

impl LivePanel {
    /// Start the monitor on the configured endpoint (calling `notify` when
    /// events land) and list the scenarios. A monitor that cannot start
    /// leaves the panel usable for recorded files, with the reason in the
    /// status.
    pub fn start(config: LiveConfig, notify: Option<Box<dyn Fn() + Send + Sync>>) -> Self {
        let (monitor, status) = match &config.endpoint {
            Err(e) => (None, ListenStatus::Error(e.clone())),
            Ok(endpoint) => match Monitor::start(endpoint, MonitorOptions::default(), notify) {
                Ok(m) => (
                    Some(Arc::new(m)),
                    ListenStatus::Listening(endpoint.to_string()),
                ),
                Err(MonitorError::Endpoint(EndpointError::InUse {
                    holder: Some(holder),
                    ..
                })) if holder.foreign => (
                    None,
                    ListenStatus::Squatted(endpoint.to_string(), holder.to_string()),
                ),
                Err(MonitorError::Endpoint(EndpointError::InUse { .. })) => {
                    (None, ListenStatus::InUse(endpoint.to_string()))
                }
                Err(e) => (None, ListenStatus::Error(e.to_string())),
            },
        };
        let store = monitor
            .as_ref()
            .map(|m| m.store())
            .unwrap_or_else(|| Arc::new(SharedStore::new(StoreOptions::default())));
        let scenarios = config
            .scenarios_dir
            .as_deref()
            .map(list_scenarios)
            .unwrap_or_default();
        let scenario = scenarios
            .iter()
            .position(|p| {
                p.file_stem()
                    .is_some_and(|s| s == "outlook-2016-exchange-pst-oab")
            })
            .unwrap_or(0);
        LivePanel {
            config,
            monitor,
            store,
            status,
            seen_generation: u64::MAX,
            sessions: Vec::new(),
            paused: false,
            filter: Filter::default(),
            selected: BTreeSet::new(),
            follow_newest: true,
            scenarios,
            scenario,
            message: None,
            timeline_view: TimelineView::default(),
            calls_selected: BTreeSet::new(),
            timeline_cache: None,
            recording: None,
            recording_starts: None,
        }
    }

    /// The file everything received is being recorded to, if any.
    pub fn recording(&self) -> Option<&Path> {
        self.recording.as_deref()
    }

    /// Start recording everything the monitor receives to `path` (the
    /// `watch --out` format; connected clients are written whole) as a
    /// task of `tasks`, or say why not in the panel's message. The result
    /// comes back through [`task_done`](Self::task_done).
    pub fn start_recording(&mut self, path: &Path, tasks: &mut Tasks) {
        let Some(monitor) = self.monitor.clone() else {
            self.message = Some((Tone::Error, crate::tr!("live-record-nothing")));
            return;
        };
        let target = path.to_path_buf();
        let job = move || TaskOutput::RecordingStarted {
            result: monitor.start_recording(&target).map_err(|e| e.to_string()),
            path: target,
        };
        match tasks.spawn(TaskKind::Record, file_label(path), job) {
            Ok(_) => self.recording_starts = Some(path.to_path_buf()),
            Err(e) => {
                self.message = Some((Tone::Error, crate::tr!("live-record-failed", error = e)));
            }
        }
    }

    /// Stop the recording and say where it is (a flush: on the UI thread).
    pub fn stop_recording(&mut self) {
        self.recording = None;
        let Some(monitor) = &self.monitor else {
            return;
        };
        self.message = match monitor.stop_recording() {
            Some((path, Ok(()))) => Some((
                Tone::Good,
                crate::tr!("live-recording-stopped", path = path.display().to_string()),
            )),
            Some((path, Err(e))) => Some((
                Tone::Error,
                crate::tr!(
                    "live-recording-end-not-written",
                    path = path.display().to_string(),
                    error = e.to_string()
                ),
            )),
            None => None,
        };
    }

    /// Whether the monitor listens.
    pub fn status(&self) -> &ListenStatus {
        &self.status
    }

    /// The sessions shown, newest first (before filtering).
    pub fn sessions(&self) -> &[SessionView] {
        &self.sessions
    }

    /// The selected sessions' ids.
    pub fn selected(&self) -> &BTreeSet<ConnId> {
        &self.selected
    }

    /// The calls selected in the timeline and the table.
    pub fn calls_selected(&self) -> &BTreeSet<u64> {
        &self.calls_selected
    }

    /// The clients connected to the monitor now, with the providers their
    /// traces declared, for the Processes panel's scan (from the last
    /// published snapshot: no lock).
    pub fn instrumented_clients(&self) -> Vec<crate::processes::InstrumentedClient> {
        self.store
            .snapshot()
            .entries()
            .filter(|e| e.state == ConnState::Connected)
            .filter_map(|e| {
                e.pid().map(|pid| {
                    crate::processes::InstrumentedClient::from_decls(
                        pid,
                        e.exe().map(str::to_string),
                        &e.trace.providers,
                    )
                })
            })
            .collect()
    }

    /// Show the sessions of process `pid`: filter on it and select them
    /// (newest first), and stop following newer sessions.
    pub fn focus_process(&mut self, pid: u32) {
        self.filter = Filter {
            text: pid.to_string(),
            outcome: None,
        };
        self.follow_newest = false;
        let of_pid: BTreeSet<ConnId> = self
            .sessions
            .iter()
            .filter(|s| s.pid == Some(pid))
            .map(|s| s.conn)
            .take(1)
            .collect();
        if !of_pid.is_empty() {
            self.selected = of_pid;
            self.calls_selected.clear();
        }
    }

    /// The sessions filter.
    pub fn filter(&self) -> &Filter {
        &self.filter
    }

    /// The monitor's sessions and the files opened, as last published
    /// (whether or not the view is paused): what reports are built from.
    pub fn snapshot(&self) -> Arc<StoreSnapshot> {
        self.store.snapshot()
    }

    /// Swap in the newest published snapshot (unless paused) and notice a
    /// recording that stopped by itself. Cheap: a pointer copy when
    /// nothing changed, and the views of unchanged sessions are kept.
    pub fn refresh(&mut self) {
        // A recording stops by itself on a write error: the monitor says
        // which file and which error.
        if let (Some(path), Some(monitor)) = (&self.recording, &self.monitor)
            && monitor.recording().is_none()
        {
            let why = match monitor.take_recording_failure() {
                Some(f) => crate::tr!(
                    "live-recording-failed",
                    path = f.path.display().to_string(),
                    error = f.error
                ),
                None => crate::tr!(
                    "live-recording-interrupted",
                    path = path.display().to_string()
                ),
            };
            self.message = Some((Tone::Error, why));
            self.recording = None;
        }
        if self.paused {
            return;
        }
        let snapshot = self.store.snapshot();
        if snapshot.generation == self.seen_generation {
            return;
        }
        self.seen_generation = snapshot.generation;
        let mut old: HashMap<ConnId, SessionView> =
            self.sessions.drain(..).map(|s| (s.conn, s)).collect();
        let mut sessions: Vec<SessionView> = snapshot
            .sessions
            .iter()
            .map(|snap| match old.remove(&snap.entry.conn) {
                Some(s) if s.changed == snap.entry.changed => s,
                _ => SessionView::of(snap),
            })
            .collect();
        sessions.sort_by(|a, b| b.opened_at.cmp(&a.opened_at).then(b.conn.cmp(&a.conn)));
        self.selected
            .retain(|c| sessions.iter().any(|s| s.conn == *c));
        if (self.selected.is_empty() || self.follow_newest)
            && let Some(first) = sessions.first()
        {
            self.selected = BTreeSet::from([first.conn]);
        }
        self.sessions = sessions;
    }

    /// Take the result of a task this panel started (the shell routes
    /// [`TaskKind::Open`], [`TaskKind::SaveRecording`],
    /// [`TaskKind::Record`] and [`TaskKind::Scenario`] here).
    pub fn task_done(&mut self, output: TaskOutput) {
        match output {
            TaskOutput::Opened { path, result } => self.apply_opened(&path, result),
            TaskOutput::Saved { path, result } => {
                self.message = Some(match result {
                    Ok(n) => (
                        Tone::Good,
                        crate::tr!("live-saved", count = n, path = path.display().to_string()),
                    ),
                    Err(e) => (
                        Tone::Error,
                        crate::tr!(
                            "live-save-failed",
                            path = path.display().to_string(),
                            error = e
                        ),
                    ),
                });
            }
            TaskOutput::RecordingStarted { path, result } => {
                self.recording_starts = None;
                self.message = Some(match result {
                    Ok(()) => {
                        self.recording = Some(path.clone());
                        (
                            Tone::Good,
                            crate::tr!("live-recording-started", path = path.display().to_string()),
                        )
                    }
                    Err(e) => (Tone::Error, crate::tr!("live-record-failed", error = e)),
                });
            }
            TaskOutput::ScenarioEnded { label, exe, result } => match result {
                // 1 and 2 are simulate's errors (a bad scenario, a bad
                // option); any other code is the run's own (a scenario
                // that kills its client exits with the kill's code).
                Ok((Some(code @ (1 | 2)), stderr)) => {
                    self.message = Some((
                        Tone::Error,
                        crate::tr!(
                            "live-scenario-failed",
                            scenario = label,
                            code = code,
                            error = stderr.trim().to_string()
                        ),
                    ));
                }
                Ok(_) => {}
                Err(e) => {
                    self.message = Some((
                        Tone::Error,
                        crate::tr!(
                            "live-cannot-start",
                            exe = exe.display().to_string(),
                            error = e
                        ),
                    ));
                }
            },
            TaskOutput::Failed { label, error, .. } => {
                self.recording_starts = None;
                self.message = Some((
                    Tone::Error,
                    crate::tr!("app-task-failed", task = label, error = error),
                ));
            }
            // Not this panel's (the shell routes them elsewhere).
            TaskOutput::Preview { .. }
            | TaskOutput::PreviewFailed { .. }
            | TaskOutput::Exported { .. }
            | TaskOutput::Captured { .. }
            | TaskOutput::ClientExited { .. } => {}
        }
    }

    /// Draw the panel; file work and scenario runs start as tasks of
    /// `cx`.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut PanelContext<'_>) -> Vec<LiveCommand> {
        let mut commands = Vec::new();
        self.toolbar(ui, cx, &mut commands);
        if let Some((tone, text)) = self.message.clone() {
            theme::banner(ui, tone, |ui| {
                ui.horizontal(|ui| {
                    ui.label(text);
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        let dismiss = crate::tr!("live-dismiss");
                        let close = ui.small_button(icon::CLOSE).on_hover_text(&dismiss);
                        close.widget_info(|| {
                            egui::WidgetInfo::labeled(egui::Role::Button, true, &dismiss)
                        });
                        if close.clicked() {
                            self.message = None;
                        }
                    });
                });
            });
        }
        egui::Panel::left("live-sessions")
            .resizable(true)
            .default_size(380.0)
            .size_range(260.0..=640.0)
            .show(ui, |ui| self.sessions_list(ui));
        egui::CentralPanel::default().show(ui, |ui| self.details(ui, &mut commands));
        commands
    }

    fn toolbar(&mut self, ui: &mut Ui, cx: &mut PanelContext<'_>, commands: &mut Vec<LiveCommand>) {
        ui.horizontal_wrapped(|ui| {
            ui.heading(crate::tr!("live-heading"));
            ui.separator();
            let pause = if self.paused {
                format!("▶ {}", crate::tr!("live-resume"))
            } else {
                format!("⏸ {}", crate::tr!("live-pause"))
            };
            if ui
                .button(pause)
                .on_hover_text(crate::tr!("live-pause-hover"))
                .clicked()
            {
                self.paused = !self.paused;
                if !self.paused {
                    self.seen_generation = u64::MAX;
                    self.refresh();
                }
            }
            if ui
                .button(crate::tr!("live-clear"))
                .on_hover_text(crate::tr!("live-clear-hover"))
                .clicked()
            {
                let n = self.store.lock().clear_closed();
                self.store.publish();
                self.message = Some((Tone::Info, crate::tr!("live-cleared", count = n)));
                self.seen_generation = u64::MAX;
                self.refresh();
            }
            let opening = cx.tasks.count(TaskKind::Open) > 0;
            if ui
                .add_enabled(
                    !opening,
                    egui::Button::new(format!(
                        "{} {}",
                        icon::OPEN,
                        crate::tr!("live-open-recording")
                    )),
                )
                .on_hover_text(crate::tr!("live-open-recording-hover"))
                .clicked()
            {
                let request = FileRequest {
                    title: crate::tr!("live-open-dialog-title"),
                    file_name: String::new(),
                    filter: (
                        crate::tr!("live-dialog-filter-traces"),
                        vec!["jsonl".to_string(), "json".to_string()],
                    ),
                };
                if let Some(path) = cx.dialogs.open_file(&request) {
                    self.start_open(&path, cx.tasks);
                }
            }
            let saving = cx.tasks.count(TaskKind::SaveRecording) > 0;
            if ui
                .add_enabled(
                    !self.sessions.is_empty() && !saving,
                    egui::Button::new(format!(
                        "{} {}",
                        icon::SAVE,
                        crate::tr!("live-save-recording")
                    )),
                )
                .on_hover_text(crate::tr!("live-save-recording-hover"))
                .clicked()
            {
                let request = FileRequest {
                    title: crate::tr!("live-save-dialog-title"),
                    file_name: "mapi-shutdown-recording.jsonl".to_string(),
                    filter: (
                        crate::tr!("live-dialog-filter-recordings"),
                        vec!["jsonl".to_string()],
                    ),
                };
                if let Some(path) = cx.dialogs.save_file(&request) {
                    self.start_save(&path, cx.tasks);
                }
            }
            if opening || saving {
                ui.spinner();
            }
            self.record_button(ui, cx);
            if ui
                .button(format!("{} {}", icon::OPEN, crate::tr!("live-open-spool")))
                .on_hover_text(crate::tr!("live-open-spool-hover"))
                .clicked()
                && let Some(path) = cx.dialogs.open_folder(&crate::tr!("live-open-spool-title"))
            {
                self.start_open(&path, cx.tasks);
            }
            if ui
                .add_enabled(
                    !self.selected.is_empty(),
                    egui::Button::new(format!("{} {}", icon::ARROW, crate::tr!("live-report"))),
                )
                .on_hover_text(crate::tr!("live-report-hover"))
                .clicked()
            {
                commands.push(LiveCommand::ReportSelected);
            }
            ui.separator();
            let capturing = cx.tasks.count(TaskKind::Capture) > 0;
            if ui
                .add_enabled(
                    !capturing,
                    egui::Button::new(format!(
                        "{} {}",
                        icon::RECORD,
                        crate::tr!("live-launch-capture")
                    )),
                )
                .on_hover_text(crate::tr!("live-launch-capture-hover"))
                .clicked()
            {
                let request = FileRequest {
                    title: crate::tr!("live-launch-capture-title"),
                    file_name: String::new(),
                    filter: (
                        crate::tr!("live-dialog-filter-programs"),
                        vec!["exe".to_string()],
                    ),
                };
                if let Some(program) = cx.dialogs.open_file(&request) {
                    commands.push(LiveCommand::LaunchCapture(program));
                }
            }
            self.scenario_runner(ui, cx);
        });
    }

    fn record_button(&mut self, ui: &mut Ui, cx: &mut PanelContext<'_>) {
        let shortcut = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::R);
        let pressed = ui.input_mut(|i| i.consume_shortcut(&shortcut));
        if let Some(path) = self.recording.clone() {
            let stop = ui
                .button(format!(
                    "{} {}",
                    icon::STOP,
                    crate::tr!("live-stop-recording")
                ))
                .on_hover_text(crate::tr!(
                    "live-stop-recording-hover",
                    path = path.display().to_string(),
                    shortcut = ui.ctx().format_shortcut(&shortcut)
                ));
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            theme::badge(ui, Tone::Error, &crate::tr!("live-rec-badge", name = name))
                .on_hover_text(path.display().to_string());
            if stop.clicked() || pressed {
                self.stop_recording();
            }
            return;
        }
        if let Some(path) = &self.recording_starts {
            ui.spinner();
            theme::muted(
                ui,
                crate::tr!("live-recording-starting", name = file_label(path)),
            );
            return;
        }
        let listening = self.monitor.is_some();
        let record = ui
            .add_enabled(
                listening,
                egui::Button::new(format!("{} {}", icon::RECORD, crate::tr!("live-record"))),
            )
            .on_hover_text(crate::tr!(
                "live-record-hover",
                shortcut = ui.ctx().format_shortcut(&shortcut)
            ))
            .on_disabled_hover_text(crate::tr!("live-monitor-not-listening"));
        if (record.clicked() || (pressed && listening))
            && let Some(path) = cx.dialogs.save_file(&FileRequest {
                title: crate::tr!("live-record-dialog-title"),
                file_name: "mapi-shutdown-live.jsonl".to_string(),
                filter: (
                    crate::tr!("live-dialog-filter-recordings"),
                    vec!["jsonl".to_string()],
                ),
            })
        {
            self.start_recording(&path, cx.tasks);
        }
    }

    fn scenario_runner(&mut self, ui: &mut Ui, cx: &mut PanelContext<'_>) {
        if self.scenarios.is_empty() || self.config.simulate_exe.is_none() {
            // Kept on one line: in the wrapping toolbar it moves to the
            // next row whole rather than breaking under the heading.
            let color = Tone::Muted.color(ui.visuals());
            ui.add(
                egui::Label::new(RichText::new(crate::tr!("live-no-scenarios")).color(color))
                    .wrap_mode(egui::TextWrapMode::Extend),
            );
            return;
        }
        let name = |p: &PathBuf| {
            p.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let current = self
            .scenarios
            .get(self.scenario)
            .map(name)
            .unwrap_or_default();
        let combo = egui::ComboBox::from_id_salt("live-scenario")
            .selected_text(current)
            .width(280.0)
            .show_ui(ui, |ui| {
                for (i, p) in self.scenarios.iter().enumerate() {
                    ui.selectable_value(&mut self.scenario, i, name(p));
                }
            })
            .response;
        combo.widget_info(|| {
            egui::WidgetInfo::labeled(
                egui::Role::ComboBox,
                true,
                crate::tr!("live-scenario-to-run"),
            )
        });
        combo.on_hover_text(crate::tr!("live-scenario-hover"));
        let listening = matches!(self.status, ListenStatus::Listening(_));
        if ui
            .add_enabled(
                listening,
                egui::Button::new(format!("▶ {}", crate::tr!("live-run-scenario"))),
            )
            .on_hover_text(crate::tr!("live-run-scenario-hover"))
            .on_disabled_hover_text(crate::tr!("live-monitor-not-listening"))
            .clicked()
        {
            self.run_scenario(cx);
        }
        let running = cx.tasks.count(TaskKind::Scenario);
        if running > 0 {
            theme::badge(
                ui,
                Tone::Info,
                &crate::tr!("live-scenarios-running", count = running),
            );
        }
    }

    /// Run `simulate` with the chosen scenario, the panel's endpoint and
    /// the `FastShutdownBehavior` the registry store holds for the
    /// scenario's Office version (so a memory store works too), as a task:
    /// the scenario file and the registry are read there too.
    fn run_scenario(&mut self, cx: &mut PanelContext<'_>) {
        let (Some(exe), Some(path)) = (
            self.config.simulate_exe.clone(),
            self.scenarios.get(self.scenario).cloned(),
        ) else {
            return;
        };
        let endpoint = self.config.endpoint_name.clone();
        let registry = Arc::clone(cx.registry);
        let label = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = label.clone();
        let job = move || {
            let result = run_simulate(&exe, endpoint.as_deref(), &path, registry.as_ref());
            TaskOutput::ScenarioEnded {
                label: name,
                exe,
                result,
            }
        };
        if let Err(e) = cx.tasks.spawn(TaskKind::Scenario, label, job) {
            self.message = Some((Tone::Error, crate::tr!("app-task-not-started", error = e)));
        }
    }

    /// Save every session shown (a paused view: as shown) to `path` as a
    /// task; see [`write_recording`].
    fn start_save(&mut self, path: &Path, tasks: &mut Tasks) {
        let sessions = self.sessions.clone();
        let target = path.to_path_buf();
        let job = move || TaskOutput::Saved {
            result: write_recording(&target, &sessions).map_err(|e| e.to_string()),
            path: target,
        };
        if let Err(e) = tasks.spawn(TaskKind::SaveRecording, file_label(path), job) {
            self.message = Some((Tone::Error, crate::tr!("app-task-not-started", error = e)));
        }
    }

    /// Write every session shown to `path` now, on this thread (the
    /// window saves through a task; tests and the smoke tour call this).
    ///
    /// # Errors
    /// The I/O error, naming nothing more: the caller shows the path.
    pub fn save_recording(&self, path: &Path) -> std::io::Result<usize> {
        write_recording(path, &self.sessions)
    }

    /// Read a recording, trace or spool folder as a task; it joins the
    /// view when read ([`task_done`](Self::task_done)).
    pub fn start_open(&mut self, path: &Path, tasks: &mut Tasks) {
        let target = path.to_path_buf();
        let store = Arc::clone(&self.store);
        let job = move || TaskOutput::Opened {
            result: load_into(&store, &target),
            path: target,
        };
        if let Err(e) = tasks.spawn(TaskKind::Open, file_label(path), job) {
            self.message = Some((Tone::Error, crate::tr!("app-task-not-started", error = e)));
        }
    }

    /// A capture this panel asked for ended: `text` says how.
    pub fn capture_done(&mut self, text: String, ok: bool) {
        self.message = Some((if ok { Tone::Good } else { Tone::Error }, text));
    }

    /// A client this panel launched with capture ended: say how
    /// ([`exit_text`](super::capture::exit_text)) and show its session,
    /// where its shutdown sequence and verdict are (when the monitor got
    /// one).
    pub fn client_exited(
        &mut self,
        program: &Path,
        pid: u32,
        result: &Result<Option<i32>, String>,
    ) {
        let text = super::capture::exit_text(program, pid, result);
        self.focus_process(pid);
        self.message = Some((
            if result.is_ok() {
                Tone::Good
            } else {
                Tone::Error
            },
            text,
        ));
    }

    /// Close the message banner.
    pub fn dismiss_message(&mut self) {
        self.message = None;
    }

    /// Load a recording, trace or spool folder into the view now, on this
    /// thread (the window opens through a task: [`start_open`]
    /// (Self::start_open); tests and the smoke tour call this).
    pub fn open(&mut self, path: &Path) {
        let result = load_into(&self.store, path);
        self.apply_opened(path, result);
    }

    /// Show what [`load_into`] added from `path`, or say why it could not
    /// be read.
    fn apply_opened(&mut self, path: &Path, result: Result<(usize, Option<ConnId>), String>) {
        match result {
            Ok((n, last)) => {
                self.message = Some((
                    Tone::Good,
                    crate::tr!(
                        "live-opened",
                        path = path.display().to_string(),
                        sessions = crate::tr!("common-sessions", count = n)
                    ),
                ));
                self.seen_generation = u64::MAX;
                let was_paused = std::mem::replace(&mut self.paused, false);
                self.refresh();
                self.paused = was_paused;
                if let Some(c) = last {
                    self.selected = BTreeSet::from([c]);
                }
            }
            Err(e) => {
                self.message = Some((
                    Tone::Error,
                    crate::tr!(
                        "live-cannot-open",
                        path = path.display().to_string(),
                        error = e
                    ),
                ));
            }
        }
    }

    fn sessions_list(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            let label = ui.label(crate::tr!("live-filter"));
            ui.add(
                egui::TextEdit::singleline(&mut self.filter.text)
                    .id_salt("live-filter")
                    .hint_text(crate::tr!("live-filter-hint"))
                    .desired_width(160.0),
            )
            .labelled_by(label.id);
            let any = crate::tr!("live-any-outcome");
            let shown = self
                .filter
                .outcome
                .map_or_else(|| any.clone(), Outcome::localized);
            let combo = egui::ComboBox::from_id_salt("live-outcome-filter")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filter.outcome, None, any);
                    for o in Outcome::ALL {
                        ui.selectable_value(&mut self.filter.outcome, Some(o), o.localized());
                    }
                });
            combo.response.widget_info(|| {
                egui::WidgetInfo::labeled(
                    egui::Role::ComboBox,
                    true,
                    crate::tr!("live-outcome-filter"),
                )
            });
        });
        if self.paused {
            theme::badge(ui, Tone::Warning, &crate::tr!("live-paused"));
        }
        ui.separator();
        let visible: Vec<usize> = (0..self.sessions.len())
            .filter(|&i| self.filter.matches(&self.sessions[i]))
            .collect();
        if self.sessions.is_empty() {
            theme::muted(ui, crate::tr!("live-no-session"));
            return;
        }
        theme::muted(
            ui,
            crate::tr!(
                "live-sessions-shown",
                shown = visible.len(),
                sessions = crate::tr!("common-sessions", count = self.sessions.len())
            ),
        );
        egui::ScrollArea::vertical().auto_shrink(false).show_rows(
            ui,
            44.0,
            visible.len(),
            |ui, range| {
                for &i in &visible[range] {
                    self.session_row(ui, i);
                }
            },
        );
    }

    fn session_row(&mut self, ui: &mut Ui, i: usize) {
        let s = &self.sessions[i];
        let selected = self.selected.contains(&s.conn);
        let (tone, word) = outcome_badge(s.verdict.outcome);
        let lang = i18n::current();
        let duration = s
            .verdict
            .duration_ns
            .map(|d| format_ns(d, lang))
            .unwrap_or_else(|| "–".to_string());
        let office = s.office.map(|o| format!("Office {o}")).unwrap_or_default();
        let origin = match s.trace.hello.as_ref().and_then(|h| h.capture.as_ref()) {
            Some(c) if c.attach == crate::trace::AttachMode::Late => {
                crate::tr!("live-origin-captured-late")
            }
            Some(_) => crate::tr!("live-origin-captured"),
            None => crate::tr!("live-origin-simulated"),
        };
        let pid = s.pid.map(|p| format!("pid {p}")).unwrap_or_default();
        // The client's own start time (fixed in a file), else the connection's.
        let when = s
            .started_at
            .clone()
            .unwrap_or_else(|| humantime::format_rfc3339_seconds(s.opened_at).to_string());
        let when = when.get(11..19).unwrap_or(&when).to_string();
        let accessible = format!("{} {pid}: {word}", s.process);
        let conn = s.conn;
        let frame = egui::Frame::new()
            .inner_margin(egui::Margin::symmetric(6, 3))
            .corner_radius(egui::CornerRadius::same(4))
            .fill(if selected {
                ui.visuals().selection.bg_fill.gamma_multiply(0.5)
            } else {
                egui::Color32::TRANSPARENT
            });
        let inner = frame.show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                theme::badge(ui, tone, &word);
                ui.label(RichText::new(&s.process).strong());
                theme::muted(ui, &pid);
            });
            ui.horizontal(|ui| {
                theme::muted(ui, format!("{when} UTC"));
                theme::muted(ui, &office);
                theme::muted(ui, &duration);
                theme::muted(ui, &origin);
                if s.state == ConnState::Connected {
                    theme::badge(ui, Tone::Info, &crate::tr!("live-connected"));
                }
            });
        });
        let response = ui.interact(
            inner.response.rect,
            ui.scope_id().with(("live-session", conn)),
            egui::Sense::click(),
        );
        response.widget_info(|| {
            egui::WidgetInfo::selected(egui::Role::ListItem, true, selected, &accessible)
        });
        if response.clicked() {
            let add = ui.input(|i| i.modifiers.command || i.modifiers.shift);
            if add {
                if !self.selected.remove(&conn) {
                    self.selected.insert(conn);
                }
            } else {
                self.selected = BTreeSet::from([conn]);
            }
            // The newest session stays selected only while it is clicked.
            self.follow_newest =
                self.sessions.first().is_some_and(|s| s.conn == conn) && self.selected.len() == 1;
            self.calls_selected.clear();
            self.timeline_view.follow_live = true;
            self.timeline_cache = None;
        }
    }

    fn selected_sessions(&self) -> Vec<&SessionView> {
        self.sessions
            .iter()
            .filter(|s| self.selected.contains(&s.conn))
            .collect()
    }

    fn details(&mut self, ui: &mut Ui, commands: &mut Vec<LiveCommand>) {
        let chosen: Vec<SessionView> = self.selected_sessions().into_iter().cloned().collect();
        if chosen.is_empty() {
            ui.add_space(theme::SECTION_GAP);
            theme::muted(ui, crate::tr!("live-select-session"));
            return;
        }
        egui::ScrollArea::vertical()
            .id_salt("live-details")
            .auto_shrink(false)
            .show(ui, |ui| {
                if let [one] = chosen.as_slice() {
                    self.verdict_card(ui, one, commands);
                } else {
                    theme::card(ui, |ui| {
                        ui.label(
                            RichText::new(crate::tr!(
                                "live-sessions-stacked",
                                sessions = crate::tr!("common-sessions", count = chosen.len())
                            ))
                            .strong(),
                        );
                        for s in &chosen {
                            ui.horizontal_wrapped(|ui| {
                                let (tone, word) = outcome_badge(s.verdict.outcome);
                                theme::badge(ui, tone, &word);
                                ui.label(&s.process);
                                ui.label(s.verdict.reason_text().to_string());
                            });
                        }
                    });
                }
                ui.add_space(theme::SECTION_GAP);
                self.timeline(ui, &chosen);
                ui.add_space(theme::SECTION_GAP);
                if let [one] = chosen.as_slice() {
                    self.event_table(ui, one);
                }
            });
    }

    fn verdict_card(&mut self, ui: &mut Ui, s: &SessionView, commands: &mut Vec<LiveCommand>) {
        let v = &s.verdict;
        let lang = i18n::current();
        let ns = |d: u64| format_ns(d, lang);
        theme::card(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                let (tone, word) = outcome_badge(v.outcome);
                ui.label(
                    RichText::new(format!("{} {}", tone.icon(), word.to_uppercase()))
                        .color(tone.color(ui.visuals()))
                        .strong()
                        .size(18.0),
                );
                ui.label(RichText::new(&s.process).strong().size(16.0));
                if let Some(pid) = s.pid {
                    theme::muted(ui, format!("pid {pid}"));
                }
                if let Some(d) = v.duration_ns {
                    theme::muted(ui, crate::tr!("live-shutdown-took", duration = ns(d)));
                }
            });
            ui.add(
                egui::Label::new(
                    RichText::new(capitalize(&v.reason_text().to_string())).size(15.0),
                )
                .wrap(),
            );
            if let Some(e) = &s.error_text {
                theme::badge(
                    ui,
                    Tone::Warning,
                    &crate::tr!("live-connection-error", error = e.to_string()),
                );
            }
            if let (Some(claimed), Some(pid)) = (s.claimed_pid, s.pid) {
                theme::badge(
                    ui,
                    Tone::Warning,
                    &crate::tr!("live-pid-claim", claimed = claimed, pid = pid),
                );
            }
            ui.horizontal_wrapped(|ui| {
                theme::muted(ui, crate::tr!("live-policy-in-force"));
                match &s.trace.policy {
                    Some(p) => ui.label(describe_policy(p).to_string()),
                    None => theme::muted(ui, crate::tr!("live-policy-not-reported")),
                };
                if ui
                    .link(crate::tr!("live-change-policy"))
                    .on_hover_text(crate::tr!("live-change-policy-hover"))
                    .clicked()
                {
                    commands.push(LiveCommand::ShowPolicy);
                }
            });
            if !v.findings.is_empty() {
                ui.add_space(6.0);
                ui.label(RichText::new(crate::tr!("live-findings")).strong());
                for f in &v.findings {
                    let tone = severity_tone(f.severity);
                    let chosen = !f.calls.is_empty()
                        && f.calls.iter().all(|c| self.calls_selected.contains(c));
                    let text = format!("{} {} — {}", tone.icon(), f.kind.as_str(), f.text());
                    let r = ui.selectable_label(
                        chosen,
                        RichText::new(text).color(tone.color(ui.visuals())),
                    );
                    let r = r.on_hover_text(crate::tr!("live-finding-hover"));
                    if r.clicked() {
                        self.calls_selected = f.calls.iter().copied().collect();
                    }
                }
            }
            if !v.providers.is_empty() {
                ui.add_space(6.0);
                egui::CollapsingHeader::new(
                    RichText::new(crate::tr!("live-time-per-provider")).strong(),
                )
                .id_salt("live-provider-timings")
                .default_open(true)
                .show(ui, |ui| {
                    egui::Grid::new("live-provider-grid")
                        .striped(true)
                        .spacing([14.0, 4.0])
                        .show(ui, |ui| {
                            for h in [
                                crate::tr!("live-column-provider"),
                                crate::tr!("live-column-kind"),
                                "DLL".to_string(),
                                "Query".to_string(),
                                "Notify".to_string(),
                                "Do".to_string(),
                                crate::tr!("live-column-share"),
                            ] {
                                ui.label(RichText::new(h).strong());
                            }
                            ui.end_row();
                            for p in &v.providers {
                                ui.label(&p.name);
                                ui.label(p.kind.localized());
                                ui.label(RichText::new(&p.dll).monospace());
                                if p.implements_shutdown {
                                    ui.label(p.render(Method::QueryFastShutdown, lang));
                                    ui.label(p.render(Method::NotifyProcessShutdown, lang));
                                    ui.label(p.render(Method::DoFastShutdown, lang));
                                } else {
                                    ui.label(crate::tr!("live-no-provider-shutdown"));
                                    ui.label("");
                                    ui.label("");
                                }
                                ui.label(format!("{:.0} %", p.share * 100.0));
                                ui.end_row();
                            }
                        });
                });
            }
        });
    }

    fn timeline(&mut self, ui: &mut Ui, chosen: &[SessionView]) {
        let key: Vec<(ConnId, u64)> = chosen.iter().map(|s| (s.conn, s.changed)).collect();
        // The lanes' titles are in the language of the time they were built.
        let lang = i18n::current();
        let stale = self
            .timeline_cache
            .as_ref()
            .is_none_or(|(l, k, _)| *l != lang || *k != key);
        if stale {
            let data = if let [one] = chosen {
                TimelineData::from_trace(&one.trace)
            } else {
                let titled: Vec<(String, &ProcessTrace)> = chosen
                    .iter()
                    .map(|s| {
                        let title = crate::tr!(
                            "live-stacked-title",
                            process = s.process.as_str(),
                            conn = s.conn.to_string()
                        );
                        (title, s.trace.as_ref())
                    })
                    .collect();
                TimelineData::stacked(&titled)
            };
            self.timeline_cache = Some((lang, key, data));
        }
        if let Some((_, _, data)) = &self.timeline_cache {
            timeline::show(ui, data, &mut self.timeline_view, &mut self.calls_selected);
        }
    }

    fn event_table(&mut self, ui: &mut Ui, s: &SessionView) {
        ui.label(RichText::new(crate::tr!("live-calls")).strong());
        let lang = i18n::current();
        let ns = |d: u64| format_ns(d, lang);
        let (client, subsystem, running) = (
            crate::tr!("live-caller-client"),
            crate::tr!("live-caller-subsystem"),
            crate::tr!("live-running"),
        );
        let trace = &s.trace;
        let calls = &trace.calls;
        let mut clicked = None;
        TableBuilder::new(ui)
            .id_salt("live-calls")
            .striped(true)
            .sense(egui::Sense::click())
            .max_scroll_height(360.0)
            .column(Column::auto().at_least(64.0))
            .column(Column::auto().at_least(64.0))
            .column(Column::auto().at_least(150.0))
            .column(Column::remainder().at_least(120.0).clip(true))
            .column(Column::auto().at_least(64.0))
            .column(Column::auto().at_least(120.0))
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .header(22.0, |mut h| {
                for t in [
                    crate::tr!("live-column-start"),
                    crate::tr!("live-column-caller"),
                    crate::tr!("live-column-method"),
                    crate::tr!("live-column-provider"),
                    crate::tr!("live-column-duration"),
                    "HRESULT".to_string(),
                ] {
                    h.col(|ui| {
                        ui.label(RichText::new(t).strong());
                    });
                }
            })
            .body(|body| {
                body.rows(22.0, calls.len(), |mut row| {
                    let c = &calls[row.index()];
                    row.set_selected(self.calls_selected.contains(&c.id));
                    row.col(|ui| {
                        ui.label(ns(c.start_ns));
                    });
                    row.col(|ui| {
                        ui.label(match c.caller {
                            Caller::Client => &client,
                            Caller::Subsystem => &subsystem,
                        });
                    });
                    row.col(|ui| {
                        ui.label(RichText::new(c.method.as_str()).monospace());
                    });
                    row.col(|ui| {
                        if let Some(p) = c.provider().and_then(|p| trace.provider(p)) {
                            let name = if p.named_by_dll() {
                                p.dll.clone()
                            } else {
                                format!("{} ({})", p.name, p.dll)
                            };
                            ui.add(egui::Label::new(name).truncate());
                        }
                    });
                    row.col(|ui| {
                        // The analysis' one rule: a call that never
                        // returned lasts until the last thing known.
                        let d = trace.duration_of(c);
                        ui.label(if !d.returned && s.state == ConnState::Connected {
                            running.clone()
                        } else {
                            d.render(lang)
                        });
                    });
                    row.col(|ui| {
                        match c.hresult() {
                            Some(h) if h.is_failure() => {
                                theme::badge(ui, Tone::Error, &h.to_string())
                            }
                            Some(h) => ui.label(h.to_string()),
                            None => theme::muted(ui, "–"),
                        };
                    });
                    if row.response().clicked() {
                        clicked = Some(c.id);
                    }
                });
            });
        if let Some(id) = clicked {
            self.calls_selected = BTreeSet::from([id]);
        }
    }
}

impl Drop for LivePanel {
    fn drop(&mut self) {
        // A recording's task may still hold the monitor: it stops when
        // that task lets go of it (MonitorHandle's own Drop).
        if let Some(m) = self.monitor.take().and_then(Arc::into_inner) {
            m.shutdown();
        }
    }
}

/// A stream read from a file: its records, why reading stopped early, and
/// whether the file shows the process's end.
type Stream = (Vec<crate::trace::Record>, Option<String>, StreamState);

/// Read a recording, trace or spool folder, add its streams to `store` and
/// publish them with their verdicts (a worker's job: nothing of it runs on
/// the UI thread). Returns how many streams and the last one's id.
///
/// # Errors
/// Why it cannot be read, for people (the caller names the path); nothing
/// is added then.
pub fn load_into(store: &SharedStore, path: &Path) -> Result<(usize, Option<ConnId>), String> {
    let streams = read_streams(path)?;
    let n = streams.len();
    let mut locked = store.lock();
    let mut last = None;
    for (records, error, state) in streams {
        last = Some(locked.add_stream(records, error, state));
    }
    drop(locked);
    store.publish();
    Ok((n, last))
}

/// Read a recording, trace or spool folder into its streams. A file with
/// no record at all is not a trace: the reason, then.
fn read_streams(path: &Path) -> Result<Vec<Stream>, String> {
    let streams: Result<Vec<Stream>, String> = if path.is_dir() {
        read_spool_dir(path)
            .map(|v| {
                v.into_iter()
                    .map(|s| {
                        let error = s.error.map(|e| decode_error_text(&e).to_string());
                        (s.records, error, StreamState::Cut)
                    })
                    .collect()
            })
            .map_err(|e| e.to_string())
    } else {
        read_trace_or_recording(path)
            .map(|r| {
                let plain = r.started_at.is_none();
                r.streams
                    .into_iter()
                    .map(|s| {
                        let state = if plain { StreamState::Cut } else { s.state() };
                        (s.records, s.error, state)
                    })
                    .collect()
            })
            .map_err(|e| e.text().to_string())
    };
    streams.and_then(|v| {
        if v.iter().all(|(records, _, _)| records.is_empty()) {
            let why = v
                .iter()
                .find_map(|(_, e, _)| e.clone())
                .unwrap_or_else(|| crate::tr!("live-no-trace-record"));
            Err(why)
        } else {
            Ok(v)
        }
    })
}

/// Write `sessions` (newest first, as the panel lists them) to `path` in
/// the recording format of `watch --out`: each session's trace re-encoded
/// ([`ProcessTrace::to_records`]), connected ones left open. The file is
/// written beside `path` and renamed over it when complete, so an existing
/// file is never left half-written. Returns how many sessions.
///
/// # Errors
/// The I/O error, naming nothing more: the caller shows the path.
pub fn write_recording(path: &Path, sessions: &[SessionView]) -> std::io::Result<usize> {
    use crate::monitor::recording::Recorder;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = tempfile::Builder::new()
        .prefix(".recording-")
        .suffix(".jsonl")
        .tempfile_in(dir)?;
    let mut rec = Recorder::create(tmp.path()).map_err(std::io::Error::other)?;
    // Oldest first, as a monitor would have written them.
    for s in sessions.iter().rev() {
        rec.open(s.conn, s.pid, s.opened_at)?;
        for r in s.trace.to_records() {
            rec.line(s.conn, crate::trace::codec::encode(&r).trim_end())?;
        }
        if s.state == ConnState::Closed {
            rec.close(s.conn, s.error.as_deref(), SystemTime::now())?;
        }
    }
    rec.flush()?;
    drop(rec);
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(sessions.len())
}

/// Run `exe simulate SCENARIO` on `endpoint` with the policy `registry`
/// holds for the scenario's Office version and wait for it. Returns its
/// exit code and stderr.
///
/// # Errors
/// Why it could not be started.
fn run_simulate(
    exe: &Path,
    endpoint: Option<&str>,
    scenario: &Path,
    registry: &dyn RegistryStore,
) -> Result<(Option<i32>, String), String> {
    let mut cmd = Command::new(exe);
    if let Some(name) = endpoint {
        cmd.arg("--endpoint").arg(name);
    }
    cmd.env_remove(crate::trace::ENDPOINT_ENV)
        .arg("simulate")
        .arg(scenario)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let office = crate::simulate::Scenario::load(scenario)
        .ok()
        .map(|s| s.client.office_version);
    if let Some(office) = office
        && let Ok(Some(RegistryData::Dword(v))) = registry.read_value(
            Hive::CurrentUser,
            &office.shutdown_policy_key(),
            ShutdownValue::FastShutdownBehavior.name(),
        )
        && v <= 2
    {
        cmd.arg("--fast-shutdown-behavior").arg(v.to_string());
    }
    let output = cmd
        .spawn()
        .and_then(|child| child.wait_with_output())
        .map_err(|e| e.to_string())?;
    Ok((
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    ))
}

/// The `*.toml` files of `dir`, sorted.
fn list_scenarios(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outcome_has_a_word_and_an_icon_not_only_a_colour() {
        for lang in Lang::ALL {
            i18n::set_thread_lang(Some(lang));
            let words: BTreeSet<String> = Outcome::ALL
                .into_iter()
                .map(|o| outcome_badge(o).1)
                .collect();
            assert_eq!(words.len(), 5, "{lang}");
        }
        i18n::set_thread_lang(None);
    }

    #[test]
    fn the_shipped_scenarios_are_found_in_a_development_build() {
        let dir = LiveConfig::find_scenarios_dir(None).expect("assets/scenarios");
        let list = list_scenarios(&dir);
        assert!(list.len() >= 4, "{list:?}");
    }
}
