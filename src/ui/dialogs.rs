//! File dialogs behind a small trait, so that panels and tests never open a
//! real dialog: the application uses [`NativeDialogs`] (rfd: the Windows
//! common dialogs, the XDG desktop portal elsewhere), tests pass
//! [`ScriptedDialogs`] with the answers a user would give.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Mutex;

/// What to ask the user for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRequest {
    /// The dialog's title: "Export the shutdown policy".
    pub title: String,
    /// The file name offered when saving.
    pub file_name: String,
    /// The filter's label ("Registry files") and extensions without the dot.
    pub filter: (String, Vec<String>),
}

impl FileRequest {
    /// A request for a regedit `.reg` file.
    pub fn reg(title: &str, file_name: &str) -> Self {
        FileRequest {
            title: title.to_string(),
            file_name: file_name.to_string(),
            filter: (crate::tr!("app-dialog-reg-files"), vec!["reg".to_string()]),
        }
    }

    /// A request for a Group Policy `Registry.pol`.
    pub fn pol(title: &str, file_name: &str) -> Self {
        FileRequest {
            title: title.to_string(),
            file_name: file_name.to_string(),
            filter: (crate::tr!("app-dialog-pol-files"), vec!["pol".to_string()]),
        }
    }

    /// A request for a file to import: a regedit `.reg` or a Group Policy
    /// `Registry.pol`.
    pub fn reg_or_pol(title: &str, file_name: &str) -> Self {
        FileRequest {
            title: title.to_string(),
            file_name: file_name.to_string(),
            filter: (
                crate::tr!("app-dialog-reg-pol-files"),
                vec!["reg".to_string(), "pol".to_string()],
            ),
        }
    }
}

/// Asks the user for a file. `None`: the user cancelled.
pub trait FileDialogs {
    /// A file to write (the dialog asks before replacing one).
    fn save_file(&self, request: &FileRequest) -> Option<PathBuf>;
    /// An existing file to read.
    fn open_file(&self, request: &FileRequest) -> Option<PathBuf>;
    /// An existing folder (a spool directory).
    fn open_folder(&self, title: &str) -> Option<PathBuf>;
    /// Show `path` in the file manager (Explorer with the file selected
    /// on Windows, its folder elsewhere).
    ///
    /// # Errors
    /// Why the file manager could not be started, in words.
    fn show_in_folder(&self, path: &std::path::Path) -> Result<(), String>;
}

/// The platform's dialogs, through rfd. They are modal: the window waits
/// while one is open, as every Windows application's Save dialog does.
#[derive(Clone, Copy, Debug, Default)]
pub struct NativeDialogs;

impl NativeDialogs {
    fn dialog(request: &FileRequest) -> rfd::FileDialog {
        let (label, exts) = &request.filter;
        rfd::FileDialog::new()
            .set_title(&request.title)
            .add_filter(label, exts)
            .add_filter(crate::tr!("app-dialog-all-files"), &["*"])
    }
}

impl FileDialogs for NativeDialogs {
    fn save_file(&self, request: &FileRequest) -> Option<PathBuf> {
        Self::dialog(request)
            .set_file_name(&request.file_name)
            .save_file()
    }

    fn open_file(&self, request: &FileRequest) -> Option<PathBuf> {
        Self::dialog(request).pick_file()
    }

    fn open_folder(&self, title: &str) -> Option<PathBuf> {
        rfd::FileDialog::new().set_title(title).pick_folder()
    }

    fn show_in_folder(&self, path: &std::path::Path) -> Result<(), String> {
        let mut cmd = if cfg!(windows) {
            let mut c = std::process::Command::new("explorer");
            // One argument, as Explorer parses it: `/select,PATH`.
            c.arg(format!("/select,{}", path.display()));
            c
        } else {
            let dir = path.parent().unwrap_or(path);
            let mut c = std::process::Command::new("xdg-open");
            c.arg(dir);
            c
        };
        cmd.stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map(drop)
            .map_err(|e| crate::tr!("app-dialog-file-manager-failed", error = e.to_string()))
    }
}

/// Dialogs that answer from a script, for tests: each call takes the next
/// answer (a path, or `None` for "cancelled"); with no answer left the
/// user cancels. Every request is kept for the test to inspect.
#[derive(Debug, Default)]
pub struct ScriptedDialogs {
    answers: Mutex<VecDeque<Option<PathBuf>>>,
    asked: Mutex<Vec<FileRequest>>,
    shown: Mutex<Vec<PathBuf>>,
}

impl ScriptedDialogs {
    /// No answers yet: every dialog is cancelled.
    pub fn new() -> Self {
        ScriptedDialogs::default()
    }

    /// Queue the next answer.
    pub fn answer(&self, path: Option<PathBuf>) {
        lock(&self.answers).push_back(path);
    }

    /// The requests made so far, oldest first.
    pub fn asked(&self) -> Vec<FileRequest> {
        lock(&self.asked).clone()
    }

    /// The paths "shown in folder" so far, oldest first.
    pub fn shown(&self) -> Vec<PathBuf> {
        lock(&self.shown).clone()
    }

    fn next(&self, request: &FileRequest) -> Option<PathBuf> {
        lock(&self.asked).push(request.clone());
        lock(&self.answers).pop_front().flatten()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl FileDialogs for ScriptedDialogs {
    fn save_file(&self, request: &FileRequest) -> Option<PathBuf> {
        self.next(request)
    }

    fn open_file(&self, request: &FileRequest) -> Option<PathBuf> {
        self.next(request)
    }

    fn open_folder(&self, title: &str) -> Option<PathBuf> {
        self.next(&FileRequest {
            title: title.to_string(),
            file_name: String::new(),
            filter: (String::new(), Vec::new()),
        })
    }

    fn show_in_folder(&self, path: &std::path::Path) -> Result<(), String> {
        lock(&self.shown).push(path.to_path_buf());
        Ok(())
    }
}

impl<T: FileDialogs + ?Sized> FileDialogs for std::sync::Arc<T> {
    fn save_file(&self, request: &FileRequest) -> Option<PathBuf> {
        (**self).save_file(request)
    }

    fn open_file(&self, request: &FileRequest) -> Option<PathBuf> {
        (**self).open_file(request)
    }

    fn open_folder(&self, title: &str) -> Option<PathBuf> {
        (**self).open_folder(title)
    }

    fn show_in_folder(&self, path: &std::path::Path) -> Result<(), String> {
        (**self).show_in_folder(path)
    }
}
