// Definitions as GET /api/v1/definitions returns them.

export interface Scope {
  id: number;
  name: string;
  comment: string | null;
  parentId: number | null;
}

export interface MonitoringObject {
  id: number;
  name: string;
  comment: string | null;
  scopeId: number;
  host: string;
  unit: string;
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
  lastError: string | null;
}
