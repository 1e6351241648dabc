import { Logger } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** Where the console is served. */
export const CONSOLE_PATH = '/console';

/** The package root: the nearest folder above this file with a package.json (from src/ and from dist/). */
function packageRoot(): string {
  let directory = __dirname;
  while (!existsSync(path.join(directory, 'package.json'))) {
    const parent = path.dirname(directory);
    if (parent === directory) return process.cwd();
    directory = parent;
  }
  return directory;
}

/** Where `npm run build` puts the console (console/vite.config.mts). */
export const CONSOLE_DIR = path.join(packageRoot(), 'dist', 'console');

/**
 * The journey console (console/, a Preact application) as static files at /console, and its page for every
 * deep link under it (`/console/customers/…`) so that a reload shows the same view. Hashed assets are cached
 * for good; the page is revalidated, so a new build shows at once. Without a build (a development run that
 * skipped `npm run build:console`) the service runs without it, and says so. Express's own static
 * middleware (serve-static) does the file serving.
 */
export function consoleMiddleware(): express.Router | undefined {
  const index = path.join(CONSOLE_DIR, 'index.html');
  if (!existsSync(index)) {
    new Logger('Console').warn(`no console build in ${CONSOLE_DIR}: run npm run build:console`);
    return undefined;
  }
  const router = express.Router();
  router.use(
    CONSOLE_PATH,
    express.static(CONSOLE_DIR, {
      // The page itself is served below, uncached, for /console/ as for every deep link.
      index: false,
      setHeaders: (response) =>
        response.setHeader('Cache-Control', 'public, max-age=31536000, immutable'),
    }),
  );
  router.get(
    `${CONSOLE_PATH}{/*path}`,
    (request: Request, response: Response, next: NextFunction) => {
      // A missing asset is a 404, not the page: only paths without a file extension are deep links.
      if (/\.[a-z0-9]+$/i.test(request.path)) return next();
      response.setHeader('Cache-Control', 'no-cache');
      response.sendFile(index);
    },
  );
  return router;
}
