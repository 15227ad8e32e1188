//! Getting the capture agent (crate `mapi-capture-agent`) into a MAPI
//! client: which files make up a capture installation and where they are
//! ([`AgentFiles`]), and, on Windows, loading the agent into a client
//! started suspended (`capture launch`) or already running (`capture
//! attach`), in either bitness (`inject`). A 64-bit tool cannot call a
//! 32-bit process's `LoadLibraryW`: the helper program of the other
//! bitness (`mapi-capture-helper`, built from this crate for
//! `i686-pc-windows-gnu`) does it.
//!
//! The named kernel objects it shares with the agent: the launch event
//! (`Local\mapi-capture-launch-<pid>`, whose presence tells the agent it
//! came first) and the ready event (`Local\mapi-capture-ready-<pid>`, set by
//! the agent once its hooks are in place). docs/capture.md explains both.

use std::path::{Path, PathBuf};

#[cfg(windows)]
pub mod inject;

/// The named event whose existence tells the agent it was loaded by
/// `capture launch` (before the client's first instruction).
pub fn launch_event_name(pid: u32) -> String {
    format!(r"Local\mapi-capture-launch-{pid}")
}

/// The named event the agent sets when its hooks are in place.
pub fn ready_event_name(pid: u32) -> String {
    format!(r"Local\mapi-capture-ready-{pid}")
}

/// The named mutex the first agent in process `pid` holds: a second
/// agent (another load, another copy) stands down, and the injector does
/// not load one into a process that has it.
pub fn agent_mutex_name(pid: u32) -> String {
    format!(r"Local\mapi-capture-agent-{pid}")
}

/// The agent DLL for a process of `bits` (32 or 64):
/// `mapi_capture_agent_x64.dll` or `mapi_capture_agent_x86.dll`.
pub fn agent_file_name(bits: u32) -> &'static str {
    if bits == 32 {
        "mapi_capture_agent_x86.dll"
    } else {
        "mapi_capture_agent_x64.dll"
    }
}

/// The helper program of `bits`: `mapi-capture-helper-x86.exe` or
/// `mapi-capture-helper-x64.exe`.
pub fn helper_file_name(bits: u32) -> &'static str {
    if bits == 32 {
        "mapi-capture-helper-x86.exe"
    } else {
        "mapi-capture-helper-x64.exe"
    }
}

/// The environment variable naming the directory of the agent files
/// (default: the directory of the running program, where the MSI
/// installs them).
pub const AGENT_DIR_ENV: &str = "MAPI_SHUTDOWN_AGENT_DIR";

/// Where the capture files are: one directory holding the agents and
/// helpers of both bitnesses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentFiles {
    /// The directory.
    pub dir: PathBuf,
}

/// A capture file that is not where it should be.
#[derive(Debug, thiserror::Error)]
#[error(
    "the {what} for {bits}-bit clients is missing: {path} does not exist \
     (reinstall mapi-shutdown, or set {AGENT_DIR_ENV} to the directory that holds {file})"
)]
pub struct MissingFile {
    /// `capture agent` or `capture helper`.
    pub what: &'static str,
    /// 32 or 64.
    pub bits: u32,
    /// The path looked for.
    pub path: PathBuf,
    /// Its file name.
    pub file: &'static str,
}

impl AgentFiles {
    /// The directory named by [`AGENT_DIR_ENV`], else `exe_dir`.
    pub fn locate(env_value: Option<&Path>, exe_dir: &Path) -> AgentFiles {
        AgentFiles {
            dir: env_value
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(exe_dir)
                .to_path_buf(),
        }
    }

    /// Where the running program's capture files are: [`AGENT_DIR_ENV`],
    /// else the program's own directory (where the MSI installs them).
    pub fn installed() -> AgentFiles {
        let exe_dir = std::env::current_exe()
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_else(|| PathBuf::from("."));
        AgentFiles::locate(
            std::env::var_os(AGENT_DIR_ENV).as_deref().map(Path::new),
            &exe_dir,
        )
    }

    /// The agent DLL for `bits`.
    ///
    /// # Errors
    /// [`MissingFile`] when it does not exist.
    pub fn agent(&self, bits: u32) -> Result<PathBuf, MissingFile> {
        self.existing("capture agent", bits, agent_file_name(bits))
    }

    /// The helper program for `bits`.
    ///
    /// # Errors
    /// [`MissingFile`] when it does not exist.
    pub fn helper(&self, bits: u32) -> Result<PathBuf, MissingFile> {
        self.existing("capture helper", bits, helper_file_name(bits))
    }

    fn existing(
        &self,
        what: &'static str,
        bits: u32,
        file: &'static str,
    ) -> Result<PathBuf, MissingFile> {
        let path = self.dir.join(file);
        if path.is_file() {
            Ok(path)
        } else {
            Err(MissingFile {
                what,
                bits,
                path,
                file,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_by_bitness_and_a_clear_message_when_missing() {
        let dir = std::env::temp_dir().join(format!("mapi-capture-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("mapi_capture_agent_x86.dll"), b"MZ").unwrap();
        let files = AgentFiles::locate(Some(&dir), Path::new("/nowhere"));
        assert_eq!(
            files.agent(32).unwrap(),
            dir.join("mapi_capture_agent_x86.dll")
        );
        let missing = files.agent(64).unwrap_err().to_string();
        assert!(missing.contains("64-bit"), "{missing}");
        assert!(missing.contains("mapi_capture_agent_x64.dll"), "{missing}");
        assert!(missing.contains(AGENT_DIR_ENV), "{missing}");
        assert!(files.helper(32).is_err());
        // No variable (or an empty one): the program's directory.
        assert_eq!(
            AgentFiles::locate(None, Path::new("/opt/m")).dir,
            Path::new("/opt/m")
        );
        assert_eq!(
            AgentFiles::locate(Some(Path::new("")), Path::new("/opt/m")).dir,
            Path::new("/opt/m")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn event_names_match_the_agent() {
        assert_eq!(launch_event_name(7), r"Local\mapi-capture-launch-7");
        assert_eq!(ready_event_name(7), r"Local\mapi-capture-ready-7");
        assert_eq!(agent_mutex_name(7), r"Local\mapi-capture-agent-7");
    }
}
