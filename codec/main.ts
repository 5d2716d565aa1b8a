/** `npm run codec-server`: the Web UI's decode endpoint, for people who hold the key. */
import { loadConfig } from '../common/config';
import { AesGcmCodec } from './aes-gcm-codec';
import { startCodecServer } from './codec-server';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.payloadEncryptionKey) throw new Error('PAYLOAD_ENCRYPTION_KEY is not set: there is nothing to decode');
  const server = await startCodecServer({ codec: new AesGcmCodec(config.payloadEncryptionKey), ...config.codecServer });
  process.stdout.write(`codec endpoint for the Web UI: ${server.url} (start the UI with --ui-codec-endpoint ${server.url})\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void server.close());
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
