//! The application shell: the top bar (Policy, Processes, Live, Reports and
//! the theme menu), the status bar (registry store, endpoint), the
//! panel in between, and the state that outlives a run (the open panel, the
//! theme), saved through eframe's storage.
//!
//! The shell owns the backends ([`Backends`]: store, backups, dialogs, the
//! monitor's configuration, the process scanner, the clock and host of
//! reports) and the one registry of background work ([`Tasks`]), and is
//! the only place that hands them to a panel (a [`PanelContext`]); panels
//! draw and return commands (show another panel, preset a report, scan),
//! which the shell carries out. `logic` takes in what the background
//! threads finished (the monitor's snapshots, scans, tasks) every frame,
//! visible or not, and hands each task's output to the panel that asked.

use std::sync::Arc;

use egui::{Key, KeyboardShortcut, Modifiers, RichText, Ui};
use serde::{Deserialize, Serialize};

use super::PanelContext;
use super::capture::CaptureRequest;
use super::dialogs::FileDialogs;
use super::fonts::FontStatus;
use super::live::{LiveCommand, LiveConfig, LivePanel};
use super::policy::{PolicyBackends, PolicyCommand, PolicyData, PolicyPanel};
use super::processes::{ProcessesCommand, ProcessesPanel, ScannerFactory};
use super::reports::{ReportInputs, ReportsCommand, ReportsPanel, SessionsPick};
use super::tasks::{Running, TaskKind, TaskOutput, Tasks};
use super::theme::{self, ThemeChoice};
use crate::i18n::{self, Lang};
use crate::policy::backup::BackupDir;
use crate::policy::store::RegistryStore;
use crate::tr;

/// The storage key of [`UiState`].
pub const STATE_KEY: &str = "mapi-shutdown-ui";

/// The window title.
pub const TITLE: &str = "MAPI Shutdown";

/// What the application talks to; tests inject their own.
pub struct Backends {
    /// The registry store the Policy panel reads and writes.
    pub store: Arc<dyn RegistryStore>,
    /// Where backups go before each write.
    pub backups: BackupDir,
    /// File dialogs.
    pub dialogs: Box<dyn FileDialogs>,
    /// The monitor's endpoint, the scenarios and the `simulate` executable
    /// of the Live panel.
    pub live: LiveConfig,
    /// Makes the process scanner of the Processes panel (on its worker
    /// thread): the system's in the application, fixed lists in tests.
    pub scanner: ScannerFactory,
    /// The clock that dates reports.
    pub clock: Arc<dyn crate::clock::Clock>,
    /// The machine and user reports describe.
    pub host: crate::report::HostInfo,
    /// Loads the capture agent into clients (Processes: "Capture
    /// shutdown"; Live: "Launch with capture…").
    pub capture: Arc<dyn super::capture::Capturer>,
}

/// The panels, in top-bar order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tab {
    /// Policy editing.
    #[default]
    Policy,
    /// MAPI processes and providers.
    Processes,
    /// Live shutdown sequences.
    Live,
    /// Report export.
    Reports,
}

impl Tab {
    /// Every tab, in order.
    pub const ALL: [Tab; 4] = [Tab::Policy, Tab::Processes, Tab::Live, Tab::Reports];

    /// The top-bar label.
    pub fn label(self) -> String {
        match self {
            Tab::Policy => crate::tr!("app-tab-policy"),
            Tab::Processes => crate::tr!("app-tab-processes"),
            Tab::Live => crate::tr!("app-tab-live"),
            Tab::Reports => crate::tr!("app-tab-reports"),
        }
    }

    /// A stable name (`policy`, `processes`, `live`, `reports`) for file
    /// names and logs, the same in every language.
    pub fn id(self) -> &'static str {
        match self {
            Tab::Policy => "policy",
            Tab::Processes => "processes",
            Tab::Live => "live",
            Tab::Reports => "reports",
        }
    }

    /// Ctrl+1 to Ctrl+4.
    pub fn shortcut(self) -> KeyboardShortcut {
        let key = match self {
            Tab::Policy => Key::Num1,
            Tab::Processes => Key::Num2,
            Tab::Live => Key::Num3,
            Tab::Reports => Key::Num4,
        };
        KeyboardShortcut::new(Modifiers::COMMAND, key)
    }
}

/// What is remembered between runs (window size and position are kept by
/// eframe itself).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UiState {
    /// The open panel.
    pub tab: Tab,
    /// Light, dark or the system's.
    pub theme: ThemeChoice,
    /// The language chosen in the window; `None` follows the OS
    /// (`--lang` wins over it for one run).
    pub lang: Option<Lang>,
}

