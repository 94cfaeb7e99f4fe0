"""A seeded generator of realistic netcrm networks, for the benchmark and the
differential tests.

    python bench/generate.py 10000 bench/data/net-10k.db
    python bench/generate.py 10000 --tasks /tmp/tw   # 10k Taskwarrior tasks too

The same seed and size always give the same database. Per contact, on average:
10 interactions (a few shared by two contacts), 0.5 follow-ups, 0.05
collaboration ideas with action plans; French names with accents, companies,
channels, cadences, birthdays (some without year), tags and keys.

The file is created and migrated by netcrm itself (``ensure_schema``), so the
schema — indexes, FTS5 table and triggers included — is exactly netcrm's; rows
are then written with ``sqlite3.executemany`` in one transaction, in the very
formats netcrm's writes use (ISO dates, ``YYYY-MM-DD HH:MM:SS.ffffff``
timestamps, folded ``name_norm``/``value_norm``, the ``last_contact`` and
``next_touch`` caches). The search index is filled by netcrm's own triggers.

What grows with the network is its history, not the day's agenda: follow-ups
are mostly done, and only a bounded "inner circle" carries a cadence or a known
birthday (at most ``INNER_CIRCLE`` and ``BIRTHDAYS`` contacts), and the people
with a cadence are mostly kept up with. So ``netcrm due`` shows a screenful at
any size, as a person's day is, and its timing measures the indexes rather
than the printing of thousands of rows.

One contact is always there for the benchmark to name: ``BENCH_WHO`` (its
surname occurs nowhere else), in the middle of the id range, with interactions,
follow-ups and an idea.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from netcrm.dates import parse_cadence, parse_recurrence  # noqa: E402
from netcrm.domain.contacts import name_keys, normalize_channel  # noqa: E402
from netcrm.domain.keep_in_touch import next_touch  # noqa: E402

TODAY = date(2026, 11, 27)
# Bounds of the agenda (see the module docstring).
INNER_CIRCLE = 300  # contacts with a keep-in-touch cadence
BIRTHDAYS = 800  # contacts whose birthday is known
OPEN_FOLLOWUPS = 150
ACTIVE_IDEAS = 40  # ideas in play, with dated open steps
KEPT_UP = 0.95  # share of the inner circle whose cadence has not run out
BENCH_WHO = "Séverine Quéméner"


def words(text: str) -> list[str]:
    return text.split()


FIRST_NAMES = words(
    "Léa Élodie Chloé Inès Zoé Hélène Anaïs Noémie Maëlle Céline Mélanie Agnès Bérénice "
    "Clémence Éloïse Gaëlle Irène Joséphine Léonie Maïwenn Océane Pénélope Rosalie Solène "
    "Thaïs Valérie Zélie Amélie Aurélie Camille Emma Louise Manon Sarah Julie Claire Marie "
    "Jérôme François Loïc Gaël Clément Théo Raphaël Stéphane Frédéric André René Benoît "
    "Hervé Joël Mathéo Noël Timothée Aurélien Cédric Jérémie Léon Élie Grégoire Sébastien "
    "Thomas Lucas Hugo Nicolas Julien Antoine Maxime Paul Louis Arthur Victor Samuel"
)
SURNAMES = words(
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
    "Lefèvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier "
    "Dupont Lambert Bonnet François Legrand Garnier Faure Rousseau Blanc Guérin Muller Henry "
    "Roussel Perrin Morin Mathieu Gauthier Dumont Lopez Fontaine Chevalier Robin Masson "
    "Gérard Nguyen Boyer Denis Lemaire Duval Joly Roche Noël Meyer Lucas Meunier Pérez "
    "Marchand Dufour Blanchard Barbier Brun Dumas Brunet Schmitt Leroux Colin Renard Arnaud "
    "Caron Aubert Giraud Leclerc Vidal Bourgeois Renaud Lemoine Picard Gaillard Lacroix "
    "Fabre Dupuis Olivier Hubert Rivière Guillaume Adam Moulin Berger Lecomte Ménard Fleury "
    "Deschamps Carpentier Maillard Aubry Prévost Poirier Charpentier Huet Baron Pons Carré "
    "Breton Rémy Perrot Guyot Marty Cousin Bénard Lévêque Hébert Thériault Côté Bélanger"
) + ["Da Silva", "Le Gall", "Le Roux", "De la Tour"]
COMPANY_HEADS = words(
    "Atelier Studio Agence Maison Collectif Éditions Lab Café Fabrique Comptoir Bureau "
    "Cabinet Réseau Librairie Forge"
)
COMPANY_TAILS = words(
    "Nord Lumière Bleu Écume Horizon Pixel Verbe Boréal Sève Cèdre Onde Mistral Garance "
    "Rivage Clairière Étincelle Sillage Tilleul Ardoise Brume Colibri Opale Safran Zénith"
)
ROLES = (
    "fondatrice",
    "founder",
    "rédactrice en chef",
    "podcaster",
    "YouTuber",
    "community manager",
    "designer",
    "développeur",
    "consultante",
    "journaliste",
    "photographe",
    "coach",
    "éditrice",
    "product manager",
    "illustrateur",
)
CITIES = words(
    "Paris Lyon Marseille Nantes Bordeaux Lille Rennes Grenoble Montpellier Strasbourg "
    "Besançon Orléans Nîmes Montréal Québec Bruxelles Genève Lausanne Liège Dakar"
)
MAIL_DOMAINS = ("gmail.com", "orange.fr", "free.fr", "proton.me")
MET_VIA = ("linkedin", "shapr", "forum", "blog", "event", "irl", "referral", "other")
RELATIONSHIPS = ("business", "business", "business", "mixed", "personal")
TAGS = words(
    "podcast blog youtube newsletter écriture freelance client prospect mentor presse "
    "partenaire événement formation design tech marketing édition photo vidéo lyon paris "
    "montréal conférence atelier communauté"
)
KEYS = ("creativity", "action-plan", "self-esteem", "opportunity", "emotional-intelligence")
# Cadences and roughly how many days each lasts.
CADENCES = {"30d": 30, "2w": 14, "1m": 28, "3m": 90, "6m": 180, "45d": 45, "yearly": 365}
CHANNELS = ("email", "call", "video", "meeting", "message", "whatsapp", "linkedin", "in-person")
TOPICS = (
    "webinar commun",
    "interview pour le blog",
    "article invité",
    "podcast",
    "concours de la rentrée",
    "partenariat newsletter",
    "atelier d'écriture",
    "salon du livre",
    "projet de vidéo",
    "livre blanc",
    "tarifs et devis",
    "conférence à Lyon",
    "café networking",
    "retour sur la formation",
    "collaboration Instagram",
)
VERBS = (
    "Appel à propos du",
    "Message au sujet du",
    "Café : on a parlé du",
    "Relance pour le",
    "Call about the",
    "Email re:",
    "Échange rapide sur le",
    "Visio pour préparer le",
)
FOLLOWUP_TEXTS = (
    "Envoyer le plan du {t}",
    "Relancer pour le {t}",
    "Send the outline for the {t}",
    "Proposer une date pour le {t}",
    "Remercier pour le {t}",
    "Partager le lien du {t}",
)
IDEA_KINDS = (
    "contest",
    "article",
    "interview",
    "event",
    "partnership",
    "guest-post",
    "podcast",
    "product",
    "other",
)
IDEA_STATUSES = ("idea", "planned", "proposed", "accepted", "done", "declined", "dropped", "idea")
NOTES = (
    "Rencontrée au salon, très intéressée par une collaboration.",
    "Prefers WhatsApp to email.",
    "Écrit une newsletter sur l'entrepreneuriat créatif.",
    "A un podcast avec 20k auditeurs.",
    "Introduced by a former client.",
    "Aime le café du Comptoir ; toujours partante pour un déjeuner.",
    "Cherche des intervenants pour sa conférence.",
)


def stamp(d: datetime) -> str:
    """A timestamp as SQLAlchemy stores one in SQLite."""
    return d.strftime("%Y-%m-%d %H:%M:%S.%f")


@dataclass
class Stats:
    contacts: int = 0
    channels: int = 0
    interactions: int = 0
    followups: int = 0
    ideas: int = 0
    steps: int = 0


def create_database(path: Path) -> None:
    """An empty database at netcrm's current schema, made by netcrm."""
    from netcrm.store.engine import dispose_engines, ensure_schema
    from netcrm.store.location import resolve_location

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    ensure_schema(resolve_location(str(path)))
    dispose_engines()


