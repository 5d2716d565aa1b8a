/** Activity header names shared by the workflow and activity sides. */
export const SOFT_TIME_LIMIT_HEADER = 'quiz-soft-time-limit-ms';
