//! The Reports panel: choose what a report holds (the policy, the MAPI
//! processes, which shutdown sessions) and its format (HTML, CSV, JSON,
//! Chrome trace), see a summary of it, and export it through the save
//! dialog. The report itself is [`crate::report`]'s: this panel gathers the
//! inputs (the registry store, the Processes panel's latest scan, the
//! monitor's published sessions), and builds the preview and renders and
//! writes the export as background tasks ([`super::tasks`]), so reading
//! the registry or a long export shows a spinner and never freezes a
//! frame. Afterwards "Show in folder" opens the file manager on it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::{RichText, Ui};

use super::PanelContext;
use super::dialogs::FileRequest;
use super::live::outcome_badge;
use super::tasks::{TaskKind, TaskOutput, TaskProgress, file_label};
use super::theme::{self, Tone, icon};
use crate::clock::Clock;
use crate::monitor::analysis::{Outcome, format_ns};
use crate::monitor::store::{ConnId, StoreSnapshot};
use crate::processes::Scan;
use crate::report::fleet::AUTO_SUMMARY_ABOVE;
use crate::report::gather::{self, GatherOptions};
use crate::report::{
    self, Content, Detail, FleetSummary, Format, HostInfo, RenderOptions, ReportModel,
    SessionChoice, SessionInput, Sources,
};

/// Which sessions, as the panel offers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionsPick {
    /// Every session the Live panel holds.
    All,
    /// The sessions selected in the Live panel.
    Selected,
    /// The sessions of one process.
    Process(u32),
    /// None (a policy or processes report).
    None,
    /// Every session of the files added to the panel (recordings, traces
    /// and spool folders of many machines).
    Files,
}

/// What the panel needs from the rest of the application to build a
/// report (besides the registry, in its [`PanelContext`]).
pub struct ReportInputs<'a> {
    /// The Processes panel's latest scan.
    pub scan: Option<&'a Arc<Scan>>,
    /// How many scans the Processes panel has taken (a new one changes
    /// the report).
    pub scans: u64,
    /// The monitor's sessions and the files opened, as last published.
    pub sessions: &'a Arc<StoreSnapshot>,
    /// The sessions selected in the Live panel.
    pub selected: &'a BTreeSet<ConnId>,
}

/// What a preview is built from: the content, the sessions' count and
/// latest change (0 when the files are reported), the scan count, and the
/// files' change count (0 when the Live panel's sessions are reported).
/// The preview (and so the export) is rebuilt when any of them moves.
type PreviewKey = (Content, usize, u64, u64, u64);

/// What the panel asks of the shell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReportsCommand {
    /// Scan processes now (the report wants them and there is no scan).
    ScanProcesses,
}

/// The Reports panel's state.
pub struct ReportsPanel {
    clock: Arc<dyn Clock>,
    host: HostInfo,
    policy: bool,
    processes: bool,
    sessions: SessionsPick,
    /// How much of each session the report holds.
    detail: Detail,
    /// Files and folders added (many machines' recordings and spools).
    files: Vec<PathBuf>,
    /// Counts changes to `files` (part of the preview's key).
    files_changed: u64,
    format: Format,
    csv_bom: bool,
    preview: Option<ReportModel>,
    /// What the preview was built from.
    preview_of: Option<PreviewKey>,
    /// The preview being built: its number and what it is built from (one
    /// at a time; a newer change waits for it).
    building: Option<(u64, PreviewKey)>,
    /// Numbers the previews built, so a late one is known.
    builds: u64,
    /// The export being written.
    exporting: Option<PathBuf>,
    message: Option<(Tone, String)>,
    last_export: Option<PathBuf>,
}

impl ReportsPanel {
    /// Policy, processes and every session, as HTML; reports are dated by
    /// `clock` and describe `host` (injected: tests fix both).
    pub fn new(clock: Arc<dyn Clock>, host: HostInfo) -> Self {
        ReportsPanel {
            clock,
            host,
            policy: true,
            processes: true,
            sessions: SessionsPick::All,
            detail: Detail::Auto,
            files: Vec::new(),
            files_changed: 0,
            format: Format::Html,
            csv_bom: true,
            preview: None,
            preview_of: None,
            building: None,
            builds: 0,
            exporting: None,
            message: None,
            last_export: None,
        }
    }

