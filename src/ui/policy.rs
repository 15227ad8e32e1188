//! The Policy panel: one card per Office version with its three shutdown
//! policy values (`FastShutdownBehavior`, `AddinFastShutdownBehavior`,
//! `allowshutdownwithexternalreferences`) as radio buttons labelled with
//! the ADMX wording, the COM add-ins with their `RequireShutdownNotification`
//! toggle, the pending changes as a diff with Apply and Revert, the backup
//! history with Undo, and `.reg` import and export.
//!
//! [`PolicyPanel::ui`] only draws and records what the user asked for
//! ([`PolicyCommand`]); [`PolicyPanel::execute`] carries a command out
//! through the store, the backups and the file dialogs ([`PolicyBackends`]),
//! always by the safe-write path of [`crate::policy::edit`]: backup first,
//! re-read (a value changed by someone else stops the write and both values
//! are shown), all or nothing, read back. Access denied writes nothing and
//! offers the alternatives, among them exporting the pending changes as a
//! `.reg` file to import elevated.
//!
//! Explanations are from docs/domain.md ("The policy") and the
//! sources cited in [`crate::policy::settings`], in our own words.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers, RichText, Role, Ui, WidgetInfo};

use super::capitalize;
use super::dialogs::{FileDialogs, FileRequest};
use super::theme::{self, Tone, icon};
use crate::policy::AdmxLabel;
use crate::policy::addins::{AddinList, AddinReport, View, list_addins};
use crate::policy::backup::{Backup, BackupDir, BackupKind};
use crate::policy::edit::{self, EditError, PlannedChange};
use crate::policy::gpo;
use crate::policy::settings::{
    PolicyReport, SettingReport, SettingState, ShutdownValue, policy_key_version, read_policy,
};
use crate::policy::store::{Hive, Location, RegistryStore, StoreError};
use crate::policy::transfer::data_text;
use crate::policy::transfer::{self, ImportFormat, ImportPlan};
use crate::policy::{FastShutdownBehavior, OfficeVersion, RegistryData};
use crate::tr;

/// Apply the pending changes.
pub const APPLY_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
/// Forget the pending changes.
pub const REVERT_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
/// Read the store again.
pub const RELOAD_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F5);
/// Import a `.reg` file.
pub const IMPORT_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
/// Export the settings to a `.reg` file.
pub const EXPORT_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::E);

/// What the panel needs to carry out commands.
pub struct PolicyBackends<'a> {
    /// The registry store (Windows registry, `.reg` file, memory).
    pub store: &'a dyn RegistryStore,
    /// Where backups go.
    pub backups: &'a BackupDir,
    /// File dialogs.
    pub dialogs: &'a dyn FileDialogs,
}

/// What the user asked for; [`PolicyPanel::execute`] does it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyCommand {
    /// Read the store again (pending changes are kept, re-based on what is
    /// there now).
    Reload,
    /// Write every pending change.
    Apply,
    /// Forget every pending change.
    Revert,
    /// Write this one change now (the one-click fix for invalid data).
    Fix(PlannedChange),
    /// Restore the newest backup of this store.
    Undo,
    /// Export every version's settings and the add-ins' values to a `.reg`.
    Export,
    /// Export every version's three policies to a Group Policy
    /// `Registry.pol`; with `delete_unset`, a "delete" record for each
    /// policy not configured.
    ExportPol {
        /// Only this Office version's policies (with `delete_unset`, its
        /// deletions even when its key is absent); `None`: every version
        /// whose Shutdown key exists.
        office: Option<OfficeVersion>,
        /// Write `**del.` records for the policies not configured.
        delete_unset: bool,
    },
    /// Save the pending changes as a `.reg` (to import elevated).
    ExportPending,
    /// Choose a `.reg` file or a `Registry.pol` and review what importing
    /// it would change.
    Import,
    /// Apply the reviewed import.
    ApplyImport,
    /// Close the import review.
    CancelImport,
    /// Close the message banner.
    DismissMessage,
    /// Open the Reports panel set to a policy report (the shell does it).
    Report,
}

/// What the panel shows, as read from the store.
#[derive(Debug)]
pub struct PolicyData {
    /// The store's description (`windows`, `file:PATH`, `memory`).
    pub backend: String,
    /// The three versions' settings, or why they could not be read.
    pub report: Result<PolicyReport, String>,
    /// The registered add-ins, or why they could not be read.
    pub addins: Result<AddinList, String>,
    /// This store's backups, newest first, or why they could not be listed.
    pub history: Result<Vec<Backup>, String>,
    /// The backups directory.
    pub backups_dir: PathBuf,
}

impl PolicyData {
    /// Read everything the panel shows. Never fails: each part that cannot
    /// be read carries its error for the panel to show.
    pub fn load(store: &dyn RegistryStore, backups: &BackupDir) -> Self {
        let backend = store.describe();
        let history = backups
            .list()
            .map(|all| all.into_iter().filter(|b| b.store == backend).collect())
            .map_err(|e| e.to_string());
        PolicyData {
            report: read_policy(store, &OfficeVersion::ALL).map_err(|e| e.to_string()),
            addins: list_addins(store).map_err(|e| e.to_string()),
            history,
            backups_dir: backups.dir().to_path_buf(),
            backend,
        }
    }

    /// The data a value holds now, as last read (`None`: absent or unknown).
    fn current(&self, at: &Location) -> Option<RegistryData> {
        let name = at.value.as_deref()?;
        if let Ok(report) = &self.report {
            for v in &report.versions {
                if v.office.shutdown_policy_key().eq_ignore_ascii_case(&at.key)
                    && at.hive == Hive::CurrentUser
                {
                    return v
                        .settings
                        .iter()
                        .find(|s| s.name.eq_ignore_ascii_case(name))
                        .and_then(|s| s.raw.clone());
                }
            }
        }
        if let Ok(list) = &self.addins {
            for a in &list.addins {
                if addin_location(a).key.eq_ignore_ascii_case(&at.key) && a.hive == at.hive {
                    return a.require_shutdown_notification.raw.clone();
                }
            }
        }
        None
    }

