"""A version's rows on Milvus: the three collections' schemas, writing them, reading them back."""

from __future__ import annotations

import json

import numpy as np

from ...errors import IndexerError
from ...read.passages import Passage
from ...read.progress import report_progress
from ...read.terms import tokenize_each
from .. import disk
from ..ann import HNSW_EF_CONSTRUCTION, HNSW_NEIGHBOURS
from ..disk import passage_languages
from ..manifest import Manifest

CHUNK_CHARS = 15_000  # a VARCHAR holds 65,535 bytes: four per character at most
MAX_FIELD = 65_535
INSERT_ROWS = 2_000  # rows per insert call: well under the engine's message size
READ_ROWS = 4_000  # rows per page when reading a version back
BM25 = {"bm25_k1": 1.5, "bm25_b": 0.75}  # bm25s's defaults, as the local store ranks
COMPLETE = "complete"  # the key of a version's last row: it is whole once this is written


def read_meta(client, collection: str, prefix: str) -> str:
    """Return the text stored in chunks under a key prefix ("" if there is none)."""
    rows = client.query(collection, filter=f'key like "{prefix}:%"', output_fields=["value"])
    chunks = sorted(rows, key=lambda row: int(row["key"].rsplit(":", 1)[1]))
    return "".join(row["value"] for row in chunks)


def _schema(client, dimension: int, part: str):
    """Return the schema of one part of a version."""
    from pymilvus import DataType, Function, FunctionType

    schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
    if part == "m":
        schema.add_field("key", DataType.VARCHAR, is_primary=True, max_length=1024)
        schema.add_field("value", DataType.VARCHAR, max_length=MAX_FIELD)
        schema.add_field("vec", DataType.FLOAT_VECTOR, dim=2)  # Milvus needs one; unused
        return schema
    schema.add_field("id", DataType.INT64, is_primary=True)
    schema.add_field("vec", DataType.FLOAT_VECTOR, dim=dimension)
    schema.add_field("source", DataType.VARCHAR, max_length=4096)
    if part == "u":
        for name in ("passage", "start", "end"):
            schema.add_field(name, DataType.INT64)
        return schema
    # Terms are already the product's stemmed tokens, joined by spaces: the engine's standard
    # analyzer splits them back (Milvus Lite offers no other).
    schema.add_field(
        "terms",
        DataType.VARCHAR,
        max_length=MAX_FIELD,
        enable_analyzer=True,
        analyzer_params={"type": "standard"},
    )
    schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_field("record", DataType.VARCHAR, max_length=MAX_FIELD)
    schema.add_field("units", DataType.VARCHAR, max_length=MAX_FIELD)  # [[row, start, end], …]
    schema.add_function(
        Function(
            name="bm25",
            function_type=FunctionType.BM25,
            input_field_names=["terms"],
            output_field_names=["sparse"],
        )
    )
    return schema


def _create(client, name: str, dimension: int, part: str, graph: bool) -> None:
    index = client.prepare_index_params()
    if graph:  # large: an HNSW graph, as the local store builds from the same size on
        params = {"M": HNSW_NEIGHBOURS, "efConstruction": HNSW_EF_CONSTRUCTION}
        index.add_index("vec", index_type="HNSW", metric_type="IP", params=params)
    else:
        index.add_index("vec", index_type="FLAT", metric_type="IP")
    if part == "p":
        index.add_index(
            "sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25", params=BM25
        )
    client.create_collection(
        name,
        schema=_schema(client, dimension, part),
        consistency_level="Strong",  # a version is read right after it is written
    )
    # sync=False: waiting polls a timestamp service Milvus Lite lacks (and half a second a try).
    client.create_index(name, index, sync=False)
    client.load_collection(name)


