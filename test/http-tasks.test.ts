/**
 * fetchDataFromApi against a real HTTP server in the test process: 5xx retried until it works,
 * 4xx not retried, 429's Retry-After honoured to the second, non-JSON and oversized bodies refused,
 * only http(s) URLs, network errors and silence retried.
 */
import { tsToMs } from '@temporalio/common/lib/time';
import { createTaskClient } from '../client';
import { parseRetryAfter } from '../activities/http-get';
import { startWorld, type World } from './helpers/world';
import { json, TestHttpServer } from './helpers/http-server';
import { failure } from './helpers/failure';

let http: TestHttpServer;
let world: World;
beforeAll(async () => {
  http = await new TestHttpServer().start();
  world = await startWorld({
    env: { HTTP_MAX_RESPONSE_BYTES: '1000', HTTP_REQUEST_TIMEOUT_MS: '1000' },
    // A short default delay: a test that waits seconds can only be waiting for Retry-After.
    policies: { fetchDataFromApi: { defaultRetryDelay: '100ms' } },
  });
});
afterAll(async () => {
  await world?.close();
  await http?.stop();
});

test('500 twice, then 200: the third attempt returns the JSON body', async () => {
  const url = http.on('/flaky', (_req, res, hit) => (hit <= 2 ? json(res, 500, { error: 'down' }) : json(res, 200, { users: [1, 2] })));
  const handle = await world.client.tasks.fetchDataFromApi.delay(url);
  await expect(handle.result()).resolves.toEqual({ users: [1, 2] });
  expect(http.hitTimes('/flaky')).toHaveLength(3);
});

test('404 fails at once, naming the status and the URL', async () => {
  const url = http.on('/missing', (_req, res) => json(res, 404, { error: 'not found' }));
  const error = await failure((await world.client.tasks.fetchDataFromApi.delay(url)).result());
  expect(error.message).toBe(`GET ${url} answered 404 Not Found; the request itself was refused, so retrying cannot help: check the URL`);
  expect(error.type).toBe('HttpClientError');
  expect(error.nonRetryable).toBe(true);
  expect(http.hitTimes('/missing')).toHaveLength(1);
});

test('429 with Retry-After: 2 → the next attempt comes 2 s later, not after the default delay', async () => {
  const url = http.on('/limited', (_req, res, hit) =>
    hit === 1 ? json(res, 429, { error: 'slow down' }, { 'retry-after': '2' }) : json(res, 200, { ok: true }),
  );
  const handle = await world.client.tasks.fetchDataFromApi.delay(url);
  await expect(handle.result()).resolves.toEqual({ ok: true });

  const [first, second] = http.hitTimes('/limited');
  expect(second - first).toBeGreaterThanOrEqual(1900);
  expect(second - first).toBeLessThan(3500);

  // Temporal's own record: the attempt that succeeded started ~2 s after the activity was scheduled.
  const { events } = await world.client.temporal.workflow.getHandle(handle.id).fetchHistory();
  const scheduled = events!.find((e) => e.activityTaskScheduledEventAttributes)!;
  const started = events!.find((e) => e.activityTaskStartedEventAttributes)!;
  expect(started.activityTaskStartedEventAttributes!.attempt).toBe(2);
  expect(started.activityTaskStartedEventAttributes!.lastFailure?.applicationFailureInfo?.type).toBe('HttpTooManyRequests');
  const gap = tsToMs(started.eventTime) - tsToMs(scheduled.eventTime);
  expect(gap).toBeGreaterThanOrEqual(2000);
  expect(gap).toBeLessThan(3500);
});

test('Retry-After as an HTTP date, or in seconds', () => {
  const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
  expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:30 GMT', now)).toBe(30_000);
  expect(parseRetryAfter('Wed, 21 Oct 2026 07:27:00 GMT', now)).toBe(0);
  expect(parseRetryAfter('120', now)).toBe(120_000);
  expect(parseRetryAfter('soon', now)).toBeUndefined();
  expect(parseRetryAfter(null, now)).toBeUndefined();
});

test('a body that is not JSON fails at once and says what it was', async () => {
  const url = http.on('/html', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>oops</html>'));
  const error = await failure((await world.client.tasks.fetchDataFromApi.delay(url)).result());
  expect(error.type).toBe('InvalidJson');
  expect(error.nonRetryable).toBe(true);
  expect(error.message).toContain(`GET ${url} answered 200 with a body that is not JSON (content-type "text/html", starts with "<html>oops</html>")`);
  expect(http.hitTimes('/html')).toHaveLength(1);
});

test.each([
  ['declared by Content-Length', '/big-declared', true],
  ['streamed without Content-Length', '/big-chunked', false],
])('a response larger than HTTP_MAX_RESPONSE_BYTES is refused (%s)', async (_label, path, declared) => {
  const body = JSON.stringify({ data: 'x'.repeat(5000) });
  const url = http.on(path, (_req, res) => {
    if (declared) return void res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
    res.writeHead(200, { 'content-type': 'application/json' });
    for (let i = 0; i < body.length; i += 500) res.write(body.slice(i, i + 500));
    res.end();
  });
  const error = await failure((await world.client.tasks.fetchDataFromApi.delay(url)).result());
  expect(error.type).toBe('ResponseTooLarge');
  expect(error.nonRetryable).toBe(true);
  expect(error.message).toContain('more than the limit of 1000 bytes (HTTP_MAX_RESPONSE_BYTES)');
});

test.each([
  ['ftp://example.com/data.json', 'uses the ftp: scheme; only http:// and https:// URLs are fetched', 'UnsupportedUrlScheme'],
  ['file:///etc/passwd', 'uses the file: scheme', 'UnsupportedUrlScheme'],
  ['not a url', 'is not a URL', 'InvalidUrl'],
])('%p is refused without a request', async (url, message, type) => {
  const error = await failure((await world.client.tasks.fetchDataFromApi.delay(url)).result());
  expect(error.message).toContain(message);
  expect(error.type).toBe(type);
  expect(error.nonRetryable).toBe(true);
});

describe('with one retry', () => {
  let client: Awaited<ReturnType<typeof createTaskClient>>;
  beforeAll(async () => {
    client = await createTaskClient({
      config: world.config,
      taskQueue: world.worker.taskQueue,
      policies: { fetchDataFromApi: { maxRetries: 1, defaultRetryDelay: '100ms' } },
    });
  });
  afterAll(() => client?.close());

  test('connection refused is retried, then reported as a network error', async () => {
    const closed = await new TestHttpServer().start();
    const url = closed.on('/gone', () => undefined);
    await closed.stop();
    const error = await failure((await client.tasks.fetchDataFromApi.delay(url)).result());
    expect(error.type).toBe('HttpNetworkError');
    expect(error.message).toBe(`GET ${url} failed: ECONNREFUSED`);
    expect(error.nonRetryable).toBe(false);
  });

  test('a server that stays silent past the request timeout is retried, then reported', async () => {
    const url = http.on('/silent', () => undefined);
    const error = await failure((await client.tasks.fetchDataFromApi.delay(url)).result());
    expect(error.type).toBe('HttpTimeout');
    expect(error.message).toBe(`GET ${url}: no data for 1s`);
    expect(http.hitTimes('/silent')).toHaveLength(2);
  });
});
