//! The one way the subcommands write to standard output: [`text`] for
//! people, [`json`] for JSON documents, and the [`outln!`] / [`out!`]
//! macros over [`text`] that replace `println!` / `print!` in `src/cli`
//! and `src/main.rs`.
//!
//! A closed standard output (`mapi-shutdown policy history | head -1`) is
//! the reader saying it has read enough, not an error: on
//! [`std::io::ErrorKind::BrokenPipe`] the process exits at once with code
//! 0 and prints nothing (`println!` would panic, exit code 101). Any other
//! write error (a full disk) is reported on stderr, exit code 1. Commands
//! that must finish their work whatever happens to stdout (`watch` keeps
//! recording) use [`try_text`] instead.

use std::io::{self, Write};

use mapi_shutdown::tr;

/// Write `s` to stdout and flush.
fn write_stdout(s: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(s.as_bytes())?;
    out.flush()
}

/// End the process for a write error on stdout: quietly with 0 when the
/// reader went away (broken pipe), else with the error on stderr and 1.
fn exit_for(e: &io::Error) -> ! {
    if e.kind() == io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!(
        "mapi-shutdown: {}",
        tr!("cli-stdout-failed", error = e.to_string())
    );
    std::process::exit(1);
}

/// Print `s` (text for people) as it is. Exits the process on a write
/// error (see the module docs).
pub fn text(s: &str) {
    if let Err(e) = write_stdout(s) {
        exit_for(&e);
    }
}

/// Print JSON `s` (a document or JSON Lines, with its final newline)
/// exactly as given. Exits the process on a write error (see the module
/// docs).
pub fn json(s: &str) {
    if let Err(e) = write_stdout(s) {
        exit_for(&e);
    }
}

/// Print `s` like [`text`], but return `false` instead of exiting when
/// stdout cannot be written (closed pipe included).
pub fn try_text(s: &str) -> bool {
    write_stdout(s).is_ok()
}

/// Print `s` like [`json`], but return `false` instead of exiting when
/// stdout cannot be written (closed pipe included).
pub fn try_json(s: &str) -> bool {
    write_stdout(s).is_ok()
}

/// `println!` through [`text`].
macro_rules! outln {
    () => {
        $crate::cli::out::text("\n")
    };
    ($($arg:tt)*) => {
        $crate::cli::out::text(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` through [`text`].
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::out::text(&format!($($arg)*))
    };
}

pub(crate) use {out, outln};
