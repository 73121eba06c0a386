// Key management over HTTP, for admins.
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { ProblemResponse } from '../http/errors.ts';
import { type KeyService, ROLES } from './keys.ts';

const KeySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  roles: Type.Array(Type.String()),
  created_at: Type.String(),
  last_used_at: Type.Optional(Type.String()),
  revoked_at: Type.Optional(Type.String()),
});

// The problems every admin route can answer with, so the OpenAPI document shows their shape.
const denied = { 401: ProblemResponse, 403: ProblemResponse };

export async function keyRoutes(app: FastifyInstance, deps: { keys: KeyService }) {
  const out = (k: Awaited<ReturnType<KeyService['list']>>[number]) => ({
    id: k.id,
    name: k.name,
    roles: k.roles,
    created_at: k.createdAt,
    last_used_at: k.lastUsedAt,
    revoked_at: k.revokedAt,
  });

  app.post(
    '/v1/keys',
    {
      config: { roles: ['admin'] },
      schema: {
        summary: 'Create an API key (shown once)',
        tags: ['access'],
        body: Type.Object({
          roles: Type.Array(Type.Enum([...ROLES]), { minItems: 1 }),
          name: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: {
          201: Type.Object({ key: Type.String(), api_key: KeySchema }),
          400: ProblemResponse,
          ...denied,
        },
      },
    },
    async (req, reply) => {
      const body = req.body as { roles: string[]; name?: string };
      const r = await deps.keys.create({ roles: body.roles, name: body.name, createdBy: req.apiKey?.id });
      return reply.status(201).send({ key: r.key, api_key: out(r.apiKey) });
    },
  );

  app.get(
    '/v1/keys',
    {
      config: { roles: ['admin'] },
      schema: {
        summary: 'List API keys (never their secrets)',
        tags: ['access'],
        response: { 200: Type.Array(KeySchema), ...denied },
      },
    },
    async () => (await deps.keys.list()).map(out),
  );

  app.delete(
    '/v1/keys/:id',
    {
      config: { roles: ['admin'] },
      schema: {
        summary: 'Revoke an API key',
        tags: ['access'],
        params: Type.Object({ id: Type.String() }),
        response: { 200: KeySchema, 404: ProblemResponse, ...denied },
      },
    },
    async (req) => out(await deps.keys.revoke((req.params as { id: string }).id)),
  );
}
