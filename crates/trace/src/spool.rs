//! Spool files: where a client's trace goes when no monitor listens (or the
//! monitor went away mid-stream) and a spool directory is configured
//! ([`SPOOL_DIR_ENV`]). One JSON Lines file per process, in the trace
//! format, named after the executable, the pid and the trace's start time;
//! and the reader that turns a spool directory back into streams.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::codec::{Decoder, encode};
use super::{DecodeError, Hello, Record};

/// The environment variable naming the spool directory.
pub const SPOOL_DIR_ENV: &str = "MAPI_SHUTDOWN_SPOOL_DIR";

/// The spool directory named by [`SPOOL_DIR_ENV`], if set and not empty.
pub fn spool_dir_from_env() -> Option<PathBuf> {
    std::env::var_os(SPOOL_DIR_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// The file name a stream is spooled under:
/// `EXE-PID-YYYYMMDDTHHMMSS.mmmZ.jsonl` from its `hello` (characters other
/// than `A-Z a-z 0-9 . _ -` in the executable name become `_`), or
/// `mapi-PID.jsonl` when there is no `hello`.
pub fn spool_file_name(hello: Option<&Hello>) -> String {
    match hello {
        Some(h) => {
            let exe: String = h
                .exe
                .chars()
                .take(40)
                .map(|c| {
                    if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let exe = if exe.is_empty() || exe.starts_with('.') {
                format!("mapi{exe}")
            } else {
                exe
            };
            let stamp: String = h
                .started_at
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
                .take(32)
                .collect();
            format!("{exe}-{}-{stamp}.jsonl", h.pid)
        }
        None => format!("mapi-{}.jsonl", std::process::id()),
    }
}

/// An open spool file (buffered). Created new, never overwriting: a name
/// already taken gets `-1`, `-2`, … before `.jsonl`. Unix: mode 0600.
#[derive(Debug)]
pub struct SpoolFile {
    out: BufWriter<File>,
    path: PathBuf,
}

impl SpoolFile {
    /// Create the spool file for the stream whose header is `hello` in
    /// `dir` (created 0700 if missing, and refused when it is not private
    /// to the user: [`crate::files::ensure_private_dir`]). The file is
    /// created new (`O_EXCL`: never through a link), mode 0600.
    ///
    /// # Errors
    /// The I/O error, its message naming the directory or file.
    pub fn create(dir: &Path, hello: Option<&Hello>) -> io::Result<SpoolFile> {
        let with_path = |e: io::Error, what: &str, p: &Path| {
            io::Error::new(e.kind(), format!("cannot {what} {}: {e}", p.display()))
        };
        crate::files::ensure_private_dir(dir).map_err(|e| {
            let kind = match &e {
                crate::files::PrivateDirError::Io { source, .. } => source.kind(),
                crate::files::PrivateDirError::Unsafe { .. } => io::ErrorKind::PermissionDenied,
            };
            io::Error::new(kind, format!("spool directory: {e}"))
        })?;
        let name = spool_file_name(hello);
        let stem = name.strip_suffix(".jsonl").unwrap_or(&name).to_string();
        for attempt in 0..100u32 {
            let file_name = if attempt == 0 {
                name.clone()
            } else {
                format!("{stem}-{attempt}.jsonl")
            };
            let path = dir.join(file_name);
            let mut options = OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            match options.open(&path) {
                Ok(file) => {
                    return Ok(SpoolFile {
                        out: BufWriter::new(file),
                        path,
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(with_path(e, "create the spool file", &path)),
            }
        }
        Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "cannot create a spool file for {name} in {}: 100 names taken",
                dir.display()
            ),
        ))
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append one record (buffered).
    ///
    /// # Errors
    /// The I/O error.
    pub fn write_record(&mut self, record: &Record) -> io::Result<()> {
        self.out.write_all(encode(record).as_bytes())
    }

    /// Push buffered records to the file.
    ///
    /// # Errors
    /// The I/O error.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// One stream read back from a file: the records up to the first error,
/// and that error (a killed client may leave a truncated last line).
#[derive(Clone, Debug, PartialEq)]
pub struct SpooledStream {
    /// The file.
    pub path: PathBuf,
    /// The records read, in order.
    pub records: Vec<Record>,
    /// Why reading stopped early, if it did.
    pub error: Option<DecodeError>,
}

/// Read a stream, keeping the records before the first error.
///
/// # Errors
/// The reader's I/O error.
pub fn read_stream_lenient(
    reader: impl io::Read,
) -> io::Result<(Vec<Record>, Option<DecodeError>)> {
    let mut reader = BufReader::new(reader);
    let mut decoder = Decoder::new();
    let mut records = Vec::new();
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        let n = chunk.len();
        decoder.push(chunk);
        reader.consume(n);
        loop {
            match decoder.next_record() {
                Ok(Some(r)) => records.push(r),
                Ok(None) => break,
                Err(e) => return Ok((records, Some(e))),
            }
        }
    }
    Ok((records, decoder.finish().err()))
}

/// Read every `*.jsonl` file of a spool directory, one stream each, in
/// file-name order.
///
/// # Errors
/// The I/O error listing the directory or opening a file, naming it.
pub fn read_spool_dir(dir: &Path) -> io::Result<Vec<SpooledStream>> {
    let with_path = |e: io::Error, p: &Path| {
        io::Error::new(e.kind(), format!("cannot read {}: {e}", p.display()))
    };
    let mut paths = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| with_path(e, dir))? {
        let entry = entry.map_err(|e| with_path(e, dir))?;
        let path = entry.path();
        if path.extension().is_some_and(|x| x == "jsonl") && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    let mut streams = Vec::with_capacity(paths.len());
    for path in paths {
        let file = File::open(&path).map_err(|e| with_path(e, &path))?;
        let (records, error) = read_stream_lenient(file).map_err(|e| with_path(e, &path))?;
        streams.push(SpooledStream {
            path,
            records,
            error,
        });
    }
    Ok(streams)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OfficeVersion;
    use crate::{ClientExit, PROTOCOL_VERSION};

    fn hello(exe: &str) -> Hello {
        Hello {
            host: None,
            protocol: PROTOCOL_VERSION,
            pid: 4242,
            exe: exe.into(),
            office_version: OfficeVersion::V16,
            subsystem: "olmapi32.dll".into(),
            started_at: "2026-11-20T09:30:00.123Z".into(),
            capture: None,
        }
    }

    #[test]
    fn file_names_carry_exe_pid_and_start() {
        assert_eq!(
            spool_file_name(Some(&hello("OUTLOOK.EXE"))),
            "OUTLOOK.EXE-4242-20261120T093000.123Z.jsonl"
        );
        assert_eq!(
            spool_file_name(Some(&hello("../my client"))),
            "mapi.._my_client-4242-20261120T093000.123Z.jsonl"
        );
    }

    #[cfg(unix)]
    #[test]
    fn spool_dir_is_created_private_and_a_shared_one_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let spool = dir.path().join("spool");
        let f = SpoolFile::create(&spool, Some(&hello("OUTLOOK.EXE"))).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&spool), 0o700);
        assert_eq!(mode(f.path()), 0o600);
        let shared = dir.path().join("shared");
        fs::create_dir(&shared).unwrap();
        fs::set_permissions(&shared, fs::Permissions::from_mode(0o777)).unwrap();
        let err = SpoolFile::create(&shared, Some(&hello("OUTLOOK.EXE"))).unwrap_err();
        assert!(err.to_string().contains("every user may write"), "{err}");
        assert_eq!(fs::read_dir(&shared).unwrap().count(), 0);
    }

    #[test]
    fn spool_round_trip_and_no_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let spool = dir.path().join("spool");
        let h = hello("OUTLOOK.EXE");
        let records = vec![
            Record::Hello(h.clone()),
            Record::ClientExit(ClientExit { t_ns: 5, code: 0 }),
        ];
        for _ in 0..2 {
            let mut f = SpoolFile::create(&spool, Some(&h)).unwrap();
            for r in &records {
                f.write_record(r).unwrap();
            }
            f.flush().unwrap();
        }
        fs::write(spool.join("ignored.txt"), "x").unwrap();
        fs::write(spool.join("zz-truncated.jsonl"), &encode(&records[0])[..20]).unwrap();
        let streams = read_spool_dir(&spool).unwrap();
        assert_eq!(streams.len(), 3);
        assert_eq!(streams[0].records, records);
        assert_eq!(streams[1].records, records);
        assert!(
            streams
                .iter()
                .any(|s| s.path.to_string_lossy().ends_with("123Z-1.jsonl")),
            "the second file gets a suffix"
        );
        assert!(streams[2].records.is_empty());
        assert!(matches!(
            streams[2].error,
            Some(DecodeError::Truncated { .. })
        ));
    }
}
