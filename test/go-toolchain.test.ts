/**
 * The Go toolchain the project downloads when a machine has none: its hash is Go's own, a download
 * that does not match is refused with nothing left behind, and a good one is unpacked runnable.
 * A real HTTP server stands in for the Go module proxy.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import yazl from 'yazl';
import { ensureGoToolchain, unpackModuleZip } from '../dev/go-toolchain';

const VERSION = 'go9.9.9';
const PLATFORM = 'testos-testarch';
const PREFIX = `golang.org/toolchain@v0.0.1-${VERSION}.${PLATFORM}/`;
const FAKE_GO = '#!/bin/sh\necho "go version go9.9.9 testos/testarch"\n';

function zipOf(files: Record<string, string>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(files)) zip.addBuffer(Buffer.from(content), name);
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

const toolchainFiles = {
  [`${PREFIX}bin/go`]: FAKE_GO,
  [`${PREFIX}pkg/tool/testos_testarch/compile`]: '#!/bin/sh\n',
  [`${PREFIX}src/fmt/print.go`]: 'package fmt\n',
};

let scratch: string;
let server: http.Server;
let proxy: string;
const served = new Map<string, Buffer>();
const requested: string[] = [];

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'go-toolchain-'));
  server = http.createServer((request, response) => {
    requested.push(request.url!);
    const body = served.get(request.url!);
    if (body) response.writeHead(200, { 'content-type': 'application/zip' }).end(body);
    else response.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(scratch, { recursive: true, force: true });
});

beforeEach(() => {
  served.clear();
  requested.length = 0;
});

const zipPath = `/golang.org/toolchain/@v/v0.0.1-${VERSION}.${PLATFORM}.zip`;

/** The h1 hash of the fake toolchain, by the function that sum.golang.org's own value checks below. */
async function fakeToolchainHash(zip: Buffer): Promise<string> {
  const dir = mkdtempSync(path.join(scratch, 'hash-'));
  const file = path.join(dir, 'toolchain.zip');
  writeFileSync(file, zip);
  return unpackModuleZip(file, PREFIX, path.join(dir, 'out'));
}

test("a module zip's hash is the one sum.golang.org publishes (rsc.io/quote v1.5.2)", async () => {
  const into = mkdtempSync(path.join(scratch, 'quote-'));
  const hash = await unpackModuleZip(path.join(__dirname, 'fixtures', 'rsc.io-quote-v1.5.2.zip'), 'rsc.io/quote@v1.5.2/', into);
  expect(hash).toBe('h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=');
  expect(readdirSync(into).sort()).toEqual(['LICENSE', 'README.md', 'buggy', 'go.mod', 'quote.go', 'quote_test.go']);
});

test('a verified toolchain is unpacked with runnable tools, once', async () => {
  const zip = await zipOf(toolchainFiles);
  served.set(zipPath, zip);
  const cacheDir = mkdtempSync(path.join(scratch, 'cache-'));
  const options = { cacheDir, version: VERSION, platform: PLATFORM, proxy, checksums: { [PLATFORM]: await fakeToolchainHash(zip) }, log: () => {} };

  const go = await ensureGoToolchain(options);
  expect(go).toBe(path.join(cacheDir, VERSION, 'bin', 'go'));
  expect(execFileSync(go, { encoding: 'utf8' })).toBe('go version go9.9.9 testos/testarch\n');
  expect(statSync(path.join(cacheDir, VERSION, 'pkg', 'tool', 'testos_testarch', 'compile')).mode & 0o111).toBe(0o111);
  expect(readdirSync(cacheDir)).toEqual([VERSION]); // the download's scratch folder is gone

  expect(await ensureGoToolchain(options)).toBe(go);
  expect(requested).toEqual([zipPath]);
});

test('a download that does not match its checksum is refused and nothing is kept', async () => {
  const genuine = await zipOf(toolchainFiles);
  served.set(zipPath, await zipOf({ ...toolchainFiles, [`${PREFIX}bin/go`]: '#!/bin/sh\necho tampered\n' }));
  const cacheDir = mkdtempSync(path.join(scratch, 'cache-'));
  const options = { cacheDir, version: VERSION, platform: PLATFORM, proxy, checksums: { [PLATFORM]: await fakeToolchainHash(genuine) }, log: () => {} };

  await expect(ensureGoToolchain(options)).rejects.toThrow(/does not match its checksum .*nothing was kept/);
  expect(readdirSync(cacheDir)).toEqual([]);
});

test('a zip with a file outside the module, a missing release and an unknown platform are clear errors', async () => {
  const cacheDir = mkdtempSync(path.join(scratch, 'cache-'));
  const options = { cacheDir, version: VERSION, platform: PLATFORM, proxy, checksums: { [PLATFORM]: 'h1:irrelevant' }, log: () => {} };

  served.set(zipPath, await zipOf({ ...toolchainFiles, 'elsewhere/bin/go': FAKE_GO }));
  await expect(ensureGoToolchain(options)).rejects.toThrow('unexpected entry "elsewhere/bin/go"');
  served.clear();
  await expect(ensureGoToolchain(options)).rejects.toThrow(`GET ${proxy}${zipPath} answered 404`);
  await expect(ensureGoToolchain({ ...options, platform: 'plan9-mips' })).rejects.toThrow('no checksum of go9.9.9 for plan9-mips is known here');
  expect(readdirSync(cacheDir)).toEqual([]);
});
