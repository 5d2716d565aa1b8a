/**
 * Run-time shapes of every task's arguments, checked by the client before anything starts
 * (the command line and the web app pass untyped JSON). The compiler checks that each schema
 * matches its activity's parameters, so the two cannot drift apart.
 */
import { z } from 'zod';
import type { TaskArgs, TaskName } from './catalogue';

export const taskArguments = {
  addNumbers: z.tuple([z.number(), z.number()]),
  sendWelcomeEmail: z.tuple([z.string()]),
  sendEmailAsync: z.tuple([z.string(), z.string(), z.array(z.string())]),
  sendNotification: z.tuple([z.unknown(), z.string().optional()]),
  // The report type is checked by the task itself, so every caller gets the same clear failure.
  generateUserReport: z.tuple([z.number().int(), z.string()]),
  cleanupOldSessions: z.tuple([]),
  updateStatisticsCache: z.tuple([]),
  sendWeeklyReport: z.tuple([z.string().optional()]),
  fetchDataFromApi: z.tuple([z.string()]),
  downloadFile: z.tuple([z.string()]),
  processFile: z.tuple([z.string()]),
  processLargeFile: z.tuple([z.string()]),
  optimizeImage: z.tuple([z.string()]),
  testPeriodic: z.tuple([]),
  processItem: z.tuple([z.string(), z.number().nonnegative().optional()]),
} satisfies { [K in TaskName]: z.ZodType<TaskArgs<K>> };

