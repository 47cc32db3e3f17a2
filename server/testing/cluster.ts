// Plays the cluster software on one machine (docs/architecture.md, "Tests with real
// parts"): each node is a network namespace joined by a veth pair to a
// bridge in the root namespace, where the test process itself (socket.io
// clients, browsers) lives; a temporary folder that every node sees (namespaces
// share the file system) is the shared disk; the floating address of the console
// logical host moves between nodes with `ip addr del` / `ip addr add`. Needs
// root and iproute2, nothing else.
//
// Addresses. Each run claims one 169.254.N.0/24 (IPv4 link-local, N in 64..127)
// under /run/jobscope-netns, so parallel runs never share a subnet, and assigns it
// only to its own bridge and to interfaces inside its own namespaces:
//   .1 bridge (the test runner)   .11 node A   .12 node B   .21 job host node J
//   .100 floating address of the console logical host (of the job host, in the
//        job-host failover test)
// Not TEST-NET-1 (192.0.2.0/24): on the test machine that is eth0's real network,
// and test traffic may go only to loopback or to namespaces the test created.
// Not 169.254.169.x either: cloud metadata lives there.
//
// Names carry a random id per run: namespaces jsA-<id>, jsB-<id>, jsJ-<id>;
// bridge jsbr-<id>; root ends of the veths jsva-/jsvb-/jsvj-<id> (the end inside
// each namespace is eth0). Everything is removed by destroy(), and sweep() (run
// before each create) removes whatever a crashed run left: namespaces and links
// with these prefixes whose claim's owner process is gone, after killing the
// processes still inside them.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { JOBSCOPE, PASSWORDS, collect, loginAt, waitUntil, type Client, type Env, type RunResult } from './test-host';
import type { Status } from '../domain/status';

const CLAIMS_DIR = '/run/jobscope-netns';
const FIRST_OCTET = 64;
const LAST_OCTET = 127;
const ID_PATTERN = '[a-z0-9]{6}';
const NS_RE = new RegExp(`^js[ABJ]-(${ID_PATTERN})$`);
const LINK_RE = new RegExp(`^js(?:br|va|vb|vj)-(${ID_PATTERN})$`);

export type NodeName = 'A' | 'B' | 'J';
const HOST_OCTET: Record<NodeName, number> = { A: 11, B: 12, J: 21 };
const FLOATING_OCTET = 100;
/** A locally administered MAC address that no interface of a test network has. */
const NOWHERE_MAC = '02:00:00:00:0c:07';

export interface NetNode {
  name: NodeName;
  /** Network namespace. */
  ns: string;
  /** Root-namespace end of its veth pair, enslaved to the bridge. */
  veth: string;
  /** Its own (fixed) address. */
  address: string;
}

class IpError extends Error {}

/** Runs `ip` and returns its output; throws with its message on failure. */
export function ip(...args: string[]): string {
  try {
    return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { code?: string; stderr?: string; message: string };
    if (e.code === 'ENOENT') throw new IpError('`ip` (iproute2) is not installed: run scripts/ensure-cluster-tools.sh');
    throw new IpError(`ip ${args.join(' ')}: ${(e.stderr ?? e.message).trim()}`);
  }
}

/** Best effort: for teardown, where the thing may already be gone. */
function ipQuiet(...args: string[]): void {
  try {
    ip(...args);
  } catch {
    /* already gone */
  }
}

function processStart(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

interface Claim {
  id: string;
  octet: number;
  pid: number;
  /** Start time of the owner (from /proc): a reused pid is not the owner. */
  start: string;
}

function readClaims(): Claim[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(CLAIMS_DIR);
  } catch {
    return [];
  }
  return entries.flatMap((octet) => {
    try {
      return [JSON.parse(fs.readFileSync(path.join(CLAIMS_DIR, octet, 'owner.json'), 'utf8')) as Claim];
    } catch {
      // Being written, or a crash between mkdir and write: an empty claim older than a minute is a leftover.
      const dir = path.join(CLAIMS_DIR, octet);
      try {
        if (Date.now() - fs.statSync(dir).mtimeMs > 60_000) fs.rmSync(dir, { recursive: true, force: true });
      } catch {
        /* gone */
      }
      return [];
    }
  });
}

const ownerAlive = (c: Claim) => processStart(c.pid) === c.start;

