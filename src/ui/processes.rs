//! The Processes panel: the processes that have a MAPI subsystem loaded (or
//! are connected to the monitor as instrumented clients), in a sortable,
//! filterable table; for the selected one its subsystem, its transport,
//! address book and message store providers (what the OS says is loaded
//! beside what the client declared) and all its modules; and "Find DLL"
//! across every process, like Process Explorer's.
//!
//! Scans run on a worker thread ([`ScanWorker`]) that owns the
//! [`Scanner`]: the panel sends a request with the instrumented clients the
//! monitor knows, and takes the result in [`ProcessesPanel::tick`] (from
//! `App::logic`). Auto-refresh repeats the scan at a visible interval while
//! the panel is shown, unless paused; time comes from egui's input clock,
//! so tests drive it. A frame never waits for a scan.

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use crossbeam_channel::{Receiver, Sender, TryRecvError};
use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::theme::{self, Tone, icon};
use crate::i18n::KindText;
use crate::mapi::ProviderKind;
use crate::processes::{InstrumentedClient, ProcessEntry, Scan, ScanError, Scanner, decimal};
use crate::tr;

/// Makes the scanner, on the worker thread (sysinfo's first refresh takes
/// a moment; the window opens without waiting for it).
pub type ScannerFactory = Box<dyn FnOnce() -> Result<Scanner, ScanError> + Send>;

/// Called by the worker when a scan finished (the application requests a
/// repaint).
pub type Notify = Arc<dyn Fn() + Send + Sync>;

/// The auto-refresh intervals offered, seconds.
pub const INTERVALS_S: [u32; 5] = [2, 5, 10, 30, 60];

/// The default auto-refresh interval, seconds.
pub const DEFAULT_INTERVAL_S: u32 = 5;

/// The thread that owns the [`Scanner`] and runs scans on request.
pub struct ScanWorker {
    requests: Sender<Vec<InstrumentedClient>>,
    results: Receiver<Result<Scan, String>>,
}

impl ScanWorker {
    /// Start the worker: it makes the scanner with `factory`, then scans
    /// once per request, calling `notify` after each result.
    ///
    /// # Errors
    /// The OS error when the thread cannot be started.
    pub fn start(factory: ScannerFactory, notify: Option<Notify>) -> std::io::Result<ScanWorker> {
        let (requests, request_rx) = crossbeam_channel::bounded::<Vec<InstrumentedClient>>(1);
        let (result_tx, results) = crossbeam_channel::bounded(1);
        std::thread::Builder::new()
            .name("process-scan".to_string())
            .spawn(move || {
                // Errors in the process's language (the window sets it).
                let mut scanner = match factory() {
                    Ok(s) => Ok(s),
                    Err(e) => Err(e.localized()),
                };
                for clients in request_rx {
                    let result = match &mut scanner {
                        Ok(s) => s.scan(&clients).map_err(|e| e.localized()),
                        Err(e) => Err(e.clone()),
                    };
                    if result_tx.send(result).is_err() {
                        break;
                    }
                    if let Some(n) = &notify {
                        n();
                    }
                }
            })?;
        Ok(ScanWorker { requests, results })
    }
}

/// A column of the process table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortColumn {
    /// Process id.
    Pid,
    /// Executable name.
    Name,
    /// Account.
    User,
    /// Subsystem DLL.
    Subsystem,
    /// Providers of one kind.
    Providers(ProviderKind),
    /// Instrumented or not.
    Instrumented,
    /// Resident memory.
    Memory,
    /// Start time.
    Started,
}

impl SortColumn {
    /// The header's words, in the language in force.
    pub fn label(self) -> String {
        match self {
            SortColumn::Pid => tr!("processes-col-pid"),
            SortColumn::Name => tr!("processes-col-name"),
            SortColumn::User => tr!("processes-col-user"),
            SortColumn::Subsystem => tr!("processes-col-subsystem"),
            SortColumn::Providers(ProviderKind::Transport) => tr!("processes-col-transport"),
            SortColumn::Providers(ProviderKind::AddressBook) => tr!("processes-col-address-book"),
            SortColumn::Providers(ProviderKind::MessageStore) => {
                tr!("processes-col-message-store")
            }
            SortColumn::Instrumented => tr!("processes-col-instrumented"),
            SortColumn::Memory => tr!("processes-col-memory"),
            SortColumn::Started => tr!("processes-col-started"),
        }
    }

