#!/bin/sh
# First start of the compose stack's PostgreSQL: the application role LEOC
# connects as (LEOC_DATABASE_URL). LEOC, running migrations as the owner
# (LEOC_MIGRATE_DATABASE_URL), grants it row access and nothing more.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$LEOC_APP_PASSWORD" <<'SQL'
CREATE ROLE leoc_app LOGIN PASSWORD :'app_password';
GRANT CONNECT ON DATABASE :"DBNAME" TO leoc_app;
SQL
