//! The local endpoint that instrumented clients send their trace to and the
//! monitor listens on. This module owns endpoint naming (`--endpoint NAME`,
//! [`ENDPOINT_ENV`]), the per-user location and its safety checks, and the
//! platform transport under it, through the `interprocess` crate: the
//! monitor's [`EndpointListener`] with its [`ServerConn`]s, and the client's
//! [`ClientStream`].
//!
//! - **Unix**: a socket file `NAME.sock` in a per-user directory,
//!   `$XDG_RUNTIME_DIR/mapi-shutdown/` when `XDG_RUNTIME_DIR` is set, else
//!   `<temp dir>/mapi-shutdown-<uid>/`, created with mode 0700. A NAME that
//!   contains a `/` is the socket file's path itself. The directory must be
//!   owned by the user and writable by nobody else, or it is refused (by
//!   the monitor and by clients alike: a client does not send its trace
//!   into someone else's directory). The socket file gets mode 0600. Never
//!   a Linux abstract ("namespaced") socket: those have no permissions.
//!   A lock file next to the socket (`NAME.sock.lock`) is held while a
//!   monitor listens; a socket file left by a monitor that crashed
//!   (connecting to it is refused) is detected and replaced.
//! - **Windows**: the named pipe `\\.\pipe\mapi-shutdown-<user SID>-NAME`
//!   (or a full `\\.\pipe\…` path given as NAME) whose security descriptor
//!   admits only the current user, SYSTEM and Administrators, and rejects
//!   remote clients. A second monitor cannot create the first instance of
//!   a pipe that exists.

use std::fmt;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use interprocess::local_socket::traits::{Listener as _, StreamCommon as _};
use interprocess::local_socket::{
    GenericFilePath, Listener, ListenerNonblockingMode, ListenerOptions, Stream, ToFsName,
};

/// The environment variable naming the endpoint, like `--endpoint NAME`.
pub const ENDPOINT_ENV: &str = "MAPI_SHUTDOWN_ENDPOINT";

/// The endpoint name used when none is given.
pub const DEFAULT_NAME: &str = "monitor";

/// The longest endpoint NAME (characters), when it is a name, not a path.
pub const MAX_NAME_LEN: usize = 64;

/// The longest Unix socket path the OS accepts, in bytes (`sun_path` less
/// its terminating NUL).
#[cfg(any(target_os = "linux", target_os = "android"))]
pub const MAX_SOCKET_PATH: usize = 107;
/// The longest Unix socket path the OS accepts, in bytes (`sun_path` less
/// its terminating NUL).
#[cfg(all(unix, not(any(target_os = "linux", target_os = "android"))))]
pub const MAX_SOCKET_PATH: usize = 103;

/// Why an endpoint cannot be named, listened on or connected to. Every
/// variant names the endpoint, directory or path concerned.
#[derive(Debug, thiserror::Error)]
pub enum EndpointError {
    /// The NAME is not a valid endpoint name.
    #[error(
        "invalid endpoint name {name:?}: {reason} (a name is 1 to {MAX_NAME_LEN} of A-Z a-z 0-9 . _ -, not starting with '.'; or a path)"
    )]
    InvalidName {
        /// The name given.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The socket path is longer than the OS allows.
    #[error(
        "endpoint path {path} is {len} bytes long; Unix socket paths are limited to {max} bytes: choose a shorter path"
    )]
    PathTooLong {
        /// The path.
        path: PathBuf,
        /// Its length in bytes.
        len: usize,
        /// The limit in bytes.
        max: usize,
    },
    /// The directory of the socket is not private to the user.
    #[error("refusing to use {dir} for the monitor endpoint: {reason}")]
    UnsafeDir {
        /// The directory.
        dir: PathBuf,
        /// Why it is refused.
        reason: String,
    },
    /// Another process is listening on the endpoint: another monitor of
    /// this user, or (see [`Holder::foreign`]) another user's process.
    #[error("{}", in_use_message(endpoint, holder.as_ref()))]
    InUse {
        /// The endpoint.
        endpoint: String,
        /// Whose process holds it, when the OS tells.
        holder: Option<Holder>,
    },
    /// The process listening on the endpoint does not run as this user: a
    /// client refuses to send it anything (it could be posing as the
    /// monitor to read every client's trace). The records go to the spool
    /// when one is configured.
    #[error(
        "another user's process holds the endpoint {endpoint} ({holder}): nothing was sent to it; find that process and stop it (an administrator can), or use another --endpoint NAME"
    )]
    ForeignServer {
        /// The endpoint.
        endpoint: String,
        /// Who holds it.
        holder: Holder,
    },
    /// Something that is not a socket sits where the socket file goes.
    #[error("{path} exists and is not a socket: refusing to replace it")]
    NotASocket {
        /// The path.
        path: PathBuf,
    },
    /// A file-system operation on the endpoint's directory or files failed.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// What was being done: `create the directory`, `inspect`, …
        action: &'static str,
        /// The path concerned.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// The current user's identity (Windows SID) could not be read.
    #[error("cannot determine the current user's security identifier: {0}")]
    User(#[source] io::Error),
    /// Creating the listener failed.
    #[error("cannot listen on {endpoint}: {source}")]
    Listen {
        /// The endpoint.
        endpoint: String,
        /// The OS error.
        source: io::Error,
    },
    /// Connecting to the endpoint failed (no monitor, or it is busy).
    #[error("cannot connect to {endpoint}: {source}")]
    Connect {
        /// The endpoint.
        endpoint: String,
        /// The OS error.
        source: io::Error,
    },
}

/// The process on the other end of an endpoint, as the OS reports it
/// (Unix: `SO_PEERCRED`; Windows: `GetNamedPipeServerProcessId` and the
/// process token's user).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holder {
    /// Its process id, when known.
    pub pid: Option<u32>,
    /// Its user: `uid 1001` on Unix, the SID (`S-1-5-21-…`) on Windows;
    /// `None` when it could not be read (then it counts as foreign).
    pub user: Option<String>,
    /// True when it runs as another user than this process (or its user
    /// could not be read).
    pub foreign: bool,
}

impl fmt::Display for Holder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `uid 1001` says what it is; a SID reads better as `user S-1-…`.
        let user = self.user.as_ref().map(|u| {
            if u.starts_with("uid ") {
                u.clone()
            } else {
                format!("user {u}")
            }
        });
        match (self.pid, user) {
            (Some(pid), Some(user)) => write!(f, "pid {pid}, {user}"),
            (Some(pid), None) => write!(f, "pid {pid}, user unknown"),
            (None, Some(user)) => f.write_str(&user),
            (None, None) => f.write_str("owner unknown"),
        }
    }
}

/// The message of [`EndpointError::InUse`]: whose process holds it, when
/// known.
fn in_use_message(endpoint: &str, holder: Option<&Holder>) -> String {
    match holder {
        Some(h) if h.foreign => format!(
            "another user's process holds the endpoint {endpoint} ({h}): clients will not send it anything; find that process and stop it (an administrator can), or choose another --endpoint NAME"
        ),
        Some(h) => format!(
            "another monitor is already listening on {endpoint} ({h}; stop it, or choose another --endpoint NAME)"
        ),
        None => format!(
            "another monitor is already listening on {endpoint} (stop it, or choose another --endpoint NAME)"
        ),
    }
}