    const ALL: [SortColumn; 10] = [
        SortColumn::Pid,
        SortColumn::Name,
        SortColumn::User,
        SortColumn::Subsystem,
        SortColumn::Providers(ProviderKind::Transport),
        SortColumn::Providers(ProviderKind::AddressBook),
        SortColumn::Providers(ProviderKind::MessageStore),
        SortColumn::Instrumented,
        SortColumn::Memory,
        SortColumn::Started,
    ];

    fn compare(self, a: &ProcessEntry, b: &ProcessEntry) -> std::cmp::Ordering {
        let kind_count = |p: &ProcessEntry, k: ProviderKind| {
            let i = ProviderKind::ALL.iter().position(|x| *x == k).unwrap_or(0);
            p.provider_counts()[i]
        };
        match self {
            SortColumn::Pid => a.info.pid.cmp(&b.info.pid),
            SortColumn::Name => a.info.name.to_lowercase().cmp(&b.info.name.to_lowercase()),
            SortColumn::User => a.info.user.cmp(&b.info.user),
            SortColumn::Subsystem => {
                let dll = |p: &ProcessEntry| p.subsystem.as_ref().map(|s| s.dll.to_lowercase());
                dll(a).cmp(&dll(b))
            }
            SortColumn::Providers(k) => kind_count(a, k).cmp(&kind_count(b, k)),
            SortColumn::Instrumented => a.instrumented.cmp(&b.instrumented),
            SortColumn::Memory => a.info.memory.cmp(&b.info.memory),
            SortColumn::Started => a.info.start_time.cmp(&b.info.start_time),
        }
        .then(a.info.pid.cmp(&b.info.pid))
    }
}

/// What the panel asks of the shell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProcessesCommand {
    /// Show this process's shutdown sessions in the Live panel.
    ShowLive(u32),
    /// Load the capture agent into this process (late attach).
    Capture(u32),
}

/// The Processes panel's state.
pub struct ProcessesPanel {
    worker: Result<ScanWorker, String>,
    scan: Option<Arc<Scan>>,
    /// Scans finished so far.
    scans: u64,
    /// The last scan's error, shown over the (older) table.
    error: Option<String>,
    scanning: bool,
    /// egui time of the last request.
    requested_at: Option<f64>,
    /// Refresh now, whatever the interval.
    refresh_requested: bool,
    interval_s: u32,
    paused: bool,
    filter: String,
    show_all: bool,
    sort: SortColumn,
    ascending: bool,
    selected: Option<u32>,
    /// The last capture's outcome: the sentence, and whether it worked.
    capture_message: Option<(String, bool)>,
    module_filter: String,
    find_dll: String,
}

impl ProcessesPanel {
    /// The panel over a scanner made by `factory` on a worker thread;
    /// `notify` is called when a scan finished. The first scan starts the
    /// first time the panel is shown.
    pub fn new(factory: ScannerFactory, notify: Option<Notify>) -> Self {
        ProcessesPanel {
            worker: ScanWorker::start(factory, notify)
                .map_err(|e| tr!("processes-cannot-start-thread", error = e.to_string())),
            scan: None,
            scans: 0,
            error: None,
            scanning: false,
            requested_at: None,
            refresh_requested: true,
            interval_s: DEFAULT_INTERVAL_S,
            paused: false,
            filter: String::new(),
            show_all: false,
            sort: SortColumn::Name,
            ascending: true,
            selected: None,
            capture_message: None,
            module_filter: String::new(),
            find_dll: String::new(),
        }
    }

    /// The latest scan, if one finished.
    pub fn scan(&self) -> Option<&Arc<Scan>> {
        self.scan.as_ref()
    }

    /// How many scans have finished.
    pub fn scans(&self) -> u64 {
        self.scans
    }

    /// Whether a scan is under way.
    pub fn scanning(&self) -> bool {
        self.scanning
    }

    /// A capture asked for by this panel ended: `text` says how (shown
    /// under the selected process until the next one).
    pub fn capture_done(&mut self, text: String, ok: bool) {
        self.capture_message = Some((text, ok));
    }

