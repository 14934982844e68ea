// Preloaded into the platform API by the benchmarks (`node --import <this> dist/main.js`);
// the API itself is not changed.
// Both talk to the parent through files in $BENCH_API_CONTROL_DIR (a temporary directory):
// - The network guard: a connection or DNS lookup to anything but loopback is refused. What
//   was attempted is written to <dir>/net.json whenever it changes.
// - CPU profiling on request: <dir>/profile-start (holding a file name) starts V8's sampling
//   CPU profiler (what --cpu-prof records, at the same 1 ms interval) and writes
//   "<file>.started"; <dir>/profile-stop stops it and writes the profile (.cpuprofile JSON) to
//   the file. So a profile covers exactly the load windows, not boot or setup.
// - A forced garbage collection on request: <dir>/gc (holding a file name) runs a full GC
//   (`gc()`, the API is started with --expose-gc; without it, the inspector's
//   HeapProfiler.collectGarbage) and writes process.memoryUsage() and V8's heap spaces after
//   it, as JSON, to the file. The API has no such endpoint; this exists only in the benchmark's preload.
import { existsSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import v8 from 'node:v8';
import { installNetGuard } from './net-guard.mjs';

const guard = installNetGuard();
const controlDir = process.env.BENCH_API_CONTROL_DIR;
if (controlDir) {
  const netLog = path.join(controlDir, 'net.json');
  let written = -1;
  const write = () => {
    const n = guard.connections.length + guard.lookups.length + guard.blocked.length;
    if (n === written) return;
    written = n;
    try {
      writeFileSync(netLog, JSON.stringify({ connections: guard.connections, lookups: guard.lookups, blocked: guard.blocked }));
    } catch {
      // the parent reports a missing log
    }
  };
  write();
  setInterval(write, 500).unref();
  process.on('exit', write);
}

/** @type {Session | null} */
let session = null;
/** @type {string | null} */
let profiling = null;
let busy = false;
let again = false;

// Requests arrive as files: <dir>/profile-start holds the target file, <dir>/profile-stop ends
// it, <dir>/gc asks for a collection. (Not a signal: Nest's shutdown hooks listen to SIGUSR2,
// and SIGUSR1 opens the inspector.)
if (controlDir) {
  const watcher = watch(controlDir, () => {
    if (busy) {
      again = true; // look again when the current step is done
      return;
    }
    busy = true;
    void (async () => {
      do {
        again = false;
        await step();
      } while (again);
    })()
      .catch((error) => process.stderr.write(`bench preload: profiler: ${error instanceof Error ? error.message : String(error)}\n`))
      .finally(() => {
        busy = false;
      });
  });
  watcher.unref();
}

/** A full collection, then what the process holds (written to `file`). */
async function collectGarbage(/** @type {string} */ file) {
  const gc = /** @type {{ gc?: () => void }} */ (globalThis).gc;
  let how = 'gc()';
  if (typeof gc === 'function') {
    // Twice: the second one also frees what the first one's finalizers released.
    gc();
    gc();
  } else {
    how = 'inspector HeapProfiler.collectGarbage';
    if (!session) {
      session = new Session();
      session.connect();
    }
    await session.post('HeapProfiler.collectGarbage');
    await session.post('HeapProfiler.collectGarbage');
  }
  // Let the memory reducer return the freed pages before the parent reads VmRSS.
  await new Promise((r) => setTimeout(r, 200));
  const heapSpaces = v8.getHeapSpaceStatistics().map((x) => ({ name: x.space_name, size: x.space_size, used: x.space_used_size }));
  writeFileSync(file, JSON.stringify({ how, memoryUsage: process.memoryUsage(), heapSpaces }));
}

async function step() {
  const dir = /** @type {string} */ (controlDir);
  if (existsSync(path.join(dir, 'gc'))) {
    const file = readFileSync(path.join(dir, 'gc'), 'utf8').trim();
    rmSync(path.join(dir, 'gc'), { force: true });
    if (path.isAbsolute(file)) await collectGarbage(file);
  }
  if (profiling === null && existsSync(path.join(dir, 'profile-start'))) {
    // The parent renames a complete file into place; still, never act on an empty name.
    const file = readFileSync(path.join(dir, 'profile-start'), 'utf8').trim();
    if (!path.isAbsolute(file)) return;
    rmSync(path.join(dir, 'profile-start'), { force: true });
    if (!session) {
      session = new Session();
      session.connect();
    }
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 1000 });
    await session.post('Profiler.start');
    profiling = file;
    writeFileSync(`${file}.started`, '');
  } else if (profiling !== null && session && existsSync(path.join(dir, 'profile-stop'))) {
    rmSync(path.join(dir, 'profile-stop'), { force: true });
    const { profile } = await session.post('Profiler.stop');
    await session.post('Profiler.disable');
    writeFileSync(profiling, JSON.stringify(profile));
    profiling = null;
  }
}
