//! What the UI tests share: the application over a memory registry store
//! with Outlook 16.0 "installed", a temporary backups directory and
//! scripted file dialogs, in an egui_kittest harness.

#![allow(dead_code)]

use std::path::Path;
use std::sync::Arc;

use egui_kittest::Harness;
use mapi_shutdown::policy::RegistryData;
use mapi_shutdown::policy::backup::BackupDir;
use mapi_shutdown::policy::memory::MemoryStore;
use mapi_shutdown::policy::store::{Hive, RegistryStore};
use mapi_shutdown::ui::dialogs::ScriptedDialogs;
use mapi_shutdown::ui::live::LiveConfig;
use mapi_shutdown::ui::{App, Backends, UiState};

/// The Office 16.0 policy key, below HKCU.
pub const POLICY16: &str = r"Software\Policies\Microsoft\Office\16.0\Outlook\Options\Shutdown";
/// The test add-in's key, below HKCU.
pub const ADDIN_KEY: &str = r"Software\Microsoft\Office\Outlook\Addins\Contoso.Archive";

/// The backends a test keeps a hand on.
pub struct Fixture {
    pub store: Arc<MemoryStore>,
    pub dialogs: Arc<ScriptedDialogs>,
    pub dir: tempfile::TempDir,
}

impl Fixture {
    /// A store where Outlook 16.0 is installed and nothing is configured.
    pub fn new() -> Self {
        let store = Arc::new(MemoryStore::new());
        store
            .create_key(Hive::CurrentUser, r"Software\Microsoft\Office\16.0\Outlook")
            .unwrap();
        Fixture {
            store,
            dialogs: Arc::new(ScriptedDialogs::new()),
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// Register a COM add-in for Outlook (HKCU), with no
    /// RequireShutdownNotification, and one under HKLM.
    pub fn add_addin(&self) {
        let s = &self.store;
        s.create_key(Hive::CurrentUser, ADDIN_KEY).unwrap();
        s.set_value(
            Hive::CurrentUser,
            ADDIN_KEY,
            "FriendlyName",
            &RegistryData::String("Contoso Archive".into()),
        )
        .unwrap();
        s.set_dword(Hive::CurrentUser, ADDIN_KEY, "LoadBehavior", 3)
            .unwrap();
        let hklm = r"Software\Microsoft\Office\Outlook\Addins\Fabrikam.CRM";
        s.create_key(Hive::LocalMachine, hklm).unwrap();
        s.set_value(
            Hive::LocalMachine,
            hklm,
            "FriendlyName",
            &RegistryData::String("Fabrikam CRM Connector".into()),
        )
        .unwrap();
        s.set_dword(Hive::LocalMachine, hklm, "LoadBehavior", 2)
            .unwrap();
        s.set_dword(Hive::LocalMachine, hklm, "RequireShutdownNotification", 1)
            .unwrap();
    }

    /// The backups directory the application writes to.
    pub fn backups(&self) -> BackupDir {
        BackupDir::new(self.dir.path().join("backups"))
    }

    /// A value of the Office 16.0 policy key.
    pub fn read16(&self, name: &str) -> Option<RegistryData> {
        self.store
            .read_value(Hive::CurrentUser, POLICY16, name)
            .unwrap()
    }

    fn backends(&self) -> Backends {
        self.backends_with_live(LiveConfig {
            endpoint: Err("no monitor in this test".to_string()),
            endpoint_name: None,
            scenarios_dir: None,
            simulate_exe: None,
        })
    }

    fn backends_with_live(&self, live: LiveConfig) -> Backends {
        let store: Arc<dyn RegistryStore> = self.store.clone();
        Backends {
            store,
            backups: self.backups(),
            dialogs: Box::new(self.dialogs.clone()),
            live,
        }
    }

    /// The whole application, tall enough that every card is on screen.
    pub fn harness(&self) -> Harness<'static, App> {
        self.harness_sized(egui::vec2(1100.0, 2400.0), None)
    }

    /// The whole application with this Live configuration (a monitor on
    /// a test endpoint).
    pub fn harness_with_live(&self, live: LiveConfig) -> Harness<'static, App> {
        self.build(
            self.backends_with_live(live),
            egui::vec2(1280.0, 1000.0),
            None,
        )
    }

    /// The application in a window of `size`, in `theme` (the system's
    /// when `None`).
    pub fn harness_sized(
        &self,
        size: egui::Vec2,
        theme: Option<egui::Theme>,
    ) -> Harness<'static, App> {
        self.build(self.backends(), size, theme)
    }

    fn build(
        &self,
        backends: Backends,
        size: egui::Vec2,
        theme: Option<egui::Theme>,
    ) -> Harness<'static, App> {
        let mut builder = Harness::builder().with_size(size);
        if let Some(t) = theme {
            builder = builder.with_theme(t);
        }
        let mut h = builder
            .build_eframe(move |cc| App::with_state(&cc.egui_ctx, backends, UiState::default()));
        h.run();
        h
    }
}

/// A `.reg` file's text (UTF-16LE with BOM, or ANSI).
pub fn read_utf16(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    mapi_shutdown::policy::regfile::decode(&bytes).unwrap()
}
