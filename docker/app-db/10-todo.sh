#!/bin/sh
# app-db's init script (docker-compose.yml mounts this directory at /docker-entrypoint-initdb.d):
# the PostgreSQL entrypoint runs it once, when the app-db volume is first initialized, on a server
# that listens only on its socket. It makes the todo example's role and database; the one-shot
# `examples` service puts the same password into the secret todo-db (docker/deploy-examples.sh).
# A volume made before this script existed has no todo database: `docker compose down -v` once.
set -eu
psql -v ON_ERROR_STOP=1 --no-psqlrc -q --username "$POSTGRES_USER" --dbname postgres \
  -v password="${NANOLET_TODO_DB_PASSWORD:?NANOLET_TODO_DB_PASSWORD is required}" <<'SQL'
CREATE ROLE todo LOGIN PASSWORD :'password';
CREATE DATABASE todo OWNER todo;
SQL
