export declare const root: string;
export declare const SOURCE: string;
export declare const POSTGRESQL: string;
export declare function postgresqlSchema(source: string): string;
export declare function expectedPostgresqlSchema(): string;
