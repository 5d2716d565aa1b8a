/** The data converter of client and worker: plain JSON, or encrypted when a key is configured. */
import type { DataConverter } from '@temporalio/common';
import type { Config } from '../common/config';
import { AesGcmCodec } from './aes-gcm-codec';

export const encryptedFailureConverterPath = require.resolve('./failure-converter');

export function dataConverterFor(config: Config): DataConverter | undefined {
  if (!config.payloadEncryptionKey) return undefined;
  return {
    payloadCodecs: [new AesGcmCodec(config.payloadEncryptionKey)],
    failureConverterPath: encryptedFailureConverterPath,
  };
}