    /// The selected process.
    pub fn selected(&self) -> Option<u32> {
        self.selected
    }

    /// Whether auto-refresh is paused.
    pub fn paused(&self) -> bool {
        self.paused
    }

    /// The auto-refresh interval, seconds.
    pub fn interval_s(&self) -> u32 {
        self.interval_s
    }

    /// Ask for a scan at the next [`ProcessesPanel::tick`].
    pub fn request_refresh(&mut self) {
        self.refresh_requested = true;
    }

    /// Take a finished scan, and start one if due: when `visible`, on
    /// first show, "Refresh", or the interval elapsed and not paused;
    /// hidden, only after [`ProcessesPanel::request_refresh`]. `now` is
    /// egui's input time (s); `clients` lists the instrumented clients,
    /// called only when a scan starts. Returns how long until the next
    /// scan is due (s), for `request_repaint_after`, when one will be.
    pub fn tick(
        &mut self,
        now: f64,
        visible: bool,
        clients: impl FnOnce() -> Vec<InstrumentedClient>,
    ) -> Option<f64> {
        let Ok(worker) = &self.worker else {
            return None;
        };
        match worker.results.try_recv() {
            Ok(Ok(scan)) => {
                self.scanning = false;
                self.error = None;
                self.scan = Some(Arc::new(scan));
                self.scans += 1;
            }
            Ok(Err(e)) => {
                self.scanning = false;
                self.error = Some(e);
            }
            Err(TryRecvError::Empty) => {}
            Err(TryRecvError::Disconnected) => {
                self.scanning = false;
                self.worker = Err(tr!("processes-thread-stopped"));
                return None;
            }
        }
        // Hidden, the panel scans only when asked (the Reports panel).
        if (!visible && !self.refresh_requested) || self.scanning {
            return None;
        }
        let interval = f64::from(self.interval_s);
        let due = match self.requested_at {
            _ if self.refresh_requested => true,
            None => true,
            Some(at) => !self.paused && now - at >= interval,
        };
        if due {
            if worker.requests.try_send(clients()).is_ok() {
                self.scanning = true;
                self.requested_at = Some(now);
                self.refresh_requested = false;
            }
            return None;
        }
        match self.requested_at {
            Some(at) if !self.paused => Some((at + interval - now).max(0.0)),
            _ => None,
        }
    }