/// The application.
pub struct App {
    backends: Backends,
    state: UiState,
    policy: PolicyPanel,
    processes: ProcessesPanel,
    live: LivePanel,
    reports: ReportsPanel,
    tasks: Tasks,
    /// The screenshot tour (`MAPI_SHUTDOWN_SMOKE_SCREENSHOTS`), if asked for.
    smoke: Option<super::smoke::SmokeTour>,
    /// Whether the system has a CJK font (the status bar says when not).
    fonts: FontStatus,
}

impl App {
    /// Build the application: restore [`UiState`] from eframe's storage
    /// (when there is one), install the theme, read the policy.
    pub fn new(cc: &eframe::CreationContext<'_>, backends: Backends) -> Self {
        let state: UiState = cc
            .storage
            .and_then(|s| eframe::get_value(s, STATE_KEY))
            .unwrap_or_default();
        let mut app = Self::with_state(&cc.egui_ctx, backends, state);
        app.smoke = super::smoke::SmokeTour::from_env();
        if app.smoke.is_some() {
            // The smoke stage checks that Chinese can be drawn (under Wine:
            // the host's font, found through drive Z:).
            match &app.fonts {
                FontStatus::Loaded { family, path } => println!(
                    "smoke: CJK font {family} from {}; language {}",
                    path.display(),
                    i18n::current()
                ),
                FontStatus::Missing => {
                    println!("smoke: CJK font: none found; language {}", i18n::current())
                }
            }
        }
        app
    }

    /// Build the application with this state (tests).
    pub fn with_state(ctx: &egui::Context, mut backends: Backends, state: UiState) -> Self {
        theme::install(ctx, state.theme);
        let fonts = super::fonts::install(ctx);
        if let Some(lang) = state.lang.filter(|_| !i18n::is_forced()) {
            i18n::set_lang(lang);
        }
        let data = PolicyData::load(backends.store.as_ref(), &backends.backups);
        let live_config = std::mem::replace(
            &mut backends.live,
            LiveConfig {
                endpoint: Err("taken by the Live panel".into()),
                endpoint_name: None,
                scenarios_dir: None,
                simulate_exe: None,
            },
        );
        // The monitor wakes the window when events land: no polling.
        let repaint = ctx.clone();
        let notify = Box::new(move || repaint.request_repaint());
        let wake = ctx.clone();
        let tasks = Tasks::new(Some(Arc::new(move || wake.request_repaint())));
        let repaint = ctx.clone();
        let scanner = std::mem::replace(
            &mut backends.scanner,
            Box::new(|| {
                Err(crate::processes::ScanError::Processes(
                    "taken by the Processes panel".into(),
                ))
            }),
        );
        App {
            policy: PolicyPanel::new(data),
            processes: ProcessesPanel::new(
                scanner,
                Some(std::sync::Arc::new(move || repaint.request_repaint())),
            ),
            live: LivePanel::start(live_config, Some(notify)),
            reports: ReportsPanel::new(backends.clock.clone(), backends.host.clone()),
            tasks,
            backends,
            state,
            smoke: None,
            fonts,
        }
    }

    /// The remembered state.
    pub fn state(&self) -> &UiState {
        &self.state
    }

    /// The Policy panel.
    pub fn policy(&self) -> &PolicyPanel {
        &self.policy
    }

    /// The Processes panel.
    pub fn processes(&self) -> &ProcessesPanel {
        &self.processes
    }

    /// The Reports panel.
    pub fn reports(&self) -> &ReportsPanel {
        &self.reports
    }

    /// The Live panel.
    pub fn live(&self) -> &LivePanel {
        &self.live
    }

    /// The Live panel, to drive it from tests (open a file).
    pub fn live_mut(&mut self) -> &mut LivePanel {
        &mut self.live
    }

    /// The background tasks (what runs, for tests and the status bar).
    pub fn tasks(&self) -> &Tasks {
        &self.tasks
    }

    /// Hand what the background tasks finished to the panels that asked.
    fn take_task_results(&mut self) {
        for (kind, output) in self.tasks.poll() {
            match kind {
                TaskKind::Open
                | TaskKind::SaveRecording
                | TaskKind::Record
                | TaskKind::Scenario => {
                    self.live.task_done(output);
                }
                TaskKind::ReportPreview | TaskKind::ReportExport => self.reports.task_done(output),
                TaskKind::Capture => {
                    if let TaskOutput::Captured {
                        request,
                        result,
                        waiter,
                    } = output
                    {
                        let text = super::capture::outcome_text(&request, &result);
                        let ok = result.is_ok();
                        match (&request, result, waiter) {
                            (CaptureRequest::Attach(_), ..) => {
                                self.processes.capture_done(text, ok);
                            }
                            (CaptureRequest::Launch(program), Ok(c), Some(waiter)) => {
                                self.live.capture_done(text, ok);
                                if let Err(e) = super::capture::start_wait(
                                    &mut self.tasks,
                                    program,
                                    c.pid,
                                    waiter,
                                ) {
                                    self.live.capture_done(
                                        tr!("app-task-not-started", error = e),
                                        false,
                                    );
                                }
                            }
                            (CaptureRequest::Launch(_), ..) => self.live.capture_done(text, ok),
                        }
                    } else if let TaskOutput::Failed { label, error, .. } = output {
                        self.processes.capture_done(
                            tr!("app-task-failed", task = label, error = error),
                            false,
                        );
                    }
                }
                TaskKind::ClientRun => match output {
                    TaskOutput::ClientExited {
                        program,
                        pid,
                        result,
                    } => self.live.client_exited(&program, pid, &result),
                    TaskOutput::Failed { label, error, .. } => self
                        .live
                        .capture_done(tr!("app-task-failed", task = label, error = error), false),
                    _ => {}
                },
            }
        }
    }

