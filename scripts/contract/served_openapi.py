#!/usr/bin/env python3
"""Writes, for schemathesis, one OpenAPI document per Infobip document holding only the
operations ccsim's mock serves (those docs/mock-operations.md marks served, which a test keeps
current), from the schemas extracted into tests/data/infobip-openapi/.

    python3 scripts/contract/served_openapi.py OUT_DIR
"""

import json
import os
import sys

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
DATA = os.path.join(ROOT, "tests", "data", "infobip-openapi")


def served():
    """(document, METHOD, path) of every served operation."""
    rows = set()
    with open(os.path.join(ROOT, "docs", "mock-operations.md"), encoding="utf-8") as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 5 and cells[4] == "served":
                rows.add((cells[0], cells[1], cells[2].strip("`")))
    return rows


def fix(doc):
    """Replaces the schemas that are the documents' own mistakes (document-bugs.json, the one
    place they are listed with the reason) by what the API takes."""
    with open(os.path.join(DATA, "document-bugs.json"), encoding="utf-8") as f:
        bugs = json.load(f)
    schemas = doc.get("components", {}).get("schemas", {})
    for bug in bugs:
        for name in list(schemas):
            if "component" in bug and name.split(".")[-1] == bug["component"]:
                schemas[name] = bug["schema"]


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    ops = served()
    for name in sorted({d for d, _, _ in ops}):
        with open(os.path.join(DATA, f"{name}.schemas.json"), encoding="utf-8") as f:
            doc = json.load(f)
        paths = {}
        for path, item in doc["paths"].items():
            kept = {m: op for m, op in item.items() if (name, m.upper(), path) in ops}
            if kept:
                if "parameters" in item:
                    kept["parameters"] = item["parameters"]
                paths[path] = kept
        doc["paths"] = paths
        doc.pop("webhooks", None)
        fix(doc)
        with open(os.path.join(out, f"{name}.json"), "w", encoding="utf-8") as f:
            json.dump(doc, f)
        count = sum(1 for item in paths.values() for m in item if m != "parameters")
        print(f"{name}: {count} served operations", file=sys.stderr)


if __name__ == "__main__":
    main()
