// Definitions as GET /api/v1/definitions returns them.
import type { IconName } from '../../server/domain/icons';
import type { FeedProblem } from '../../server/domain/feed-problems';

// The map fields are always sent; they are optional here so that definitions
// written by hand (tests) need not name them. A cell is both x and y, or neither.

export interface Scope {
  id: number;
  name: string;
  comment: string | null;
  /** Always sent by the server; the View draws the default icon without one. */
  icon?: IconName;
  parentId: number | null;
  /** The cell on the parent scope's map; null: placed automatically. */
  mapX?: number | null;
  mapY?: number | null;
  hasWebhook?: boolean;
  /** Where the scope's mail goes ([]: no mail). */
  /** Whether it mails; the recipients themselves only for those who may change them. */
  hasMail?: boolean;
  mailTo?: string[];
  /** What notifies through its webhook and mail: abnormal, warning, flags, comma-separated. */
  webhookFilter?: string;
  hasBackground?: boolean;
}

export interface MonitoringObject {
  id: number;
  name: string;
  comment: string | null;
  /** Always sent by the server; the View draws the default icon without one. */
  icon?: IconName;
  scopeId: number;
  host: string;
  unit: string;
  mapX?: number | null;
  mapY?: number | null;
  /** Whether an expectation is set (GET /api/v1/objects/:id/expectation has it). */
  hasExpectation?: boolean;
}

export interface RegisteredHost {
  name: string;
  address: string;
  feedPort: number;
}

export interface Definitions {
  scopes: Scope[];
  objects: MonitoringObject[];
  hosts: RegisteredHost[];
}

/** GET /api/v1/hosts: the registry with the feed's health. */
export interface HostHealth extends RegisteredHost {
  lastContactAt: string | null;
  /** Pulled only while a monitoring object names it; otherwise not stale, just not watched. */
  watched: boolean;
  stale: boolean;
  /** Why the console last failed to pull or store its feed. */
  lastError: FeedProblem | null;
  /** How many monitoring objects name the host. */
  objects: number;
  /** Events the feed had that the console had not applied at the last contact; null before one. */
  pending: number | null;
  /** The feed token: sent to admins only. */
  token?: string;
  /** How the console checks the feed's TLS; null: plain http. */
  tls: { kind: 'ca'; subjects: string[] } | { kind: 'pin'; fingerprint: string } | null;
}
