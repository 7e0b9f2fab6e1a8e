"""Batik.Net helpdesk bot for Dinas Kominfo Kota Pekalongan."""
