//! `hamkor stats panel|compare|network|followthrough`, `hamkor export` and `hamkor report`:
//! the analysis of canonical events, as tables for a terminal, CSV or JSON, as exports for other
//! tools, and as a report.
//!
//! Thin like the other commands: flags are parsed into `hamkor-analysis` options, the store
//! loads canonical events (`crates/store/src/analysis.rs`), and the pure crates compute and
//! render.

use anyhow::{bail, Context};
use clap::{Args, Subcommand, ValueEnum};
use hamkor_analysis::compare::{self, CompareOptions};
use hamkor_analysis::follow::{self, FollowOptions};
use hamkor_analysis::network::{self, NetworkOptions, Scope};
use hamkor_analysis::panel::{self, Dim, PanelQuery, Period, Weights};
use hamkor_analysis::{Agreement, CanonicalEvent, Counting, Window};
use hamkor_export::ExportFormat;
use hamkor_model::{ActorCode, Domain, EventType};
use hamkor_store::{EventFilter, SqliteStore, Store};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The store and the filter flags (the same as `hamkor events`'s: one definition,
/// [`crate::filter_args::FilterFlags`]).
#[derive(Args, Clone, Debug)]
pub struct FilterArgs {
    /// The store, one SQLite file; the default is hamkor.db in the current directory.
    #[arg(long, env = "HAMKOR_DB", value_name = "PATH", default_value = "hamkor.db")]
    pub db: PathBuf,
    /// Which events; --from and --to are also the first and last year compared.
    #[command(flatten)]
    pub flags: crate::filter_args::FilterFlags,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum TableFormat {
    Table,
    Csv,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum ScopeArg {
    /// The five Central Asian states.
    Ca,
    /// All states, partners included.
    States,
    /// Every actor, organisations and groups included.
    All,
}

impl From<ScopeArg> for Scope {
    fn from(s: ScopeArg) -> Scope {
        match s {
            ScopeArg::Ca => Scope::CentralAsia,
            ScopeArg::States => Scope::States,
            ScopeArg::All => Scope::All,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum StatsCommand {
    /// Counts of canonical events by dyad, domain, year (or month), type, language, kind.
    ///
    /// Each row is a cell with its count, the cooperation-intensity index (Σ weight of each
    /// event's type) and the Goldstein score of the CAMEO codes. An event counts in every
    /// cell it belongs to (each pair of its actors, each of its domains).
    Panel(PanelArgs),
    /// Before/after a breakpoint (rate ratios, exact intervals), bilateral vs multilateral
    /// (Fisher), and the trend of each domain (Poisson regression). See docs/statistics.md.
    Compare(CompareArgs),
    /// The cooperation network with degree, strength, betweenness and eigenvector centrality;
    /// --hubs: the hub per year and per domain.
    Network(NetworkArgs),
    /// For each agreement, the implementation events after its signing and the days to the
    /// first; a summary per domain and per bilateral/multilateral.
    Followthrough(FollowArgs),
}

#[derive(Args, Debug)]
pub struct PanelArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Dimensions, comma-separated: dyad, actor, domain, year, month, type, lang, kind.
    #[arg(long, value_name = "DIMS", default_value = "dyad,domain,year")]
    pub by: String,
    /// Which events: coded (canonical events), or imported from gdelt or acled (dimensions then:
    /// dyad, actor, year, month, type, code; default dyad,year).
    #[arg(long, value_name = "SOURCE", default_value = "coded", value_parser = ["coded", "gdelt", "acled"])]
    pub source: String,
    /// Count reports (articles) instead of canonical events.
    #[arg(long)]
    pub reports: bool,
    /// Intensity weights per type, e.g. meeting=1,agreement=3 (others keep their defaults).
    #[arg(long, value_name = "TYPE=W,…")]
    pub weights: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: TableFormat,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum Test {
    All,
    BeforeAfter,
    Bilateral,
    Trend,
}

#[derive(Args, Debug)]
pub struct CompareArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// First year of the "after" period.
    #[arg(long, default_value_t = 2017)]
    pub breakpoint: i32,
    /// Confidence level of the intervals.
    #[arg(long, default_value_t = 0.95)]
    pub level: f64,
    #[arg(long)]
    pub reports: bool,
    /// Also compare every dyad within every domain.
    #[arg(long)]
    pub dyad_domain: bool,
    /// Which comparison to print (CSV needs one).
    #[arg(long, value_enum, default_value = "all")]
    pub test: Test,
    #[arg(long, value_enum, default_value = "table")]
    pub format: TableFormat,
}

#[derive(Args, Debug)]
pub struct NetworkArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Which actors are nodes.
    #[arg(long, value_enum, default_value = "ca")]
    pub scope: ScopeArg,
    /// The hub by each centrality per year, per domain and for the whole period.
    #[arg(long)]
    pub hubs: bool,
    #[arg(long)]
    pub reports: bool,
    #[arg(long, value_enum, default_value = "table")]
    pub format: TableFormat,
}

#[derive(Args, Debug)]
pub struct FollowArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Days after signing within which an event counts as implementation.
    #[arg(long, default_value_t = 1095)]
    pub horizon_days: i64,
    /// Implementation types, comma-separated.
    #[arg(long, default_value = "joint_activity,aid,institution")]
    pub types: String,
    /// Agreements from a JSON lines file of the registry's shape (id, name_en, signed, parties,
    /// domains), e.g. ../shared/data/frameworks.jsonl; default: the store's registry, else coded
    /// agreement events.
    #[arg(long, value_name = "FILE")]
    pub agreements: Option<PathBuf>,
    #[arg(long, default_value_t = 0.95)]
    pub level: f64,
    #[arg(long, value_enum, default_value = "table")]
    pub format: TableFormat,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// csv (with --hxl for a hashtag row), jsonl, parquet, graphml, geojson, plover; qdpx (a
    /// REFI-QDA project for NVivo, ATLAS.ti, MAXQDA, QualCoder; needs -o) and qdc (its codebook
    /// alone). See docs/exports.md. `gold`: the events reviewers accepted or edited, per fully
    /// reviewed document, as gold lines for `hamkor eval` (only --lang applies); with --reviewer,
    /// that reviewer's codings instead (imported from a QDA tool or coded on /review/code).
    #[arg(long, value_name = "FORMAT")]
    pub format: String,
    /// --format gold: the documents this reviewer coded, with their codings as the gold events.
    #[arg(long, value_name = "NAME")]
    pub reviewer: Option<String>,
    /// Output file [default: standard output].
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// CSV: add the HXL hashtag row under the header.
    #[arg(long)]
    pub hxl: bool,
    /// GraphML: which actors are nodes.
    #[arg(long, value_enum, default_value = "all")]
    pub scope: ScopeArg,
    /// GraphML and GeoJSON: weight by reports instead of canonical events.
    #[arg(long)]
    pub reports: bool,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// The report file: .html (self-contained) or .md.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long, default_value_t = 2017)]
    pub breakpoint: i32,
    #[arg(long, default_value_t = 0.95)]
    pub level: f64,
    #[arg(long)]
    pub reports: bool,
    #[arg(long, value_name = "TYPE=W,…")]
    pub weights: Option<String>,
    /// Which actors are nodes of the network.
    #[arg(long, value_enum, default_value = "ca")]
    pub scope: ScopeArg,
    #[arg(long, default_value_t = 1095)]
    pub horizon_days: i64,
    /// Agreements from a JSON lines file (see `hamkor stats followthrough --help`).
    #[arg(long, value_name = "FILE")]
    pub agreements: Option<PathBuf>,
}

/// The top-level commands of this module.
#[derive(Subcommand, Debug)]
pub enum AnalysisCommand {
    /// Export canonical events as CSV (+HXL), JSON lines, Parquet, GraphML, GeoJSON or PLOVER JSON.
    ///
    /// Takes the filters of `hamkor events`. Formats and columns: docs/exports.md.
    Export(ExportArgs),
    /// Write the analysis report: -o report.html (self-contained) or -o report.md.
    ///
    /// Tables and charts (heatmap, timelines, network, map, follow-through), each with the
    /// events behind it, their evidence sentences and sources. The same store and options give
    /// the same bytes.
    Report(ReportArgs),
}

pub fn run(cmd: AnalysisCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        AnalysisCommand::Export(a) => export(a),
        AnalysisCommand::Report(a) => report(a),
    }
}

pub fn run_stats(cmd: StatsCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        StatsCommand::Panel(a) => stats_panel(a),
        StatsCommand::Compare(a) => stats_compare(a),
        StatsCommand::Network(a) => stats_network(a),
        StatsCommand::Followthrough(a) => stats_follow(a),
    }
}

impl FilterArgs {
    pub fn to_filter(&self) -> anyhow::Result<EventFilter> {
        self.flags.to_filter()
    }

    /// The years the filters name, as a comparison window (missing ends come from the data).
    fn window(&self, events: &[CanonicalEvent]) -> anyhow::Result<Option<Window>> {
        let data = Window::of(events);
        let (from, to) = self.to_filter()?.years();
        let from = from.or(data.map(|w| w.from));
        let to = to.or(data.map(|w| w.to));
        Ok(match (from, to) {
            (Some(from), Some(to)) => Some(Window { from, to }),
            _ => None,
        })
    }

    pub(crate) fn open(&self) -> anyhow::Result<SqliteStore> {
        if !self.db.exists() {
            bail!(
                "no store at {} (ingest something first: hamkor ingest --db {} FOLDER)",
                self.db.display(),
                self.db.display()
            );
        }
        hamkor_app::open_store(&self.db).with_context(|| format!("opening {}", self.db.display()))
    }

    fn load(&self) -> anyhow::Result<(SqliteStore, Vec<CanonicalEvent>)> {
        let store = self.open()?;
        let events = store.analysis_events(&self.to_filter()?)?;
        Ok((store, events))
    }

    /// The events for counting only (panels, comparisons, networks): without the reports'
    /// evidence sentences and sources, which these never print.
    fn load_for_counts(&self) -> anyhow::Result<Vec<CanonicalEvent>> {
        Ok(self.open()?.analysis_events_for_counts(&self.to_filter()?)?)
    }
}

fn counting(reports: bool) -> Counting {
    if reports {
        Counting::Reports
    } else {
        Counting::Events
    }
}

/// A plain aligned table for a terminal, CSV, or JSON, from a header and string rows.
pub(crate) fn print_table(header: &[&str], rows: &[Vec<String>], format: TableFormat, out: &mut dyn Write) -> anyhow::Result<()> {
    match format {
        TableFormat::Csv => {
            writeln!(out, "{}", header.join(","))?;
            for r in rows {
                let f: Vec<String> = r
                    .iter()
                    .map(|c| {
                        if c.contains([',', '"', '\n']) {
                            format!("\"{}\"", c.replace('"', "\"\""))
                        } else {
                            c.clone()
                        }
                    })
                    .collect();
                writeln!(out, "{}", f.join(","))?;
            }
        }
        TableFormat::Table => {
            let mut w: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
            for r in rows {
                for (k, c) in r.iter().enumerate() {
                    w[k] = w[k].max(c.chars().count());
                }
            }
            let line = |cells: Vec<&str>| {
                cells
                    .iter()
                    .enumerate()
                    .map(|(k, c)| format!("{c:<width$}", width = w[k]))
                    .collect::<Vec<_>>()
                    .join("  ")
            };
            writeln!(out, "{}", line(header.to_vec()).trim_end())?;
            for r in rows {
                writeln!(out, "{}", line(r.iter().map(String::as_str).collect()).trim_end())?;
            }
        }
        TableFormat::Json => unreachable!("JSON is written from the values themselves"),
    }
    Ok(())
}

fn json_out(v: &impl serde::Serialize, out: &mut dyn Write) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *out, v)?;
    writeln!(out)?;
    Ok(())
}

