// The exit codes cluster software expects (OCF resource agent API), in one place.
// `jobscope manager|agent start|stop|monitor` exit with these and the OCF
// resource agent (cluster/ocf/jobscope) passes them on unchanged.
export const OCF = {
  SUCCESS: 0,
  /** Failed: a start that did not come up, a daemon that died or does not answer. */
  ERR_GENERIC: 1,
  /** Wrong command line (commander's usage errors exit 2 as well). */
  ERR_ARGS: 2,
  ERR_UNIMPLEMENTED: 3,
  ERR_PERM: 4,
  /** Something this node lacks: no configuration of the host here, no build. The cluster tries another node. */
  ERR_INSTALLED: 5,
  /** The resource's parameters are wrong (e.g. an invalid host name): no node can run it. */
  ERR_CONFIGURED: 6,
  /** Cleanly stopped. */
  NOT_RUNNING: 7,
} as const;

export type OcfCode = (typeof OCF)[keyof typeof OCF];