    /// True when this store has a change backup that `Undo` would restore.
    fn can_undo(&self) -> bool {
        self.history.as_ref().is_ok_and(|h| {
            h.iter()
                .any(|b| matches!(b.kind, BackupKind::Change | BackupKind::Redo) && !b.undone)
        })
    }
}

/// A message shown above the cards until dismissed or replaced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// Success, warning or error.
    pub tone: Tone,
    /// One sentence.
    pub title: String,
    /// More lines (the store's error, the alternatives).
    pub detail: Option<String>,
    /// Offer "Export the pending changes as .reg" (after access denied).
    pub offer_export: bool,
}

impl Message {
    fn new(tone: Tone, title: impl Into<String>) -> Self {
        Message {
            tone,
            title: title.into(),
            detail: None,
            offer_export: false,
        }
    }

    fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// A `.reg` file or a Group Policy `Registry.pol` chosen for import,
/// with what importing it would do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportReview {
    /// The file.
    pub path: PathBuf,
    /// A regedit file or a Group Policy file.
    pub format: ImportFormat,
    /// Its shutdown values against the current ones, and what is refused.
    pub plan: ImportPlan,
}

/// The Policy panel's state: the data read, the pending changes, the
/// message, the import under review.
pub struct PolicyPanel {
    data: PolicyData,
    pending: Vec<PlannedChange>,
    message: Option<Message>,
    import: Option<ImportReview>,
}

/// A radio choice: absent, or this DWORD.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Choice {
    NotConfigured,
    Dword(u32),
}

impl Choice {
    fn of(data: Option<&RegistryData>) -> Option<Choice> {
        match data {
            None => Some(Choice::NotConfigured),
            Some(RegistryData::Dword(v)) => Some(Choice::Dword(*v)),
            Some(_) => None,
        }
    }

    fn data(self) -> Option<RegistryData> {
        match self {
            Choice::NotConfigured => None,
            Choice::Dword(v) => Some(RegistryData::Dword(v)),
        }
    }
}

/// The radio buttons of a policy value: (DWORD, label, ADMX wording).
/// Sources: "Fast Shutdown User Options" for the values; outlk16.adml for
/// the labels (see [`crate::policy::settings`]).
fn options(value: ShutdownValue) -> Vec<(u32, String, String)> {
    match value {
        ShutdownValue::FastShutdownBehavior => [
            FastShutdownBehavior::OptOut,
            FastShutdownBehavior::OptIn,
            FastShutdownBehavior::Disabled,
        ]
        .into_iter()
        .map(|b| {
            let label = match b {
                FastShutdownBehavior::OptOut => tr!("policy-option-opt-out"),
                FastShutdownBehavior::OptIn => tr!("policy-option-opt-in"),
                FastShutdownBehavior::Disabled => tr!("policy-option-disabled"),
            };
            let state = tr!(
                "policy-admx-state-enabled-option",
                option = b.admx_label_text().to_string()
            );
            (
                b.dword(),
                label,
                tr!("policy-admx-state-line", state = state),
            )
        })
        .collect(),
        ShutdownValue::AddinFastShutdownBehavior => vec![
            (0, tr!("policy-option-addins-off"), String::new()),
            (1, tr!("policy-option-addins-on"), String::new()),
        ],
        ShutdownValue::AllowShutdownWithExternalReferences => vec![
            (
                0,
                tr!("policy-option-prevent"),
                tr!(
                    "policy-admx-state-line",
                    state = tr!("policy-admx-state-enabled")
                ),
            ),
            (
                1,
                tr!("policy-option-allow"),
                tr!(
                    "policy-admx-state-line",
                    state = tr!("policy-admx-state-disabled")
                ),
            ),
        ],
        ShutdownValue::RequireShutdownNotification => vec![],
    }
}

/// Where an add-in's `RequireShutdownNotification` lives.
fn addin_location(a: &AddinReport) -> Location {
    let key = Hive::split_path(&a.key)
        .map(|(_, k)| k)
        .unwrap_or_else(|| a.key.clone());
    Location::value(
        a.hive,
        &key,
        ShutdownValue::RequireShutdownNotification.name(),
    )
}

/// "HKCU", "HKLM", "HKLM (32-bit)".
fn addin_place(a: &AddinReport) -> String {
    match a.view {
        View::Native => a.hive.short_name().to_string(),
        View::Wow6432node => tr!("policy-addin-place-wow64", hive = a.hive.short_name()),
    }
}

fn state_tone(state: SettingState) -> (Tone, String) {
    match state {
        SettingState::NotConfigured => (Tone::Muted, tr!("policy-not-configured")),
        SettingState::Valid => (Tone::Good, tr!("policy-state-configured")),
        SettingState::Invalid => (Tone::Error, tr!("policy-state-invalid")),
    }
}

impl PolicyPanel {
    /// A panel showing `data`, nothing pending.
    pub fn new(data: PolicyData) -> Self {
        PolicyPanel {
            data,
            pending: Vec::new(),
            message: None,
            import: None,
        }
    }

    /// What is shown.
    pub fn data(&self) -> &PolicyData {
        &self.data
    }

    /// The pending changes, in the order they were made.
    pub fn pending(&self) -> &[PlannedChange] {
        &self.pending
    }

