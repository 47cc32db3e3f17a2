// `jobscope manager|agent start|stop|monitor|status -h HOST`: the cluster software's
// commands. Prints one message and exits with the OCF code (server/cluster/ocf-codes.ts).
import { chooseHostName } from '../host/identity';
import { monitor, start, stop, type Part } from './control';
import { OCF, type OcfCode } from './ocf-codes';

export const CLUSTER_ACTIONS = ['start', 'stop', 'monitor', 'status'] as const;
export type ClusterAction = (typeof CLUSTER_ACTIONS)[number];

export async function runClusterAction(part: Part, action: ClusterAction, o: { host?: string; timeout?: number }): Promise<never> {
  let code: OcfCode;
  let message: string;
  let host: string;
  try {
    host = chooseHostName(o.host);
  } catch (e) {
    // A bad host name is a wrong resource parameter: no node can run it.
    process.stderr.write(`jobscope: ${(e as Error).message}\n`);
    process.exit(OCF.ERR_CONFIGURED);
  }
  // Should anything leave this process to end by itself, that is a failure, never a success.
  process.exitCode = OCF.ERR_GENERIC;
  const options = { part, host, timeoutMs: o.timeout === undefined ? undefined : o.timeout * 1000 };
  try {
    ({ code, message } = await (action === 'start' ? start(options) : action === 'stop' ? stop(options) : monitor(options)));
  } catch (e) {
    code = OCF.ERR_GENERIC;
    message = `${action} of the ${part} of ${host} failed: ${(e as Error).message}`;
  }
  (code === OCF.SUCCESS || code === OCF.NOT_RUNNING ? process.stdout : process.stderr).write(`jobscope: ${message}\n`);
  process.exit(code);
}