fn f(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.4}")
    }
}

fn fo(v: Option<f64>, none: &str) -> String {
    v.map_or(none.to_string(), f)
}

fn stats_panel(a: PanelArgs) -> anyhow::Result<ExitCode> {
    if a.source != "coded" {
        return crate::interop_cmds::imported_panel(&a);
    }
    let events = a.filter.load_for_counts()?;
    let mut dims = Vec::new();
    let mut period = Period::Year;
    for d in a.by.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if d == "month" {
            period = Period::Month;
        }
        dims.push(Dim::parse(d)?);
    }
    anyhow::ensure!(!dims.is_empty(), "--by needs at least one dimension");
    let mut q = PanelQuery::new(&dims);
    q.period = period;
    q.counting = counting(a.reports);
    if let Some(w) = &a.weights {
        q.weights = Weights::parse(w)?;
    }
    let p = panel::panel(&events, &q);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if a.format == TableFormat::Json {
        let rows: Vec<serde_json::Value> = p
            .rows
            .iter()
            .map(|r| {
                let mut m = serde_json::Map::new();
                for (c, k) in p.columns.iter().zip(&r.key) {
                    m.insert(c.to_string(), serde_json::Value::String(k.clone()));
                }
                m.insert("count".into(), r.count.into());
                m.insert("intensity".into(), r.intensity.into());
                m.insert("goldstein".into(), r.goldstein.into());
                serde_json::Value::Object(m)
            })
            .collect();
        json_out(
            &serde_json::json!({"counting": p.counting, "columns": p.columns, "weights": q.weights.per_type.iter().zip(EventType::ALL).map(|(w, t)| (t.code(), *w)).collect::<std::collections::BTreeMap<_, _>>(), "undated": p.undated, "rows": rows}),
            &mut out,
        )?;
    } else {
        let mut header: Vec<&str> = p.columns.clone();
        header.extend(["count", "intensity", "goldstein"]);
        let rows: Vec<Vec<String>> = p
            .rows
            .iter()
            .map(|r| {
                let mut v = r.key.clone();
                v.extend([r.count.to_string(), f(r.intensity), f(r.goldstein)]);
                v
            })
            .collect();
        print_table(&header, &rows, a.format, &mut out)?;
        if a.format == TableFormat::Table && p.undated > 0 {
            writeln!(out, "({} undated events left out)", p.undated)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn stats_compare(a: CompareArgs) -> anyhow::Result<ExitCode> {
    let events = a.filter.load_for_counts()?;
    let opts = CompareOptions {
        breakpoint: a.breakpoint,
        window: a.filter.window(&events)?,
        level: a.level,
        counting: counting(a.reports),
        dyad_by_domain: a.dyad_domain,
    };
    let c = compare::compare(&events, &opts)?;
    if let (Some(why), Test::BeforeAfter) = (&c.before_after_skipped, a.test) {
        bail!("{why}");
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if a.format == TableFormat::Json {
        match a.test {
            Test::All => json_out(&c, &mut out)?,
            Test::BeforeAfter => json_out(&c.before_after, &mut out)?,
            Test::Bilateral => json_out(&c.bilateral_multilateral, &mut out)?,
            Test::Trend => json_out(&c.trends, &mut out)?,
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    if a.format == TableFormat::Csv && a.test == Test::All {
        bail!("CSV holds one table: choose --test before-after, bilateral or trend");
    }
    let table = a.format == TableFormat::Table;
    if table {
        writeln!(
            out,
            "window {}–{}, breakpoint {}, level {}; {} undated and {} outside the window left out\n",
            c.window.from, c.window.to, c.breakpoint, c.level, c.undated, c.outside_window
        )?;
    }
    if let (Some(why), true) = (&c.before_after_skipped, table) {
        writeln!(out, "no before/after comparison: {why}\n")?;
    }
    if matches!(a.test, Test::All | Test::BeforeAfter) && c.before_after_skipped.is_none() {
        let rows: Vec<Vec<String>> = c
            .before_after
            .iter()
            .map(|r| {
                let t = &r.test;
                vec![
                    r.scope.kind.to_string(),
                    r.scope.label(),
                    t.count_before.to_string(),
                    f(t.exposure_before),
                    t.count_after.to_string(),
                    f(t.exposure_after),
                    fo(t.ratio, "inf"),
                    fo(t.ci_low, ""),
                    fo(t.ci_high, "inf"),
                    format!("{:.6}", t.p_value),
                ]
            })
            .collect();
        print_table(
            &[
                "scope",
                "group",
                "before",
                "years_before",
                "after",
                "years_after",
                "rate_ratio",
                "ci_low",
                "ci_high",
                "p_value",
            ],
            &rows,
            a.format,
            &mut out,
        )?;
        if table {
            writeln!(out)?;
        }
    }
    if matches!(a.test, Test::All | Test::Bilateral) {
        let rows: Vec<Vec<String>> = c
            .bilateral_multilateral
            .iter()
            .map(|r| {
                vec![
                    r.scope.label(),
                    r.bilateral.to_string(),
                    r.bilateral_total.to_string(),
                    fo(r.share_bilateral, ""),
                    r.multilateral.to_string(),
                    r.multilateral_total.to_string(),
                    fo(r.share_multilateral, ""),
                    fo(r.odds_ratio, ""),
                    format!("{:.6}", r.p_value),
                ]
            })
            .collect();
        print_table(
            &[
                "group",
                "bilateral",
                "bilateral_total",
                "share_bilateral",
                "multilateral",
                "multilateral_total",
                "share_multilateral",
                "odds_ratio",
                "p_value",
            ],
            &rows,
            a.format,
            &mut out,
        )?;
        if table {
            writeln!(out)?;
        }
    }
    if matches!(a.test, Test::All | Test::Trend) {
        let rows: Vec<Vec<String>> = c
            .trends
            .iter()
            .map(|t| {
                let total: u64 = t.counts.iter().sum();
                match &t.fit {
                    Some(fit) => vec![
                        t.scope.label(),
                        total.to_string(),
                        format!("{:.6}", fit.slope),
                        format!("{:.6}", fit.se),
                        format!("{:.4}", fit.change),
                        format!("{:.4}", fit.change_low),
                        format!("{:.4}", fit.change_high),
                        format!("{:.6}", fit.p_value),
                        format!("{:.3}", fit.dispersion),
                    ],
                    None => {
                        let why = serde_json::to_value(t.no_fit)
                            .ok()
                            .and_then(|v| v.as_str().map(String::from))
                            .unwrap_or_default();
                        vec![
                            t.scope.label(),
                            total.to_string(),
                            why,
                            String::new(),
                            String::new(),
                            String::new(),
                            String::new(),
                            String::new(),
                            String::new(),
                        ]
                    }
                }
            })
            .collect();
        print_table(
            &["group", "events", "slope", "se", "change", "change_low", "change_high", "p_value", "dispersion"],
            &rows,
            a.format,
            &mut out,
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn stats_network(a: NetworkArgs) -> anyhow::Result<ExitCode> {
    let events = a.filter.load_for_counts()?;
    let base = NetworkOptions { scope: a.scope.into(), counting: counting(a.reports), ..Default::default() };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if a.hubs {
        let Some(w) = Window::of(&events) else { bail!("no dated event") };
        let mut periods = vec![(format!("{}–{}", w.from, w.to), Some(w.from), Some(w.to))];
        periods.extend((w.from..=w.to).map(|y| (y.to_string(), Some(y), Some(y))));
        let hubs = network::hubs(&events, &base, &periods);
        if a.format == TableFormat::Json {
            json_out(&hubs, &mut out)?;
        } else {
            let rows: Vec<Vec<String>> = hubs
                .iter()
                .map(|h| {
                    vec![
                        h.period.clone(),
                        h.domain.clone(),
                        h.events.to_string(),
                        h.by_strength.join(" "),
                        h.by_betweenness.join(" "),
                        h.by_eigenvector.join(" "),
                    ]
                })
                .collect();
            print_table(
                &["period", "domain", "events", "hub_strength", "hub_betweenness", "hub_eigenvector"],
                &rows,
                a.format,
                &mut out,
            )?;
        }
    } else {
        let net = network::network(&events, &base);
        if a.format == TableFormat::Json {
            json_out(&net, &mut out)?;
        } else {
            let rows: Vec<Vec<String>> = net
                .nodes
                .iter()
                .map(|n| {
                    vec![
                        n.actor.clone(),
                        n.degree.to_string(),
                        f(n.strength),
                        format!("{:.6}", n.betweenness),
                        format!("{:.6}", n.betweenness_hops),
                        format!("{:.6}", n.eigenvector),
                    ]
                })
                .collect();
            print_table(
                &["actor", "degree", "strength", "betweenness", "betweenness_hops", "eigenvector"],
                &rows,
                a.format,
                &mut out,
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Agreements from a JSON lines file of `../shared/data/frameworks.jsonl`'s shape.
fn agreements_file(path: &Path) -> anyhow::Result<Vec<Agreement>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let v: serde_json::Value =
            serde_json::from_str(line).with_context(|| format!("{}:{}: not a JSON object", path.display(), i + 1))?;
        let list = |k: &str| -> Vec<String> {
            v[k].as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect()).unwrap_or_default()
        };
        let mut parties: Vec<ActorCode> = list("parties").iter().filter_map(|p| ActorCode::new(p).ok()).collect();
        parties.sort_unstable();
        parties.dedup();
        let mut domains: Vec<Domain> = list("domains").iter().filter_map(|d| d.parse().ok()).collect();
        domains.sort_unstable();
        domains.dedup();
        out.push(Agreement {
            id: v["id"].as_str().with_context(|| format!("{}:{}: no id", path.display(), i + 1))?.to_string(),
            name: v["name_en"].as_str().or(v["name"].as_str()).unwrap_or("").to_string(),
            signed: v["signed"].as_str().and_then(|s| s.parse().ok()),
            parties,
            domains,
            event_ids: vec![],
            origin: "registry".into(),
        });
    }
    Ok(out)
}

fn agreements_for(
    store: &SqliteStore,
    file: &Option<PathBuf>,
    events: &[CanonicalEvent],
) -> anyhow::Result<Vec<Agreement>> {
    if let Some(p) = file {
        return agreements_file(p);
    }
    let from_store = hamkor_app::analysis_agreements(&store)?;
    Ok(if from_store.is_empty() { follow::agreements_from_events(events) } else { from_store })
}

fn follow_options(horizon: i64, types: &str, level: f64) -> anyhow::Result<FollowOptions> {
    let types = types
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|t| t.parse::<EventType>())
        .collect::<Result<Vec<_>, _>>()?;
    anyhow::ensure!(horizon >= 0, "--horizon-days must not be negative");
    Ok(FollowOptions { types, horizon_days: horizon, end: None, level })
}

fn stats_follow(a: FollowArgs) -> anyhow::Result<ExitCode> {
    let (store, events) = a.filter.load()?;
    let agreements = agreements_for(&store, &a.agreements, &events)?;
    let fo_ = follow::follow_through(&events, &agreements, &follow_options(a.horizon_days, &a.types, a.level)?);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if a.format == TableFormat::Json {
        json_out(&fo_, &mut out)?;
    } else {
        let rows: Vec<Vec<String>> = fo_
            .agreements
            .iter()
            .map(|x| {
                vec![
                    x.agreement.id.clone(),
                    x.agreement.signed.map_or(String::new(), |d| d.to_string()),
                    x.agreement.parties.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(";"),
                    x.agreement.domains.iter().map(|d| d.code()).collect::<Vec<_>>().join(";"),
                    if x.multilateral { "multilateral" } else { "bilateral" }.into(),
                    x.implementations.len().to_string(),
                    x.days_to_first.map_or(String::new(), |d| d.to_string()),
                    x.implementations.iter().map(|i| i.event_id.to_string()).collect::<Vec<_>>().join(";"),
                ]
            })
            .collect();
        print_table(
            &["agreement", "signed", "parties", "domains", "kind", "implementations", "days_to_first", "events"],
            &rows,
            a.format,
            &mut out,
        )?;
        if a.format == TableFormat::Table {
            writeln!(out)?;
            let rows: Vec<Vec<String>> = fo_
                .groups
                .iter()
                .map(|g| {
                    vec![
                        g.group.clone(),
                        g.agreements.to_string(),
                        g.implemented.to_string(),
                        fo(g.share, ""),
                        g.share_ci.map_or(String::new(), |(l, h)| format!("{l:.3}–{h:.3}")),
                        fo(g.median_days_to_first, ""),
                        fo(g.km_within_year, ""),
                    ]
                })
                .collect();
            print_table(
                &["group", "agreements", "followed", "share", "interval", "median_days", "km_within_year"],
                &rows,
                a.format,
                &mut out,
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn export(a: ExportArgs) -> anyhow::Result<ExitCode> {
    if a.format == "qdpx" || a.format == "qdc" {
        return crate::interop_cmds::export_qda(&a);
    }
    if a.format == "gold" {
        let f = &a.filter;
        let filter = f.to_filter()?;
        let lang = filter.lang.clone();
        if filter != (EventFilter { lang: lang.clone(), ..Default::default() }) {
            bail!("--format gold writes whole documents: of the filters only --lang applies");
        }
        return match &a.reviewer {
            Some(r) => crate::eval_cmd::export_reviewer_gold(&f.db, r, lang.as_deref(), a.output.as_deref()),
            None => crate::eval_cmd::export_gold(&f.db, lang.as_deref(), a.output.as_deref()),
        };
    }
    if a.reviewer.is_some() {
        bail!("--reviewer applies to --format gold only");
    }
    let format: ExportFormat = a.format.parse()?;
    let (_, events) = a.filter.load()?;
    let sink: Box<dyn Write + Send> = match &a.output {
        Some(p) => Box::new(std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?),
        None => Box::new(std::io::stdout()),
    };
    let mut w = std::io::BufWriter::new(sink);
    let opts = NetworkOptions { scope: a.scope.into(), counting: counting(a.reports), ..Default::default() };
    match format {
        ExportFormat::Csv => hamkor_export::write_csv(&events, &mut w, a.hxl)?,
        ExportFormat::Jsonl => hamkor_export::write_jsonl(&events, &mut w)?,
        ExportFormat::Parquet => hamkor_export::write_parquet(&events, &mut w)?,
        ExportFormat::Graphml => hamkor_export::write_graphml(&events, &opts, &mut w)?,
        ExportFormat::Geojson => hamkor_export::write_geojson(&events, counting(a.reports), &mut w)?,
        ExportFormat::Plover => hamkor_export::write_plover(&events, &mut w)?,
    }
    w.flush()?;
    if let Some(p) = &a.output {
        eprintln!("hamkor: export: {} canonical events to {}", events.len(), p.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn report(a: ReportArgs) -> anyhow::Result<ExitCode> {
    let ext = a.output.extension().and_then(|e| e.to_str()).unwrap_or("");
    let Some(format) = hamkor_report::Format::from_extension(ext) else {
        bail!("-o {}: the report is .html or .md", a.output.display());
    };
    let (store, events) = a.filter.load()?;
    let stats = store.stats()?;
    let mut doc_ids: Vec<i64> = events.iter().flat_map(|e| e.reports.iter().map(|r| r.document_id)).collect();
    doc_ids.sort_unstable();
    doc_ids.dedup();
    let documents = store.analysis_documents(&doc_ids)?;
    let agreements = match &a.agreements {
        Some(p) => agreements_file(p)?,
        None => hamkor_app::analysis_agreements(&store)?,
    };
    let mut options = hamkor_report::ReportOptions {
        breakpoint: a.breakpoint,
        window: a.filter.window(&events)?,
        level: a.level,
        counting: counting(a.reports),
        scope: a.scope.into(),
        follow: follow_options(a.horizon_days, "joint_activity,aid,institution", a.level)?,
        ..Default::default()
    };
    if let Some(t) = a.title {
        options.title = t;
    }
    if let Some(w) = &a.weights {
        options.weights = Weights::parse(w)?;
    }
    let input = hamkor_report::ReportInput {
        summary: hamkor_report::StoreSummary {
            name: a
                .filter
                .db
                .file_name()
                .map_or_else(|| a.filter.db.display().to_string(), |n| n.to_string_lossy().into_owned()),
            documents: stats.documents,
            coded_events: stats.events,
            sources: stats.sources,
            lexicons: stats.documents_by_lexicon.clone(),
            origin: store.analysis_origin().to_string(),
        },
        events,
        documents,
        agreements,
        imported: store.imported_events(&hamkor_store::ImportedQuery::default())?,
        options,
    };
    let text = hamkor_report::render(&input, format);
    std::fs::write(&a.output, text).with_context(|| format!("writing {}", a.output.display()))?;
    eprintln!(
        "hamkor: report: {} canonical events, {} documents cited, written to {}",
        input.events.len(),
        input.documents.len(),
        a.output.display()
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        // Flags flattened into several commands (the filter flags) must not clash with theirs.
        crate::Cli::command().debug_assert();
    }
}
