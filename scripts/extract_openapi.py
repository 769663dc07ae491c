#!/usr/bin/env python3
"""Extracts, from Infobip's published OpenAPI documents, the facts ccsim's tests need.

Infobip publishes its platform API as OpenAPI 3.1 documents (Conversations, WhatsApp, the
Subscriptions API, and the common assets that hold the Conversations event webhook). They are large (0.8 MB each) and mostly prose and examples; the mock's
contract tests need only the operations (method, path, operation id, summary, scopes, rate
limits, whether deprecated) and the JSON schemas of requests and answers. This script keeps
exactly those and writes them under `tests/data/infobip-openapi/`, so the repository carries
what its tests read and nothing outside it is needed:

    python3 scripts/extract_openapi.py --from DIR_WITH_THE_DOCUMENTS

DIR holds `conversations.json`, `whatsapp.json`, `subscriptions.json` and `common-assets.json`
as Infobip publishes them (for instance the copies at https://github.com/api-evangelist/infobip,
`openapi/infobip-<name>-openapi.json`, version 3.210.0). The
output is deterministic (sorted keys, fixed indent), so a re-run on the same input changes
nothing and a new document version shows as a reviewable diff.
"""

import argparse
import json
import os
import sys

DOCUMENTS = ["conversations", "whatsapp", "subscriptions", "common-assets"]
METHODS = ["get", "put", "post", "delete", "patch", "head", "options"]
# Keys that carry prose or examples, never structure: dropped wherever they are not the name of
# a schema property.
PROSE = {"description", "example", "examples", "summary", "externalDocs", "x-codeSamples"}


def strip(node, in_properties=False):
    """`node` without prose; `in_properties` marks a schema's `properties` map, whose keys are
    field names (a field may well be called `description`)."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if not in_properties and key in PROSE:
                continue
            out[key] = strip(value, in_properties=(key == "properties" and not in_properties))
        return out
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def operations(name, doc):
    rows = []
    for path, item in sorted(doc.get("paths", {}).items()):
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            rows.append(
                {
                    "document": name,
                    "method": method.upper(),
                    "path": path,
                    "operationId": op.get("operationId"),
                    "summary": op.get("summary"),
                    "deprecated": bool(op.get("deprecated", False)),
                    "scopes": op.get("x-scopes", []),
                    "throttling": op.get("x-throttling-info"),
                }
            )
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="source", required=True, help="folder of the documents")
    parser.add_argument(
        "--to",
        default=os.path.join(os.path.dirname(__file__), "..", "tests", "data", "infobip-openapi"),
        help="output folder (default: tests/data/infobip-openapi)",
    )
    args = parser.parse_args()
    os.makedirs(args.to, exist_ok=True)
    all_ops = []
    for name in DOCUMENTS:
        path = os.path.join(args.source, f"{name}.json")
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        all_ops.extend(operations(name, doc))
        kept = {
            "openapi": doc["openapi"],
            "info": {"title": doc["info"].get("title"), "version": doc["info"].get("version")},
            "paths": strip(doc.get("paths", {})),
            "components": strip(doc.get("components", {})),
        }
        if "webhooks" in doc:
            kept["webhooks"] = strip(doc["webhooks"])
        with open(os.path.join(args.to, f"{name}.schemas.json"), "w", encoding="utf-8") as f:
            json.dump(kept, f, indent=1, sort_keys=True, ensure_ascii=False)
            f.write("\n")
    with open(os.path.join(args.to, "operations.json"), "w", encoding="utf-8") as f:
        json.dump(all_ops, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    print(f"{len(all_ops)} operations from {len(DOCUMENTS)} documents into {args.to}", file=sys.stderr)


if __name__ == "__main__":
    main()
