/**
 * Every workflow type the worker registers. The export name is the workflow type.
 * One per task (see tasks/catalogue.ts; a test checks none is missing), then the compositions.
 */
import { taskWorkflow } from './single-task';

export const addNumbers = taskWorkflow('addNumbers');
export const sendWelcomeEmail = taskWorkflow('sendWelcomeEmail');
export const sendEmailAsync = taskWorkflow('sendEmailAsync');
export const sendNotification = taskWorkflow('sendNotification');
export const generateUserReport = taskWorkflow('generateUserReport');
export const cleanupOldSessions = taskWorkflow('cleanupOldSessions');
export const updateStatisticsCache = taskWorkflow('updateStatisticsCache');
export const sendWeeklyReport = taskWorkflow('sendWeeklyReport');
export const fetchDataFromApi = taskWorkflow('fetchDataFromApi');
export const downloadFile = taskWorkflow('downloadFile');
export const processFile = taskWorkflow('processFile');
export const processLargeFile = taskWorkflow('processLargeFile');
export const optimizeImage = taskWorkflow('optimizeImage');

export { canvas } from './canvas';
export { downloadProcessNotify, emailEveryone, followUp, longTask } from './guide-workflows';
export const testPeriodic = taskWorkflow('testPeriodic');
export const processItem = taskWorkflow('processItem');
