#!/bin/sh
# Debian's PostgreSQL 15 for the tests and for `npm run migrations:new`: they
# start throwaway clusters of their own (scripts/pg-test-server.mjs), so the
# cluster Debian's package creates is not used. Idempotent: installs only when missing.
set -eu
bin=/usr/lib/postgresql/15/bin
if [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ]; then
  echo "jobscope: installing postgresql-15"
  if [ "$(id -u)" -ne 0 ]; then
    echo "jobscope: need root to install postgresql-15 (apt-get)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null
fi
echo "jobscope: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') in $bin"