impl EndpointError {
    /// True when the error only means "no monitor is listening" (nothing
    /// to report loudly to a client).
    pub fn is_no_monitor(&self) -> bool {
        match self {
            // The per-user directory does not exist: no monitor ever ran.
            EndpointError::Io { source, .. } => source.kind() == io::ErrorKind::NotFound,
            EndpointError::Connect { source, .. } => matches!(
                source.kind(),
                io::ErrorKind::NotFound
                    | io::ErrorKind::ConnectionRefused
                    | io::ErrorKind::TimedOut
                    | io::ErrorKind::WouldBlock
            ),
            _ => false,
        }
    }
}

/// A resolved endpoint: where a monitor listens and clients connect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// Unix: the socket file. Windows: the pipe path `\\.\pipe\…`.
    path: PathBuf,
    /// Unix: the directory holding the socket, checked before use.
    #[cfg(unix)]
    dir: PathBuf,
    /// Unix: whether `dir` is the per-user directory that the monitor may
    /// create (not a directory the user named).
    #[cfg(unix)]
    create_dir: bool,
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())
    }
}

/// Check a plain endpoint name (not a path).
fn validate_name(name: &str) -> Result<(), EndpointError> {
    let bad = |reason: &str| EndpointError::InvalidName {
        name: name.to_string(),
        reason: reason.to_string(),
    };
    if name.is_empty() {
        return Err(bad("it is empty"));
    }
    if name.chars().count() > MAX_NAME_LEN {
        return Err(bad("it is too long"));
    }
    if name.starts_with('.') {
        return Err(bad("it starts with '.'"));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Err(bad(&format!("it contains {c:?}")));
    }
    Ok(())
}

impl Endpoint {
    /// The endpoint for `--endpoint NAME`; `None` (or an empty name) means
    /// [`Endpoint::default_for_user`]. See the module docs for how a NAME
    /// maps to a socket file or a pipe.
    ///
    /// # Errors
    /// [`EndpointError::InvalidName`] for a malformed name,
    /// [`EndpointError::PathTooLong`] for a socket path over the OS limit,
    /// [`EndpointError::User`] when the user's identity cannot be read.
    pub fn from_name(name: Option<&str>) -> Result<Endpoint, EndpointError> {
        match name {
            None | Some("") => Self::default_for_user(),
            Some(n) => Self::resolve(n, None),
        }
    }

    /// The endpoint named by [`ENDPOINT_ENV`], else the default.
    ///
    /// # Errors
    /// As [`Endpoint::from_name`].
    pub fn from_env() -> Result<Endpoint, EndpointError> {
        let value = std::env::var(ENDPOINT_ENV).ok();
        Self::from_name(value.as_deref())
    }

    /// The user's default endpoint ([`DEFAULT_NAME`]).
    ///
    /// # Errors
    /// As [`Endpoint::from_name`].
    pub fn default_for_user() -> Result<Endpoint, EndpointError> {
        Self::resolve(DEFAULT_NAME, None)
    }

    /// The endpoint NAME (default [`DEFAULT_NAME`]) in the per-user
    /// directory under `runtime_dir` instead of `$XDG_RUNTIME_DIR` (Unix:
    /// `runtime_dir/mapi-shutdown/NAME.sock`). On Windows `runtime_dir` is
    /// ignored. For tests, and for callers that keep their own runtime
    /// directory.
    ///
    /// # Errors
    /// As [`Endpoint::from_name`].
    pub fn in_runtime_dir(
        runtime_dir: &Path,
        name: Option<&str>,
    ) -> Result<Endpoint, EndpointError> {
        let name = name.filter(|n| !n.is_empty()).unwrap_or(DEFAULT_NAME);
        Self::resolve(name, Some(runtime_dir))
    }

    #[cfg(unix)]
    fn resolve(name: &str, runtime_dir: Option<&Path>) -> Result<Endpoint, EndpointError> {
        let endpoint = if name.contains('/') {
            let path = std::path::absolute(name).map_err(|e| EndpointError::InvalidName {
                name: name.to_string(),
                reason: format!("cannot make it an absolute path: {e}"),
            })?;
            let Some(dir) = path.parent().map(Path::to_path_buf) else {
                return Err(EndpointError::InvalidName {
                    name: name.to_string(),
                    reason: "the path has no directory".to_string(),
                });
            };
            if path.file_name().is_none() {
                return Err(EndpointError::InvalidName {
                    name: name.to_string(),
                    reason: "the path has no file name".to_string(),
                });
            }
            Endpoint {
                path,
                dir,
                create_dir: false,
            }
        } else {
            validate_name(name)?;
            let dir = match runtime_dir {
                Some(base) => base.join("mapi-shutdown"),
                None => unix::per_user_dir(
                    std::env::var_os("XDG_RUNTIME_DIR").as_deref(),
                    &std::env::temp_dir(),
                    unix::euid(),
                ),
            };
            Endpoint {
                path: dir.join(format!("{name}.sock")),
                dir,
                create_dir: true,
            }
        };
        let len = endpoint.path.as_os_str().len();
        if len > MAX_SOCKET_PATH {
            return Err(EndpointError::PathTooLong {
                path: endpoint.path,
                len,
                max: MAX_SOCKET_PATH,
            });
        }
        Ok(endpoint)
    }

    #[cfg(windows)]
    fn resolve(name: &str, _runtime_dir: Option<&Path>) -> Result<Endpoint, EndpointError> {
        const PREFIX: &str = r"\\.\pipe\";
        if name.contains('\\') || name.contains('/') {
            let is_pipe = name.len() > PREFIX.len()
                && name.is_char_boundary(PREFIX.len())
                && name[..PREFIX.len()].eq_ignore_ascii_case(PREFIX)
                && !name[PREFIX.len()..].contains(['\\', '/']);
            if !is_pipe {
                return Err(EndpointError::InvalidName {
                    name: name.to_string(),
                    reason: format!("a path must be a local pipe, {PREFIX}NAME"),
                });
            }
            return Ok(Endpoint {
                path: PathBuf::from(name),
            });
        }
        validate_name(name)?;
        let sid = windows::current_user_sid().map_err(EndpointError::User)?;
        Ok(Endpoint {
            path: PathBuf::from(format!(r"{PREFIX}mapi-shutdown-{sid}-{name}")),
        })
    }

    /// Unix: the socket file. Windows: the pipe path (`\\.\pipe\…`).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Start listening: the monitor's side. Unix: creates the per-user
    /// directory (0700) if needed, checks it, takes the lock file, replaces
    /// a stale socket file, binds with mode 0600. Windows: creates the
    /// pipe's first instance with a security descriptor for the current
    /// user, SYSTEM and Administrators only.
    ///
    /// # Errors
    /// [`EndpointError::InUse`] when another monitor listens there;
    /// [`EndpointError::UnsafeDir`] for a directory that is not the user's
    /// own or that others may write to; [`EndpointError::NotASocket`],
    /// [`EndpointError::Io`], [`EndpointError::Listen`] otherwise.
    pub fn listen(&self) -> Result<EndpointListener, EndpointError> {
        #[cfg(unix)]
        {
            unix::listen(self)
        }
        #[cfg(windows)]
        {
            windows::listen(self)
        }
    }

    /// Connect to a listening monitor: the client's side. Waits at most
    /// `timeout` for a busy endpoint (Unix: connecting is immediate or
    /// fails; Windows: a busy pipe is waited for up to `timeout`). Unix:
    /// the directory is checked first, and a directory that is not the
    /// user's own is refused.
    ///
    /// # Errors
    /// [`EndpointError::Connect`] when no monitor listens (see
    /// [`EndpointError::is_no_monitor`]) or the connection fails;
    /// [`EndpointError::UnsafeDir`] / [`EndpointError::Io`] for the
    /// directory check.
    pub fn connect(&self, timeout: Duration) -> Result<ClientStream, EndpointError> {
        #[cfg(unix)]
        {
            unix::connect(self, timeout)
        }
        #[cfg(windows)]
        {
            windows::connect(self, timeout)
        }
    }
}