    /// The message banner, if any.
    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
    }

    /// The import under review, if any.
    pub fn import_review(&self) -> Option<&ImportReview> {
        self.import.as_ref()
    }

    /// Record that the user wants `after` at `at`, where `before` was
    /// shown; choosing what is there again drops the pending change.
    fn set_pending(
        &mut self,
        at: Location,
        before: Option<RegistryData>,
        after: Option<RegistryData>,
    ) {
        let existing = self.pending.iter().position(|c| c.at == at);
        let change = PlannedChange::new(at, before, after);
        match (existing, change.is_noop()) {
            (Some(i), true) => {
                self.pending.remove(i);
            }
            (Some(i), false) => self.pending[i] = change,
            (None, true) => {}
            (None, false) => self.pending.push(change),
        }
    }

    fn pending_at(&self, at: &Location) -> Option<&PlannedChange> {
        self.pending.iter().find(|c| &c.at == at)
    }

    // ---- drawing ---------------------------------------------------------

    /// Draw the panel; returns what the user asked for this frame.
    pub fn ui(&mut self, ui: &mut Ui) -> Vec<PolicyCommand> {
        let mut commands = Vec::new();
        self.shortcuts(ui, &mut commands);
        self.toolbar(ui, &mut commands);
        ui.add_space(theme::SECTION_GAP / 2.0);
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| {
                ui.set_max_width(theme::TEXT_WIDTH + 240.0);
                self.message_banner(ui, &mut commands);
                self.import_card(ui, &mut commands);
                self.pending_card(ui, &mut commands);
                self.versions(ui, &mut commands);
                ui.add_space(theme::SECTION_GAP);
                self.addins_card(ui, &mut commands);
                ui.add_space(theme::SECTION_GAP);
                self.history_card(ui);
            });
        commands
    }

    fn shortcuts(&self, ui: &mut Ui, commands: &mut Vec<PolicyCommand>) {
        ui.input_mut(|i| {
            if i.consume_shortcut(&RELOAD_SHORTCUT) {
                commands.push(PolicyCommand::Reload);
            }
            if i.consume_shortcut(&IMPORT_SHORTCUT) {
                commands.push(PolicyCommand::Import);
            }
            if i.consume_shortcut(&EXPORT_SHORTCUT) {
                commands.push(PolicyCommand::Export);
            }
            if !self.pending.is_empty() {
                if i.consume_shortcut(&APPLY_SHORTCUT) {
                    commands.push(PolicyCommand::Apply);
                }
                if i.consume_shortcut(&REVERT_SHORTCUT) {
                    commands.push(PolicyCommand::Revert);
                }
            }
        });
    }

    fn toolbar(&self, ui: &mut Ui, commands: &mut Vec<PolicyCommand>) {
        let ctx = ui.ctx().clone();
        ui.horizontal_wrapped(|ui| {
            ui.heading(tr!("policy-title"));
            ui.separator();
            if ui
                .button(format!("{} {}", icon::RELOAD, tr!("policy-reload")))
                .on_hover_text(tr!(
                    "policy-reload-hover",
                    shortcut = ctx.format_shortcut(&RELOAD_SHORTCUT)
                ))
                .clicked()
            {
                commands.push(PolicyCommand::Reload);
            }
            if ui
                .button(format!("{} {}", icon::OPEN, tr!("policy-import")))
                .on_hover_text(tr!(
                    "policy-import-hover",
                    shortcut = ctx.format_shortcut(&IMPORT_SHORTCUT)
                ))
                .clicked()
            {
                commands.push(PolicyCommand::Import);
            }
            if ui
                .button(format!("{} {}", icon::SAVE, tr!("policy-export")))
                .on_hover_text(tr!(
                    "policy-export-hover",
                    shortcut = ctx.format_shortcut(&EXPORT_SHORTCUT)
                ))
                .clicked()
            {
                commands.push(PolicyCommand::Export);
            }
            ui.menu_button(format!("{} {}", icon::SAVE, tr!("policy-gpo-menu")), |ui| {
                if ui
                    .button(tr!("policy-export-pol"))
                    .on_hover_text(tr!("policy-export-pol-hover"))
                    .clicked()
                {
                    commands.push(PolicyCommand::ExportPol {
                        office: None,
                        delete_unset: false,
                    });
                }
                if ui
                    .button(tr!("policy-export-pol-delete"))
                    .on_hover_text(tr!("policy-export-pol-delete-hover"))
                    .clicked()
                {
                    commands.push(PolicyCommand::ExportPol {
                        office: None,
                        delete_unset: true,
                    });
                }
                ui.menu_button(tr!("policy-export-pol-one-version"), |ui| {
                    for v in OfficeVersion::ALL.into_iter().rev() {
                        for delete_unset in [false, true] {
                            let label = if delete_unset {
                                tr!("policy-export-pol-version-delete", version = v.as_str())
                            } else {
                                tr!("policy-export-pol-version", version = v.as_str())
                            };
                            if ui.button(label).clicked() {
                                commands.push(PolicyCommand::ExportPol {
                                    office: Some(v),
                                    delete_unset,
                                });
                            }
                        }
                    }
                });
                ui.separator();
                theme::muted(ui, tr!("policy-gpo-menu-import-hint"));
            });
            if ui
                .button(format!("{} {}", icon::ARROW, tr!("policy-report")))
                .on_hover_text(tr!("policy-report-hover"))
                .clicked()
            {
                commands.push(PolicyCommand::Report);
            }
            if ui
                .add_enabled(
                    self.data.can_undo(),
                    egui::Button::new(format!("{} {}", icon::UNDO, tr!("policy-undo"))),
                )
                .on_hover_text(tr!("policy-undo-hover"))
                .on_disabled_hover_text(tr!("policy-undo-disabled-hover"))
                .clicked()
            {
                commands.push(PolicyCommand::Undo);
            }
        });
    }

    fn message_banner(&self, ui: &mut Ui, commands: &mut Vec<PolicyCommand>) {
        let Some(m) = &self.message else { return };
        theme::banner(ui, m.tone, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(&m.title).strong());
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let dismiss = tr!("policy-dismiss");
                    let close = ui.small_button(icon::CLOSE).on_hover_text(&dismiss);
                    close.widget_info(|| WidgetInfo::labeled(Role::Button, true, &dismiss));
                    if close.clicked() {
                        commands.push(PolicyCommand::DismissMessage);
                    }
                });
            });
            if let Some(d) = &m.detail {
                ui.label(d);
            }
            if m.offer_export
                && !self.pending.is_empty()
                && ui
                    .button(tr!("policy-export-pending"))
                    .on_hover_text(tr!("policy-export-pending-hover"))
                    .clicked()
            {
                commands.push(PolicyCommand::ExportPending);
            }
        });
        ui.add_space(theme::SECTION_GAP);
    }

    fn import_card(&self, ui: &mut Ui, commands: &mut Vec<PolicyCommand>) {
        let Some(review) = &self.import else { return };
        theme::card(ui, |ui| {
            // The file's name; its whole path on hover.
            let shown = review
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| review.path.display().to_string());
            ui.label(
                RichText::new(match review.format {
                    ImportFormat::Reg => tr!("policy-import-title", path = shown),
                    ImportFormat::Pol => tr!("policy-import-pol-title", path = shown),
                })
                .strong(),
            )
            .on_hover_text(review.path.display().to_string());
            let changes: Vec<_> = review
                .plan
                .changes
                .iter()
                .filter(|c| !c.is_noop())
                .collect();
            let same = review.plan.changes.len() - changes.len();
            if changes.is_empty() {
                theme::badge(ui, Tone::Info, &tr!("policy-import-nothing"));
            } else {
                ui.label(tr!("policy-import-changes", count = changes.len()));
                let mut group = None;
                for c in &changes {
                    let this = change_group(c);
                    if group.as_ref() != Some(&this) {
                        ui.label(RichText::new(this.clone()).strong());
                        group = Some(this);
                    }
                    diff_line(ui, c);
                }
            }
            if same > 0 {
                theme::muted(ui, tr!("policy-import-same", count = same));
            }
            if !review.plan.refused.is_empty() {
                theme::badge(
                    ui,
                    Tone::Warning,
                    &tr!("policy-import-refused", count = review.plan.refused.len()),
                );
                for r in &review.plan.refused {
                    let what = match &r.value {
                        Some(v) => format!("{}\\{v}", r.key),
                        None => r.key.clone(),
                    };
                    theme::muted(
                        ui,
                        format!(
                            "  {}",
                            tr!(
                                "policy-import-refused-entry",
                                what = what,
                                reason = r.reason.to_string()
                            )
                        ),
                    );
                }
            }
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(
                        !changes.is_empty(),
                        egui::Button::new(tr!("policy-apply-import")),
                    )
                    .clicked()
                {
                    commands.push(PolicyCommand::ApplyImport);
                }
                if ui.button(tr!("policy-cancel-import")).clicked() {
                    commands.push(PolicyCommand::CancelImport);
                }
            });
        });
        ui.add_space(theme::SECTION_GAP);
    }

    fn pending_card(&self, ui: &mut Ui, commands: &mut Vec<PolicyCommand>) {
        if self.pending.is_empty() {
            return;
        }
        let ctx = ui.ctx().clone();
        theme::banner(ui, Tone::Warning, |ui| {
            ui.label(
                RichText::new(tr!("policy-pending-title", count = self.pending.len())).strong(),
            );
            for c in &self.pending {
                diff_line(ui, c);
            }
            ui.horizontal(|ui| {
                if ui
                    .button(RichText::new(tr!("policy-apply")).strong())
                    .on_hover_text(tr!(
                        "policy-apply-hover",
                        shortcut = ctx.format_shortcut(&APPLY_SHORTCUT)
                    ))
                    .clicked()
                {
                    commands.push(PolicyCommand::Apply);
                }
                if ui
                    .button(tr!("policy-revert"))
                    .on_hover_text(tr!(
                        "policy-revert-hover",
                        shortcut = ctx.format_shortcut(&REVERT_SHORTCUT)
                    ))
                    .clicked()
                {
                    commands.push(PolicyCommand::Revert);
                }
            });
        });
        ui.add_space(theme::SECTION_GAP);
    }

    fn versions(&mut self, ui: &mut Ui, commands: &mut Vec<PolicyCommand>) {
        let report = match &self.data.report {
            Ok(r) => r.clone(),
            Err(e) => {
                theme::banner(ui, Tone::Error, |ui| {
                    ui.label(RichText::new(tr!("policy-read-error")).strong());
                    ui.label(e);
                });
                return;
            }
        };
        let any_installed = report.versions.iter().any(|v| v.installed);
        for v in report.versions.iter().rev() {
            let open =
                v.installed || v.key_exists || (!any_installed && v.office == OfficeVersion::V16);
            let title = tr!(
                "policy-version-title",
                version = v.office.as_str(),
                products = v.products
            );
            egui::CollapsingHeader::new(RichText::new(title).strong())
                .id_salt(("policy-version", v.office.as_str()))
                .default_open(open)
                .show(ui, |ui| {
                    theme::card(ui, |ui| {
                        ui.horizontal_wrapped(|ui| {
                            if v.installed {
                                theme::badge(ui, Tone::Good, &tr!("policy-outlook-installed"));
                            } else {
                                theme::badge(ui, Tone::Muted, &tr!("policy-outlook-not-found"));
                            }
                            theme::muted(ui, &v.key);
                        });
                        gpo_note(ui, v.office);
                        for s in &v.settings {
                            ui.separator();
                            self.setting_row(ui, v.office, s, commands);
                        }
                    });
                });
            ui.add_space(theme::SECTION_GAP / 2.0);
        }
    }

    fn setting_row(
        &mut self,
        ui: &mut Ui,
        office: OfficeVersion,
        s: &SettingReport,
        commands: &mut Vec<PolicyCommand>,
    ) {
        let Ok(value) = ShutdownValue::policy_by_name(s.name) else {
            return;
        };
        let at = Location::value(Hive::CurrentUser, &office.shutdown_policy_key(), s.name);
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(s.name).strong().monospace());
            if let Some(p) = value.admx_policy() {
                theme::muted(ui, tr!("policy-admx-policy", policy = p.to_string()));
            }
        });
        ui.add(egui::Label::new(capitalize(&value.summary())).wrap());

        let pending = self.pending_at(&at).cloned();
        let shown = pending
            .as_ref()
            .map(|p| Choice::of(p.after.as_ref()))
            .unwrap_or_else(|| Choice::of(s.raw.as_ref()));
        let mut clicked: Option<Choice> = None;
        ui.horizontal_wrapped(|ui| {
            let mut radio = |ui: &mut Ui, choice: Choice, label: &str, hover: &str| {
                let selected = shown == Some(choice);
                let r = ui.radio(selected, label);
                let name = tr!(
                    "policy-radio-name",
                    version = office.as_str(),
                    name = s.name,
                    label = label
                );
                r.widget_info(|| WidgetInfo::selected(Role::RadioButton, true, selected, &name));
                let r = if hover.is_empty() {
                    r
                } else {
                    r.on_hover_text(hover)
                };
                if r.clicked() {
                    clicked = Some(choice);
                }
            };
            radio(
                ui,
                Choice::NotConfigured,
                &tr!("policy-not-configured"),
                &tr!("policy-not-configured-hover"),
            );
            for (dword, label, admx) in options(value) {
                radio(ui, Choice::Dword(dword), &label, &admx);
            }
        });
        if let Some(choice) = clicked {
            self.set_pending(at.clone(), s.raw.clone(), choice.data());
        }

        ui.horizontal_wrapped(|ui| {
            let (tone, word) = state_tone(s.state);
            theme::badge(ui, tone, &word);
            if s.state == SettingState::Valid
                && let Some(raw) = &s.raw
            {
                theme::muted(ui, format!("{raw}"));
            }
        });
        ui.add(egui::Label::new(capitalize(&s.meaning.to_string())).wrap());
        if s.state == SettingState::Invalid {
            theme::banner(ui, Tone::Error, |ui| {
                ui.label(tr!(
                    "policy-stored-data",
                    data = data_text(s.raw.as_ref()).to_string(),
                    reason = s
                        .reason
                        .as_ref()
                        .map_or_else(|| tr!("policy-not-valid"), ToString::to_string)
                ));
                let fix = PlannedChange::new(at.clone(), s.raw.clone(), None);
                if ui
                    .button(tr!("policy-fix-delete", name = s.name))
                    .on_hover_text(tr!("policy-fix-hover"))
                    .clicked()
                {
                    commands.push(PolicyCommand::Fix(fix));
                }
            });
        }
        if let Some(p) = pending {
            theme::badge(
                ui,
                Tone::Warning,
                &tr!("policy-pending-badge", change = describe(&p)),
            );
        }
    }

    fn addins_card(&mut self, ui: &mut Ui, commands: &mut Vec<PolicyCommand>) {
        ui.label(RichText::new(tr!("policy-addins-title")).heading());
        theme::muted(ui, tr!("policy-addins-intro"));
        let list = match &self.data.addins {
            Ok(l) => l.clone(),
            Err(e) => {
                theme::banner(ui, Tone::Error, |ui| {
                    ui.label(RichText::new(tr!("policy-addins-read-error")).strong());
                    ui.label(e);
                });
                return;
            }
        };
        for e in &list.errors {
            theme::badge(ui, Tone::Warning, e);
        }
        if list.addins.is_empty() {
            theme::card(ui, |ui| {
                theme::muted(ui, tr!("policy-addins-none"));
            });
            return;
        }
        theme::banner(ui, Tone::Warning, |ui| {
            ui.label(tr!("policy-addins-warning"));
        });
        ui.add_space(theme::SECTION_GAP / 2.0);
        theme::card(ui, |ui| {
            egui::Grid::new("addins-grid")
                .num_columns(4)
                .striped(true)
                .spacing([16.0, 6.0])
                .show(ui, |ui| {
                    ui.label(RichText::new(tr!("policy-addins-col-addin")).strong());
                    ui.label(RichText::new(tr!("policy-addins-col-registered")).strong());
                    ui.label(RichText::new("LoadBehavior").strong());
                    ui.label(RichText::new(tr!("policy-addins-col-notification")).strong());
                    ui.end_row();
                    for a in &list.addins {
                        self.addin_row(ui, a, commands);
                        ui.end_row();
                    }
                });
        });
    }

    fn addin_row(&mut self, ui: &mut Ui, a: &AddinReport, commands: &mut Vec<PolicyCommand>) {
        let at = addin_location(a);
        ui.vertical(|ui| {
            // Names stay on one line (a grid cell would otherwise wrap them
            // a letter at a time).
            ui.add(egui::Label::new(a.friendly_name.as_deref().unwrap_or(&a.prog_id)).extend());
            if a.friendly_name.is_some() {
                let weak = Tone::Muted.color(ui.visuals());
                ui.add(egui::Label::new(RichText::new(&a.prog_id).color(weak)).extend());
            }
        });
        ui.label(addin_place(a));
        match &a.load_behavior {
            Some(lb) => ui.label(lb.meaning.to_string()),
            None => theme::muted(ui, tr!("policy-not-set")),
        };
        let r = &a.require_shutdown_notification;
        let pending = self.pending_at(&at).cloned();
        ui.horizontal_wrapped(|ui| {
            let shown = pending
                .as_ref()
                .map(|p| p.after.clone())
                .unwrap_or_else(|| r.raw.clone());
            let mut on = matches!(shown, Some(RegistryData::Dword(1)));
            let label = if on {
                tr!("policy-on")
            } else {
                tr!("policy-off")
            };
            let resp = ui.checkbox(&mut on, label);
            let name = tr!(
                "policy-addin-checkbox-name",
                prog_id = a.prog_id.as_str(),
                place = addin_place(a)
            );
            resp.widget_info(|| WidgetInfo::selected(Role::CheckBox, true, on, &name));
            if resp.changed() {
                let after = Some(RegistryData::Dword(u32::from(on)));
                self.set_pending(at.clone(), r.raw.clone(), after);
            }
            let (tone, word) = state_tone(r.state);
            theme::badge(ui, tone, &word);
            if let Some(p) = &pending {
                theme::badge(
                    ui,
                    Tone::Warning,
                    &tr!("policy-pending-badge-lower", change = describe(p)),
                );
            }
            if r.state == SettingState::Invalid {
                let fix = PlannedChange::new(at.clone(), r.raw.clone(), None);
                if ui
                    .small_button(tr!("policy-fix-delete-value"))
                    .on_hover_text(tr!(
                        "policy-fix-value-hover",
                        data = data_text(r.raw.as_ref()).to_string()
                    ))
                    .clicked()
                {
                    commands.push(PolicyCommand::Fix(fix));
                }
            }
        });
    }

    fn history_card(&self, ui: &mut Ui) {
        egui::CollapsingHeader::new(RichText::new(tr!("policy-history-title")).heading())
            .id_salt("policy-history")
            .default_open(false)
            .show(ui, |ui| {
                theme::muted(
                    ui,
                    tr!(
                        "policy-history-intro",
                        dir = self.data.backups_dir.display().to_string()
                    ),
                );
                let history = match &self.data.history {
                    Ok(h) => h,
                    Err(e) => {
                        theme::badge(ui, Tone::Error, e);
                        return;
                    }
                };
                if history.is_empty() {
                    theme::muted(ui, tr!("policy-history-empty"));
                    return;
                }
                theme::muted(ui, tr!("policy-history-note"));
                egui::Grid::new("policy-history-grid")
                    .num_columns(3)
                    .striped(true)
                    .spacing([16.0, 4.0])
                    .show(ui, |ui| {
                        for b in history.iter().take(50) {
                            ui.label(&b.created);
                            let what = if b.undone {
                                tr!("policy-history-undone", command = b.command.as_str())
                            } else {
                                b.command.clone()
                            };
                            ui.label(what);
                            let saved: Vec<String> = b
                                .entries
                                .iter()
                                .map(|e| {
                                    tr!(
                                        "policy-history-was",
                                        name = e.at.value.as_deref().unwrap_or(""),
                                        data = data_text(e.data.as_ref()).to_string()
                                    )
                                })
                                .collect();
                            theme::muted(ui, saved.join("; "));
                            ui.end_row();
                        }
                    });
            });
    }

    // ---- carrying commands out ------------------------------------------

    /// Carry out `command` through `backends`, then update what is shown
    /// and the message.
    pub fn execute(&mut self, command: PolicyCommand, backends: &PolicyBackends<'_>) {
        match command {
            PolicyCommand::Reload => {
                self.reload(backends);
                self.rebase_pending();
            }
            PolicyCommand::Apply => {
                let changes = self.pending.clone();
                let n = changes.len();
                match edit::write(
                    backends.store,
                    backends.backups,
                    &format!("GUI: apply {n} change{}", if n == 1 { "" } else { "s" }),
                    BackupKind::Change,
                    changes,
                ) {
                    Ok(outcome) => {
                        self.pending.clear();
                        self.message = Some(written_message(&outcome));
                        self.reload(backends);
                    }
                    Err(e) => self.message = Some(write_error_message(&e)),
                }
            }
            PolicyCommand::Revert => {
                let n = self.pending.len();
                self.pending.clear();
                self.message = Some(Message::new(Tone::Info, tr!("policy-reverted", count = n)));
            }
            PolicyCommand::Fix(change) => {
                let at = change.at.clone();
                match edit::write(
                    backends.store,
                    backends.backups,
                    &format!("GUI: fix invalid {at}"),
                    BackupKind::Change,
                    vec![change],
                ) {
                    Ok(outcome) => {
                        self.pending.retain(|c| c.at != at);
                        self.message = Some(written_message(&outcome));
                        self.reload(backends);
                    }
                    Err(e) => self.message = Some(write_error_message(&e)),
                }
            }
            PolicyCommand::Undo => match edit::undo(backends.store, backends.backups) {
                Ok(u) => {
                    // What the backup held beyond shutdown settings was
                    // refused: listed, as `policy undo` lists it.
                    let mut detail = tr!("policy-undid", command = u.restored.command.as_str());
                    let tone = if u.refused.is_empty() {
                        Tone::Good
                    } else {
                        detail.push('\n');
                        detail.push_str(&tr!("policy-cli-undo-refused-title"));
                        for r in &u.refused {
                            detail.push_str("\n  ");
                            detail.push_str(&refusal_line(r));
                        }
                        Tone::Warning
                    };
                    self.message = Some(
                        Message::new(
                            tone,
                            tr!(
                                "policy-restored",
                                // What was restored, not what the backup
                                // held: refused entries are not counted.
                                count = u.write.written.len() + u.write.unchanged.len(),
                                created = u.restored.created.as_str()
                            ),
                        )
                        .detail(detail),
                    );
                    self.reload(backends);
                    self.rebase_pending();
                }
                Err(e) => self.message = Some(write_error_message(&e)),
            },
            PolicyCommand::Export => self.export(backends),
            PolicyCommand::ExportPol {
                office,
                delete_unset,
            } => self.export_pol(backends, office, delete_unset),
            PolicyCommand::ExportPending => self.export_pending(backends),
            PolicyCommand::Import => self.import(backends),
            PolicyCommand::ApplyImport => {
                let Some(review) = self.import.take() else {
                    return;
                };
                let changes = review.plan.changes.clone();
                match edit::write(
                    backends.store,
                    backends.backups,
                    &format!("GUI: import {}", review.path.display()),
                    BackupKind::Change,
                    changes,
                ) {
                    Ok(outcome) => {
                        self.message = Some(written_message(&outcome));
                        self.reload(backends);
                        self.rebase_pending();
                    }
                    Err(e) => {
                        self.message = Some(write_error_message(&e));
                        self.import = Some(review);
                    }
                }
            }
            PolicyCommand::CancelImport => self.import = None,
            PolicyCommand::DismissMessage => self.message = None,
            // The shell switches panels; nothing to do here.
            PolicyCommand::Report => {}
        }
    }

    fn reload(&mut self, backends: &PolicyBackends<'_>) {
        self.data = PolicyData::load(backends.store, backends.backups);
    }

    /// After a reload: each pending change now starts from what is there;
    /// those that became no-ops are dropped.
    fn rebase_pending(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        for c in pending {
            let now = self.data.current(&c.at);
            self.set_pending(c.at, now, c.after);
        }
    }

    fn export(&mut self, backends: &PolicyBackends<'_>) {
        let request = FileRequest::reg(&tr!("policy-export-dialog"), "mapi-shutdown-policy.reg");
        let Some(path) = backends.dialogs.save_file(&request) else {
            return;
        };
        let result = transfer::export(backends.store, &OfficeVersion::ALL, true)
            .and_then(|reg| transfer::write_reg_file(&reg, &path));
        self.message = Some(match result {
            Ok(()) => Message::new(
                Tone::Good,
                tr!("policy-exported", path = path.display().to_string()),
            )
            .detail(tr!("policy-exported-detail")),
            Err(e) => Message::new(Tone::Error, tr!("policy-export-failed")).detail(e.to_string()),
        });
    }

    fn export_pol(
        &mut self,
        backends: &PolicyBackends<'_>,
        office: Option<OfficeVersion>,
        delete_unset: bool,
    ) {
        let request = FileRequest::pol(&tr!("policy-export-pol-dialog"), "Registry.pol");
        let Some(path) = backends.dialogs.save_file(&request) else {
            return;
        };
        let versions = office.map_or(OfficeVersion::ALL.to_vec(), |v| vec![v]);
        let result = gpo::export(backends.store, &versions, delete_unset)
            .and_then(|out| gpo::write_file(&out.file, &path).map(|()| out));
        self.message = Some(match result {
            Ok(out) => {
                let shown = path.display().to_string();
                let done = tr!(
                    "policy-exported-pol",
                    values = out.values,
                    deletions = out.deletions,
                    path = shown
                );
                if out.skipped.is_empty() {
                    Message::new(Tone::Good, done).detail(tr!("policy-exported-pol-detail"))
                } else {
                    let skipped: Vec<String> = out
                        .skipped
                        .iter()
                        .map(|(at, data)| format!("{at}: {data}"))
                        .collect();
                    Message::new(Tone::Warning, done).detail(tr!(
                        "policy-exported-pol-skipped",
                        count = out.skipped.len(),
                        list = skipped.join("\n")
                    ))
                }
            }
            Err(e) => Message::new(Tone::Error, tr!("policy-export-failed")).detail(e.to_string()),
        });
    }

    fn export_pending(&mut self, backends: &PolicyBackends<'_>) {
        if self.pending.is_empty() {
            return;
        }
        let request = FileRequest::reg(
            &tr!("policy-save-pending-dialog"),
            "mapi-shutdown-changes.reg",
        );
        let Some(path) = backends.dialogs.save_file(&request) else {
            return;
        };
        let reg = transfer::changes_registry(&self.pending);
        self.message = Some(match transfer::write_reg_file(&reg, &path) {
            Ok(()) => Message::new(
                Tone::Good,
                tr!(
                    "policy-saved-pending",
                    count = self.pending.len(),
                    path = path.display().to_string()
                ),
            )
            .detail(tr!(
                "policy-saved-pending-detail",
                path = path.display().to_string()
            )),
            Err(e) => {
                Message::new(Tone::Error, tr!("policy-file-not-written")).detail(e.to_string())
            }
        });
    }

    fn import(&mut self, backends: &PolicyBackends<'_>) {
        let request = FileRequest::reg_or_pol(&tr!("policy-import-dialog"), "");
        let Some(path) = backends.dialogs.open_file(&request) else {
            return;
        };
        match transfer::plan_import_file(backends.store, &path) {
            Ok((format, plan)) => {
                self.message = None;
                self.import = Some(ImportReview { path, format, plan });
            }
            Err(e) => {
                self.import = None;
                self.message = Some(
                    Message::new(
                        Tone::Error,
                        tr!("policy-import-failed", path = path.display().to_string()),
                    )
                    .detail(e.to_string()),
                );
            }
        }
    }
}

