/**
 * Photo-like test images: smooth gradients, some structure and sensor-like noise, so encoders
 * and resizers do realistic work (pure noise or flat colour would not). Deterministic per seed.
 */
import zlib from 'node:zlib';
import sharp, { type Sharp } from 'sharp';

export function syntheticPhoto(width: number, height: number, seed = 1, channels: 3 | 4 = 3): Sharp {
  const pixels = Buffer.alloc(width * height * channels);
  let state = seed * 2654435761;
  const noise = () => {
    state = (state * 1103515245 + 12345) >>> 0;
    return ((state >>> 16) & 31) - 16;
  };
  const fx = 6 + (seed % 5);
  const fy = 4 + (seed % 3);
  const across = Float64Array.from({ length: width }, (_, x) => Math.sin((x / width) * fx * Math.PI + seed));
  const down = Float64Array.from({ length: height }, (_, y) => Math.cos((y / height) * fy * Math.PI));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const v = y / height;
      const wave = across[x] * down[y];
      const at = (y * width + x) * channels;
      pixels[at] = clamp(255 * u * 0.7 + 60 * wave + noise());
      pixels[at + 1] = clamp(255 * v * 0.6 + 50 * wave + 40 + noise());
      pixels[at + 2] = clamp(200 - 120 * u * v + 70 * wave + noise());
      // Transparent on the left, opaque on the right: flattening must show white on the left.
      if (channels === 4) pixels[at + 3] = x < width / 2 ? 0 : 255;
    }
  }
  return sharp(pixels, { raw: { width, height, channels } });
}

function clamp(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : value;
}

/**
 * A decompression bomb: a valid PNG header announcing width × height pixels, with almost no data.
 * Anything that decodes it before checking the size would try to allocate width × height × 3 bytes.
 */
export function pngBomb(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.alloc(1024))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
