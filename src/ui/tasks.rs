//! The application's one registry of background work: opening a trace,
//! recording or spool folder, saving a recording, running a scenario,
//! building the Reports preview and exporting a report all run here, each
//! on a named worker thread, never on the UI thread. The shell owns the
//! [`Tasks`]; panels start work through it (it is part of their
//! context) and get the results back from the shell, which takes them in
//! every frame ([`Tasks::poll`]) and hands each [`TaskOutput`] to the
//! panel that asked. The status bar lists what runs, with a spinner.
//!
//! The Processes panel's scanner is not a task: it is a long-lived worker
//! that keeps the OS's process list between scans (CPU figures and module
//! lists are deltas), see [`super::processes`].
//!
//! A worker speaks the language the window had when the task started (a
//! thread has no language of its own), and a job that panics becomes a
//! [`TaskOutput::Failed`] naming the task, never a frozen spinner.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, unbounded};

use crate::monitor::store::ConnId;
use crate::report::ReportModel;

/// Identifies a task, from 1, unique within a [`Tasks`].
pub type TaskId = u64;

/// What a task is for; decides which panel its output goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TaskKind {
    /// Read a trace, recording or spool folder (Live panel).
    Open,
    /// Write the Live panel's sessions as a recording.
    SaveRecording,
    /// Start the monitor's recording (creates the file, writes what the
    /// connected clients sent so far).
    Record,
    /// Run `mapi-shutdown simulate` with a scenario (Live panel).
    Scenario,
    /// Build the Reports panel's preview (reads the registry).
    ReportPreview,
    /// Render and write a report (Reports panel).
    ReportExport,
    /// Load the capture agent into a client (Processes: attach; Live:
    /// launch).
    Capture,
    /// Wait for a client the Live panel launched with capture to end (it
    /// may run for hours: the status bar shows it without a spinner).
    ClientRun,
}

/// What a finished task hands back.
#[derive(Debug)]
pub enum TaskOutput {
    /// [`TaskKind::Open`]: the streams of `path` are in the store (and
    /// published, verdicts included), or why it is not a trace.
    Opened {
        /// The file or folder opened.
        path: PathBuf,
        /// How many streams it held and the last one's id, or the reason.
        result: Result<(usize, Option<ConnId>), String>,
    },
    /// [`TaskKind::SaveRecording`]: how many sessions went to `path`.
    Saved {
        /// The recording written.
        path: PathBuf,
        /// Sessions written, or the I/O error.
        result: Result<usize, String>,
    },
    /// [`TaskKind::Record`]: the monitor records to `path`, or why not.
    RecordingStarted {
        /// The recording.
        path: PathBuf,
        /// Nothing, or the error.
        result: Result<(), String>,
    },
    /// [`TaskKind::Scenario`]: the run of scenario `label` ended.
    ScenarioEnded {
        /// The scenario's file stem.
        label: String,
        /// The `simulate` executable.
        exe: PathBuf,
        /// Its exit code (`None`: ended by a signal) and what it wrote to
        /// stderr, or why it did not start.
        result: Result<(Option<i32>, String), String>,
    },
    /// [`TaskKind::ReportPreview`]: the report for the inputs `of`.
    Preview {
        /// What it was built from (the panel's key; a stale one is
        /// dropped).
        of: u64,
        /// The report.
        model: Box<ReportModel>,
    },
    /// [`TaskKind::ReportPreview`] of files: they could not be read.
    PreviewFailed {
        /// What it was built from (as [`TaskOutput::Preview`]).
        of: u64,
        /// Why, naming the file (and line).
        error: String,
    },
    /// [`TaskKind::ReportExport`]: bytes written to `path`.
    Exported {
        /// The report file.
        path: PathBuf,
        /// Bytes written, or the error.
        result: Result<usize, String>,
    },
    /// [`TaskKind::Capture`]: the capture asked for, and what came of it.
    Captured {
        /// Attach or launch, and to what.
        request: super::capture::CaptureRequest,
        /// The capture, or why not.
        result: Result<super::capture::Captured, String>,
        /// For a launch that worked: what waits for the client to end
        /// (the shell starts it as a [`TaskKind::ClientRun`] task).
        waiter: Option<super::capture::ClientWaiter>,
    },
    /// [`TaskKind::ClientRun`]: the launched client `pid` ended.
    ClientExited {
        /// The program launched.
        program: PathBuf,
        /// Its process id.
        pid: u32,
        /// Its exit code (`None` when the OS gave none), or why it could
        /// not be waited for.
        result: Result<Option<i32>, String>,
    },
    /// The job panicked: its kind and label, and the panic's message.
    Failed {
        /// What it was.
        kind: TaskKind,
        /// Its label.
        label: String,
        /// The panic message.
        error: String,
    },
}

