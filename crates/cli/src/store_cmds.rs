//! Commands over the store: ingest, recode, search, events, show, stats, demo.
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum StoreCommand {
    /// Print counts of what the store holds.
    Stats,
}

pub fn run(cmd: StoreCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        StoreCommand::Stats => Ok(ExitCode::SUCCESS),
    }
}
