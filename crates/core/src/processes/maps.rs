//! The parser of Linux's `/proc/PID/maps`: the files mapped into a
//! process, each once. Pure (bytes in, modules out), so it is tested on
//! every OS; [`super::linux`] does the reading.
//!
//! A line is `start-end perms offset dev inode pathname` (proc(5)); the
//! pathname may contain spaces and ends with ` (deleted)` when the file
//! was removed after it was mapped. Anonymous mappings (inode 0) and
//! pseudo-paths (`[heap]`, `[stack]`, `[vdso]`) are not modules.

use std::collections::HashSet;

use super::{Module, file_name};

/// Append the distinct files mapped in `maps` (the content of one
/// `/proc/PID/maps`) to `out`, in address order of their first mapping.
/// Malformed lines are skipped: the kernel writes this file, and a torn
/// read of a changing process must not fail the scan.
pub fn parse_maps(maps: &[u8], out: &mut Vec<Module>) {
    let mut seen: HashSet<&[u8]> = HashSet::new();
    let mut last: Option<&[u8]> = None;
    for line in maps.split(|&b| b == b'\n') {
        let Some(path) = mapped_path(line) else {
            continue;
        };
        // Consecutive mappings of one file (text, data, bss) are the
        // common case: skip them without a search.
        if last == Some(path) {
            continue;
        }
        last = Some(path);
        if !seen.insert(path) {
            continue;
        }
        let path = String::from_utf8_lossy(path);
        out.push(Module {
            name: file_name(&path).to_owned(),
            path: path.into_owned(),
        });
    }
}

/// The pathname of a file-backed mapping line, without ` (deleted)`.
fn mapped_path(line: &[u8]) -> Option<&[u8]> {
    let mut rest = line;
    let mut inode: &[u8] = b"";
    // Five fields before the pathname: range, perms, offset, dev, inode.
    for i in 0..5 {
        rest = trim_start(rest);
        let end = rest.iter().position(|&b| b == b' ').unwrap_or(rest.len());
        if end == 0 {
            return None;
        }
        if i == 4 {
            inode = &rest[..end];
        }
        rest = &rest[end..];
    }
    if inode == b"0" {
        return None;
    }
    let path = trim_start(rest);
    if !path.starts_with(b"/") {
        return None;
    }
    Some(path.strip_suffix(b" (deleted)").unwrap_or(path))
}

fn trim_start(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|&&b| b == b' ' || b == b'\t').count();
    &s[n..]
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
55d0c8a00000-55d0c8a02000 r--p 00000000 08:01 1835106                    /usr/bin/sleep
55d0c8a02000-55d0c8a06000 r-xp 00002000 08:01 1835106                    /usr/bin/sleep
55d0c9c1e000-55d0c9c3f000 rw-p 00000000 00:00 0                          [heap]
7f1e2c000000-7f1e2c001000 r--s 00000000 00:2d 42                         /tmp/x/olmapi32.dll
7f1e2d000000-7f1e2d100000 r--p 00000000 08:01 99                         /opt/My Files/MSPST32.DLL (deleted)
7f1e2e000000-7f1e2e100000 r-xp 00000000 08:01 1311                       /usr/lib/x86_64-linux-gnu/libc.so.6
7f1e2e100000-7f1e2e200000 r--p 00100000 08:01 1311                       /usr/lib/x86_64-linux-gnu/libc.so.6
7f1e2e200000-7f1e2e300000 r--p 00000000 08:01 1835106                    /usr/bin/sleep
7f1e2f000000-7f1e2f001000 rw-p 00000000 00:00 0 
7ffd1a1f0000-7ffd1a211000 rw-p 00000000 00:00 0                          [stack]
7ffd1a3ce000-7ffd1a3d2000 r--p 00000000 00:00 0                          [vvar]
garbage
";

    #[test]
    fn files_once_in_address_order_without_pseudo_paths() {
        let mut out = Vec::new();
        parse_maps(SAMPLE.as_bytes(), &mut out);
        let paths: Vec<&str> = out.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(
            paths,
            vec![
                "/usr/bin/sleep",
                "/tmp/x/olmapi32.dll",
                "/opt/My Files/MSPST32.DLL",
                "/usr/lib/x86_64-linux-gnu/libc.so.6",
            ]
        );
        assert_eq!(out[2].name, "MSPST32.DLL");
    }

    #[test]
    fn empty_and_torn_input() {
        let mut out = Vec::new();
        parse_maps(b"", &mut out);
        parse_maps(
            b"7f1e2c000000-7f1e2c001000 r--s 00000000 00:2d 42",
            &mut out,
        );
        parse_maps(
            b"7f1e2c000000-7f1e2c001000 r--s 00000000 00:2d 42   /a/b.dll\n7f",
            &mut out,
        );
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].name, "b.dll");
    }
}
