#!/usr/bin/env python3
"""Seeded synthetic data for namegraph's benchmark (Python 3 standard library only).

    python3 benches/generate.py gazetteer --aliases 100000 --seed 7 --out gaz.jsonl
    python3 benches/generate.py corpus --gazetteer gaz.jsonl --mb 100 --seed 7 --out corpus.jsonl

gazetteer: JSON Lines, one entity per line ({"id", "name", "type", "aliases"}), --aliases surface
forms in all (names + aliases), every one distinct after folding case and diacritics, so the file
loads without alias conflicts. Persons have Slavic-looking surnames with their romanization
variants (-enko/-enka, -ov/-ou, -sky/-ski, kh/h, ts/c), given-name variants and initials;
organizations have acronyms; places are invented toponyms; a few real states are included. The
same seed gives the same file, and a smaller gazetteer is a prefix of a larger one.

corpus: JSON Lines documents ({"id", "text", "date"}) of news-like prose: a dateline, paragraphs of
sentences with about one gazetteer mention per 15-25 words, possessives, titles ("Mr", "President"),
spelling variants the gazetteer does not list (for the fuzzy pass) and capitalized words that
are no entity at all.
"""
import argparse
import json
import random
import sys
import time
import unicodedata

GIVEN = [
    ("Alexander", ["Aliaksandr", "Aleksandr"]), ("Sergei", ["Siarhei", "Sergey"]),
    ("Svetlana", ["Sviatlana"]), ("Maria", ["Maryia"]), ("Pavel", ["Paval"]),
    ("Viktor", ["Viktar"]), ("Vladimir", ["Uladzimir"]), ("Nikolai", ["Mikalai"]),
    ("Dmitry", ["Dzmitry"]), ("Yuri", ["Yury"]), ("Andrei", ["Andrey"]), ("Elena", ["Alena"]),
    ("Olga", ["Volha"]), ("Tatiana", ["Tatsiana"]), ("Natalia", ["Natallia"]), ("Irina", ["Iryna"]),
    ("Anna", ["Hanna"]), ("Mikhail", ["Mikhas"]), ("Ivan", ["Ivan"]), ("Oleg", ["Aleh"]),
    ("John", []), ("Mary", []), ("James", []), ("Linda", []), ("Robert", []), ("Susan", []),
    ("Jennifer", []), ("Thomas", []), ("Karen", []), ("Daniel", []), ("Laura", []), ("Peter", []),
]
ONSETS = ["b", "v", "h", "d", "z", "k", "l", "m", "n", "p", "r", "s", "t", "kh", "ts", "ch", "sh",
          "zh", "br", "dr", "gr", "kr", "pr", "str", "sl", "sm", "sn", "sv", "tr", "vl", "zv"]
VOWELS = ["a", "e", "i", "o", "u", "ya", "ia", "ie"]
ENDINGS = [("enko", "enka"), ("ov", "ou"), ("sky", "ski"), ("evich", "evich"), ("uk", "uk"),
           ("in", "in"), ("ich", "ich"), ("ko", "ka"), ("chuk", "chuk"), ("yev", "yeu")]
ORG_HEADS = ["Council", "Ministry", "Committee", "Agency", "Bank", "Union", "Party", "Group",
             "Service", "Institute", "Front", "Movement", "Telecom", "Energy", "Holding"]
ORG_MODIFIERS = ["National", "Regional", "Central", "United", "Federal", "Democratic", "Civic",
                 "Independent", "Eastern", "Western", "Northern", "Southern", "Free", "People's"]
STATES = [("Belarus", ["Byelorussia"]), ("Russia", ["Russian Federation"]), ("Ukraine", []),
          ("Poland", []), ("Lithuania", []), ("Latvia", []), ("Germany", []), ("France", [])]


def fold(text):
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


def syllables(rng, count):
    return "".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(count))


def variant(stem):
    """A romanization variant of a stem: kh/h, ts/c, ia/ya."""
    for a, b in (("kh", "h"), ("ts", "c"), ("ia", "ya"), ("ya", "ia"), ("ie", "ye")):
        if a in stem:
            return stem.replace(a, b, 1)
    return None


class Gazetteer:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.seen = set()
        self.entities = []
        self.count = 0

    def take(self, forms):
        kept = []
        for form in forms:
            key = fold(form)
            if key not in self.seen:
                self.seen.add(key)
                kept.append(form)
        return kept

    def add(self, kind, name, aliases, limit):
        forms = self.take([name] + aliases)
        if not forms or forms[0] != name:
            return
        forms = forms[: max(1, limit - self.count)]
        self.count += len(forms)
        number = len(self.entities) + 1
        self.entities.append({"id": f"e{number:07d}", "name": name, "type": kind, "aliases": forms[1:]})

    def person(self, limit):
        rng = self.rng
        given, given_variants = rng.choice(GIVEN)
        stem = syllables(rng, rng.choice([2, 2, 3])).capitalize()
        russian, belarusian = rng.choice(ENDINGS)
        surname = stem + russian
        aliases = [surname]
        if belarusian != russian:
            aliases.append(f"{given_variants[0] if given_variants else given} {stem}{belarusian}")
        spelled = variant(stem.lower())
        if spelled and rng.random() < 0.5:
            aliases.append(f"{given} {spelled.capitalize()}{russian}")
        if rng.random() < 0.3:
            aliases.append(f"{given[0]}. {surname}")
        self.add("person", f"{given} {surname}", aliases, limit)

    def organization(self, limit):
        rng = self.rng
        place = syllables(rng, 2).capitalize() + rng.choice(["ia", "a", "sk", "ov", "ary"])
        modifier = rng.choice(ORG_MODIFIERS)
        head = rng.choice(ORG_HEADS)
        name = f"{place} {modifier} {head}"
        acronym = "".join(w[0] for w in name.split()).upper() + rng.choice(["", "", str(rng.randint(2, 99))])
        self.add("organization", name, [f"{modifier} {head} of {place}", acronym], limit)

    def place(self, limit):
        rng = self.rng
        name = syllables(rng, rng.choice([2, 3])).capitalize() + rng.choice(["", "sk", "ovo", "ino", "ka", "burg"])
        spelled = variant(name.lower())
        self.add("place", name, [spelled.capitalize()] if spelled else [], limit)


