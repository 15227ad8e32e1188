//! Recordings: one file holding every stream a monitor received, for
//! `watch --out` to write and `analyze` / the GUI to open again. This
//! module owns the recording format (JSON Lines, documented in
//! `docs/live-capture.md`), the [`Recorder`] that writes it, and the
//! readers that split a recording back into per-connection streams
//! ([`read_recording`]), also accepting a plain trace file
//! ([`read_trace_or_recording`]).
//!
//! Each line is one JSON object:
//! - first, the header `{"recording":"mapi-shutdown","version":1,"started_at":"…"}`;
//! - `{"conn":N,"event":"open","at":"…","peer_pid":P}` when connection N
//!   is accepted (`peer_pid` omitted when unknown);
//! - `{"conn":N,"line":{…}}` for each record received on it, `line` being
//!   the record exactly as the client sent it;
//! - `{"conn":N,"event":"close","at":"…","error":"…"}` when it ends
//!   (`error` omitted when it ended cleanly).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Deserialize;

use super::analysis::StreamState;
use super::store::ConnId;
use crate::clock::rfc3339;
use crate::i18n::text::Text;
use crate::trace::{DecodeError, Decoder, Record};

/// The `recording` value of a recording's header line.
pub const RECORDING_MAGIC: &str = "mapi-shutdown";

/// The recording format version this build writes and reads.
pub const RECORDING_VERSION: u32 = 1;

/// Why a recording cannot be written or read. Names the file and line.
#[derive(Debug, thiserror::Error)]
pub enum RecordingError {
    /// Creating, writing or reading the file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// A line is not part of the recording format.
    #[error("{path}, line {line}: {reason}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The line number, from 1.
        line: u64,
        /// What is wrong.
        reason: String,
    },
    /// A trace or spool file is not a valid trace stream (the decoder's
    /// reason names the line).
    #[error("{path}: {source}")]
    Trace {
        /// The file.
        path: PathBuf,
        /// What the decoder said.
        source: DecodeError,
    },
    /// The recording's version is newer than this build reads.
    #[error(
        "{path}: recording format version {found} is too new (this build reads version {RECORDING_VERSION}); update mapi-shutdown"
    )]
    TooNew {
        /// The file.
        path: PathBuf,
        /// The version found.
        found: u64,
    },
}

impl RecordingError {
    /// The error in words for people, in the language it is rendered in
    /// (its `Display` is English, for logs and JSON). What the OS or the
    /// trace decoder said stays in their words.
    pub fn text(&self) -> Text {
        match self {
            RecordingError::Io { path, source } => Text::new("analysis-recording-error")
                .str("file", path.display())
                .str("error", source),
            RecordingError::Invalid { path, line, reason } => {
                Text::new("analysis-recording-invalid-line")
                    .str("file", path.display())
                    .str("line", line)
                    .str("error", reason)
            }
            RecordingError::Trace { path, source } => Text::new("analysis-recording-error")
                .str("file", path.display())
                .text("error", decode_error_text(source)),
            RecordingError::TooNew { path, found } => Text::new("analysis-recording-too-new")
                .str("file", path.display())
                .str("found", found)
                .str("supported", RECORDING_VERSION),
        }
    }
}

/// A decoder error of the trace crate (whose words are English data) as a
/// text for people, in any language. The JSON parser's own reason inside
/// an invalid line (`expected value at line 1 column 3`) stays as serde
/// wrote it.
pub fn decode_error_text(e: &DecodeError) -> Text {
    match e {
        DecodeError::LineTooLong { line, limit } => Text::new("analysis-decode-line-too-long")
            .num("line", *line)
            .num("limit", *limit as u64),
        DecodeError::Truncated { line, bytes } => Text::new("analysis-decode-truncated")
            .num("line", *line)
            .num("bytes", *bytes as u64),
        DecodeError::Invalid { line, reason } => Text::new("analysis-decode-invalid")
            .num("line", *line)
            .str("reason", reason),
        DecodeError::MissingField {
            line,
            record,
            field,
        } => Text::new("analysis-decode-missing-field")
            .num("line", *line)
            .str("record", record)
            .str("field", field),
        DecodeError::NoHello { line, found } => Text::new("analysis-decode-no-hello")
            .num("line", *line)
            .str("found", found),
        DecodeError::SecondHello { line } => {
            Text::new("analysis-decode-second-hello").num("line", *line)
        }
        DecodeError::VersionTooOld { found, min, max } => {
            Text::new("analysis-decode-version-too-old")
                .num("found", *found)
                .num("min", u64::from(*min))
                .num("max", u64::from(*max))
        }
        DecodeError::VersionTooNew { found, min, max } => {
            Text::new("analysis-decode-version-too-new")
                .num("found", *found)
                .num("min", u64::from(*min))
                .num("max", u64::from(*max))
        }
    }
}

