//! The process scanner's cost: a full scan with modules
//! (`Scanner::scan`: sysinfo refresh, the modules of every process,
//! catalog, classification) beside the **raw** cost in the same run: the
//! same sysinfo refresh on a `System` of its own plus reading every
//! `/proc/PID/maps` into memory (Linux), the least any scanner must do.
//! Both keep their sysinfo state between rounds, as the GUI's periodic
//! refresh does; rounds are interleaved so that machine noise hits both.
//!
//! Two populations: the processes of this machine, then the same plus
//! 1,000 spawned `sleep` processes (bounded, killed and reaped at the end,
//! also on panic). Goal (issue 5): the scan within 1.5x of the raw cost.
//! A plain `main` with manual timing (the figure is a ratio). Results and
//! the command are in docs/benchmarks.md.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mapi_shutdown::processes::system::SysinfoSource;
use mapi_shutdown::processes::{MapiSvcChoice, ScanOptions, Scanner};
use sysinfo::{ProcessesToUpdate, System};

/// Synthetic processes for the second population.
const SLEEPERS: usize = 1_000;
/// Rounds per population (each: one raw pass and one scan).
const ROUNDS: usize = 15;

/// Spawned sleepers, killed and reaped when dropped.
struct Sleepers(Vec<Child>);

impl Drop for Sleepers {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
        }
        for c in &mut self.0 {
            let _ = c.wait();
        }
    }
}

fn spawn_sleepers(n: usize) -> Sleepers {
    let mut s = Sleepers(Vec::with_capacity(n));
    for _ in 0..n {
        match Command::new("sleep")
            .arg("600")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        {
            Ok(c) => s.0.push(c),
            Err(e) => {
                eprintln!("could only spawn {} sleepers: {e}", s.0.len());
                break;
            }
        }
    }
    s
}

/// The raw pass: sysinfo refresh + every maps file read. Returns (files
/// read, bytes).
fn raw_pass(system: &mut System) -> (usize, usize) {
    system.refresh_processes_specifics(ProcessesToUpdate::All, true, SysinfoSource::refresh_kind());
    let mut files = 0;
    let mut bytes = 0;
    // Processes only, as the scanner lists them (sysinfo also keeps the
    // threads it has seen).
    for (pid, _) in system
        .processes()
        .iter()
        .filter(|(_, p)| p.thread_kind().is_none())
    {
        if let Ok(b) = std::fs::read(format!("/proc/{}/maps", pid.as_u32())) {
            files += 1;
            bytes += b.len();
        }
    }
    (files, bytes)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn population(label: &str) {
    let mut system = System::new().expect("sysinfo");
    let mut scanner = Scanner::system(ScanOptions {
        mapisvc: MapiSvcChoice::Off,
        system32: None,
    })
    .expect("scanner");
    // Warm both (first refresh reads exe/cmd/user of every process).
    let (files, bytes) = raw_pass(&mut system);
    let first = scanner.scan(&[]).expect("scan");
    let procs = first.processes.len();
    let modules: usize = first.processes.iter().map(|p| p.module_list().len()).sum();
    let denied = first.uninspected().count();
    let mut raw = Vec::new();
    let mut scan = Vec::new();
    for _ in 0..ROUNDS {
        let t = Instant::now();
        std::hint::black_box(raw_pass(&mut system));
        raw.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(scanner.scan(&[]).expect("scan"));
        scan.push(t.elapsed());
    }
    let (raw, scan) = (median(raw), median(scan));
    println!(
        "{label}: {procs} processes ({files} maps files, {:.1} MB, {modules} modules, \
         {denied} not inspected)\n  raw (sysinfo refresh + read every maps): {:.2} ms\n  \
         full scan with modules:                 {:.2} ms\n  ratio: {:.2}x (goal <= 1.5x)",
        bytes as f64 / 1e6,
        ms(raw),
        ms(scan),
        scan.as_secs_f64() / raw.as_secs_f64()
    );
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument is a filter we
    // do not support: run everything.
    if !cfg!(target_os = "linux") {
        eprintln!("the raw baseline reads /proc: Linux only");
        return;
    }
    population("this machine");
    let sleepers = spawn_sleepers(SLEEPERS);
    std::thread::sleep(Duration::from_millis(300));
    population(&format!("this machine + {} sleepers", sleepers.0.len()));
    drop(sleepers);
}