/// The heading an import's change is listed under: its Office version
/// ("Office 16.0"), or the add-ins. Changes come grouped: a plan lists a
/// key's values together.
fn change_group(c: &PlannedChange) -> String {
    match policy_key_version(c.at.hive, &c.at.key) {
        Some(v) => tr!("policy-import-group-version", version = v.as_str()),
        None => tr!("policy-import-group-addins"),
    }
}

/// The Group Policy note of a version's card: the values live under
/// `Software\Policies`, which Group Policy owns on a domain-joined
/// machine, and where the Group Policy editor shows them (docs/domain.md:
/// outlk14/15/16.admx, User Configuration > Administrative Templates >
/// Microsoft Outlook 20xx > Miscellaneous > Miscellaneous).
fn gpo_note(ui: &mut Ui, office: OfficeVersion) {
    let (product, template) = match office {
        OfficeVersion::V14 => ("Microsoft Outlook 2010", "outlk14.admx"),
        OfficeVersion::V15 => ("Microsoft Outlook 2013", "outlk15.admx"),
        OfficeVersion::V16 => ("Microsoft Outlook 2016", "outlk16.admx"),
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(Tone::Info.icon()).color(Tone::Info.color(ui.visuals())));
        theme::muted(
            ui,
            tr!("policy-gpo-note", product = product, template = template),
        );
    });
}