    /// Preset the content (the Export buttons of the Live and Policy
    /// panels).
    pub fn preset(&mut self, policy: bool, processes: bool, sessions: SessionsPick) {
        self.policy = policy;
        self.processes = processes;
        self.sessions = sessions;
        self.preview_of = None;
    }

    /// The chosen format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The files and folders the report reads when its sessions are
    /// [`SessionsPick::Files`].
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// Add a recording, trace file or spool folder to report, and report
    /// the files' sessions.
    pub fn add_file(&mut self, path: PathBuf) {
        if !self.files.contains(&path) {
            self.files.push(path);
            self.files_changed += 1;
        }
        self.sessions = SessionsPick::Files;
    }

    /// The last report built for the preview.
    pub fn preview(&self) -> Option<&ReportModel> {
        self.preview.as_ref()
    }

    /// Whether an export is under way.
    pub fn exporting(&self) -> bool {
        self.exporting.is_some()
    }

    /// Whether the preview is being (re)built.
    pub fn building(&self) -> bool {
        self.building.is_some()
    }

    /// The file last exported.
    pub fn last_export(&self) -> Option<&Path> {
        self.last_export.as_deref()
    }

    fn content(&self, selected: &BTreeSet<ConnId>) -> Content {
        Content {
            policy: self.policy,
            processes: self.processes,
            sessions: match self.sessions {
                SessionsPick::All => SessionChoice::All,
                SessionsPick::Selected => SessionChoice::Selected {
                    sessions: selected.clone(),
                },
                SessionsPick::Process(pid) => SessionChoice::Pid { pid },
                SessionsPick::None => SessionChoice::None,
                SessionsPick::Files => SessionChoice::All,
            },
            // A Chrome trace is its calls: never a summary (as the CLI).
            detail: if self.format == Format::Chrome {
                Detail::Full
            } else {
                self.detail
            },
        }
    }

    /// Build the report for `content` from these sources (a worker's job:
    /// it reads the registry).
    fn build(
        clock: &dyn Clock,
        host: &HostInfo,
        content: &Content,
        registry: &dyn crate::policy::store::RegistryStore,
        scan: Option<&Scan>,
        sessions: &StoreSnapshot,
    ) -> ReportModel {
        let sessions: Vec<SessionInput<'_>> =
            sessions.entries().map(SessionInput::from_entry).collect();
        let sources = Sources {
            registry: Some(registry),
            scan,
            sessions: &sessions,
            ..Sources::default()
        };
        ReportModel::build(clock, host, content, &sources)
    }

    /// Start building the preview for `key` when it is not what the
    /// preview shows and no build runs.
    fn refresh_preview(
        &mut self,
        key: PreviewKey,
        inputs: &ReportInputs<'_>,
        cx: &mut PanelContext<'_>,
    ) {
        if self.preview_of.as_ref() == Some(&key) || self.building.is_some() {
            return;
        }
        self.builds += 1;
        let of = self.builds;
        let clock = Arc::clone(&self.clock);
        let host = self.host.clone();
        let content = key.0.clone();
        let registry = Arc::clone(cx.registry);
        let scan = inputs.scan.cloned();
        if self.sessions == SessionsPick::Files {
            let files = self.files.clone();
            let job = move |progress: &TaskProgress, wake: &(dyn Fn() + Sync)| {
                let options = GatherOptions {
                    detail: content.detail,
                    ..GatherOptions::default()
                };
                let moved = |p: gather::Progress| {
                    progress.set(p.files_done as u64, p.files as u64);
                    wake();
                };
                match gather::gather(&files, &options, &moved) {
                    Ok(gathered) => {
                        let sources = Sources {
                            registry: Some(registry.as_ref()),
                            scan: scan.as_deref(),
                            ..Sources::default()
                        };
                        TaskOutput::Preview {
                            of,
                            model: Box::new(ReportModel::build_gathered(
                                clock.as_ref(),
                                &host,
                                &content,
                                &sources,
                                gathered,
                            )),
                        }
                    }
                    Err(e) => TaskOutput::PreviewFailed {
                        of,
                        error: e.to_string(),
                    },
                }
            };
            match cx.tasks.spawn_with_progress(
                TaskKind::ReportPreview,
                crate::tr!("fleet-panel-task", count = self.files.len()),
                job,
            ) {
                Ok(_) => self.building = Some((of, key)),
                Err(e) => {
                    self.preview_of = Some(key);
                    self.message =
                        Some((Tone::Error, crate::tr!("app-task-not-started", error = e)));
                }
            }
            return;
        }
        let sessions = Arc::clone(inputs.sessions);
        let job = move || TaskOutput::Preview {
            of,
            model: Box::new(Self::build(
                clock.as_ref(),
                &host,
                &content,
                registry.as_ref(),
                scan.as_deref(),
                &sessions,
            )),
        };
        match cx.tasks.spawn(
            TaskKind::ReportPreview,
            crate::tr!("reports-preview-task"),
            job,
        ) {
            Ok(_) => self.building = Some((of, key)),
            Err(e) => {
                // Not retried every frame: the preview stays as it was.
                self.preview_of = Some(key);
                self.message = Some((Tone::Error, crate::tr!("app-task-not-started", error = e)));
            }
        }
    }

