import { Logger } from '@nestjs/common';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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

/** The console's page, uncached so that a new build shows at once; for /console/ and every deep link. */
function consolePage(request: FastifyRequest, reply: FastifyReply) {
  // A missing asset is a 404, not the page: only paths without a file extension are deep links.
  if (/\.[a-z0-9]+$/i.test(request.url.split('?')[0])) return reply.callNotFound();
  return reply.sendFile('index.html');
}

/**
 * The journey console (console/, a Preact application) as static files at /console, and its page for every
 * deep link under it (`/console/customers/…`) so that a reload shows the same view. Hashed assets are cached
 * for good. These are plain Fastify routes: they never reach the API's guards. Without a build (a
 * development run that skipped `npm run build:console`) the service runs without it, and says so.
 * `@fastify/static` does the file serving.
 */
export function registerConsole(fastify: FastifyInstance): void {
  if (!existsSync(path.join(CONSOLE_DIR, 'index.html'))) {
    new Logger('Console').warn(`no console build in ${CONSOLE_DIR}: run npm run build:console`);
    return;
  }
  void fastify.register(fastifyStatic, {
    root: CONSOLE_DIR,
    prefix: `${CONSOLE_PATH}/`,
    // One route per built file; everything else under /console is the page (below).
    wildcard: false,
    index: false,
    // Every answer with a file passes here, the page's too (sendFile): a header set before it would be
    // overwritten. The page names the build's assets, so it must be asked for again each time; the assets'
    // names change with their content, so they are kept for good.
    setHeaders: (reply, file) => {
      void reply.header(
        'Cache-Control',
        path.basename(file) === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
      );
    },
  });
  fastify.get(CONSOLE_PATH, consolePage);
  fastify.get(`${CONSOLE_PATH}/*`, consolePage);
}
