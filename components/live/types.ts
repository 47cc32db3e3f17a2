// What the manager sends over socket.io (see the socket contract in DESIGN.md §5).
import type { Status } from '../../server/domain/status';

export interface UnitState {
  host: string;
  unit: string;
  status: Status;
  runId: string | null;
  execId: string | null;
  startSeq: number;
  startedAt: string | null;
  endedAt: string | null;
  exitCode: number | null;
  node: string | null;
  reason: string | null;
}

export interface HostState {
  name: string;
  stale: boolean;
  lastContactAt: string | null;
}

/** Ack of 'subscribe': the whole picture as of store version `version`. */
export interface Snapshot {
  version: number;
  units: UnitState[];
  hosts: HostState[];
}

export interface UnitsDelta {
  version: number;
  prevVersion: number;
  units: UnitState[];
}

export interface HostsDelta {
  hosts: HostState[];
}
