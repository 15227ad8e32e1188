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
use mapi_shutdown::processes::{
    FixedModules, FixedProcesses, MapiSvcChoice, Module, ProcessInfo, ScanError, ScanOptions,
    Scanner,
};
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
    pub capturer: Arc<FakeCapturer>,
}

/// A capturer that records what it was asked and answers as told:
/// attach succeeds for the pids in `refuse` never, for others always; a
/// launched client runs until the test ends it ([`FakeCapturer::end_client`]).
pub struct FakeCapturer {
    /// The requests, in order: `attach PID` or `launch PATH`.
    pub calls: std::sync::Mutex<Vec<String>>,
    /// Pids whose attach fails ("access denied").
    pub refuse: std::sync::Mutex<Vec<u32>>,
    /// The pid a launched client gets (4242 unless a test sets it).
    pub launch_pid: std::sync::atomic::AtomicU32,
    /// What ends a launched client: its exit code.
    ends: (
        crossbeam_channel::Sender<i32>,
        crossbeam_channel::Receiver<i32>,
    ),
}

impl Default for FakeCapturer {
    fn default() -> Self {
        FakeCapturer {
            calls: Default::default(),
            refuse: Default::default(),
            launch_pid: std::sync::atomic::AtomicU32::new(4242),
            ends: crossbeam_channel::unbounded(),
        }
    }
}

impl FakeCapturer {
    /// End the (next) launched client with exit code `code`.
    pub fn end_client(&self, code: i32) {
        self.ends.0.send(code).unwrap();
    }
}

impl mapi_shutdown::ui::capture::Capturer for FakeCapturer {
    fn attach(&self, pid: u32) -> Result<mapi_shutdown::ui::capture::Captured, String> {
        self.calls.lock().unwrap().push(format!("attach {pid}"));
        if self.refuse.lock().unwrap().contains(&pid) {
            return Err("Access is denied. (os error 5)".to_string());
        }
        Ok(mapi_shutdown::ui::capture::Captured {
            pid,
            bits: 32,
            late: true,
            already: false,
        })
    }

    fn launch(
        &self,
        program: &std::path::Path,
    ) -> Result<mapi_shutdown::ui::capture::Launched, String> {
        use mapi_shutdown::ui::capture::{Captured, ClientWaiter, Launched};
        self.calls
            .lock()
            .unwrap()
            .push(format!("launch {}", program.display()));
        let ends = self.ends.1.clone();
        Ok(Launched {
            captured: Captured {
                pid: self.launch_pid.load(std::sync::atomic::Ordering::SeqCst),
                bits: 64,
                late: false,
                already: false,
            },
            wait: ClientWaiter(Box::new(move || {
                ends.recv().map(Some).map_err(|e| e.to_string())
            })),
        })
    }
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
            capturer: Arc::new(FakeCapturer::default()),
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
            scanner: Box::new(fake_scanner),
            // Reports dated 2026-11-20 10:00:00 UTC, on a fixed machine.
            clock: Arc::new(mapi_shutdown::clock::ManualClock::new(
                std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_795_168_800),
            )),
            host: mapi_shutdown::report::HostInfo {
                host_name: "WS-ADMIN01".to_string(),
                user: r"CONTOSO\alice".to_string(),
                os: "Windows Server 2022 Datacenter (20348)".to_string(),
                product: "mapi-shutdown 0.1.0".to_string(),
            },
            capture: self.capturer.clone(),
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

    /// The application started with this remembered state.
    pub fn harness_with_state(&self, state: UiState) -> Harness<'static, App> {
        self.build_with_state(self.backends(), egui::vec2(1100.0, 900.0), None, state)
    }

    fn build(
        &self,
        backends: Backends,
        size: egui::Vec2,
        theme: Option<egui::Theme>,
    ) -> Harness<'static, App> {
        self.build_with_state(backends, size, theme, UiState::default())
    }

    fn build_with_state(
        &self,
        backends: Backends,
        size: egui::Vec2,
        theme: Option<egui::Theme>,
        state: UiState,
    ) -> Harness<'static, App> {
        // The tests find widgets by their English labels, whatever the
        // machine's locale; tests/ui_i18n.rs switches languages itself.
        mapi_shutdown::i18n::set_thread_lang(Some(mapi_shutdown::i18n::Lang::En));
        let mut builder = Harness::builder().with_size(size);
        if let Some(t) = theme {
            builder = builder.with_theme(t);
        }
        let mut h = builder.build_eframe(move |cc| App::with_state(&cc.egui_ctx, backends, state));
        h.run();
        h
    }
}

/// A `.reg` file's text (UTF-16LE with BOM, or ANSI).
pub fn read_utf16(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    mapi_shutdown::policy::regfile::decode(&bytes).unwrap()
}

