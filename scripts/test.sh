#!/bin/sh
# Every test: installs what they need (dependencies, Debian's Chromium), builds, then
# type-checks and runs the unit and integration tests (vitest) and the browser tests (Playwright).
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
sh scripts/ensure-chromium.sh
sh scripts/ensure-postgresql.sh
sh scripts/ensure-cluster-tools.sh
sh scripts/ensure-openssl.sh
mkdir -p .tmp
echo "jobscope: type check"
npx tsc --noEmit
echo "jobscope: unit and integration tests"
npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest.json
echo "jobscope: browser tests"
PLAYWRIGHT_JSON_OUTPUT_NAME=.tmp/playwright.json npx playwright test --reporter=list,json
node scripts/test-summary.mjs .tmp/vitest.json .tmp/playwright.json
