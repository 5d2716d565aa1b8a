/**
 * What a client of the web app sees when something goes wrong: a status code and one sentence.
 * Never a stack trace or an internal message: those go to the server log, under the request id
 * the answer carries, so a report from a user can be matched to the log line.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { WorkflowNotFoundError } from '@temporalio/common';
import { TaskRequestError } from '../client';

export interface ErrorBody {
  error: string;
  message: string;
  requestId: string;
}

/** Thrown by handlers for answers other than success; its message is shown as is. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

const reasons: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
};

/** `body.email must match format "email"`, `body.message is required`. */
function validationMessage(error: FastifyError): string {
  const [first] = error.validation ?? [];
  const where = error.validationContext ?? 'body';
  if (!first) return error.message;
  const { missingProperty, additionalProperty } = first.params as { missingProperty?: string; additionalProperty?: string };
  if (missingProperty) return `${where}.${missingProperty} is required`;
  if (additionalProperty) return `${where}.${additionalProperty} is not a known field`;
  const field = first.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const allowed = (first.params as { allowedValues?: unknown[] }).allowedValues;
  return `${field ? `${where}.${field}` : where} ${first.message}${allowed ? `: ${allowed.join(', ')}` : ''}`;
}

function send(reply: FastifyReply, request: FastifyRequest, statusCode: number, message: string) {
  const body: ErrorBody = { error: reasons[statusCode] ?? 'Error', message, requestId: String(request.id) };
  return reply.code(statusCode).type('application/json').send(body);
}

export function errorHandler(bodyLimitBytes: number) {
  const tooLarge = `the request body is larger than the limit of ${bodyLimitBytes} bytes`;
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error.validation) return send(reply, request, 400, validationMessage(error));
    if (error instanceof HttpError) return send(reply, request, error.statusCode, error.message);
    if (error instanceof TaskRequestError) return send(reply, request, 400, error.message);
    if (error instanceof WorkflowNotFoundError) return send(reply, request, 404, `no task with id "${error.workflowId}"`);
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return send(reply, request, 413, tooLarge);
    // Fastify's and the multipart plugin's own client errors (malformed JSON, wrong content
    // type…) carry a 4xx status and a message written for the client.
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return send(reply, request, status, error.message);
    request.log.error({ err: error }, 'request failed');
    return send(reply, request, 500, 'something went wrong on our side; it has been logged under this request id');
  };
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  return send(reply, request, 404, `no such endpoint: ${request.method} ${request.url.split('?')[0]}`);
}