/// A listening endpoint (the monitor's). Accepting does not block: it
/// answers `Ok(None)` when no client is waiting. Dropping it removes the
/// socket file (Unix) and releases the lock.
#[derive(Debug)]
pub struct EndpointListener {
    listener: Listener,
    endpoint: Endpoint,
    replaced_stale: bool,
    /// Unix: the lock file held while listening (released on drop, after
    /// the listener removed the socket file).
    #[cfg(unix)]
    _lock: std::fs::File,
}

impl EndpointListener {
    /// The endpoint listened on.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// True when a socket file left by a monitor that did not exit cleanly
    /// was found and replaced.
    pub fn replaced_stale(&self) -> bool {
        self.replaced_stale
    }

    /// Wait at most `timeout` for a client to be waiting (Unix: returns as
    /// soon as one is; Windows: sleeps `timeout`, the pipe listener has
    /// nothing to wait on without accepting).
    pub fn wait(&self, timeout: Duration) {
        #[cfg(unix)]
        {
            unix::wait_readable(&self.listener, timeout);
        }
        #[cfg(windows)]
        {
            std::thread::sleep(timeout);
        }
    }

    /// Take a waiting client, if any; never blocks.
    ///
    /// # Errors
    /// The OS error of `accept` (other than "nothing waiting").
    pub fn accept(&self) -> io::Result<Option<ServerConn>> {
        match self.listener.accept() {
            Ok(stream) => Ok(Some(ServerConn::new(stream)?)),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// One accepted client connection, read by the monitor (blocking reads).
/// Its [`ConnCloser`] ends a blocked read from another thread.
pub struct ServerConn {
    stream: Stream,
    peer_pid: Option<u32>,
    peer_uid: Option<u32>,
    #[cfg(windows)]
    handle: std::sync::Arc<std::sync::Mutex<Option<usize>>>,
    #[cfg(unix)]
    closer_dup: std::os::unix::net::UnixStream,
}

impl fmt::Debug for ServerConn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerConn")
            .field("peer_pid", &self.peer_pid)
            .field("peer_uid", &self.peer_uid)
            .finish_non_exhaustive()
    }
}

impl ServerConn {
    fn new(stream: Stream) -> io::Result<ServerConn> {
        // Accepted streams are blocking (the listener is non-blocking for
        // accept only), but say so: a reader relies on it.
        interprocess::local_socket::traits::Stream::set_nonblocking(&stream, false)?;
        let creds = stream.peer_creds().ok();
        let pid = creds.as_ref().and_then(|c| c.pid());
        // pid_t (i32) on Unix, u32 on Windows.
        #[cfg(unix)]
        let peer_pid = pid.and_then(|p| u32::try_from(p).ok());
        #[cfg(windows)]
        let peer_pid = pid;
        #[cfg(unix)]
        let peer_uid = creds.as_ref().and_then(|c| c.euid());
        #[cfg(windows)]
        let peer_uid = None;
        #[cfg(unix)]
        {
            let closer_dup = unix::dup_stream(&stream)?;
            Ok(ServerConn {
                stream,
                peer_pid,
                peer_uid,
                closer_dup,
            })
        }
        #[cfg(windows)]
        {
            let handle = windows::raw_handle(&stream);
            Ok(ServerConn {
                stream,
                peer_pid,
                peer_uid,
                handle: std::sync::Arc::new(std::sync::Mutex::new(Some(handle))),
            })
        }
    }

    /// The client's process id, when the OS tells.
    pub fn peer_pid(&self) -> Option<u32> {
        self.peer_pid
    }

    /// Unix: the client's effective uid, when the OS tells.
    pub fn peer_uid(&self) -> Option<u32> {
        self.peer_uid
    }

    /// Whether the monitor may take this client. Unix: it runs as this
    /// user (or as root), by the uid the OS reported. Windows: the pipe's
    /// security descriptor admits only this user, SYSTEM and
    /// Administrators, and the OS named the client's process. A client the
    /// OS cannot identify (no credentials) is not trusted.
    pub fn peer_is_trusted(&self) -> bool {
        #[cfg(unix)]
        {
            uid_is_trusted(self.peer_uid, unix::euid())
        }
        #[cfg(windows)]
        {
            self.peer_pid.is_some()
        }
    }

    /// A handle that ends this connection from another thread.
    ///
    /// # Errors
    /// Unix: the OS error of duplicating the socket.
    pub fn closer(&self) -> io::Result<ConnCloser> {
        #[cfg(unix)]
        {
            Ok(ConnCloser {
                dup: self.closer_dup.try_clone()?,
            })
        }
        #[cfg(windows)]
        {
            Ok(ConnCloser {
                handle: std::sync::Arc::clone(&self.handle),
            })
        }
    }
}

impl Read for ServerConn {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.read(buf)
    }
}

#[cfg(windows)]
impl Drop for ServerConn {
    fn drop(&mut self) {
        // Forget the raw handle before the stream closes it, so a closer
        // never touches a closed (or reused) handle.
        match self.handle.lock() {
            Ok(mut g) => *g = None,
            Err(poisoned) => *poisoned.into_inner() = None,
        }
    }
}

/// Whether a client of uid `peer` may feed a monitor running as `me`:
/// the same user or root; not one whose uid the OS did not report.
#[cfg(unix)]
fn uid_is_trusted(peer: Option<u32>, me: u32) -> bool {
    peer.is_some_and(|uid| uid == me || uid == 0)
}

/// Ends a [`ServerConn`] from another thread: a blocked read returns
/// (end of stream or an error) and the client's next write fails.
#[derive(Debug)]
pub struct ConnCloser {
    #[cfg(unix)]
    dup: std::os::unix::net::UnixStream,
    #[cfg(windows)]
    handle: std::sync::Arc<std::sync::Mutex<Option<usize>>>,
}

impl ConnCloser {
    /// Shut the connection down. Idempotent; does nothing once the
    /// connection is gone.
    pub fn close(&self) {
        #[cfg(unix)]
        {
            // The socket may already be closed by the peer: nothing to do.
            let _ = self.dup.shutdown(std::net::Shutdown::Both);
        }
        #[cfg(windows)]
        {
            let guard = match self.handle.lock() {
                Ok(g) => g,
                Err(poisoned) => poisoned.into_inner(),
            };
            if let Some(h) = *guard {
                windows::disconnect_and_cancel(h);
            }
        }
    }
}

/// The client's connection to a monitor (write side).
#[derive(Debug)]
pub struct ClientStream {
    #[cfg(unix)]
    stream: Stream,
    #[cfg(windows)]
    stream: interprocess::os::windows::named_pipe::DuplexPipeStream<
        interprocess::os::windows::named_pipe::pipe_mode::Bytes,
    >,
}

impl ClientStream {
    /// Unix: fail a write that makes no progress for `timeout` (a stalled
    /// monitor) instead of blocking forever. Windows pipes have no write
    /// timeout: a no-op there.
    ///
    /// # Errors
    /// The OS error of setting the timeout.
    pub fn set_write_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        #[cfg(unix)]
        {
            interprocess::local_socket::traits::Stream::set_send_timeout(&self.stream, timeout)
        }
        #[cfg(windows)]
        {
            let _ = timeout;
            Ok(())
        }
    }
}