    /// Draw the panel and return what the shell should do (F5 refreshes).
    pub fn ui(&mut self, ui: &mut Ui) -> Vec<ProcessesCommand> {
        let mut commands = Vec::new();
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::F5)) {
            self.refresh_requested = true;
            ui.ctx().request_repaint();
        }
        self.toolbar(ui);
        if let Err(e) = &self.worker {
            theme::banner(ui, Tone::Error, |ui| {
                ui.label(tr!("processes-cannot-scan", error = e.as_str()));
            });
            return commands;
        }
        if let Some(e) = &self.error {
            theme::banner(ui, Tone::Error, |ui| {
                ui.label(tr!("processes-scan-failed", error = e.as_str()));
                ui.label(tr!("processes-scan-failed-hint"));
            });
        }
        let Some(scan) = self.scan.clone() else {
            ui.add_space(theme::SECTION_GAP);
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(tr!("processes-scanning-first"));
            });
            return commands;
        };
        self.summary(ui, &scan);
        if !self.find_dll.trim().is_empty() {
            self.find_dll_results(ui, &scan);
        }
        // Filtered and sorted once per frame.
        let rows = self.visible_rows(&scan);
        if self.selected.is_none() && rows.is_empty() {
            egui::CentralPanel::default().show(ui, |ui| self.table(ui, &rows));
            return commands;
        }
        // The details get most of the height: a machine has a handful of
        // MAPI processes, and one has dozens of providers and modules.
        let details_height = (ui.available_height() * 0.62).max(240.0);
        egui::Panel::bottom("process-details")
            .resizable(true)
            .default_size(details_height)
            .size_range(160.0..=800.0)
            .show(ui, |ui| {
                // Keep the panel at its size whatever the content's.
                ui.set_min_height(ui.available_height());
                self.details(ui, &scan, &mut commands);
            });
        egui::CentralPanel::default().show(ui, |ui| self.table(ui, &rows));
        commands
    }

    fn toolbar(&mut self, ui: &mut Ui) {
        ui.horizontal_wrapped(|ui| {
            ui.heading(tr!("processes-heading"));
            ui.separator();
            if ui
                .add_enabled(
                    !self.scanning,
                    egui::Button::new(format!("{} {}", icon::RELOAD, tr!("processes-refresh"))),
                )
                .on_hover_text(tr!("processes-refresh-tooltip"))
                .clicked()
            {
                self.refresh_requested = true;
            }
            let pause = if self.paused {
                format!("▶ {}", tr!("processes-resume"))
            } else {
                format!("⏸ {}", tr!("processes-pause"))
            };
            if ui.button(pause).clicked() {
                self.paused = !self.paused;
            }
            ui.label(tr!("processes-every"));
            let combo = egui::ComboBox::from_id_salt("processes-interval")
                .selected_text(tr!("processes-seconds", seconds = self.interval_s))
                .width(64.0)
                .show_ui(ui, |ui| {
                    for s in INTERVALS_S {
                        ui.selectable_value(
                            &mut self.interval_s,
                            s,
                            tr!("processes-seconds", seconds = s),
                        );
                    }
                })
                .response;
            combo.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::ComboBox, true, tr!("processes-interval"))
            });
            if self.scanning {
                ui.spinner();
                theme::muted(ui, tr!("processes-scanning"));
            } else if self.paused {
                theme::badge(ui, Tone::Warning, &tr!("processes-paused"));
            }
            ui.separator();
            let label = ui.label(tr!("processes-filter"));
            ui.add(
                // Explicit ids: the spinner before them comes and goes, and
                // an auto id would change with it and drop the focus.
                egui::TextEdit::singleline(&mut self.filter)
                    .id_salt("processes-filter")
                    .hint_text(tr!("processes-filter-hint"))
                    .desired_width(170.0),
            )
            .labelled_by(label.id);
            ui.checkbox(&mut self.show_all, tr!("processes-all"))
                .on_hover_text(tr!("processes-all-tooltip"));
            ui.separator();
            let label = ui.label(tr!("processes-find-dll"));
            ui.add(
                egui::TextEdit::singleline(&mut self.find_dll)
                    .id_salt("processes-find-dll")
                    .hint_text(tr!("processes-find-dll-hint"))
                    .desired_width(150.0),
            )
            .labelled_by(label.id)
            .on_hover_text(tr!("processes-find-dll-tooltip"));
        });
    }

    fn summary(&self, ui: &mut Ui, scan: &Scan) {
        let mapi = scan.mapi_processes().count();
        let uninspected: Vec<_> = scan.uninspected().collect();
        ui.horizontal_wrapped(|ui| {
            ui.label(tr!(
                "processes-summary",
                count = mapi,
                total = scan.processes.len()
            ))
            .on_hover_text(tr!(
                "processes-summary-tooltip",
                took = format_duration(scan.took),
                seconds = self.interval_s
            ));
            if !uninspected.is_empty() {
                let denied = uninspected
                    .iter()
                    .filter(|(_, e)| matches!(e, crate::processes::ModulesError::AccessDenied))
                    .count();
                theme::badge(
                    ui,
                    Tone::Warning,
                    &tr!(
                        "processes-uninspected",
                        count = uninspected.len(),
                        denied = denied
                    ),
                )
                .on_hover_text(tr!("processes-uninspected-tooltip"));
            }
            if !scan.unmatched_clients.is_empty() {
                theme::badge(
                    ui,
                    Tone::Info,
                    &tr!(
                        "processes-unmatched-clients",
                        count = scan.unmatched_clients.len()
                    ),
                )
                .on_hover_text(tr!(
                    "processes-unmatched-clients-tooltip",
                    pids = join(scan.unmatched_clients.iter())
                ));
            }
        });
        if !scan.mapisvc_files.is_empty() || !scan.warnings.is_empty() {
            egui::CollapsingHeader::new(tr!(
                "processes-catalog",
                files = scan.mapisvc_files.len(),
                warnings = scan.warnings.len()
            ))
            .id_salt("processes-catalog")
            .show(ui, |ui| {
                for f in &scan.mapisvc_files {
                    ui.label(RichText::new(f.display().to_string()).monospace());
                }
                for w in &scan.warnings {
                    theme::badge(ui, Tone::Warning, &w.text().to_string());
                }
            });
        }
    }

    fn find_dll_results(&mut self, ui: &mut Ui, scan: &Scan) {
        let query = self.find_dll.trim().to_string();
        let hits: Vec<(&ProcessEntry, String)> = scan
            .find_dll(&query)
            .map(|p| {
                let paths = p
                    .find_dll(&query)
                    .iter()
                    .map(|m| m.path.clone())
                    .collect::<Vec<_>>()
                    .join("; ");
                (p, paths)
            })
            .collect();
        theme::card(ui, |ui| {
            ui.label(
                RichText::new(tr!(
                    "processes-find-dll-results",
                    query = query.as_str(),
                    count = hits.len()
                ))
                .strong(),
            );
            if hits.is_empty() {
                theme::muted(ui, tr!("processes-find-dll-none"));
                return;
            }
            egui::ScrollArea::vertical()
                .id_salt("find-dll-results")
                .max_height(140.0)
                .show(ui, |ui| {
                    for (p, paths) in hits {
                        ui.horizontal(|ui| {
                            let text = tr!(
                                "processes-name-pid",
                                name = p.info.name.as_str(),
                                pid = p.info.pid
                            );
                            if ui
                                .selectable_label(self.selected == Some(p.info.pid), text)
                                .clicked()
                            {
                                self.selected = Some(p.info.pid);
                                if !p.is_mapi() {
                                    self.show_all = true;
                                }
                            }
                            theme::muted(ui, paths);
                        });
                    }
                });
        });
    }

    fn visible_rows<'a>(&self, scan: &'a Scan) -> Vec<&'a ProcessEntry> {
        let needle = self.filter.trim().to_lowercase();
        let mut rows: Vec<&ProcessEntry> = scan
            .processes
            .iter()
            .filter(|p| self.show_all || p.is_mapi())
            .filter(|p| needle.is_empty() || matches_filter(p, &needle))
            .collect();
        rows.sort_by(|a, b| {
            let o = self.sort.compare(a, b);
            if self.ascending { o } else { o.reverse() }
        });
        rows
    }

    fn table(&mut self, ui: &mut Ui, rows: &[&ProcessEntry]) {
        if rows.is_empty() {
            ui.add_space(theme::SECTION_GAP);
            let text = if self.filter.trim().is_empty() && !self.show_all {
                tr!("processes-none-mapi")
            } else {
                tr!("processes-no-match")
            };
            theme::banner(ui, Tone::Info, |ui| {
                ui.label(text);
            });
            return;
        }
        let height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        let mut clicked_header = None;
        TableBuilder::new(ui)
            .id_salt("processes-table")
            .striped(true)
            .resizable(true)
            .auto_shrink(false)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            // Fits a 1,100-point window; name, user and subsystem clip
            // (the full text is in the details and tooltips).
            .column(Column::auto().at_least(56.0)) // pid
            .column(Column::initial(150.0).at_least(80.0).clip(true)) // name
            .column(Column::initial(120.0).at_least(60.0).clip(true)) // user
            .column(Column::initial(100.0).at_least(70.0).clip(true)) // subsystem
            .column(Column::auto().at_least(64.0)) // transport
            .column(Column::auto().at_least(84.0)) // address book
            .column(Column::auto().at_least(92.0)) // message store
            .column(Column::auto().at_least(84.0)) // instrumented
            .column(Column::auto().at_least(64.0)) // memory
            .column(Column::remainder().at_least(160.0).clip(true)) // started
            .header(height + 4.0, |mut header| {
                for column in SortColumn::ALL {
                    header.col(|ui| {
                        let arrow = match (self.sort == column, self.ascending) {
                            (true, true) => " ⏶",
                            (true, false) => " ⏷",
                            (false, _) => "",
                        };
                        let text = RichText::new(format!("{}{arrow}", column.label())).strong();
                        let r = ui
                            .add(egui::Button::new(text).frame(false))
                            .on_hover_text(tr!(
                                "processes-sort-by",
                                column = column.label().to_lowercase()
                            ));
                        if r.clicked() {
                            clicked_header = Some(column);
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(height, rows.len(), |mut row| {
                    let p = rows[row.index()];
                    let selected = self.selected == Some(p.info.pid);
                    row.set_selected(selected);
                    let counts = p.provider_counts();
                    row.col(|ui| {
                        ui.label(RichText::new(p.info.pid.to_string()).monospace());
                    });
                    row.col(|ui| {
                        let r = ui.selectable_label(selected, &p.info.name).on_hover_text(
                            p.info
                                .path
                                .clone()
                                .unwrap_or_else(|| tr!("processes-path-unknown")),
                        );
                        if r.clicked() {
                            self.selected = Some(p.info.pid);
                        }
                    });
                    row.col(|ui| {
                        ui.label(p.info.user.as_deref().unwrap_or("–"));
                    });
                    row.col(|ui| match (&p.subsystem, p.modules_error()) {
                        (Some(s), _) => {
                            ui.label(RichText::new(&s.dll).monospace());
                        }
                        (None, Some(e)) => {
                            theme::badge(ui, Tone::Warning, &e.localized());
                        }
                        (None, None) => {
                            theme::muted(ui, "–");
                        }
                    });
                    for c in counts {
                        row.col(|ui| {
                            ui.label(c.to_string());
                        });
                    }
                    row.col(|ui| {
                        if p.instrumented {
                            theme::badge(ui, Tone::Good, &tr!("processes-yes"));
                        } else {
                            theme::muted(ui, tr!("processes-no"));
                        }
                    });
                    row.col(|ui| {
                        ui.label(format_bytes(p.info.memory));
                    });
                    row.col(|ui| {
                        ui.label(format_start(p.info.start_time));
                    });
                    if row.response().clicked() {
                        self.selected = Some(p.info.pid);
                    }
                });
            });
        if let Some(column) = clicked_header {
            if self.sort == column {
                self.ascending = !self.ascending;
            } else {
                self.sort = column;
                // Most useful first: big numbers and recent starts.
                self.ascending = !matches!(
                    column,
                    SortColumn::Memory
                        | SortColumn::Started
                        | SortColumn::Providers(_)
                        | SortColumn::Instrumented
                );
            }
        }
    }

    fn details(&mut self, ui: &mut Ui, scan: &Scan, commands: &mut Vec<ProcessesCommand>) {
        let Some(p) = self
            .selected
            .and_then(|pid| scan.processes.iter().find(|p| p.info.pid == pid))
        else {
            ui.add_space(theme::SECTION_GAP);
            theme::muted(
                ui,
                match self.selected {
                    Some(pid) => tr!("processes-selected-exited", pid = pid),
                    None => tr!("processes-select-hint"),
                },
            );
            return;
        };
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(tr!(
                    "processes-name-pid",
                    name = p.info.name.as_str(),
                    pid = p.info.pid
                ))
                .heading(),
            );
            if p.instrumented {
                theme::badge(ui, Tone::Good, &tr!("processes-instrumented"));
                if ui
                    .button(format!("{} {}", icon::ARROW, tr!("processes-show-live")))
                    .on_hover_text(tr!("processes-show-live-tooltip"))
                    .clicked()
                {
                    commands.push(ProcessesCommand::ShowLive(p.info.pid));
                }
            }
            if p.has_differences() {
                theme::badge(ui, Tone::Warning, &tr!("processes-disagree"));
            }
            if p.subsystem.is_some()
                && ui
                    .button(format!("{} {}", icon::RECORD, tr!("processes-capture")))
                    .on_hover_text(tr!("processes-capture-tooltip"))
                    .clicked()
            {
                self.capture_message = None;
                commands.push(ProcessesCommand::Capture(p.info.pid));
            }
        });
        if let Some((text, ok)) = &self.capture_message {
            let tone = if *ok { Tone::Good } else { Tone::Error };
            theme::banner(ui, tone, |ui| ui.label(text.as_str()));
        }
        ui.horizontal_wrapped(|ui| {
            let unknown = || tr!("processes-unknown");
            theme::muted(ui, tr!("processes-path"));
            ui.label(RichText::new(p.info.path.clone().unwrap_or_else(unknown)).monospace());
            theme::muted(ui, tr!("processes-user"));
            ui.label(p.info.user.clone().unwrap_or_else(unknown));
        });
        ui.horizontal_wrapped(|ui| {
            theme::muted(ui, tr!("processes-subsystem"));
            match &p.subsystem {
                Some(s) => {
                    ui.label(RichText::new(&s.dll).monospace().strong());
                    if let Some(v) = &s.version {
                        ui.label(tr!("processes-version", version = v.as_str()));
                    }
                    ui.label(RichText::new(&s.path).monospace());
                    if s.stub_loaded && !s.dll.eq_ignore_ascii_case("mapi32.dll") {
                        theme::muted(ui, tr!("processes-stub-loaded"));
                    }
                }
                None => {
                    theme::muted(ui, tr!("processes-none-loaded"));
                }
            }
        });
        ui.separator();
        let width = ui.available_width();
        ui.columns(2, |cols| {
            // Columns lay out justified; text reads better left-aligned.
            let left = egui::Layout::top_down(egui::Align::Min);
            cols[0].set_max_width(width / 2.0);
            cols[0].with_layout(left, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("process-providers")
                    .auto_shrink(false)
                    .show(ui, |ui| providers(ui, p));
            });
            cols[1].with_layout(left, |ui| self.modules(ui, p));
        });
    }

    fn modules(&mut self, ui: &mut Ui, p: &ProcessEntry) {
        if let Some(e) = p.modules_error() {
            ui.label(RichText::new(tr!("processes-modules")).strong());
            theme::banner(ui, Tone::Warning, |ui| {
                ui.label(tr!("processes-modules-unreadable", error = e.localized()));
                if matches!(e, crate::processes::ModulesError::AccessDenied) {
                    ui.label(tr!("processes-run-as-admin"));
                }
            });
            return;
        }
        let needle = self.module_filter.trim().to_lowercase();
        let modules: Vec<_> = p
            .module_list()
            .iter()
            .filter(|m| needle.is_empty() || m.path.to_lowercase().contains(&needle))
            .collect();
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(tr!(
                    "processes-modules-count",
                    shown = modules.len(),
                    total = p.module_list().len()
                ))
                .strong(),
            );
            let label = ui.label(tr!("processes-filter"));
            ui.add(
                egui::TextEdit::singleline(&mut self.module_filter)
                    .id_salt("processes-module-filter")
                    .hint_text(tr!("processes-module-filter-hint"))
                    .desired_width(140.0),
            )
            .labelled_by(label.id);
        });
        let row_height = ui.text_style_height(&egui::TextStyle::Monospace) + 4.0;
        egui::ScrollArea::both()
            .id_salt("process-modules")
            .auto_shrink(false)
            .show_rows(ui, row_height, modules.len(), |ui, range| {
                for m in &modules[range] {
                    // One line each, scrolled sideways when long.
                    ui.add(
                        egui::Label::new(RichText::new(&m.path).monospace())
                            .wrap_mode(egui::TextWrapMode::Extend),
                    )
                    .on_hover_text(&m.name);
                }
            });
    }
}

