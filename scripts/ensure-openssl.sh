#!/bin/sh
# Debian's openssl command line: the TLS tests make their certificates with it
# (server/testing/tls.ts), as an operator would. Idempotent: installs only when missing.
set -eu
if ! command -v openssl >/dev/null 2>&1; then
  echo "jobscope: installing openssl"
  if [ "$(id -u)" -ne 0 ]; then
    echo "jobscope: need root to install openssl (apt-get)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssl >/dev/null
fi
echo "jobscope: $(openssl version)"
