//! Centralities against networkx (`scripts/analysis/network_expected.py`, committed as
//! `tests/expected/network.json`).

use hamkor_analysis::network::from_edges;
use hamkor_model::ActorCode;
use serde_json::Value;

#[test]
fn centralities_match_networkx() {
    let e: Value = serde_json::from_str(include_str!("expected/network.json")).unwrap();
    for (name, g) in e["graphs"].as_object().unwrap() {
        let edges: Vec<(ActorCode, ActorCode, f64, Vec<i64>)> = g["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    ActorCode::new(x[0].as_str().unwrap()).unwrap(),
                    ActorCode::new(x[1].as_str().unwrap()).unwrap(),
                    x[2].as_f64().unwrap(),
                    vec![],
                )
            })
            .collect();
        let net = from_edges(&edges);
        let want = g["nodes"].as_object().unwrap();
        assert_eq!(net.nodes.len(), want.len(), "{name}");
        for node in &net.nodes {
            let w = &want[&node.actor];
            assert_eq!(node.degree as u64, w["degree"].as_u64().unwrap(), "{name} {} degree", node.actor);
            for (what, got) in [
                ("degree_centrality", node.degree_centrality),
                ("strength", node.strength),
                ("betweenness", node.betweenness),
                ("betweenness_hops", node.betweenness_hops),
                ("eigenvector", node.eigenvector),
            ] {
                let want = w[what].as_f64().unwrap();
                assert!((got - want).abs() <= 1e-9, "{name} {} {what}: got {got}, networkx {want}", node.actor);
            }
        }
    }
}
