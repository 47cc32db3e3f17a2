// What the console manager sends browsers over socket.io: a snapshot on
// 'subscribe', then 'units' and 'hosts' deltas (docs/architecture.md, "Live path"), to admins a
// notice when one of their lists changed, and to a wall display what became of it
// (docs/architecture.md, "Displays"). One definition for both sides.
import type { Status } from './status';
import type { DisplaySettings } from './display-settings';
import type { UnitEntry } from './derive';
import type { FeedProblem } from './feed-problems';
import type { FlagKind } from './expectations/evaluate';

/**
 * The live protocol's version and its messages' names, for both sides: a client
 * emits SUBSCRIBE and gets a Snapshot as its answer, then hears the others.
 * A client that falls too far behind hears RESYNC instead of more deltas, and subscribes again.
 */
export const LIVE_PROTOCOL = 2;
export const LIVE_EVENTS = {
  subscribe: 'subscribe',
  units: 'units',
  hosts: 'hosts',
  flags: 'flags',
  definitions: 'definitions',
  adminChanged: 'admin:changed',
  resync: 'resync',
  display: 'display',
} as const;

/** What a refused handshake (its error message) or a refused request (`{ error }`) says. */
export const LIVE_ERRORS = {
  unauthorized: 'unauthorized',
  unknownScope: 'unknown-scope',
  badRequest: 'bad request',
  serverError: 'server error',
} as const;

/** A unit's latest run. */
export interface UnitState {
  host: string;
  unit: string;
  status: Status;
  runId: string | null;
  execId: string;
  startSeq: number;
  startedAt: string | null;
  endedAt: string | null;
  exitCode: number | null;
  node: string | null;
  reason: string | null;
  /** Who acknowledged this run's abnormal end. */
  ack: Acknowledgement | null;
}

export interface Acknowledgement {
  by: string;
  at: string;
  comment: string;
}

/** A unit's key where units of many hosts are kept together. */
export const unitKey = (host: string, unit: string) => `${host}\u0000${unit}`;

/** What the status tree keeps of a unit's latest run. */
export function unitEntryOf(u: UnitState): UnitEntry {
  return { status: u.status, runId: u.runId, startSeq: u.startSeq, ...(u.ack ? { acknowledged: true as const } : {}) };
}

/** Whether the console hears from a monitored host's feed. */
export interface HostState {
  name: string;
  stale: boolean;
  lastContactAt: string | null;
  /**
   * How far behind the console was at the last contact: events the host's feed
   * had (its last sequence) that the store had not yet committed. Absent before
   * the first contact.
   */
  pending?: number;
  /** Why the console last failed to pull or store this host's feed; null once it flows. */
  error?: FeedProblem | null;
}

/**
 * What 'subscribe' asks for: the units of the objects in a business scope and the
 * scopes below it, or (scope null or absent) of every watched host.
 */
export interface SubscribeRequest {
  scope?: number | null;
  /** false: no units at all, only every object's derived entry (a wall of tiles, the hosts page). Default true. */
  units?: boolean;
}

/** A monitoring object's unit as the manager derives it from the units below it (every object, whatever the subscription). */
export interface ObjectEntry extends UnitEntry {
  host: string;
  unit: string;
}

/** Ack of 'subscribe': the picture as of store version `version`. */
export interface Snapshot {
  protocol: typeof LIVE_PROTOCOL;
  version: number;
  /** The subscription's units. */
  units: UnitState[];
  /** Every monitoring object's derived entry. */
  objects: ObjectEntry[];
  hosts: HostState[];
  /** The objects (of the subscription's reach) with flags raised now; absent: none. */
  flags?: ObjectFlags[];
}

/**
 * A snapshot as it travels: a large one carries its units and objects as `gzipped`, the
 * gzip-compressed UTF-8 JSON of `{units, objects}` in a binary attachment, made once however
 * many clients ask for it at once (a failover's reconnecting screens), and about a tenth of its
 * JSON's size.
 */
export type SnapshotAnswer = Snapshot | (Omit<Snapshot, 'units' | 'objects'> & { gzipped: ArrayBuffer | Uint8Array });

/** The snapshot an answer holds, decompressed and decoded (the browser's and Node's own gzip streams). */
export async function readSnapshot(answer: SnapshotAnswer): Promise<Snapshot> {
  if (!('gzipped' in answer)) return answer;
  const { gzipped, ...rest } = answer;
  const json = new Blob([gzipped as ArrayBuffer]).stream().pipeThrough(new DecompressionStream('gzip'));
  const { units, objects } = JSON.parse(await new Response(json).text()) as Pick<Snapshot, 'units' | 'objects'>;
  return { ...rest, units, objects };
}

/** 'units': what committed batches changed since prevVersion, within the subscription. */
export interface UnitsDelta {
  version: number;
  prevVersion: number;
  units: UnitState[];
  /** Objects whose derived entry changed (any subscription). */
  objects?: ObjectEntry[];
}

/** A flag raised on a monitoring object, on top of its status (docs/architecture.md, "Expectations"). */
export interface FlagState {
  kind: FlagKind;
  /** The occurrence's expected start (ISO 8601, UTC): with the kind and the object, the flag's identity. */
  occurrence: string;
  dueAt: string;
  ack: Acknowledgement | null;
}

/** An object's flags raised now; none: an empty list. */
export interface ObjectFlags {
  objectId: number;
  flags: FlagState[];
}

/** 'flags': objects whose flags changed, each with all of its flags now (it replaces what the client had). */
export interface FlagsDelta {
  objects: ObjectFlags[];
}

/** 'hosts': host states that changed. */
export interface HostsDelta {
  hosts: HostState[];
}

/** The lists of the Users page, the audit log and the Displays page. */
export const ADMIN_LISTS = ['users', 'sessions', 'audit', 'displays'] as const;
export type AdminList = (typeof ADMIN_LISTS)[number];

export function isAdminList(value: unknown): value is AdminList {
  return typeof value === 'string' && (ADMIN_LISTS as readonly string[]).includes(value);
}

/** 'admin:changed', to admins only: the list changed; the browser fetches it again. */
export interface AdminChanged {
  list: AdminList;
}

/** An enrolled wall display as its screen knows itself. */
export interface DisplayView {
  id: number;
  name: string;
  /** The console host it belongs to (it follows the host through failovers). */
  consoleHost: string;
  /** The business scope it shows; null once that scope was deleted, until an admin moves it. */
  scope: { id: number; name: string } | null;
  settings: DisplaySettings;
}

/**
 * 'display', to a wall display's socket only: an admin changed it (name, settings or scope), or
 * revoked it. After a change of scope the socket also hears RESYNC and subscribes again (its
 * subscription always follows its scope); after a revocation the socket is closed and the
 * credential refused from then on.
 */
/** GET /api/v1/display: what a display's screen shows (its scope and the scopes below it, nothing else), and the View's build. */
export interface DisplayPicture {
  display: DisplayView;
  scopes: { id: number; name: string; parentId: number | null; icon: string }[];
  objects: { id: number; name: string; scopeId: number; host: string; unit: string; icon: string }[];
  /** The build of the View this console serves: a screen that loaded another reloads at a quiet moment. */
  build: string;
}

export type DisplayNotice = { state: 'changed'; display: DisplayView } | { state: 'revoked' };
