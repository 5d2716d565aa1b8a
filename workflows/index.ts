/**
 * Every workflow type the worker registers. The export name is the workflow type.
 * One per task (see tasks/catalogue.ts; a test checks none is missing), then the compositions.
 */
import { taskWorkflow } from './single-task';

export const addNumbers = taskWorkflow('addNumbers');
export const sendWelcomeEmail = taskWorkflow('sendWelcomeEmail');
export const sendEmailAsync = taskWorkflow('sendEmailAsync');
export const sendNotification = taskWorkflow('sendNotification');
