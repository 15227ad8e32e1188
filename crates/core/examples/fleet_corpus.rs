//! Write a synthetic fleet of spool files for the fleet report's figures
//! (docs/benchmarks.md, "Fleet report"): `N` sessions (default 10,000) of
//! `M` machines (default 2,500), one spool file each, into `DIR`
//! ([`mapi_shutdown_core::report::corpus::write_spool`]).
//!
//! ```sh
//! cargo run --release -p mapi-shutdown-core --example fleet_corpus -- /tmp/fleet 10000 2500
//! ```

use std::path::PathBuf;
use std::time::Instant;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "fleet-corpus".into()));
    let count: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let machines: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2_500);
    let started = Instant::now();
    let calls = mapi_shutdown_core::report::corpus::write_spool(&dir, count, machines)?;
    println!(
        "{count} spool files, {calls} calls, {machines} machines at most, in {} ({:.1} s)",
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
