//! The `hamkor` command. The only place that wires concrete parts together.
use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod code_cmd;
mod store_cmds;

#[derive(Parser)]
#[command(name = "hamkor", version, about = "An offline observatory of cooperation in Central Asia")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Code documents into cooperation events: spec input lines in, spec output lines out.
    Code(code_cmd::CodeArgs),
    /// Show what the coder sees in a text: the terms it finds, the dates and the events.
    Explain(code_cmd::ExplainArgs),
    /// Transliterate Uzbek text, one line in, one line out.
    Translit(code_cmd::TranslitArgs),
    #[command(flatten)]
    Store(store_cmds::StoreCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Code(args) => code_cmd::run_code(args),
        Command::Translit(args) => code_cmd::run_translit(args),
        Command::Explain(args) => code_cmd::run_explain(args),
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
