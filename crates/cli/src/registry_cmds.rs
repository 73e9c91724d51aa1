//! `hamkor agreements`, `hamkor registry …` and `hamkor check`: the registry of agreements and
//! events, canonical events (one happening, many reports), and the cross-check of a text.
//!
//! Thin like the other commands: flags are parsed into the store's and the registry's own types,
//! and what they return is printed as a table for people or as JSON.

use crate::store_cmds::DbArg;
use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use hamkor_coder::Coder;
use hamkor_model::{ActorCode, Domain, InputDocument, PartialDate};
use hamkor_registry::check::{check, CheckReport, Verdict};
use hamkor_registry::lifecycle::{Lifecycle, PartyStatus, StepFrom};
use hamkor_registry::{human_date, Agreement, Linker, Registry};
use hamkor_store::{SqliteStore, Store};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum OutFormat {
    Table,
    Json,
}

/// `hamkor agreements`: list, or `show ID`.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct AgreementsArgs {
    #[command(subcommand)]
    pub show: Option<AgreementsSub>,
    #[command(flatten)]
    pub list: AgreementsList,
}

#[derive(Subcommand)]
pub enum AgreementsSub {
    /// One agreement: its names, parties, lifecycle step by step with sources, and the coded
    /// events linked to it with their evidence.
    Show(AgreementShowArgs),
}

#[derive(Args)]
pub struct AgreementsList {
    #[command(flatten)]
    pub db: DbArg,
    /// Agreements this actor is a party to (KAZ, TJK...). Repeat: a party to all of them.
    #[arg(long, value_name = "CODE")]
    pub party: Vec<String>,
    /// education, health, culture, disaster, migration, water, borders, transport, economy, political.
    #[arg(long)]
    pub domain: Option<String>,
    /// not_signed, deferred, signed, ratified, exchanged, in_force, suspended, withdrawn: the
    /// status of the --party (the first one), else the agreement's (its least advanced signatory's).
    #[arg(long)]
    pub status: Option<String>,
    /// Signed (by any party) in this year.
    #[arg(long)]
    pub year: Option<i32>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutFormat,
}

#[derive(Args)]
pub struct AgreementShowArgs {
    /// The agreement's registry id (e.g. ca-friendship-treaty-2022).
    #[arg(value_name = "ID")]
    pub id: String,
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutFormat,
}

#[derive(Subcommand)]
pub enum RegistryCommand {
    /// Add or correct registry records from a JSON lines file (`-` for standard input).
    ///
    /// Lines have the shape of the built-in files (registry/frameworks.jsonl for agreements,
    /// registry/events.jsonl for events; see registry/README.md), optionally with "names" (per
    /// language) and "steps" (lifecycle). A new id adds your own record; the id of a built-in
    /// record keeps, as your correction, the fields that differ from it, and a newer hamkor's
    /// registry never overwrites them. Events are linked again afterwards.
    ///
    /// Exit status: 0 every line was taken; 1 some lines were refused (each is named with the
    /// reason); 2 nothing could be done.
    Import(RegistryImportArgs),
    /// What the registry holds, and how many reports are linked and merged.
    Status(RegistryStatusArgs),
    /// Canonical events (one happening, all its reports): list them, or show one with each
    /// report's evidence and why it was merged.
    Canonical(CanonicalArgs),
}

#[derive(Args)]
pub struct RegistryImportArgs {
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutFormat,
}

#[derive(Args)]
pub struct RegistryStatusArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutFormat,
}

#[derive(Args)]
pub struct CanonicalArgs {
    /// A canonical event's id: show it with its reports.
    #[arg(value_name = "ID")]
    pub id: Option<i64>,
    #[command(flatten)]
    pub db: DbArg,
    /// Which canonical events (the filters of `hamkor events`: some report must match the
    /// language, source and review state).
    #[command(flatten)]
    pub filter: crate::filter_args::FilterFlags,
    /// Only canonical events with more than one report.
    #[arg(long)]
    pub merged: bool,
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutFormat,
}

