/**
 * optimizeImage on real generated images: a 4000×3000 JPEG, an RGBA PNG, small and WebP inputs;
 * a second run changes nothing; bad inputs (not an image, truncated, decompression bomb, outside
 * the media folder) fail at once and leave the original byte-for-byte as it was.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { pngBomb, syntheticPhoto } from './helpers/images';
import { startWorld, type World } from './helpers/world';
import { failure } from './helpers/failure';

let world: World;
let mediaDir: string;
beforeAll(async () => {
  world = await startWorld({ env: { IMAGE_MAX_PIXELS: String(20_000_000) } });
  mediaDir = world.config.paths.mediaDir;
  await mkdir(mediaDir, { recursive: true });
});
afterAll(() => world?.close());

async function optimize(name: string) {
  return (await world.client.tasks.optimizeImage.delay(name)).result();
}

/** Compares files by digest: jest's toEqual walks a Buffer byte by byte, seconds per megabyte. */
async function digestOf(file: string | Buffer): Promise<string> {
  return createHash('sha256').update(typeof file === 'string' ? await readFile(file) : file).digest('hex');
}

async function leftovers(): Promise<string[]> {
  return (await readdir(mediaDir)).filter((name) => name.endsWith('.part'));
}

test('a 4000×3000 JPEG: fitted into 2000×1500 with Lanczos, smaller, still JPEG; a second run changes nothing', async () => {
  const file = path.join(mediaDir, 'photo.jpg');
  await syntheticPhoto(4000, 3000).jpeg({ quality: 95 }).toFile(file);
  const originalBytes = (await readFile(file)).length;

  const result = await optimize('photo.jpg');
  expect(result).toMatchObject({ file, format: 'jpeg', width: 2000, height: 1500, originalBytes, changed: true });
  expect(result.bytes).toBeLessThan(originalBytes);
  expect(result.message).toBe(`Оптимизировано: ${result.bytes} байт`);
  const once = await readFile(file);
  expect(once.length).toBe(result.bytes);
  const meta = await sharp(once).metadata();
  expect(meta).toMatchObject({ format: 'jpeg', width: 2000, height: 1500, channels: 3 });

  const again = await optimize('photo.jpg');
  expect(again).toMatchObject({ changed: false, bytes: result.bytes, width: 2000, height: 1500 });
  expect(await digestOf(file)).toBe(await digestOf(once));
  expect(await leftovers()).toEqual([]);
});

/** Peak signal-to-noise ratio of two same-sized 8-bit images, in dB: above 40 the difference is invisible. */
async function psnr(a: Buffer, b: Buffer): Promise<number> {
  const [x, y] = await Promise.all([a, b].map((image) => sharp(image).removeAlpha().raw().toBuffer()));
  expect(x.length).toBe(y.length);
  let squares = 0;
  for (let i = 0; i < x.length; i++) squares += (x[i] - y[i]) ** 2;
  return 10 * Math.log10((255 * 255) / (squares / x.length));
}

test.each([
  [4032, 3024, 2000, 1500],
  [5000, 3750, 2000, 1500],
])('a %i×%i JPEG decoded at reduced size looks the same as one decoded whole and reduced with Lanczos', async (width, height, outWidth, outHeight) => {
  const file = path.join(mediaDir, `camera-${width}.jpg`);
  await syntheticPhoto(width, height, 5).jpeg({ quality: 92 }).toFile(file);
  const original = await readFile(file);
  const result = await optimize(path.basename(file));
  expect(result).toMatchObject({ width: outWidth, height: outHeight, changed: true });

  const reference = await sharp(original).resize(2000, 2000, { fit: 'inside', kernel: 'lanczos3' }).jpeg({ quality: 85 }).toBuffer();
  expect(await psnr(await readFile(file), reference)).toBeGreaterThan(40);
});

test('an RGBA PNG: alpha flattened onto white, RGB, still PNG; a second run changes nothing', async () => {
  const file = path.join(mediaDir, 'logo.png');
  await syntheticPhoto(1200, 800, 2, 4).png().toFile(file);
  const result = await optimize('logo.png');
  expect(result).toMatchObject({ format: 'png', width: 1200, height: 800, changed: true });

  const once = await readFile(file);
  const { data, info } = await sharp(once).raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(3);
  expect((await sharp(once).metadata()).hasAlpha).toBe(false);
  expect([...data.subarray(0, 3)]).toEqual([255, 255, 255]); // was fully transparent

  await optimize('logo.png');
  expect(await digestOf(file)).toBe(await digestOf(once));
});

