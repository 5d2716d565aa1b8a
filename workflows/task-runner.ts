/**
 * Runs one task of the catalogue from workflow code, with the catalogue's policy (plus any
 * overrides this run was started with). All workflows schedule tasks through here.
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { policyFor, type PolicyOverrides, type TaskArgs, type TaskName, type TaskResult } from '../tasks/catalogue';
import { toActivityOptions, type TaskPolicy } from '../tasks/policy';

// Module state is per workflow execution: the SDK gives each run its own module instances.
let overrides: PolicyOverrides | undefined;

/** Call first thing in a workflow that was started with policy overrides. */
export function usePolicyOverrides(value: PolicyOverrides | undefined): void {
  overrides = value;
}

export function currentPolicy(name: TaskName): TaskPolicy {
  return policyFor(name, overrides);
}

export function runTask<K extends TaskName>(name: K, args: TaskArgs<K>): Promise<TaskResult<K>> {
  const policy = currentPolicy(name);
  const options = toActivityOptions(policy);
  const proxy = policy.local ? proxyLocalActivities<Activities>(options) : proxyActivities<Activities>(options);
  const fn = proxy[name] as unknown as (...a: TaskArgs<K>) => Promise<TaskResult<K>>;
  return fn(...args);
}
