import 'reflect-metadata';
import { ConfigError, configFromProcessEnv } from './config/app-config';
import { createApp } from './configure-app';

async function bootstrap(): Promise<void> {
  // Validated before Nest starts, so a bad variable stops the boot with one clear message.
  const config = configFromProcessEnv();
  const app = await createApp(config, { bufferLogs: true });
  await app.listen(config.port, config.host);
  console.log(`dezky-platform-api listening on http://${config.host}:${config.port} (docs: /docs)`);
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('dezky-platform-api failed to start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
