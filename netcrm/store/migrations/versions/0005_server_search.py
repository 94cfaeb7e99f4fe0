"""Full-text search on PostgreSQL: the server's twin of 0003's FTS5 index.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30

SQLite: nothing to do (0003 built FTS5 there).

PostgreSQL: a table ``search_index(rowid, title, detail, body, doc)`` holding
the very entries 0003 describes — same rowid scheme (``kind * 2**40 + id``),
same title/detail/body texts — so that ``netcrm.domain.search`` reads content
and names hits with the same SQL on both engines. ``doc`` is a generated
``tsvector`` with a GIN index: title weighed A, detail B, body C (ranked
1.0/0.4/0.1, as bm25(10, 4, 1) weighs them on SQLite).

Tokens as FTS5's ``unicode61 remove_diacritics 2`` makes them: the text is
folded by ``search_fold`` (lower case, Latin accents removed by a frozen
``translate`` table), every run of other characters than letters and digits
becomes a space, and the ``simple`` configuration keeps every word (no
stemming, no stop words). ``search_fold`` is ours rather than ``unaccent``:
``unaccent()`` is not IMMUTABLE (so no generated column may use it) and
``CREATE EXTENSION`` needs rights a managed server may not grant; a
``translate`` works on every server. Queries pass through the same function.

Upkeep: one PL/pgSQL function rebuilds one entry (``search_put(kind, id)``:
delete, then insert from the row if it still exists); one trigger function,
told the kind and the id column by its arguments, calls it for the OLD and the
NEW row of every insert, update of an indexed column, or delete on contact,
channel, interaction, idea, idea_step and followup.
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SPAN = 1 << 40

# Latin letters with diacritics and their plain lower-case letter (generated
# once from Unicode's decompositions, then frozen here).
ACCENTED = (
    "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒ"
    "ēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũ"
    "ŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈ"
    "ȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢ"
    "ḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨ"
    "ṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẛẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳ"
    "ẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ"
)
PLAIN = (
    "aaaaaaceeeeiiiinooooouuuuyaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccccccdde"
    "eeeeeeeeegggggggghhiiiiiiiiijjkkllllllnnnnnnoooooorrrrrrssssssssttttuu"
    "uuuuuuuuuuwwyyyzzzzzzsoouuaaiioouuuuuuuuuuaaaaggkkoooojggnnaaaaaaeeeei"
    "iiioooorrrruuuusstthhaaeeooooooooyyaabbbbbbccddddddddddeeeeeeeeeeffggh"
    "hhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrsssssssss"
    "sttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwysaaaaaaaaaaaaaaaaaaaa"
    "aaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy"
)

FOLD = (
    "CREATE FUNCTION search_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT "
    "PARALLEL SAFE AS $$ SELECT lower(translate(t, '" + ACCENTED + "', '" + PLAIN + "')) $$"
)


def _words(column: str) -> str:
    return (
        f"to_tsvector('simple', regexp_replace(search_fold(coalesce({column}, '')), "
        "'[^[:alnum:]]+', ' ', 'g'))"
    )


TABLE = (
    "CREATE TABLE search_index ("
    "rowid bigint PRIMARY KEY, title text NOT NULL DEFAULT '', "
    "detail text NOT NULL DEFAULT '', body text NOT NULL DEFAULT '', "
    "doc tsvector GENERATED ALWAYS AS ("
    f"setweight({_words('title')}, 'A') || setweight({_words('detail')}, 'B') "
    f"|| setweight({_words('body')}, 'C')) STORED)"
)

# Each kind's entries, as 0003 builds them (string_agg for group_concat).
ENTRIES = {
    1: (
        f"SELECT {SPAN} + c.id, c.name, "
        "trim(coalesce(c.company || ' ', '') || coalesce(c.role || ' ', '') "
        "|| coalesce(c.location || ' ', '') || coalesce(("
        "SELECT string_agg(CASE WHEN ch.kind IN ('phone', 'whatsapp') "
        "THEN ch.value || ' ' || ch.value_norm ELSE ch.value END, ' ' ORDER BY ch.id) "
        "FROM channel ch WHERE ch.contact_id = c.id), '')), "
        "coalesce(c.notes, '') FROM contact c"
    ),
    2: f"SELECT {2 * SPAN} + i.id, i.summary, '', '' FROM interaction i",
    3: (
        f"SELECT {3 * SPAN} + i.id, i.title, "
        "coalesce((SELECT string_agg(s.text, ' ' ORDER BY s.id) FROM idea_step s "
        "WHERE s.idea_id = i.id), ''), coalesce(i.notes, '') FROM idea i"
    ),
    4: f"SELECT {4 * SPAN} + f.id, f.text, '', coalesce(f.done_note, '') FROM followup f",
}
ALIAS = {1: "c", 2: "i", 3: "i", 4: "f"}
INSERT = "INSERT INTO search_index(rowid, title, detail, body) "

PUT = (
    "CREATE FUNCTION search_put(k integer, e bigint) RETURNS void LANGUAGE plpgsql AS $$\n"
    "BEGIN\n"
    "  IF e IS NULL THEN RETURN; END IF;\n"
    f"  DELETE FROM search_index WHERE rowid = k * {SPAN}::bigint + e;\n"
    + "".join(
        f"  {'IF' if kind == 1 else 'ELSIF'} k = {kind} THEN "
        f"{INSERT}{ENTRIES[kind]} WHERE {ALIAS[kind]}.id = e;\n"
        for kind in ENTRIES
    )
    + "  END IF;\nEND $$"
)

UPKEEP = (
    "CREATE FUNCTION search_upkeep() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN\n"
    "  IF TG_OP <> 'INSERT' THEN\n"
    "    PERFORM search_put(TG_ARGV[0]::integer, (to_jsonb(OLD) ->> TG_ARGV[1])::bigint);\n"
    "  END IF;\n"
    "  IF TG_OP <> 'DELETE' THEN\n"
    "    PERFORM search_put(TG_ARGV[0]::integer, (to_jsonb(NEW) ->> TG_ARGV[1])::bigint);\n"
    "  END IF;\n"
    "  RETURN NULL;\n"
    "END $$"
)

# (table, indexed columns, kind, the column naming the entry)
TRIGGERS = (
    ("contact", "id, name, company, role, location, notes", 1, "id"),
    ("channel", "contact_id, kind, value, value_norm", 1, "contact_id"),
    ("interaction", "id, summary", 2, "id"),
    ("idea", "id, title, notes", 3, "id"),
    ("idea_step", "idea_id, text", 3, "idea_id"),
    ("followup", "id, text, done_note", 4, "id"),
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FOLD)
    op.execute(TABLE)
    op.execute("CREATE INDEX search_index_doc ON search_index USING gin (doc)")
    for select in ENTRIES.values():
        op.execute(INSERT + select)
    op.execute(PUT)
    op.execute(UPKEEP)
    for table, columns, kind, column in TRIGGERS:
        op.execute(
            f"CREATE TRIGGER search_{table} AFTER INSERT OR DELETE OR UPDATE OF {columns} "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION search_upkeep('{kind}', '{column}')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, _columns, _kind, _column in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS search_{table} ON {table}")
    op.execute("DROP FUNCTION IF EXISTS search_upkeep()")
    op.execute("DROP FUNCTION IF EXISTS search_put(integer, bigint)")
    op.execute("DROP TABLE IF EXISTS search_index")
    op.execute("DROP FUNCTION IF EXISTS search_fold(text)")