/// A task that runs: what the status bar shows.
#[derive(Clone, Debug)]
pub struct Running {
    /// Its id.
    pub id: TaskId,
    /// Its kind.
    pub kind: TaskKind,
    /// What it works on, for people (a file name, a scenario).
    pub label: String,
    /// When it started.
    pub started: Instant,
    /// How far it is, when it says ([`Tasks::spawn_with_progress`]).
    pub progress: Option<Arc<TaskProgress>>,
}

/// How far a task is: `done` of `total` steps (files read, …), set by
/// the worker, read by the UI thread every frame (atomics: no lock).
#[derive(Debug, Default)]
pub struct TaskProgress {
    done: AtomicU64,
    total: AtomicU64,
}

impl TaskProgress {
    /// Set the steps done and the total (the total may grow as the work
    /// finds more).
    pub fn set(&self, done: u64, total: u64) {
        self.total.store(total, Ordering::Relaxed);
        self.done.store(done, Ordering::Relaxed);
    }

    /// `(done, total)`; `total` 0: not known yet.
    pub fn get(&self) -> (u64, u64) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }
}

/// Called from a worker when its task is done (the application wakes the
/// window).
pub type Wake = Arc<dyn Fn() + Send + Sync>;

/// The registry (see the module docs).
pub struct Tasks {
    next: TaskId,
    running: Vec<Running>,
    tx: Sender<(TaskId, TaskOutput)>,
    rx: Receiver<(TaskId, TaskOutput)>,
    wake: Option<Wake>,
}

impl Tasks {
    /// An empty registry; `wake` is called from a worker when it finishes.
    pub fn new(wake: Option<Wake>) -> Tasks {
        let (tx, rx) = unbounded();
        Tasks {
            next: 1,
            running: Vec::new(),
            tx,
            rx,
            wake,
        }
    }

    /// Start `job` on a worker thread named after `kind`, labelled `label`
    /// in the status bar.
    ///
    /// # Errors
    /// The OS's message when the thread cannot be started (nothing runs).
    pub fn spawn(
        &mut self,
        kind: TaskKind,
        label: impl Into<String>,
        job: impl FnOnce() -> TaskOutput + Send + 'static,
    ) -> Result<TaskId, String> {
        self.start(kind, label.into(), None, job)
    }

    /// [`spawn`](Self::spawn) a job that reports how far it is through
    /// the [`TaskProgress`] it is given (the status bar shows it, and the
    /// panel can read it from [`running`](Self::running)). The worker
    /// wakes the window when it moves: call `wake` from the job (a
    /// repaint; cheap).
    ///
    /// # Errors
    /// The OS's message when the thread cannot be started (nothing runs).
    pub fn spawn_with_progress(
        &mut self,
        kind: TaskKind,
        label: impl Into<String>,
        job: impl FnOnce(&TaskProgress, &(dyn Fn() + Sync)) -> TaskOutput + Send + 'static,
    ) -> Result<TaskId, String> {
        let progress = Arc::new(TaskProgress::default());
        let theirs = Arc::clone(&progress);
        let wake = self.wake.clone();
        self.start(kind, label.into(), Some(progress), move || {
            let wake = move || {
                if let Some(w) = &wake {
                    w();
                }
            };
            job(&theirs, &wake)
        })
    }