/// Writes a recording (buffered; flush after each batch).
#[derive(Debug)]
pub struct Recorder {
    out: BufWriter<File>,
    path: PathBuf,
}

impl Recorder {
    /// Create (or truncate) `path` and write the header. A recording
    /// holds every client's trace: the file is made 0600 (Unix), and a
    /// symbolic link at `path` is refused, never followed. It is written
    /// in place, not through a temporary file and a rename, because it is
    /// a live stream: `watch --out` appends while clients connect, and a
    /// watch stopped hard must leave what it received
    /// ([`crate::trace::files::create_private_stream`]).
    ///
    /// # Errors
    /// [`RecordingError::Io`] naming the file.
    pub fn create(path: &Path) -> Result<Recorder, RecordingError> {
        let io_err = |source| RecordingError::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = crate::trace::files::create_private_stream(path).map_err(io_err)?;
        let mut rec = Recorder {
            out: BufWriter::new(file),
            path: path.to_path_buf(),
        };
        let header = serde_json::json!({
            "recording": RECORDING_MAGIC,
            "version": RECORDING_VERSION,
            "started_at": rfc3339(SystemTime::now()),
        });
        rec.write_line(&header.to_string()).map_err(io_err)?;
        Ok(rec)
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn write_line(&mut self, text: &str) -> io::Result<()> {
        self.out.write_all(text.as_bytes())?;
        self.out.write_all(b"\n")
    }

    /// Connection `conn` was accepted.
    ///
    /// # Errors
    /// The I/O error.
    pub fn open(&mut self, conn: ConnId, peer_pid: Option<u32>, at: SystemTime) -> io::Result<()> {
        let mut v = serde_json::json!({"conn": conn, "event": "open", "at": rfc3339(at)});
        if let Some(pid) = peer_pid {
            v["peer_pid"] = pid.into();
        }
        self.write_line(&v.to_string())
    }

    /// A record arrived on `conn`; `raw` is its JSON line as received
    /// (a valid JSON object, without the newline).
    ///
    /// # Errors
    /// The I/O error.
    pub fn line(&mut self, conn: ConnId, raw: &str) -> io::Result<()> {
        self.write_line(&format!("{{\"conn\":{conn},\"line\":{raw}}}"))
    }

    /// Connection `conn` ended; `error` when it ended badly.
    ///
    /// # Errors
    /// The I/O error.
    pub fn close(&mut self, conn: ConnId, error: Option<&str>, at: SystemTime) -> io::Result<()> {
        let mut v = serde_json::json!({"conn": conn, "event": "close", "at": rfc3339(at)});
        if let Some(e) = error {
            v["error"] = e.into();
        }
        self.write_line(&v.to_string())
    }

    /// Push buffered lines to the file.
    ///
    /// # Errors
    /// The I/O error.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// One stream of a recording.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedStream {
    /// The connection id in the recording.
    pub conn: ConnId,
    /// Its records, in order (up to the first undecodable one).
    pub records: Vec<Record>,
    /// Whether the recording saw it close (false: the recording ended
    /// while it was connected).
    pub closed: bool,
    /// Why it ended badly, or why its records stop early.
    pub error: Option<String>,
    /// The pid the OS reported at connect time.
    pub peer_pid: Option<u32>,
    /// When it was accepted (RFC 3339), when recorded.
    pub opened_at: Option<String>,
}

impl RecordedStream {
    /// The stream's state for the analysis, as recorded: a connection the
    /// client closed is the process's end ([`StreamState::Closed`]); one
    /// the monitor closed as it stopped is [`StreamState::Cut`]; one the
    /// recording ended while connected, [`StreamState::Open`]. (A plain
    /// trace read by [`read_trace_or_recording`], whose recording has no
    /// `started_at`, shows no process end: [`StreamState::Cut`].)
    pub fn state(&self) -> StreamState {
        if !self.closed {
            StreamState::Open
        } else if self.error.as_deref() == Some(super::STOPPED_WHILE_CONNECTED) {
            StreamState::Cut
        } else {
            StreamState::Closed
        }
    }
}

/// A recording split back into streams.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Recording {
    /// When the recording started (RFC 3339); `None` for a plain trace.
    pub started_at: Option<String>,
    /// The streams, in connection order.
    pub streams: Vec<RecordedStream>,
    /// The line at which the file ends in the middle (the recorder was
    /// killed), from 1; that line is ignored. `None` when the file ends
    /// with a complete line.
    pub truncated: Option<u64>,
}