/// The processes the Processes panel's tests see: Outlook with olmapi32
/// and its providers, MFCMAPI with the stub mapi32 only, an elevated
/// process whose modules are access denied, a process with no MAPI at all,
/// and this test process as `NWSYNC.EXE` (no subsystem loaded: a MAPI
/// process only when connected to the monitor).
pub fn fake_processes() -> (FixedProcesses, FixedModules) {
    let info = |pid: u32, name: &str, path: &str, memory: u64, start: u64| ProcessInfo {
        pid,
        name: name.to_string(),
        path: Some(path.to_string()),
        user: Some(r"CONTOSO\alice".to_string()),
        start_time: start,
        memory,
        wine: false,
    };
    let m = |path: &str| Module {
        name: path.rsplit('\\').next().unwrap().to_string(),
        path: path.to_string(),
    };
    let office = r"C:\Program Files\Microsoft Office\root\Office16";
    let processes = FixedProcesses(vec![
        info(
            4120,
            "OUTLOOK.EXE",
            &format!(r"{office}\OUTLOOK.EXE"),
            412 << 20,
            1_763_700_000,
        ),
        info(
            5230,
            "MFCMAPI.exe",
            r"C:\Tools\MFCMAPI.exe",
            38 << 20,
            1_763_710_000,
        ),
        info(
            880,
            "svchost.exe",
            r"C:\Windows\System32\svchost.exe",
            12 << 20,
            1_763_600_000,
        ),
        info(
            6100,
            "notepad.exe",
            r"C:\Windows\notepad.exe",
            9 << 20,
            1_763_720_000,
        ),
        // This test process: MAPI only once it connects to the monitor as
        // an instrumented client (ui_processes.rs).
        info(
            std::process::id(),
            "NWSYNC.EXE",
            r"C:\Program Files\Northwind\NWSYNC.EXE",
            21 << 20,
            1_763_730_000,
        ),
    ]);
    let mut modules = FixedModules::default();
    modules.modules.insert(
        4120,
        Ok(vec![
            m(&format!(r"{office}\OUTLOOK.EXE")),
            m(r"C:\Windows\System32\ntdll.dll"),
            m(r"C:\Windows\System32\mapi32.dll"),
            m(&format!(r"{office}\olmapi32.dll")),
            m(&format!(r"{office}\emsmdb32.dll")),
            m(&format!(r"{office}\emsabp32.dll")),
            m(&format!(r"{office}\mspst32.dll")),
        ]),
    );
    modules.modules.insert(
        5230,
        Ok(vec![
            m(r"C:\Tools\MFCMAPI.exe"),
            m(r"C:\Windows\System32\mapi32.dll"),
        ]),
    );
    modules.modules.insert(
        880,
        Err(mapi_shutdown::processes::ModulesError::AccessDenied),
    );
    modules.modules.insert(
        6100,
        Ok(vec![
            m(r"C:\Windows\notepad.exe"),
            m(r"C:\Windows\System32\ntdll.dll"),
        ]),
    );
    modules.modules.insert(
        std::process::id(),
        Ok(vec![
            m(r"C:\Program Files\Northwind\NWSYNC.EXE"),
            m(r"C:\Windows\System32\ntdll.dll"),
            m(r"C:\Program Files\Northwind\emsmdb32.dll"),
        ]),
    );
    modules.versions.insert(
        format!(r"{office}\olmapi32.dll"),
        "16.0.17928.20114".to_string(),
    );
    (processes, modules)
}

/// A scanner over [`fake_processes`], with the builtin catalog only.
pub fn fake_scanner() -> Result<Scanner, ScanError> {
    let (processes, modules) = fake_processes();
    Ok(Scanner::new(
        Box::new(processes),
        Box::new(modules),
        ScanOptions {
            mapisvc: MapiSvcChoice::Off,
            system32: None,
        },
    ))
}

/// How long [`step_until`] waits before it fails: generous, because a
/// loaded CI machine may be many times slower than a workstation (a
/// 10 s wait once ran out there), and a passing test returns as soon as
/// the condition holds.
pub const STEP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(90);

/// Step the harness (sleeping 10 ms between frames while waiting for
/// worker threads) until `ready` holds; panics after [`STEP_TIMEOUT`],
/// naming `what` was awaited, so a test never goes on to assert or
/// snapshot a half-loaded screen.
pub fn step_until(h: &mut Harness<'static, App>, what: &str, mut ready: impl FnMut(&App) -> bool) {
    let deadline = std::time::Instant::now() + STEP_TIMEOUT;
    loop {
        h.step();
        if ready(h.state()) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still waiting after {} s for {what}",
            STEP_TIMEOUT.as_secs()
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// Step the harness until the Processes panel's scan (on its worker
/// thread) has finished; panics after [`STEP_TIMEOUT`].
pub fn wait_for_scan(h: &mut Harness<'static, App>) {
    step_until(h, "the process scan to finish", |app| {
        let p = app.processes();
        p.scan().is_some() && !p.scanning()
    });
    h.run_steps(2);
}

/// Step the harness until no background task runs (opening, saving,
/// recording, scenario runs, the Reports preview and export; not a
/// launched client waiting to end) for two frames in a row: a frame may
/// start a new one, e.g. the preview of what a task changed. Panics after
/// [`STEP_TIMEOUT`], naming what still runs.
pub fn settle(h: &mut Harness<'static, App>) {
    use mapi_shutdown::ui::tasks::TaskKind;
    let deadline = std::time::Instant::now() + STEP_TIMEOUT;
    let mut quiet = 0;
    while quiet < 2 {
        h.step();
        // A launched client runs until it ends: not work to wait for.
        if h.state()
            .tasks()
            .running()
            .iter()
            .all(|r| r.kind == TaskKind::ClientRun)
        {
            quiet += 1;
        } else {
            quiet = 0;
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert!(
            std::time::Instant::now() < deadline,
            "background tasks still run after {} s: {:?}",
            STEP_TIMEOUT.as_secs(),
            h.state().tasks().running()
        );
    }
}

/// A Live configuration with a monitor on a fresh socket in `dir`, the
/// shipped scenarios and the built `mapi-shutdown`; and the endpoint name.
#[cfg(unix)]
pub fn live_config(dir: &Path) -> (LiveConfig, String) {
    let name = dir.join("live.sock").to_string_lossy().into_owned();
    let config = LiveConfig {
        endpoint: mapi_shutdown::trace::Endpoint::from_name(Some(&name)).map_err(|e| e.to_string()),
        endpoint_name: Some(name.clone()),
        scenarios_dir: Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/scenarios")),
        simulate_exe: Some(std::path::PathBuf::from(env!(
            "CARGO_BIN_EXE_mapi-shutdown"
        ))),
    };
    (config, name)
}
