import { Logger } from '@nestjs/common';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server as HttpsServer } from 'node:https';
import { createSecureContext, SecureContextOptions } from 'node:tls';

/** The certificate chain and private key the service serves HTTPS with, as read from their files. */
export interface TlsFiles {
  TLS_CERT_FILE?: string;
  TLS_KEY_FILE?: string;
}

export interface TlsCredentials {
  cert: Buffer;
  key: Buffer;
}

function readPem(variable: string, file: string, label: RegExp, what: string): Buffer {
  let content: Buffer;
  try {
    content = readFileSync(file);
  } catch (error) {
    throw new Error(`${variable}: cannot read ${file} (${(error as NodeJS.ErrnoException).code})`);
  }
  if (!label.test(content.toString('latin1'))) {
    throw new Error(`${variable}: ${file} holds no PEM ${what}`);
  }
  return content;
}

/** Node's own TLS layer is the judge of what it can serve with. */
function usable(variable: string, file: string, what: string, options: SecureContextOptions): void {
  try {
    createSecureContext(options);
  } catch (error) {
    throw new Error(`${variable}: ${file} is not ${what} (${(error as Error).message})`);
  }
}

/**
 * Reads and checks `TLS_CERT_FILE` and `TLS_KEY_FILE` (PEM): undefined when neither is set (plain HTTP).
 * Throws a message naming the variable at fault: one set without the other, a file that cannot be read or
 * holds no PEM block of its kind, or a key that is not the certificate's.
 */
export function readTlsCredentials(files: TlsFiles): TlsCredentials | undefined {
  const { TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile } = files;
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    throw new Error(
      `${certFile === undefined ? 'TLS_CERT_FILE' : 'TLS_KEY_FILE'} must be set with ` +
        `${certFile === undefined ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE'} (both PEM files, or neither)`,
    );
  }
  const cert = readPem('TLS_CERT_FILE', certFile, /-----BEGIN CERTIFICATE-----/, 'certificate');
  const key = readPem('TLS_KEY_FILE', keyFile, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'private key');
  usable('TLS_CERT_FILE', certFile, 'a usable certificate', { cert });
  usable('TLS_KEY_FILE', keyFile, 'a usable private key', { key });
  if (!new X509Certificate(cert).checkPrivateKey(createPrivateKey(key))) {
    throw new Error(
      `TLS_KEY_FILE: ${keyFile} is not the private key of TLS_CERT_FILE's certificate`,
    );
  }
  return { cert, key };
}

/**
 * SIGHUP reads the files again (a renewed certificate) and gives them to the server for new connections;
 * connections already open keep theirs. Files that do not check out leave the current pair in place, and
 * the log says why.
 */
export function reloadTlsOnSighup(server: HttpsServer, files: TlsFiles): void {
  const logger = new Logger('TLS');
  process.on('SIGHUP', () => {
    try {
      server.setSecureContext(readTlsCredentials(files)!);
      logger.log(`reloaded ${files.TLS_CERT_FILE} and ${files.TLS_KEY_FILE}`);
    } catch (error) {
      logger.error(`kept the current certificate: ${(error as Error).message}`);
    }
  });
}
