//! The `hamkor` command. The only place that wires concrete parts together.
use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod store_cmds;

#[derive(Parser)]
#[command(name = "hamkor", version, about = "An offline observatory of cooperation in Central Asia")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    #[command(flatten)]
    Store(store_cmds::StoreCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Store(cmd) => store_cmds::run(cmd),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("hamkor: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