/// One change as `name: before → after`, with its key muted.
fn diff_line(ui: &mut Ui, c: &PlannedChange) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(c.at.value.as_deref().unwrap_or("")).monospace());
        ui.label(format!(
            "{} {} {}",
            transfer::describe_data(&c.at, c.before.as_ref()),
            icon::ARROW,
            transfer::describe_data(&c.at, c.after.as_ref())
        ));
        theme::muted(ui, c.at.full_key());
    });
}

/// `before ➡ after` in words.
fn describe(c: &PlannedChange) -> String {
    format!(
        "{} {} {}",
        data_text(c.before.as_ref()),
        icon::ARROW,
        data_text(c.after.as_ref())
    )
}

/// One refused entry of a backup or an import, as `policy undo` prints
/// it: `KEY value "NAME": reason`, or `[KEY]: reason` for a whole key.
fn refusal_line(r: &transfer::Refusal) -> String {
    let reason = r.reason.to_string();
    match &r.value {
        Some(v) => tr!(
            "policy-cli-refused-value",
            key = r.key.as_str(),
            value = v.as_str(),
            reason = reason
        ),
        None => format!("[{}]: {reason}", r.key),
    }
}

fn written_message(outcome: &edit::WriteOutcome) -> Message {
    let n = outcome.written.len();
    if n == 0 {
        return Message::new(Tone::Info, tr!("policy-nothing-to-write"));
    }
    let mut m = Message::new(Tone::Good, tr!("policy-written", count = n));
    if let Some(b) = &outcome.backup {
        m = m.detail(tr!(
            "policy-written-backup",
            path = b.path.display().to_string()
        ));
    }
    m
}

