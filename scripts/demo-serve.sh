#!/usr/bin/env bash
# `make demo`: the web server and the background worker that generates reports, together.
# Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
.venv/bin/python manage.py db_worker --queue-name default &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
echo "Kinerja: http://127.0.0.1:${PORT}/  (pengguna demo: lihat README)"
# DEBUG off, as a person using Kinerja meets it: the product's own Indonesian error pages,
# not Django's English debug pages (static files come from whitenoise's finders). The demo
# users keep their shared password (KINERJA_FORCE_PASSWORD_CHANGE=false).
DJANGO_DEBUG="${DJANGO_DEBUG:-false}" KINERJA_FORCE_PASSWORD_CHANGE="${KINERJA_FORCE_PASSWORD_CHANGE:-false}" \
  .venv/bin/python manage.py runserver "127.0.0.1:${PORT}"
