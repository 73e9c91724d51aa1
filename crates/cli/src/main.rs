//! The `hamkor` command. The only place that wires concrete parts together.
use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod analysis_cmds;
mod code_cmd;
mod eval_cmd;
mod filter_args;
mod import_cmd;
mod interop_cmds;
mod registry_cmds;
mod server_cmds;
mod store_cmds;
mod terminal;

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
    /// Score the coder against hand-coded gold events: the figures of ../shared/eval/score.py
    /// (overall, by type, by language, domains, dates ignored) and the missed and false events
    /// with their evidence.
    ///
    /// `hamkor eval GOLD --system CODED [--corpus CORPUS]` scores a `hamkor code` output;
    /// `hamkor eval GOLD --db PATH` codes the gold's documents as a store holds them (gold from
    /// `hamkor export --format gold`, or lines whose ids a JSON lines ingest gave the documents).
    Eval(eval_cmd::EvalArgs),
    #[command(flatten)]
    Store(store_cmds::StoreCommand),
    /// Take back what was made elsewhere: `import events` loads events coded on Spark.
    #[command(subcommand)]
    Import(import_cmd::ImportCommand),
    #[command(flatten)]
    Server(server_cmds::ServerCommand),
    #[command(flatten)]
    Analysis(analysis_cmds::AnalysisCommand),
    /// List the registry's agreements with each party's lifecycle, or show one (`show ID`).
    Agreements(registry_cmds::AgreementsArgs),
    /// The registry of agreements and events: import records, status, canonical events.
    #[command(subcommand)]
    Registry(registry_cmds::RegistryCommand),
    /// Cross-check a text (a file, or a stored document) against the registry: every claim that
    /// conflicts with it, and every claim it corroborates, with the sources.
    ///
    /// Exit status: 0 no conflict; 1 conflicts found; 2 the text could not be checked.
    Check(registry_cmds::CheckArgs),
}

/// The hidden first argument that makes this binary an extraction process for `ingest`
/// (hamkor_ingest::sandbox): not a command for people.
pub(crate) const EXTRACT_WORKER: &str = "__extract-worker";

/// HTML, PDF, DOCX and feeds are extracted by this same binary in child processes.
pub(crate) fn isolation() -> hamkor_ingest::Isolation {
    match std::env::current_exe() {
        Ok(program) => hamkor_ingest::Isolation::Process { program, args: vec![EXTRACT_WORKER.into()] },
        Err(_) => hamkor_ingest::Isolation::InProcess,
    }
}

fn main() -> ExitCode {
    if std::env::args_os().nth(1).is_some_and(|a| a == EXTRACT_WORKER) {
        hamkor_ingest::sandbox::serve();
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Code(args) => code_cmd::run_code(args),
        Command::Translit(args) => code_cmd::run_translit(args),
        Command::Eval(args) => eval_cmd::run_eval(args),
        Command::Explain(args) => code_cmd::run_explain(args),
        Command::Store(cmd) => store_cmds::run(cmd),
        Command::Import(cmd) => import_cmd::run(cmd),
        Command::Analysis(cmd) => analysis_cmds::run(cmd),
        Command::Server(cmd) => server_cmds::run(cmd),
        Command::Agreements(a) => registry_cmds::agreements(a),
        Command::Registry(cmd) => registry_cmds::registry(cmd),
        Command::Check(a) => registry_cmds::run_check(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("hamkor: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