    fn start(
        &mut self,
        kind: TaskKind,
        label: String,
        progress: Option<Arc<TaskProgress>>,
        job: impl FnOnce() -> TaskOutput + Send + 'static,
    ) -> Result<TaskId, String> {
        let id = self.next;
        let tx = self.tx.clone();
        let wake = self.wake.clone();
        let lang = crate::i18n::current();
        let what = label.clone();
        std::thread::Builder::new()
            .name(format!("task-{kind:?}").to_lowercase())
            .spawn(move || {
                crate::i18n::set_thread_lang(Some(lang));
                let output = catch_unwind(AssertUnwindSafe(job)).unwrap_or_else(|panic| {
                    let error = panic
                        .downcast_ref::<&str>()
                        .map(|s| (*s).to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_default();
                    TaskOutput::Failed {
                        kind,
                        label: what,
                        error,
                    }
                });
                let _ = tx.send((id, output));
                if let Some(wake) = wake {
                    wake();
                }
            })
            .map_err(|e| e.to_string())?;
        self.next += 1;
        self.running.push(Running {
            id,
            kind,
            label,
            started: Instant::now(),
            progress,
        });
        Ok(id)
    }

    /// What finished since the last call, in the order it finished, with
    /// each task's kind. Cheap when nothing did.
    pub fn poll(&mut self) -> Vec<(TaskKind, TaskOutput)> {
        let mut done = Vec::new();
        while let Ok((id, output)) = self.rx.try_recv() {
            if let Some(i) = self.running.iter().position(|r| r.id == id) {
                let r = self.running.remove(i);
                done.push((r.kind, output));
            }
        }
        done
    }

    /// The tasks that run, oldest first.
    pub fn running(&self) -> &[Running] {
        &self.running
    }

    /// How many tasks of `kind` run.
    pub fn count(&self, kind: TaskKind) -> usize {
        self.running.iter().filter(|r| r.kind == kind).count()
    }

    /// Wait until every task finished or `timeout` passed, and return what
    /// finished (for tests and for closing the window: a scenario run is
    /// not waited for by the window, see [`App`](super::App)).
    pub fn wait(&mut self, timeout: Duration) -> Vec<(TaskKind, TaskOutput)> {
        let deadline = Instant::now() + timeout;
        let mut done = Vec::new();
        while !self.running.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok((id, output)) => {
                    if let Some(i) = self.running.iter().position(|r| r.id == id) {
                        let r = self.running.remove(i);
                        done.push((r.kind, output));
                    }
                }
                Err(_) => break,
            }
        }
        done
    }
}

impl std::fmt::Debug for Tasks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tasks")
            .field("next", &self.next)
            .field("running", &self.running)
            .finish_non_exhaustive()
    }
}