def generate(path: Path, contacts: int, *, seed: int = 6, today: date = TODAY) -> Stats:
    """Write a network of ``contacts`` contacts into a new database at ``path``."""
    create_database(path)
    rng = random.Random(f"{seed}-{contacts}")
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        # Safe for a throw-away file written in one go; the schema is untouched.
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("BEGIN IMMEDIATE")
        stats = _fill(conn, rng, contacts, today)
        conn.execute("COMMIT")
        # No ANALYZE and no FTS 'optimize': netcrm never runs them, so neither
        # does the benchmark (plans and index layout are what users get).
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return stats


def _fill(conn: sqlite3.Connection, rng: random.Random, n: int, today: date) -> Stats:
    stats = Stats()
    cadences = [parse_cadence(c, today=today) for c in CADENCES]
    period = {parse_cadence(c, today=today): days for c, days in CADENCES.items()}
    rules = [parse_recurrence(c, anchor=today) for c in CADENCES]
    tag_ids = {name: i + 1 for i, name in enumerate(TAGS)}
    conn.executemany(
        "INSERT INTO tag (id, name) VALUES (?, ?)", [(i, t) for t, i in tag_ids.items()]
    )
    bench_id = max(1, n // 2)
    inner = set(rng.sample(range(1, n + 1), min(INNER_CIRCLE, round(n * 0.4))))
    known_birthdays = set(rng.sample(range(1, n + 1), min(BIRTHDAYS, round(n * 0.3))))
    inner.add(bench_id)
    known_birthdays.add(bench_id)

    contact_rows, channel_rows, contact_tags, contact_keys = [], [], [], []
    created: dict[int, date] = {}
    cadence_of: dict[int, str | None] = {}
    for cid in range(1, n + 1):
        is_bench = cid == bench_id
        name = BENCH_WHO if is_bench else f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
        first = name.split()[0]
        norm, surname = name_keys(name)
        made = today - timedelta(days=rng.randint(30, 4 * 365))
        created[cid] = made
        company = (
            f"{rng.choice(COMPANY_HEADS)} {rng.choice(COMPANY_TAILS)}"
            if is_bench or rng.random() < 0.6
            else None
        )
        birthday: tuple[int | None, int | None, int | None] = (None, None, None)
        if cid in known_birthdays:
            year = rng.randint(1960, 2002) if rng.random() < 0.7 else None
            birthday = (year, rng.randint(1, 12), rng.randint(1, 28))
        cadence = rng.choice(cadences) if cid in inner else None
        cadence_of[cid] = cadence
        at = datetime.combine(made, datetime.min.time()) + timedelta(seconds=rng.randint(0, 86399))
        contact_rows.append(
            (
                cid,
                name,
                company,
                rng.choice(ROLES) if rng.random() < 0.5 else None,
                rng.choice(CITIES) if rng.random() < 0.7 else None,
                rng.choice(MET_VIA) if rng.random() < 0.8 else None,
                (made - timedelta(days=rng.randint(0, 30))).isoformat()
                if rng.random() < 0.5
                else None,
                *birthday,
                rng.randint(1, 5) if rng.random() < 0.7 else None,
                int(rng.random() < 0.1),
                rng.choice(RELATIONSHIPS),
                cadence,
                rng.choice(NOTES) if rng.random() < 0.3 else None,
                int(not is_bench and rng.random() < 0.03),
                norm,
                surname,
                stamp(at),
                stamp(at),
            )
        )
        kinds = ["email"] if is_bench or rng.random() < 0.9 else []
        if rng.random() < 0.4:
            kinds.append("phone")
        if rng.random() < 0.5:
            kinds.append("linkedin")
        if rng.random() < 0.1:
            kinds.append("whatsapp")
        if rng.random() < 0.1:
            kinds.append("website")
        slug = norm.replace(" ", ".")
        for position, kind in enumerate(kinds):
            value = {
                "email": f"{slug}{cid}@{rng.choice(MAIL_DOMAINS)}",
                "phone": f"+33 6 {rng.randint(10, 99)} {rng.randint(10, 99)} "
                f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
                "whatsapp": f"+33 7 {rng.randint(10, 99)} {rng.randint(10, 99)} "
                f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
                "linkedin": f"https://www.linkedin.com/in/{first.lower()}-{cid}",
                "website": f"https://{slug.replace('.', '')}{cid}.fr",
            }[kind]
            channel_rows.append((cid, kind, value, normalize_channel(kind, value), position))
        for tag in rng.sample(TAGS, rng.choice((0, 0, 1, 1, 2, 3))):
            contact_tags.append((cid, tag_ids[tag]))
        if rng.random() < 0.1:
            contact_keys.append((cid, rng.choice(KEYS)))
    conn.executemany(
        "INSERT INTO contact (id, name, company, role, location, met_via, met_on, "
        "birthday_year, birthday_month, birthday_day, warmth, bigger, relationship, cadence, "
        "notes, archived, name_norm, surname_norm, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        contact_rows,
    )
    conn.executemany(
        "INSERT INTO channel (contact_id, kind, value, value_norm, position) "
        "VALUES (?, ?, ?, ?, ?)",
        channel_rows,
    )
    conn.executemany("INSERT INTO contact_tag (contact_id, tag_id) VALUES (?, ?)", contact_tags)
    conn.executemany("INSERT INTO contact_key (contact_id, key) VALUES (?, ?)", contact_keys)
    stats.contacts, stats.channels = n, len(channel_rows)

    # Interactions, each after its contact was added; ~5% shared with another.
    last: dict[int, date] = {}
    inter_rows, links, inter_tags, inter_keys = [], [], [], []
    iid = 0
    for cid in range(1, n + 1):
        count = 12 if cid == bench_id else rng.randint(0, 20)
        span = (today - created[cid]).days
        for _ in range(count):
            iid += 1
            on = created[cid] + timedelta(days=rng.randint(0, span))
            topic = rng.choice(TOPICS)
            inter_rows.append(
                (
                    iid,
                    on.isoformat(),
                    f"{rng.randint(8, 19):02d}:{rng.choice(('00', '15', '30', '45'))}"
                    if rng.random() < 0.3
                    else None,
                    rng.choice(CHANNELS),
                    "out" if rng.random() < 0.6 else "in",
                    f"{rng.choice(VERBS)} {topic}",
                    stamp(datetime.combine(on, datetime.min.time()) + timedelta(hours=12)),
                )
            )
            people = [cid]
            if n > 1 and rng.random() < 0.05:
                other = rng.randint(1, n)
                if other != cid:
                    people.append(other)
            for person in people:
                links.append((iid, person))
                if last.get(person) is None or on > last[person]:
                    last[person] = on
            if rng.random() < 0.2:
                inter_tags.append((iid, tag_ids[rng.choice(TAGS)]))
            if rng.random() < 0.1:
                inter_keys.append((iid, rng.choice(KEYS)))
    # The inner circle is mostly kept up with: a recent exchange within the cadence.
    for cid in sorted(inner):
        rule = cadence_of[cid]
        if rule is None or rng.random() >= KEPT_UP:
            continue
        iid += 1
        on = max(created[cid], today - timedelta(days=rng.randint(0, period[rule] - 1)))
        inter_rows.append(
            (
                iid,
                on.isoformat(),
                None,
                "message",
                "out",
                f"Nouvelles de {rng.choice(TOPICS)}",
                stamp(datetime.combine(on, datetime.min.time()) + timedelta(hours=12)),
            )
        )
        links.append((iid, cid))
        if last.get(cid) is None or on > last[cid]:
            last[cid] = on
    conn.executemany(
        "INSERT INTO interaction (id, occurred_on, occurred_time, channel, direction, summary, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        inter_rows,
    )
    conn.executemany(
        "INSERT INTO interaction_contact (interaction_id, contact_id) VALUES (?, ?)", links
    )
    conn.executemany(
        "INSERT INTO interaction_tag (interaction_id, tag_id) VALUES (?, ?)", inter_tags
    )
    conn.executemany("INSERT INTO interaction_key (interaction_id, key) VALUES (?, ?)", inter_keys)
    stats.interactions = iid

    # The keep-in-touch caches, as netcrm.domain.contacts.refresh_touch computes them.
    touch = []
    for cid in range(1, n + 1):
        seen = last.get(cid)
        rule = cadence_of[cid]
        nxt = next_touch(rule, seen, created[cid])
        touch.append((seen.isoformat() if seen else None, nxt.isoformat() if nxt else None, cid))
    conn.executemany("UPDATE contact SET last_contact = ?, next_touch = ? WHERE id = ?", touch)

    # Ideas with action plans (~0.05 per contact, at least one for the bench contact).
    idea_rows, idea_contacts, steps, events, idea_tags, idea_keys = [], [], [], [], [], []
    n_ideas = max(1, round(n * 0.05))
    step_id = 0
    for idea_id in range(1, n_ideas + 1):
        kind = rng.choice(IDEA_KINDS)
        # The first few ideas are in play with a dated plan; the rest are history
        # or still vague, so the dated open steps do not grow with the network.
        in_play = idea_id <= ACTIVE_IDEAS
        status = rng.choice(("planned", "proposed", "accepted") if in_play else IDEA_STATUSES)
        at = datetime.combine(today - timedelta(days=rng.randint(0, 400)), datetime.min.time())
        topic = rng.choice(TOPICS)
        idea_rows.append(
            (
                idea_id,
                f"{kind.capitalize()} : {topic}",
                kind,
                status,
                rng.choice((None, 1.0, 2.0, 4.0, 8.0)),
                "Idée née d'un échange ; à proposer avant la fin du mois."
                if rng.random() < 0.4
                else None,
                stamp(at),
                stamp(at),
                stamp(at),
            )
        )
        owners = {bench_id} if idea_id == 1 else {rng.randint(1, n)}
        if rng.random() < 0.3:
            owners.add(rng.randint(1, n))
        idea_contacts += [(idea_id, c) for c in sorted(owners)]
        for position in range(rng.choice((0, 0, 1, 2, 3, 4))):
            step_id += 1
            dated = in_play and rng.random() < 0.7
            due = today + timedelta(days=rng.randint(-10, 40)) if dated else None
            done = stamp(at + timedelta(days=1)) if not in_play or rng.random() < 0.3 else None
            steps.append(
                (
                    step_id,
                    idea_id,
                    position,
                    rng.choice(("Écrire le brief", "Draft the pitch", "Envoyer la proposition"))
                    + f" ({topic})",
                    due.isoformat() if due else None,
                    rng.choice((None, 0.5, 1.0, 2.0)),
                    done,
                )
            )
        events.append((idea_id, status, stamp(at)))
        if rng.random() < 0.3:
            idea_tags.append((idea_id, tag_ids[rng.choice(TAGS)]))
        if rng.random() < 0.3:
            idea_keys.append((idea_id, rng.choice(KEYS)))
    conn.executemany(
        "INSERT INTO idea (id, title, kind, status, effort_hours, notes, created_at, updated_at, "
        "status_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        idea_rows,
    )
    conn.executemany("INSERT INTO idea_contact (idea_id, contact_id) VALUES (?, ?)", idea_contacts)
    conn.executemany(
        "INSERT INTO idea_step (id, idea_id, position, text, due, effort_hours, done_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        steps,
    )
    conn.executemany("INSERT INTO idea_event (idea_id, status, at) VALUES (?, ?, ?)", events)
    conn.executemany("INSERT INTO idea_tag (idea_id, tag_id) VALUES (?, ?)", idea_tags)
    conn.executemany("INSERT INTO idea_key (idea_id, key) VALUES (?, ?)", idea_keys)
    stats.ideas, stats.steps = n_ideas, step_id

    # Follow-ups (~0.5 per contact): history mostly done, a bounded open list.
    followups, fu_tags, fu_keys = [], [], []
    fid = 0
    p_open = min(1.0, OPEN_FOLLOWUPS / max(1, n * 0.5))
    for cid in range(1, n + 1):
        count = 3 if cid == bench_id else (1 if rng.random() < 0.5 else 0)
        for _ in range(count):
            fid += 1
            is_done = cid != bench_id and rng.random() >= p_open
            if is_done:
                due = today - timedelta(days=rng.randint(1, 3 * 365))
            else:
                due = today + timedelta(days=rng.randint(-5, 90))
            made = datetime.combine(due - timedelta(days=rng.randint(1, 30)), datetime.min.time())
            recurrence = rng.choice(rules) if rng.random() < 0.1 else None
            followups.append(
                (
                    fid,
                    rng.choice(FOLLOWUP_TEXTS).format(t=rng.choice(TOPICS)),
                    due.isoformat(),
                    cid,
                    rng.randint(1, n_ideas) if rng.random() < 0.1 else None,
                    recurrence,
                    int(recurrence is not None and rng.random() < 0.3),
                    stamp(made + timedelta(days=2)) if is_done else None,
                    "Fait." if is_done and rng.random() < 0.5 else None,
                    stamp(made),
                    stamp(made),
                )
            )
            if rng.random() < 0.2:
                fu_tags.append((fid, tag_ids[rng.choice(TAGS)]))
            if rng.random() < 0.2:
                fu_keys.append((fid, rng.choice(KEYS)))
    conn.executemany(
        "INSERT INTO followup (id, text, due, contact_id, idea_id, recurrence, from_done, "
        "done_at, done_note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        followups,
    )
    conn.executemany("INSERT INTO followup_tag (followup_id, tag_id) VALUES (?, ?)", fu_tags)
    conn.executemany("INSERT INTO followup_key (followup_id, key) VALUES (?, ?)", fu_keys)
    stats.followups = fid
    return stats


# --- Taskwarrior, the peer to beat -------------------------------------------------------


def generate_tasks(data_dir: Path, count: int, *, seed: int = 6, today: date = TODAY) -> Path:
    """A Taskwarrior data folder with ``count`` pending tasks; returns its taskrc."""
    rng = random.Random(f"tasks-{seed}-{count}")
    data_dir.mkdir(parents=True, exist_ok=True)
    rc = data_dir / "taskrc"
    rc.write_text(f"data.location={data_dir}\nconfirmation=off\nverbose=nothing\n")
    tasks = []
    for i in range(count):
        entry = today - timedelta(days=rng.randint(0, 400))
        task = {
            "uuid": f"{rng.getrandbits(32):08x}-{i:04x}-4000-8000-{rng.getrandbits(48):012x}"[:36],
            "description": f"{rng.choice(FOLLOWUP_TEXTS).format(t=rng.choice(TOPICS))} #{i}",
            "status": "pending",
            "entry": entry.strftime("%Y%m%dT%H%M%SZ"),
            "project": rng.choice(("blog", "podcast", "clients", "réseau")),
            "tags": rng.sample(TAGS, rng.choice((0, 1, 2))),
        }
        if rng.random() < 0.5:
            task["due"] = (today + timedelta(days=rng.randint(-30, 60))).strftime("%Y%m%dT%H%M%SZ")
        tasks.append(task)
    import_file = data_dir / "import.json"
    import_file.write_text(json.dumps(tasks, ensure_ascii=False))
    env = {**os.environ, "TASKRC": str(rc), "TASKDATA": str(data_dir)}
    subprocess.run(
        ["task", "rc.hooks=off", "import", str(import_file)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import_file.unlink()
    (data_dir / "generated").write_text(f"{count}\n")
    return rc


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("contacts", type=int, help="how many contacts, e.g. 10000")
    parser.add_argument("path", type=Path, nargs="?", help="the database file to (re)create")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--tasks", type=Path, help="also write that many Taskwarrior tasks here")
    args = parser.parse_args(argv)
    if args.path:
        stats = generate(args.path, args.contacts, seed=args.seed)
        print(f"{args.path}: {stats}")
    if args.tasks:
        rc = generate_tasks(args.tasks, args.contacts, seed=args.seed)
        print(f"{args.tasks}: {args.contacts} tasks (TASKRC={rc})")


if __name__ == "__main__":
    main()
