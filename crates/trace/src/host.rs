//! The computer name a stream's `hello` carries (`host`), so that a report
//! across many machines can tell them apart: Windows' `GetComputerNameW`
//! (the NetBIOS name, what `%COMPUTERNAME%` holds), `gethostname` on other
//! systems. Read once by a writer at its start; never panics, and answers
//! `None` rather than guess (a report groups a trace without `host` under
//! its file).

/// The longest name kept, in UTF-16 units or bytes: a NetBIOS name has at
/// most 15 characters, a DNS host name at most 255 bytes.
const MAX_NAME: usize = 256;

/// This computer's name, or `None` when the OS does not give one (or it is
/// empty). Costs one system call and one small allocation for the answer.
pub fn computer_name() -> Option<String> {
    let name = os_name()?;
    let name = name.trim();
    (!name.is_empty()).then(|| name.to_string())
}

#[cfg(windows)]
fn os_name() -> Option<String> {
    use windows_sys::Win32::System::WindowsProgramming::GetComputerNameW;
    let mut buf = [0u16; MAX_NAME];
    let mut len = MAX_NAME as u32;
    // SAFETY: `buf` holds `len` UTF-16 units; the call writes at most that
    // many (with the terminator) and sets `len` to the name's length.
    let ok = unsafe { GetComputerNameW(buf.as_mut_ptr(), &mut len) };
    if ok == 0 {
        return std::env::var("COMPUTERNAME").ok();
    }
    let len = (len as usize).min(MAX_NAME);
    Some(String::from_utf16_lossy(&buf[..len]))
}

#[cfg(unix)]
fn os_name() -> Option<String> {
    let mut buf = [0u8; MAX_NAME];
    // SAFETY: `buf` holds `MAX_NAME` bytes and the call writes at most
    // that many; the name may lack its NUL when truncated, handled below.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), MAX_NAME) };
    if rc != 0 {
        return None;
    }
    let len = buf.iter().position(|&b| b == 0).unwrap_or(MAX_NAME);
    Some(String::from_utf8_lossy(&buf[..len]).into_owned())
}

#[cfg(not(any(windows, unix)))]
fn os_name() -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn computer_name_is_trimmed_and_not_empty() {
        // Every test machine (Linux, Windows under Wine) has a name;
        // whatever it is, it is kept as given, without surrounding blanks.
        let name = super::computer_name().expect("the OS names this computer");
        println!("computer name: {name}");
        assert!(!name.is_empty());
        assert_eq!(name, name.trim());
        assert!(name.len() <= super::MAX_NAME);
    }
}
