"""Texts for the operator about running the bot (printed to the terminal, Indonesian)."""

DATABASE_IN_USE = """\
Basis data sedang dipakai oleh proses bot lain (kunci: {lock}).

Pada SQLite hanya satu proses bot yang boleh berjalan. Hentikan proses yang lain dahulu, atau
pakai PostgreSQL (DATABASE_URL) untuk menjalankan bot cadangan (standby).
"""

BACKUP_WRITTEN = "Cadangan ditulis: {path}"

BACKUP_PG = """\
Basis data PostgreSQL dicadangkan dengan pg_dump, misalnya:

    {command}

(kata sandi lewat variabel PGPASSWORD atau berkas ~/.pgpass). Pemulihan: pg_restore --clean
--dbname=<basis data> <berkas>.
"""

BACKUP_NO_DATABASE = "DATABASE_URL tidak menunjuk ke berkas SQLite; tidak ada yang dicadangkan."