def gazetteer(args):
    started = time.time()
    target = args.aliases
    g = Gazetteer(args.seed)
    for name, aliases in STATES:
        g.add("state", name, aliases, target)
    while g.count < target:
        roll = g.rng.random()
        if roll < 0.6:
            g.person(target)
        elif roll < 0.8:
            g.organization(target)
        else:
            g.place(target)
    with open(args.out, "w", encoding="utf-8") as out:
        for entity in g.entities:
            out.write(json.dumps(entity, ensure_ascii=False) + "\n")
    print(f"wrote {args.out}: {len(g.entities)} entities, {g.count} aliases ({time.time() - started:.1f}s)", file=sys.stderr)


FILLER = ("the talks were held on Monday after weeks of tension between the two sides and officials "
          "said that the proposal would be discussed again next month while protesters gathered outside "
          "the building demanding answers about the elections the economy and the future of the region "
          "according to a statement released late in the evening by the press office").split()
VERBS = ["met", "criticized", "backed", "called", "thanked", "warned", "accused", "praised", "visited",
         "urged", "rejected", "supported", "condemned", "congratulated"]
NOISE = ["Tuesday", "August", "Advertising", "Share", "Reporting", "Editing", "Photo", "Main"]
TITLES = ["Mr", "Ms", "President", "Minister", "Dr"]


def mention(rng, entity):
    forms = [entity["name"]] + entity["aliases"]
    form = rng.choice(forms)
    roll = rng.random()
    if entity["type"] == "person" and roll < 0.15:
        surname = entity["name"].split()[-1]
        form = f"{rng.choice(TITLES)} {surname}"
    elif entity["type"] == "person" and roll < 0.22:
        # A spelling the gazetteer does not list: the fuzzy pass's work.
        stem = entity["name"].split()[-1]
        spelled = variant(stem.lower()) or stem.lower() + "a"
        form = spelled.capitalize()
    if rng.random() < 0.1:
        form += rng.choice(["'s", "’s"])
    return form


def sentence(rng, entities):
    words = []
    target = rng.randint(14, 28)
    mentions = 1 if rng.random() < 0.85 else 2
    slots = sorted(rng.sample(range(target), mentions))
    for i in range(target):
        if i in slots:
            words.append(mention(rng, rng.choice(entities)))
            if rng.random() < 0.4:
                words.append(rng.choice(VERBS))
        elif rng.random() < 0.02:
            words.append(rng.choice(NOISE))
        else:
            words.append(rng.choice(FILLER))
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice([".", ".", ".", "?", ","]).replace(",", ".")


def corpus(args):
    started = time.time()
    rng = random.Random(args.seed)
    entities = []
    with open(args.gazetteer, encoding="utf-8") as source:
        for line in source:
            entities.append(json.loads(line))
    target = int(args.mb * 1_000_000)
    written = 0
    number = 0
    with open(args.out, "w", encoding="utf-8") as out:
        while written < target:
            number += 1
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            place = rng.choice([e for e in entities[:50] if e["type"] in ("place", "state")] or entities)["name"]
            paragraphs = [f"{place.upper()}, {month:02d}/{day:02d}/2020"]
            for _ in range(rng.randint(3, 12)):
                paragraphs.append(" ".join(sentence(rng, entities) for _ in range(rng.randint(1, 4))))
            text = "\n\n".join(paragraphs)
            record = {"id": f"d{number:07d}", "text": text, "date": f"2020-{month:02d}-{day:02d}"}
            line = json.dumps(record, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
    print(f"wrote {args.out}: {number} documents, {written / 1e6:.1f} MB ({time.time() - started:.1f}s)", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    g = commands.add_parser("gazetteer")
    g.add_argument("--aliases", type=int, required=True)
    g.add_argument("--seed", type=int, default=7)
    g.add_argument("--out", required=True)
    c = commands.add_parser("corpus")
    c.add_argument("--gazetteer", required=True)
    c.add_argument("--mb", type=float, required=True)
    c.add_argument("--seed", type=int, default=7)
    c.add_argument("--out", required=True)
    args = parser.parse_args()
    gazetteer(args) if args.command == "gazetteer" else corpus(args)


if __name__ == "__main__":
    main()
