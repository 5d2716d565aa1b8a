/**
 * Celery's canvas, typed: signatures (`quiz.tasks.x.s(...)`, `.si(...)`), `chain`, `group` and
 * `chord`, nestable, started with `.applyAsync(options)` / `.delay()` like a single task.
 *
 *   const { downloadFile, processFile, sendNotification } = quiz.tasks;
 *   await chain(downloadFile.s(url), processFile.s(), sendNotification.s('admin@quiz-code.com')).delay();
 *
 * The compiler checks that every step accepts what the step before it returns; the same tree
 * built from JSON (command line, web app) is checked at run time by `checkCanvas` before it starts.
 * Execution is one `canvas` workflow (workflows/canvas.ts).
 */
import type { TaskArgs, TaskName, TaskResult } from '../tasks/catalogue';
import type { CanvasNode, ChordNode, GroupNode, TaskNode } from '../workflows/canvas';
import { checkTaskArgs } from './check-arguments';
import { TaskRequestError } from './errors';
import type { TaskHandle } from './handle';
import type { ApplyOptions } from './task-client';

declare const noParent: unique symbol;
declare const resultType: unique symbol;
declare const inputType: unique symbol;

/** What a canvas accepts when nothing runs before it: only such canvases can be started. */
export type NoParent = typeof noParent;

/** Starts a checked canvas tree; the TaskClient is one. */
export interface CanvasStarter {
  applyCanvas(canvas: CanvasNode, options?: ApplyOptions): Promise<TaskHandle>;
}

/**
 * A composition returning `R`. `In` is what it can take from a step before it (its first
 * argument), or `NoParent` when it can run first; both when both fit.
 */
export interface Canvas<R, In> {
  readonly node: CanvasNode;
  /** Compile-time only. */
  readonly [resultType]?: R;
  /** Compile-time only; a function parameter, so a step accepting `unknown` accepts anything. */
  readonly [inputType]?: (input: In) => void;
  applyAsync(this: Canvas<R, NoParent>, options?: ApplyOptions): Promise<TaskHandle<R>>;
  delay(this: Canvas<R, NoParent>): Promise<TaskHandle<R>>;
}

/** A group's result is the list of its members' results, in order; a chord needs one. */
export interface Group<R extends unknown[], In> extends Canvas<R, In> {
  readonly node: GroupNode;
}

type AnyCanvas = Canvas<any, any>;
export type ResultOf<C> = C extends Canvas<infer R, any> ? R : never;
export type InputOf<C> = C extends Canvas<any, infer In> ? In : never;

/** A task's parameters after the first, which a previous step supplies. */
export type TailArgs<P extends unknown[]> = P extends [any, ...infer Rest] ? Rest : never;

/** A signature given `A` can run first if `A` is the full list, after a step if `A` is the tail. */
type SignatureInput<P extends unknown[], A extends unknown[]> =
  | (A extends P ? NoParent : never)
  | (P extends [infer First, ...infer Rest] ? (A extends Rest ? First : never) : never);

export type Signature<K extends TaskName, A extends unknown[]> = Canvas<TaskResult<K>, SignatureInput<TaskArgs<K>, A>>;

/** What `Task<K>` gains for composing (see client/task-client.ts). */
export interface SignatureFactory<K extends TaskName> {
  /** Celery's `.s()`: all arguments, or all but the first when a previous step supplies it. */
  s<A extends TaskArgs<K> | TailArgs<TaskArgs<K>>>(...args: A): Signature<K, A>;
  /** Celery's `.si()`: immutable, all arguments; a previous step's result is ignored. */
  si(...args: TaskArgs<K>): Canvas<TaskResult<K>, unknown>;
}

/** Each step after the first must accept what the step before it returns. */
type Followers<Prev, S extends readonly AnyCanvas[]> = S extends readonly [infer Next extends AnyCanvas, ...infer Rest extends AnyCanvas[]]
  ? [Canvas<unknown, Prev>, ...Followers<ResultOf<Next>, Rest>]
  : [];
type Linked<S extends readonly AnyCanvas[]> = S extends readonly [infer First extends AnyCanvas, ...infer Rest extends AnyCanvas[]]
  ? [unknown, ...Followers<ResultOf<First>, Rest>]
  : never;
type Last<S extends readonly unknown[]> = S extends readonly [...unknown[], infer L] ? L : never;

type Results<S extends readonly AnyCanvas[]> = { -readonly [I in keyof S]: ResultOf<S[I]> };
/** Every member of a group receives the same previous result, so it must suit them all. */
type CommonInput<S extends readonly AnyCanvas[]> = [S[number]] extends [Canvas<any, infer In>] ? In : never;