/// The providers of `p`, grouped by kind.
fn providers(ui: &mut Ui, p: &ProcessEntry) {
    ui.label(RichText::new(tr!("processes-providers")).strong());
    if p.providers.is_empty() {
        theme::muted(ui, tr!("processes-no-providers"));
        return;
    }
    for kind in ProviderKind::ALL {
        let of_kind: Vec<_> = p
            .providers
            .iter()
            .filter(|r| r.kinds.contains(&kind))
            .collect();
        if of_kind.is_empty() {
            continue;
        }
        ui.add_space(4.0);
        let count = of_kind.len();
        let title = match kind {
            ProviderKind::Transport => tr!("processes-providers-transport", count = count),
            ProviderKind::AddressBook => tr!("processes-providers-address-book", count = count),
            ProviderKind::MessageStore => tr!("processes-providers-message-store", count = count),
        };
        ui.label(RichText::new(title).strong());
        for r in of_kind {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(&r.dll).monospace().strong());
                ui.label(&r.name);
                if let Some(d) = r.difference {
                    theme::badge(ui, Tone::Warning, &d.localized());
                }
            });
            ui.indent(("provider", &r.dll, kind.as_str()), |ui| {
                if let Some(path) = &r.path {
                    ui.label(RichText::new(path).monospace().weak());
                }
                if let Some(d) = &r.description {
                    theme::muted(ui, d);
                }
                if !r.declared.is_empty() {
                    theme::muted(
                        ui,
                        tr!(
                            "processes-declared-as",
                            names = r
                                .declared
                                .iter()
                                .map(|d| format!("{} ({})", d.name, d.kind.localized()))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                }
            });
        }
    }
}

