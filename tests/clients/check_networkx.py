#!/usr/bin/env python3
"""Load a namegraph node-link JSON file with NetworkX, as a user would, and check it.

Usage: check_networkx.py GRAPH_JSON   (exit 0 and "OK ..." when NetworkX accepts it)
"""
import json
import sys

import networkx as nx


def main(path):
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    graph = nx.node_link_graph(data, edges="links")
    ids = [node["id"] for node in data["nodes"]]
    problems = []
    if len(ids) != len(set(ids)):
        problems.append("duplicate node ids")
    known = set(ids)
    for link in data["links"]:
        for end in ("source", "target"):
            if link[end] not in known:
                problems.append(f"dangling {end} {link[end]!r}")
    if graph.number_of_nodes() != len(ids) or graph.number_of_edges() != len(data["links"]):
        problems.append("NetworkX saw a different number of nodes or edges than the file has")
    if not isinstance(graph, nx.MultiDiGraph):
        problems.append(f"expected a MultiDiGraph, got {type(graph).__name__}")
    if graph.number_of_nodes() < 2 or graph.number_of_edges() < 1:
        problems.append("graph is trivial")
    relations = [(u, v, k) for u, v, k, d in graph.edges(keys=True, data=True) if d["kind"] == "relation"]
    for u, v, k in relations:
        data = graph.edges[u, v, k]
        if data.get("relation") is None or data.get("polarity") not in ("cooperative", "hostile", "neutral"):
            problems.append(f"relation edge {u}->{v} {k!r} lacks its relation or polarity")
    if problems:
        print("FAIL: " + "; ".join(problems), file=sys.stderr)
        return 1
    heaviest = max(graph.edges(keys=True, data=True), key=lambda edge: edge[3]["weight"])
    print(f"OK networkx={nx.__version__} nodes={graph.number_of_nodes()} edges={graph.number_of_edges()} "
          f"relations={len(relations)} heaviest={heaviest[0]}--{heaviest[1]} weight={heaviest[3]['weight']}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
