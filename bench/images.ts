/**
 * optimizeImage against the guide's own Pillow code, on the same photo set, in one run.
 *
 *   npx tsx bench/images.ts
 *
 * The set (20 photo-like JPEGs and PNGs, 2–16 MP, some with alpha) is generated once into
 * .cache/bench-images/source. Each side works on its own copy, because both rewrite files in place.
 * - ours: optimizeImageFile (the task's code without Temporal), 2 images in flight.
 * - guide: the body of `optimize_image` from the guide, verbatim, Pillow from PyPI in a venv at
 *   .cache/bench-venv (created when missing); once in 1 process, once in a multiprocessing pool of
 *   2 processes, which is what a Celery worker with --concurrency=2 would do on the same 2 cores.
 * Three alternating rounds; each side's best round counts (the machine may be shared).
 * Prints images/s for both, the ratio, and the total bytes each side wrote.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../common/config';
import { optimizeImageFile } from '../activities/images';
import { syntheticPhoto } from '../test/helpers/images';

const root = path.join(projectRoot, '.cache', 'bench-images');
const sourceDir = path.join(root, 'source');
const venv = path.join(projectRoot, '.cache', 'bench-venv');
const python = path.join(venv, 'bin', 'python');
const CONCURRENCY = 2;
const ROUNDS = 3;

/** [width, height, format, alpha] */
const SET: [number, number, 'jpeg' | 'png', boolean][] = [
  [4000, 3000, 'jpeg', false], [3000, 4000, 'jpeg', false], [4608, 3456, 'jpeg', false], [4032, 3024, 'jpeg', false],
  [4000, 3000, 'jpeg', false], [3264, 2448, 'jpeg', false], [2448, 3264, 'jpeg', false], [4000, 2250, 'jpeg', false],
  [6000, 4000, 'jpeg', false], [2400, 1600, 'jpeg', false], [1920, 1080, 'jpeg', false], [1600, 1200, 'jpeg', false],
  [4000, 3000, 'jpeg', false], [3000, 2000, 'jpeg', false],
  [2560, 1600, 'png', false], [2000, 2000, 'png', true], [3000, 2000, 'png', true], [1600, 1200, 'png', true],
  [2200, 1400, 'png', false], [1200, 900, 'png', true],
];

// The guide's optimize_image body, unchanged apart from dropping the Celery decorator and retry.
const PILLOW_SCRIPT = `
import os, sys, time
from multiprocessing import Pool
from PIL import Image

def optimize_image(image_path):
    img = Image.open(image_path)

    # Уменьшаем размер если больше 2000px
    max_size = (2000, 2000)
    if img.size[0] > max_size[0] or img.size[1] > max_size[1]:
        img.thumbnail(max_size, Image.Resampling.LANCZOS)

    # Конвертируем в RGB если RGBA
    if img.mode == 'RGBA':
        img = img.convert('RGB')

    # Сохраняем с оптимизацией
    img.save(image_path, optimize=True, quality=85)

    return f"Оптимизировано: {os.path.getsize(image_path)} байт"

if __name__ == '__main__':
    folder, processes = sys.argv[1], int(sys.argv[2])
    files = sorted(os.path.join(folder, name) for name in os.listdir(folder))
    with Pool(processes) as pool:
        pool.map(abs, range(processes))  # start the workers before the clock
        started = time.perf_counter()
        pool.map(optimize_image, files, chunksize=1)
        print(time.perf_counter() - started)
`;

async function photoSet(): Promise<string[]> {
  await mkdir(sourceDir, { recursive: true });
  const names: string[] = [];
  for (const [i, [width, height, format, alpha]] of SET.entries()) {
    const name = `photo-${String(i + 1).padStart(2, '0')}-${width}x${height}.${format === 'jpeg' ? 'jpg' : 'png'}`;
    names.push(name);
    const file = path.join(sourceDir, name);
    if (existsSync(file)) continue;
    const image = syntheticPhoto(width, height, i + 1, alpha ? 4 : 3);
    // Camera-like JPEG quality; PNGs as an editor would save them.
    await (format === 'jpeg' ? image.jpeg({ quality: 92 }) : image.png()).toFile(file);
  }
  return names;
}