test('a small image is never enlarged; WebP stays WebP, AVIF stays AVIF', async () => {
  await syntheticPhoto(640, 480, 3).jpeg({ quality: 98 }).toFile(path.join(mediaDir, 'small.jpg'));
  await syntheticPhoto(2400, 1000, 4).webp({ quality: 95 }).toFile(path.join(mediaDir, 'wide.webp'));
  // AVIF encoding is slow (seconds per megapixel): a thin strip still needs resizing.
  await syntheticPhoto(2100, 210, 5).avif({ quality: 90, effort: 0 }).toFile(path.join(mediaDir, 'wide.avif'));
  await expect(optimize('small.jpg')).resolves.toMatchObject({ width: 640, height: 480, format: 'jpeg' });
  await expect(optimize('wide.webp')).resolves.toMatchObject({ width: 2000, height: 833, format: 'webp', changed: true });
  await expect(optimize('wide.avif')).resolves.toMatchObject({ width: 2000, height: 200, format: 'avif', changed: true });
  expect((await sharp(path.join(mediaDir, 'wide.webp')).metadata()).format).toBe('webp');
  expect((await sharp(path.join(mediaDir, 'wide.avif')).metadata())).toMatchObject({ format: 'heif', compression: 'av1' });
});

describe('bad input: a clear failure, not retried, the original untouched', () => {
  async function expectRefused(name: string, content: Buffer, type: string, message: string | RegExp) {
    const file = path.join(mediaDir, name);
    await writeFile(file, content);
    const error = await failure(optimize(name));
    expect(error.type).toBe(type);
    expect(error.nonRetryable).toBe(true);
    expect(error.message).toMatch(message);
    expect(await digestOf(file)).toBe(await digestOf(content));
    expect(await leftovers()).toEqual([]);
  }

  test('not an image', async () => {
    await expectRefused('notes.jpg', Buffer.from('this is a text file, not a photo\n'), 'NotAnImage', /notes\.jpg is not an image sharp can read/);
  });

  test('a truncated JPEG', async () => {
    const whole = await syntheticPhoto(1600, 1200, 5).jpeg().toBuffer();
    await expectRefused('cut.jpg', whole.subarray(0, whole.length / 2), 'CorruptImage', /cut\.jpg is damaged: its image data cannot be decoded/);
  });

  test('a truncated PNG', async () => {
    const whole = await syntheticPhoto(800, 600, 6).png().toBuffer();
    await expectRefused('cut.png', whole.subarray(0, whole.length / 2), 'CorruptImage', /cut\.png is damaged/);
  });

  test('a decompression bomb (100000×100000 announced in a 1 KB file) is refused before decoding', async () => {
    await expectRefused(
      'bomb.png',
      pngBomb(100_000, 100_000),
      'ImageTooLarge',
      'is 100000×100000 = 10000000000 pixels, more than the limit of 20000000 (IMAGE_MAX_PIXELS); refused before decoding',
    );
  });

  test('a format it does not handle (GIF)', async () => {
    const gif = await syntheticPhoto(64, 64, 7).gif().toBuffer();
    await expectRefused('anim.gif', gif, 'UnsupportedImageFormat', /is a gif image; optimizeImage handles jpeg, png, webp, avif/);
  });

  test.each([['../outside.jpg'], ['/etc/hostname'], ['link.jpg']])('%p is outside the media folder', async (userPath) => {
    const outside = path.join(world.config.paths.varDir, 'outside.jpg');
    const content = await syntheticPhoto(2200, 100, 8).jpeg().toBuffer();
    await writeFile(outside, content);
    await symlink(outside, path.join(mediaDir, 'link.jpg')).catch(() => undefined);
    const error = await failure(optimize(userPath));
    expect(error.type).toBe('PathOutsideFolder');
    expect(error.message).toContain(`${userPath} is outside the media folder (MEDIA_DIR)`);
    expect(await digestOf(outside)).toBe(await digestOf(content));
  });
});
