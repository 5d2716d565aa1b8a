/**
 * The one place that builds connections to Temporal. The client (app code, CLI, web app) and the
 * worker use different connection classes but the same address, TLS and API key settings.
 */
import { readFileSync } from 'node:fs';
import { Connection, type ConnectionOptions, type TLSConfig } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { Config } from './config';

function tlsOptions(config: Config): TLSConfig | undefined {
  const tls = config.temporal.tls;
  if (!tls) return undefined;
  return {
    serverNameOverride: tls.serverNameOverride,
    serverRootCACertificate: tls.serverRootCaCertPath ? readFileSync(tls.serverRootCaCertPath) : undefined,
    clientCertPair:
      tls.clientCertPath && tls.clientKeyPath
        ? { crt: readFileSync(tls.clientCertPath), key: readFileSync(tls.clientKeyPath) }
        : undefined,
  };
}

function sharedOptions(config: Config): ConnectionOptions & NativeConnectionOptions {
  return { address: config.temporal.address, tls: tlsOptions(config), apiKey: config.temporal.apiKey };
}

export function connectClient(config: Config): Promise<Connection> {
  return Connection.connect(sharedOptions(config));
}

export function connectWorker(config: Config): Promise<NativeConnection> {
  return NativeConnection.connect(sharedOptions(config));
}
