import 'reflect-metadata';
import { setTimeout as sleep } from 'node:timers/promises';
import { ShutdownState } from './common/http/shutdown-state';
import { ConfigError, configFromProcessEnv } from './config/app-config';
import { createApp } from './configure-app';

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

async function bootstrap(): Promise<void> {
  // Validated before Nest starts, so a bad variable stops the boot with one clear message.
  const config = configFromProcessEnv();
  const app = await createApp(config, { bufferLogs: true, shutdownHooks: false });
  await app.listen(config.port, config.host);
  console.log(`dezky-platform-api listening on http://${config.host}:${config.port} (docs: /docs)`);

  // A signal first marks the process stopping (GET /health/ready answers 503), then it goes on
  // serving for SHUTDOWN_DRAIN_MS, so load balancers stop sending it requests before it closes;
  // then Nest's shutdown (event streams, change feed, MongoDB, the listeners), then the signal's
  // own end. A second signal while it drains ends it at once.
  const stop = async (signal: (typeof SIGNALS)[number]) => {
    app.get(ShutdownState).begin();
    if (config.shutdownDrainMs > 0) {
      console.log(`dezky-platform-api: ${signal}, draining for ${config.shutdownDrainMs} ms before closing`);
      await sleep(config.shutdownDrainMs);
    }
    try {
      await app.close();
    } finally {
      process.kill(process.pid, signal);
    }
  };
  for (const signal of SIGNALS) process.once(signal, () => void stop(signal));
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('dezky-platform-api failed to start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