    fn top_bar(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        ui.input_mut(|i| {
            for tab in Tab::ALL {
                if i.consume_shortcut(&tab.shortcut()) {
                    self.state.tab = tab;
                }
            }
        });
        egui::Panel::top("top-bar").show(ui, |ui| {
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                ui.label(RichText::new(TITLE).strong().size(16.0));
                ui.separator();
                for tab in Tab::ALL {
                    ui.selectable_value(&mut self.state.tab, tab, tab.label())
                        .on_hover_text(ctx.format_shortcut(&tab.shortcut()));
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    self.language_menu(ui);
                    ui.menu_button(tr!("app-theme-menu"), |ui| {
                        for choice in ThemeChoice::ALL {
                            if ui
                                .radio(self.state.theme == choice, choice.label())
                                .clicked()
                            {
                                self.state.theme = choice;
                                theme::set_choice(ui.ctx(), choice);
                                ui.close();
                            }
                        }
                    });
                });
            });
            ui.add_space(2.0);
        });
    }

    /// The language menu: the OS's language, or one of ours.
    fn language_menu(&mut self, ui: &mut Ui) {
        let current = i18n::current();
        let title = format!("{} {}", theme::icon::LANGUAGE, current.native_name());
        let response = ui.menu_button(title, |ui| {
            let system = i18n::detect();
            let follow = tr!("app-language-system", language = system.native_name());
            if ui.radio(self.state.lang.is_none(), follow).clicked() {
                self.state.lang = None;
                i18n::set_lang(system);
                ui.close();
            }
            ui.separator();
            for lang in Lang::ALL {
                if ui
                    .radio(self.state.lang == Some(lang), lang.native_name())
                    .clicked()
                {
                    self.state.lang = Some(lang);
                    i18n::set_lang(lang);
                    ui.close();
                }
            }
        });
        response.response.on_hover_text(tr!("app-language-menu"));
    }

    fn status_bar(&self, ui: &mut Ui) {
        egui::Panel::bottom("status-bar").show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                theme::muted(ui, tr!("app-status-registry"));
                ui.label(RichText::new(self.backends.store.describe()).monospace())
                    .on_hover_text(tr!("app-status-registry-hint"));
                ui.separator();
                let (tone, text) = self.live.status().describe();
                theme::badge(ui, tone, &text).on_hover_text(tr!("app-status-endpoint-hint"));
                // Clients launched with capture run on their own: listed,
                // without a spinner (that would repaint for hours).
                let (clients, busy): (Vec<&Running>, Vec<&Running>) = self
                    .tasks
                    .running()
                    .iter()
                    .partition(|r| r.kind == TaskKind::ClientRun);
                for client in clients {
                    ui.separator();
                    theme::muted(ui, format!("▶ {}", client.label));
                }
                if let Some(first) = busy.first() {
                    ui.separator();
                    ui.spinner();
                    let more = busy.len() - 1;
                    // A task that says how far it is: `label (done/total)`.
                    let label = match first.progress.as_ref().map(|p| p.get()) {
                        Some((done, total)) if total > 0 => {
                            format!("{} ({done}/{total})", first.label)
                        }
                        _ => first.label.clone(),
                    };
                    let text = if more == 0 {
                        tr!("app-task-running", task = label)
                    } else {
                        tr!("app-tasks-running", task = label, more = more)
                    };
                    let all = busy
                        .iter()
                        .map(|r| r.label.as_str())
                        .collect::<Vec<_>>()
                        .join("\n");
                    theme::muted(ui, text).on_hover_text(all);
                }
                if self.fonts == FontStatus::Missing && i18n::current() == Lang::ZhCn {
                    ui.separator();
                    theme::badge(ui, theme::Tone::Warning, &tr!("app-font-missing"));
                }
            });
        });
    }
}

