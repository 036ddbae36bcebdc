#!/usr/bin/env python3
"""Turn tests/gold/annotations.tsv (written by reading the articles) into tests/gold/sample.json.

    python3 tests/gold/build.py        # from the repository root

The annotator writes what each surface form in a document names; this script only finds the
offsets (Unicode code points into the original file) of every whole-token, case-sensitive
occurrence, longest surface first, never inside a longer annotation of the same list. It stops
with an error when a surface or a relation's clause does not occur, so a typo cannot slip in.
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def occurrences(text, surface):
    start = text.find(surface)
    while start != -1:
        end = start + len(surface)
        before = text[start - 1] if start > 0 else " "
        after = text[end] if end < len(text) else " "
        if not before.isalnum() and not after.isalnum():
            yield start, end
        start = text.find(surface, start + 1)


def main():
    rows = []
    with open(os.path.join(ROOT, "tests/gold/annotations.tsv"), encoding="utf-8") as source:
        for number, line in enumerate(source, 1):
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                rows.append((number, line.split("\t")))
    documents = {}
    for number, fields in rows:
        doc = fields[0]
        if doc not in documents:
            with open(os.path.join(ROOT, "corpus", doc), encoding="utf-8") as handle:
                documents[doc] = {"text": handle.read(), "name": [], "demonym": [], "role": [], "relation": []}
        documents[doc][fields[1]].append((number, fields[2:]))
    out = {"format": "namegraph-gold/1", "corpus": "corpus", "documents": []}
    for doc in sorted(documents):
        entry = documents[doc]
        text = entry["text"]
        result = {"id": doc, "mentions": [], "demonyms": [], "roles": [], "relations": []}
        for kind, key in (("name", "mentions"), ("demonym", "demonyms"), ("role", "roles")):
            taken = []
            for number, (surface, entity) in sorted(entry[kind], key=lambda r: -len(r[1][0])):
                found = [(s, e) for s, e in occurrences(text, surface) if not any(s < te and ts < e for ts, te in taken)]
                if not found:
                    sys.exit(f"annotations.tsv:{number}: {surface!r} does not occur (free) in {doc}")
                for s, e in found:
                    taken.append((s, e))
                    result[key].append({"start": s, "end": e, "text": surface, "entity": entity})
            result[key].sort(key=lambda m: (m["start"], m["end"]))
        for number, (subject, relation, obj, negated, clause) in entry["relation"]:
            start = text.find(clause)
            if start == -1:
                sys.exit(f"annotations.tsv:{number}: clause not found in {doc}: {clause!r}")
            result["relations"].append({
                "subject": subject, "relation": relation, "object": obj, "negated": negated == "true",
                "start": start, "end": start + len(clause), "text": clause,
            })
        out["documents"].append(result)
    with open(os.path.join(ROOT, "tests/gold/sample.json"), "w", encoding="utf-8") as handle:
        json.dump(out, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    counts = {k: sum(len(d[k]) for d in out["documents"]) for k in ("mentions", "demonyms", "roles", "relations")}
    print(f"wrote tests/gold/sample.json: {counts}", file=sys.stderr)


if __name__ == "__main__":
    main()
