//! Directories and files the product creates for the user, made safe in
//! one place: a private directory (created 0700 on Unix, refused when it is
//! a symbolic link, not a directory, owned by another user, or writable by
//! its group or others) for the endpoint's socket, the spool and the policy
//! backups. Crates above this one (the policy backups, recordings,
//! reports) use it too; nothing points up.
//!
//! On Windows a directory is only checked to be a real directory (not a
//! symbolic link or junction); the data directories live in the user's
//! profile, whose ACL admits the user, SYSTEM and the administrators.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Why a directory is not private to the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnsafeReason {
    /// The path is a symbolic link (or, on Windows, a reparse point).
    Symlink,
    /// The path is not a directory.
    NotADirectory,
    /// The directory belongs to another user (Unix uids).
    Owner {
        /// Its owner.
        owner: u32,
        /// This process's effective uid.
        me: u32,
    },
    /// Its group, or every user, may write to it (Unix mode bits).
    Writable {
        /// The mode, `0o7777` bits.
        mode: u32,
    },
}

impl fmt::Display for UnsafeReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnsafeReason::Symlink => f.write_str("it is a symbolic link"),
            UnsafeReason::NotADirectory => f.write_str("it is not a directory"),
            UnsafeReason::Owner { owner, me } => {
                write!(f, "it is owned by uid {owner}, not by you (uid {me})")
            }
            UnsafeReason::Writable { mode } => write!(
                f,
                "its mode is {mode:04o}: {} may write to it (it must be private to you, e.g. 0700)",
                if mode & 0o002 != 0 {
                    "every user"
                } else {
                    "its group"
                }
            ),
        }
    }
}

/// Why a private directory cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PrivateDirError {
    /// Creating or inspecting it failed.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What was being done (`create the directory`, `inspect the directory`).
        action: &'static str,
        /// The directory.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// It exists but is not private to the user.
    #[error("refusing to use {}: {reason}; remove it or choose another directory", dir.display())]
    Unsafe {
        /// The directory.
        dir: PathBuf,
        /// What is wrong with it.
        reason: UnsafeReason,
    },
}

/// Check that `dir` is a real directory (not a symbolic link), owned by
/// this user, that neither its group nor others may write to (Unix; on
/// Windows only the first part, see the module docs).
///
/// # Errors
/// [`PrivateDirError::Io`] when it cannot be inspected (a missing
/// directory included), [`PrivateDirError::Unsafe`] with the reason.
pub fn check_private_dir(dir: &Path) -> Result<(), PrivateDirError> {
    let meta = std::fs::symlink_metadata(dir).map_err(|source| PrivateDirError::Io {
        action: "inspect the directory",
        path: dir.to_path_buf(),
        source,
    })?;
    match problem(&meta) {
        None => Ok(()),
        Some(reason) => Err(PrivateDirError::Unsafe {
            dir: dir.to_path_buf(),
            reason,
        }),
    }
}

/// What makes a directory with metadata `meta` (not following links)
/// unsafe, if anything.
pub fn problem(meta: &std::fs::Metadata) -> Option<UnsafeReason> {
    if meta.file_type().is_symlink() {
        return Some(UnsafeReason::Symlink);
    }
    if !meta.is_dir() {
        return Some(UnsafeReason::NotADirectory);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let me = euid();
        if meta.uid() != me {
            return Some(UnsafeReason::Owner {
                owner: meta.uid(),
                me,
            });
        }
        let mode = meta.mode() & 0o7777;
        if mode & 0o022 != 0 {
            return Some(UnsafeReason::Writable { mode });
        }
    }
    #[cfg(windows)]
    {
        use std::os::windows::fs::MetadataExt;
        // FILE_ATTRIBUTE_REPARSE_POINT: a junction is not reported as a
        // symbolic link by `file_type`.
        if meta.file_attributes() & 0x400 != 0 {
            return Some(UnsafeReason::Symlink);
        }
    }
    None
}

/// Create `dir` when missing (with its missing parents; Unix: mode 0700
/// for each directory created), then [`check_private_dir`] it. An existing
/// directory's mode is not changed: one others may write to is refused.
///
/// # Errors
/// [`PrivateDirError`] naming the directory.
pub fn ensure_private_dir(dir: &Path) -> Result<(), PrivateDirError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    // `recursive` succeeds on an existing directory, and on a symbolic link
    // to one: the check below refuses the latter.
    if std::fs::symlink_metadata(dir).is_err() {
        builder.create(dir).map_err(|source| PrivateDirError::Io {
            action: "create the directory",
            path: dir.to_path_buf(),
            source,
        })?;
    }
    check_private_dir(dir)
}

/// The effective uid of this process.
#[cfg(unix)]
pub fn euid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_created_dir_is_private_and_checked() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a").join("b");
        ensure_private_dir(&dir).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        // Again: it exists, still fine.
        ensure_private_dir(&dir).unwrap();
        let file = tmp.path().join("f");
        std::fs::write(&file, "x").unwrap();
        let err = ensure_private_dir(&file).unwrap_err();
        assert!(err.to_string().contains("not a directory"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_dir_others_may_write_or_own_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("shared");
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        let err = ensure_private_dir(&dir).unwrap_err();
        assert!(
            matches!(&err, PrivateDirError::Unsafe { reason: UnsafeReason::Writable { mode }, .. } if *mode == 0o777),
            "{err}"
        );
        assert!(err.to_string().contains("every user may write"), "{err}");
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(tmp.path(), &link).unwrap();
        let err = ensure_private_dir(&link).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        if euid() == 0 {
            // As root, hand the directory to `nobody`: refused as foreign.
            let theirs = tmp.path().join("theirs");
            std::fs::create_dir(&theirs).unwrap();
            std::os::unix::fs::chown(&theirs, Some(65534), Some(65534)).unwrap();
            std::fs::set_permissions(&theirs, std::fs::Permissions::from_mode(0o700)).unwrap();
            let err = ensure_private_dir(&theirs).unwrap_err();
            assert!(
                matches!(
                    &err,
                    PrivateDirError::Unsafe {
                        reason: UnsafeReason::Owner { owner: 65534, .. },
                        ..
                    }
                ),
                "{err}"
            );
        }
    }
}