/// The name a task shows for the file it works on (the status bar, the
/// Live panel's badges, an error): the file's name, or the whole path
/// when it has none (`/`, `..`). One function for every panel, so the
/// same file is named alike everywhere.
pub fn file_label(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

#[cfg(test)]
mod tests {
    /// A file is named by its file name; a path without one by itself.
    #[test]
    fn a_file_is_named_by_its_file_name() {
        use std::path::Path;
        assert_eq!(
            super::file_label(Path::new("/tmp/a/rec.jsonl")),
            "rec.jsonl"
        );
        assert_eq!(super::file_label(Path::new("r.html")), "r.html");
        assert_eq!(super::file_label(Path::new("/")), "/");
        assert_eq!(super::file_label(Path::new("a/..")), "a/..");
    }

    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn saved(n: usize) -> TaskOutput {
        TaskOutput::Saved {
            path: PathBuf::from("x.jsonl"),
            result: Ok(n),
        }
    }

    /// A task with progress: the registry's entry shows what the worker
    /// set, and each step wakes the window.
    #[test]
    fn a_task_reports_its_progress_through_the_registry() {
        let woken = Arc::new(AtomicUsize::new(0));
        let w = Arc::clone(&woken);
        let mut tasks = Tasks::new(Some(Arc::new(move || {
            w.fetch_add(1, Ordering::SeqCst);
        })));
        let (go_tx, go_rx) = crossbeam_channel::bounded::<()>(0);
        let (half_tx, half_rx) = crossbeam_channel::bounded::<()>(0);
        tasks
            .spawn_with_progress(TaskKind::ReportPreview, "files", move |p, wake| {
                p.set(5, 10);
                wake();
                let _ = half_tx.send(());
                let _ = go_rx.recv();
                p.set(10, 10);
                saved(10)
            })
            .unwrap();
        half_rx.recv().unwrap();
        let progress = tasks.running()[0].progress.clone().unwrap();
        assert_eq!(progress.get(), (5, 10));
        go_tx.send(()).unwrap();
        let done = tasks.wait(Duration::from_secs(10));
        assert!(matches!(
            done[..],
            [(TaskKind::ReportPreview, TaskOutput::Saved { .. })]
        ));
        assert_eq!(progress.get(), (10, 10));
        // The step's wake and the end's. The worker wakes the window after
        // it has sent the result (so the woken window finds it), so `wait`
        // may return before that last wake: give it a bounded moment.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while woken.load(Ordering::SeqCst) < 2 && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
        assert!(woken.load(Ordering::SeqCst) >= 2);
    }

    #[test]
    fn tasks_run_off_the_calling_thread_and_come_back_with_their_kind() {
        let woken = Arc::new(AtomicUsize::new(0));
        let w = Arc::clone(&woken);
        let mut tasks = Tasks::new(Some(Arc::new(move || {
            w.fetch_add(1, Ordering::SeqCst);
        })));
        let caller = std::thread::current().id();
        let (gate_tx, gate_rx) = crossbeam_channel::bounded::<()>(0);
        tasks
            .spawn(TaskKind::SaveRecording, "x.jsonl", move || {
                assert_ne!(std::thread::current().id(), caller);
                gate_rx.recv().unwrap();
                saved(3)
            })
            .unwrap();
        assert_eq!(tasks.count(TaskKind::SaveRecording), 1);
        assert_eq!(tasks.count(TaskKind::Open), 0);
        assert_eq!(tasks.running()[0].label, "x.jsonl");
        // Still blocked on the gate: nothing finished.
        assert!(tasks.poll().is_empty());
        gate_tx.send(()).unwrap();
        let done = tasks.wait(Duration::from_secs(10));
        assert!(matches!(
            done.as_slice(),
            [(
                TaskKind::SaveRecording,
                TaskOutput::Saved { result: Ok(3), .. }
            )]
        ));
        assert!(tasks.running().is_empty());
        assert_eq!(woken.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_panicking_job_is_reported_as_failed_not_lost() {
        let mut tasks = Tasks::new(None);
        tasks
            .spawn(TaskKind::Open, "trace.jsonl", || panic!("bad input"))
            .unwrap();
        let done = tasks.wait(Duration::from_secs(10));
        match done.as_slice() {
            [(TaskKind::Open, TaskOutput::Failed { kind, label, error })] => {
                assert_eq!(*kind, TaskKind::Open);
                assert_eq!(label, "trace.jsonl");
                assert_eq!(error, "bad input");
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(tasks.running().is_empty());
    }

    #[test]
    fn a_worker_speaks_the_language_of_the_window_when_it_started() {
        crate::i18n::set_thread_lang(Some(crate::i18n::Lang::Fr));
        let mut tasks = Tasks::new(None);
        tasks
            .spawn(TaskKind::ReportExport, "r.html", || TaskOutput::Exported {
                path: PathBuf::new(),
                result: Err(crate::i18n::current().to_string()),
            })
            .unwrap();
        crate::i18n::set_thread_lang(None);
        let done = tasks.wait(Duration::from_secs(10));
        let [
            (
                _,
                TaskOutput::Exported {
                    result: Err(lang), ..
                },
            ),
        ] = done.as_slice()
        else {
            panic!("unexpected {done:?}");
        };
        assert_eq!(*lang, crate::i18n::Lang::Fr.to_string());
    }

    #[test]
    fn ids_are_unique_and_finished_tasks_leave_the_list() {
        let mut tasks = Tasks::new(None);
        let a = tasks.spawn(TaskKind::Scenario, "a", || saved(1)).unwrap();
        let b = tasks.spawn(TaskKind::Scenario, "b", || saved(2)).unwrap();
        assert_ne!(a, b);
        assert_eq!(tasks.count(TaskKind::Scenario), 2);
        let mut got: Vec<usize> = tasks
            .wait(Duration::from_secs(10))
            .into_iter()
            .map(|(_, o)| match o {
                TaskOutput::Saved { result: Ok(n), .. } => n,
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        got.sort_unstable();
        assert_eq!(got, [1, 2]);
        assert_eq!(tasks.count(TaskKind::Scenario), 0);
    }
}