    /// Take the result of a task this panel started (the shell routes
    /// [`TaskKind::ReportPreview`] and [`TaskKind::ReportExport`] here).
    pub fn task_done(&mut self, output: TaskOutput) {
        match output {
            TaskOutput::Preview { of, model } => {
                if let Some((building, key)) = self.building.take()
                    && building == of
                {
                    self.preview = Some(*model);
                    self.preview_of = Some(key);
                }
            }
            TaskOutput::PreviewFailed { of, error } => {
                if let Some((building, key)) = self.building.take()
                    && building == of
                {
                    // Not retried until the files or the content change.
                    self.preview = None;
                    self.preview_of = Some(key);
                    self.message = Some((
                        Tone::Error,
                        crate::tr!("fleet-panel-not-read", error = error),
                    ));
                }
            }
            TaskOutput::Exported { path, result } => {
                self.exporting = None;
                self.message = Some(match result {
                    Ok(bytes) => {
                        self.last_export = Some(path.clone());
                        (
                            Tone::Good,
                            crate::tr!(
                                "reports-exported",
                                format = self.format.label().to_string(),
                                size = super::processes::format_bytes(bytes as u64),
                                path = path.display().to_string()
                            ),
                        )
                    }
                    Err(e) => (Tone::Error, crate::tr!("reports-not-written", error = e)),
                });
            }
            TaskOutput::Failed { kind, label, error } => {
                match kind {
                    TaskKind::ReportExport => self.exporting = None,
                    _ => self.building = None,
                }
                self.message = Some((
                    Tone::Error,
                    crate::tr!("app-task-failed", task = label, error = error),
                ));
            }
            _ => {}
        }
    }