async function freshCopy(side: string): Promise<string> {
  const dir = path.join(root, side);
  await rm(dir, { recursive: true, force: true });
  await cp(sourceDir, dir, { recursive: true });
  return dir;
}

async function totalBytes(dir: string, names: string[]): Promise<number> {
  let total = 0;
  for (const name of names) total += (await stat(path.join(dir, name))).size;
  return total;
}

function ensurePillow(): string {
  if (!existsSync(python)) execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
  try {
    execFileSync(python, ['-c', 'import PIL'], { stdio: 'ignore' });
  } catch {
    execFileSync(python, ['-m', 'pip', 'install', '--quiet', 'Pillow'], { stdio: 'inherit' });
  }
  return execFileSync(python, ['-c', 'import PIL; print(PIL.__version__)'], { encoding: 'utf8' }).trim();
}

async function runOurs(dir: string, names: string[]): Promise<number> {
  const queue = names.map((name) => path.join(dir, name));
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, slot) => {
      for (let file = queue.shift(); file; file = queue.shift()) {
        await optimizeImageFile(file, { maxPixels: 50_000_000, temporaryKey: `bench-${slot}` });
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

async function runGuide(dir: string, processes: number): Promise<number> {
  const script = path.join(root, 'guide_optimize_image.py');
  await writeFile(script, PILLOW_SCRIPT);
  return Number(execFileSync(python, [script, dir, String(processes)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim());
}

async function main() {
  const names = await photoSet();
  const pillowVersion = ensurePillow();
  const sourceBytes = await totalBytes(sourceDir, names);

  // The machine is shared: alternate the two sides and keep each one's best round.
  const guideRounds: number[] = [];
  const guideSingleRounds: number[] = [];
  const oursRounds: number[] = [];
  let guideDir = '';
  let oursDir = '';
  for (let round = 1; round <= ROUNDS; round++) {
    guideSingleRounds.push(await runGuide(await freshCopy('guide'), 1));
    guideDir = await freshCopy('guide');
    guideRounds.push(await runGuide(guideDir, CONCURRENCY));
    oursDir = await freshCopy('ours');
    oursRounds.push(await runOurs(oursDir, names));
    const seconds = [guideSingleRounds, guideRounds, oursRounds].map((r) => r.at(-1)!.toFixed(2));
    console.log(`round ${round}: guide ×1 ${seconds[0]} s, guide ×${CONCURRENCY} ${seconds[1]} s, ours ${seconds[2]} s`);
  }
  const guideSingleSeconds = Math.min(...guideSingleRounds);
  const guideSeconds = Math.min(...guideRounds);
  const oursSeconds = Math.min(...oursRounds);
  const guideBytes = await totalBytes(guideDir, names);
  const oursBytes = await totalBytes(oursDir, names);

  const rate = (seconds: number) => names.length / seconds;
  console.log(`${names.length} photos (${SET.filter((s) => s[2] === 'jpeg').length} JPEG, ${SET.filter((s) => s[2] === 'png').length} PNG), ${(sourceBytes / 1e6).toFixed(1)} MB in`);
  console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`guide (Pillow ${pillowVersion}, 1 process):   ${guideSingleSeconds.toFixed(2)} s, ${rate(guideSingleSeconds).toFixed(2)} images/s`);
  console.log(`guide (Pillow ${pillowVersion}, ${CONCURRENCY} processes): ${guideSeconds.toFixed(2)} s, ${rate(guideSeconds).toFixed(2)} images/s, ${guideBytes} bytes out`);
  console.log(`ours  (sharp, ${CONCURRENCY} in flight):        ${oursSeconds.toFixed(2)} s, ${rate(oursSeconds).toFixed(2)} images/s, ${oursBytes} bytes out`);
  for (const ext of ['.jpg', '.png']) {
    const some = names.filter((name) => name.endsWith(ext));
    console.log(`  ${ext} bytes out: guide ${await totalBytes(guideDir, some)}, ours ${await totalBytes(oursDir, some)}`);
  }
  console.log(
    `speed: ${(guideSeconds / oursSeconds).toFixed(2)}× the guide on ${CONCURRENCY} processes, ` +
      `${(guideSingleSeconds / oursSeconds).toFixed(2)}× the guide on 1; output: ${((oursBytes / guideBytes) * 100).toFixed(1)}% of the guide's bytes`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