function nsPids(ns: string): number[] {
  try {
    return ip('netns', 'pids', ns).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Kills what still runs inside a namespace of ours, then removes the namespaces and links of one run. */
function tearDown(id: string): void {
  const spaces = (['A', 'B', 'J'] as const).map((n) => `js${n}-${id}`);
  for (const ns of spaces) for (const pid of nsPids(ns)) killQuietly(pid);
  const deadline = Date.now() + 5000;
  while (spaces.some((ns) => nsPids(ns).length > 0) && Date.now() < deadline) execFileSync('sleep', ['0.05']);
  // Deleting a namespace destroys the veth ends inside it, and with them their pairs.
  for (const ns of spaces) ipQuiet('netns', 'del', ns);
  for (const link of ['va', 'vb', 'vj', 'br'].map((p) => `js${p}-${id}`)) ipQuiet('link', 'del', link);
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

export class Netns {
  readonly nodes: Record<NodeName, NetNode>;
  readonly bridge: string;
  readonly bridgeAddress: string;
  readonly floating: string;
  private destroyed = false;

  private constructor(
    readonly id: string,
    readonly octet: number,
  ) {
    const net = this.subnet;
    this.bridge = `jsbr-${id}`;
    this.bridgeAddress = `${net}.1`;
    this.floating = `${net}.${FLOATING_OCTET}`;
    const node = (name: NodeName): NetNode => ({ name, ns: `js${name}-${id}`, veth: `jsv${name.toLowerCase()}-${id}`, address: `${net}.${HOST_OCTET[name]}` });
    this.nodes = { A: node('A'), B: node('B'), J: node('J') };
  }

  get subnet(): string {
    return `169.254.${this.octet}`;
  }

  /** Removes what earlier runs left behind: claims whose owner is gone, and unclaimed namespaces and links. */
  static sweep(): void {
    // Listed before the claims are read: a run claims before it creates anything,
    // so whatever is listed here has its claim readable below if its run is alive.
    const found = new Set<string>();
    for (const line of ip('netns', 'list').split('\n')) {
      const m = NS_RE.exec(line.split(' ')[0] ?? '');
      if (m) found.add(m[1]);
    }
    for (const link of JSON.parse(ip('-j', 'link', 'show')) as { ifname: string }[]) {
      const m = LINK_RE.exec(link.ifname);
      if (m) found.add(m[1]);
    }
    const claims = readClaims();
    const live = new Set(claims.filter(ownerAlive).map((c) => c.id));
    for (const c of claims.filter((c) => !ownerAlive(c))) {
      tearDown(c.id);
      fs.rmSync(path.join(CLAIMS_DIR, String(c.octet)), { recursive: true, force: true });
    }
    for (const id of found) if (!live.has(id)) tearDown(id);
  }

  /** Creates the bridge and the nodes A, B (console nodes) and J (job host), each with its own address. */
  static create(): Netns {
    if (process.getuid?.() !== 0) throw new Error('the cluster harness needs root (network namespaces, ip addr)');
    Netns.sweep();
    const net = Netns.claim();
    // Also when the test process ends without its afterAll (a worker shut down early); a crash is left to sweep().
    process.once('exit', () => net.destroy());
    try {
      net.build();
    } catch (err) {
      net.destroy();
      throw err;
    }
    return net;
  }

  private static claim(): Netns {
    fs.mkdirSync(CLAIMS_DIR, { recursive: true });
    const routed = ip('-4', 'route', 'show', 'table', 'all');
    const start = processStart(process.pid)!;
    const span = LAST_OCTET - FIRST_OCTET + 1;
    const offset = crypto.randomInt(span);
    for (let i = 0; i < span; i++) {
      const octet = FIRST_OCTET + ((offset + i) % span);
      // A subnet someone else routes here is not ours to use.
      if (routed.includes(`169.254.${octet}.`)) continue;
      try {
        fs.mkdirSync(path.join(CLAIMS_DIR, String(octet))); // atomic: the claim
      } catch {
        continue;
      }
      const id = crypto.randomBytes(8).readBigUInt64BE().toString(36).slice(-6).padStart(6, '0');
      const claim: Claim = { id, octet, pid: process.pid, start };
      fs.writeFileSync(path.join(CLAIMS_DIR, String(octet), 'owner.json'), JSON.stringify(claim) + '\n');
      return new Netns(id, octet);
    }
    throw new Error(`no free test subnet in 169.254.${FIRST_OCTET}-${LAST_OCTET}.0/24 (see ${CLAIMS_DIR})`);
  }

  private build(): void {
    try {
      ip('netns', 'add', this.nodes.A.ns);
    } catch (err) {
      throw new Error(`cannot create a network namespace (${(err as Error).message}); the failover tests need root in a kernel that allows network namespaces`);
    }
    // No IPv6 link-local addresses: the test network carries only what the test sends.
    ip('link', 'add', this.bridge, 'type', 'bridge', 'stp_state', '0');
    ip('link', 'set', this.bridge, 'addrgenmode', 'none');
    ip('addr', 'add', `${this.bridgeAddress}/24`, 'dev', this.bridge);
    ip('link', 'set', this.bridge, 'up');
    for (const node of Object.values(this.nodes)) {
      if (node.name !== 'A') ip('netns', 'add', node.ns);
      ip('link', 'add', node.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', node.ns);
      ip('link', 'set', node.veth, 'addrgenmode', 'none');
      ip('link', 'set', node.veth, 'master', this.bridge, 'up');
      ip('-n', node.ns, 'link', 'set', 'lo', 'up');
      ip('-n', node.ns, 'link', 'set', 'eth0', 'addrgenmode', 'none');
      ip('-n', node.ns, 'addr', 'add', `${node.address}/24`, 'dev', 'eth0');
      ip('-n', node.ns, 'link', 'set', 'eth0', 'up');
    }
  }

  /** Whether the floating address is assigned on a node. */
  hasFloating(node: NodeName): boolean {
    return ip('-n', this.nodes[node].ns, '-4', '-o', 'addr', 'show', 'dev', 'eth0').includes(` ${this.floating}/`);
  }

  /**
   * Moves the floating address to a node (or takes it off every console node
   * with null), as IPaddr2 does. Idempotent. The neighbour flush in the root
   * namespace stands in for the unsolicited ARP that IPaddr2 sends after adding
   * the address (iproute2 cannot send one): without it, clients keep sending to
   * the old node's MAC until their ARP entry expires.
   */
  moveFloating(to: 'A' | 'B' | null): void {
    for (const name of ['A', 'B'] as const) {
      if (name !== to && this.hasFloating(name)) ip('-n', this.nodes[name].ns, 'addr', 'del', `${this.floating}/24`, 'dev', 'eth0');
    }
    if (to && !this.hasFloating(to)) ip('-n', this.nodes[to].ns, 'addr', 'add', `${this.floating}/24`, 'dev', 'eth0');
    ipQuiet('neigh', 'flush', 'to', this.floating, 'dev', this.bridge);
  }

  /** Cuts a node off silently: its link goes down inside the node, so nothing it sends (no FIN, no RST) leaves it. */
  cut(node: NodeName): void {
    ip('-n', this.nodes[node].ns, 'link', 'set', 'eth0', 'down');
  }

  /** Brings a cut node's link back (for the next test on the same cluster). */
  heal(node: NodeName): void {
    ip('-n', this.nodes[node].ns, 'link', 'set', 'eth0', 'up');
  }

  /**
   * Cuts a node off from the test runner only (the root namespace: browsers, test clients),
   * silently and both ways, while it still reaches the other nodes: each side's neighbour entry
   * for the other names a MAC address no interface has, so that what either sends is flooded by
   * the bridge and dropped by every receiver, unanswered (no RST, no ICMP). Neighbour entries,
   * not a packet filter: the test machines have neither nft nor iptables, nor tc's actions.
   */
  cutFromRunner(node: NodeName): void {
    const { ns, address } = this.nodes[node];
    for (const to of this.hasFloating(node) ? [address, this.floating] : [address]) {
      ip('neigh', 'replace', to, 'lladdr', NOWHERE_MAC, 'dev', this.bridge, 'nud', 'permanent');
    }
    ip('-n', ns, 'neigh', 'replace', this.bridgeAddress, 'lladdr', NOWHERE_MAC, 'dev', 'eth0', 'nud', 'permanent');
  }

  /** Ends cutFromRunner: both sides ask for each other's MAC address again. */
  healFromRunner(node: NodeName): void {
    for (const to of [this.nodes[node].address, this.floating]) ipQuiet('neigh', 'del', to, 'dev', this.bridge);
    ipQuiet('-n', this.nodes[node].ns, 'neigh', 'del', this.bridgeAddress, 'dev', 'eth0');
  }

  /**
   * Starts a program inside a node: `ip netns exec` execs it, so the child's pid is the program's.
   * With `hostname`, the program runs in a UTS namespace of its own under that host name, as on a
   * machine of its own (agents and `jobscope exec` name their node by os.hostname()). unshare and
   * sh exec in turn, so the pid is still the program's; the UTS namespace ends with its last process.
   */
  spawn(node: NodeName, argv: string[], env: Env, o: { hostname?: string } = {}): ChildProcess {
    const named = o.hostname ? ['unshare', '--uts', 'sh', '-c', 'hostname "$0" && exec "$@"', o.hostname, ...argv] : argv;
    return spawn('ip', ['netns', 'exec', this.nodes[node].ns, ...named], { env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  }

  /** Pids of the processes running inside a node. */
  pids(node: NodeName): number[] {
    return nsPids(this.nodes[node].ns);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    tearDown(this.id);
    fs.rmSync(path.join(CLAIMS_DIR, String(this.octet)), { recursive: true, force: true });
  }
}

// ---- a console logical host on two nodes, and a job host it watches ---------

export const CONSOLE_HOST = 'clh1';
export const JOB_HOST = 'jh1';
/** Ports are per namespace: the fixed defaults never collide with another run. */
export const MANAGER_PORT = 7420;
export const AGENT_PORT = 7421;

export interface Daemon {
  node: NodeName;
  part: 'manager' | 'agent';
  child: ChildProcess;
  /** When it was spawned (ms since epoch). */
  spawnedAt: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StoreUnit {
  host: string;
  path: string;
  execId: string;
  status: Status;
  version: number;
}

export interface StoreRun {
  execId: string;
  unit: string;
  status: Status;
  startSeq: number;
  lastSeq: number;
}

/** A console store on PostgreSQL: its URL without the password, and the password. */
export interface PostgresConsoleStore {
  url: string;
  password: string;
}

/**
 * The console logical host clh1, configured on nodes A and B with its data on
 * the shared disk (or its store on PostgreSQL), and the job host jh1 with its agent on node J. No daemon runs
 * until a test starts one; the floating address starts on node A.
 */
export class ConsoleCluster {
  readonly sharedDir: string;
  readonly token = crypto.randomBytes(24).toString('base64url');
  readonly jobToken = crypto.randomBytes(24).toString('base64url');
  logs = '';
  private daemons = new Set<Daemon>();
  /** Job flows started on this cluster: halted with it, even when a test fails half-way. */
  readonly flows = new Set<JobFlow>();
  /** Set when the console store is on PostgreSQL. */
  postgres?: PostgresConsoleStore;
  private pool?: pg.Pool;

  private constructor(
    readonly net: Netns,
    readonly dir: string,
  ) {
    this.sharedDir = path.join(dir, 'shared', CONSOLE_HOST);
  }

  /** The console's URL at its floating address (what a socket.io client in the test process uses). */
  get url(): string {
    return `http://${this.net.floating}:${MANAGER_PORT}`;
  }

  get storeFile(): string {
    return path.join(this.sharedDir, 'console.db');
  }

  get jobSpoolFile(): string {
    return path.join(this.dir, 'nodes', 'J', 'data', 'spool.db');
  }

  /** Each node's configuration folder is on its local disk. */
  env(node: NodeName, extra: Env = {}): Env {
    return { ...process.env, JOBSCOPE_CONFIG_DIR: path.join(this.dir, 'nodes', node, 'config'), JOBSCOPE_HOSTNAME: '', JOBSCOPE_LOG_LEVEL: 'info', ...extra };
  }

  /** `postgres`: starts a PostgreSQL server the nodes can reach on the new network and returns its store. */
  static async create(o: { postgres?: (net: Netns) => Promise<PostgresConsoleStore> } = {}): Promise<ConsoleCluster> {
    const net = Netns.create();
    const cluster = new ConsoleCluster(net, fs.mkdtempSync(path.join(os.tmpdir(), `jobscope-cluster-${net.id}-`)));
    try {
      cluster.postgres = await o.postgres?.(net);
      await cluster.setUp();
    } catch (err) {
      await cluster.destroy();
      throw err;
    }
    return cluster;
  }

  private async setUp(): Promise<void> {
    const { floating, nodes } = this.net;
    // Written on each node; the data initialised once, from node A.
    for (const node of ['A', 'B'] as const) {
      const init = node === 'A' ? ['--init'] : [];
      const store = this.postgres ? ['--store-url', this.postgres.url] : [];
      // The test network is link-local, which webhooks may not reach by default: its receivers are allowed by name.
      const webhooks = ['--webhook-networks', `${this.net.subnet}.0/24`];
      await this.must(node, ['setup', '-h', CONSOLE_HOST, '--address', floating, '--manager-port', String(MANAGER_PORT), '--agent-port', String(AGENT_PORT), '--data', this.sharedDir, ...store, ...webhooks, ...init], {
        JOBSCOPE_AGENT_TOKEN: this.token,
        ...(this.postgres ? { JOBSCOPE_STORE_PASSWORD: this.postgres.password } : {}),
      });
    }
    await this.must('J', ['setup', '-h', JOB_HOST, '--address', nodes.J.address, '--agent-port', String(AGENT_PORT), '--manager-port', String(MANAGER_PORT), '--data', path.dirname(this.jobSpoolFile), '--init'], {
      JOBSCOPE_AGENT_TOKEN: this.jobToken,
    });
    for (const [user, password] of Object.entries(PASSWORDS)) {
      await this.must('A', ['user', 'add', user, '--role', user, '-h', CONSOLE_HOST], { JOBSCOPE_PASSWORD: password });
    }
    await this.must('A', ['host', 'add', JOB_HOST, '--address', nodes.J.address, '--port', String(AGENT_PORT), '-h', CONSOLE_HOST], { JOBSCOPE_HOST_TOKEN: this.jobToken });
    this.net.moveFloating('A');
  }

  /** Runs a jobscope command inside a node and collects its output. */
  run(node: NodeName, args: string[], extra: Env = {}): Promise<RunResult> {
    return collect(this.net.spawn(node, [JOBSCOPE, ...args], this.env(node, extra)));
  }

  async must(node: NodeName, args: string[], extra: Env = {}): Promise<RunResult> {
    const result = await this.run(node, args, extra);
    if (result.code !== 0) throw new Error(`[node ${node}] jobscope ${args.join(' ')} failed (${result.code}): ${result.stderr}${result.stdout}`);
    return result;
  }

  /** Runs a command as a job of the job host (on node J), recorded through its spool. */
  exec(unit: string, script: string, extra: string[] = []): Promise<RunResult> {
    return this.run('J', ['exec', '-h', JOB_HOST, '--unit', unit, ...extra, '--', 'sh', '-c', script]);
  }

  spawnDaemon(node: NodeName, part: 'manager' | 'agent'): Daemon {
    const host = part === 'manager' ? CONSOLE_HOST : JOB_HOST;
    const spawnedAt = Date.now();
    const child = this.net.spawn(node, [JOBSCOPE, part, '-h', host], this.env(node));
    child.stdin!.end();
    // Each line tagged with its node and the time since the spawn: start-up phases show in failure logs.
    const collect = (d: Buffer) => (this.logs += String(d).replace(/^(?=.)/gm, () => `[${node} ${part} +${Date.now() - spawnedAt}ms] `));
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const daemon: Daemon = { node, part, child, spawnedAt, exited };
    this.daemons.add(daemon);
    void exited.then(() => this.daemons.delete(daemon));
    return daemon;
  }

  /** Starts clh1's manager on a node and waits until it answers at the floating address. */
  async startManager(node: 'A' | 'B'): Promise<Daemon> {
    const daemon = this.spawnDaemon(node, 'manager');
    await this.waitHealthy(daemon);
    return daemon;
  }

  async waitHealthy(daemon: Daemon, timeoutMs = 60_000): Promise<void> {
    await waitUntil(
      `the manager on node ${daemon.node}`,
      async () => {
        if (daemon.child.exitCode !== null || daemon.child.signalCode !== null) throw new Error(`manager on node ${daemon.node} exited ${daemon.child.exitCode ?? daemon.child.signalCode}:\n${this.logs}`);
        return fetch(`${this.url}/api/v1/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok || undefined, () => undefined);
      },
      timeoutMs,
    );
  }

  /** Starts jh1's agent on node J. */
  async startJobAgent(): Promise<Daemon> {
    const daemon = this.spawnDaemon('J', 'agent');
    await waitUntil('the job host agent', async () => {
      if (daemon.child.exitCode !== null) throw new Error(`agent exited ${daemon.child.exitCode}:\n${this.logs}`);
      return fetch(`http://${this.net.nodes.J.address}:${AGENT_PORT}/feed/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok || undefined, () => undefined);
    });
    return daemon;
  }

  /** Kills a daemon by its pid and waits until it is gone. */
  async kill(daemon: Daemon, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (daemon.child.exitCode === null && daemon.child.signalCode === null) daemon.child.kill(signal);
    await daemon.exited;
  }

  /** Back to the starting point: no manager running, every link up, the floating address on node A. */
  async reset(): Promise<void> {
    await Promise.all([...this.flows].map((f) => f.stop()));
    await Promise.all([...this.daemons].filter((d) => d.part === 'manager').map((d) => this.kill(d)));
    for (const node of ['A', 'B'] as const) this.net.heal(node);
    this.net.moveFloating('A');
  }

  login(user: keyof typeof PASSWORDS): Promise<Client> {
    return loginAt(this.url, user);
  }

  /** What the store holds, read directly from the shared disk. */
  /** Rows of the console store, on whichever kind it is (the SQL is the same on both). */
  async storeRows<T>(sql: string): Promise<T[]> {
    if (this.postgres) {
      const url = new URL(this.postgres.url);
      url.password = this.postgres.password;
      this.pool ??= new pg.Pool({ connectionString: url.toString(), max: 2 });
      return (await this.pool.query(sql)).rows as T[];
    }
    const db = new Database(this.storeFile, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  }

  async readStore(): Promise<{ version: number; offset: number; spoolId: string | null; units: StoreUnit[]; runs: StoreRun[] }> {
    const [meta] = await this.storeRows<{ version: number }>(`SELECT version FROM "StoreMeta" WHERE id = 1`);
    const [feed] = await this.storeRows<{ offset: number; spoolId: string | null }>(`SELECT "offset", "spoolId" FROM "FeedState" WHERE host = '${JOB_HOST}'`);
    const units = await this.storeRows<StoreUnit>(`SELECT host, path, "execId", status, version FROM "Unit" ORDER BY path`);
    const runs = await this.storeRows<StoreRun>(`SELECT "execId", unit, status, "startSeq", "lastSeq" FROM "Run" WHERE host = '${JOB_HOST}' ORDER BY "startSeq"`);
    return { version: meta.version, offset: feed?.offset ?? 0, spoolId: feed?.spoolId ?? null, units, runs };
  }


  /** The job host's last spool sequence: when the store's offset reaches it, everything was applied. */
  spoolLastSeq(): number {
    const db = new Database(this.jobSpoolFile, { readonly: true, fileMustExist: true });
    try {
      // The spool's events table is AUTOINCREMENT: its sequence is the last one written, even after a prune.
      return (db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'events'`).get() as { seq: number } | undefined)?.seq ?? 0;
    } finally {
      db.close();
    }
  }

  async destroy(): Promise<void> {
    for (const f of this.flows) f.halt();
    await this.pool?.end();
    await Promise.all([...this.daemons].map((d) => this.kill(d)));
    this.net.destroy(); // also kills the jobs still running inside the nodes
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Jobs flowing on the job host: a `jobscope exec` every few hundred
 * milliseconds, each on a unit of its own (so every run stays visible in a
 * snapshot), lasting a second, every fourth ending abnormally. At most a few
 * run at once: on a busy machine the flow slows down instead of piling up.
 */
export class JobFlow {
  readonly jobs: { unit: string; exitCode: number; startedAt: number; result?: RunResult }[] = [];
  private pending = new Set<Promise<unknown>>();
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(
    private cluster: ConsoleCluster,
    readonly prefix: string,
    private everyMs = 500,
    private maxRunning = 2,
  ) {
    cluster.flows.add(this);
  }

  start(): this {
    this.loop = (async () => {
      while (!this.stopped) {
        if (this.pending.size < this.maxRunning) this.launch();
        await new Promise((r) => setTimeout(r, this.everyMs));
      }
    })();
    return this;
  }

  private launch(): void {
    const n = this.jobs.length;
    const job: JobFlow['jobs'][number] = { unit: `${this.prefix}/j${String(n).padStart(4, '0')}`, exitCode: n % 4 === 3 ? 5 : 0, startedAt: Date.now() };
    this.jobs.push(job);
    const running = this.cluster.exec(job.unit, `sleep 1; exit ${job.exitCode}`).then((r) => (job.result = r));
    this.pending.add(running);
    void running.finally(() => this.pending.delete(running));
  }

  /** Starts no more jobs. */
  halt(): void {
    this.stopped = true;
  }

  /** Starts no more jobs and waits for the running ones to end. */
  async stop(): Promise<void> {
    this.halt();
    await this.loop;
    await Promise.all([...this.pending]);
    this.cluster.flows.delete(this);
  }

  /** The status each job's exit code means (no thresholds: 0 normal, anything else abnormal). */
  static expectedStatus(exitCode: number): Status {
    return exitCode === 0 ? 'NORMAL' : 'ABNORMAL';
  }
}