fn write_error_message(e: &EditError) -> Message {
    if e.is_access_denied() {
        let mut m = Message::new(Tone::Error, tr!("policy-access-denied"))
            .detail(format!("{e}\n\n{}", edit::access_denied_advice()));
        m.offer_export = true;
        return m;
    }
    match e {
        EditError::Store(StoreError::ConcurrentChange { .. }) => {
            Message::new(Tone::Warning, tr!("policy-concurrent-change"))
                .detail(format!("{e}\n{}", tr!("policy-concurrent-detail")))
        }
        EditError::NothingToUndo { .. } => {
            Message::new(Tone::Info, tr!("policy-nothing-to-undo")).detail(e.to_string())
        }
        _ => Message::new(Tone::Error, tr!("policy-write-failed")).detail(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::memory::MemoryStore;

    fn at16(name: &str) -> Location {
        Location::value(
            Hive::CurrentUser,
            &OfficeVersion::V16.shutdown_policy_key(),
            name,
        )
    }

    #[test]
    fn choosing_the_shown_value_again_drops_the_pending_change() {
        let store = MemoryStore::new();
        let dir = tempfile::tempdir().unwrap();
        let backups = BackupDir::new(dir.path().to_path_buf());
        let mut panel = PolicyPanel::new(PolicyData::load(&store, &backups));
        let at = at16("FastShutdownBehavior");
        panel.set_pending(at.clone(), None, Some(RegistryData::Dword(2)));
        assert_eq!(panel.pending().len(), 1);
        panel.set_pending(at.clone(), None, Some(RegistryData::Dword(1)));
        assert_eq!(panel.pending().len(), 1);
        assert_eq!(panel.pending()[0].after, Some(RegistryData::Dword(1)));
        panel.set_pending(at, None, None);
        assert!(panel.pending().is_empty());
    }

    #[test]
    fn reload_rebases_pending_changes_on_the_current_data() {
        let store = MemoryStore::new();
        let dir = tempfile::tempdir().unwrap();
        let backups = BackupDir::new(dir.path().to_path_buf());
        let dialogs = crate::ui::dialogs::ScriptedDialogs::new();
        let b = PolicyBackends {
            store: &store,
            backups: &backups,
            dialogs: &dialogs,
        };
        let mut panel = PolicyPanel::new(PolicyData::load(&store, &backups));
        let key = OfficeVersion::V16.shutdown_policy_key();
        panel.set_pending(
            at16("FastShutdownBehavior"),
            None,
            Some(RegistryData::Dword(2)),
        );
        panel.set_pending(
            at16("AddinFastShutdownBehavior"),
            None,
            Some(RegistryData::Dword(1)),
        );
        // Someone else writes both: one as we wanted, one differently.
        store.create_key(Hive::CurrentUser, &key).unwrap();
        store
            .set_dword(Hive::CurrentUser, &key, "FastShutdownBehavior", 0)
            .unwrap();
        store
            .set_dword(Hive::CurrentUser, &key, "AddinFastShutdownBehavior", 1)
            .unwrap();
        panel.execute(PolicyCommand::Reload, &b);
        assert_eq!(panel.pending().len(), 1);
        assert_eq!(panel.pending()[0].before, Some(RegistryData::Dword(0)));
        assert_eq!(panel.pending()[0].after, Some(RegistryData::Dword(2)));
    }

    #[test]
    fn every_policy_value_offers_its_valid_dwords() {
        for v in ShutdownValue::POLICY {
            let dwords: Vec<u32> = options(v).iter().map(|o| o.0).collect();
            for d in &dwords {
                let r = v.interpret(Some(&RegistryData::Dword(*d)), None);
                assert_eq!(r.state, SettingState::Valid, "{v} {d}");
            }
            let past = dwords.iter().max().unwrap() + 1;
            let r = v.interpret(Some(&RegistryData::Dword(past)), None);
            assert_eq!(r.state, SettingState::Invalid, "{v} {past}");
        }
    }
}
