export declare const root: string;
export declare const prismaBin: string;
export type Provider = 'sqlite' | 'postgresql';
export declare const PROVIDERS: Record<Provider, { config: string; schema: string; migrations: string }>;
export declare function prismaEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
export declare function runPrisma(args: string[], extraEnv?: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }>;
export declare function migrationsToSchema(provider: Provider, options?: { url?: string; schema?: string }): Promise<string>;
