#!/usr/bin/env python3
"""Load a namegraph GEXF or GraphML file with NetworkX, as a user would, and check it.

Usage: check_networkx_xml.py FILE.gexf|FILE.graphml   (exit 0 and "OK ..." when NetworkX accepts it)

NetworkX silently creates a node for an edge end it does not know, and keeps going over
duplicate ids, so the file's ids and references are also checked here, from the XML itself.
"""
import sys
import xml.etree.ElementTree as ET

import networkx as nx


def local(tag):
    return tag.rsplit("}", 1)[-1]


def main(path):
    if path.endswith(".gexf"):
        graph = nx.read_gexf(path)
        fmt = "gexf"
    elif path.endswith(".graphml"):
        graph = nx.read_graphml(path)
        fmt = "graphml"
    else:
        print("FAIL: expected a .gexf or .graphml file", file=sys.stderr)
        return 2
    root = ET.parse(path).getroot()
    nodes = [e.get("id") for e in root.iter() if local(e.tag) == "node"]
    edges = [e for e in root.iter() if local(e.tag) == "edge"]
    problems = []
    if len(nodes) != len(set(nodes)):
        problems.append("duplicate node ids")
    edge_ids = [e.get("id") for e in edges]
    if None in edge_ids or len(edge_ids) != len(set(edge_ids)):
        problems.append("missing or duplicate edge ids")
    known = set(nodes)
    for edge in edges:
        for end in ("source", "target"):
            if edge.get(end) not in known:
                problems.append(f"dangling {end} {edge.get(end)!r} on edge {edge.get('id')}")
    if graph.number_of_nodes() != len(nodes):
        problems.append(f"NetworkX saw {graph.number_of_nodes()} nodes, the file has {len(nodes)}")
    mutual = sum(1 for e in edges if e.get("type") == "mutual")
    if not graph.is_directed():
        mutual = 0
    if graph.number_of_edges() != len(edges) + mutual:
        problems.append(f"NetworkX saw {graph.number_of_edges()} edges, the file has {len(edges)} ({mutual} mutual)")
    directed = any(e.get("type") == "directed" for e in edges) or fmt == "graphml" or root.find(
        "{*}graph").get("defaultedgetype") == "directed"
    if graph.is_directed() != directed:
        problems.append(f"expected a {'directed' if directed else 'undirected'} graph, got {type(graph).__name__}")
    if graph.number_of_nodes() < 2 or graph.number_of_edges() < 1:
        problems.append("graph is trivial")
    kind_key = "edge_kind" if fmt == "gexf" else "kind"
    # A mutual edge is in NetworkX twice, under one key: count keys.
    keyed = graph.edges(keys=True, data=True) if graph.is_multigraph() else (
        (u, v, (u, v), d) for u, v, d in graph.edges(data=True))
    relations = {k: d for _, _, k, d in keyed if d.get(kind_key) == "relation"}
    for data in relations.values():
        if not data.get("relation") or data.get("polarity") not in ("cooperative", "hostile", "neutral"):
            problems.append(f"relation edge without its relation or polarity: {data}")
            break
    for node, data in graph.nodes(data=True):
        if data.get("entity_type") not in ("person", "state", "organization", "place"):
            problems.append(f"node {node} has no entity_type")
            break
        if "type" in data and fmt == "gexf":
            problems.append(f"node {node} has a `type` attribute (sigma.js reads it as a renderer)")
            break
    if problems:
        print("FAIL: " + "; ".join(problems[:10]), file=sys.stderr)
        return 1
    extra = ""
    if fmt == "gexf":
        dated = sum(1 for _, d in graph.nodes(data=True) if d.get("spells"))
        extra = f" mode={graph.graph.get('mode')} nodes_with_spells={dated}"
    print(f"OK networkx={nx.__version__} format={fmt} nodes={graph.number_of_nodes()} "
          f"edges={len(edges)} relations={len(relations)}{extra}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