impl Write for ClientStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.stream.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
}

fn listener_options(path: &Path) -> io::Result<ListenerOptions<'_>> {
    let name = path.to_fs_name::<GenericFilePath>()?;
    Ok(ListenerOptions::new()
        .name(name)
        .nonblocking(ListenerNonblockingMode::Accept)
        .reclaim_name(true)
        .try_overwrite(false))
}

#[cfg(unix)]
mod unix {
    //! Unix: per-user directory, its checks, lock file, stale sockets.

    use std::fs;
    use std::io::{self, Write};
    use std::os::fd::AsFd;
    use std::os::unix::fs::{DirBuilderExt, FileTypeExt, MetadataExt, OpenOptionsExt};
    use std::os::unix::net::UnixStream;
    use std::path::{Path, PathBuf};
    use std::time::Duration;

    use interprocess::ConnectWaitMode;
    use interprocess::local_socket::{ConnectOptions, GenericFilePath, Stream, ToFsName};
    use interprocess::os::unix::local_socket::ListenerOptionsExt;

    use super::{
        ClientStream, Endpoint, EndpointError, EndpointListener, Holder, listener_options,
    };

    /// The process at the other end of the connected socket `fd`
    /// (`SO_PEERCRED` on Linux: the pid and uid it had when it called
    /// `listen` or `connect`; `getpeereid` elsewhere: the uid only), and
    /// whether its uid is not this process's effective uid.
    pub(super) fn peer_holder(fd: std::os::fd::BorrowedFd<'_>) -> Holder {
        let (pid, uid) = peer_ids(fd);
        holder_of(pid, uid, euid())
    }

    /// [`Holder`] of a peer with `pid` and `uid` as seen by a process of
    /// effective uid `me`: foreign unless its uid is known and equal.
    pub(super) fn holder_of(pid: Option<u32>, uid: Option<u32>, me: u32) -> Holder {
        Holder {
            pid,
            user: uid.map(|u| format!("uid {u}")),
            foreign: uid != Some(me),
        }
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    fn peer_ids(fd: std::os::fd::BorrowedFd<'_>) -> (Option<u32>, Option<u32>) {
        use std::os::fd::AsRawFd;
        let mut cred = libc::ucred {
            pid: 0,
            uid: 0,
            gid: 0,
        };
        let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
        // SAFETY: `cred` and `len` are valid for writes of the sizes
        // given; the descriptor is borrowed, so open for the call.
        let rc = unsafe {
            libc::getsockopt(
                fd.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_PEERCRED,
                (&raw mut cred).cast(),
                &mut len,
            )
        };
        if rc != 0 || len as usize != std::mem::size_of::<libc::ucred>() {
            return (None, None);
        }
        (
            u32::try_from(cred.pid).ok().filter(|p| *p != 0),
            Some(cred.uid),
        )
    }

    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    fn peer_ids(fd: std::os::fd::BorrowedFd<'_>) -> (Option<u32>, Option<u32>) {
        use std::os::fd::AsRawFd;
        let (mut uid, mut gid) = (0, 0);
        // SAFETY: both out-pointers are valid; the descriptor is borrowed.
        if unsafe { libc::getpeereid(fd.as_raw_fd(), &mut uid, &mut gid) } != 0 {
            return (None, None);
        }
        (None, Some(uid))
    }

    /// Who holds the lock file at `path`: the pid its monitor wrote in it,
    /// the user that owns it.
    fn lock_holder(path: &Path) -> Option<Holder> {
        let meta = fs::symlink_metadata(path).ok()?;
        let pid = fs::read_to_string(path)
            .ok()
            .and_then(|t| t.trim().parse::<u32>().ok());
        Some(holder_of(pid, Some(meta.uid()), euid()))
    }

    /// Who listens on the socket at `path`, when connecting to it works.
    fn holder_at(path: &Path) -> Option<Holder> {
        UnixStream::connect(path)
            .ok()
            .map(|s| peer_holder(s.as_fd()))
    }

    pub(super) use crate::files::euid;

    /// `$XDG_RUNTIME_DIR/mapi-shutdown` when set to an absolute path, else
    /// `<temp>/mapi-shutdown-<uid>`.
    pub(super) fn per_user_dir(
        xdg_runtime_dir: Option<&std::ffi::OsStr>,
        temp: &Path,
        uid: u32,
    ) -> PathBuf {
        match xdg_runtime_dir {
            Some(x) if !x.is_empty() && Path::new(x).is_absolute() => {
                Path::new(x).join("mapi-shutdown")
            }
            _ => temp.join(format!("mapi-shutdown-{uid}")),
        }
    }

    /// The directory must be a real directory (not a symlink), owned by
    /// this user, with no group or other write permission
    /// ([`crate::files::check_private_dir`]).
    pub(super) fn check_dir(dir: &Path) -> Result<(), EndpointError> {
        use crate::files::{PrivateDirError, UnsafeReason, check_private_dir};
        check_private_dir(dir).map_err(|e| match e {
            PrivateDirError::Io {
                action,
                path,
                source,
            } => EndpointError::Io {
                action,
                path,
                source,
            },
            PrivateDirError::Unsafe { dir, reason } => {
                let reason = match reason {
                    UnsafeReason::Owner { .. } => format!(
                        "{reason}; remove it, or use another directory (XDG_RUNTIME_DIR, or --endpoint with a path)"
                    ),
                    other => other.to_string(),
                };
                EndpointError::UnsafeDir { dir, reason }
            }
        })
    }

    fn ensure_dir(endpoint: &Endpoint) -> Result<(), EndpointError> {
        if endpoint.create_dir {
            match fs::DirBuilder::new().mode(0o700).create(&endpoint.dir) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(source) => {
                    return Err(EndpointError::Io {
                        action: "create the directory",
                        path: endpoint.dir.clone(),
                        source,
                    });
                }
            }
        }
        check_dir(&endpoint.dir)
    }

    pub(super) fn listen(endpoint: &Endpoint) -> Result<EndpointListener, EndpointError> {
        ensure_dir(endpoint)?;
        let in_use = |holder: Option<Holder>| EndpointError::InUse {
            endpoint: endpoint.to_string(),
            holder,
        };

        let mut lock_path = endpoint.path.clone().into_os_string();
        lock_path.push(".lock");
        let lock_path = PathBuf::from(lock_path);
        let lock = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(&lock_path)
            .map_err(|source| EndpointError::Io {
                action: "open the lock file",
                path: lock_path.clone(),
                source,
            })?;
        match lock.try_lock() {
            Ok(()) => {
                // Say who holds it, for a second monitor's message (read
                // from the file, not by connecting: a connection would
                // count as a client of this monitor).
                let mut f = &lock;
                let _ = f
                    .set_len(0)
                    .and_then(|()| writeln!(f, "{}", std::process::id()));
            }
            Err(fs::TryLockError::WouldBlock) => return Err(in_use(lock_holder(&lock_path))),
            Err(fs::TryLockError::Error(source)) => {
                return Err(EndpointError::Io {
                    action: "lock",
                    path: lock_path,
                    source,
                });
            }
        }

        // We hold the lock: a socket file here is a live monitor of a
        // build without the lock (refuse) or a stale one (replace).
        let mut replaced_stale = false;
        match fs::symlink_metadata(&endpoint.path) {
            Ok(meta) if meta.file_type().is_socket() => match UnixStream::connect(&endpoint.path) {
                Ok(s) => return Err(in_use(Some(peer_holder(s.as_fd())))),
                Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => {
                    fs::remove_file(&endpoint.path).map_err(|source| EndpointError::Io {
                        action: "remove the stale socket",
                        path: endpoint.path.clone(),
                        source,
                    })?;
                    replaced_stale = true;
                }
                Err(source) => {
                    return Err(EndpointError::Io {
                        action: "probe the existing socket",
                        path: endpoint.path.clone(),
                        source,
                    });
                }
            },
            Ok(_) => {
                return Err(EndpointError::NotASocket {
                    path: endpoint.path.clone(),
                });
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(EndpointError::Io {
                    action: "inspect",
                    path: endpoint.path.clone(),
                    source,
                });
            }
        }

        let listen_error = |source: io::Error| {
            if source.kind() == io::ErrorKind::AddrInUse {
                in_use(holder_at(&endpoint.path))
            } else {
                EndpointError::Listen {
                    endpoint: endpoint.to_string(),
                    source,
                }
            }
        };
        let listener = listener_options(&endpoint.path)
            .map_err(listen_error)?
            .mode(0o600)
            .create_sync()
            .map_err(listen_error)?;
        Ok(EndpointListener {
            listener,
            endpoint: endpoint.clone(),
            replaced_stale,
            _lock: lock,
        })
    }

