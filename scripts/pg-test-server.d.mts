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
export declare function startPgServer(): Promise<PgServer>;
