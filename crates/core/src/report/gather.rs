//! Reading many traces, recordings and spool folders for one report, in
//! parallel: a share where thousands of desktops drop their spool files
//! holds thousands of small files. [`gather`] lists the files (a folder's
//! `*.jsonl` files in name order, as [`read_streams`] reads a spool
//! folder), reads and analyses them on a few worker threads (each takes
//! the next file; a file's records are dropped as soon as its sessions
//! are analysed), reports progress after each file, and returns the
//! sessions in input order, numbered 1, 2, … ([`Gathered`]). Only the
//! summary's small facts are kept per session when the report is a
//! summary ([`Detail`]), so memory stays bounded by the files in flight,
//! not by the fleet.
//!
//! Like the `report` command, it refuses input it cannot report
//! faithfully ([`GatherError`]): the first failing file in input order is
//! named, whatever order the workers met them in.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::fleet::{AUTO_SUMMARY_ABOVE, Detail, SessionFacts};
use super::model::{Gathered, SessionChoice, SessionInput, SessionReport};
use crate::monitor::analysis::{AnalysisOptions, ProcessTrace};
use crate::monitor::{RecordingError, read_streams};

/// What to read and keep.
#[derive(Clone, Debug, Default)]
pub struct GatherOptions {
    /// Every session in full, or only the summary's facts.
    pub detail: Detail,
    /// Which sessions (`All`, or `Pid`; `Selected` and `None` keep none:
    /// files have no Live-panel selection).
    pub sessions: SessionChoice,
    /// The analysis thresholds.
    pub analysis: AnalysisOptions,
    /// Worker threads; 0: one per CPU, at most 8.
    pub threads: usize,
}

/// How far [`gather`] is, after each file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Files read so far.
    pub files_done: usize,
    /// Files to read.
    pub files: usize,
    /// Sessions found so far.
    pub sessions: usize,
}

