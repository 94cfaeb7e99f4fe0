"""Import and export at scale (issue 5).

Generates a LinkedIn ``Connections.csv`` of N rows (seeded; accented French
names; today's format with its ``Notes:`` preamble, quoted names with commas,
a few e-mails, rows holding only a date) and times, each in its own ``netcrm``
process on a fresh database:

1. ``netcrm import`` of the file (target: ≤ 10 s, ≤ 400 MB peak);
2. the same import again, where every row is a duplicate left unchanged;
3. ``netcrm export contacts --format csv -o FILE`` of the imported network
   (target: ≤ 3 s).

Wall time is measured around the process; CPU time (user + system) and peak
memory (``ru_maxrss``) are read with ``resource.getrusage(RUSAGE_CHILDREN)``
in a small wrapper process whose only child is the measured command, so each
number belongs to one command. CPU time says what a command costs when the
machine is shared and wall time cannot be trusted.

    python bench/bench_import.py            # 100,000 rows
    python bench/bench_import.py --rows 20000 --keep /tmp/bench
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

FIRST = [
    "Léa",
    "Chloé",
    "Zoé",
    "Inès",
    "Maëlle",
    "Océane",
    "Anaïs",
    "Hélène",
    "Élodie",
    "Noémie",
    "Mélanie",
    "Agnès",
    "Bérénice",
    "Clémence",
    "Gaëlle",
    "Loïc",
    "Jérôme",
    "Stéphane",
    "Frédéric",
    "Benoît",
    "Hervé",
    "Rémi",
    "Théo",
    "Noé",
    "Joël",
    "Cédric",
    "François",
    "Raphaël",
    "Gaël",
    "Mathéo",
    "Aurélien",
    "Sébastien",
    "Valérie",
    "Amélie",
    "Josée",
    "Eugénie",
    "Côme",
    "Anaëlle",
]
LAST = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Lefebvre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "Sánchez",
    "Gérard",
    "Nguyen",
    "Boyer",
    "Denis",
    "Lemaire",
    "Duval",
    "Joly",
    "Gautier",
    "Roger",
    "Roche",
    "Roy",
    "Noël",
    "Meyer",
    "Lucas",
    "Meunier",
    "Jean",
    "Pérez",
    "Marchand",
    "Dufour",
    "Blanchard",
    "Barbier",
    "Brun",
    "Dumas",
    "Brunet",
    "Schmitt",
    "Leroux",
    "Colin",
    "Fernandez",
    "Pierre",
    "Renard",
    "Arnaud",
    "Rolland",
    "Caron",
    "Aubert",
    "Giraud",
    "Leclerc",
    "Vidal",
    "Bourgeois",
    "Renaud",
    "Lemoine",
    "Picard",
    "Gaillard",
    "Philippe",
]
COMPANIES = (
    "Studio Lumière",
    "Agence Éclat",
    "Les Ateliers du Web",
    "Crème & Café",
    "Podcast Entrepreneurs",
    "Éditions du Lac",
    "Collectif Vidéo Nantes",
    "Benali & Associés",
    "Conseil, Stratégie et Cie",
    "Freelance",
    "",
)
KINDS = ("Studio", "Agence", "Cabinet", "Atelier", "Éditions", "Maison", "Collectif")
POSITIONS = (
    "Fondatrice",
    "Rédacteur web",
    "Consultante SEO, contenus",
    "Community manager",
    "Développeur",
    "Photographe",
    "Directrice artistique",
    "Coach",
    "",
)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more about this here: "
    'https://www.linkedin.com/help/linkedin/answer/261"\n'
    "\n"
)
HEADER = ("First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On")


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(ascii_text.casefold().split())


def generate_linkedin(path: Path, rows: int, *, seed: int = 5) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(PREAMBLE)
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        for i in range(rows):
            date = f"{rng.randint(1, 28):02d} {rng.choice(MONTHS)} {rng.randint(2010, 2026)}"
            if rng.random() < 0.005:
                writer.writerow(["", "", "", "", "", "", date])  # a member who left
                continue
            first, last = rng.choice(FIRST), rng.choice(LAST)
            # Compound first and last names, as in France, keep namesakes rare.
            if rng.random() < 0.4:
                first += "-" + rng.choice(FIRST)
            if rng.random() < 0.6:
                last += "-" + rng.choice(LAST)
            if rng.random() < 0.02:
                last += ", PhD"
            url = f"https://www.linkedin.com/in/{slug(first)}-{slug(last)}-{i:x}"
            email = f"{slug(first)}.{slug(last)}{i}@example.fr" if rng.random() < 0.1 else ""
            if rng.random() < 0.3:
                company = rng.choice(COMPANIES)
            else:
                company = f"{rng.choice(KINDS)} {rng.choice(LAST)}"
            writer.writerow([first, last, url, email, company, rng.choice(POSITIONS), date])


_WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "wall = time.perf_counter() - start\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "sys.stderr.write(done.stderr.decode())\n"
    "print(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, done.returncode)\n"
)


def measure(args: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """(wall seconds, CPU seconds, peak MB, stderr) of one ``netcrm`` process."""
    command = [sys.executable, "-m", "netcrm", *args]
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *command],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    wall, cpu, peak_kb, code = done.stdout.split()
    if int(code) != 0:
        raise SystemExit(f"netcrm {' '.join(args)} failed ({code}):\n{done.stderr}")
    return float(wall), float(cpu), int(peak_kb) / 1024, done.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep the files")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    options = parser.parse_args()

    work = options.keep or Path(tempfile.mkdtemp(prefix="netcrm-bench-import-"))
    work.mkdir(parents=True, exist_ok=True)
    source = work / "Connections.csv"
    db = work / "netcrm.db"
    out = work / "contacts.csv"
    for stale in (db, out, Path(f"{db}-wal"), Path(f"{db}-shm")):
        stale.unlink(missing_ok=True)
    generate_linkedin(source, options.rows)
    env = {**os.environ, "NETCRM_DB": str(db)}
    env.pop("NETCRM_TODAY", None)

    results = []
    for label, args, target, memory_target in (
        (f"import {options.rows:,} LinkedIn rows", ["import", str(source)], 10.0, 400.0),
        ("import them again (all unchanged)", ["import", str(source)], None, None),
        (
            f"export {options.rows:,} contacts to CSV",
            ["export", "contacts", "-o", str(out)],
            3.0,
            None,
        ),
    ):
        wall, cpu, peak, stderr = measure(args, env)
        summary = " ".join(stderr.split())
        results.append(
            {
                "step": label,
                "wall_s": round(wall, 2),
                "cpu_s": round(cpu, 2),
                "peak_mb": round(peak),
                "target_s": target,
                "target_mb": memory_target,
            }
        )
        if not options.json:
            verdict = "" if target is None else (" ok" if wall <= target else " SLOW")
            if memory_target is not None and peak > memory_target:
                verdict += " BIG"
            print(
                f"{label:<40} {wall:6.2f} s wall {cpu:6.2f} s CPU {peak:5.0f} MB{verdict}"
                f"   {summary}"
            )
    if options.json:
        print(json.dumps(results, indent=2))
    if options.keep is None:
        for path in work.iterdir():
            path.unlink()
        work.rmdir()


if __name__ == "__main__":
    main()
