export declare const PG_BIN: string;
export interface PgFields {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}
export interface PgServer {
  url: string;
  fields: PgFields;
  dir: string;
  urlOf(database: string): string;
  stop(): Promise<void>;
}
export interface PgServerOptions {
  /** The one address it listens on (default 127.0.0.1). */
  listen?: string;
  /** A CIDR whose clients may log in with the password, beside 127.0.0.1. */
  allow?: string;
}
export declare function startPgServer(options?: PgServerOptions): Promise<PgServer>;
