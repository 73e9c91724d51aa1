//! The cooperation network: actors as nodes, an undirected edge between two actors weighted by
//! the number of canonical events (or reports) in which both took part, and per node the degree,
//! strength, betweenness (Brandes) and eigenvector centralities, per period and per domain.
//!
//! The definitions follow networkx so that the values can be checked against it
//! (`scripts/network_expected.py`): betweenness is normalised by (n−1)(n−2) and measured on
//! shortest paths whose length is the sum of 1/weight (a stronger tie is a shorter distance);
//! `betweenness_hops` ignores the weights; the eigenvector centrality is the leading eigenvector
//! of the weighted adjacency matrix, positive and of unit Euclidean length.

use crate::{is_state, CanonicalEvent, Counting, Dyad};
use hamkor_model::{ActorCode, Domain};
use serde::Serialize;
use std::collections::BTreeMap;

/// Which actors are nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The five Central Asian states (the default: "who is the hub of the region").
    #[default]
    CentralAsia,
    /// Every state, partners included; no organisations or groups.
    States,
    /// Every actor.
    All,
}

impl Scope {
    pub fn admits(self, a: &ActorCode) -> bool {
        match self {
            Scope::CentralAsia => a.is_central_asian(),
            Scope::States => is_state(a),
            Scope::All => true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct NetworkOptions {
    pub scope: Scope,
    /// Events with this domain only.
    pub domain: Option<Domain>,
    pub from_year: Option<i32>,
    pub to_year: Option<i32>,
    pub counting: Counting,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    pub actor: String,
    /// Number of neighbours.
    pub degree: u32,
    /// degree / (n − 1).
    pub degree_centrality: f64,
    /// Sum of the weights of the node's edges.
    pub strength: f64,
    /// Weighted betweenness (distance = 1/weight), normalised.
    pub betweenness: f64,
    /// Betweenness on hop counts, normalised.
    pub betweenness_hops: f64,
    pub eigenvector: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edge {
    pub a: String,
    pub b: String,
    pub weight: f64,
    pub event_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Network {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// Build the network of the events that pass the options, with every centrality.
pub fn network(events: &[CanonicalEvent], opts: &NetworkOptions) -> Network {
    let mut weights: BTreeMap<Dyad, (f64, Vec<i64>)> = BTreeMap::new();
    for e in events {
        if opts.domain.is_some_and(|d| !e.domains.contains(&d)) {
            continue;
        }
        let year = e.year();
        if opts.from_year.is_some_and(|f| year.is_none_or(|y| y < f))
            || opts.to_year.is_some_and(|t| year.is_none_or(|y| y > t))
        {
            continue;
        }
        let members: Vec<ActorCode> = e.actors.iter().copied().filter(|a| opts.scope.admits(a)).collect();
        let unit = opts.counting.unit(e) as f64;
        for (i, x) in members.iter().enumerate() {
            for y in members[i + 1..].iter().filter(|y| hamkor_model::groups::is_pair(x, y)) {
                let w = weights.entry(Dyad::new(*x, *y)).or_insert((0.0, Vec::new()));
                w.0 += unit;
                w.1.push(e.id);
            }
        }
    }
    let edges: Vec<(ActorCode, ActorCode, f64, Vec<i64>)> =
        weights.into_iter().map(|(d, (w, ids))| (d.a, d.b, w, ids)).collect();
    from_edges(&edges)
}

/// Centralities of a weighted undirected graph given by its edges (nodes are the actors that
/// appear in an edge, sorted).
pub fn from_edges(edges: &[(ActorCode, ActorCode, f64, Vec<i64>)]) -> Network {
    let mut names: Vec<ActorCode> = edges.iter().flat_map(|e| [e.0, e.1]).collect();
    names.sort_unstable();
    names.dedup();
    let n = names.len();
    let ix = |a: &ActorCode| names.binary_search(a).expect("an edge's node is a node");
    let mut adj = vec![vec![0.0f64; n]; n];
    for (a, b, w, _) in edges {
        let (i, j) = (ix(a), ix(b));
        adj[i][j] += w;
        adj[j][i] += w;
    }
    let degree: Vec<u32> = adj.iter().map(|row| row.iter().filter(|w| **w > 0.0).count() as u32).collect();
    let strength: Vec<f64> = adj.iter().map(|row| row.iter().sum()).collect();
    let between = betweenness(&adj, true);
    let hops = betweenness(&adj, false);
    let eig = eigenvector(&adj);
    let nodes = (0..n)
        .map(|i| Node {
            actor: names[i].to_string(),
            degree: degree[i],
            degree_centrality: if n > 1 { degree[i] as f64 / (n - 1) as f64 } else { 0.0 },
            strength: strength[i],
            betweenness: between[i],
            betweenness_hops: hops[i],
            eigenvector: eig[i],
        })
        .collect();
    let mut edges_out: Vec<Edge> = edges
        .iter()
        .map(|(a, b, w, ids)| {
            let mut ids = ids.clone();
            ids.sort_unstable();
            ids.dedup();
            Edge { a: a.to_string(), b: b.to_string(), weight: *w, event_ids: ids }
        })
        .collect();
    edges_out.sort_by(|x, y| (&x.a, &x.b).cmp(&(&y.a, &y.b)));
    Network { nodes, edges: edges_out }
}

/// Brandes' algorithm; with `weighted`, path lengths are sums of 1/weight (Dijkstra), else hop
/// counts (breadth-first). Normalised as networkx does for undirected graphs: the sum over
/// ordered pairs divided by (n−1)(n−2).
pub fn betweenness(adj: &[Vec<f64>], weighted: bool) -> Vec<f64> {
    let n = adj.len();
    let mut cb = vec![0.0f64; n];
    for s in 0..n {
        // Single-source shortest paths: order of settling, predecessors, path counts.
        let mut order: Vec<usize> = Vec::with_capacity(n);
        let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut sigma = vec![0.0f64; n];
        let mut seen: Vec<Option<f64>> = vec![None; n];
        let mut done = vec![false; n];
        // Tentative entries (dist, insertion counter, pred, node), settled smallest first.
        let mut queue: Vec<(f64, usize, usize, usize)> = vec![(0.0, 0, s, s)];
        let mut counter = 1;
        sigma[s] = 1.0;
        seen[s] = Some(0.0);
        while !queue.is_empty() {
            let k = (0..queue.len())
                .min_by(|&a, &b| queue[a].0.total_cmp(&queue[b].0).then(queue[a].1.cmp(&queue[b].1)))
                .expect("non-empty");
            let (dist, _, pred, v) = queue.swap_remove(k);
            if done[v] {
                continue;
            }
            if v != s {
                sigma[v] += sigma[pred];
            }
            order.push(v);
            done[v] = true;
            for w in 0..n {
                let wt = adj[v][w];
                if wt <= 0.0 || w == v {
                    continue;
                }
                let vw = dist + if weighted { 1.0 / wt } else { 1.0 };
                if !done[w] && seen[w].is_none_or(|d| vw < d) {
                    seen[w] = Some(vw);
                    queue.push((vw, counter, v, w));
                    counter += 1;
                    sigma[w] = 0.0;
                    preds[w] = vec![v];
                } else if seen[w] == Some(vw) {
                    sigma[w] += sigma[v];
                    preds[w].push(v);
                }
            }
        }
        let mut delta = vec![0.0f64; n];
        while let Some(w) = order.pop() {
            let coeff = (1.0 + delta[w]) / sigma[w];
            for &v in &preds[w] {
                delta[v] += sigma[v] * coeff;
            }
            if w != s {
                cb[w] += delta[w];
            }
        }
    }
    if n > 2 {
        let scale = 1.0 / ((n - 1) * (n - 2)) as f64;
        for v in &mut cb {
            *v *= scale;
        }
    }
    cb
}

/// The leading eigenvector of a symmetric non-negative matrix by the cyclic Jacobi method,
/// signed positive and of unit length. In a disconnected graph, components other than the one
/// with the largest eigenvalue get (close to) zero.
pub fn eigenvector(adj: &[Vec<f64>]) -> Vec<f64> {
    let n = adj.len();
    if n == 0 {
        return vec![];
    }
    if n == 1 {
        return vec![1.0];
    }
    let mut a: Vec<Vec<f64>> = adj.to_vec();
    let mut v = vec![vec![0.0f64; n]; n];
    for (i, row) in v.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |j| *j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum();
        let scale: f64 = (0..n).map(|i| a[i][i] * a[i][i]).sum::<f64>() + off;
        if off <= 1e-30 * scale.max(1e-300) {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if a[p][q] == 0.0 {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                // The smaller root of t² + 2θt − 1 = 0 (Numerical Recipes, "jacobi").
                let sign = if theta < 0.0 { -1.0 } else { 1.0 };
                let t = sign / (theta.abs() + (theta * theta + 1.0).sqrt());
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for row in a.iter_mut() {
                    let (akp, akq) = (row[p], row[q]);
                    row[p] = c * akp - s * akq;
                    row[q] = s * akp + c * akq;
                }
                #[allow(clippy::needless_range_loop)] // rows p and q are both written
                for k in 0..n {
                    let (apk, aqk) = (a[p][k], a[q][k]);
                    a[p][k] = c * apk - s * aqk;
                    a[q][k] = s * apk + c * aqk;
                }
                for row in v.iter_mut() {
                    let (vkp, vkq) = (row[p], row[q]);
                    row[p] = c * vkp - s * vkq;
                    row[q] = s * vkp + c * vkq;
                }
            }
        }
    }
    let top = (0..n).max_by(|&i, &j| a[i][i].total_cmp(&a[j][j]).then(j.cmp(&i))).expect("n > 0");
    let mut x: Vec<f64> = v.iter().map(|row| row[top]).collect();
    let sum: f64 = x.iter().sum();
    let norm = x.iter().map(|y| y * y).sum::<f64>().sqrt() * if sum < 0.0 { -1.0 } else { 1.0 };
    for y in &mut x {
        *y /= norm;
        if y.abs() < 1e-15 {
            *y = 0.0;
        }
    }
    x
}

/// The hub of one network by each centrality: the actor with the highest value (ties: all of
/// them, in code order).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hubs {
    /// A year, `YYYY–YYYY`, or `all`.
    pub period: String,
    /// A domain, or `all`.
    pub domain: String,
    pub events: u64,
    pub by_strength: Vec<String>,
    pub by_betweenness: Vec<String>,
    pub by_eigenvector: Vec<String>,
    pub network: Network,
}

fn top(nodes: &[Node], f: impl Fn(&Node) -> f64) -> Vec<String> {
    let best = nodes.iter().map(&f).fold(f64::NEG_INFINITY, f64::max);
    if best.is_nan() || best <= 0.0 {
        return vec![];
    }
    // Equal within rounding: 1e-9 relative.
    nodes.iter().filter(|n| f(n) >= best * (1.0 - 1e-9)).map(|n| n.actor.clone()).collect()
}

/// Networks and hubs per period (each year, plus the whole window) and per domain (each domain
/// with events, plus all domains).
pub fn hubs(
    events: &[CanonicalEvent],
    base: &NetworkOptions,
    periods: &[(String, Option<i32>, Option<i32>)],
) -> Vec<Hubs> {
    let mut domains: Vec<Option<Domain>> = vec![None];
    let mut present: Vec<Domain> = events.iter().flat_map(|e| e.domains.iter().copied()).collect();
    present.sort_unstable();
    present.dedup();
    domains.extend(present.into_iter().map(Some));
    let mut out = Vec::new();
    for (label, from, to) in periods {
        for d in &domains {
            let opts = NetworkOptions { domain: *d, from_year: *from, to_year: *to, ..base.clone() };
            let net = network(events, &opts);
            let mut ids: Vec<i64> = net.edges.iter().flat_map(|e| e.event_ids.iter().copied()).collect();
            ids.sort_unstable();
            ids.dedup();
            if ids.is_empty() {
                continue;
            }
            out.push(Hubs {
                period: label.clone(),
                domain: d.map_or("all".to_string(), |d| d.code().to_string()),
                events: ids.len() as u64,
                by_strength: top(&net.nodes, |n| n.strength),
                by_betweenness: top(&net.nodes, |n| n.betweenness),
                by_eigenvector: top(&net.nodes, |n| n.eigenvector),
                network: net,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::ev;

    #[test]
    fn a_star_has_its_centre_as_hub() {
        let events = vec![
            ev(1, "meeting", "KAZ,UZB", "political", "2020"),
            ev(2, "meeting", "KGZ,UZB", "political", "2020"),
            ev(3, "meeting", "TJK,UZB", "political", "2020"),
            ev(4, "meeting", "TJK,UZB", "health", "2021"),
            ev(5, "meeting", "EU,UZB", "health", "2021"),
        ];
        let net = network(&events, &NetworkOptions::default());
        assert_eq!(net.nodes.len(), 4, "EU is not Central Asian");
        let uzb = net.nodes.iter().find(|n| n.actor == "UZB").unwrap();
        assert_eq!((uzb.degree, uzb.strength), (3, 4.0));
        assert!((uzb.betweenness - 1.0).abs() < 1e-12, "every path between leaves passes UZB");
        let h = hubs(&events, &NetworkOptions::default(), &[("all".into(), None, None)]);
        assert_eq!(h[0].by_strength, ["UZB"]);
        assert_eq!(h[0].by_eigenvector, ["UZB"]);
        let sum: f64 = net.nodes.iter().map(|n| n.eigenvector * n.eigenvector).sum();
        assert!((sum - 1.0).abs() < 1e-12);
    }
}
