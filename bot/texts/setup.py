"""Texts for the operator who starts the bot (printed to the terminal, Indonesian)."""

BOTFATHER_HELP = """\
BOT_TOKEN belum diisi, bot tidak dapat dijalankan.

1. Buka Telegram, cari @BotFather, kirim /newbot, lalu ikuti petunjuknya
   (nama bot dan username yang berakhiran "bot").
2. BotFather memberikan token seperti 123456789:AA...; rahasiakan token ini.
3. Salin .env.example menjadi .env di folder proyek, lalu isi baris:
       BOT_TOKEN=123456789:AA...
   (atau setel variabel lingkungan BOT_TOKEN).
4. Jalankan lagi: make run
"""

REJECTED_BY_TELEGRAM = """\
Telegram menolak BOT_TOKEN (token salah, dicabut, atau bukan untuk server ini).

Periksa BOT_TOKEN di .env atau variabel lingkungan: salin ulang token dari @BotFather
(/mybots -> pilih bot -> API Token). Jika memakai server Bot API lokal, pastikan
TELEGRAM_API_URL menunjuk ke server tersebut.
"""

API_UNREACHABLE = """\
Server Bot API di {url} tidak dapat dihubungi: {error}

Periksa koneksi internet server ini, proxy/firewall, dan nilai TELEGRAM_API_URL.
"""

INVALID_SETTINGS = """\
Pengaturan tidak valid (periksa .env atau variabel lingkungan; contoh ada di .env.example):

{errors}
"""
