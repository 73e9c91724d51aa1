#!/usr/bin/env python3
"""Expected centralities for crates/analysis/tests/network.rs, computed with networkx.

Run once when the graphs change (needs networkx, numpy and scipy):
    python3 scripts/analysis/network_expected.py > crates/analysis/tests/expected/network.json
"""
import json
import sys

import networkx as nx

GRAPHS = {
    # The five states with uneven ties (a hub, a bridge, a pendant).
    "central_asia": [("KAZ", "UZB", 9), ("KGZ", "UZB", 6), ("TJK", "UZB", 7), ("KAZ", "KGZ", 4), ("TKM", "UZB", 2),
                     ("KAZ", "TKM", 1), ("KGZ", "TJK", 3)],
    # Equal-length weighted paths (1/2 + 1/2 = 1/1): ties must be counted the same way.
    "ties": [("AAA", "BBB", 2), ("BBB", "CCC", 2), ("AAA", "CCC", 1), ("CCC", "DDD", 1), ("DDD", "EEE", 3),
             ("BBB", "EEE", 1)],
    # A path and a star joined: betweenness far from uniform.
    "path_star": [("KAZ", "KGZ", 1), ("KGZ", "TJK", 1), ("TJK", "UZB", 1), ("UZB", "TKM", 5), ("UZB", "AFG", 2),
                  ("UZB", "RUS", 1), ("AFG", "TKM", 1)],
    "triangle": [("KAZ", "KGZ", 1), ("KGZ", "UZB", 1), ("KAZ", "UZB", 1)],
}

out = {"generated_by": "scripts/analysis/network_expected.py", "networkx": nx.__version__, "graphs": {}}
for name, edges in GRAPHS.items():
    g = nx.Graph()
    for a, b, w in edges:
        g.add_edge(a, b, weight=float(w), distance=1.0 / float(w))
    between = nx.betweenness_centrality(g, weight="distance", normalized=True)
    hops = nx.betweenness_centrality(g, normalized=True)
    eig = nx.eigenvector_centrality_numpy(g, weight="weight")
    deg = nx.degree_centrality(g)
    nodes = {}
    for v in sorted(g.nodes):
        nodes[v] = {
            "degree": g.degree(v),
            "degree_centrality": deg[v],
            "strength": g.degree(v, weight="weight"),
            "betweenness": between[v],
            "betweenness_hops": hops[v],
            "eigenvector": eig[v],
        }
    out["graphs"][name] = {"edges": edges, "nodes": nodes}
json.dump(out, sys.stdout, indent=1, sort_keys=True)
print()