    /// Draw the panel.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        inputs: &ReportInputs<'_>,
        cx: &mut PanelContext<'_>,
    ) -> Vec<ReportsCommand> {
        let mut commands = Vec::new();
        let files = self.sessions == SessionsPick::Files;
        let key = (
            self.content(inputs.selected),
            if files {
                0
            } else {
                inputs.sessions.sessions.len()
            },
            if files { 0 } else { inputs.sessions.generation },
            inputs.scans,
            if files { self.files_changed } else { 0 },
        );
        self.refresh_preview(key, inputs, cx);
        if self.processes && inputs.scan.is_none() {
            commands.push(ReportsCommand::ScanProcesses);
        }

        ui.horizontal_wrapped(|ui| {
            ui.heading(crate::tr!("reports-heading"));
            ui.separator();
            theme::muted(ui, crate::tr!("reports-intro"));
        });
        if let Some((tone, text)) = self.message.clone() {
            theme::banner(ui, tone, |ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.label(text);
                    if tone == Tone::Good
                        && let Some(path) = self.last_export.clone()
                        && ui
                            .button(format!(
                                "{} {}",
                                icon::OPEN,
                                crate::tr!("reports-show-in-folder")
                            ))
                            .clicked()
                        && let Err(e) = cx.dialogs.show_in_folder(&path)
                    {
                        self.message = Some((Tone::Error, e));
                    }
                });
            });
        }
        ui.add_space(theme::SECTION_GAP / 2.0);
        ui.columns(2, |cols| {
            let left = egui::Layout::top_down(egui::Align::Min);
            cols[0].with_layout(left, |ui| self.choices(ui, inputs, cx));
            cols[1].with_layout(left, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("report-preview")
                    .auto_shrink(false)
                    .show(ui, |ui| self.preview_ui(ui));
            });
        });
        commands
    }

    fn choices(&mut self, ui: &mut Ui, inputs: &ReportInputs<'_>, cx: &mut PanelContext<'_>) {
        theme::card(ui, |ui| {
            ui.label(RichText::new(crate::tr!("reports-content")).strong());
            ui.checkbox(&mut self.policy, crate::tr!("reports-policy"))
                .on_hover_text(crate::tr!("reports-policy-hint"));
            ui.checkbox(&mut self.processes, crate::tr!("reports-processes"));
            if self.processes && inputs.scan.is_none() {
                ui.horizontal(|ui| {
                    ui.spinner();
                    theme::muted(ui, crate::tr!("reports-scanning"));
                });
            }
            ui.add_space(4.0);
            ui.label(crate::tr!("reports-sessions"));
            ui.radio_value(
                &mut self.sessions,
                SessionsPick::All,
                crate::tr!(
                    "reports-sessions-all",
                    count = inputs.sessions.sessions.len()
                ),
            );
            ui.radio_value(
                &mut self.sessions,
                SessionsPick::Selected,
                crate::tr!("reports-sessions-selected", count = inputs.selected.len()),
            );
            let mut pids: Vec<(u32, String)> = inputs
                .sessions
                .entries()
                .filter_map(|e| e.pid().map(|p| (p, e.label())))
                .collect();
            pids.sort();
            pids.dedup_by_key(|(p, _)| *p);
            ui.horizontal(|ui| {
                let current = match self.sessions {
                    SessionsPick::Process(pid) => Some(pid),
                    _ => None,
                };
                let first = pids.first().map(|(p, _)| *p);
                if ui
                    .add_enabled(
                        first.is_some(),
                        egui::RadioButton::new(
                            current.is_some(),
                            crate::tr!("reports-sessions-of-process"),
                        ),
                    )
                    .clicked()
                    && let Some(p) = current.or(first)
                {
                    self.sessions = SessionsPick::Process(p);
                }
                let shown = current
                    .and_then(|p| pids.iter().find(|(q, _)| *q == p))
                    .map_or_else(|| crate::tr!("reports-choose"), |(_, l)| l.clone());
                let combo = egui::ComboBox::from_id_salt("report-pid")
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        for (pid, label) in &pids {
                            ui.selectable_value(
                                &mut self.sessions,
                                SessionsPick::Process(*pid),
                                label,
                            );
                        }
                    })
                    .response;
                let name = crate::tr!("reports-process-combo");
                combo.widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, &name));
            });
            ui.radio_value(
                &mut self.sessions,
                SessionsPick::None,
                crate::tr!("reports-sessions-none"),
            );
            self.files_ui(ui, cx);
            ui.add_space(4.0);
            ui.horizontal_wrapped(|ui| {
                ui.label(crate::tr!("fleet-panel-detail"));
                for (d, id) in [
                    (Detail::Auto, "fleet-panel-detail-auto"),
                    (Detail::Full, "fleet-panel-detail-full"),
                    (Detail::Summary, "fleet-panel-detail-summary"),
                ] {
                    ui.radio_value(
                        &mut self.detail,
                        d,
                        crate::i18n::message(crate::i18n::current(), id, None),
                    )
                    .on_hover_text(crate::tr!(
                        "fleet-panel-detail-hint",
                        count = AUTO_SUMMARY_ABOVE
                    ));
                }
            });
        });
        ui.add_space(theme::SECTION_GAP / 2.0);
        theme::card(ui, |ui| {
            ui.label(RichText::new(crate::tr!("reports-format")).strong());
            for f in Format::ALL {
                let hint = match f {
                    Format::Html => crate::tr!("reports-hint-html"),
                    Format::Csv => crate::tr!("reports-hint-csv"),
                    Format::Json => crate::tr!("reports-hint-json"),
                    Format::Chrome => crate::tr!("reports-hint-chrome"),
                };
                ui.radio_value(&mut self.format, f, f.label().to_string())
                    .on_hover_text(hint);
            }
            if self.format == Format::Csv {
                ui.checkbox(&mut self.csv_bom, crate::tr!("reports-bom"));
            }
            // Say what the format leaves out, as the CLI refuses it.
            let left_out: Vec<String> = [
                (self.policy && !self.format.holds_policy(), "reports-policy"),
                (
                    self.processes && !self.format.holds_processes(),
                    "reports-processes",
                ),
            ]
            .into_iter()
            .filter(|(out, _)| *out)
            .map(|(_, id)| crate::i18n::message(crate::i18n::current(), id, None))
            .collect();
            if !left_out.is_empty() {
                theme::badge(
                    ui,
                    Tone::Warning,
                    &crate::tr!(
                        "reports-format-leaves-out",
                        format = self.format.label().to_string(),
                        what = left_out.join(", ")
                    ),
                );
            }
        });
        ui.add_space(theme::SECTION_GAP / 2.0);
        let shortcut = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::S);
        let pressed = ui.input_mut(|i| i.consume_shortcut(&shortcut));
        ui.horizontal(|ui| {
            let export = ui
                .add_enabled(
                    self.exporting.is_none(),
                    egui::Button::new(format!("{} {}", icon::SAVE, crate::tr!("reports-export"))),
                )
                .on_hover_text(crate::tr!(
                    "reports-export-hint",
                    shortcut = ui.ctx().format_shortcut(&shortcut)
                ));
            if self.exporting.is_some() {
                ui.spinner();
                theme::muted(ui, crate::tr!("reports-exporting"));
            } else if self.building.is_some() {
                let progress = cx
                    .tasks
                    .running()
                    .iter()
                    .filter(|r| r.kind == TaskKind::ReportPreview)
                    .find_map(|r| r.progress.as_ref().map(|p| p.get()));
                match progress {
                    Some((done, total)) if total > 0 => {
                        ui.add(
                            egui::ProgressBar::new(done as f32 / total as f32)
                                .desired_width(220.0)
                                .text(crate::tr!(
                                    "fleet-panel-reading",
                                    done = done,
                                    files = total
                                )),
                        );
                    }
                    _ => {
                        ui.spinner();
                        theme::muted(ui, crate::tr!("reports-building"));
                    }
                }
            }
            if (export.clicked() || (pressed && self.exporting.is_none()))
                && let Some(model) = self.preview.clone()
            {
                self.export(model, cx);
            }
        });
    }

    /// The files' part of the sessions card: the radio, the files added,
    /// and the buttons that add a recording or a folder or clear them.
    fn files_ui(&mut self, ui: &mut Ui, cx: &mut PanelContext<'_>) {
        ui.add_enabled_ui(!self.files.is_empty(), |ui| {
            ui.radio_value(
                &mut self.sessions,
                SessionsPick::Files,
                crate::tr!("fleet-panel-from-files", count = self.files.len()),
            )
            .on_hover_text(crate::tr!("fleet-panel-files-hint"));
        });
        ui.indent("report-files", |ui| {
            const SHOWN: usize = 4;
            for f in self.files.iter().take(SHOWN) {
                theme::muted(ui, file_label(f)).on_hover_text(f.display().to_string());
            }
            if self.files.len() > SHOWN {
                theme::muted(
                    ui,
                    crate::tr!("fleet-panel-more-files", count = self.files.len() - SHOWN),
                );
            }
            ui.horizontal_wrapped(|ui| {
                if ui
                    .button(format!(
                        "{} {}",
                        icon::OPEN,
                        crate::tr!("fleet-panel-add-file")
                    ))
                    .on_hover_text(crate::tr!("fleet-panel-files-hint"))
                    .clicked()
                {
                    let request = FileRequest {
                        title: crate::tr!("fleet-panel-add-file"),
                        file_name: String::new(),
                        filter: (
                            crate::tr!("live-dialog-filter-traces"),
                            vec!["jsonl".to_string(), "json".to_string()],
                        ),
                    };
                    if let Some(path) = cx.dialogs.open_file(&request) {
                        self.add_file(path);
                    }
                }
                if ui
                    .button(format!(
                        "{} {}",
                        icon::OPEN,
                        crate::tr!("fleet-panel-add-folder")
                    ))
                    .on_hover_text(crate::tr!("fleet-panel-files-hint"))
                    .clicked()
                    && let Some(path) = cx
                        .dialogs
                        .open_folder(&crate::tr!("fleet-panel-add-folder"))
                {
                    self.add_file(path);
                }
                if !self.files.is_empty() && ui.button(crate::tr!("fleet-panel-clear")).clicked() {
                    self.files.clear();
                    self.files_changed += 1;
                    if self.sessions == SessionsPick::Files {
                        self.sessions = SessionsPick::All;
                    }
                }
            });
        });
    }

    /// Ask where, then render and write as a task.
    fn export(&mut self, model: ReportModel, cx: &mut PanelContext<'_>) {
        let ext = self.format.extension();
        let stamp = model
            .taken_at
            .get(..16)
            .unwrap_or("")
            .replace([':', 'T'], "-");
        let request = FileRequest {
            title: crate::tr!(
                "reports-dialog-title",
                format = self.format.label().to_string()
            ),
            file_name: format!("mapi-shutdown-report-{stamp}.{ext}"),
            filter: (self.format.label().to_string(), vec![ext.to_string()]),
        };
        let Some(path) = cx.dialogs.save_file(&request) else {
            return;
        };
        let format = self.format;
        // The worker speaks the window's language at the time of the
        // export (the task registry pins it).
        let options = RenderOptions {
            csv_bom: self.csv_bom,
            lang: crate::i18n::current(),
        };
        let target = path.clone();
        let job = move || TaskOutput::Exported {
            result: report::render(&model, format, &options)
                .and_then(|bytes| report::write_atomically(&target, &bytes).map(|()| bytes.len()))
                .map_err(|e| e.to_string()),
            path: target,
        };
        match cx
            .tasks
            .spawn(TaskKind::ReportExport, file_label(&path), job)
        {
            Ok(_) => {
                self.message = None;
                self.exporting = Some(path);
            }
            Err(e) => {
                self.message = Some((Tone::Error, crate::tr!("reports-cannot-start", error = e)));
            }
        }
    }

    fn preview_ui(&self, ui: &mut Ui) {
        let Some(m) = &self.preview else { return };
        let lang = crate::i18n::current();
        ui.label(RichText::new(m.title().render(lang)).heading());
        theme::muted(
            ui,
            crate::tr!(
                "reports-preview-taken",
                taken_at = m.taken_at.as_str(),
                host = m.host.host_name.as_str(),
                user = m.host.user.as_str(),
                os = m.host.os.as_str(),
                product = m.host.product.as_str()
            ),
        );
        if let Some(f) = m.fleet.as_ref().filter(|f| f.summarized) {
            theme::badge(
                ui,
                Tone::Info,
                &crate::tr!("fleet-summarized-note", count = f.sessions),
            );
        }
        for n in &m.notes {
            theme::badge(ui, Tone::Info, n);
        }
        if let Some(p) = &m.policy {
            ui.add_space(theme::SECTION_GAP / 2.0);
            ui.label(
                RichText::new(crate::tr!(
                    "reports-preview-policy",
                    store = p.store.as_str()
                ))
                .strong(),
            );
            for v in &p.versions {
                let set: Vec<String> = v
                    .values
                    .iter()
                    .filter(|x| x.raw.is_some())
                    .map(|x| format!("{} = {}", x.name, x.raw_text()))
                    .collect();
                ui.label(crate::tr!(
                    "reports-preview-office",
                    office = v.office.to_string(),
                    products = v.products.as_str(),
                    values = if set.is_empty() {
                        crate::tr!("reports-preview-nothing-configured")
                    } else {
                        set.join(", ")
                    }
                ));
            }
            if !p.addins.is_empty() {
                ui.label(crate::tr!("reports-preview-addins", count = p.addins.len()));
            }
        }
        if let Some(p) = &m.processes {
            ui.add_space(theme::SECTION_GAP / 2.0);
            ui.label(
                RichText::new(crate::tr!(
                    "reports-preview-processes",
                    count = p.processes.len()
                ))
                .strong(),
            );
            for proc in &p.processes {
                ui.label(crate::tr!(
                    "reports-preview-process",
                    name = proc.name.as_str(),
                    pid = proc.pid.to_string(),
                    count = proc.providers.len()
                ));
            }
        }
        if let Some(f) = &m.fleet {
            fleet_preview(ui, f, lang);
        }
        if m.summarized() {
            return;
        }
        ui.add_space(theme::SECTION_GAP / 2.0);
        ui.label(
            RichText::new(crate::tr!(
                "reports-preview-sessions",
                count = m.sessions.len()
            ))
            .strong(),
        );
        if m.sessions.is_empty() {
            theme::muted(ui, crate::tr!("reports-preview-no-sessions"));
        }
        for s in &m.sessions {
            ui.horizontal_wrapped(|ui| {
                let (tone, _) = outcome_badge(s.outcome);
                theme::badge(ui, tone, &s.outcome.localized());
                ui.label(crate::tr!(
                    "reports-preview-session",
                    label = s.label().render(lang),
                    count = s.calls.len()
                ));
            });
            ui.indent(("report-session", s.session), |ui| {
                theme::muted(ui, s.reason_text().render(lang));
            });
        }
    }
}

