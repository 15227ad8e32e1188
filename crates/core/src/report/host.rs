//! Where a report was taken: the host, the user, the OS and this product's
//! version. A plain struct so that tests and golden files fill it by hand;
//! [`HostInfo::gather`] reads the real values at the edge (sysinfo for
//! the host name and OS, the environment for the user).

use serde::{Deserialize, Serialize};

/// The machine and user a report describes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostInfo {
    /// The computer's name (`WS-0042`); `unknown` when the OS does not say.
    pub host_name: String,
    /// The user the report was taken as (`CONTOSO\jdoe` on Windows when
    /// the domain is known, else the account name); `unknown` when not set.
    pub user: String,
    /// The OS in words (`Windows 11 Pro (26100)`, `Linux (Debian GNU/Linux 12)`).
    pub os: String,
    /// The product and version that wrote the report (`mapi-shutdown 0.1.0`).
    pub product: String,
}

impl HostInfo {
    /// This product's name and version, from Cargo.toml.
    pub fn product_version() -> String {
        format!("mapi-shutdown {}", env!("CARGO_PKG_VERSION"))
    }

    /// Read this machine's values: the host name and OS from sysinfo, the
    /// user from `USERDOMAIN`/`USERNAME` (Windows) or `USER`/`LOGNAME`.
    /// Never fails: what cannot be read is `unknown`.
    pub fn gather() -> HostInfo {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let user = if cfg!(windows) {
            match (env("USERDOMAIN"), env("USERNAME")) {
                (Some(domain), Some(user)) => Some(format!("{domain}\\{user}")),
                (None, Some(user)) => Some(user),
                _ => None,
            }
        } else {
            env("USER").or_else(|| env("LOGNAME"))
        };
        let os = sysinfo::System::long_os_version()
            .ok()
            .or_else(|| sysinfo::System::name().ok())
            .unwrap_or_else(|| std::env::consts::OS.to_string());
        HostInfo {
            host_name: sysinfo::System::host_name()
                .ok()
                .filter(|h| !h.is_empty())
                .unwrap_or_else(|| "unknown".to_string()),
            user: user.unwrap_or_else(|| "unknown".to_string()),
            os,
            product: HostInfo::product_version(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gather_fills_every_field() {
        let h = HostInfo::gather();
        for (what, v) in [
            ("host", &h.host_name),
            ("user", &h.user),
            ("os", &h.os),
            ("product", &h.product),
        ] {
            assert!(!v.trim().is_empty(), "{what} is empty");
        }
        assert!(h.product.starts_with("mapi-shutdown "), "{}", h.product);
    }
}