    pub(super) fn connect(
        endpoint: &Endpoint,
        timeout: Duration,
    ) -> Result<ClientStream, EndpointError> {
        check_dir(&endpoint.dir)?;
        let connect_error = |source: io::Error| EndpointError::Connect {
            endpoint: endpoint.to_string(),
            source,
        };
        let name = endpoint
            .path
            .as_path()
            .to_fs_name::<GenericFilePath>()
            .map_err(connect_error)?;
        let stream = ConnectOptions::new()
            .name(name)
            .wait_mode(ConnectWaitMode::Timeout(timeout))
            .connect_sync()
            .map_err(connect_error)?;
        // Who listens: the directory check above is a moment old, and a
        // process of another user (root) could hold the socket. Nothing is
        // written before this check.
        let holder = match &stream {
            Stream::UdSocket(s) => peer_holder(s.as_fd()),
        };
        if holder.foreign {
            return Err(EndpointError::ForeignServer {
                endpoint: endpoint.to_string(),
                holder,
            });
        }
        Ok(ClientStream { stream })
    }

    /// Wait until the listening socket is readable (a client waits) or
    /// `timeout` passes.
    pub(super) fn wait_readable(
        listener: &interprocess::local_socket::Listener,
        timeout: Duration,
    ) {
        use std::os::fd::AsRawFd;
        let fd = match listener {
            interprocess::local_socket::Listener::UdSocket(l) => l.as_fd().as_raw_fd(),
        };
        let mut pfd = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = libc::c_int::try_from(timeout.as_millis()).unwrap_or(libc::c_int::MAX);
        // SAFETY: one valid pollfd for a descriptor the listener owns.
        // An error or EINTR only ends the wait early.
        unsafe {
            libc::poll(&mut pfd, 1, ms);
        }
    }