/// The fleet summary in the preview: the totals by outcome and the
/// provider DLLs, the costliest first (the first [`PREVIEW_PROVIDERS`]),
/// as a grid.
fn fleet_preview(ui: &mut Ui, f: &FleetSummary, lang: crate::i18n::Lang) {
    ui.add_space(theme::SECTION_GAP / 2.0);
    ui.label(RichText::new(crate::tr!("fleet-heading")).strong());
    ui.label(crate::tr!(
        "fleet-intro",
        machines = f.machines,
        sessions = f.sessions,
        unknown = f.unknown_machines
    ));
    ui.horizontal_wrapped(|ui| {
        for o in Outcome::ALL {
            let n = f.outcomes.get(o);
            if n > 0 {
                let (tone, _) = outcome_badge(o);
                theme::badge(ui, tone, &format!("{} {n}", o.localized()));
            }
        }
    });
    if f.providers.is_empty() {
        return;
    }
    ui.add_space(4.0);
    ui.label(RichText::new(crate::tr!("fleet-providers-heading")).strong());
    let time = |ns: Option<u64>| ns.map_or_else(|| "—".to_string(), |ns| format_ns(ns, lang));
    // The DoFastShutdown p50 is in the report; the preview keeps to what
    // fits beside the choices (and scrolls sideways in a narrow window).
    egui::ScrollArea::horizontal()
        .id_salt("fleet-providers-scroll")
        .show(ui, |ui| {
            egui::Grid::new("fleet-providers")
                .striped(true)
                .num_columns(6)
                .show(ui, |ui| {
                    for id in [
                        "fleet-col-dll",
                        "fleet-col-cost",
                        "fleet-col-running-at-kill",
                        "fleet-col-opted-out",
                        "fleet-col-no-interface",
                        "fleet-col-do-p95",
                    ] {
                        ui.label(RichText::new(crate::i18n::message(lang, id, None)).small());
                    }
                    ui.end_row();
                    for p in f.providers.iter().take(PREVIEW_PROVIDERS) {
                        let s = &p.stats;
                        ui.monospace(&p.dll).on_hover_text(p.names.join(", "));
                        if s.cost > 0 {
                            theme::badge(ui, Tone::Error, &s.cost.to_string());
                        } else {
                            ui.label("0");
                        }
                        ui.label(s.running_at_kill.to_string());
                        ui.label(s.opted_out.to_string());
                        ui.label(s.no_shutdown_interface.to_string());
                        ui.label(time(s.do_p95_ns));
                        ui.end_row();
                    }
                });
        });
    if f.providers.len() > PREVIEW_PROVIDERS {
        theme::muted(
            ui,
            crate::tr!(
                "fleet-panel-more-providers",
                count = f.providers.len() - PREVIEW_PROVIDERS
            ),
        );
    }
}

/// Provider DLLs listed in the preview (the report lists them all).
const PREVIEW_PROVIDERS: usize = 12;
