import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

export interface ChildGateway {
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
}

/**
 * The built gateway in its own process as `npm start` runs it, on a free port of 127.0.0.1.
 * It is found through its "gateway listening" log line, so LOG_LEVEL must stay at info or below.
 */
export async function startChildGateway(env: Record<string, string>): Promise<ChildGateway> {
  const childEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env };
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gateway did not start:\n${out}`));
    }, 30_000);
    child.stdout!.on('data', () => {
      const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)\/graphql"/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`gateway exited early:\n${out}`));
    });
  });
  return { url, child, exited, output: () => out };
}
