//! The Linux module lister: `/proc/PID/maps`, which lists every file
//! mapped into a process: its shared libraries, and for a Wine process the
//! PE DLLs Wine loaded (Wine's own `mapi32.dll` among them). Another
//! user's process cannot be read as non-root (`EACCES`): that is
//! [`ModulesError::AccessDenied`] for that process only.

use super::maps::parse_maps;
use super::{Module, ModuleLister, ModulesError};

/// Reads `/proc/PID/maps` (proc(5)).
#[derive(Clone, Copy, Debug, Default)]
pub struct ProcMapsLister;

impl ModuleLister for ProcMapsLister {
    fn modules(&self, pid: u32) -> Result<Vec<Module>, ModulesError> {
        let bytes =
            std::fs::read(format!("/proc/{pid}/maps")).map_err(|e| ModulesError::from_io(&e))?;
        let mut out = Vec::new();
        parse_maps(&bytes, &mut out);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_this_process_and_its_executable() {
        let modules = ProcMapsLister
            .modules(std::process::id())
            .expect("own maps");
        let exe = std::env::current_exe().expect("current exe");
        let exe = exe.to_string_lossy();
        assert!(
            modules.iter().any(|m| m.path == exe),
            "{exe} in {modules:#?}"
        );
    }

    #[test]
    fn a_process_that_does_not_exist_is_gone() {
        // Above the kernel's pid_max limit (2^22).
        assert_eq!(
            ProcMapsLister.modules(u32::MAX - 1),
            Err(ModulesError::Gone)
        );
    }
}
