#!/bin/sh
# The cluster tools the tests run for real: ocf-tester (resource-agents) checks the OCF
# resource agent, crm_verify (pacemaker-cli-utils) checks the Pacemaker configuration.
# Idempotent: installs only what is missing, without recommends.
#  - pacemaker-remote satisfies pacemaker-cli-utils' "pacemaker | pacemaker-remote"
#    with a third fewer packages than pacemaker (no corosync, no knet);
#  - libxml2-utils gives xmllint, which ocf-tester uses to check the meta-data.
set -eu
packages="resource-agents pacemaker-cli-utils pacemaker-remote libxml2-utils"
missing=""
for p in $packages; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "jobscope: installing$missing"
  if [ "$(id -u)" -ne 0 ]; then
    echo "jobscope: need root to install$missing (apt-get)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  # Only the command-line tools are wanted: where systemd runs, keep the remote daemon off.
  if [ -d /run/systemd/system ] && echo "$missing" | grep -q pacemaker-remote; then
    systemctl disable --now pacemaker_remote.service >/dev/null 2>&1 || true
  fi
fi
echo "jobscope: cluster tools $(command -v ocf-tester) $(command -v crm_verify)"
# iproute2 (ip netns, veth, bridge) for the failover tests' one-machine cluster, server/testing/cluster.ts.
command -v ip >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends iproute2 >/dev/null; }
