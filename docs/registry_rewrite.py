"""Write events.csv's names in their registered form, and prove that nothing else changed.

    python docs/registry_rewrite.py rewrite events.csv        # rewrites the file in place
    python docs/registry_rewrite.py check OLD.csv NEW.csv     # exit 0 when NEW is OLD rewritten, and only that

``rewrite`` changes three things only: the names in the actors column and the figures' claimants
become the canonical names of actors.csv, and the PUBLISHER part of each source names a registered
publisher (and its wires), the rest of the old part moving to the source's NOTE. It runs again
safely on canonical data (useful after a merge brings in rows written the old way).

``check`` compares two versions cell by cell: every other column, every other part of a figure
or a source, and every byte outside the changed cells must be the same.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import paths  # noqa: E402
from dashboard.data.registry import registry_beside  # noqa: E402

# Event actors that were two names joined, or a name with a remark: what they stand for.
ACTOR_SPLITS = {
    "lawmakers Lee Seong-kweun, Park Sun-won": ["Lee Seong-kweun", "Park Sun-won"],
    "lawmakers Park Sun-won, Lee Seong-kweun": ["Park Sun-won", "Lee Seong-kweun"],
    "NIS (reporter)": ["NIS"],
    "MSMT (Australia, Canada, France, Germany, Italy, Japan, Netherlands, New Zealand, ROK, UK, US)": ["MSMT"],
}
# Claimants that were a description rather than a name.
CLAIMANTS = {"South Korean estimate": "ROK government"}
# Old PUBLISHER parts -> (the registered publisher with its wires, the text that moves to the NOTE).
PUBLISHERS = {
    "A News (AA/Yonhap)": ("A News (Anadolu Agency/Yonhap)", ""),
    "AJP (Aju Press)": ("Aju Press", ""),
    "Atlasinfo (quotes Russian MFA)": ("Atlasinfo", "quotes Russian MFA"),
    "Chosun Ilbo (English)": ("Chosun Ilbo", "English"),
    "Cumhuriyet Daily (AA)": ("Cumhuriyet Daily (Anadolu Agency)", ""),
    "DPRK News-Pravda (TASS text)": ("DPRK News-Pravda (TASS)", "TASS text"),
    "DW (live)": ("DW", "live"),
    "Daily8 (NHK text)": ("Daily8 (NHK)", "NHK text"),
    "Devdiscourse (agencies)": ("Devdiscourse", "agencies"),
    "EIR News (quotes Russian MFA statement)": ("EIR News", "quotes Russian MFA statement"),
    "Interfax (Art. 22)": ("Interfax", "Art. 22"),
    "Jang (The News)": ("Jang (The News International)", ""),
    "KBS World (Yonhap photo)": ("KBS World", "Yonhap photo"),
    "Korea Daily US (JoongAng)": ("Korea Daily US (JoongAng Ilbo)", ""),
    "Korea Daily US (JoongAng/Yonhap photo caption)": ("Korea Daily US (JoongAng Ilbo)", "JoongAng/Yonhap photo caption"),
    "Lex News Media (blog repost of NBC News text; says ceremony 'on Thursday')":
        ("Lex News Media (NBC News)", "blog repost of NBC News text; says ceremony 'on Thursday'"),
    "Menanews (French)": ("Menanews", "French"),
    "News24.com.ru (Lenta.ru/TASS; museum in Pyongyang)": ("News24.com.ru (Lenta.ru/TASS)", "museum in Pyongyang"),
    "OAF Nation (Reuters text, Joyce Lee & Ju-min Park)": ("OAF Nation (Reuters)", "Reuters text, Joyce Lee & Ju-min Park"),
    "ReportSardegna24 (Italian)": ("ReportSardegna24", "Italian"),
    "Spotlight Nepal (agencies)": ("Spotlight Nepal", "agencies"),
    "The Guardian (live blog, Reuters material)": ("The Guardian (Reuters)", "live blog, Reuters material"),
    "TRT World (Anadolu)": ("TRT World (Anadolu Agency)", ""),
    "xn--vg1b002a.net (Korean outlet, English)": ("xn--vg1b002a.net", "Korean outlet, English"),
    "xn--vg1b002a.net (Korean outlet, English; cites ROK Ministry of Unification)":
        ("xn--vg1b002a.net", "Korean outlet, English; cites ROK Ministry of Unification"),
}
_PADDED = re.compile(r"(\s*)(.*?)(\s*)", re.DOTALL)


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _replace(part: str, new: str) -> str:
    """A '|'-separated part with its text replaced and its surrounding spaces kept."""
    lead, _, trail = _PADDED.fullmatch(part).groups()
    return f"{lead}{new}{trail}"


def canonical_actors(cell: str, registry) -> str:
    names = [n.strip() for n in cell.split(";") if n.strip()]
    out = [registry.canonical(part) for name in names for part in ACTOR_SPLITS.get(name, [name])]
    return "; ".join(dict.fromkeys(out)) if names else cell


def canonical_claimant(claimant: str, registry) -> str:
    if claimant in CLAIMANTS:
        return CLAIMANTS[claimant]
    return "; ".join(registry.canonical(n.strip()) for n in claimant.split(";") if n.strip())


def _figure(line: str, registry) -> str:
    parts = line.split("|")
    if len(parts) >= 3:
        parts[2] = _replace(parts[2], canonical_claimant(parts[2].strip(), registry))
    return "|".join(parts)


def _source(line: str) -> str:
    parts = line.split("|")
    old = parts[0].strip()
    if old not in PUBLISHERS:
        return line
    new, moved = PUBLISHERS[old]
    parts[0] = _replace(parts[0], new)
    if moved:
        if len(parts) == 3:  # no date: an empty one before the note, spaced as the file writes empty parts
            parts[2] = parts[2].rstrip() + " "
            parts += ["  ", f" {moved}"]
        elif len(parts) == 4:
            parts[3] = parts[3].rstrip() + " "
            parts.append(f" {moved}")
        else:
            note = parts[4].strip()
            parts[4] = _replace(parts[4], f"{moved}; {note}" if note else moved)
    return "|".join(parts)


def rewrite(text: str, registry) -> str:
    rows = _rows(text)
    header = rows[0]
    a, f, s = header.index("actors"), header.index("figures"), header.index("sources")
    for row in rows[1:]:
        if len(row) != len(header):
            continue
        row[a] = canonical_actors(row[a], registry)
        row[f] = "\n".join(_figure(line, registry) for line in row[f].split("\n")) if row[f] else row[f]
        row[s] = "\n".join(_source(line) for line in row[s].split("\n"))
    return _text(rows)


def check(old_text: str, new_text: str, registry) -> list[str]:
    """Every difference between two versions that the rewrite may not make (empty: only the names changed)."""
    problems = []
    if _text(_rows(old_text)) != old_text or _text(_rows(new_text)) != new_text:
        problems.append("a file is not in the csv module's own quoting, so a byte check by cells would not be exact")
    old, new = _rows(old_text), _rows(new_text)
    if old[0] != new[0] or len(old) != len(new):
        return problems + ["the header or the number of rows differs"]
    header = old[0]
    changed = {"actors": 0, "figures": 0, "sources": 0}
    for number, (o, n) in enumerate(zip(old[1:], new[1:]), start=2):
        for column, before, after in zip(header, o, n):
            if before == after:
                continue
            where = f"row {number} ({o[0]}), {column}"
            if column == "actors":
                if canonical_actors(before, registry) != after:
                    problems.append(f"{where}: {after!r} is not the canonical form of {before!r}")
            elif column == "figures":
                bl, al = before.split("\n"), after.split("\n")
                for b, x in zip(bl, al):
                    bp, xp = b.split("|"), x.split("|")
                    if len(bp) != len(xp) or bp[:2] != xp[:2] or bp[3:] != xp[3:] or \
                            canonical_claimant(bp[2].strip(), registry) != xp[2].strip():
                        problems.append(f"{where}: {x!r} changes more than the claimant of {b!r}")
                if len(bl) != len(al):
                    problems.append(f"{where}: the number of figures changed")
            elif column == "sources":
                bl, al = before.split("\n"), after.split("\n")
                for b, x in zip(bl, al):
                    bp, xp = [p.strip() for p in b.split("|")], [p.strip() for p in x.split("|")]
                    new_pub, moved = PUBLISHERS.get(bp[0], (bp[0], ""))
                    note = "; ".join(t for t in (moved, bp[4] if len(bp) > 4 else "") if t)
                    want = [new_pub, bp[1], bp[2], bp[3] if len(bp) > 3 else ""] + ([note] if note else [])
                    if xp[:3] != want[:3] or (xp + [""] * 5)[3:5] != (want + [""] * 5)[3:5]:
                        problems.append(f"{where}: {x!r} changes more than the publisher of {b!r}")
                if len(bl) != len(al):
                    problems.append(f"{where}: the number of sources changed")
            else:
                problems.append(f"{where}: changed, and only actors, figures and sources may")
                continue
            changed[column] += 1
    if rewrite(old_text, registry) != new_text:
        problems.append("NEW is not byte for byte what 'rewrite' makes of OLD")
    print(f"cells changed: {changed['actors']} actors, {changed['figures']} figures, {changed['sources']} sources", file=sys.stderr)
    return problems


def main(argv: list[str]) -> int:
    registry = registry_beside(paths.events_csv())[0]
    if len(argv) == 2 and argv[0] == "rewrite":
        path = Path(argv[1])
        path.write_text(rewrite(path.read_text(encoding="utf-8"), registry), encoding="utf-8", newline="")
        return 0
    if len(argv) == 3 and argv[0] == "check":
        problems = check(Path(argv[1]).read_text(encoding="utf-8"), Path(argv[2]).read_text(encoding="utf-8"), registry)
        for p in problems:
            print(p, file=sys.stderr)
        print("only actors, claimants and publisher parts changed" if not problems else f"{len(problems)} unexpected changes")
        return 1 if problems else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
