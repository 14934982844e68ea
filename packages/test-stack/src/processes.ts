// The child processes of a stack: spawned with their output kept (the last lines in memory for
// error messages, optionally all of it in a log file or echoed with a prefix), stopped with
// SIGTERM then SIGKILL. Everything started here is also stopped when this process exits or gets
// SIGINT, SIGTERM or SIGHUP, so an interrupted run leaves no server behind.
import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';

export interface ProcessOptions {
  cwd: string;
  /** The whole environment of the child: nothing of this process's is added. */
  env: NodeJS.ProcessEnv;
  /** Every line the process prints goes to this file too. */
  logFile?: string;
  /** Every line the process prints is echoed here, each after this prefix (e.g. `[api]`). */
  echo?: string;
  /** An IPC channel (`child.send`, 'message'), as `fork` opens for a Node module. */
  ipc?: boolean;
}

export interface StackProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  /** The last lines the process printed (for failure messages). */
  tail(): string;
  /** The first lines the process printed, then its last ones. */
  printed(): string;
  exited(): boolean;
  /** SIGTERM (an orderly shutdown), then SIGKILL when it is still running after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
  /** SIGKILL: the process dies at once, as in a crash. */
  kill(): Promise<void>;
}

/** Something to stop on the way out; processes and in-process servers alike. */
interface Stoppable {
  stop(): Promise<void>;
}

const running = new Set<Stoppable>();
const children = new Set<ChildProcess>();
let hooksInstalled = false;
let stopping: Promise<void> | undefined;

function killChildrenNow(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // Last resort: whatever is still running when this process exits dies with it.
  process.on('exit', killChildrenNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      const code = signal === 'SIGINT' ? 130 : 143;
      if (stopping) {
        // A second signal while stopping: no more waiting.
        killChildrenNow();
        process.exit(code);
      }
      void stopAll().finally(() => process.exit(code));
    });
  }
}

/** Registers something to stop with `stopAll()` (and on exit or a signal); returns it. */
export function register<T extends Stoppable>(thing: T): T {
  installHooks();
  running.add(thing);
  return thing;
}

/** Stops everything this process started through this package, the newest first. */
export function stopAll(): Promise<void> {
  stopping ??= (async () => {
    for (const thing of [...running].reverse()) {
      await thing.stop().catch(() => undefined);
      running.delete(thing);
    }
  })().finally(() => {
    stopping = undefined;
  });
  return stopping;
}

function echoLines(prefix: string, out: NodeJS.WriteStream): (d: Buffer) => void {
  let buffered = '';
  return (d) => {
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) out.write(`${prefix} ${line}\n`);
  };
}

export function startProcess(name: string, command: string, args: string[], options: ProcessOptions): StackProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  }) as ChildProcessByStdio<null, Readable, Readable>;
  if (child.pid === undefined) {
    // spawn reports a missing executable asynchronously, through 'error'.
    child.on('error', () => undefined);
    throw new Error(`${name}: could not start ${command}`);
  }
  installHooks();
  children.add(child);
  const log = options.logFile ? createWriteStream(options.logFile) : undefined;
  let first = '';
  let recent = '';
  const keep = (d: Buffer) => {
    log?.write(d);
    if (first.length < 16_000) first += d.toString();
    recent = (recent + d.toString()).slice(-8000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  if (options.echo !== undefined) {
    child.stdout.on('data', echoLines(options.echo, process.stdout));
    child.stderr.on('data', echoLines(options.echo, process.stderr));
  }
  const closed = new Promise<void>((resolve) => {
    child.once('exit', () => {
      children.delete(child);
      if (log) log.end(() => resolve());
      else resolve();
    });
  });
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const handle: StackProcess = {
    name,
    child,
    pid: child.pid,
    tail: () => recent,
    printed: () => `${first}\n${recent}`,
    exited,
    stop: async (timeoutMs = 5000) => {
      if (!exited()) {
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.kill('SIGTERM');
        await closed;
        clearTimeout(timer);
      }
      await closed;
      running.delete(handle);
    },
    kill: async () => {
      if (!exited()) child.kill('SIGKILL');
      await closed;
      running.delete(handle);
    },
  };
  return register(handle);
}

/** What tells that a process is ready: an HTTP answer below 500 (a redirect counts), or a line it prints. */
export type Readiness = { url: string } | { line: RegExp };

/**
 * Waits until `process` is ready, failing early when it exits and after `timeoutMs`. For a line,
 * resolves with its match (everything the process printed since it started counts).
 */
export async function waitUntilReady(process: StackProcess, readiness: Readiness, timeoutMs = 60_000): Promise<RegExpExecArray | undefined> {
  const deadline = Date.now() + timeoutMs;
  const what = 'url' in readiness ? ` at ${readiness.url}` : '';
  for (;;) {
    if ('line' in readiness) {
      const m = readiness.line.exec(process.printed());
      if (m) return m;
    }
    if (process.exited()) {
      throw new Error(`${process.name} exited (${process.child.exitCode ?? process.child.signalCode}) before it was ready:\n${process.tail()}`);
    }
    if ('url' in readiness) {
      try {
        const res = await fetch(readiness.url, { redirect: 'manual', signal: AbortSignal.timeout(2000) });
        await res.body?.cancel();
        if (res.status < 500) return undefined;
      } catch {
        // not listening yet
      }
    }
    if (Date.now() > deadline) throw new Error(`${process.name} was not ready${what} after ${timeoutMs / 1000} s:\n${process.tail()}`);
    await new Promise((r) => setTimeout(r, 'url' in readiness ? 150 : 50));
  }
}
