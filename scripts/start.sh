#!/bin/sh
# The embedded default: console, agent and a demo workload for this machine.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
exec bin/jobscope demo "$@"
