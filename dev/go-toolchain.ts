/**
 * A Go toolchain for building the Temporal CLI on a machine that has none: the official release,
 * fetched the way `go` itself switches toolchains, as the module golang.org/toolchain from the Go
 * module proxy, and checked against the same hash the Go checksum database publishes for it.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

/** The newest 1.25 release when written; the CLI's go.mod asks for Go 1.25.0 or later. */
export const GO_VERSION = 'go1.25.14';

/**
 * `h1:` hashes of golang.org/toolchain@v0.0.1-<GO_VERSION>.<platform>, from sum.golang.org
 * (`/lookup/golang.org/toolchain@v0.0.1-go1.25.14.linux-amd64` and so on).
 */
const CHECKSUMS: Record<string, string> = {
  'linux-amd64': 'h1:XriDgll2yv4W2YeUo2X/WuUuy+iGJkXGH0CQloMBEXo=',
  'linux-arm64': 'h1:tccCYNAEolyjUyQVNxD/wJuly2Sx85m+OUkzGIhO1oY=',
  'darwin-amd64': 'h1:k2nprmnbizjd95GkW1kNYlZeGqIamA7RwjLFeCism2s=',
  'darwin-arm64': 'h1:PlAcT2a+0968GlDi1bcw4eLomqqbBNGNuje3bTMvnaw=',
};

export interface GoToolchainOptions {
  /** The toolchain goes to `<cacheDir>/<version>`. */
  cacheDir: string;
  version?: string;
  /** `GOOS-GOARCH`; this machine's when absent. */
  platform?: string;
  /** The first http(s) entry of GOPROXY, else proxy.golang.org. */
  proxy?: string;
  checksums?: Record<string, string>;
  log?: (line: string) => void;
}

export class GoToolchainUnavailable extends Error {
  override name = 'GoToolchainUnavailable';
}

/** Node's names for CPU architectures where they differ from Go's. */
const GO_ARCH: Record<string, string> = { x64: 'amd64' };

function thisPlatform(): string {
  return `${process.platform}-${GO_ARCH[process.arch] ?? process.arch}`;
}

function moduleProxy(): string {
  const first = (process.env.GOPROXY ?? '').split(/[,|]/).find((entry) => /^https?:\/\//.test(entry));
  return (first ?? 'https://proxy.golang.org').replace(/\/+$/, '');
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, strictFileNames: true }, (error, zip) => (error ? reject(error) : resolve(zip))),
  );
}

function entryStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream))));
}

/**
 * Unpacks a module zip (every name under `<module>@<version>/`) into `into`, and returns its
 * `h1:` hash: Go's dirhash, the SHA-256 of the lines "<sha256 of the file>  <name>" sorted by name.
 */
export async function unpackModuleZip(file: string, prefix: string, into: string): Promise<string> {
  const zip = await openZip(file);
  const fileHashes = new Map<string, string>();
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', resolve);
      zip.on('entry', (entry: yauzl.Entry) => {
        void (async () => {
          // Module zips hold files only; a name outside the module's folder is not a toolchain.
          if (!entry.fileName.startsWith(prefix) || entry.fileName.endsWith('/')) {
            throw new GoToolchainUnavailable(`unexpected entry "${entry.fileName}" in ${path.basename(file)}`);
          }
          const target = path.join(into, entry.fileName.slice(prefix.length));
          await mkdir(path.dirname(target), { recursive: true });
          const hash = createHash('sha256');
          const hashed = async function* (chunks: AsyncIterable<Buffer>) {
            for await (const chunk of chunks) {
              hash.update(chunk);
              yield chunk;
            }
          };
          await pipeline(await entryStream(zip, entry), hashed, createWriteStream(target));
          fileHashes.set(entry.fileName, hash.digest('hex'));
          zip.readEntry();
        })().catch(reject);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  const names = [...fileHashes.keys()].sort();
  const summary = names.map((name) => `${fileHashes.get(name)}  ${name}\n`).join('');
  return `h1:${createHash('sha256').update(summary).digest('base64')}`;
}

/** Module zips keep no file modes; `go` marks these executable when it unpacks a toolchain. */
async function markExecutables(goroot: string): Promise<void> {
  const folders = [path.join(goroot, 'bin'), ...readdirSync(path.join(goroot, 'pkg', 'tool')).map((p) => path.join(goroot, 'pkg', 'tool', p))];
  for (const folder of folders) {
    for (const name of readdirSync(folder)) await chmod(path.join(folder, name), 0o755);
  }
}

/** The path of `go` in the project's cache, downloaded and verified on first use. */
export async function ensureGoToolchain(options: GoToolchainOptions): Promise<string> {
  const version = options.version ?? GO_VERSION;
  const platform = options.platform ?? thisPlatform();
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const goroot = path.join(options.cacheDir, version);
  const go = path.join(goroot, 'bin', 'go');
  if (existsSync(go)) return go;

  const expected = (options.checksums ?? CHECKSUMS)[platform];
  if (!expected) throw new GoToolchainUnavailable(`no checksum of ${version} for ${platform} is known here; install Go 1.25 or later yourself`);
  const moduleVersion = `v0.0.1-${version}.${platform}`;
  const url = `${options.proxy ?? moduleProxy()}/golang.org/toolchain/@v/${moduleVersion}.zip`;

  await mkdir(options.cacheDir, { recursive: true });
  // Downloaded and unpacked in a scratch folder and renamed when verified, so an interrupted or
  // tampered download never leaves a toolchain that looks usable.
  const scratch = mkdtempSync(path.join(options.cacheDir, 'download-'));
  try {
    log(`no Go toolchain found: downloading ${version} for ${platform} from ${url}…`);
    const response = await fetch(url);
    if (!response.ok || !response.body) throw new GoToolchainUnavailable(`GET ${url} answered ${response.status} ${response.statusText}`);
    const zipFile = path.join(scratch, 'toolchain.zip');
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), createWriteStream(zipFile));
    const unpacked = path.join(scratch, 'go');
    const actual = await unpackModuleZip(zipFile, `golang.org/toolchain@${moduleVersion}/`, unpacked);
    if (actual !== expected) {
      throw new GoToolchainUnavailable(`the Go toolchain at ${url} does not match its checksum (${actual}, expected ${expected}); nothing was kept`);
    }
    await markExecutables(unpacked);
    try {
      renameSync(unpacked, goroot);
    } catch (error) {
      // Another process (`npm start` beside `npm test`) finished the same download first.
      if (!existsSync(go)) throw error;
    }
    log(`${version} ready: ${go}`);
    return go;
  } catch (error) {
    if (error instanceof GoToolchainUnavailable) throw error;
    throw new GoToolchainUnavailable(`downloading ${version} from ${url} failed: ${(error as Error).message}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
