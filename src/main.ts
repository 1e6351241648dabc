import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { AppConfig, appConfig } from './config/app-config';
import { configureApp } from './configure-app';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule, {
    bodyParser: false,
    bufferLogs: true,
    // Let boot errors reach the handler below, which exits with a failure status.
    abortOnError: false,
  });
  configureApp(app);
  const port = app.get<AppConfig>(appConfig.KEY).PORT;
  await app.listen(port);
  Logger.log(
    `Context Services listening on http://localhost:${port} (Swagger UI at /docs)`,
    'Bootstrap',
  );
}

bootstrap().catch((error: unknown) => {
  // Errors while building the application (a bad setting, an unreachable database) were already logged by
  // Nest's ExceptionHandler; only later ones (such as a port in use) still need reporting.
  if (!(error instanceof Error && /Invalid configuration|Unable to connect/.test(error.message))) {
    console.error(error);
  }
  process.exit(1);
});
