// The rest of the code uses one Store type for both providers: the SQLite
// client's. The PostgreSQL client, generated from the same models, accepts
// more (e.g. case-insensitive filters, more isolation levels) and returns the
// same rows. So code that type-checks against the SQLite client only uses what both
// support, and the PostgreSQL client may stand in for it. This file proves
// that at compile time, operation by operation: `npx tsc` fails here if the
// two clients ever drift apart (e.g. a native type on one provider only).
import type { Prisma as Sqlite } from './generated/client.ts';
import type { Prisma as Postgres } from './generated-pg/client.ts';

type SqliteModels = Sqlite.TypeMap['model'];
type PostgresModels = Postgres.TypeMap['model'];
type Operations<Models, M> = M extends keyof Models ? (Models[M] extends { operations: infer O } ? O : never) : never;
type Args<Op> = Op extends { args: infer A } ? A : never;
type Result<Op> = Op extends { result: infer R } ? R : never;

type Fits<M extends keyof SqliteModels, S = Operations<SqliteModels, M>, P = Operations<PostgresModels, M>> = {
  [O in keyof S]: O extends keyof P
    ? [Args<S[O]>] extends [Args<P[O]>]
      ? [Result<P[O]>, Result<S[O]>] extends [Result<S[O]>, Result<P[O]>]
        ? true
        : `result of ${M & string}.${O & string} differs`
      : `arguments of ${M & string}.${O & string} differ`
    : `${M & string}.${O & string} is missing on PostgreSQL`;
};

// Results carry extension types that let extra keys through: compare the fields themselves too.
type Fields<Models, M> = M extends keyof Models ? (Models[M] extends { fields: infer F } ? F : never) : never;
type SameFields<M extends keyof SqliteModels, S = Fields<SqliteModels, M>, P = Fields<PostgresModels, M>> =
  [keyof S, keyof P] extends [keyof P, keyof S] ? ([S, P] extends [P, S] ? true : `fields of ${M & string} differ in type`) : `fields of ${M & string} differ`;

type Mismatches = {
  [M in keyof SqliteModels]: M extends keyof PostgresModels
    ? Exclude<Fits<M>[keyof Fits<M>] | SameFields<M>, true>
    : `model ${M & string} is missing on PostgreSQL`;
}[keyof SqliteModels];

// `never` when every operation fits; otherwise the error names the first mismatch.
const everyOperationFits: [Mismatches] extends [never] ? true : { mismatches: Mismatches } = true;
void everyOperationFits;
