/** The guide's `contact_form` view: the message goes to the admins by email, in the background. */
import type { FastifyInstance } from 'fastify';
import type { AppDependencies } from '../app';

interface ContactBody {
  name: string;
  email: string;
  message: string;
}

const contactSchema = {
  body: {
    type: 'object',
    required: ['email', 'message'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', maxLength: 200 },
      email: { type: 'string', format: 'email', maxLength: 254 },
      message: { type: 'string', minLength: 1, maxLength: 10_000 },
    },
  },
} as const;

export function contactRoutes(app: FastifyInstance, { client, config }: AppDependencies): void {
  app.post<{ Body: ContactBody }>('/contact', { schema: contactSchema }, async (request, reply) => {
    const { name, email, message } = request.body;
    const signature = name ? `${name} <${email}>` : email;
    const sent = await client.tasks.sendEmailAsync.delay('Новое сообщение', `${message}\n\n— ${signature}`, config.mail.admins);
    return reply.code(202).send({ status: 'sent', taskId: sent.id });
  });
}
