// Secrets for commands come from an environment variable or standard input,
// never from the command line (where every user of the machine could read them).
import readline from 'node:readline';

export async function readSecret(envName: string, what: string): Promise<string> {
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) process.stderr.write(`${what}: `);
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    if (line) return line;
  }
  throw new Error(`no ${what}: set ${envName} or give it on standard input`);
}