class Composition<R, In> implements Canvas<R, In> {
  constructor(
    readonly node: CanvasNode,
    readonly starter: CanvasStarter,
  ) {}

  applyAsync(options?: ApplyOptions): Promise<TaskHandle<R>> {
    return this.starter.applyCanvas(this.node, options) as Promise<TaskHandle<R>>;
  }

  delay(): Promise<TaskHandle<R>> {
    return this.applyAsync();
  }
}

export function signatureFactory<K extends TaskName>(task: K, starter: CanvasStarter): SignatureFactory<K> {
  return {
    s: (...args) => new Composition({ kind: 'task', task, args }, starter),
    si: (...args) => new Composition({ kind: 'task', task, args, immutable: true }, starter),
  };
}

function starterOf(parts: readonly AnyCanvas[], what: string): CanvasStarter {
  const first = parts[0];
  if (!(first instanceof Composition)) throw new TaskRequestError(`${what} needs at least one signature`);
  return first.starter;
}

/** Celery's `chain(a.s(x), b.s(), c.s(y))`: in order, each result the next step's first argument. */
export function chain<const S extends readonly [AnyCanvas, ...AnyCanvas[]]>(...steps: S & Linked<S>): Canvas<ResultOf<Last<S>>, InputOf<S[0]>> {
  return new Composition({ kind: 'chain', steps: steps.map((step) => step.node) }, starterOf(steps, 'a chain'));
}

/** Celery's `group(a.s(1), a.s(2))`: in parallel; the result lists every member's result in order. */
export function group<const S extends readonly [AnyCanvas, ...AnyCanvas[]]>(...members: S): Group<Results<S>, CommonInput<S>> {
  const node: GroupNode = { kind: 'group', members: members.map((member) => member.node) };
  return new Composition(node, starterOf(members, 'a group')) as unknown as Group<Results<S>, CommonInput<S>>;
}

/** Celery's `chord(group, callback)`: the callback's first argument is the group's list of results. */
export function chord<G extends Group<any, any>, B extends AnyCanvas>(
  header: G,
  body: B & Canvas<unknown, ResultOf<G>>,
): Canvas<ResultOf<B>, InputOf<G>> {
  if (header.node?.kind !== 'group') throw new TaskRequestError('a chord starts with a group');
  const node: ChordNode = { kind: 'chord', header: header.node.members, body: body.node };
  return new Composition(node, starterOf([header], 'a chord'));
}

/**
 * Checks a canvas tree (typed or built from JSON) before anything starts: its shape, every
 * task's name, and every task's arguments as its position dictates (a step with a previous
 * step gets its first argument from it). Returns the tree as the workflow expects it.
 */
export function checkCanvas(tree: unknown): CanvasNode {
  return check(tree, 'canvas', false);
}

function check(node: unknown, at: string, receivesParent: boolean): CanvasNode {
  if (typeof node !== 'object' || node === null) throw new TaskRequestError(`${at}: expected a task, chain, group or chord`);
  const { kind } = node as { kind?: unknown };
  switch (kind) {
    case 'task': {
      const { task, args = [], immutable = false } = node as Partial<TaskNode>;
      if (typeof task !== 'string') throw new TaskRequestError(`${at}: "task" must be a task name`);
      if (typeof immutable !== 'boolean') throw new TaskRequestError(`${at}: "immutable" must be true or false`);
      checkTaskArgs(task, args, { at, receivesParent: receivesParent && !immutable });
      return immutable ? { kind, task, args, immutable } : { kind, task, args };
    }
    case 'chain': {
      const steps = listOf(node, 'steps', at);
      return { kind, steps: steps.map((step, i) => check(step, `${at} > chain step ${i + 1}`, i > 0 || receivesParent)) };
    }
    case 'group': {
      const members = listOf(node, 'members', at);
      return { kind, members: members.map((member, i) => check(member, `${at} > group member ${i + 1}`, receivesParent)) };
    }
    case 'chord': {
      const header = listOf(node, 'header', at);
      return {
        kind,
        header: header.map((member, i) => check(member, `${at} > chord member ${i + 1}`, receivesParent)),
        body: check((node as { body?: unknown }).body, `${at} > chord callback`, true),
      };
    }
    default:
      throw new TaskRequestError(`${at}: unknown kind ${JSON.stringify(kind)}; expected "task", "chain", "group" or "chord"`);
  }
}

function listOf(node: object, field: string, at: string): unknown[] {
  const list = (node as Record<string, unknown>)[field];
  if (!Array.isArray(list) || list.length === 0) throw new TaskRequestError(`${at}: "${field}" must be a non-empty list`);
  return list;
}
