# Sourced by .ci/run: makes sure a PostgreSQL server is there for the store
# conformance suite. Installs Debian's postgresql when missing, starts a
# throwaway cluster on a private port, exports TUMEN_TEST_DATABASE_URL and
# stops the cluster on exit. A URL already set is used as it is.

if [ -n "${TUMEN_TEST_DATABASE_URL:-}" ]; then
  echo "postgres: using TUMEN_TEST_DATABASE_URL from the environment"
  return 0
fi

pg_bin=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [ -x "$d/initdb" ]; then pg_bin=$d; break; fi
done
if [ -z "$pg_bin" ]; then
  echo "postgres: installing Debian's postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ]; then pg_bin=$d; break; fi
  done
fi
[ -n "$pg_bin" ] || { echo "postgres: no initdb after installing postgresql" >&2; exit 1; }

# PostgreSQL refuses to run as root: run it as the postgres user.
pg_user=postgres
id "$pg_user" >/dev/null 2>&1 || useradd --system --no-create-home "$pg_user"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u "$pg_user" -- "$@"; else "$@"; fi; }

pg_dir=$(mktemp -d /tmp/tumen-ci-pg.XXXXXX)
chown "$pg_user" "$pg_dir" 2>/dev/null || true
pg_port=${TUMEN_CI_PG_PORT:-55432}
as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --no-locale >"$pg_dir/initdb.log" 2>&1 \
  || { cat "$pg_dir/initdb.log" >&2; exit 1; }
# fsync off: a CI cluster is thrown away, and durability is not under test here.
as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null \
  || { cat "$pg_dir/server.log" >&2; exit 1; }
stop_postgres() { as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$pg_dir"; }
trap stop_postgres EXIT
as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres tumen_test
export PATH="$PATH:$pg_bin"
export TUMEN_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/tumen_test?sslmode=disable"
echo "postgres: $("$pg_bin/postgres" --version) on port $pg_port"
