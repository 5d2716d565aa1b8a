/**
 * One HTTP GET as the guide's `requests.get(url, timeout=10)` + `raise_for_status()`, with the
 * outcome sorted into the guide's error classes:
 *
 * - network errors, timeouts, 5xx          → TemporaryError (retried by the catalogue policy)
 * - 429 / 503 with `Retry-After`           → TemporaryError that asks for exactly that delay
 * - other 4xx, non-http(s) URLs, oversize  → PermanentError (another attempt would fail the same way)
 *
 * Like requests' timeout, the limit is on silence (connecting, then the gap between chunks), not
 * on the whole transfer, so a large download on a slow but live connection is not cut off.
 */
import { PermanentError, TemporaryError } from '../common/errors';

export interface HttpGetOptions {
  /** Longest wait for the response headers or for the next chunk of the body. */
  idleTimeoutMs: number;
  /** The body is refused beyond this many bytes, whatever Content-Length claims. */
  maxBytes: number;
  /** The setting behind maxBytes, named in the refusal so people know what to raise. */
  maxBytesSetting: string;
  /** The task's signal (cancellation, soft time limit); aborts the request at once. */
  signal: AbortSignal;
  accept?: string;
}

export interface HttpBody {
  status: number;
  contentType: string;
  chunks: AsyncIterable<Uint8Array>;
}

export function checkHttpUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PermanentError(`"${url}" is not a URL; give an absolute http:// or https:// address`, { type: 'InvalidUrl' });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new PermanentError(`"${url}" uses the ${parsed.protocol} scheme; only http:// and https:// URLs are fetched`, {
      type: 'UnsupportedUrlScheme',
    });
  }
  return parsed;
}

/** `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function statusError(url: string, response: Response): Error {
  const { status, statusText } = response;
  const said = `GET ${url} answered ${status}${statusText ? ` ${statusText}` : ''}`;
  const details = { status, url };
  if (status === 429 || status === 503) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    if (retryAfterMs !== undefined) {
      return new TemporaryError(`${said}; retrying after the ${retryAfterMs / 1000}s it asked for`, {
        type: status === 429 ? 'HttpTooManyRequests' : 'HttpServerError',
        retryAfterMs,
        details,
      });
    }
  }
  // 429 is a 4xx, but "too many requests" is the definition of a temporary condition.
  if (status >= 500 || status === 429) {
    return new TemporaryError(`${said}; the server may recover, so the task will retry`, {
      type: status === 429 ? 'HttpTooManyRequests' : 'HttpServerError',
      details,
    });
  }
  return new PermanentError(`${said}; the request itself was refused, so retrying cannot help: check the URL`, {
    type: 'HttpClientError',
    details,
  });
}

function tooLarge(url: string, options: HttpGetOptions, seen: string): PermanentError {
  return new PermanentError(
    `GET ${url}: the response is ${seen}, more than the limit of ${options.maxBytes} bytes (${options.maxBytesSetting})`,
    { type: 'ResponseTooLarge', details: { url, limit: options.maxBytes } },
  );
}

/**
 * Sends the request and returns once a 2xx response has started; its body is read through
 * `chunks`, which enforces the size cap and the idle timeout and raises the same error classes.
 */
export async function httpGet(url: string, options: HttpGetOptions): Promise<HttpBody> {
  checkHttpUrl(url);
  const idle = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const armIdleTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(() => idle.abort(), options.idleTimeoutMs);
  };
  const signal = AbortSignal.any([options.signal, idle.signal]);

  const failure = (error: unknown): unknown => {
    clearTimeout(timer);
    if (options.signal.aborted) return options.signal.reason;
    if (error instanceof PermanentError || error instanceof TemporaryError) return error;
    if (idle.signal.aborted) {
      return new TemporaryError(`GET ${url}: no data for ${options.idleTimeoutMs / 1000}s`, { type: 'HttpTimeout', details: { url } });
    }
    // fetch() reports every network problem as "fetch failed"; the reason is in its cause.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    return new TemporaryError(`GET ${url} failed: ${reason}`, { type: 'HttpNetworkError', details: { url } });
  };

  armIdleTimer();
  let response: Response;
  try {
    response = await fetch(url, { signal, headers: options.accept ? { accept: options.accept } : {} });
  } catch (error) {
    throw failure(error);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw failure(statusError(url, response));
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > options.maxBytes) {
    await response.body.cancel();
    throw failure(tooLarge(url, options, `${declared} bytes by its Content-Length`));
  }

  const body = response.body;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    let received = 0;
    try {
      for await (const chunk of body) {
        armIdleTimer();
        received += chunk.byteLength;
        // Content-Length can lie or be absent (chunked encoding): count what actually arrives.
        if (received > options.maxBytes) throw tooLarge(url, options, `over ${received} bytes so far`);
        yield chunk;
      }
    } catch (error) {
      throw failure(error);
    } finally {
      // Leaving the loop early (oversize, a reader that gave up) has already cancelled the transfer.
      clearTimeout(timer);
    }
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', chunks: chunks() };
}
