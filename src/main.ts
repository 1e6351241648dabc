import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { Environment } from './config/environment';
import { configureApp } from './configure-app';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule, { bodyParser: false, bufferLogs: true });
  configureApp(app);
  const port = app
    .get<ConfigService<Environment, true>>(ConfigService)
    .get('PORT', { infer: true });
  await app.listen(port);
  Logger.log(
    `Context Services listening on http://localhost:${port} (Swagger UI at /docs)`,
    'Bootstrap',
  );
}

bootstrap().catch((error: unknown) => {
  // Configuration errors already carry a readable message; anything else gets its stack.
  console.error(
    error instanceof Error && error.message.startsWith('Invalid configuration')
      ? error.message
      : error,
  );
  process.exit(1);
});