    /// A duplicate of the accepted socket, to shut it down from another
    /// thread (shutdown acts on the socket, whichever descriptor).
    pub(super) fn dup_stream(stream: &Stream) -> io::Result<UnixStream> {
        let fd = match stream {
            Stream::UdSocket(s) => s.as_fd().try_clone_to_owned()?,
        };
        Ok(UnixStream::from(fd))
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use std::ffi::OsStr;
        use std::os::fd::AsRawFd;
        use std::os::unix::fs::MetadataExt;

        #[test]
        fn per_user_dir_prefers_an_absolute_xdg_runtime_dir() {
            let tmp = Path::new("/tmp");
            assert_eq!(
                per_user_dir(Some(OsStr::new("/run/user/1000")), tmp, 1000),
                Path::new("/run/user/1000/mapi-shutdown")
            );
            assert_eq!(
                per_user_dir(Some(OsStr::new("relative")), tmp, 1000),
                Path::new("/tmp/mapi-shutdown-1000")
            );
            assert_eq!(
                per_user_dir(Some(OsStr::new("")), tmp, 7),
                Path::new("/tmp/mapi-shutdown-7")
            );
            assert_eq!(
                per_user_dir(None, tmp, 7),
                Path::new("/tmp/mapi-shutdown-7")
            );
        }

        /// A monitor that goes away mid-stream: what reached it and what
        /// was dropped add up to what the client wrote (the declarations
        /// kept for a spool file are not dropped a second time).
        #[test]
        fn a_monitor_that_goes_away_leaves_counts_that_add_up() {
            use crate::sink::Sink;
            let tmp = tempfile::tempdir().unwrap();
            let endpoint = Endpoint::in_runtime_dir(tmp.path(), Some("away")).unwrap();
            let listener = endpoint.listen().unwrap();
            let mut sink = crate::socket::SocketSink::connect(&endpoint, None);
            let conn = loop {
                if let Some(c) = listener.accept().unwrap() {
                    break c;
                }
                std::thread::sleep(Duration::from_millis(5));
            };
            let records: Vec<crate::Record> =
                include_str!("../../../tests/data/live/outlook-2016-exchange-pst-oab.jsonl")
                    .lines()
                    .zip(1..)
                    .map(|(line, n)| crate::codec::decode_line(line.as_bytes(), n).unwrap())
                    .collect();
            let (before, after) = records.split_at(records.len() / 2);
            for r in before {
                sink.write(r).unwrap();
            }
            sink.flush().unwrap();
            drop(conn);
            drop(listener);
            for r in after {
                sink.write(r).unwrap();
            }
            sink.flush().unwrap();
            let delivery = sink.status().get();
            let crate::socket::Delivery::Dropped {
                to_monitor,
                dropped,
                ..
            } = delivery
            else {
                panic!("{delivery:?}");
            };
            assert_eq!(to_monitor, before.len() as u64, "{delivery}");
            assert_eq!(dropped, after.len() as u64, "{delivery}");
        }

        #[test]
        fn created_dir_is_private() {
            let tmp = tempfile::tempdir().unwrap();
            let endpoint = Endpoint::in_runtime_dir(tmp.path(), Some("t")).unwrap();
            let listener = endpoint.listen().unwrap();
            let meta = fs::metadata(tmp.path().join("mapi-shutdown")).unwrap();
            assert_eq!(meta.mode() & 0o777, 0o700);
            let sock = fs::symlink_metadata(endpoint.path()).unwrap();
            assert!(sock.file_type().is_socket());
            assert_eq!(sock.mode() & 0o777, 0o600);
            drop(listener);
            assert!(!endpoint.path().exists(), "socket file removed on drop");
        }

        #[test]
        fn symlinked_dir_is_refused() {
            let tmp = tempfile::tempdir().unwrap();
            let real = tmp.path().join("real");
            fs::DirBuilder::new().mode(0o700).create(&real).unwrap();
            std::os::unix::fs::symlink(&real, tmp.path().join("link")).unwrap();
            let err = check_dir(&tmp.path().join("link")).unwrap_err();
            assert!(err.to_string().contains("symbolic link"), "{err}");
        }

        #[test]
        fn a_peer_is_foreign_unless_its_uid_is_known_and_ours() {
            assert!(!holder_of(Some(7), Some(1000), 1000).foreign);
            let other = holder_of(Some(7), Some(1001), 1000);
            assert!(other.foreign);
            assert_eq!(other.to_string(), "pid 7, uid 1001");
            let unknown = holder_of(None, None, 1000);
            assert!(unknown.foreign);
            assert_eq!(unknown.to_string(), "owner unknown");
        }

        #[test]
        fn our_own_monitor_is_accepted_and_named_when_it_holds_the_endpoint() {
            let tmp = tempfile::tempdir().unwrap();
            let endpoint = Endpoint::in_runtime_dir(tmp.path(), Some("own")).unwrap();
            let listener = endpoint.listen().unwrap();
            let client = endpoint.connect(Duration::from_secs(2));
            assert!(client.is_ok(), "{:?}", client.err());
            // A second monitor is told whose process holds it.
            let err = endpoint.listen().unwrap_err();
            let EndpointError::InUse { holder, .. } = &err else {
                panic!("{err}");
            };
            let holder = holder.as_ref().expect("the OS names the holder");
            assert!(!holder.foreign);
            assert_eq!(holder.pid, Some(std::process::id()));
            assert_eq!(holder.user, Some(format!("uid {}", euid())));
            assert!(
                err.to_string()
                    .contains(&format!("pid {}", std::process::id())),
                "{err}"
            );
            drop(listener);
        }

        /// A process of another user listening on the endpoint (created
        /// here by a child that drops to uid 65534 between `bind` and
        /// `listen`, as a squatter would hold it) is refused: the client
        /// names it, sends nothing, and the socket sink spools instead. A
        /// second monitor says whose process holds it. Needs root to
        /// change uid (CI runs as root); elsewhere it says so and checks
        /// nothing more.
        #[test]
        fn another_users_process_on_the_endpoint_is_refused_and_named() {
            if euid() != 0 {
                eprintln!("skipped: needs root to start a process of another user");
                return;
            }
            let tmp = tempfile::tempdir().unwrap();
            let endpoint = Endpoint::in_runtime_dir(tmp.path(), Some("squat")).unwrap();
            fs::DirBuilder::new()
                .mode(0o700)
                .create(tmp.path().join("mapi-shutdown"))
                .unwrap();
            let child = squat(endpoint.path(), 65534);
            let err = endpoint.connect(Duration::from_secs(2)).err();
            let listen_err = endpoint.listen().err();
            let spool = tmp.path().join("spool");
            let sink = crate::socket::SocketSink::connect(&endpoint, Some(spool.clone()));
            let delivery = sink.status().get();
            // SAFETY: our own child; reaped right after.
            unsafe {
                libc::kill(child, libc::SIGKILL);
                libc::waitpid(child, std::ptr::null_mut(), 0);
            }
            match err {
                Some(EndpointError::ForeignServer { holder, .. }) => {
                    assert!(holder.foreign);
                    assert_eq!(holder.user.as_deref(), Some("uid 65534"));
                    assert_eq!(holder.pid, u32::try_from(child).ok());
                }
                other => panic!("connected to another user's process: {other:?}"),
            }
            let listen_err = listen_err.expect("the endpoint is held");
            assert!(
                listen_err
                    .to_string()
                    .starts_with("another user's process holds the endpoint"),
                "{listen_err}"
            );
            assert!(listen_err.to_string().contains("uid 65534"), "{listen_err}");
            let reason = match &delivery {
                crate::socket::Delivery::Dropped { reason, .. }
                | crate::socket::Delivery::Spooled { reason, .. } => reason.clone(),
                other => panic!("records went to the squatter: {other:?}"),
            };
            assert!(
                reason.contains("another user's process holds the endpoint"),
                "{reason}"
            );
        }

        /// Fork a child that binds `path`, becomes `uid`, listens, and
        /// waits to be killed. Only async-signal-safe calls after fork.
        fn squat(path: &Path, uid: u32) -> libc::pid_t {
            use std::os::unix::ffi::OsStrExt;
            let bytes = path.as_os_str().as_bytes();
            // SAFETY: a zeroed sockaddr_un is valid; the path fits (tempdir).
            let mut addr: libc::sockaddr_un = unsafe { std::mem::zeroed() };
            addr.sun_family = libc::AF_UNIX as libc::sa_family_t;
            assert!(bytes.len() < addr.sun_path.len());
            for (d, s) in addr.sun_path.iter_mut().zip(bytes) {
                *d = *s as libc::c_char;
            }
            let (tx, rx) = (std::os::unix::net::UnixDatagram::pair)().unwrap();
            // SAFETY: the child calls only async-signal-safe functions
            // (socket, bind, setuid, listen, send, pause, _exit).
            let pid = unsafe { libc::fork() };
            assert!(pid >= 0);
            if pid == 0 {
                // SAFETY: see above; every result is checked by the parent
                // through what it observes.
                unsafe {
                    let fd = libc::socket(libc::AF_UNIX, libc::SOCK_STREAM, 0);
                    let len = std::mem::size_of::<libc::sockaddr_un>() as libc::socklen_t;
                    let ok = fd >= 0
                        && libc::bind(fd, (&raw const addr).cast(), len) == 0
                        && libc::setuid(uid) == 0
                        && libc::listen(fd, 8) == 0;
                    let byte = [u8::from(ok)];
                    libc::send(tx.as_raw_fd(), byte.as_ptr().cast(), 1, 0);
                    loop {
                        libc::pause();
                    }
                }
            }
            drop(tx);
            let mut ready = [0u8];
            rx.recv(&mut ready).unwrap();
            assert_eq!(ready, [1], "the child could not listen as uid {uid}");
            pid
        }

        #[test]
        fn a_regular_file_at_the_socket_path_is_not_replaced() {
            let tmp = tempfile::tempdir().unwrap();
            let path = tmp.path().join("m.sock");
            fs::write(&path, b"keep me").unwrap();
            let endpoint = Endpoint::from_name(path.to_str()).unwrap();
            let err = endpoint.listen().unwrap_err();
            assert!(matches!(err, EndpointError::NotASocket { .. }), "{err}");
            assert_eq!(fs::read(&path).unwrap(), b"keep me");
        }
    }
}

#[cfg(windows)]
mod windows {
    //! Windows: the user's SID, the pipe's security descriptor, and
    //! cancelling a blocked pipe read.

    use std::io;
    use std::os::windows::io::{AsHandle, AsRawHandle, FromRawHandle, OwnedHandle};
    use std::time::{Duration, Instant};

    use interprocess::local_socket::Stream;
    use interprocess::os::windows::local_socket::ListenerOptionsExt;
    use interprocess::os::windows::named_pipe::{DuplexPipeStream, pipe_mode};
    use interprocess::os::windows::security_descriptor::SecurityDescriptor;
    use widestring::U16CString;
    use windows_sys::Win32::Foundation::{
        CloseHandle, ERROR_PIPE_BUSY, GENERIC_READ, GENERIC_WRITE, HANDLE, HLOCAL,
        INVALID_HANDLE_VALUE, LocalFree,
    };
    use windows_sys::Win32::Security::Authorization::ConvertSidToStringSidW;
    use windows_sys::Win32::Security::{GetTokenInformation, TOKEN_QUERY, TOKEN_USER, TokenUser};
    use windows_sys::Win32::Storage::FileSystem::{
        CreateFileW, FILE_FLAG_OVERLAPPED, FILE_SHARE_READ, FILE_SHARE_WRITE, OPEN_EXISTING,
        SECURITY_IDENTIFICATION, SECURITY_SQOS_PRESENT,
    };
    use windows_sys::Win32::System::IO::CancelIoEx;
    use windows_sys::Win32::System::Pipes::{
        DisconnectNamedPipe, GetNamedPipeServerProcessId, WaitNamedPipeW,
    };
    use windows_sys::Win32::System::Threading::{
        GetCurrentProcess, OpenProcess, OpenProcessToken, PROCESS_QUERY_LIMITED_INFORMATION,
    };