#[derive(Args)]
pub struct CheckArgs {
    /// A file to read (any format ingest reads), or a stored document (id, content-hash prefix
    /// or source path).
    #[arg(value_name = "DOC|PATH")]
    pub target: String,
    #[command(flatten)]
    pub db: DbArg,
    /// Publication date of a file (YYYY-MM-DD), for "yesterday" and "this year"; a file's own
    /// Date: header wins.
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Language of a file (en ru uz kk ky tg tk) when detection should not decide.
    #[arg(long)]
    pub lang: Option<String>,
    /// Also list the claims that could not be compared with the registry.
    #[arg(long)]
    pub all: bool,
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutFormat,
}

fn open_existing(path: &Path) -> anyhow::Result<SqliteStore> {
    if !path.exists() {
        anyhow::bail!(
            "no store at {} (ingest something first: hamkor ingest --db {} FOLDER)",
            path.display(),
            path.display()
        );
    }
    hamkor_app::open_store(path).with_context(|| format!("opening {}", path.display()))
}

fn open_or_create(path: &Path) -> anyhow::Result<SqliteStore> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        anyhow::ensure!(
            parent.is_dir(),
            "cannot open the store at {}: folder {} does not exist",
            path.display(),
            parent.display()
        );
    }
    hamkor_app::open_store(path).with_context(|| format!("opening {}", path.display()))
}

fn actor(s: &str) -> anyhow::Result<ActorCode> {
    ActorCode::new(&s.trim().to_ascii_uppercase()).with_context(|| format!("actor {s:?}"))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn cut(s: &str, max: usize) -> String {
    hamkor_ingest::extract::cut(s, max)
}

fn json_out<T: serde::Serialize>(v: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", serde_json::to_string_pretty(v)?)?;
    Ok(())
}

/// Output closed early (`| head`) is the reader's choice, not a failure.
fn quiet_pipe(r: anyhow::Result<ExitCode>) -> anyhow::Result<ExitCode> {
    match r {
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            Ok(ExitCode::SUCCESS)
        }
        r => r,
    }
}

/// After an ingest or a re-code: link the new reports and merge them into canonical events.
/// Called by `hamkor ingest`, `recode` and `demo`.
pub fn refresh_after(store: &SqliteStore) -> anyhow::Result<()> {
    let t0 = std::time::Instant::now();
    let r = hamkor_app::link(store).context("linking reports to the registry")?;
    let took = t0.elapsed().as_secs_f64();
    if r.linked > 0 || r.removed > 0 {
        let s = store.registry_status()?;
        eprintln!(
            "hamkor: registry: {} reports linked in {took:.1} s ({} joined an event, {} new), {} reports in {} \
             canonical events; {} linked to agreements, {} to formats",
            r.linked,
            r.joined,
            r.created,
            s.reports,
            s.canonical_events,
            s.canonical_with_agreement,
            s.canonical_with_format
        );
    }
    Ok(())
}

// ------------------------------------------------------------------ agreements

#[derive(serde::Serialize)]
struct PartyRow {
    party: String,
    status: PartyStatus,
    signed: Option<PartialDate>,
}

#[derive(serde::Serialize)]
struct AgreementRow<'a> {
    id: &'a str,
    name_en: &'a str,
    kind: &'a str,
    signed: Option<PartialDate>,
    place: Option<&'a str>,
    domains: &'a [Domain],
    status: PartyStatus,
    open: bool,
    parties: Vec<PartyRow>,
    canonical_events: u64,
    reports: u64,
    origin: &'static str,
    corrected: bool,
}