#[derive(Deserialize)]
struct Header {
    recording: String,
    version: u64,
    #[serde(default)]
    started_at: Option<String>,
}

#[derive(Deserialize)]
struct Line {
    conn: ConnId,
    #[serde(default)]
    event: Option<String>,
    #[serde(default)]
    line: Option<serde_json::Value>,
    #[serde(default)]
    at: Option<String>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    peer_pid: Option<u32>,
}

struct StreamBuild {
    stream: RecordedStream,
    decoder: Decoder,
    failed: bool,
}

/// Read a recording file.
///
/// # Errors
/// [`RecordingError`] naming the file (and line) when it cannot be read or
/// is not a recording.
pub fn read_recording(path: &Path) -> Result<Recording, RecordingError> {
    let file = File::open(path).map_err(|source| RecordingError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    read_recording_from(BufReader::new(file), path)
}

/// Read a recording from `reader`; `path` names it in errors.
///
/// # Errors
/// As [`read_recording`].
pub fn read_recording_from(
    mut reader: impl BufRead,
    path: &Path,
) -> Result<Recording, RecordingError> {
    let invalid = |line: u64, reason: String| RecordingError::Invalid {
        path: path.to_path_buf(),
        line,
        reason,
    };
    let mut recording = Recording::default();
    let mut streams: BTreeMap<ConnId, StreamBuild> = BTreeMap::new();
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|source| RecordingError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        if n == 0 {
            break;
        }
        line_no += 1;
        if buf.last() != Some(&b'\n') {
            recording.truncated = Some(line_no);
            break;
        }
        let text = buf.trim_ascii();
        if text.is_empty() {
            continue;
        }
        if line_no == 1 {
            let header: Header = serde_json::from_slice(text)
                .map_err(|e| invalid(1, format!("not a recording header: {e}")))?;
            if header.recording != RECORDING_MAGIC {
                return Err(invalid(
                    1,
                    format!("not a recording (\"recording\":{:?})", header.recording),
                ));
            }
            if header.version > u64::from(RECORDING_VERSION) {
                return Err(RecordingError::TooNew {
                    path: path.to_path_buf(),
                    found: header.version,
                });
            }
            recording.started_at = header.started_at;
            continue;
        }
        let line: Line = serde_json::from_slice(text)
            .map_err(|e| invalid(line_no, format!("not a recording line: {e}")))?;
        let build = streams.entry(line.conn).or_insert_with(|| StreamBuild {
            stream: RecordedStream {
                conn: line.conn,
                records: Vec::new(),
                closed: false,
                error: None,
                peer_pid: None,
                opened_at: None,
            },
            decoder: Decoder::new(),
            failed: false,
        });
        match (line.event.as_deref(), line.line) {
            (_, Some(value)) => {
                if build.failed {
                    continue;
                }
                let mut text = value.to_string();
                text.push('\n');
                build.decoder.push(text.as_bytes());
                match build.decoder.next_record() {
                    Ok(Some(r)) => build.stream.records.push(r),
                    Ok(None) => {}
                    Err(e) => {
                        build.failed = true;
                        build.stream.error = Some(format!("recording line {line_no}: {e}"));
                    }
                }
            }
            (Some("open"), None) => {
                build.stream.peer_pid = line.peer_pid;
                build.stream.opened_at = line.at;
            }
            (Some("close"), None) => {
                build.stream.closed = true;
                if build.stream.error.is_none() {
                    build.stream.error = line.error;
                }
            }
            (Some(other), None) => {
                return Err(invalid(line_no, format!("unknown event {other:?}")));
            }
            (None, None) => {
                return Err(invalid(line_no, "neither `line` nor `event`".to_string()));
            }
        }
    }
    if line_no == 0 {
        return Err(invalid(1, "the file is empty".to_string()));
    }
    recording.streams = streams.into_values().map(|b| b.stream).collect();
    Ok(recording)
}

/// What a file turned out to be.
enum Opened {
    /// A recording (header line first).
    Recording(Recording),
    /// A plain trace: its records up to the first error, and that error.
    Plain(Vec<Record>, Option<DecodeError>),
}

