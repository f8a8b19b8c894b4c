"""Step `filter`: keep appearance tags whose frequency lies inside a band; drop unfit pictures.

    1. A picture tagged with a drop tag (sketch, comic, monochrome, ...) is skipped whole.
    2. Each remaining picture keeps only its appearance tags (appearance.py, plus the user's).
    3. Each tag's frequency is its share of the tagged pictures left; tags outside the band
       [min_frequency, max_frequency] are dropped everywhere: too rare to learn, or too common
       to tell pictures apart. Untagged pictures pass through for the autotag step.

Writes filtered.jsonl, vocab.json (every appearance tag: count, frequency, kept or why not) and
tag-frequency.png.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from .appearance import DROP_TAGS, is_appearance_tag
from .chart import plot_tag_frequencies
from .import_step import RECORDS
from .runner import StepReport, run_step
from .workspace import Workspace, read_jsonl, write_json, write_jsonl

FILTERED = "filtered.jsonl"
VOCAB = "vocab.json"
CHART = "tag-frequency.png"


@dataclass
class FilterOptions:
    min_frequency: float = 0.05          # share of tagged pictures; below: too rare
    max_frequency: float = 0.50          # above: too common to carry information
    extra_appearance: list[str] = field(default_factory=list)  # more tags to treat as appearance tags
    extra_drop: list[str] = field(default_factory=list)        # more tags that drop a picture
    ratings: list[str] = field(default_factory=list)           # keep only these Danbooru ratings (empty: all)

    def validate(self) -> None:
        if not 0.0 <= self.min_frequency <= self.max_frequency <= 1.0:
            raise ValueError(f"frequency band [{self.min_frequency}, {self.max_frequency}] must satisfy "
                             f"0 <= min <= max <= 1, e.g. --band 0.05,0.5")


def filter_records(records: list[dict], options: FilterOptions, report: StepReport) -> tuple[list[dict], list[dict]]:
    """-> (kept records with filtered tags, one vocab entry per appearance tag seen)."""
    drop = DROP_TAGS | set(options.extra_drop)
    extra = frozenset(options.extra_appearance)
    survivors = []
    for record in records:
        unfit = sorted(drop.intersection(record["tags"]))
        if unfit:
            report.skip(record["image"], "drawing style", f"tagged {', '.join(unfit)}")
        elif options.ratings and record.get("rating") not in options.ratings:
            report.skip(record["image"], "rating", f"rating {record.get('rating')!r} not in {options.ratings}")
        else:
            survivors.append({**record, "tags": [t for t in record["tags"] if is_appearance_tag(t, extra)]})
    tagged = [r for r in survivors if r["tags"]]
    counts = Counter(t for r in tagged for t in r["tags"])
    vocab, kept_tags = [], set()
    for tag, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        frequency = count / len(tagged)
        verdict = ("too rare" if frequency < options.min_frequency
                   else "too common" if frequency > options.max_frequency else "kept")
        if verdict == "kept":
            kept_tags.add(tag)
        vocab.append({"tag": tag, "count": count, "frequency": round(frequency, 6), "verdict": verdict})
    kept = [{**r, "tags": [t for t in r["tags"] if t in kept_tags]} for r in survivors]
    report.notes = {
        "tags kept": len(kept_tags),
        "tags dropped (too rare)": sum(1 for v in vocab if v["verdict"] == "too rare"),
        "tags dropped (too common)": sum(1 for v in vocab if v["verdict"] == "too common"),
        "pictures left without a tag in the band": sum(1 for r, k in zip(survivors, kept) if r["tags"] and not k["tags"]),
        "pictures untagged from the start (autotag can tag them)": sum(1 for r in survivors if not r["tags"]),
    }
    return kept, vocab


def run_filter(work: Workspace, options: FilterOptions, force: bool = False) -> StepReport:
    options.validate()
    records_path = work.require(RECORDS, "import")

    def body(report: StepReport) -> None:
        kept, vocab = filter_records(read_jsonl(records_path), options, report)
        report.kept, report.kept_what = write_jsonl(work.path(FILTERED), kept), "pictures"
        write_json(work.path(VOCAB), {"band": [options.min_frequency, options.max_frequency],
                                      "tagged_pictures": sum(1 for r in kept if r["tags"]), "tags": vocab})
        plot_tag_frequencies(vocab, (options.min_frequency, options.max_frequency), work.path(CHART))
        report.outputs = [FILTERED, VOCAB, CHART]

    return run_step(work, "filter", asdict(options), [records_path], body, force)