fn party_summary(l: &Lifecycle) -> String {
    l.parties
        .iter()
        .map(|p| {
            let when = |kind: hamkor_registry::StepKind| {
                p.steps
                    .iter()
                    .filter(|s| s.kind == kind)
                    .filter_map(|s| s.date)
                    .max()
                    .map(|d| format!(" {d}"))
                    .unwrap_or_default()
            };
            match p.status {
                PartyStatus::NotSigned => format!("{} not signed", p.party),
                PartyStatus::Deferred => {
                    format!("{} not signed (deferred{})", p.party, when(hamkor_registry::StepKind::Deferred))
                }
                PartyStatus::Signed => format!(
                    "{} signed{}",
                    p.party,
                    p.signed.map(|d| format!(" {d}")).unwrap_or_else(|| " (date not recorded)".into())
                ),
                PartyStatus::Ratified => format!("{} ratified{}", p.party, when(hamkor_registry::StepKind::Ratified)),
                PartyStatus::Exchanged => {
                    format!("{} instruments exchanged{}", p.party, when(hamkor_registry::StepKind::Exchanged))
                }
                PartyStatus::InForce => format!("{} in force{}", p.party, when(hamkor_registry::StepKind::InForce)),
                PartyStatus::Suspended => {
                    format!("{} suspended{}", p.party, when(hamkor_registry::StepKind::Suspended))
                }
                PartyStatus::Withdrawn => format!("{} withdrew{}", p.party, when(hamkor_registry::StepKind::Withdrawn)),
            }
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

pub fn agreements(a: AgreementsArgs) -> anyhow::Result<ExitCode> {
    quiet_pipe(match a.show {
        Some(AgreementsSub::Show(s)) => agreement_show(s),
        None => agreements_list(a.list),
    })
}

fn agreements_list(a: AgreementsList) -> anyhow::Result<ExitCode> {
    let parties = a.party.iter().map(|p| actor(p)).collect::<anyhow::Result<Vec<_>>>()?;
    let domain = a.domain.as_deref().map(|d| d.parse::<Domain>()).transpose()?;
    let status = match &a.status {
        Some(s) => Some(
            PartyStatus::parse(s)
                .with_context(|| format!("--status {s:?}: expected one of {}", PartyStatus::ALL_CODES.join(", ")))?,
        ),
        None => None,
    };
    let store = open_or_create(&a.db.db)?;
    let reg = hamkor_app::registry(&store)?;
    let coded = store.coded_steps()?;
    let counts = store.agreement_counts()?;
    let mut rows = Vec::new();
    for ag in &reg.agreements {
        if !parties.iter().all(|p| ag.parties.contains(p)) {
            continue;
        }
        if domain.is_some_and(|d| !ag.domains.contains(&d)) {
            continue;
        }
        let life = hamkor_registry::lifecycle::lifecycle(ag, &reg, coded.get(&ag.id).map_or(&[][..], |v| v.as_slice()));
        if let Some(y) = a.year {
            let signed_in = life.parties.iter().filter_map(|p| p.signed).any(|d| d.year == y)
                || ag.signed.is_some_and(|d| d.year == y);
            if !signed_in {
                continue;
            }
        }
        if let Some(s) = status {
            let have = match parties.first() {
                Some(p) => life.party(p.as_str()).map(|pl| pl.status),
                None => Some(life.status),
            };
            if have != Some(s) {
                continue;
            }
        }
        rows.push((ag, life));
    }
    rows.sort_by(|x, y| (x.0.signed.is_none(), x.0.signed, &x.0.id).cmp(&(y.0.signed.is_none(), y.0.signed, &y.0.id)));
    if a.format == OutFormat::Json {
        let out: Vec<AgreementRow> = rows
            .iter()
            .map(|(ag, life)| {
                let (events, reports) = counts.get(&ag.id).copied().unwrap_or((0, 0));
                AgreementRow {
                    id: &ag.id,
                    name_en: &ag.name_en,
                    kind: &ag.kind,
                    signed: ag.signed,
                    place: ag.place.as_deref(),
                    domains: &ag.domains,
                    status: life.status,
                    open: life.open,
                    parties: life
                        .parties
                        .iter()
                        .map(|p| PartyRow { party: p.party.to_string(), status: p.status, signed: p.signed })
                        .collect(),
                    canonical_events: events,
                    reports,
                    origin: ag.origin.code(),
                    corrected: ag.overridden,
                }
            })
            .collect();
        json_out(&out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if rows.is_empty() {
        eprintln!("hamkor: agreements: none matches");
    } else {
        writeln!(out, "{:<38} {:<11} {:<10} {:<17} {:>6}  name", "id", "kind", "signed", "status", "events")?;
    }
    for (ag, life) in &rows {
        let (events, _) = counts.get(&ag.id).copied().unwrap_or((0, 0));
        let status = format!("{}{}", life.status.code(), if life.open { " (open)" } else { "" });
        let mark = match (ag.origin, ag.overridden) {
            (hamkor_registry::Origin::User, _) => " [user]",
            (_, true) => " [corrected]",
            _ => "",
        };
        writeln!(
            out,
            "{:<38} {:<11} {:<10} {:<17} {:>6}  {}{mark}",
            ag.id,
            ag.kind,
            ag.signed.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
            status,
            events,
            cut(&ag.name_en, 80)
        )?;
        writeln!(out, "    parties: {}", party_summary(life))?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn agreement_show(a: AgreementShowArgs) -> anyhow::Result<ExitCode> {
    let store = open_or_create(&a.db.db)?;
    let Some((ag, life)) = hamkor_app::agreement_lifecycle(&store, &a.id)? else {
        let reg = hamkor_app::registry(&store)?;
        let close: Vec<&str> = reg
            .agreements
            .iter()
            .map(|x| x.id.as_str())
            .filter(|id| id.contains(a.id.as_str()) || a.id.split('-').filter(|w| w.len() > 2).any(|w| id.contains(w)))
            .take(8)
            .collect();
        anyhow::bail!(
            "no agreement {:?} in the registry{}",
            a.id,
            if close.is_empty() { String::new() } else { format!(" (did you mean: {}?)", close.join(", ")) }
        );
    };
    let reg = hamkor_app::registry(&store)?;
    let events = store.agreement_events(&ag.id)?;
    let mut details = Vec::new();
    for e in &events {
        if let Some(d) = store.canonical_event(e.id)? {
            details.push(d);
        }
    }
    if a.format == OutFormat::Json {
        let v = serde_json::json!({
            "agreement": ag,
            "lifecycle": life,
            "registry_events": reg.events_of(&ag.id),
            "canonical_events": details,
        });
        json_out(&v)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    print_agreement(&mut out, &ag, &life, &reg)?;
    writeln!(out, "\nLinked events ({})", details.len())?;
    if details.is_empty() {
        writeln!(out, "  none yet: no coded event in this store names this agreement")?;
    }
    for d in &details {
        let e = &d.event;
        writeln!(
            out,
            "  #{} {} {} {}  {} report(s)",
            e.id,
            e.date.map(|x| x.to_string()).unwrap_or_else(|| "-".into()),
            e.event_type,
            e.actors.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(","),
            d.reports.len()
        )?;
        for r in &d.reports {
            writeln!(
                out,
                "      doc {} [{}] {}: {}",
                r.report.document_id,
                r.report.lang,
                r.date.map(|x| x.to_string()).unwrap_or_else(|| "-".into()),
                cut(&r.report.evidence_text, 160)
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn print_agreement(out: &mut impl Write, ag: &Agreement, life: &Lifecycle, reg: &Registry) -> std::io::Result<()> {
    writeln!(out, "{}", ag.name_en)?;
    writeln!(
        out,
        "  id        {}  ({}{})",
        ag.id,
        ag.origin.code(),
        if ag.overridden { ", corrected by the user" } else { "" }
    )?;
    if let Some(ru) = &ag.name_ru {
        writeln!(out, "  ru        {ru}")?;
    }
    writeln!(out, "  kind      {}", ag.kind)?;
    writeln!(out, "  parties   {}", ag.parties.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", "))?;
    writeln!(
        out,
        "  signed    {}{}",
        ag.signed.map(|d| human_date(&d)).unwrap_or_else(|| "-".into()),
        ag.place.as_deref().map(|p| format!(", {p}")).unwrap_or_default()
    )?;
    if let Some(f) = ag.in_force {
        writeln!(out, "  in force  {}", human_date(&f))?;
    }
    writeln!(out, "  domains   {}", ag.domains.iter().map(|d| d.code()).collect::<Vec<_>>().join(", "))?;
    writeln!(
        out,
        "  status    {}{}",
        life.status.code(),
        if life.open { " (not every party has signed)" } else { "" }
    )?;
    if !ag.notes.is_empty() {
        writeln!(out, "  notes     {}", ag.notes)?;
    }
    let langs: Vec<&str> = ag.names.keys().map(String::as_str).collect();
    if !langs.is_empty() {
        writeln!(out, "  names in  {}", langs.join(" "))?;
    }
    writeln!(out, "\nLifecycle")?;
    for p in &life.parties {
        writeln!(out, "  {}  {}", p.party, p.status.code())?;
        if p.steps.is_empty() {
            writeln!(out, "      no step recorded")?;
        }
        for s in &p.steps {
            print_step(out, s)?;
        }
    }
    if !life.general.is_empty() {
        writeln!(out, "  (agreement as a whole)")?;
        for s in &life.general {
            print_step(out, s)?;
        }
    }
    if !life.unplaced.is_empty() {
        writeln!(out, "  coded ratification reports that fit no step ({}):", life.unplaced.len())?;
        for c in &life.unplaced {
            writeln!(
                out,
                "      event {} (doc {}, {}): {}",
                c.event_id,
                c.document_id,
                c.date.map(|d| d.to_string()).unwrap_or_else(|| "undated".into()),
                cut(&c.evidence, 140)
            )?;
        }
    }
    writeln!(out, "\nSources")?;
    for s in &ag.sources {
        writeln!(out, "  {s}")?;
    }
    let evs = reg.events_of(&ag.id);
    if !evs.is_empty() {
        writeln!(out, "\nRegistry events")?;
        for e in evs {
            writeln!(
                out,
                "  {} {:<13} {}  {}",
                e.date.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
                e.event_type.code(),
                e.id,
                e.title_en
            )?;
        }
    }
    Ok(())
}

fn print_step(out: &mut impl Write, s: &hamkor_registry::Step) -> std::io::Result<()> {
    let from = if s.from == StepFrom::Text { "  [reported by a text]" } else { "" };
    writeln!(
        out,
        "      {:<10} {}{}{from}",
        s.date.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
        s.kind.label(),
        s.place.as_deref().map(|p| format!(", {p}")).unwrap_or_default()
    )?;
    if let Some(n) = &s.note {
        writeln!(out, "                 {n}")?;
    }
    for u in s.sources.iter().take(3) {
        writeln!(out, "                 source: {u}")?;
    }
    if s.sources.len() > 3 {
        writeln!(out, "                 (+{} more sources)", s.sources.len() - 3)?;
    }
    for c in &s.reports {
        writeln!(out, "                 evidence (doc {}, {}): {}", c.document_id, c.lang, cut(&c.evidence, 140))?;
    }
    Ok(())
}

// ------------------------------------------------------------------ registry subcommands

pub fn registry(cmd: RegistryCommand) -> anyhow::Result<ExitCode> {
    quiet_pipe(match cmd {
        RegistryCommand::Import(a) => import(a),
        RegistryCommand::Status(a) => status(a),
        RegistryCommand::Canonical(a) => canonical(a),
    })
}

fn import(a: RegistryImportArgs) -> anyhow::Result<ExitCode> {
    let (text, source) = if a.file.as_os_str() == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s).context("reading standard input")?;
        (s, "<stdin>".to_string())
    } else {
        let s = std::fs::read_to_string(&a.file).with_context(|| format!("cannot read {}", a.file.display()))?;
        (s, std::path::absolute(&a.file).unwrap_or(a.file.clone()).display().to_string())
    };
    let mut lines = Vec::new();
    let mut bad = 0;
    for (i, line) in text.lines().enumerate() {
        match hamkor_registry::parse_import_line(line) {
            Ok(Some(x)) => lines.push(x),
            Ok(None) => {}
            Err(e) => {
                bad += 1;
                eprintln!("hamkor: {}:{}: {e}", a.file.display(), i + 1);
            }
        }
    }
    let store = open_or_create(&a.db.db)?;
    let summary = hamkor_app::import_registry(&store, &lines, &source)?;
    for (id, why) in &summary.rejected {
        eprintln!("hamkor: {}: {id}: {why}", a.file.display());
    }
    refresh_after(&store)?;
    if a.format == OutFormat::Json {
        json_out(&summary)?;
    } else {
        eprintln!(
            "hamkor: registry import: {} added, {} replaced, {} built-in records corrected, {} unchanged, {} refused",
            summary.added.len(),
            summary.replaced.len(),
            summary.corrected.len(),
            summary.unchanged.len(),
            summary.rejected.len() + bad
        );
    }
    Ok(if summary.rejected.is_empty() && bad == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn status(a: RegistryStatusArgs) -> anyhow::Result<ExitCode> {
    let store = open_existing(&a.db.db)?;
    let s = store.registry_status()?;
    if a.format == OutFormat::Json {
        json_out(&s)?;
        return Ok(ExitCode::SUCCESS);
    }
    let list = |m: &std::collections::BTreeMap<String, u64>| {
        m.iter().map(|(k, n)| format!("{n} {k}")).collect::<Vec<_>>().join(", ")
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "registry version     {}", s.builtin_version)?;
    writeln!(out, "agreements           {}", list(&s.agreements))?;
    writeln!(out, "registry events      {}", list(&s.events))?;
    writeln!(out, "corrected by user    {}", s.corrected)?;
    writeln!(out, "reports              {} coded events", s.reports)?;
    writeln!(out, "canonical events     {} ({} merge two reports or more)", s.canonical_events, s.merged)?;
    writeln!(
        out,
        "linked to agreements {} canonical events ({} reports, {} distinct agreements)",
        s.canonical_with_agreement, s.reports_with_agreement, s.agreements_reported
    )?;
    writeln!(
        out,
        "linked to formats    {} canonical events ({} reports)",
        s.canonical_with_format, s.reports_with_format
    )?;
    Ok(ExitCode::SUCCESS)
}

fn canonical(a: CanonicalArgs) -> anyhow::Result<ExitCode> {
    let store = open_existing(&a.db.db)?;
    if let Some(id) = a.id {
        let Some(d) = store.canonical_event(id)? else { anyhow::bail!("no canonical event {id}") };
        if a.format == OutFormat::Json {
            json_out(&d)?;
            return Ok(ExitCode::SUCCESS);
        }
        let e = &d.event;
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "Canonical event {}: {} of {} on {}",
            e.id,
            e.event_type,
            e.actors.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(", "),
            e.date.map(|x| x.to_string()).unwrap_or_else(|| "-".into())
        )?;
        writeln!(out, "  domains    {}", e.domains.iter().map(|x| x.code()).collect::<Vec<_>>().join(", "))?;
        if let Some(ag) = &e.agreement {
            writeln!(out, "  agreement  {ag}")?;
        }
        if let Some(f) = &e.format {
            writeln!(out, "  format     {f}{}", d.edition.map(|n| format!(" #{n}")).unwrap_or_default())?;
        }
        writeln!(out, "  reports    {}", d.reports.len())?;
        for r in &d.reports {
            writeln!(
                out,
                "\n  event {} in doc {} [{}] {}{}",
                r.report.event_id,
                r.report.document_id,
                r.report.lang,
                r.report.source,
                if r.pinned { "  (placed by a reviewer)" } else { "" }
            )?;
            writeln!(
                out,
                "    {} {} {}",
                r.event_type,
                r.actors.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(","),
                r.date.map(|x| x.to_string()).unwrap_or_else(|| "undated".into())
            )?;
            writeln!(out, "    evidence: {}", cut(&r.report.evidence_text, 240))?;
            let m = &r.merge;
            let agreed = if m.agreed.is_empty() { String::new() } else { format!(": {}", m.agreed.join("; ")) };
            writeln!(out, "    merged:   {}{agreed}", m.rule)?;
            if let Some(n) = &m.note {
                writeln!(out, "              {n}")?;
            }
            for (c, why) in m.refused.iter().take(3) {
                writeln!(out, "              not with #{c}: {why}")?;
            }
            if let Some(l) = &r.agreement {
                writeln!(
                    out,
                    "    agreement {} by the name {:?} ({}); {}; {}",
                    l.id, l.matched, l.lang, l.parties, l.dates
                )?;
            }
            if let Some(f) = &r.format {
                writeln!(
                    out,
                    "    format    {}{} by {}",
                    f.id,
                    f.edition.map(|n| format!(" #{n}")).unwrap_or_default(),
                    f.by
                )?;
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut filter = a.filter.to_filter()?;
    // The limit counts what is shown: after --merged.
    let limit = filter.limit.take();
    let mut events = store.canonical_events(&filter)?;
    if a.merged {
        events.retain(|e| e.reports.len() > 1);
    }
    if let Some(n) = limit {
        events.truncate(n);
    }
    if a.format == OutFormat::Json {
        json_out(&events)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(
        out,
        "{:>5}  {:<10}  {:<14}  {:<24}  {:>7}  {:<5}  links",
        "id", "date", "type", "actors", "reports", "langs"
    )?;
    for e in &events {
        let mut langs: Vec<&str> = e.reports.iter().map(|r| r.lang.as_str()).collect();
        langs.sort_unstable();
        langs.dedup();
        let links = [e.agreement.clone(), e.format.clone()].into_iter().flatten().collect::<Vec<_>>().join(" ");
        writeln!(
            out,
            "{:>5}  {:<10}  {:<14}  {:<24}  {:>7}  {:<5}  {}",
            e.id,
            e.date.map(|x| x.to_string()).unwrap_or_else(|| "-".into()),
            e.event_type.code(),
            cut(&e.actors.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(","), 23),
            e.reports.len(),
            langs.join(","),
            links
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

// ------------------------------------------------------------------ check

/// A text to check: where it came from, and the coder's input.
struct Target {
    label: String,
    input: InputDocument,
}

fn targets_of(a: &CheckArgs) -> anyhow::Result<(Vec<Target>, Option<SqliteStore>)> {
    let given_date = a
        .date
        .as_deref()
        .map(|d| d.parse::<PartialDate>().with_context(|| format!("--date {d:?}: expected YYYY-MM-DD")))
        .transpose()?;
    let path = Path::new(&a.target);
    let store = if a.db.db.exists() { Some(open_existing(&a.db.db)?) } else { None };
    if path.is_file() {
        use hamkor_ingest::extract::{self, Format};
        let format = Format::from_path(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let mut items = Vec::new();
        if format == Format::JsonLines {
            let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
                match extract::parse_line(line) {
                    Ok(Some(x)) => items.push((format!("{}:{}", path.display(), i + 1), x)),
                    Ok(None) => {}
                    Err(e) => eprintln!("hamkor: {}:{}: {e}", path.display(), i + 1),
                }
            }
        } else {
            // The same budgets and the same separate process as `hamkor ingest`.
            let defaults = hamkor_ingest::Options::default();
            let limits = hamkor_ingest::sandbox::Limits {
                max_file_size: defaults.max_file_size,
                budget: defaults.budget,
                timeout: defaults.file_timeout,
                max_memory: hamkor_ingest::sandbox::memory_budget(
                    std::fs::metadata(path).map_or(0, |m| m.len()),
                    defaults.max_memory,
                ),
            };
            let mut extractor = hamkor_ingest::sandbox::Extractor::new(crate::isolation());
            let contents = extractor
                .extract(path, format, &limits, &|| false)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            for (i, item) in contents.items.into_iter().enumerate() {
                match item {
                    Ok(x) => items.push((
                        if i == 0 && format != Format::Feed {
                            path.display().to_string()
                        } else {
                            format!("{} item {}", path.display(), i + 1)
                        },
                        x,
                    )),
                    Err(e) => eprintln!("hamkor: {} ({}): {}", path.display(), e.item, e.error),
                }
            }
        }
        let targets = items
            .into_iter()
            .map(|(label, x)| {
                let lang = a.lang.clone().or(x.lang.clone()).or_else(|| {
                    let d = hamkor_text::detect(&x.text);
                    (d.lang != "und").then(|| d.lang.to_string())
                });
                let title = x.title.clone().map(|t| format!(" ({t})")).unwrap_or_default();
                Target {
                    label: format!("{label}{title}"),
                    input: InputDocument { id: label, text: x.text, lang, date: x.published.or(given_date), source: None },
                }
            })
            .collect();
        return Ok((targets, store));
    }
    let Some(store) = store else {
        anyhow::bail!("{:?} is neither a file nor a document of a store (no store at {})", a.target, a.db.db.display());
    };
    let Some(doc) = store.find_document(&a.target)? else {
        anyhow::bail!("{:?} is neither a file nor a document in {}", a.target, a.db.db.display());
    };
    let target = Target {
        label: format!("document {}{}", doc.id, doc.title.as_deref().map(|t| format!(" ({t})")).unwrap_or_default()),
        input: InputDocument {
            id: doc.id.to_string(),
            text: doc.text.clone(),
            lang: a.lang.clone().or_else(|| (doc.lang != "und").then(|| doc.lang.clone())),
            date: doc.published.as_deref().and_then(|d| d.parse().ok()).or(given_date),
            source: None,
        },
    };
    Ok((vec![target], Some(store)))
}

#[derive(serde::Serialize)]
struct CheckOut<'a> {
    target: &'a str,
    lang: Option<&'a str>,
    events: usize,
    conflicts: usize,
    corroborated: usize,
    #[serde(flatten)]
    report: &'a CheckReport,
}

pub fn run_check(a: CheckArgs) -> anyhow::Result<ExitCode> {
    quiet_pipe(check_cmd(a))
}

fn check_cmd(a: CheckArgs) -> anyhow::Result<ExitCode> {
    let (targets, store) = targets_of(&a)?;
    anyhow::ensure!(!targets.is_empty(), "no text to check in {}", a.target);
    let reg = match &store {
        Some(s) => hamkor_app::registry(s)?,
        None => Registry::builtin(),
    };
    let linker = Linker::new(&reg);
    let coder = Coder::embedded();
    let mut conflicts = 0;
    let mut json = Vec::new();
    let mut reports = Vec::new();
    for t in &targets {
        let coded = coder.code(&t.input);
        let report = check(&reg, &linker, &t.input.text, &coded.events);
        conflicts += report.conflicts().count();
        reports.push((t, coded, report));
    }
    if a.format == OutFormat::Json {
        for (t, coded, report) in &reports {
            json.push(CheckOut {
                target: &t.label,
                lang: coded.lang.as_deref(),
                events: coded.events.len(),
                conflicts: report.conflicts().count(),
                corroborated: report.corroborated().count(),
                report,
            });
        }
        json_out(&json)?;
    } else {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        for (t, coded, report) in &reports {
            writeln!(
                out,
                "{}: {} claim(s) coded, {} conflict(s) with the registry, {} corroborated, {} not checked",
                t.label,
                coded.events.len(),
                report.conflicts().count(),
                report.corroborated().count(),
                report.unchecked.len()
            )?;
            for verdict in [Verdict::Conflict, Verdict::Corroborated] {
                for f in report.findings.iter().filter(|f| f.verdict == verdict) {
                    let head = if verdict == Verdict::Conflict { "CONFLICT" } else { "corroborated" };
                    writeln!(out, "\n{head} ({}, {})", f.about, f.registry_id)?;
                    writeln!(out, "  text:      {}", f.claim)?;
                    writeln!(out, "  registry:  {}", f.record)?;
                    writeln!(
                        out,
                        "  evidence:  bytes {}..{}: {}",
                        f.evidence.start,
                        f.evidence.end,
                        cut(&one_line(&f.evidence_text), 300)
                    )?;
                    for (i, s) in f.sources.iter().enumerate() {
                        writeln!(out, "  {}  {s}", if i == 0 { "sources: " } else { "         " })?;
                    }
                }
            }
            if a.all && !report.unchecked.is_empty() {
                writeln!(out, "\nnot checked")?;
                for u in &report.unchecked {
                    writeln!(
                        out,
                        "  {} {} {}: {} — {}",
                        u.event_type,
                        u.actors.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(","),
                        u.date.map(|d| d.to_string()).unwrap_or_else(|| "undated".into()),
                        u.why,
                        cut(&u.evidence_text, 120)
                    )?;
                }
            }
            writeln!(out)?;
        }
        out.flush()?;
    }
    // Like grep: 1 when something was found that needs a look.
    Ok(if conflicts > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
