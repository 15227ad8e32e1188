//! Directories and files the product creates for the user, made safe in
//! one place: a private directory (created 0700 on Unix, refused when it is
//! a symbolic link, not a directory, owned by another user, or writable by
//! its group or others) for the endpoint's socket, the spool and the policy
//! backups; a file written whole ([`write_atomically`]: reports, `.reg`
//! exports); a file written as a stream ([`create_private_stream`]: trace
//! files, recordings). Crates above this one (the policy backups,
//! recordings, reports) use it too; nothing points up.
//!
//! Neither follows a symbolic link at the destination: a whole file is
//! written to a temporary file in the same directory and renamed over the
//! destination, which replaces a link rather than what it points to; a
//! stream is opened with `O_NOFOLLOW` and refused when the destination is
//! a link.
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

/// The mode of a file written by [`write_atomically`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileMode {
    /// Readable by the user only (Unix 0600): traces, recordings, backups.
    Private,
    /// An ordinary file (Unix 0666 less the umask), or, when it replaces a
    /// regular file, that file's mode: reports, `.reg` exports.
    Shared,
}

/// Write `bytes` to `path` all at once: into a temporary file in the same
/// directory (created new, never following a link), flushed to disk, then
/// renamed over `path`. A failure leaves no partial file behind and an
/// existing `path` untouched; a symbolic link at `path` is replaced by the
/// file, never followed. The mode is `mode`'s (Unix).
///
/// # Errors
/// The I/O error (its message does not name the file: callers do).
pub fn write_atomically(path: &Path, bytes: &[u8], mode: FileMode) -> io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    #[cfg(unix)]
    let final_mode = {
        use std::os::unix::fs::PermissionsExt;
        match mode {
            FileMode::Private => Some(0o600),
            FileMode::Shared => std::fs::symlink_metadata(path)
                .ok()
                .filter(|m| m.is_file())
                .map(|m| m.permissions().mode() & 0o7777),
        }
    };
    let (tmp_path, mut file) = create_temp(dir, &name, mode)?;
    let written = (|| {
        #[cfg(unix)]
        if let Some(m) = final_mode {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(m))?;
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp_path, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp_path);
    }
    written
}

/// A new temporary file `.NAME.PID-N.tmp` in `dir` (`O_EXCL`: never an
/// existing file or link), created with `mode`'s bits.
fn create_temp(dir: &Path, name: &str, mode: FileMode) -> io::Result<(PathBuf, std::fs::File)> {
    let stem: String = name.chars().take(64).collect();
    let mut last = None;
    for n in 0..1000u32 {
        let tmp = dir.join(format!(".{stem}.{}-{n}.tmp", std::process::id()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(
            &mut options,
            match mode {
                FileMode::Private => 0o600,
                FileMode::Shared => 0o666,
            },
        );
        #[cfg(not(unix))]
        let _ = mode;
        match options.open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::from(io::ErrorKind::AlreadyExists)))
}

/// Create (or truncate) `path` for a stream written while the program
/// runs (a trace file, a recording), readable by the user only (Unix: 0600,
/// an existing file's mode set to it too).
///
/// A stream cannot go through a temporary file and a rename: it is read
/// while it grows (`tail -f`, a second `analyze`), and what a killed
/// process wrote must be there (`simulate --kill-after`, a `watch`
/// stopped hard). So the file is opened in place, but never through a
/// symbolic link: `O_NOFOLLOW` on Unix (the open fails with `ELOOP`), a
/// check of the path's own metadata on Windows; a link is refused with a
/// message that says so.
///
/// # Errors
/// The I/O error, its message naming `path`.
pub fn create_private_stream(path: &Path) -> io::Result<std::fs::File> {
    let named =
        |e: io::Error| io::Error::new(e.kind(), format!("cannot create {}: {e}", path.display()));
    let refuse_link = || {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "refusing to write {}: it is a symbolic link (remove it, or choose another file)",
                path.display()
            ),
        )
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    #[cfg(windows)]
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(refuse_link());
    }
    let file = match options.open(path) {
        Ok(f) => f,
        #[cfg(unix)]
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => return Err(refuse_link()),
        Err(e) => return Err(named(e)),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(named)?;
    }
    Ok(file)
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

    #[cfg(unix)]
    fn mode_of(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    #[test]
    fn write_atomically_replaces_a_symlink_and_keeps_a_replaced_files_mode() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let victim = tmp.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let link = tmp.path().join("out.html");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        write_atomically(&link, b"report", FileMode::Shared).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert!(
            !std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&link).unwrap(), "report");

        let kept = tmp.path().join("kept.csv");
        std::fs::write(&kept, "old").unwrap();
        std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&kept, b"new", FileMode::Shared).unwrap();
        assert_eq!(mode_of(&kept), 0o640);
        write_atomically(&kept, b"secret", FileMode::Private).unwrap();
        assert_eq!(mode_of(&kept), 0o600);
        let left: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_stream_is_private_and_never_follows_a_symlink() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let victim = tmp.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let link = tmp.path().join("rec.jsonl");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        let err = create_private_stream(&link).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");

        let new = tmp.path().join("new.jsonl");
        create_private_stream(&new).unwrap();
        assert_eq!(mode_of(&new), 0o600);
        let old = tmp.path().join("old.jsonl");
        std::fs::write(&old, "x").unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
        create_private_stream(&old).unwrap();
        assert_eq!(mode_of(&old), 0o600);
        assert_eq!(std::fs::read(&old).unwrap(), b"", "truncated");
    }

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
