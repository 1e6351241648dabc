import { ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { TestCertificate } from './certificates';
import { freePort, killOutright } from './own-mariadb';

/** A TLS-terminating reverse proxy the test started, in front of a service on plain HTTP. */
export interface RunningProxy {
  /** The HTTPS port it listens on, on 127.0.0.1. */
  port: number;
  stop(): Promise<void>;
}

async function listening(port: number, child: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1')
        .once('connect', () => {
          socket.end();
          resolve(true);
        })
        .once('error', () => resolve(false));
      setTimeout(() => socket.destroy(), 200).unref();
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`${name} is not listening on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The README's example configuration as a test runs it: its listen ports, certificate and backend replaced
 * with the test's, nothing else changed.
 */
async function exampleConfig(file: string, replacements: [string, string][]): Promise<string> {
  let text = await readFile(path.join(__dirname, '..', '..', 'config', 'proxy', file), 'utf8');
  for (const [from, to] of replacements) {
    if (!text.includes(from)) throw new Error(`config/proxy/${file} no longer has "${from}"`);
    text = text.split(from).join(to);
  }
  return text;
}

/** config/proxy/haproxy.cfg (Debian's haproxy) in front of the service on `backendPort`. */
export async function startHaproxy(
  backendPort: number,
  certificate: TestCertificate,
): Promise<RunningProxy> {
  const [port, redirectPort] = [await freePort(), await freePort()];
  const dir = await mkdtemp(path.join(tmpdir(), 'cs-haproxy-'));
  const config = path.join(dir, 'haproxy.cfg');
  await writeFile(
    config,
    await exampleConfig('haproxy.cfg', [
      ['bind :443', `bind 127.0.0.1:${port}`],
      ['bind :80', `bind 127.0.0.1:${redirectPort}`],
      ['/etc/haproxy/certs/cs.pem', certificate.combined],
      ['127.0.0.1:3000', `127.0.0.1:${backendPort}`],
    ]),
  );
  const child = spawn('haproxy', ['-db', '-f', config], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await listening(port, child, 'haproxy');
  return { port, stop: () => killOutright(child) };
}

/** config/proxy/nginx.conf (Debian's nginx) in front of the service on `backendPort`. */
export async function startNginx(
  backendPort: number,
  certificate: TestCertificate,
): Promise<RunningProxy> {
  const [port, redirectPort] = [await freePort(), await freePort()];
  const dir = await mkdtemp(path.join(tmpdir(), 'cs-nginx-'));
  await mkdir(path.join(dir, 'logs'));
  const config = path.join(dir, 'nginx.conf');
  await writeFile(
    config,
    await exampleConfig('nginx.conf', [
      ['listen 443 ssl', `listen 127.0.0.1:${port} ssl`],
      ['listen 80', `listen 127.0.0.1:${redirectPort}`],
      ['/etc/nginx/certs/cs.crt', certificate.cert],
      ['/etc/nginx/certs/cs.key', certificate.key],
      ['127.0.0.1:3000', `127.0.0.1:${backendPort}`],
    ]),
  );
  // In the foreground, its pid and logs in the test's directory; as root its workers stay root, so they
  // can use that directory.
  const globals = `daemon off; pid ${dir}/nginx.pid; error_log stderr warn;${
    process.getuid?.() === 0 ? ' user root;' : ''
  }`;
  const child = spawn('nginx', ['-p', dir, '-c', config, '-g', globals], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await listening(port, child, 'nginx');
  return { port, stop: () => killOutright(child) };
}