/// Why the inputs cannot be reported.
#[derive(Debug, thiserror::Error)]
pub enum GatherError {
    /// A file or folder cannot be read, or is not a trace (names the file
    /// and line).
    #[error(transparent)]
    Read(#[from] RecordingError),
    /// A folder cannot be listed.
    #[error("{}: {source}", path.display())]
    List {
        /// The folder.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A file ends in the middle of a line.
    #[error("{}: {why}", file.display())]
    Truncated {
        /// The file.
        file: PathBuf,
        /// Where, naming the line.
        why: String,
    },
    /// An input holds no trace record.
    #[error("{}: not a trace: it holds no trace record", path.display())]
    NotATrace {
        /// The file or folder given.
        path: PathBuf,
    },
}

/// The files to read: each input file as is, each folder's `*.jsonl`
/// files in name order; with the input each came from.
///
/// # Errors
/// [`GatherError::List`] when a folder cannot be listed.
pub fn list_files(paths: &[PathBuf]) -> Result<Vec<(usize, PathBuf)>, GatherError> {
    let mut files = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        if path.is_dir() {
            let list = |e| GatherError::List {
                path: path.clone(),
                source: e,
            };
            let mut found = Vec::new();
            for entry in std::fs::read_dir(path).map_err(list)? {
                let p = entry.map_err(list)?.path();
                if p.extension().is_some_and(|x| x == "jsonl") && p.is_file() {
                    found.push(p);
                }
            }
            found.sort();
            files.extend(found.into_iter().map(|p| (i, p)));
        } else {
            files.push((i, path.clone()));
        }
    }
    Ok(files)
}

/// One file's sessions.
struct FileOut {
    any_records: bool,
    sessions: Vec<(Option<SessionReport>, SessionFacts)>,
}

/// Read one file: its streams, each analysed into a report (kept when
/// `keep`) and its facts.
fn read_one(
    file: &Path,
    options: &GatherOptions,
    keep: &dyn Fn() -> bool,
) -> Result<FileOut, GatherError> {
    let streams = read_streams(file)?;
    if let Some(s) = streams.iter().find(|s| s.truncated.is_some()) {
        return Err(GatherError::Truncated {
            file: s.file.clone(),
            why: s
                .truncated
                .clone()
                .unwrap_or_else(|| crate::tr!("report-cli-truncated-why")),
        });
    }
    let several = streams.len() > 1;
    let any_records = streams.iter().any(|s| !s.records.is_empty());
    let file_text = file.display().to_string();
    let mut sessions = Vec::with_capacity(streams.len());
    for stream in streams {
        let source = if several {
            crate::tr!(
                "report-cli-source-connection",
                file = stream.file.display().to_string(),
                conn = stream.conn.to_string()
            )
        } else {
            stream.file.display().to_string()
        };
        let trace = ProcessTrace::from_records(&stream.records);
        let records = u64::try_from(stream.records.len()).unwrap_or(u64::MAX);
        drop(stream.records);
        let input_session = SessionInput {
            session: 0,
            trace: &trace,
            state: stream.state,
            peer_pid: stream.peer_pid,
            error: stream.error.as_deref(),
            records,
            dropped: 0,
            source: Some(&source),
            file: Some(&file_text),
        };
        let chosen = match &options.sessions {
            SessionChoice::All => true,
            SessionChoice::Pid { pid } => input_session.pid() == Some(*pid),
            SessionChoice::Selected { .. } | SessionChoice::None => false,
        };
        if !chosen {
            continue;
        }
        let report = SessionReport::build(&input_session, &options.analysis);
        let facts = SessionFacts::of(&report, Some(&file_text), options.analysis.slow_provider_ns);
        sessions.push((keep().then_some(report), facts));
    }
    Ok(FileOut {
        any_records,
        sessions,
    })
}

/// Read every file of `paths` on worker threads and analyse its sessions
/// (see the module docs), calling `progress` after each file (from the
/// workers: keep it cheap).
///
/// # Errors
/// The first failing file in input order ([`GatherError`]); an input whose
/// files hold no record at all is [`GatherError::NotATrace`].
pub fn gather(
    paths: &[PathBuf],
    options: &GatherOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Gathered, GatherError> {
    let files = list_files(paths)?;
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get().min(8)),
        n => n,
    }
    .clamp(1, files.len().max(1));
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let found = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let slots: Vec<Mutex<Option<Result<FileOut, GatherError>>>> =
        files.iter().map(|_| Mutex::new(None)).collect();
    let lang = crate::i18n::current();
    let keep = || match options.detail {
        Detail::Full => true,
        Detail::Summary => false,
        Detail::Auto => found.load(Ordering::Relaxed) <= AUTO_SUMMARY_ABOVE,
    };
    std::thread::scope(|scope| {
        for n in 0..threads {
            // A reading thread speaks the caller's language (a thread has
            // none of its own); the caller's own thread is left as it is.
            let work = |pin: bool| {
                if pin {
                    crate::i18n::set_thread_lang(Some(lang));
                }
                while !stop.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((_, file)) = files.get(i) else {
                        break;
                    };
                    let out = read_one(file, options, &keep);
                    match &out {
                        Ok(o) => {
                            found.fetch_add(o.sessions.len(), Ordering::Relaxed);
                        }
                        Err(_) => stop.store(true, Ordering::Relaxed),
                    }
                    if let Some(slot) = slots.get(i) {
                        *slot
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(out);
                    }
                    progress(Progress {
                        files_done: done.fetch_add(1, Ordering::Relaxed) + 1,
                        files: files.len(),
                        sessions: found.load(Ordering::Relaxed),
                    });
                }
            };
            // Scoped threads cannot fail to join; a thread that cannot be
            // started leaves its share to the others (the last one runs
            // here, on the caller's thread).
            if n + 1 == threads {
                work(false);
            } else if std::thread::Builder::new()
                .name(format!("report-read-{n}"))
                .spawn_scoped(scope, move || work(true))
                .is_err()
            {
                continue;
            }
        }
    });
    // In input order: the first failing file, or the first input whose
    // files hold no record, is the error (as reading one by one would).
    let mut outs = Vec::with_capacity(slots.len());
    let mut slots = slots
        .into_iter()
        .zip(files.iter().map(|(i, _)| *i))
        .peekable();
    for (input, path) in paths.iter().enumerate() {
        let mut any = false;
        while let Some((slot, _)) = slots.next_if(|(_, i)| *i == input) {
            match slot
                .into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
            {
                Some(Ok(out)) => {
                    any |= out.any_records;
                    outs.push(out);
                }
                Some(Err(e)) => return Err(e),
                // Not read: a file after one that failed; that one is
                // reached first, in input order.
                None => {}
            }
        }
        if !any {
            return Err(GatherError::NotATrace { path: path.clone() });
        }
    }
    let total: usize = outs.iter().map(|o| o.sessions.len()).sum();
    let summarized = options.detail.summarizes(total);
    let mut gathered = Gathered {
        sessions: Vec::with_capacity(if summarized { 0 } else { total }),
        facts: Vec::with_capacity(total),
        summarized,
    };
    let mut id = 0u64;
    for (report, mut facts) in outs.into_iter().flat_map(|o| o.sessions) {
        id += 1;
        facts.row.session = id;
        if !summarized && let Some(mut r) = report {
            r.session = id;
            gathered.sessions.push(r);
        }
        gathered.facts.push(facts);
    }
    Ok(gathered)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn trace_text(host: Option<&str>) -> String {
        let session = crate::report::corpus::SyntheticSession {
            host: host.map(str::to_string),
            ..crate::report::corpus::fleet_session(0, 10)
        };
        session
            .records()
            .iter()
            .map(crate::trace::codec::encode)
            .collect()
    }

    #[test]
    fn a_folder_and_files_read_in_order_numbered_from_one() {
        let dir = tempfile::tempdir().unwrap();
        let spool = dir.path().join("spool");
        std::fs::create_dir(&spool).unwrap();
        for (name, host) in [("b.jsonl", "PC-B"), ("a.jsonl", "PC-A"), ("c.txt", "PC-C")] {
            write(&spool, name, &trace_text(Some(host)));
        }
        let single = write(dir.path(), "z.jsonl", &trace_text(None));
        let seen = Mutex::new(Vec::new());
        let g = gather(
            &[spool.clone(), single.clone()],
            &GatherOptions {
                threads: 2,
                ..GatherOptions::default()
            },
            &|p| seen.lock().unwrap().push(p),
        )
        .unwrap();
        // c.txt is not a spool file; the folder's files in name order.
        let hosts: Vec<Option<&str>> = g.facts.iter().map(|f| f.row.host.as_deref()).collect();
        assert_eq!(hosts, [Some("PC-A"), Some("PC-B"), None]);
        let ids: Vec<u64> = g.sessions.iter().map(|s| s.session).collect();
        assert_eq!(ids, [1, 2, 3]);
        assert!(!g.summarized);
        let seen = seen.into_inner().unwrap();
        assert_eq!(seen.len(), 3);
        assert!(seen.iter().any(|p| p.files_done == 3 && p.files == 3));
        // The machine without host is named by its file.
        assert_eq!(g.facts[2].machine_key, format!("file:{}", single.display()));
    }

    #[test]
    fn summary_keeps_facts_only_and_the_first_bad_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let ok = write(dir.path(), "ok.jsonl", &trace_text(Some("PC-1")));
        let g = gather(
            std::slice::from_ref(&ok),
            &GatherOptions {
                detail: Detail::Summary,
                ..GatherOptions::default()
            },
            &|_| {},
        )
        .unwrap();
        assert!(g.summarized && g.sessions.is_empty() && g.facts.len() == 1);

        let empty = write(dir.path(), "empty.jsonl", "");
        let bad = write(dir.path(), "bad.jsonl", "not json\n");
        // In input order: the empty file comes before the bad one.
        let e = gather(
            &[ok.clone(), empty.clone(), bad.clone()],
            &GatherOptions::default(),
            &|_| {},
        )
        .unwrap_err();
        assert!(
            matches!(&e, GatherError::NotATrace { path } if *path == empty),
            "{e}"
        );
        let e = gather(&[bad, empty.clone()], &GatherOptions::default(), &|_| {}).unwrap_err();
        assert!(matches!(e, GatherError::Read(_)), "{e}");
        let e = gather(&[ok, empty.clone()], &GatherOptions::default(), &|_| {}).unwrap_err();
        assert!(matches!(e, GatherError::NotATrace { path } if path == empty));
    }
}
