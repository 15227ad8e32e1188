//! The `mapi-shutdown` binary: the command line (clap), and with no
//! subcommand the desktop application.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Edit, watch and explain MAPI client fast shutdown.
#[derive(Debug, Parser)]
#[command(name = "mapi-shutdown", version, about)]
struct Cli {
    /// Name of the local endpoint the monitor listens on and instrumented
    /// clients connect to (default: one per user).
    #[arg(
        long,
        global = true,
        env = "MAPI_SHUTDOWN_ENDPOINT",
        value_name = "NAME"
    )]
    endpoint: Option<String>,

    /// Registry store: `windows`, `file:PATH` or `memory`.
    #[arg(
        long,
        global = true,
        env = "MAPI_SHUTDOWN_REGISTRY",
        value_name = "SPEC"
    )]
    registry: Option<String>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => {
            eprintln!(
                "mapi-shutdown: the GUI is not built yet. Use a subcommand (see `mapi-shutdown --help`)."
            );
            ExitCode::from(2)
        }
    }
}
