/**
 * The guide's `register_user` view: create the user, start the welcome email, answer at once.
 * The email's task id is derived from the user, so registering twice (a double click, a retried
 * request) finds the same execution instead of sending a second email.
 */
import type { FastifyInstance } from 'fastify';
import { REPORT_TYPES } from '../../activities/user-report-workbook';
import { toTimestamp, type AppDb, type User } from '../../db/schema';
import type { AppDependencies } from '../app';
import { HttpError } from '../errors';

export const welcomeEmailTaskId = (userId: number) => `welcome-email/${userId}`;

interface RegisterBody {
  email: string;
  username: string;
}

const registerSchema = {
  body: {
    type: 'object',
    required: ['email', 'username'],
    additionalProperties: false,
    properties: {
      email: { type: 'string', format: 'email', maxLength: 254 },
      username: { type: 'string', minLength: 1, maxLength: 150, pattern: '^[\\w.@+-]+$' },
    },
  },
} as const;

/** SQLite and PostgreSQL report a broken unique constraint differently. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

const byEmail = (db: AppDb, email: string) => db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();

/** The user with this email, created if new; `created` says which. */
async function findOrCreateUser(db: AppDb, { email, username }: RegisterBody): Promise<{ user: User; created: boolean }> {
  const existing = await byEmail(db, email);
  if (existing) return { user: existing, created: false };
  try {
    const user = await db
      .insertInto('users')
      .values({ email, username, date_joined: toTimestamp(new Date()) })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { user, created: true };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Either the same registration raced us (same email: use it) or the username is someone else's.
    const raced = await byEmail(db, email);
    if (raced) return { user: raced, created: false };
    throw new HttpError(409, `username "${username}" is taken; choose another`);
  }
}

export function userRoutes(app: FastifyInstance, { client, db }: AppDependencies): void {
  app.post<{ Body: RegisterBody }>('/users', { schema: registerSchema }, async (request, reply) => {
    const email = request.body.email.toLowerCase();
    const { user, created } = await findOrCreateUser(db, { ...request.body, email });
    const welcome = await client.tasks.sendWelcomeEmail.applyAsync([user.email], { taskId: welcomeEmailTaskId(user.id) });
    return reply.code(created ? 201 : 200).send({
      user: { id: user.id, email: user.email, username: user.username },
      welcomeEmailTaskId: welcome.id,
    });
  });

  app.post<{ Params: { userId: number }; Body: { reportType: string } }>(
    '/users/:userId/reports',
    {
      schema: {
        params: { type: 'object', properties: { userId: { type: 'integer', minimum: 1 } } },
        body: {
          type: 'object',
          required: ['reportType'],
          additionalProperties: false,
          properties: { reportType: { type: 'string', enum: [...REPORT_TYPES] } },
        },
      },
    },
    async (request, reply) => {
      const { userId } = request.params;
      const user = await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
      if (!user) throw new HttpError(404, `no user with id ${userId}`);
      const report = await client.tasks.generateUserReport.delay(userId, request.body.reportType);
      return reply.code(202).send({ taskId: report.id });
    },
  );
}
