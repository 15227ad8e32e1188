//! Where trace records go: a [`Sink`] trait with an in-memory sink (tests,
//! and `simulate`'s own summary), a JSON Lines file sink, and a tee that
//! writes to several. The emitter's writer thread is the only caller.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::Record;
use super::codec::encode;

/// A destination for records. Called only from the emitter's writer thread.
pub trait Sink: Send + 'static {
    /// Write one record (may buffer).
    ///
    /// # Errors
    /// The destination's I/O error; the emitter then stops writing to this
    /// sink and counts later records as dropped.
    fn write(&mut self, record: &Record) -> io::Result<()>;
    /// Push buffered records out.
    ///
    /// # Errors
    /// The destination's I/O error.
    fn flush(&mut self) -> io::Result<()>;
    /// A short description for messages: `file /tmp/t.jsonl`.
    fn describe(&self) -> String;
}

/// Records kept in memory; clones share the same list.
#[derive(Clone, Debug, Default)]
pub struct MemorySink {
    records: Arc<Mutex<Vec<Record>>>,
}

impl MemorySink {
    /// An empty sink.
    pub fn new() -> Self {
        Self::default()
    }

    /// A copy of every record written so far.
    pub fn records(&self) -> Vec<Record> {
        match self.records.lock() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}

impl Sink for MemorySink {
    fn write(&mut self, record: &Record) -> io::Result<()> {
        match self.records.lock() {
            Ok(mut g) => g.push(record.clone()),
            Err(poisoned) => poisoned.into_inner().push(record.clone()),
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn describe(&self) -> String {
        "memory".to_string()
    }
}

/// A JSON Lines file, created (or truncated) when the sink is opened:
/// Unix mode 0600, never through a symbolic link
/// ([`crate::files::create_private_stream`], which says why a stream is
/// not written to a temporary file and renamed).
#[derive(Debug)]
pub struct FileSink {
    out: BufWriter<File>,
    path: PathBuf,
}

impl FileSink {
    /// Create `path` (truncating an existing file, made 0600; a symbolic
    /// link is refused).
    ///
    /// # Errors
    /// The I/O error, with the path in its message.
    pub fn create(path: &Path) -> io::Result<Self> {
        let file = crate::files::create_private_stream(path)
            .map_err(|e| io::Error::new(e.kind(), format!("trace file: {e}")))?;
        Ok(FileSink {
            out: BufWriter::new(file),
            path: path.to_path_buf(),
        })
    }
}

impl Sink for FileSink {
    fn write(&mut self, record: &Record) -> io::Result<()> {
        self.out.write_all(encode(record).as_bytes())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn describe(&self) -> String {
        format!("file {}", self.path.display())
    }
}

/// Writes every record to each of its sinks; fails when any fails.
pub struct TeeSink {
    sinks: Vec<Box<dyn Sink>>,
}

impl TeeSink {
    /// A tee over `sinks`, written in order.
    pub fn new(sinks: Vec<Box<dyn Sink>>) -> Self {
        TeeSink { sinks }
    }
}

impl Sink for TeeSink {
    fn write(&mut self, record: &Record) -> io::Result<()> {
        for sink in &mut self.sinks {
            sink.write(record)?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        for sink in &mut self.sinks {
            sink.flush()?;
        }
        Ok(())
    }

    fn describe(&self) -> String {
        let parts: Vec<String> = self.sinks.iter().map(|s| s.describe()).collect();
        parts.join(" + ")
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// Regression (issue 17, item 4): `simulate --trace-out` followed a
    /// symbolic link and truncated its target.
    #[test]
    fn trace_out_refuses_a_symlink_and_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let link = dir.path().join("trace.jsonl");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        let err = FileSink::create(&link).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        let path = dir.path().join("t.jsonl");
        FileSink::create(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