def write_rows(
    client, versions, stamp, manifest, stored, texts, progress, ann_min_rows=None
) -> None:
    """Write the three collections of a new version; the `complete` row goes last.

    A collection of ann_min_rows rows or more is searched through an HNSW graph.
    """
    dimension = int(stored.vectors.shape[1])
    units = np.asarray(stored.units)
    sizes = {"p": len(stored.passages), "u": len(units), "m": 0}
    for part in "pum":
        graph = ann_min_rows is not None and sizes[part] >= ann_min_rows
        _create(client, versions.collection(stamp, part), dimension, part, graph)
    units_from = np.searchsorted(units[:, 0], np.arange(len(stored.passages) + 1))
    terms = tokenize_each(
        [p.embedding_text() for p in stored.passages], passage_languages(manifest, stored)
    )
    total, done = len(stored.passages) + len(units), 0

    def send(part: str, rows: list[dict]) -> None:
        nonlocal done
        client.insert(versions.collection(stamp, part), rows)
        done += len(rows)
        report_progress(progress, "Writing to Milvus", done, total)

    rows = []
    for i, passage in enumerate(stored.passages):
        record = json.dumps(passage.to_record(), ensure_ascii=False)
        spans = [
            [int(r), int(units[r, 1]), int(units[r, 2])] for r in range(*units_from[i : i + 2])
        ]
        if len(record.encode()) > MAX_FIELD:
            raise IndexerError(
                f"A passage of {passage.source} is too long for Milvus ({len(record):,} "
                "characters); lower VERBATIM_PASSAGE_MAX_CHARS."
            )
        rows.append(
            {"id": i, "vec": stored.vectors[i].tolist(), "source": passage.source,
             "terms": " ".join(terms[i]), "record": record, "units": json.dumps(spans)}
        )  # fmt: skip
        if len(rows) == INSERT_ROWS:
            send("p", rows)
            rows = []
    if rows:
        send("p", rows)
    sources = [stored.passages[int(p)].source for p in units[:, 0]]
    for start in range(0, len(units), INSERT_ROWS):
        send("u", [
            {"id": r, "vec": stored.unit_vectors[r].tolist(), "source": sources[r],
             "passage": int(units[r, 0]), "start": int(units[r, 1]), "end": int(units[r, 2])}
            for r in range(start, min(start + INSERT_ROWS, len(units)))
        ])  # fmt: skip
    frequencies: dict[str, int] = {}
    for passage_terms in terms:
        for term in set(passage_terms):
            frequencies[term] = frequencies.get(term, 0) + 1
    meta = {"manifest": manifest.to_json(), "terms": json.dumps([len(terms), frequencies])}
    meta |= {f"text/{sha}": text for sha, text in texts.items()}
    meta_rows = [
        {"key": f"{key}:{n}", "value": value[i : i + CHUNK_CHARS], "vec": [1.0, 0.0]}
        for key, value in meta.items()
        for n, i in enumerate(range(0, max(len(value), 1), CHUNK_CHARS))
    ]
    for start in range(0, len(meta_rows), INSERT_ROWS // 10):
        client.insert(versions.collection(stamp, "m"), meta_rows[start : start + INSERT_ROWS // 10])
    for part in "pu":  # sealed and durable before the version can be put in service
        client.flush(versions.collection(stamp, part))
    client.insert(versions.collection(stamp, "m"), [{"key": COMPLETE, "value": "", "vec": [1, 0]}])
    client.flush(versions.collection(stamp, "m"))


def read_rows(client, versions, stamp: str, manifest: Manifest) -> disk.Stored:
    """Read a whole version back, in row order: passages, units and their vectors."""
    passages = _read_all(
        client, versions.collection(stamp, "p"), ["record", "vec"], manifest.passages
    )
    units = _read_all(
        client, versions.collection(stamp, "u"), ["passage", "start", "end", "vec"], manifest.units
    )
    dimension = manifest.dimension
    return disk.Stored(
        [Passage.from_record(json.loads(row["record"])) for row in passages],
        np.array([row["vec"] for row in passages], dtype=np.float32).reshape(-1, dimension),
        np.array(
            [[row["passage"], row["start"], row["end"]] for row in units], dtype=np.int64
        ).reshape(-1, 3),
        np.array([row["vec"] for row in units], dtype=np.float32).reshape(-1, dimension),
    )


def _read_all(client, collection: str, fields: list[str], count: int) -> list[dict]:
    """Return the rows 0 .. count-1 of a collection, in order, a page of ids at a time."""
    rows = []
    for start in range(0, count, READ_ROWS):
        end = min(start + READ_ROWS, count)
        rows += client.query(
            collection, filter=f"id >= {start} and id < {end}", output_fields=fields,
            limit=end - start,
        )  # fmt: skip
    rows.sort(key=lambda row: row["id"])
    if len(rows) != count:
        raise IndexerError(f"{collection} holds {len(rows):,} rows, not {count:,}; rebuild it.")
    return rows