/// Open a file that is either a recording (its first line is a recording
/// header) or a plain trace.
fn open_trace_or_recording(path: &Path) -> Result<Opened, RecordingError> {
    let io_err = |source| RecordingError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut reader = BufReader::new(File::open(path).map_err(io_err)?);
    let mut first = Vec::new();
    reader.read_until(b'\n', &mut first).map_err(io_err)?;
    let is_recording = serde_json::from_slice::<serde_json::Value>(first.trim_ascii())
        .ok()
        .and_then(|v| v.get("recording").map(|_| ()))
        .is_some();
    let rest = io::Cursor::new(first).chain(reader);
    if is_recording {
        return read_recording_from(BufReader::new(rest), path).map(Opened::Recording);
    }
    let (records, error) = crate::trace::spool::read_stream_lenient(rest).map_err(io_err)?;
    Ok(Opened::Plain(records, error))
}

/// Open a file that is either a recording or a plain trace (a trace file,
/// a spool file): a plain trace becomes a recording of one closed stream
/// (conn 1), its records up to the first error, that error noted.
///
/// # Errors
/// As [`read_recording`].
pub fn read_trace_or_recording(path: &Path) -> Result<Recording, RecordingError> {
    Ok(match open_trace_or_recording(path)? {
        Opened::Recording(r) => r,
        Opened::Plain(records, error) => Recording {
            started_at: None,
            streams: vec![RecordedStream {
                conn: 1,
                records,
                closed: true,
                error: error.map(|e| e.to_string()),
                peer_pid: None,
                opened_at: None,
            }],
            truncated: None,
        },
    })
}

/// One stream read from a trace file, a recording or a spool directory
/// ([`read_streams`]).
#[derive(Clone, Debug, PartialEq)]
pub struct FileStream {
    /// The file it was read from (in a spool directory, the spool file).
    pub file: PathBuf,
    /// Its id: the connection id in a recording, 1 for a trace file, the
    /// file's position in name order (from 1) in a spool directory.
    pub conn: ConnId,
    /// Its records, in order.
    pub records: Vec<Record>,
    /// The pid the OS reported at connect time (recordings only).
    pub peer_pid: Option<u32>,
    /// Whether the stream ended (false: a recording ended while it was
    /// connected).
    pub closed: bool,
    /// For the analysis: [`StreamState::Closed`] only for a recorded
    /// connection the client closed (the process's end); a trace or spool
    /// file, or a connection the monitor closed as it stopped, is
    /// [`StreamState::Cut`]; a recording that ends while the client was
    /// connected, [`StreamState::Open`].
    pub state: StreamState,
    /// Why the stream ended badly or its records stop early, if so.
    pub error: Option<String>,
    /// Set when the file ends in the middle of a line (a killed client or
    /// recorder): where, in words naming the line (`line 7: truncated …`).
    /// The records before that line are kept.
    pub truncated: Option<String>,
}

/// Read the streams of `path`: a trace file (`simulate --trace-out`), a
/// recording (`watch --out`) or a spool directory (every `*.jsonl` file in
/// name order, one stream each). A trace or spool file that ends in the
/// middle of a line keeps the records before it and says so in
/// [`FileStream::truncated`]; a recording cut short marks all its streams
/// so. What to make of a truncated file is the caller's choice
/// (`analyze` shows what there is, `report` refuses).
///
/// # Errors
/// [`RecordingError`] naming the file (and line): it cannot be read; it is
/// not a trace (a line that is not a record, a first line that is not a
/// `hello`, …); a trace or spool file that is truncated before its first
/// complete record.
pub fn read_streams(path: &Path) -> Result<Vec<FileStream>, RecordingError> {
    let plain = |file: &Path, conn: ConnId, records: Vec<Record>, error: Option<DecodeError>| {
        let truncated = match &error {
            None => None,
            Some(e @ DecodeError::Truncated { .. }) if !records.is_empty() => {
                Some(decode_error_text(e).to_string())
            }
            Some(e) => {
                return Err(RecordingError::Trace {
                    path: file.to_path_buf(),
                    source: e.clone(),
                });
            }
        };
        Ok(FileStream {
            file: file.to_path_buf(),
            conn,
            records,
            peer_pid: None,
            closed: true,
            state: StreamState::Cut,
            error: truncated.clone(),
            truncated,
        })
    };
    if path.is_dir() {
        let streams =
            crate::trace::spool::read_spool_dir(path).map_err(|source| RecordingError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        return streams
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                plain(
                    &s.path,
                    ConnId::try_from(i + 1).unwrap_or(ConnId::MAX),
                    s.records,
                    s.error,
                )
            })
            .collect();
    }
    match open_trace_or_recording(path)? {
        Opened::Plain(records, error) => Ok(vec![plain(path, 1, records, error)?]),
        Opened::Recording(recording) => {
            let truncated = recording.truncated.map(|line| {
                format!("line {line}: truncated (the recording ends in the middle of a line)")
            });
            Ok(recording
                .streams
                .into_iter()
                .map(|s| FileStream {
                    state: s.state(),
                    file: path.to_path_buf(),
                    conn: s.conn,
                    records: s.records,
                    peer_pid: s.peer_pid,
                    closed: s.closed,
                    error: s.error,
                    truncated: truncated.clone(),
                })
                .collect())
        }
    }
}

