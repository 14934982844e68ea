// A parent process of a stack: starts the MongoDB-wire server and an API-less child, prints their
// pids, then waits to be signalled (the test sends SIGINT or SIGTERM and looks for orphans).
import { startMongoWire, startProcess } from '../dist/index.js';

const mongo = await startMongoWire();
const sleeper = startProcess('sleeper', process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { cwd: process.cwd(), env: { PATH: process.env.PATH } });
console.log(JSON.stringify({ mongo: mongo.process.pid, sleeper: sleeper.pid, url: mongo.url }));
setInterval(() => {}, 1000);
