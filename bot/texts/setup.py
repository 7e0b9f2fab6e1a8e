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