#[cfg(test)]
mod tests {

    /// Every decoder error has its text in every language, with its facts.
    #[test]
    fn decoder_errors_speak_every_language() {
        use crate::i18n::Lang;
        let all = [
            DecodeError::LineTooLong {
                line: 7,
                limit: 65536,
            },
            DecodeError::Truncated { line: 7, bytes: 12 },
            DecodeError::Invalid {
                line: 7,
                reason: "expected value".into(),
            },
            DecodeError::MissingField {
                line: 7,
                record: "enter".into(),
                field: "call".into(),
            },
            DecodeError::NoHello {
                line: 7,
                found: "enter".into(),
            },
            DecodeError::SecondHello { line: 7 },
            DecodeError::VersionTooOld {
                found: 0,
                min: 1,
                max: 1,
            },
            DecodeError::VersionTooNew {
                found: 9,
                min: 1,
                max: 1,
            },
        ];
        for e in &all {
            let en = decode_error_text(e).render(Lang::En);
            for lang in Lang::ALL {
                let text = decode_error_text(e).render(lang);
                assert!(!text.is_empty() && !text.contains('{'), "{lang:?}: {text}");
                if !matches!(
                    e,
                    DecodeError::VersionTooOld { .. } | DecodeError::VersionTooNew { .. }
                ) {
                    assert!(text.contains('7'), "{lang:?}: {text}");
                }
            }
            // English says what the trace crate says, word for word.
            assert_eq!(en, e.to_string(), "{e:?}");
        }
    }
    /// Issue 17, item 12: analyze's errors about a file are said in the
    /// user's language (their English `Display` stays for logs).
    #[test]
    fn a_reading_error_is_said_in_the_language() {
        use crate::i18n::Lang;
        let e = RecordingError::Invalid {
            path: PathBuf::from("r.jsonl"),
            line: 3,
            reason: "x".into(),
        };
        assert_eq!(e.text().render(Lang::En), e.to_string());
        assert_eq!(e.text().render(Lang::Fr), "r.jsonl, ligne 3\u{a0}: x");
        let e = RecordingError::TooNew {
            path: PathBuf::from("r.jsonl"),
            found: 9,
        };
        assert_eq!(e.text().render(Lang::En), e.to_string());
        assert!(e.text().render(Lang::ZhCn).contains("版本 9"));
    }

    use super::*;
    use crate::trace::ClientExit;
    use crate::trace::codec::encode;
    use crate::trace::test_records::hello;

    fn raw(r: &Record) -> String {
        encode(r).trim_end().to_string()
    }

    /// Regression (issue 17, item 4): `watch --out` followed a symbolic
    /// link and truncated its target, and created the recording 0644
    /// though it holds every client's trace.
    #[cfg(unix)]
    #[test]
    fn recorder_refuses_a_symlink_and_writes_0600() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let link = dir.path().join("rec.jsonl");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        let err = Recorder::create(&link).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        let path = dir.path().join("new.jsonl");
        Recorder::create(&path).unwrap().flush().unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn interleaved_streams_split_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rec.jsonl");
        let exit = Record::ClientExit(ClientExit { t_ns: 9, code: 0 });
        let mut r = Recorder::create(&path).unwrap();
        let now = SystemTime::now();
        r.open(1, Some(100), now).unwrap();
        r.open(2, None, now).unwrap();
        r.line(1, &raw(&hello(100))).unwrap();
        r.line(2, &raw(&hello(200))).unwrap();
        r.line(1, &raw(&exit)).unwrap();
        r.close(1, None, now).unwrap();
        r.close(2, Some("line 2: invalid record"), now).unwrap();
        r.open(3, None, now).unwrap();
        r.line(3, &raw(&hello(300))).unwrap();
        r.flush().unwrap();
        drop(r);