impl eframe::App for App {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        // Runs even while the window is hidden: take in what the monitor
        // received.
        self.take_task_results();
        self.live.refresh();
        // Scan processes while their panel is shown; wake up when the next
        // auto-refresh is due (no repaint loop in between).
        let now = ctx.input(|i| i.time);
        let visible = self.state.tab == Tab::Processes;
        let live = &self.live;
        if let Some(wait) = self
            .processes
            .tick(now, visible, || live.instrumented_clients())
        {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(wait));
        }
    }

    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        if let Some(tab) = self
            .smoke
            .as_mut()
            .and_then(|t| t.step(ui.ctx(), &self.live))
        {
            self.state.tab = tab;
        }
        self.top_bar(ui);
        self.status_bar(ui);
        egui::CentralPanel::default().show(ui, |ui| match self.state.tab {
            Tab::Policy => {
                let commands = self.policy.ui(ui);
                let backends = PolicyBackends {
                    store: self.backends.store.as_ref(),
                    backups: &self.backends.backups,
                    dialogs: self.backends.dialogs.as_ref(),
                };
                if !commands.is_empty() {
                    // Show the outcome on the next frame (no repaint loop
                    // otherwise: an idle window draws nothing).
                    ui.ctx().request_repaint();
                }
                for c in commands {
                    if c == PolicyCommand::Report {
                        self.reports.preset(true, false, SessionsPick::None);
                        self.state.tab = Tab::Reports;
                    } else {
                        self.policy.execute(c, &backends);
                    }
                }
            }
            Tab::Processes => {
                for c in self.processes.ui(ui) {
                    match c {
                        ProcessesCommand::ShowLive(pid) => {
                            self.live.focus_process(pid);
                            self.state.tab = Tab::Live;
                        }
                        ProcessesCommand::Capture(pid) => {
                            if let Err(e) = super::capture::start(
                                &mut self.tasks,
                                &self.backends.capture,
                                CaptureRequest::Attach(pid),
                            ) {
                                self.processes
                                    .capture_done(tr!("app-task-not-started", error = e), false);
                            }
                        }
                    }
                }
            }
            Tab::Live => {
                let mut cx = PanelContext {
                    registry: &self.backends.store,
                    dialogs: self.backends.dialogs.as_ref(),
                    tasks: &mut self.tasks,
                };
                let commands = self.live.ui(ui, &mut cx);
                for c in commands {
                    match c {
                        LiveCommand::ShowPolicy => self.state.tab = Tab::Policy,
                        LiveCommand::LaunchCapture(program) => {
                            if let Err(e) = super::capture::start(
                                &mut self.tasks,
                                &self.backends.capture,
                                CaptureRequest::Launch(program),
                            ) {
                                self.live
                                    .capture_done(tr!("app-task-not-started", error = e), false);
                            }
                        }
                        LiveCommand::ReportSelected => {
                            self.reports.preset(false, false, SessionsPick::Selected);
                            self.state.tab = Tab::Reports;
                        }
                    }
                }
            }
            Tab::Reports => {
                let sessions = self.live.snapshot();
                let inputs = ReportInputs {
                    scan: self.processes.scan(),
                    scans: self.processes.scans(),
                    sessions: &sessions,
                    selected: self.live.selected(),
                };
                let mut cx = PanelContext {
                    registry: &self.backends.store,
                    dialogs: self.backends.dialogs.as_ref(),
                    tasks: &mut self.tasks,
                };
                let commands = self.reports.ui(ui, &inputs, &mut cx);
                for c in commands {
                    match c {
                        ReportsCommand::ScanProcesses => {
                            if self.processes.scan().is_none() && !self.processes.scanning() {
                                self.processes.request_refresh();
                                ui.ctx().request_repaint();
                            }
                        }
                    }
                }
            }
        });
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STATE_KEY, &self.state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ui_state_round_trips_and_tolerates_missing_fields() {
        let state = UiState {
            tab: Tab::Live,
            theme: ThemeChoice::Dark,
            lang: Some(Lang::Fr),
        };
        let text = serde_json::to_string(&state).unwrap();
        assert_eq!(serde_json::from_str::<UiState>(&text).unwrap(), state);
        // A state saved by an older version (fewer fields) still loads.
        let old: UiState = serde_json::from_str(r#"{"tab":"Reports"}"#).unwrap();
        assert_eq!(old.tab, Tab::Reports);
        assert_eq!(old.theme, ThemeChoice::System);
        assert_eq!(old.lang, None);
    }

    #[test]
    fn every_tab_has_its_own_shortcut() {
        let mut seen: Vec<_> = Tab::ALL.iter().map(|t| t.shortcut()).collect();
        seen.dedup();
        assert_eq!(seen.len(), Tab::ALL.len());
    }
}