    use super::{
        ClientStream, Endpoint, EndpointError, EndpointListener, Holder, listener_options,
    };

    /// The current user's SID as a string, `S-1-5-21-…`.
    pub(super) fn current_user_sid() -> io::Result<String> {
        // SAFETY: the pseudo-handle of this process needs no closing.
        token_user_sid(unsafe { GetCurrentProcess() })
    }

    /// The SID (as a string) of the user that runs the process `pid`.
    ///
    /// # Errors
    /// The OS error of opening it (another user's process usually cannot
    /// be opened: access denied) or its token.
    fn process_user_sid(pid: u32) -> io::Result<String> {
        // SAFETY: OpenProcess has no preconditions; the handle is closed
        // on every path.
        unsafe {
            let process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid);
            if process.is_null() {
                return Err(io::Error::last_os_error());
            }
            let sid = token_user_sid(process);
            CloseHandle(process);
            sid
        }
    }

    /// The process at the server end of the connected pipe `pipe`
    /// (`GetNamedPipeServerProcessId`) and its user; foreign unless its
    /// user is known and is this process's user.
    pub(super) fn server_holder(pipe: HANDLE) -> Holder {
        let mut pid = 0u32;
        // SAFETY: `pipe` is an open client pipe handle; `pid` is writable.
        let pid = (unsafe { GetNamedPipeServerProcessId(pipe, &mut pid) } != 0).then_some(pid);
        let user = pid.and_then(|p| process_user_sid(p).ok());
        let me = current_user_sid().ok();
        Holder {
            pid,
            foreign: user.is_none() || user != me,
            user,
        }
    }

    /// The SID (as a string) of the token user of `process` (a handle with
    /// query rights, or the current process's pseudo-handle).
    fn token_user_sid(process: HANDLE) -> io::Result<String> {
        // SAFETY: plain Win32 calls with buffers sized as the API asks;
        // every handle and allocation is released on every path.
        unsafe {
            let mut token: HANDLE = std::ptr::null_mut();
            if OpenProcessToken(process, TOKEN_QUERY, &mut token) == 0 {
                return Err(io::Error::last_os_error());
            }
            let mut len: u32 = 0;
            GetTokenInformation(token, TokenUser, std::ptr::null_mut(), 0, &mut len);
            // u64 elements: TOKEN_USER needs pointer alignment.
            let mut buf = vec![0u64; (len as usize).div_ceil(8).max(1)];
            let ok = GetTokenInformation(token, TokenUser, buf.as_mut_ptr().cast(), len, &mut len);
            let token_error = io::Error::last_os_error();
            CloseHandle(token);
            if ok == 0 {
                return Err(token_error);
            }
            let user = &*(buf.as_ptr().cast::<TOKEN_USER>());
            let mut text: *mut u16 = std::ptr::null_mut();
            if ConvertSidToStringSidW(user.User.Sid, &mut text) == 0 {
                return Err(io::Error::last_os_error());
            }
            let mut n = 0;
            while *text.add(n) != 0 {
                n += 1;
            }
            let sid = String::from_utf16_lossy(std::slice::from_raw_parts(text, n));
            LocalFree(text as HLOCAL);
            Ok(sid)
        }
    }

    /// Full access for the current user, SYSTEM and Administrators;
    /// nobody else (protected DACL, no inheritance).
    pub(super) fn pipe_sddl(user_sid: &str) -> String {
        format!("D:P(A;;GA;;;{user_sid})(A;;GA;;;SY)(A;;GA;;;BA)")
    }

    pub(super) fn listen(endpoint: &Endpoint) -> Result<EndpointListener, EndpointError> {
        let listen_error = |source: io::Error| EndpointError::Listen {
            endpoint: endpoint.to_string(),
            source,
        };
        if pipe_exists(&endpoint.path).map_err(listen_error)? {
            return Err(EndpointError::InUse {
                endpoint: endpoint.to_string(),
                holder: holder_at(endpoint),
            });
        }
        let sid = current_user_sid().map_err(EndpointError::User)?;
        let sddl = U16CString::from_str(pipe_sddl(&sid))
            .map_err(|e| listen_error(io::Error::new(io::ErrorKind::InvalidInput, e)))?;
        let sd = SecurityDescriptor::deserialize(&sddl).map_err(listen_error)?;
        let listener = listener_options(&endpoint.path)
            .map_err(listen_error)?
            .security_descriptor(sd)
            .create_sync()
            .map_err(|source| {
                // The first instance is created with
                // FILE_FLAG_FIRST_PIPE_INSTANCE: an existing pipe of that
                // name makes it fail with access denied (or "busy").
                const ERROR_PIPE_BUSY: i32 = 231;
                if source.kind() == io::ErrorKind::PermissionDenied
                    || source.kind() == io::ErrorKind::AddrInUse
                    || source.raw_os_error() == Some(ERROR_PIPE_BUSY)
                {
                    EndpointError::InUse {
                        endpoint: endpoint.to_string(),
                        holder: holder_at(endpoint),
                    }
                } else {
                    listen_error(source)
                }
            })?;
        Ok(EndpointListener {
            listener,
            endpoint: endpoint.clone(),
            replaced_stale: false,
        })
    }

    /// Whether a server instance of the pipe exists (available or busy),
    /// without connecting to it. Real Windows also refuses a second first
    /// instance (FILE_FLAG_FIRST_PIPE_INSTANCE); Wine 8 does not.
    fn pipe_exists(path: &std::path::Path) -> io::Result<bool> {
        const ERROR_SEM_TIMEOUT: i32 = 121;
        let wide = U16CString::from_os_str(path.as_os_str())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        // SAFETY: a NUL-terminated wide string; a 1 ms wait.
        if unsafe { WaitNamedPipeW(wide.as_ptr(), 1) } != 0 {
            return Ok(true);
        }
        Ok(io::Error::last_os_error().raw_os_error() == Some(ERROR_SEM_TIMEOUT))
    }

    /// Open the pipe as a client at identification level
    /// (`SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION`: the server may
    /// learn who connects but cannot act as this user), waiting at most
    /// `timeout` while every instance is busy; overlapped, as interprocess
    /// expects.
    fn open_pipe(endpoint: &Endpoint, timeout: Duration) -> io::Result<OwnedHandle> {
        let wide = U16CString::from_os_str(endpoint.path.as_os_str())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        let deadline = Instant::now() + timeout;
        loop {
            // SAFETY: a NUL-terminated wide path; no security attributes
            // or template; the handle returned is owned from here on.
            let handle = unsafe {
                CreateFileW(
                    wide.as_ptr(),
                    GENERIC_READ | GENERIC_WRITE,
                    FILE_SHARE_READ | FILE_SHARE_WRITE,
                    std::ptr::null(),
                    OPEN_EXISTING,
                    FILE_FLAG_OVERLAPPED | SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION,
                    std::ptr::null_mut(),
                )
            };
            if handle != INVALID_HANDLE_VALUE {
                // SAFETY: a valid handle just opened, owned by nobody else.
                return Ok(unsafe { OwnedHandle::from_raw_handle(handle) });
            }
            let error = io::Error::last_os_error();
            const ERROR_FILE_NOT_FOUND: i32 = 2;
            let code = error.raw_os_error();
            if code != Some(ERROR_PIPE_BUSY as i32) && code != Some(ERROR_FILE_NOT_FOUND) {
                return Err(error);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(if code == Some(ERROR_FILE_NOT_FOUND) {
                    error
                } else {
                    io::Error::new(
                        io::ErrorKind::TimedOut,
                        "every instance of the pipe stayed busy",
                    )
                });
            }
            let ms = u32::try_from(left.as_millis()).unwrap_or(u32::MAX).max(1);
            // SAFETY: a NUL-terminated wide path.
            let waited = unsafe { WaitNamedPipeW(wide.as_ptr(), ms) };
            // Not found by CreateFileW but the wait did not say "no such
            // pipe" either: the monitor is between two instances (seen
            // under Wine with many clients at once); try again. Not found
            // by both: no monitor, fail at once.
            if code == Some(ERROR_FILE_NOT_FOUND)
                && waited == 0
                && io::Error::last_os_error().raw_os_error() == Some(ERROR_FILE_NOT_FOUND)
            {
                return Err(error);
            }
        }
    }

    pub(super) fn connect(
        endpoint: &Endpoint,
        timeout: Duration,
    ) -> Result<ClientStream, EndpointError> {
        let connect_error = |source| EndpointError::Connect {
            endpoint: endpoint.to_string(),
            source,
        };
        let handle = open_pipe(endpoint, timeout).map_err(connect_error)?;
        // Who serves: the pipe's name is predictable, so another user's
        // process may have created it first. Nothing is written before
        // this check; the handle closes on the way out.
        let holder = server_holder(handle.as_raw_handle());
        if holder.foreign {
            return Err(EndpointError::ForeignServer {
                endpoint: endpoint.to_string(),
                holder,
            });
        }
        let stream = DuplexPipeStream::<pipe_mode::Bytes>::try_from(handle)
            .map_err(|e| connect_error(io::Error::other(e.to_string())))?;
        Ok(ClientStream { stream })
    }

    /// Who serves the pipe of `endpoint`, when a client can open it now.
    /// (The holder sees this probe as a connection that closed without a
    /// record.)
    fn holder_at(endpoint: &Endpoint) -> Option<Holder> {
        let handle = open_pipe(endpoint, Duration::from_millis(50)).ok()?;
        Some(server_holder(handle.as_raw_handle()))
    }

    /// The raw handle of an accepted pipe, as an integer (kept under a
    /// lock, forgotten before the stream closes it).
    pub(super) fn raw_handle(stream: &Stream) -> usize {
        match stream {
            Stream::NamedPipe(s) => s.as_handle().as_raw_handle() as usize,
        }
    }

    /// Disconnect the server end of a pipe and cancel a read blocked on it.
    pub(super) fn disconnect_and_cancel(handle: usize) {
        let h = handle as HANDLE;
        // SAFETY: the caller holds the lock under which the handle is
        // known to be open. Failures (already disconnected, nothing to
        // cancel) are fine.
        unsafe {
            DisconnectNamedPipe(h);
            CancelIoEx(h, std::ptr::null());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        for bad in [".hidden", "a b", "x*", "é", &"n".repeat(MAX_NAME_LEN + 1)] {
            let err = Endpoint::from_name(Some(bad)).unwrap_err();
            assert!(
                matches!(err, EndpointError::InvalidName { .. }),
                "{bad}: {err}"
            );
            assert!(err.to_string().contains("invalid endpoint name"), "{err}");
        }
        for good in ["monitor", "test-1", "a.b_c", "X"] {
            Endpoint::from_name(Some(good)).unwrap();
        }
    }

    #[test]
    fn empty_name_means_default() {
        assert_eq!(
            Endpoint::from_name(Some("")).unwrap(),
            Endpoint::default_for_user().unwrap()
        );
        assert_eq!(
            Endpoint::from_name(None).unwrap(),
            Endpoint::default_for_user().unwrap()
        );
    }

    #[cfg(unix)]
    #[test]
    fn unix_name_maps_to_a_socket_file_in_the_per_user_dir() {
        let e = Endpoint::in_runtime_dir(Path::new("/run/user/1000"), Some("live")).unwrap();
        assert_eq!(
            e.path(),
            Path::new("/run/user/1000/mapi-shutdown/live.sock")
        );
        let d = Endpoint::default_for_user().unwrap();
        assert_eq!(d.path().file_name().unwrap(), "monitor.sock");
        assert!(
            d.path()
                .parent()
                .unwrap()
                .to_string_lossy()
                .contains("mapi-shutdown"),
            "{d}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_client_without_credentials_is_not_trusted() {
        assert!(uid_is_trusted(Some(1000), 1000));
        assert!(uid_is_trusted(Some(0), 1000));
        assert!(!uid_is_trusted(Some(1001), 1000));
        assert!(!uid_is_trusted(None, 1000));
    }

    #[cfg(unix)]
    #[test]
    fn unix_path_names_are_used_as_is_and_length_checked() {
        let e = Endpoint::from_name(Some("/some/dir/x.sock")).unwrap();
        assert_eq!(e.path(), Path::new("/some/dir/x.sock"));
        let long = format!("/{}/x.sock", "d".repeat(120));
        let err = Endpoint::from_name(Some(&long)).unwrap_err();
        assert!(matches!(err, EndpointError::PathTooLong { .. }), "{err}");
        assert!(err.to_string().contains("bytes"), "{err}");
    }

    /// The client opens the pipe at identification level and accepts the
    /// server because its process runs as this user; a second monitor is
    /// told which process holds the pipe.
    #[cfg(windows)]
    #[test]
    fn windows_client_checks_the_pipe_server_user_and_names_the_holder() {
        let name = format!("identity-test-{}", std::process::id());
        let endpoint = Endpoint::from_name(Some(&name)).unwrap();
        let listener = endpoint.listen().unwrap();
        let client = endpoint.connect(Duration::from_secs(2));
        assert!(client.is_ok(), "{:?}", client.err());
        // The monitor accepts it, which makes the next instance of the
        // pipe available to the next client.
        let mut accepted = None;
        for _ in 0..200 {
            accepted = listener.accept().unwrap();
            if accepted.is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(accepted.is_some());
        let err = endpoint.listen().unwrap_err();
        let EndpointError::InUse { holder, .. } = &err else {
            panic!("{err}");
        };
        let holder = holder.as_ref().expect("the holder is named");
        assert!(!holder.foreign, "{holder}");
        assert_eq!(holder.pid, Some(std::process::id()));
        assert!(
            holder
                .user
                .as_deref()
                .is_some_and(|u| u.starts_with("S-1-"))
        );
        assert!(
            err.to_string()
                .contains(&format!("pid {}", std::process::id())),
            "{err}"
        );
        drop(listener);
    }

    #[cfg(windows)]
    #[test]
    fn windows_name_maps_to_a_per_user_pipe() {
        let e = Endpoint::from_name(Some("live")).unwrap();
        let p = e.path().to_string_lossy().to_string();
        assert!(p.starts_with(r"\\.\pipe\mapi-shutdown-S-1-"), "{p}");
        assert!(p.ends_with("-live"), "{p}");
        let full = Endpoint::from_name(Some(r"\\.\pipe\custom")).unwrap();
        assert_eq!(full.path(), Path::new(r"\\.\pipe\custom"));
        assert!(Endpoint::from_name(Some(r"C:\temp\x")).is_err());
    }
}