        let rec = read_recording(&path).unwrap();
        assert!(rec.started_at.is_some());
        assert_eq!(rec.streams.len(), 3);
        assert_eq!(rec.streams[0].records, vec![hello(100), exit]);
        assert_eq!(rec.streams[0].peer_pid, Some(100));
        assert!(rec.streams[0].closed && rec.streams[0].error.is_none());
        assert_eq!(rec.streams[1].records, vec![hello(200)]);
        assert_eq!(
            rec.streams[1].error.as_deref(),
            Some("line 2: invalid record")
        );
        assert!(!rec.streams[2].closed);
        assert_eq!(rec.truncated, None);

        // A killed recorder leaves half a line: ignored, flagged.
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("{\"conn\":3,\"li");
        std::fs::write(&path, text).unwrap();
        let rec = read_trace_or_recording(&path).unwrap();
        assert_eq!(rec.truncated, Some(11));
        assert_eq!(rec.streams.len(), 3);
    }

    #[test]
    fn plain_trace_opens_as_one_stream() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.jsonl");
        std::fs::write(&path, encode(&hello(7))).unwrap();
        let rec = read_trace_or_recording(&path).unwrap();
        assert_eq!(rec.streams.len(), 1);
        assert_eq!(rec.streams[0].records, vec![hello(7)]);
        assert!(rec.streams[0].closed);
    }

    #[test]
    fn read_streams_keeps_truncation_apart_from_invalid_input() {
        let dir = tempfile::tempdir().unwrap();
        let exit = Record::ClientExit(ClientExit { t_ns: 9, code: 0 });
        // A trace cut in the middle of its second line.
        let full = format!("{}{}", encode(&hello(5)), encode(&exit));
        let cut = dir.path().join("cut.jsonl");
        std::fs::write(&cut, &full[..full.len() - 5]).unwrap();
        let streams = read_streams(&cut).unwrap();
        assert_eq!(streams.len(), 1);
        assert_eq!(streams[0].records, vec![hello(5)]);
        let why = streams[0].truncated.as_deref().unwrap();
        assert!(why.starts_with("line 2: truncated"), "{why}");

        // Not a trace: an error naming the file and the line.
        let text = dir.path().join("notes.txt");
        std::fs::write(&text, "hello\n").unwrap();
        let err = read_streams(&text).unwrap_err().to_string();
        assert!(err.contains("notes.txt: line 1:"), "{err}");

        // A spool directory: one stream per file, numbered in name order.
        let spool = dir.path().join("spool");
        std::fs::create_dir(&spool).unwrap();
        std::fs::write(spool.join("a.jsonl"), &full).unwrap();
        std::fs::write(spool.join("b.jsonl"), encode(&hello(6))).unwrap();
        let streams = read_streams(&spool).unwrap();
        assert_eq!(
            streams
                .iter()
                .map(|s| (s.conn, s.records.len()))
                .collect::<Vec<_>>(),
            [(1, 2), (2, 1)]
        );
        assert!(streams[1].file.ends_with("b.jsonl"));
        assert!(streams.iter().all(|s| s.truncated.is_none() && s.closed));

        // A recording cut short marks its streams, naming the line.
        let rec = dir.path().join("rec.jsonl");
        let mut r = Recorder::create(&rec).unwrap();
        r.open(4, Some(5), SystemTime::now()).unwrap();
        r.line(4, &raw(&hello(5))).unwrap();
        r.flush().unwrap();
        drop(r);
        let mut text = std::fs::read_to_string(&rec).unwrap();
        text.push_str("{\"conn\":4,");
        std::fs::write(&rec, text).unwrap();
        let streams = read_streams(&rec).unwrap();
        assert_eq!(streams[0].conn, 4);
        assert_eq!(streams[0].peer_pid, Some(5));
        assert!(!streams[0].closed);
        let why = streams[0].truncated.as_deref().unwrap();
        assert!(why.starts_with("line 4: truncated"), "{why}");
    }

    #[test]
    fn errors_name_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.jsonl");
        std::fs::write(
            &path,
            "{\"recording\":\"mapi-shutdown\",\"version\":1}\nnot json\n",
        )
        .unwrap();
        let err = read_recording(&path).unwrap_err().to_string();
        assert!(err.contains("bad.jsonl, line 2"), "{err}");
        std::fs::write(&path, "{\"recording\":\"mapi-shutdown\",\"version\":9}\n").unwrap();
        let err = read_recording(&path).unwrap_err().to_string();
        assert!(err.contains("too new"), "{err}");
    }
}
