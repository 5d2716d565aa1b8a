/**
 * Celery's canvas (chain, group, chord) as one durable workflow. The client builds a plain,
 * serialisable tree (client/canvas.ts) and starts `canvas` with it; every step is a catalogue task
 * run by `runTask`, so each keeps its own retries and time limits.
 *
 * - chain: steps in order, each receiving the previous result as its first argument;
 *   stops at the first failure, saying which step.
 * - group: members in parallel; every result in order. A failing member does not cancel the
 *   others; the outcome lists which members failed and why.
 * - chord: a group, then a callback receiving the list of the group's results.
 * Cancelling the workflow cancels the running steps and starts nothing further.
 */
import { ActivityFailure, ApplicationFailure, TimeoutFailure, isCancellation } from '@temporalio/workflow';
import type { PolicyOverrides, TaskArgs, TaskName } from '../tasks/catalogue';
import { ProgressTracker } from './progress';
import { runTask, usePolicyOverrides } from './task-runner';

/** One task with its arguments. Unless `immutable`, a parent's result is put before `args`. */
export interface TaskNode {
  kind: 'task';
  task: string;
  args: unknown[];
  immutable?: boolean;
}
export interface ChainNode {
  kind: 'chain';
  steps: CanvasNode[];
}
export interface GroupNode {
  kind: 'group';
  members: CanvasNode[];
}
/** `header` is a group's members; `body` receives their results as its first argument. */
export interface ChordNode {
  kind: 'chord';
  header: CanvasNode[];
  body: CanvasNode;
}
export type CanvasNode = TaskNode | ChainNode | GroupNode | ChordNode;

export interface CanvasInput {
  canvas: CanvasNode;
  policies?: PolicyOverrides;
}

/** The failure a step ended with, in the words the task used. */
export interface StepFailure {
  /** 1-based position in its chain or group. */
  position: number;
  step: string;
  type: string;
  message: string;
}

export function countTasks(node: CanvasNode): number {
  switch (node.kind) {
    case 'task':
      return 1;
    case 'chain':
      return node.steps.reduce((sum, step) => sum + countTasks(step), 0);
    case 'group':
      return node.members.reduce((sum, member) => sum + countTasks(member), 0);
    case 'chord':
      return node.header.reduce((sum, member) => sum + countTasks(member), countTasks(node.body));
  }
}

/** A short name for messages: the task's name, or what kind of composition it is. */
export function describeNode(node: CanvasNode): string {
  switch (node.kind) {
    case 'task':
      return node.task;
    case 'chain':
      return `chain of ${node.steps.length}`;
    case 'group':
      return `group of ${node.members.length}`;
    case 'chord':
      return `chord of ${node.header.length}`;
  }
}

/** Runs canvas trees inside one workflow, counting finished tasks for the progress query. */
export class CanvasRunner {
  private done = 0;

  constructor(private readonly progress: ProgressTracker) {}

  /** `parent` is absent for a node with nothing before it (a result may itself be undefined). */
  run(node: CanvasNode, parent?: { value: unknown }): Promise<unknown> {
    switch (node.kind) {
      case 'task':
        return this.task(node, parent);
      case 'chain':
        return this.chain(node.steps, parent);
      case 'group':
        return this.group(node.members, parent);
      case 'chord':
        return this.chord(node, parent);
    }
  }

  private async task(node: TaskNode, parent?: { value: unknown }): Promise<unknown> {
    const args = parent && !node.immutable ? [parent.value, ...node.args] : node.args;
    // The client checked the name and the arguments against the catalogue before starting.
    const result = await runTask(node.task as TaskName, args as TaskArgs<TaskName>);
    this.done += 1;
    this.progress.advance(this.done, `${node.task} finished`);
    return result;
  }

  private async chain(steps: CanvasNode[], parent?: { value: unknown }): Promise<unknown> {
    let previous = parent;
    for (const [index, step] of steps.entries()) {
      try {
        previous = { value: await this.run(step, previous) };
      } catch (error) {
        if (isCancellation(error)) throw error;
        const failure = stepFailure(index, step, error);
        throw ApplicationFailure.create({
          type: 'ChainFailed',
          message: `chain step ${failure.position} of ${steps.length} (${failure.step}) failed: ${failure.type}: ${failure.message}`,
          nonRetryable: true,
          details: [{ failed: failure }],
        });
      }
    }
    return previous?.value;
  }

  private async group(members: CanvasNode[], parent?: { value: unknown }): Promise<unknown[]> {
    const outcomes = await Promise.allSettled(members.map((member) => this.run(member, parent)));
    const rejected = outcomes.flatMap((outcome, index) => (outcome.status === 'rejected' ? [{ index, error: outcome.reason }] : []));
    if (rejected.length === 0) return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value);
    const cancelled = rejected.find(({ error }) => isCancellation(error));
    if (cancelled) throw cancelled.error;
    const failed = rejected.map(({ index, error }) => stepFailure(index, members[index], error));
    throw ApplicationFailure.create({
      type: 'GroupFailed',
      message:
        `${failed.length} of ${members.length} group members failed: ` +
        failed.map((f) => `member ${f.position} (${f.step}): ${f.type}: ${f.message}`).join('; '),
      nonRetryable: true,
      // What did succeed is kept, so a caller can act on the partial outcome.
      details: [{ failed, results: outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : null)) }],
    });
  }

  private async chord(node: ChordNode, parent?: { value: unknown }): Promise<unknown> {
    const results = await this.group(node.header, parent);
    return this.run(node.body, { value: results });
  }
}

function stepFailure(index: number, node: CanvasNode, error: unknown): StepFailure {
  // An activity failure only says "activity failed"; the task's own failure is its cause.
  const reason = error instanceof ActivityFailure && error.cause ? error.cause : error;
  const type =
    reason instanceof ApplicationFailure ? (reason.type ?? 'Error') : reason instanceof TimeoutFailure ? 'TimeLimitExceeded' : 'Error';
  const message = reason instanceof Error ? reason.message : String(reason);
  return { position: index + 1, step: describeNode(node), type, message };
}

/** Runs any canvas tree; what `chain(...).applyAsync()` and friends start. */
export async function canvas({ canvas, policies }: CanvasInput): Promise<unknown> {
  usePolicyOverrides(policies);
  const progress = new ProgressTracker(countTasks(canvas));
  return progress.run(() => new CanvasRunner(progress).run(canvas));
}
