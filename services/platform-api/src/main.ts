import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { ConfigError, configFromProcessEnv } from './config/app-config';
import { configureApp } from './configure-app';

async function bootstrap(): Promise<void> {
  // Validated before Nest starts, so a bad variable stops the boot with one clear message.
  const config = configFromProcessEnv();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bufferLogs: true, bodyParser: false });
  configureApp(app);
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
