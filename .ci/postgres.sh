#!/usr/bin/env bash
# CI: a PostgreSQL for the service tests, on loopback only.
# Installs Debian's postgresql when missing, starts its cluster, and makes two roles:
#   planner      owns the database (migrations; may create the tests' databases)
#   planner_app  the application's role: by default SELECT and INSERT on the owner's new
#                tables, so the audit trail never gets UPDATE or DELETE; `planner db grant`
#                gives it UPDATE/DELETE on every other table once the schema exists.
# Prints the URL for PLANNER_TEST_POSTGRES on its last line. Run as root.
set -euo pipefail

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi

version=$(pg_lsclusters --no-header | awk 'NR==1 {print $1}')
cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $2}')
if [ -z "$version" ]; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  cluster=main
  pg_createcluster "$version" "$cluster" >/dev/null
fi
conf=/etc/postgresql/$version/$cluster/postgresql.conf
sed -i "s/^#\?listen_addresses *=.*/listen_addresses = '127.0.0.1'/" "$conf"
if ! pg_lsclusters --no-header | awk -v v="$version" -v c="$cluster" '$1==v && $2==c {print $4}' | grep -q online; then
  pg_ctlcluster "$version" "$cluster" start
fi
port=$(pg_lsclusters --no-header | awk -v v="$version" -v c="$cluster" '$1==v && $2==c {print $3}')

psql_admin() { su postgres -c "psql -q -v ON_ERROR_STOP=1 -p $port $*"; }
psql_admin "-d postgres" <<'SQL'
SELECT 'CREATE ROLE planner LOGIN CREATEDB PASSWORD ''planner'''
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'planner')\gexec
SELECT 'CREATE ROLE planner_app LOGIN PASSWORD ''planner_app'''
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'planner_app')\gexec
SELECT 'CREATE DATABASE planner OWNER planner'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'planner')\gexec
SQL
# The owner's future tables: the app reads and appends, nothing more, until `planner db grant`.
psql_admin "-d planner" <<'SQL'
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO planner_app;
GRANT ALL ON SCHEMA public TO planner;
ALTER DEFAULT PRIVILEGES FOR ROLE planner IN SCHEMA public GRANT SELECT, INSERT ON TABLES TO planner_app;
ALTER DEFAULT PRIVILEGES FOR ROLE planner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO planner_app;
SQL
echo "postgresql://planner:planner@127.0.0.1:$port/planner"
