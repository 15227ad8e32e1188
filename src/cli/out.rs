//! The one way the subcommands write to standard output: [`text`] for
//! people, [`json`] for JSON documents, and the [`outln!`] / [`out!`]
//! macros over [`text`] that replace `println!` / `print!` in `src/cli`
//! and `src/main.rs`; and to standard error, the [`errln!`] macro that
//! replaces `eprintln!` there.
//!
//! Text for people shows names that come from clients and files (an
//! executable, a provider, a registry key, a path): a name holding
//! `ESC [2J` or `ESC ]0;title BEL` would clear the screen or retitle the
//! terminal. So every control character in human output, on stdout and
//! stderr, is written as a visible escape ([`visible`]): `\x1b`, `\x00`,
//! `\x7f` for the ASCII ones, `\u{9b}` for the C1 controls; only the
//! line feed and the tab are kept. JSON ([`json`]) is written exactly:
//! serde_json already escapes the C0 controls inside strings, and a
//! script reads the data as it was sent.
//!
//! A closed standard output (`mapi-shutdown policy history | head -1`) is
//! the reader saying it has read enough, not an error: on
//! [`std::io::ErrorKind::BrokenPipe`] the process exits at once with code
//! 0 and prints nothing (`println!` would panic, exit code 101). Any other
//! write error (a full disk) is reported on stderr, exit code 1. Commands
//! that must finish their work whatever happens to stdout (`watch` keeps
//! recording) use [`try_text`] instead.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

use mapi_shutdown::tr;

/// `s` with every control character but `\n` and `\t` written as a
/// visible escape: `\x1b` (U+0000 to U+007F), `\u{9b}` (U+0080 to
/// U+009F). Borrowed when there is none.
pub fn visible(s: &str) -> Cow<'_, str> {
    let shown = |c: char| !c.is_control() || c == '\n' || c == '\t';
    if s.chars().all(shown) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if shown(c) {
            out.push(c);
        } else if u32::from(c) < 0x80 {
            let _ = write!(out, "\\x{:02x}", u32::from(c));
        } else {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
    Cow::Owned(out)
}

/// Write `s` (text for people) to stderr, its control characters made
/// [`visible`]. Write errors are ignored: there is nowhere left to report
/// them.
pub fn err_text(s: &str) {
    let mut err = io::stderr().lock();
    let _ = err.write_all(visible(s).as_bytes());
    let _ = err.flush();
}

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
    err_text(&format!(
        "mapi-shutdown: {}\n",
        tr!("cli-stdout-failed", error = e.to_string())
    ));
    std::process::exit(1);
}

/// Print `s` (text for people), its control characters made
/// [`visible`]. Exits the process on a write error (see the module docs).
pub fn text(s: &str) {
    if let Err(e) = write_stdout(&visible(s)) {
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
    write_stdout(&visible(s)).is_ok()
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

/// `eprintln!` through [`err_text`].
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::out::err_text(&format!("{}\n", format_args!($($arg)*)))
    };
}

pub(crate) use {errln, out, outln};

#[cfg(test)]
mod tests {
    use super::visible;

    #[test]
    fn control_characters_become_visible_escapes() {
        assert_eq!(visible("OUTLOOK.EXE\tline\n"), "OUTLOOK.EXE\tline\n");
        assert_eq!(
            visible("\u{1b}[2J\u{1b}]0;pwned\u{7}x\0\r\u{7f}\u{9b}é"),
            "\\x1b[2J\\x1b]0;pwned\\x07x\\x00\\x0d\\x7f\\u{9b}é"
        );
    }
}