/// Whether `p` matches a lower-case filter: name, pid, user, path,
/// subsystem or a provider DLL.
fn matches_filter(p: &ProcessEntry, needle: &str) -> bool {
    p.info.name.to_lowercase().contains(needle)
        || p.info.pid.to_string().contains(needle)
        || p.info
            .user
            .as_deref()
            .is_some_and(|u| u.to_lowercase().contains(needle))
        || p.info
            .path
            .as_deref()
            .is_some_and(|u| u.to_lowercase().contains(needle))
        || p.subsystem
            .as_ref()
            .is_some_and(|s| s.dll.to_lowercase().contains(needle))
        || p.providers.iter().any(|r| r.dll.contains(needle))
}

fn join<T: ToString>(items: impl Iterator<Item = T>) -> String {
    items.map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
}

/// `12.3 MB`, `640 KB`, `1.2 GB` (powers of 1024, as Task Manager), in
/// the language in force (French: `12,3 Mo`).
pub fn format_bytes(bytes: u64) -> String {
    if bytes < 1024 {
        return tr!("processes-size-b", value = bytes);
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < 3 {
        value /= 1024.0;
        unit += 1;
    }
    let value = decimal(value, if value >= 100.0 { 0 } else { 1 });
    match unit {
        0 => tr!("processes-size-kb", value = value),
        1 => tr!("processes-size-mb", value = value),
        2 => tr!("processes-size-gb", value = value),
        _ => tr!("processes-size-tb", value = value),
    }
}

/// A start time (s since the Unix epoch) as `2026-11-21 09:14:03 UTC`;
/// `unknown` (in the language in force) for 0.
pub fn format_start(secs: u64) -> String {
    if secs == 0 {
        return tr!("processes-unknown");
    }
    humantime::format_rfc3339_seconds(UNIX_EPOCH + Duration::from_secs(secs))
        .to_string()
        .replacen('T', " ", 1)
        .replacen('Z', " UTC", 1)
}

fn format_duration(d: Duration) -> String {
    if d.as_millis() >= 1000 {
        tr!(
            "processes-duration-s",
            seconds = decimal(d.as_secs_f64(), 1)
        )
    } else {
        tr!(
            "common-duration-ms",
            ms = u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_read_like_task_manager() {
        crate::i18n::set_thread_lang(Some(crate::i18n::Lang::En));
        assert_eq!(format_bytes(0), "0 B");
        assert_eq!(format_bytes(1023), "1023 B");
        assert_eq!(format_bytes(1536), "1.5 KB");
        assert_eq!(format_bytes(150 * 1024 * 1024), "150 MB");
        assert_eq!(format_bytes(3 * 1024 * 1024 * 1024 / 2), "1.5 GB");
    }

    #[test]
    fn start_times_are_utc_and_say_so() {
        crate::i18n::set_thread_lang(Some(crate::i18n::Lang::En));
        assert_eq!(format_start(0), "unknown");
        assert_eq!(format_start(1_700_000_000), "2023-11-14 22:13:20 UTC");
    }

    #[test]
    fn sizes_and_headers_follow_the_language() {
        use crate::i18n::{Lang, set_thread_lang};
        set_thread_lang(Some(Lang::Fr));
        assert_eq!(format_bytes(1536), "1,5\u{a0}Ko");
        assert_eq!(format_bytes(150 * 1024 * 1024), "150\u{a0}Mo");
        assert_eq!(SortColumn::Memory.label(), "Mémoire");
        assert_eq!(format_start(0), "inconnu");
        set_thread_lang(Some(Lang::ZhCn));
        assert_eq!(format_bytes(1536), "1.5 KB");
        assert_eq!(SortColumn::Name.label(), "名称");
        set_thread_lang(None);
    }
}
