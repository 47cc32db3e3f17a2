#!/bin/sh
# Installs dependencies and builds, only what is missing or out of date. Idempotent.
set -eu
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "jobscope: installing dependencies (npm ci; better-sqlite3 compiles from source, about a minute)"
  npm ci --no-audit --no-fund
fi

stamp=dist/.built
if [ ! -f "$stamp" ] || [ ! -f .next/BUILD_ID ] || \
   [ -n "$(find app components server prisma next.config.js package-lock.json -newer "$stamp" -type f ! -path 'server/store/generated/*' ! -path 'server/store/generated-pg/*' 2>/dev/null | head -n 1)" ]; then
  echo "jobscope: building (Prisma client, command line, View)"
  node scripts/build.mjs
  touch "$stamp"
fi
